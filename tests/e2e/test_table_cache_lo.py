"""LibreOffice reads what Relist appended through the segmented writes, and its re-save is seen by the read cache."""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest
from tests.conftest import soffice_convert
from tests.integration.test_table_cache import assert_cache_agrees, random_changes, seeded_book

from relist.workbook.file_adapter import FileWorkbook

pytestmark = pytest.mark.e2e


def test_libreoffice_reads_segmented_appends_and_its_resave_invalidates_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELIST_CACHE", raising=False)
    rnd = random.Random(12)
    path = seeded_book(tmp_path, rnd, leads=25, touches=60)
    FileWorkbook(path).read_records("tblTouches")  # the cache is warm, the sheet part segmented
    book = FileWorkbook(path)
    book.append_rows("tblTouches", [{"TouchId": f"T{61 + k:07d}", "LeadId": "L000003", "Channel": "call",
                                     "Outcome": "no-answer", "Note": f"appended {k}"} for k in range(3)])
    book.save(backup=False)
    outdir = tmp_path / "csv"
    soffice_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", outdir)
    with next(outdir.glob("*-Touches.csv")).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    notes = [dict(zip(header, r, strict=False)).get("Note") for r in rows[1:] if r and r[0]]
    assert notes[-3:] == ["appended 0", "appended 1", "appended 2"], "LibreOffice reads the rows appended to the segmented part"
    assert_cache_agrees(path, monkeypatch)
    resaved = soffice_convert(path, "xlsx:Calc Office Open XML", tmp_path / "lo")
    shutil.copy(resaved, path)
    assert_cache_agrees(path, monkeypatch)
    random_changes(path, rnd)
    assert_cache_agrees(path, monkeypatch)
