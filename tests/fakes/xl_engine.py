"""An in-memory Excel for the real xlwings API: a test engine, registered the way xlwings' own engines are.

xlwings keeps the API (`xlwings.main`: Book, Sheet, Range, Table, App, the
conversion layer) apart from the engines that talk to Excel
(`_xlwindows.py` over COM, `_xlmac.py` over AppleScript, each implementing
`xlwings/base_classes.py` and added with `xlwings.engines.add`). This module
is one more engine: its Apps/App/Books/Book/Sheets/Sheet/Range/Tables/Table/
Pictures classes subclass `base_classes`, so anything it does not model
raises NotImplementedError instead of pretending. Tests get real
`xlwings.Book` objects over it (`load`), so every product call goes through
xlwings' own classes and conversion (ndim, dates rebuilt as naive datetimes,
numbers as floats, empty cells as None, a table with no data row whose
`data_body_range` is None, a string starting with "=" written as a formula);
a product call of an attribute `xlwings.main` does not define fails as it
would in Excel.

What it keeps per cell is what Excel hands over through COM or AppleScript:
floats, strings, booleans, datetimes (a time of day is a datetime on
1899-12-30), nothing for an empty cell. `Range.raw_value` (what xlwings'
converters start from) hands them over in each engine's own raw form:
- "windows" (pywin32's `Range.Value`): a tuple of row tuples, None for an
  empty cell, dates as `ComTime` (pywintypes.TimeType: a datetime subclass
  tagged UTC, which `_xlwindows._com_time_to_datetime` rebuilds naive);
- "mac" (appscript's `value.get()`): a list of row lists, "" for an empty
  cell, dates as naive datetimes; reads above 1,500,000 cells are chunked
  (`_xlmac.Range.max_cells_per_read`).
A single cell is a scalar on both. `=HYPERLINK("target","text")` is the
only formula it computes; others read back as their text.

`app.api` comes in two flavours, as `App.api` differs by engine:
- "windows": the COM Application's `GetOpenFilename(FileFilter, FilterIndex,
  Title, ButtonText, MultiSelect)` (learn.microsoft.com/office/vba/api/
  excel.application.getopenfilename), positional or keyword; a None
  argument is refused, as pywin32 sends it as VT_NULL and Excel answers with
  a type mismatch.
- "mac": appscript's Excel application object, whose commands take the named
  parameters of xlwings' own Excel dictionary (`xlwings/mac_dict.py`):
  `get_open_filename(file_filter=, button_text=, multi_select=)` and
  nothing else (appscript raises TypeError for any other keyword).

The state behind a book is `excel(book)` (alerts shown, answers to give,
status bar history, dialogs, round trips); `select`, `empty_table` and
`dump` do what a user or a test needs beyond the API.
"""

from __future__ import annotations

import builtins
import datetime as dt
import itertools
import math
import os
import re
import weakref
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import xlwings
from xlwings import XlwingsError, base_classes

FLAVOURS = ("windows", "mac")
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_EXCEL_TIME_DAY = dt.datetime(1899, 12, 30)
_HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$', re.I)
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_COLUMNS = re.compile(r"^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$")
_ROWS = re.compile(r"^\$?(\d+):\$?(\d+)$")
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}

Cell = tuple[int, int]
Box = tuple[int, int, int, int]  # row1, col1, row2, col2


class ComTime(dt.datetime):
    """A date as pywin32 hands a COM VT_DATE over: pywintypes.TimeType, a datetime subclass with a UTC tzinfo.

    xlwings' `_xlwindows.time_types` includes it and `_com_time_to_datetime`
    rebuilds it as a naive datetime; it never equals a naive datetime, and
    comparing its order with one raises TypeError, as the real one does.
    """


def com_time(value: dt.datetime) -> ComTime:
    return ComTime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
                   tzinfo=dt.UTC)


def naive(value: Any) -> Any:
    """A cell as the tests read it: a ComTime as the naive datetime Excel shows."""
    if isinstance(value, ComTime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond)
    return value


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


