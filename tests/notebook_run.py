"""Steps the notebook tests share: a notebook is a few stripped cells with no functions, and it runs
headless against a workbook with the widgets' state saved."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def assert_thin(path: Path, max_code: int = 3) -> None:
    """A few code cells, no functions, lambdas or classes, outputs stripped, no saved widget state."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 1 <= len(code) <= max_code
    for c in code:
        assert "def " not in c.source and "lambda" not in c.source and "class " not in c.source
        assert c.outputs == [] and c.execution_count is None
    assert "widgets" not in nb.metadata


def run_headless(path: Path, workbook: Path, folder: Path) -> nbformat.NotebookNode:
    """The notebook executed in a fresh kernel with RELIST_WORKBOOK set; fails on any error output."""
    nb = nbformat.read(path, as_version=4)
    old = os.environ.get("RELIST_WORKBOOK")
    os.environ["RELIST_WORKBOOK"] = str(workbook)
    try:
        client = NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                                resources={"metadata": {"path": str(folder)}})
        client.execute()
    finally:
        if old is None:
            os.environ.pop("RELIST_WORKBOOK", None)
        else:
            os.environ["RELIST_WORKBOOK"] = old
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    return nb
