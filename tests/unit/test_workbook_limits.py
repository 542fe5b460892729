"""Excel's limits on every write: long text cut with a mark, Rejects rolls over, other tables refuse."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from relist.errors import WorkbookError
from relist.workbook import limits, open_workbook, template


def test_long_text_is_cut_with_a_mark(tmp_path: Path) -> None:
    book = open_workbook(template.build(tmp_path / "Relist.xlsx"))
    book.append_rows("tblLeads", [{"LeadId": "L000001", "Status": "New", "Extra": "x" * 100_000}])
    book.save()
    extra = open_workbook(tmp_path / "Relist.xlsx").read_records("tblLeads")[0]["Extra"]
    assert len(extra) == limits.CELL_CHARS and extra.endswith(limits.CUT_MARK)


def test_astral_characters_count_twice() -> None:
    cut = limits.fit_text("😀" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= limits.CELL_CHARS and cut.endswith(limits.CUT_MARK)
    assert limits.fit_text("a" * limits.CELL_CHARS) == "a" * limits.CELL_CHARS


def test_rejects_roll_over_and_other_tables_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SHEET_ROWS", 41)  # header on row 1: 40 data rows fit
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblRejects", [{"ImportId": "I000001", "File": "a.csv", "Row": i, "Reason": f"r{i}"} for i in range(1, 31)])
    book.save()
    book.append_rows("tblRejects", [{"ImportId": "I000002", "File": "b.csv", "Row": i, "Reason": f"s{i}"} for i in range(1, 21)])
    book.save()
    rows = open_workbook(path).read_records("tblRejects")
    assert len(rows) == 40 and rows[0]["Reason"] == "r11" and rows[-1]["Reason"] == "s20"
    assert any("oldest rows were removed" in m for _, m in book.messages)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None

    before = path.read_bytes()
    book = open_workbook(path)
    book.append_rows("tblTouches", [{"TouchId": f"T{i:07d}", "LeadId": "L000001"} for i in range(1, 42)])
    with pytest.raises(WorkbookError, match="would need 41 rows"):
        book.save()
    assert path.read_bytes() == before
