"""Write the intake test files in this folder (run: .venv/bin/python tests/data/intake/make_fixtures.py).

Small, readable exports covering each layout family (vendor, Matrix MLS, RESO), each
encoding (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16 "Unicode Text"), each delimiter,
quoted newlines, Excel .xlsx (openpyxl, typed cells) and .xls (LibreOffice converts the
.xlsx), and the bad inputs. People are invented; phones are in the fictional 555-01xx
block. The produced files are committed; tests read them, they do not regenerate them.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

VENDOR_HEADER = [
    "MLS #", "Status", "Expired Date", "Owner 1 First Name", "Owner 1 Last Name", "Owner 2 First Name",
    "Owner 2 Last Name", "Property Address", "City", "State", "Zip", "Mailing Address", "Mailing City",
    "Mailing State", "Mailing Zip", "Phone 1", "Phone 1 DNC", "Phone 2", "Phone 2 DNC", "Email", "List Price",
    "Days on Market", "Bedrooms", "Bathrooms", "Sq Ft", "Listing Agent", "Listing Agent Phone", "Lead Source",
]
# 8 rows: 6 Expired/Canceled, 1 Withdrawn (not contactable), 1 PRIVACY-only owner.
VENDOR_ROWS = [
    ["T3100001", "Expired", "11/23/2026", "JOHN", "SMITH", "MARY", "SMITH", "123 N MAIN ST", "TAMPA", "FL", "33602",
     "123 N MAIN ST", "TAMPA", "FL", "33602", "(813) 555-0142", "N", "813-555-0143", "Y", "jsmith@example.com",
     "$425,000", "94", "3", "2", "1,850", "Pat Rivera", "(813) 555-0101", "REDX"],
    ["T3100002", "Expired", "11/23/2026", "", "SUNRISE HOLDINGS LLC", "", "", "4501 SW 5TH AVE UNIT 12", "TAMPA", "FL",
     "33611", "PO BOX 77", "ATLANTA", "GA", "30301", "813.555.0150 x12", "N", "", "", "", "399K", "120", "2", "2.5",
     "1,240", "Pat Rivera", "(813) 555-0101", "REDX"],
    ["T3100003", "Canceled", "11/22/2026", "Ana", "Garcia-Lopez", "", "", "77 Palmetto Way", "Brandon", "FL", "33511",
     "9 Harbor Rd", "Sarasota", "FL", "34236", "PRIVACY", "", "", "", "", "$510,000", "61", "4", "3", "2,410",
     "Lee Chen", "(813) 555-0102", "REDX"],
    ["T3100004", "Withdrawn", "", "PETER", "O'NEIL", "", "", "8 CYPRESS CT", "TAMPA", "FL", "33603", "", "", "", "",
     "(813) 555-0160", "N", "", "", "", "$289,900", "33", "3", "1", "1,100", "Lee Chen", "(813) 555-0102", "REDX"],
    ["T3100005", "Expired", "11/23/2026", "LINDA", "MCALLISTER", "", "", "15 Heron Ln", "Riverview", "FL", "33569",
     "15 Heron Lane", "Riverview", "FL", "33569", "(813) 555-0102", "N", "(813) 555-0170; (727) 555-0171", "N", "",
     "$350,000", "180", "3", "2", "1,640", "Lee Chen", "(813) 555-0102", "REDX"],
    ["T3100006", "Expired", "11/21/2026", "Omar", "Haddad", "Grace", "Kim", "2020 Bayshore Blvd Apt 1502", "Tampa",
     "FL", "33606", "2020 Bayshore Blvd #1502", "Tampa", "FL", "33606", "813 555 0180", "DNC", "", "", "", "1.2M",
     "210", "2", "2", "1,480", "Sam Ortiz", "(813) 555-0103", "REDX"],
    ["T3100007", "Expired", "11/23/2026", "ESTATE OF ROBERT", "JONES", "", "", "301 Mockingbird Dr", "Lakeland", "FL",
     "33801", "", "", "", "", "(863) 555-0190", "N", "(863) 555-0191", "N", "", "$215,000", "75", "3", "2", "1,300",
     "Sam Ortiz", "(813) 555-0103", "REDX"],
    ["T3100008", "Expired", "11/23/2026", "Wei", "Nguyen", "", "", "42 Orchard Pl", "Tampa", "FL", "33604", "", "",
     "", "", "", "", "", "", "", "$260,000", "88", "2", "1", "980", "Sam Ortiz", "(813) 555-0103", "REDX"],
]

MATRIX_HEADER = [
    "MLS # Link", "St", "Property Type", "Address", "City Name", "Zip Code", "Entry Date", "Original List Price",
    "List Price", "Sale Price", "Closing Date", "CDOM (Days on Market)", "DOM", "Pending Date", "#Beds", "#FBaths",
    "#HBaths", "SqFt LA", "Type of Property", "Year Built", "#Garage Spaces", "Pool YN", "Waterfront Property (Y/N)",
    "Lot SqFt", "Association Fee", "Assoc Fee Paid Per", "Expiration Date",
]
MATRIX_ROWS = [
    ["A11000001", "X", "Residential", "1450 NW 7th St", "Miami", "33125", "06/02/2026", "$615,000", "$579,000", "", "",
     "174", "174", "", "3", "2", "1", "1,720", "Single Family Residence", "1956", "1", "Y", "N", "6,500", "", "", "11/23/2026"],
    ["A11000002", "C", "Residential", "200 Biscayne Blvd Way #3104", "Miami", "33131", "08/15/2026", "$899,000", "$849,000",
     "", "", "99", "99", "", "2", "2", "0", "1,310", "Condominium", "2008", "1", "N", "Y", "", "$1,150", "Monthly", "11/22/2026"],
    ["A11000003", "W", "Residential", "9 Coral Way", "Miami", "33145", "09/01/2026", "$499,000", "$499,000", "", "", "80",
     "80", "", "3", "2", "0", "1,500", "Single Family Residence", "1948", "0", "N", "N", "5,000", "", "", ""],
    ["A11000004", "A", "Residential", "77 Flagler St", "Miami", "33130", "11/01/2026", "$350,000", "$350,000", "", "",
     "23", "23", "", "1", "1", "0", "800", "Condominium", "1999", "0", "N", "N", "", "$600", "Monthly", ""],
    ["A11000005", "CS", "Residential", "5 Brickell Key Dr", "Miami", "33131", "05/01/2026", "$1,200,000", "$1,150,000",
     "$1,100,000", "10/30/2026", "150", "150", "09/20/2026", "3", "3", "1", "2,100", "Condominium", "2001", "2", "Y", "Y",
     "", "$1,900", "Monthly", ""],
]

RESO_HEADER = [
    "ListingId", "StandardStatus", "StatusChangeTimestamp", "ExpirationDate", "UnparsedAddress", "ParcelNumber",
    "OwnerName", "OwnerPhone", "ListPrice", "OriginalListPrice", "DaysOnMarket", "ListingContractDate",
    "BedroomsTotal", "BathroomsTotalInteger", "LivingArea", "YearBuilt", "Latitude", "Longitude", "ListAgentFullName",
    "ListAgentDirectPhone", "PhotosCount", "PublicRemarks",
]
RESO_ROWS = [
    ["O6100001", "Expired", "2026-11-24T02:10:00-05:00", "2026-11-23", "850 Lake Ave, Orlando, FL 32801", "28-22-29-0000-00-001",
     "Carlos & Maria Rodriguez", "407-555-0120; 407-555-0121 (cell)", "475000", "499000", "142", "2026-07-04", "4", "3",
     "2210", "1988", "28.5412", "-81.3790", "Dana Brooks", "407-555-0104", "24", "Pool home near the lake."],
    ["O6100002", "Canceled", "2026-11-23T16:45:00-05:00", "", "12 Magnolia Ct, Winter Park, FL 32789",
     "28-22-29-0000-00-002", "Harborview Federal Savings", "", "389000", "389000", "64", "2026-09-20", "3", "2", "1650",
     "1974", "28.5990", "-81.3392", "Dana Brooks", "407-555-0104", "6", ""],
    ["O6100003", "ActiveUnderContract", "2026-11-20T10:00:00-05:00", "", "3 Aspen Rd, Orlando, FL 32803",
     "28-22-29-0000-00-003", "Brian Hall", "407-555-0122", "330000", "330000", "12", "2026-11-08", "3", "2", "1400",
     "1965", "28.5560", "-81.3500", "Jo Park", "407-555-0105", "18", "Under contract."],
]


def _write_csv(name: str, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
               delimiter: str = ",", bom: bool = False) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path = HERE / name
    path.write_bytes(data)
    return path


def _xlsx(name: str, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Expired Listings"
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = HERE / name
    wb.save(path)
    # Fixed zip timestamps and core properties keep the committed file stable between runs.
    _stabilise(path)
    return path


def _stabilise(path: Path) -> None:
    import zipfile

    src = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>",
                              lambda m: m.group(0).split(b">")[0] + b">2026-01-01T00:00:00Z</dcterms:" + m.group(1) + b">", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    path.write_bytes(out.getvalue())


def _soffice_xls(src: Path, name: str) -> Path | None:
    exe = shutil.which("soffice")
    if exe is None:
        print("soffice not found: matrix_mls.xls not regenerated", file=sys.stderr)
        return None
    profile = Path(tempfile.gettempdir()) / f"lo-relist-fixtures-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "xls",
                 "--outdir", tmp, str(src)],
                check=True, capture_output=True, timeout=180,
            )
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        out = HERE / name
        shutil.copyfile(Path(tmp) / (src.stem + ".xls"), out)
    return out


def main() -> None:
    # layout families
    _write_csv("vendor_redx.csv", VENDOR_HEADER, VENDOR_ROWS)
    _write_csv("matrix_mls.csv", MATRIX_HEADER, MATRIX_ROWS)
    _write_csv("reso.csv", RESO_HEADER, RESO_ROWS)

    # encodings and delimiters (same three people each time, with accents and curly quotes)
    accented = [
        ["T3200001", "Expired", "11/23/2026", "José", "Núñez", "", "", "19 Peña Ct", "Tampa", "FL", "33602", "", "", "", "",
         "(813) 555-0130", "N", "", "", "", "$310,000", "40", "3", "2", "1,400", "Zoë D’Amato", "(813) 555-0106", "Vulcan7"],
        ["T3200002", "Expired", "11/23/2026", "Renée", "Brontë", "", "", "20 Élan Way", "Tampa", "FL", "33603", "", "", "",
         "", "(813) 555-0131", "N", "", "", "", "$320,000", "41", "3", "2", "1,420", "Zoë D’Amato", "(813) 555-0106", "Vulcan7"],
        ["T3200003", "Canceled", "11/22/2026", "François", "Lefèvre", "", "", "21 Ocean Dr", "Tampa", "FL", "33604", "",
         "", "", "", "(813) 555-0132", "N", "", "", "", "$330,000", "42", "3", "2", "1,440", "Zoë D’Amato", "(813) 555-0106", "Vulcan7"],
    ]
    _write_csv("utf8_bom.csv", VENDOR_HEADER, accented, bom=True)
    _write_csv("cp1252.csv", VENDOR_HEADER, accented, encoding="cp1252")
    _write_csv("unicode_text.txt", VENDOR_HEADER, accented, encoding="utf-16", delimiter="\t")
    _write_csv("semicolon.csv", VENDOR_HEADER, accented, delimiter=";")
    _write_csv("tab.tsv", VENDOR_HEADER, accented, delimiter="\t")

    # quoted newlines and commas inside fields
    _write_csv("quoted_newlines.csv", RESO_HEADER, [
        ["O6300001", "Expired", "2026-11-24T01:00:00-05:00", "2026-11-23", "5 Juniper St, Apt 2, Orlando, FL 32804",
         "28-22-29-0000-00-010", "Smith, John and Mary", "407-555-0123", "285000", "299000", "77", "2026-09-01", "2", "1",
         "1000", "1979", "", "", "Dana Brooks", "407-555-0104", "11",
         "Charming bungalow.\nNew roof, \"as is\".\nSeller says: bring offers, call first."],
        ["O6300002", "Expired", "2026-11-24T01:00:00-05:00", "2026-11-23", "6 Juniper St, Orlando, FL 32804",
         "28-22-29-0000-00-011", "Alvarez Family Trust", "407-555-0124\n407-555-0125", "300000", "300000", "70",
         "2026-09-10", "3", "2", "1300", "1981", "", "", "Dana Brooks", "407-555-0104", "9", "Two lines,\nstill one row."],
    ])

    # a title row above the header, as some MLS exports have
    title = io.StringIO(newline="")
    w = csv.writer(title, lineterminator="\r\n")
    w.writerow(["Expired listings - search run 11/24/2026 07:30"])
    w.writerow([])
    w.writerow(MATRIX_HEADER)
    w.writerows(MATRIX_ROWS[:2])
    (HERE / "title_row.csv").write_text(title.getvalue(), encoding="utf-8", newline="")

    # Excel: typed cells like Excel writes them (dates, numbers; a ZIP that lost its leading zero)
    xrows: list[list[object]] = []
    for r in VENDOR_ROWS[:4]:
        row: list[object] = list(r)
        row[2] = datetime.strptime(r[2], "%m/%d/%Y") if r[2] else None
        row[15] = int("".join(ch for ch in r[15] if ch.isdigit())) if r[15][:1] == "(" else r[15]
        row[20] = float(r[20].replace("$", "").replace(",", "").replace("K", "000")) if r[20] else None
        row[24] = int(r[24].replace(",", ""))
        xrows.append(row)
    boston: list[object] = ["B7100001", "Expired", datetime(2026, 11, 23), "Sofia", "Baker", "", "", "14 Beacon St",
                            "Boston", "MA", 2108, "", "", "", "", 6175550140, "N", "", "", "", 899000.0, 55, 2, 2, 1150,
                            "Kai Young", "(617) 555-0107", "Landvoice"]
    xrows.append(boston)
    _xlsx("vendor.xlsx", VENDOR_HEADER, xrows)
    matrix_xlsx = _xlsx("matrix_for_xls.xlsx", MATRIX_HEADER, [list(r) for r in MATRIX_ROWS])
    _soffice_xls(matrix_xlsx, "matrix_mls.xls")
    matrix_xlsx.unlink()

    # active listings (two of the vendor homes relisted with new MLS numbers) and sold comps
    _write_csv("active.csv", ["ListingId", "StandardStatus", "UnparsedAddress", "ListPrice", "ListAgentFullName"], [
        ["T3900001", "Active", "123 North Main Street, Tampa, FL 33602", "415000", "Jordan Bell"],
        ["T3900002", "ComingSoon", "77 Palmetto Way, Brandon, FL 33511", "499000", "Jordan Bell"],
        ["T3900003", "Active", "999 Nowhere Ln, Tampa, FL 33602", "199000", "Jordan Bell"],
    ])
    _write_csv("reexpired.csv", VENDOR_HEADER, [
        ["T3900001", "Expired", "02/20/2027", "JOHN", "SMITH", "MARY", "SMITH", "123 N MAIN ST", "TAMPA", "FL", "33602",
         "", "", "", "", "(813) 555-0142", "N", "(813) 555-0144", "N", "", "$399,000", "85", "3", "2", "1,850",
         "Jordan Bell", "(813) 555-0108", "REDX"],
    ])
    _write_csv("sold_comps.csv", MATRIX_HEADER, [
        ["A11900001", "CS", "Residential", "1500 NW 7th St", "Miami", "33125", "03/01/2026", "$600,000", "$585,000",
         "$570,000", "07/15/2026", "90", "90", "06/10/2026", "3", "2", "0", "1,690", "Single Family Residence", "1955",
         "1", "N", "N", "6,200", "", "", ""],
        ["A11900002", "CS", "Residential", "1610 NW 8th St", "Miami", "33125", "04/01/2026", "$560,000", "$560,000",
         "$555,000", "08/01/2026", "60", "60", "07/01/2026", "3", "2", "1", "1,750", "Single Family Residence", "1960",
         "1", "Y", "N", "6,000", "", "", ""],
        ["A11900003", "A", "Residential", "1700 NW 9th St", "Miami", "33125", "10/01/2026", "$640,000", "$640,000", "",
         "", "50", "50", "", "4", "2", "0", "1,900", "Single Family Residence", "1962", "1", "N", "N", "6,600", "", "", ""],
        ["A11900004", "CS", "Residential", "1800 NW 10th St", "Miami", "33125", "02/01/2026", "$500,000", "$500,000",
         "", "06/01/2026", "70", "70", "", "2", "1", "0", "1,200", "Single Family Residence", "1950", "0", "N", "N",
         "5,000", "", "", ""],
    ])

    # bad inputs
    _write_csv("no_address.csv", ["Seller", "Seller Phone", "Prop", "Asking"], [
        ["Jane Doe", "(813) 555-0150", "12 Oak St Tampa", "$300,000"],
    ])
    (HERE / "empty.csv").write_bytes(b"")
    _write_csv("header_only.csv", VENDOR_HEADER, [])
    (HERE / "binary.csv").write_bytes(b"PK\x00\x00garbage\x00\x01\x02" * 20)
    (HERE / "web_page.xls").write_text(
        "<html><body><table><tr><td>MLS #</td><td>Address</td></tr></table></body></html>\n", encoding="utf-8"
    )
    _write_csv("bad_rows.csv", VENDOR_HEADER, [
        VENDOR_ROWS[0],
        ["T3400002", "Expired", "13/45/2026", "Bea", "Hall", "", "", "1 Elm St", "Tampa", "FL", "33602", "", "", "", "",
         "(813) 555-0151", "N", "", "", "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
        ["T3400003", "Pending Review", "11/23/2026", "Cy", "Hill", "", "", "2 Elm St", "Tampa", "FL", "33602", "", "", "",
         "", "(813) 555-0152", "N", "", "", "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
        ["T3400004", "Expired", "11/23/2026", "Di", "Lee", "", "", "", "Tampa", "FL", "33602", "", "", "", "",
         "(813) 555-0153", "N", "", "", "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
        ["T3400005", "Expired", "11/23/2026", "Ed", "King", "", "", "4 Elm St", "Tampa", "FL", "ABCDE", "", "", "", "",
         "555-0154", "N", "call after 5", "N", "not-an-email", "call agent", "ten", "3", "2", "1,200", "Lee Chen",
         "(813) 555-0102", "REDX"],
        ["", "Expired", "11/23/2026", "", "", "", "", "5 Elm St", "Tampa", "FL", "33602", "", "", "", "", "", "", "", "",
         "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
    ])
    _write_csv("dmy_dates.csv", VENDOR_HEADER, [
        ["T3500001", "Expired", "23/11/2026", "Ian", "Moore", "", "", "6 Elm St", "Tampa", "FL", "33602", "", "", "", "",
         "(813) 555-0155", "N", "", "", "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
        ["T3500002", "Expired", "03/11/2026", "Jo", "Moore", "", "", "7 Elm St", "Tampa", "FL", "33602", "", "", "", "",
         "(813) 555-0156", "N", "", "", "", "$300,000", "10", "3", "2", "1,200", "Lee Chen", "(813) 555-0102", "REDX"],
    ])
    _write_csv("seller_phone.csv", ["MLS #", "Status", "Property Address", "Seller", "Seller Phone", "Seller Cell"], [
        ["T3600001", "Expired", "31 Willow St, Tampa, FL 33602", "Nancy Young", "(813) 555-0157", "(813) 555-0158"],
    ])
    print(f"wrote the intake fixtures in {HERE}")


if __name__ == "__main__":
    main()
