"""The workbook port: what services may ask of a Relist workbook, whatever holds it.

Two adapters implement it: `file_adapter.FileWorkbook` (an .xlsx on disk) and
`live_adapter.LiveWorkbook` (the book open in Excel, through xlwings). Both pass
the same contract tests. Values cross the port as plain Python values typed by
the schema: text -> str, int -> int, money/float/pct -> float, date -> date,
datetime -> naive datetime in the agent's time zone, time -> time, bool -> bool,
link -> str (the cell's text; the adapter derives the hyperlink target).
Empty cells are None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from relist import schema
from relist.compliance.numbers import us_form

if TYPE_CHECKING:
    import pandas as pd

Record = dict[str, Any]

EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Selection:
    """The rows the user selected, as records of the product table they belong to."""

    sheet: str
    table: str | None
    records: list[Record]


class WorkbookPort(Protocol):
    """What a service may do with a Relist workbook."""

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[Record]:
        """All rows of a product table as records (only `columns` if given)."""
        ...

    def read_frame(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All rows of a product table as a DataFrame."""
        ...

    def append_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Add rows at the end of a table; missing columns stay empty."""
        ...

    def update_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key: str | None = None) -> int:
        """Change the given columns of the rows whose key matches; returns rows changed."""
        ...

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace every row of a table (used for Today, Sequence edits, Settings)."""
        ...

    def read_cells(self, sheet: str, refs: Sequence[str]) -> dict[str, Any]:
        """Values of single cells (A1 references) of a free-form sheet."""
        ...

    def write_cells(self, sheet: str, cells: Mapping[str, Any]) -> None:
        """Set single cells (A1 references) of a free-form sheet; formulas start with '='."""
        ...

    def add_picture(self, sheet: str, png: bytes, anchor: str, name: str) -> None:
        """Place (or replace, by name) a PNG picture with its top-left at `anchor`."""
        ...

    def selection(self) -> Selection | None:
        """The selected rows (live workbook only; a file has no selection)."""
        ...

    def tell(self, message: str, level: str = "info") -> None:
        """Show the user a message (alert in Excel, stderr on the CLI)."""
        ...

    def status(self, message: str) -> None:
        """Progress for long work (status bar in Excel)."""
        ...

    def save(self) -> None:
        """Make the changes durable (atomic for files)."""
        ...


# ---------------------------------------------------------------- value coercion

_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def excel_serial_to_datetime(value: float) -> datetime:
    return EXCEL_EPOCH + timedelta(days=float(value))


shown_phone = us_form
"""How a Phone column shows a number: +13055550100 as (305) 555-0100, any other text as given."""


def stored_phone(text: str) -> str:
    """A US/Canada number however written ((305) 555-0100, 305.555.0100, 1-305-...) as E.164; any other text as given."""
    if len(text) == 14 and text[0] == "(" and text[4:6] == ") " and text[9] == "-":  # as shown_phone writes it
        digits = text[1:4] + text[6:9] + text[10:]
        if digits.isdigit() and digits.isascii() and text[1] not in "01":
            return "+1" + digits
    if text.startswith("+") and text[1:].isdigit():
        return text
    if any(ch.isalpha() for ch in text):
        return text
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) == 10 and digits[0] not in "01":
        return "+1" + digits
    return text


def phone_reader() -> Callable[[Any], str | None]:
    """A cell value of a phone column as E.164 (`stored_phone`), remembering each text it has read.

    A year's touch log holds the same few numbers thousands of times: one dictionary
    look-up per cell instead of taking every cell's digits apart again.
    """
    seen: dict[str, str | None] = {}

    def read(value: Any) -> str | None:
        if value.__class__ is not str:  # a number Excel made of a typed number, or nothing
            text = coerce_text(value)
            return None if text is None else stored_phone(text)
        try:
            return seen[value]
        except KeyError:
            got = seen[value] = stored_phone(value) if value else None
            return got

    return read


