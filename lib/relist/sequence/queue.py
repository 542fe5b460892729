"""Today's queue, built from the leads, the plan and the touch log alone (pure: same input, same queue).

Three stages, timed apart by the benchmark: `collect` replays each lead and
lists what it owes today; `judge` asks compliance about every item and finds
the window still open today; `rank` orders calls (fresh expireds inside 24
hours by oldest expiry, then follow-ups, then nurture), caps them at the day's
dial capacity with the rest shown as overflow, puts door knocks in route
order, and keeps every blocked item with its reasons.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from relist.bulk import paused_gc
from relist.compliance.opening import call_opening, call_script
from relist.model import Lead, Step, Verdict
from relist.schema import LinkText
from relist.sequence.gate import Gate
from relist.sequence.outcomes import closed_by_row
from relist.sequence.plan import Plan
from relist.sequence.scheduler import (
    Due,
    LeadState,
    due_on,
    is_open,
    lead_state,
    pending,
    textable,
)
from relist.sequence.scripts import as_of, expiry_day
from relist.sequence.touches import TouchLog
from relist.words import count

if TYPE_CHECKING:
    from relist.sequence.reuse import StateEntry

SECTIONS = ("calls", "texts", "letters", "doors", "emails", "blocked", "overflow")
_CHANNEL_SECTION = {"call": "calls", "text": "texts", "letter": "letters", "door": "doors", "email": "emails"}
FRESH_HOURS = 24

Renderer = Callable[[Step | None, Lead], str]
"""Renders the text message for a step (the service supplies the channels' renderer)."""


@dataclass(frozen=True)
class Entry:
    """One line of today's queue with what the agent needs to act on it."""

    section: str
    lead_id: str
    channel: str
    step: int | None
    rank: int = 0
    owner: str = ""
    step_name: str = ""
    kind: str = ""
    """fresh, follow-up, call-back or nurture."""
    touches: int = 0
    due_date: date | None = None
    days_overdue: int = 0
    phone: str = ""
    window_start: datetime | None = None
    window_end: datetime | None = None
    window: str = ""
    """The owner-local window still open today, as text."""
    hours_since_expiry: int | None = None
    address: str = ""
    message: str = ""
    """Talking point, rendered text, or what to print or send (a call's opens with who calls, for whom and why)."""
    point: str = ""
    """A call's talking point as said today, without the opening: what Today's row shows (its legend says the opening)."""
    link: str = ""
    reasons: tuple[str, ...] = ()
    next_allowed: datetime | None = None
    window_zone: tzinfo | None = None
    """The zone `window` is shown in (the owner's)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "rank": self.rank,
            "owner": self.owner,
            "channel": self.channel,
            "step": self.step,
            "step_name": self.step_name,
            "kind": self.kind,
            "touches": self.touches,
            "due": self.due_date.isoformat() if self.due_date else None,
            "days_overdue": self.days_overdue,
            "phone": self.phone,
            "window": {
                "start": self.window_start.isoformat() if self.window_start else None,
                "end": self.window_end.isoformat() if self.window_end else None,
                "text": self.window,
            },
            "hours_since_expiry": self.hours_since_expiry,
            "address": self.address,
            "message": self.message,
            "link": self.link,
            "reasons": list(self.reasons),
            "next_allowed": self.next_allowed.isoformat() if self.next_allowed else None,
        }


@dataclass(frozen=True)
class Queue:
    """Today's work, section by section, and what was skipped and why."""

    at: datetime
    day: date
    calls: tuple[Entry, ...] = ()
    texts: tuple[Entry, ...] = ()
    letters: tuple[Entry, ...] = ()
    doors: tuple[Entry, ...] = ()
    emails: tuple[Entry, ...] = ()
    blocked: tuple[Entry, ...] = ()
    overflow: tuple[Entry, ...] = ()
    capacity: int = 0
    calls_made_today: int = 0
    due: int = 0
    """Due touches considered (queued + overflow + blocked)."""
    warnings: tuple[str, ...] = ()
    closed: str = ""
    """Why nothing is queued at all (a day that is not one of the agent's work days)."""
    closed_hint: str = ""
    """How to plan a work day instead (the CLI's --at), said after `closed` in the summary."""

    def section(self, name: str) -> tuple[Entry, ...]:
        entries: tuple[Entry, ...] = getattr(self, name)
        return entries

    @property
    def skipped(self) -> int:
        return len(self.blocked)

    def reason_counts(self) -> list[tuple[str, int]]:
        """Blocking reasons (phone numbers left out) with how many items each blocked, most common first."""
        counts = Counter(r for e in self.blocked for r in reason_kinds(e.reasons))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def skipped_by_reason(self) -> list[tuple[str, list[Entry]]]:
        """The skipped items grouped by reason (an item with two reasons is under both), most common first."""
        groups: dict[str, list[Entry]] = {}
        for e in self.blocked:
            for r in reason_kinds(e.reasons):
                groups.setdefault(r, []).append(e)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def skipped_line(self) -> str:
        """'X of Y due touches skipped, and why: ...'."""
        head = f"{self.skipped} of {count(self.due, 'due touch')} skipped"
        if not self.blocked:
            return head + "."
        why = "; ".join(f"{n} x {r}" for r, n in self.reason_counts()[:4])
        more = len(self.reason_counts()) - 4
        return f"{head}, and why: {why}" + (f"; and {count(more, 'other reason')}." if more > 0 else ".")

    def summary(self) -> str:
        """One line: what is queued in each section, the cap, the overflow and the skipped."""
        if self.closed:
            return f"Today {self.day.isoformat()}: {self.closed} {self.closed_hint}".strip()
        parts = [
            count(len(self.calls), "call") + (f" (limit {self.capacity}, {self.calls_made_today} made today)" if self.capacity else ""),
            count(len(self.texts), "text"),
            count(len(self.letters), "letter"),
            count(len(self.doors), "door knock"),
            count(len(self.emails), "email"),
        ]
        over = f"; {count(len(self.overflow), 'call')} over your daily limit" if self.overflow else ""
        return f"Today {self.day.isoformat()}: {', '.join(parts)}{over}. {self.skipped_line()}"

    def headline(self) -> str:
        """Today's sheet in one plain line: 'Tuesday 25 Nov: 26 calls, 3 texts, 13 skipped - see below'."""
        if self.closed:
            return f"{self.day:%A} {self.day.day} {self.day:%b}: {self.closed}"
        parts = [count(len(self.calls), "call")]
        for name, word in (("texts", "text"), ("letters", "letter"), ("doors", "door knock"), ("emails", "email")):
            if self.section(name):
                parts.append(count(len(self.section(name)), word))
        if self.overflow:
            parts.append(f"{len(self.overflow)} over your call limit")
        if self.blocked:
            parts.append(f"{self.skipped} skipped")
        tail = " - see below" if any(self.section(s) for s in SECTIONS) else " - nothing due today"
        return f"{self.day:%A} {self.day.day} {self.day:%b}: {', '.join(parts)}{tail}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "at": self.at.isoformat(),
            "day": self.day.isoformat(),
            "summary": {
                "text": self.summary(),
                "due": self.due,
                "queued": sum(len(self.section(s)) for s in SECTIONS[:5]),
                "skipped": self.skipped,
                "overflow": len(self.overflow),
                "capacity": self.capacity,
                "calls_made_today": self.calls_made_today,
                "reasons": dict(self.reason_counts()),
            },
            "warnings": list(self.warnings),
        }
        for s in SECTIONS:
            out[s] = [e.to_json() for e in self.section(s)]
        return out

    def rows(self, tz: tzinfo) -> list[dict[str, Any]]:
        """tblToday rows (agent-local naive times), section by section; `headline()` goes above the table."""
        rows: list[dict[str, Any]] = []
        for s in SECTIONS:
            for e in self.section(s):
                rows.append(
                    {
                        "Section": s,
                        "Owner": e.owner or None,
                        "Phone": LinkText(phone_display(e.phone), f"tel:{e.phone}") if e.phone else None,
                        "Address": e.address or None,
                        "What to do": _what_to_do(e, s, self.capacity) or None,
                        "Owner's hours": _hours_text(e.window_start, e.window_end, self.at, e.window_zone) or None,
                        "Your hours": _hours_text(e.window_start, e.window_end, self.at, tz, zone_name=False) or None,
                        "First day": f"{FRESH_HOURS - e.hours_since_expiry} h left" if e.kind == "fresh" and e.hours_since_expiry is not None else None,
                        "Send": _send(e) if s in ("texts", "emails") else None,
                        "Rank": e.rank,
                        "Channel": e.channel or None,
                        "Step": e.step,
                        "Touches": e.touches,
                        "Hours since expiry": e.hours_since_expiry,
                        "Closes": e.window_end.astimezone(tz).replace(tzinfo=None) if e.window_end else None,
                        "LeadId": e.lead_id,
                    }
                )
        return rows


