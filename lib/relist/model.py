"""The domain's plain data: leads, phones, touches, sequence steps and verdicts.

Times inside the domain are timezone-aware datetimes. The workbook stores the
agent's local wall-clock time (Excel has no time zones); `relist.clock`
converts at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal, Protocol, TypeVar

Channel = Literal["call", "text", "letter", "door", "email"]
CHANNEL_NAMES: tuple[Channel, ...] = ("call", "text", "letter", "door", "email")

CONTACTABLE_STATUSES = frozenset({"Expired", "Canceled"})
"""RESO StandardStatus values that may be solicited (NAR SOP 16-4)."""

CLOSED_LEAD_STATUSES = frozenset({"Listed", "Relisted", "Dead", "DNC", "Not contactable"})
"""Lead statuses whose sequence has ended."""


USABLE_PHONE_STATUSES = frozenset({"Active", "Verified"})
"""Phone statuses a call may use (Bad, Retired and a non-owner's number are never dialled)."""


@dataclass(frozen=True)
class Phone:
    """One owner phone in E.164 with its vendor DNC flag and its position (1 = first)."""

    number: str
    position: int = 1
    vendor_dnc: bool = False
    status: str = "Active"  # Active, Verified, Bad, Retired, Not owner
    extension: str = ""
    kind: str = "unknown"
    litigator: bool = False
    """The vendor flagged the number's owner as a known telemarketing litigator (blocked unless Settings allow)."""

    @property
    def usable(self) -> bool:
        return self.status in USABLE_PHONE_STATUSES


class _PhoneLike(Protocol):
    @property
    def position(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def vendor_dnc(self) -> bool: ...
    @property
    def litigator(self) -> bool: ...


P = TypeVar("P", bound=_PhoneLike)

def best_phone(phones: Iterable[P]) -> P | None:
    """The lead's BestPhone: the first usable number (Verified before Active) the vendor flagged neither
    do-not-call nor litigator. None when every usable number is flagged: a flagged number is never shown
    as the one to dial first (the Phones sheet still lists it, and the verdict decides on each number)."""
    clean = [p for p in phones if p.status in USABLE_PHONE_STATUSES and not p.vendor_dnc and not p.litigator]
    return min(clean, key=lambda p: (p.status != "Verified", p.position)) if clean else None


@dataclass
class Lead:
    """A property owner and the listing that expired; the unit of prospecting."""

    lead_id: str
    status: str = "New"
    listing_status: str = "Expired"
    contactable: bool = True
    not_contactable_reason: str = ""
    owner_name: str = ""
    owner_name2: str = ""
    owner_first_name: str = ""
    owner_last_name: str = ""
    entity_owner: bool = False
    phones: tuple[Phone, ...] = ()
    email: str = ""
    property_address: str = ""
    unit: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    mailing_address: str = ""
    mailing_city: str = ""
    mailing_state: str = ""
    mailing_postal_code: str = ""
    absentee: bool = False
    listing_id: str = ""
    expired_at: datetime | None = None
    sequence_start: date | None = None
    touch_count: int = 0
    last_touch_at: datetime | None = None
    next_step: int | None = None
    next_channel: str = ""
    next_due: datetime | None = None
    appointment_at: datetime | None = None
    call_back_at: datetime | None = None
    list_price: float | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    """Every other column of the lead row, by schema name (and user columns)."""

    @property
    def sequence_open(self) -> bool:
        return self.contactable and self.status not in CLOSED_LEAD_STATUSES

    def usable_phones(self) -> list[Phone]:
        return sorted((p for p in self.phones if p.usable), key=lambda p: p.position)

    def best_phone(self) -> Phone | None:
        """The phone to dial first: see `best_phone`."""
        return best_phone(self.phones)

    def zips(self) -> list[str]:
        """The ZIP codes that locate the owner: property first, then mailing."""
        out = [z for z in (self.postal_code, self.mailing_postal_code) if z]
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Touch:
    """One logged touch; undo rows point at the touch they cancel."""

    touch_id: str
    lead_id: str
    at: datetime
    channel: Channel
    outcome: str
    step: int | None = None
    phone: str = ""
    note: str = ""
    duration_sec: int | None = None
    who: str = ""
    subject: str = ""
    follow_up_at: datetime | None = None
    undo_of: str = ""


@dataclass(frozen=True)
class Step:
    """One step of the touch sequence."""

    step: int
    channel: Channel
    day_offset: int
    time_of_day: time | None = None
    repeat_every_days: int | None = None
    template: str = ""
    name: str = ""
    talking_point: str = ""

    @property
    def is_nurture(self) -> bool:
        return bool(self.repeat_every_days)


@dataclass(frozen=True)
class Reason:
    """One rule's finding about a proposed contact."""

    rule: str
    ok: bool
    message: str
    source: str = ""


@dataclass(frozen=True)
class Verdict:
    """Whether a lead may be contacted on a channel at a moment, with every reason."""

    allowed: bool
    reasons: tuple[Reason, ...]
    window_start: datetime | None = None
    window_end: datetime | None = None
    phone: str = ""

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.ok)

    def explain(self) -> str:
        """The blocking reasons in plain words, or 'allowed'."""
        if self.allowed:
            return "allowed"
        return "; ".join(r.message for r in self.blocking)
