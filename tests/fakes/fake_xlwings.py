"""An in-repo fake of the small xlwings object surface Relist's live adapter and ribbon use.

Book / Sheet / Range / Table / App with `value`, `options(ndim=2)`, `expand`,
`resize`, `offset`, `selection`, `app.alert`, `app.status_bar`, `pictures`,
`add_hyperlink` and `app.api.GetOpenFilename`. It behaves like Excel through
xlwings where Relist depends on it: numbers come back as floats, dates as
datetimes, times as datetimes on 1899-12-30, empty cells as None, a table only
grows or shrinks through `resize`, and cells left outside a shrunk table keep
their values. Anything it does not model raises instead of pretending.

`Book.from_file(path)` loads a real .xlsx (values with python-calamine, tables
from the package XML); `dump()` gives every table and cell back for comparison.
"""

from __future__ import annotations

import builtins
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_EXCEL_TIME_DAY = datetime(1899, 12, 30)
_HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$', re.I)

Cell = tuple[int, int]


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(index: int) -> str:
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'B2' or 'A1:C9' -> (row1, col1, row2, col2)."""
    parts = ref.split(":")
    if len(parts) > 2:
        raise ValueError(f"bad range reference {ref!r}")
    cells = []
    for p in parts:
        m = _REF.match(p.strip())
        if m is None:
            raise ValueError(f"bad range reference {ref!r}")
        cells.append((int(m.group(2)), col_index(m.group(1))))
    (r1, c1), (r2, c2) = cells[0], cells[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def to_excel(value: Any) -> Any:
    """A Python value as Excel stores it after xlwings writes it."""
    if value is None or isinstance(value, (str, bool, float)):
        return None if value == "" else value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise TypeError(f"xlwings cannot write a {type(value).__name__} to a cell: {value!r}")


def from_file_value(value: Any) -> Any:
    """A value python-calamine read from a file, as Excel would hand it to xlwings."""
    if value == "" or value is None:
        return None
    if isinstance(value, time):
        return datetime.combine(_EXCEL_TIME_DAY.date(), value)
    if isinstance(value, bool):
        return value
    return to_excel(value)


class _Grid:
    """A sheet's cell values, stored as one list per row, so rectangles read by slicing (as fast as COM's arrays)."""

    def __init__(self) -> None:
        self._rows: dict[int, list[Any]] = {}

    def get(self, cell: Cell, default: Any = None) -> Any:
        r, c = cell
        row = self._rows.get(r)
        if row is None or c > len(row):
            return default
        v = row[c - 1]
        return default if v is None else v

    def __setitem__(self, cell: Cell, value: Any) -> None:
        r, c = cell
        row = self._rows.setdefault(r, [])
        if c > len(row):
            row.extend([None] * (c - len(row)))
        row[c - 1] = value

    def pop(self, cell: Cell, default: Any = None) -> Any:
        got = self.get(cell, default)
        r, c = cell
        row = self._rows.get(r)
        if row is not None and c <= len(row):
            row[c - 1] = None
        return got

    def block(self, r1: int, c1: int, r2: int, c2: int) -> list[list[Any]]:
        width = c2 - c1 + 1
        pad = [None] * width
        out = []
        for r in range(r1, r2 + 1):
            row = self._rows.get(r)
            if row is None:
                out.append(list(pad))
                continue
            part = row[c1 - 1 : c2]
            if len(part) < width:
                part += [None] * (width - len(part))
            out.append(part)
        return out

    def items(self) -> list[tuple[Cell, Any]]:
        return [((r, c), v) for r, row in self._rows.items() for c, v in enumerate(row, 1) if v is not None]


class Api:
    """The few native calls Relist makes through `app.api` (file dialog)."""

    def __init__(self) -> None:
        self.open_filenames: list[Any] = []
        self.dialogs: list[dict[str, Any]] = []

    def GetOpenFilename(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - Excel's name
        self.dialogs.append({"args": args, "kwargs": kwargs})
        return self.open_filenames.pop(0) if self.open_filenames else False


class App:
    """xlwings.App: alerts, status bar, screen updating, the selection."""

    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []
        self.answers: list[str] = []
        self.status_history: list[str | bool] = []
        self._status: str | bool = False
        self.screen_updating = True
        self.selection: Range | None = None
        self.api = Api()
        self.books: list[Book] = []
        self.version = "16.0"
        self.calls = 0  # round trips to Excel: each Range.value read or write, clear, hyperlink, resize

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None,
              callback: str | None = None) -> str:
        if buttons not in ("ok", "ok_cancel", "yes_no", "yes_no_cancel"):
            raise ValueError(f"alert buttons {buttons!r}")
        if mode not in (None, "info", "critical"):
            raise ValueError(f"alert mode {mode!r}")
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        if self.answers:
            return self.answers.pop(0)
        return "ok" if buttons.startswith("ok") else "yes"

    @property
    def status_bar(self) -> str | bool:
        return self._status

    @status_bar.setter
    def status_bar(self, value: str | bool | None) -> None:
        self._status = False if value is None else value
        self.status_history.append(self._status)


class Range:
    """A rectangle of one sheet; `value` reads and writes like xlwings (options: ndim)."""

    _OPTIONS = {"ndim"}

    def __init__(self, sheet: Sheet, r1: int, c1: int, r2: int, c2: int, options: dict[str, Any] | None = None,
                 areas: Sequence[Range] | None = None) -> None:
        if r1 < 1 or c1 < 1 or r2 < r1 or c2 < c1:
            raise ValueError(f"bad range rows {r1}-{r2}, columns {c1}-{c2}")
        self.sheet = sheet
        self.r1, self.c1, self.r2, self.c2 = r1, c1, r2, c2
        self._options = dict(options or {})
        self._areas = list(areas) if areas else None

    def __repr__(self) -> str:
        return f"<Range [{self.sheet.book.name}]{self.sheet.name}!{self.address}>"

    # geometry
    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1)

    @property
    def count(self) -> int:
        rows, cols = self.shape
        return rows * cols

    @property
    def address(self) -> str:
        a = f"${col_letters(self.c1)}${self.r1}"
        if (self.r1, self.c1) == (self.r2, self.c2):
            return a
        return f"{a}:${col_letters(self.c2)}${self.r2}"

    @property
    def last_cell(self) -> Range:
        return Range(self.sheet, self.r2, self.c2, self.r2, self.c2, self._options)

    @property
    def areas(self) -> list[Range]:
        return list(self._areas) if self._areas else [self]

    def options(self, convert: Any = None, **options: Any) -> Range:
        if convert is not None or set(options) - self._OPTIONS:
            raise NotImplementedError(f"fake xlwings models only options {sorted(self._OPTIONS)}")
        if options.get("ndim") not in (None, 1, 2):
            raise ValueError("ndim must be 1 or 2")
        return Range(self.sheet, self.r1, self.c1, self.r2, self.c2, {**self._options, **options})

    def resize(self, row_size: int | None = None, column_size: int | None = None) -> Range:
        rows, cols = self.shape
        rows = row_size if row_size is not None else rows
        cols = column_size if column_size is not None else cols
        if rows < 1 or cols < 1:
            raise ValueError("resize needs sizes of at least 1")
        return Range(self.sheet, self.r1, self.c1, self.r1 + rows - 1, self.c1 + cols - 1, self._options)

    def offset(self, row_offset: int = 0, column_offset: int = 0) -> Range:
        return Range(self.sheet, self.r1 + row_offset, self.c1 + column_offset, self.r2 + row_offset,
                     self.c2 + column_offset, self._options)

    def expand(self, mode: str = "table") -> Range:
        """Grow down and/or right from the top-left cell until the first empty cell (like Ctrl+Shift+arrows)."""
        if mode not in ("table", "down", "d", "right", "r"):
            raise ValueError(f"expand mode {mode!r}")
        r2, c2 = self.r2, self.c2
        get = self.sheet._cells.get
        if mode in ("table", "down", "d"):
            r = self.r1
            while get((r + 1, self.c1)) is not None:
                r += 1
            r2 = max(r2, r)
        if mode in ("table", "right", "r"):
            c = self.c1
            while get((self.r1, c + 1)) is not None:
                c += 1
            c2 = max(c2, c)
        return Range(self.sheet, self.r1, self.c1, r2, c2, self._options)

    @property
    def rows(self) -> list[Range]:
        return [Range(self.sheet, r, self.c1, r, self.c2, self._options) for r in range(self.r1, self.r2 + 1)]

    @property
    def columns(self) -> list[Range]:
        return [Range(self.sheet, self.r1, c, self.r2, c, self._options) for c in range(self.c1, self.c2 + 1)]

    # values
    @property
    def value(self) -> Any:
        if self._areas:
            raise NotImplementedError("value of a multi-area range: read each of .areas")
        self.sheet.book.app.calls += 1
        grid = self.sheet._cells.block(self.r1, self.c1, self.r2, self.c2)
        if self._options.get("ndim") == 2:
            return grid
        rows, cols = self.shape
        if rows == 1 and cols == 1:
            return grid[0][0]
        if rows == 1:
            return grid[0]
        if cols == 1 or self._options.get("ndim") == 1:
            return [row[0] for row in grid] if cols == 1 else [v for row in grid for v in row]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.app.calls += 1
        cells = self.sheet._cells
        if isinstance(data, (list, tuple)):
            rows = [list(r) for r in data] if data and isinstance(data[0], (list, tuple)) else [list(data)]
            width = len(rows[0]) if rows else 0
            if any(len(r) != width for r in rows):
                raise ValueError("xlwings writes only rectangular lists: every row needs the same length")
            sheet = self.sheet
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    v = to_excel(v)
                    cell = (self.r1 + i, self.c1 + j)
                    if v is None or type(v) is datetime or (type(v) is str and v.startswith("=")) or cell in sheet._formulas:
                        sheet._set(cell, v)
                    else:
                        cells[cell] = v
            return
        v = to_excel(data)
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                if v is None:
                    cells.pop((r, c), None)
                else:
                    self.sheet._set((r, c), v)

    @property
    def number_format(self) -> str:
        self.sheet.book.app.calls += 1
        return self.sheet._formats.get((self.r1, self.c1), "General")

    @number_format.setter
    def number_format(self, code: str) -> None:
        self.sheet.book.app.calls += 1
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet._formats[(r, c)] = code

    def clear_contents(self) -> None:
        self.sheet.book.app.calls += 1
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet._cells.pop((r, c), None)
                self.sheet._formulas.pop((r, c), None)
                self.sheet.hyperlinks.pop((r, c), None)

    def add_hyperlink(self, address: str, text_to_display: str | None = None, screen_tip: str | None = None) -> None:
        if self.count != 1:
            raise ValueError("add_hyperlink works on a single cell")
        self.sheet.book.app.calls += 1
        self.sheet.hyperlinks[(self.r1, self.c1)] = address
        self.sheet._set((self.r1, self.c1), to_excel(text_to_display if text_to_display is not None else address))

    @property
    def formula(self) -> Any:
        cell = (self.r1, self.c1)
        return self.sheet._formulas.get(cell, self.sheet._cells.get(cell, ""))

    @property
    def hyperlink(self) -> str:
        return self.sheet.links().get((self.r1, self.c1), "")


class Table:
    """An Excel Table (ListObject): a header row and a data body, resized only by `resize`."""

    def __init__(self, sheet: Sheet, name: str, r1: int, c1: int, r2: int, c2: int) -> None:
        self.parent = sheet
        self.name = name
        self._bounds = (r1, c1, r2, c2)
        self.show_totals = False

    def __repr__(self) -> str:
        return f"<Table '{self.name}' in <Sheet [{self.parent.book.name}]{self.parent.name}>>"

    @property
    def range(self) -> Range:
        return Range(self.parent, *self._bounds)

    @property
    def header_row_range(self) -> Range:
        r1, c1, _, c2 = self._bounds
        return Range(self.parent, r1, c1, r1, c2)

    @property
    def data_body_range(self) -> Range | None:
        r1, c1, r2, c2 = self._bounds
        return Range(self.parent, r1 + 1, c1, r2, c2) if r2 > r1 else None

    def resize(self, range: Range) -> None:  # noqa: A002 - xlwings' name
        new = range
        r1, c1, _, _ = self._bounds
        if new.sheet is not self.parent or (new.r1, new.c1) != (r1, c1):
            raise ValueError("a table can only be resized keeping its header row where it is")
        if new.r2 <= new.r1:
            raise ValueError("a table keeps at least one data row")
        header = [self.parent._cells.get((r1, c)) for c in builtins.range(new.c1, new.c2 + 1)]
        if any(h is None for h in header):
            raise ValueError("every column of a table needs a header")
        self._bounds = (new.r1, new.c1, new.r2, new.c2)
        self.parent.book.app.calls += 1


class Tables:
    def __init__(self) -> None:
        self._items: dict[str, Table] = {}

    def __getitem__(self, key: str | int) -> Table:
        if isinstance(key, int):
            return list(self._items.values())[key]
        for name, t in self._items.items():
            if name.lower() == key.lower():
                return t
        raise KeyError(key)

    def __iter__(self) -> Iterator[Table]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, source: Range, name: str) -> Table:
        t = Table(source.sheet, name, source.r1, source.c1, source.r2, source.c2)
        self._items[name] = t
        return t


class Picture:
    def __init__(self, pictures: Pictures, name: str, data: bytes, anchor: Range | None) -> None:
        self._pictures = pictures
        self.name = name
        self.data = data
        self.anchor = anchor

    def delete(self) -> None:
        self._pictures._items.pop(self.name, None)


class Pictures:
    def __init__(self) -> None:
        self._items: dict[str, Picture] = {}

    def __getitem__(self, name: str) -> Picture:
        return self._items[name]

    def __iter__(self) -> Iterator[Picture]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, image: str | Path, name: str | None = None, update: bool = False, anchor: Range | None = None,
            **kwargs: Any) -> Picture:
        if kwargs:
            raise NotImplementedError(f"fake pictures.add does not model {sorted(kwargs)}")
        data = Path(image).read_bytes()
        name = name or f"Picture {len(self._items) + 1}"
        if name in self._items and not update:
            raise ValueError(f"a picture named {name!r} exists (pass update=True)")
        pic = Picture(self, name, data, anchor)
        self._items[name] = pic
        return pic


class Sheet:
    def __init__(self, book: Book, name: str) -> None:
        self.book = book
        self.name = name
        self._cells = _Grid()
        self._formats: dict[Cell, str] = {}
        self._formulas: dict[Cell, str] = {}
        self.hyperlinks: dict[Cell, str] = {}
        self.tables = Tables()
        self.pictures = Pictures()

    def __repr__(self) -> str:
        return f"<Sheet [{self.book.name}]{self.name}>"

    def _set(self, cell: Cell, value: Any) -> None:
        self._formulas.pop(cell, None)
        if value is None:
            self._cells.pop(cell, None)
            return
        if isinstance(value, str) and value.startswith("="):
            # A formula. The fake computes only =HYPERLINK("target","text"); any other formula
            # reads back as its own text (Excel would calculate it).
            self._formulas[cell] = value
            m = _HYPERLINK.match(value)
            value = m.group(2).replace('""', '"') if m else value
        self._cells[cell] = value
        if isinstance(value, datetime) and self._formats.get(cell, "General") == "General":
            # Excel gives a General cell a date format when a date is written into it.
            self._formats[cell] = "m/d/yyyy" if value.time() == time() else "m/d/yyyy h:mm"

    def links(self) -> dict[Cell, str]:
        """Hyperlink targets: hyperlink objects and HYPERLINK formulas."""
        out = dict(self.hyperlinks)
        for cell, f in self._formulas.items():
            m = _HYPERLINK.match(f)
            if m:
                out[cell] = m.group(1).replace('""', '"')
        return out

    def range(self, cell1: str | tuple[int, int], cell2: str | tuple[int, int] | None = None) -> Range:
        if isinstance(cell1, str):
            r1, c1, r2, c2 = parse_ref(cell1)
        else:
            r1, c1 = cell1
            r2, c2 = r1, c1
        if cell2 is not None:
            s1, d1, s2, d2 = parse_ref(cell2) if isinstance(cell2, str) else (*cell2, *cell2)
            r1, c1, r2, c2 = min(r1, s1), min(c1, d1), max(r2, s2), max(c2, d2)
        return Range(self, r1, c1, r2, c2)

    def __getitem__(self, ref: str) -> Range:
        return self.range(ref)

    def activate(self) -> None:
        self.book._active = self

    def select(self) -> None:
        self.activate()


class Sheets:
    def __init__(self, book: Book) -> None:
        self._book = book
        self._items: list[Sheet] = []

    def __getitem__(self, key: str | int) -> Sheet:
        if isinstance(key, int):
            return self._items[key]
        for s in self._items:
            if s.name.lower() == key.lower():
                return s
        raise KeyError(key)

    def __iter__(self) -> Iterator[Sheet]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, name: str) -> Sheet:
        if any(s.name.lower() == name.lower() for s in self._items):
            raise ValueError(f"a sheet named {name!r} exists")
        s = Sheet(self._book, name)
        self._items.append(s)
        return s

    @property
    def active(self) -> Sheet:
        return self._book._active or self._items[0]


class Book:
    """A workbook open in the fake Excel."""

    _mock_caller: Book | None = None

    def __init__(self, name: str = "Relist.xlsx", app: App | None = None, fullname: str | None = None) -> None:
        self.app = app or App()
        self.app.books.append(self)
        self.name = name
        self.fullname = fullname or name
        self.sheets = Sheets(self)
        self._active: Sheet | None = None
        self.saves = 0

    def __repr__(self) -> str:
        return f"<Book [{self.name}]>"

    @classmethod
    def caller(cls) -> Book:
        if cls._mock_caller is None:
            raise RuntimeError("Book.caller() must be called from Excel, or set a mock caller first")
        return cls._mock_caller

    def set_mock_caller(self) -> None:
        Book._mock_caller = self

    @property
    def selection(self) -> Range | None:
        return self.app.selection

    def select(self, sheet: str, *refs: str) -> Range:
        """Select cells as the user would (several refs = a Ctrl+click multi-area selection)."""
        sh = self.sheets[sheet]
        sh.activate()
        parts = [sh.range(r) for r in refs]
        if len(parts) == 1:
            self.app.selection = parts[0]
        else:
            first = parts[0]
            self.app.selection = Range(sh, first.r1, first.c1, first.r2, first.c2, areas=parts)
        return self.app.selection

    def save(self, path: str | None = None) -> None:
        if path is not None:
            raise NotImplementedError("fake Book.save(path): save-as is not modelled")
        self.saves += 1

    # ------------------------------------------------------------ loading and dumping

    @classmethod
    def from_file(cls, path: str | Path, app: App | None = None) -> Book:
        """A book holding a real .xlsx file's sheets, cell values and tables."""
        import python_calamine

        path = Path(path)
        book = cls(path.name, app, str(path.resolve()))
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            wb = ET.fromstring(zf.read("xl/workbook.xml"))
            rels = _rels(zf, "xl/_rels/workbook.xml.rels")
            sheets: list[tuple[str, str]] = []
            for el in wb.iterfind("m:sheets/m:sheet", _NS):
                target = rels[el.get(f"{{{_NS['r']}}}id", "")]
                sheets.append((el.get("name", ""), _resolve("xl/workbook.xml", target)))
            tables: dict[str, list[tuple[str, str]]] = {}
            for name, part in sheets:
                rels_part = _rels_path(part)
                if rels_part not in names:
                    continue
                for target in _rels(zf, rels_part, "/table").values():
                    t = ET.fromstring(zf.read(_resolve(part, target)))
                    tname = t.get("displayName") or t.get("name") or ""
                    tables.setdefault(name, []).append((tname, t.get("ref", "")))
            formats = _cell_formats(zf, names, sheets)
        cal = python_calamine.CalamineWorkbook.from_path(str(path))
        for name, _part in sheets:
            sheet = book.sheets.add(name)
            rows = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row, start=1):
                    val = from_file_value(v)
                    if val is not None:
                        sheet._cells[(r, c)] = val
            sheet._formats.update(formats.get(name, {}))
            for tname, ref in tables.get(name, []):
                r1, c1, r2, c2 = parse_ref(ref)
                sheet.tables._items[tname] = Table(sheet, tname, r1, c1, r2, c2)
        return book

    def dump(self) -> dict[str, Any]:
        """Every table (header + body rows) and every sheet's cells, as plain values."""
        out: dict[str, Any] = {"tables": {}, "cells": {}, "hyperlinks": {}}
        for sheet in self.sheets:
            for t in sheet.tables:
                out["tables"][t.name] = t.range.options(ndim=2).value
            out["cells"][sheet.name] = {f"{col_letters(c)}{r}": v for (r, c), v in sorted(sheet._cells.items())}
            out["hyperlinks"][sheet.name] = {f"{col_letters(c)}{r}": a for (r, c), a in sorted(sheet.links().items())}
        return out