def phone_display(e164: str) -> str:
    """+13055550100 -> (305) 555-0100 (other numbers as given)."""
    if len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    return e164


def _clock(moment: datetime) -> str:
    """9 am, 8:30 pm."""
    h = moment.hour % 12 or 12
    mins = f":{moment.minute:02d}" if moment.minute else ""
    return f"{h}{mins} {'am' if moment.hour < 12 else 'pm'}"


_US_NUMBER = re.compile(r"\+1([2-9]\d{2})(\d{3})(\d{4})\b")


def _shown(m: re.Match[str]) -> str:
    return f"({m.group(1)}) {m.group(2)}-{m.group(3)}"


def _hours_text(start: datetime | None, end: datetime | None, at: datetime, zone: tzinfo | None, zone_name: bool = True) -> str:
    """'until 9 pm CST' when already open, '9 am-9 pm CST' when it opens later today."""
    if end is None or zone is None:
        return ""
    e = end.astimezone(zone)
    name = f" {e.tzname()}" if zone_name and e.tzname() else ""
    if start is None or start <= at:
        return f"until {_clock(e)}{name}"
    return f"{_clock(start.astimezone(zone))}-{_clock(e)}{name}"


def _what_to_do(e: Entry, section: str, capacity: int) -> str:
    if section == "blocked":  # the numbers as the Phone column shows them, (305) 555-0100
        return "Skipped today: " + _US_NUMBER.sub(_shown, "; ".join(e.reasons)) if e.reasons else "Skipped today."
    if section == "overflow":
        return f"Over your daily limit of {count(capacity, 'call')}: call tomorrow, or raise Settings > Calls per day."
    if e.channel == "call":  # the opening every call starts with is Today's legend (schema.TODAY_HOWTO), not each row
        head = e.step_name or "Call"
        said = e.point or e.message
        return f"{head}: {said}" if said and said != head else head
    return e.message


