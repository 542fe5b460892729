"""The agent's own funnel, measured from the touch log (tblTouches) and the leads (tblLeads).

Pure functions over plain records (as the workbook port returns them: datetimes naive
in the agent's time zone). An undo row and the touch it undoes both leave the count.
Every rate carries its counts, and a rate with no denominator is None: measured, never
assumed. `my_numbers` turns the funnel into ROI inputs for "use my numbers".
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from relist.roi.model import RoiInputs, validate
from relist.words import count

CONTACT_OUTCOMES = frozenset(
    {"not-interested", "call-back", "appointment", "dnc-request", "spoke", "replied", "listed-with-me", "relisted-other"}
)
"""Outcomes where the owner was reached."""

APPOINTMENT = "appointment"
LISTING = "listed-with-me"
BAD_NUMBER = "bad-number"
STILL_WORKING_STATUSES = frozenset({"New", "Working"})
"""Lead statuses whose sequence is still running."""

MIN_RATE_SAMPLE = 20
MIN_DIAL_DAYS = 5
"""Days of dialling before 'dials per day' is your habit rather than one day's burst."""
MIN_EVENTS = 3
"""Appointments (or listings) before a ratio built on them is used: one lucky call is not a rate."""
"""A measured rate replaces an ROI input only from this many dials or touches on."""

WEEKS_SHOWN = 12
STOP_BUCKETS = 10  # 0..8 touches, then 9+
NO_VENDOR = "(no vendor)"


@dataclass(frozen=True)
class LoggedTouch:
    """One live (not undone) touch."""

    touch_id: str
    lead_id: str
    at: datetime
    channel: str
    outcome: str

    @property
    def contact(self) -> bool:
        return self.outcome in CONTACT_OUTCOMES


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def live_touches(records: Iterable[Mapping[str, Any]], until: datetime | None = None) -> list[LoggedTouch]:
    """Touches that count: undo rows and the touches they undo left out, sorted by time.

    Rows without a lead or a time are skipped; so are touches after `until`.
    """
    rows = list(records)
    undone = {_text(r.get("UndoOf")) for r in rows if _text(r.get("UndoOf"))}
    out: list[LoggedTouch] = []
    for r in rows:
        tid = _text(r.get("TouchId"))
        at = r.get("At")
        lead = _text(r.get("LeadId"))
        if _text(r.get("UndoOf")) or tid in undone or not lead or not isinstance(at, datetime):
            continue
        if until is not None and at > until:
            continue
        out.append(LoggedTouch(tid, lead, at, _text(r.get("Channel")).lower(), _text(r.get("Outcome")).lower()))
    out.sort(key=lambda t: (t.at, t.touch_id))
    return out


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class Period:
    """Counts for one week (or all time when `week_of` is None)."""

    week_of: date | None
    dials: int
    call_contacts: int
    contacts: int
    appointments: int
    listings: int
    closings: int

    @property
    def pickup_rate(self) -> float | None:
        """Contacts on calls per dial."""
        return _rate(self.call_contacts, self.dials)


@dataclass(frozen=True)
class SpeedGroup:
    """Leads grouped by how soon after expiry the first dial came."""

    key: str
    leads: int
    contacted: int
    appointments: int

    @property
    def contact_to_appointment(self) -> float | None:
        return _rate(self.appointments, self.contacted)


@dataclass(frozen=True)
class Depth:
    """Touch number (1 = first touch) at which leads first reached an outcome."""

    outcome: str
    touch_numbers: tuple[int, ...]

    @property
    def leads(self) -> int:
        return len(self.touch_numbers)

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.touch_numbers)) if self.touch_numbers else None

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.touch_numbers) if self.touch_numbers else None

    @property
    def latest(self) -> int | None:
        return max(self.touch_numbers) if self.touch_numbers else None


@dataclass(frozen=True)
class ChannelQuality:
    channel: str
    touches: int
    contacts: int
    appointments: int

    @property
    def contact_rate(self) -> float | None:
        return _rate(self.contacts, self.touches)


