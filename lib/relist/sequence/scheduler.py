"""Which steps a lead owes, which are due on a day, and when its next action is.

Day offsets count from the lead's sequence start (its expiry, or its import if
later). A step not done stays due (overdue) while later steps still come due
on their own days; a lead gets at most one touch per channel a day (so one
call and one text), except a call-back the owner asked for; steps sharing a
day go in plan order (the text waits for that day's call). Compliance decides
every moment: `next_action` asks the gate for the first legal one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from relist.model import CHANNEL_NAMES, CLOSED_LEAD_STATUSES, Channel, Lead, Phone, Step
from relist.sequence.gate import Gate
from relist.sequence.outcomes import History, effective_phone_status, replay
from relist.sequence.plan import Plan
from relist.sequence.touches import TouchRow

DEFAULT_TIME = time(9, 0)
"""When a step without a TimeOfDay is placed (letters): the start of a working morning."""

DueKind = Literal["main", "nurture", "call-back"]


@dataclass(frozen=True)
class Due:
    """A step (or a requested call-back) a lead owes on a day."""

    step: Step | None
    channel: Channel
    due_date: date
    kind: DueKind
    call_back_at: datetime | None = None
    """Naive agent-local moment the owner asked to be called (call-backs only)."""


@dataclass(frozen=True)
class NextAction:
    """The lead's next step and the first legal moment for it (None when compliance allows none soon)."""

    step: int | None
    channel: Channel
    due: datetime | None
    due_date: date
    kind: DueKind
    reasons: tuple[str, ...] = ()


@dataclass
class LeadState:
    """A lead as the sequence sees it: phones with the log applied, its history, its day 0."""

    lead: Lead
    history: History
    start: date | None
    reach: dict[str, bool] = field(default_factory=dict)
    """Channel -> whether the lead has what it needs (see `reachable`)."""


def sequence_start(lead: Lead, tz: tzinfo) -> date | None:
    """Day 0: SequenceStart, else the later of expiry and first import."""
    if lead.sequence_start is not None:
        return lead.sequence_start
    days: list[date] = []
    if lead.expired_at is not None:
        days.append(lead.expired_at.astimezone(tz).date() if lead.expired_at.tzinfo else lead.expired_at.date())
    imported = lead.fields.get("FirstImportedAt")
    if isinstance(imported, datetime):
        days.append(imported.date())
    elif isinstance(imported, date):
        days.append(imported)
    return max(days) if days else None


def _with_status(lead: Lead, status: str) -> Lead:
    """A copy of the lead with another status (dataclasses.replace re-runs a 35-argument __init__: slow per lead)."""
    if not _PLAIN_LEAD:
        return dataclasses.replace(lead, status=status)
    new: Lead = object.__new__(Lead)
    new.__dict__ = {**lead.__dict__, "status": status}
    return new


_PLAIN_LEAD = not hasattr(Lead, "__post_init__") and not hasattr(Lead, "__slots__") and not Lead.__dataclass_params__.frozen  # type: ignore[attr-defined]


def lead_state(lead: Lead, touches: Sequence[TouchRow], undone: set[str] | dict[str, str], plan: Plan, tz: tzinfo) -> LeadState:
    """Replay a lead's touches and apply what they did to its phones."""
    start = sequence_start(lead, tz)
    history = replay(touches, undone, start, lead.status, plan.main_numbers)
    if history.closed != (lead.status in CLOSED_LEAD_STATUSES):
        # compliance judges the lead by its status: give it the one the log decides
        lead = _with_status(lead, history.status)
    if history.phone_status or history.phones_touched:
        phones = tuple(
            dataclasses.replace(p, status=s) if (s := effective_phone_status(p.number, p.status, history)) != p.status else p
            for p in lead.phones
        )
        lead = dataclasses.replace(lead, phones=phones)
    return LeadState(lead, history, start, reach(lead))


def textable(phone: Phone) -> bool:
    return phone.usable and phone.kind != "landline"


def reachable(lead: Lead, channel: str) -> bool:
    """Whether the lead has what the channel needs (a usable phone, an address, an email)."""
    if channel == "call":
        return any(p.usable for p in lead.phones)
    if channel == "text":
        return any(textable(p) for p in lead.phones)
    if channel == "letter":
        return bool(lead.mailing_address or lead.property_address)
    if channel == "door":
        return bool(lead.property_address)
    if channel == "email":
        return "@" in lead.email
    return False


def reach(lead: Lead) -> dict[str, bool]:
    """`reachable` for every channel at once (one pass over the phones)."""
    call = text = False
    for p in lead.phones:
        if p.status in ("Active", "Verified"):
            call = True
            if p.kind != "landline":
                text = True
                break
    return {
        "call": call,
        "text": text,
        "letter": bool(lead.mailing_address or lead.property_address),
        "door": bool(lead.property_address),
        "email": "@" in lead.email,
    }


def is_open(state: LeadState) -> bool:
    return state.lead.contactable and not state.history.closed


