"""The live adapter: the Relist workbook open in Excel, through an xlwings Book handed to it.

It never imports xlwings: it drives the xlwings Book it is given (in tests,
real xlwings objects over the in-memory engine of tests/fakes/xl_engine.py),
touching only what `xlwings.main` defines: Book/Sheet/Range/Table `value`,
`options(ndim=2)`, `options("raw")`, `address`, `resize`, `selection`, `pictures`,
`add_hyperlink`, `fullname`, `save`, `app.alert`, `app.status_bar` and
`app.engine`.

Table bodies are read raw (xlwings' "raw" converter: the engine's own values,
in xlwings' chunks) and cleaned here, column by column, to exactly what
xlwings' converted read gives (`clean_cells`): xlwings' cleaning is a
function call per cell, and a year's workbook is six million cells a click.
The session memo keeps the raw cells with the cleaned ones, so an unchanged
column costs one comparison in C.

Each Excel call is a round trip to another process, so reads fetch only the
columns asked for (one call per column, or one for the whole table when most
are wanted) and remember them for the rest of the click; writes go in
contiguous blocks. A row counts when its key column (the first column for
keyless tables) has a value.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relist import schema
from relist.bulk import paused_gc
from relist.errors import NotARelistWorkbook, WorkbookError
from relist.workbook.live_memo import (
    OVERLAP,
    ColumnIndex,
    SessionMemo,
    TableMemo,
    kinds_of,
    retyped,
    same_cells,
    same_engine_cells,
)
from relist.workbook.package import split_ref
from relist.workbook.port import (
    Record,
    Selection,
    check_columns,
    coerce,
    link_target,
    meta_version,
    missing_columns,
    phone_reader,
    shown_phone,
)

if TYPE_CHECKING:
    import pandas as pd

_WHOLE_READ_SHARE = 0.5  # read the whole table in one call when more than this share of columns is wanted
_RUNS_PER_COLUMN = 64  # more separate runs than this in one column: rewrite the column's span in one call


def _round_second(value: datetime) -> datetime:
    """Excel keeps times as fractions of a day; round the float noise to the nearest second."""
    micro = value.microsecond
    value = value.replace(microsecond=0)
    return value + timedelta(seconds=1) if micro >= 500_000 else value


def shows_time(number_format: str) -> bool:
    """Whether an Excel number format shows a time of day (hours or seconds outside quotes and brackets)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format)
    return bool(re.search(r"[hHsS]|AM/PM", plain))


def _excel_value(col: schema.Column | None, value: Any) -> Any:
    """A port value as the cell value Excel should hold (Yes/No for bools, day fractions for times)."""
    if value is None or value == "":
        return None
    if value.__class__ is str and value[0] in _PREFIXED:
        return "'" + value  # text, not a formula: Excel keeps the text after the apostrophe (its prefix character)
    if col is not None and col.type == "bool" and isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


_PREFIXED = ("=", "'")
"""First characters of text Excel would take as a formula (=) or as its own text prefix (')."""

_HYPERLINK = re.compile(r'^=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)$')
_FORMULA_TEXT_LIMIT = 255  # Excel's limit for a text argument of a formula


def hyperlink_formula(target: str, text: str) -> str | None:
    """=HYPERLINK("target","text"), or None when either is too long for a formula."""
    if len(target) > _FORMULA_TEXT_LIMIT or len(text) > _FORMULA_TEXT_LIMIT:
        return None
    return '=HYPERLINK("{}","{}")'.format(target.replace('"', '""'), text.replace('"', '""'))


def shown(value: Any) -> Any:
    """What Excel shows for a value written to a cell (the text of a HYPERLINK formula, text after its ' prefix)."""
    if isinstance(value, str) and value:
        if value[0] == "'":
            return value[1:]
        if value.startswith("=HYPERLINK("):
            m = _HYPERLINK.match(value)
            if m:
                return m.group(1).replace('""', '"')
    return value


def to_cell(col: schema.Column | None, value: Any) -> Any:
    """The cell value for a port value; link columns become HYPERLINK formulas (no extra round trip)."""
    if col is not None and col.us_phone and isinstance(value, str):
        value = shown_phone(value)
    out = _excel_value(col, value)
    if col is not None and col.type == "link" and out is not None:
        target = link_target(col, out)
        if target:
            return hyperlink_formula(target, str(out)) or out
    return out


def cell_writer(col: schema.Column | None) -> Any:
    """to_cell for one column, with a fast path for plain text and numbers."""
    if col is None or (col.type in ("text", "int", "float", "money", "pct") and not col.us_phone):
        return lambda v: v if (type(v) is str and v != "" and v[0] not in _PREFIXED) or type(v) in (float, int) else to_cell(col, v)
    return lambda v: to_cell(col, v)


def from_cell(col: schema.Column | None, value: Any) -> Any:
    """A cell value xlwings returned, typed by the schema (user columns pass through)."""
    if isinstance(value, datetime):
        value = _round_second(value)
    if col is None:
        return None if value == "" else value
    return coerce(col, value)


def converter(col: schema.Column | None) -> Any:
    """from_cell for one column, with fast paths for values already of the column's type."""
    if col is None:
        return lambda v: None if v == "" else (_round_second(v) if type(v) is datetime else v)
    t = col.type
    if col.us_phone:
        return phone_reader()
    if t in ("text", "link"):
        return lambda v: v if (type(v) is str and v != "") else (None if v is None else from_cell(col, v))
    if t in ("float", "money", "pct"):
        return lambda v: v if type(v) is float else (None if v is None else from_cell(col, v))
    if t == "int":
        return lambda v: int(round(v)) if type(v) is float else (None if v is None else from_cell(col, v))
    if t == "datetime":
        return lambda v: (v if v.microsecond == 0 else _round_second(v)) if type(v) is datetime else (
            None if v is None else from_cell(col, v))
    if t == "date":
        return lambda v: v.date() if type(v) is datetime else (None if v is None else from_cell(col, v))
    if t == "bool":
        fixed = {"Yes": True, "No": False}
        return lambda v: fixed[v] if v in fixed else (None if v is None else from_cell(col, v))
    return lambda v: None if v is None else from_cell(col, v)