def coerce(col: schema.Column, value: Any) -> Any:
    """A cell value as the schema type; unparseable values are kept as given."""
    if value is None:
        return None
    if col.us_phone:
        text = coerce_text(value)
        return None if text is None else stored_phone(text)
    if isinstance(value, str):
        if value == "":
            return None
        if col.type in ("text", "link"):
            return value
    t = col.type
    try:
        if t in ("text", "link"):
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            if isinstance(value, datetime):
                return value.isoformat(sep=" ")
            return str(value)
        if t == "bool":
            if isinstance(value, bool):
                return value
            s = str(value).strip().lower()
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            return value
        if t == "int":
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, (int, float)):
                return int(round(value))
            return int(round(float(str(value).replace(",", ""))))
        if t in ("float", "money", "pct"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return float(str(value).replace(",", "").replace("$", ""))
        if t == "datetime":
            if isinstance(value, datetime):
                return value.replace(tzinfo=None, microsecond=0) if value.tzinfo is None else value
            if isinstance(value, date):
                return datetime(value.year, value.month, value.day)
            if isinstance(value, (int, float)):
                return excel_serial_to_datetime(value).replace(microsecond=0)
            return datetime.fromisoformat(str(value))
        if t == "date":
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            if isinstance(value, (int, float)):
                return excel_serial_to_datetime(value).date()
            return date.fromisoformat(str(value)[:10])
        if t == "time":
            if isinstance(value, time):
                return value
            if isinstance(value, datetime):
                return value.time()
            if isinstance(value, timedelta):
                secs = int(value.total_seconds()) % 86400
                return time(secs // 3600, secs % 3600 // 60)
            if isinstance(value, (int, float)):
                secs = round(float(value) % 1 * 86400)
                return time(secs // 3600 % 24, secs % 3600 // 60)
            return time.fromisoformat(str(value))
    except (ValueError, TypeError, OverflowError):
        return value
    return value


def coerce_text(value: Any) -> str | None:
    """A cell value as text (numbers without a trailing .0)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def converter(col: schema.Column) -> Callable[[Any], Any]:
    """A fast cell -> value function for one column: common types pass straight through."""
    t = col.type
    if col.us_phone:
        return phone_reader()
    if t in ("text", "link"):
        return lambda v: v if type(v) is str and v != "" else None if v == "" or v is None else coerce(col, v)
    if t in ("float", "money", "pct"):
        return lambda v: v if type(v) is float else None if v == "" or v is None else coerce(col, v)
    if t == "int":
        return lambda v: int(v) if type(v) is float and v.is_integer() else None if v == "" or v is None else coerce(col, v)
    if t == "datetime":
        return lambda v: (
            v if type(v) is datetime and not v.microsecond and v.tzinfo is None
            else None if v == "" or v is None else coerce(col, v)
        )
    if t == "date":
        return lambda v: v if type(v) is date else None if v == "" or v is None else coerce(col, v)
    if t == "bool":
        return lambda v: True if v == "Yes" else False if v == "No" else None if v == "" or v is None else coerce(col, v)
    return lambda v: None if v == "" or v is None else coerce(col, v)


def link_target(col: schema.Column, text: Any) -> str | None:
    """The hyperlink target for a link column's cell text, or None for no link."""
    if text is None or text == "" or col.link is None:
        return None
    if isinstance(text, schema.LinkText):
        return text.target
    s = str(text)
    if col.link == "tel":
        digits = "".join(ch for ch in s if ch.isdigit() or ch == "+")
        if len(digits) == 10 and digits.isdigit():  # (305) 555-0100: a US number shown the US way
            digits = "+1" + digits
        return f"tel:{digits}" if digits else None
    if col.link == "mailto":
        return f"mailto:{s}" if "@" in s else None
    if col.link == "sms":
        return s if s.startswith("sms:") else f"sms:{s}"
    return s


def check_columns(spec: schema.TableSheet, rows: Sequence[Mapping[str, Any]], extra: Sequence[str] = ()) -> None:
    """Refuse rows naming columns the table does not have (a programming error, caught early)."""
    known = set(spec.names) | set(extra)
    for r in rows:
        unknown = set(r) - known
        if unknown:
            raise KeyError(f"{spec.table} has no column(s) {sorted(unknown)}")


def missing_columns(book: str, spec: schema.TableSheet, columns: Sequence[str]) -> Exception | None:
    """The refusal for a product table whose columns lack some of the schema's (a header renamed or a column deleted), or None.

    A header is recognised by its label or its old name, whatever the case, spaces or
    punctuation (schema.TableSheet.fields); any other header is the user's own column.
    """
    from relist.errors import WorkbookError

    gone = [spec.column(c).header for c in spec.names if c not in columns]
    if not gone:
        return None
    named = ", ".join(f"'{h}'" for h in gone)
    return WorkbookError(
        f"{book}: the {spec.sheet} sheet has no {named} column{'s' if len(gone) > 1 else ''} (a header renamed or a column deleted); nothing was changed.",
        f"Name the header{'s' if len(gone) > 1 else ''} {named} again on the {spec.sheet} sheet (or restore a backup).",
    )


def meta_version(name: str, meta: Mapping[str, Any], hint: str) -> int:
    """The schema version the hidden meta sheet records; refuses a workbook that is not Relist's or is newer than this Relist.

    `meta`: the sheet's key -> value rows; `hint`: how to fix a workbook that is not Relist's (differs by front).
    """
    from relist.errors import NotARelistWorkbook, SchemaTooNew

    if meta.get("product") != schema.PRODUCT_MARKER:
        raise NotARelistWorkbook(f"{name} is not a Relist workbook.", hint)
    try:
        version = int(float(meta.get("schema_version") or 0))
    except (TypeError, ValueError):
        version = 0
    if version > schema.SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{name} was written by a newer Relist (workbook version {version}, this Relist knows {schema.SCHEMA_VERSION}).",
            "Update Relist: pip install --upgrade relist.",
        )
    return version
