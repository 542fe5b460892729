"""Sample exports: real places, invented people, fictional phones only, and they import cleanly."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relist import sample_data
from relist.intake.service import import_files
from relist.workbook.memory import MemoryWorkbook

AT = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("America/New_York"))
PHONE = re.compile(r"\d")


def _phones(rows: list[dict[str, str]]) -> list[str]:
    cells = [v for r in rows for k, v in r.items() if ("Phone" in k and "DNC" not in k) and v and v != "PRIVACY"]
    return [p.strip() for c in cells for p in c.split(";")]


@pytest.mark.parametrize("layout", ["vendor", "matrix", "reso"])
def test_every_phone_is_in_the_fictional_555_01xx_block(layout: str) -> None:
    rows = sample_data.expired_export(300, seed=3, at=AT, layout=layout)
    phones = _phones(rows)
    assert phones
    for p in phones:
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", p), p


def test_places_are_real_zip_codes_with_their_city() -> None:
    import zipcodes

    for r in sample_data.expired_export(40, seed=1, at=AT):
        z = zipcodes.matching(r["Zip"])  # type: ignore[no-untyped-call]
        assert z and z[0]["city"].upper() == r["City"] and z[0]["state"] == r["State"]


def test_same_seed_same_rows_and_layout_headers() -> None:
    a = sample_data.expired_export(20, seed=9, at=AT)
    assert a == sample_data.expired_export(20, seed=9, at=AT)
    assert a != sample_data.expired_export(20, seed=10, at=AT)
    assert list(sample_data.matrix_export(1, seed=9, at=AT)[0]) == list(sample_data.MATRIX_HEADERS)
    with pytest.raises(ValueError, match="layout"):
        sample_data.expired_export(1, layout="pdf")


@pytest.mark.parametrize("layout", ["vendor", "matrix", "reso"])
def test_samples_import_cleanly(tmp_path: Path, layout: str) -> None:
    path = sample_data.write_csv(sample_data.expired_export(120, seed=4, at=AT, layout=layout), tmp_path / "x.csv")
    s = import_files(MemoryWorkbook(), [path], at=AT)
    assert s.rejected == 0 and s.read == 120
    assert s.added + s.updated + s.duplicates + s.not_contactable == 120
    assert s.not_contactable > 0  # a few Withdrawn rows, recorded not contactable


def test_active_export_relists_some_of_the_expireds_and_comps_are_sales(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [sample_data.write_csv(sample_data.expired_export(60, seed=2, at=AT), tmp_path / "e.csv")], at=AT)
    active = sample_data.write_csv(sample_data.active_export(60, seed=2, at=AT, share=0.5, others=5), tmp_path / "a.csv")
    s = import_files(book, [active], at=AT, kind="active")
    assert s.relisted > 10 and s.rejected == 0
    assert sum(r["Status"] == "Relisted" for r in book.tables["tblLeads"]) == s.relisted
    comps = sample_data.write_csv(sample_data.sold_comps_export(30, seed=2, at=AT), tmp_path / "c.csv")
    c = import_files(book, [comps], at=AT, kind="comps")
    assert c.added + c.duplicates == 30 and c.rejected == 0
    lead_zips = {r["PostalCode"] for r in book.tables["tblLeads"]}
    assert {r["PostalCode"] for r in book.tables["tblComps"]} <= lead_zips


def test_write_xlsx_types_cells_like_excel(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = sample_data.write_xlsx(sample_data.expired_export(5, seed=1, at=AT), tmp_path / "x.xlsx")
    ws = load_workbook(path).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    first = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert isinstance(first["Expired Date"], datetime) and isinstance(first["List Price"], int)
    s = import_files(MemoryWorkbook(), [path], at=AT)
    assert s.read == 5 and s.rejected == 0
