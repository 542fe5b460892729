"""The sequence's services over a workbook port: today's queue, log a touch, undo, rebuild.

Every front (CLI, Excel ribbon, outreach channels) calls these with an aware
`at`; they read the workbook, ask compliance, write the Touches log, the lead
row and the Today sheet, and save once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from relist import schema
from relist.bulk import paused_gc
from relist.clock import to_local_naive, utc_iso
from relist.errors import BadInput, NotFound, RelistError, SequenceError
from relist.model import Channel, Lead, Step
from relist.schema import AS_OF_CELL
from relist.sequence.gate import Gate, compliance_gate
from relist.sequence.outcomes import RULES, rule_for
from relist.sequence.plan import Plan, default_plan, parse_plan, plan_from_json
from relist.sequence.queue import Queue, Renderer, build_queue
from relist.sequence.scheduler import (
    LeadState,
    NextAction,
    assign_step,
    is_open,
    lead_state,
    next_action,
    reachable,
    textable,
)
from relist.sequence.touches import (
    TOUCH_COLUMNS,
    TouchLog,
    TouchRow,
    highest_id,
    id_number,
    lead_log,
    parse_touch_columns,
    parse_touches,
)
from relist.words import count

DOUBLE_CLICK = timedelta(seconds=60)
"""Two identical touches of one lead this close together are one touch logged twice."""

PLAN_CELLS = ("A10", "B10")
"""Where the last good sequence is kept on the very hidden _Relist sheet."""
_PLAN_LABEL = "sequence_last_good"

_DNC_SOURCE = {"call": "call outcome", "text": "text reply", "email": "email unsubscribe", "door": "door note", "letter": "letter reply"}
LEAD_COLUMNS = (
    "LeadId", "Status", "ListingStatus", "Contactable", "NotContactableReason", "OwnerName", "OwnerName2",
    "OwnerFirstName", "OwnerLastName", "EntityOwner", "Email", "PropertyAddress", "Unit", "City", "State",
    "PostalCode", "MailingAddress", "MailingCity", "MailingState", "MailingPostalCode", "Absentee", "ListingId",
    "ExpiredAt", "SequenceStart", "TouchCount", "LastTouchAt", "NextStep", "NextChannel", "NextDue",
    "AppointmentAt", "CallBackAt", "ListPrice", "FirstImportedAt",
)
"""The tblLeads columns logging a touch needs: the ones `relist.leads` maps onto Lead, and day 0's fallback."""
_PHONE_COLUMNS = ("PhoneId", "LeadId", "Position", "Phone", "VendorDNC", "PhoneStatus", "Extension", "Kind", "Litigator")


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlanLoad:
    """The plan in force, and why it is not the sheet's when the sheet was refused."""

    plan: Plan
    warning: str = ""


def load_plan(book: Any) -> PlanLoad:
    """The Sequence sheet's plan; a bad edit keeps the last good plan in force (with a warning)."""
    try:
        plan = parse_plan(book.read_records("tblSequence"))
    except SequenceError as exc:
        previous = _stored_plan(book) or default_plan()
        return PlanLoad(previous, exc.one_line())
    _store_plan(book, plan)
    return PlanLoad(plan)


def _stored_plan(book: Any) -> Plan | None:
    try:
        cells = book.read_cells(schema.META_SHEET, list(PLAN_CELLS))
    except (KeyError, ValueError, RelistError):
        return None
    text = cells.get(PLAN_CELLS[1])
    if cells.get(PLAN_CELLS[0]) != _PLAN_LABEL or not isinstance(text, str):
        return None
    try:
        return plan_from_json(text)
    except SequenceError:
        return None


def _store_plan(book: Any, plan: Plan) -> None:
    text = plan.to_json()
    try:
        cells = book.read_cells(schema.META_SHEET, list(PLAN_CELLS))
        if cells.get(PLAN_CELLS[1]) == text and cells.get(PLAN_CELLS[0]) == _PLAN_LABEL:
            return
        book.write_cells(schema.META_SHEET, {PLAN_CELLS[0]: _PLAN_LABEL, PLAN_CELLS[1]: text})
    except (KeyError, ValueError, RelistError):
        return


