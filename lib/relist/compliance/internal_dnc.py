"""The internal (company-specific) do-not-call list on the DNC sheet, opt-out words, and the scrub log.

The DNC sheet is append-only: a request adds rows at once (kept at least 5 years); a removal
never deletes, it stamps RemovedAt/RemovedReason on the rows and logs an event on the Scrubs sheet.
A request by call, text, letter or at the door stops calls and texts to every number of that
owner; a request by email stops email.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from relist.clock import from_local_naive, to_local_naive
from relist.compliance.numbers import e164, try_e164, us_form
from relist.errors import BadInput, NotFound
from relist.model import CHANNEL_NAMES, Lead

if TYPE_CHECKING:
    from relist.workbook.port import WorkbookPort

KEEP_YEARS = 5
OPT_OUT_WORDS = ("STOP", "QUIT", "END", "REVOKE", "OPT OUT", "CANCEL", "UNSUBSCRIBE")
"""Revocation keywords named by the FCC (compliance.md, Opt-out words [src])."""
_OPT_OUT_RE = re.compile(
    r"\b(stop|quit|end|revoke|cancel|unsubscribe|opt[\s_-]*out|optout|stopall|remove me|take me off"
    r"|do not (?:call|text|contact)|don'?t (?:call|text|contact)|leave me alone)\b",
    re.IGNORECASE,
)
REQUEST_OUTCOMES = frozenset({"dnc-request", "opt-out"})
"""Touch outcomes that are a do-not-contact request."""
DNC_COLUMNS = ("DncId", "Phone", "Email", "LeadId", "Channel", "Source", "Reason", "AddedAt", "RemovedAt", "RemovedReason", "KeepUntil")


def is_opt_out(text: str) -> bool:
    """Whether a reply revokes consent: any opt-out word (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL,
    UNSUBSCRIBE) as a word anywhere in it, or a plain request like 'don't call'. Errs toward stopping."""
    return bool(_OPT_OUT_RE.search(text or ""))


def keep_until(day: date) -> date:
    """The day 5 years on (28 Feb for a 29 Feb request)."""
    try:
        return day.replace(year=day.year + KEEP_YEARS)
    except ValueError:
        return day.replace(year=day.year + KEEP_YEARS, day=28)


@dataclass(frozen=True)
class DncState:
    """What the DNC sheet and the touch log say, in the form the verdict needs."""

    phones: frozenset[str]
    emails: frozenset[str]
    requests: Mapping[str, datetime]
    contact_log: Mapping[str, Sequence[tuple[datetime, str]]] = field(default_factory=dict)


def _tz(book: WorkbookPort) -> ZoneInfo:
    from relist import settings

    return settings.load(book).tz


