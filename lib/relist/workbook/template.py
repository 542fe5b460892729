"""Build the Relist workbook template from the declared schema (the only openpyxl writer).

`build(path)` writes a finished-looking workbook: styled headers, frozen panes,
widths, dropdowns, conditional formatting, print settings, the Settings defaults,
the default Sequence, the ROI and Dashboard sheets. The output is byte-for-byte
reproducible (fixed timestamps), so a test can compare it with the committed
`workbook/Relist.xlsx`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from relist import schema
from relist.words import article
from relist.workbook.memory import default_rows

FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
HEADER_FILL = "1F4E78"


def col_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_refs(spec: schema.TableSheet) -> dict[str, str]:
    """Column name -> '$X2' (absolute column, first data row) for conditional-format formulas."""
    return {c.name: f"${col_letter(i)}{spec.top + 1}" for i, c in enumerate(spec.columns, start=1)}


TODAY_PLACEHOLDER = "Click Today's Queue (Relist tab) to build today's list."
TODAY_LEGEND = (
    ("Colours:", None),
    ("First day: call first", "C6EFCE"),
    ("Skipped today", "FFC7CE"),
    ("Over your call limit", "FFEB9C"),
    (schema.TODAY_HOWTO, None),
)


def _today_top(ws: Any) -> None:
    """Today's summary line (A1, rewritten by every queue build) and its legend (row 2)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws["A1"] = TODAY_PLACEHOLDER
    ws["A1"].font = Font(name="Calibri", bold=True, size=16, color=HEADER_FILL)
    ws["A1"].alignment = Alignment(vertical="center")
    ws.row_dimensions[1].height = 28
    for i, (text, fill) in enumerate(TODAY_LEGEND, start=1):
        cell = ws.cell(row=2, column=i, value=text)
        cell.font = Font(name="Calibri", italic=fill is None, size=10, color="404040")
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
            cell.alignment = Alignment(horizontal="center")
    ws.row_dimensions[2].height = 18
    label_col = col_letter(schema.TODAY.names.index("LeadId"))  # the cell left of the as-of moment
    ws[f"{label_col}1"] = "as of"
    ws[f"{label_col}1"].font = Font(name="Calibri", italic=True, size=10, color="595959")
    ws[f"{label_col}1"].alignment = Alignment(horizontal="right", vertical="center")
    ws[schema.AS_OF_CELL].number_format = "yyyy-mm-dd hh:mm"
    ws[schema.AS_OF_CELL].font = Font(name="Calibri", size=10, color="595959")
    ws[schema.AS_OF_CELL].alignment = Alignment(horizontal="left", vertical="center")


FILTER_BUTTON = 2.5
"""Characters of a header cell the table's filter button covers."""


def header_lines(col: schema.Column) -> int:
    """Lines a header needs in bold beside its filter button (2 when it would be cut on one line)."""
    return 1 if len(col.header) * 1.1 + FILTER_BUTTON <= col.width else 2


def centred(col: schema.Column) -> bool:
    """Small counts and Yes/No (Touches, Step, Order, Litigator) sit centred: a count right-aligned runs into the
    next column's text ("1 no-answer"), a Yes/No left-aligned into the date before it ("09:15 No")."""
    return col.type in ("int", "bool") and col.width <= 10


def right_aligned(col: schema.Column) -> bool:
    """Numbers, dates and times Excel sets against the right edge of their cell (the ones not centred)."""
    return col.type in ("int", "float", "money", "pct", "datetime", "date", "time") and not centred(col)


def indented(spec: schema.TableSheet, col: schema.Column) -> bool:
    """Text right after a right-aligned column starts one indent in: else "2026-11-25 09:19" and
    "2026-11-25T14:19:00Z" (Touches > When, When (UTC)) read as one value."""
    i = spec.columns.index(col)
    return i > 0 and right_aligned(spec.columns[i - 1]) and not right_aligned(col) and not centred(col)


def _body_alignment(col: schema.Column, wraps: bool, indent: bool = False) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="center" if centred(col) else "left" if indent else None, indent=1 if indent else 0,
                     vertical="top" if wraps else None, wrap_text=col.wrap or None)


def _excel_value(col: schema.Column, value: Any) -> Any:
    if value is None:
        return None
    if col.type == "bool":
        return "Yes" if value else "No"
    return value


