"""Loaders for the comps fixture (see README.md beside this file for the hand-worked answers)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
SOLD_CSV = HERE / "sold_33611.csv"
SUBJECT_JSON = HERE / "subject_lead.json"
SNAPSHOTS = HERE / "snapshots"

TZ = ZoneInfo("America/New_York")
AT = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
AS_OF = date(2026, 3, 10)

# RESO export header -> tblComps column: the minimal reader used when the intake service is absent.
_RESO_TO_COMPS = {
    "ListingId": "ListingId",
    "UnparsedAddress": "PropertyAddress",
    "City": "City",
    "StateOrProvince": "State",
    "PostalCode": "PostalCode",
    "ClosePrice": "ClosePrice",
    "CloseDate": "CloseDate",
    "ListPrice": "ListPrice",
    "OriginalListPrice": "OriginalListPrice",
    "LivingArea": "LivingArea",
    "BedroomsTotal": "BedroomsTotal",
    "BathroomsTotalInteger": "BathroomsTotal",
    "YearBuilt": "YearBuilt",
    "LotSizeArea": "LotSizeArea",
    "DaysOnMarket": "DaysOnMarket",
    "Latitude": "Latitude",
    "Longitude": "Longitude",
}


def lead_record(**changes: Any) -> dict[str, Any]:
    """The subject's tblLeads row, typed as the workbook port returns it."""
    rec: dict[str, Any] = json.loads(SUBJECT_JSON.read_text())
    rec["ExpiredAt"] = datetime.fromisoformat(rec["ExpiredAt"])
    rec["ListingContractDate"] = date.fromisoformat(rec["ListingContractDate"])
    rec.update(changes)
    return rec


def comp_rows(path: Path = SOLD_CSV) -> list[dict[str, Any]]:
    """tblComps rows from a RESO-headed sold-listings CSV (CompId = ListingId)."""
    rows: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for raw in csv.DictReader(fh):
            row = {col: (raw.get(h) or None) for h, col in _RESO_TO_COMPS.items()}
            row["CompId"] = raw["ListingId"]
            rows.append(row)
    return rows


def memory_book(leads: list[dict[str, Any]] | None = None, comps: list[dict[str, Any]] | None = None) -> Any:
    """A MemoryWorkbook holding the subject lead and the fixture comps."""
    from tests.identity import give_identity

    from relist.workbook.memory import MemoryWorkbook

    return give_identity(MemoryWorkbook({
        "tblLeads": leads if leads is not None else [lead_record()],
        "tblComps": comps if comps is not None else comp_rows(),
    }), save=False)


def file_book(path: Path, *, with_comps: bool = True) -> Path:
    """A real Relist .xlsx (template) holding the subject lead (and the fixture comps)."""
    from relist.workbook import open_workbook, template

    template.build(path)
    book = open_workbook(path)
    book.append_rows("tblLeads", [lead_record(), lead_record(LeadId="L-1002", PostalCode="99501", City="Anchorage", State="AK", Latitude=None, Longitude=None,
                                                              PropertyAddress="77 Nowhere Rd")])
    if with_comps:
        book.append_rows("tblComps", comp_rows())
    from tests.identity import give_identity

    give_identity(book)
    return path
