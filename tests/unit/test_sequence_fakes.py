"""A hand-written compliance gate and lead builders for the sequence tests (and tests of the fake itself).

The fake keeps the real gate's contract: calls and texts 08:00-21:00 in one
zone, door knocks 09:00-20:00, no calls or texts on Sundays for leads in
`sunday_ban_states`, blocked numbers, closed statuses and missing addresses
refused with a reason. It records every question so tests can check that
nothing is queued or scheduled without asking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.identity import give_identity

from relist.model import CLOSED_LEAD_STATUSES, Channel, Lead, Reason, Verdict
from relist.workbook.memory import MemoryWorkbook

NY = ZoneInfo("America/New_York")


class FakeGate:
    """Compliance as a few fixed rules, in one zone."""

    def __init__(
        self,
        tz: ZoneInfo = NY,
        blocked_numbers: Iterable[str] = (),
        sunday_ban_states: Iterable[str] = ("LA",),
        window: tuple[time, time] = (time(8), time(21)),
        door: tuple[time, time] = (time(9), time(20)),
    ) -> None:
        self.tz = tz
        self.blocked = set(blocked_numbers)
        self.sunday_ban = set(sunday_ban_states)
        self.window = window
        self.door = door
        self.asked: list[tuple[str, str, datetime]] = []

    def legal_window(self, lead: Lead, channel: str, day: date) -> tuple[datetime, datetime] | None:
        """The window on `day`, or None on a banned day; letters and emails: the whole day."""
        if channel in ("call", "text"):
            if day.weekday() == 6 and lead.state in self.sunday_ban:
                return None
            lo, hi = self.window
        elif channel == "door":
            lo, hi = self.door
        else:
            lo, hi = time(0), time(23, 59)
        return datetime.combine(day, lo, tzinfo=self.tz), datetime.combine(day, hi, tzinfo=self.tz)

    def _static(self, lead: Lead, channel: str, phone: str | None) -> tuple[list[Reason], str]:
        reasons: list[Reason] = []
        if lead.status in CLOSED_LEAD_STATUSES:
            reasons.append(Reason("lead-status", False, f"lead status is {lead.status}"))
        if not lead.contactable:
            reasons.append(Reason("listing-status", False, "not contactable"))
        chosen = ""
        if channel in ("call", "text"):
            numbers = [phone] if phone else [p.number for p in lead.usable_phones()]
            ok = [n for n in numbers if n not in self.blocked]
            if not numbers:
                reasons.append(Reason("phone", False, "no usable phone number on file"))
            elif not ok:
                reasons.append(Reason("national-dnc", False, f"{numbers[0]} is on the National DNC Registry"))
            else:
                chosen = ok[0]
        if channel == "email" and "@" not in lead.email:
            reasons.append(Reason("email-address", False, "no email address on file"))
        if channel in ("letter", "door") and not (lead.property_address or lead.mailing_address):
            reasons.append(Reason("address", False, "no address on file"))
        return reasons, chosen

    def evaluate(self, lead: Lead, channel: Channel, at: datetime, phone: str | None = None) -> Verdict:
        assert at.tzinfo is not None
        self.asked.append((lead.lead_id, channel, at))
        reasons, chosen = self._static(lead, channel, phone)
        local = at.astimezone(self.tz)
        w = self.legal_window(lead, channel, local.date())
        if w is None:
            reasons.append(Reason("day-ban", False, f"no calls or texts on Sunday in {lead.state}"))
        elif not (w[0] <= local < w[1]):
            reasons.append(Reason("window", False, f"outside {w[0]:%H:%M}-{w[1]:%H:%M} owner time"))
        ok = all(r.ok for r in reasons)
        return Verdict(ok, (Reason("checked", True, "fake gate"), *reasons), w[0] if w else None, w[1] if w else None, chosen)

    def next_allowed(self, lead: Lead, channel: Channel, after: datetime, horizon_days: int = 14) -> datetime | None:
        self.asked.append((lead.lead_id, channel, after))
        reasons, _ = self._static(lead, channel, None)
        if reasons:
            return None
        local = after.astimezone(self.tz)
        for i in range(horizon_days + 1):
            day = local.date() + timedelta(days=i)
            w = self.legal_window(lead, channel, day)
            if w is None or local >= w[1]:
                continue
            return max(local, w[0])
        return None

    def zone(self, lead: Lead) -> ZoneInfo | None:
        return None

    def allowed_at(self, lead: Lead, channel: Channel, at: datetime) -> bool:
        """Whether the fake allows this (without recording the question)."""
        reasons, _ = self._static(lead, channel, None)
        local = at.astimezone(self.tz)
        w = self.legal_window(lead, channel, local.date())
        return not reasons and w is not None and w[0] <= local < w[1]


def lead_row(
    lead_id: str,
    start: date,
    *,
    expired_at: datetime | None = None,
    state: str = "FL",
    zip_code: str = "33602",
    address: str | None = None,
    email: str | None = "owner@example.com",
    status: str = "New",
    **extra: Any,
) -> dict[str, Any]:
    """A tblLeads row for a fresh expired (naive agent-local times, as the workbook holds them)."""
    n = int("".join(ch for ch in lead_id if ch.isdigit()) or "1")
    row: dict[str, Any] = {
        "LeadId": lead_id,
        "Status": status,
        "OwnerName": f"Owner {lead_id}",
        "OwnerFirstName": f"First{n}",
        "PropertyAddress": address if address is not None else f"{100 + n} Main St",
        "City": "Tampa",
        "State": state,
        "PostalCode": zip_code,
        "ListingStatus": "Expired",
        "Contactable": True,
        "ListingId": f"M{n:05d}",
        "ExpiredAt": expired_at or datetime.combine(start, time(0, 5)),
        "SequenceStart": start,
        "FirstImportedAt": datetime.combine(start, time(7, 0)),
        "Email": email,
    }
    row.update(extra)
    return row


def phone_rows(lead_id: str, numbers: Iterable[str], kind: str = "mobile") -> list[dict[str, Any]]:
    return [
        {"PhoneId": f"{lead_id}-{i}", "LeadId": lead_id, "Position": i, "Phone": number, "PhoneStatus": "Active", "Kind": kind, "VendorDNC": False}
        for i, number in enumerate(numbers, start=1)
    ]


def number_for(i: int, position: int = 1) -> str:
    return f"+1813555{(i * 10 + position) % 10000:04d}"


def book_with(leads: list[dict[str, Any]], phones: list[dict[str, Any]] | None = None, **settings: str) -> MemoryWorkbook:
    """A MemoryWorkbook holding these leads and phones (every lead gets one phone if none are given)."""
    if phones is None:
        phones = []
        for i, row in enumerate(leads, start=1):
            phones += phone_rows(row["LeadId"], [number_for(i)])
    book = give_identity(MemoryWorkbook({"tblLeads": leads, "tblPhones": phones}), save=False)
    if settings:
        for rec in book.tables["tblSettings"]:
            if rec["Setting"] in settings:
                rec["Value"] = settings[rec["Setting"]]
    return book


def at(text: str) -> datetime:
    """An aware New York moment from 'YYYY-MM-DDTHH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=NY)


