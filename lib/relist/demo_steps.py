"""The demo day's steps after init, in order; each does one job of the agent's day on sample data.

Each step takes the workbook path, the demo moment and the result (where it records the files
it made) and returns a one-line account of what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from relist.words import count

if TYPE_CHECKING:
    from relist.demo import DemoResult

Step = Callable[[Path, datetime, "DemoResult"], str]

SEED = 20261125
EXPIREDS = 60


def _inputs(result: DemoResult) -> Path:
    folder = result.directory / "inputs"
    folder.mkdir(exist_ok=True)
    return folder


def sample_files(book_path: Path, at: datetime, result: DemoResult) -> str:
    """The morning's exports: a vendor expired list, the MLS active list, sold comps, and a DNC registry file."""
    from relist import sample_data

    folder = _inputs(result)
    expired = sample_data.expired_export(EXPIREDS, SEED, at - timedelta(hours=1))
    result.files["expired export"] = sample_data.write_csv(expired, folder / "expireds-vendor.csv")
    result.files["active listings"] = sample_data.write_csv(
        sample_data.active_export(EXPIREDS, SEED, at - timedelta(hours=1), share=0.1), folder / "active-listings.csv"
    )
    result.files["sold comps"] = sample_data.write_csv(
        sample_data.sold_comps_export(400, SEED, at - timedelta(hours=1)), folder / "sold-comps.csv"
    )
    result.files["DNC registry file"] = _registry_file(expired, folder / "dnc-registry.txt")
    return f"Wrote the sample exports to {folder}"


def _registry_file(rows: list[dict[str, str]], path: Path) -> Path:
    """A registry download for the sample's area codes, listing every fifth owner phone (all fictional 555-01xx)."""
    import re

    numbers: set[str] = set()
    areas: set[str] = set()
    for i, row in enumerate(rows):
        for key, value in row.items():
            if "phone" not in key.lower() or "agent" in key.lower() or not value:
                continue
            digits = re.sub(r"\D", "", value)[-10:]
            if len(digits) == 10:
                areas.add(digits[:3])
                if i % 5 == 0:
                    numbers.add(digits)
    for area in areas:  # every area code needs a fresh copy, even with no number listed in the sample
        numbers.add(f"{area}5550199")
    lines = [f"{n[:3]},{n[3:]}" for n in sorted(numbers)]
    path.write_text("\n".join(lines) + "\n")
    return path


