"""The subject property and the sold comparables as plain data, read from lead and tblComps records."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from relist.errors import BadInput
from relist.model import Lead

EARTH_RADIUS_MILES = 3958.8
"""Mean Earth radius (IUGG), used by the haversine distance."""


@dataclass(frozen=True)
class PricePoint:
    """One entry of a listing's price history."""

    on: date
    price: float


@dataclass(frozen=True)
class Subject:
    """The expired listing a presentation is about."""

    lead_id: str
    address: str
    postal_code: str
    living_area: float | None
    beds: int | None = None
    baths: float | None = None
    year_built: int | None = None
    lot_size: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    list_price: float | None = None
    original_list_price: float | None = None
    price_history: tuple[PricePoint, ...] = ()
    days_on_market: int | None = None
    cumulative_days_on_market: int | None = None
    listed_on: date | None = None
    expired_on: date | None = None
    photos_count: int | None = None
    remarks_length: int | None = None
    listing_id: str = ""
    address_key: str = ""
    property_type: str = ""


@dataclass(frozen=True)
class Comp:
    """One sold listing from the Comps table."""

    comp_id: str
    address: str
    postal_code: str
    close_price: float
    close_date: date
    living_area: float
    beds: int | None = None
    baths: float | None = None
    year_built: int | None = None
    lot_size: float | None = None
    days_on_market: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    list_price: float | None = None
    original_list_price: float | None = None
    listing_id: str = ""
    address_key: str = ""
    city: str = ""
    property_type: str = ""

    @property
    def price_per_sqft(self) -> float:
        return self.close_price / self.living_area


def _num(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    n = _num(value)
    return None if n is None else int(round(n))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_price_history(text: Any, lead_id: str = "") -> tuple[PricePoint, ...]:
    """PriceHistory 'YYYY-MM-DD:price;...' (oldest first) as price points, or a clear error."""
    if text is None or str(text).strip() == "":
        return ()
    points: list[PricePoint] = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        day, sep, price = part.partition(":")
        on = _day(day)
        amount = _num(price) if sep else None
        if on is None or amount is None or amount <= 0:
            who = f"Lead {lead_id} " if lead_id else ""
            raise BadInput(
                f"{who}PriceHistory has {part!r}, not a date:price pair.",
                "Write it as 2025-09-04:525000;2025-10-20:505000 (oldest first) or clear the cell.",
            )
        points.append(PricePoint(on, amount))
    return tuple(sorted(points, key=lambda p: p.on))


def subject_from_lead(lead: Lead) -> Subject:
    """The subject property of a lead: typed fields plus the listing columns kept in `lead.fields`."""
    f = lead.fields
    address = lead.property_address + (f" #{lead.unit}" if lead.unit else "")
    return Subject(
        lead_id=lead.lead_id,
        address=address,
        postal_code=_text(lead.postal_code)[:5],
        living_area=_num(f.get("LivingArea")),
        beds=_int(f.get("BedroomsTotal")),
        baths=_num(f.get("BathroomsTotal")),
        year_built=_int(f.get("YearBuilt")),
        lot_size=_num(f.get("LotSizeArea")),
        latitude=_num(f.get("Latitude")),
        longitude=_num(f.get("Longitude")),
        list_price=lead.list_price,
        original_list_price=_num(f.get("OriginalListPrice")),
        price_history=parse_price_history(f.get("PriceHistory"), lead.lead_id),
        days_on_market=_int(f.get("DaysOnMarket")),
        cumulative_days_on_market=_int(f.get("CumulativeDaysOnMarket")),
        listed_on=_day(f.get("ListingContractDate")),
        expired_on=lead.expired_at.date() if lead.expired_at else None,
        photos_count=_int(f.get("PhotosCount")),
        remarks_length=_int(f.get("RemarksLength")),
        listing_id=lead.listing_id,
        address_key=_text(f.get("AddressKey")),
        property_type=_text(f.get("PropertyType")),
    )


def comp_from_record(rec: Mapping[str, Any]) -> Comp | None:
    """A Comp from a tblComps record, or None when it lacks a close price, close date or area."""
    price = _num(rec.get("ClosePrice"))
    closed = _day(rec.get("CloseDate"))
    area = _num(rec.get("LivingArea"))
    if price is None or price <= 0 or closed is None or area is None or area <= 0:
        return None
    return Comp(
        comp_id=_text(rec.get("CompId")) or _text(rec.get("ListingId")),
        address=_text(rec.get("PropertyAddress")),
        postal_code=_text(rec.get("PostalCode"))[:5],
        close_price=price,
        close_date=closed,
        living_area=area,
        beds=_int(rec.get("BedroomsTotal")),
        baths=_num(rec.get("BathroomsTotal")),
        year_built=_int(rec.get("YearBuilt")),
        lot_size=_num(rec.get("LotSizeArea")),
        days_on_market=_int(rec.get("DaysOnMarket")),
        latitude=_num(rec.get("Latitude")),
        longitude=_num(rec.get("Longitude")),
        list_price=_num(rec.get("ListPrice")),
        original_list_price=_num(rec.get("OriginalListPrice")),
        listing_id=_text(rec.get("ListingId")),
        address_key=_text(rec.get("AddressKey")),
        city=_text(rec.get("City")),
        property_type=_text(rec.get("PropertyType")),
    )


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))