def save_plan(book: Any, records: Sequence[Mapping[str, Any]]) -> Plan:
    """Replace the Sequence sheet with `records` if they make a valid plan (else nothing changes)."""
    plan = parse_plan(records)
    book.replace_rows("tblSequence", plan.to_records())
    _store_plan(book, plan)
    book.save()
    return plan


# ---------------------------------------------------------------- reading


def _settings(book: Any) -> Any:
    from relist import settings

    return settings.load(book)


def _read_log(book: Any) -> TouchLog:
    """The whole touch log, column by column when the port can (no dict per row of a 265,000-row log)."""
    by_column = getattr(book, "read_columns", None)
    if by_column is None:
        return parse_touches(book.read_records("tblTouches", list(TOUCH_COLUMNS)))
    return parse_touch_columns(by_column("tblTouches", list(TOUCH_COLUMNS)))


def _find_lead(book: Any, lead_id: str, tz: ZoneInfo) -> tuple[Lead, list[dict[str, Any]]]:
    """The lead and its tblPhones records; NotFound names the id.

    Reads the LeadId column first, then only the lead's rows when the port can
    (`records_where`, the live adapter): one lead out of 25,000 per click.
    """
    from relist.leads import lead_from_record, phone_from_record

    wanted = str(lead_id).strip()
    where = getattr(book, "records_where", None)
    rec: dict[str, Any] | None = None
    found = where("tblLeads", "LeadId", wanted, list(LEAD_COLUMNS)) if where is not None else []
    if found:  # the id as written: its row alone (the read cache's index finds it without the column)
        lid: str | None = wanted
    else:
        values = getattr(book, "column_values", None)
        cells = values("tblLeads", "LeadId") if values is not None else [r.get("LeadId") for r in book.read_records("tblLeads", ["LeadId"])]
        ids = [i if i.__class__ is str else str(i or "") for i in cells]
        lid = wanted if wanted in ids else next((i for i in ids if i.lower() == wanted.lower()), None)
    if lid is None:
        raise NotFound(f"Lead {lead_id!r} is not on the Leads sheet.", "Check the LeadId (relist today --json lists them).")
    if where is not None:
        found = found or where("tblLeads", "LeadId", lid, list(LEAD_COLUMNS))
        rec = found[0] if found else None
        phone_recs = where("tblPhones", "LeadId", lid, list(_PHONE_COLUMNS))
    if rec is None:
        rec = next(r for r in book.read_records("tblLeads", list(LEAD_COLUMNS)) if str(r.get("LeadId") or "") == lid)
        phone_recs = [r for r in book.read_records("tblPhones", list(_PHONE_COLUMNS)) if str(r.get("LeadId") or "") == lid]
    phones = sorted((p for p in map(phone_from_record, phone_recs) if p is not None), key=lambda p: p.position)
    return lead_from_record(rec, phones, tz), phone_recs


def _lead_log(book: Any, lead_id: str) -> TouchLog:
    """One lead's touches and undo rows, and the log's highest TouchId (reading only those rows when the port can)."""
    where = getattr(book, "records_where", None)
    values = getattr(book, "column_values", None)
    if where is None or values is None:
        return lead_log(book.read_records("tblTouches", list(TOUCH_COLUMNS)), lead_id)
    log = parse_touches(where("tblTouches", "LeadId", lead_id, list(TOUCH_COLUMNS)))
    log.last_number = _last_touch_number(book, log) or highest_id(values("tblTouches", "TouchId"))
    return log


def _last_touch_number(book: Any, log: TouchLog) -> int:
    """The highest TouchId number read off the log's last row alone, or 0 when that row cannot vouch for it.

    Relist only appends to the log, each id one above the highest, so with no
    row deleted or moved the last row holds T<row count>. The last row is
    trusted only when it says exactly that (standard id, number = rows) and
    none of the lead's own ids is higher; anything else (a sorted, trimmed or
    hand-edited log) falls back to scanning the TouchId column.
    """
    tail = getattr(book, "tail", None)
    if tail is None:
        return 0
    rows, last = tail("tblTouches", "TouchId")
    if not (isinstance(last, str) and len(last) == 8 and last[0] == "T" and last[1:].isdigit()):
        return 0
    number = int(last[1:])
    if number != rows or any(id_number(t.touch_id) > number for t in (*log.order, *log.undo_rows)):
        return 0
    return number


