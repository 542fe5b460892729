"""The touch log read once and indexed by lead, so the queue never rescans it per lead.

Times stay as the workbook holds them (naive, the agent's wall-clock time):
the whole log is in one zone, and converting 200,000 cells to aware datetimes
would cost more than everything else the queue does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from relist.bulk import paused_gc

TOUCH_COLUMNS: tuple[str, ...] = (
    "TouchId",
    "LeadId",
    "At",
    "Channel",
    "Step",
    "Outcome",
    "Phone",
    "FollowUpAt",
    "UndoOf",
)
"""The tblTouches columns the sequence needs (read only these: the log is the biggest table)."""


class TouchRow(NamedTuple):
    """One logged touch as the sequence needs it (the tblTouches columns in TOUCH_COLUMNS order)."""

    touch_id: str
    lead_id: str
    at: datetime
    channel: str
    step: int | None
    outcome: str
    phone: str | None
    follow_up: datetime | None
    undo_of: str | None


def touch_id(number: int) -> str:
    """T0000001, T0000002, ...: ids sort in log order."""
    return f"T{number:07d}"


def id_number(text: str) -> int:
    """The number in a TouchId (0 when it has none)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else 0


@dataclass
class TouchLog:
    """Every touch grouped by lead; undo rows are kept apart and resolved into `undone`."""

    by_lead: dict[str, list[TouchRow]] = field(default_factory=dict)
    undo_rows: list[TouchRow] = field(default_factory=list)
    undone: dict[str, str] = field(default_factory=dict)
    """Undone TouchId -> the TouchId of the undo row."""
    order: list[TouchRow] = field(default_factory=list)
    """Touches that are not undo rows, in log order."""
    last_number: int = 0
    skipped: int = 0
    """Rows without a LeadId or a readable At (not used)."""

    def for_lead(self, lead_id: str) -> list[TouchRow]:
        """The lead's touches (undone ones included; see `effective`)."""
        return self.by_lead.get(lead_id, [])

    def effective(self, lead_id: str) -> list[TouchRow]:
        """The lead's touches that stand (not undone), oldest first."""
        undone = self.undone
        return [t for t in self.by_lead.get(lead_id, ()) if t.touch_id not in undone]

    def find(self, touch_id_text: str) -> TouchRow | None:
        for t in self.order:
            if t.touch_id == touch_id_text:
                return t
        for t in self.undo_rows:
            if t.touch_id == touch_id_text:
                return t
        return None

    def next_id(self) -> str:
        return touch_id(self.last_number + 1)


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


_GET = itemgetter(*TOUCH_COLUMNS)


def _clean(rec: Mapping[str, Any]) -> TouchRow | None:
    """A TouchRow from a record whose cells are not the usual types, or None for an unusable row."""
    tid, lead, at, channel, step, outcome, phone, follow, undo_of = (rec.get(c) for c in TOUCH_COLUMNS)
    if not lead or not isinstance(at, datetime):
        return None
    return TouchRow(
        "" if tid is None else str(tid),
        str(lead),
        at,
        "" if channel is None else str(channel),
        _int_or_none(step),
        "" if outcome is None else str(outcome),
        None if phone is None else str(phone),
        follow if isinstance(follow, datetime) else None,
        None if not undo_of else str(undo_of),
    )


def parse_touches(records: Iterable[Mapping[str, Any]]) -> TouchLog:
    """Index tblTouches records by lead in one pass.

    This is the queue's hottest loop (200,000 rows a year): a row whose cells
    already have the schema's types becomes a TouchRow as it is; others go
    through `_clean`. Rows of a lead stay in log order unless their times say
    otherwise (then that lead's rows are sorted by time, stably).
    """
    with paused_gc():
        recs = records if isinstance(records, (list, tuple)) else list(records)
        try:
            return _parse(map(_GET, recs))  # itemgetter in C: no Python call per row when every record has the columns
        except KeyError:
            return _parse(map(_values, recs))


