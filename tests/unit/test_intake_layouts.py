"""The alias table and layouts: headers placed on RESO fields, ambiguity decided by values, refusals explained."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from relist.errors import BadInput, ImportRefused
from relist.intake.aliases import IGNORE, default_aliases, header_key, parse_alias_text
from relist.intake.layouts import build_layout, check_layout, find_header, parse_map

ALIASES = default_aliases()
MATRIX = ["MLS # Link", "St", "Property Type", "Address", "City Name", "Zip Code", "CDOM (Days on Market)", "#Beds",
          "SqFt LA", "#FBaths", "#HBaths", "Lot SqFt", "Pool YN"]
VENDOR = ["Owner 1 First Name", "Owner 1 Last Name", "Property Address", "ST", "Zip", "Phone 1", "Phone 1 DNC",
          "Phone 2", "Phone 2 DNC", "Mailing Address", "DNC", "Email", "Asking Price", "List Type"]


def test_header_key_ignores_case_space_and_punctuation() -> None:
    assert header_key("MLS # Link") == header_key("mls#link") == header_key(" Mls  # link ") == "mlslink"
    assert header_key("CDOM (Days on Market)") == "cdomdaysonmarket"


def test_alias_table_is_data_and_only_st_is_ambiguous() -> None:
    path = Path(__file__).resolve().parents[2] / "lib" / "relist" / "data" / "aliases.csv"
    rows = [r for r in csv.reader(ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#"))]
    assert rows[0] == ["field", "alias"] and len(rows) > 300
    ambiguous = {k: v for k, v in ALIASES.by_key.items() if len(v) > 1}
    assert ambiguous == {"st": ("StandardStatus", "StateOrProvince")}
    for field in ("ListingId", "StandardStatus", "UnparsedAddress", "OwnerName", "OwnerPhone", "ExpirationDate"):
        assert ALIASES.candidates(field) == (field,)  # every RESO field is its own alias


def test_bad_alias_line_is_refused() -> None:
    with pytest.raises(ValueError, match="field,alias"):
        parse_alias_text("field,alias\nListingId\n")


def test_matrix_headers() -> None:
    sample = [["A1", "X", "Residential", "1 Main St", "Miami", "33125", "10", "3", "1,200", "2", "1", "5,000", "Y"]]
    lay = build_layout(MATRIX, 1, ALIASES, {}, sample)
    assert lay.columns["ListingId"] == (0,) and lay.columns["StandardStatus"] == (1,)
    assert lay.columns["CumulativeDaysOnMarket"] == (6,) and lay.columns["LivingArea"] == (8,)
    assert lay.columns["BathroomsFull"] == (9,) and lay.columns["LotSizeSquareFeet"] == (11,)
    assert lay.unplaced == ()


def test_vendor_headers_and_st_read_as_state_from_its_values() -> None:
    sample = [["J", "S", "1 Main", "FL", "33602", "x", "N", "y", "Y", "m", "N", "e", "1", "Expired"]]
    lay = build_layout(VENDOR, 1, ALIASES, {}, sample)
    assert lay.columns["StateOrProvince"] == (3,)
    assert lay.columns["OwnerPhone1"] == (5,) and lay.columns["OwnerPhone2DNC"] == (8,)
    assert lay.columns["OwnerDNC"] == (10,) and lay.columns["MlsStatus"] == (13,)
    assert lay.notes and "StateOrProvince" in lay.notes[0]


def test_st_with_status_codes_is_the_status() -> None:
    lay = build_layout(["MLS #", "St", "Address"], 1, ALIASES, {}, [["1", "X", "a"], ["2", "W", "b"], ["3", "CS", "c"]])
    assert lay.columns["StandardStatus"] == (1,)


def test_mappings_override_aliases_ignore_and_unplaced_columns_are_kept() -> None:
    header = ["MLS #", "Address", "Seller Phone", "Internal Code", "Notes 2", "Phone"]
    mapping = {header_key("Seller Phone"): "OwnerPhone", header_key("Internal Code"): IGNORE}
    lay = build_layout(header, 1, ALIASES, mapping, [])
    assert lay.columns["OwnerPhone"] == (2, 5)  # several columns may feed the phones
    assert lay.ignored == (3,) and lay.unplaced == ("Notes 2",)


def test_blank_headers_get_a_column_letter() -> None:
    lay = build_layout(["MLS #", "", "Address"], 1, ALIASES, {}, [])
    assert lay.unplaced == ("Column B",)


def test_find_header_skips_a_title_row() -> None:
    rows = [(1, ["Expired listings report"]), (2, ["MLS #", "Status", "Address"]), (3, ["1", "X", "1 Main St"])]
    assert find_header(rows, ALIASES, {}) == 1


def test_refusal_names_the_unplaced_columns_and_how_to_map() -> None:
    lay = build_layout(["Seller", "Best Number", "Prop"], 1, ALIASES, {}, [])
    with pytest.raises(ImportRefused) as err:
        check_layout(lay, "expired", "x.csv", [["Jane", "(813) 555-0150", "12 Oak St"]])
    text = err.value.one_line()
    assert "property address" in text and "'Best Number', 'Prop'" in text
    assert 'relist import x.csv --map "Prop=UnparsedAddress"' in text
    assert '--map "Seller Phone=OwnerPhone"' in text


def test_identity_is_required_except_for_active_and_comps_need_a_sale() -> None:
    lay = build_layout(["Address", "List Price"], 1, ALIASES, {}, [])
    with pytest.raises(ImportRefused, match="identity"):
        check_layout(lay, "expired", "x.csv")
    with pytest.raises(ImportRefused, match="sale price"):
        check_layout(lay, "comps", "x.csv")


def test_parse_map() -> None:
    assert parse_map("Seller Phone=ownerphone", ALIASES) == ("Seller Phone", "OwnerPhone")
    assert parse_map(" Junk = ignore ", ALIASES) == ("Junk", IGNORE)
    with pytest.raises(BadInput, match="Did you mean OwnerPhone"):
        parse_map("Seller Phone=OwnerFone", ALIASES)
    with pytest.raises(BadInput, match="HEADER=FIELD"):
        parse_map("Seller Phone", ALIASES)
