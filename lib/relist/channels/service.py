"""The outreach channels over a workbook port: what is due (from today's queue), checked by compliance, made.

Each function takes the workbook and an aware `at` and returns the bytes or
text to write plus the leads it skipped and why; only the fronts write files.
Who is due a call, letter, door visit or email comes from the sequence's queue
(`relist.sequence.service.today`, not written back to the Today sheet here);
every lead is then asked of `relist.compliance.verdict.evaluate` again at `at`
before anything is produced for it. Touches are logged when the agent confirms
(`confirm_letters`, `relist log`), except a successful email send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from relist.channels.templates import DEFAULT_TEMPLATE
from relist.errors import ComplianceError, NotFound, RelistError
from relist.model import Channel, Lead, Verdict
from relist.settings import Settings, require_identity

SECTION: dict[str, str] = {"call": "calls", "text": "texts", "letter": "letters", "door": "doors", "email": "emails"}


@dataclass(frozen=True)
class Skip:
    """A lead left out of an output, and why (a compliance reason, a missing address or merge field)."""

    lead_id: str
    owner: str
    reason: str

    def line(self) -> str:
        who = f" ({self.owner})" if self.owner else ""
        return f"skipped {self.lead_id}{who}: {self.reason}"


@dataclass(frozen=True)
class DueItem:
    """A lead due on a channel today, with the step and template the sequence says."""

    lead: Lead
    step: int | None
    template: str
    talking_point: str = ""
    phone: str = ""
    """The number the queue picked (texts: one that can take a text)."""


@dataclass
class Run:
    """What one channel run reads once: settings, leads, the compliance context, today's queue."""

    at: datetime
    settings: Settings
    leads: dict[str, Lead]
    ctx: Any
    queue: Any
    plan: Any

    def evaluate(self, lead: Lead, channel: Channel, at: datetime | None = None, phone: str | None = None) -> Verdict:
        from relist.compliance.verdict import evaluate

        return evaluate(lead, channel, at or self.at, self.ctx, phone=phone)

    def next_allowed(self, lead: Lead, channel: Channel) -> datetime | None:
        from relist.compliance.verdict import next_allowed

        found: datetime | None = next_allowed(lead, channel, self.at, self.ctx, horizon_days=1)
        return found


def _owner(lead: Lead) -> str:
    return lead.owner_name or " ".join(p for p in (lead.owner_first_name, lead.owner_last_name) if p)


def start(book: Any, at: datetime, *, queue: bool = True, purpose: str = "") -> Run:
    """Read everything a channel run needs once; `purpose` (a key of settings.NEEDS): refused first when
    who sends is not filled in (the queue itself needs your name and brokerage)."""
    from relist import settings as settings_mod
    from relist.compliance.verdict import load_context
    from relist.leads import load_leads
    from relist.sequence.gate import ComplianceGate
    from relist.sequence.service import load_plan, today

    if at.tzinfo is None:
        raise ValueError("channel services need an aware datetime")
    s = settings_mod.load(book)
    if purpose:
        require_identity(s, purpose, book)
    leads = {lead.lead_id: lead for lead in load_leads(book, s.tz)}
    ctx = load_context(book, at)
    q = today(book, at, ComplianceGate(ctx), write=False) if queue else None
    plan = load_plan(book).plan if queue else None
    return Run(at, s, leads, ctx, q, plan)


def due(run: Run, channel: Channel) -> tuple[list[DueItem], list[Skip]]:
    """Leads the queue has due on `channel` today, and the ones it already blocked (with its reasons)."""
    items: list[DueItem] = []
    skipped: list[Skip] = []
    for entry in run.queue.section(SECTION[channel]):
        lead = run.leads.get(entry.lead_id)
        if lead is None:
            continue
        step = run.plan.step(entry.step) if entry.step is not None and run.plan is not None else None
        template = step.template if step is not None and step.template else ""
        items.append(DueItem(lead, entry.step, template, step.talking_point if step is not None else "", entry.phone or ""))
    for entry in run.queue.blocked:
        if entry.channel == channel:
            skipped.append(Skip(entry.lead_id, entry.owner, "; ".join(entry.reasons) or "blocked by compliance"))
    if channel == "call":
        for entry in run.queue.overflow:
            skipped.append(Skip(entry.lead_id, entry.owner, "; ".join(entry.reasons) or "over today's dial capacity"))
    return items, skipped