def parse_area(ref: str) -> Box:
    """One area of an A1 reference: 'B2', 'A1:C9', '$B:$C' (whole columns), '$2:$5' (whole rows)."""
    ref = ref.strip()
    m = _COLUMNS.match(ref)
    if m:
        c1, c2 = sorted((col_index(m.group(1)), col_index(m.group(2))))
        return 1, c1, MAX_ROWS, c2
    m = _ROWS.match(ref)
    if m:
        r1, r2 = sorted((int(m.group(1)), int(m.group(2))))
        return r1, 1, r2, MAX_COLUMNS
    cells = []
    for part in ref.split(":"):
        c = _CELL.match(part.strip())
        if c is None or len(cells) == 2:
            raise ValueError(f"bad range reference {ref!r}")
        cells.append((int(c.group(2)), col_index(c.group(1))))
    (r1, c1), (r2, c2) = cells[0], cells[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def area_address(box: Box, row_absolute: bool = True, col_absolute: bool = True) -> str:
    """Excel's Address of one area: $A$1, $A$1:$C$9, $B:$C, $2:$5."""
    r1, c1, r2, c2 = box
    rd, cd = ("$" if row_absolute else ""), ("$" if col_absolute else "")
    if r1 == 1 and r2 == MAX_ROWS:
        return f"{cd}{col_letters(c1)}:{cd}{col_letters(c2)}"
    if c1 == 1 and c2 == MAX_COLUMNS:
        return f"{rd}{r1}:{rd}{r2}"
    first = f"{cd}{col_letters(c1)}{rd}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{cd}{col_letters(c2)}{rd}{r2}"


# ---------------------------------------------------------------- the engine


class Engine:
    """What `xlwings.main.Engine` wraps (as `_xlwindows.Engine`): the apps and the value conversion hooks."""

    def __init__(self) -> None:
        self._refs: list[weakref.ref[App]] = []  # newest (active) first; a test's Excel goes when its books go

    @property
    def _apps(self) -> list[App]:
        live = [a for a in (r() for r in self._refs) if a is not None]
        self._refs = [weakref.ref(a) for a in live]
        return live

    def _front(self, app: App) -> None:
        self._refs = [weakref.ref(app)] + [weakref.ref(a) for a in self._apps if a is not app]

    @property
    def apps(self) -> Apps:
        return Apps(self)

    @property
    def name(self) -> str:
        return "excel"

    @property
    def type(self) -> str:
        return "desktop"

    @staticmethod
    def prepare_xl_data_element(x: Any, options: Any) -> Any:
        """A Python value as the engine hands it to Excel (as `_xlwindows.Engine.prepare_xl_data_element`)."""
        if x is None:
            return ""
        if isinstance(x, float) and math.isnan(x):
            return ""
        if isinstance(x, dt.datetime):
            return x.replace(tzinfo=None)
        if isinstance(x, dt.date):
            return dt.datetime(x.year, x.month, x.day)
        return x

    @staticmethod
    def clean_value_data(data: Any, datetime_builder: Any, empty_as: Any, number_builder: Any, err_to_str: Any) -> Any:
        """Cells as Excel handed them over, cleaned as `_xlwindows.Engine.clean_value_data` cleans them."""

        def clean(value: Any) -> Any:
            if value is None or value == "":
                return empty_as
            if isinstance(value, dt.datetime):
                return datetime_builder(month=value.month, day=value.day, year=value.year, hour=value.hour,
                                        minute=value.minute, second=value.second, microsecond=value.microsecond,
                                        tzinfo=None)
            if number_builder is not None and isinstance(value, float):
                return number_builder(value)
            return value

        return [[clean(c) for c in row] for row in data]


ENGINE = Engine()
_registered = False


def _kept(name: str) -> property:
    """A read/write property kept in the object's `_kept` dict (base_classes declares these as properties)."""

    def get(self: Any) -> Any:
        return self._kept[name]

    def set_(self: Any, value: Any) -> None:
        self._kept[name] = value

    return property(get, set_)


def register() -> None:
    """Add the engine to xlwings' engines and make it the active one, once (as xlwings/__init__.py does with the
    Windows or macOS engine when it finds Excel)."""
    global _registered
    if not _registered:
        engine = xlwings.Engine(impl=ENGINE)
        xlwings.engines.add(engine)
        engine.activate()
        _registered = True


class Apps(base_classes.Apps):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def keys(self) -> list[int]:
        return [a.pid for a in self._engine._apps]

    def add(self, spec: Any = None, add_book: Any = None, xl: Any = None, visible: Any = None) -> App:
        return App()

    def __iter__(self) -> Iterator[App]:
        return iter(list(self._engine._apps))

    def __len__(self) -> int:
        return len(self._engine._apps)

    def __getitem__(self, pid: int) -> App:
        return next(a for a in self._engine._apps if a.pid == pid)


# ---------------------------------------------------------------- app.api flavours


_MISSING = object()


class _Native:
    """What `.api` gives for books, sheets, ranges, tables and pictures: Excel's native object, not modelled.

    xlwings itself only tests it for truth; a product call through it fails here,
    as it would be a COM- or AppleScript-only call.
    """

    def __bool__(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"the native Excel object (.api.{name}) is not modelled by the test engine")


NATIVE = _Native()


class WindowsApi:
    """The part of Excel's COM Application object Relist calls, with COM's parameter names."""

    def __init__(self, excel: App) -> None:
        self._excel = excel

    def GetOpenFilename(self, FileFilter: Any = _MISSING, FilterIndex: Any = _MISSING, Title: Any = _MISSING,  # noqa: N802, N803
                        ButtonText: Any = _MISSING, MultiSelect: Any = _MISSING) -> Any:
        args = {"FileFilter": FileFilter, "FilterIndex": FilterIndex, "Title": Title, "ButtonText": ButtonText,
                "MultiSelect": MultiSelect}
        nulls = [k for k, v in args.items() if v is None]
        if nulls:
            raise TypeError(f"GetOpenFilename: None for {', '.join(nulls)} is sent as VT_NULL (Excel: type mismatch); "
                            "leave the argument out instead")
        return self._excel._dialog({k: v for k, v in args.items() if v is not _MISSING})


def _mac_commands() -> dict[str, tuple[str, ...]]:
    from xlwings import mac_dict

    return {name: tuple(p for p, _code in params) for name, _code, params in mac_dict.commands}


class MacApi:
    """appscript's Excel application object: commands with the named parameters of xlwings' mac_dict."""

    _EVENT_ATTRIBUTES = ("resulttype", "waitreply", "timeout", "ignore")

    def __init__(self, excel: App) -> None:
        self._excel = excel
        self._commands = _mac_commands()

    def _command(self, name: str, direct: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        allowed = self._commands[name]
        for k in kwargs:
            if k not in allowed and k not in self._EVENT_ATTRIBUTES:
                raise TypeError(f"Unknown keyword argument {k!r}.")
        out = {k: v for k, v in kwargs.items() if k in allowed}
        if direct is not _MISSING:
            out["direct"] = direct
        return out

    def get_open_filename(self, direct: Any = _MISSING, **kwargs: Any) -> Any:
        return self._excel._dialog(self._command("get_open_filename", direct, kwargs))


# ---------------------------------------------------------------- App


class App(base_classes.App):
    """One Excel instance, and what a test reads back: alerts, status bar history, dialogs, round trips."""

    _pids = itertools.count(4000)

    def __init__(self, flavour: str = "windows") -> None:
        if flavour not in FLAVOURS:
            raise ValueError(f"flavour {flavour!r}: one of {FLAVOURS}")
        self.flavour = flavour
        self._kept: dict[str, Any] = {"pid": next(self._pids), "screen_updating": True, "display_alerts": True,
                                      "enable_events": True, "interactive": True, "visible": True,
                                      "calculation": "automatic"}
        self._books: list[Book] = []
        self.active_book: Book | None = None
        self.alerts: list[dict[str, Any]] = []
        self.answers: list[str] = []
        self.status_history: list[str | bool] = []
        self._status: str | bool = False
        self.open_filenames: list[Any] = []  # what the next file dialogs answer (False: cancelled)
        self.dialogs: list[dict[str, Any]] = []  # the arguments each file dialog got
        self.calls = 0  # round trips: each cell read or write, clear, hyperlink, table resize, format
        self._api = WindowsApi(self) if flavour == "windows" else MacApi(self)
        ENGINE._front(self)

    pid = property(lambda self: self._kept["pid"])
    screen_updating = _kept("screen_updating")
    display_alerts = _kept("display_alerts")
    enable_events = _kept("enable_events")
    interactive = _kept("interactive")
    visible = _kept("visible")
    calculation = _kept("calculation")

    @property
    def engine(self) -> Engine:
        return ENGINE

    @property
    def api(self) -> Any:
        return self._api

    @property
    def version(self) -> str:
        return "16.0"

    @property
    def books(self) -> Books:
        return Books(self)

    @property
    def selection(self) -> Range | None:
        book = self.active_book
        if book is None or book.selected is None:
            return None
        return book.selected

    def activate(self, steal_focus: bool = False) -> None:
        ENGINE._front(self)

    @property
    def status_bar(self) -> str | bool:
        return self._status

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        if not isinstance(value, (str, bool)):
            raise TypeError(f"StatusBar takes text or False, not {type(value).__name__}")
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt: str, title: str | None, buttons: str | None, mode: str | None, callback: Any) -> str:
        """A message box: `buttons` and `mode` as `_xlwindows.App.alert` maps them; the answer from `answers`."""
        if buttons not in (None, "ok", "ok_cancel", "yes_no", "yes_no_cancel"):
            raise KeyError(buttons)
        if mode not in (None, "info", "critical"):
            raise KeyError(mode)
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons or "ok", "mode": mode})
        if self.answers:
            return self.answers.pop(0)
        return "ok" if (buttons or "ok").startswith("ok") else "yes"

    def _dialog(self, args: dict[str, Any]) -> Any:
        self.dialogs.append(args)
        return self.open_filenames.pop(0) if self.open_filenames else False

    def quit(self) -> None:
        ENGINE._refs = [weakref.ref(a) for a in ENGINE._apps if a is not self]

    def kill(self) -> None:
        self.quit()