def _aware(value: Any, tz: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return from_local_naive(value, tz)
    if isinstance(value, date):
        return from_local_naive(value, tz)
    return None


def read_dnc_state(book: WorkbookPort, tz: ZoneInfo, since: datetime | None = None) -> DncState:
    """Active DNC numbers and emails, do-not-call requests in force, and calls/texts since `since`."""
    phones: set[str] = set()
    emails: set[str] = set()
    requests: dict[str, datetime] = {}
    removed_at: dict[str, datetime] = {}
    for r in book.read_records("tblDNC", list(DNC_COLUMNS)):
        lead = str(r.get("LeadId") or "")
        gone = _aware(r.get("RemovedAt"), tz)
        if gone is not None:
            if lead:
                removed_at[lead] = max(gone, removed_at.get(lead, gone))
            continue
        number = try_e164(str(r.get("Phone") or ""))
        if number:
            phones.add(number)
        email = str(r.get("Email") or "").strip().lower()
        if email:
            emails.add(email)
        added = _aware(r.get("AddedAt"), tz)
        if lead and added is not None and str(r.get("Channel") or "") != "email":
            requests[lead] = min(added, requests.get(lead, added))
    log: dict[str, list[tuple[datetime, str]]] = {}
    touches = book.read_records("tblTouches", ["TouchId", "LeadId", "At", "Channel", "Outcome", "UndoOf"])
    undone = {str(t["UndoOf"]) for t in touches if t.get("UndoOf")}
    email_opt_outs: dict[str, datetime] = {}
    for t in touches:
        if t.get("UndoOf") or str(t.get("TouchId") or "") in undone:
            continue
        lead = str(t.get("LeadId") or "")
        at = _aware(t.get("At"), tz)
        channel = str(t.get("Channel") or "")
        if not lead or at is None:
            continue
        if str(t.get("Outcome") or "") in REQUEST_OUTCOMES and (lead not in removed_at or at > removed_at[lead]):
            if channel == "email":
                email_opt_outs[lead] = at
            else:
                requests[lead] = min(at, requests.get(lead, at))
        if channel in ("call", "text") and (since is None or at >= since):
            log.setdefault(lead, []).append((at, channel))
    if email_opt_outs:
        for rec in book.read_records("tblLeads", ["LeadId", "Email"]):
            if str(rec.get("LeadId")) in email_opt_outs and rec.get("Email"):
                emails.add(str(rec["Email"]).strip().lower())
    return DncState(frozenset(phones), frozenset(emails), requests, {k: tuple(sorted(v)) for k, v in log.items()})


def _next_ids(book: WorkbookPort, n: int) -> list[str]:
    top = 0
    for r in book.read_records("tblDNC", ["DncId"]):
        m = re.search(r"(\d+)$", str(r.get("DncId") or ""))
        if m:
            top = max(top, int(m.group(1)))
    return [f"DNC{top + i:06d}" for i in range(1, n + 1)]


def _event(book: WorkbookPort, at: datetime, tz: ZoneInfo, event: str, detail: str, checked: int | None = None,
           blocked: int | None = None, registry_date: date | None = None) -> None:
    book.append_rows(
        "tblScrubs",
        [{"At": to_local_naive(at, tz), "Event": event, "RegistryDate": registry_date, "Checked": checked,
          "Blocked": blocked, "Detail": detail}],
    )


def record_scrub(book: WorkbookPort, at: datetime, checked: int, blocked: int, registry_date: date | None, detail: str) -> None:
    """Log one DNC scrub on the Scrubs sheet: when, the registry copy's date, numbers checked and blocked."""
    _event(book, at, _tz(book), "scrub", detail, checked, blocked, registry_date)


def _active(book: WorkbookPort) -> list[dict[str, Any]]:
    return [r for r in book.read_records("tblDNC", list(DNC_COLUMNS)) if not r.get("RemovedAt")]


def _target(value: str) -> tuple[str, str]:
    """('phone', E.164) or ('email', lower-case address) for what the user typed."""
    v = value.strip()
    if "@" in v:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
            raise BadInput(f"{value!r} is not an email address.", "Give it like owner@example.com.")
        return "email", v.lower()
    return "phone", e164(v)


def add_entry(book: WorkbookPort, value: str, reason: str, at: datetime, lead_id: str = "", channel: str = "call",
              source: str = "manual") -> dict[str, Any] | None:
    """Put a number (or an email address) on the DNC sheet; returns the row, or None when already on it."""
    if not reason.strip():
        raise BadInput("A DNC entry needs a reason.", "Pass --reason, e.g. --reason 'asked on the phone'.")
    if channel not in CHANNEL_NAMES:
        raise BadInput(f"Channel {channel!r} is not one of {', '.join(CHANNEL_NAMES)}.", "Pick the channel the request came by.")
    kind, key = _target(value)
    col = "Phone" if kind == "phone" else "Email"
    for r in _active(book):
        existing = try_e164(str(r.get("Phone") or "")) if kind == "phone" else str(r.get("Email") or "").lower()
        if existing == key:
            return None
    tz = _tz(book)
    row = {
        "DncId": _next_ids(book, 1)[0],
        col: key,
        "LeadId": lead_id or None,
        "Channel": "email" if kind == "email" else channel,
        "Source": source,
        "Reason": reason.strip(),
        "AddedAt": to_local_naive(at, tz),
        "KeepUntil": keep_until(at.astimezone(tz).date()),
    }
    book.append_rows("tblDNC", [row])
    _event(book, at, tz, "dnc-add", f"{us_form(key)} added ({source}, {row['Channel']}): {reason.strip()}")
    return row


def remove_entry(book: WorkbookPort, value: str, reason: str, at: datetime) -> list[str]:
    """Lift a DNC entry: stamps RemovedAt/RemovedReason on its active rows and logs it; returns the DncIds."""
    if not reason.strip():
        raise BadInput("Removing a DNC entry needs a reason, and it is logged.", "Pass --reason, e.g. --reason 'signed written permission'.")
    kind, key = _target(value)
    ids = [
        str(r["DncId"])
        for r in _active(book)
        if (try_e164(str(r.get("Phone") or "")) if kind == "phone" else str(r.get("Email") or "").lower()) == key
    ]
    if not ids:
        raise NotFound(f"{key} is not on the DNC sheet.", "Check the number with: relist dnc check NUMBER")
    tz = _tz(book)
    when = to_local_naive(at, tz)
    book.update_rows("tblDNC", [{"DncId": i, "RemovedAt": when, "RemovedReason": reason.strip()} for i in ids], key="DncId")
    _event(book, at, tz, "dnc-remove", f"{us_form(key)} removed ({', '.join(ids)}): {reason.strip()}")
    return ids


def record_dnc_request(book: WorkbookPort, lead: Lead, channel: str, source: str, at: datetime, reason: str) -> list[str]:
    """A do-not-contact request from the owner: onto the DNC sheet at once; returns the new DncIds.

    By call, text, letter or at the door: every number of the owner is listed (calls and texts stop
    everywhere). By email: the owner's email is listed (email stops).
    """
    if channel not in CHANNEL_NAMES:
        raise BadInput(f"Channel {channel!r} is not one of {', '.join(CHANNEL_NAMES)}.", "Pass the channel the request came by.")
    tz = _tz(book)
    active = _active(book)
    listed_phones = {try_e164(str(r.get("Phone") or "")) for r in active}
    listed_emails = {str(r.get("Email") or "").lower() for r in active}
    rows: list[dict[str, Any]] = []
    base = {
        "LeadId": lead.lead_id,
        "Channel": channel,
        "Source": source,
        "Reason": reason.strip() or f"{source} via {channel}",
        "AddedAt": to_local_naive(at, tz),
        "KeepUntil": keep_until(at.astimezone(tz).date()),
    }
    if channel == "email":
        email = lead.email.strip().lower()
        if email and email not in listed_emails:
            rows.append({**base, "Email": email})
        elif not email:
            rows.append(dict(base))
    else:
        for p in lead.phones:
            number = try_e164(p.number) or p.number
            if number not in listed_phones:
                listed_phones.add(number)
                rows.append({**base, "Phone": number})
        if not rows:
            rows.append(dict(base))  # the request itself is recorded even with no (new) number
    ids = _next_ids(book, len(rows))
    for i, r in zip(ids, rows, strict=True):
        r["DncId"] = i
    book.append_rows("tblDNC", rows)
    what = ", ".join(us_form(str(r.get("Phone") or r.get("Email") or "request")) for r in rows)
    _event(book, at, tz, "dnc-add", f"{lead.lead_id} asked via {channel} ({source}): {what}")
    return ids


@dataclass(frozen=True)
class NumberCheck:
    """What every DNC source says about one number."""

    number: str
    internal: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    vendor_flagged_by: tuple[str, ...]
    registry_state: str
    registry_message: str
    on_registry: bool

    @property
    def blocked(self) -> bool:
        return bool(self.internal or self.vendor_flagged_by or self.on_registry or self.registry_state not in ("fresh", "warning"))


def check_number(book: WorkbookPort, value: str, at: datetime, registry: Any) -> NumberCheck:
    """Internal list, vendor flags and the registry copy for one number (`registry`: a Registry)."""
    number = e164(value)
    rows = book.read_records("tblDNC", list(DNC_COLUMNS))
    mine = [r for r in rows if try_e164(str(r.get("Phone") or "")) == number]
    flagged = tuple(
        str(p.get("LeadId"))
        for p in book.read_records("tblPhones", ["LeadId", "Phone", "VendorDNC"])
        if p.get("VendorDNC") and try_e164(str(p.get("Phone") or "")) == number
    )
    st = registry.status(number[2:5], at.astimezone(_tz(book)).date())
    listed = bool(st.usable and registry.is_listed(number))
    return NumberCheck(
        number,
        tuple(r for r in mine if not r.get("RemovedAt")),
        tuple(r for r in mine if r.get("RemovedAt")),
        flagged,
        st.state,
        st.message(),
        listed,
    )