def _send(e: Entry) -> LinkText | None:
    if not e.link:
        return None
    word = "Text" if e.channel == "text" else "Email"
    return LinkText(word, e.link)


@dataclass
class Item:
    """A due touch on its way through the stages."""

    state: LeadState
    due: Due | None
    verdict: Verdict | None = None
    start: datetime | None = None
    next_allowed: datetime | None = None
    reasons: tuple[str, ...] = ()
    phone: str = ""
    zone: tzinfo | None = None


@dataclass
class Collected:
    """What `collect` found: the due items and the calls already made today."""

    items: list[Item] = field(default_factory=list)
    calls_made_today: int = 0


def collect(
    leads: Sequence[Lead], plan: Plan, log: TouchLog, day: date, tz: tzinfo, states: dict[str, StateEntry] | None = None
) -> Collected:
    """Replay every open lead and list what it owes on `day` (leads that cannot be reached included).

    `states`: replayed states kept from an earlier build (see `reuse`); a lead's
    is used when its Lead object and its touches are the very ones it came from.
    """
    out = Collected()
    undone = log.undone
    first = datetime.combine(day, datetime.min.time())
    after = first + timedelta(days=1)
    out.calls_made_today = sum(
        1 for t in log.order if first <= t.at < after and t.channel == "call" and t.touch_id not in undone
    )
    for lead in leads:
        if not lead.contactable:
            continue
        touches = log.by_lead.get(lead.lead_id, ())
        if closed_by_row(lead.status, touches):
            continue
        if states is None:
            state = lead_state(lead, touches, undone, plan, tz)
        else:
            last = touches[-1] if touches else None
            kept = states.get(lead.lead_id)
            if kept is not None and kept[0] is lead and kept[1] == len(touches) and kept[2] is last:
                state = kept[3]
            else:
                state = lead_state(lead, touches, undone, plan, tz)
                states[lead.lead_id] = (lead, len(touches), last, state)
        if not is_open(state):
            continue
        if state.start is None:
            out.items.append(Item(state, None, reasons=("no SequenceStart, ExpiredAt or FirstImportedAt to count days from",)))
            continue
        owed = pending(plan, state)
        dues = due_on(plan, state, day, owed) if owed else []
        if not owed and not any(state.reach.values()):
            out.items.append(Item(state, None, reasons=("no usable phone, email or address",)))
            continue
        for d in dues:
            out.items.append(Item(state, d))
    return out


