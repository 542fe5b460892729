"""Lead rows <-> Lead objects: the one place that knows how tblLeads and tblPhones map to the model."""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from operator import itemgetter
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
_MAPPED = frozenset(_FIELD_MAP.values())

_TEXT, _DT, _DAY, _BOOL, _INT, _FLOAT = range(6)
_PLAIN_INIT = (
    not hasattr(Lead, "__post_init__")
    and not hasattr(Lead, "__slots__")
    and {f.name for f in dataclasses.fields(Lead)} == {*_FIELD_MAP, "fields", "phones"}
)
"""Lead's __init__ only stores its arguments, so a lead can be made from a full dict of them (see `_lead`)."""
_new_lead = object.__new__


def _kind(attr: str) -> int:
    if attr in _DATETIMES:
        return _DT
    if attr == "sequence_start":
        return _DAY
    if attr in _BOOLS:
        return _BOOL
    if attr in _INTS or attr == "next_step":
        return _INT
    if attr == "list_price":
        return _FLOAT
    return _TEXT


def _default(attr: str) -> Any:
    if attr in _DEFAULTS:
        return _DEFAULTS[attr]
    if attr in _BOOLS:
        return False
    if attr in _INTS:
        return 0
    if attr in _DATETIMES or attr in ("sequence_start", "next_step", "list_price"):
        return None
    return ""


_PLAN: tuple[tuple[str, str, int, Any], ...] = tuple((a, c, _kind(a), _default(a)) for a, c in _FIELD_MAP.items())
"""(attribute, column, kind, value when the cell is empty), worked out once: lead_from_record runs per lead."""


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
        litigator=rec.get("Litigator") is True,
    )


def _position(p: Phone) -> int:
    return p.position


_PLAIN_PHONE = (
    not hasattr(Phone, "__post_init__")
    and not hasattr(Phone, "__slots__")
    and [f.name for f in dataclasses.fields(Phone)] == ["number", "position", "vendor_dnc", "status", "extension", "kind", "litigator"]
)
"""Phone's __init__ only stores its arguments, so a phone can be made from a full dict of them (see `phones_by_lead`)."""
_set = object.__setattr__


def phones_by_lead(phone_rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[Phone, ...]]:
    """Each lead's phones by position (hot: 40,000 rows per queue; rows already typed skip phone_from_record)."""
    grouped: dict[str, list[Phone]] = defaultdict(list)
    plain = _PLAIN_PHONE
    for rec in phone_rows:
        lead = rec.get("LeadId")
        if not lead:
            continue
        get = rec.get
        number, position, dnc, status, ext, kind = get("Phone"), get("Position"), get("VendorDNC"), get("PhoneStatus"), get("Extension"), get("Kind")
        p: Phone | None
        if (
            plain
            and number.__class__ is str
            and number
            and position.__class__ is int
            and position
            and dnc.__class__ is bool
            and status.__class__ is str
            and status
            and ext is None
            and kind.__class__ is str
            and kind
        ):
            p = _new_lead(Phone)
            _set(p, "__dict__", {"number": number, "position": position, "vendor_dnc": dnc, "status": status, "extension": "",
                                 "kind": kind, "litigator": get("Litigator") is True})
        else:
            p = phone_from_record(rec)
        if p is not None:
            grouped[lead if lead.__class__ is str else str(lead)].append(p)
    return {k: tuple(v) if len(v) == 1 else tuple(sorted(v, key=_position)) for k, v in grouped.items()}


def _lead(
    plan: Sequence[tuple[str, str, int, Any]],
    values: Iterable[Any],
    absent: Mapping[str, Any],
    fields: dict[str, Any],
    phones: Sequence[Phone],
    tz: ZoneInfo,
) -> Lead:
    """A Lead from the mapped cells (in `plan` order), the attributes whose column is missing, and the other columns."""
    kwargs: dict[str, Any] = dict(absent)
    for (attr, _col, kind, default), value in zip(plan, values, strict=True):
        if value is None:
            kwargs[attr] = default
        elif kind == _TEXT:
            kwargs[attr] = value if value.__class__ is str else str(value)
        elif kind == _DT:
            if value.__class__ is datetime:
                kwargs[attr] = value if value.tzinfo is not None else value.replace(tzinfo=tz)
            else:
                kwargs[attr] = from_local_naive(value, tz) if isinstance(value, (datetime, date)) else None
        elif kind == _DAY:
            kwargs[attr] = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
        elif kind == _BOOL:
            kwargs[attr] = bool(value)
        elif kind == _INT:
            kwargs[attr] = int(value)
        else:
            kwargs[attr] = float(value)
    kwargs["fields"] = fields
    kwargs["phones"] = tuple(phones)
    if _PLAIN_INIT:
        lead = _new_lead(Lead)
        lead.__dict__ = kwargs  # every field is given: what Lead(**kwargs) would do, without 35 keyword arguments
        return lead
    return Lead(**kwargs)


