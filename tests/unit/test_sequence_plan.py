"""The Sequence sheet: parsing, refusal of bad edits by row, and the last good plan kept in force."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from relist import schema
from relist.errors import SequenceError
from relist.sequence import service
from relist.sequence.defaults import DEFAULT_SEQUENCE_ROWS
from relist.sequence.plan import default_plan, parse_plan, plan_from_json
from relist.workbook.memory import MemoryWorkbook


def rows() -> list[dict[str, Any]]:
    return [dict(r) for r in DEFAULT_SEQUENCE_ROWS]


def test_default_plan_is_the_playbook_in_day_order() -> None:
    plan = default_plan()
    assert [(s.step, s.channel, s.day_offset) for s in plan.steps] == [
        (1, "call", 0),
        (2, "text", 0),
        (3, "call", 1),
        (4, "letter", 2),
        (5, "door", 4),
        (6, "call", 6),
        (7, "email", 8),
        (8, "call", 10),
    ]
    assert [(s.step, s.channel, s.repeat_every_days) for s in plan.nurture] == [(9, "call", 30), (10, "letter", 60)]


def test_round_trip_through_json_and_sheet_records() -> None:
    plan = default_plan()
    assert plan_from_json(plan.to_json()) == plan
    assert parse_plan(plan.to_records()) == plan


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"Channel": "fax"}, "row 4 (Step 3): channel 'fax' is not one of call, text, letter, door, email"),
        ({"DayOffset": -2}, "row 4 (Step 3): Day -2 is negative"),
        ({"Step": 1}, "row 4 (Step 1): Step 1 is already used on row 2"),
        ({"Step": None}, "row 4: Step is blank"),
        ({"DayOffset": "soon"}, "row 4 (Step 3): Day 'soon' is not a whole number"),
        ({"TimeOfDay": "teatime"}, "row 4 (Step 3): Time 'teatime' is not a time"),
        ({"RepeatEveryDays": 0}, "row 4 (Step 3): Repeat every (days) 0 must be a whole number of days"),
    ],
)
def test_a_bad_row_is_refused_by_name(change: dict[str, Any], expected: str) -> None:
    data = rows()
    data[2].update(change)  # sheet row 4 (header is row 1)
    with pytest.raises(SequenceError) as info:
        parse_plan(data)
    assert expected in info.value.message
    assert "previous sequence" in info.value.hint


def test_every_bad_row_is_named_at_once() -> None:
    data = rows()
    data[0]["Channel"] = "pigeon"
    data[4]["DayOffset"] = -1
    with pytest.raises(SequenceError) as info:
        parse_plan(data)
    assert "row 2 (Step 1)" in info.value.message and "row 6 (Step 5)" in info.value.message


def test_blank_rows_are_ignored_and_text_cells_are_read() -> None:
    data = [{"Step": "1", "Channel": " Call ", "DayOffset": "0", "TimeOfDay": "9:30"}, {"Step": None, "Channel": "", "DayOffset": None}]
    plan = parse_plan(data)
    assert plan.steps[0].channel == "call" and plan.steps[0].time_of_day == time(9, 30)


def test_an_empty_sheet_is_refused() -> None:
    with pytest.raises(SequenceError, match="no steps"):
        parse_plan([])


def test_a_bad_edit_keeps_the_last_good_plan_in_force() -> None:
    book = MemoryWorkbook()
    edited = rows()
    edited[0]["TalkingPoint"] = "My own opener."
    book.replace_rows("tblSequence", edited)
    good = service.load_plan(book)
    assert good.warning == "" and good.plan.step(1) is not None
    assert good.plan.step(1).talking_point == "My own opener."  # type: ignore[union-attr]
    broken = [dict(r) for r in edited]
    broken[3]["Channel"] = "carrier pigeon"
    book.replace_rows("tblSequence", broken)
    loaded = service.load_plan(book)
    assert loaded.plan == good.plan
    assert "row 5 (Step 4)" in loaded.warning and "carrier pigeon" in loaded.warning
    assert book.cells[schema.META_SHEET]["A10"] == "sequence_last_good"


def test_a_bad_edit_with_nothing_stored_falls_back_to_the_defaults() -> None:
    book = MemoryWorkbook()
    broken = rows()
    broken[0]["DayOffset"] = -5
    book.replace_rows("tblSequence", broken)
    loaded = service.load_plan(book)
    assert loaded.plan == default_plan() and "negative" in loaded.warning


def test_save_plan_refuses_a_bad_plan_and_leaves_the_sheet_alone() -> None:
    book = MemoryWorkbook()
    before = [dict(r) for r in book.tables["tblSequence"]]
    bad = rows()
    bad[1]["Step"] = 3
    with pytest.raises(SequenceError, match="Step 3 is already used"):
        service.save_plan(book, bad)
    assert book.tables["tblSequence"] == before and book.saved == 0
    added = [*rows(), {"Step": 11, "Channel": "email", "DayOffset": 14, "Name": "Second email"}]
    plan = service.save_plan(book, added)
    assert plan.step(11) is not None and book.saved == 1 and len(book.tables["tblSequence"]) == 11