# ---------------------------------------------------------------- lead rows


def _local_text(moment: datetime | None, zone: tzinfo) -> str | None:
    if moment is None:
        return None
    m = moment.astimezone(zone)
    return f"{m.strftime('%Y-%m-%d %H:%M')} {m.tzname() or ''}".strip()


def derived_row(plan: Plan, state: LeadState, touches: Sequence[TouchRow], gate: Gate, tz: ZoneInfo) -> tuple[dict[str, Any], NextAction | None]:
    """The tblLeads columns the touch log decides, for one lead (and its next action)."""
    lead, h = state.lead, state.history
    status = h.status
    if not lead.contactable and not h.closed:
        status = lead.status
    elif not h.closed and status in ("New", "Working") and h.touch_count and _in_nurture(plan, state):
        status = "Nurture"
    nxt = next_action(plan, state, gate, tz) if is_open(state) else None
    zone = gate.zone(lead) or tz
    best = lead.best_phone()
    row: dict[str, Any] = {
        "LeadId": lead.lead_id,
        "Status": status,
        "TouchCount": h.touch_count,
        "LastTouchAt": h.last_touch_at,
        "LastOutcome": h.last_outcome or None,
        "NextStep": nxt.step if nxt else None,
        "NextChannel": nxt.channel if nxt else None,
        "NextDue": to_local_naive(nxt.due, tz) if nxt and nxt.due else None,
        "NextDueLeadLocal": _local_text(nxt.due, zone) if nxt and nxt.due else None,
        "BestPhone": best.number if best else None,
    }
    outcomes = {t.outcome for t in touches}
    if "appointment" in outcomes:
        row["AppointmentAt"] = h.appointment_at
    if "call-back" in outcomes:
        row["CallBackAt"] = h.call_back_at
    return row, nxt


def _in_nurture(plan: Plan, state: LeadState) -> bool:
    """The main steps are over: done, or impossible for this lead (no phone, no email)."""
    h, lead = state.history, state.lead
    return h.nurture_since is not None or all(s.step in h.done or not reachable(lead, s.channel) for s in plan.steps)