@dataclass(frozen=True)
class VendorQuality:
    """Per data source: how many dials hit a bad number, and how many reached the owner."""

    vendor: str
    leads: int
    dials: int
    bad_numbers: int
    contacts: int

    @property
    def bad_number_rate(self) -> float | None:
        return _rate(self.bad_numbers, self.dials)

    @property
    def contact_rate(self) -> float | None:
        return _rate(self.contacts, self.dials)


@dataclass(frozen=True)
class Funnel:
    """The agent's measured funnel as of `as_of`."""

    as_of: datetime
    total: Period
    weeks: tuple[Period, ...]
    speed: tuple[SpeedGroup, ...]
    speed_unknown: int
    depths: tuple[Depth, ...]
    stopped_ended: tuple[int, ...]
    stopped_working: tuple[int, ...]
    channels: tuple[ChannelQuality, ...]
    vendors: tuple[VendorQuality, ...]
    touches: int
    touch_contacts: int
    dial_days: int
    first_dial: date | None
    last_dial: date | None
    leads: int
    leads_listed: int
    leads_closed: int
    new_leads_per_month: float | None
    new_leads_window_days: int

    def depth(self, outcome: str) -> Depth:
        for d in self.depths:
            if d.outcome == outcome:
                return d
        raise KeyError(outcome)


def _week_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _period(week: date | None, touches: Iterable[LoggedTouch], closings: int) -> Period:
    dials = call_contacts = contacts = appointments = listings = 0
    for t in touches:
        if t.channel == "call":
            dials += 1
            call_contacts += t.contact
        contacts += t.contact
        appointments += t.outcome == APPOINTMENT
        listings += t.outcome == LISTING
    return Period(week, dials, call_contacts, contacts, appointments, listings, closings)


