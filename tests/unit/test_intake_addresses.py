"""Addresses: components for letters, and a key that folds case, punctuation, suffixes and units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist.intake.addresses import (
    Address,
    address_key,
    parse_address,
    place_for_zip,
    postal_code,
    split_unit,
    state_code,
    street_key,
    tidy,
)
from relist.intake.problems import CellError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123 Main St Apt 4, Tampa, FL 33602", Address("123 Main St", "4", "Tampa", "FL", "33602")),
        ("77 Oak Lane, Orlando FL 32801-1234", Address("77 Oak Lane", "", "Orlando", "FL", "32801")),
        ("5 Juniper St, Apt 2, Orlando, FL 32804", Address("5 Juniper St", "2", "Orlando", "FL", "32804")),
        ("4501 SW 5TH AVE #12", Address("4501 SW 5th Ave", "12", "", "", "")),
        ("12 Elm St Unit 4B", Address("12 Elm St", "4B", "", "", "")),
        ("9 Main St., Springfield", Address("9 Main St.", "", "Springfield", "", "")),
        ("PO BOX 123, Tampa, FL 33601", Address("PO Box 123", "", "Tampa", "FL", "33601")),
    ],
)
def test_parse_address(text: str, expected: Address) -> None:
    assert parse_address(text) == expected


def test_empty_address_is_an_error() -> None:
    with pytest.raises(CellError, match="empty"):
        parse_address("  ")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("123 North Main Street, Apt. 4", "123 N MAIN ST #4"),
        ("123 n. main st. unit 4", "123 N Main St # 4"),
        ("4501 Southwest Fifth Avenue Suite 12", "4501 SW 5th Ave #12"),
        ("10 Saint Andrews Boulevard", "10 St Andrews Blvd"),
        ("8 Cypress Court", "8 CYPRESS CT"),
        ("2020 Bayshore Blvd Apt 1502", "2020 BAYSHORE BLVD #1502"),
    ],
)
def test_street_key_folds_spelling_differences(a: str, b: str) -> None:
    assert street_key(*split_unit(a)) == street_key(*split_unit(b))


def test_street_key_keeps_different_homes_apart() -> None:
    assert street_key("123 Main St") != street_key("125 Main St")
    assert street_key("123 Main St", "4") != street_key("123 Main St", "5")
    assert street_key("123 NO NAME RD") == "123 NO NAME RD"  # 'NO' is not a unit designator
    assert street_key("123 N Pier St") == "123 N PIER ST"


def test_address_key_uses_zip_then_city() -> None:
    assert address_key("123 Main Street", "", "33602", "Tampa") == "123 MAIN ST|33602"
    assert address_key("123 Main Street", "", "", "Tampa") == "123 MAIN ST|TAMPA"


def test_zip_state_and_tidy() -> None:
    assert postal_code("33602-1234") == "33602" and postal_code("2108") == "02108" and postal_code("33602.0") == "33602"
    with pytest.raises(CellError):
        postal_code("ABCDE")
    assert state_code("fl") == "FL" and state_code("Florida") == "FL" and state_code("") == ""
    with pytest.raises(CellError, match="not a US state"):
        state_code("Narnia")
    assert tidy("123 NE MAIN ST") == "123 NE Main St" and tidy("4501 SW 5TH AVE") == "4501 SW 5th Ave"
    assert tidy("  12  Oak   Ave ") == "12 Oak Ave"


def test_place_for_zip_comes_from_offline_zip_data() -> None:
    assert place_for_zip("33602") == ("Tampa", "FL")
    assert place_for_zip("00000") is None


WORDS = st.sampled_from(["Main", "Oak", "Maple", "Harbor", "Sunset", "Lake", "Park"])
SUFFIX = st.sampled_from([("Street", "St"), ("Avenue", "Ave"), ("Drive", "Dr"), ("Court", "Ct"), ("Boulevard", "Blvd")])
DIRS = st.sampled_from([("", ""), ("North ", "N "), ("Southwest ", "SW "), ("East ", "E ")])


@given(st.integers(1, 99999), DIRS, WORDS, SUFFIX, st.sampled_from(["", "4", "12B"]), st.sampled_from(["Apt", "Unit", "#", "Ste"]))
def test_key_is_the_same_for_long_short_and_any_case(n: int, d: tuple[str, str], w: str, s: tuple[str, str], unit: str, des: str) -> None:
    long = f"{n} {d[0]}{w} {s[0]}" + (f" {des} {unit}" if unit else "")
    short = f"{n} {d[1]}{w.upper()} {s[1].lower()}." + (f" #{unit}" if unit else "")
    k1 = street_key(*split_unit(long))
    k2 = street_key(*split_unit(short))
    assert k1 == k2
    base, _, u = k1.partition(" #")
    assert street_key(base, u) == k1  # normalising twice changes nothing
