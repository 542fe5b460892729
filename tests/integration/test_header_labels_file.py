"""Plain-word headers through the file adapter: written by the template and every save, read back as the schema's
columns, a v2 workbook relabelled in place, a header typed differently accepted and one renamed away refused."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from relist import schema
from relist.errors import WorkbookError
from relist.workbook import open_workbook, template
from relist.workbook.file_adapter import backup_dir

V2 = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "relist-v2.xlsx"


def _rename_header(path: Path, sheet: str, old: str, new: str) -> None:
    """Rename a header cell and its table column together, as Excel does when the agent types over a header."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet]
    for cell in ws[1]:
        if cell.value == old:
            cell.value = new
    for table in ws.tables.values():
        for col in table.tableColumns:
            if col.name == old:
                col.name = new
    wb.save(path)


def _header_cells(path: Path, sheet: str) -> list[str]:
    from python_calamine import CalamineWorkbook

    return [str(v) for v in CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()[0]]


def test_saves_keep_the_labels_and_best_phone_reads_back_as_e164(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L000001", "OwnerName": "Ann Lee", "BestPhone": "+13055550100"}])
    book.save()
    book = open_workbook(path)
    book.replace_rows("tblLeads", book.read_records("tblLeads"))  # a full rewrite writes the header row too
    book.save()
    assert _header_cells(path, "Leads")[: len(schema.LEADS.columns)] == list(schema.LEADS.headers)
    from python_calamine import CalamineWorkbook

    row = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Leads").to_python()[1]
    assert row[2] == "(305) 555-0100"
    rels = zipfile.ZipFile(path).read("xl/worksheets/_rels/sheet2.xml.rels").decode()
    assert "tel:+13055550100" in rels
    assert open_workbook(path).read_records("tblLeads", ["BestPhone"]) == [{"BestPhone": "+13055550100"}]


def test_a_header_typed_in_another_case_still_counts(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    _rename_header(path, "Leads", "Best phone", "BEST PHONE")
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L000001", "BestPhone": "+13055550100"}])
    book.save()
    assert open_workbook(path).read_records("tblLeads", ["BestPhone"]) == [{"BestPhone": "+13055550100"}]


def test_a_header_renamed_away_is_refused_in_one_line(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    _rename_header(path, "Leads", "Best phone", "Mobile")
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as err:
        open_workbook(path)
    assert "the Leads sheet has no 'Best phone' column" in err.value.message and "\n" not in err.value.message
    assert "'Best phone'" in err.value.hint
    assert path.read_bytes() == before


def test_a_v2_workbook_is_relabelled_with_the_agents_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "Old.xlsx"
    shutil.copy(V2, path)
    wb = load_workbook(path)
    assert wb["Leads"]["A1"].value == "LeadId" and wb["Today"].cell(3, 18).value == "LeadId"
    wb.create_sheet("Mine")["A1"] = "=COUNTA(tblLeads[LeadId])+SUM(tblTouches[DurationSec])"
    wb.save(path)
    book = open_workbook(path)
    assert book.schema_version == schema.SCHEMA_VERSION
    for spec in schema.TABLE_SHEETS:
        assert book.table_columns(spec.table)[: len(spec.columns)] == list(spec.names), spec.table
    wb = load_workbook(path)
    for spec in schema.TABLE_SHEETS:
        ws = wb[spec.sheet]
        assert [c.value for c in ws[spec.top]][: len(spec.columns)] == list(spec.headers), spec.sheet
        table = ws.tables[spec.table]
        assert [c.name for c in table.tableColumns][: len(spec.columns)] == list(spec.headers), spec.table
    assert wb["Mine"]["A1"].value == "=COUNTA(tblLeads[Lead])+SUM(tblTouches[Seconds])"
    assert wb["Today"]["A1"].value  # the rows above Today's table are kept


def test_an_agents_own_column_named_like_a_new_label_keeps_its_header(tmp_path: Path) -> None:
    """A v2 workbook where the agent added a 'Touches' column to Leads: TouchCount keeps its old header, nothing is doubled."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import TableColumn

    path = tmp_path / "Old.xlsx"
    shutil.copy(V2, path)
    wb = load_workbook(path)
    ws = wb["Leads"]
    table = ws.tables["tblLeads"]
    n = len(table.tableColumns) + 1
    ws.cell(row=1, column=n, value="Touches")
    ws.cell(row=2, column=1, value="L000001")
    ws.cell(row=2, column=n, value="my count")
    table.ref = f"A1:{get_column_letter(n)}2"
    table.tableColumns.append(TableColumn(id=n, name="Touches"))
    table.autoFilter.ref = table.ref
    wb.save(path)
    book = open_workbook(path)
    rec = book.read_records("tblLeads")[0]
    assert rec["LeadId"] == "L000001" and rec["Touches"] == "my count" and rec["TouchCount"] is None
    headers = _header_cells(path, "Leads")
    assert headers[0] == "Lead" and "TouchCount" in headers and headers[-1] == "Touches"
    assert headers.count("Touches") == 1


V3 = V2.with_name("relist-v3.xlsx")


def test_a_v3_workbooks_settings_are_relabelled_after_a_backup_with_values_and_own_rows_kept(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "Old.xlsx"
    shutil.copy(V3, path)
    wb = load_workbook(path)
    ws = wb["Settings"]
    keys = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert keys == [s.name for s in schema.SETTINGS_ROWS]
    helps = [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)]  # the help the old workbook shows is kept
    ws.cell(2, 2).value = "Sam Lee"
    row = ws.max_row + 1
    ws.cell(row, 1).value, ws.cell(row, 2).value, ws.cell(row, 3).value = "My own note", "keep me", "mine"
    ws.tables["tblSettings"].ref = f"A1:C{row}"
    wb.save(path)
    book = open_workbook(path)
    assert book.schema_version == schema.SCHEMA_VERSION
    from relist import settings

    s = settings.load(book)
    assert s.agent_name == "Sam Lee" and s.raw["My own note"] == "keep me"
    assert any("before-v4" in p.name for p in backup_dir(path).iterdir())
    ws = load_workbook(path)["Settings"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_col=3)]
    assert [r[0] for r in rows] == [s.shown for s in schema.SETTINGS_ROWS] + ["My own note"]
    assert rows[0][1] == "Sam Lee" and rows[-1] == ["My own note", "keep me", "mine"]
    assert [r[2] for r in rows[:-1]] == helps
    assert settings.load(open_workbook(path)) == s
