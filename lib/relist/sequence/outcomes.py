"""What each touch outcome means for the lead, and the lead's history replayed from its touches.

The lead row's counters and status are never edited directly: `replay` derives
them from the touch log, so rebuilding the table from the log gives the same
table, and an undo is just a touch that takes another one out of the replay.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from relist.errors import BadInput
from relist.model import CLOSED_LEAD_STATUSES, Channel
from relist.sequence.touches import TouchRow


@dataclass(frozen=True)
class OutcomeRule:
    """One outcome: where it may be logged and what it does to the lead."""

    name: str
    label: str
    channels: frozenset[str]
    status: str | None = None
    """Status the lead takes (None: New becomes Working, others stay)."""
    closes: bool = False
    """The sequence ends (listed, relisted, do-not-contact)."""
    to_nurture: bool = False
    """The remaining main steps are dropped; nurture steps continue."""
    phone_status: str | None = None
    """What the phone used becomes (Bad, Retired)."""
    needs_follow_up: bool = False
    """A DATETIME is required (call-back, appointment)."""
    dnc: bool = False
    """A do-not-contact request: goes on the internal DNC list."""
    reached: bool = False
    """The agent reached the owner (for the funnel)."""


_CONVERSATION = frozenset({"call", "text", "email", "door"})
_ANY = frozenset({"call", "text", "letter", "door", "email"})

RULES: dict[str, OutcomeRule] = {
    r.name: r
    for r in (
        OutcomeRule("no-answer", "No answer", frozenset({"call"})),
        OutcomeRule("voicemail", "Left voicemail", frozenset({"call"})),
        OutcomeRule("bad-number", "Bad number", frozenset({"call", "text"}), phone_status="Bad"),
        OutcomeRule("wrong-person", "Wrong person", frozenset({"call", "text"}), phone_status="Retired"),
        OutcomeRule("not-interested", "Spoke: not interested", _CONVERSATION, status="Nurture", to_nurture=True, reached=True),
        OutcomeRule("call-back", "Spoke: call back on DATE", _CONVERSATION, needs_follow_up=True, reached=True),
        OutcomeRule("appointment", "Appointment set", _CONVERSATION, status="Appointment", to_nurture=True, needs_follow_up=True, reached=True),
        OutcomeRule("dnc-request", "Do-not-call request", _CONVERSATION, status="DNC", closes=True, dnc=True, reached=True),
        OutcomeRule("sent", "Sent", frozenset({"text", "letter", "email"})),
        OutcomeRule("replied", "Replied", frozenset({"text", "letter", "email"}), reached=True),
        OutcomeRule("opt-out", "Opted out", frozenset({"text", "letter", "email"}), status="DNC", closes=True, dnc=True, reached=True),
        OutcomeRule("no-one-home", "No one home", frozenset({"door"})),
        OutcomeRule("spoke", "Spoke at the door", frozenset({"door"}), reached=True),
        OutcomeRule("hanger-left", "Door hanger left", frozenset({"door"})),
        OutcomeRule("listed-with-me", "Listed with me", _ANY, status="Listed", closes=True, reached=True),
        OutcomeRule("relisted-other", "Relisted with another agent", _ANY, status="Relisted", closes=True),
    )
}
"""Every outcome by its CLI name (the same names as the Outcome dropdown)."""

TOUCH_STATUSES = frozenset(r.status for r in RULES.values() if r.status) | {"New", "Working"}
"""Statuses the touch log can explain; any other closed status on the row was set by hand or by import."""


def outcomes_for(channel: str) -> list[str]:
    """The outcomes that may be logged on a channel, in dropdown order."""
    return [name for name, r in RULES.items() if channel in r.channels]


def rule_for(channel: str, outcome: str) -> OutcomeRule:
    """The rule for an outcome on a channel; a clear error when it does not fit."""
    from relist.model import CHANNEL_NAMES

    ch = channel.strip().lower()
    if ch not in CHANNEL_NAMES:
        raise BadInput(f"Channel {channel!r} is not one of {', '.join(CHANNEL_NAMES)}.", "Pick one of those.")
    name = outcome.strip().lower()
    rule = RULES.get(name)
    if rule is None or ch not in rule.channels:
        what = "not an outcome" if rule is None else f"not a {ch} outcome"
        raise BadInput(f"Outcome {outcome!r} is {what}.", f"For a {ch} use one of: {', '.join(outcomes_for(ch))}.")
    return rule


@dataclass
class History:
    """What the touch log says about one lead (times naive, agent-local)."""

    touch_count: int = 0
    last_touch_at: datetime | None = None
    last_outcome: str = ""
    status: str = "New"
    closed: bool = False
    done: dict[int, date] = field(default_factory=dict)
    """Step -> the (agent-local) day it was last done in the current cycle."""
    last_main_done: date | None = None
    nurture_since: date | None = None
    """Set when an outcome sent the lead to nurture before the main steps ran out."""
    call_back_at: datetime | None = None
    """A call-back the owner asked for and no call has answered yet."""
    appointment_at: datetime | None = None
    channel_days: dict[str, date] = field(default_factory=dict)
    """Channel -> the last day it was used (one call and one text a day)."""
    phone_status: dict[str, str] = field(default_factory=dict)
    """Phone -> Bad/Retired as the standing touches say."""
    phones_touched: set[str] = field(default_factory=set)
    """Phones any touch (undone ones included) marked Bad/Retired: their status is the log's to set."""
    dnc: bool = False
    reached_on: date | None = None
    """The last day (this cycle) an outcome said the owner was reached: spoke, call-back, replied..."""


