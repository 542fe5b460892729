"""Shuffling a vendor file's columns, writing its headers another way, or re-encoding it never changes the leads."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relist.intake.service import import_files
from relist.workbook.memory import MemoryWorkbook

DATA = Path(__file__).resolve().parents[1] / "data" / "vendors"
AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
# files whose headers are all different (a layout with two 'City' columns is read by position: shuffling it is ambiguous)
FILES = ["redx_vortex.csv", "vulcan7.csv", "landvoice_expired.csv", "batchleads.csv", "propstream.csv", "dealmachine.csv",
         "flexmls.csv", "corelogic_matrix.csv"]


def table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DATA / name).read_bytes().decode("utf-8"))))


def leads_of(rows: list[list[str]], encoding: str = "utf-8") -> list[dict[str, Any]]:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(buf.getvalue().encode(encoding))
        book = MemoryWorkbook()
        import_files(book, [path], at=AT)
    phones = {(p["LeadId"], p["Position"]): (p["Phone"], p["VendorDNC"], p["Litigator"], p["PhoneStatus"])
              for p in book.tables["tblPhones"]}
    out = []
    for lead in book.tables["tblLeads"]:
        rec = {k: v for k, v in lead.items() if k != "Extra"}
        rec["Extra"] = sorted(str(lead.get("Extra") or "").split("; "))
        rec["phones"] = sorted(v for (lid, _), v in phones.items() if lid == lead["LeadId"])
        out.append(rec)
    return out


def _variant(header: str, how: int) -> str:
    if how == 1:
        return header.upper()
    if how == 2:
        return header.lower().replace(" ", "_")
    if how == 3:
        return "  " + header.replace(" ", "  ") + " "
    return header


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FILES), data=st.data())
def test_column_order_and_header_spelling_do_not_change_the_leads(name: str, data: st.DataObject) -> None:
    rows = table(name)
    order = data.draw(st.permutations(range(len(rows[0]))))
    hows = data.draw(st.lists(st.integers(0, 3), min_size=len(rows[0]), max_size=len(rows[0])))
    header = [_variant(h, hows[i]) for i, h in enumerate(rows[0])]
    shuffled = [[header[i] for i in order], *[[r[i] for i in order] for r in rows[1:]]]
    base = leads_of(rows)
    got = leads_of(shuffled)
    for b, g in zip(base, got, strict=True):
        b.pop("Extra"), g.pop("Extra")  # Extra keeps the file's own header spelling
        assert g == b


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FILES), encoding=st.sampled_from(["utf-8-sig", "utf-16", "cp1252"]))
def test_re_encoding_does_not_change_the_leads(name: str, encoding: str) -> None:
    rows = table(name)
    assert leads_of(rows, encoding) == leads_of(rows)
