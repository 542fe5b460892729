"""CSV files that other programs open: one writer for every export, safe from spreadsheet formulas.

Excel, LibreOffice and Google Sheets run a CSV cell that starts with `=`, `+`, `-` or `@` (and,
after a tab or carriage return, what follows) as a formula, so a note an owner wrote, such as
`=HYPERLINK("http://evil","Click")`, would act when the agent opens the export. Every text cell
that starts with one of those characters is written with a leading apostrophe, as OWASP's
"CSV Injection" guidance advises (a phone number as text, `+18135550111`, too: a spreadsheet
would otherwise turn it into the number 18135550111). Numbers passed as numbers stay as they
are. Every export (dial list, audit, any later one) goes through `write_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """One cell's text: dates ISO, None empty, and a leading apostrophe where a formula could start."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV text of a header and rows (RFC 4180: CRLF line ends), every cell through `safe_cell`.

    CRLF also makes Python's csv module quote a cell holding a lone CR or LF (it quotes only
    the line terminator's characters), so a note with line breaks stays one cell.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