def _phone_updates(state: LeadState, phone_recs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """tblPhones rows whose PhoneStatus the touch log changes."""
    wanted = {p.number: p.status for p in state.lead.phones}
    out = []
    for r in phone_recs:
        number = str(r.get("Phone") or "")
        if number in wanted and r.get("PhoneId") and (r.get("PhoneStatus") or "Active") != wanted[number]:
            out.append({"PhoneId": r["PhoneId"], "PhoneStatus": wanted[number]})
    return out


# ---------------------------------------------------------------- today


def _renderer(settings: Any, warnings: list[str]) -> Renderer:
    """Text messages through the channels' templates, or the step's talking point when none."""
    from relist.channels.texts import render_text

    def fallback(step: Step | None, lead: Lead) -> str:
        first = lead.owner_first_name or "there"
        point = step.talking_point if step else ""
        who = ", ".join(p for p in (settings.agent_name, settings.brokerage) if p)
        return f"Hi {first}, this is {who}. {point} Reply STOP to opt out.".replace("  ", " ")

    def render(step: Step | None, lead: Lead) -> str:
        if step is None or not step.template:
            return fallback(step, lead)
        try:
            return str(render_text(step.template, lead, settings))
        except RelistError as exc:
            _note_fallback(warnings, missed, step.template, lead.lead_id, str(exc))
            return fallback(step, lead)

    missed: dict[str, list[str]] = {}
    return render


_TEMPLATE_FIELDS = {"owner_first_name": ("the owner's first name", "Leads > First name"), "street": ("the street", "Leads > Address")}


def _note_fallback(warnings: list[str], missed: dict[str, list[str]], template: str, lead_id: str, why: str) -> None:
    """One plain warning per text template that fell back to the talking point, with the leads it concerns."""
    import re

    head = f"Text '{template}'"
    old = next((i for i, w in enumerate(warnings) if w.startswith(head + " ")), None)
    ids = missed.setdefault(template, [])
    ids.append(lead_id)
    m = re.search(r"needs (\w+), but", why)
    if m and m.group(1) in _TEMPLATE_FIELDS:
        words, where = _TEMPLATE_FIELDS[m.group(1)]
        reason = f"it needs {words} ({where} is blank)"
    else:
        reason = "it could not be filled in (check the template file)"
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    note = f"{head} used the step's talking point for {count(len(ids), 'lead')} ({shown}): {reason}."
    if old is None:
        warnings.append(note)
    else:
        warnings[old] = note


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_off(settings: Any, at: datetime) -> tuple[str, str]:
    """When `at` is not one of the agent's work days: why nothing is queued, and how to plan the next
    work day instead; ('', '') on a work day."""
    local = at.astimezone(settings.tz)
    if local.weekday() in settings.work_days:
        return "", ""
    days = ",".join(_DAY_NAMES[d][:3] for d in sorted(settings.work_days))
    nxt = next(local.date() + timedelta(days=n) for n in range(1, 8) if (local.weekday() + n) % 7 in settings.work_days)
    return (f"{_DAY_NAMES[local.weekday()]} is not one of your work days (Settings > Work days: {days}): nothing is queued.",
            f"To plan {_DAY_NAMES[nxt.weekday()]}, build the queue with --at {nxt.isoformat()}T08:30.")


def today(book: Any, at: datetime, gate: Gate | None = None, *, write: bool = True) -> Queue:
    """Build today's queue from the workbook, write it to the Today sheet and save.

    Leads never scheduled (just imported, no touches) get their first NextStep
    and NextDue on the Leads sheet at the same time.
    """
    from relist.leads import load_leads
    from relist.sequence.reuse import read_inputs, session_reuse, states_for
    from relist.settings import require_identity

    settings = _settings(book)
    require_identity(settings, "today", book)  # its texts are signed and its calls open with who calls: refused before anything is written
    tz = settings.tz
    off, hint = day_off(settings, at)
    if off:
        queue = Queue(at, at.astimezone(tz).date(), closed=off, closed_hint=hint)
        if write:
            book.replace_rows("tblToday", queue.rows(tz))
            book.write_cells("Today", {"A1": queue.headline(), schema.TODAY_HOWTO_CELL: schema.TODAY_HOWTO})
            book.save()
        return queue
    loaded = load_plan(book)
    warnings = [loaded.warning] if loaded.warning else []
    reuse = session_reuse(book)  # Excel: what the last build in this session can lend (see sequence.reuse)
    with paused_gc():  # 25,000 leads and a year's log of acyclic objects: no collector passes while they are made
        if reuse is not None:
            leads, log = read_inputs(book, tz, reuse)
        else:
            leads = load_leads(book, tz)
            log = _read_log(book)
        gate = gate or compliance_gate(book, at, log=log)
        render = _renderer(settings, warnings)
        states = states_for(loaded.plan, reuse) if reuse is not None else None
        queue = build_queue(leads, loaded.plan, log, at, gate, tz, settings.daily_dial_capacity, render, warnings, states)
    if write:
        fresh = [ld for ld in leads if ld.next_step is None and ld.next_due is None and ld.sequence_open and not log.for_lead(ld.lead_id)]
        rows = [derived_row(loaded.plan, lead_state(ld, [], log.undone, loaded.plan, tz), [], gate, tz)[0] for ld in fresh]
        if rows:
            book.update_rows("tblLeads", rows)
        book.replace_rows("tblToday", queue.rows(tz))
        book.write_cells("Today", {"A1": queue.headline(), schema.TODAY_HOWTO_CELL: schema.TODAY_HOWTO,
                                   AS_OF_CELL: at.astimezone(tz).replace(tzinfo=None)})
        book.save()
    return queue


# ---------------------------------------------------------------- logging


@dataclass(frozen=True)
class LogResult:
    """What logging a touch did: the row written (or the double click ignored) and where the lead now stands."""

    touch_id: str
    lead_id: str
    channel: str
    outcome: str
    step: int | None
    at: datetime
    duplicate: bool = False
    phone: str = ""
    status: str = ""
    touch_count: int = 0
    next_step: int | None = None
    next_channel: str = ""
    next_due: datetime | None = None
    next_due_lead_local: str = ""
    appointment_at: datetime | None = None
    call_back_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.duplicate:
            return (
                f"Not logged twice: {self.lead_id} {self.channel} {self.outcome} is already logged as {self.touch_id}"
                f" at {self.at:%H:%M:%S} (same outcome within 60 s: a double click)."
            )
        nxt = (
            f"next: step {self.next_step} ({self.next_channel}) {self.next_due_lead_local or 'no legal moment soon'}"
            if self.next_channel
            else "sequence ended"
        )
        return f"Logged {self.touch_id}: {self.lead_id} {self.channel} {self.outcome}; {self.status}, {count(self.touch_count, 'touch')}; {nxt}."

    def to_json(self) -> dict[str, Any]:
        return {
            "touch_id": self.touch_id,
            "lead_id": self.lead_id,
            "channel": self.channel,
            "outcome": self.outcome,
            "step": self.step,
            "at": self.at.isoformat(),
            "duplicate": self.duplicate,
            "phone": self.phone,
            "status": self.status,
            "touch_count": self.touch_count,
            "next_step": self.next_step,
            "next_channel": self.next_channel or None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "next_due_lead_local": self.next_due_lead_local or None,
            "appointment_at": self.appointment_at.isoformat() if self.appointment_at else None,
            "call_back_at": self.call_back_at.isoformat() if self.call_back_at else None,
            "warnings": list(self.warnings),
        }


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())[-10:]


