"""`relist present` on a real workbook: JSON out, files written, the lead row linked; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import require_tool
from tests.data.comps.fixture import SOLD_CSV, file_book

from relist.cli import cli
from relist.workbook import open_workbook

pytestmark = pytest.mark.e2e

AT = "2026-03-10T09:00"


def test_present_writes_pptx_and_pdf_and_links_the_lead(tmp_path: Path) -> None:
    require_tool("soffice")
    wb = file_book(tmp_path / "Relist.xlsx")
    out = tmp_path / "decks"
    res = CliRunner().invoke(cli, ["present", "L-1001", "--workbook", str(wb), "--at", AT, "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["pdf"] == str(out / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pdf")
    assert Path(data["pptx"]).exists() and Path(data["pdf"]).exists()
    assert data["value"]["indicated"] == 454500 and data["value"]["suggested_list_price"] == 455000
    assert [f["code"] for f in data["findings"]][:3] == ["price", "dom", "reductions"]
    rows = open_workbook(wb).read_records("tblLeads", ["LeadId", "Presentation"])
    assert rows[0] == {"LeadId": "L-1001", "Presentation": data["pdf"]}


def test_present_human_output_and_filters(tmp_path: Path) -> None:
    wb = file_book(tmp_path / "Relist.xlsx")
    res = CliRunner().invoke(cli, ["present", "L-1001", "-w", str(wb), "--at", AT, "--no-pdf", "--months", "2", "--count", "3"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert "  Closed within widened from 2 months to 4 months to find enough sales: 4 found." in lines
    assert lines[-1] == ("Lead L-1001: 3 comps used, value $459,000 (range $450,000-$470,000, medium confidence, FSD 3%), "
                         "suggested list price $460,000.")
    assert (tmp_path / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pptx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["L-1002"], "relist: error: No sold comp matches lead L-1002 (77 Nowhere Rd, 1,800 sq ft) among 12 sold listings"),
        (["L-404"], "relist: error: There is no lead 'L-404' on the Leads sheet. Check the LeadId column"),
        (["L-1001", "--relaunch", "soon"], "relist: error: --relaunch 'soon' is not a date. Write it like 2026-03-24."),
        (["L-1001", "--comps", "missing.csv"], "relist: error: The comps file missing.csv does not exist."),
    ],
)
def test_present_errors_are_one_line_with_a_hint(tmp_path: Path, args: list[str], message: str) -> None:
    wb = file_book(tmp_path / "Relist.xlsx")
    res = CliRunner().invoke(cli, ["present", *args, "-w", str(wb), "--at", AT, "--no-pdf"])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_present_imports_a_comps_export_first(tmp_path: Path) -> None:
    wb = file_book(tmp_path / "Relist.xlsx", with_comps=False)
    res = CliRunner().invoke(cli, ["present", "L-1001", "-w", str(wb), "--at", AT, "--no-pdf", "--json", "--comps", str(SOLD_CSV)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["imported"]["read"] == 13
    assert [c["address"] for c in data["comps"]][:3] == ["1114 Palmetto Ridge Dr", "1320 Egret Point Ln", "1502 Mangrove Bend"]
    assert data["value"]["indicated"] == 454500