class Books(base_classes.Books):
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def active(self) -> Book | None:
        return self.app.active_book

    def __call__(self, name_or_index: int | str) -> Book:
        items = self.app._books
        if isinstance(name_or_index, int):
            return items[name_or_index - 1]
        for b in items:
            if b._name.lower() == name_or_index.lower():
                return b
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.app._books)

    def __iter__(self) -> Iterator[Book]:
        return iter(list(self.app._books))

    def add(self) -> Book:
        n = 1 + sum(1 for b in self.app._books if b._path is None)
        book = Book(self.app, f"Book{n}", None)
        book.sheets.add()
        return book

    def open(self, fullname: str, *args: Any, **kwargs: Any) -> Book:
        return _from_file(Path(fullname), self.app)


# ---------------------------------------------------------------- Book


class Book(base_classes.Book):
    def __init__(self, app: App, name: str, path: str | None) -> None:
        self._app = app
        self._name = name
        self._path = path  # the saved file; None for a book never saved
        self.cloud_url: str | None = None  # set: FullName is this URL, not mapped to a local file
        self._sheets: list[Sheet] = []
        self.active_sheet: Sheet | None = None
        self.selected: Range | None = None
        self.saves: list[str] = []  # where each save went
        app._books.append(self)
        app.active_book = self

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def app(self) -> App:
        return self._app

    @property
    def name(self) -> str:
        return self._name

    @property
    def fullname(self) -> str:
        """As `_xlwindows.Book.fullname`: a URL it cannot map to a local file raises XlwingsError."""
        if self.cloud_url is not None:
            raise XlwingsError("Couldn't find your local OneDrive file, see: xlwings.org/error")
        return self._path or self._name

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    @property
    def names(self) -> Any:
        raise NotImplementedError("names are not modelled")

    def activate(self) -> None:
        self.app.active_book = self

    def close(self) -> None:
        self.app._books.remove(self)
        if self.app.active_book is self:
            self.app.active_book = self.app._books[-1] if self.app._books else None

    def save(self, path: str | None = None, password: str | None = None) -> None:
        """As `_xlwindows.Book.save`: a book never saved, saved without a path, lands in the working folder."""
        if path is None and self._path is None:
            path = os.path.join(os.getcwd(), self._name + ".xlsx")
        elif path is not None and os.path.split(path)[0] == "":
            path = os.path.join(os.getcwd(), path)
        if path is not None:
            self._path = os.path.realpath(path)
            self._name = os.path.basename(self._path)
        assert self._path is not None
        self.saves.append(self._path)