def _pick_phone(lead: Lead, channel: str, given: str | int | None) -> str:
    """The number a touch used: --phone as a position (1, 2, ...) or a number of the lead's, else the best one."""
    if given is None or str(given).strip() == "":
        if channel == "call":
            usable = lead.usable_phones()
            return usable[0].number if usable else ""
        if channel == "text":
            for p in lead.usable_phones():
                if textable(p):
                    return p.number
        return ""
    text = str(given).strip()
    listed = ", ".join(f"{p.position}: {p.number}" for p in lead.phones) or "none"
    if text.isdigit() and len(text) <= 2:
        for p in lead.phones:
            if p.position == int(text):
                return p.number
        raise BadInput(f"Lead {lead.lead_id} has no phone {text}.", f"Its phones are {listed}.")
    wanted = _digits(text)
    for p in lead.phones:
        if wanted and _digits(p.number) == wanted:
            return p.number
    raise BadInput(f"{text} is not one of lead {lead.lead_id}'s phones.", f"Its phones are {listed}; pass the position or the number.")


def _compliance(name: str) -> Any:
    """A function the compliance package exports (from its internal_dnc module until re-exported)."""
    import relist.compliance as compliance

    found = getattr(compliance, name, None)
    if found is None:
        from relist.compliance import internal_dnc

        found = getattr(internal_dnc, name)
    return found


def _is_opt_out(text: str) -> bool:
    return bool(_compliance("is_opt_out")(text))


def _record_dnc(book: Any, lead: Lead, channel: str, at: datetime, reason: str) -> None:
    _compliance("record_dnc_request")(book, lead, channel, _DNC_SOURCE.get(channel, "manual"), at, reason)


