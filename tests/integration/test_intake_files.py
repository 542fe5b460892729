"""Real export files from tests/data/intake: each layout family, encoding, delimiter, Excel format and bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relist.errors import ImportRefused
from relist.intake.service import import_files
from relist.intake.sources import read_file
from relist.workbook.memory import MemoryWorkbook

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))


def run(*names: str, kind: str = "expired", book: MemoryWorkbook | None = None, **kw: object) -> tuple[MemoryWorkbook, object]:
    book = book or MemoryWorkbook()
    summary = import_files(book, [DATA / n for n in names], at=AT, kind=kind, **kw)  # type: ignore[arg-type]
    return book, summary


def leads(book: MemoryWorkbook) -> dict[str, dict[str, object]]:
    return {str(r["ListingId"]): r for r in book.tables["tblLeads"]}


def test_vendor_layout() -> None:
    book, s = run("vendor_redx.csv", vendor="REDX")
    assert (s.read, s.added, s.not_contactable, s.rejected) == (8, 7, 1, 0)  # type: ignore[attr-defined]
    by = leads(book)
    smith = by["T3100001"]
    assert (smith["OwnerName"], smith["OwnerName2"], smith["OwnerFirstName"]) == ("John Smith", "Mary Smith", "John")
    assert (smith["PropertyAddress"], smith["City"], smith["Absentee"]) == ("123 N Main St", "Tampa", False)
    llc = by["T3100002"]
    assert llc["EntityOwner"] is True and llc["OwnerFirstName"] is None and llc["Unit"] == "12"
    assert llc["Absentee"] is True and llc["MailingAddress"] == "PO Box 77" and llc["MailingState"] == "GA"
    assert llc["ListPrice"] == 399000.0 and llc["BathroomsTotal"] == 2.5
    assert by["T3100003"]["BestPhone"] is None  # PRIVACY
    assert by["T3100004"]["Contactable"] is False and "Withdrawn" in str(by["T3100004"]["NotContactableReason"])
    assert by["T3100007"]["EntityOwner"] is True  # "ESTATE OF ROBERT" / "JONES"
    phones = {(p["LeadId"], p["Phone"]): p for p in book.tables["tblPhones"]}
    ext = phones[(llc["LeadId"], "+18135550150")]
    assert ext["Extension"] == "12"
    dnc = phones[(smith["LeadId"], "+18135550143")]
    assert dnc["VendorDNC"] is True and dnc["Position"] == 2
    assert phones[(by["T3100006"]["LeadId"], "+18135550180")]["VendorDNC"] is True  # "DNC" in the flag column
    # row 5's first phone is the listing agent's number (also listing agent of other rows): not the owner's
    mcallister = by["T3100005"]
    assert [p["Phone"] for p in book.tables["tblPhones"] if p["LeadId"] == mcallister["LeadId"]] == ["+18135550170", "+17275550171"]
    assert "listing agent" in str(mcallister["Extra"])


def test_matrix_layout_status_codes_and_extra() -> None:
    book, s = run("matrix_mls.csv")
    assert (s.read, s.added, s.not_contactable) == (5, 2, 3)  # type: ignore[attr-defined]
    by = leads(book)
    assert by["A11000001"]["ListingStatus"] == "Expired" and by["A11000002"]["ListingStatus"] == "Canceled"
    assert {by[k]["ListingStatus"] for k in ("A11000003", "A11000004", "A11000005")} == {"Withdrawn", "Active", "Closed"}
    first = by["A11000001"]
    assert first["State"] == "FL" and first["City"] == "Miami"  # Matrix has no state column: from the ZIP
    assert first["BathroomsTotal"] == 2.5 and first["LotSizeArea"] == 6500.0 and first["CumulativeDaysOnMarket"] == 174
    assert "Pool YN=Y" in str(first["Extra"]) and "Entry Date=06/02/2026" in str(first["Extra"])


def test_reso_layout_timestamps_and_parcel() -> None:
    book, s = run("reso.csv")
    assert (s.read, s.added, s.not_contactable) == (3, 2, 1)  # type: ignore[attr-defined]
    by = leads(book)
    assert by["O6100001"]["ExpiredAt"] == datetime(2026, 11, 24, 2, 10)  # the status change moment
    assert by["O6100001"]["OwnerName2"] == "Maria Rodriguez" and by["O6100001"]["Latitude"] == 28.5412
    assert by["O6100002"]["EntityOwner"] is True
    assert by["O6100003"]["ListingStatus"] == "ActiveUnderContract"


@pytest.mark.parametrize("name", ["utf8_bom.csv", "cp1252.csv", "unicode_text.txt", "semicolon.csv", "tab.tsv"])
def test_encodings_and_delimiters_read_the_same_people(name: str) -> None:
    book, s = run(name)
    assert (s.read, s.added, s.rejected) == (3, 3, 0)  # type: ignore[attr-defined]
    names = sorted(str(r["OwnerName"]) for r in book.tables["tblLeads"])
    assert names == ["François Lefèvre", "José Núñez", "Renée Brontë"]
    assert {r["ListAgentName"] for r in book.tables["tblLeads"]} == {"Zoë D’Amato"}
    assert {r["PropertyAddress"] for r in book.tables["tblLeads"]} == {"19 Peña Ct", "20 Élan Way", "21 Ocean Dr"}


def test_sources_report_encoding_and_delimiter() -> None:
    assert (read_file(DATA / "cp1252.csv").encoding, read_file(DATA / "cp1252.csv").delimiter) == ("cp1252", ",")
    assert read_file(DATA / "utf8_bom.csv").encoding == "utf-8-sig"
    assert read_file(DATA / "unicode_text.txt").delimiter == "\t"
    assert read_file(DATA / "semicolon.csv").delimiter == ";"


def test_quoted_newlines_stay_inside_their_row() -> None:
    book, s = run("quoted_newlines.csv")
    assert (s.read, s.added) == (2, 2)  # type: ignore[attr-defined]
    by = leads(book)
    assert by["O6300001"]["Unit"] == "2" and by["O6300001"]["OwnerName"] == "John Smith"
    assert by["O6300001"]["RemarksLength"] == len('Charming bungalow.\nNew roof, "as is".\nSeller says: bring offers, call first.')
    two = [p["Phone"] for p in book.tables["tblPhones"] if p["LeadId"] == by["O6300002"]["LeadId"]]
    assert two == ["+14075550124", "+14075550125"]  # two numbers on two lines of one cell


def test_title_row_above_the_header() -> None:
    book, s = run("title_row.csv")
    assert (s.read, s.added) == (2, 2)  # type: ignore[attr-defined]
    assert book.tables["tblRejects"] == []


def test_xlsx_with_typed_cells() -> None:
    book, s = run("vendor.xlsx")
    assert (s.read, s.added, s.not_contactable, s.rejected) == (5, 4, 1, 0)  # type: ignore[attr-defined]
    by = leads(book)
    boston = by["B7100001"]
    assert boston["PostalCode"] == "02108" and boston["City"] == "Boston"  # the ZIP lost its zero in Excel
    assert boston["BestPhone"] == "+16175550140"  # a phone stored as a number
    assert boston["ExpiredAt"] == datetime(2026, 11, 24, 0, 0)  # a real date cell
    assert by["T3100001"]["ListPrice"] == 425000.0


def test_xls_made_by_libreoffice() -> None:
    book, s = run("matrix_mls.xls")
    assert (s.read, s.added, s.not_contactable) == (5, 2, 3)  # type: ignore[attr-defined]
    assert leads(book)["A11000002"]["Unit"] == "3104"


def test_bad_rows_go_to_rejects_with_row_column_value_and_reason() -> None:
    book, s = run("bad_rows.csv")
    assert (s.read, s.added, s.rejected) == (6, 2, 4)  # type: ignore[attr-defined]
    got = [(r["Row"], r["Column"], r["Value"]) for r in book.tables["tblRejects"]]
    assert got == [(3, "Expired Date", "13/45/2026"), (4, "Status", "Pending Review"), (5, "Property Address", None),
                   (7, "MLS #", None)]
    reasons = [str(r["Reason"]) for r in book.tables["tblRejects"]]
    assert "Settings > Date order" in reasons[0] and "not a listing status" in reasons[1] and "address is empty" in reasons[2]
    king = leads(book)["T3400005"]  # bad optional values are kept, not lost
    extra = str(king["Extra"])
    for kept in ("List Price=call agent", "Days on Market=ten", "Email=not-an-email", "Zip=ABCDE", "Phone 1=555-0154"):
        assert kept in extra
    assert king["BestPhone"] is None


def test_dmy_file_with_the_mdy_setting_rejects_what_cannot_be_read() -> None:
    book, s = run("dmy_dates.csv")
    assert (s.added, s.rejected) == (1, 1)  # type: ignore[attr-defined]
    book = MemoryWorkbook()
    book.replace_rows("tblSettings", [*book.tables["tblSettings"], {"Setting": "DateOrder", "Value": "DMY"}])
    book, s = run("dmy_dates.csv", book=book)
    assert (s.added, s.rejected) == (2, 0)  # type: ignore[attr-defined]
    assert leads(book)["T3500002"]["ExpiredAt"] == datetime(2026, 11, 4, 0, 0)  # 03/11 = 3 November


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "is empty"),
        ("binary.csv", "not a text or spreadsheet file"),
        ("web_page.xls", "web page"),
        ("no_address.csv", "could not place: 'Prop'."),  # 'Asking' holds prices: read as ListPrice
    ],
)
def test_unreadable_files_are_refused_with_a_reason_and_nothing_is_written(name: str, words: str) -> None:
    book = MemoryWorkbook()
    with pytest.raises(ImportRefused, match=words) as err:
        import_files(book, [DATA / name], at=AT)
    assert err.value.hint
    assert book.saved == 0 and book.tables["tblImports"] == []


def test_a_bad_file_among_good_ones_refuses_the_whole_import() -> None:
    book = MemoryWorkbook()
    with pytest.raises(ImportRefused):
        import_files(book, [DATA / "vendor_redx.csv", DATA / "no_address.csv"], at=AT)
    assert book.tables["tblLeads"] == []


def test_header_only_file_is_refused_and_records_no_import() -> None:
    with pytest.raises(ImportRefused, match="only a header row"):
        run("header_only.csv")


def test_seller_phone_columns_are_read_as_owner_phones() -> None:
    book, s = run("seller_phone.csv")
    assert s.unplaced == {"seller_phone.csv": []}  # type: ignore[attr-defined]
    assert [p["Phone"] for p in book.tables["tblPhones"]] == ["+18135550157", "+18135550158"]
    book, s = run("seller_phone.csv", mappings=["Seller Cell=Ignore"])
    assert [p["Phone"] for p in book.tables["tblPhones"]] == ["+18135550157"]


def test_active_file_relists_and_reexpiry_makes_cycle_two() -> None:
    book, _ = run("vendor_redx.csv")
    book, s = run("active.csv", kind="active", book=book)
    assert (s.read, s.relisted, s.not_contactable) == (3, 2, 1)  # type: ignore[attr-defined]
    by = leads(book)
    assert by["T3100001"]["Status"] == "Relisted" and by["T3100003"]["ListingStatus"] == "ComingSoon"
    book2 = book
    s2 = import_files(book2, [DATA / "reexpired.csv"], at=datetime(2027, 2, 21, 9, 0, tzinfo=ZoneInfo("America/New_York")))
    assert (s2.updated, s2.added) == (1, 0)
    smith = next(r for r in book2.tables["tblLeads"] if r["OwnerName"] == "John Smith")
    assert (smith["Cycle"], smith["ReExpired"], smith["Status"], smith["ListingId"]) == (2, True, "New", "T3900001")
    assert len(book2.tables["tblLeads"]) == 8


def test_comps_file() -> None:
    book, s = run("sold_comps.csv", kind="comps")
    assert (s.read, s.added, s.rejected) == (4, 2, 2)  # type: ignore[attr-defined]
    reasons = [str(r["Reason"]) for r in book.tables["tblRejects"]]
    assert any("not a sale" in r for r in reasons) and any("sale price" in r for r in reasons)
    assert [c["ClosePrice"] for c in book.tables["tblComps"]] == [570000.0, 555000.0]


def test_an_uncertain_encoding_is_refused_naming_the_candidates(tmp_path: Path) -> None:
    f = tmp_path / "sjis.csv"
    f.write_bytes("MLS #,Status,Owner Name,Property Address,City,State,Zip\n"
                  "T1,Expired,山田太郎,12 Oak St,Tampa,FL,33602\nT2,Expired,佐藤花子,14 Oak St,Tampa,FL,33602\n".encode("shift_jis"))
    book = MemoryWorkbook()
    with pytest.raises(ImportRefused) as err:
        import_files(book, [f], at=AT)
    text = err.value.one_line()
    assert "cannot tell which text encoding" in text and "cp932" in text and "CSV UTF-8" in text
    assert book.tables["tblLeads"] == []


def test_windows_1252_is_read_as_such(tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_bytes("MLS #,Status,Owner Name,Property Address,City,State,Zip\nT1,Expired,José Muñoz,12 Oak St,Tampa,FL,33602\n"
                  .encode("cp1252"))
    book = MemoryWorkbook()
    import_files(book, [f], at=AT)
    assert book.tables["tblLeads"][0]["OwnerName"] == "José Muñoz"


def test_a_guessed_encoding_never_fills_an_existing_leads_names(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("MLS #,Status,Parcel ID,Property Address,City,State,Zip\nT1,Expired,P-1,12 Oak St,Tampa,FL,33602\n",
                     encoding="utf-8")
    later = tmp_path / "b.csv"
    later.write_bytes("MLS #,Status,Owner Name,Property Address,City,State,Zip\nT1,Expired,José Muñoz,12 Oak St,Tampa,FL,33602\n"
                      .encode("cp1252"))
    book = MemoryWorkbook()
    import_files(book, [first], at=AT)
    import_files(book, [later], at=AT)
    assert book.tables["tblLeads"][0]["OwnerName"] is None  # a Windows-1252 guess is not trusted with a lead's names
    import_files(book, [tmp_path / "a.csv"], at=AT)
    utf = tmp_path / "c.csv"
    utf.write_text(later.read_bytes().decode("cp1252"), encoding="utf-8")
    import_files(book, [utf], at=AT)
    assert book.tables["tblLeads"][0]["OwnerName"] == "José Muñoz"


def test_a_cell_longer_than_excel_holds_rejects_its_row(tmp_path: Path) -> None:
    f = tmp_path / "long.csv"
    f.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip,Remarks\n"
                 f"T1,Expired,Ann Poe,12 Oak St,Tampa,FL,33602,{'x' * 40_000}\n"
                 "T2,Expired,Bo Lee,14 Oak St,Tampa,FL,33602,fine\n", encoding="utf-8")
    book = MemoryWorkbook()
    s = import_files(book, [f], at=AT)
    assert (s.read, s.added, s.rejected) == (2, 1, 1)
    assert book.tables["tblRejects"][0]["Row"] == 2 and "32,767" in book.tables["tblRejects"][0]["Reason"]
    assert book.tables["tblRejects"][0]["Column"] == "Remarks"


def test_an_xlsx_that_expands_too_far_is_refused_before_it_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from relist.intake import sources

    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<row/>" * 400_000)  # 2.4 MB that deflates to a few KB
    assert f.stat().st_size < 100_000
    monkeypatch.setattr(sources, "XLSX_MAX_BYTES", 1024 * 1024)  # the real cap is 600 MB: the same check, a smaller file
    with pytest.raises(ImportRefused) as err:
        read_file(f)
    assert "expands to 2 MB when opened" in err.value.message and "smaller pieces" in err.value.hint
