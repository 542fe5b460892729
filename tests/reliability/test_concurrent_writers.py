"""Two Relist writers at once on one workbook, as real processes: no write lost, no save corrupt.

Each trial starts two commands together. A write is lost when its command exits 0 but its
change is not in the workbook afterwards; a save is corrupt when the workbook is not a valid
zip or does not open. The writer lock makes the second command wait for the first.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from relist.workbook import open_workbook
from tests.reliability.conftest import Run, export_rows, finish, is_valid_zip, start

pytestmark = pytest.mark.reliability

TRIALS = 3
AT = "2026-11-25T09:30"


def _log(book: Path, lead: str, outcome: str, note: str) -> list[str]:
    return ["log", lead, "--channel", "call", "--outcome", outcome, "--note", note, "-w", str(book), "--at", AT]


def _import(book: Path, csv: Path) -> list[str]:
    return ["import", str(csv), "-w", str(book), "--at", "2026-11-25T08:00"]


def _notes(book: Path) -> set[str]:
    return {str(r.get("Note")) for r in open_workbook(book).read_records("tblTouches")}


def _listings(book: Path) -> set[str]:
    return {str(r.get("ListingId")) for r in open_workbook(book).read_records("tblLeads")}


def _dnc_leads(book: Path) -> set[str]:
    return {str(r.get("LeadId")) for r in open_workbook(book).read_records("tblDNC") if not r.get("RemovedAt")}


def _pair(a: list[str], b: list[str]) -> tuple[Run, Run]:
    pa, pb = start(*a), start(*b)
    return finish(pa), finish(pb)


def _check_run(run: Run, tally: Counter[str]) -> bool:
    """True when the command reports success; a refusal must be one line, exit 2, no traceback."""
    assert "Traceback" not in run.err, run.err
    if run.code == 0:
        return True
    tally["refused"] += 1
    assert run.code == 2 and len(run.err.strip().splitlines()) <= 2, run.err
    return False


def _corrupt(book: Path) -> bool:
    if not is_valid_zip(book):
        return True
    try:
        open_workbook(book)
    except Exception:  # noqa: BLE001 - any failure to open is a corrupt save here
        return True
    return False


@pytest.mark.parametrize("trial", range(TRIALS))
def test_log_and_log(book: Path, trial: int) -> None:
    tally: Counter[str] = Counter()
    a, b = _pair(_log(book, "L000001", "no-answer", f"first {trial}"), _log(book, "L000002", "voicemail", f"second {trial}"))
    assert not _corrupt(book)
    notes = _notes(book)
    lost = sum(1 for run, note in ((a, f"first {trial}"), (b, f"second {trial}")) if _check_run(run, tally) and note not in notes)
    assert lost == 0, (a, b)
    assert tally["refused"] == 0, (a, b)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_log_dnc_request_and_import(book: Path, tmp_path: Path, trial: int) -> None:
    tally: Counter[str] = Counter()
    csv = tmp_path / "more.csv"
    csv.write_text(export_rows("M", 100, 8))
    a, b = _pair(_log(book, "L000003", "dnc-request", f"stop {trial}"), _import(book, csv))
    assert not _corrupt(book)
    lost = 0
    if _check_run(a, tally) and ("L000003" not in _dnc_leads(book) or f"stop {trial}" not in _notes(book)):
        lost += 1
    if _check_run(b, tally) and not {f"M{i:04d}" for i in range(100, 108)} <= _listings(book):
        lost += 1
    assert lost == 0, (a, b)
    assert tally["refused"] == 0, (a, b)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_import_and_import(book: Path, tmp_path: Path, trial: int) -> None:
    tally: Counter[str] = Counter()
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text(export_rows("A", 200, 6))
    two.write_text(export_rows("B", 300, 6))
    a, b = _pair(_import(book, one), _import(book, two))
    assert not _corrupt(book)
    have = _listings(book)
    lost = 0
    if _check_run(a, tally) and not {f"A{i:04d}" for i in range(200, 206)} <= have:
        lost += 1
    if _check_run(b, tally) and not {f"B{i:04d}" for i in range(300, 306)} <= have:
        lost += 1
    assert lost == 0, (a, b)
    assert tally["refused"] == 0, (a, b)
