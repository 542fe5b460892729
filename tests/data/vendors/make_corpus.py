"""Writes the vendor corpus: one export per layout Relist recognises, and the leads each must give.

Headers are as each preset's sources document them (lib/relist/data/vendors/*.toml; see README.md
here); people are fictional, phones are in the 555-0100..0199 block. Run from the repository
root: `python tests/data/vendors/make_corpus.py` (the files are committed; a test checks they
are current).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# (file, header, rows, expected leads in row order). An expected lead lists the lead columns that
# must hold exactly these values, and "phones": [number, VendorDNC, Litigator, PhoneStatus] in order.
Lead = dict[str, Any]
LAYOUTS: list[tuple[str, list[str], list[list[str]], list[Lead]]] = []


def layout(file: str, header: list[str], rows: list[list[str]], leads: list[Lead]) -> None:
    assert all(len(r) == len(header) for r in rows), file
    LAYOUTS.append((file, header, rows, leads))


def p(n: int, dnc: bool = False, lit: bool = False, status: str = "Active") -> list[Any]:
    return [f"+1813555{n:04d}", dnc, lit, status]


# ---- REDX (Vortex expired): the contact's Address/City/State/Zip before the property's; Phone N Status
redx_h = ["MLS/FSBO ID", "Status", "Status Date", "List Price", "Name", "Address", "City", "State", "Zip",
          "Property Address", "Property City", "Property State", "Property Zip", "Phone", "Phone Status",
          "Phone 2", "Phone 2 Status", "Phone 3", "Phone 3 Status", "Phone 4", "Phone 4 Status", "Phone 5",
          "Phone 5 Status", "Phone 6", "Phone 6 Status", "Phone 7", "Phone 7 Status", "Email", "Lead Source"]
layout("redx_vortex.csv", redx_h, [
    ["T7100001", "Expired", "2026-11-23", "$412,000", "Dana Whitfield", "88 Court St", "Brooklyn", "NY", "11201",
     "4410 W Bay Ave", "Tampa", "FL", "33611", "(813) 555-0110", "DNC", "(813) 555-0111", "Litigator", "", "", "", "",
     "", "", "", "", "(813) 555-0117", "Wireless", "dana@example.com", "Vortex"],
    ["T7100002", "Expired", "2026-11-23", "$289,900", "Luis Ortega", "19 Palm Dr", "Tampa", "FL", "33611",
     "19 Palm Dr", "Tampa", "FL", "33611", "813.555.0112", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "Vortex"],
], [
    {"ListingId": "T7100001", "OwnerName": "Dana Whitfield", "PropertyAddress": "4410 W Bay Ave", "City": "Tampa",
     "PostalCode": "33611", "ListPrice": 412000.0, "MailingAddress": "88 Court St", "MailingCity": "Brooklyn",
     "MailingPostalCode": "11201", "Absentee": True, "phones": [p(110, dnc=True), p(111, lit=True), p(117)]},
    {"ListingId": "T7100002", "OwnerName": "Luis Ortega", "PropertyAddress": "19 Palm Dr", "PostalCode": "33611",
     "ListPrice": 289900.0, "Absentee": False, "phones": [p(112)]},
])

# ---- Vulcan7
v7_h = ["MLS #", "Lead Type", "Expired Date", "List Price", "Owner First Name", "Owner Last Name", "Property Address",
        "Property City", "Property State", "Property Zip", "Mailing Address", "Mailing City", "Mailing State", "Mailing Zip",
        "Phone 1", "Phone 1 DNC", "Phone 2", "Phone 2 DNC", "Phone 3", "Phone 3 DNC", "Email 1"]
layout("vulcan7.csv", v7_h, [
    ["T7200001", "Expired", "11/23/2026", "350000", "Grace", "Holloway", "2207 E Ida St", "Tampa", "FL", "33605",
     "PO Box 4412", "Valrico", "FL", "33595", "813-555-0120", "N", "813-555-0121", "Y", "", "", "grace@example.com"],
    ["T7200002", "Withdrawn", "11/22/2026", "410000", "Omar", "Price", "3007 N Ola Ave", "Tampa", "FL", "33603",
     "", "", "", "", "813-555-0122", "N", "", "", "", "", ""],
], [
    {"ListingId": "T7200001", "OwnerFirstName": "Grace", "OwnerLastName": "Holloway", "OwnerName": "Grace Holloway",
     "PropertyAddress": "2207 E Ida St", "PostalCode": "33605", "MailingAddress": "PO Box 4412", "Absentee": True,
     "ListPrice": 350000.0, "Contactable": True, "phones": [p(120), p(121, dnc=True)]},
    {"ListingId": "T7200002", "Contactable": False, "ListingStatus": "Withdrawn", "phones": [p(122)]},
])

# ---- Landvoice expired (OwnerPhone + OwnerPhoneDNC, Phone1..4 + DNC1..4, PropertyStreet/OwnerStreet)
lv_h = ["LandvoiceID", "Date", "MLSNumber", "Status", "OwnerOccupied", "OwnerStreet", "OwnerCity", "OwnerState",
        "OwnerZip", "OwnerName", "OwnerFirstName", "OwnerMiddleName", "OwnerLastName", "OwnerPhone", "OwnerPhoneDNC",
        "OwnerEmail", "MlsOwnerInfo", "MlsOwnerPhone", "PropertyStreet", "PropertyHouseNumber", "PropertyStreetName",
        "PropertyUnitNumber", "PropertyCity", "PropertyState", "PropertyZip", "Price", "Type", "Bedrooms", "Bathrooms",
        "SquareFeet", "YearBuilt", "Acreage", "OwnerAgent", "Relisted", "Remarks", "DOM", "StatusDate", "ListAgent",
        "ListAgentPhone", "ListOffice", "TaxId", "OwnerHouseNumber", "OwnerStreetName", "Contact1", "Contact1FirstName",
        "Contact1MiddleName", "Contact1LastName", "Phone1", "DNC1", "Phone2", "DNC2", "Notes", "Tags"]
layout("landvoice_expired.csv", lv_h, [
    ["LV-90001", "11/23/2026", "T7300001", "Expired", "No", "77 Harbor Way", "Sarasota", "FL", "34236", "Mei Tanaka",
     "Mei", "", "Tanaka", "(813) 555-0130", "Y", "mei@example.com", "Tanaka", "", "905 S Rome Ave", "905",
     "S Rome Ave", "", "Tampa", "FL", "33606", "525000", "Single Family", "4", "3", "2400", "1998", "0.2", "No", "No",
     "", "120", "11/23/2026", "Kim Baxter", "(813) 555-0190", "Bay Realty", "A-1234-0001", "77", "Harbor Way",
     "Ken Tanaka", "Ken", "", "Tanaka", "(813) 555-0131", "N", "(813) 555-0132", "Y", "", ""],
], [
    {"ListingId": "T7300001", "OwnerName": "Mei Tanaka", "PropertyAddress": "905 S Rome Ave", "City": "Tampa",
     "PostalCode": "33606", "ListPrice": 525000.0, "ParcelNumber": "A-1234-0001", "MailingAddress": "77 Harbor Way",
     "MailingCity": "Sarasota", "Absentee": True, "ListAgentName": "Kim Baxter",
     "phones": [p(130, dnc=True), p(131), p(132, dnc=True)]},
])

# ---- Landvoice skip-traced / custom upload: contact Address..Zip first, then Property Address, City, State, Postal Code
lvs_h = ["Address", "City", "State", "Zip", "First Name", "Last Name", "Primary Phone", "Secondary Phone", "Email", "Price",
         "Beds", "Baths", "Square Footage", "Parcel Number", "Lot Size", "Property Address", "City", "State", "Postal Code",
         "LandvoiceContact1FirstName", "LandvoiceContact1LastName", "LandvoiceContact1Phone", "LandvoiceContact1DNC",
         "LandvoiceContact2FirstName", "LandvoiceContact2LastName", "LandvoiceContact2Phone", "LandvoiceContact2DNC",
         "LandvoiceOwnerFirstName", "LandvoiceOwnerLastName", "LandvoiceOwnerStreet", "LandvoiceOwnerCity",
         "LandvoiceOwnerState", "LandvoiceOwnerZip", "LandvoiceOwnerEmail", "LandvoiceNotes", "LandvoiceTags"]
layout("landvoice_skiptraced.csv", lvs_h, [
    ["500 Lake Shore Dr", "Chicago", "IL", "60611", "Ruth", "Brennan", "(813) 555-0140", "", "ruth@example.com", "615000",
     "3", "2", "1900", "B-555-0140", "0.15", "1212 W Swann Ave", "Tampa", "FL", "33606", "Sean", "Brennan",
     "(813) 555-0141", "DNC", "Ava", "Brennan", "(813) 555-0142", "", "Ruth", "Brennan", "500 Lake Shore Dr", "Chicago",
     "IL", "60611", "ruth@example.com", "", ""],
], [
    {"OwnerFirstName": "Ruth", "OwnerLastName": "Brennan", "PropertyAddress": "1212 W Swann Ave", "City": "Tampa",
     "PostalCode": "33606", "ListPrice": 615000.0, "ParcelNumber": "B-555-0140", "MailingAddress": "500 Lake Shore Dr",
     "MailingCity": "Chicago", "MailingPostalCode": "60611", "Absentee": True,
     "phones": [p(140), p(141, dnc=True), p(142)]},
])

# ---- Espresso Agent
esp_h = ["MLS Number", "Status", "Expired Date", "List Price", "Owner Name", "Property Address", "City", "State", "Zip",
         "Mailing Address", "Mailing City", "Mailing State", "Mailing Zip", "Phone 1", "Phone 1 DNC", "Phone 2",
         "Phone 2 DNC", "Email 1"]
layout("espresso_agent.csv", esp_h, [
    ["T7400001", "Expired", "11/23/2026", "$305,000", "Harold Kim", "3100 W Azeele St", "Tampa", "FL", "33609",
     "3100 W Azeele St", "Tampa", "FL", "33609", "813-555-0150", "No", "813-555-0151", "Yes", "hk@example.com"],
], [
    {"ListingId": "T7400001", "OwnerName": "Harold Kim", "PropertyAddress": "3100 W Azeele St", "PostalCode": "33609",
     "Absentee": False, "ListPrice": 305000.0, "phones": [p(150), p(151, dnc=True)]},
])

# ---- Mojo (the importer layout quoted in market.md)
mojo_h = ["DNC", "Phone 1", "Phone 2", "List Type", "First Name", "Last Name", "Property Address", "City", "State", "Zip",
          "Email", "Asking Price", "Bedrooms", "Bathrooms", "Sq Ft", "List Date"]
layout("mojo.csv", mojo_h, [
    ["Y", "813-555-0160", "813-555-0161", "Expired", "Nora", "Quinn", "611 E Frances Ave", "Tampa", "FL", "33602",
     "nora@example.com", "$275,000", "3", "2", "1400", "2026-05-01"],
    ["N", "813-555-0162", "", "Expired", "Paul", "Reyes", "615 E Frances Ave", "Tampa", "FL", "33602", "", "$281,000",
     "3", "2", "1450", "2026-05-03"],
], [
    {"OwnerName": "Nora Quinn", "PropertyAddress": "611 E Frances Ave", "ListPrice": 275000.0,
     "phones": [p(160, dnc=True), p(161, dnc=True)]},
    {"OwnerName": "Paul Reyes", "PropertyAddress": "615 E Frances Ave", "phones": [p(162)]},
])

# ---- BatchLeads (documented column list; a row-wide Litigator, Phone N / DNC / TYPE, Mls Listing Amount)
bl_h = ["Lead Status", "First Name", "Last Name", "Mailing Address", "Mailing City", "Mailing State", "Mailing Zip",
        "Property City", "Property State", "Property Address", "Property Zip", "Owner 2 First Name", "Owner 2 Last Name",
        "Email", "Litigator", "Opt-Out", "Apn", "Mls Status", "Batchrank Score Category", "Pushed to BatchDialer",
        "Mls Listing Date", "Mls Listing Amount", "Mls Listing Agent Fullname", "Mls Agent Primary Phone",
        "Phone 1", "Phone 1 DNC", "Phone 1 TYPE", "Phone 2", "Phone 2 DNC", "Phone 2 TYPE", "Phone 3", "Phone 3 DNC",
        "Phone 3 TYPE", "List"]
layout("batchleads.csv", bl_h, [
    ["new", "Victor", "Lane", "9 Elm Ct", "Atlanta", "GA", "30303", "Tampa", "FL", "4102 N Florida Ave", "33603",
     "", "", "vl@example.com", "Yes", "No", "A-777-0170", "Fail", "A", "No", "2026-05-10", "$399,000", "Jo Agent",
     "(813) 555-0199", "8135550170", "No", "Mobile", "8135550171", "Yes", "Landline", "", "", "", "Expireds"],
    ["new", "Wendy", "Moss", "4106 N Florida Ave", "Tampa", "FL", "33603", "Tampa", "FL", "4106 N Florida Ave", "33603",
     "Alan", "Moss", "", "No", "No", "A-777-0172", "Expired", "B", "No", "2026-05-11", "$402,000", "Jo Agent",
     "(813) 555-0199", "8135550172", "No", "Mobile", "", "", "", "", "", "", "Expireds"],
], [
    {"OwnerFirstName": "Victor", "OwnerLastName": "Lane", "PropertyAddress": "4102 N Florida Ave", "PostalCode": "33603",
     "ListPrice": 399000.0, "ParcelNumber": "A-777-0170", "ListingStatus": "Expired", "Contactable": True,
     "MailingCity": "Atlanta", "Absentee": True,
     "phones": [p(170, lit=True) , p(171, dnc=True, lit=True)]},
    {"OwnerName": "Wendy Moss", "OwnerName2": "Alan Moss", "Absentee": False, "phones": [p(172)]},
])

# ---- PropStream
ps_h = ["Address", "City", "State", "Zip", "County", "APN", "Owner 1 First Name", "Owner 1 Last Name",
        "Owner 2 First Name", "Owner 2 Last Name", "Mailing Care of Name", "Mailing Address", "Mailing Unit #",
        "Mailing City", "Mailing State", "Mailing Zip", "MLS Status", "MLS Date", "MLS Amount", "Litigator",
        "Phone 1", "Phone 1 Type", "Phone 2", "Phone 2 Type"]
layout("propstream.csv", ps_h, [
    ["2910 W Morrison Ave", "Tampa", "FL", "33629", "Hillsborough", "P-880-0180", "Iris", "Navarro", "", "", "",
     "2910 W Morrison Ave", "", "Tampa", "FL", "33629", "Expired", "2026-11-23", "$725,000", "No",
     "(813) 555-0180", "Wireless", "(813) 555-0181", "Landline"],
    ["2914 W Morrison Ave", "Tampa", "FL", "33629", "Hillsborough", "P-880-0182", "Jack", "Olsen", "", "", "",
     "PO Box 12", "", "Tampa", "FL", "33601", "Active", "2026-11-20", "$739,000", "Yes", "(813) 555-0182", "Wireless",
     "", ""],
], [
    {"OwnerName": "Iris Navarro", "PropertyAddress": "2910 W Morrison Ave", "PostalCode": "33629", "ListPrice": 725000.0,
     "ParcelNumber": "P-880-0180", "Contactable": True, "phones": [p(180), p(181)]},
    {"OwnerName": "Jack Olsen", "Contactable": False, "ListingStatus": "Active", "phones": [p(182, lit=True)]},
])

# ---- DealMachine (snake_case; contacts are not owners)
dm_h = ["property_id", "lead_id", "lead_status", "property_address_full", "property_address_line_1",
        "property_address_line_2", "property_address_city", "property_address_state", "property_address_zipcode",
        "owner_1_name", "owner_1_firstname", "owner_1_lastname", "owner_2_name", "owner_address_line_1",
        "owner_address_city", "owner_address_state", "owner_address_zip", "contact_1_name", "contact_1_flags",
        "contact_1_phone1", "contact_1_phone1_type", "contact_1_phone2", "contact_1_phone2_type", "contact_1_email1",
        "contact_2_name", "contact_2_flags", "contact_2_phone1", "contact_2_phone1_type", "contact_3_name",
        "contact_3_flags", "contact_3_phone1", "contact_3_phone1_type", "dealmachine_url"]
# contact_N_flags values as the public import guide lists them: Likely Owner, Resident, Family, Wireless; a resident or
# a relative's numbers are kept as non-owner contacts (PhoneStatus "Not owner"), never dialled as the owner's
layout("dealmachine.csv", dm_h, [
    ["p-101", "L-1", "With Marketing", "1503 E 7th Ave, Tampa, FL 33605", "1503 E 7th Ave", "", "Tampa", "FL", "33605",
     "Kara Ulm", "Kara", "Ulm", "", "20 Pine St", "Denver", "CO", "80202", "Kara Ulm", "Likely Owner",
     "(813) 555-0185", "Wireless", "(813) 555-0186", "Landline DNC", "kara@example.com",
     "Jo Ulm", "Family", "(813) 555-0187", "Wireless", "Sam Pratt", "Resident, Wireless", "(813) 555-0188", "Landline",
     "https://app.example/p-101"],
], [
    {"OwnerName": "Kara Ulm", "PropertyAddress": "1503 E 7th Ave", "City": "Tampa", "PostalCode": "33605",
     "MailingAddress": "20 Pine St", "MailingCity": "Denver", "Absentee": True, "BestPhone": "+18135550185",
     "phones": [p(185), p(186, dnc=True), p(187, status="Not owner"), p(188, status="Not owner")]},
])

# ---- CoreLogic Matrix (market.md's Miami export)
mx_h = ["MLS # Link", "St", "Property Type", "Address", "City Name", "Zip Code", "Entry Date", "Original List Price",
        "List Price", "CDOM (Days on Market)", "DOM", "#Beds", "#FBaths", "#HBaths", "SqFt LA", "Year Built",
        "Expiration Date", "Owner Name", "Parcel ID"]
layout("corelogic_matrix.csv", mx_h, [
    ["A7500001", "X", "Single Family", "1200 NW 7th Ct", "Miami", "33136", "05/01/2026", "$560,000", "$520,000", "205",
     "205", "3", "2", "1", "1650", "1978", "11/23/2026", "Lena Ford", "01-3136-000-0010"],
    ["A7500002", "W", "Condo", "50 Biscayne Blvd Unit 2201", "Miami", "33132", "04/01/2026", "$450,000", "$450,000",
     "230", "230", "2", "2", "0", "1100", "2008", "", "Max Hale", "01-3132-000-0020"],
], [
    {"ListingId": "A7500001", "ListingStatus": "Expired", "PropertyAddress": "1200 NW 7th Ct", "City": "Miami",
     "PostalCode": "33136", "ListPrice": 520000.0, "OriginalListPrice": 560000.0, "ParcelNumber": "01-3136-000-0010"},
    {"ListingId": "A7500002", "ListingStatus": "Withdrawn", "Contactable": False, "Unit": "2201"},
])

# ---- Flexmls (address in parts: Street #, Street Dir, Street Name, Street Suffix, Unit #; Ownr/Occ Name - DND2)
fx_h = ["MLS #", "Status", "List Price", "Orig List Price", "Street #", "Street Dir", "Street Name", "Street Suffix",
        "Unit #", "City", "State", "Zip Code", "Parcel ID", "Ownr/Occ Name - DND2", "Ownr/Occ Phone - DND2",
        "Expiration Date"]
layout("flexmls.csv", fx_h, [
    ["T7600001", "Expired", "$330,000", "$355,000", "6102", "N", "Sharon", "Ave", "", "Tampa", "FL", "33614",
     "F-6102-0001", "LINDQVIST, ELIZABETH", "(813) 555-0125", "11/23/2026"],
], [
    {"ListingId": "T7600001", "PropertyAddress": "6102 N Sharon Ave", "PostalCode": "33614", "ListPrice": 330000.0,
     "OriginalListPrice": 355000.0, "ParcelNumber": "F-6102-0001", "OwnerName": "Elizabeth Lindqvist",
     "AddressKey": "6102 N SHARON AVE|33614", "phones": [p(125)]},
])

# ---- Paragon
pg_h = ["ML #", "Status", "List Price", "Original Price", "Address", "City", "State", "Zip", "Expiration Date", "Owner Name",
        "Parcel #"]
layout("paragon.csv", pg_h, [
    ["T7700001", "Expired", "$240,000", "$260,000", "808 E Henry Ave", "Tampa", "FL", "33604", "11/23/2026",
     "Sam & Tina Cole", "G-808-0001"],
], [
    {"ListingId": "T7700001", "OwnerName": "Sam Cole", "OwnerName2": "Tina Cole", "PropertyAddress": "808 E Henry Ave",
     "ListPrice": 240000.0, "OriginalListPrice": 260000.0, "ParcelNumber": "G-808-0001"},
])

# ---- Bright MLS
br_h = ["MLS #", "Status", "List Price", "Original List Price", "Address", "City", "State", "Zip Code", "County",
        "Tax ID", "Expiration Date", "Owner Name"]
layout("bright.csv", br_h, [
    ["MDBA7800001", "Expired", "$385,000", "$399,000", "1401 Light St", "Baltimore", "MD", "21230", "Baltimore City",
     "03-24-1401", "11/23/2026", "Tom Reed"],
], [
    {"ListingId": "MDBA7800001", "PropertyAddress": "1401 Light St", "City": "Baltimore", "State": "MD",
     "PostalCode": "21230", "ListPrice": 385000.0, "ParcelNumber": "03-24-1401", "OwnerName": "Tom Reed"},
])

# ---- Stellar MLS (Matrix spelling)
st_h = ["ML Number", "Status", "List Price", "Original List Price", "Address", "City", "State", "Zip Code",
        "Expiration Date", "Tax ID"]
layout("stellar.csv", st_h, [
    ["O7900001", "Canceled", "$310,000", "$329,000", "22 E Pine St", "Orlando", "FL", "32801", "11/23/2026",
     "S-22-0001"],
], [
    {"ListingId": "O7900001", "ListingStatus": "Canceled", "Contactable": True, "PropertyAddress": "22 E Pine St",
     "City": "Orlando", "PostalCode": "32801", "ListPrice": 310000.0, "ParcelNumber": "S-22-0001"},
])

# ---- CRMLS
cr_h = ["Listing ID", "Status", "List Price", "Original List Price", "Address", "City", "State", "Postal Code",
        "Expiration Date", "Parcel Number"]
layout("crmls.csv", cr_h, [
    ["OC26080001", "Expired", "$1,150,000", "$1,225,000", "411 Poppy Ave", "Corona Del Mar", "CA", "92625",
     "11/23/2026", "052-111-01"],
], [
    {"ListingId": "OC26080001", "PropertyAddress": "411 Poppy Ave", "PostalCode": "92625", "ListPrice": 1150000.0,
     "OriginalListPrice": 1225000.0, "ParcelNumber": "052-111-01"},
])

RESO_RECORDS = [
    {"ListingKey": "3yd-TBR-T7600001", "ListingId": "T7600001", "StandardStatus": "Expired", "ListPrice": 330000,
     "OriginalListPrice": 355000, "StreetNumber": "6102", "StreetDirPrefix": "N", "StreetName": "Sharon",
     "StreetSuffix": "Ave", "City": "Tampa", "StateOrProvince": "FL", "PostalCode": "33614", "ParcelNumber": "F-6102-0001",
     "StatusChangeTimestamp": "2026-11-24T05:00:00Z", "OwnerName": "Elizabeth Lindqvist", "OwnerPhone": "813-555-0125"},
]
RESO_LEADS = [{"ListingId": "T7600001", "PropertyAddress": "6102 N Sharon Ave", "PostalCode": "33614",
               "ListPrice": 330000.0, "OwnerName": "Elizabeth Lindqvist", "AddressKey": "6102 N SHARON AVE|33614",
               "phones": [p(125)]}]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    return buf.getvalue()


def files() -> dict[str, str]:
    """Every corpus file's text, and expected.json."""
    out = {name: csv_text(h, rows) for name, h, rows, _ in LAYOUTS}
    out["reso_web_api.json"] = json.dumps({"@odata.context": "$metadata#Property", "value": RESO_RECORDS}, indent=1) + "\n"
    expected = {name: leads for name, _, _, leads in LAYOUTS}
    expected["reso_web_api.json"] = RESO_LEADS
    out["expected.json"] = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    return out


if __name__ == "__main__":
    for name, text in files().items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