def _table_sheet(wb: Any, spec: schema.TableSheet, rows: Sequence[dict[str, Any]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ws = wb[spec.sheet]
    ws.sheet_properties.tabColor = spec.tab_color
    ncols = len(spec.columns)
    last = col_letter(ncols)
    top = spec.top
    header_font = Font(name="Calibri", bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wraps = any(c.wrap for c in spec.columns)
    tall_header = wraps or any(header_lines(c) > 1 for c in spec.columns)
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=top, column=i, value=col.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=tall_header, horizontal="left" if indented(spec, col) else None,
                                   indent=1 if indented(spec, col) else 0)
        if col.help:
            note = Comment(col.help, "Relist")
            note.width, note.height = 260, 90
            cell.comment = note
        letter = col_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        dim.number_format = col.number_format
        if wraps or centred(col) or indented(spec, col):
            dim.alignment = _body_alignment(col, wraps, indented(spec, col))
    ws.row_dimensions[top].height = 32 if tall_header else 20
    data = list(rows) or [{}]
    for r, rec in enumerate(data, start=top + 1):
        for i, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=r, column=i, value=_excel_value(col, rec.get(col.name)))
            cell.number_format = col.number_format
            if wraps or centred(col) or indented(spec, col):
                cell.alignment = _body_alignment(col, wraps, indented(spec, col))
    ref = f"A{top}:{last}{len(data) + top}"
    table = Table(displayName=spec.table, ref=ref)
    table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium2", showFirstColumn=False, showLastColumn=False, showRowStripes=True, showColumnStripes=False
    )
    ws.add_table(table)
    ws.freeze_panes = "B2" if spec.sheet == "Leads" else f"A{top + 1}"
    if spec.sheet == "Leads":
        for i, col in enumerate(spec.columns, start=1):
            if col.name in schema.INTERNAL_LEADS:  # collapsed group at the right: Data > Show Detail opens it
                dim = ws.column_dimensions[col_letter(i)]
                dim.outline_level, dim.hidden = 1, True
        ws.sheet_properties.outlinePr.summaryRight = True
    if spec.sheet == "Today":
        _today_top(ws)
    # Dropdowns from the hidden Lists sheet.
    list_cols = {name: col_letter(i) for i, name in enumerate(schema.VALIDATION_LISTS, start=1)}
    for i, col in enumerate(spec.columns, start=1):
        if not col.validation:
            continue
        values = schema.VALIDATION_LISTS[col.validation]
        lc = list_cols[col.validation]
        dv = DataValidation(
            type="list",
            formula1=f"Lists!${lc}$2:${lc}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=col.header,
            error=f"Pick {article(col.header.lower())} from the list.",
            promptTitle=col.header,
            prompt=(col.help or f"Pick {article(col.header.lower())}.")[:255],
            showInputMessage=bool(col.help),
        )
        letter = col_letter(i)
        dv.add(f"{letter}{top + 1}:{letter}1048576")
        ws.add_data_validation(dv)
    refs = column_refs(spec)
    for h in spec.highlights:
        formula = h.formula.format(**refs)
        ws.conditional_formatting.add(
            f"A{top + 1}:{last}1048576",
            FormulaRule(  # type: ignore[no-untyped-call]
                formula=[formula], fill=PatternFill("solid", fgColor=h.fill, bgColor=h.fill), font=Font(color=h.font)
            ),
        )
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = f"Relist - {spec.sheet}"
    ws.oddFooter.center.text = "Page &P of &N"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def _lists_sheet(wb: Any) -> None:
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb["Lists"]
    for i, (name, values) in enumerate(schema.VALIDATION_LISTS.items(), start=1):
        ws.cell(row=1, column=i, value=name).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=i, value=v)
        letter = col_letter(i)
        wb.defined_names[f"List{name}"] = DefinedName(
            f"List{name}", attr_text=f"Lists!${letter}$2:${letter}${len(values) + 1}"
        )
    ws.sheet_state = "hidden"


def _as_of_name(wb: Any) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    c, r = schema.AS_OF_CELL[0], schema.AS_OF_CELL[1:]
    cell = f"Today!${c}${r}"
    wb.defined_names[schema.AS_OF_NAME] = DefinedName(schema.AS_OF_NAME, attr_text=f"IF(ISNUMBER({cell}),{cell},NOW())")


def _meta_sheet(wb: Any) -> None:
    ws = wb.create_sheet(schema.META_SHEET)
    ws["A1"], ws["B1"] = "product", schema.PRODUCT_MARKER
    ws["A2"], ws["B2"] = "schema_version", schema.SCHEMA_VERSION
    ws["A3"], ws["B3"] = "note", "Relist keeps its bookkeeping here. Do not edit."
    ws.sheet_state = "veryHidden"


def _free_sheets(wb: Any) -> None:
    """ROI and Dashboard sheets from the ROI package's cell specs."""
    from relist.workbook import free_sheets

    free_sheets.render_roi(wb["ROI"])
    free_sheets.render_dashboard(wb["Dashboard"])


def build_bytes() -> bytes:
    """The template workbook as reproducible .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    for ws in list(wb.worksheets):
        wb.remove(ws)
    for name in schema.SHEET_ORDER:
        wb.create_sheet(name)
    for spec in schema.TABLE_SHEETS:
        _table_sheet(wb, spec, default_rows(spec.table))
    _lists_sheet(wb)
    _as_of_name(wb)
    _free_sheets(wb)
    _meta_sheet(wb)
    wb.active = wb.sheetnames.index("Today")
    wb.properties.creator = "Relist"
    wb.properties.title = "Relist: expired-listing prospecting desk"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "Relist"
    raw = io.BytesIO()
    wb.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times so the same input gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fix_core_times(content)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()


def _fix_core_times(content: bytes) -> bytes:
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", content)


def build(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a new Relist workbook at `path` (refuses to overwrite an existing file)."""
    from relist.errors import BadInput

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise BadInput(f"{target.name} does not end in .xlsx.", "Give a path like ~/Relist.xlsx.")
    if target.exists() and not overwrite:
        raise BadInput(f"{target} already exists.", "Pick another name, or move the old file away first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(build_bytes())
    tmp.replace(target)
    return target