def _local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def _not_utc(zone: tzinfo | None) -> tzinfo | None:
    if zone is None or zone.utcoffset(None) == timedelta(0) and str(zone) in ("UTC", "Etc/UTC", "UTC+00:00"):
        return None
    return zone


def judge(items: Sequence[Item], gate: Gate, at: datetime, tz: tzinfo) -> None:
    """Ask compliance about every item; fill in the window open today, the phone, or the reasons."""
    day = _local(at, tz).date()
    for item in items:
        d = item.due
        if d is None:
            continue
        lead = item.state.lead
        moment = at
        if d.call_back_at is not None:
            moment = max(at, d.call_back_at.replace(tzinfo=tz))
        phones: list[str | None] = [None]
        if d.channel == "text":
            phones = [p.number for p in sorted(lead.phones, key=lambda p: p.position) if textable(p)] or [None]
        first: Verdict | None = None
        chosen: Verdict | None = None
        start: datetime | None = None
        best_next: datetime | None = None
        for phone in phones:
            v = gate.evaluate(lead, d.channel, moment, phone=phone)
            if first is None:
                first = v
            if v.allowed:
                chosen, start = v, moment
                break
            opens = v.window_start
            if opens is not None and opens > moment and _local(opens, tz).date() == day:
                # before today's window: the window's own opening is the first candidate
                v2 = gate.evaluate(lead, d.channel, opens, phone=phone)
                if v2.allowed:
                    chosen, start = v2, opens
                    break
            later = gate.next_allowed(lead, d.channel, moment)
            if later is not None and _local(later, tz).date() == day:
                v2 = gate.evaluate(lead, d.channel, later, phone=phone)
                if v2.allowed:
                    chosen, start = v2, later
                    break
            if later is not None and (best_next is None or later < best_next):
                best_next = later
        shown = chosen or first
        if shown is not None and shown.window_end is not None:
            item.zone = gate.zone(lead)  # only a window is shown in the owner's zone (letters and emails have none)
        if chosen is not None:
            item.verdict, item.start = chosen, start
            item.phone = chosen.phone or (phones[0] or "")
            continue
        assert first is not None
        item.verdict = first
        item.next_allowed = best_next
        item.reasons = tuple(r.message for r in first.blocking) or ("compliance allows no contact today",)


_NUMBER = re.compile(r"^\s*(\d+)[A-Za-z]?\s+(.*)$")
_PHONE = re.compile(r"\+\d{8,15}")
_CLOCK_NOW = re.compile(r"it is \w{3} \d{1,2}:\d{2} in ")


def reason_kinds(reasons: Sequence[str]) -> list[str]:
    """Reasons as kinds, without the numbers and times that make each one different (once each)."""
    out: list[str] = []
    for r in reasons:
        kind = _CLOCK_NOW.sub("now in ", _PHONE.sub("a number", r))
        kind = kind[:1].upper() + kind[1:]
        if kind not in out:
            out.append(kind)
    return out


def route_key(lead: Lead) -> tuple[str, str, int, int, str]:
    """Door-knock order: ZIP, street, the odd side going up, then the even side coming back."""
    m = _NUMBER.match(lead.property_address or "")
    number, street = (int(m.group(1)), m.group(2)) if m else (0, lead.property_address or "")
    street = " ".join(street.lower().replace(".", "").split())
    odd = number % 2 == 1
    return (lead.postal_code or "", street, 0 if odd else 1, number if odd else -number, lead.lead_id)


def _window_text(start: datetime | None, end: datetime | None, zone: tzinfo) -> str:
    if end is None:
        return ""
    s = start.astimezone(zone) if start else None
    e = end.astimezone(zone)
    name = e.tzname() or ""
    head = s.strftime("%H:%M") if s else ""
    return f"{head}-{e.strftime('%H:%M')} {name}".strip()


def _owner(lead: Lead) -> str:
    return lead.owner_name or " ".join(p for p in (lead.owner_first_name, lead.owner_last_name) if p)