def typed_column(col: schema.Column | None, raw: Sequence[Any]) -> list[Any]:
    """`converter` over a whole column, the common cells (already of the column's type, or empty) kept inline.

    A year's touch log is 265,000 cells per column: a function call per cell
    costs more than the comparison that decides the cell needs none.
    """
    conv = converter(col)
    t = None if col is None else col.type
    if col is not None and col.us_phone:
        return [None if v is None else conv(v) for v in raw]
    if t in ("text", "link"):
        return [v if v is None or (v.__class__ is str and v) else conv(v) for v in raw]
    if t in ("float", "money", "pct"):
        return [v if v is None or v.__class__ is float else conv(v) for v in raw]
    if t == "datetime":
        return [v if v is None or (v.__class__ is datetime and not v.microsecond) else conv(v) for v in raw]
    if t == "int":
        return [None if v is None else int(round(v)) if v.__class__ is float else conv(v) for v in raw]
    if t == "date":
        return [None if v is None else v.date() if v.__class__ is datetime else conv(v) for v in raw]
    if t == "bool":
        return [None if v is None else True if v == "Yes" and v.__class__ is str else False if v == "No" and v.__class__ is str else conv(v)
                for v in raw]
    return [None if v is None else conv(v) for v in raw]


_KEPT_KINDS: frozenset[type] = frozenset({float, bool, type(None), datetime})
"""Cell types xlwings' cleaning leaves as they are (a naive datetime is what AppleScript hands over)."""
_TEXT_KINDS: frozenset[type] = _KEPT_KINDS | {str}


def engine_rows(rng: Any) -> Sequence[Sequence[Any]]:
    """A range's cells as the engine hands them over, as rows: xlwings' "raw" converter (its chunked reads, no cleaning).

    COM hands over a tuple of row tuples, AppleScript a list of row lists; a
    single cell is a scalar and a single row may be flat.
    """
    raw = rng.options("raw").value
    if not isinstance(raw, (list, tuple)):
        return [[raw]]
    if raw and not isinstance(raw[0], (list, tuple)):
        return [raw] if rng.shape[0] == 1 else [[v] for v in raw]
    return raw


def clean_cells(cells: Sequence[Any], kinds: frozenset[type], odd: Callable[[Any], Any]) -> list[Any]:
    """Engine cells as xlwings' converted read gives them (its engines' `clean_value_data` with the default options).

    Empty cells ("" from AppleScript, None from COM) become None; dates become
    naive datetimes (COM's pywintypes datetimes are tagged UTC, and rebuilt as
    `_xlwindows._com_time_to_datetime` does); numbers, booleans and text stay
    as they are. Any other cell (a COM error code, Currency) goes to `odd`,
    which asks the engine itself. `kinds`: the types in `cells`. The common
    columns (no text, or text and no other odd cell) cost one pass in C or a
    comprehension, not a function call per cell.
    """
    if kinds <= _KEPT_KINDS:
        return list(cells)
    if kinds <= _TEXT_KINDS:
        return [(v or None) if v.__class__ is str else v for v in cells]

    def one(v: Any) -> Any:
        if v.__class__ is str:
            return v or None
        if isinstance(v, datetime):
            return datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)
        return odd(v)

    return [v if v.__class__ in _KEPT_KINDS else one(v) for v in cells]


_PRESENCE = {"tblMappings": "Header"}
"""Keyless tables whose first column may be blank in a real row: a mapping for every vendor has no Vendor."""


@dataclass
class _Table:
    """One product table as found in the open workbook, plus what this click has read of it."""

    spec: schema.TableSheet
    sheet: Any
    table: Any
    header: list[str]
    col0: int  # sheet column of the first table column
    top: int  # sheet row of the header
    body_rows: int  # rows in the data body
    presence: str  # column whose value makes a row count
    columns: dict[str, list[Any]] = field(default_factory=dict)  # values as Excel shows them, one per body row
    typed: dict[str, list[Any]] = field(default_factory=dict)  # the same, typed by the schema
    present: list[int] | None = None  # body rows that count, while the presence column is unchanged
    shared: set[str] = field(default_factory=set)  # columns whose lists are the session memo's own: copy before changing
    checked: bool = False  # this click found the end of the table as the session memo remembers it (trusted tables)

    @property
    def first(self) -> int:
        return self.top + 1

    def position(self, name: str) -> int:
        """Sheet column of a table column."""
        return self.col0 + self.header.index(name)

    def mutable(self, name: str) -> list[Any] | None:
        """A column's cached cells, made this click's own before a write changes them (None when not cached)."""
        raw = self.columns.get(name)
        if raw is not None and name in self.shared:
            raw = self.columns[name] = list(raw)
            self.shared.discard(name)
        return raw

    def forget(self, name: str | None = None) -> None:
        """Drop typed values computed from changed cells."""
        if name is None:
            self.typed.clear()
        else:
            self.typed.pop(name, None)
        if name is None or name == self.presence:
            self.present = None


