"""The live adapter reads table bodies as the engine hands them over (`Range.raw_value`) and cleans them itself:
it must read exactly what xlwings' own converted read gives, on each engine's raw forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe

from relist import schema
from relist.workbook import live_adapter
from relist.workbook.live_adapter import LiveWorkbook, clean_cells, engine_rows
from relist.workbook.live_memo import SessionMemo, kinds_of
from relist.workbook.template import col_letter

DIV0 = -2146826281  # COM's code for a #DIV/0! cell (`_xlwindows.cell_errors`)

# one column of odd cells, written through xlwings as a user would type or paste them
ODD = [
    dt.datetime(2026, 11, 24, 17, 30, 5),
    dt.datetime(2026, 11, 24),
    dt.datetime(1899, 12, 30, 9, 15),  # a time of day
    1234.5,
    7.0,
    True,
    False,
    None,
    "00123",  # text that looks like a number
    "'=1+1",  # text that looks like a formula (Excel's prefix keeps it text)
    "1/2/2026",
    "  ",
    "Yes",
]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.workbook import template

    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.fixture(params=xe.FLAVOURS)
def book(template_path: Path, request: pytest.FixtureRequest) -> Iterator[xw.Book]:
    book = xe.load(template_path, request.param)
    leads = [{"LeadId": f"L{n:03d}", "OwnerName": f"Owner {n}", "ListPrice": 250000 + n, "Contactable": n % 3 == 0,
              "ExpiredAt": dt.datetime(2026, 11, 20, 8, n), "SequenceStart": dt.date(2026, 11, 21), "Notes": "=not a formula"}
             for n in range(len(ODD))]
    LiveWorkbook(book).append_rows("tblLeads", leads)
    header = LiveWorkbook(book).table_columns("tblLeads")
    sheet = book.sheets["Leads"]
    for name in ("Notes", "ListPrice", "ExpiredAt", "Contactable", "PostalCode"):  # text, money, datetime, bool, text
        sheet.range(f"{col_letter(header.index(name) + 1)}2").value = [[v] for v in ODD]
    if request.param == "windows":  # an error cell, as COM hands it over (the engine computes no formulas)
        sheet.impl.cells_.set((3, header.index("Notes") + 1), DIV0)
    yield book


def _converted_rows(rng: Any) -> Any:
    """The read before this change: xlwings' converted path (ndim=2)."""
    return rng.options(ndim=2).value


def _same(a: list[Any], b: list[Any]) -> None:
    assert a == b
    assert [type(v) for v in a] == [type(v) for v in b]


def test_the_engine_hands_over_its_own_raw_forms(book: xw.Book) -> None:
    header = LiveWorkbook(book).table_columns("tblLeads")
    col = col_letter(header.index("ExpiredAt") + 1)
    raw = book.sheets["Leads"].range(f"{col}2:{col}4").raw_value
    if xe.excel(book).flavour == "windows":
        assert isinstance(raw, tuple) and all(isinstance(r, tuple) for r in raw)
        assert type(raw[0][0]) is xe.ComTime and raw[0][0].tzinfo is dt.UTC
        assert raw[0][0] != dt.datetime(2026, 11, 24, 17, 30, 5)  # never equal to a naive datetime, as pywintypes'
        with pytest.raises(TypeError):
            _ = raw[0][0] < dt.datetime(2026, 11, 24)
    else:
        assert isinstance(raw, list) and all(isinstance(r, list) for r in raw)
        assert type(raw[0][0]) is dt.datetime and raw[0][0].tzinfo is None
    empty = book.sheets["Leads"].range(f"{col}9").raw_value
    assert empty == (None if xe.excel(book).flavour == "windows" else "")
    # xlwings' converted read cleans both to the same
    assert book.sheets["Leads"].range(f"{col}2:{col}9").options(ndim=2).value[0][0] == dt.datetime(2026, 11, 24, 17, 30, 5)
    assert book.sheets["Leads"].range(f"{col}9").value is None


def test_cleaned_engine_cells_are_xlwings_converted_cells_type_for_type(book: xw.Book) -> None:
    wb = LiveWorkbook(book)
    header = wb.table_columns("tblLeads")
    rng = book.sheets["Leads"].range((2, 1), (1 + len(ODD), len(header)))
    raw_cols = list(zip(*engine_rows(rng), strict=True))
    conv_cols = list(zip(*rng.options(ndim=2).value, strict=True))
    for cells, want in zip(raw_cols, conv_cols, strict=True):
        _same(clean_cells(cells, kinds_of(cells), wb._odd_cell), list(want))
    one = book.sheets["Leads"].range((2, header.index("ExpiredAt") + 1))
    assert engine_rows(one) == [[one.raw_value]]


@pytest.mark.parametrize("memo", [False, True])
def test_records_read_raw_are_the_records_read_through_xlwings_converters(
        book: xw.Book, monkeypatch: pytest.MonkeyPatch, memo: bool) -> None:
    session = SessionMemo()

    def read_all(session: SessionMemo | None) -> dict[str, Any]:
        wb = LiveWorkbook(book, session)
        out: dict[str, Any] = {t.table: wb.read_records(t.table) for t in schema.TABLE_SHEETS}
        out["cols"] = wb.read_columns("tblLeads", ["Notes", "ExpiredAt", "SequenceStart", "Contactable"])
        return out

    def touches(ns: range) -> list[dict[str, Any]]:
        return [{"TouchId": f"T{n:07d}", "LeadId": "L001", "At": dt.datetime(2026, 11, 25, 9, n), "Channel": "call",
                 "Outcome": "no-answer"} for n in ns]

    LiveWorkbook(book).append_rows("tblTouches", touches(range(1, 3)))
    if memo:  # the second read takes unchanged cells from the memo, cleans only rows added and columns changed
        read_all(session)
        wb = LiveWorkbook(book, session)
        wb.append_rows("tblTouches", touches(range(3, 6)))
        wb.update_rows("tblLeads", [{"LeadId": "L002", "Notes": "'0042", "ListPrice": None}])
    raw = read_all(session if memo else None)
    monkeypatch.setattr(live_adapter, "engine_rows", _converted_rows)
    converted = read_all(None)
    assert len(raw["tblTouches"]) == (5 if memo else 2)
    assert raw.keys() == converted.keys()
    for table in raw:
        assert raw[table] == converted[table], table
        assert repr(raw[table]) == repr(converted[table]), table  # same types (1.0 is not True, a date not a datetime)
    notes = raw["cols"]["Notes"]
    assert "00123" in notes and "=1+1" in notes and "1/2/2026" in notes
    assert dt.datetime(2026, 11, 24, 17, 30, 5) in raw["cols"]["ExpiredAt"]
