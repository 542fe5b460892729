"""Set single cells of a free-form sheet (ROI inputs, Dashboard figures) in its XML, keeping styles."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from relist.workbook import package as pkg

_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)


def _new_cell(ref: str, style: str, value: Any) -> str:
    if isinstance(value, str) and value.startswith("="):
        return pkg.formula_cell(ref, style, value)
    xml = pkg.cell_xml(ref, style, value)
    return xml or (f'<c r="{ref}"{style}/>' if style else "")


def _set_in_row(row: bytes, letters: str, ref: str, value: Any) -> bytes:
    target = pkg.col_index(letters)
    for m in _CELL.finditer(row):
        col = pkg.col_index(m.group(1).decode())
        if col == target:
            sm = re.search(rb'\bs="(\d+)"', m.group(0)[: m.group(0).find(b">") + 1])
            style = f' s="{sm.group(1).decode()}"' if sm else ""
            return row[: m.start()] + _new_cell(ref, style, value).encode() + row[m.end() :]
        if col > target:
            return row[: m.start()] + _new_cell(ref, "", value).encode() + row[m.start() :]
    if row.endswith(b"/>"):
        open_tag = row[:-2] + b">"
        close = b"</row>"
        return open_tag + _new_cell(ref, "", value).encode() + close
    end = row.rfind(b"</")
    return row[:end] + _new_cell(ref, "", value).encode() + row[end:]


def set_cells(sheet_xml: bytes, cells: Mapping[str, Any]) -> bytes:
    """The worksheet XML with the given A1 cells set (formulas when the text starts with '=')."""
    sheet = pkg.SheetXml.parse(sheet_xml)
    rows = sheet.rows
    for ref, value in cells.items():
        letters_m = re.match(r"\$?([A-Z]+)\$?(\d+)", ref.upper())
        if not letters_m:
            raise ValueError(f"not a cell reference: {ref!r}")
        letters, rnum = letters_m.group(1), int(letters_m.group(2))
        ref = f"{letters}{rnum}"
        placed = False
        for m in _ROW.finditer(rows):
            r = int(m.group(1))
            if r == rnum:
                rows = rows[: m.start()] + _set_in_row(m.group(0), letters, ref, value) + rows[m.end() :]
                placed = True
                break
            if r > rnum:
                new = f'<row r="{rnum}">{_new_cell(ref, "", value)}</row>'.encode()
                rows = rows[: m.start()] + new + rows[m.start() :]
                placed = True
                break
        if not placed:
            rows = rows + f'<row r="{rnum}">{_new_cell(ref, "", value)}</row>'.encode()
    # Formulas written without cached values must not keep stale cached values elsewhere:
    # Excel recalculates on open (fullCalcOnLoad), LibreOffice on load of such files.
    return sheet.head + rows + sheet.tail