class LiveWorkbook:
    """A Relist workbook open in Excel, behind the workbook port."""

    def __init__(self, book: Any, memo: SessionMemo | None = None, trust: Collection[str] = ()) -> None:
        """`memo`: what this Excel session remembers between clicks (see live_memo); `trust`: append-only
        tables this click may take from the memo after checking only the rows at their end."""
        self.book = book
        self._memo = memo
        self._trust = frozenset(trust)
        self.fullname, self.cloud = _fullname(book)
        self._book_key = self.fullname or str(book.name)
        self.messages: list[tuple[str, str]] = []
        self.selected_rows: list[int] = []  # body-row indexes of the records the last selection() returned
        self._sheets = {s.name: s for s in book.sheets}
        self._check_product()
        self._tables: dict[str, _Table] = {}
        for sheet in self._sheets.values():
            for t in sheet.tables:
                spec = _SPECS.get(t.name.lower())
                if spec is not None:
                    self._tables[spec.table] = described = self._describe(spec, sheet, t)
                    refusal = missing_columns(str(book.name), spec, described.header)
                    if refusal is not None:
                        raise refusal
        missing = [t.table for t in schema.TABLE_SHEETS if t.table not in self._tables]
        if missing:
            raise NotARelistWorkbook(
                f"{book.name} is missing Relist tables {', '.join(missing)} (renamed or deleted?).",
                "Rename the table back (Table Design > Table Name) or restore a backup of the workbook.",
            )

    @property
    def path(self) -> Path | None:
        """The workbook's file, or None for a workbook never saved or on OneDrive/SharePoint without a synced local copy."""
        if self.cloud or not self.fullname:
            return None
        p = Path(self.fullname)
        return p if p.is_absolute() else None  # as book_file()

    def no_path_refusal(self) -> WorkbookError | None:
        """Why this workbook has no file Relist can save next to, as the refusal to show; None when it has one."""
        if self.path is not None:
            return None
        name = self.book.name
        if self.cloud:
            return WorkbookError(
                f"{name} is on OneDrive or SharePoint without a copy synced to this computer, "
                "so Relist cannot save it or keep its files next to it.",
                "Save it to a local or synced folder first (File > Save As, e.g. Documents), then click again.",
            )
        return WorkbookError(
            f"{name} has never been saved, so it has no folder for Relist's files and saving it would put it "
            "wherever Python happens to run.",
            "Save it first (File > Save As, e.g. in Documents), then click again.",
        )

    # ---------------------------------------------------------------- opening

    def _check_product(self) -> None:
        name = self.book.name
        meta_sheet = self._sheets.get(schema.META_SHEET)
        if meta_sheet is None:
            raise NotARelistWorkbook(
                f"{name} is not a Relist workbook.",
                "Open your Relist workbook (make one with: relist init PATH), then click the button again.",
            )
        rows = meta_sheet.range("A1:B10").options(ndim=2).value
        meta = {str(r[0]): r[1] for r in rows if r[0] not in (None, "")}
        version = meta_version(name, meta, "Open your Relist workbook and click again.")
        if version < schema.SCHEMA_VERSION:
            raise WorkbookError(
                f"{name} is an older Relist workbook (version {version}) that needs upgrading to version {schema.SCHEMA_VERSION}.",
                "Save and close it, run any relist command on it once (e.g. relist today --workbook PATH), then reopen it.",
            )
        self.schema_version = version

    @staticmethod
    def _describe(spec: schema.TableSheet, sheet: Any, table: Any) -> _Table:
        whole = table.range
        header = spec.fields([str(h) if h is not None else "" for h in table.header_row_range.options(ndim=2).value[0]])
        body = table.data_body_range
        rows = 0 if body is None else body.shape[0]
        first = _PRESENCE.get(spec.table, spec.names[0])
        presence = spec.key if spec.key in header else (first if first in header else header[0])
        return _Table(spec, sheet, table, header, whole.column, whole.row, rows, presence)

    def _state(self, table: str) -> _Table:
        spec = schema.table(table)
        return self._tables[spec.table]

    def table_columns(self, table: str) -> list[str]:
        """The table's columns as the workbook has them (schema columns plus user columns)."""
        return list(self._state(table).header)

    # ---------------------------------------------------------------- reading

    def _fetch(self, st: _Table, names: Sequence[str]) -> None:
        """Make sure the raw values of these columns are in the click's cache.

        A column of a year's touch log is 200,000+ small lists as xlwings hands
        it over; the cyclic garbage collector is paused while they are made
        (they hold no cycles: reference counting frees them), else its full
        passes over the whole process cost more than the read itself.
        """
        want = [n for n in dict.fromkeys(names) if n not in st.columns]
        if not want or st.body_rows == 0:
            for n in want:
                st.columns[n] = []
            return
        with paused_gc():
            self._fetch_columns(st, want)

    def _fetch_columns(self, st: _Table, want: Sequence[str]) -> None:
        memo = self._memo_of(st)
        if memo is not None and st.spec.table in self._trust and st.spec.append_only and self._from_memo(st, memo, want):
            return
        last = st.first + st.body_rows - 1
        read: dict[str, tuple[tuple[Any, ...], frozenset[type]]] = {}  # column -> its engine cells and their types
        if len(want) > _WHOLE_READ_SHARE * len(st.header):
            rows = engine_rows(st.sheet.range((st.first, st.col0), (last, st.col0 + len(st.header) - 1)))
            for n, cells in zip(st.header, zip(*rows, strict=True), strict=True):
                if n not in st.columns:
                    st.columns[n] = self._cleaned(memo, n, cells, read)
        else:
            for n in want:
                c = st.position(n)
                (cells,) = zip(*engine_rows(st.sheet.range((st.first, c), (last, c))), strict=True)
                st.columns[n] = self._cleaned(memo, n, cells, read)
        if memo is not None:
            self._remember(st, memo, read)

    def _cleaned(self, memo: TableMemo | None, name: str, cells: tuple[Any, ...],
                 read: dict[str, tuple[tuple[Any, ...], frozenset[type]]]) -> list[Any]:
        """A column's engine cells as xlwings would clean them: the memo's list when the cells are as it remembers."""
        if memo is not None:
            old, kinds = memo.cells.get(name), memo.cell_kinds.get(name)
            was = memo.raw.get(name)
            if old is not None and kinds is not None and was is not None and len(was) == len(old):
                n0 = len(old)
                if n0 == len(cells) and same_engine_cells(cells, old, kinds):
                    read[name] = (old, kinds)
                    return was
                if 0 < n0 < len(cells) and same_engine_cells(cells[:n0], old, kinds):  # rows added at the end: clean only those
                    more = cells[n0:]
                    more_kinds = kinds_of(more)
                    read[name] = (old + more, kinds | more_kinds)
                    return was + clean_cells(more, more_kinds, self._odd_cell)
        kinds = kinds_of(cells)
        read[name] = (cells, kinds)
        return clean_cells(cells, kinds, self._odd_cell)

    def _odd_cell(self, value: Any) -> Any:
        """One cell of a type Relist does not clean itself, cleaned by the engine as xlwings' converted read would."""
        impl = self.book.app.engine.impl
        return impl.clean_value_data([[value]], datetime, None, None, False)[0][0]

    # ---------------------------------------------------------------- the session memo

    def session_slot(self, name: str, make: Callable[[], Any]) -> Any:
        """An object kept for this workbook across the clicks of this Excel session (None without a session memo).

        Whoever keeps something here must check it against what it reads
        before using it (see sequence.reuse): the workbook may have changed
        in any way between clicks.
        """
        if self._memo is None:
            return None
        return self._memo.slot(self._book_key, name, make)

    def _memo_of(self, st: _Table) -> TableMemo | None:
        if self._memo is None:
            return None
        return self._memo.table(self._book_key, st.spec.table, st.header, (st.sheet.name, st.first, st.col0))

    def _remember(self, st: _Table, memo: TableMemo, read: Mapping[str, tuple[tuple[Any, ...], frozenset[type]]]) -> None:
        """Columns just read afresh: typed reusing what the memo had for unchanged cells, then remembered
        (with the engine cells they were cleaned from)."""
        cols = _COLUMNS[st.spec.table]
        old_rows = memo.rows
        for n, (cells, cell_kinds) in read.items():
            fresh = st.columns[n]
            old_raw, old_typed = memo.raw.get(n), memo.typed.get(n)
            typed, kept, kinds = retyped(fresh, old_raw, old_typed, functools.partial(typed_column, cols.get(n)), memo.kinds.get(n))
            if old_raw is not None and kept == len(fresh) == len(old_raw):
                st.columns[n] = fresh = old_raw  # unchanged: keep the remembered list (the fresh one is freed at once)
            index = memo.indexes.get(n) if kept and kept == old_rows else None
            memo.forget(n)
            memo.raw[n], memo.typed[n], memo.kinds[n] = fresh, typed, kinds
            memo.cells[n], memo.cell_kinds[n] = cells, cell_kinds
            if index is not None:
                index.add(fresh, kept)
                memo.indexes[n] = index
            st.typed[n] = typed
            st.shared.add(n)
        memo.resize(st.body_rows)

    def _from_memo(self, st: _Table, memo: TableMemo, want: Sequence[str]) -> bool:
        """Take `want` from the memo of an append-only table, reading only the rows added since (see live_memo).

        The memo's last OVERLAP rows are read again with the new ones and must
        be exactly as remembered; else (or when the table shrank) the memo is
        dropped and the caller reads afresh.
        """
        n0, n = memo.rows, st.body_rows
        if n0 == 0 or n0 > n or not memo.raw:
            return False
        if st.checked and n0 == n:  # this click already checked the end of the table
            self._columns_from_memo(st, memo, want)
            return True
        k = min(OVERLAP, n0)
        rows = engine_rows(st.sheet.range((st.first + n0 - k, st.col0), (st.first + n - 1, st.col0 + len(st.header) - 1)))
        cols = _COLUMNS[st.spec.table]
        added: dict[str, list[Any]] = {}
        added_cells: dict[str, tuple[Any, ...]] = {}
        for c in memo.raw:
            i = st.header.index(c)
            cells = tuple(row[i] for row in rows)
            tail = clean_cells(cells, kinds_of(cells), self._odd_cell)
            if not same_cells(tail[:k], memo.raw[c][n0 - k :]):  # a few cells: compared type by type
                assert self._memo is not None
                self._memo.drop(self._book_key, st.spec.table)
                return False
            added[c], added_cells[c] = tail[k:], cells[k:]
        for c, more in added.items():
            if more:
                old_cells = memo.cells.pop(c, None)
                old_kinds = memo.cell_kinds.pop(c, None)
                if old_cells is not None and old_kinds is not None and len(old_cells) == n0:  # the engine cells follow
                    memo.cells[c] = old_cells + added_cells[c]
                    memo.cell_kinds[c] = old_kinds | kinds_of(added_cells[c])
                memo.raw[c].extend(more)
                memo.typed[c].extend(typed_column(cols.get(c), more))  # rows are only ever added: what callers saw stays as it was
                if c in memo.kinds:
                    memo.kinds[c] = memo.kinds[c] | kinds_of(more)
                if c in memo.indexes:
                    memo.indexes[c].add(memo.raw[c], n0)
        memo.rows = n
        st.checked = True
        self._columns_from_memo(st, memo, want)
        return True

    def _columns_from_memo(self, st: _Table, memo: TableMemo, want: Sequence[str]) -> None:
        """The memo's columns into this click's cache; wanted ones it never had are read whole and remembered."""
        cols = _COLUMNS[st.spec.table]
        n = memo.rows
        for c in want:
            if c not in memo.raw:
                pos = st.position(c)
                (cells,) = zip(*engine_rows(st.sheet.range((st.first, pos), (st.first + n - 1, pos))), strict=True)
                memo.raw[c] = clean_cells(cells, kinds_of(cells), self._odd_cell)
                memo.typed[c] = typed_column(cols.get(c), memo.raw[c])
        for c in [c for c in memo.raw if c not in st.columns]:
            st.columns[c] = memo.raw[c]
            st.typed[c] = memo.typed[c]
            st.shared.add(c)

    def _memo_index(self, st: _Table, column: str) -> ColumnIndex | None:
        """Value -> rows of a column whose cells this click took from the memo unchanged, else None."""
        if self._memo is None or column not in st.shared:
            return None
        memo = self._memo_of(st)
        if memo is None or memo.raw.get(column) is not st.columns.get(column):
            return None
        return memo.index(column)

    def _memo_changed(self, st: _Table, first_row: int | None = None) -> None:
        """This click writes into an append-only table: forget its memo unless only rows past the remembered ones change."""
        if self._memo is None or not st.spec.append_only:
            return  # other tables are only ever taken from the memo after comparing every cell
        memo = self._memo_of(st)
        if memo is not None and (first_row is None or first_row < memo.rows):
            self._memo.drop(self._book_key, st.spec.table)

    def _present(self, st: _Table) -> list[int]:
        """Body-row indexes of the rows that count."""
        if st.present is None or st.presence not in st.columns:
            self._fetch(st, [st.presence])
            raw = st.columns[st.presence]
            memo = self._memo_of(st) if st.presence in st.shared else None
            if memo is not None and memo.raw.get(st.presence) is raw:  # the memo's own cells: it knows their rows
                st.present = memo.rows_present(raw)
            else:
                st.present = [i for i, v in enumerate(raw) if v not in (None, "")]
        return st.present

    def _typed(self, st: _Table, name: str) -> list[Any]:
        got = st.typed.get(name)
        if got is None:
            got = st.typed[name] = typed_column(_COLUMNS[st.spec.table].get(name), st.columns[name])
        return got

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[Record]:
        st = self._state(table)
        names = list(columns) if columns is not None else list(st.header)
        unknown = [n for n in names if n not in st.header]
        if unknown:
            raise KeyError(f"{st.spec.table} has no column(s) {unknown}")
        self._fetch(st, [st.presence, *names])
        with paused_gc():  # a record per row: hundreds of thousands of dicts (see _fetch)
            rows = self._present(st)
            values = [self._typed(st, n) for n in names]
            if len(rows) == len(st.columns[st.presence]):
                return [dict(zip(names, vals, strict=True)) for vals in zip(*values, strict=True)] if names else [{} for _ in rows]
            return [{n: v[i] for n, v in zip(names, values, strict=True)} for i in rows]

    def read_frame(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        import pandas as pd

        st = self._state(table)
        cols = list(columns) if columns is not None else list(st.header)
        return pd.DataFrame(self.read_records(table, columns), columns=cols)

    def read_cells(self, sheet: str, refs: Sequence[str]) -> dict[str, Any]:
        sh = self._sheet(sheet)
        out: dict[str, Any] = {}
        for ref in refs:
            rng = sh.range(ref)
            v = rng.value
            if isinstance(v, datetime):
                # Excel hands every date cell over as a datetime; a date format without a time means a date.
                v = _round_second(v)
                out[ref] = v if shows_time(str(rng.number_format)) else v.date()
            else:
                out[ref] = None if v == "" else v
        return out

    def _sheet(self, name: str) -> Any:
        sh = self._sheets.get(name)
        if sh is None:
            raise WorkbookError(f"{self.book.name} has no sheet {name!r}.", "Restore the sheet from a backup.")
        return sh

    # ---------------------------------------------------------------- writing

    def _cell_rows(self, st: _Table, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        cols = _COLUMNS[st.spec.table]
        writers = [(n, cell_writer(cols.get(n))) for n in st.header]
        return [[w(r.get(n)) for n, w in writers] for r in rows]

    def _segments(self, st: _Table, names: Sequence[str]) -> list[tuple[int, int]]:
        """Runs of adjacent header positions covering `names` (start index, end index inclusive)."""
        idx = sorted(st.header.index(n) for n in set(names))
        runs: list[tuple[int, int]] = []
        for i in idx:
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
        return runs

    def _write_block(self, st: _Table, first_body: int, values: list[list[Any]], names: Sequence[str]) -> None:
        """Write rows of full-width values, but only into the columns in `names` (product columns)."""
        if not values:
            return
        top = st.first + first_body
        self._memo_changed(st, first_body)
        for a, b in self._segments(st, names):
            block = [row[a : b + 1] for row in values]
            st.sheet.range((top, st.col0 + a), (top + len(values) - 1, st.col0 + b)).value = block
        for name in names:
            raw = st.mutable(name)
            if raw is not None:
                i = st.header.index(name)
                raw[first_body : first_body + len(values)] = [shown(row[i]) for row in values]
            st.forget(name)
        self._long_links(st, first_body, values, names)

    def _long_links(self, st: _Table, first_body: int, values: list[list[Any]], names: Sequence[str]) -> None:
        """Links too long for a HYPERLINK formula get a hyperlink object, one call each."""
        cols = _COLUMNS[st.spec.table]
        for name in names:
            col = cols.get(name)
            if col is None or col.type != "link":
                continue
            i = st.header.index(name)
            for k, row in enumerate(values):
                v = row[i]
                if v is None or (isinstance(v, str) and v.startswith("=HYPERLINK(")):
                    continue
                target = link_target(col, v)
                if target:
                    st.sheet.range((st.first + first_body + k, st.col0 + i)).add_hyperlink(target, str(v))

    def _resize(self, st: _Table, body_rows: int) -> None:
        """Make the table span `body_rows` data rows (at least one, as Excel requires)."""
        body_rows = max(body_rows, 1)
        if body_rows == st.body_rows:
            return
        last = st.top + body_rows
        st.table.resize(st.sheet.range((st.top, st.col0), (last, st.col0 + len(st.header) - 1)))
        if body_rows < st.body_rows:
            self._memo_changed(st, body_rows)
        for name in list(st.shared):  # the memo's lists stay as read: this click reads them again if it needs them
            st.columns.pop(name, None)
            st.typed.pop(name, None)
        st.shared.clear()
        st.checked = False
        for raw in st.columns.values():
            if len(raw) < body_rows:
                raw.extend([None] * (body_rows - len(raw)))
            else:
                del raw[body_rows:]
        st.forget()
        st.body_rows = body_rows

    def _product_names(self, st: _Table) -> list[str]:
        return [n for n in st.header if n in st.spec.names]

    def append_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        st = self._state(table)
        check_columns(st.spec, rows, st.header)
        if st.presence not in st.columns and st.body_rows and self._last_counts(st):
            start = st.body_rows  # the last row counts: nothing to reuse, no need to read the presence column
        else:
            present = self._present(st)
            start = present[-1] + 1 if present else 0  # blank rows at the end of the table are reused
        if start < st.body_rows:
            self._fetch(st, st.header)
            for i in range(start, st.body_rows):
                if any(st.columns[n][i] not in (None, "") for n in st.header):
                    start = i + 1
        self._resize(st, max(st.body_rows, start + len(rows)))
        names = [n for n in st.header if n in st.spec.names or any(n in r for r in rows)]
        self._write_block(st, start, self._cell_rows(st, rows), names)

    def _last_counts(self, st: _Table) -> bool:
        """Whether the table's last body row has a presence value (one cell read)."""
        cell = st.sheet.range((st.first + st.body_rows - 1, st.position(st.presence))).options(ndim=2).value[0][0]
        return cell not in (None, "")

    def update_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key: str | None = None) -> int:
        st = self._state(table)
        check_columns(st.spec, rows, st.header)
        key = key or st.spec.key
        if key is None:
            raise KeyError(f"{st.spec.table} has no key; pass key=")
        if st.spec.append_only and any(set(r) - {key, "RemovedAt", "RemovedReason"} for r in rows):
            raise PermissionError(f"{st.spec.table} is append-only")
        self._fetch(st, [key])
        present = self._present(st)
        keys = self._typed(st, key)
        index: dict[Any, int] = {}
        for i in present:
            index.setdefault(keys[i], i)
        conv = converter(_COLUMNS[st.spec.table].get(key))
        changes: dict[str, dict[int, Any]] = {}
        changed = 0
        for r in rows:
            found = index.get(conv(_excel_value(_COLUMNS[st.spec.table].get(key), r.get(key))))
            if found is None:
                continue
            changed += 1
            for name, value in r.items():
                if name != key:
                    changes.setdefault(name, {})[found] = value
        self._apply(st, changes)
        return changed

    def update_at(self, table: str, index: int, values: Mapping[str, Any]) -> None:
        """Change cells of one body row by its position (for keyless tables such as Today)."""
        st = self._state(table)
        check_columns(st.spec, [values], st.header)
        if not 0 <= index < st.body_rows:
            raise IndexError(f"{st.spec.table} has no body row {index}")
        self._apply(st, {name: {index: value} for name, value in values.items()})

    def record_at(self, table: str, index: int, columns: Sequence[str]) -> Record:
        """Some columns of one body row by its position."""
        st = self._state(table)
        if all(n in st.columns for n in columns):
            return {n: self._typed(st, n)[index] for n in columns}
        cells = st.sheet.range((st.first + index, st.col0), (st.first + index, st.col0 + len(st.header) - 1))
        row = dict(zip(st.header, cells.options(ndim=2).value[0], strict=True))
        cols = _COLUMNS[st.spec.table]
        return {n: from_cell(cols.get(n), row[n]) for n in columns}

    def column_values(self, table: str, column: str) -> list[Any]:
        """One column's typed values, one per row that counts (what read_records gives, without a dict per row)."""
        st = self._state(table)
        if column not in st.header:
            raise KeyError(f"{st.spec.table} has no column(s) {[column]}")
        self._fetch(st, [st.presence, column])
        values = self._typed(st, column)
        rows = self._present(st)
        return list(values) if len(rows) == len(values) else [values[i] for i in rows]

    def read_columns(self, table: str, columns: Sequence[str]) -> dict[str, list[Any]]:
        """Typed values of several columns, one per row that counts: `read_records` by column, without a dict per row.

        The lists may be the adapter's own (and the session memo's): read them, never change them.

        The columns are fetched together (one call for the table when most are
        wanted), as read_records would.
        """
        st = self._state(table)
        self._known(st, columns)
        self._fetch(st, [st.presence, *columns])
        with paused_gc():
            rows = self._present(st)
            out: dict[str, list[Any]] = {}
            for n in columns:
                values = self._typed(st, n)
                out[n] = values if len(rows) == len(values) else [values[i] for i in rows]
            return out

    def records_where(self, table: str, column: str, value: Any, columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose `column` equals `value`: reads one column plus those rows, not the table.

        For a click that needs one lead out of 25,000 (Log Touch): the key column
        is read (or taken from the click's cache) and each matching row costs one
        row read, instead of typing every column of every row.
        """
        if value.__class__ is not str or not value:
            return self.records_if(table, column, lambda v: v == value, columns)
        return self.records_in(table, column, {value}, columns)

    def records_in(self, table: str, column: str, values: Collection[str], columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose text `column` is one of `values` (see `records_where`); no call per cell."""
        st = self._state(table)
        col = _COLUMNS[st.spec.table].get(column)
        wanted = {v for v in values if v}
        if column in st.typed or col is None or col.type not in ("text", "link") or col.us_phone:
            return self.records_if(table, column, lambda v: v in wanted, columns)
        # text cells are their own typed value: a cell holding a wanted string matches as it is; only others are converted
        self._known(st, [column, *columns])
        self._fetch(st, [column])
        conv = converter(col)
        index = self._memo_index(st, column)
        if index is not None:  # the rows of each value, kept by the session memo: no pass over the column
            odd = [v for v in index.odd if conv(v) in wanted]  # cells that are not text (a number typed as an id)
            hits = sorted(i for v in (*wanted, *odd) for i in index.rows.get(v, ()))
            return self._rows_at(st, table, hits, columns)
        raw = st.columns[column]
        hits = [i for i, v in enumerate(raw) if v in wanted or (v is not None and v.__class__ is not str and conv(v) in wanted)]
        return self._rows_at(st, table, hits, columns)

    def records_if(self, table: str, column: str, test: Callable[[Any], bool], columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose typed `column` value passes `test` (see `records_where`).

        When empty cells cannot pass the test, only the key column is read
        whole: whether a matching row counts is seen in its own row (a
        year's log is 265,000 rows per column read).
        """
        st = self._state(table)
        self._known(st, [column, *columns])
        col = _COLUMNS[st.spec.table].get(column)
        if test(None) or col is None or col.type not in ("text", "link") or col.us_phone:  # a phone cell's text is not its value
            self._fetch(st, [st.presence, column])
            keys = self._typed(st, column)
            return self._rows_at(st, table, [i for i in self._present(st) if test(keys[i])], columns)
        self._fetch(st, [column])
        index = self._memo_index(st, column)
        if index is not None:  # see records_in
            conv = converter(col)
            hits = sorted(i for v, rows in index.rows.items() if v is not None and v != "" and test(v if v.__class__ is str else conv(v)) for i in rows)
            return self._rows_at(st, table, hits, columns)
        if column in st.typed:
            keys = st.typed[column]
            return self._rows_at(st, table, [i for i, v in enumerate(keys) if v is not None and test(v)], columns)
        raw, conv = st.columns[column], converter(col)  # text cells are their own typed value: type only the others
        hits = [i for i, v in enumerate(raw) if v is not None and v != "" and test(v if v.__class__ is str else conv(v))]
        return self._rows_at(st, table, hits, columns)

    @staticmethod
    def _known(st: _Table, names: Sequence[str]) -> None:
        unknown = [n for n in names if n not in st.header]
        if unknown:
            raise KeyError(f"{st.spec.table} has no column(s) {unknown}")

    def _rows_at(self, st: _Table, table: str, hits: Sequence[int], columns: Sequence[str]) -> list[Record]:
        """Some columns of the hit rows that count: from the click's cache when it has them, else one read per row.

        Whether a row counts (its presence cell has a value) comes from the
        cached presence column, or from the row read itself; past
        _RUNS_PER_COLUMN hits the presence column is read once instead.
        """
        cols = _COLUMNS[st.spec.table]
        if st.checked:  # a trusted table: its columns come from the session memo, not one read per row
            self._fetch(st, [st.presence, *columns])
        if st.presence not in st.columns and len(hits) > _RUNS_PER_COLUMN:
            self._fetch(st, [st.presence])
        presence = st.columns.get(st.presence)
        if presence is not None:
            hits = [i for i in hits if presence[i] not in (None, "")]
        out: list[Record] = []
        for i in hits:
            if presence is not None and all(n in st.columns for n in columns):
                out.append({n: from_cell(cols.get(n), st.columns[n][i]) for n in columns})
                continue
            cells = st.sheet.range((st.first + i, st.col0), (st.first + i, st.col0 + len(st.header) - 1))
            row = dict(zip(st.header, cells.options(ndim=2).value[0], strict=True))
            if row[st.presence] in (None, ""):
                continue
            out.append({n: from_cell(cols.get(n), row[n]) for n in columns})
        return out

    def tail(self, table: str, column: str) -> tuple[int, Any]:
        """The table's body-row count and the typed `column` value of its last body row (one cell read).

        For a click that needs only the end of a table (the next TouchId of an
        append-only log), without reading the column.
        """
        st = self._state(table)
        self._known(st, [column])
        if st.body_rows == 0:
            return 0, None
        if column in st.columns:
            raw = st.columns[column][-1]
        else:
            raw = st.sheet.range((st.first + st.body_rows - 1, st.position(column))).options(ndim=2).value[0][0]
        return st.body_rows, from_cell(_COLUMNS[st.spec.table].get(column), raw)

    def _apply(self, st: _Table, changes: Mapping[str, Mapping[int, Any]]) -> None:
        cols = _COLUMNS[st.spec.table]
        for name, by_row in changes.items():
            col = cols.get(name)
            self._write_column(st, name, {i: to_cell(col, v) for i, v in by_row.items()})
            if col is not None and col.type == "link":
                for i, v in by_row.items():
                    cell = to_cell(col, v)
                    if cell is not None and not (isinstance(cell, str) and cell.startswith("=HYPERLINK(")):
                        target = link_target(col, cell)
                        if target:
                            st.sheet.range((st.first + i, st.position(name))).add_hyperlink(target, str(cell))

    def _write_column(self, st: _Table, name: str, by_row: Mapping[int, Any]) -> None:
        """Write cell values of one column: one call per run of adjacent rows."""
        c = st.position(name)
        order = sorted(by_row)
        runs: list[list[int]] = []
        for i in order:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        values = dict(by_row)
        col = _COLUMNS[st.spec.table].get(name)
        if len(runs) > _RUNS_PER_COLUMN and (col is None or col.type != "link"):  # links keep their formulas
            self._fetch(st, [name])
            raw = st.columns[name]
            runs = [list(range(order[0], order[-1] + 1))]
            values = {i: by_row.get(i, raw[i]) for i in runs[0]}
        self._memo_changed(st, order[0] if order else None)
        for run in runs:
            top = st.first + run[0]
            st.sheet.range((top, c), (top + len(run) - 1, c)).value = [[values[i]] for i in run]
        cached = st.mutable(name)
        if cached is not None:
            for i, v in values.items():
                cached[i] = shown(v)
        st.forget(name)

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        st = self._state(table)
        check_columns(st.spec, rows, st.header)
        old = st.body_rows
        n = len(rows)
        if n < old:
            last = st.first + old - 1
            st.sheet.range((st.first + n, st.col0), (last, st.col0 + len(st.header) - 1)).clear_contents()
        self._memo_changed(st)
        st.columns = {}
        st.shared.clear()
        st.forget()
        self._resize(st, n)
        names = self._product_names(st) + [n2 for n2 in st.header if n2 not in st.spec.names and any(n2 in r for r in rows)]
        self._write_block(st, 0, self._cell_rows(st, rows), names)

    def write_cells(self, sheet: str, cells: Mapping[str, Any]) -> None:
        sh = self._sheet(sheet)
        tops = [t.top for t in self._tables.values() if t.sheet is sh]
        if tops and any(split_ref(ref)[1] >= min(tops) for ref in cells):  # only the cells above a table are free
            raise WorkbookError(f"{sheet} holds a product table; change it through its table.")
        for ref, value in cells.items():
            sh.range(ref).value = _excel_value(None, value)

    def add_picture(self, sheet: str, png: bytes, anchor: str, name: str) -> None:
        sh = self._sheet(sheet)
        for pic in sh.pictures:
            if pic.name == name:
                pic.delete()
        fd, tmp = tempfile.mkstemp(prefix="relist-", suffix=".png")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(png)
            sh.pictures.add(tmp, name=name, anchor=sh.range(anchor))
        finally:
            os.unlink(tmp)

    # ---------------------------------------------------------------- the user

    def selection(self) -> Selection | None:
        """The selected rows of a product table (several areas allowed), as records."""
        sel = self.book.selection
        if sel is None:
            return None
        sheet = sel.sheet
        name = sheet.name
        st = next((t for t in self._tables.values() if t.sheet.name == name), None)
        if st is None:
            return Selection(name, None, [])
        chosen: set[int] = set()
        # xlwings has no Range.areas: a Ctrl+click selection's address lists its areas ("$C$3:$D$3,$A$5"),
        # while its row and shape are the first area's.
        areas = [sheet.range(part) for part in str(sel.address).split(",") if part]
        for area in areas:  # clipped to the table's body: a whole selected column is the table's rows
            lo = max(area.row, st.first) - st.first
            hi = min(area.row + area.shape[0] - 1, st.first + st.body_rows - 1) - st.first
            chosen.update(range(lo, hi + 1))
        if not chosen:
            self.selected_rows = []
            return Selection(name, st.spec.table, [])
        # Only the selected rows are read (one call per run of adjacent rows), whatever the table's size.
        wanted = sorted(chosen)
        runs: list[list[int]] = []
        for i in wanted:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        cols = _COLUMNS[st.spec.table]
        convs = [converter(cols.get(n)) for n in st.header]
        last_col = st.col0 + len(st.header) - 1
        self.selected_rows = []
        records: list[Record] = []
        for run in runs:
            grid = st.sheet.range((st.first + run[0], st.col0), (st.first + run[-1], last_col)).options(ndim=2).value
            for i, row in zip(run, grid, strict=True):
                rec = {n: f(v) for n, f, v in zip(st.header, convs, row, strict=True)}
                if rec.get(st.presence) not in (None, ""):
                    self.selected_rows.append(i)
                    records.append(rec)
        return Selection(name, st.spec.table, records)

    def tell(self, message: str, level: str = "info") -> None:
        self.messages.append((level, message))
        self.book.app.alert(message, title="Relist", mode="critical" if level == "error" else "info")

    def status(self, message: str) -> None:
        self.book.app.status_bar = message or False

    def save(self) -> None:
        """Excel's own save: everything in the workbook is kept as Excel keeps it.

        Refused for a workbook without a local file: xlwings would save one never
        saved into Python's working folder, silently.
        """
        refusal = self.no_path_refusal()
        if refusal is not None:
            raise refusal
        self.book.save()


def book_file(book: Any) -> Path | None:
    """The local file of an xlwings Book (None: never saved, or in the cloud without a synced copy)."""
    full, cloud = _fullname(book)
    if cloud or not full:
        return None
    p = Path(full)
    return p if p.is_absolute() else None


def holds_relist(book: Any) -> bool:
    """Whether the book has Relist's marker sheet (one call; LiveWorkbook checks the rest)."""
    try:
        book.sheets[schema.META_SHEET]
    except Exception:  # noqa: BLE001 - KeyError, or COM's error for a missing sheet
        return False
    return True


def _fullname(book: Any) -> tuple[str | None, bool]:
    """(the workbook's FullName, whether it is in the cloud without a local path).

    xlwings maps a OneDrive/SharePoint URL to the synced local file, and raises
    XlwingsError when it cannot; this module does not import xlwings, so any
    error reading the name counts as that.
    """
    try:
        full = str(book.fullname or "")
    except Exception:  # noqa: BLE001 - xlwings.XlwingsError: an unsynced OneDrive/SharePoint workbook
        return None, True
    if "://" in full:
        return None, True
    return full or None, False


_SPECS = {t.table.lower(): t for t in schema.TABLE_SHEETS}
_COLUMNS = {t.table: {c.name: c for c in t.columns} for t in schema.TABLE_SHEETS}
