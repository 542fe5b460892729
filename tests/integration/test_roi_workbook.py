"""ROI services and `relist roi` on a real .xlsx made by the template builder."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner

from relist.cli import cli
from relist.roi import sheet
from relist.roi.model import RoiInputs
from relist.roi.service import read_scenario, refresh_dashboard
from relist.workbook import open_workbook, template

MON = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """A workbook with three weeks of calls: 10 leads a weekday, 3 reached, 1 appointment, 1 bad number."""
    path = template.build(tmp_path / "agent.xlsx")
    book = open_workbook(path)
    leads, touches = [], []
    n = 0
    for d in range(19):
        day = MON + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for k in range(10):
            lid = f"L{n:04d}"
            n += 1
            leads.append({"LeadId": lid, "Status": "Working", "ExpiredAt": day.replace(hour=6),
                          "Vendor": "REDX" if k % 2 else "Landvoice", "FirstImportedAt": day.replace(hour=7),
                          "OwnerName": f"Owner {lid}"})
            outcome = ["appointment", "spoke", "not-interested", "bad-number"][k] if k < 4 else "no-answer"
            touches.append({"TouchId": f"T{len(touches):05d}", "LeadId": lid, "At": day + timedelta(minutes=k),
                            "Channel": "call", "Outcome": outcome})
    touches.append({"TouchId": "T99998", "LeadId": "L0001", "At": MON + timedelta(days=1), "Channel": "call",
                    "Outcome": "listed-with-me"})
    touches.append({"TouchId": "T99999", "LeadId": "L0001", "At": MON + timedelta(days=1, minutes=1),
                    "Channel": "call", "Outcome": "", "UndoOf": "T99998"})
    book.append_rows("tblLeads", leads)
    book.append_rows("tblTouches", touches)
    book.save()
    return path


def test_refresh_dashboard_on_a_file(book_path: Path) -> None:
    from zoneinfo import ZoneInfo

    f = refresh_dashboard(open_workbook(book_path), datetime(2026, 3, 20, 18, tzinfo=ZoneInfo("America/New_York")))
    assert f.total.dials == 150 and f.total.listings == 0  # the undone listing does not count
    with zipfile.ZipFile(book_path) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/") and n.endswith(".png")]
        assert len(media) == 1
        for part in z.namelist():  # every drawing part stays well-formed XML (Excel refuses the file otherwise)
            if part.startswith("xl/drawings/") and part.endswith(".xml"):
                ElementTree.fromstring(z.read(part))
    ws = openpyxl.load_workbook(book_path)["Dashboard"]
    assert ws[sheet.REFRESHED_REF].value == datetime(2026, 3, 20, 18, 0)
    assert ws[sheet.SUMMARY_REF].value.startswith("150 dials, 45 contacts (30.0% of dials), 15 appointments")
    assert ws[f"B{sheet.WEEK_TOTAL_ROW}"].value == 150
    assert ws[f"D{sheet.WEEK_TOTAL_ROW}"].value == pytest.approx(0.3)
    assert ws[f"A{sheet.WEEK_TOTAL_ROW}"].value == "All time"  # the label survives the refresh
    vendors = {ws[f"A{sheet.VENDOR_HEADER_ROW + 1 + i}"].value: sheet.VENDOR_HEADER_ROW + 1 + i for i in range(2)}
    assert ws[f"E{vendors['REDX']}"].value == pytest.approx(15 / 75)
    assert ws[f"E{vendors['Landvoice']}"].value == pytest.approx(0)
    assert len(ws._charts) == 1 and len(ws._images) == 1  # the native chart and the funnel picture
    # a second refresh replaces the picture rather than adding another
    refresh_dashboard(open_workbook(book_path), datetime(2026, 3, 21, 9, tzinfo=ZoneInfo("America/New_York")))
    with zipfile.ZipFile(book_path) as z:
        assert sum(n.startswith("xl/media/") for n in z.namelist()) == 1


def test_roi_from_workbook_measures_and_saves(book_path: Path) -> None:
    res = CliRunner().invoke(cli, ["roi", "--from-workbook", "--workbook", str(book_path), "--median-price", "500000",
                                   "--save", "--at", "2026-03-20T18:00", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["inputs"]["pickup_rate"] == pytest.approx(0.3)
    assert data["inputs"]["dials_per_day"] == pytest.approx(10)
    assert data["inputs"]["contacts_per_appointment"] == pytest.approx(3)
    assert data["inputs"]["median_price"] == 500_000
    assert "pickup_rate" in data["measured"]
    saved = read_scenario(open_workbook(book_path))
    assert saved.median_price == 500_000 and saved.pickup_rate == pytest.approx(0.3)
    assert saved == RoiInputs(**{k: v for k, v in data["inputs"].items()})


def test_the_widget_loads_and_saves_a_real_workbook(book_path: Path) -> None:
    from relist.widgets.roi_app import RoiModel

    m = RoiModel()
    m.median_price = 650_000
    m.save_scenario(book_path)
    assert m.message.startswith("Saved this scenario")
    assert read_scenario(open_workbook(book_path)).median_price == 650_000
    fresh = RoiModel()
    fresh.load_my_numbers(book_path)
    assert fresh.median_price == 650_000 and fresh.pickup_rate == pytest.approx(0.3)
    assert "pickup rate" in fresh.message and "pickup_rate" in fresh.measured
