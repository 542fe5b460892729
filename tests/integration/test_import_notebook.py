"""notebooks/import_exports.ipynb: a few cells, no functions, outputs stripped, executes headless with widget state."""

from __future__ import annotations

from pathlib import Path

from tests.notebook_run import assert_thin, run_headless

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "import_exports.ipynb"


def test_the_notebook_is_a_few_cells_with_no_functions_and_no_outputs() -> None:
    assert_thin(NOTEBOOK)


def test_the_notebook_executes_headless_with_its_mapping_fields(tmp_path: Path) -> None:
    from relist.workbook import template

    book = template.build(tmp_path / "agent.xlsx")
    nb = run_headless(NOTEBOOK, book, tmp_path)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    classes = {cls for m in state.values() for cls in m["state"].get("_dom_classes", [])}
    assert {"relist-import-files", "relist-import-maps", "relist-import-value-maps", "relist-import-run"} <= classes
