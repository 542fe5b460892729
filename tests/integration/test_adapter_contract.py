"""The workbook port contract: every adapter (memory, file, live over the xlwings fake) passes the same assertions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from relist import schema
from relist.workbook.memory import MemoryWorkbook

AdapterFactory = Callable[[Path], Any]


def _memory(tmp: Path) -> Any:
    return MemoryWorkbook()


def _file(tmp: Path) -> Any:
    from relist.workbook import open_workbook, template

    path = template.build(tmp / "Relist.xlsx")
    return open_workbook(path)


def _live(tmp: Path) -> Any:
    from tests.fakes import xl_engine as xe

    from relist.workbook import template
    from relist.workbook.live_adapter import LiveWorkbook

    path = template.build(tmp / "Relist.xlsx")
    return LiveWorkbook(xe.load(path))


ADAPTERS: dict[str, AdapterFactory] = {"memory": _memory, "file": _file, "live": _live}
"""Adapter name -> factory making a fresh Relist workbook behind that adapter."""


def _reopen(book: Any) -> Any:
    """After save, read back from durable storage where the adapter has one."""
    from relist.workbook.file_adapter import FileWorkbook

    if isinstance(book, FileWorkbook):
        return FileWorkbook(book.path)
    return book


@pytest.fixture(params=sorted(ADAPTERS))
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    return ADAPTERS[request.param](tmp_path)


LEAD = {
    "LeadId": "L000001",
    "Status": "New",
    "OwnerName": "Pat & Lee <Owners>",
    "BestPhone": "+18135550142",
    "Email": "pat@example.com",
    "ExpiredAt": dt.datetime(2026, 11, 24, 17, 30),
    "SequenceStart": dt.date(2026, 11, 24),
    "ListPrice": 425000.0,
    "TouchCount": 3,
    "Contactable": True,
    "EntityOwner": False,
    "BathroomsTotal": 2.5,
    "Notes": "  leading space kept",
}


def test_new_workbook_has_defaults(book: Any) -> None:
    settings = {r["Setting"]: r["Value"] for r in book.read_records("tblSettings")}
    assert settings["Time zone"] == "America/New_York"
    assert [r["Step"] for r in book.read_records("tblSequence")][:8] == list(range(1, 9))
    assert book.read_records("tblLeads") == []


def test_types_round_trip_through_save(book: Any) -> None:
    book.append_rows("tblLeads", [LEAD])
    book.save()
    got = _reopen(book).read_records("tblLeads")[0]
    for k, v in LEAD.items():
        assert got[k] == v, k
    assert got["Status"] == "New" and got["NextDue"] is None


def test_read_some_columns(book: Any) -> None:
    book.append_rows("tblLeads", [LEAD, {**LEAD, "LeadId": "L000002"}])
    assert book.read_records("tblLeads", ["LeadId", "TouchCount"]) == [
        {"LeadId": "L000001", "TouchCount": 3},
        {"LeadId": "L000002", "TouchCount": 3},
    ]
    frame = book.read_frame("tblLeads", ["LeadId", "ListPrice"])
    assert list(frame.columns) == ["LeadId", "ListPrice"] and len(frame) == 2


def test_update_by_key_then_append(book: Any) -> None:
    book.append_rows("tblLeads", [LEAD, {**LEAD, "LeadId": "L000002"}])
    book.save()
    book = _reopen(book)
    assert book.update_rows("tblLeads", [{"LeadId": "L000002", "Status": "Working", "TouchCount": 4}]) == 1
    assert book.update_rows("tblLeads", [{"LeadId": "L999999", "Status": "Dead"}]) == 0
    book.append_rows("tblLeads", [{**LEAD, "LeadId": "L000003"}])
    book.save()
    rows = _reopen(book).read_records("tblLeads", ["LeadId", "Status", "TouchCount"])
    assert rows == [
        {"LeadId": "L000001", "Status": "New", "TouchCount": 3},
        {"LeadId": "L000002", "Status": "Working", "TouchCount": 4},
        {"LeadId": "L000003", "Status": "New", "TouchCount": 3},
    ]


def test_replace_rows(book: Any) -> None:
    book.replace_rows("tblToday", [{"Section": "calls", "Rank": 1, "LeadId": "L1", "Phone": "+18135550142"}])
    book.save()
    book = _reopen(book)
    assert [r["LeadId"] for r in book.read_records("tblToday")] == ["L1"]
    book.replace_rows("tblToday", [])
    book.save()
    assert _reopen(book).read_records("tblToday") == []


def test_append_only_tables_refuse_edits(book: Any) -> None:
    book.append_rows("tblTouches", [{"TouchId": "T1", "LeadId": "L1", "Channel": "call", "Outcome": "no-answer"}])
    with pytest.raises(PermissionError):
        book.update_rows("tblTouches", [{"TouchId": "T1", "Outcome": "appointment"}])


def test_unknown_column_refused(book: Any) -> None:
    with pytest.raises(KeyError):
        book.append_rows("tblLeads", [{"LeadId": "L1", "NoSuchColumn": 1}])


def test_free_sheet_cells(book: Any) -> None:
    book.write_cells("ROI", {"B5": 90})
    book.save()
    assert _reopen(book).read_cells("ROI", ["B5"])["B5"] == 90


def test_unknown_table_is_a_key_error(book: Any) -> None:
    with pytest.raises(KeyError):
        book.read_records("tblNope")


def test_every_schema_table_readable(book: Any) -> None:
    for spec in schema.TABLE_SHEETS:
        assert isinstance(book.read_records(spec.table), list)