def log_touch(
    book: Any,
    lead_id: str,
    channel: str,
    outcome: str,
    at: datetime,
    phone: str | int | None = None,
    note: str | None = None,
    follow_up: datetime | None = None,
    duration: int | None = None,
    *,
    step: int | None = None,
    gate: Gate | None = None,
    logged_at: datetime | None = None,
) -> LogResult:
    """Append a touch to Touches, apply its outcome to the lead and its phones, and save.

    A repeat of the lead's touch with the same channel and outcome (and step,
    when one is given) within 60 seconds is a double click: nothing is written
    and the result says which touch it repeats.
    """
    if at.tzinfo is None:
        raise BadInput("The touch time has no time zone.", "Pass an aware datetime (the CLI reads --at in your time zone).")
    rule = rule_for(channel, outcome)
    ch: Channel = channel.strip().lower()  # type: ignore[assignment]  # checked by rule_for
    warnings: list[str] = []
    settings = _settings(book)
    tz = settings.tz
    loaded = load_plan(book)
    if loaded.warning:
        warnings.append(loaded.warning)
    plan = loaded.plan
    lead, phone_recs = _find_lead(book, lead_id, tz)
    log = _lead_log(book, lead.lead_id)
    touches = log.for_lead(lead.lead_id)
    state = lead_state(lead, touches, log.undone, plan, tz)
    at_local = to_local_naive(at, tz)
    assert at_local is not None
    if note and rule.name == "replied" and _is_opt_out(note):
        rule = RULES["opt-out"]
        warnings.append("The reply asks to stop: logged as opt-out, and the owner goes on your internal DNC list.")
    if duration is not None and duration < 0:
        raise BadInput(f"--duration {duration} is negative.", "Give the call length in seconds, e.g. --duration 95.")
    follow_local: datetime | None = None
    if rule.needs_follow_up:
        if follow_up is None:
            what = "when they asked you to call back" if rule.name == "call-back" else "when the appointment is"
            raise BadInput(f"{rule.name} needs --follow-up DATETIME ({what}).", "E.g. --follow-up 2026-11-27T16:00.")
        follow_local = to_local_naive(follow_up if follow_up.tzinfo else follow_up.replace(tzinfo=tz), tz)
        assert follow_local is not None
        if follow_local < at_local:
            raise BadInput(
                f"--follow-up {follow_local:%Y-%m-%d %H:%M} is before the touch itself ({at_local:%Y-%m-%d %H:%M}).",
                "Give the future date and time they asked for.",
            )
    if step is not None:
        chosen = plan.step(step)
        if chosen is None:
            raise BadInput(f"There is no step {step} on the Sequence sheet.", "Leave --step out to let Relist pick the step due.")
        if chosen.channel != ch:
            raise BadInput(f"Step {step} is a {chosen.channel} step, not a {ch}.", f"Log it with --channel {chosen.channel}, or leave --step out.")
    for t in reversed(touches):
        if t.touch_id in log.undone:
            continue
        if t.channel == ch and t.outcome == rule.name and abs(t.at - at_local) <= DOUBLE_CLICK and (step is None or t.step == step):
            return _duplicate(t, lead, state, plan, gate, book, at, tz)
    number = _pick_phone(state.lead, ch, phone)
    if rule.phone_status and not number:
        raise BadInput(f"Lead {lead.lead_id} has no usable phone to mark {rule.name}.", "Pass --phone with the number you dialled.")
    used_step = step if step is not None else assign_step(plan, state, ch)
    gate = gate or compliance_gate(book, at, lead_ids=[lead.lead_id])
    if not is_open(state):
        warnings.append(f"Lead {lead.lead_id} is {state.history.status or lead.status}: its sequence had ended; the touch is logged as it happened.")
    verdict = gate.evaluate(state.lead, ch, at, phone=number or None)
    if not verdict.allowed:
        warnings.append(f"Compliance would have blocked this {ch}: {verdict.explain()}")
    tid = log.next_id()
    subject = f"Expired listing {lead.listing_id}".strip() + (f", {lead.property_address}" if lead.property_address else "")
    record = {
        "TouchId": tid,
        "LeadId": lead.lead_id,
        "At": at_local,
        "AtUtc": utc_iso(at),
        "Channel": ch,
        "Step": used_step,
        "Outcome": rule.name,
        "Phone": number or None,
        "Note": note or None,
        "DurationSec": duration,
        "Who": settings.who or None,
        "Subject": subject,
        "FollowUpAt": follow_local,
        "UndoOf": None,
        "LoggedAt": to_local_naive(logged_at or at, tz),
    }
    book.append_rows("tblTouches", [record])
    if rule.dnc:
        _record_dnc(book, state.lead, ch, at, note or rule.label)
    row = TouchRow(tid, lead.lead_id, at_local, ch, used_step, rule.name, number or None, follow_local, None)
    new_touches = [*touches, row]
    new_touches.sort(key=lambda t: t.at)
    result = _apply(book, plan, lead, new_touches, log.undone, phone_recs, gate, tz)
    status_row, nxt = result
    if rule.name == "call-back" and follow_up is not None and follow_local is not None:
        legal = gate.next_allowed(state.lead, "call", follow_local.replace(tzinfo=tz))
        legal_local = to_local_naive(legal, tz)
        if legal_local is None:
            warnings.append(f"Compliance allows no call near {follow_local:%Y-%m-%d %H:%M}: the call-back stays on the lead but will show as skipped.")
        elif legal_local != follow_local:
            warnings.append(f"They asked for {follow_local:%Y-%m-%d %H:%M}; the first legal moment to call is {legal_local:%Y-%m-%d %H:%M} (your time).")
    book.save()
    return _result(tid, lead.lead_id, ch, rule.name, used_step, at, number, status_row, nxt, tz, warnings)


