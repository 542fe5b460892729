"""Owner phone cells -> E.164: formats, several per cell, extensions, privacy words, the fast path."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist.intake.phones import (
    display,
    fast_nanp,
    is_blank_phone,
    normalize_phone,
    parse_phone_cell,
)
from relist.intake.problems import CellError

FORMATS = [
    "(813) 555-0142", "813-555-0142", "813.555.0142", "813 555 0142", "8135550142", "+1 813 555 0142",
    "+18135550142", "1-813-555-0142", "1 (813) 555-0142", "(813)555-0142", " 813-555-0142 ", "813/555-0142",
]


@pytest.mark.parametrize("text", FORMATS)
def test_common_formats_give_one_e164(text: str) -> None:
    assert normalize_phone(text)[0] == "+18135550142"
    cell = parse_phone_cell(text)
    assert [p.e164 for p in cell.phones] == ["+18135550142"]
    assert cell.bad == ()


def test_several_numbers_labels_and_extensions_in_one_cell() -> None:
    cell = parse_phone_cell("Cell: 813-555-0142; home (727) 555-0188 x12 / 352.555.0101")
    assert [(p.e164, p.extension, p.kind) for p in cell.phones] == [
        ("+18135550142", "", "mobile"),
        ("+17275550188", "12", "landline"),
        ("+13525550101", "", "unknown"),
    ]


@pytest.mark.parametrize("text", ["813 555 0142 ext. 99", "813-555-0142 x99", "(813) 555-0142 #99", "813.555.0142 extension 99"])
def test_extensions(text: str) -> None:
    assert normalize_phone(text)[:2] == ("+18135550142", "99")


def test_repeated_number_in_a_cell_is_kept_once_and_newlines_separate() -> None:
    cell = parse_phone_cell("407-555-0124\n407-555-0125\n(407) 555-0124")
    assert [p.e164 for p in cell.phones] == ["+14075550124", "+14075550125"]


def test_inline_dnc_marker_flags_only_that_number() -> None:
    cell = parse_phone_cell("813-555-0142 (DNC), 813-555-0143")
    assert [(p.e164, p.dnc) for p in cell.phones] == [("+18135550142", True), ("+18135550143", False)]


@pytest.mark.parametrize("text", ["", "   ", "PRIVACY", "privacy protected", "N/A", "Unlisted", "none", "0", "Private"])
def test_privacy_and_blank_give_no_number_and_no_error(text: str) -> None:
    assert is_blank_phone(text)
    assert parse_phone_cell(text) == parse_phone_cell("")
    assert parse_phone_cell(text).phones == () and parse_phone_cell(text).bad == ()


@pytest.mark.parametrize(
    ("text", "why"),
    [("555-0142", "no area code"), ("212-123-4567", "not a valid"), ("(555) 555-0100", "not a valid"), ("12345", "not a phone")],
)
def test_bad_numbers_are_errors_with_a_reason(text: str, why: str) -> None:
    with pytest.raises(CellError, match=why):
        normalize_phone(text)
    assert parse_phone_cell(text).bad == (text,)


def test_bad_part_does_not_hide_the_good_one() -> None:
    cell = parse_phone_cell("call after 5; 813-555-0142")
    assert [p.e164 for p in cell.phones] == ["+18135550142"]
    assert cell.bad == ("call after 5",)


def test_international_numbers_pass_through_phonenumbers() -> None:
    assert normalize_phone("+44 20 7946 0958")[0] == "+442079460958"


def test_display() -> None:
    assert display("+18135550142") == "(813) 555-0142"
    assert display("+442079460958").startswith("+44 20")


# A few real US area codes from different states (phonenumbers metadata decides validity).
AREA_CODES = ["201", "212", "305", "312", "407", "415", "512", "602", "617", "702", "727", "813", "904", "971"]


@st.composite
def nanp_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    return (
        draw(st.sampled_from(AREA_CODES)),
        draw(st.from_regex(r"[2-9][0-9]{2}", fullmatch=True)),
        draw(st.from_regex(r"[0-9]{4}", fullmatch=True)),
    )


STYLES = [
    "({a}) {x}-{l}", "{a}-{x}-{l}", "{a}.{x}.{l}", "{a} {x} {l}", "{a}{x}{l}", "+1 {a} {x} {l}", "+1{a}{x}{l}",
    "1-{a}-{x}-{l}", "1 ({a}) {x}-{l}", "  ({a}){x}-{l}  ",
]


@given(nanp_numbers(), st.sampled_from(STYLES), st.sampled_from(STYLES))
def test_any_common_format_gives_the_same_e164_and_is_idempotent(num: tuple[str, str, str], s1: str, s2: str) -> None:
    a, x, ln = num
    expected = f"+1{a}{x}{ln}"
    valid = phonenumbers.is_valid_number(phonenumbers.parse(expected))
    first, second = s1.format(a=a, x=x, l=ln), s2.format(a=a, x=x, l=ln)
    if not valid:
        with pytest.raises(CellError):
            normalize_phone(first)
        return
    e1, e2 = normalize_phone(first)[0], normalize_phone(second)[0]
    assert e1 == e2 == expected
    assert normalize_phone(e1)[0] == e1  # normalising twice changes nothing


@given(st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True))
def test_fast_path_agrees_with_phonenumbers(digits: str) -> None:
    n = phonenumbers.parse("+1" + digits)
    fast = fast_nanp(digits)
    if phonenumbers.is_valid_number(n):
        assert fast is not None and fast[0] == phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    else:
        assert fast is None
