"""Workbooks saved by LibreOffice (shared strings, its own part layout) read and save losslessly, and reopen there."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from tests.conftest import soffice_convert
from tests.integration.test_file_adapter import tiny_png, user_edited

from relist import schema
from relist.schema import LinkText
from relist.workbook import open_workbook, template

pytestmark = pytest.mark.e2e


def lo_resave(path: Path, tmp: Path) -> Path:
    """Open and save the workbook in LibreOffice as .xlsx, as an agent's office suite would."""
    out = soffice_convert(path, "xlsx:Calc Office Open XML", tmp / "lo")
    shutil.copy(out, path)
    return path


def sheet_csv(path: Path, tmp: Path, sheet: str) -> list[list[str]]:
    outdir = tmp / f"csv-{sheet}"
    soffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", outdir)
    f = next(outdir.glob(f"*-{sheet}.csv"))
    with f.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_libreoffice_saved_workbook_round_trip(tmp_path: Path) -> None:
    path = user_edited(tmp_path)
    lo_resave(path, tmp_path)
    before = zipfile.ZipFile(path)
    assert "xl/sharedStrings.xml" in before.namelist()
    book = open_workbook(path)
    leads = book.read_records("tblLeads")
    assert [r["LeadId"] for r in leads] == [f"L{i:06d}" for i in range(1, 6)]
    assert leads[0]["MyScore"] == 10
    book.update_rows("tblLeads", [{"LeadId": "L000003", "Status": "Appointment", "BestPhone": "+18135550150"}])
    book.append_rows("tblLeads", [{"LeadId": "L000007", "OwnerName": "Añejo & Sons", "Status": "New"}])
    book.append_rows("tblTouches", [{"TouchId": "T0000001", "LeadId": "L000003", "Channel": "call", "Outcome": "appointment"}])
    book.add_picture("Dashboard", tiny_png(), "H2", "funnel")
    book.save()
    after = zipfile.ZipFile(path)
    charts = [n for n in after.namelist() if n.startswith("xl/charts/")]
    assert charts and all(after.read(n) == before.read(n) for n in charts)
    rows = sheet_csv(path, tmp_path, "Leads")
    header = schema.LEADS.fields(rows[0])  # the sheet shows labels ("Owner"): named as the schema names them
    by_id = {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0]}
    assert by_id["L000003"]["Status"] == "Appointment" and by_id["L000003"]["BestPhone"] == "(813) 555-0150"
    assert by_id["L000007"]["OwnerName"] == "Añejo & Sons"
    assert by_id["L000002"]["MyScore"] == "20"
    notes = sheet_csv(path, tmp_path, "My Notes")
    assert notes[0][:2] == ["Leads", "6"], "the user's formula over Leads recalculated"


def test_saved_today_sheet_has_working_links(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.replace_rows(
        "tblToday",
        [
            {"Section": "calls", "Rank": 1, "LeadId": "L000001", "Phone": LinkText("(813) 555-0142", "tel:+18135550142")},
            {"Section": "texts", "Rank": 1, "LeadId": "L000001", "Send": LinkText("Text", "sms:+18135550142?body=Hi%20Ana")},
        ],
    )
    book.save()
    html = soffice_convert(path, "html:HTML (StarCalc)", tmp_path / "html").read_text(errors="replace")
    assert 'href="tel:+18135550142"' in html and "(813) 555-0142" in html
    assert "sms:+18135550142" in html and ">Text<" in html
