"""The one CSV writer every export uses: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from relist.compliance.audit import AUDIT_COLUMNS, AuditExport
from relist.csv_export import FORMULA_START, safe_cell, write_csv


def test_each_formula_start_is_defused() -> None:
    for start in FORMULA_START:
        assert safe_cell(f"{start}HYPERLINK(\"http://x\")") == f"'{start}HYPERLINK(\"http://x\")"
    assert safe_cell("+18135550142") == "'+18135550142"
    assert safe_cell("plain = text") == "plain = text"


def test_values_that_are_not_text() -> None:
    assert safe_cell(None) == ""
    assert safe_cell(-12) == "-12" and safe_cell(-1.5) == "-1.5"
    assert safe_cell(datetime(2026, 11, 25, 9, 5)) == "2026-11-25 09:05:00"
    assert safe_cell(date(2026, 11, 25)) == "2026-11-25"


@given(st.lists(st.lists(st.text(max_size=30), min_size=3, max_size=3), max_size=20))
def test_no_cell_read_back_starts_a_formula(rows: list[list[str]]) -> None:
    text = write_csv(["a", "b", "c"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert len(back) == len(rows) + 1
    for got, want in zip(back[1:], rows, strict=True):
        for g, w in zip(got, want, strict=True):
            assert not g.startswith(FORMULA_START)
            assert g == (("'" + w) if w.startswith(FORMULA_START) else w)


def test_audit_notes_and_reasons_are_defused() -> None:
    row = dict.fromkeys(AUDIT_COLUMNS, "")
    row.update({"Kind": "call", "Detail": '=HYPERLINK("http://evil","Click")', "Subject": "@SUM(A1)", "Outcome": "-2+3"})
    text = AuditExport(date(2026, 1, 1), date(2026, 1, 2), (row,)).to_csv()
    got = next(csv.DictReader(io.StringIO(text)))
    assert got["Detail"].startswith("'=") and got["Subject"] == "'@SUM(A1)" and got["Outcome"] == "'-2+3"