class Sheets(base_classes.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def active(self) -> Sheet:
        return self.book.active_sheet or self.book._sheets[0]

    def __call__(self, name_or_index: int | str) -> Sheet:
        items = self.book._sheets
        if isinstance(name_or_index, int):
            return items[name_or_index - 1]
        for s in items:
            if s._name.lower() == name_or_index.lower():
                return s
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.book._sheets)

    def __iter__(self) -> Iterator[Sheet]:
        return iter(list(self.book._sheets))

    def add(self, before: Any = None, after: Any = None, name: str | None = None) -> Sheet:
        name = name or f"Sheet{len(self.book._sheets) + 1}"
        if any(s._name.lower() == name.lower() for s in self.book._sheets):
            raise ValueError(f"a sheet named {name!r} exists")
        sheet = Sheet(self.book, name)
        self.book._sheets.append(sheet)
        self.book.active_sheet = sheet
        return sheet


# ---------------------------------------------------------------- Sheet


class _Grid:
    """A sheet's cell values, one list per row, so rectangles read by slicing (as fast as COM's arrays)."""

    def __init__(self) -> None:
        self._rows: dict[int, list[Any]] = {}

    def get(self, cell: Cell) -> Any:
        r, c = cell
        row = self._rows.get(r)
        return None if row is None or c > len(row) else row[c - 1]

    def set(self, cell: Cell, value: Any) -> None:
        r, c = cell
        row = self._rows.get(r)
        if row is None:
            if value is None:
                return
            row = self._rows[r] = []
        if c > len(row):
            if value is None:
                return
            row.extend([None] * (c - len(row)))
        row[c - 1] = value

    def block(self, r1: int, c1: int, r2: int, c2: int) -> list[list[Any]]:
        width = c2 - c1 + 1
        pad = [None] * width
        out = []
        for r in builtins.range(r1, r2 + 1):
            row = self._rows.get(r)
            if row is None:
                out.append(list(pad))
                continue
            part = row[c1 - 1 : c2]
            if len(part) < width:
                part += [None] * (width - len(part))
            out.append(part)
        return out

    def last_row(self) -> int:
        return max((r for r, row in self._rows.items() if any(v is not None for v in row)), default=0)

    def items(self) -> list[tuple[Cell, Any]]:
        return [((r, c), v) for r, row in sorted(self._rows.items()) for c, v in enumerate(row, 1) if v is not None]


