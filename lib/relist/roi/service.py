"""ROI services over a workbook port: refresh the Dashboard, save and load ROI scenarios.

Each takes a `relist.workbook.port.WorkbookPort` and plain values, writes through the
port, saves, and returns what it measured. Only fronts read the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from relist.errors import BadInput
from relist.roi import sheet
from relist.roi.metrics import MIN_RATE_SAMPLE, Funnel, MyNumbers, funnel, my_numbers
from relist.roi.model import CHAINS, FIELD_BY_NAME, RoiInputs, validate
from relist.words import count
from relist.workbook.port import WorkbookPort

TOUCH_COLUMNS = ("TouchId", "LeadId", "At", "Channel", "Outcome", "UndoOf")
LEAD_COLUMNS = ("LeadId", "Status", "Contactable", "ExpiredAt", "Vendor", "FirstImportedAt", "ClosedAt")


def _local(book: WorkbookPort, at: datetime | None) -> datetime | None:
    if at is None:
        return None
    if at.tzinfo is None:
        raise BadInput("The moment given has no time zone.", "Pass an aware datetime (the fronts read the clock).")
    from relist import settings
    from relist.clock import to_local_naive

    return to_local_naive(at, settings.load(book).tz)


def measure(book: WorkbookPort, at: datetime | None = None) -> Funnel:
    """The agent's funnel from the workbook's touch log as of `at` (aware; None = the last touch)."""
    leads = book.read_records("tblLeads", list(LEAD_COLUMNS))  # a missing column reads as None
    touches = book.read_records("tblTouches", list(TOUCH_COLUMNS))
    return funnel(touches, leads, _local(book, at))


# ---------------------------------------------------------------- scenarios on the ROI sheet


def _cell_number(name: str, ref: str, value: Any) -> float:
    f = FIELD_BY_NAME[name]
    if isinstance(value, bool):
        raise BadInput(f"ROI!{ref} ({f.label}) holds {value!r}, not a number.", "Type a number in the yellow cell.")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "").replace("$", "")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError as exc:
        raise BadInput(f"ROI!{ref} ({f.label}) holds {value!r}, not a number.", "Type a number in the yellow cell.") from exc
    return number / 100 if percent else number


def read_scenario(book: WorkbookPort) -> RoiInputs:
    """The inputs on the ROI sheet (blank cells take the defaults); BadInput names a bad cell."""
    got = book.read_cells(sheet.ROI_SHEET, list(sheet.ROI_INPUT_REFS.values()))
    changes: dict[str, Any] = {}
    for name, ref in sheet.ROI_INPUT_REFS.items():
        value = got.get(ref)
        if value is None or value == "":
            continue
        if name == "chain":
            chain = str(value).strip().lower()
            if chain not in CHAINS:
                raise BadInput(f"ROI!{ref} (chain) holds {value!r}.", "Pick appointments or contacts.")
            changes[name] = chain
            continue
        number = _cell_number(name, ref, value)
        changes[name] = int(round(number)) if FIELD_BY_NAME[name].whole else number
    try:
        return validate(replace(RoiInputs(), **changes))
    except BadInput as exc:
        raise BadInput(f"The ROI sheet: {exc.message}", "Fix the yellow cell on the ROI sheet.") from exc


def save_scenario(book: WorkbookPort, inputs: RoiInputs) -> None:
    """Write the inputs into the ROI sheet's yellow cells (its formulas then show the same outputs)."""
    book.write_cells(sheet.ROI_SHEET, sheet.input_cells(validate(inputs)))
    book.save()


def my_numbers_from(book: WorkbookPort, at: datetime | None = None) -> MyNumbers:
    """The ROI inputs measured from the workbook's touch log, with their evidence."""
    return my_numbers(measure(book, at))


def load_my_numbers(book: WorkbookPort, at: datetime | None = None) -> RoiInputs:
    """The ROI sheet's scenario with every input the touch log can measure replaced by the measurement."""
    return my_numbers_from(book, at).apply(read_scenario(book))


# ---------------------------------------------------------------- Dashboard


def _fmt_measured(name: str, value: float) -> str:
    f = FIELD_BY_NAME[name]
    if f.unit == "rate":
        return f"{value:.1%}"
    return f"{value:,.0f}" if f.whole else f"{value:,.1f}"


