"""Money, numbers, yes/no and dates: each rule returns the value, None for blank, or a CellError."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist.intake.problems import CellError
from relist.intake.values import date_value, datetime_value, money, number, whole, yes_no


@pytest.mark.parametrize(
    ("text", "value"),
    [("$425,000", 425000.0), ("425000", 425000.0), ("425,000.00", 425000.0), ("425K", 425000.0), ("425k", 425000.0),
     ("$1.2M", 1200000.0), ("12.5k", 12500.0), (" $ 99 ", 99.0), ("", None), ("  ", None)],
)
def test_money(text: str, value: float | None) -> None:
    assert money(text) == value


@pytest.mark.parametrize("text", ["call agent", "$", "-5", "4,25,000", "1.2.3"])
def test_money_errors_say_how_to_write_it(text: str) -> None:
    with pytest.raises(CellError):
        money(text)


@given(st.integers(min_value=0, max_value=50_000_000))
def test_money_formats_agree_and_reparse(n: int) -> None:
    assert money(f"${n:,}") == money(str(n)) == float(n)
    assert money(str(money(f"${n:,}"))) == float(n)  # normalising twice changes nothing
    if n % 1000 == 0:
        assert money(f"{n // 1000}K") == float(n)


def test_numbers_and_whole_numbers() -> None:
    assert number("1,850") == 1850.0 and number("2.5") == 2.5 and number("") is None
    assert whole("3") == 3 and whole("3.0") == 3 and whole("1,850") == 1850
    with pytest.raises(CellError, match="not a whole number"):
        whole("2.5")
    with pytest.raises(CellError, match="not a number"):
        number("ten")


@pytest.mark.parametrize(("text", "value"), [("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("x", True),
                                             ("DNC", True), ("N", False), ("no", False), ("0", False), ("", None)])
def test_yes_no(text: str, value: bool | None) -> None:
    assert yes_no(text) is value


def test_yes_no_refuses_other_words() -> None:
    with pytest.raises(CellError):
        yes_no("maybe")


@pytest.mark.parametrize(
    "text",
    ["11/24/2026", "11/24/26", "11-24-2026", "2026-11-24", "20261124", "24-Nov-2026", "Nov 24, 2026", "November 24 2026",
     "2026-11-24T00:00:00", "46350"],
)
def test_us_and_iso_dates(text: str) -> None:
    assert date_value(text) == date(2026, 11, 24)


def test_times_and_offsets() -> None:
    assert datetime_value("11/24/2026 5:05 PM") == (datetime(2026, 11, 24, 17, 5), True)
    assert datetime_value("2026-11-24 17:05") == (datetime(2026, 11, 24, 17, 5), True)
    got = datetime_value("2026-11-24T17:05:00-05:00")
    assert got is not None and got[0].utcoffset() == timedelta(hours=-5)
    assert datetime_value("2026-11-24T22:05:00Z") == (datetime(2026, 11, 24, 22, 5, tzinfo=UTC), True)
    assert datetime_value("11/24/2026") == (datetime(2026, 11, 24), False)


def test_ambiguous_day_month_is_decided_by_the_setting_not_per_row() -> None:
    assert date_value("03/04/2026", "MDY") == date(2026, 3, 4)
    assert date_value("03/04/2026", "DMY") == date(2026, 4, 3)
    assert date_value("13/04/2026", "DMY") == date(2026, 4, 13)
    with pytest.raises(CellError, match="Settings > Date order"):
        date_value("13/04/2026", "MDY")  # not silently swapped: the setting says month first
    with pytest.raises(CellError, match="change Settings > Date order to MDY"):
        date_value("11/24/2026", "DMY")


@pytest.mark.parametrize("text", ["hello", "2026-13-01", "02/30/2026", "Smarch 3, 2026"])
def test_not_dates(text: str) -> None:
    with pytest.raises(CellError, match="not a date"):
        date_value(text)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2068, 12, 31)), st.sampled_from(["MDY", "DMY"]))
def test_date_formats_round_trip(d: date, order: str) -> None:
    us = f"{d.month:02d}/{d.day:02d}/{d.year}" if order == "MDY" else f"{d.day:02d}/{d.month:02d}/{d.year}"
    assert date_value(us, order) == date_value(d.isoformat(), order) == d  # type: ignore[arg-type]
    assert date_value(d.strftime("%b %d, %Y")) == d
    assert date_value(date_value(us, order).isoformat()) == d  # type: ignore[arg-type,union-attr]
