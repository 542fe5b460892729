"""A verdict as the lines the agent reads: the same text on the CLI (`relist check`) and in Excel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from relist.model import Lead, Verdict


def verdict_lines(lead: Lead, channel: str, at: datetime, verdict: Verdict, next_at: datetime | None, tz: ZoneInfo) -> list[str]:
    """Heading, one line per rule (ok/NO, rule, finding, [source]), the window, and a one-line summary last."""
    local = at.astimezone(tz)
    to = f" to {verdict.phone}" if verdict.phone else ""
    lines = [f"{lead.lead_id} {lead.owner_name} - {channel} at {local:%Y-%m-%d %H:%M %Z}{to}".replace("  ", " ")]
    width = max((len(r.rule) for r in verdict.reasons), default=4)
    for r in verdict.reasons:
        lines.append(f"  {'ok ' if r.ok else 'NO '} {r.rule:<{width}}  {r.message}  [{r.source}]")
    if verdict.window_start and verdict.window_end:
        lines.append(
            f"Legal window that day: {verdict.window_start.astimezone(tz):%a %H:%M}-{verdict.window_end.astimezone(tz):%H:%M} your time."
        )
    if not verdict.allowed:
        lines.append("Next allowed: " + (f"{next_at.astimezone(tz):%Y-%m-%d %H:%M %Z}" if next_at else "not within 14 days"))
    lines.append(f"{lead.lead_id}: {'ALLOWED' if verdict.allowed else 'BLOCKED: ' + verdict.explain()}")
    return lines
