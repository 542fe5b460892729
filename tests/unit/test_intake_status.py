"""Status words and MLS codes -> RESO StandardStatus; only Expired and Canceled may be solicited."""

from __future__ import annotations

import pytest

from relist.intake.problems import CellError
from relist.intake.status import (
    STANDARD_STATUSES,
    contactable,
    looks_like_status,
    not_contactable_reason,
    standard_status,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("X", "Expired"), ("x", "Expired"), ("Expired", "Expired"), ("EXPIRED", "Expired"), ("W", "Withdrawn"),
     ("A", "Active"), ("C", "Canceled"), ("Cancelled", "Canceled"), ("Terminated", "Canceled"), ("CS", "Closed"),
     ("Sold", "Closed"), ("T", "Hold"), ("Temp Off Market", "Hold"), ("Coming Soon", "ComingSoon"),
     ("Active Under Contract", "ActiveUnderContract"), ("P", "Pending"), ("Back on Market", "Active")],
)
def test_words_and_codes(text: str, value: str) -> None:
    assert standard_status(text) == value


def test_every_reso_value_reads_as_itself() -> None:
    for s in STANDARD_STATUSES:
        assert standard_status(s) == s


@pytest.mark.parametrize("text", ["FSBO", "Pending Review", "Q", ""])
def test_unknown_status_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(CellError):
        standard_status(text)


def test_only_expired_and_canceled_are_contactable_and_others_cite_sop_16_4() -> None:
    assert [s for s in STANDARD_STATUSES if contactable(s)] == ["Canceled", "Expired"]
    for s in ("Withdrawn", "Hold", "ComingSoon", "Active", "Pending", "ActiveUnderContract"):
        reason = not_contactable_reason(s)
        assert "16-4" in reason and s in reason


def test_looks_like_status_tells_codes_from_states() -> None:
    assert looks_like_status(["X", "W", "A", "X"]) == 1.0
    assert looks_like_status(["FL", "GA", "FL"]) == 0.0


def test_vendor_status_words() -> None:
    from relist.intake.status import not_contactable_reason, standard_status

    assert [standard_status(w) for w in ("FAIL", "Fail", "Failed Listing", "EXP", "X")] == ["Expired"] * 5
    assert standard_status("Off Market") == "Hold" and "16-4" in not_contactable_reason("Hold")
