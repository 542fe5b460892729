"""What building today's queue keeps for the next build in a long-running process (the Excel add-in).

Clicking Today's Queue again after a morning of logged touches finds the log
grown at its end and a few lead rows changed. Each piece kept here is reused
only when the typed cells it was built from equal the cells read now (the log
only grown at its end, a lead's row and phones unchanged, its touches the
same); everything else is built afresh, so the queue is the one a fresh
process builds. Ports without a session (files, memory) never keep one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from relist.bulk import changed_rows
from relist.leads import leads_from_columns, phones_by_lead
from relist.model import Lead, Phone
from relist.sequence.plan import Plan
from relist.sequence.scheduler import LeadState
from relist.sequence.touches import (
    TOUCH_COLUMNS,
    TouchLog,
    TouchRow,
    extend_touch_columns,
    parse_touch_columns,
)

PHONE_READ = ("LeadId", "Position", "Phone", "VendorDNC", "PhoneStatus", "Extension", "Kind", "Litigator")
"""The tblPhones columns a lead's phones are made from (as `relist.leads.load_leads` reads them)."""

_REBUILD_SHARE = 4
"""More than 1 in this many leads changed: build them all afresh."""

StateEntry = tuple[Lead, int, TouchRow | None, LeadState]
"""A lead's replayed state and what it came from: the Lead object, its touch count and last touch."""


@dataclass
class QueueReuse:
    """The last build's parsed log, leads and replayed lead states, with the cells they came from."""

    touch_columns: dict[str, list[Any]] | None = None
    touch_rows: int = 0
    """Rows of `touch_columns` the log was parsed from (a port may add rows to those lists in place later)."""
    log: TouchLog | None = None
    undo_rows_seen: int = 0
    phone_columns: dict[str, list[Any]] | None = None
    phones: dict[str, tuple[Phone, ...]] = field(default_factory=dict)
    lead_columns: dict[str, list[Any]] | None = None
    leads: list[Lead] = field(default_factory=list)
    tz: ZoneInfo | None = None
    plan: Plan | None = None
    states: dict[str, StateEntry] = field(default_factory=dict)


def _same(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """Equal typed columns (the schema fixes each column's type, so equal values are equal cells)."""
    return a is b or (len(a) == len(b) and a == b)


def touch_log(columns: dict[str, list[Any]], reuse: QueueReuse) -> TouchLog:
    """The parsed log: the kept one, extended by the rows added at the end, when the rows before are unchanged."""
    old, log, n0 = reuse.touch_columns, reuse.log, reuse.touch_rows
    if (
        old is not None
        and log is not None
        and len(columns["TouchId"]) >= n0
        and all(columns[c] is old[c] or _same(columns[c][:n0], old[c][:n0]) for c in TOUCH_COLUMNS)
    ):
        log = extend_touch_columns(log, columns, n0)
    else:
        log = parse_touch_columns(columns)
        reuse.states.clear()  # new TouchRow objects: no kept state can match them anyway
        reuse.undo_rows_seen = 0
    for u in log.undo_rows[reuse.undo_rows_seen :]:  # an undo changes what its lead's touches did
        reuse.states.pop(u.lead_id, None)
    reuse.undo_rows_seen = len(log.undo_rows)
    reuse.touch_columns, reuse.log, reuse.touch_rows = columns, log, len(columns["TouchId"])
    return log


def _phones(columns: dict[str, list[Any]], reuse: QueueReuse) -> dict[str, tuple[Phone, ...]]:
    old = reuse.phone_columns
    if old is not None and old.keys() == columns.keys() and all(_same(columns[c], old[c]) for c in columns):
        return reuse.phones
    names = list(columns)
    return phones_by_lead([dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)])


def leads(
    lead_columns: dict[str, list[Any]], phone_columns: dict[str, list[Any]], tz: ZoneInfo, reuse: QueueReuse
) -> list[Lead]:
    """Every lead with its phones: the kept Lead objects for rows (and phones) that are unchanged, the others made afresh."""
    phones = _phones(phone_columns, reuse)
    old = reuse.lead_columns
    out: list[Lead] | None = None
    if old is not None and tz == reuse.tz and list(old) == list(lead_columns) and _same(lead_columns["LeadId"], old["LeadId"]):
        rows: set[int] = set()
        for name, values in lead_columns.items():
            if not _same(values, old[name]):
                rows.update(changed_rows(values, old[name]))
        if phones is not reuse.phones:
            moved = {lid for lid in phones.keys() | reuse.phones.keys() if phones.get(lid) != reuse.phones.get(lid)}
            rows.update(i for i, lid in enumerate(lead_columns["LeadId"]) if lid in moved)
        if len(rows) * _REBUILD_SHARE < len(reuse.leads):
            out = list(reuse.leads)
            at = sorted(rows)
            fresh = leads_from_columns({n: [v[i] for i in at] for n, v in lead_columns.items()}, phones, tz)
            for i, lead in zip(at, fresh, strict=True):
                out[i] = lead
    if out is None:
        out = leads_from_columns(lead_columns, phones, tz)
    reuse.lead_columns, reuse.leads, reuse.phones, reuse.phone_columns, reuse.tz = lead_columns, out, phones, phone_columns, tz
    return out


def states_for(plan: Plan, reuse: QueueReuse) -> dict[str, StateEntry]:
    """The kept lead states, emptied when the plan changed since they were made.

    (A changed time zone makes every Lead afresh in `leads`, so no kept state matches one.)
    """
    if plan != reuse.plan:
        reuse.states.clear()
    reuse.plan = plan
    return reuse.states


def session_reuse(book: Any) -> QueueReuse | None:
    """The QueueReuse a port keeps for its session (the live adapter in Excel), or None."""
    slot = getattr(book, "session_slot", None)
    if slot is None:
        return None
    got = slot("queue", QueueReuse)
    return got if isinstance(got, QueueReuse) else None


def read_inputs(book: Any, tz: ZoneInfo, reuse: QueueReuse) -> tuple[list[Lead], TouchLog]:
    """Leads and the parsed log from a port that reads by column, reusing what is unchanged."""
    names = list(book.table_columns("tblLeads"))
    lead_columns = book.read_columns("tblLeads", names)
    phone_columns = book.read_columns("tblPhones", list(PHONE_READ))
    found = leads(lead_columns, phone_columns, tz, reuse)
    log = touch_log(book.read_columns("tblTouches", list(TOUCH_COLUMNS)), reuse)
    return found, log

