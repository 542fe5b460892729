"""Render the free-form sheets (ROI, Dashboard) from the cell and chart specs `relist.roi.sheet` declares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

INPUT_FILL = "FFF2CC"
OUTPUT_FILL = "E2EFDA"
HEADER_FILL = "1F4E78"


def _validation(spec: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    note = (spec.note or "")[:255]
    if spec.choices:
        return DataValidation(
            type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=False, showErrorMessage=True,
            errorTitle="Pick from the list", error=f"Pick one of: {', '.join(spec.choices)}"[:225],
            showInputMessage=bool(note), prompt=note,
        )
    lo, hi = spec.validation_min, spec.validation_max
    if lo is None and hi is None:
        return None
    return DataValidation(
        type="whole" if spec.whole else "decimal",
        operator="between",
        formula1=str(lo if lo is not None else -1e12),
        formula2=str(hi if hi is not None else 1e12),
        showErrorMessage=True,
        errorTitle="Out of range",
        error=f"Enter a value between {lo} and {hi}. {note}"[:225],
        showInputMessage=bool(note),
        prompt=note,
    )


def _render(ws: Any, cells: Iterable[Any], charts: Iterable[Any], widths: Mapping[str, float]) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    for spec in cells:
        cell = ws[spec.ref]
        cell.value = spec.value
        if spec.number_format and spec.number_format != "General":
            cell.number_format = spec.number_format
        if spec.role == "input":
            cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
            dv = _validation(spec)
            if dv is not None:
                dv.add(spec.ref)
                ws.add_data_validation(dv)
        elif spec.role == "output":
            cell.fill = PatternFill("solid", fgColor=OUTPUT_FILL)
            cell.font = Font(name="Calibri", bold=True)
        style = getattr(spec, "style", "")
        if style == "title":
            cell.font = Font(name="Calibri", bold=True, size=16, color=HEADER_FILL)
        elif style == "heading":
            cell.font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)
        elif style == "header":
            cell.font = Font(name="Calibri", bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        elif style == "headline":
            cell.font = Font(name="Calibri", bold=True, size=20, color=HEADER_FILL)
            cell.alignment = Alignment(horizontal="right", vertical="center")
            ws.row_dimensions[cell.row].height = 30
        elif style == "headline-label":
            cell.font = Font(name="Calibri", bold=True, size=14, color=HEADER_FILL)
            cell.alignment = Alignment(vertical="center")
        elif style == "header-num":  # over right-aligned numbers
            cell.font = Font(name="Calibri", bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="right", wrap_text=True, vertical="bottom")
            ws.row_dimensions[cell.row].height = 30  # long headers wrap instead of being cut
        elif style == "help":
            cell.font = Font(name="Calibri", italic=True, color="595959")  # one line running across the empty cells
        if spec.note and spec.role != "input":
            cell.comment = Comment(spec.note, "Relist")
    for chart_spec in charts:
        chart: Any = LineChart() if chart_spec.type == "line" else BarChart()
        if chart_spec.type in ("bar", "col"):
            chart.type = chart_spec.type
        chart.title = chart_spec.title
        chart.width = chart_spec.width_cm
        chart.height = chart_spec.height_cm
        if chart_spec.y_title:
            chart.y_axis.title = chart_spec.y_title
        vals = Reference(worksheet=ws, range_string=chart_spec.values_ref)
        cats = Reference(worksheet=ws, range_string=chart_spec.categories_ref)
        chart.add_data(vals, titles_from_data=chart_spec.titles_from_data)
        chart.set_categories(cats)
        if not chart_spec.titles_from_data and chart_spec.series_title and chart.series:
            from openpyxl.chart.series import SeriesLabel

            chart.series[0].tx = SeriesLabel(v=chart_spec.series_title)
        if chart_spec.titles_from_data and len(chart.series) > 1:
            chart.legend.position = "b"  # several series: say which colour is which
        else:
            chart.legend = None
        ws.add_chart(chart, chart_spec.anchor)
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def render_roi(ws: Any) -> None:
    from relist.roi import sheet

    ws.sheet_properties.tabColor = "548235"
    _render(ws, sheet.roi_cells(), sheet.roi_charts(), sheet.ROI_COLUMN_WIDTHS)


def render_dashboard(ws: Any) -> None:
    from relist.roi import sheet

    ws.sheet_properties.tabColor = "548235"
    _render(ws, sheet.dashboard_cells(), sheet.dashboard_charts(), sheet.DASHBOARD_COLUMN_WIDTHS)
