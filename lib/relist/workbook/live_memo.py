"""What a running Excel session remembers between clicks: table columns as last read, typed and indexed.

The add-in's Python process stays up between clicks (xlwings' UDF server), and
a year's touch log is 265,000 rows a column. Two uses:

- A table read afresh keeps the typed values of the cells that are exactly as
  they were (same value, same type), so a click re-types only what changed
  or was added since (Today's Queue after a morning of logged touches).
- A click that trusts an append-only table (Log Touch and the touch log)
  reads only the rows added since the last read, after checking that the
  rows it remembers at the end of the table are still there, unchanged; a
  table that shrank, moved or changed its columns is read afresh.

Nothing here talks to Excel: the live adapter fills and consults it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from relist.bulk import changed_rows

OVERLAP = 4
"""Rows at the end of a remembered table read again and compared before the memo is trusted."""

_BOOKS = 2
"""Workbooks remembered at once (the one being worked, and one more)."""


_PLAIN_KINDS = frozenset({str, type(None), datetime, date})
"""Cell types that are equal only to their own kind: columns of these need no type-by-type comparison."""


def kinds_of(cells: Sequence[Any]) -> frozenset[type]:
    return frozenset(map(type, cells))


def same_cells(a: Sequence[Any], b: Sequence[Any], b_kinds: frozenset[type] | None = None) -> bool:
    """Whether two runs of cells are equal value for value and type for type (1.0 and True are not the same cell).

    `b_kinds`: the types found in `b`, when known; if none of them can equal a
    value of another type (text, dates, empty), equal values are enough.
    """
    if len(a) != len(b) or a != b:
        return False
    return (b_kinds is not None and b_kinds <= _PLAIN_KINDS) or list(map(type, a)) == list(map(type, b))


def same_engine_cells(a: Sequence[Any], b: Sequence[Any], b_kinds: frozenset[type]) -> bool:
    """Whether cells read now (`a`) clean to what cells read before (`b`, of types `b_kinds`) cleaned to.

    Equal values are enough unless `b` holds numbers (1.0, True and an error code
    1 are equal but clean differently): text equals only text, and equal dates
    clean to equal naive datetimes whatever their class (an engine tags all its
    dates alike: COM as UTC, AppleScript not at all).
    """
    if len(a) != len(b) or a != b:
        return False
    return all(k is str or k is type(None) or issubclass(k, date) for k in b_kinds) or list(map(type, a)) == list(map(type, b))


def retyped(
    fresh: list[Any],
    old_raw: list[Any] | None,
    old_typed: list[Any] | None,
    convert: Callable[[list[Any]], list[Any]],
    old_kinds: frozenset[type] | None = None,
) -> tuple[list[Any], int, frozenset[type]]:
    """Typed values of `fresh`, reusing `old_typed` for the cells equal to `old_raw`.

    Returns the values, how many leading rows were taken over unchanged from
    the old column (its length when it is a prefix of `fresh`, else 0), and the
    cell types `fresh` may hold (a superset). `convert` types a list of cells
    (the adapter's `typed_column`); `old_kinds` are the types in `old_raw`.
    """
    if old_raw is None or old_typed is None or len(old_raw) != len(old_typed):
        return convert(fresh), 0, kinds_of(fresh)
    n0 = len(old_raw)
    if n0 <= len(fresh) and same_cells(fresh[:n0] if n0 < len(fresh) else fresh, old_raw, old_kinds):
        if n0 == len(fresh):
            return old_typed, n0, old_kinds if old_kinds is not None else kinds_of(fresh)
        tail = fresh[n0:]
        kinds = kinds_of(tail) | (old_kinds if old_kinds is not None else kinds_of(old_raw))
        return old_typed + convert(tail), n0, kinds
    if n0 == len(fresh):
        diff = changed_rows(fresh, old_raw)
        if len(diff) * 4 < n0:
            typed = list(old_typed)
            changed = [fresh[i] for i in diff]
            for i, v in zip(diff, convert(changed), strict=True):
                typed[i] = v
            kinds = kinds_of(changed) | (old_kinds if old_kinds is not None else kinds_of(old_raw))
            return typed, 0, kinds
    return convert(fresh), 0, kinds_of(fresh)


class ColumnIndex:
    """Cell value -> body rows holding it, and the values that are not text (looked at one by one)."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[int]] = {}
        self.odd: set[Any] = set()

    def add(self, raw: Sequence[Any], start: int = 0) -> ColumnIndex:
        """Index the cells from row `start` on."""
        rows, odd = self.rows, self.odd
        for i in range(start, len(raw)):
            v = raw[i]
            try:
                bucket = rows.get(v)
            except TypeError:  # an unhashable cell value: index it by its text
                v = str(v)
                bucket = rows.get(v)
            if bucket is None:
                rows[v] = [i]
                if v is not None and v.__class__ is not str:
                    odd.add(v)
            else:
                bucket.append(i)
        return self


@dataclass
class TableMemo:
    """One table as last read: where it sat, its rows, its columns' cells (raw and typed), indexes of some columns."""

    header: tuple[str, ...]
    origin: tuple[str, int, int]
    """Sheet name, first body row and first column."""
    rows: int = 0
    raw: dict[str, list[Any]] = field(default_factory=dict)
    typed: dict[str, list[Any]] = field(default_factory=dict)
    cells: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    """Column -> its cells as the engine handed them over (`raw` is them cleaned): a read equal to these
    needs no cleaning (see `same_engine_cells`)."""
    cell_kinds: dict[str, frozenset[type]] = field(default_factory=dict)
    kinds: dict[str, frozenset[type]] = field(default_factory=dict)
    """Column -> the cell types it may hold (a superset): see `same_cells`."""
    indexes: dict[str, ColumnIndex] = field(default_factory=dict)
    present: list[int] = field(default_factory=list)
    """Rows whose presence cell has a value, among the first `present_rows` of `present_of` (see `rows_present`)."""
    present_rows: int = 0
    present_of: list[Any] | None = None

    def rows_present(self, cells: list[Any]) -> list[int]:
        """Rows of the presence column `cells` that have a value: only rows added since the last call are looked at."""
        if self.present_of is not cells or self.present_rows > len(cells):
            self.present, self.present_rows, self.present_of = [], 0, cells
        n = len(cells)
        if self.present_rows < n:
            start = self.present_rows
            self.present = self.present + [i for i in range(start, n) if cells[i] not in (None, "")]
            self.present_rows = n
        return self.present

    def index(self, name: str) -> ColumnIndex:
        """Value -> rows of a remembered column (built on first use, kept as rows are added)."""
        got = self.indexes.get(name)
        if got is None:
            got = self.indexes[name] = ColumnIndex().add(self.raw[name])
        return got

    def resize(self, rows: int) -> None:
        """The table now has `rows` rows: forget every column of another length."""
        if rows != self.rows:
            for name in [n for n, v in self.raw.items() if len(v) != rows]:
                self.forget(name)
            self.rows = rows

    def forget(self, name: str) -> None:
        self.raw.pop(name, None)
        self.typed.pop(name, None)
        self.cells.pop(name, None)
        self.cell_kinds.pop(name, None)
        self.kinds.pop(name, None)
        self.indexes.pop(name, None)


class SessionMemo:
    """Tables remembered per workbook (by its full name) across clicks of one Excel session."""

    def __init__(self) -> None:
        self._books: OrderedDict[str, dict[str, TableMemo]] = OrderedDict()
        self._slots: dict[str, dict[str, Any]] = {}

    def _tables(self, book: str) -> dict[str, TableMemo]:
        tables = self._books.get(book)
        if tables is None:
            tables = self._books[book] = {}
            while len(self._books) > _BOOKS:
                gone, _ = self._books.popitem(last=False)
                self._slots.pop(gone, None)
        else:
            self._books.move_to_end(book)
        return tables

    def slot(self, book: str, name: str, make: Callable[[], Any]) -> Any:
        """Something a service keeps for a workbook between clicks (made by `make` the first time)."""
        self._tables(book)
        slots = self._slots.setdefault(book, {})
        if name not in slots:
            slots[name] = make()
        return slots[name]

    def table(self, book: str, table: str, header: Sequence[str], origin: tuple[str, int, int]) -> TableMemo:
        """The memo of a table, emptied when the table's columns or place changed since."""
        tables = self._tables(book)
        got = tables.get(table)
        if got is None or got.header != tuple(header) or got.origin != origin:
            got = tables[table] = TableMemo(tuple(header), origin)
        return got

    def drop(self, book: str, table: str) -> None:
        """Forget a table (its cells were changed by this click in place)."""
        tables = self._books.get(book)
        if tables is not None:
            tables.pop(table, None)

    def clear(self) -> None:
        self._books.clear()
        self._slots.clear()


SESSION = SessionMemo()
"""The memo of this process: the add-in's Python stays up for the whole Excel session."""