def pending(plan: Plan, state: LeadState) -> list[tuple[Step, date]]:
    """Steps the lead still owes with the day each came (or comes) due, in plan order."""
    h, start = state.history, state.start
    if start is None or not is_open(state):
        return []
    can = state.reach
    done = h.done
    if h.nurture_since is None:
        main = [(s, start + offset) for s, offset in plan.main_offsets if s.step not in done and can[s.channel]]
        if h.reached_on is not None and main:
            # the owner was reached: a text after no pickup meant for that day or before is moot
            after_call = plan.after_call_texts
            main = [(s, d) for s, d in main if not (s.step in after_call and d <= h.reached_on)]
        if main:
            return main
    since = h.nurture_since or h.last_main_done or start
    out: list[tuple[Step, date]] = []
    for s in plan.nurture:
        if not can[s.channel]:
            continue
        every = timedelta(days=s.repeat_every_days or 0)
        last = done.get(s.step)
        due = last + every if last is not None else max(start + timedelta(days=s.day_offset), since + every)
        out.append((s, due))
    return out


_CHANNEL_ORDER = {ch: i for i, ch in enumerate(CHANNEL_NAMES)}


def due_on(plan: Plan, state: LeadState, day: date, steps: Sequence[tuple[Step, date]] | None = None) -> list[Due]:
    """What the lead owes on `day`: at most one item per channel, a call-back replacing the call."""
    if steps is None:
        steps = pending(plan, state)
    if not steps:
        return []
    h = state.history
    out: list[Due] = []
    decided = {ch for ch, d in h.channel_days.items() if d == day}
    call_back = h.call_back_at if state.reach.get("call") else None
    if call_back is not None:
        decided.add("call")
        if call_back.date() <= day:
            first = next((s for s, _d in steps if s.channel == "call"), None)
            out.append(Due(first, "call", call_back.date(), "call-back", call_back))
    for s, d in steps:
        ch = s.channel
        if ch in decided or d > day:
            continue
        decided.add(ch)
        if d == day and _held(s, d, steps):
            continue
        out.append(Due(s, ch, d, "nurture" if s.is_nurture else "main"))
    if len(out) > 1:
        out.sort(key=lambda x: _CHANNEL_ORDER[x.channel])
    return out


def _held(step: Step, due: date, steps: Sequence[tuple[Step, date]]) -> bool:
    """A step waits while an earlier step of the same day, on another channel, is not done."""
    for s, d in steps:
        if s is step:
            return False
        if d == due and s.channel != step.channel and not s.is_nurture:
            return True
    return False


def _moment(day: date, at_time: time | None, zone: tzinfo) -> datetime:
    return datetime.combine(day, at_time or DEFAULT_TIME, tzinfo=zone)


def next_action(plan: Plan, state: LeadState, gate: Gate, tz: tzinfo) -> NextAction | None:
    """The step due soonest once compliance has placed it; None when the sequence is closed or empty.

    Each channel's first owed step is placed at its day and preferred time
    (owner-local when the owner's zone is known), one day later per channel
    already used that day, and moved to the first legal moment. A pending
    call-back takes the call's place at the time the owner asked for.
    """
    steps = pending(plan, state)
    h = state.history
    lead = state.lead
    if not steps and not (h.call_back_at is not None and is_open(state) and reachable(lead, "call")):
        return None
    zone = gate.zone(lead) or tz
    candidates: list[tuple[int, Step | None, Channel, date, datetime, DueKind]] = []
    for order, ch in enumerate(CHANNEL_NAMES):
        mine = [(s, d) for s, d in steps if s.channel == ch]
        if ch == "call" and h.call_back_at is not None and reachable(lead, "call"):
            first = mine[0][0] if mine else None
            cb = h.call_back_at.replace(tzinfo=tz)
            candidates.append((-1, first, "call", h.call_back_at.date(), cb, "call-back"))
            continue
        if not mine:
            continue
        first_step, d = mine[0]
        used = h.channel_days.get(ch)
        day = max(d, used + timedelta(days=1)) if used is not None and used >= d else d
        kind: DueKind = "nurture" if first_step.is_nurture else "main"
        candidates.append((order, first_step, ch, d, _moment(day, first_step.time_of_day, zone), kind))
    placed: list[tuple[bool, datetime, int, NextAction]] = []
    for order, step, ch, d, nominal, kind in candidates:
        legal = gate.next_allowed(lead, ch, nominal)
        reasons: tuple[str, ...] = ()
        if legal is None:
            v = gate.evaluate(lead, ch, nominal)
            reasons = tuple(r.message for r in v.blocking) or ("compliance allows no moment in the next 14 days",)
        action = NextAction(step.step if step else None, ch, legal, d, kind, reasons)
        placed.append((legal is None, legal or nominal, order if step is None else _plan_index(plan, step), action))
    placed.sort(key=lambda p: (p[0], p[1], p[2]))
    return placed[0][3] if placed else None


def _plan_index(plan: Plan, step: Step) -> int:
    for i, s in enumerate(plan.all_steps):
        if s is step:
            return i
    return len(plan.all_steps)


def assign_step(plan: Plan, state: LeadState, channel: str) -> int | None:
    """The step a touch on `channel` completes: the first one owed on that channel, else None."""
    for s, _d in pending(plan, state):
        if s.channel == channel:
            return s.step
    return None
