"""The listing-presentation notebook executes headless against a real workbook and shows the builder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from tests.data.comps.fixture import file_book

pytestmark = pytest.mark.e2e

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "listing_presentation.ipynb"


def test_notebook_is_thin_and_stripped() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 1 <= len(code) <= 4
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert not any("def " in c.source for c in code)
    assert "RELIST_WORKBOOK" in "".join(c.source for c in code)


def test_notebook_executes_and_builds_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = file_book(tmp_path / "Relist.xlsx")
    monkeypatch.setenv("RELIST_WORKBOOK", str(wb))
    monkeypatch.setenv("RELIST_AT", "2026-03-10T09:00")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # A probe cell after the notebook's own: the app's state as the kernel sees it.
    nb.cells.append(nbformat.v4.new_code_cell("import json; print(json.dumps([app.model.lead_id, app.model.comp_count, app.model.summary]))"))
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    shown = nb.cells[-2].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown)
    lead, count, summary = json.loads(nb.cells[-1].outputs[0]["text"])
    assert (lead, count) == ("L-1001", 6)
    assert summary == "value $454,500 (range $430,000-$480,000, high confidence, score 95), suggested list price $455,000"
    assert os.environ["RELIST_WORKBOOK"] == str(wb)
