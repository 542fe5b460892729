"""notebooks/import_exports.ipynb: a few cells, no functions, outputs stripped, executes headless with widget state."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "import_exports.ipynb"


def test_the_notebook_is_a_few_cells_with_no_functions_and_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 1 <= len(code) <= 3
    for c in code:
        assert "def " not in c.source and "lambda" not in c.source and "class " not in c.source
        assert c.outputs == [] and c.execution_count is None
    assert "widgets" not in nb.metadata


def test_the_notebook_executes_headless_with_its_mapping_fields(tmp_path: Path) -> None:
    from relist.workbook import template

    book = template.build(tmp_path / "agent.xlsx")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    old = os.environ.get("RELIST_WORKBOOK")
    os.environ["RELIST_WORKBOOK"] = str(book)
    try:
        client = NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                                resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
    finally:
        if old is None:
            os.environ.pop("RELIST_WORKBOOK", None)
        else:
            os.environ["RELIST_WORKBOOK"] = old
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    classes = {cls for m in state.values() for cls in m["state"].get("_dom_classes", [])}
    assert {"relist-import-files", "relist-import-maps", "relist-import-value-maps", "relist-import-run"} <= classes
