"""Import into a workbook made by `relist init`, then open it in LibreOffice: the rows are there."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import soffice_convert

from relist.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"

pytestmark = pytest.mark.e2e


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def test_imported_rows_show_in_libreoffice(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(book)]).exit_code == 0
    result = runner.invoke(cli, ["import", str(DATA / "vendor_redx.csv"), str(DATA / "cp1252.csv"), "-w", str(book),
                                 "--vendor", "REDX", "--at", "2026-11-24T09:00"])
    assert result.exit_code == 0, result.output
    page = soffice_convert(book, "html", tmp_path / "out")
    text = " ".join(_text(page).split())
    for expected in ("John Smith", "Sunrise Holdings LLC", "123 N Main St", "José Núñez", "Renée Brontë",
                     "(813) 555-0142", "L000010", "I000001", "NAR Standard of Practice 16-4"):
        assert expected in text, expected
    assert not re.search(r"\+1\d{10}\b", text), re.search(r".{80}\+1\d{10}.{20}", text)  # phones shown the US way everywhere
    assert "L000012" not in text  # 8 + 3 rows, 11 leads
    # Leads' bookkeeping columns (Extra among them) are grouped and collapsed, and LibreOffice's HTML export
    # leaves hidden columns out: read them from the copy LibreOffice itself saves.
    from python_calamine import CalamineWorkbook

    resaved = soffice_convert(book, "xlsx", tmp_path / "resaved")
    rows = CalamineWorkbook.from_path(str(resaved)).get_sheet_by_name("Leads").to_python()
    assert any("Lead Source=REDX" in str(cell) for row in rows for cell in row)