def parse_touch_columns(columns: Mapping[str, Sequence[Any]]) -> TouchLog:
    """`parse_touches` from the log read column by column (TOUCH_COLUMNS -> one value per row): no dict per row."""
    with paused_gc():
        return _parse(zip(*(columns[c] for c in TOUCH_COLUMNS), strict=True))


def extend_touch_columns(log: TouchLog, columns: Mapping[str, Sequence[Any]], start: int) -> TouchLog:
    """Add the rows from `start` on of a log read column by column to `log`, parsed from its first `start` rows (in place).

    For a long-running process that parsed the log before and finds it only
    grew at its end: the result equals `parse_touch_columns(columns)`.
    """
    with paused_gc():
        return _parse(zip(*(columns[c][start:] for c in TOUCH_COLUMNS), strict=True), log)


def _values(rec: Mapping[str, Any]) -> tuple[Any, ...]:
    try:
        vals: tuple[Any, ...] = _GET(rec)
    except KeyError:
        vals = tuple(rec.get(c) for c in TOUCH_COLUMNS)
    return vals


def _parse(rows: Iterable[tuple[Any, ...]], into: TouchLog | None = None) -> TouchLog:
    log = TouchLog() if into is None else into
    seen = log.last_number
    first_undo = len(log.undo_rows)
    by_lead = log.by_lead
    undo_rows = log.undo_rows
    order = log.order
    ids: list[Any] = []
    new = tuple.__new__
    unsorted: set[str] = set()
    for vals in rows:
        tid, lead, at, channel, step, outcome, _phone, follow, undo_of = vals
        ids.append(tid)
        if (
            lead.__class__ is str
            and at.__class__ is datetime
            and tid.__class__ is str
            and channel.__class__ is str
            and outcome.__class__ is str
            and (step is None or step.__class__ is int)
            and (follow is None or follow.__class__ is datetime)
        ):
            row: TouchRow = new(TouchRow, vals)
        else:
            clean = _clean(dict(zip(TOUCH_COLUMNS, vals, strict=True)))
            if clean is None:
                log.skipped += 1
                continue
            row = clean
            lead, at, undo_of = row.lead_id, row.at, row.undo_of
        if undo_of:
            undo_rows.append(row)
            continue
        order.append(row)
        bucket = by_lead.get(lead)
        if bucket is None:
            by_lead[lead] = [row]
        else:
            if at < bucket[-1][2]:
                unsorted.add(lead)
            bucket.append(row)
    for lead in unsorted:
        by_lead[lead].sort(key=lambda t: t.at)
    for u in undo_rows[first_undo:]:
        if u.undo_of:
            log.undone.setdefault(u.undo_of, u.touch_id)
    log.last_number = max(seen, _highest(ids))
    return log


def _highest(ids: list[Any]) -> int:
    """The highest TouchId number; standard ids (T + 7 digits) compare as text, so max() does the work."""
    present = [i for i in ids if i]
    if not present:
        return 0
    try:
        lengths = set(map(len, present))
    except TypeError:
        lengths = set()
    if lengths == {8}:
        lo, hi = min(present), max(present)
        if lo[:1] == "T" and hi[:1] == "T" and hi[1:].isdigit():
            return int(hi[1:])
    return max(id_number(str(i)) for i in present)


def highest_id(ids: list[Any]) -> int:
    """The highest TouchId number among `ids` (0 when there is none)."""
    return _highest(ids)


def lead_log(records: list[Mapping[str, Any]], lead_id: str) -> TouchLog:
    """One lead's touches and undo rows, with the log's highest TouchId: all that logging a touch needs.

    Undo rows carry the LeadId of the touch they undo, so the lead's rows are
    enough to know which of its touches stand.
    """
    try:  # itemgetter in C when every record has the columns (one read's records do)
        leads = list(map(_LEAD, records))
        ids = list(map(_ID, records))
    except KeyError:
        leads = [r.get("LeadId") for r in records]
        ids = [r.get("TouchId") for r in records]
    mine = [r for r, lead in zip(records, leads, strict=True) if lead == lead_id]
    log = parse_touches(mine)
    log.last_number = _highest(ids)
    return log


_LEAD = itemgetter("LeadId")
_ID = itemgetter("TouchId")