class Sheet(base_classes.Sheet):
    def __init__(self, book: Book, name: str) -> None:
        self._book = book
        self._name = name
        self.cells_ = _Grid()
        self.formats: dict[Cell, str] = {}
        self.column_formats: dict[int, str] = {}  # <cols> styles: what a cell without its own format shows
        self.formulas: dict[Cell, str] = {}
        self.hyperlinks: dict[Cell, str] = {}
        self._tables: dict[str, Table] = {}
        self._pictures: dict[str, Picture] = {}
        self.windows = book.app.flavour == "windows"  # dates kept as COM hands them over (ComTime)

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def book(self) -> Book:
        return self._book

    @property
    def index(self) -> int:
        return self._book._sheets.index(self) + 1

    def range(self, arg1: Any, arg2: Any = None) -> Range:
        """As `_xlwindows.Sheet.range`: an A1 reference (areas joined by commas), a (row, col) tuple, or two corners."""
        if isinstance(arg1, Range):
            box1: Box = arg1.box
            areas: list[Box] | None = None
        elif isinstance(arg1, tuple) and len(arg1) == 4:  # (row, col, nrows, ncols): how xlwings slices a range
            row, col, nrows, ncols = arg1
            if not nrows or not ncols:
                raise NotImplementedError("an empty slice of a range is not modelled")
            return Range(self, [(row, col, row + nrows - 1, col + ncols - 1)])
        elif isinstance(arg1, tuple):
            if 0 in arg1:
                raise IndexError("Attempted to access 0-based Range. xlwings/Excel Ranges are 1-based.")
            box1 = (arg1[0], arg1[1], arg1[0], arg1[1])
            areas = None
        else:
            areas = [parse_area(p) for p in str(arg1).split(",")]
            box1 = areas[0]
        if arg2 is None:
            return Range(self, areas or [box1])
        if isinstance(arg2, Range):
            box2 = arg2.box
        elif isinstance(arg2, tuple):
            if 0 in arg2:
                raise IndexError("Attempted to access 0-based Range. xlwings/Excel Ranges are 1-based.")
            box2 = (arg2[0], arg2[1], arg2[0], arg2[1])
        else:
            box2 = parse_area(str(arg2))
        return Range(self, [(min(box1[0], box2[0]), min(box1[1], box2[1]), max(box1[2], box2[2]), max(box1[3], box2[3]))])

    @property
    def cells(self) -> Range:
        return Range(self, [(1, 1, MAX_ROWS, MAX_COLUMNS)])

    def activate(self) -> None:
        self._book.active_sheet = self

    def select(self) -> None:
        self.activate()

    @property
    def tables(self) -> Tables:
        return Tables(self)

    @property
    def pictures(self) -> Pictures:
        return Pictures(self)

    def format_of(self, cell: Cell) -> str:
        return self.formats.get(cell) or self.column_formats.get(cell[1], "General")

    # cell storage, as Excel keeps what is written
    def store(self, cell: Cell, value: Any) -> None:
        """Write one value as Excel does when a COM/AppleScript value arrives.

        Text starting with "=" becomes a formula, unless the cell is formatted as
        Text (@); a leading apostrophe is Excel's prefix character, not part of
        the text.
        """
        self.formulas.pop(cell, None)
        if value is None or value == "":
            self.cells_.set(cell, None)
            return
        if isinstance(value, bool):
            pass
        elif isinstance(value, (int, float)):
            value = float(value)
        elif isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None)
            if self.format_of(cell) == "General":
                # Excel gives a General cell a date format when a date is written into it.
                self.formats[cell] = "m/d/yyyy" if value.time() == dt.time() else "m/d/yyyy h:mm"
            if self.windows:
                value = com_time(value)
        elif isinstance(value, str):
            if value.startswith("'"):
                value = value[1:] or None
            elif value.startswith("=") and self.format_of(cell) != "@":
                self.formulas[cell] = value
                m = _HYPERLINK.match(value)
                value = m.group(2).replace('""', '"') if m else value
        else:
            raise TypeError(f"Objects of type '{type(value).__name__}' can not be converted to a COM VARIANT")
        self.cells_.set(cell, value)
        for t in self._tables.values():
            if t.empty and t.insert_row_holds(cell):
                t.empty = False

    def links(self) -> dict[Cell, str]:
        out = dict(self.hyperlinks)
        for cell, f in self.formulas.items():
            m = _HYPERLINK.match(f)
            if m:
                out[cell] = m.group(1).replace('""', '"')
        return out


# ---------------------------------------------------------------- Range


