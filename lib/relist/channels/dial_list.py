"""The power-dialer export: one row per owner with the numbers that may be called right now.

Column names follow what dialers' CSV importers map without help (First Name,
Last Name, Phone 1..n, Address, City, State, Zip, Notes); Relist adds the time
the calling window closes, so the agent knows how long each row stays legal,
and the LeadId to find the row again when logging the outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from relist.channels.templates import money
from relist.csv_export import write_csv
from relist.model import Lead

BASE_COLUMNS = ("First Name", "Last Name")
ADDRESS_COLUMNS = ("Property Address", "City", "State", "Zip", "Notes", "Window Closes", "Lead ID")

@dataclass(frozen=True)
class DialRow:
    """One owner in the dialer file: names, callable numbers (E.164, best first) and when calling must stop."""

    lead_id: str
    first_name: str
    last_name: str
    phones: tuple[str, ...]
    address: str
    city: str
    state: str
    zip: str
    notes: str
    window_closes: datetime | None


def split_name(lead: Lead) -> tuple[str, str]:
    """First and last name for the dialer; entities (LLC, trust) keep their whole name as the last name."""
    first, last = lead.owner_first_name.strip(), lead.owner_last_name.strip()
    if first or last:
        return first, last
    name = lead.owner_name.strip()
    if lead.entity_owner or " " not in name:
        return "", name
    head, _, tail = name.rpartition(" ")
    return head, tail


def dialer_number(e164: str) -> str:
    """US/Canada numbers as 10 digits (what every dialer accepts); others stay E.164."""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    if e164.startswith("+1") and len(digits) == 11:
        return digits[1:]
    if len(digits) == 10 and not e164.startswith("+"):
        return digits
    return e164


def lead_notes(lead: Lead, tz: ZoneInfo, talking_point: str = "") -> str:
    """Short notes for the dialer screen: what expired when, at what price, and what to say."""
    f = lead.fields
    parts: list[str] = []
    if lead.expired_at is not None:
        parts.append(f"Expired {lead.expired_at.astimezone(tz):%Y-%m-%d}")
    if lead.list_price:
        parts.append(f"last list {money(lead.list_price)}")
    if f.get("DaysOnMarket") not in (None, ""):
        parts.append(f"{f['DaysOnMarket']} DOM")
    if lead.absentee:
        parts.append("absentee owner")
    if talking_point.strip():
        parts.append(talking_point.strip())
    if str(f.get("Notes") or "").strip():
        parts.append(str(f["Notes"]).strip())
    return "; ".join(parts)


def dial_row(lead: Lead, phones: Sequence[str], closes: datetime | None, notes: str) -> DialRow:
    first, last = split_name(lead)
    street = lead.property_address.strip()
    if lead.unit.strip():
        street = f"{street} #{lead.unit.strip().lstrip('#')}"
    return DialRow(lead.lead_id, first, last, tuple(phones), street, lead.city, lead.state, lead.postal_code, notes, closes)


def columns(rows: Sequence[DialRow]) -> list[str]:
    """The header: Phone 1..n where n is the most numbers any row has (at least one)."""
    n = max((len(r.phones) for r in rows), default=1) or 1
    return [*BASE_COLUMNS, *(f"Phone {i}" for i in range(1, n + 1)), *ADDRESS_COLUMNS]


def dial_csv(rows: Sequence[DialRow], tz: ZoneInfo) -> str:
    """The dialer CSV text (RFC 4180: CRLF line ends, quoted where needed); times are the agent's clock."""
    header = columns(rows)
    n = len(header) - len(BASE_COLUMNS) - len(ADDRESS_COLUMNS)

    def cells(r: DialRow) -> list[str]:
        phones = [dialer_number(p) for p in r.phones] + [""] * (n - len(r.phones))
        closes = r.window_closes.astimezone(tz).strftime("%Y-%m-%d %H:%M") if r.window_closes else ""
        return [r.first_name, r.last_name, *phones, r.address, r.city, r.state, r.zip, r.notes, closes, r.lead_id]

    return write_csv(header, (cells(r) for r in rows))
