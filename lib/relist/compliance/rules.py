"""The state telemarketing rules and holiday bans, read from the CSV files the user can read and edit.

`relist/data/state_rules.csv` holds one rule a row (hours, Sunday and holiday bans, frequency
caps, the Washington quiet year, state DNC lists), each citing its source and its status
([src], [2nd], [gen]) from the compliance reference. `state_holidays.csv` lists the banned
holidays per state. A copy of either file placed in the workbook's `<stem>.dnc/` folder is used
instead of the packaged one, so an agent can correct a rule without a new release.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from importlib import resources
from pathlib import Path

from relist.errors import BadInput
from relist.model import CHANNEL_NAMES, Channel

RULES_FILE = "state_rules.csv"
HOLIDAYS_FILE = "state_holidays.csv"
FEDERAL = "US"
STATUSES = ("[src]", "[2nd]", "[gen]")
RULE_KINDS = ("hours", "no_sunday", "no_holidays", "cap", "quiet_after_request", "own_dnc_list")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RULE_COLUMNS = ("state", "rule", "days", "start", "end", "limit", "period", "channels", "status", "source", "note")
_HOLIDAY_COLUMNS = ("state", "holiday", "date_rule", "observed", "status", "source", "note")
_ORDINALS = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class StateRule:
    """One row of state_rules.csv."""

    state: str
    rule: str
    days: frozenset[int] = frozenset(range(7))
    start: time | None = None
    end: time | None = None
    limit: int | None = None
    period: timedelta | None = None
    channels: frozenset[str] = frozenset({"call", "text"})
    status: str = "[src]"
    source: str = ""
    note: str = ""
    line: int = 0

    def applies_to(self, channel: str) -> bool:
        return channel in self.channels

    @property
    def cite(self) -> str:
        return f"{self.source} {self.status}".strip()

    def hours_text(self) -> str:
        assert self.start is not None and self.end is not None
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class HolidayRule:
    """One row of state_holidays.csv: a banned day, by a date rule."""

    state: str
    name: str
    date_rule: str
    observed: bool
    status: str
    source: str
    note: str = ""
    line: int = 0

    def dates(self, year: int) -> list[date]:
        """The banned dates of this holiday in a year (the day itself, and its observed weekday)."""
        day = resolve_date_rule(self.date_rule, year)
        if day is None:
            return []
        out = [day]
        if self.observed and day.weekday() == 5:
            out.append(day - timedelta(days=1))
        elif self.observed and day.weekday() == 6:
            out.append(day + timedelta(days=1))
        return out


@dataclass(frozen=True)
class RuleBook:
    """Every state rule and holiday, indexed by state."""

    rules: tuple[StateRule, ...]
    holidays: tuple[HolidayRule, ...] = ()
    rules_path: str = ""
    holidays_path: str = ""
    _by_state: Mapping[str, tuple[StateRule, ...]] = field(default_factory=dict, repr=False, compare=False)
    _holidays_by_state: Mapping[str, tuple[HolidayRule, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by: dict[str, list[StateRule]] = {}
        for r in self.rules:
            by.setdefault(r.state, []).append(r)
        hol: dict[str, list[HolidayRule]] = {}
        for h in self.holidays:
            hol.setdefault(h.state, []).append(h)
        object.__setattr__(self, "_by_state", {k: tuple(v) for k, v in by.items()})
        object.__setattr__(self, "_holidays_by_state", {k: tuple(v) for k, v in hol.items()})

    def for_state(self, state: str, kind: str | None = None, channel: str | None = None) -> tuple[StateRule, ...]:
        rows = self._by_state.get(state, ())
        return tuple(
            r for r in rows if (kind is None or r.rule == kind) and (channel is None or r.applies_to(channel))
        )

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(s for s in self._by_state if s != FEDERAL)

    def holiday_on(self, state: str, day: date) -> HolidayRule | None:
        """The banned holiday of `state` falling on `day`, if any."""
        for h in self._holidays_by_state.get(state, ()):
            if day in _holiday_dates(h, day.year):
                return h
        return None

    def holidays_of(self, state: str) -> tuple[HolidayRule, ...]:
        return self._holidays_by_state.get(state, ())


@functools.lru_cache(maxsize=4096)
def _holiday_dates(h: HolidayRule, year: int) -> frozenset[date]:
    return frozenset(h.dates(year)) | frozenset(d for d in h.dates(year + 1) if d.year == year)


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return date(year, month, day + 1)


def resolve_date_rule(rule: str, year: int) -> date | None:
    """A holiday date rule for a year: 'MM-DD', 'YYYY-MM-DD', '3rd Mon Jan', 'last Mon May', 'easter-2'."""
    text = rule.strip()
    low = text.lower()
    if low.startswith("easter"):
        offset = int(low[6:] or "0")
        return easter(year) + timedelta(days=offset)
    parts = text.split()
    if len(parts) == 3:
        nth = _ORDINALS[parts[0].lower()]
        weekday = DAY_NAMES.index(parts[1][:3].title())
        month = _MONTHS.index(parts[2][:3].title()) + 1
        if nth > 0:
            first = date(year, month, 1)
            day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
            return day if day.month == month else None
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    if len(text) == 10:
        d = date.fromisoformat(text)
        return d if d.year == year else None
    mm, dd = (int(x) for x in text.split("-"))
    return date(year, mm, dd)


def _bad(path: str, line: int, what: str) -> BadInput:
    return BadInput(f"{path} line {line}: {what}.", f"Fix that row of {Path(path).name}; each column is described in docs/compliance.md.")


def parse_days(text: str) -> frozenset[int]:
    """'Mon-Sat', 'Sun', 'Mon,Wed', 'Mon-Sun' -> weekday numbers (Mon = 0)."""
    out: set[int] = set()
    for part in text.replace(";", ",").split(","):
        p = part.strip()
        if not p:
            continue
        if "-" in p:
            a, b = (DAY_NAMES.index(x.strip()[:3].title()) for x in p.split("-", 1))
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            out.add(DAY_NAMES.index(p[:3].title()))
    return frozenset(out)


def _period(text: str) -> timedelta:
    t = text.strip().lower()
    n = int(t[:-1])
    if t.endswith("h"):
        return timedelta(hours=n)
    if t.endswith("d"):
        return timedelta(days=n)
    raise ValueError(text)


def _state_rows(text: str, path: str, columns: Iterable[str]) -> Iterable[tuple[int, dict[str, str], str]]:
    """(line number, stripped cells, 2-letter state) of each non-blank row; a bad header or state is refused."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise _bad(path, 1, f"the header lacks column(s) {', '.join(missing)}")
    for i, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue
        state = cells["state"].upper()
        if len(state) != 2 or not state.isalpha():
            raise _bad(path, i, f"state {cells['state']!r} is not a 2-letter code")
        yield i, cells, state


