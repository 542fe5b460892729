"""Excel's limits, respected on every write: characters a cell holds, rows a sheet holds.

A longer text is cut with a visible marker (LibreOffice would cut it silently and Excel
would call the file damaged); a table that would outgrow its sheet is refused, except
Rejects, which drops its oldest rows with a message.
"""

from __future__ import annotations

CELL_CHARS = 32_767
"""Characters (UTF-16 code units) one Excel cell holds."""
SHEET_ROWS = 1_048_576
"""Rows one Excel worksheet holds."""
CUT_MARK = " … [cut: an Excel cell holds 32,767 characters]"
ROLLING_TABLES = frozenset({"tblrejects"})
"""Tables whose oldest rows give way when the sheet is full (the rest are refused)."""


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit_text(text: str) -> str:
    """`text` if a cell holds it, else its start and CUT_MARK within CELL_CHARS."""
    if len(text) <= CELL_CHARS // 2 or _units(text) <= CELL_CHARS:
        return text
    keep = CELL_CHARS - len(CUT_MARK)
    head = text[:keep]
    while _units(head) > keep:
        head = head[: len(head) - (_units(head) - keep + 1) // 2 - 1]
    return head + CUT_MARK


def rows_room(first_data_row: int, totals_rows: int = 0) -> int:
    """How many data rows fit below a header whose first data row is `first_data_row`."""
    return SHEET_ROWS - first_data_row + 1 - totals_rows
