"""The template is built from the schema, reproducibly, and the committed copy has not drifted."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from relist import schema
from relist.workbook import template

COMMITTED = Path(__file__).resolve().parents[2] / "workbook" / "Relist.xlsx"


def test_build_is_reproducible() -> None:
    assert template.build_bytes() == template.build_bytes()


def test_committed_template_matches_builder() -> None:
    """Fails when the schema changed and workbook/Relist.xlsx was not rebuilt (relist init --force workbook/Relist.xlsx)."""
    built = zipfile.ZipFile(io.BytesIO(template.build_bytes()))
    committed = zipfile.ZipFile(COMMITTED)
    assert sorted(built.namelist()) == sorted(committed.namelist())
    for name in built.namelist():
        assert built.read(name) == committed.read(name), f"{name} drifted: run `make template`"


def test_template_looks_finished() -> None:
    wb = load_workbook(io.BytesIO(template.build_bytes()))
    assert wb.sheetnames[: len(schema.SHEET_ORDER)] == list(schema.SHEET_ORDER)
    assert wb["_Relist"].sheet_state == "veryHidden" and wb["Lists"].sheet_state == "hidden"
    for spec in schema.TABLE_SHEETS:
        ws = wb[spec.sheet]
        assert spec.table in ws.tables
        top = spec.top
        assert ws.freeze_panes in (f"A{top + 1}", "B2")
        assert [c.value for c in ws[top]][: len(spec.columns)] == list(spec.headers)
        assert ws.cell(top, 1).font.bold
        assert all(ws.cell(top, i).comment.text == c.help for i, c in enumerate(spec.columns, start=1) if c.help)
        assert ws.page_setup.orientation in ("landscape", "portrait") and ws.print_title_rows in (f"{top}:{top}", f"${top}:${top}")
        for i, col in enumerate(spec.columns, start=1):
            letter = template.col_letter(i)
            assert ws.column_dimensions[letter].width == col.width
            if col.type in ("date", "datetime"):
                assert col.width >= 11
                assert ws.cell(top + 1, i).number_format == col.number_format
    leads = wb["Leads"]
    validated = {str(dv.sqref) for dv in leads.data_validations.dataValidation}
    status_col = template.col_letter(schema.table("tblLeads").names.index("Status") + 1)
    assert f"{status_col}2:{status_col}1048576" in validated
    assert len(leads.conditional_formatting) >= 1
    rules = [r for cf in leads.conditional_formatting for r in cf.rules]
    assert len(rules) == 3


def test_text_after_a_right_aligned_column_starts_one_indent_in() -> None:
    """Touches > When (a right-aligned date) and When (UTC) (text) ran together: "09:19 2026-11-25T14:19:00Z"."""
    wb = load_workbook(COMMITTED)
    ws = wb["Touches"]
    utc = schema.TOUCHES.names.index("AtUtc") + 1
    for row in (1, 2):  # the header and the first body row (whose style new rows copy)
        cell = ws.cell(row, utc)
        assert cell.alignment.indent == 1 and cell.alignment.horizontal == "left", row
    assert template.indented(schema.TOUCHES, schema.TOUCHES.column("AtUtc"))
    for spec in schema.TABLE_SHEETS:
        for before, col in zip(spec.columns, spec.columns[1:], strict=False):
            if template.right_aligned(before) and not template.right_aligned(col) and not template.centred(col):
                assert template.indented(spec, col), (spec.sheet, col.name)
            assert not (template.right_aligned(col) and template.indented(spec, col))
