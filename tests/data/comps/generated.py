"""Generated listings with comps for the deck invariants: varied on purpose (missing facts, import-dated prices,
price jumps, outlier sales, too few sales), seeded and reproducible."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from tests.data.comps.fixture import AS_OF, TZ

STREETS = ("Palmetto Ridge Dr", "Egret Point Ln", "Mangrove Bend", "Seagrape Ct", "Heron Crest Way", "Bayshore Blvd",
           "Osprey Ave", "Cypress St", "Magnolia Ter", "Sunset Cir")
TYPES = ("Single Family Residence", "Single Family Residence", "Single Family Residence", "Condominium", "Townhouse")


def listing(i: int, rnd: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One expired lead row and the sold comps around it."""
    lat, lon = 27.9 + rnd.uniform(-0.05, 0.05), -82.5 + rnd.uniform(-0.05, 0.05)
    area = rnd.randint(900, 3400)
    ppsf = rnd.uniform(150, 420)
    value = area * ppsf
    list_price = round(value * rnd.choice((0.55, 0.8, 0.95, 1.0, 1.05, 1.12, 1.3, 1.9)), -3)
    dom = rnd.choice((None, rnd.randint(20, 300)))
    expired = datetime.combine(AS_OF - timedelta(days=rnd.randint(1, 30)), datetime.min.time()).replace(hour=17)
    contract = (expired.date() - timedelta(days=dom)) if dom is not None and rnd.random() < 0.6 else None
    original = round(list_price * rnd.choice((1.0, 1.0, 1.04, 1.1, 0.97)), -3)
    history = []
    shape = rnd.random()
    if shape < 0.25 and contract is not None:
        steps = sorted(rnd.sample(range(1, max(2, dom or 2)), k=min(2, max(1, (dom or 2) - 1))))
        prices = [original, round((original + list_price) / 2, -3), list_price]
        days = [contract, *(contract + timedelta(days=d) for d in steps)]
        history = [f"{d.isoformat()}:{int(p)}" for d, p in zip(days, prices, strict=False)]
    elif shape < 0.5:
        history = [f"{expired.date().isoformat()}:{int(list_price)}"]  # stamped on the import day
    elif shape < 0.6 and contract is not None:
        history = [f"{contract.isoformat()}:{int(original)}", f"{expired.date().isoformat()}:{int(list_price)}"]
    lead = {
        "LeadId": f"G{i:04d}", "OwnerName": "Matthew Lee", "OwnerName2": "Grace Lee" if rnd.random() < 0.5 else None,
        "OwnerFirstName": "Matthew", "PropertyAddress": f"{rnd.randint(100, 9999)} {rnd.choice(STREETS)}",
        "City": "Tampa", "State": "FL", "PostalCode": "33611", "ListingId": f"T-{i:05d}", "Status": "New",
        "ExpiredAt": expired, "ListPrice": list_price, "OriginalListPrice": original if rnd.random() < 0.8 else None,
        "PriceHistory": ";".join(history) or None, "DaysOnMarket": dom,
        "CumulativeDaysOnMarket": (dom + rnd.randint(0, 60)) if dom is not None and rnd.random() < 0.3 else None,
        "ListingContractDate": contract, "BedroomsTotal": rnd.choice((None, 2, 3, 4)),
        "BathroomsTotal": rnd.choice((None, 1.0, 2.0, 2.5)), "LivingArea": area,
        "YearBuilt": rnd.choice((None, rnd.randint(1950, 2020))), "LotSizeArea": rnd.choice((None, 6000.0)),
        "PhotosCount": rnd.choice((None, 3, 12, 30)), "RemarksLength": rnd.choice((None, 90, 600)),
        "Latitude": lat if rnd.random() < 0.9 else None, "Longitude": lon, "PropertyType": rnd.choice(TYPES),
    }
    if lead["Latitude"] is None:
        lead["Longitude"] = None
    comps = []
    for j in range(rnd.choice((1, 2, 3, 5, 8, 12, 40))):
        c_area = area * rnd.uniform(0.8, 1.2)
        c_ppsf = ppsf * rnd.gauss(1, rnd.choice((0.03, 0.08, 0.25)))
        if rnd.random() < 0.05:
            c_ppsf *= rnd.choice((0.4, 2.2))  # a sale unlike the rest
        comps.append({
            "CompId": f"C{i:04d}-{j:02d}", "ListingId": f"S-{i:04d}-{j:02d}",
            "PropertyAddress": f"{rnd.randint(100, 9999)} {rnd.choice(STREETS)}", "City": "Tampa", "PostalCode": "33611",
            "ClosePrice": round(c_area * max(c_ppsf, 40), -2), "CloseDate": AS_OF - timedelta(days=rnd.randint(3, 170)),
            "ListPrice": round(c_area * c_ppsf * 1.02, -2), "LivingArea": round(c_area),
            "BedroomsTotal": rnd.choice((2, 3, 4)), "BathroomsTotal": rnd.choice((1.0, 2.0, 2.5)),
            "YearBuilt": rnd.randint(1950, 2020), "DaysOnMarket": rnd.choice((None, rnd.randint(5, 160))),
            "Latitude": lat + rnd.uniform(-0.01, 0.01), "Longitude": lon + rnd.uniform(-0.01, 0.01),
            "PropertyType": lead["PropertyType"] if rnd.random() < 0.9 else rnd.choice(TYPES),
        })
    return lead, comps


def listings(n: int, seed: int = 17) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    rnd = random.Random(seed)
    return [listing(i, rnd) for i in range(n)]


__all__ = ["AS_OF", "TZ", "date", "listings"]