def _apply(
    book: Any,
    plan: Plan,
    lead: Lead,
    touches: Sequence[TouchRow],
    undone: dict[str, str] | set[str],
    phone_recs: Sequence[Mapping[str, Any]],
    gate: Gate,
    tz: ZoneInfo,
) -> tuple[dict[str, Any], NextAction | None]:
    """Write the lead row and phone statuses the touches decide."""
    state = lead_state(lead, touches, undone, plan, tz)
    row, nxt = derived_row(plan, state, touches, gate, tz)
    book.update_rows("tblLeads", [{**row, "Outcome": None}])
    updates = _phone_updates(state, phone_recs)
    if updates:
        book.update_rows("tblPhones", updates)
    return row, nxt


def _result(
    tid: str,
    lead_id: str,
    channel: str,
    outcome: str,
    step: int | None,
    at: datetime,
    phone: str,
    row: Mapping[str, Any],
    nxt: NextAction | None,
    tz: ZoneInfo,
    warnings: Sequence[str],
    duplicate: bool = False,
) -> LogResult:
    appt = row.get("AppointmentAt")
    cb = row.get("CallBackAt")
    return LogResult(
        touch_id=tid,
        lead_id=lead_id,
        channel=channel,
        outcome=outcome,
        step=step,
        at=at,
        duplicate=duplicate,
        phone=phone,
        status=str(row.get("Status") or ""),
        touch_count=int(row.get("TouchCount") or 0),
        next_step=nxt.step if nxt else None,
        next_channel=nxt.channel if nxt else "",
        next_due=nxt.due if nxt else None,
        next_due_lead_local=str(row.get("NextDueLeadLocal") or ""),
        appointment_at=appt.replace(tzinfo=tz) if isinstance(appt, datetime) else None,
        call_back_at=cb.replace(tzinfo=tz) if isinstance(cb, datetime) else None,
        warnings=tuple(warnings),
    )


def _duplicate(t: TouchRow, lead: Lead, state: LeadState, plan: Plan, gate: Gate | None, book: Any, at: datetime, tz: ZoneInfo) -> LogResult:
    gate = gate or compliance_gate(book, at, lead_ids=[lead.lead_id])
    row, nxt = derived_row(plan, state, [], gate, tz)
    return _result(t.touch_id, lead.lead_id, t.channel, t.outcome, t.step, t.at.replace(tzinfo=tz), t.phone or "", row, nxt, tz, (), duplicate=True)


# ---------------------------------------------------------------- undo


@dataclass(frozen=True)
class UndoResult:
    """The undo row written, the touch it cancels, and where the lead now stands."""

    undo_id: str
    undone: str
    lead_id: str
    channel: str
    outcome: str
    status: str
    touch_count: int
    next_step: int | None
    next_channel: str
    next_due: datetime | None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        return f"Undid {self.undone} ({self.lead_id} {self.channel} {self.outcome}) with {self.undo_id}; {self.lead_id} is {self.status}, {count(self.touch_count, 'touch')}."

    def to_json(self) -> dict[str, Any]:
        return {
            "undo_id": self.undo_id,
            "undone": self.undone,
            "lead_id": self.lead_id,
            "channel": self.channel,
            "outcome": self.outcome,
            "status": self.status,
            "touch_count": self.touch_count,
            "next_step": self.next_step,
            "next_channel": self.next_channel or None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "warnings": list(self.warnings),
        }


