"""The presentation service on a real .xlsx workbook: comps imported through intake, deck written, row linked."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from tests.data.comps.fixture import AT, SOLD_CSV, file_book

from relist.present.service import build_presentation
from relist.workbook import open_workbook


def test_comps_file_is_imported_then_used_and_the_lead_row_links_the_deck(tmp_path: Path) -> None:
    wb = file_book(tmp_path / "Relist.xlsx", with_comps=False)
    book = open_workbook(wb)
    result = build_presentation(book, "L-1001", at=AT, comps_path=SOLD_CSV, pdf=False)
    assert result.imported is not None and result.summary()["imported"]["read"] == 13
    assert result.pptx == tmp_path / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pptx"
    assert [k.comp.address for k in result.analysis.selection.kept][:3] == [
        "1114 Palmetto Ridge Dr", "1320 Egret Point Ln", "1502 Mangrove Bend",
    ]
    assert round(result.analysis.valuation.indicated_value) == 454_500

    again = open_workbook(wb)
    assert len([r for r in again.read_records("tblComps") if r["ClosePrice"]]) == 12
    leads = {r["LeadId"]: r["Presentation"] for r in again.read_records("tblLeads", ["LeadId", "Presentation"])}
    assert leads == {"L-1001": str(result.pptx.resolve()), "L-1002": None}
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in Presentation(str(result.pptx)).slides]
    assert titles[0] is None and titles[1] == "Why it didn't sell" and len(titles) == 6


def test_importing_the_same_comps_twice_does_not_double_them(tmp_path: Path) -> None:
    wb = file_book(tmp_path / "Relist.xlsx", with_comps=False)
    first = build_presentation(open_workbook(wb), "L-1001", at=AT, comps_path=SOLD_CSV, pdf=False)
    stored = len(open_workbook(wb).read_records("tblComps"))
    second = build_presentation(open_workbook(wb), "L-1001", at=AT, comps_path=SOLD_CSV, pdf=False)
    assert len(open_workbook(wb).read_records("tblComps")) == stored
    assert second.analysis.selection.matched == first.analysis.selection.matched == 6
