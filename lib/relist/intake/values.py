"""Cell values -> typed values: money, whole numbers, decimals, yes/no, dates and times.

Each function takes the cell text as read and returns the value, None for an empty cell, or raises CellError with a sentence saying
what is wrong. Dates are read in the US formats and ISO 8601; a day/month that could be
either is decided by the DateOrder setting (MDY or DMY), never guessed per row.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Literal

from relist.intake.problems import CellError

Cell = str
DateOrder = Literal["MDY", "DMY"]

_MONEY = re.compile(r"^\s*\$?\s*(-?\d{1,3}(?:,\d{3})+|-?\d+)?(\.\d+)?\s*([kKmM])?\s*$")
_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:,\d{3})+|-?\d*)(\.\d*)?\s*$")
_TRUE = frozenset({"y", "yes", "true", "t", "1", "x", "dnc", "on"})
_FALSE = frozenset({"n", "no", "false", "f", "0", "", "off", "-"})

_MONTHS = {
    m: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_SLASH = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_TEXT_MONTH = re.compile(
    r"^(?:(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{4})|([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}))"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def money(cell: Cell) -> float | None:
    """'$425,000', '425000.00', '425K', '$1.2M' -> dollars; blank -> None."""
    s = cell.strip()
    if not s:
        return None
    m = _MONEY.match(s)
    if not m or (m.group(1) is None and m.group(2) is None):
        raise CellError(f"{s!r} is not an amount of money (write it like 425000, $425,000 or 425K).")
    value = float((m.group(1) or "0").replace(",", "") + (m.group(2) or ""))
    suffix = (m.group(3) or "").lower()
    if suffix == "k":
        value *= 1_000
    elif suffix == "m":
        value *= 1_000_000
    if value < 0:
        raise CellError(f"{s!r} is a negative amount.")
    return round(value, 2)


def number(cell: Cell) -> float | None:
    """'1,850', '2.5', '3' -> float; blank -> None."""
    s = cell.strip()
    if not s:
        return None
    m = _NUMBER.match(s)
    if not m or not (m.group(1).strip("-") or (m.group(2) or "").strip(".")):
        raise CellError(f"{s!r} is not a number.")
    return float(m.group(1).replace(",", "") + (m.group(2) or "") or "0")


def whole(cell: Cell) -> int | None:
    """'3', '3.0', '1,850' -> int; '2.5' and words are errors; blank -> None."""
    v = number(cell)
    if v is None:
        return None
    if v != int(v):
        raise CellError(f"{cell.strip()!r} is not a whole number.")
    return int(v)


def yes_no(cell: Cell) -> bool | None:
    """Y/Yes/True/1/X/DNC -> True, N/No/False/0 -> False; blank -> None."""
    s = cell.strip().lower()
    if not s:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(f"{cell.strip()!r} is not yes or no.")


def _hour(h: str | None, ampm: str | None) -> int:
    hour = int(h or 0)
    if ampm:
        pm = ampm[0].lower() == "p"
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if pm else 0)
    return hour


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _zone(z: str | None) -> timedelta | None:
    if z is None:
        return None
    if z == "Z":
        return timedelta(0)
    sign = -1 if z[0] == "-" else 1
    digits = z[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def datetime_value(cell: Cell, order: DateOrder = "MDY") -> tuple[datetime, bool] | None:
    """A cell as (datetime, has_time). Offsets are applied and dropped: a time with an
    offset becomes aware; a time without one stays naive (the market's local time).
    Blank -> None; anything else that is not a date raises CellError."""
    s = cell.strip()
    if not s:
        return None
    try:
        m = _ISO.match(s)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            dt = datetime(y, mo, d, int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0))
            off = _zone(m.group(7))
            if off is not None:
                dt = dt.replace(tzinfo=timezone(off))
            return dt, m.group(4) is not None
        m = _SLASH.match(s)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            month, day = (a, b) if order == "MDY" else (b, a)
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                other = "DMY" if order == "MDY" else "MDY"
                raise CellError(
                    f"{s!r} is not a date in {order} order (Settings > Date order); "
                    f"if this file writes dates {other}, change Settings > Date order to {other}."
                )
            dt = datetime(_year(m.group(3)), month, day, _hour(m.group(4), m.group(7)), int(m.group(5) or 0), int(m.group(6) or 0))
            return dt, m.group(4) is not None
        m = _TEXT_MONTH.match(s)
        if m:
            if m.group(1):
                day, mon, year = int(m.group(1)), m.group(2), int(m.group(3))
            else:
                mon, day, year = m.group(4), int(m.group(5)), int(m.group(6))
            named = _MONTHS.get(mon.lower())
            if named is None:
                raise CellError(f"{s!r} is not a date ({mon!r} is not a month).")
            dt = datetime(year, named, day, _hour(m.group(7), m.group(10)), int(m.group(8) or 0), int(m.group(9) or 0))
            return dt, m.group(7) is not None
        m = _COMPACT.match(s)
        if m:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))), False
        serial = float(s)
        if 20000 < serial < 80000:  # an Excel serial day number (1954..2119) pasted as text
            dt = _EXCEL_EPOCH + timedelta(days=serial)
            return dt.replace(microsecond=0), serial != int(serial)
    except CellError:
        raise
    except ValueError:
        pass
    raise CellError(f"{s!r} is not a date (write it like 11/24/2026, 2026-11-24 or Nov 24, 2026).")


def date_value(cell: Cell, order: DateOrder = "MDY") -> date | None:
    """A cell as a calendar date (any time of day is dropped)."""
    got = datetime_value(cell, order)
    return None if got is None else got[0].date()
