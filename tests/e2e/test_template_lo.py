"""The template in LibreOffice: it opens, recalculates with no error cells, and renders to PDF and PNG."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from tests.conftest import require_tool, soffice_convert

from relist.workbook import template

pytestmark = pytest.mark.e2e

CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def test_template_recalculates_without_errors(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    # Export every sheet as CSV after a hard recalculation on load.
    outdir = tmp_path / "csv"
    soffice_convert(path, CSV_ALL_SHEETS, outdir)
    files = sorted(outdir.glob("*.csv"))
    assert any(f.stem.endswith("ROI") for f in files)
    for f in files:
        with f.open(newline="", encoding="utf-8", errors="replace") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(ERRORS), f"{f.name}: {cell}"


def test_template_renders_to_pdf_and_png(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    pdf = soffice_convert(path, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000
    exe = require_tool("pdftoppm")
    subprocess.run([exe, "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
