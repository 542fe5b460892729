"""--at parsing: with an offset it is that instant; without one it is the agent's wall-clock time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from relist.clock import from_local_naive, parse_at, to_local_naive, utc_iso
from relist.errors import BadInput

NY = ZoneInfo("America/New_York")


def test_without_offset_is_agent_time() -> None:
    at = parse_at("2026-11-25T09:30", NY)
    assert at.tzinfo is NY and at.hour == 9


def test_with_offset_is_that_instant_in_agent_zone() -> None:
    at = parse_at("2026-11-25T14:30+00:00", NY)
    assert at == datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("UTC"))
    assert at.tzinfo is NY and at.hour == 9 and at.tzname() == "EST"
    assert parse_at("2026-11-25T14:30Z", NY) == at


def test_bad_at_is_refused_with_an_example() -> None:
    with pytest.raises(BadInput, match="not an ISO date-time"):
        parse_at("tomorrow", NY)


def test_local_naive_round_trip() -> None:
    at = datetime(2026, 7, 4, 12, 0, tzinfo=ZoneInfo("America/Chicago"))
    naive = to_local_naive(at, NY)
    assert naive == datetime(2026, 7, 4, 13, 0)
    assert from_local_naive(naive, NY) == at
    assert utc_iso(at) == "2026-07-04T17:00:00Z"