def lead_from_record(rec: Mapping[str, Any], phones: Sequence[Phone], tz: ZoneInfo) -> Lead:
    """A Lead from a tblLeads record (naive agent-local times) and its phones."""
    get = rec.get
    mapped = _MAPPED
    return _lead(_PLAN, [get(c) for _a, c, _k, _d in _PLAN], {}, {k: v for k, v in rec.items() if k not in mapped}, phones, tz)


def leads_from_records(records: Sequence[Mapping[str, Any]], phones: Mapping[str, Sequence[Phone]], tz: ZoneInfo) -> list[Lead]:
    """`lead_from_record` for every record of one read, with its phones looked up by LeadId.

    Hot (25,000 leads per queue): records of one read share their columns, so
    which cells map onto Lead and which go to `fields` is worked out once and
    picked out with itemgetter; a record with other columns takes the general path.
    """
    if not records:
        return []
    first = records[0]
    keys = tuple(first)
    present = tuple(p for p in _PLAN if p[1] in first)
    absent = {a: d for a, c, _k, d in _PLAN if c not in first}
    others = tuple(k for k in keys if k not in _MAPPED)
    pick_mapped = itemgetter(*(p[1] for p in present)) if len(present) > 1 else None
    pick_others = itemgetter(*others) if len(others) > 1 else None
    out: list[Lead] = []
    append = out.append
    width = len(keys)
    none: tuple[Phone, ...] = ()
    for rec in records:
        lid = rec.get("LeadId")
        mine = phones.get(lid if lid.__class__ is str else str(lid), none)
        if pick_mapped is None or pick_others is None or len(rec) != width:
            append(lead_from_record(rec, mine, tz))
            continue
        try:
            values = pick_mapped(rec)
            extra = pick_others(rec)
        except KeyError:
            append(lead_from_record(rec, mine, tz))
            continue
        append(_lead(present, values, absent, dict(zip(others, extra, strict=True)), mine, tz))
    return out


def leads_from_columns(columns: Mapping[str, Sequence[Any]], phones: Mapping[str, Sequence[Phone]], tz: ZoneInfo) -> list[Lead]:
    """`leads_from_records` for tblLeads read column by column (column -> one value per lead): no record dict per lead."""
    if "LeadId" not in columns:
        names = list(columns)
        return leads_from_records([dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)], phones, tz)
    present = tuple(p for p in _PLAN if p[1] in columns)
    absent = {a: d for a, c, _k, d in _PLAN if c not in columns}
    others = tuple(k for k in columns if k not in _MAPPED)
    at_id = [p[1] for p in present].index("LeadId")
    rows = zip(*(columns[p[1]] for p in present), strict=True)
    extras = zip(*(columns[k] for k in others), strict=True) if others else itertools.repeat(())
    none: tuple[Phone, ...] = ()
    out: list[Lead] = []
    append = out.append
    for values, extra in zip(rows, extras, strict=False):  # extras repeats () when every column maps onto Lead
        lid = values[at_id]
        mine = phones.get(lid if lid.__class__ is str else str(lid), none)
        append(_lead(present, values, absent, dict(zip(others, extra, strict=True)), mine, tz))
    return out


def lead_to_record(lead: Lead, tz: ZoneInfo) -> dict[str, Any]:
    """The tblLeads record for a Lead (times as naive agent-local); phones go to tblPhones separately."""
    rec: dict[str, Any] = dict(lead.fields)
    for attr, col in _FIELD_MAP.items():
        value = getattr(lead, attr)
        if attr in _DATETIMES:
            value = to_local_naive(value, tz)
        rec[col] = value if value != "" else None
    best = lead.best_phone()
    rec["BestPhone"] = best.number if best else None
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
            "Litigator": p.litigator,
        }
        for p in lead.phones
    ]


def load_leads(book: Any, tz: ZoneInfo, columns: Sequence[str] | None = None) -> list[Lead]:
    """Every lead of a workbook port with its phones."""
    phones = phones_by_lead(book.read_records("tblPhones", ["LeadId", "Position", "Phone", "VendorDNC", "PhoneStatus", "Extension", "Kind", "Litigator"]))
    by_column = getattr(book, "read_columns", None)
    every = getattr(book, "table_columns", None)
    if by_column is not None:  # the live adapter: column by column, no record dict per lead
        names = list(columns) if columns is not None else list(every("tblLeads")) if every is not None else None
        if names is not None:
            return leads_from_columns(by_column("tblLeads", names), phones, tz)
    return leads_from_records(book.read_records("tblLeads", columns), phones, tz)