def undo(book: Any, touch_id: str | None = None, *, at: datetime, gate: Gate | None = None, logged_at: datetime | None = None) -> UndoResult:
    """Undo a touch (the last one logged when no id is given) by appending an undo row; nothing is edited."""
    if at.tzinfo is None:
        raise BadInput("The undo time has no time zone.", "Pass an aware datetime.")
    settings = _settings(book)
    tz = settings.tz
    log = _read_log(book)
    if touch_id is None:
        target = next((t for t in reversed(log.order) if t.touch_id not in log.undone), None)
        if target is None:
            raise NotFound("There is no touch to undo.", "Touches are undone newest first; the Touches sheet has none standing.")
    else:
        wanted = touch_id.strip().upper()
        found = log.find(wanted)
        if found is None:
            raise NotFound(f"There is no touch {touch_id!r} on the Touches sheet.", "Give a TouchId such as T0000042.")
        if found.undo_of:
            raise BadInput(f"{found.touch_id} is itself an undo (of {found.undo_of}).", "Log the touch again instead of undoing the undo.")
        if found.touch_id in log.undone:
            raise BadInput(f"{found.touch_id} was already undone by {log.undone[found.touch_id]}.", "Nothing to do.")
        target = found
    loaded = load_plan(book)
    warnings = [loaded.warning] if loaded.warning else []
    lead, phone_recs = _find_lead(book, target.lead_id, tz)
    at_local = to_local_naive(at, tz)
    uid = log.next_id()
    book.append_rows(
        "tblTouches",
        [
            {
                "TouchId": uid,
                "LeadId": lead.lead_id,
                "At": at_local,
                "AtUtc": utc_iso(at),
                "Channel": target.channel or None,
                "Step": target.step,
                "Outcome": None,
                "Phone": target.phone or None,
                "Note": f"Undo of {target.touch_id} ({target.outcome})",
                "Who": settings.who or None,
                "UndoOf": target.touch_id,
                "LoggedAt": to_local_naive(logged_at or at, tz),
            }
        ],
    )
    rule = RULES.get(target.outcome)
    if rule is not None and rule.dnc:
        warnings.append(
            "The owner stays on your internal DNC list: if the request was logged by mistake, fill RemovedAt and RemovedReason on the DNC sheet."
        )
    undone = {**log.undone, target.touch_id: uid}
    gate = gate or compliance_gate(book, at)
    row, nxt = _apply(book, loaded.plan, lead, log.for_lead(lead.lead_id), undone, phone_recs, gate, tz)
    book.save()
    return UndoResult(
        undo_id=uid,
        undone=target.touch_id,
        lead_id=lead.lead_id,
        channel=target.channel,
        outcome=target.outcome,
        status=str(row.get("Status") or ""),
        touch_count=int(row.get("TouchCount") or 0),
        next_step=nxt.step if nxt else None,
        next_channel=nxt.channel if nxt else "",
        next_due=nxt.due if nxt else None,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------- rebuild


def rebuild(book: Any, at: datetime, gate: Gate | None = None) -> int:
    """Recompute every lead row and phone status from the touch log (the log is the truth); returns leads written."""
    from relist.leads import lead_from_record, phone_from_record

    settings = _settings(book)
    tz = settings.tz
    plan = load_plan(book).plan
    log = _read_log(book)
    gate = gate or compliance_gate(book, at, log=log)
    phones_by: dict[str, list[dict[str, Any]]] = {}
    for r in book.read_records("tblPhones", list(_PHONE_COLUMNS)):
        phones_by.setdefault(str(r.get("LeadId") or ""), []).append(r)
    lead_rows: list[dict[str, Any]] = []
    phone_rows: list[dict[str, Any]] = []
    for rec in book.read_records("tblLeads"):
        if not rec.get("LeadId"):
            continue
        lid = str(rec["LeadId"])
        recs = phones_by.get(lid, [])
        phones = sorted((p for p in map(phone_from_record, recs) if p is not None), key=lambda p: p.position)
        lead = lead_from_record(rec, phones, tz)
        touches = log.for_lead(lid)
        state = lead_state(lead, touches, log.undone, plan, tz)
        row, _ = derived_row(plan, state, touches, gate, tz)
        lead_rows.append(row)
        phone_rows.extend(_phone_updates(state, recs))
    if lead_rows:
        book.update_rows("tblLeads", lead_rows)
    if phone_rows:
        book.update_rows("tblPhones", phone_rows)
    book.save()
    return len(lead_rows)