def funnel(
    touch_records: Iterable[Mapping[str, Any]],
    lead_records: Iterable[Mapping[str, Any]],
    as_of: datetime | None = None,
    weeks: int = WEEKS_SHOWN,
) -> Funnel:
    """The funnel measured from the log as of `as_of` (naive, the agent's time; default: the last touch)."""
    touches_all = live_touches(touch_records)
    if as_of is None:
        as_of = touches_all[-1].at if touches_all else datetime(2000, 1, 1)
    touches = [t for t in touches_all if t.at <= as_of]
    leads = {(_text(r.get("LeadId"))): r for r in lead_records if _text(r.get("LeadId"))}
    by_lead: dict[str, list[LoggedTouch]] = defaultdict(list)
    for t in touches:
        by_lead[t.lead_id].append(t)

    closed_at: dict[str, datetime] = {}
    for lid, r in leads.items():
        closed = r.get("ClosedAt")
        if isinstance(closed, datetime) and closed <= as_of:
            closed_at[lid] = closed
    listed = {t.lead_id for t in touches if t.outcome == LISTING}

    # weekly table: the last `weeks` weeks, Monday first, ending with the week of as_of
    this_week = _week_of(as_of.date())
    starts = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    bucket: dict[date, list[LoggedTouch]] = defaultdict(list)
    for t in touches:
        bucket[_week_of(t.at.date())].append(t)
    closings_by_week = Counter(_week_of(at.date()) for at in closed_at.values())
    week_rows = tuple(_period(w, bucket.get(w, []), closings_by_week.get(w, 0)) for w in starts)
    total = _period(None, touches, len(closed_at))

    # speed to first dial after expiry
    groups: dict[str, list[str]] = {"same_day": [], "later": []}
    unknown = 0
    for lid, ts in by_lead.items():
        dials = [t for t in ts if t.channel == "call"]
        if not dials:
            continue
        expired = leads.get(lid, {}).get("ExpiredAt")
        if not isinstance(expired, datetime):
            unknown += 1
            continue
        same = dials[0].at.date() <= expired.date()
        groups["same_day" if same else "later"].append(lid)
    speed = tuple(
        SpeedGroup(
            key,
            len(ids),
            sum(any(t.contact for t in by_lead[i]) for i in ids),
            sum(any(t.outcome == APPOINTMENT for t in by_lead[i]) for i in ids),
        )
        for key, ids in groups.items()
    )

    # touches it took before each outcome, and where the agent stopped on owners never reached
    firsts: dict[str, list[int]] = {"contact": [], APPOINTMENT: [], LISTING: []}
    ended = [0] * STOP_BUCKETS
    working = [0] * STOP_BUCKETS
    for lid in set(leads) | set(by_lead):
        ts = by_lead.get(lid, [])
        n_contact = next((n for n, t in enumerate(ts, 1) if t.contact), None)
        if n_contact is not None:
            firsts["contact"].append(n_contact)
            for outcome in (APPOINTMENT, LISTING):
                n = next((n for n, t in enumerate(ts, 1) if t.outcome == outcome), None)
                if n is not None:
                    firsts[outcome].append(n)
            continue
        row = leads.get(lid, {})
        if not ts and row.get("Contactable") is False:
            continue
        slot = min(len(ts), STOP_BUCKETS - 1)
        if _text(row.get("Status")) in STILL_WORKING_STATUSES or (lid not in leads):
            working[slot] += 1
        else:
            ended[slot] += 1
    depths = tuple(Depth(k, tuple(sorted(v))) for k, v in firsts.items())

    # quality per channel and per data source
    from relist.schema import CHANNELS

    channels = tuple(
        ChannelQuality(
            ch,
            sum(t.channel == ch for t in touches),
            sum(t.channel == ch and t.contact for t in touches),
            sum(t.channel == ch and t.outcome == APPOINTMENT for t in touches),
        )
        for ch in CHANNELS
    )
    vendor_of = {lid: (_text(r.get("Vendor")) or NO_VENDOR) for lid, r in leads.items()}
    vendor_leads = Counter(vendor_of.values())
    v_dials: Counter[str] = Counter()
    v_bad: Counter[str] = Counter()
    v_contacts: Counter[str] = Counter()
    for t in touches:
        if t.channel != "call":
            continue
        v = vendor_of.get(t.lead_id, NO_VENDOR)
        v_dials[v] += 1
        v_bad[v] += t.outcome == BAD_NUMBER
        v_contacts[v] += t.contact
    names = sorted(set(vendor_leads) | set(v_dials), key=lambda v: (-v_dials[v], -vendor_leads[v], v))
    vendors = tuple(VendorQuality(v, vendor_leads[v], v_dials[v], v_bad[v], v_contacts[v]) for v in names)

    dial_days = sorted({t.at.date() for t in touches if t.channel == "call"})

    # new leads per month, over the last 91 days of imports (or fewer when the log is younger)
    imported = [r.get("FirstImportedAt") for r in leads.values()]
    stamps = [d for d in imported if isinstance(d, datetime) and d <= as_of]
    per_month: float | None = None
    window_days = 0
    if stamps:
        window_days = min(91, (as_of - min(stamps)).days + 1)
        if window_days >= 7:
            start = as_of - timedelta(days=window_days)
            recent = sum(1 for d in stamps if d > start)
            per_month = recent / window_days * 365 / 12

    return Funnel(
        as_of=as_of,
        total=total,
        weeks=week_rows,
        speed=speed,
        speed_unknown=unknown,
        depths=depths,
        stopped_ended=tuple(ended),
        stopped_working=tuple(working),
        channels=channels,
        vendors=vendors,
        touches=len(touches),
        touch_contacts=sum(t.contact for t in touches),
        dial_days=len(dial_days),
        first_dial=dial_days[0] if dial_days else None,
        last_dial=dial_days[-1] if dial_days else None,
        leads=len(leads),
        leads_listed=len(listed),
        leads_closed=len(set(closed_at) & listed) if listed else 0,
        new_leads_per_month=per_month,
        new_leads_window_days=window_days,
    )


# ---------------------------------------------------------------- "use my numbers"


@dataclass(frozen=True)
class MyNumbers:
    """ROI inputs measured from the log, each with the counts it came from."""

    values: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def apply(self, base: RoiInputs) -> RoiInputs:
        """`base` with every measured input replaced by the measurement."""
        changes: dict[str, Any] = {}
        for name, value in self.values.items():
            changes[name] = int(round(value)) if name == "touches_per_lead" else float(value)
        return validate(replace(base, **changes))