_PLAIN = frozenset(
    name for name, r in RULES.items()
    if not (r.status or r.closes or r.to_nurture or r.phone_status or r.needs_follow_up or r.dnc or r.reached)
)
"""Outcomes that only move the steps along (no answer, sent, ...): the replay's fast path."""


def replay(
    touches: Sequence[TouchRow],
    undone: Container[str],
    cycle_start: date | None,
    row_status: str | None,
    main_steps: Container[int] = (),
) -> History:
    """The lead's history from its touches (oldest first), skipping undone ones.

    Only touches on or after `cycle_start` count toward steps and status (a
    re-expired listing starts a new cycle), except do-not-contact requests,
    which stand for good. A closed status on the row that no touch explains
    (Dead, Not contactable, or Relisted set by an import) stays.
    """
    h = History()
    explained: set[str] = set()
    done = h.done
    channel_days = h.channel_days
    count = 0
    last_at: datetime | None = None
    last_outcome = ""
    last_main: date | None = None
    call_back: datetime | None = None
    plain = _PLAIN
    for t in touches:
        tid, _lead, at, channel, step, outcome, phone, follow, _undo = t
        if outcome in plain:
            if tid in undone:
                continue
            count += 1
            last_at, last_outcome = at, outcome
            day = at.date()
            if cycle_start is not None and day < cycle_start:
                continue
            channel_days[channel] = day
            if step is not None:
                done[step] = day
                if step in main_steps:
                    last_main = day
            if channel == "call":
                call_back = None
            continue
        rule = RULES.get(outcome)
        if rule is not None and rule.status:
            explained.add(rule.status)
        if rule is not None and rule.phone_status and phone:
            h.phones_touched.add(phone)
        if tid in undone:
            continue
        count += 1
        last_at, last_outcome = at, outcome
        day = at.date()
        if rule is not None and rule.phone_status and phone:
            h.phone_status[phone] = rule.phone_status
        if rule is not None and rule.dnc:
            h.dnc = True
        if cycle_start is not None and day < cycle_start:
            continue
        if rule is not None and rule.phone_status:
            continue  # a dead or wrong number reached no one: the step stays owed, on the next phone
        channel_days[channel] = day
        if step is not None:
            done[step] = day
            if step in main_steps:
                last_main = day
        if channel == "call":
            call_back = None
        if rule is None:
            continue
        if rule.reached:
            h.reached_on = day if h.reached_on is None else max(h.reached_on, day)
        if rule.needs_follow_up and follow is not None:
            if rule.name == "call-back":
                call_back = follow
            else:
                h.appointment_at = follow
        if rule.to_nurture:
            since = day
            if rule.name == "appointment" and follow is not None:
                since = max(day, follow.date())
            h.nurture_since = since if h.nurture_since is None else max(h.nurture_since, since)
        if h.closed:
            if rule.closes and rule.status:
                h.status = rule.status
            continue
        if rule.status:
            h.status = rule.status
            h.closed = rule.closes
    h.touch_count, h.last_touch_at, h.last_outcome = count, last_at, last_outcome
    h.last_main_done, h.call_back_at = last_main, call_back
    if count and h.status == "New":
        h.status = "Working"
    if h.dnc and not h.closed:
        h.status, h.closed = "DNC", True
    if row_status:
        row = row_status.strip()
        if row in CLOSED_LEAD_STATUSES and (row not in TOUCH_STATUSES or row not in explained):
            h.status, h.closed = row, True
    return h


_OUTCOMES_SETTING = {status: frozenset(n for n, r in RULES.items() if r.status == status) for status in TOUCH_STATUSES}


def closed_by_row(row_status: str | None, touches: Sequence[TouchRow]) -> bool:
    """Whether `replay` would end closed whatever the touches say: a closed row status none of them explains.

    (Dead or Not contactable, or Relisted set by an import.) The queue skips
    replaying such leads: most of a year's leads are closed this way.
    """
    if not row_status:
        return False
    row = row_status.strip()
    if row not in CLOSED_LEAD_STATUSES:
        return False
    setting = _OUTCOMES_SETTING.get(row)
    return setting is None or not any(t[5] in setting for t in touches)


def effective_phone_status(number: str, row_status: str, history: History) -> str:
    """A phone's status once the touch log is applied (an undone bad-number gives it back)."""
    got = history.phone_status.get(number)
    if got is not None:
        return got
    if number in history.phones_touched and row_status in ("Bad", "Retired"):
        return "Active"
    return row_status


def channel_label(channel: Channel) -> str:
    return {"call": "Call", "text": "Text", "letter": "Letter", "door": "Door", "email": "Email"}[channel]