def dashboard_values(f: Funnel, at_local: datetime) -> dict[str, Any]:
    """Every output cell of the Dashboard sheet for the funnel: ref -> value (None clears)."""
    cells: dict[str, Any] = {sheet.REFRESHED_REF: at_local}
    t = f.total
    since = f" since {f.first_dial.isoformat()}" if f.first_dial else ""
    rate = f" ({t.pickup_rate:.1%} of dials)" if t.pickup_rate is not None else ""
    few = f" Based on {count(t.dials, 'dial')}: too few to trust, keep logging." if t.dials < MIN_RATE_SAMPLE else ""
    cells[sheet.SUMMARY_REF] = (
        f"{count(t.dials, 'dial')}, {count(t.contacts, 'contact')}{rate}, {count(t.appointments, 'appointment')}, "
        f"{count(t.listings, 'listing')}, {count(t.closings, 'closing')}{since}.{few}"
    )
    week_rows = [*f.weeks, t]
    for i, p in enumerate(week_rows):
        row = sheet.WEEK_FIRST_ROW + i
        values = (p.week_of, p.dials, p.contacts, p.pickup_rate, p.appointments, p.listings, p.closings)
        for (col, _, _), value in zip(sheet.WEEK_COLUMNS, values, strict=True):
            if col == "A" and p.week_of is None:
                continue  # the "All time" label
            cells[f"{col}{row}"] = value
    for i, g in enumerate(f.speed):
        row = sheet.SPEED_HEADER_ROW + 1 + i
        cells.update({f"B{row}": g.leads, f"C{row}": g.contacted, f"D{row}": g.appointments,
                      f"E{row}": g.contact_to_appointment})
    for i, (key, _) in enumerate(sheet.DEPTH_ROWS):
        row = sheet.DEPTH_HEADER_ROW + 1 + i
        d = f.depth(key)
        cells.update({f"B{row}": d.leads, f"C{row}": d.median, f"D{row}": d.mean, f"E{row}": d.latest})
    for i in range(sheet.DASHBOARD_STOP_DEPTHS):
        row = sheet.STOP_HEADER_ROW + 1 + i
        cells.update({f"B{row}": f.stopped_ended[i], f"C{row}": f.stopped_working[i]})
    for i, ch in enumerate(f.channels):
        row = sheet.CHANNEL_HEADER_ROW + 1 + i
        cells.update({f"B{row}": ch.touches, f"C{row}": ch.contacts, f"D{row}": ch.contact_rate,
                      f"E{row}": ch.appointments})
    vendors = list(f.vendors)
    room = sheet.DASHBOARD_VENDOR_ROWS
    if len(vendors) > room:
        rest = vendors[room - 1:]
        from relist.roi.metrics import VendorQuality

        vendors = vendors[: room - 1] + [VendorQuality(
            f"Other ({len(rest)} sources)", sum(v.leads for v in rest), sum(v.dials for v in rest),
            sum(v.bad_numbers for v in rest), sum(v.contacts for v in rest))]
    for i in range(room):
        row = sheet.VENDOR_HEADER_ROW + 1 + i
        if i < len(vendors):
            v = vendors[i]
            values_v: tuple[Any, ...] = (v.vendor, v.leads, v.dials, v.bad_numbers, v.bad_number_rate,
                                         v.contacts, v.contact_rate)
        else:
            values_v = (None,) * len(sheet.VENDOR_COLUMNS)
        for (col, _, _), val in zip(sheet.VENDOR_COLUMNS, values_v, strict=True):
            cells[f"{col}{row}"] = val
    mine = my_numbers(f)
    for i, name in enumerate(sheet.MY_NUMBERS_FIELDS):
        row = sheet.MY_NUMBERS_HEADER_ROW + 1 + i
        if name in mine.values:
            cells[f"B{row}"] = _fmt_measured(name, mine.values[name])
            cells[f"C{row}"] = mine.evidence[name]
        else:
            cells[f"B{row}"] = "not yet"
            cells[f"C{row}"] = mine.missing.get(name, "")
    return cells


def refresh_dashboard(book: WorkbookPort, at: datetime) -> Funnel:
    """Rebuild the Dashboard sheet from the touch log as of `at` (aware): tables, summary, funnel picture."""
    at_local = _local(book, at)
    assert at_local is not None
    book.status("Measuring your funnel from the touch log...")
    f = measure(book, at)
    book.write_cells(sheet.DASHBOARD_SHEET, dashboard_values(f, at_local))
    from relist.roi.charts import measured_funnel_chart
    from relist.roi.render import render_png

    name, anchor = sheet.FUNNEL_PICTURE
    book.add_picture(sheet.DASHBOARD_SHEET, render_png(measured_funnel_chart(f), 380, 280), anchor, name)
    book.save()
    return f
