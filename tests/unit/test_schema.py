"""The declared schema is consistent: it is the single source for template, readers, writers and docs."""

from __future__ import annotations

import re

from relist import schema


def test_sheets_tables_and_columns_are_unique() -> None:
    assert len(set(schema.SHEET_ORDER)) == len(schema.SHEET_ORDER)
    tables = [t.table for t in schema.TABLE_SHEETS]
    assert len(set(tables)) == len(tables)
    for t in schema.TABLE_SHEETS:
        assert t.sheet in schema.SHEET_ORDER
        assert len(set(t.names)) == len(t.names), t.table
        assert t.key is None or t.key in t.names


def test_required_sheets_present() -> None:
    for name in ("Today", "Leads", "Touches", "Sequence", "Settings", "DNC", "Imports", "Rejects", "Dashboard", "ROI"):
        assert name in schema.SHEET_ORDER


def test_validations_and_highlights_refer_to_real_things() -> None:
    for t in schema.TABLE_SHEETS:
        for c in t.columns:
            if c.validation:
                assert c.validation in schema.VALIDATION_LISTS
        for h in t.highlights:
            for name in re.findall(r"\{(\w+)\}", h.formula):
                assert name in t.names, (t.table, name)


def test_dropdowns_where_the_brief_wants_them() -> None:
    leads = schema.table("tblLeads")
    assert leads.column("Status").validation == "Status"
    assert leads.column("Outcome").validation == "Outcome"
    assert schema.table("tblTouches").column("Channel").validation == "Channel"


def test_settings_cover_the_agent() -> None:
    names = {s.name for s in schema.SETTINGS_ROWS}
    for n in ("AgentName", "Brokerage", "LicenseNumber", "PostalAddress", "Phone", "WorkStart", "WorkEnd",
              "WorkDays", "DailyDialCapacity", "TimeZone"):
        assert n in names


def test_lookup_by_table_or_sheet() -> None:
    assert schema.table("Leads") is schema.table("tblLeads")


def test_workbook_docs_are_current() -> None:
    """docs/workbook.md is generated from the schema: regenerate with `python -m relist.docs > docs/workbook.md`."""
    from pathlib import Path

    from relist.docs import workbook_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "workbook.md"
    assert doc.read_text() == workbook_markdown()
