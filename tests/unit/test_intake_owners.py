"""Owner names: two people per cell, first names for greetings, entities flagged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist.intake.owners import Owners, is_entity, owners, tidy_name


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("John & Mary Smith", Owners("John Smith", "Mary Smith", "John", "Smith", False)),
        ("Smith, John and Mary", Owners("John Smith", "Mary Smith", "John", "Smith", False)),
        ("SMITH JOHN & MARY", Owners("John Smith", "Mary Smith", "John", "Smith", False)),
        ("John Smith and Jane Doe", Owners("John Smith", "Jane Doe", "John", "Smith", False)),
        ("Patrick McDonald Jr", Owners("Patrick McDonald Jr", "", "Patrick", "McDonald", False)),
        ("MARY O'BRIEN", Owners("Mary O'Brien", "", "Mary", "O'Brien", False)),
        ("SUNRISE HOLDINGS LLC", Owners("Sunrise Holdings LLC", "", "", "", True)),
        ("Estate of Robert Jones", Owners("Estate of Robert Jones", "", "", "", True)),
        ("First Coastal Bank, N.A.", Owners("First Coastal Bank, N.A.", "", "", "", True)),
        ("", Owners()),
    ],
)
def test_one_owner_cell(cell: str, expected: Owners) -> None:
    assert owners(cell) == expected


def test_vendor_first_last_columns() -> None:
    got = owners(first="JOHN", last="SMITH", first2="mary", last2="smith")
    assert got == Owners("John Smith", "Mary Smith", "John", "Smith", False)


def test_entity_in_last_name_column_gets_no_first_name() -> None:
    assert owners(last="SUNRISE HOLDINGS LLC") == Owners("Sunrise Holdings LLC", "", "", "", True)


@pytest.mark.parametrize("name", ["Alvarez Family Trust", "JOHN SMITH REVOCABLE TRUST", "Acme Properties Inc", "Harborview Federal Savings"])
def test_entities(name: str) -> None:
    assert is_entity(name)


@pytest.mark.parametrize("name", ["John Smith", "Trudy Estes", "Bankole Adeyemi", "Coral Young"])
def test_people_are_not_entities(name: str) -> None:
    assert not is_entity(name)


@given(st.lists(st.sampled_from(["JOHN", "mary", "McAllister", "O'CONNOR", "garcia-lopez", "Lee"]), min_size=1, max_size=3))
def test_tidy_name_is_idempotent(words: list[str]) -> None:
    once = tidy_name(" ".join(words))
    assert tidy_name(once) == once


def test_one_person_written_two_ways_is_one_owner() -> None:
    from relist.intake.owners import owners, same_person

    o = owners("LINDQVIST ELIZABETH", "", "Elizabeth", "Lindqvist")
    assert (o.name, o.name2) == ("Elizabeth Lindqvist", "")
    assert owners("Elizabeth A Lindqvist", "", "Elizabeth", "Lindqvist").name2 == ""
    assert owners("John Smith Jr", "", "John", "Smith").name2 == ""
    assert owners("Smith, John", "", "John", "Smith").name2 == ""
    two = owners("John & Mary Smith", "", "John", "Smith")
    assert (two.name, two.name2) == ("John Smith", "Mary Smith")
    assert not same_person("John Smith", "Mary Smith") and not same_person("Smith", "John Smith")