# ---------------------------------------------------------------- the fake itself


def _lead(**kw: Any) -> Lead:
    from relist.leads import lead_from_record, phone_from_record

    row = lead_row("L1", date(2026, 11, 23), **kw)
    phones = [p for p in map(phone_from_record, phone_rows("L1", [number_for(1)])) if p]
    return lead_from_record(row, phones, NY)


def test_fake_gate_keeps_the_window_and_says_why() -> None:
    gate = FakeGate()
    lead = _lead()
    assert gate.evaluate(lead, "call", at("2026-11-25T09:00")).allowed
    late = gate.evaluate(lead, "call", at("2026-11-25T21:30"))
    assert not late.allowed and "outside 08:00-21:00" in late.explain()
    assert gate.next_allowed(lead, "call", at("2026-11-25T21:30")) == at("2026-11-26T08:00")


def test_fake_gate_bans_sundays_in_listed_states_and_blocks_numbers() -> None:
    gate = FakeGate(blocked_numbers=[number_for(1)])
    lead = _lead(state="LA")
    sunday = at("2026-11-29T10:00")
    assert gate.evaluate(lead, "letter", sunday).allowed
    assert gate.next_allowed(lead, "call", sunday) is None  # the only number is blocked
    open_gate = FakeGate()
    assert open_gate.next_allowed(lead, "call", sunday) == at("2026-11-30T08:00")
