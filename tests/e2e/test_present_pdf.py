"""The deck through LibreOffice Impress: a six-page PDF (a cover and five slides) whose pages pdftoppm renders, none of them blank."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.conftest import require_tool
from tests.data.comps.fixture import AT, file_book

from relist.present.deck import SLIDE_TITLES
from relist.present.service import build_presentation
from relist.workbook import open_workbook

pytestmark = pytest.mark.e2e


def test_pdf_has_six_rendered_pages_none_blank(tmp_path: Path) -> None:
    require_tool("soffice")
    pdftoppm = require_tool("pdftoppm")
    from PIL import Image, ImageStat
    from pypdf import PdfReader

    wb = file_book(tmp_path / "Relist.xlsx")
    result = build_presentation(open_workbook(wb), "L-1001", at=AT)
    assert result.pdf == tmp_path / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pdf"
    assert result.pdf.exists() and result.pptx.exists()
    assert open_workbook(wb).read_records("tblLeads", ["LeadId", "Presentation"])[0]["Presentation"] == str(result.pdf.resolve())

    reader = PdfReader(str(result.pdf))
    assert len(reader.pages) == 6
    assert "1208 Palmetto Ridge Dr" in reader.pages[0].extract_text()  # the cover
    for page, title in zip(reader.pages[1:], SLIDE_TITLES, strict=True):
        text = page.extract_text()
        assert title.replace("'", "") in text.replace("'", "").replace("’", ""), text[:200]
        assert "Gulfview Realty" in text
    assert "$489,000" in reader.pages[1].extract_text()

    subprocess.run([pdftoppm, "-png", "-r", "40", str(result.pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 6
    for png in pages:
        img = Image.open(png).convert("L")
        stddev = ImageStat.Stat(img).stddev[0]
        inked = sum(img.histogram()[:200]) / (img.width * img.height)
        assert stddev > 15, f"{png.name} looks blank (pixel stddev {stddev:.1f})"
        assert inked > 0.01, f"{png.name} has almost no ink ({inked:.1%})"
