"""The record-keeping export for an audit: calls and texts, DNC scrubs and registry loads, DNC list changes.

The Telemarketing Sales Rule (from 2024-10-15) asks for 5 years of: number called, date, time,
duration, outcome, who placed it, subject (compliance.md Record keeping [src]).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from relist.clock import utc_iso
from relist.csv_export import write_csv
from relist.errors import BadInput

if TYPE_CHECKING:
    from relist.workbook.port import WorkbookPort

AUDIT_COLUMNS = (
    "Kind", "At", "AtUtc", "LeadId", "Number", "Channel", "Outcome", "DurationSec", "Who", "Subject",
    "RegistryDate", "Checked", "Blocked", "Ref", "Detail",
)


@dataclass(frozen=True)
class AuditExport:
    """The audit rows for a date range (inclusive, agent's time), oldest first."""

    start: date
    end: date
    rows: tuple[dict[str, Any], ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[str(r["Kind"])] = out.get(str(r["Kind"]), 0) + 1
        return out

    def to_csv(self) -> str:
        """The CSV text, formulas neutralised (notes and reasons can hold an owner's words)."""
        return write_csv(AUDIT_COLUMNS, ([r.get(k) for k in AUDIT_COLUMNS] for r in self.rows))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _in(value: Any, lo: datetime, hi: datetime) -> bool:
    return isinstance(value, datetime) and lo <= value < hi


def _utc(value: datetime, tz: ZoneInfo) -> str:
    return utc_iso(value.replace(tzinfo=tz))


def audit_rows(book: WorkbookPort, start: date, end: date, tz: ZoneInfo, who_default: str = "") -> AuditExport:
    """Everything an auditor asks for between two days (inclusive, the agent's time zone)."""
    if end < start:
        raise BadInput(f"--to {end} is before --from {start}.", "Give the earlier day first.")
    lo = datetime.combine(start, time(0))
    hi = datetime.combine(end + timedelta(days=1), time(0))
    rows: list[dict[str, Any]] = []
    for t in book.read_records(
        "tblTouches",
        ["TouchId", "LeadId", "At", "Channel", "Step", "Outcome", "Phone", "Note", "DurationSec", "Who", "Subject", "UndoOf"],
    ):
        if str(t.get("Channel") or "") not in ("call", "text") or not _in(t.get("At"), lo, hi):
            continue
        at = t["At"]
        rows.append({
            "Kind": t["Channel"], "At": at, "AtUtc": _utc(at, tz), "LeadId": t.get("LeadId"), "Number": t.get("Phone"),
            "Channel": t.get("Channel"), "Outcome": t.get("Outcome"), "DurationSec": t.get("DurationSec"),
            "Who": t.get("Who") or who_default, "Subject": t.get("Subject"), "Ref": t.get("TouchId"),
            "Detail": f"undoes {t['UndoOf']}" if t.get("UndoOf") else t.get("Note"),
        })
    for s in book.read_records("tblScrubs", ["At", "Event", "RegistryDate", "Checked", "Blocked", "Detail"]):
        if str(s.get("Event") or "") in ("dnc-add", "dnc-remove") or not _in(s.get("At"), lo, hi):
            continue  # DNC list changes come from the DNC sheet itself, with the number
        at = s["At"]
        rows.append({
            "Kind": s.get("Event") or "scrub", "At": at, "AtUtc": _utc(at, tz), "RegistryDate": s.get("RegistryDate"),
            "Checked": s.get("Checked"), "Blocked": s.get("Blocked"), "Detail": s.get("Detail"),
        })
    for d in book.read_records(
        "tblDNC", ["DncId", "Phone", "Email", "LeadId", "Channel", "Source", "Reason", "AddedAt", "RemovedAt", "RemovedReason", "KeepUntil"]
    ):
        number = d.get("Phone") or d.get("Email")
        if _in(d.get("AddedAt"), lo, hi):
            at = d["AddedAt"]
            rows.append({
                "Kind": "dnc-add", "At": at, "AtUtc": _utc(at, tz), "LeadId": d.get("LeadId"), "Number": number,
                "Channel": d.get("Channel"), "Outcome": d.get("Source"), "Ref": d.get("DncId"),
                "Detail": f"{d.get('Reason') or ''} (keep until {_cell(d.get('KeepUntil'))})".strip(),
            })
        if _in(d.get("RemovedAt"), lo, hi):
            at = d["RemovedAt"]
            rows.append({
                "Kind": "dnc-remove", "At": at, "AtUtc": _utc(at, tz), "LeadId": d.get("LeadId"), "Number": number,
                "Channel": d.get("Channel"), "Ref": d.get("DncId"), "Detail": d.get("RemovedReason"),
            })
    rows.sort(key=lambda r: (r["At"], str(r["Kind"])))
    return AuditExport(start, end, tuple(rows))


def parse_day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        raise BadInput(f"{option} {text!r} is not a date.", "Write it as YYYY-MM-DD, e.g. 2026-01-31.") from exc

