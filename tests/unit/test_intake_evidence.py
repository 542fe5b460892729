"""Columns no header table knows are placed by their header words, values and neighbours; ties and doubts are said."""

from __future__ import annotations

import pytest

from relist.errors import ImportRefused
from relist.intake.aliases import default_aliases
from relist.intake.evidence import TARGETS, fit
from relist.intake.layouts import build_layout, check_layout

ALIASES = default_aliases()


def layout(header: list[str], rows: list[list[str]], kind: str = "expired"):  # type: ignore[no-untyped-def]
    return build_layout(header, 1, ALIASES, {}, rows, kind)


def field_of(lay, name: str) -> str:  # type: ignore[no-untyped-def]
    i = lay.header.index(name)
    return next((f for f, cols in lay.columns.items() if i in cols), "")


def test_every_target_is_a_field_relist_reads() -> None:
    assert {t.field for t in TARGETS} <= ALIASES.fields


def test_a_column_headed_amount_holding_prices_is_the_list_price() -> None:
    lay = layout(["MLS #", "Property Address", "Amount"], [["T1", "12 Oak St", "$425,000"], ["T2", "14 Oak St", "399900"]])
    assert field_of(lay, "Amount") == "ListPrice"
    assert any("'Amount' read as ListPrice" in n for n in lay.notes)  # said, with the --map that undoes it


def test_an_amount_of_zip_codes_is_not_a_price() -> None:
    lay = layout(["MLS #", "Property Address", "Amount"], [["T1", "12 Oak St", "33602"], ["T2", "14 Oak St", "33603"]])
    assert field_of(lay, "Amount") == "" and "Amount" in lay.unplaced


def test_date_2_holding_expirations_is_the_expiration_by_the_order_of_the_rows_dates() -> None:
    rows = [["T1", "12 Oak St", "05/01/2026", "11/23/2026"], ["T2", "14 Oak St", "2026-04-15", "2026-11-20"],
            ["T3", "16 Oak St", "06/02/2026", "12/01/2026"]]
    lay = layout(["MLS #", "Property Address", "Date 1", "Date 2"], rows)
    assert field_of(lay, "Date 2") == "ExpirationDate" and field_of(lay, "Date 1") == "ListingContractDate"
    swapped = layout(["MLS #", "Property Address", "Date 2", "Date 1"], [[r[0], r[1], r[3], r[2]] for r in rows])
    assert field_of(swapped, "Date 2") == "ExpirationDate"  # the values decide, not the column's place or number


def test_one_date_nothing_orders_is_kept_and_the_agent_is_told() -> None:
    lay = layout(["MLS #", "Property Address", "Date"], [["T1", "12 Oak St", "11/23/2026"]])
    assert "Date" in lay.unplaced
    assert any('--map "Date=ExpirationDate"' in n for n in lay.notes)


def test_a_named_date_is_placed_by_its_word() -> None:
    lay = layout(["MLS #", "Property Address", "Exp"], [["T1", "12 Oak St", "11/23/2026"]])
    assert field_of(lay, "Exp") == "ExpirationDate"


def test_ph_holding_phones_is_an_owner_phone_with_its_group() -> None:
    lay = layout(["MLS #", "Property Address", "Ph"], [["T1", "12 Oak St", "(813) 555-0142"], ["T2", "14 Oak St", "813.555.0143"]])
    assert field_of(lay, "Ph") == "OwnerPhone"
    assert [lay.header[g.phone] for g in lay.phone_groups] == ["Ph"]


def test_agent_phone_words_keep_a_phone_column_off_the_owner() -> None:
    lay = layout(["MLS #", "Property Address", "Agent Ph"], [["T1", "12 Oak St", "(813) 555-0142"]])
    assert field_of(lay, "Agent Ph") != "OwnerPhone"


def test_phones_under_a_header_that_says_nothing_are_a_doubt_not_a_guess() -> None:
    lay = layout(["MLS #", "Property Address", "Column F"], [["T1", "12 Oak St", "(813) 555-0142"]])
    assert "Column F" in lay.unplaced
    assert any('--map "Column F=OwnerPhone"' in n for n in lay.notes)


def test_emails_are_placed_by_their_values_alone() -> None:
    lay = layout(["MLS #", "Property Address", "Reach"], [["T1", "12 Oak St", "ann@example.com"], ["T2", "14 Oak St", ""]])
    assert field_of(lay, "Reach") == "OwnerEmail"


def test_two_columns_with_the_same_evidence_tie_and_the_agent_is_told() -> None:
    lay = layout(["MLS #", "Property Address", "Amount", "Amt"], [["T1", "12 Oak St", "$425,000", "$425,000"]])
    assert field_of(lay, "Amount") == "ListPrice" and "Amt" in lay.unplaced
    tie = [n for n in lay.notes if "could each be ListPrice" in n]
    assert tie and "'Amount'" in tie[0] and "'Amt'" in tie[0] and '--map "Amt=ListPrice"' in tie[0]


def test_a_second_price_when_the_list_price_is_known_is_kept_and_said() -> None:
    lay = layout(["MLS #", "Property Address", "List Price", "Amount"], [["T1", "12 Oak St", "$425,000", "$450,000"]])
    assert field_of(lay, "List Price") == "ListPrice" and "Amount" in lay.unplaced
    assert any("'Amount' looks like ListPrice" in n for n in lay.notes)


