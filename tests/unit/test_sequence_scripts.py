"""Step scripts are said as they are true on the day: time words follow the hours since expiry,
and a script that mentions a letter says so when none has gone out."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from relist.compliance.opening import call_opening, call_script
from relist.sequence.scripts import as_of, expiry_day, when_expired

POINT = "Your listing came off the market yesterday. What would you change if you put it back on?"
SUN = date(2026, 10, 4)


def test_time_words_follow_the_days_since_expiry() -> None:
    assert when_expired(SUN, date(2026, 10, 4)) == "today"
    assert when_expired(SUN, date(2026, 10, 5)) == "yesterday"
    assert when_expired(SUN, date(2026, 10, 7)) == "on Sunday"  # 57 hours after a Sunday-night expiry
    assert when_expired(SUN, date(2026, 10, 20)) == "on October 4"
    assert as_of(POINT, SUN, date(2026, 10, 5)) == POINT
    assert as_of(POINT, SUN, date(2026, 10, 9)).startswith("Your listing came off the market on Sunday.")
    assert "yesterday" not in as_of(POINT, SUN, date(2026, 10, 9))
    text = "I tried to call about your home that just came off the market."
    assert as_of(text, SUN, date(2026, 10, 6)) == text
    assert as_of(text, SUN, date(2026, 10, 12)) == "I tried to call about your home that came off the market on October 4."
    assert as_of(POINT, None, date(2026, 10, 9)) == POINT


def test_a_letter_that_has_not_gone_out_is_not_mentioned_as_sent() -> None:
    point = "Mention the letter and one thing you noticed at the house."
    assert "No letter has gone out yet" in as_of(point, SUN, date(2026, 10, 11), {"call": date(2026, 10, 10)})
    assert as_of(point, SUN, date(2026, 10, 11), {"letter": date(2026, 10, 7)}) == point


def test_expiry_day_is_the_agents_day() -> None:
    ny = ZoneInfo("America/New_York")
    assert expiry_day(datetime(2026, 10, 5, 2, 0, tzinfo=ZoneInfo("UTC")), ny) == date(2026, 10, 4)
    assert expiry_day(datetime(2026, 10, 4, 23, 59), ny) == date(2026, 10, 4)
    assert expiry_day(datetime(2026, 10, 5, 0, 0), ny) == date(2026, 10, 4)  # 'expires 10/04' ends at midnight
    assert expiry_day(None, ny) is None


def test_a_call_script_opens_with_who_calls_for_whom_and_why() -> None:
    opening = call_opening("Alex Morgan", "Harbor Realty Group", "1 Main St")
    assert opening == 'Say first: "Hi, this is Alex Morgan with Harbor Realty Group, calling about your home at 1 Main St."'
    assert call_script(opening, "Ask about the price.").endswith("Then: Ask about the price.")
    assert call_opening("", "", "").startswith("Say first your name, your brokerage")
