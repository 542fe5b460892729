"""Realistic sample exports for the demo, the tests and the benchmarks.

Places are real (US ZIP codes, cities, coordinates and area codes from the offline
`zipcodes` package); people are invented. Every owner and agent phone is in the
555-0100..555-0199 block that the North American Numbering Plan reserves for fiction,
e.g. (813) 555-0142, so no real person can be dialled from a sample file.

Layouts: "vendor" (a data-vendor style export with owners, phones and DNC flags),
"matrix" (a Matrix MLS search export: `MLS # Link`, `St` codes, no owner phone) and
"reso" (RESO Data Dictionary field names). The same `seed` gives the same homes in
`expired_export`, `active_export` (some of them relisted) and `sold_comps_export`
(sales in the same ZIP codes).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

Row = dict[str, str]

DEFAULT_AT = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("America/New_York"))
"""The reference morning used when no `at` is given (reproducible files)."""

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
    "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Karen", "Carlos", "Maria", "Daniel", "Nancy",
    "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Luis", "Ashley", "Steven", "Kimberly", "Andrew",
    "Emily", "Kenneth", "Donna", "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa",
    "Wei", "Priya", "Ahmed", "Sofia", "Diego", "Hannah", "Nguyen", "Grace", "Omar", "Elena",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Connor", "McAllister", "Patel", "Kim",
)
STREETS = (
    "Oak", "Maple", "Pine", "Cedar", "Elm", "Willow", "Magnolia", "Palm", "Cypress", "Lake", "Hill", "Park",
    "Sunset", "Ridge", "River", "Meadow", "Forest", "Highland", "Orchard", "Harbor", "Bay", "Coral", "Heron",
    "Pelican", "Osprey", "Mockingbird", "Dogwood", "Hickory", "Juniper", "Laurel", "Sycamore", "Aspen", "Birch",
    "Chestnut", "Spring", "Valley", "Washington", "Lincoln", "Jefferson", "Madison", "Franklin", "Adams",
    "Jackson", "Monroe", "Central", "Church", "Mill", "Main", "Market", "Bayshore", "Seminole", "Palmetto",
)
SUFFIXES = ("St", "Ave", "Dr", "Ln", "Ct", "Rd", "Blvd", "Way", "Cir", "Pl", "Ter", "Trl")
LONG_SUFFIX = {"St": "Street", "Ave": "Avenue", "Dr": "Drive", "Ln": "Lane", "Ct": "Court", "Rd": "Road",
               "Blvd": "Boulevard", "Way": "Way", "Cir": "Circle", "Pl": "Place", "Ter": "Terrace", "Trl": "Trail"}
ENTITIES = ("{} Holdings LLC", "{} Family Trust", "Estate of {}", "{} Properties LLC", "{} Revocable Trust")
BANKS = ("First Coastal Bank, N.A.", "Harborview Federal Savings", "Sunrise Mortgage Trust")
OFFICES = ("Coastal Realty Partners", "Bayside Homes Realty", "Sunbelt Properties", "Keystone Home Group",
           "Palm Grove Realty", "Main Street Brokers")
PROPERTY_TYPES = (("Residential", "Single Family Residence", 0.74), ("Residential", "Condominium", 0.14),
                  ("Residential", "Townhouse", 0.08), ("Land", "Unimproved Land", 0.04))

VENDOR_HEADERS = (
    "MLS #", "Status", "Expired Date", "Owner 1 First Name", "Owner 1 Last Name", "Owner 2 First Name",
    "Owner 2 Last Name", "Property Address", "City", "State", "Zip", "Mailing Address", "Mailing City",
    "Mailing State", "Mailing Zip", "Phone 1", "Phone 1 DNC", "Phone 2", "Phone 2 DNC", "Phone 3", "Phone 3 DNC",
    "Email", "List Price", "Original List Price", "Days on Market", "Bedrooms", "Bathrooms", "Sq Ft", "Year Built",
    "Property Type", "Listing Agent", "Listing Agent Phone", "Listing Office", "Lead ID",
)
MATRIX_HEADERS = (
    "MLS # Link", "St", "Property Type", "Address", "City Name", "Zip Code", "Entry Date", "Original List Price",
    "List Price", "Sale Price", "Closing Date", "CDOM (Days on Market)", "DOM", "Pending Date", "#Beds", "#FBaths",
    "#HBaths", "SqFt LA", "Type of Property", "Year Built", "#Garage Spaces", "Pool YN", "Waterfront Property (Y/N)",
    "Lot SqFt", "Association Fee", "Assoc Fee Paid Per", "Expiration Date", "List Agent Full Name",
    "List Agent Direct Phone",
)
RESO_HEADERS = (
    "ListingId", "StandardStatus", "StatusChangeTimestamp", "ExpirationDate", "UnparsedAddress", "City",
    "StateOrProvince", "PostalCode", "ParcelNumber", "OwnerName", "OwnerPhone", "ListPrice", "OriginalListPrice",
    "DaysOnMarket", "CumulativeDaysOnMarket", "ListingContractDate", "BedroomsTotal", "BathroomsTotalInteger",
    "LivingArea", "LotSizeArea", "YearBuilt", "PropertyType", "PropertySubType", "Latitude", "Longitude",
    "ListAgentFullName", "ListAgentDirectPhone", "ListOfficeName", "PhotosCount", "PublicRemarks", "ClosePrice",
    "CloseDate",
)
LAYOUTS = {"vendor": VENDOR_HEADERS, "matrix": MATRIX_HEADERS, "reso": RESO_HEADERS}
_MATRIX_CODES = {"Expired": "X", "Canceled": "C", "Withdrawn": "W", "Active": "A", "Closed": "CS", "Pending": "P"}


@dataclass(frozen=True)
class Place:
    """A real US ZIP code with its city, state, coordinates and area codes."""

    zip_code: str
    city: str
    state: str
    lat: float
    lon: float
    area_codes: tuple[str, ...]


@dataclass(frozen=True)
class Home:
    """One invented listing on a real ZIP code."""

    mls: str
    status: str
    street: str
    unit: str
    place: Place
    parcel: str
    owner1: tuple[str, str]
    owner2: tuple[str, str] | None
    entity: str
    phones: tuple[tuple[str, bool], ...]
    email: str
    mailing: tuple[str, str, str, str] | None
    list_price: int
    original_price: int
    contract_date: date
    dom: int
    cdom: int
    expired_on: date
    status_changed: datetime
    beds: int
    full_baths: int
    half_baths: int
    sqft: int
    lot_sqft: int
    year_built: int
    property_type: str
    sub_type: str
    lat: float
    lon: float
    agent: str
    agent_phone: str
    office: str
    photos: int
    remarks: str
    lead_id: str
    close_price: int = 0
    close_date: date | None = None


@lru_cache(maxsize=64)
def places(state: str | None = "FL") -> tuple[Place, ...]:
    """Standard, active ZIP codes with area codes and a time zone (one state, or all when None)."""
    import zipcodes

    out = []
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if z["zip_code_type"] != "STANDARD" or not z["active"] or not z["area_codes"] or not z["timezone"]:
            continue
        if state and z["state"] != state:
            continue
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (TypeError, ValueError):
            continue
        out.append(Place(z["zip_code"], z["city"], z["state"], lat, lon, tuple(z["area_codes"])))
    if not out:
        raise ValueError(f"no ZIP codes for state {state!r}")
    return tuple(out)


def fictional_phone(rng: random.Random, area_code: str, *, agent: bool = False) -> str:
    """(AAA) 555-01XX: the NANP block reserved for fiction (agents 0100-0119, owners 0120-0199)."""
    return f"({area_code}) 555-01{rng.randrange(0, 20) if agent else rng.randrange(20, 100):02d}"


def _markets(rng: random.Random, n: int, state: str | None) -> list[Place]:
    pool = places(state)
    k = max(3, min(len(pool), 200, n // 25 or 1))
    return rng.sample(pool, k)


def _person(rng: random.Random, last: str | None = None) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), last or rng.choice(LAST_NAMES)


def _homes(n: int, seed: int, at: datetime, state: str | None) -> list[Home]:
    rng = random.Random(seed)
    markets = _markets(rng, n, state)
    today = at.astimezone(ZoneInfo("America/New_York")).date()
    mls_prefix = (state or "US")[0]
    roster = [
        (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", fictional_phone(rng, rng.choice(m.area_codes), agent=True),
         rng.choice(OFFICES))
        for m in markets for _ in range(max(1, min(20, n // (6 * len(markets)) or 1)))
    ]
    used_mls: set[str] = set()
    homes: list[Home] = []
    for i in range(n):
        place = rng.choice(markets)
        ptype, sub = "Residential", "Single Family Residence"
        r = rng.random()
        acc = 0.0
        for t, s, w in PROPERTY_TYPES:
            acc += w
            if r < acc:
                ptype, sub = t, s
                break
        street = f"{rng.randrange(100, 19999)} {rng.choice(('', '', '', 'N ', 'S ', 'E ', 'W ', 'NE ', 'SW '))}{rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
        unit = str(rng.choice((rng.randrange(101, 1499), f"{rng.randrange(1, 30)}{rng.choice('ABCD')}"))) if sub == "Condominium" else ""
        mls = f"{mls_prefix}{rng.randrange(1_000_000, 9_999_999)}"
        while mls in used_mls:
            mls = f"{mls_prefix}{rng.randrange(1_000_000, 9_999_999)}"
        used_mls.add(mls)
        last = rng.choice(LAST_NAMES)
        owner1 = _person(rng, last)
        owner2 = _person(rng, last if rng.random() < 0.8 else None) if rng.random() < 0.45 else None
        entity = ""
        er = rng.random()
        if er < 0.06:
            template = rng.choice(ENTITIES)
            entity = template.format(f"{owner1[0]} {last}" if template.startswith("Estate") else last)
            owner2 = None
        elif er < 0.075:
            entity, owner2 = rng.choice(BANKS), None
        area = place.area_codes
        phones: list[tuple[str, bool]] = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 2, 3, 3))):
            number = fictional_phone(rng, rng.choice(area))
            if all(number != p for p, _ in phones):
                phones.append((number, rng.random() < 0.25))
        agent, agent_phone, office = rng.choice(roster)
        if phones and rng.random() < 0.03:
            phones[0] = (agent_phone, False)  # the vendor appended the listing agent's number
        mailing = None
        mr = rng.random()
        if mr < 0.18:
            other = rng.choice(places(state))
            mailing = (f"{rng.randrange(100, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}", other.city, other.state, other.zip_code)
        elif mr < 0.22:
            mailing = (f"PO Box {rng.randrange(10, 9999)}", place.city, place.state, place.zip_code)
        price = int(min(3_000_000, max(85_000, rng.lognormvariate(12.96, 0.45))) // 1000 * 1000)
        original = int(price * rng.choice((1.0, 1.0, 1.03, 1.05, 1.08, 1.12)) // 1000 * 1000)
        dom = rng.randrange(30, 270)
        cdom = dom + rng.choice((0, 0, 0, rng.randrange(10, 200)))
        expired_on = today - timedelta(days=rng.choice((1, 1, 1, 1, 2, 2, 3, 5)))
        contract = expired_on - timedelta(days=dom)
        changed = datetime(expired_on.year, expired_on.month, expired_on.day) + timedelta(
            days=1, minutes=rng.randrange(0, 6 * 60)
        )
        st = rng.random()
        status = "Expired" if st < 0.84 else "Canceled" if st < 0.95 else "Withdrawn"
        sqft = int(rng.gauss(1900, 600)) if ptype != "Land" else 0
        sqft = max(650, sqft) if sqft else 0
        beds = 0 if not sqft else max(1, min(7, round(sqft / 600 + rng.choice((-1, 0, 0, 1)))))
        full_baths = 0 if not sqft else max(1, min(beds, round(beds * 0.7)))
        half_baths = 0 if not sqft else rng.choice((0, 0, 1))
        jitter_lat, jitter_lon = rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02)
        homes.append(
            Home(
                mls=mls, status=status, street=street, unit=unit, place=place,
                parcel=f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}-{rng.randrange(0, 999):03d}",
                owner1=owner1, owner2=owner2, entity=entity, phones=tuple(phones),
                email=f"{owner1[0].lower()}.{last.lower().replace(chr(39), '')}{rng.randrange(1, 99)}@example.com" if rng.random() < 0.3 and not entity else "",
                mailing=mailing, list_price=price, original_price=max(price, original), contract_date=contract,
                dom=dom, cdom=cdom, expired_on=expired_on, status_changed=changed, beds=beds, full_baths=full_baths,
                half_baths=half_baths, sqft=sqft, lot_sqft=rng.randrange(2500, 21780) if sub != "Condominium" else 0,
                year_built=rng.randrange(1925, 2024), property_type=ptype, sub_type=sub,
                lat=round(place.lat + jitter_lat, 5), lon=round(place.lon + jitter_lon, 5), agent=agent,
                agent_phone=agent_phone, office=office, photos=rng.choice((3, 8, 12, 18, 25, 32, 40)),
                remarks=rng.choice(("", "Motivated seller.", "Updated kitchen, new roof 2021.",
                                    "Bring your ideas! Great bones, needs TLC.",
                                    "Stunning pool home close to schools, shopping and the beach.")),
                lead_id=f"V{seed % 1000:03d}{i:06d}",
            )
        )
    return homes


def _us_date(d: date | None) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}" if d else ""


def _money(v: int) -> str:
    return f"${v:,}" if v else ""


def _owner_name(h: Home) -> str:
    """One owner cell as public records write it: 'John & Mary Smith', 'John Smith & Ana Lee'."""
    if h.entity:
        return h.entity
    if h.owner2 is None:
        return f"{h.owner1[0]} {h.owner1[1]}"
    if h.owner2[1] == h.owner1[1]:
        return f"{h.owner1[0]} & {h.owner2[0]} {h.owner1[1]}"
    return f"{h.owner1[0]} {h.owner1[1]} & {h.owner2[0]} {h.owner2[1]}"


def _row(h: Home, layout: str) -> Row:
    status = h.status
    street_line = f"{h.street} #{h.unit}" if h.unit else h.street
    if layout == "vendor":
        row: Row = dict.fromkeys(VENDOR_HEADERS, "")
        if h.entity:
            row["Owner 1 Last Name"] = h.entity.upper() if h.entity in BANKS else h.entity
        else:
            row["Owner 1 First Name"], row["Owner 1 Last Name"] = h.owner1[0].upper(), h.owner1[1].upper()
            if h.owner2:
                row["Owner 2 First Name"], row["Owner 2 Last Name"] = h.owner2[0].upper(), h.owner2[1].upper()
        for n, (number, dnc) in enumerate(h.phones[:3], start=1):
            row[f"Phone {n}"] = number
            row[f"Phone {n} DNC"] = "Y" if dnc else "N"
        if not h.phones:
            row["Phone 1"] = "PRIVACY"
        mailing = h.mailing or (street_line, h.place.city, h.place.state, h.place.zip_code)
        row.update({
            "MLS #": h.mls, "Status": status, "Expired Date": _us_date(h.expired_on),
            "Property Address": street_line.upper(), "City": h.place.city.upper(), "State": h.place.state,
            "Zip": h.place.zip_code, "Mailing Address": mailing[0].upper(), "Mailing City": mailing[1].upper(),
            "Mailing State": mailing[2], "Mailing Zip": mailing[3], "Email": h.email, "List Price": _money(h.list_price),
            "Original List Price": _money(h.original_price), "Days on Market": str(h.dom),
            "Bedrooms": str(h.beds or ""), "Bathrooms": str(h.full_baths + 0.5 * h.half_baths).removesuffix(".0") if h.beds else "",
            "Sq Ft": f"{h.sqft:,}" if h.sqft else "", "Year Built": str(h.year_built),
            "Property Type": h.sub_type, "Listing Agent": h.agent, "Listing Agent Phone": h.agent_phone,
            "Listing Office": h.office, "Lead ID": h.lead_id,
        })
        return row
    if layout == "matrix":
        row = dict.fromkeys(MATRIX_HEADERS, "")
        row.update({
            "MLS # Link": h.mls, "St": _MATRIX_CODES.get(status, status[:1]), "Property Type": h.property_type,
            "Address": street_line, "City Name": h.place.city, "Zip Code": h.place.zip_code,
            "Entry Date": _us_date(h.contract_date), "Original List Price": _money(h.original_price),
            "List Price": _money(h.list_price), "Sale Price": _money(h.close_price), "Closing Date": _us_date(h.close_date),
            "CDOM (Days on Market)": str(h.cdom), "DOM": str(h.dom), "#Beds": str(h.beds or ""),
            "#FBaths": str(h.full_baths or ""), "#HBaths": str(h.half_baths) if h.beds else "",
            "SqFt LA": f"{h.sqft:,}" if h.sqft else "", "Type of Property": h.sub_type, "Year Built": str(h.year_built),
            "#Garage Spaces": str(h.beds // 2) if h.sub_type == "Single Family Residence" else "",
            "Pool YN": "Y" if h.photos > 20 else "N", "Waterfront Property (Y/N)": "Y" if h.photos == 40 else "N",
            "Lot SqFt": f"{h.lot_sqft:,}" if h.lot_sqft else "",
            "Association Fee": "$350" if h.sub_type == "Condominium" else "",
            "Assoc Fee Paid Per": "Monthly" if h.sub_type == "Condominium" else "",
            "Expiration Date": _us_date(h.expired_on) if status in ("Expired", "Canceled", "Withdrawn") else "",
            "List Agent Full Name": h.agent, "List Agent Direct Phone": h.agent_phone,
        })
        return row
    row = dict.fromkeys(RESO_HEADERS, "")
    changed = h.status_changed.replace(tzinfo=ZoneInfo("America/New_York"))
    row.update({
        "ListingId": h.mls, "StandardStatus": status,
        "StatusChangeTimestamp": changed.isoformat() if status != "Closed" else "",
        "ExpirationDate": h.expired_on.isoformat() if status in ("Expired", "Canceled") else "",
        "UnparsedAddress": f"{street_line}, {h.place.city}, {h.place.state} {h.place.zip_code}",
        "City": h.place.city, "StateOrProvince": h.place.state, "PostalCode": h.place.zip_code, "ParcelNumber": h.parcel,
        "OwnerName": _owner_name(h),
        "OwnerPhone": "; ".join(p for p, _ in h.phones), "ListPrice": str(h.list_price),
        "OriginalListPrice": str(h.original_price), "DaysOnMarket": str(h.dom), "CumulativeDaysOnMarket": str(h.cdom),
        "ListingContractDate": h.contract_date.isoformat(), "BedroomsTotal": str(h.beds or ""),
        "BathroomsTotalInteger": str(h.full_baths + h.half_baths) if h.beds else "", "LivingArea": str(h.sqft or ""),
        "LotSizeArea": str(h.lot_sqft or ""), "YearBuilt": str(h.year_built), "PropertyType": h.property_type,
        "PropertySubType": h.sub_type, "Latitude": f"{h.lat:.5f}", "Longitude": f"{h.lon:.5f}",
        "ListAgentFullName": h.agent, "ListAgentDirectPhone": h.agent_phone, "ListOfficeName": h.office,
        "PhotosCount": str(h.photos), "PublicRemarks": h.remarks, "ClosePrice": str(h.close_price or ""),
        "CloseDate": h.close_date.isoformat() if h.close_date else "",
    })
    return row


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}")


def expired_export(
    n: int, seed: int = 0, at: datetime | None = None, *, layout: str = "vendor", state: str | None = "FL"
) -> list[Row]:
    """The morning's expired listings: mostly Expired, some Canceled, a few Withdrawn (not contactable)."""
    _check_layout(layout)
    return [_row(h, layout) for h in _homes(n, seed, at or DEFAULT_AT, state)]


