"""Excel's limits, checked by LibreOffice: a cut cell keeps all 32,767 characters through a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import soffice_convert

from relist.workbook import limits, open_workbook, template

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]


def test_long_cell_survives_libreoffice_uncut(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L000001", "Status": "New", "Extra": "é" * 100_000}])
    book.save()
    out = soffice_convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    ws = load_workbook(out, read_only=True)["Leads"]
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    extra = next(ws.iter_rows(min_row=2, max_row=2))[header.index("Extra")].value
    assert isinstance(extra, str) and len(extra) == limits.CELL_CHARS and extra.endswith(limits.CUT_MARK)