def _check_cited(path: str, line: int, cells: Mapping[str, str], what: str) -> None:
    """Every row has a known status and cites its source."""
    if cells["status"] not in STATUSES:
        raise _bad(path, line, f"status {cells['status']!r} is not one of {', '.join(STATUSES)}")
    if not cells["source"]:
        raise _bad(path, line, f"the source is blank: every {what} cites where it comes from")


def parse_rules(text: str, path: str = RULES_FILE) -> tuple[StateRule, ...]:
    """state_rules.csv text -> rules; any bad row is refused with its line number."""
    out: list[StateRule] = []
    for i, cells, state in _state_rows(text, path, _RULE_COLUMNS):
        kind = cells["rule"]
        if kind not in RULE_KINDS:
            raise _bad(path, i, f"rule {kind!r} is not one of {', '.join(RULE_KINDS)}")
        _check_cited(path, i, cells, "rule")
        channels = frozenset(c.strip() for c in cells["channels"].replace(",", ";").split(";") if c.strip())
        unknown = channels - set(CHANNEL_NAMES)
        if unknown or not channels:
            raise _bad(path, i, f"channels {cells['channels']!r} must name some of {', '.join(CHANNEL_NAMES)}")
        try:
            days = parse_days(cells["days"]) if cells["days"] else frozenset(range(7))
            start = time.fromisoformat(cells["start"].zfill(5)) if cells["start"] else None
            end = time.fromisoformat(cells["end"].zfill(5)) if cells["end"] else None
            limit = int(cells["limit"]) if cells["limit"] else None
            period = _period(cells["period"]) if cells["period"] else None
        except (ValueError, IndexError) as exc:
            raise _bad(path, i, f"cannot read days/start/end/limit/period ({exc})") from exc
        if kind == "hours" and (start is None or end is None or start >= end or not days):
            raise _bad(path, i, "an hours rule needs days and start < end (HH:MM)")
        if kind == "cap" and (limit is None or limit < 1 or period is None):
            raise _bad(path, i, "a cap rule needs limit (>= 1) and period (e.g. 24h)")
        if kind == "quiet_after_request" and period is None:
            raise _bad(path, i, "a quiet_after_request rule needs a period (e.g. 365d)")
        out.append(
            StateRule(state, kind, days, start, end, limit, period, channels, cells["status"], cells["source"], cells["note"], i)
        )
    if not any(r.state == FEDERAL and r.rule == "hours" for r in out):
        raise _bad(path, 1, "there is no federal (state US) hours row; the federal window is 08:00-21:00")
    return tuple(out)


