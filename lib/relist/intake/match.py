"""Find the lead a listing belongs to, and decide what an expired row does to it.

Match order: the listing id (MLS number, within the same three-digit ZIP area: numbers are
only unique within one MLS), then parcel number, then address key (by ZIP, then by city),
then an owner phone (only when the house numbers agree or one address has none, so one owner's two
homes stay two leads).
A matched lead is updated with its history kept; a lead that was relisted and expires
again starts a new listing cycle (Cycle + 1, ReExpired = Yes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from relist.intake.clean import Listing, parcel_key
from relist.model import CONTACTABLE_STATUSES

Bucket = Literal["added", "updated", "duplicates", "not_contactable", "relisted", "rejected"]
BUCKETS: tuple[Bucket, ...] = ("added", "updated", "duplicates", "not_contactable", "relisted", "rejected")

LISTING_COLUMNS = (
    "ListingId", "ListPrice", "OriginalListPrice", "DaysOnMarket", "CumulativeDaysOnMarket", "ListingContractDate",
    "BedroomsTotal", "BathroomsTotal", "LivingArea", "LotSizeArea", "YearBuilt", "PropertyType", "Latitude",
    "Longitude", "ParcelNumber", "PhotosCount", "RemarksLength", "ListAgentName", "ListAgentPhone", "ListOfficeName",
)
"""Columns a newer export of the same listing may change."""

FILL_COLUMNS = (
    "OwnerName", "OwnerName2", "OwnerFirstName", "OwnerLastName", "Email", "MailingAddress", "MailingCity",
    "MailingState", "MailingPostalCode", "City", "State", "PostalCode",
)
"""Columns only filled when empty: the agent may have corrected them by hand."""

SAME_EXPIRY_TOLERANCE = timedelta(days=1)


@dataclass(slots=True)
class LeadState:
    """A lead as this import sees it: its record (current values), its phones, what changed."""

    lead_id: str
    record: dict[str, Any]
    """The lead's row; a new lead's is empty until built from its listing (Importer.materialize)."""
    phones: dict[str, int] = field(default_factory=dict)
    is_new: bool = False
    listing: Listing | None = None
    """A new lead's listing, until its full row is built."""
    changes: dict[str, Any] = field(default_factory=dict)
    new_phones: list[dict[str, Any]] = field(default_factory=list)
    house_number: str = ""

    def set(self, column: str, value: Any) -> None:
        self.record[column] = value
        if not self.is_new:
            self.changes[column] = value


