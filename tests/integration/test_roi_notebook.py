"""notebooks/roi_calculator.ipynb: a few cells, no functions, outputs stripped, executes headless with widget state."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from tests.notebook_run import assert_thin, run_headless

from relist.roi.model import RoiInputs, compute
from relist.roi.text import format_value

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "roi_calculator.ipynb"


def test_the_notebook_is_a_few_cells_with_no_functions_and_no_outputs() -> None:
    assert_thin(NOTEBOOK)


def test_the_notebook_executes_headless_with_widget_state_saved(tmp_path: Path) -> None:
    from relist.workbook import template

    book = template.build(tmp_path / "agent.xlsx")
    nb = run_headless(NOTEBOOK, book, tmp_path)
    views = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = state.values()
    classes = {cls for m in models for cls in m["state"].get("_dom_classes", [])}
    assert {"relist-roi", "relist-slider-dials_per_day", "relist-roi-funnel", "relist-roi-gci"} <= classes
    texts = [m["state"].get("value") for m in models if m["model_name"] == "TextModel"]
    assert str(book) in texts
    headline = next(m["state"]["value"] for m in models if "relist-roi-headline" in m["state"].get("_dom_classes", []))
    assert format_value("gci_per_month", compute(RoiInputs()).gci_per_month) in headline  # GCI per month at the defaults
    out = tmp_path / "executed.ipynb"
    nbformat.write(nb, out)
    assert json.loads(out.read_text())["metadata"]["widgets"]

