"""Lead rows <-> Lead objects: the one place that knows how tblLeads and tblPhones map to the model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from relist.clock import from_local_naive, to_local_naive
from relist.model import Lead, Phone

# Lead attribute -> tblLeads column, for the typed attributes of Lead.
_FIELD_MAP: dict[str, str] = {
    "lead_id": "LeadId",
    "status": "Status",
    "listing_status": "ListingStatus",
    "contactable": "Contactable",
    "not_contactable_reason": "NotContactableReason",
    "owner_name": "OwnerName",
    "owner_name2": "OwnerName2",
    "owner_first_name": "OwnerFirstName",
    "owner_last_name": "OwnerLastName",
    "entity_owner": "EntityOwner",
    "email": "Email",
    "property_address": "PropertyAddress",
    "unit": "Unit",
    "city": "City",
    "state": "State",
    "postal_code": "PostalCode",
    "mailing_address": "MailingAddress",
    "mailing_city": "MailingCity",
    "mailing_state": "MailingState",
    "mailing_postal_code": "MailingPostalCode",
    "absentee": "Absentee",
    "listing_id": "ListingId",
    "expired_at": "ExpiredAt",
    "sequence_start": "SequenceStart",
    "touch_count": "TouchCount",
    "last_touch_at": "LastTouchAt",
    "next_step": "NextStep",
    "next_channel": "NextChannel",
    "next_due": "NextDue",
    "appointment_at": "AppointmentAt",
    "call_back_at": "CallBackAt",
    "list_price": "ListPrice",
}
_DATETIMES = {"expired_at", "last_touch_at", "next_due", "appointment_at", "call_back_at"}
_BOOLS = {"contactable", "entity_owner", "absentee"}
_INTS = {"touch_count"}
_DEFAULTS: dict[str, Any] = {"status": "New", "listing_status": "Expired", "contactable": True}


def phone_from_record(rec: Mapping[str, Any]) -> Phone | None:
    number = rec.get("Phone")
    if not number:
        return None
    return Phone(
        number=str(number),
        position=int(rec.get("Position") or 1),
        vendor_dnc=bool(rec.get("VendorDNC")),
        status=str(rec.get("PhoneStatus") or "Active"),
        extension=str(rec.get("Extension") or ""),
        kind=str(rec.get("Kind") or "unknown"),
    )


def phones_by_lead(phone_rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[Phone, ...]]:
    grouped: dict[str, list[Phone]] = defaultdict(list)
    for rec in phone_rows:
        p = phone_from_record(rec)
        if p is not None and rec.get("LeadId"):
            grouped[str(rec["LeadId"])].append(p)
    return {k: tuple(sorted(v, key=lambda p: p.position)) for k, v in grouped.items()}


def lead_from_record(rec: Mapping[str, Any], phones: Sequence[Phone], tz: ZoneInfo) -> Lead:
    """A Lead from a tblLeads record (naive agent-local times) and its phones."""
    kwargs: dict[str, Any] = {}
    for attr, col in _FIELD_MAP.items():
        value = rec.get(col)
        if value is None:
            if attr in _DEFAULTS:
                kwargs[attr] = _DEFAULTS[attr]
            elif attr in _BOOLS:
                kwargs[attr] = False
            elif attr in _INTS:
                kwargs[attr] = 0
            elif attr in _DATETIMES or attr in ("sequence_start", "next_step", "list_price"):
                kwargs[attr] = None
            else:
                kwargs[attr] = ""
            continue
        if attr in _DATETIMES:
            value = from_local_naive(value, tz) if isinstance(value, (datetime, date)) else None
        elif attr == "sequence_start":
            value = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
        elif attr in _BOOLS:
            value = bool(value)
        elif attr in _INTS or attr == "next_step":
            value = int(value)
        elif attr == "list_price":
            value = float(value)
        else:
            value = str(value)
        kwargs[attr] = value
    mapped = set(_FIELD_MAP.values())
    kwargs["fields"] = {k: v for k, v in rec.items() if k not in mapped}
    kwargs["phones"] = tuple(phones)
    return Lead(**kwargs)


def lead_to_record(lead: Lead, tz: ZoneInfo) -> dict[str, Any]:
    """The tblLeads record for a Lead (times as naive agent-local); phones go to tblPhones separately."""
    rec: dict[str, Any] = dict(lead.fields)
    for attr, col in _FIELD_MAP.items():
        value = getattr(lead, attr)
        if attr in _DATETIMES:
            value = to_local_naive(value, tz)
        rec[col] = value if value != "" else None
    best = lead.usable_phones()
    rec["BestPhone"] = best[0].number if best else None
    return rec


def phone_records(lead: Lead) -> list[dict[str, Any]]:
    """tblPhones rows for a lead's phones (PhoneId = LeadId-position)."""
    return [
        {
            "PhoneId": f"{lead.lead_id}-{p.position}",
            "LeadId": lead.lead_id,
            "Position": p.position,
            "Phone": p.number,
            "Extension": p.extension or None,
            "VendorDNC": p.vendor_dnc,
            "PhoneStatus": p.status,
            "Kind": p.kind,
        }
        for p in lead.phones
    ]


def load_leads(book: Any, tz: ZoneInfo, columns: Sequence[str] | None = None) -> list[Lead]:
    """Every lead of a workbook port with its phones."""
    phones = phones_by_lead(book.read_records("tblPhones", ["LeadId", "Position", "Phone", "VendorDNC", "PhoneStatus", "Extension", "Kind"]))
    return [lead_from_record(r, phones.get(str(r.get("LeadId")), ()), tz) for r in book.read_records("tblLeads", columns)]
