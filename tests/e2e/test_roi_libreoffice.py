"""The Excel ROI sheet and the Python model agree: inputs written into a real workbook, recalculated by
LibreOffice headless, every output compared with `relist.roi.model.compute`.

LibreOffice is told to recalculate on load through its private profile
(Calc > Formula > Load > OOXMLRecalcMode = 0, "always"), then the workbook is saved back
to .xlsx and its cached values read with calamine.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import require_tool

from relist.roi import sheet
from relist.roi.model import RoiInputs, compute

pytestmark = pytest.mark.e2e

_ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated(src: Path, outdir: Path) -> Path:
    """A copy of `src` recalculated and saved by LibreOffice headless (private profile, always recalc)."""
    exe = require_tool("soffice")
    profile = Path("/tmp") / f"lo-relist-roi-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALC)
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=240,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{src.stem}.xlsx"
    if not out.exists():
        raise AssertionError(f"LibreOffice did not recalculate {src.name}: {proc.stdout} {proc.stderr}")
    return out


def _sheet_values(path: Path, name: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _cell(rows: list[list[Any]], ref: str) -> Any:
    col = ord(ref[0]) - ord("A")
    row = int(ref[1:]) - 1
    try:
        return rows[row][col]
    except IndexError:
        return ""


def _random_inputs(rnd: random.Random) -> RoiInputs:
    return RoiInputs(
        dials_per_day=round(rnd.uniform(0, 200), 2),
        days_per_week=rnd.choice([0, 1, 3, 4.5, 5, 6, 7]),
        minutes_per_dial=round(rnd.uniform(0.5, 3), 3),
        pickup_rate=round(rnd.uniform(0, 1), 4),
        chain=rnd.choice(["appointments", "contacts"]),
        contacts_per_appointment=round(rnd.uniform(1, 120), 2),
        appointments_per_listing=round(rnd.uniform(1, 5), 2),
        listings_per_contact=round(rnd.uniform(0, 0.2), 4),
        listing_to_close=round(rnd.uniform(0, 1), 3),
        median_price=round(rnd.uniform(100_000, 2_000_000), -2),
        commission_rate=round(rnd.uniform(0, 0.04), 4),
        brokerage_split=round(rnd.uniform(0, 0.5), 3),
        data_cost=rnd.choice([0.0, round(rnd.uniform(0, 300), 2)]),
        dialer_cost=rnd.choice([0.0, round(rnd.uniform(0, 300), 2)]),
        tools_cost=rnd.choice([0.0, round(rnd.uniform(0, 300), 2)]),
        touches_per_lead=rnd.randint(1, 12),
        touch_contact_rate=round(rnd.uniform(0, 1), 4),
        leads_per_month=float(rnd.randint(0, 500)),
    )


def _assert_outputs_match(rows: list[list[Any]], inputs: RoiInputs, label: str) -> None:
    want = compute(inputs).as_dict()
    for name, ref in sheet.ROI_OUTPUT_REFS.items():
        got = _cell(rows, ref)
        if want[name] is None:
            assert got in ("", None), f"{label} {name} {ref}: {got!r}"
        else:
            assert isinstance(got, float | int), f"{label} {name} {ref}: {got!r}"
            assert got == pytest.approx(want[name], rel=1e-9, abs=1e-7), f"{label} {name} {ref}"


def test_libreoffice_computes_the_model_for_36_random_scenarios(tmp_path: Path) -> None:
    """36 scenarios, one ROI sheet each (the template's own and 35 copies), one LibreOffice run."""
    import openpyxl

    from relist.workbook import template

    require_tool("soffice")
    book = template.build(tmp_path / "relist.xlsx")
    wb = openpyxl.load_workbook(book)
    rnd = random.Random(20260425)
    scenarios = [_random_inputs(rnd) for _ in range(34)]
    scenarios += [RoiInputs(), RoiInputs(dials_per_day=0, data_cost=0, dialer_cost=0, tools_cost=0)]
    names = []
    for i, inputs in enumerate(scenarios):
        ws = wb["ROI"] if i == 0 else wb.copy_worksheet(wb["ROI"])
        if i:
            ws.title = f"ROI{i}"
        for ref, value in sheet.input_cells(inputs).items():
            ws[ref] = value
        names.append(ws.title)
    src = tmp_path / "scenarios.xlsx"
    wb.save(src)
    out = recalculated(src, tmp_path / "lo")
    for name, inputs in zip(names, scenarios, strict=True):
        _assert_outputs_match(_sheet_values(out, name), inputs, name)


def test_a_saved_scenario_recalculates_to_the_model(tmp_path: Path) -> None:
    """save_scenario through the file adapter, then LibreOffice: the sheet shows the model's outputs."""
    from relist.roi.service import read_scenario, save_scenario
    from relist.workbook import open_workbook, template

    require_tool("soffice")
    path = template.build(tmp_path / "relist.xlsx")
    inputs = RoiInputs(chain="contacts", dials_per_day=64, pickup_rate=0.27, listings_per_contact=0.06,
                       brokerage_split=0.2, touches_per_lead=3, touch_contact_rate=0.22, leads_per_month=140)
    save_scenario(open_workbook(path), inputs)
    assert read_scenario(open_workbook(path)) == inputs
    out = recalculated(path, tmp_path / "lo")
    _assert_outputs_match(_sheet_values(out, "ROI"), inputs, "ROI")
