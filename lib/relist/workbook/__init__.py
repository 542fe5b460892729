"""The workbook port and its adapters; `open_workbook` opens a Relist .xlsx file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relist.workbook.file_adapter import FileWorkbook


def open_workbook(path: str | Path) -> FileWorkbook:
    """Open a Relist workbook file (refuses locked, foreign and too-new workbooks; migrates older ones)."""
    from relist.workbook.file_adapter import FileWorkbook

    return FileWorkbook(path)