def test_a_crm_lead_status_is_not_the_listing_status() -> None:
    lay = layout(["MLS #", "Property Address", "Lead Status"], [["T1", "12 Oak St", "New"], ["T2", "14 Oak St", "Active"]])
    assert field_of(lay, "Lead Status") == ""


def test_a_status_column_under_another_name_is_read_by_its_words() -> None:
    lay = layout(["MLS #", "Property Address", "Stat"], [["T1", "12 Oak St", "Expired"], ["T2", "14 Oak St", "Withdrawn"]])
    assert field_of(lay, "Stat") == "StandardStatus"


def test_a_refusals_suggestion_comes_from_the_same_evidence() -> None:
    header = ["Seller", "Notes", "Prop", "Asking"]
    rows = [["Jane Doe", "call after 5", "12 Oak St Tampa", "$300,000"], ["Jim Roe", "", "14 Oak St Tampa", "$310,000"]]
    lay = layout(header, rows)
    assert field_of(lay, "Asking") == "ListPrice"
    with pytest.raises(ImportRefused) as got:
        check_layout(lay, "expired", "x.csv", rows)
    assert '--map "Prop=UnparsedAddress"' in got.value.hint


def test_fit_reads_shares_of_the_sample() -> None:
    assert fit(["(813) 555-0142", "PRIVACY", "", "813-555-0143"], "phone") == pytest.approx(2 / 3)
    assert fit(["01-3136-000-0010", "A-777-0170"], "parcel") == 1.0
    assert fit(["Nov 23, 2026", "2026-11-23", "45000"], "date") == pytest.approx(2 / 3)


# Headers as public importers spell them, none in the alias table before this test:
# - dreamcareer7/real-estate-server lib/models/Deal/context.js (a brokerage back office's deal fields): list_date,
#   list_price, expiration_date, seller_name, listing_status, mls_number, street_address, state_code, postal_code;
# - 123Soldcash/crm-123drive-v2 CORRECT_DATA_MAPPING.md (a DealMachine properties export, 393 columns): tax_amt,
#   mortgage_amount, estimated_value, equity_amount, hoa_fee_amount, past_due_amount, subdivision_name, lender_name,
#   property_id, lead_id: money, names and ids that are not the listing's.
WORLD_HEADER = ["mls_number", "listing_status", "list_date", "expiration_date", "seller_name", "street_address", "city",
                "state_code", "postal_code", "tax_amt", "mortgage_amount", "estimated_value", "equity_amount",
                "hoa_fee_amount", "past_due_amount", "subdivision_name", "lender_name", "property_id", "lead_id", "Amount"]
WORLD_ROW = ["T7700001", "Expired", "05/01/2026", "11/23/2026", "Ann Lee", "12 Oak St", "Tampa", "FL", "33602", "$3,200",
             "$210,000", "$455,000", "$245,000", "$1,200", "$4,000", "Caribbean Homes", "First Bank", "1234567", "7654321",
             "$425,000"]


def test_public_importers_spellings_land_and_other_money_names_and_ids_stay_in_extra() -> None:
    lay = layout(WORLD_HEADER, [WORLD_ROW] * 3)
    placed = {f: [lay.header[i] for i in cols] for f, cols in lay.columns.items()}
    assert placed["ListingId"] == ["mls_number"] and placed["ExpirationDate"] == ["expiration_date"]
    assert placed["OwnerName"] == ["seller_name"] and placed["UnparsedAddress"] == ["street_address"]
    assert placed["StateOrProvince"] == ["state_code"] and placed["PostalCode"] == ["postal_code"]
    assert placed["ListPrice"] == ["Amount"]  # the one amount a price can be: taxes, loans, values, fees are not
    for h in ("tax_amt", "mortgage_amount", "estimated_value", "equity_amount", "hoa_fee_amount", "past_due_amount",
              "subdivision_name", "lender_name", "property_id", "lead_id"):
        assert h in lay.unplaced, h
    assert not [n for n in lay.notes if "tax_amt" in n or "lender_name" in n]  # no noise about them either


def test_phones_beside_an_owner_phone_are_the_owners_next_number() -> None:
    lay = layout(["MLS #", "Property Address", "Owner Name", "Phone", "Alt", "Other"],
                 [["T1", "12 Oak St", "Ann Lee", "(813) 555-0142", "(813) 555-0143", "(813) 555-0144"]])
    assert field_of(lay, "Alt") == "OwnerPhone"  # its neighbour is the owner's phone
    assert "Other" in lay.unplaced and any('--map "Other=OwnerPhone"' in n for n in lay.notes)  # its neighbour is not


def test_a_named_column_whose_values_say_otherwise_is_doubted_aloud_not_moved() -> None:
    rows = [["T1", "12 Oak St", f"11/{d:02d}/2026"] for d in range(1, 7)]
    lay = layout(["MLS #", "Property Address", "List Price"], rows)
    assert field_of(lay, "List Price") == "ListPrice"  # the header's word stands
    assert any("'List Price' was read as ListPrice by its name, but its values look like dates" in n for n in lay.notes)
    mapped = build_layout(["MLS #", "Property Address", "List Price"], 1, ALIASES, {"listprice": "ListPrice"}, rows)
    assert not any("by its name" in n for n in mapped.notes)  # the agent's own --map is never doubted
