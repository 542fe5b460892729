"""Daily calling windows in the called party's local time, and their intersection over candidate zones.

A constraint gives, for a local calendar day, the open minutes [start, end) of that day or None
(closed all day: a Sunday or holiday ban, or no hours that weekday). A moment is allowed only when
every constraint is open in every candidate zone, each zone judged on its own local date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from relist.compliance.rules import FEDERAL, RuleBook

Minutes = tuple[int, int]
Interval = tuple[datetime, datetime]
UTC = ZoneInfo("UTC")

DOOR_HOURS: Minutes = (9 * 60, 20 * 60)
"""Product rule, not law: knock on doors 09:00-20:00 at the property's local time."""


def _hm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class Constraint:
    """One rule that opens a window each local day (or keeps the day closed)."""

    rule: str  # Reason.rule, e.g. federal-window, state-hours:FL, day-ban:LA, door-hours
    label: str  # what the agent reads, e.g. "FL calling hours"
    source: str
    daily: Callable[[date], Minutes | None]
    closed_why: Callable[[date], str]
    zone: ZoneInfo | None = None  # a fixed clock the statute names (MS: Central Standard Time), else local
    clock: str = ""  # that clock's name for messages

    def describe(self, day: date) -> str:
        w = self.daily(day)
        return self.closed_why(day) if w is None else f"{_hm(w[0])}-{_hm(w[1])}"


_DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def federal(book: RuleBook, channel: str) -> Constraint:
    rows = book.for_state(FEDERAL, "hours", channel)
    return _hours_constraint(book, FEDERAL, rows, "federal-window", "federal calling window")


def _hours_constraint(book: RuleBook, state: str, rows: Sequence[object], rule: str, label: str) -> Constraint:
    from relist.compliance.rules import StateRule

    hours = [r for r in rows if isinstance(r, StateRule)]

    def daily(day: date) -> Minutes | None:
        todays = [r for r in hours if day.weekday() in r.days]
        if not todays:
            return None
        start = max(_minutes(r.start) for r in todays if r.start is not None)
        end = min(_minutes(r.end) for r in todays if r.end is not None)
        return (start, end) if start < end else None

    def why(day: date) -> str:
        return f"{state} allows no calls on {_DAY_WORDS[day.weekday()]}s: its calling hours name other days only"

    source = "; ".join(dict.fromkeys(r.cite for r in hours))
    clock = hours[0].clock if hours else ""
    if clock:
        zone, name = clock_zone(clock)
        return Constraint(rule, f"{label} in {name}", source, daily, why, zone, name)
    return Constraint(rule, label, source, daily, why)


FIXED_CLOCKS = {
    "CST": ("Etc/GMT+6", "Central Standard Time"),
    "EST": ("Etc/GMT+5", "Eastern Standard Time"),
    "MST": ("Etc/GMT+7", "Mountain Standard Time"),
    "PST": ("Etc/GMT+8", "Pacific Standard Time"),
}


def clock_zone(clock: str) -> tuple[ZoneInfo, str]:
    """A rule's clock column -> (zone, name): 'CST' is UTC-6 all year (no daylight saving)."""
    key, name = FIXED_CLOCKS.get(clock.strip().upper(), (clock.strip(), clock.strip()))
    return ZoneInfo(key), name


Emergency = tuple[str, date, "date | None"]


def emergency_constraint(book: RuleBook, state: str, channel: str, declared: Iterable[Emergency]) -> Constraint | None:
    """Closed on every day of a declared state of emergency, where the state bans solicitation then."""
    rows = book.for_state(state, "emergency_ban", channel)
    if not rows:
        return None
    spans = [(start, end) for st, start, end in declared if st == state]

    def span_of(day: date) -> tuple[date, date | None] | None:
        return next(((s, e) for s, e in spans if s <= day and (e is None or day <= e)), None)

    def daily(day: date) -> Minutes | None:
        return None if span_of(day) is not None else (0, 1440)

    def why(day: date) -> str:
        span = span_of(day)
        assert span is not None
        until = f"{span[1]}" if span[1] is not None else "until lifted"
        return f"{state} bans telephone solicitation during the state of emergency declared {span[0]}..{until} (Settings > States of emergency)"

    label = f"{state} state of emergency ({'declared dates in' if spans else 'none in'} Settings > States of emergency)"
    source = "; ".join(dict.fromkeys(r.cite for r in rows))
    return Constraint(f"emergency:{state}", label, source, daily, why)