# Built-in number formats (ECMA-376 18.8.30) that show dates or times.
_BUILTIN_FORMATS = {14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
                    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0"}
_CELL_STYLE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bs="(\d+)"|<(?:\w+:)?c\b[^>]*?\bs="(\d+)"[^>]*?\br="([A-Z]+)(\d+)"')


def _cell_formats(zf: zipfile.ZipFile, names: set[str], sheets: list[tuple[str, str]]) -> dict[str, dict[Cell, str]]:
    """Number format code of every styled cell, per sheet (what Range.number_format answers)."""
    if "xl/styles.xml" not in names:
        return {}
    styles = ET.fromstring(zf.read("xl/styles.xml"))
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in styles.iterfind("m:numFmts/m:numFmt", _NS)}
    xfs = [int(x.get("numFmtId", "0")) for x in styles.iterfind("m:cellXfs/m:xf", _NS)]
    codes = [custom.get(i) or _BUILTIN_FORMATS.get(i, "General") for i in xfs]
    out: dict[str, dict[Cell, str]] = {}
    for name, part in sheets:
        got: dict[Cell, str] = {}
        for m in _CELL_STYLE.finditer(zf.read(part)):
            letters, row, style = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(6), m.group(4))
            k = int(style)
            if k < len(codes) and codes[k] != "General":
                got[(int(row), col_index(letters.decode()))] = codes[k]
        out[name] = got
    return out


def _rels_path(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts: list[str] = list(PurePosixPath(base).parent.parts)
    for seg in target.split("/"):
        if seg == "..":
            parts.pop()
        elif seg not in ("", "."):
            parts.append(seg)
    return "/".join(parts)


def _rels(zf: zipfile.ZipFile, part: str, type_suffix: str = "") -> dict[str, str]:
    root = ET.fromstring(zf.read(part))
    return {
        r.get("Id", ""): r.get("Target", "")
        for r in root.iterfind("pr:Relationship", _NS)
        if r.get("Type", "").endswith(type_suffix)
    }


def load(path: str | Path) -> Book:
    """Shorthand for Book.from_file."""
    return Book.from_file(path)
