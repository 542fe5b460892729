"""Email cells at import: email-validator decides; the fast path for plain addresses never accepts what it refuses."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given
from hypothesis import strategies as st

from relist.intake.clean import _SIMPLE_EMAIL, _SPECIAL_USE_TLDS, email
from relist.intake.problems import CellError

_CHARS = st.sampled_from(list("abcz019._+-@") + ["..", "-.", ".-", "xn--", "@@", "é"])


@given(st.lists(_CHARS, min_size=3, max_size=40).map("".join))
def test_fast_path_accepts_only_what_email_validator_accepts(text: str) -> None:
    m = _SIMPLE_EMAIL.fullmatch(text)
    if m is None or m.group(1) in _SPECIAL_USE_TLDS:
        return
    validate_email(text, check_deliverability=False, allow_smtputf8=False)  # must not raise


@given(st.emails())
def test_valid_addresses_are_kept(address: str) -> None:
    try:
        validate_email(address.lower(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        with pytest.raises(CellError):
            email(address)
        return
    assert email(address) is not None


def test_first_of_several_and_blank() -> None:
    assert email(" Ann@Example.com; bo@example.com") == "ann@example.com"
    assert email("  ") is None
