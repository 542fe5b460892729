"""Vendor DNC, status and litigator flags reach each number's row on the Phones sheet, and the queue's gate."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from relist.intake.service import import_files
from relist.workbook.memory import MemoryWorkbook

AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def write(tmp_path: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def phones(book: MemoryWorkbook) -> dict[str, tuple[bool, bool, str]]:
    return {str(p["Phone"]): (p["VendorDNC"], p["Litigator"], p["PhoneStatus"]) for p in book.tables["tblPhones"]}


def test_redx_phone_status_columns_flag_their_own_number(tmp_path: Path) -> None:
    header = ["Status", "MLS/FSBO ID", "Owner Name", "Property Address", "Property City", "Property State", "Property Zip",
              "Phone", "Phone Status", "Phone 2", "Phone 2 Status", "Phone 7", "Phone 7 Status"]
    f = write(tmp_path, "redx.csv", header, [[
        "Expired", "T5100001", "Ruth Ames", "12 Oak St", "Tampa", "FL", "33602",
        "(813) 555-0101", "DNC", "(813) 555-0102", "Litigator", "(813) 555-0107", "Wireless",
    ]])
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT)
    assert s.added == 1
    assert phones(book) == {
        "+18135550101": (True, False, "Active"), "+18135550102": (False, True, "Active"), "+18135550107": (False, False, "Active"),
    }
    kinds = {p["Phone"]: p["Kind"] for p in book.tables["tblPhones"]}
    assert kinds["+18135550107"] == "mobile"
    assert "Phone 7" not in str(book.tables["tblLeads"][0]["Extra"] or "")


def test_landvoice_owner_phone_dnc_and_a_map_onto_a_flag_take_effect(tmp_path: Path) -> None:
    header = ["MLSNumber", "Status", "OwnerName", "Property Address", "Property City", "Property State", "Property Zip",
              "OwnerPhone", "OwnerPhoneDNC", "Phone1", "DNC1", "Phone Flag"]
    f = write(tmp_path, "lv.csv", header, [[
        "T5200001", "Expired", "Olga Berg", "40 Elm St", "Tampa", "FL", "33602", "813-555-0111", "Y", "813-555-0112", "N", "Y",
    ], [
        "T5200002", "Expired", "Ian Cole", "42 Elm St", "Tampa", "FL", "33602", "813-555-0113", "N", "813-555-0114", "N", "Y",
    ]])
    book = MemoryWorkbook()
    import_files(book, [f], at=AT)
    got = phones(book)
    assert got["+18135550111"][0] is True and got["+18135550112"][0] is False and got["+18135550113"][0] is False
    book = MemoryWorkbook()
    import_files(book, [f], at=AT, mappings=["Phone Flag=OwnerPhone1DNC"], vendor="Landvoice")
    assert phones(book)["+18135550113"][0] is True  # the mapped flag now marks phone 1
    assert phones(book)["+18135550114"][0] is False
    again = import_files(MemoryWorkbook(), [f], at=AT)
    assert again.added == 2


def test_a_row_wide_litigator_column_flags_every_number(tmp_path: Path) -> None:
    header = ["Status", "First Name", "Last Name", "Property Address", "Property City", "Property State", "Property Zip",
              "Litigator", "Phone 1", "Phone 1 DNC", "Phone 1 TYPE", "Phone 2", "Phone 2 DNC", "Phone 2 TYPE"]
    f = write(tmp_path, "bl.csv", header, [
        ["Expired", "Tom", "Hale", "7 Bay Rd", "Tampa", "FL", "33602", "Yes", "8135550121", "No", "Mobile", "8135550122", "Yes", "Landline"],
        ["Expired", "Amy", "Lund", "9 Bay Rd", "Tampa", "FL", "33602", "No", "8135550123", "No", "Mobile", "", "", ""],
    ])
    book = MemoryWorkbook()
    import_files(book, [f], at=AT)
    assert phones(book) == {
        "+18135550121": (False, True, "Active"), "+18135550122": (True, True, "Active"), "+18135550123": (False, False, "Active"),
    }


def test_mailing_city_and_zip_without_a_street_are_kept_and_make_absentee(tmp_path: Path) -> None:
    header = ["Status", "Owner Name", "Property Address", "Property City", "Property State", "Property Zip",
              "Mailing City", "Mailing State", "Mailing Zip"]
    f = write(tmp_path, "m.csv", header, [
        ["FAIL", "Ann Poe", "12 Oak St", "Tampa", "FL", "33602", "Atlanta", "GA", "30301"],
        ["Expired", "Bo Lee", "14 Oak St", "Tampa", "FL", "33602", "Tampa", "FL", "33602"],
    ])
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT)
    assert s.added == 2
    by = {r["OwnerName"]: r for r in book.tables["tblLeads"]}
    assert (by["Ann Poe"]["MailingCity"], by["Ann Poe"]["MailingState"], by["Ann Poe"]["MailingPostalCode"]) == ("Atlanta", "GA", "30301")
    assert by["Ann Poe"]["Absentee"] is True and by["Bo Lee"]["Absentee"] is False
    assert by["Ann Poe"]["ListingStatus"] == "Expired"


def test_best_phone_is_never_a_flagged_number_while_a_clean_one_exists(tmp_path: Path) -> None:
    header = ["Status", "MLS/FSBO ID", "Owner Name", "Property Address", "Property City", "Property State", "Property Zip",
              "Phone", "Phone Status", "Phone 2", "Phone 2 Status", "Phone 3", "Phone 3 Status"]
    f = write(tmp_path, "redx.csv", header, [
        ["Expired", "T5300001", "Ruth Ames", "12 Oak St", "Tampa", "FL", "33602",
         "(813) 555-0131", "Litigator", "(813) 555-0132", "DNC", "(813) 555-0133", "Wireless"],
        ["Expired", "T5300002", "Ned Voss", "14 Oak St", "Tampa", "FL", "33602",
         "(813) 555-0134", "DNC", "(813) 555-0135", "Clean", "", ""],
        ["Expired", "T5300003", "Ida Lorne", "16 Oak St", "Tampa", "FL", "33602",
         "(813) 555-0136", "Litigator", "(813) 555-0137", "DNC", "", ""],
    ])
    book = MemoryWorkbook()
    import_files(book, [f], at=AT)
    best = {r["ListingId"]: r["BestPhone"] for r in book.tables["tblLeads"]}
    assert best == {"T5300001": "+18135550133", "T5300002": "+18135550135", "T5300003": None}
    assert len(book.tables["tblPhones"]) == 7  # nothing lost: the flagged numbers stay on the Phones sheet
    # a later export brings a clean number for the lead that had none: it becomes BestPhone; a flagged one never does
    g = write(tmp_path, "redx2.csv", header, [
        ["Expired", "T5300003", "Ida Lorne", "16 Oak St", "Tampa", "FL", "33602",
         "(813) 555-0138", "Litigator", "(813) 555-0139", "", "", ""],
    ])
    import_files(book, [g], at=AT)
    assert {r["ListingId"]: r["BestPhone"] for r in book.tables["tblLeads"]}["T5300003"] == "+18135550139"
