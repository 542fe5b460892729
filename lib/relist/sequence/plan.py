"""The touch plan read from the Sequence sheet: validated rows become ordered steps.

A bad edit is refused as a whole, naming every faulty sheet row, so the caller
can keep the previous plan in force (see `service.load_plan`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from functools import cached_property
from typing import Any

from relist.errors import SequenceError
from relist.model import CHANNEL_NAMES, Channel, Step

_HINT = "Fix the row on the Sequence sheet; until then Relist keeps using the previous sequence."


@dataclass(frozen=True)
class Plan:
    """The main steps in the order they come due, and the repeating nurture steps."""

    steps: tuple[Step, ...]
    nurture: tuple[Step, ...]

    @property
    def all_steps(self) -> tuple[Step, ...]:
        return self.steps + self.nurture

    @cached_property
    def main_numbers(self) -> frozenset[int]:
        """Step numbers of the main (non-repeating) steps."""
        return frozenset(s.step for s in self.steps)

    @cached_property
    def main_offsets(self) -> tuple[tuple[Step, timedelta], ...]:
        """Each main step with its day offset as a timedelta (computed once, used per lead)."""
        return tuple((s, timedelta(days=s.day_offset)) for s in self.steps)

    @cached_property
    def after_call_texts(self) -> frozenset[int]:
        """Main text steps due the same day as an earlier call step: the text after no pickup
        ("I tried to call..."), pointless once the owner has been reached."""
        out: set[int] = set()
        calls: set[int] = set()
        for s in self.steps:
            if s.channel == "call":
                calls.add(s.day_offset)
            elif s.channel == "text" and s.day_offset in calls:
                out.add(s.step)
        return frozenset(out)

    def step(self, number: int | None) -> Step | None:
        """The step with this number, or None."""
        if number is None:
            return None
        for s in self.all_steps:
            if s.step == number:
                return s
        return None

    def to_records(self) -> list[dict[str, Any]]:
        """Sequence sheet rows for this plan, in step order."""
        return [
            {
                "Step": s.step,
                "Channel": s.channel,
                "DayOffset": s.day_offset,
                "TimeOfDay": s.time_of_day,
                "RepeatEveryDays": s.repeat_every_days,
                "Template": s.template or None,
                "Name": s.name or None,
                "TalkingPoint": s.talking_point or None,
            }
            for s in sorted(self.all_steps, key=lambda s: s.step)
        ]

    def to_json(self) -> str:
        """A compact text form, kept in the workbook as the last plan known to be good."""
        rows = []
        for r in self.to_records():
            t = r["TimeOfDay"]
            rows.append({**r, "TimeOfDay": t.strftime("%H:%M") if isinstance(t, time) else None})
        return json.dumps(rows, separators=(",", ":"), sort_keys=True)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int(value: Any) -> int | None:
    """A whole number from a cell, or None when the cell holds something else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            f = float(value.strip())
        except ValueError:
            return None
        return int(f) if f.is_integer() else None
    return None


def _time(value: Any) -> time | None | str:
    """A time of day from a cell; a str return value is the problem found."""
    if _blank(value):
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip().zfill(5)[:5])
        except ValueError:
            return f"Time {value!r} is not a time (write HH:MM, e.g. 09:30)"
    return f"Time {value!r} is not a time (write HH:MM, e.g. 09:30)"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_plan(records: Sequence[Mapping[str, Any]]) -> Plan:
    """A Plan from Sequence sheet records; raises SequenceError naming every bad row."""
    problems: list[str] = []
    steps: list[Step] = []
    seen: dict[int, int] = {}
    for index, rec in enumerate(records):
        row = index + 2  # the header is sheet row 1
        if all(_blank(v) for v in rec.values()):
            continue
        raw_step = rec.get("Step")
        number = _int(raw_step)
        label = f"row {row}" + (f" (Step {number})" if number is not None else "")
        row_problems: list[str] = []
        if number is None:
            row_problems.append(f"Step {raw_step!r} is not a whole number" if not _blank(raw_step) else "Step is blank")
        elif number < 1:
            row_problems.append(f"Step {number} must be 1 or more")
        elif number in seen:
            row_problems.append(f"Step {number} is already used on row {seen[number]}")
        channel = _text(rec.get("Channel")).lower()
        if channel not in CHANNEL_NAMES:
            shown = repr(rec.get("Channel")) if not _blank(rec.get("Channel")) else "blank"
            row_problems.append(f"channel {shown} is not one of {', '.join(CHANNEL_NAMES)}")
        raw_offset = rec.get("DayOffset")
        offset = _int(raw_offset)
        if offset is None:
            row_problems.append(f"Day {raw_offset!r} is not a whole number" if not _blank(raw_offset) else "Day is blank")
        elif offset < 0:
            row_problems.append(f"Day {offset} is negative (days count forward from the start)")
        raw_repeat = rec.get("RepeatEveryDays")
        repeat = None if _blank(raw_repeat) else _int(raw_repeat)
        if not _blank(raw_repeat) and (repeat is None or repeat < 1):
            row_problems.append(f"Repeat every (days) {raw_repeat!r} must be a whole number of days, 1 or more")
        tod = _time(rec.get("TimeOfDay"))
        if isinstance(tod, str):
            row_problems.append(tod)
            tod = None
        if row_problems:
            problems.append(f"{label}: {'; '.join(row_problems)}")
            continue
        assert number is not None and offset is not None
        seen[number] = row
        ch: Channel = channel  # type: ignore[assignment]  # checked against CHANNEL_NAMES above
        steps.append(
            Step(
                step=number,
                channel=ch,
                day_offset=offset,
                time_of_day=tod,
                repeat_every_days=repeat,
                template=_text(rec.get("Template")),
                name=_text(rec.get("Name")),
                talking_point=_text(rec.get("TalkingPoint")),
            )
        )
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise SequenceError(f"The Sequence sheet was not used: {shown}.", _HINT)
    main = tuple(sorted((s for s in steps if not s.is_nurture), key=lambda s: (s.day_offset, s.step)))
    nurture = tuple(sorted((s for s in steps if s.is_nurture), key=lambda s: (s.day_offset, s.step)))
    if not main and not nurture:
        raise SequenceError("The Sequence sheet has no steps.", "Add at least one step (Step, Channel, Day).")
    return Plan(main, nurture)


def plan_from_json(text: str) -> Plan:
    """The plan stored by `Plan.to_json` (raises SequenceError if it no longer parses)."""
    try:
        rows = json.loads(text)
    except ValueError as exc:
        raise SequenceError("The stored copy of the last good sequence is damaged.", _HINT) from exc
    if not isinstance(rows, list):
        raise SequenceError("The stored copy of the last good sequence is damaged.", _HINT)
    return parse_plan([r for r in rows if isinstance(r, dict)])


def default_plan() -> Plan:
    """The playbook's 8 steps and the nurture steps (defaults.py)."""
    from relist.sequence.defaults import DEFAULT_SEQUENCE_ROWS

    return parse_plan(DEFAULT_SEQUENCE_ROWS)