def _hours_since(lead: Lead, at: datetime) -> int | None:
    if lead.expired_at is None:
        return None
    exp = lead.expired_at if lead.expired_at.tzinfo else lead.expired_at.replace(tzinfo=at.tzinfo)
    return int((at - exp).total_seconds() // 3600)


def _kind(item: Item, at: datetime) -> str:
    d = item.due
    assert d is not None
    if d.kind == "call-back":
        return "call-back"
    if d.kind == "nurture":
        return "nurture"
    hours = _hours_since(item.state.lead, at)
    if item.state.history.touch_count == 0 and hours is not None and 0 <= hours < FRESH_HOURS:
        return "fresh"
    return "follow-up"


def _link(channel: str, phone: str, message: str, lead: Lead, step: Step | None) -> str:
    if channel == "call" and phone:
        return f"tel:{phone}"
    if channel == "text" and phone:
        return f"sms:{phone}?body={quote(message, safe='')}"
    if channel == "email" and "@" in lead.email:
        subject = (step.name if step and step.name else "Your home")
        return f"mailto:{lead.email}?subject={quote(subject, safe='')}"
    return ""


def _message(item: Item, render: Renderer | None, at: datetime | None = None, tz: tzinfo | None = None,
             opening: bool = True) -> str:
    d = item.due
    assert d is not None
    step = d.step
    point = step.talking_point if step else ""
    if at is not None and tz is not None and point:  # said as it is true today (sequence.scripts)
        lead = item.state.lead
        point = as_of(point, expiry_day(lead.expired_at, tz), at.astimezone(tz).date(), item.state.history.channel_days)
    if d.channel == "call" and opening:  # a call script opens with who calls, for whom and why (WA, RI, NJ, MS, UT)
        point = call_script(call_opening("", "", item.state.lead.property_address), point)
    if d.channel == "text" and render is not None:
        return render(step, item.state.lead)
    if d.kind == "call-back" and d.call_back_at is not None:
        return f"Call-back they asked for at {d.call_back_at.strftime('%Y-%m-%d %H:%M')} (your time). {point}".strip()
    if d.channel in ("letter", "email") and step and step.template:
        verb = "Print" if d.channel == "letter" else "Send"
        return f"{verb} '{step.template}'. {point}".strip()
    return point


def _address(channel: str, lead: Lead) -> str:
    if channel == "letter" and lead.mailing_address:
        tail = " ".join(p for p in (lead.mailing_city, lead.mailing_state, lead.mailing_postal_code) if p)
        return f"{lead.mailing_address}, {tail}".strip(", ")
    if channel == "email":
        return lead.email
    street = lead.property_address + (f" #{lead.unit}" if lead.unit else "")
    tail = " ".join(p for p in (lead.city, lead.state, lead.postal_code) if p)
    return f"{street}, {tail}".strip(", ") if street else tail


def _entry(item: Item, section: str, rank: int, at: datetime, tz: tzinfo, render: Renderer | None, reasons: tuple[str, ...] = ()) -> Entry:
    d = item.due
    lead = item.state.lead
    if d is None:
        return Entry(
            section=section,
            lead_id=lead.lead_id,
            channel="",
            step=None,
            rank=rank,
            owner=_owner(lead),
            touches=item.state.history.touch_count,
            hours_since_expiry=_hours_since(lead, at),
            address=_address("door", lead),
            reasons=item.reasons,
        )
    day = _local(at, tz).date()
    queued = section in _QUEUED
    v = item.verdict
    end = v.window_end if v is not None and queued else None
    zone = _not_utc(item.zone) or (_not_utc(end.tzinfo) if end is not None else None) or tz
    message = _message(item, render, at, tz) if queued or section == "overflow" else ""
    point = _message(item, render, at, tz, opening=False) if message and d.channel == "call" else ""
    phone = item.phone if queued else (v.phone if v is not None else "")
    if section == "overflow" and not phone:
        usable = lead.usable_phones()
        phone = usable[0].number if usable else ""
    return Entry(
        section=section,
        lead_id=lead.lead_id,
        channel=d.channel,
        step=d.step.step if d.step else None,
        rank=rank,
        owner=_owner(lead),
        step_name=d.step.name if d.step else "Call-back",
        kind=_kind(item, at),
        touches=item.state.history.touch_count,
        due_date=d.due_date,
        days_overdue=max(0, (day - d.due_date).days),
        phone=phone,
        window_start=item.start if queued else None,
        window_end=end,
        window=_window_text(item.start, end, zone) if end is not None else "",
        window_zone=zone if end is not None else None,
        hours_since_expiry=_hours_since(lead, at),
        address=_address(d.channel, lead),
        message=message,
        point=point,
        link=_link(d.channel, phone, message, lead, d.step) if queued else "",
        reasons=reasons or item.reasons,
        next_allowed=item.next_allowed,
    )


_QUEUED = frozenset({"calls", "texts", "letters", "doors", "emails"})
_TIER = {"fresh": 0, "follow-up": 1, "call-back": 1, "nurture": 2}
_FAR = datetime(9999, 1, 1, tzinfo=UTC)


def order_key(item: Item, at: datetime) -> tuple[Any, ...]:
    """Fresh expireds (oldest expiry first), then follow-ups and call-backs (most overdue first), then nurture."""
    d = item.due
    assert d is not None
    kind = _kind(item, at)
    lead = item.state.lead
    if kind == "fresh":
        return (0, lead.expired_at or _FAR, lead.lead_id)
    when = d.call_back_at.replace(tzinfo=at.tzinfo) if d.call_back_at is not None else _FAR
    return (_TIER[kind], d.due_date, when, lead.lead_id)


def select_calls(calls: Sequence[Item], gate: Gate, at: datetime, tz: tzinfo, room: int) -> tuple[list[Item], list[Item], list[Item]]:
    """Ask compliance about the ordered calls until the day's room is filled: (queued, blocked, over capacity).

    Calls beyond the room are not checked today; a later queue checks them when they come up.
    """
    queued: list[Item] = []
    blocked: list[Item] = []
    i = 0
    while i < len(calls) and len(queued) < room:
        item = calls[i]
        judge([item], gate, at, tz)
        (blocked if item.reasons else queued).append(item)
        i += 1
    return queued, blocked, list(calls[i:])


def rank(
    items: Sequence[Item],
    at: datetime,
    tz: tzinfo,
    capacity: int,
    calls_made_today: int,
    render: Renderer | None = None,
    warnings: Sequence[str] = (),
    overflow: Sequence[Item] = (),
) -> Queue:
    """Order judged items into the queue's sections (calls in `items` are already in call order)."""
    by_section: dict[str, list[Item]] = {s: [] for s in SECTIONS}
    for item in items:
        if item.due is None or item.reasons:
            by_section["blocked"].append(item)
        else:
            by_section[_CHANNEL_SECTION[item.due.channel]].append(item)
    by_section["overflow"] = list(overflow)
    for s in ("texts", "letters", "emails"):
        by_section[s].sort(key=lambda i: order_key(i, at))
    by_section["doors"].sort(key=lambda i: route_key(i.state.lead))
    by_section["blocked"].sort(key=lambda i: (i.due.channel if i.due else "", i.state.lead.lead_id, (i.due.step.step if i.due and i.due.step else 0)))
    over = (f"over today's dial capacity ({count(capacity, 'call')}, {calls_made_today} already made)",)
    sections = {
        s: tuple(_entry(item, s, n, at, tz, render, over if s == "overflow" else ()) for n, item in enumerate(found, start=1))
        for s, found in by_section.items()
    }
    return Queue(
        at=at,
        day=_local(at, tz).date(),
        calls=sections["calls"],
        texts=sections["texts"],
        letters=sections["letters"],
        doors=sections["doors"],
        emails=sections["emails"],
        blocked=sections["blocked"],
        overflow=sections["overflow"],
        capacity=capacity,
        calls_made_today=calls_made_today,
        due=len(items) + len(overflow),
        warnings=tuple(warnings),
    )


def build_queue(
    leads: Sequence[Lead],
    plan: Plan,
    log: TouchLog,
    at: datetime,
    gate: Gate,
    tz: tzinfo,
    capacity: int,
    render: Renderer | None = None,
    warnings: Sequence[str] = (),
    states: dict[str, StateEntry] | None = None,
) -> Queue:
    """Today's queue for the moment `at` (aware): collect, order the calls, ask compliance, rank (`states`: see `collect`)."""
    day = _local(at, tz).date()
    with paused_gc():  # tens of thousands of short-lived acyclic objects: see paused_gc
        found = collect(leads, plan, log, day, tz, states)
        calls = sorted((i for i in found.items if i.due is not None and i.due.channel == "call"), key=lambda i: order_key(i, at))
        others = [i for i in found.items if i.due is None or i.due.channel != "call"]
        judge(others, gate, at, tz)
        queued, blocked, over = select_calls(calls, gate, at, tz, max(0, capacity - found.calls_made_today))
        return rank([*queued, *blocked, *others], at, tz, capacity, found.calls_made_today, render, warnings, over)
