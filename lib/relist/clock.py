"""Time at the edges: the workbook holds the agent's wall-clock time; the domain holds aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from relist.errors import BadInput


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput(
            f"Unknown time zone {name!r}.",
            "Use an IANA name such as America/New_York in Settings > Time zone.",
        ) from exc


def machine_now() -> datetime:
    """The machine's own wall clock, aware: for file names and log lines a person reads on this
    computer, never for a date the law or the sequence depends on (those use the agent's zone)."""
    return datetime.now(UTC).astimezone()


def parse_at(text: str | None, tz: ZoneInfo) -> datetime:
    """`--at` as an aware datetime: with an offset it is that instant, without one it is `tz` time."""
    if text is None or text == "":
        return datetime.now(tz).replace(microsecond=0)
    s = text.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(s)
    except ValueError as exc:
        raise BadInput(
            f"--at {text!r} is not an ISO date-time.", "Write it like 2026-11-25T09:30 or 2026-11-25T09:30-05:00."
        ) from exc
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)  # the same instant, shown in the agent's zone (EST, not UTC-05:00)


def to_local_naive(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    """An aware instant as the agent's wall-clock time for a cell."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(microsecond=0)
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


def from_local_naive(value: datetime | date | None, tz: ZoneInfo) -> datetime | None:
    """A cell's wall-clock time (agent's zone) as an aware instant."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=tz)


def utc_iso(value: datetime) -> str:
    """An aware instant as ISO 8601 UTC text."""
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