def _gate(run: Run, item: DueItem, channel: Channel, skipped: list[Skip]) -> bool:
    verdict = run.evaluate(item.lead, channel)
    if not verdict.allowed:
        skipped.append(Skip(item.lead.lead_id, _owner(item.lead), verdict.explain()))
    return verdict.allowed


# ------------------------------------------------------------------ dial list


@dataclass
class DialListResult:
    """The dialer rows (numbers callable at `at` only), the CSV text, and what was left out."""

    rows: list[Any]
    csv: str
    skipped: list[Skip] = field(default_factory=list)


def dial_list(book: Any, at: datetime) -> DialListResult:
    """Today's calls as a power-dialer CSV: each usable number asked of compliance at `at`; only allowed ones go in."""
    from relist.channels.dial_list import dial_csv, dial_row, lead_notes

    run = start(book, at)
    items, skipped = due(run, "call")
    rows = []
    for item in items:
        lead = item.lead
        allowed: list[str] = []
        closes: list[datetime] = []
        refused: list[str] = []
        for phone in lead.usable_phones():
            v = run.evaluate(lead, "call", phone=phone.number)
            if v.allowed:
                allowed.append(v.phone or phone.number)
                if v.window_end is not None:
                    closes.append(v.window_end)
            else:
                why = v.explain()
                refused.append(why if phone.number in why else f"{phone.number}: {why}")
        if not lead.usable_phones():
            refused.append(run.evaluate(lead, "call").explain())
        if allowed:
            rows.append(dial_row(lead, allowed, min(closes) if closes else None, lead_notes(lead, run.settings.tz, item.talking_point)))
            for r in refused:
                skipped.append(Skip(lead.lead_id, _owner(lead), f"number left out, {r}"))
        else:
            skipped.append(Skip(lead.lead_id, _owner(lead), "no number callable now: " + "; ".join(refused)))
    return DialListResult(rows, dial_csv(rows, run.settings.tz), skipped)


# ------------------------------------------------------------------ texts


@dataclass
class TextsResult:
    """Texts for the agent to send by hand, one at a time."""

    messages: list[Any]
    skipped: list[Skip] = field(default_factory=list)


def texts(book: Any, at: datetime, *, dirs: Sequence[Path | str] = ()) -> TextsResult:
    """Today's texts rendered from their templates, each for a number compliance allows at `at`."""
    from relist.channels.texts import text_message

    run = start(book, at, purpose="texts")
    items, skipped = due(run, "text")
    out = []
    for item in items:
        v = run.evaluate(item.lead, "text", phone=item.phone or None)
        if not v.allowed or not v.phone:
            skipped.append(Skip(item.lead.lead_id, _owner(item.lead), v.explain() if not v.allowed else "no number to text"))
            continue
        try:
            out.append(text_message(item.lead, run.settings, v.phone, item.template, dirs=dirs))
        except RelistError as exc:
            skipped.append(Skip(item.lead.lead_id, _owner(item.lead), exc.one_line()))
    return TextsResult(out, skipped)


# ------------------------------------------------------------------ letters


@dataclass
class LettersResult:
    """The merged letters PDF (None when no letter may go out), optional labels, and what was skipped."""

    pdf: bytes | None
    labels: bytes | None
    letters: list[Any]
    steps: dict[str, int | None]
    skipped: list[Skip] = field(default_factory=list)


def letters(
    book: Any, at: datetime, *, labels: bool = False, skip_labels: int = 0, dirs: Sequence[Path | str] = ()
) -> LettersResult:
    """One letter per lead due a letter, merged; the brokerage name and license number are required."""
    from relist.channels.labels import labels_pdf
    from relist.channels.letters import letter_for, letters_pdf

    run = start(book, at, purpose="letters")
    items, skipped = due(run, "letter")
    made = []
    steps: dict[str, int | None] = {}
    for item in items:
        if not _gate(run, item, "letter", skipped):
            continue
        try:
            made.append(letter_for(item.lead, run.settings, at, item.template or DEFAULT_TEMPLATE["letters"], dirs=dirs))
            steps[item.lead.lead_id] = item.step
        except RelistError as exc:
            skipped.append(Skip(item.lead.lead_id, _owner(item.lead), exc.one_line()))
    if not made:
        return LettersResult(None, None, [], {}, skipped)
    pdf = letters_pdf(made, run.settings, at)
    lab = labels_pdf([m.address for m in made], run.settings, at, skip=skip_labels) if labels else None
    return LettersResult(pdf, lab, made, steps, skipped)


