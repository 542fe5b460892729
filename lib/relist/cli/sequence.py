"""The sequence commands: today's queue, log a touch, undo a touch. Each is one service call."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option
from relist.schema import CHANNELS, OUTCOMES
from relist.sequence.queue import phone_display
from relist.words import count


def _open(path: Path | None) -> tuple[Any, Any]:
    """The workbook and its settings."""
    from relist import settings
    from relist.workbook import open_workbook

    book = open_workbook(require_workbook(path))
    return book, settings.load(book)


def _when(text: str | None, tz: Any, now: datetime) -> datetime:
    from relist.clock import parse_at

    return parse_at(text, tz) if text else now


def _entry_line(e: Any) -> str:
    bits = [f"{e.rank:>3}. {e.lead_id:<8} {e.owner[:22]:<22}"]
    if e.channel in ("call", "text"):
        bits.append(f"{phone_display(e.phone):<14} {e.window:<20}")
    else:
        bits.append(f"{e.address[:34]:<34}")
    step = f"step {e.step}" if e.step is not None else "call-back"
    extra = f", {e.hours_since_expiry} h since expiry" if e.kind == "fresh" and e.hours_since_expiry is not None else ""
    late = f", {count(e.days_overdue, 'day')} overdue" if e.days_overdue else ""
    bits.append(f"{step} ({e.kind}{extra}{late}, {count(e.touches, 'touch')})")
    line = " ".join(bits)
    if e.message:
        line += f"\n       {e.message}"
    return line


def _queue_lines(queue: Any) -> list[str]:
    titles = {"calls": "Calls", "texts": "Texts to send", "letters": "Letters to print", "doors": "Door knocks (route order)", "emails": "Emails to send"}
    lines: list[str] = [f"warning: {w}" for w in queue.warnings]
    for name, title in titles.items():
        entries = queue.section(name)
        if not entries:
            continue
        lines.append(f"{title} ({len(entries)}):")
        lines += [_entry_line(e) for e in entries]
    if queue.overflow:
        lines.append(f"Over your daily call limit ({len(queue.overflow)}): call these tomorrow, or raise Settings > Calls per day")
        lines += [f"  {e.lead_id:<8} {e.owner[:22]:<22} {e.phone}" for e in queue.overflow]
    if queue.blocked:
        lines.append(f"Skipped: {queue.skipped} of {count(queue.due, 'due touch')}, by reason (details in the Today sheet or --json):")
        for reason, entries in queue.skipped_by_reason():
            ids = ", ".join(f"{e.lead_id} ({e.channel})" if e.channel else e.lead_id for e in entries[:8])
            more = f" and {len(entries) - 8} more" if len(entries) > 8 else ""
            lines.append(f"  {count(len(entries), 'touch')}: {reason}")
            lines.append(f"      {ids}{more}")
    lines.append(queue.summary())
    return lines


@click.command()
@workbook_option
@at_option
@json_option
def today(workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Build today's queue (calls, texts, letters, doors, emails, skipped) and write the Today sheet."""
    from relist.sequence import service

    book, settings = _open(workbook)
    when = _when(at, settings.tz, datetime.now(settings.tz).replace(microsecond=0))
    queue = service.today(book, when)
    emit(as_json, queue.to_json(), _queue_lines(queue))


@click.command()
@click.argument("lead_id")
@click.option("--channel", required=True, type=click.Choice(CHANNELS), help="How you touched the owner.")
@click.option("--outcome", required=True, type=click.Choice(OUTCOMES), help="What happened.")
@click.option("--phone", default=None, metavar="N", help="The phone used: its position (1, 2, ...) or the number. Default: the best phone.")
@click.option("--note", default=None, help="A note kept with the touch.")
@click.option("--follow-up", "follow_up", default=None, metavar="ISO-DATETIME", help="call-back: when to call back; appointment: when it is.")
@click.option("--duration", default=None, type=click.IntRange(min=0), metavar="SEC", help="Call length in seconds (record keeping).")
@click.option("--step", default=None, type=int, help="The sequence step this touch completes (default: the step due on that channel).")
@workbook_option
@at_option
@json_option
def log(
    lead_id: str,
    channel: str,
    outcome: str,
    phone: str | None,
    note: str | None,
    follow_up: str | None,
    duration: int | None,
    step: int | None,
    workbook: Path | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Log a touch of LEAD_ID (append to Touches, update the lead, schedule its next step)."""
    from relist.clock import parse_at
    from relist.sequence import service

    book, settings = _open(workbook)
    now = datetime.now(settings.tz).replace(microsecond=0)
    when = _when(at, settings.tz, now)
    follow = parse_at(follow_up, settings.tz) if follow_up else None
    result = service.log_touch(
        book, lead_id, channel, outcome, when, phone=phone, note=note, follow_up=follow, duration=duration, step=step, logged_at=now
    )
    lines = [f"warning: {w}" for w in result.warnings] + [result.summary()]
    emit(as_json, result.to_json(), lines)


@click.command()
@click.argument("touch_id", required=False)
@workbook_option
@at_option
@json_option
def undo(touch_id: str | None, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Undo the last touch logged, or TOUCH_ID (an undo row is logged; nothing is erased)."""
    from relist.sequence import service

    book, settings = _open(workbook)
    now = datetime.now(settings.tz).replace(microsecond=0)
    result = service.undo(book, touch_id, at=_when(at, settings.tz, now), logged_at=now)
    lines = [f"warning: {w}" for w in result.warnings] + [result.summary()]
    emit(as_json, result.to_json(), lines)