def state_constraints(book: RuleBook, state: str, channel: str, emergencies: Iterable[Emergency] = ()) -> list[Constraint]:
    """The state's hours and day bans for a channel (none when the state only has the federal window)."""
    out: list[Constraint] = []
    emergency = emergency_constraint(book, state, channel, emergencies)
    if emergency is not None:
        out.append(emergency)
    hours = book.for_state(state, "hours", channel)
    for clock in dict.fromkeys(r.clock for r in hours):
        rows = [r for r in hours if r.clock == clock]
        out.append(_hours_constraint(book, state, rows, f"state-hours:{state}", f"{state} calling hours"))
    sunday = book.for_state(state, "no_sunday", channel)
    holidays = book.for_state(state, "no_holidays", channel)
    if sunday or holidays:

        def daily(day: date) -> Minutes | None:
            if sunday and day.weekday() == 6:
                return None
            if holidays and book.holiday_on(state, day) is not None:
                return None
            return (0, 1440)

        def why(day: date) -> str:
            if sunday and day.weekday() == 6:
                return f"{state} bans telephone solicitation on Sundays"
            h = book.holiday_on(state, day)
            name = book.holiday_label(state, day) if h is not None else "a holiday"
            cite = f" ({h.source} {h.status})" if h is not None else ""
            return f"{state} bans telephone solicitation on holidays: {day} is {name}{cite}"

        source = "; ".join(dict.fromkeys(r.cite for r in (*sunday, *holidays)))
        out.append(Constraint(f"day-ban:{state}", f"{state} Sunday/holiday ban", source, daily, why))
    return out


def door_constraint() -> Constraint:
    return Constraint(
        "door-hours",
        "door-knock hours (product rule)",
        "Relist product rule: 09:00-20:00 at the property (not law)",
        lambda day: DOOR_HOURS,
        lambda day: "",
    )


def _local_bounds(day: date, w: Minutes, tz: ZoneInfo) -> Interval:
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    start = (midnight + timedelta(minutes=w[0])).astimezone(UTC)
    end = (midnight + timedelta(minutes=w[1])).astimezone(UTC)
    return start, end


def is_open(c: Constraint, zone: ZoneInfo, at: datetime) -> tuple[bool, datetime, Minutes | None]:
    """Whether the constraint is open at `at` in a zone; also the local time and that day's window."""
    local = at.astimezone(c.zone or zone)
    w = c.daily(local.date())
    if w is None:
        return False, local, None
    m = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
    return w[0] <= m < w[1], local, w


def intervals(c: Constraint, zone: ZoneInfo, t0: datetime, t1: datetime) -> list[Interval]:
    """The constraint's open intervals (UTC) in a zone that overlap [t0, t1)."""
    zone = c.zone or zone
    first = t0.astimezone(zone).date() - timedelta(days=1)
    last = t1.astimezone(zone).date() + timedelta(days=1)
    out: list[Interval] = []
    day = first
    while day <= last:
        w = c.daily(day)
        if w is not None:
            s, e = _local_bounds(day, w, zone)
            if e > t0 and s < t1:
                if out and out[-1][1] >= s:  # touching days (00:00-24:00 bans) merge
                    out[-1] = (out[-1][0], max(out[-1][1], e))
                else:
                    out.append((s, e))
        day += timedelta(days=1)
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s = max(a[i][0], b[j][0])
        e = min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return out


def allowed_intervals(
    constraints: Iterable[Constraint], zones: Iterable[ZoneInfo], t0: datetime, t1: datetime
) -> list[Interval]:
    """Moments in [t0, t1) when every constraint is open in every zone (UTC intervals)."""
    result: list[Interval] = [(t0.astimezone(UTC), t1.astimezone(UTC))]
    for c in constraints:
        for z in zones:
            result = intersect(result, intervals(c, z, t0, t1))
            if not result:
                return []
    return result
