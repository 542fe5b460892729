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
from typing import Any

from relist.errors import BadInput
from relist.model import CHANNEL_NAMES, Channel

RULES_FILE = "state_rules.csv"
HOLIDAYS_FILE = "state_holidays.csv"
FEDERAL = "US"
STATUSES = ("[src]", "[2nd]", "[gen]")
RULE_KINDS = (
    "hours", "no_sunday", "no_holidays", "cap", "quiet_after_request", "own_dnc_list",
    "emergency_ban", "identify_at_start", "all_party_recording", "registration", "consent_required",
)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RULE_COLUMNS = ("state", "rule", "days", "start", "end", "limit", "period", "channels", "status", "source", "note")
_HOLIDAY_COLUMNS = ("state", "holiday", "date_rule", "observed", "status", "source", "note")
HOLIDAY_RULE_FORMS = "'holidays:<name>', 'election', 'election:even', MM-DD, YYYY-MM-DD, '3rd Mon Jan', 'last Mon May' or 'easter-2'"
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
    clock: str = ""  # blank: the called party's local time; else a fixed clock the statute names (CST)

    def applies_to(self, channel: str) -> bool:
        return channel in self.channels

    @property
    def cite(self) -> str:
        return f"{self.source} {self.status}".strip()

    def hours_text(self) -> str:
        assert self.start is not None and self.end is not None
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


OBSERVANCES = ("none", "fed", "sun-mon", "weekend-mon", "monday")
"""How a statute moves a holiday that falls on a weekend (the day itself always stays banned):
fed = Saturday to the Friday before, Sunday to the Monday after (5 U.S.C. 6103(b));
sun-mon = Sunday to the Monday after; weekend-mon = Saturday or Sunday to the Monday after;
monday = the Monday of that week, or the next Monday when on a weekend (Utah's Juneteenth)."""


def parse_observed(text: str) -> tuple[str, ...]:
    """'fed+weekend-mon' -> ('fed', 'weekend-mon'); 'yes' (older files) means fed, 'no' or blank none."""
    t = text.strip().lower()
    if t in ("", "no", "none"):
        return ()
    if t == "yes":
        return ("fed",)
    modes = tuple(m.strip() for m in t.split("+"))
    bad = [m for m in modes if m not in OBSERVANCES or m == "none"]
    if bad:
        raise ValueError(text)
    return modes


def observed_days(day: date, modes: Iterable[str]) -> list[date]:
    """The weekdays a holiday on `day` is also observed on, under the given observance modes."""
    out: list[date] = []
    wd = day.weekday()
    for m in modes:
        if m == "fed" and wd == 5:
            out.append(day - timedelta(days=1))
        elif m in ("fed", "sun-mon", "weekend-mon") and wd == 6:
            out.append(day + timedelta(days=1))
        elif m == "weekend-mon" and wd == 5:
            out.append(day + timedelta(days=2))
        elif m == "monday" and wd != 0:
            out.append(day + timedelta(days=7 - wd) if wd >= 5 else day - timedelta(days=wd))
    return sorted(set(out) - {day})


@dataclass(frozen=True)
class HolidayRule:
    """One row of state_holidays.csv: a banned day, by a date rule, with the statute's weekend observance."""

    state: str
    name: str
    date_rule: str
    observed: tuple[str, ...]
    status: str
    source: str
    note: str = ""
    line: int = 0

    def day(self, year: int) -> date | None:
        """The holiday itself in a year (None when it does not fall that year)."""
        return resolve_date_rule(self.date_rule, year, self.state)

    def banned(self, year: int) -> dict[date, str]:
        """Each banned date of this holiday's `year` occurrence -> what to call it in a message."""
        day = self.day(year)
        if day is None:
            return {}
        out = {day: self.name}
        for d in observed_days(day, self.observed):
            out[d] = f"{self.name} (observed: {day:%B} {day.day} falls on a {DAY_FULL[day.weekday()]})"
        return out

    def dates(self, year: int) -> list[date]:
        """The banned dates of this holiday in a year (the day itself, and its observed weekdays)."""
        return sorted(self.banned(year))


DAY_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
        """The banned holiday of `state` falling on `day` (itself or an observed weekday), if any."""
        for h in self._holidays_by_state.get(state, ()):
            if day in _holiday_dates(h, day.year):
                return h
        return None

    def holiday_label(self, state: str, day: date) -> str:
        """What the banned day is called, e.g. 'Independence Day (observed: July 4 falls on a Saturday)'."""
        h = self.holiday_on(state, day)
        if h is None:
            return ""
        return _holiday_dates(h, day.year)[day]

    def holidays_of(self, state: str) -> tuple[HolidayRule, ...]:
        return self._holidays_by_state.get(state, ())


