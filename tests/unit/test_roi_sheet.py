"""The ROI and Dashboard sheet specs: complete, portable formulas that compute what the model computes.

The formulas are evaluated here by a tiny translator (IF/MAX/arithmetic only, which is all
the sheet may use); tests/e2e/test_roi_libreoffice.py recalculates them in LibreOffice.
"""

from __future__ import annotations

import random
import re
from dataclasses import fields
from typing import Any

import pytest

from relist.roi import sheet
from relist.roi.model import INPUT_FIELDS, OUTPUT_LABELS, RoiInputs, compute

REF = re.compile(r"\b([A-Z]{1,2})([0-9]{1,4})\b")


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a function call body."""
    args, depth, quote, cur = [], 0, False, ""
    for ch in text:
        if ch == '"':
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            args.append(cur)
            cur = ""
        else:
            cur += ch
    args.append(cur)
    return args


def _to_python(expr: str) -> str:
    """An Excel expression (IF, MAX, + - * / ^, =, >) as a lazy Python expression."""
    out = ""
    i = 0
    while i < len(expr):
        m = re.match(r"(IF|MAX)\(", expr[i:])
        if m:
            start = i + len(m.group(0))
            depth, j = 1, start
            while depth:
                depth += {"(": 1, ")": -1}.get(expr[j], 0)
                j += 1
            args = [_to_python(a) for a in _split_args(expr[start : j - 1])]
            if m.group(1) == "IF":
                out += f"(({args[1]}) if ({args[0]}) else ({args[2]}))"
            else:
                out += f"max({', '.join(args)})"
            i = j
            continue
        ch = expr[i]
        if ch == "^":
            out += "**"
        elif ch == "=" and expr[i - 1] not in "<>":
            out += "=="
        else:
            out += ch
        i += 1
    return out


def evaluate(cells: list[sheet.CellSpec], inputs: RoiInputs) -> dict[str, Any]:
    """Every cell's value, formulas computed in dependency order."""
    values: dict[str, Any] = {c.ref: c.value for c in cells}
    values.update(sheet.input_cells(inputs))
    done: dict[str, Any] = {}

    def get(ref: str) -> Any:
        if ref in done:
            return done[ref]
        v = values.get(ref)
        if isinstance(v, str) and v.startswith("="):
            code = REF.sub(lambda m: f"get('{m.group(0)}')", _to_python(v[1:]))
            v = eval(code, {"get": get, "max": max})  # noqa: S307 - our own formulas
        done[ref] = v
        return v

    return {ref: get(ref) for ref in values}


def test_every_input_and_output_has_one_named_cell() -> None:
    cells = sheet.roi_cells()
    refs = [c.ref for c in cells]
    assert len(refs) == len(set(refs))
    named = {c.name: c for c in cells if c.name}
    assert {f.name for f in fields(RoiInputs)} | set(OUTPUT_LABELS) == set(named)
    for name, ref in sheet.ROI_INPUT_REFS.items():
        assert named[name].ref == ref and named[name].role == "input"
    for name, ref in sheet.ROI_OUTPUT_REFS.items():
        assert named[name].ref == ref and named[name].role == "output"
        assert str(named[name].value).startswith("=")


def test_inputs_carry_validation_notes_and_defaults() -> None:
    cells = {c.name: c for c in sheet.roi_cells() if c.role == "input"}
    defaults = RoiInputs().as_dict()
    for f in INPUT_FIELDS:
        c = cells[f.name]
        assert c.value == defaults[f.name]
        assert (c.validation_min, c.validation_max) == (f.low, f.high)
        assert c.note and c.number_format != "General"
    assert cells["chain"].choices == ("appointments", "contacts")
    assert cells["touches_per_lead"].whole


def test_formulas_are_portable_and_stay_on_the_roi_sheet() -> None:
    allowed = {"IF", "MAX"}
    for c in sheet.roi_cells():
        if not (isinstance(c.value, str) and c.value.startswith("=")):
            continue
        assert "!" not in c.value, c.ref
        used = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", c.value))
        assert used <= allowed, (c.ref, used)
        for col, _row in REF.findall(c.value):
            assert col == "B", c.ref


@pytest.mark.parametrize("seed", range(40))
def test_the_formulas_compute_what_the_model_computes(seed: int) -> None:
    rnd = random.Random(seed)
    inputs = RoiInputs(
        dials_per_day=rnd.uniform(0, 200),
        days_per_week=rnd.choice([0, 3, 5, 6.5, 7]),
        minutes_per_dial=rnd.uniform(0.5, 3),
        pickup_rate=rnd.uniform(0, 1),
        chain=rnd.choice(["appointments", "contacts"]),
        contacts_per_appointment=rnd.uniform(1, 100),
        appointments_per_listing=rnd.uniform(1, 5),
        listings_per_contact=rnd.uniform(0, 0.2),
        listing_to_close=rnd.uniform(0, 1),
        median_price=rnd.uniform(100_000, 2_000_000),
        commission_rate=rnd.uniform(0, 0.04),
        brokerage_split=rnd.uniform(0, 0.5),
        data_cost=rnd.choice([0, rnd.uniform(0, 300)]),
        dialer_cost=rnd.choice([0, rnd.uniform(0, 300)]),
        tools_cost=rnd.choice([0, rnd.uniform(0, 300)]),
        touches_per_lead=rnd.randint(1, 12),
        touch_contact_rate=rnd.uniform(0, 1),
        leads_per_month=rnd.randint(0, 500),
    )
    got = evaluate(sheet.roi_cells(), inputs)
    want = compute(inputs).as_dict()
    for name, ref in sheet.ROI_OUTPUT_REFS.items():
        if want[name] is None:
            assert got[ref] == "", name
        else:
            assert got[ref] == pytest.approx(want[name], rel=1e-9, abs=1e-9), name


def test_the_native_chart_reads_the_funnel_block() -> None:
    chart = sheet.roi_chart()
    cells = {c.ref: c for c in sheet.roi_cells()}
    first, last = (int(x) for x in re.findall(r"\$A\$(\d+)", chart.categories_ref))
    labels = [cells[f"A{r}"].value for r in range(first, last + 1)]
    assert labels == ["Dials", "Contacts", "Appointments", "Signed listings", "Closings"]
    assert cells[f"B{first}"].value == f"={sheet.ROI_OUTPUT_REFS['dials_per_month']}"
    assert chart.values_ref == f"'ROI'!$B${first}:$B${last}"


def test_dashboard_cells_are_unique_and_cover_every_block() -> None:
    cells = sheet.dashboard_cells()
    refs = [c.ref for c in cells]
    assert len(refs) == len(set(refs))
    by_ref = {c.ref: c for c in cells}
    assert by_ref[f"A{sheet.WEEK_TOTAL_ROW}"].value == "All time"
    assert by_ref[f"A{sheet.SPEED_HEADER_ROW + 1}"].value == "Same day as expiry"
    assert by_ref[f"A{sheet.CHANNEL_HEADER_ROW + 1}"].value == "call"
    assert by_ref[sheet.REFRESHED_REF].role == "output"
    chart = sheet.dashboard_charts()[0]
    assert chart.titles_from_data and chart.values_ref.startswith("'Dashboard'!$B$6")