class LeadIndex:
    """Every lead by parcel, address key and phone; updated as the import goes."""

    def __init__(self) -> None:
        self.leads: dict[str, LeadState] = {}
        self.by_listing: dict[str, str] = {}
        """listing id + ZIP area -> lead."""
        self._asked: tuple[Listing | None, str] = (None, "")
        """The listing `find` last looked up and its listing key (a new lead is registered right after)."""
        self.by_parcel: dict[str, str] = {}
        self.by_address: dict[str, str] = {}
        self.by_phone_house: dict[str, dict[str, str]] = {}
        """phone -> house number -> lead; house number '' for a lead whose address has none."""
        self.by_phone: dict[str, str] = {}
        """phone -> the first lead with it (for a listing whose address has no house number).
        A phone is in both dicts or in neither."""

    @classmethod
    def from_records(cls, leads: Iterable[Mapping[str, Any]], phone_rows: Iterable[Mapping[str, Any]]) -> LeadIndex:
        """The index of a workbook's leads; the records become the leads' working copies (changed in place)."""
        index = cls()
        for rec in leads:
            lead_id = rec.get("LeadId")
            if not lead_id:
                continue
            key = str(rec.get("AddressKey") or "")
            house = key.split(" ", 1)[0] if key[:1].isdigit() else ""
            index.register(LeadState(str(lead_id), rec if isinstance(rec, dict) else dict(rec), house_number=house))
        for p in phone_rows:
            st = index.leads.get(str(p.get("LeadId") or ""))
            number = p.get("Phone")
            if st is None or not number:
                continue
            st.phones[str(number)] = int(p.get("Position") or 0)
            index.add_phone(st, str(number))
        return index

    def register(self, st: LeadState, parcel: str | None = None, keys: Sequence[str] = ()) -> None:
        """Index a lead under its parcel, address keys and phones (`parcel`, `keys`: when already known)."""
        lead_id = st.lead_id
        self.leads[lead_id] = st
        item = st.listing
        if item is not None:
            asked, lk = self._asked
            if asked is not item:
                lid = item.listing_id
                lk = f"{lid.upper()}|{item.postal_code[:3] or item.city.upper()}" if lid else ""
        else:
            lk = listing_key(str(st.record.get("ListingId") or ""), str(st.record.get("PostalCode") or ""),
                             str(st.record.get("City") or ""))
        if lk:
            self.by_listing.setdefault(lk, lead_id)
        if parcel is None:
            raw = st.record.get("ParcelNumber")
            parcel = parcel_key(str(raw)) if raw else ""
        if parcel:
            self.by_parcel.setdefault(parcel, lead_id)
        if keys:
            by_address = self.by_address
            for key in keys:
                by_address.setdefault(key, lead_id)
        else:
            rec = st.record
            key = str(rec.get("AddressKey") or "")
            if key:
                self.by_address.setdefault(key, lead_id)
                city = str(rec.get("City") or "").upper()
                if city:
                    self.by_address.setdefault(f"{key.partition('|')[0]}|{city}", lead_id)
        if st.phones:
            self._index_phones(st.phones, st.house_number, lead_id)

    def add_phone(self, st: LeadState, number: str) -> None:
        self._index_phones((number,), st.house_number, st.lead_id)

    def _index_phones(self, numbers: Iterable[str], house: str, lead_id: str) -> None:
        by_phone_house = self.by_phone_house
        for number in numbers:
            houses = by_phone_house.get(number)
            if houses is None:
                by_phone_house[number] = {house: lead_id}
                self.by_phone[number] = lead_id
            else:
                houses.setdefault(house, lead_id)

    def find(self, listing: Listing) -> tuple[LeadState | None, str]:
        """The lead this listing belongs to and how it was found (listing id, parcel, address, phone)."""
        lid = listing.listing_id
        if lid:  # (listing_key, inline: a listing's id is stripped and its ZIP five digits or '')
            lk = f"{lid.upper()}|{listing.postal_code[:3] or listing.city.upper()}"
            self._asked = (listing, lk)
            lead_id = self.by_listing.get(lk)
            if lead_id:
                return self.leads[lead_id], "listing"
        if listing.parcel_key:
            lead_id = self.by_parcel.get(listing.parcel_key)
            if lead_id:
                return self.leads[lead_id], "parcel"
        for key in listing.keys:
            lead_id = self.by_address.get(key)
            if lead_id:
                return self.leads[lead_id], "address"
        if not listing.phones:
            return None, ""
        house = listing.house_number
        by_phone_house = self.by_phone_house
        for p in listing.phones:
            houses = by_phone_house.get(p.number)
            if houses is None:
                continue
            lead_id = (houses.get(house) or houses.get("")) if house else self.by_phone[p.number]
            if lead_id:
                return self.leads[lead_id], "phone"
        return None, ""


def listing_key(listing_id: str, postal_code: str, city: str) -> str:
    """A listing id as matching reads it: upper case, within its ZIP area (or city); '' when there is none."""
    lid = listing_id.strip().upper()
    if not lid:
        return ""
    place = postal_code.strip()[:3] if postal_code.strip() else city.strip().upper()
    return f"{lid}|{place}"


def _local(value: datetime | None, tz: Any) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


Step = Literal["reopen", "new_cycle", "merge", "stale"]


def contactable_step(rec: Mapping[str, Any], listing: Listing, expired_local: datetime | None) -> Step:
    """What an Expired/Canceled row does to the lead it matched.

    reopen: the lead never had an expiry (first seen Withdrawn, say) and now has one.
    new_cycle: the home was relisted and has expired again (a new MLS number after a
    relist, or a later expiry). merge: a newer export of the same listing. stale: an
    older export of a listing the lead has moved past.
    """
    old_expiry = rec.get("ExpiredAt")
    old_id = str(rec.get("ListingId") or "")
    new_id = listing.listing_id
    ids_differ = bool(new_id) and bool(old_id) and new_id != old_id
    later = expired_local is not None and (
        not isinstance(old_expiry, datetime) or expired_local > old_expiry + SAME_EXPIRY_TOLERANCE
    )
    relisted = rec.get("Status") == "Relisted" or rec.get("ListingStatus") not in (None, "", *CONTACTABLE_STATUSES)
    if relisted:
        if not isinstance(old_expiry, datetime):
            return "reopen"
        if ids_differ or later:
            return "new_cycle"
        return "stale"
    if ids_differ and later:
        return "new_cycle"
    return "merge"
