"""The session memo over the xlwings fake: what a click takes from memory is what reading the workbook gives.

A trusting click (Log Touch) reads only the rows added to the append-only log
since the last read; it must fall back to a full read whenever the rows it
remembers at the end moved or changed, and a fresh read (every other click)
must always see the workbook as it is, hand edits included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.fakes import fake_xlwings as fx

from relist.sequence.touches import TOUCH_COLUMNS
from relist.workbook.live_adapter import LiveWorkbook
from relist.workbook.live_memo import OVERLAP, SessionMemo

DAY = datetime(2026, 6, 2, 10, 0)
COLS = list(TOUCH_COLUMNS)


def _touch(n: int, lead: str, outcome: str = "no-answer", undo: str | None = None) -> dict[str, Any]:
    return {"TouchId": f"T{n:07d}", "LeadId": lead, "At": DAY + timedelta(minutes=n), "Channel": "call", "Step": 1 + n % 8,
            "Outcome": outcome, "UndoOf": undo}


@pytest.fixture()
def book(tmp_path: Path) -> fx.Book:
    from relist.workbook import template

    path = template.build(tmp_path / "Relist.xlsx")
    fake = fx.Book.from_file(path)
    LiveWorkbook(fake).append_rows("tblTouches", [_touch(n, f"L{n % 7}", "dnc-request" if n == 9 else "no-answer") for n in range(1, 41)])
    return fake


def _answers(wb: LiveWorkbook) -> tuple[Any, ...]:
    """What a Log Touch click asks of the log: one lead's rows, DNC requests, undo rows, the last id, a whole column."""
    return (
        wb.records_where("tblTouches", "LeadId", "L3", COLS),
        wb.records_in("tblTouches", "Outcome", {"dnc-request", "opt-out"}, COLS),
        wb.records_if("tblTouches", "UndoOf", bool, ["UndoOf", "TouchId"]),
        wb.tail("tblTouches", "TouchId"),
        wb.column_values("tblTouches", "At"),
    )


def _truth(book: fx.Book) -> tuple[Any, ...]:
    return _answers(LiveWorkbook(book))


def _trusting(book: fx.Book, memo: SessionMemo) -> LiveWorkbook:
    return LiveWorkbook(book, memo, trust=("tblTouches",))


def test_appended_rows_are_read_and_the_rest_comes_from_memory(book: fx.Book) -> None:
    memo = SessionMemo()
    LiveWorkbook(book, memo).read_records("tblTouches", COLS)  # a fresh click (Today's Queue) fills the memo
    for n in range(41, 45):  # other clicks log touches, an undo among them
        LiveWorkbook(book, memo).append_rows("tblTouches", [_touch(n, "L3", undo="T0000009" if n == 44 else None)])
        wb = _trusting(book, memo)
        book.app.calls = 0
        got = _answers(wb)
        assert book.app.calls == 1  # one read of the rows added (and the few before them), not the log's columns
        assert got == _truth(book)
    partial = SessionMemo()
    LiveWorkbook(book, partial).read_records("tblTouches", ["LeadId"])  # a click that read one column (and TouchId, whose value makes a row count)
    LiveWorkbook(book).append_rows("tblTouches", [_touch(45, "L3")])
    wb = _trusting(book, partial)
    book.app.calls = 0
    got = _answers(wb)
    assert book.app.calls == 1 + len(set(COLS) - {"LeadId", "TouchId"})  # the new rows, and each column never read before, once
    assert got == _truth(book)
    assert partial.table(wb._book_key, "tblTouches", wb.table_columns("tblTouches"), ("Touches", 2, 1)).rows == 45


def test_a_trusting_click_falls_back_to_a_full_read_when_the_end_of_the_log_changed(book: fx.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    sheet = LiveWorkbook(book)._state("tblTouches").sheet
    first = LiveWorkbook(book)._state("tblTouches").first
    sheet.range((first + 40 - OVERLAP, 2)).value = "L6"  # a hand edit among the last rows: seen
    assert _answers(_trusting(book, memo)) == _truth(book)
    # the log sorted newest first: the end no longer holds the rows remembered there
    wb = LiveWorkbook(book)
    rows = wb.read_records("tblTouches")
    wb.replace_rows("tblTouches", list(reversed(rows)))
    assert _answers(_trusting(book, memo)) == _truth(book)
    # rows deleted: the log is shorter than remembered
    LiveWorkbook(book).replace_rows("tblTouches", rows[:10])
    assert _answers(_trusting(book, memo)) == _truth(book)


def test_a_fresh_click_sees_a_hand_edit_in_the_middle_of_the_log_and_teaches_the_memo(book: fx.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    st = LiveWorkbook(book)._state("tblTouches")
    outcome = st.col0 + st.header.index("Outcome")
    st.sheet.range((st.first + 2, outcome)).value = "dnc-request"  # row 3 of 40: far from the end
    fresh = LiveWorkbook(book, memo)
    assert _answers(fresh) == _truth(book)
    assert len(fresh.records_in("tblTouches", "Outcome", {"dnc-request"}, COLS)) == 2
    assert _answers(_trusting(book, memo)) == _truth(book)  # and the next trusting click knows it too


def test_a_changed_table_layout_empties_the_memo(book: fx.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    st = LiveWorkbook(book)._state("tblTouches")
    st.sheet.range((st.top, st.col0 + len(st.header))).value = "My note"  # the user adds a column to the table
    st.table.resize(st.sheet.range((st.top, st.col0), (st.top + st.body_rows, st.col0 + len(st.header))))
    assert _answers(_trusting(book, memo)) == _truth(book)
    assert "My note" in LiveWorkbook(book).table_columns("tblTouches")


def test_only_append_only_tables_are_ever_trusted(book: fx.Book) -> None:
    memo = SessionMemo()
    wb = LiveWorkbook(book, memo)
    wb.append_rows("tblLeads", [{"LeadId": f"L{i}", "Status": "Working"} for i in range(5)])
    LiveWorkbook(book, memo, trust=("tblLeads",)).read_records("tblLeads", ["LeadId", "Status"])
    st = LiveWorkbook(book)._state("tblLeads")
    st.sheet.range((st.first + 1, st.col0 + st.header.index("Status"))).value = "Dead"
    got = LiveWorkbook(book, memo, trust=("tblLeads",)).read_records("tblLeads", ["LeadId", "Status"])
    assert got[1] == {"LeadId": "L1", "Status": "Dead"}