def matrix_export(n: int, seed: int = 0, at: datetime | None = None, *, state: str | None = "FL") -> list[Row]:
    """The same homes as a Matrix MLS search export (status codes in `St`, no owner columns)."""
    return expired_export(n, seed, at, layout="matrix", state=state)


def active_export(
    n: int,
    seed: int = 0,
    at: datetime | None = None,
    *,
    share: float = 0.3,
    others: int = 10,
    layout: str = "matrix",
    state: str | None = "FL",
) -> list[Row]:
    """Current active listings: `share` of the homes of expired_export(n, seed) relisted under new
    MLS numbers with another agent, plus `others` unrelated active listings."""
    _check_layout(layout)
    when = at or DEFAULT_AT
    rng = random.Random(seed + 7919)
    homes = _homes(n, seed, when, state)
    chosen = [h for h in homes if rng.random() < share]
    rows = []
    for h in chosen:
        new = replace(
            h, mls=f"{h.mls[0]}{rng.randrange(1_000_000, 9_999_999)}", status="Active", dom=rng.randrange(0, 5),
            list_price=int(h.list_price * rng.choice((0.9, 0.93, 0.95, 0.97)) // 1000 * 1000),
            agent=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", office=rng.choice(OFFICES),
            agent_phone=fictional_phone(rng, rng.choice(h.place.area_codes), agent=True),
        )
        rows.append(_row(new, layout))
    for h in _homes(others, seed + 104729, when, state):
        rows.append(_row(replace(h, status="Active"), layout))
    return rows


def sold_comps_export(
    n: int, seed: int = 0, at: datetime | None = None, *, layout: str = "matrix", state: str | None = "FL", months: int = 6
) -> list[Row]:
    """Closed sales from the last `months` in the same ZIP codes as expired_export(…, seed)."""
    _check_layout(layout)
    when = at or DEFAULT_AT
    rng = random.Random(seed + 15485863)
    markets = _markets(random.Random(seed), max(n, 25), state)
    today = when.astimezone(ZoneInfo("America/New_York")).date()
    rows = []
    for h in _homes(n, seed + 3571, when, state):
        place = rng.choice(markets)
        close = today - timedelta(days=rng.randrange(3, months * 30))
        price = int(h.list_price * rng.uniform(0.94, 1.02) // 500 * 500)
        rows.append(_row(replace(h, place=place, status="Closed", close_price=price, close_date=close,
                                 lat=round(place.lat + rng.uniform(-0.02, 0.02), 5),
                                 lon=round(place.lon + rng.uniform(-0.02, 0.02), 5)), layout))
    return rows


def write_csv(rows: Sequence[Row], path: str | Path, *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """Write rows as an export file (the header is the first row's keys)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = list(rows[0]) if rows else list(VENDOR_HEADERS)
    with out.open("w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return out


def write_xlsx(rows: Sequence[Row], path: str | Path, *, sheet: str = "Export", typed: bool = True) -> Path:
    """Write rows as an .xlsx export; with `typed`, numbers and dates become real cell values like Excel's."""
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    header = list(rows[0]) if rows else list(VENDOR_HEADERS)
    ws.append(header)
    for r in rows:
        ws.append([_typed(r[h]) if typed else r[h] for h in header])
    wb.save(out)
    return out


def _typed(text: str) -> Any:
    if not text:
        return None
    plain = text.replace("$", "").replace(",", "")
    if plain.isdigit() and not text.startswith("0") and len(plain) < 9:
        return int(plain)
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        try:
            return datetime.strptime(text, "%m/%d/%Y")
        except ValueError:
            return text
    return text