@functools.lru_cache(maxsize=4096)
def _holiday_dates(h: HolidayRule, year: int) -> Mapping[date, str]:
    """Banned dates falling in `year`: this year's occurrence and the next year's observed day
    (New Year's Day on a Saturday is observed on December 31)."""
    out = {d: n for d, n in h.banned(year + 1).items() if d.year == year}
    out.update({d: n for d, n in h.banned(year).items() if d.year == year})
    return out


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


class UnknownHoliday(LookupError):
    """A 'holidays:<name>' date rule names a holiday the `holidays` package does not have."""


LIBRARY = "holidays:"
"""Date rules starting with this name a holiday of the `holidays` package (python-holidays), whose
US calendar (with the state's subdivision) computes the date for any year."""


@functools.lru_cache(maxsize=1024)
def _library_days(state: str, year: int) -> Mapping[str, date]:
    """Holiday name (casefolded) -> its date in `year`, from the `holidays` package's US calendar and
    the state's own (each of a day's '; '-joined names). observed=False: the day itself; how a
    weekend holiday is observed is ours, from the statute, not the package's."""
    import holidays

    us: Any = holidays.country_holidays("US")
    out: dict[str, date] = {}
    subdivs: list[str | None] = [None] + ([state] if state in us.subdivisions else [])
    for subdiv in subdivs:
        cal = holidays.country_holidays(
            "US", subdiv=subdiv, years=year, observed=False, categories=us.supported_categories
        )
        for day, names in sorted(cal.items()):
            for name in str(names).split("; "):
                out.setdefault(name.strip().casefold(), day)
    return out


def _library_date(state: str, year: int, name: str) -> date | None:
    """The `holidays` package's date of a holiday: from the generated table when it has it, else the package."""
    from relist.compliance import holiday_dates

    dates = holiday_dates.table()
    found = dates.get((state, year, name)) if dates is not None else None
    return found if found is not None else _library_days(state, year).get(name)


def election_day(year: int) -> date:
    """The Tuesday next after the first Monday in November."""
    first = date(year, 11, 1)
    monday = first + timedelta(days=(0 - first.weekday()) % 7)
    return monday + timedelta(days=1)


def resolve_date_rule(rule: str, year: int, state: str = FEDERAL) -> date | None:
    """A holiday date rule for a year: 'holidays:Good Friday' (the `holidays` package's date of that
    holiday in the state), 'election' / 'election:even' (general election day, every year or only in
    even years), 'MM-DD', 'YYYY-MM-DD', '3rd Mon Jan', 'last Mon May', 'easter-2'."""
    text = rule.strip()
    low = text.lower()
    if low.startswith(LIBRARY):
        name = text[len(LIBRARY):].strip().casefold()
        found = _library_date(state, year, name)
        if found is None:
            raise UnknownHoliday(f"the holidays package names no {text[len(LIBRARY):].strip()!r} for {state} in {year}")
        return found
    if low in ("election", "election:even", "election:odd"):
        if low.endswith(":even") and year % 2:
            return None
        if low.endswith(":odd") and not year % 2:
            return None
        return election_day(year)
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
    return BadInput(f"{path} line {line}: {what}.", f"Fix that row of {Path(path).name}: fill each column named on its first line, as the rows around it do.")


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
        clock = cells.get("clock", "")
        if clock:
            from relist.compliance.windows import clock_zone

            try:
                clock_zone(clock)
            except (ValueError, KeyError, OSError) as exc:
                raise _bad(path, i, f"clock {clock!r} is not CST, EST, MST, PST or a zone name like America/Chicago") from exc
        out.append(
            StateRule(state, kind, days, start, end, limit, period, channels, cells["status"], cells["source"], cells["note"], i, clock)
        )
    if not any(r.state == FEDERAL and r.rule == "hours" for r in out):
        raise _bad(path, 1, "there is no federal (state US) hours row; the federal window is 08:00-21:00")
    return tuple(out)


def parse_holidays(text: str, path: str = HOLIDAYS_FILE) -> tuple[HolidayRule, ...]:
    """state_holidays.csv text -> holiday rules; any bad row is refused with its line number."""
    out: list[HolidayRule] = []
    for i, cells, state in _state_rows(text, path, _HOLIDAY_COLUMNS):
        _check_cited(path, i, cells, "holiday")
        try:
            observed = parse_observed(cells["observed"])
        except ValueError:
            raise _bad(path, i, f"observed {cells['observed']!r} must be yes, no or modes among {', '.join(OBSERVANCES)} joined by +") from None
        try:
            for year in (2024, 2025, 2026, 2027, 2028):
                resolve_date_rule(cells["date_rule"], year, state)
        except UnknownHoliday as exc:
            raise _bad(path, i, f"date rule {cells['date_rule']!r}: {exc.args[0]}") from exc
        except (ValueError, IndexError, KeyError) as exc:
            raise _bad(path, i, f"date rule {cells['date_rule']!r} is not {HOLIDAY_RULE_FORMS}") from exc
        out.append(HolidayRule(state, cells["holiday"], cells["date_rule"], observed, cells["status"], cells["source"], cells["note"], i))
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
