"""The session memo's pure parts: exact cell comparison, re-typing only what changed, indexes kept as rows are added."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from relist.workbook.live_memo import (
    ColumnIndex,
    SessionMemo,
    TableMemo,
    changed_rows,
    retyped,
    same_cells,
)

cells = st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(-3, 3).map(float), st.booleans(),
                           st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 1, 3))), max_size=30)


def _convert(calls: list[int]) -> Any:
    def convert(values: list[Any]) -> list[Any]:
        calls.append(len(values))
        return [(type(v).__name__, v) for v in values]
    return convert


def test_a_number_and_a_boolean_are_different_cells() -> None:
    assert [1.0] == [True]
    assert not same_cells([1.0], [True])
    assert not same_cells([1.0], [True], frozenset({bool}))
    assert same_cells(["a", None], ["a", None], frozenset({str, type(None)}))
    assert changed_rows([1.0, "a", None], [True, "a", None]) == [0]


@settings(max_examples=200, deadline=None)
@given(old=cells, fresh=cells)
def test_retyped_is_typing_afresh(old: list[Any], fresh: list[Any]) -> None:
    calls: list[int] = []
    convert = _convert(calls)
    for kinds in (None, frozenset(map(type, old))):
        got, kept, new_kinds = retyped(fresh, old, convert(old), convert, kinds)
        assert got == [(type(v).__name__, v) for v in fresh]
        assert set(map(type, fresh)) <= new_kinds
    assert kept == (len(old) if len(old) <= len(fresh) and same_cells(fresh[: len(old)], old) else 0)


def test_retyped_types_only_what_is_new_or_changed() -> None:
    old = [f"L{i}" for i in range(100)]
    calls: list[int] = []
    convert = _convert(calls)
    typed = convert(old)
    calls.clear()
    retyped([*old, "L100", "L101"], old, typed, convert)
    assert calls == [2]
    calls.clear()
    edited = list(old)
    edited[40] = 40.0
    got, kept, _kinds = retyped(edited, old, typed, convert)
    assert calls == [1] and kept == 0 and got[40] == ("float", 40.0)
    calls.clear()
    assert retyped(old, None, None, convert)[1] == 0 and calls == [100]


def test_an_index_grows_with_the_rows_and_keeps_cells_that_are_not_text() -> None:
    raw: list[Any] = ["L1", "L2", None, "L1", 17.0]
    index = ColumnIndex().add(raw)
    assert index.rows == {"L1": [0, 3], "L2": [1], None: [2], 17.0: [4]} and index.odd == {17.0}
    raw += ["L2", ["a list"]]
    index.add(raw, 5)
    assert index.rows["L2"] == [1, 5] and index.rows["['a list']"] == [6]


def test_the_memo_forgets_a_table_that_moved_or_changed_columns_and_old_workbooks() -> None:
    memo = SessionMemo()
    t = memo.table("a.xlsx", "tblTouches", ["TouchId", "LeadId"], ("Touches", 2, 1))
    t.raw["TouchId"], t.rows = ["T1"], 1
    assert memo.table("a.xlsx", "tblTouches", ["TouchId", "LeadId"], ("Touches", 2, 1)) is t
    assert memo.table("a.xlsx", "tblTouches", ["TouchId", "LeadId", "Mine"], ("Touches", 2, 1)).raw == {}
    assert memo.table("a.xlsx", "tblTouches", ["TouchId", "LeadId", "Mine"], ("Touches", 3, 1)).raw == {}
    kept = memo.table("a.xlsx", "tblLeads", ["LeadId"], ("Leads", 2, 1))
    memo.table("b.xlsx", "tblLeads", ["LeadId"], ("Leads", 2, 1))
    memo.table("c.xlsx", "tblLeads", ["LeadId"], ("Leads", 2, 1))
    assert memo.table("a.xlsx", "tblLeads", ["LeadId"], ("Leads", 2, 1)) is not kept  # only two workbooks are remembered


def test_rows_present_looks_only_at_new_rows() -> None:
    t = TableMemo(("TouchId",), ("Touches", 2, 1))
    cells: list[Any] = ["T1", None, "T3"]
    assert t.rows_present(cells) == [0, 2]
    cells += ["", "T5"]
    assert t.rows_present(cells) == [0, 2, 4]
    assert t.rows_present(["T1"]) == [0]  # another list: counted afresh
