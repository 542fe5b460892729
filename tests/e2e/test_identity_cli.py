"""Who sends, through the CLI as the agent runs it: `relist init` then any outbound command is one refusal line,
exit 2, nothing written; the same after LibreOffice saved the workbook; the readiness report says it first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.conftest import soffice_convert
from tests.identity import give_identity

from relist.settings import SAMPLE_IDENTITY, mark_demo, write_identity
from relist.workbook import open_workbook

pytestmark = pytest.mark.e2e

AT = "2026-11-25T09:30"
NAME_EMPTY = ("relist: error: Settings > Your name is empty (also to fix: Brokerage): type your name as it should appear "
              "on letters, texts and emails, then run this again.")


def relist(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "relist", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _lead(path: Path) -> None:
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L0001", "Status": "New", "OwnerName": "Pat Owner", "OwnerFirstName": "Pat",
                                   "PropertyAddress": "1 Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602",
                                   "ListingStatus": "Expired", "Contactable": True}])
    book.save()


@pytest.fixture
def new_book(tmp_path: Path) -> Path:
    r = relist("init", "Relist.xlsx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Settings > Your name, Brokerage, License number, Phone, Postal address and Email" in r.stdout
    path = tmp_path / "Relist.xlsx"
    _lead(path)
    return path


def _refusal(path: Path, *args: str) -> str:
    before = path.read_bytes()
    r = relist(*args, "--workbook", path.name, "--at", AT, cwd=path.parent)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert path.read_bytes() == before
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_every_outbound_command_refuses_a_new_workbook_in_one_line(new_book: Path) -> None:
    assert _refusal(new_book, "today") == NAME_EMPTY
    assert _refusal(new_book, "export", "dial-list", "--out", "d.csv") == NAME_EMPTY
    letters = _refusal(new_book, "letters", "--out", "l.pdf", "--labels", "lab.pdf")
    assert letters.startswith("relist: error: Settings > Your name is empty (also to fix: Brokerage, License number, Phone, Postal address)")
    assert _refusal(new_book, "route", "--out", "r.pdf", "--hangers", "h.pdf").startswith("relist: error: Settings > Your name is empty")
    assert "Email" in _refusal(new_book, "email", "--drafts", "drafts")
    assert _refusal(new_book, "marketing-plan", "L0001", "--out", "p.pdf").startswith("relist: error: Settings > Your name is empty")
    assert _refusal(new_book, "present", "L0001", "--no-pdf").startswith("relist: error: Settings > Your name is empty (also to fix: Brokerage)")
    assert not [p for p in new_book.parent.iterdir() if p.suffix in (".pdf", ".csv", ".pptx")]
    assert not (new_book.parent / "drafts").exists()


def test_the_readiness_report_says_it_first(new_book: Path) -> None:
    r = relist("check", "--setup", "--workbook", new_book.name, cwd=new_book.parent)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == "Who you are (Settings): nothing goes out until these are filled in:"
    assert lines[2].startswith("  [to do] Settings > Your name is empty: type your name")


def test_filled_in_today_runs_and_a_rename_is_refused(new_book: Path) -> None:
    give_identity(new_book)
    r = relist("today", "--workbook", new_book.name, "--at", AT, cwd=new_book.parent)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(new_book)
    ws = wb["Settings"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Brokerage")
    ws.cell(row, 1).value = "Company"
    wb.save(new_book)
    assert _refusal(new_book, "today") == (
        "relist: error: The Settings sheet has no 'Brokerage' row ('Company' is not a setting Relist knows: renamed?): "
        "type 'Brokerage' back in its Setting cell (or restore a backup), with your value beside it, then run this again.")


def test_after_libreoffice_saves_it_blank_and_sample_are_still_refused_and_the_demo_mark_kept(new_book: Path, tmp_path: Path) -> None:
    saved = soffice_convert(new_book, "xlsx:Calc Office Open XML", tmp_path / "lo")
    assert _refusal(saved, "today") == NAME_EMPTY
    book = open_workbook(saved)
    write_identity(book, SAMPLE_IDENTITY)  # an old workbook's sample agent, saved again by LibreOffice
    book.save()
    again = soffice_convert(saved, "xlsx:Calc Office Open XML", tmp_path / "lo2")
    assert _refusal(again, "letters", "--out", "l.pdf").startswith(
        "relist: error: Settings > Your name is 'Alex Morgan', the sample from a new workbook, not yours")
    book = open_workbook(again)
    mark_demo(book)
    book.save()
    demo = soffice_convert(again, "xlsx:Calc Office Open XML", tmp_path / "lo3")
    r = relist("today", "--workbook", demo.name, "--at", AT, cwd=demo.parent)
    assert r.returncode == 0, r.stderr
    give_identity(demo)
    mine = soffice_convert(demo, "xlsx:Calc Office Open XML", tmp_path / "lo4")
    r = relist("today", "--workbook", mine.name, "--at", AT, cwd=mine.parent)
    assert r.returncode == 0, r.stderr
