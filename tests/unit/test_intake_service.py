"""import_files on an in-memory workbook: every row in one place, nothing doubled, history kept."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relist.errors import BadInput, ImportRefused
from relist.intake.service import import_files
from relist.intake.summary import ImportSummary
from relist.workbook.memory import MemoryWorkbook

NY = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 24, 9, 0, tzinfo=NY)
HEADER = ["MLS #", "Status", "Expired Date", "Owner Name", "Property Address", "City", "State", "Zip", "Phone 1",
          "Phone 1 DNC", "Phone 2", "List Price", "Listing Agent Phone", "Parcel ID", "Lead Source"]


def row(mls: str = "T1", status: str = "Expired", expired: str = "11/23/2026", owner: str = "John Smith",
        address: str = "123 Main St", city: str = "Tampa", zip5: str = "33602", phone1: str = "(813) 555-0142",
        dnc1: str = "N", phone2: str = "", price: str = "$425,000", agent: str = "(813) 555-0101", parcel: str = "",
        source: str = "REDX") -> list[str]:
    return [mls, status, expired, owner, address, city, "FL", zip5, phone1, dnc1, phone2, price, agent, parcel, source]


def write(tmp_path: Path, name: str, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def counts(s: ImportSummary) -> tuple[int, int, int, int, int, int, int]:
    return (s.read, s.added, s.updated, s.duplicates, s.not_contactable, s.relisted, s.rejected)


def lead(book: MemoryWorkbook, lead_id: str = "L000001") -> dict[str, object]:
    return next(r for r in book.tables["tblLeads"] if r["LeadId"] == lead_id)


def test_counts_add_up_and_every_table_is_written(tmp_path: Path) -> None:
    f = write(tmp_path, "day1.csv", [
        row(), row("T2", "Withdrawn", "", "Ann Lee", "5 Oak Ave", phone1="(813) 555-0150"),
        row("T3", "Expired", "11/23/2026", "Bo Hall", ""), row("T4", "Bogus"),
    ])
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT, vendor="REDX")
    assert counts(s) == (4, 1, 0, 0, 1, 0, 2)
    assert s.placed == s.read and s.import_id == "I000001" and book.saved == 1
    assert [r["LeadId"] for r in book.tables["tblLeads"]] == ["L000001", "L000002"]
    assert book.tables["tblImports"] == [{
        "ImportId": "I000001", "At": datetime(2026, 11, 24, 9, 0), "Kind": "expired", "Files": "day1.csv",
        "Vendor": "REDX", "Read": 4, "Added": 1, "Updated": 0, "Duplicates": 0, "NotContactable": 1, "Relisted": 0,
        "Rejected": 2,
    }]
    rejects = book.tables["tblRejects"]
    assert [(r["File"], r["Row"], r["Column"]) for r in rejects] == [("day1.csv", 4, "Property Address"), ("day1.csv", 5, "Status")]
    assert rejects[1]["Value"] == "Bogus" and "not a listing status" in str(rejects[1]["Reason"])
    withdrawn = lead(book, "L000002")
    assert withdrawn["Contactable"] is False and withdrawn["Status"] == "Not contactable"
    assert "16-4" in str(withdrawn["NotContactableReason"])


def test_new_lead_fields(tmp_path: Path) -> None:
    f = write(tmp_path, "d.csv", [row(phone2="813-555-0143", dnc1="Y", parcel="12-34-5.0")])
    book = MemoryWorkbook()
    import_files(book, [f], at=AT, vendor="REDX")
    rec = lead(book)
    assert rec["OwnerFirstName"] == "John" and rec["EntityOwner"] is False
    assert rec["ExpiredAt"] == datetime(2026, 11, 24, 0, 0)  # the agreement ran to the end of 11/23
    assert rec["SequenceStart"] == date(2026, 11, 24)
    assert rec["AddressKey"] == "123 MAIN ST|33602" and rec["ParcelNumber"] == "12-34-5.0"
    assert rec["Cycle"] == 1 and rec["ReExpired"] is False and rec["Vendor"] == "REDX"
    assert rec["BestPhone"] == "+18135550143" and rec["ListPrice"] == 425000.0  # phone 1 is vendor-DNC: never BestPhone
    assert rec["Extra"] == "Lead Source=REDX" and rec["FirstImportedAt"] == datetime(2026, 11, 24, 9, 0)
    phones = book.tables["tblPhones"]
    assert [(p["PhoneId"], p["Phone"], p["VendorDNC"], p["Display"]) for p in phones] == [
        ("L000001-1", "+18135550142", True, "(813) 555-0142"), ("L000001-2", "+18135550143", False, "(813) 555-0143"),
    ]


def test_reimporting_the_same_file_adds_nothing(tmp_path: Path) -> None:
    f = write(tmp_path, "d.csv", [row(), row("T2", address="9 Elm St", phone1="(813) 555-0160")])
    book = MemoryWorkbook()
    import_files(book, [f], at=AT)
    leads, phones = [dict(r) for r in book.tables["tblLeads"]], list(book.tables["tblPhones"])
    s = import_files(book, [f], at=AT + timedelta(hours=2))
    assert counts(s) == (2, 0, 0, 2, 0, 0, 0)
    assert book.tables["tblLeads"] == leads and book.tables["tblPhones"] == phones
    assert len(book.tables["tblImports"]) == 2


def test_same_home_twice_in_one_file_is_one_lead(tmp_path: Path) -> None:
    f = write(tmp_path, "d.csv", [row(), row(address="123 MAIN STREET", phone1="", phone2="813-555-0170")])
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT)
    assert counts(s) == (2, 1, 1, 0, 0, 0, 0)
    assert [p["Phone"] for p in book.tables["tblPhones"]] == ["+18135550142", "+18135550170"]
    assert [p["Position"] for p in book.tables["tblPhones"]] == [1, 2]


def test_same_home_under_a_new_mls_number_updates_the_lead_and_keeps_history(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [row()])], at=AT)
    s = import_files(book, [write(tmp_path, "b.csv", [row("T9", address="123 Main Street", price="$415,000")])], at=AT)
    assert counts(s) == (1, 0, 1, 0, 0, 0, 0)
    rec = lead(book)
    assert rec["ListingId"] == "T9" and rec["ListPrice"] == 415000.0 and rec["Cycle"] == 1
    assert "MLS# T1 -> T9" in str(rec["Notes"])
    assert rec["PriceHistory"] == "2026-11-24:425000;2026-11-24:415000"
    assert len(book.tables["tblLeads"]) == 1


def test_match_by_parcel_then_address_then_phone(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [row(parcel="A-1"), row("T2", address="9 Elm St", phone1="(813) 555-0160")])], at=AT)
    s = import_files(book, [write(tmp_path, "b.csv", [
        row("T1", address="1 Totally Different Rd", parcel="a1"),  # parcel wins over the address
        row("T2", address="9 Elm", zip5="33602", phone1="813.555.0160"),  # same house number + phone
        row("T5", address="77 Elm St", phone1="813.555.0160"),  # same phone, another house: another lead
    ])], at=AT)
    assert counts(s) == (3, 1, 0, 2, 0, 0, 0)
    assert len(book.tables["tblLeads"]) == 3


def test_relist_then_reexpiry_is_a_new_cycle_of_the_same_lead(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [row(), row("T2", address="9 Elm St", phone1="(813) 555-0160")])], at=AT)
    book.update_rows("tblLeads", [{"LeadId": "L000001", "NextStep": 3, "NextChannel": "call", "NextDue": datetime(2026, 11, 26, 10)}])
    active = write(tmp_path, "active.csv", [["T7", "Active", "123 Main Street, Tampa, FL 33602"],
                                            ["T8", "Active", "1 Nowhere Ln, Tampa, FL 33602"]],
                   header=["ListingId", "StandardStatus", "UnparsedAddress"])
    s = import_files(book, [active], at=AT + timedelta(days=3), kind="active")
    assert counts(s) == (2, 0, 0, 0, 1, 1, 0)
    rec = lead(book)
    assert rec["Status"] == "Relisted" and rec["Contactable"] is False and rec["ListingStatus"] == "Active"
    assert rec["NextDue"] is None and rec["NextStep"] is None and "16-4" in str(rec["NotContactableReason"])
    assert rec["ListingId"] == "T1" and "Active as MLS# T7" in str(rec["Notes"])
    assert len(book.tables["tblLeads"]) == 2  # the unrelated active listing is not a lead
    # the same active file again: nothing more to do
    assert counts(import_files(book, [active], at=AT + timedelta(days=4), kind="active")) == (2, 0, 0, 1, 1, 0, 0)
    # an old expired file again: stale, not a new cycle
    assert counts(import_files(book, [write(tmp_path, "a2.csv", [row()])], at=AT + timedelta(days=5))) == (1, 0, 0, 1, 0, 0, 0)
    # months later the relisting expires too
    later = write(tmp_path, "c.csv", [row("T7", expired="02/20/2027", price="$399,000")])
    s = import_files(book, [later], at=datetime(2027, 2, 21, 9, 0, tzinfo=NY))
    assert counts(s) == (1, 0, 1, 0, 0, 0, 0)
    rec = lead(book)
    assert rec["Cycle"] == 2 and rec["ReExpired"] is True and rec["Status"] == "New" and rec["Contactable"] is True
    assert rec["ListingId"] == "T7" and rec["ExpiredAt"] == datetime(2027, 2, 21, 0, 0)
    assert rec["SequenceStart"] == date(2027, 2, 21) and "expired again, cycle 2" in str(rec["Notes"])
    assert len(book.tables["tblLeads"]) == 2


def test_a_dnc_lead_stays_dnc(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [row()])], at=AT)
    book.update_rows("tblLeads", [{"LeadId": "L000001", "Status": "DNC"}])
    import_files(book, [write(tmp_path, "w.csv", [row("T2", "Withdrawn", "")])], at=AT + timedelta(days=1))
    assert lead(book)["Status"] == "DNC" and lead(book)["Contactable"] is False
    import_files(book, [write(tmp_path, "x.csv", [row("T3", expired="03/01/2027")])], at=datetime(2027, 3, 2, tzinfo=NY))
    assert lead(book)["Status"] == "DNC" and lead(book)["Cycle"] == 2


def test_withdrawn_first_then_expired_reopens_the_same_cycle(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [row(status="Withdrawn", expired="")])], at=AT)
    s = import_files(book, [write(tmp_path, "b.csv", [row(expired="12/01/2026")])], at=datetime(2026, 12, 2, tzinfo=NY))
    assert counts(s) == (1, 0, 1, 0, 0, 0, 0)
    rec = lead(book)
    assert rec["Status"] == "New" and rec["Contactable"] is True and rec["Cycle"] == 1 and rec["ReExpired"] is False


def test_listing_agent_and_own_numbers_are_not_owner_phones(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    book.replace_rows("tblSettings", [*book.tables["tblSettings"], {"Setting": "Phone", "Value": "(813) 555-0199"}])
    f = write(tmp_path, "d.csv", [
        row(phone1="(813) 555-0101", phone2="(813) 555-0142"),  # phone 1 is this row's listing agent
        row("T2", address="9 Elm St", phone1="(813) 555-0199", agent=""),  # the agent's own caller ID
        row("T3", address="11 Elm St", phone1="(813) 555-0102", agent=""),  # an agent of a later row
        row("T4", address="13 Elm St", agent="(813) 555-0102"),
    ])
    import_files(book, [f], at=AT)
    assert [(p["LeadId"], p["Phone"], p["Position"]) for p in book.tables["tblPhones"]] == [
        ("L000001", "+18135550142", 1), ("L000004", "+18135550142", 1),
    ]
    assert "listing agent" in str(lead(book)["Extra"]) and "(813) 555-0101" in str(lead(book)["Extra"])
    assert "(813) 555-0102" in str(lead(book, "L000003")["Extra"])


def test_unmapped_columns_and_bad_optional_values_are_kept_in_extra(tmp_path: Path) -> None:
    f = write(tmp_path, "d.csv", [row(price="call agent", phone2="555-0143")])
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT)
    assert s.added == 1 and s.unplaced == {"d.csv": ["Lead Source"]}
    extra = str(lead(book)["Extra"])
    assert "Lead Source=REDX" in extra and "List Price=call agent" in extra and "Phone 2=555-0143 (not a phone number)" in extra
    assert lead(book)["ListPrice"] is None


def test_dry_run_writes_nothing_but_reports_everything(tmp_path: Path) -> None:
    f = write(tmp_path, "d.csv", [row(), row("T2", address="")])
    book = MemoryWorkbook()
    before = {k: list(v) for k, v in book.tables.items()}
    s = import_files(book, [f], at=AT, dry_run=True, mappings=["Lead Source=Ignore"], vendor="REDX")
    assert counts(s) == (2, 1, 0, 0, 0, 0, 1) and s.dry_run
    assert book.tables == before and book.saved == 0
    assert "dry run" in s.headline() and any("row 3" in line for line in s.lines())


def test_refused_layout_says_how_to_map_and_saved_mapping_is_used_next_time(tmp_path: Path) -> None:
    f = write(tmp_path, "v.csv", [["Jane Doe", "(813) 555-0150", "12 Oak St, Tampa, FL 33602"]],
              header=["Seller", "Seller Phone", "Prop"])
    book = MemoryWorkbook()
    with pytest.raises(ImportRefused) as err:
        import_files(book, [f], at=AT, vendor="Acme")
    assert "'Prop'" in err.value.message and "relist import" in err.value.hint
    assert "--map" in err.value.hint and book.saved == 0
    s = import_files(book, [f], at=AT, vendor="Acme", mappings=["Prop=UnparsedAddress", ("Seller Phone", "OwnerPhone")])
    assert s.added == 1 and lead(book)["BestPhone"] == "+18135550150"
    assert book.tables["tblMappings"] == [
        {"Vendor": "Acme", "Header": "Prop", "Field": "UnparsedAddress"},
        {"Vendor": "Acme", "Header": "Seller Phone", "Field": "OwnerPhone"},
    ]
    g = write(tmp_path, "v2.csv", [["Ann Poe", "(813) 555-0151", "14 Oak St, Tampa, FL 33602"]],
              header=["Seller", "Seller Phone", "Prop"])
    assert import_files(book, [g], at=AT, vendor="acme").added == 1  # vendor names match case-insensitively
    with pytest.raises(ImportRefused):
        import_files(book, [g], at=AT, vendor="Other")  # saved for Acme only


def test_bad_arguments(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    f = write(tmp_path, "d.csv", [row()])
    with pytest.raises(BadInput, match="--kind"):
        import_files(book, [f], at=AT, kind="sold")
    with pytest.raises(BadInput, match="not a field"):
        import_files(book, [f], at=AT, mappings=["A=Nonsense"])
    with pytest.raises(BadInput, match="No files"):
        import_files(book, [], at=AT)
    with pytest.raises(ImportRefused, match="No such file"):
        import_files(book, [tmp_path / "missing.csv"], at=AT)


def test_lead_ids_continue_after_the_largest(tmp_path: Path) -> None:
    book = MemoryWorkbook({"tblLeads": [{"LeadId": "L000041", "AddressKey": "1 X ST|33602"}], "tblImports": [{"ImportId": "I000007"}]})
    s = import_files(book, [write(tmp_path, "d.csv", [row()])], at=AT)
    assert s.import_id == "I000008" and book.tables["tblLeads"][-1]["LeadId"] == "L000042"


def test_date_order_setting_reads_day_first(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    book.replace_rows("tblSettings", [*book.tables["tblSettings"], {"Setting": "DateOrder", "Value": "DMY"}])
    import_files(book, [write(tmp_path, "d.csv", [row(expired="23/11/2026")])], at=AT)
    assert lead(book)["ExpiredAt"] == datetime(2026, 11, 24, 0, 0)


def test_sequence_starts_on_import_day_for_an_old_expiry(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "d.csv", [row(expired="11/01/2026")])], at=AT)
    assert lead(book)["SequenceStart"] == date(2026, 11, 24) and lead(book)["ExpiredAt"] == datetime(2026, 11, 2)


def test_comps_are_deduplicated_by_address_and_close_date(tmp_path: Path) -> None:
    header = ["MLS #", "St", "Address", "Zip Code", "Sale Price", "Closing Date", "SqFt LA"]
    f = write(tmp_path, "c.csv", [["A1", "CS", "1 Main St", "33125", "$500,000", "07/15/2026", "1,500"],
                                  ["A2", "CS", "1 MAIN STREET", "33125", "$500,000", "07/15/2026", "1,500"],
                                  ["A3", "X", "2 Main St", "33125", "", "", ""],
                                  ["A4", "CS", "3 Main St", "33125", "", "07/15/2026", ""]], header=header)
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT, kind="comps")
    assert counts(s) == (4, 1, 0, 1, 0, 0, 2)
    comp = book.tables["tblComps"][0]
    assert comp["CompId"] == "C000001" and comp["ClosePrice"] == 500000.0 and comp["CloseDate"] == date(2026, 7, 15)
    assert comp["City"] == "Miami" and comp["AddressKey"] == "1 MAIN ST|33125" and comp["LivingArea"] == 1500
    assert book.tables["tblLeads"] == []
    assert counts(import_files(book, [f], at=AT, kind="comps")) == (4, 0, 0, 2, 0, 0, 2)


def test_several_files_in_one_call(tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", [row()])
    b = write(tmp_path, "b.csv", [row(phone1="", phone2="(813) 555-0177"), row("T2", address="9 Elm St")])
    book = MemoryWorkbook()
    s = import_files(book, [a, b], at=AT)
    assert counts(s) == (3, 2, 1, 0, 0, 0, 0) and s.files == ["a.csv", "b.csv"]
    assert book.tables["tblImports"][0]["Files"] == "a.csv, b.csv"


def test_hours_since_expiry_and_the_summary_text(tmp_path: Path) -> None:
    from relist.intake.aliases import default_aliases
    from relist.intake.clean import Listing
    from relist.intake.match import LeadIndex
    from relist.intake.pipeline import Options, run
    from relist.intake.sources import read_file

    f = write(tmp_path, "d.csv", [row(), row("T2", address="")])
    plan = run([read_file(f)], default_aliases(), LeadIndex(), Options(at=AT, tz=NY))
    listing = plan.new_leads[0].listing
    assert isinstance(listing, Listing) and listing.hours_since_expiry(AT) == 9.0
    s = import_files(MemoryWorkbook(), [f], at=AT)
    lines = s.lines(max_rejects=1)
    assert lines[-1] == s.headline() == (
        "Read 2 rows from 1 file: 1 added, 0 updated, 0 duplicates, 0 not contactable, 0 relisted, 1 rejected (import I000001)."
    )
    assert "  d.csv row 3, column 'Property Address': The property address is empty." in lines
    assert s.to_dict(max_rejects=0)["rejects"] == [] and s.to_dict()["read"] == 2


def test_one_line_address_without_commas_matches_the_same_home(tmp_path: Path) -> None:
    header = ["MLS #", "Address"]
    book = MemoryWorkbook()
    import_files(book, [write(tmp_path, "a.csv", [["T1", "123 Main St Tampa FL 33602"]], header=header)], at=AT)
    rec = lead(book)
    assert (rec["PropertyAddress"], rec["City"], rec["State"], rec["PostalCode"]) == ("123 Main St", "Tampa", "FL", "33602")
    s = import_files(book, [write(tmp_path, "b.csv", [["T1", "123 Main Street, Tampa, FL 33602"]], header=header)], at=AT)
    assert s.duplicates == 1


def test_a_value_mapping_typed_on_the_mappings_sheet_reads_like_map_value(tmp_path: Path) -> None:
    """The Mappings sheet as the agent fills it after Map Value: Header 'COLUMN:VALUE', Field the meaning, no '='
    (Excel would take it for a formula); a Field naming a field keeps the row a column mapping."""
    f = write(tmp_path, "d.csv", [row(status="Gone"), row(mls="T2", status="gone", address="9 Elm St")])
    book = MemoryWorkbook()
    book.tables["tblMappings"] = [{"Vendor": None, "Header": "Status:Gone", "Field": "Expired"},
                                  {"Vendor": None, "Header": "Status:Lost", "Field": None}]  # not filled in yet: unused
    s = import_files(book, [f], at=AT)
    assert s.added == 2 and s.rejected == 0
    assert {r["ListingStatus"] for r in book.tables["tblLeads"]} == {"Expired"}


def test_value_mapping_rows_are_one_per_value_and_skip_what_is_saved() -> None:
    from relist.intake.service import value_mapping_rows

    new, known = value_mapping_rows([{"Vendor": None, "Header": "Status:FAIL", "Field": "=Expired"}],
                                    [("Status", "Gone"), ("Status", "GONE "), ("Status", "fail"), ("St", "Z")])
    assert [r["Header"] for r in new] == ["Status:Gone", "St:Z"] and all(r["Field"] is None and r["Vendor"] is None for r in new)
    assert known == ["Status:fail"]