class Range(base_classes.Range):
    """Areas of one sheet; like a COM Range, geometry and values are the first area's, `address` lists all."""

    def __init__(self, sheet: Sheet, areas: Sequence[Box]) -> None:
        for r1, c1, r2, c2 in areas:
            if r1 < 1 or c1 < 1 or r2 < r1 or c2 < c1 or r2 > MAX_ROWS or c2 > MAX_COLUMNS:
                raise ValueError(f"bad range rows {r1}-{r2}, columns {c1}-{c2}")
        self.sheet = sheet
        self.areas = list(areas)
        self.options: Any = None  # assigned by xlwings.main.Range

    @property
    def box(self) -> Box:
        return self.areas[0]

    @property
    def _app(self) -> App:
        return self.sheet._book.app

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def coords(self) -> tuple[Any, int, int, int, int]:
        r1, c1, r2, c2 = self.box
        return self.sheet, r1, c1, r2 - r1 + 1, c2 - c1 + 1

    def __len__(self) -> int:
        _, _, _, n, m = self.coords
        return n * m

    @property
    def row(self) -> int:
        return self.box[0]

    @property
    def column(self) -> int:
        return self.box[1]

    @property
    def shape(self) -> tuple[int, int]:
        _, _, _, n, m = self.coords
        return n, m

    def __call__(self, row: int, col: int | None = None) -> Range:
        r1, c1, _, _ = self.box
        if col is None:  # a 1-based index over the cells, row by row
            n = self.shape[1]
            row, col = (row - 1) // n + 1, (row - 1) % n + 1
        return Range(self.sheet, [(r1 + row - 1, c1 + col - 1, r1 + row - 1, c1 + col - 1)])

    @property
    def raw_value(self) -> Any:
        """The cells in the engine's raw form (see the module docstring): COM's tuples or AppleScript's lists."""
        self._app.calls += 1
        r1, c1, r2, c2 = self.box
        grid = self.sheet.cells_.block(r1, c1, r2, c2)
        if not self.sheet.windows:
            grid = [["" if v is None else v for v in row] for row in grid]
            return grid[0][0] if (r1, c1) == (r2, c2) else grid
        return grid[0][0] if (r1, c1) == (r2, c2) else tuple(map(tuple, grid))

    @property
    def max_cells_per_read(self) -> int | None:
        """As each engine: AppleScript's event buffer caps a read (`_xlmac`), COM takes xlwings' default."""
        return 1_500_000 if not self.sheet.windows else base_classes.DEFAULT_MAX_CELLS_PER_READ

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        self._app.calls += 1
        r1, c1, r2, c2 = self.box
        store = self.sheet.store
        if isinstance(data, (list, tuple)):
            rows = [list(r) for r in data] if data and isinstance(data[0], (list, tuple)) else [list(data)]
            if len(rows) != r2 - r1 + 1 or any(len(r) != c2 - c1 + 1 for r in rows):
                raise ValueError(f"{len(rows)}x{len(rows[0]) if rows else 0} values for a {r2 - r1 + 1}x{c2 - c1 + 1} range")
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    store((r1 + i, c1 + j), v)
            return
        for r in builtins.range(r1, r2 + 1):
            for c in builtins.range(c1, c2 + 1):
                store((r, c), data)

    def clear_contents(self) -> None:
        self._app.calls += 1
        for r1, c1, r2, c2 in self.areas:
            for r in builtins.range(r1, min(r2, self.sheet.cells_.last_row()) + 1):
                for c in builtins.range(c1, c2 + 1):
                    self.sheet.store((r, c), None)
                    self.sheet.hyperlinks.pop((r, c), None)

    def end(self, direction: str) -> Range:
        r, c = self.box[0], self.box[1]
        get = self.sheet.cells_.get
        if direction in ("down", "d"):
            while r < MAX_ROWS and get((r + 1, c)) is not None:
                r += 1
        elif direction in ("right", "r"):
            while c < MAX_COLUMNS and get((r, c + 1)) is not None:
                c += 1
        else:
            raise NotImplementedError(f"end({direction!r})")
        return Range(self.sheet, [(r, c, r, c)])

    @property
    def has_array(self) -> bool:
        return False

    @property
    def formula(self) -> Any:
        cell = self.box[:2]
        got = self.sheet.formulas.get(cell)
        if got is not None:
            return got
        v = self.sheet.cells_.get(cell)
        return "" if v is None else naive(v)

    @formula.setter
    def formula(self, value: Any) -> None:
        self.raw_value = value

    @property
    def number_format(self) -> str:
        self._app.calls += 1
        return self.sheet.format_of(self.box[:2])

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._app.calls += 1
        r1, c1, r2, c2 = self.box
        for r in builtins.range(r1, r2 + 1):
            for c in builtins.range(c1, c2 + 1):
                self.sheet.formats[(r, c)] = value

    def get_address(self, row_absolute: bool, col_absolute: bool, external: bool) -> str:
        address = ",".join(area_address(a, row_absolute, col_absolute) for a in self.areas)
        return f"[{self.sheet._book._name}]{self.sheet._name}!{address}" if external else address

    @property
    def address(self) -> str:
        return self.get_address(True, True, False)

    @property
    def hyperlink(self) -> str:
        link = self.sheet.links().get(self.box[:2])
        if link is None:
            raise Exception("The cell doesn't seem to contain a hyperlink!")
        return link

    def add_hyperlink(self, address: str, text_to_display: str | None = None, screen_tip: str | None = None) -> None:
        if len(self) != 1:
            raise ValueError("add_hyperlink works on a single cell")
        self._app.calls += 1
        cell = self.box[:2]
        self.sheet.store(cell, text_to_display if text_to_display is not None else address)
        self.sheet.hyperlinks[cell] = address

    @property
    def table(self) -> Table | None:
        r, c = self.box[:2]
        return next((t for t in self.sheet._tables.values() if t.r1 <= r <= t.r2 and t.c1 <= c <= t.c2), None)

    def select(self) -> None:
        self.sheet._book.active_sheet = self.sheet
        self.sheet._book.selected = self

    @property
    def left(self) -> float:
        return (self.box[1] - 1) * 48.0  # Excel's default column width, 64 px

    @property
    def top(self) -> float:
        return (self.box[0] - 1) * 15.0  # Excel's default row height, 20 px


# ---------------------------------------------------------------- Tables


class Tables(base_classes.Tables):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def parent(self) -> Sheet:
        return self.sheet

    def __call__(self, key: int | str) -> Table:
        items = list(self.sheet._tables.values())
        if isinstance(key, int):
            return items[key - 1]
        for t in items:
            if t._name.lower() == key.lower():
                return t
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.sheet._tables)

    def __iter__(self) -> Iterator[Table]:
        return iter(list(self.sheet._tables.values()))

    def __contains__(self, key: str) -> bool:
        return any(t._name.lower() == key.lower() for t in self.sheet._tables.values())

    def add(self, source: Any = None, name: str | None = None, source_type: Any = None, link_source: Any = None,
            has_headers: Any = True, destination: Any = None, table_style_name: Any = None) -> Table:
        r1, c1, r2, c2 = source.impl.box
        t = Table(self.sheet, name or f"Table{len(self.sheet._tables) + 1}", r1, c1, r2, c2)
        self.sheet._tables[t._name] = t
        return t