def confirm(
    book: Any, lead_steps: dict[str, int | None], channel: Channel, outcome: str, at: datetime
) -> list[Any]:
    """Log one touch per lead the agent confirms was done (e.g. letters mailed); returns the log results."""
    from relist.sequence.service import log_touch

    return [log_touch(book, lead_id, channel, outcome, at, step=step) for lead_id, step in lead_steps.items()]


# ------------------------------------------------------------------ door route


@dataclass
class RouteResult:
    """The route sheet PDF, the door-hanger PDF when asked, the route and what was skipped."""

    sheet: bytes
    hangers: bytes | None
    runs: list[Any]
    skipped: list[Skip] = field(default_factory=list)

    @property
    def stops(self) -> int:
        return sum(len(r.stops) for r in self.runs)


def route(book: Any, at: datetime, *, hangers: bool = False, dirs: Sequence[Path | str] = ()) -> RouteResult:
    """Today's drive-by and door-hanger stops in route order; a stop whose hours open later today says from when."""
    from relist.channels.route import (
        door_hangers_pdf,
        hanger_for,
        office_zip,
        plan_route,
        route_sheet_pdf,
        stop_for,
    )

    run = start(book, at, purpose="door hangers" if hangers else "")
    items, skipped = due(run, "door")
    stops = []
    made = []
    tz = run.settings.tz
    for item in items:
        lead = item.lead
        v = run.evaluate(lead, "door")
        note = ""
        if not v.allowed:
            later = run.next_allowed(lead, "door")
            if later is not None and later.astimezone(tz).date() == at.astimezone(tz).date() and run.evaluate(lead, "door", later).allowed:
                note = f"not before {later.astimezone(tz):%H:%M}"
            else:
                skipped.append(Skip(lead.lead_id, _owner(lead), v.explain()))
                continue
        stop = stop_for(lead, note)
        if hangers and stop.hanger:
            try:
                made.append(hanger_for(lead, run.settings, at, item.template or DEFAULT_TEMPLATE["door"], dirs=dirs))
            except RelistError as exc:
                skipped.append(Skip(lead.lead_id, _owner(lead), f"no door hanger: {exc.one_line()}"))
        stops.append(stop)
    runs = plan_route(stops, office_zip(run.settings))
    sheet = route_sheet_pdf(runs, [(s.lead_id, s.owner, s.reason) for s in skipped], run.settings, at)
    hanger_pdf = door_hangers_pdf(made, run.settings, at) if hangers else None
    return RouteResult(sheet, hanger_pdf, runs, skipped)


# ------------------------------------------------------------------ marketing plan


def _lead(run: Run, lead_id: str) -> Lead:
    wanted = lead_id.strip()
    lead = run.leads.get(wanted) or next((v for k, v in run.leads.items() if k.lower() == wanted.lower()), None)
    if lead is None:
        raise NotFound(f"Lead {lead_id!r} is not on the Leads sheet.", "Check the LeadId on the Leads sheet.")
    return lead


def marketing_plan(book: Any, lead_id: str, at: datetime) -> bytes:
    """One lead's marketing-plan PDF; refused when compliance blocks mailing the owner (status, relisted, address)."""
    from relist.channels.marketing_plan import marketing_plan_pdf

    run = start(book, at, queue=False, purpose="marketing plan")
    lead = _lead(run, lead_id)
    v = run.evaluate(lead, "letter")
    if not v.allowed:
        raise ComplianceError(f"No marketing plan for lead {lead.lead_id}: {v.explain()}.", "Compliance blocks soliciting this owner.")
    return marketing_plan_pdf(lead, run.settings, at)


# ------------------------------------------------------------------ email


@dataclass
class EmailBatch:
    """Emails composed for today's email step (plan attached), and the leads left out."""

    outgoing: list[Any]
    steps: dict[str, int | None]
    skipped: list[Skip] = field(default_factory=list)


