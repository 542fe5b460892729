"""The compliance gate as the sequence sees it: one object bound to a compliance context.

Compliance (`relist.compliance.verdict`) is the single gate: the scheduler and
the queue ask it about every contact. Tests pass a hand-written gate instead.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from relist.model import Channel, Lead, Verdict

if TYPE_CHECKING:
    from relist.sequence.touches import TouchLog


class Gate(Protocol):
    """May this lead be contacted on this channel at this moment, and when next?"""

    def evaluate(self, lead: Lead, channel: Channel, at: datetime, phone: str | None = None) -> Verdict:
        """The verdict with every reason, the legal window that day and the phone chosen."""
        ...

    def next_allowed(self, lead: Lead, channel: Channel, after: datetime, horizon_days: int = 14) -> datetime | None:
        """The first allowed moment at or after `after`, or None within the horizon."""
        ...

    def zone(self, lead: Lead) -> tzinfo | None:
        """The owner's local zone when it is known for sure (for showing lead-local times)."""
        ...


class ComplianceGate:
    """The real gate: `relist.compliance.verdict` with a context loaded once per run."""

    def __init__(self, ctx: Any) -> None:
        from relist.compliance import verdict

        self.ctx = ctx
        self._evaluate = verdict.evaluate
        self._next_allowed = verdict.next_allowed
        self._zones: dict[tuple[str, str, str], tzinfo | None] = {}

    def evaluate(self, lead: Lead, channel: Channel, at: datetime, phone: str | None = None) -> Verdict:
        result: Verdict = self._evaluate(lead, channel, at, self.ctx, phone=phone)
        return result

    def next_allowed(self, lead: Lead, channel: Channel, after: datetime, horizon_days: int = 14) -> datetime | None:
        result: datetime | None = self._next_allowed(lead, channel, after, self.ctx, horizon_days=horizon_days)
        return result

    def zone(self, lead: Lead) -> tzinfo | None:
        """The one zone the owner's phone and ZIPs agree on (compliance's own lookups), else None."""
        from zoneinfo import ZoneInfo

        from relist.compliance.zones import phone_place, zip_place

        usable = lead.usable_phones()
        key = (usable[0].number if usable else "", lead.postal_code, lead.mailing_postal_code)
        if key in self._zones:
            return self._zones[key]
        places = [phone_place(key[0])] if key[0] else []
        places += [zip_place(z) for z in (key[1], key[2]) if z]
        names = {z for p in places for z in p.zones}
        found: tzinfo | None = ZoneInfo(names.pop()) if len(names) == 1 else None
        self._zones[key] = found
        return found


def compliance_gate(book: Any, at: datetime, lead_ids: Collection[str] | None = None, log: TouchLog | None = None) -> ComplianceGate:
    """The real gate for a workbook at a moment (loads registry, DNC list, rules once).

    `lead_ids`: only those leads will be asked about; `log`: the whole touch
    log as the caller has already read it (compliance then does not read it again).
    """
    from relist.compliance import verdict

    known = None if log is None else known_log(log)
    return ComplianceGate(verdict.load_context(book, at, lead_ids=lead_ids, known=known))


def known_log(log: TouchLog) -> Any:
    """The parsed touch log as compliance takes it (`verdict.KnownLog`): its rows by lead, undone ids, DNC request rows."""
    from relist.compliance.internal_dnc import REQUEST_OUTCOMES
    from relist.compliance.verdict import KnownLog

    rows = [t for t in log.order if t.outcome in REQUEST_OUTCOMES]
    rows += log.undo_rows
    requests = [
        {"TouchId": t.touch_id, "LeadId": t.lead_id, "At": t.at, "Channel": t.channel, "Outcome": t.outcome, "UndoOf": t.undo_of}
        for t in rows
    ]
    return KnownLog(log.by_lead, log.undone, requests)
