"""A version-2 workbook (field-name headers), filled and re-saved by LibreOffice with a sheet of the agent's own
formulas, opens in this Relist: every value kept, headers in plain words, the agent's formulas follow the
rename, and LibreOffice recalculates every sheet without #REF! or #NAME?.

tests/data/workbooks/relist-v2.xlsx is the template Relist shipped at workbook version 2.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import soffice_convert

from relist import schema, settings
from relist.workbook import open_workbook
from relist.workbook.file_adapter import backup_dir

pytestmark = pytest.mark.e2e

V2 = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "relist-v2.xlsx"

LEADS = [
    {"LeadId": "L000001", "OwnerName": "Ann Lee", "BestPhone": "+13055550100", "PropertyAddress": "1 Main St",
     "ListPrice": 300000, "TouchCount": 2, "NextDue": datetime(2026, 11, 25, 10, 0), "Status": "Working"},
    {"LeadId": "L000002", "OwnerName": "Bo O'Neil", "BestPhone": "+447700900123", "PropertyAddress": "2 Oak Ave",
     "ListPrice": 450000, "TouchCount": 0, "NextDue": datetime(2026, 11, 26, 9, 30), "Status": "New"},
    {"LeadId": "L000003", "OwnerName": "Cy Diaz", "BestPhone": "+18135550142", "PropertyAddress": "3 Elm Ct",
     "ListPrice": 275500, "TouchCount": 5, "NextDue": None, "Status": "Nurture"},
]

MINE = {  # the agent's own sheet: formulas over the product tables by structured reference
    "A1": "=COUNTA(tblLeads[LeadId])",
    "A2": "=SUM(tblLeads[ListPrice])",
    "A3": "=SUM(tblLeads[[#Data],[ListPrice]])+SUM(tblLeads[TouchCount])",
    "A4": '=COUNTIF(tblLeads[Status],"New")',
    "A5": "=MAX(tblLeads[NextDue])",
    "A6": "=COUNTA(tblPhones[PhoneId])",
}


def _old_workbook(tmp: Path) -> Path:
    """The v2 template with leads, phones and the agent's sheet, written as that Relist's headers name them."""
    from openpyxl import load_workbook

    path = tmp / "Old.xlsx"
    shutil.copy(V2, path)
    wb = load_workbook(path)
    ws = wb["Leads"]
    header = [c.value for c in ws[1]]
    assert "LeadId" in header and "BestPhone" in header  # a v2 workbook shows field names
    for r, lead in enumerate(LEADS, start=2):
        for name, value in lead.items():
            ws.cell(row=r, column=header.index(name) + 1, value=value)
    table = ws.tables["tblLeads"]
    table.ref = f"A1:{table.ref.split(':')[1].rstrip('0123456789')}{len(LEADS) + 1}"
    table.autoFilter.ref = table.ref
    ph = wb["Phones"]
    ph_header = [c.value for c in ph[1]]
    for r, (pid, lid, phone) in enumerate([("P1", "L000001", "+13055550100"), ("P2", "L000002", "+447700900123")], start=2):
        for name, value in {"PhoneId": pid, "LeadId": lid, "Phone": phone, "Position": 1}.items():
            ph.cell(row=r, column=ph_header.index(name) + 1, value=value)
    pt = ph.tables["tblPhones"]
    pt.ref = f"A1:{pt.ref.split(':')[1].rstrip('0123456789')}3"
    pt.autoFilter.ref = pt.ref
    mine = wb.create_sheet("Mine")
    for ref, formula in MINE.items():
        mine[ref] = formula
    mine["B1"] = "my notes stay"
    wb.save(path)
    return path


def _values(path: Path, sheet: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _errors(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    found = []
    for name in book.sheet_names:
        for r, row in enumerate(book.get_sheet_by_name(name).to_python(), start=1):
            for c, v in enumerate(row, start=1):
                if isinstance(v, str) and v.startswith("#") and v.rstrip("!?/0").upper() in ("#REF", "#NAME", "#VALUE", "#N/A", "#DIV"):
                    found.append(f"{name}!R{r}C{c}={v}")
    return found


def test_a_v2_workbook_resaved_by_libreoffice_is_relabelled_losing_nothing(tmp_path: Path) -> None:
    path = _old_workbook(tmp_path)
    saved = soffice_convert(path, "xlsx:Calc Office Open XML", tmp_path / "lo")  # the agent's office suite saved it
    shutil.copy(saved, path)
    before = soffice_convert(path, "xlsx:Calc Office Open XML", tmp_path / "before")  # recalculated as it stands
    mine_before = _values(before, "Mine")
    assert mine_before[0][0] == 3 and mine_before[1][0] == 1_025_500

    book = open_workbook(path)  # migrates in place, after a backup
    assert book.schema_version == schema.SCHEMA_VERSION
    assert any(f"before-v{schema.SCHEMA_VERSION}" in p.name for p in backup_dir(path).iterdir())
    shown = [r["Setting"] for r in open_workbook(path).read_records("tblSettings")]
    assert "Your name" in shown and not {s.name for s in schema.SETTINGS_ROWS if s.shown != s.name} & set(shown), shown
    assert settings.load(open_workbook(path)).agent_name == "Alex Morgan"  # read from the relabelled row
    leads = open_workbook(path).read_records("tblLeads")
    for got, want in zip(leads, LEADS, strict=True):
        for name, value in want.items():
            assert got[name] == (float(value) if name == "ListPrice" else value), (want["LeadId"], name)
    assert [r["Phone"] for r in open_workbook(path).read_records("tblPhones")] == ["+13055550100", "+447700900123"]

    for spec in (schema.LEADS, schema.PHONES, schema.TOUCHES, schema.SEQUENCE, schema.DNC, schema.COMPS):
        header = _values(path, spec.sheet)[spec.top - 1][: len(spec.columns)]
        assert header == list(spec.headers), spec.sheet
    shown = _values(path, "Leads")
    best = list(schema.LEADS.headers).index("Best phone")
    assert [row[best] for row in shown[1:4]] == ["(305) 555-0100", "+447700900123", "(813) 555-0142"]

    after = soffice_convert(path, "xlsx:Calc Office Open XML", tmp_path / "after")
    assert _values(after, "Mine")[: len(MINE)] == mine_before[: len(MINE)]
    assert _values(after, "Mine")[0][1] == "my notes stay"
    assert _errors(after) == []

    # and the migrated workbook keeps working: a touch logged, the agent's sums follow
    book = open_workbook(path)
    book.update_rows("tblLeads", [{"LeadId": "L000002", "TouchCount": 1, "BestPhone": "+13055550199"}])
    book.save()
    again = open_workbook(path).read_records("tblLeads")
    assert again[1]["TouchCount"] == 1 and again[1]["BestPhone"] == "+13055550199"
    recalculated = soffice_convert(path, "xlsx:Calc Office Open XML", tmp_path / "again")
    assert _values(recalculated, "Mine")[2][0] == 1_025_500 + 2 + 1 + 5
    assert _errors(recalculated) == []