class Table(base_classes.Table):
    """A ListObject: a header row and a data body; with no data row left, only an insert row (data_body_range None)."""

    def __init__(self, sheet: Sheet, name: str, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet = sheet
        self._name = name
        self.r1, self.c1, self.r2, self.c2 = r1, c1, r2, c2
        self.empty = False  # every data row deleted: r2 is the insert row
        self._kept: dict[str, Any] = {"show_totals": False}

    show_totals = _kept("show_totals")

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def parent(self) -> Sheet:
        return self.sheet

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self.sheet._tables[value] = self.sheet._tables.pop(self._name)
        self._name = value

    @property
    def range(self) -> Range:
        return Range(self.sheet, [(self.r1, self.c1, self.r2, self.c2)])

    @property
    def header_row_range(self) -> Range:
        return Range(self.sheet, [(self.r1, self.c1, self.r1, self.c2)])

    @property
    def data_body_range(self) -> Range | None:
        if self.empty or self.r2 <= self.r1:
            return None
        return Range(self.sheet, [(self.r1 + 1, self.c1, self.r2, self.c2)])

    @property
    def insert_row_range(self) -> Range | None:
        return Range(self.sheet, [(self.r2, self.c1, self.r2, self.c2)]) if self.empty else None

    def insert_row_holds(self, cell: Cell) -> bool:
        r, c = cell
        return r == self.r2 and self.c1 <= c <= self.c2

    def resize(self, range: Any) -> None:  # noqa: A002 - xlwings' name
        """ListObject.Resize: the header stays where it is, every column keeps a header, one row at least."""
        self.sheet._book.app.calls += 1
        new: Range = range.impl
        r1, c1, r2, c2 = new.box
        if new.sheet is not self.sheet or (r1, c1) != (self.r1, self.c1):
            raise ValueError("a table can only be resized keeping its header row where it is")
        if r2 <= r1:
            raise ValueError("a table keeps at least one data row")
        if any(self.sheet.cells_.get((r1, c)) is None for c in builtins.range(c1, c2 + 1)):
            raise ValueError("every column of a table needs a header")
        if r2 > self.r2:
            self.empty = False
        self.r2, self.c2 = r2, c2


# ---------------------------------------------------------------- Pictures


class Picture(base_classes.Picture):
    def __init__(self, sheet: Sheet, name: str, data: bytes, left: float, top: float) -> None:
        self.sheet = sheet
        self._name = name
        self.data = data
        self._kept: dict[str, Any] = {"left": left, "top": top, "width": 100.0, "height": 100.0,
                                      "lock_aspect_ratio": True}

    left = _kept("left")
    top = _kept("top")
    width = _kept("width")
    height = _kept("height")
    lock_aspect_ratio = _kept("lock_aspect_ratio")

    @property
    def api(self) -> Any:
        return NATIVE

    @property
    def parent(self) -> Sheet:
        return self.sheet

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self.sheet._pictures[value] = self.sheet._pictures.pop(self._name)
        self._name = value

    def delete(self) -> None:
        self.sheet._pictures.pop(self._name, None)

    def index(self) -> int:
        return list(self.sheet._pictures).index(self._name) + 1


class Pictures(base_classes.Pictures):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def parent(self) -> Sheet:
        return self.sheet

    def __call__(self, key: int | str) -> Picture:
        if isinstance(key, int):
            return list(self.sheet._pictures.values())[key - 1]
        return self.sheet._pictures[key]

    def __len__(self) -> int:
        return len(self.sheet._pictures)

    def __iter__(self) -> Iterator[Picture]:
        return iter(list(self.sheet._pictures.values()))

    def __contains__(self, key: str) -> bool:
        return key in self.sheet._pictures

    def add(self, filename: str, link_to_file: bool, save_with_document: bool, left: float | None, top: float | None,
            width: float | None = None, height: float | None = None, anchor: Any = None) -> Picture:
        if anchor is not None:
            left, top = anchor.left, anchor.top
        name = f"Picture {len(self.sheet._pictures) + 1}"
        pic = Picture(self.sheet, name, Path(filename).read_bytes(), left or 0.0, top or 0.0)
        self.sheet._pictures[name] = pic
        return pic


# ---------------------------------------------------------------- what tests use


def load(path: str | Path, flavour: str = "windows", app: xlwings.App | None = None) -> xlwings.Book:
    """A real .xlsx opened in a new test Excel (or `app`): values, number formats and tables, as an xlwings.Book."""
    register()
    impl = app.impl if app is not None else App(flavour)
    return xlwings.Book(impl=_from_file(Path(path), impl))


def new_book(name: str = "Book1", flavour: str = "windows") -> xlwings.Book:
    """A workbook never saved (FullName is its name), with one sheet."""
    register()
    book = Book(App(flavour), name, None)
    book.sheets.add(name="Sheet1")
    return xlwings.Book(impl=book)


def excel(book: xlwings.Book) -> App:
    """The test Excel behind a book: alerts, answers, status history, dialogs, open_filenames, calls."""
    impl = book.impl.app
    assert isinstance(impl, App), f"{book!r} is not on the test engine"
    return impl


def select(book: xlwings.Book, sheet: str, *refs: str) -> xlwings.Range:
    """Select cells as the user does (several refs: a Ctrl+click selection of several areas)."""
    sh = book.sheets[sheet]
    sh.activate()
    rng = sh.range(",".join(refs))
    rng.select()
    return rng


def empty_table(book: xlwings.Book, name: str) -> None:
    """Delete every data row of a table, as a user does: only the header and a blank insert row are left."""
    for sheet in book.impl._sheets:
        t = sheet._tables.get(name)
        if t is not None:
            Range(sheet, [(t.r1 + 1, t.c1, t.r2, t.c2)]).clear_contents()
            t.r2, t.empty = t.r1 + 1, True
            return
    raise KeyError(name)


def as_unsaved(book: xlwings.Book, name: str = "Book1") -> None:
    """The workbook as Excel shows one never saved (a copy of a template, a new book): FullName is its name."""
    book.impl._path, book.impl._name = None, name


def put_in_cloud(book: xlwings.Book, url: str = "https://d.docs.live.net/0123456789abcdef/Relist.xlsx") -> None:
    """The workbook as Excel shows one on OneDrive that xlwings cannot map to a synced local file."""
    book.impl.cloud_url = url


def dump(book: xlwings.Book) -> dict[str, Any]:
    """Every table (header + rows, as Excel holds them), every sheet's cells and hyperlinks."""
    out: dict[str, Any] = {"tables": {}, "cells": {}, "hyperlinks": {}}
    for sheet in book.impl._sheets:
        for t in sheet._tables.values():
            out["tables"][t._name] = [[naive(v) for v in row] for row in sheet.cells_.block(t.r1, t.c1, t.r2, t.c2)]
        out["cells"][sheet._name] = {f"{col_letters(c)}{r}": naive(v) for (r, c), v in sheet.cells_.items()}
        out["hyperlinks"][sheet._name] = {f"{col_letters(c)}{r}": a for (r, c), a in sorted(sheet.links().items())}
    return out


# ---------------------------------------------------------------- loading a real .xlsx


def _file_value(value: Any) -> Any:
    """A value python-calamine read from a file, as Excel hands it over."""
    if value == "" or value is None:
        return None
    if isinstance(value, dt.time):
        return dt.datetime.combine(_EXCEL_TIME_DAY.date(), value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.timedelta):
        return _EXCEL_TIME_DAY + value
    return value


def _from_file(path: Path, app: App) -> Book:
    import python_calamine

    book = Book(app, path.name, str(path.resolve()))
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = _rels(zf, "xl/_rels/workbook.xml.rels")
        parts: list[tuple[str, str]] = []
        for el in wb.iterfind("m:sheets/m:sheet", _NS):
            parts.append((el.get("name", ""), _resolve("xl/workbook.xml", rels[el.get(f"{{{_NS['r']}}}id", "")])))
        tables: dict[str, list[tuple[str, str]]] = {}
        for name, part in parts:
            rels_part = _rels_path(part)
            if rels_part in names:
                for target in _rels(zf, rels_part, "/table").values():
                    t = ET.fromstring(zf.read(_resolve(part, target)))
                    tables.setdefault(name, []).append((t.get("displayName") or t.get("name") or "", t.get("ref", "")))
        formats, column_formats = _cell_formats(zf, names, parts)
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    for name, _part in parts:
        sheet = Sheet(book, name)
        book._sheets.append(sheet)
        for r, row in enumerate(cal.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1):
            for c, v in enumerate(row, start=1):
                val = _file_value(v)
                if val is not None:
                    sheet.cells_.set((r, c), com_time(val) if sheet.windows and isinstance(val, dt.datetime) else val)
        sheet.formats.update(formats.get(name, {}))
        sheet.column_formats.update(column_formats.get(name, {}))
        for tname, ref in tables.get(name, []):
            sheet._tables[tname] = Table(sheet, tname, *parse_area(ref))
    book.active_sheet = book._sheets[0] if book._sheets else None
    return book


# Built-in number formats (ECMA-376 18.8.30) that show dates or times.
_BUILTIN_FORMATS = {14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
                    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 49: "@"}
_CELL_STYLE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bs="(\d+)"|<(?:\w+:)?c\b[^>]*?\bs="(\d+)"[^>]*?\br="([A-Z]+)(\d+)"')


_COL_STYLE = re.compile(rb'<(?:\w+:)?col\b([^>]*)/?>')


def _cell_formats(zf: zipfile.ZipFile, names: set[str],
                  parts: list[tuple[str, str]]) -> tuple[dict[str, dict[Cell, str]], dict[str, dict[int, str]]]:
    """Number format code of every styled cell and of every styled column, per sheet (what Range.number_format answers)."""
    if "xl/styles.xml" not in names:
        return {}, {}
    styles = ET.fromstring(zf.read("xl/styles.xml"))
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in styles.iterfind("m:numFmts/m:numFmt", _NS)}
    xfs = [int(x.get("numFmtId", "0")) for x in styles.iterfind("m:cellXfs/m:xf", _NS)]
    codes = [custom.get(i) or _BUILTIN_FORMATS.get(i, "General") for i in xfs]
    out: dict[str, dict[Cell, str]] = {}
    columns: dict[str, dict[int, str]] = {}
    for name, part in parts:
        xml = zf.read(part)
        by_column: dict[int, str] = {}
        for m in _COL_STYLE.finditer(xml):
            attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
            style = int(attrs.get(b"style", b"0"))
            if style and style < len(codes) and codes[style] != "General":
                for c in builtins.range(int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1")) + 1):
                    by_column[c] = codes[style]
        columns[name] = by_column
        got: dict[Cell, str] = {}
        for m in _CELL_STYLE.finditer(xml):
            letters, row, style = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(6), m.group(4))
            k = int(style)
            if k < len(codes) and codes[k] != "General":
                got[(int(row), col_index(letters.decode()))] = codes[k]
        out[name] = got
    return out, columns


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
    return {r.get("Id", ""): r.get("Target", "") for r in root.iterfind("pr:Relationship", _NS)
            if r.get("Type", "").endswith(type_suffix)}
