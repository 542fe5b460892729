"""Step scripts said as they are true today: "came off the market yesterday" only the day after
expiry, and no mention of a letter that has not gone out. Pure: a talking point and facts in, text out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_JUST = re.compile(r"\bjust came off the market\b", re.IGNORECASE)


def expiry_day(expired_at: datetime | None, tz: tzinfo) -> date | None:
    """The listing's last day on the market, agent-local (a naive value is already agent-local).
    An expiry at midnight ends the day before: 'expires 11/24' is stored as 11/25 00:00."""
    if expired_at is None:
        return None
    local = expired_at.astimezone(tz) if expired_at.tzinfo else expired_at
    return (local - timedelta(microseconds=1)).date()


def when_expired(expired: date, today: date) -> str:
    """'today', 'yesterday', 'on Sunday' (within a week) or 'on October 4'."""
    days = (today - expired).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {_DAY_NAMES[expired.weekday()]}"
    return f"on {expired:%B} {expired.day}"


def as_of(point: str, expired: date | None, today: date, done_channels: Mapping[str, date] | None = None) -> str:
    """The talking point with its time words made true for `today`, and a note when it mentions a
    letter that has not been sent."""
    out = point
    if expired is not None:
        phrase = when_expired(expired, today)
        if phrase != "yesterday":
            out = _YESTERDAY.sub(phrase, out)
        if (today - expired).days > 2:
            out = _JUST.sub(f"came off the market {phrase}", out)
    if done_channels is not None and "letter" in out.lower() and "letter" not in done_channels:
        out += " (No letter has gone out yet: leave that part out.)"
    return out
