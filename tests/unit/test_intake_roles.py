"""Which address-like column is the listed home's: header words, neighbours and values, never column order."""

from __future__ import annotations

from relist.intake.aliases import default_aliases
from relist.intake.layouts import build_layout
from relist.intake.roles import field_of, scope, words

ALIASES = default_aliases()


def placed(header: list[str], sample: list[list[str]] | None = None) -> dict[str, str]:
    lay = build_layout(header, 1, ALIASES, {}, sample or [])
    return {f: lay.header[ix[0]] for f, ix in lay.columns.items()}


def test_header_words() -> None:
    assert words("PropertyStreet") == ["property", "street"]
    assert words("property_address_line_1") == ["property", "address", "line", "1"]
    assert (scope("Property Address"), scope("OwnerStreet"), scope("Address")) == (1, -1, 0)
    assert field_of("PropertyStreet") == "UnparsedAddress" and field_of("OwnerStreet") == "MailingAddress"
    assert field_of("PropertyHouseNumber") == "StreetNumber" and field_of("Site Zip Code") == "PostalCode"
    assert field_of("property_address_line_1") == "UnparsedAddress" and field_of("owner_address_zip") == "MailingPostalCode"
    assert field_of("PROPERTYSTREET") == "UnparsedAddress" and field_of("owner mailing zip") == "MailingPostalCode"


def test_redx_contact_address_is_not_the_property() -> None:
    got = placed(["Address", "City", "State", "Zip", "Property Address", "Property City", "Property State", "Property Zip"])
    assert got["UnparsedAddress"] == "Property Address" and got["City"] == "Property City" and got["PostalCode"] == "Property Zip"
    assert got["MailingAddress"] == "Address" and got["MailingCity"] == "City" and got["MailingPostalCode"] == "Zip"


def test_landvoice_skip_traced_duplicate_city_goes_with_its_address_line() -> None:
    header = ["Address", "City", "State", "Zip", "First Name", "Last Name", "Property Address", "City", "State", "Postal Code"]
    lay = build_layout(header, 1, ALIASES, {}, [])
    assert lay.columns["UnparsedAddress"] == (6,) and lay.columns["City"] == (7,) and lay.columns["StateOrProvince"] == (8,)
    assert lay.columns["PostalCode"] == (9,) and lay.columns["MailingAddress"] == (0,) and lay.columns["MailingCity"] == (1,)


def test_landvoice_expired_property_and_owner_columns() -> None:
    got = placed(["MLSNumber", "OwnerStreet", "OwnerCity", "OwnerState", "OwnerZip", "OwnerName", "PropertyStreet",
                  "PropertyHouseNumber", "PropertyStreetName", "PropertyUnitNumber", "PropertyCity", "PropertyState", "PropertyZip"])
    assert got["UnparsedAddress"] == "PropertyStreet" and got["City"] == "PropertyCity" and got["PostalCode"] == "PropertyZip"
    assert got["MailingAddress"] == "OwnerStreet" and got["MailingPostalCode"] == "OwnerZip"


def test_values_break_a_tie_and_a_true_tie_is_said() -> None:
    sample = [["12 Oak St, Tampa, FL 33602", "PO Box 9, Atlanta, GA 30301", "33602"]]
    lay = build_layout(["Address", "Full Address", "Zip"], 1, ALIASES, {}, sample)
    assert lay.columns["UnparsedAddress"] == (0,)
    sample = [["PO Box 9, Atlanta, GA 30301", "12 Oak St, Tampa, FL 33602", "33602"]]
    lay = build_layout(["Address", "Full Address", "Zip"], 1, ALIASES, {}, sample)
    assert lay.columns["UnparsedAddress"] == (1,)  # the line whose ZIP agrees with the listing's
    tie = build_layout(["Address", "Full Address"], 1, ALIASES, {}, [])
    assert any("could both be UnparsedAddress" in n and '--map "Full Address=UnparsedAddress"' in n for n in tie.notes)


def test_a_map_is_never_second_guessed() -> None:
    lay = build_layout(["Address", "Property Address"], 1, ALIASES, {"address": "UnparsedAddress"}, [])
    assert lay.columns["UnparsedAddress"] == (0,) and 1 in lay.extra


def test_a_refusal_suggests_the_property_line_not_the_owners() -> None:
    import pytest

    from relist.errors import ImportRefused
    from relist.intake.layouts import check_layout

    lay = build_layout(["Owner Name", "Owner Mail Ln", "Where"], 1, ALIASES, {}, [])
    with pytest.raises(ImportRefused) as err:
        check_layout(lay, "expired", "x.csv", [["Ann Poe", "5 Elm St", "12 Oak St"]])
    assert '--map "Where=UnparsedAddress"' in err.value.one_line()
