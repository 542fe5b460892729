"""Appointments and call-backs as iCalendar (RFC 5545) text, written here without a library.

CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character),
TEXT values escaped, times in UTC (the 'Z' form, so no VTIMEZONE is needed),
a UID per event that stays the same when the file is made again, DTSTAMP on
every event. Outlook and Google Calendar import it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from relist.compliance.numbers import us_form
from relist.model import Lead

PRODID = "-//Relist//Relist expired-listing desk//EN"
APPOINTMENT_MINUTES = 60
CALL_BACK_MINUTES = 15
REMINDER = "-PT15M"
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Event:
    """One calendar event for a lead."""

    uid: str
    kind: str  # "appointment" or "call-back"
    lead_id: str
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str


def _address(lead: Lead) -> str:
    street = lead.property_address.strip()
    if lead.unit.strip():
        street = f"{street} #{lead.unit.strip().lstrip('#')}"
    tail = " ".join(x for x in (lead.state.strip(), lead.postal_code.strip()) if x)
    return ", ".join(x for x in (street, lead.city.strip(), tail) if x)


def _description(lead: Lead, kind: str) -> str:
    owners = " and ".join(n for n in (lead.owner_name.strip(), lead.owner_name2.strip()) if n) or "(owner unknown)"
    lines = [f"Owner: {owners}"]
    phones = lead.usable_phones()
    if phones:
        lines.append("Phone: " + ", ".join(us_form(p.number) for p in phones))
    if lead.email.strip():
        lines.append(f"Email: {lead.email.strip()}")
    lines.append(f"Property: {_address(lead)}")
    if lead.absentee and lead.mailing_address.strip():
        lines.append(f"Owner lives at: {lead.mailing_address.strip()}, {lead.mailing_city.strip()}")
    lines.append(f"Lead: {lead.lead_id}")
    note = str(lead.fields.get("Notes") or "").strip()
    if note:
        lines.append(f"Notes: {note}")
    if kind == "call-back":
        lines.append("Log the outcome in Relist after the call.")
    return "\n".join(lines)


def events_for(lead: Lead, domain: str = "relist.local") -> list[Event]:
    """The appointment and the call-back of one lead (either may be absent)."""
    out: list[Event] = []
    owner = lead.owner_name.strip() or lead.owner_name2.strip() or lead.lead_id
    address = _address(lead)
    if lead.appointment_at is not None:
        start = lead.appointment_at
        out.append(
            Event(
                uid=f"appointment-{lead.lead_id}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}@{domain}",
                kind="appointment",
                lead_id=lead.lead_id,
                start=start,
                end=start + timedelta(minutes=APPOINTMENT_MINUTES),
                summary=f"Listing appointment: {lead.property_address.strip() or address} ({owner})",
                location=address,
                description=_description(lead, "appointment"),
            )
        )
    if lead.call_back_at is not None:
        start = lead.call_back_at
        phones = lead.usable_phones()
        phone = f": {us_form(phones[0].number)}" if phones else ""
        out.append(
            Event(
                uid=f"call-back-{lead.lead_id}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}@{domain}",
                kind="call-back",
                lead_id=lead.lead_id,
                start=start,
                end=start + timedelta(minutes=CALL_BACK_MINUTES),
                summary=f"Call back {owner}{phone}",
                location=address,
                description=_description(lead, "call-back"),
            )
        )
    return out


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, newlines as \\n."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF and one space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(value: datetime) -> str:
    """20261125T150000Z."""
    if value.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, stamp: datetime) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"CATEGORIES:{'Listing appointment' if event.kind == 'appointment' else 'Call-back'}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(event.summary)}",
        f"TRIGGER:{REMINDER}",
        "END:VALARM",
        "END:VEVENT",
    ]


def ics(events: Sequence[Event], stamp: datetime, name: str = "Relist") -> str:
    """A VCALENDAR with the events (may be empty), CRLF-terminated and folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for e in events:
        lines += event_lines(e, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_file_name(event: Event) -> str:
    """appointment-L0001-20261126T1500.ics"""
    return f"{event.kind}-{event.lead_id}-{event.start.astimezone(UTC):%Y%m%dT%H%M}.ics"