def my_numbers(f: Funnel) -> MyNumbers:
    """The ROI inputs the log can vouch for; the rest are listed in `missing` with the reason."""
    values: dict[str, float] = {}
    evidence: dict[str, str] = {}
    missing: dict[str, str] = {}
    t = f.total

    def put(name: str, value: float, why: str) -> None:
        values[name] = value
        evidence[name] = why

    if f.dial_days >= MIN_DIAL_DAYS:
        put("dials_per_day", t.dials / f.dial_days, f"{count(t.dials, 'dial')} on {count(f.dial_days, 'day')}")
    else:
        missing["dials_per_day"] = (f"{count(f.dial_days, 'day')} of dialling logged; {MIN_DIAL_DAYS} needed"
                                    if f.dial_days else "no dials logged yet")
    if f.first_dial is not None and f.last_dial is not None:
        span = (max(f.last_dial, f.as_of.date()) - f.first_dial).days + 1
        if span >= 7:
            put("days_per_week", min(7.0, f.dial_days / (span / 7)), f"{count(f.dial_days, 'dial day')} in {count(span, 'day')}")
        else:
            missing["days_per_week"] = f"the log spans {count(span, 'day')}; a week is needed"
    else:
        missing["days_per_week"] = "no dials logged yet"
    if t.dials >= MIN_RATE_SAMPLE:
        put("pickup_rate", t.call_contacts / t.dials, f"{t.call_contacts:,} contacts on {t.dials:,} dials")
    else:
        missing["pickup_rate"] = f"{count(t.dials, 'dial')} logged; {MIN_RATE_SAMPLE} needed"
    if t.appointments >= MIN_EVENTS and t.contacts >= MIN_RATE_SAMPLE:
        put("contacts_per_appointment", max(1.0, t.contacts / t.appointments),
            f"{t.contacts:,} contacts, {t.appointments:,} appointments")
    else:
        missing["contacts_per_appointment"] = (
            f"{count(t.appointments, 'appointment')} from {count(t.contacts, 'contact')} logged; "
            f"{MIN_EVENTS} appointments and {MIN_RATE_SAMPLE} contacts needed" if t.appointments else "no appointment logged yet")
    if t.listings >= MIN_EVENTS:
        put("appointments_per_listing", max(1.0, t.appointments / t.listings),
            f"{t.appointments:,} appointments, {t.listings:,} listings")
        put("listing_to_close", min(1.0, f.leads_closed / f.leads_listed) if f.leads_listed else 0.0,
            f"{f.leads_closed} of {f.leads_listed} listings closed (Leads > Closed)")
        put("listings_per_contact", min(1.0, t.listings / max(t.contacts, t.listings)),
            f"{t.listings:,} listings from {t.contacts:,} contacts")
    else:
        why = f"{count(t.listings, 'listing')} logged; {MIN_EVENTS} needed" if t.listings else "no listing logged yet"
        missing["appointments_per_listing"] = why
        missing["listings_per_contact"] = why
        missing["listing_to_close"] = why
    ended = f.stopped_ended
    stops = [n for n, count in enumerate(ended) for _ in range(count) if n > 0]
    if stops:
        put("touches_per_lead", max(1, round(statistics.median(stops))),
            f"median of {len(stops)} unreached leads whose sequence ended")
    else:
        missing["touches_per_lead"] = "no unreached lead has ended its sequence yet"
    if f.touches >= MIN_RATE_SAMPLE:
        put("touch_contact_rate", f.touch_contacts / f.touches, f"{f.touch_contacts:,} contacts on {f.touches:,} touches")
    else:
        missing["touch_contact_rate"] = f"{count(f.touches, 'touch')} logged; {MIN_RATE_SAMPLE} needed"
    if f.new_leads_per_month is not None:
        put("leads_per_month", float(round(f.new_leads_per_month)),
            f"leads first imported in the last {count(f.new_leads_window_days, 'day')}")
    else:
        missing["leads_per_month"] = "less than a week of imports"
    return MyNumbers(values, evidence, missing)