def parse_holidays(text: str, path: str = HOLIDAYS_FILE) -> tuple[HolidayRule, ...]:
    """state_holidays.csv text -> holiday rules; any bad row is refused with its line number."""
    out: list[HolidayRule] = []
    for i, cells, state in _state_rows(text, path, _HOLIDAY_COLUMNS):
        _check_cited(path, i, cells, "holiday")
        observed = cells["observed"].lower()
        if observed not in ("yes", "no", ""):
            raise _bad(path, i, f"observed {cells['observed']!r} must be yes or no")
        try:
            for year in (2024, 2025, 2026, 2027, 2028):
                resolve_date_rule(cells["date_rule"], year)
        except (ValueError, KeyError, IndexError) as exc:
            raise _bad(
                path, i, f"date rule {cells['date_rule']!r} is not MM-DD, YYYY-MM-DD, '3rd Mon Jan', 'last Mon May' or 'easter-2'"
            ) from exc
        out.append(HolidayRule(state, cells["holiday"], cells["date_rule"], observed == "yes", cells["status"], cells["source"], cells["note"], i))
    return tuple(out)


def _read(path: Path | None, name: str) -> tuple[str, str]:
    if path is not None:
        return path.read_text(encoding="utf-8-sig"), str(path)
    ref = resources.files("relist").joinpath("data", name)
    return ref.read_text(encoding="utf-8-sig"), f"relist/data/{name}"


@functools.lru_cache(maxsize=8)
def _load(rules_path: Path | None, holidays_path: Path | None) -> RuleBook:
    rtext, rname = _read(rules_path, RULES_FILE)
    htext, hname = _read(holidays_path, HOLIDAYS_FILE)
    return RuleBook(parse_rules(rtext, rname), parse_holidays(htext, hname), rname, hname)


def default_rules() -> RuleBook:
    """The packaged rules."""
    return _load(None, None)


def load_rules(override_dir: Path | None = None) -> RuleBook:
    """The rules, preferring copies of the CSV files in `override_dir` (the workbook's .dnc folder)."""
    if override_dir is None:
        return default_rules()
    r = override_dir / RULES_FILE
    h = override_dir / HOLIDAYS_FILE
    return _load(r if r.exists() else None, h if h.exists() else None)


def states_with(book: RuleBook, kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return sorted({r.state for r in book.rules if r.rule in wanted and r.state != FEDERAL})


ALL_CHANNELS: tuple[Channel, ...] = CHANNEL_NAMES
