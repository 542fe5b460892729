"""Who sends, on real .xlsx files: a new workbook, a renamed Settings row, the old sample agent, the demo's mark.

Every refusal comes before anything is written: the file's bytes are the same afterwards.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from tests.data.comps.fixture import AT as DECK_AT
from tests.data.comps.fixture import file_book
from tests.identity import AGENT, give_identity

from relist import settings
from relist.channels import service as channels
from relist.errors import IdentityMissing
from relist.present.service import build_presentation
from relist.sequence import service as sequence
from relist.settings import SAMPLE_IDENTITY, mark_demo, require_identity, write_identity
from relist.workbook import open_workbook, template

AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
LEAD = {"LeadId": "L0001", "Status": "New", "OwnerName": "Pat Owner", "OwnerFirstName": "Pat", "PropertyAddress": "1 Main St",
        "City": "Tampa", "State": "FL", "PostalCode": "33602", "ListingStatus": "Expired", "Contactable": True,
        "ExpiredAt": datetime(2026, 11, 20, 0, 0)}


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [LEAD])
    book.save()
    return path


def _set(path: Path, **values: str) -> None:
    book = open_workbook(path)
    write_identity(book, values)
    book.save()


def _refused(path: Path, job: str) -> str:
    """Run one outbound job on the file; returns the refusal's line and checks nothing was written."""
    before = path.read_bytes()
    book = open_workbook(path)
    with pytest.raises(IdentityMissing) as e:
        if job == "today":
            sequence.today(book, AT)
        elif job == "letters":
            channels.letters(book, AT, labels=True)
        elif job == "emails":
            channels.prepare_emails(book, AT)
        elif job == "route":
            channels.route(book, AT, hangers=True)
        elif job == "texts":
            channels.texts(book, AT)
        elif job == "dial list":
            channels.dial_list(book, AT)
        else:
            channels.marketing_plan(book, "L0001", AT)
    assert path.read_bytes() == before
    return e.value.one_line()


@pytest.mark.parametrize("job", ["today", "letters", "emails", "route", "texts", "dial list", "marketing plan"])
def test_a_new_workbook_refuses_every_outbound_job_before_writing(blank: Path, job: str) -> None:
    line = _refused(blank, job)
    assert line.startswith("Settings > Your name is empty") and line.endswith("then run this again.")


def test_the_new_workbooks_settings_sheet_holds_no_identity(blank: Path) -> None:
    ws = load_workbook(blank)["Settings"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    for label in ("Your name", "Brokerage", "License number", "Postal address", "Phone", "Email"):
        assert cells[label] in (None, ""), label
    assert not set(SAMPLE_IDENTITY.values()) & {str(v) for v in cells.values()}


def test_filled_in_the_jobs_run(blank: Path) -> None:
    give_identity(blank)
    book = open_workbook(blank)
    sequence.today(book, AT)
    assert channels.letters(open_workbook(blank), AT).skipped is not None
    require_identity(settings.load(open_workbook(blank)), "emails")


def test_a_renamed_identity_row_is_refused_naming_the_row(blank: Path) -> None:
    give_identity(blank)
    wb = load_workbook(blank)
    ws = wb["Settings"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Your name")
    ws.cell(row, 1).value = "Name"
    wb.save(blank)
    s = settings.load(open_workbook(blank))
    assert s.agent_name == "" and s.raw["Name"] == AGENT["AgentName"]  # the value is not used under another label
    line = _refused(blank, "letters")
    assert line.startswith("The Settings sheet has no 'Your name' row ('Name' is not a setting Relist knows: renamed?)")
    assert "type 'Your name' back in its Setting cell" in line


def test_a_deleted_identity_row_is_refused(blank: Path) -> None:
    give_identity(blank)
    book = open_workbook(blank)
    rows = [r for r in book.read_records("tblSettings") if r["Setting"] != "Brokerage"]
    book.replace_rows("tblSettings", rows)
    book.save()
    assert _refused(blank, "texts").startswith("The Settings sheet has no 'Brokerage' row:")


def test_a_blank_value_typed_over_is_empty(blank: Path) -> None:
    give_identity(blank, LicenseNumber="   ")
    assert _refused(blank, "letters").startswith("Settings > License number is empty: type your real-estate license number")
    sequence.today(open_workbook(blank), AT)  # the queue does not need it


def test_an_old_workbook_with_the_sample_agent_is_refused(blank: Path) -> None:
    give_identity(blank, **SAMPLE_IDENTITY)
    line = _refused(blank, "today")
    assert line.startswith("Settings > Your name is 'Alex Morgan', the sample from a new workbook, not yours")
    _set(blank, AgentName="Pat Real")  # the agent typed their name but left the rest
    assert _refused(blank, "letters").startswith("Settings > Brokerage is 'Harbor Realty Group', the sample from a new workbook")


def test_only_the_marked_demo_workbook_sends_as_the_sample_agent(blank: Path) -> None:
    give_identity(blank, **SAMPLE_IDENTITY)
    book = open_workbook(blank)
    mark_demo(book)
    book.save()
    ws = load_workbook(blank)["_Relist"]
    assert ws.sheet_state == "veryHidden" and (ws["A11"].value, ws["B11"].value) == ("demo", "sample agent")
    sequence.today(open_workbook(blank), AT)
    _set(blank, Email="pat@real.example")  # someone took the demo over: its sample values are refused again
    assert "Settings > Your name is 'Alex Morgan', the sample" in _refused(blank, "today")


def test_the_presentation_is_refused_before_comps_are_imported(tmp_path: Path) -> None:
    path = file_book(tmp_path / "Deck.xlsx", with_comps=False)
    give_identity(path, AgentName="")
    before = path.read_bytes()
    comps = tmp_path / "comps.csv"
    comps.write_text("not read\n")
    with pytest.raises(IdentityMissing, match="Settings > Your name is empty"):
        build_presentation(open_workbook(path), "L-1001", at=DECK_AT, comps_path=comps, out_dir=tmp_path / "out", pdf=False)
    assert path.read_bytes() == before and not (tmp_path / "out").exists()
