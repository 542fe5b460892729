"""Making leads column by column (a whole read) gives the leads one record at a time gives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from relist.leads import lead_from_record, leads_from_columns, leads_from_records
from relist.model import Phone

NY = ZoneInfo("America/New_York")
_cell = {
    "Status": st.one_of(st.none(), st.sampled_from(["New", "Working", "Dead"]), st.integers(0, 3)),
    "OwnerName": st.one_of(st.none(), st.text(max_size=5)),
    "ExpiredAt": st.one_of(st.none(), st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 1)),
                           st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 1)), st.just("soon")),
    "SequenceStart": st.one_of(st.none(), st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 1)),
                               st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 1))),
    "Contactable": st.one_of(st.none(), st.booleans()),
    "TouchCount": st.one_of(st.none(), st.integers(0, 9), st.floats(0, 9).map(float)),
    "ListPrice": st.one_of(st.none(), st.integers(1, 10**6), st.floats(1, 10**6)),
    "My notes": st.one_of(st.none(), st.text(max_size=4), st.integers()),
}


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries(_cell), max_size=8))
def test_by_column_is_by_record(rows: list[dict[str, Any]]) -> None:
    records = [{"LeadId": f"L{i}", **r} for i, r in enumerate(rows)]
    phones = {"L0": (Phone("+18135550142", 1),)}
    want = [lead_from_record(r, phones.get(r["LeadId"], ()), NY) for r in records]
    assert leads_from_records(records, phones, NY) == want
    columns = {k: [r[k] for r in records] for k in ["LeadId", *_cell]}
    assert leads_from_columns(columns, phones, NY) == want
    assert all(list(a.__dict__) == list(b.__dict__) for a, b in zip(leads_from_records(records, phones, NY), want, strict=True))
