"""The one-lead read paths a Log Touch click takes on the live adapter give what the whole-table reads give.

`records_where`/`records_if`/`column_values` (live adapter), `load_context(..., lead_ids=...)`
and the lead/touch lookups in `sequence.service` read a few rows instead of the whole log;
these tests hold them to the answers of the full reads on the same workbook, over the xlwings fake.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.fakes import xl_engine as xe

from relist.compliance.verdict import evaluate, load_context, next_allowed
from relist.errors import NotFound
from relist.leads import load_leads
from relist.sequence import service
from relist.sequence.touches import TOUCH_COLUMNS
from relist.settings import load as load_settings
from relist.workbook.live_adapter import LiveWorkbook
from relist.workbook.memory import MemoryWorkbook


def _rows() -> dict[str, list[dict[str, object]]]:
    leads = [
        {"LeadId": f"L{i}", "Status": "Working", "State": "FL", "PostalCode": "33602", "ListingStatus": "Expired",
         "Contactable": True, "Email": f"o{i}@example.com", "PropertyAddress": f"{i} Main St", "City": "Tampa",
         "SequenceStart": datetime(2026, 5, 20), "ExpiredAt": datetime(2026, 5, 20, 6)}
        for i in range(1, 5)
    ]
    phones = [{"PhoneId": f"L{i}-1", "LeadId": f"L{i}", "Position": 1, "Phone": f"+1813555014{i}", "PhoneStatus": "Active", "Kind": "mobile"}
              for i in range(1, 5)]
    day = datetime(2026, 6, 2, 10, 0)
    touches = [
        ("T0000001", "L1", day, "call", 1, "no-answer", None),
        ("T0000002", "L1", day + timedelta(hours=1), "text", 2, "sent", None),
        ("T0000003", "L2", day, "call", 1, "dnc-request", None),
        ("T0000004", "L3", day, "call", 1, "dnc-request", None),
        ("T0000005", "L3", day + timedelta(minutes=5), "call", None, None, "T0000004"),  # the request undone
        ("T0000006", "L4", day - timedelta(days=400), "email", 7, "opt-out", None),  # an old email opt-out still stands
        ("T0000007", "L1", day + timedelta(hours=2), "call", 3, "no-answer", None),
        ("T0000008", "L1", day + timedelta(hours=3), "call", None, None, "T0000007"),  # a call undone
        ("T0000009", "L4", day - timedelta(days=500), "call", 1, "no-answer", None),  # older than any cap
    ]
    rows: list[dict[str, object]] = [{"TouchId": t, "LeadId": lid, "At": at, "Channel": ch, "Step": st, "Outcome": out, "UndoOf": undo}
            for t, lid, at, ch, st, out, undo in touches]
    return {"tblLeads": leads, "tblPhones": phones, "tblTouches": rows}


@pytest.fixture()
def live(tmp_path: Path) -> LiveWorkbook:
    from relist.workbook import template

    path = template.build(tmp_path / "Relist.xlsx")
    wb = LiveWorkbook(xe.load(path))
    for table, rows in _rows().items():
        wb.append_rows(table, rows)
    return wb


def test_rows_by_value_match_the_whole_table(live: LiveWorkbook) -> None:
    cols = list(TOUCH_COLUMNS)
    whole = live.read_records("tblTouches", cols)
    fresh = LiveWorkbook(live.book)  # nothing cached: rows come one by one
    assert fresh.records_where("tblTouches", "LeadId", "L1", cols) == [r for r in whole if r["LeadId"] == "L1"]
    assert fresh.records_if("tblTouches", "UndoOf", bool, cols) == [r for r in whole if r["UndoOf"]]
    assert fresh.column_values("tblTouches", "TouchId") == [r["TouchId"] for r in whole]
    assert live.records_where("tblTouches", "LeadId", "L1", cols) == [r for r in whole if r["LeadId"] == "L1"]  # from the cache
    with pytest.raises(KeyError, match="NoSuchColumn"):
        fresh.records_where("tblTouches", "NoSuchColumn", "x", cols)


@pytest.mark.parametrize("lead_id", ["L1", "L2", "L3", "L4"])
def test_a_context_for_one_lead_answers_as_the_whole_one(live: LiveWorkbook, lead_id: str) -> None:
    tz = load_settings(live).tz
    at = datetime(2026, 6, 3, 9, 30, tzinfo=tz)
    whole = load_context(LiveWorkbook(live.book), at)
    one = load_context(LiveWorkbook(live.book), at, lead_ids=[lead_id])
    assert dict(one.dnc_requests) == dict(whole.dnc_requests)
    assert "L2" in whole.dnc_requests and "L3" not in whole.dnc_requests  # the undone request does not stand
    assert one.internal_emails == whole.internal_emails == frozenset({"o4@example.com"})
    assert one.internal_phones == whole.internal_phones
    assert one.contact_log.get(lead_id) == whole.contact_log.get(lead_id)
    lead = next(x for x in load_leads(live, tz) if x.lead_id == lead_id)
    for channel in ("call", "text", "email"):
        for moment in (at, at + timedelta(hours=5), at + timedelta(days=2)):
            assert evaluate(lead, channel, moment, one) == evaluate(lead, channel, moment, whole)
            assert next_allowed(lead, channel, moment, one) == next_allowed(lead, channel, moment, whole)


def test_the_full_context_matches_the_plain_port(live: LiveWorkbook) -> None:
    tz = load_settings(live).tz
    at = datetime(2026, 6, 3, 9, 30, tzinfo=tz)
    memory = MemoryWorkbook({t: LiveWorkbook(live.book).read_records(t) for t in ("tblLeads", "tblPhones", "tblTouches", "tblSettings")})
    a, b = load_context(LiveWorkbook(live.book), at), load_context(memory, at)
    assert dict(a.contact_log) == dict(b.contact_log) and dict(a.dnc_requests) == dict(b.dnc_requests)
    assert dict(a.contact_log)["L1"] == ((datetime(2026, 6, 2, 10, tzinfo=tz), "call"), (datetime(2026, 6, 2, 11, tzinfo=tz), "text"))


def test_logging_on_the_live_adapter_equals_logging_in_memory(live: LiveWorkbook) -> None:
    tz = load_settings(live).tz
    at = datetime(2026, 6, 3, 9, 30, tzinfo=tz)
    memory = MemoryWorkbook({t: LiveWorkbook(live.book).read_records(t) for t in ("tblLeads", "tblPhones", "tblTouches", "tblSettings", "tblSequence")})
    for book in (LiveWorkbook(live.book), memory):
        got = service.log_touch(book, "l1", "call", "no-answer", at)  # ids match case-insensitively
        assert got.touch_id == "T0000010" and got.lead_id == "L1"
    on_live = LiveWorkbook(live.book)
    assert on_live.read_records("tblTouches", list(TOUCH_COLUMNS)) == memory.read_records("tblTouches", list(TOUCH_COLUMNS))
    assert on_live.read_records("tblLeads", ["LeadId", "Status", "TouchCount", "NextStep", "NextDue"]) == memory.read_records(
        "tblLeads", ["LeadId", "Status", "TouchCount", "NextStep", "NextDue"])
    with pytest.raises(NotFound, match="L9"):
        service.log_touch(LiveWorkbook(live.book), "L9", "call", "no-answer", at)