def load_registry(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist import settings
    from relist.compliance.service import load_registry
    from relist.workbook import open_workbook

    book = open_workbook(book_path)
    today = at.astimezone(settings.load(book).tz).date()
    folder, report = load_registry(book, [result.files["DNC registry file"]], at, downloaded=today)
    result.files["DNC registry copy"] = folder
    return f"Loaded the DNC registry copy: {report.numbers:,} numbers in {len(report.areas)} area codes"


def import_expireds(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.intake.service import import_files
    from relist.workbook import open_workbook

    s = import_files(open_workbook(book_path), [result.files["expired export"]], at=at, vendor="SampleVendor")
    return (f"Imported expireds: {count(s.read, 'row')} -> {s.added} added, {s.updated} updated, {count(s.duplicates, 'duplicate')}, "
            f"{s.not_contactable} not contactable, {s.rejected} rejected")


def import_actives(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.intake.service import import_files
    from relist.workbook import open_workbook

    s = import_files(open_workbook(book_path), [result.files["active listings"]], at=at, kind="active")
    return f"Checked the active listings: {count(s.relisted, 'lead')} relisted with another agent (their sequences stopped)"


def todays_queue(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.sequence.service import today
    from relist.workbook import open_workbook

    q = today(open_workbook(book_path), at)
    return (f"Built today's queue: {count(len(q.calls), 'call')}, {count(len(q.texts), 'text')}, {count(len(q.letters), 'letter')}, "
            f"{count(len(q.doors), 'door knock')}, {count(len(q.emails), 'email')}; {len(q.blocked)} skipped with reasons, "
            f"{len(q.overflow)} over capacity")


def work_calls(book_path: Path, at: datetime, result: DemoResult) -> str:
    """The agent dials the first calls: no answer (then the text), an appointment, a do-not-call request."""
    from relist.sequence.service import log_touch, today
    from relist.workbook import open_workbook

    book = open_workbook(book_path)
    q = today(book, at, write=False)
    sized = {r["LeadId"] for r in book.read_records("tblLeads", ["LeadId", "LivingArea"]) if r["LivingArea"]}
    calls = list(q.calls[:5])
    # The appointment goes to a lead whose listing data can carry a presentation.
    for i, entry in enumerate(calls):
        if entry.lead_id in sized and i != 1 and len(calls) > 1:
            calls[1], calls[i] = calls[i], calls[1]
            break
    outcomes = ["no-answer", "appointment", "dnc-request", "voicemail", "call-back"]
    done = []
    moment = at
    for entry, outcome in zip(calls, outcomes, strict=False):
        moment = moment + timedelta(minutes=4)
        follow = None
        if outcome == "appointment":
            follow = (at + timedelta(days=2)).replace(hour=18, minute=0)
        elif outcome == "call-back":
            follow = (at + timedelta(days=1)).replace(hour=17, minute=30)
        log_touch(open_workbook(book_path), entry.lead_id, "call", outcome, moment, follow_up=follow, note="demo")
        done.append(f"{entry.lead_id} {outcome}")
    today(open_workbook(book_path), moment + timedelta(minutes=1))
    return "Logged calls: " + ", ".join(done) + "; rebuilt the queue"


def roi_and_dashboard(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.roi.model import RoiInputs
    from relist.roi.service import refresh_dashboard, save_scenario
    from relist.workbook import open_workbook

    save_scenario(open_workbook(book_path), RoiInputs())
    funnel = refresh_dashboard(open_workbook(book_path), at + timedelta(hours=1))
    return f"Wrote an ROI scenario and refreshed the Dashboard from {funnel.total.dials} logged dials"


def outreach(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.channels import service
    from relist.workbook import open_workbook

    out = result.directory / "outreach"
    out.mkdir(exist_ok=True)
    dial = service.dial_list(open_workbook(book_path), at)
    (out / "dial-list.csv").write_text(dial.csv)
    result.files["dial list"] = out / "dial-list.csv"
    cal = service.calendar(open_workbook(book_path), at)
    (out / "appointments.ics").write_text(cal.ics)
    result.files["calendar"] = out / "appointments.ics"
    later = at + timedelta(days=2)
    letters = service.letters(open_workbook(book_path), later.replace(hour=10), labels=True)
    if letters.pdf:
        (out / "letters.pdf").write_bytes(letters.pdf)
        result.files["letters (day 2)"] = out / "letters.pdf"
    if letters.labels:
        (out / "labels.pdf").write_bytes(letters.labels)
        result.files["address labels"] = out / "labels.pdf"
    return (f"Outreach files: dial list of {count(len(dial.rows), 'number')}, {count(len(cal.events), 'calendar event')}, "
            f"{count(len(letters.letters), 'letter')} for day 2")


def presentation(book_path: Path, at: datetime, result: DemoResult) -> str:
    from relist.present.deck import find_soffice
    from relist.present.service import build_presentation
    from relist.workbook import open_workbook

    book = open_workbook(book_path)
    booked = [r["LeadId"] for r in book.read_records("tblLeads", ["LeadId", "Status"]) if r["Status"] == "Appointment"]
    if not booked:
        return "No appointment was set, so no listing presentation was made"
    lead = booked[0]
    pres = build_presentation(
        book, lead, at=at, comps_path=result.files["sold comps"],
        out_dir=result.directory / "presentations", pdf=find_soffice() is not None,
    )
    result.files["presentation (pptx)"] = pres.pptx
    if pres.pdf:
        result.files["presentation (pdf)"] = pres.pdf
    note = "" if pres.pdf else " (no PDF: LibreOffice is not installed; open the .pptx)"
    return f"Made the listing presentation for {lead}{note}"


STEPS: list[Step] = [
    sample_files,
    load_registry,
    import_expireds,
    import_actives,
    todays_queue,
    work_calls,
    roi_and_dashboard,
    outreach,
    presentation,
]