def prepare_emails(book: Any, at: datetime, *, dirs: Sequence[Path | str] = ()) -> EmailBatch:
    """Compose today's emails, each with its marketing-plan PDF, after compliance and CAN-SPAM checks."""
    from relist.channels.email import Outgoing, compose
    from relist.channels.marketing_plan import marketing_plan_pdf

    run = start(book, at, purpose="emails")
    items, skipped = due(run, "email")
    out = []
    steps: dict[str, int | None] = {}
    for item in items:
        if not _gate(run, item, "email", skipped):
            continue
        try:
            pdf = marketing_plan_pdf(item.lead, run.settings, at)
            msg = compose(item.lead, run.settings, at, pdf, item.template or DEFAULT_TEMPLATE["emails"], dirs=dirs)
        except RelistError as exc:
            skipped.append(Skip(item.lead.lead_id, _owner(item.lead), exc.one_line()))
            continue
        except (ValueError, UnicodeError) as exc:  # a value the mail library refuses: skip the lead, finish the rest
            skipped.append(Skip(item.lead.lead_id, _owner(item.lead), f"the email could not be composed ({exc}); fix the lead's cells"))
            continue
        out.append(Outgoing(item.lead.lead_id, msg))
        steps[item.lead.lead_id] = item.step
    return EmailBatch(out, steps, skipped)


def send_emails(
    book: Any,
    batch: EmailBatch,
    at: datetime,
    *,
    config: Any = None,
    password: str | None = None,
    on_logged: Callable[[Any], None] | None = None,
) -> Any:
    """Send over SMTP; each accepted email is logged at once as an email touch with outcome 'sent'."""
    from relist import settings as settings_mod
    from relist.channels.email import SendReport, send_batch, smtp_config, smtp_password
    from relist.errors import SendError
    from relist.sequence.service import log_touch

    if not batch.outgoing:
        return SendReport()
    if config is None:
        config = smtp_config(settings_mod.load(book))
        if config is None:
            raise SendError("Settings > Mail server is blank, so there is no mail server to send through.",
                            "Fill in Mail server, Mail server port, Mail security and Mail login, or write drafts with --drafts DIR.")
    if password is None and config.user:
        password = smtp_password(config.user)

    def logged(item: Any) -> None:
        result = log_touch(book, item.lead_id, "email", "sent", at, step=batch.steps.get(item.lead_id),
                           note=f"Emailed: {item.message['Subject']}")
        if on_logged is not None:
            on_logged(result)

    return send_batch(batch.outgoing, config, password, on_sent=logged)


# ------------------------------------------------------------------ calendar


@dataclass
class CalendarResult:
    """The whole calendar, one file per event, and what was left out."""

    ics: str
    events: list[Any]
    files: list[tuple[str, str]]
    skipped: list[Skip] = field(default_factory=list)


def calendar(book: Any, at: datetime, *, days_back: int = 0) -> CalendarResult:
    """Appointments and call-backs from the Leads sheet, from the start of today on.

    A call-back is checked as a call at its own time (calling hours, DNC); an
    appointment, which the owner agreed to, as a mailed piece (lead status,
    relisting), not against calling hours.
    """
    from relist.channels.calendar import event_file_name, events_for, ics

    run = start(book, at, queue=False)
    tz = run.settings.tz
    local = at.astimezone(tz)
    since = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days_back)
    domain = run.settings.email.split("@")[1] if "@" in run.settings.email else "relist.local"
    events = []
    skipped: list[Skip] = []
    for lead in run.leads.values():
        for event in events_for(lead, domain):
            if event.start < since:
                continue
            channel: Channel = "call" if event.kind == "call-back" else "letter"
            v = run.evaluate(lead, channel, at=event.start if event.kind == "call-back" else at)
            if not v.allowed:
                when = f"{event.start.astimezone(tz):%Y-%m-%d %H:%M}"
                skipped.append(Skip(lead.lead_id, _owner(lead), f"{event.kind} at {when} left out: {v.explain()}"))
                continue
            events.append(event)
    events.sort(key=lambda e: (e.start, e.lead_id, e.kind))
    text = ics(events, at, name=f"Relist - {run.settings.agent_name}".strip(" -"))
    files = [(event_file_name(e), ics([e], at, name="Relist")) for e in events]
    return CalendarResult(text, events, files, skipped)
