"""The ROI and Dashboard sheets as data: cell specs and chart specs the template builder renders.

The ROI sheet holds the same model as `relist.roi.model.compute`, as live formulas that
reference cells of the ROI sheet only and use functions Excel 2016 and LibreOffice share
(IF, MAX and arithmetic). The Dashboard sheet is labels plus output cells that
`relist.roi.service.refresh_dashboard` fills from the touch log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from relist.roi.model import (
    CHAINS,
    EARLY_QUIT_TOUCH,
    FIELD_BY_NAME,
    FULL_SEQUENCE_TOUCHES,
    OUTPUT_LABELS,
    OUTPUT_UNITS,
    RoiInputs,
    input_names,
)

Role = Literal["input", "output", "label"]
Style = Literal["", "title", "help", "heading", "header", "header-num", "headline", "headline-label"]

ROI_SHEET = "ROI"
DASHBOARD_SHEET = "Dashboard"

FMT_RATE = "0.0%"
FMT_MONEY = '"$"#,##0'
FMT_COUNT = "#,##0"
FMT_COUNT1 = "#,##0.0"
FMT_DECIMAL = "0.00"
FMT_DATE = "yyyy-mm-dd"
FMT_DATETIME = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class CellSpec:
    """One cell of a laid-out sheet: what it holds, what it is for, how it looks and is checked.

    `value` is a constant or a formula (a string starting with '='). Inputs are the cells
    the agent edits (yellow, validated between `validation_min` and `validation_max`, or
    against `choices`); outputs are formulas or values Relist writes; labels are text.
    `name` ties an input or output cell to its model field.
    """

    ref: str
    value: str | float | int | None
    role: Role
    number_format: str = "General"
    note: str = ""
    validation_min: float | None = None
    validation_max: float | None = None
    choices: tuple[str, ...] = ()
    whole: bool = False
    name: str = ""
    style: Style = ""


@dataclass(frozen=True)
class ChartSpec:
    """A native Excel chart: refs are absolute A1 ranges with the sheet name ('ROI'!$A$1:$A$5)."""

    name: str
    type: Literal["bar", "col", "line"]
    title: str
    sheet: str
    categories_ref: str
    values_ref: str
    anchor: str
    titles_from_data: bool = False
    series_title: str = ""
    y_title: str = ""
    width_cm: float = 16.0
    height_cm: float = 8.0


# ---------------------------------------------------------------- ROI sheet

ROI_COLUMN_WIDTHS: dict[str, float] = {"A": 58.0, "B": 16.0, "C": 70.0}
ROI_HEADLINE: tuple[str, ...] = ("net_per_month", "listings_per_month", "gci_per_hour")
"""The answer, in large type at the top of the ROI sheet (rows 3-5), above the inputs."""
_HEADLINE_ROW = 3
ROI_FIRST_INPUT_ROW = _HEADLINE_ROW + len(ROI_HEADLINE) + 2
_INPUT_NAMES: tuple[str, ...] = tuple(input_names())
ROI_INPUT_REFS: dict[str, str] = {name: f"B{ROI_FIRST_INPUT_ROW + i}" for i, name in enumerate(_INPUT_NAMES)}
"""Input field -> its cell on the ROI sheet."""

_OUTPUT_HEADING_ROW = ROI_FIRST_INPUT_ROW + len(_INPUT_NAMES) + 1
ROI_FIRST_OUTPUT_ROW = _OUTPUT_HEADING_ROW + 1
ROI_OUTPUT_REFS: dict[str, str] = {name: f"B{ROI_FIRST_OUTPUT_ROW + i}" for i, name in enumerate(OUTPUT_LABELS)}
"""Output field -> its cell on the ROI sheet."""
assert not set(ROI_INPUT_REFS) & set(ROI_OUTPUT_REFS), "an output may not share an input's name"

_CHART_HEADING_ROW = ROI_FIRST_OUTPUT_ROW + len(OUTPUT_LABELS) + 1
_CHART_ROWS: tuple[tuple[str, str], ...] = (
    ("Dials", "dials_per_month"),
    ("Contacts", "contacts_per_month"),
    ("Appointments", "appointments_per_month"),
    ("Signed listings", "listings_per_month"),
    ("Closings", "closings_per_month"),
)

_FORMULAS: dict[str, tuple[str, str]] = {
    "dials_per_month": ("{dials_per_day}*{days_per_week}*52/12", "Dials per day x days per week x 52/12 weeks."),
    "hours_per_month": ("{dials_per_month}*{minutes_per_dial}/60", "Dials per month x minutes per dial / 60."),
    "contacts_per_day": ("{dials_per_day}*{pickup_rate}", "Dials per day x pickup rate."),
    "contacts_per_month": ("{dials_per_month}*{pickup_rate}", "Dials per month x pickup rate."),
    "appointments_per_contact": (
        'IF({chain}="contacts",{listings_per_contact}*{appointments_per_listing},1/{contacts_per_appointment})',
        "Appointments chain: 1 / contacts per appointment. Contacts chain: listings per contact x appointments per listing.",
    ),
    "listings_per_contact_used": (
        'IF({chain}="contacts",{listings_per_contact},1/({contacts_per_appointment}*{appointments_per_listing}))',
        "Appointments chain: 1 / (contacts per appointment x appointments per listing). Contacts chain: the input.",
    ),
    "appointments_per_week": (
        "{contacts_per_day}*{days_per_week}*{appointments_per_contact}",
        "Contacts per day x days per week x appointments per contact.",
    ),
    "appointments_per_month": ("{contacts_per_month}*{appointments_per_contact}", "Contacts per month x appointments per contact."),
    "listings_per_month": ("{contacts_per_month}*{listings_per_contact_used}", "Contacts per month x signed listings per contact."),
    "closings_per_month": ("{listings_per_month}*{listing_to_close}", "Signed listings x listing-to-close rate."),
    "gci_per_listing": ("{median_price}*{commission_rate}", "Median price x listing-side commission."),
    "gci_per_month": ("{closings_per_month}*{gci_per_listing}", "Closings x GCI per listing."),
    "split_per_month": ("{gci_per_month}*{brokerage_split}", "GCI x brokerage split."),
    "costs_per_month": ("{data_cost}+{dialer_cost}+{tools_cost}", "Data + dialer + tools."),
    "net_per_month": ("{gci_per_month}-{split_per_month}-{costs_per_month}", "GCI - split - costs."),
    "cost_per_listing": (
        '=IF({listings_per_month}>0,{costs_per_month}/{listings_per_month},"")',
        "Costs / signed listings (blank when there are none).",
    ),
    "gci_per_hour": ('=IF({hours_per_month}>0,{gci_per_month}/{hours_per_month},"")', "GCI / prospecting hours."),
    "return_on_costs": (
        '=IF({costs_per_month}>0,{net_per_month}/{costs_per_month},"")',
        "Net income / costs: 5 = 500%, five dollars back for every dollar spent.",
    ),
    "gci_per_contact": (
        "{listings_per_contact_used}*{listing_to_close}*{gci_per_listing}",
        "What one more owner reached is worth: listings per contact x close rate x GCI per listing.",
    ),
    "reached_by_early_quit": (
        f"{{leads_per_month}}*(1-(1-{{touch_contact_rate}})^{EARLY_QUIT_TOUCH})",
        f"New leads x chance of reaching the owner within {EARLY_QUIT_TOUCH} touches.",
    ),
    "reached_by_full_sequence": (
        f"{{leads_per_month}}*(1-(1-{{touch_contact_rate}})^{FULL_SEQUENCE_TOUCHES})",
        f"New leads x chance of reaching the owner within {FULL_SEQUENCE_TOUCHES} touches.",
    ),
    "reached_by_your_depth": (
        "{leads_per_month}*(1-(1-{touch_contact_rate})^{touches_per_lead})",
        "New leads x chance of reaching the owner within your touches per lead.",
    ),
    "gci_quitting_early": (
        "({reached_by_full_sequence}-{reached_by_early_quit})*{gci_per_contact}",
        f"The cost of quitting at touch {EARLY_QUIT_TOUCH}: owners touches {EARLY_QUIT_TOUCH + 1}-{FULL_SEQUENCE_TOUCHES} reach x GCI per contact.",
    ),
    "gci_lost_at_your_depth": (
        "MAX(0,{reached_by_full_sequence}-{reached_by_your_depth})*{gci_per_contact}",
        f"Owners you leave unreached by stopping before touch {FULL_SEQUENCE_TOUCHES}, x GCI per contact.",
    ),
}
"""Output -> (formula over {field} placeholders, what it computes)."""

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _formula(name: str) -> str:
    template = _FORMULAS[name][0].removeprefix("=")
    refs = {**ROI_INPUT_REFS, **ROI_OUTPUT_REFS}
    return "=" + _PLACEHOLDER.sub(lambda m: refs[m.group(1)], template)


def _input_format(name: str) -> str:
    f = FIELD_BY_NAME[name]
    if f.unit == "rate":
        return FMT_RATE if name not in ("commission_rate",) else "0.00%"
    if f.unit == "money":
        return FMT_MONEY
    if f.unit == "minutes":
        return FMT_DECIMAL
    return FMT_COUNT if f.whole or name == "dials_per_day" else FMT_COUNT1


def _output_format(name: str) -> str:
    unit = OUTPUT_UNITS.get(name, "count")
    if name == "return_on_costs":
        return "0%"
    if unit == "rate":
        return FMT_RATE
    if unit == "money":
        return FMT_MONEY
    return FMT_COUNT if name in ("dials_per_month",) else FMT_COUNT1


def _headline() -> list[CellSpec]:
    """Net income, listings and GCI per hour at the top, in large type, from the output cells below."""
    out = []
    for i, name in enumerate(ROI_HEADLINE):
        row = _HEADLINE_ROW + i
        out.append(CellSpec(f"A{row}", OUTPUT_LABELS[name], "label", style="headline-label"))
        out.append(CellSpec(f"B{row}", f"={ROI_OUTPUT_REFS[name]}", "output", number_format=_output_format(name),
                            style="headline", note=_FORMULAS[name][1]))
    return out


def roi_cells(inputs: RoiInputs | None = None) -> list[CellSpec]:
    """Every non-empty cell of the ROI sheet, inputs holding `inputs` (defaults when None)."""
    values = (inputs or RoiInputs()).as_dict()
    cells: list[CellSpec] = [
        CellSpec("A1", "ROI: what expireds are worth to you", "label", style="title"),
        CellSpec("A2", "Change the yellow cells; everything below them is a live formula. "
                 "The same model runs in `relist roi` and the ROI Calculator notebook.", "label", style="help"),
        *_headline(),
        CellSpec(f"A{ROI_FIRST_INPUT_ROW - 1}", "Inputs", "label", style="heading"),
        CellSpec(f"B{ROI_FIRST_INPUT_ROW - 1}", "Your value", "label", style="header"),
        CellSpec(f"C{ROI_FIRST_INPUT_ROW - 1}", "Where the default comes from", "label", style="header"),
    ]
    for name, ref in ROI_INPUT_REFS.items():
        row = ref[1:]
        if name == "chain":
            cells.append(CellSpec(f"A{row}", "Chain: how contacts become listings", "label"))
            cells.append(CellSpec(
                ref, str(values[name]), "input",
                note="appointments: contacts per appointment, then appointments per signed listing. "
                     "contacts: signed listings per contact (1 in 10 to 1 in 20 by skill).",
                choices=CHAINS, name=name))
            cells.append(CellSpec(f"C{row}", "industry rules of thumb: 25 contacts per appointment; "
                                  "1 listing per 10-20 contacts", "label"))
            continue
        f = FIELD_BY_NAME[name]
        cells.append(CellSpec(f"A{row}", f.label, "label"))
        cells.append(CellSpec(
            ref, values[name], "input",
            number_format=_input_format(name),
            note=f"{f.help} Allowed: {f.low:g} to {f.high:g}.",
            validation_min=f.low, validation_max=f.high, whole=f.whole, name=name))
        cells.append(CellSpec(f"C{row}", f.source, "label"))
    cells.append(CellSpec(f"A{_OUTPUT_HEADING_ROW}", "What that makes", "label", style="heading"))
    cells.append(CellSpec(f"B{_OUTPUT_HEADING_ROW}", "Per the inputs", "label", style="header"))
    cells.append(CellSpec(f"C{_OUTPUT_HEADING_ROW}", "How", "label", style="header"))
    for name, ref in ROI_OUTPUT_REFS.items():
        row = ref[1:]
        cells.append(CellSpec(f"A{row}", OUTPUT_LABELS[name], "label"))
        cells.append(CellSpec(ref, _formula(name), "output", number_format=_output_format(name),
                              note=_FORMULAS[name][1], name=name))
        cells.append(CellSpec(f"C{row}", _FORMULAS[name][1], "label"))
    cells.append(CellSpec(f"A{_CHART_HEADING_ROW}", "Monthly funnel (chart data)", "label", style="heading"))
    for i, (label, name) in enumerate(_CHART_ROWS, start=1):
        chart_row = _CHART_HEADING_ROW + i
        cells.append(CellSpec(f"A{chart_row}", label, "label"))
        cells.append(CellSpec(f"B{chart_row}", f"={ROI_OUTPUT_REFS[name]}", "output", number_format=FMT_COUNT1))
    return cells


def roi_chart() -> ChartSpec:
    """The ROI sheet's native chart: the monthly funnel from the chart-data block."""
    first, last = _CHART_HEADING_ROW + 1, _CHART_HEADING_ROW + len(_CHART_ROWS)
    return ChartSpec(
        name="roi_funnel",
        type="bar",
        title="Your monthly funnel",
        sheet=ROI_SHEET,
        categories_ref=f"'{ROI_SHEET}'!$A${first}:$A${last}",
        values_ref=f"'{ROI_SHEET}'!$B${first}:$B${last}",
        anchor=f"C{_CHART_HEADING_ROW}",  # beside its data, below the answer: never over the sources column
        series_title="Per month",
    )


def roi_charts() -> list[ChartSpec]:
    return [roi_chart()]


# ---------------------------------------------------------------- Dashboard sheet

DASHBOARD_COLUMN_WIDTHS: dict[str, float] = {
    "A": 30.0, "B": 17.0, "C": 12.0, "D": 13.0, "E": 14.0, "F": 12.0, "G": 13.0,
}
DASHBOARD_WEEKS = 12
DASHBOARD_VENDOR_ROWS = 10
DASHBOARD_STOP_DEPTHS = 10  # 0..8 touches, then "9+"
REFRESHED_REF = "B3"
SUMMARY_REF = "A4"

WEEK_HEADER_ROW = 6
WEEK_FIRST_ROW = 7
WEEK_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "Week of", FMT_DATE),
    ("B", "Dials", FMT_COUNT),
    ("C", "Contacts", FMT_COUNT),
    ("D", "Contact rate", FMT_RATE),
    ("E", "Appointments", FMT_COUNT),
    ("F", "Listings", FMT_COUNT),
    ("G", "Closings", FMT_COUNT),
)
WEEK_TOTAL_ROW = WEEK_FIRST_ROW + DASHBOARD_WEEKS

SPEED_HEADER_ROW = WEEK_TOTAL_ROW + 3
SPEED_ROWS: tuple[tuple[str, str], ...] = (("same_day", "Same day as expiry"), ("later", "Later"))
SPEED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "First dial", "General"),
    ("B", "Leads", FMT_COUNT),
    ("C", "Contacts", FMT_COUNT),
    ("D", "Appointments", FMT_COUNT),
    ("E", "Contact-to-appointment", FMT_RATE),
)

DEPTH_HEADER_ROW = SPEED_HEADER_ROW + len(SPEED_ROWS) + 3
DEPTH_ROWS: tuple[tuple[str, str], ...] = (
    ("contact", "First contact"),
    ("appointment", "Appointment"),
    ("listed-with-me", "Listed with me"),
)
DEPTH_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "Outcome", "General"),
    ("B", "Leads", FMT_COUNT),
    ("C", "Median touch #", FMT_COUNT1),
    ("D", "Average touch #", FMT_COUNT1),
    ("E", "Latest touch #", FMT_COUNT),
)

STOP_HEADER_ROW = DEPTH_HEADER_ROW + len(DEPTH_ROWS) + 3
STOP_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "Touches made, owner never reached", "General"),
    ("B", "Sequence ended", FMT_COUNT),
    ("C", "Still working", FMT_COUNT),
)

CHANNEL_HEADER_ROW = STOP_HEADER_ROW + DASHBOARD_STOP_DEPTHS + 3
CHANNEL_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "Channel", "General"),
    ("B", "Touches", FMT_COUNT),
    ("C", "Contacts", FMT_COUNT),
    ("D", "Contact rate", FMT_RATE),
    ("E", "Appointments", FMT_COUNT),
)

VENDOR_HEADER_ROW = CHANNEL_HEADER_ROW + 5 + 3
VENDOR_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "Data source (vendor)", "General"),
    ("B", "Leads", FMT_COUNT),
    ("C", "Dials", FMT_COUNT),
    ("D", "Bad numbers", FMT_COUNT),
    ("E", "Bad-number rate", FMT_RATE),
    ("F", "Contacts", FMT_COUNT),
    ("G", "Contact rate", FMT_RATE),
)

MY_NUMBERS_HEADER_ROW = VENDOR_HEADER_ROW + DASHBOARD_VENDOR_ROWS + 3
MY_NUMBERS_FIELDS: tuple[str, ...] = (
    "dials_per_day",
    "days_per_week",
    "pickup_rate",
    "contacts_per_appointment",
    "appointments_per_listing",
    "listing_to_close",
    "touches_per_lead",
    "touch_contact_rate",
    "leads_per_month",
)
MY_NUMBERS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "ROI input", "General"),
    ("B", "Measured", "General"),
    ("C", "From", "General"),
)

FUNNEL_PICTURE = ("relist_funnel", "I24")
"""Name and anchor of the funnel picture refresh_dashboard places."""


def _block(header_row: int, title: str, columns: tuple[tuple[str, str, str], ...], rows: int,
           first_labels: tuple[str, ...] = ()) -> list[CellSpec]:
    cells = [CellSpec(f"A{header_row - 1}", title, "label", style="heading")]
    cells += [CellSpec(f"{col}{header_row}", head, "label", style="header" if j == 0 else "header-num")
              for j, (col, head, _) in enumerate(columns)]
    for r in range(rows):
        row = header_row + 1 + r
        for j, (col, _, fmt) in enumerate(columns):
            if j == 0 and r < len(first_labels):
                cells.append(CellSpec(f"{col}{row}", first_labels[r], "label"))
            else:
                cells.append(CellSpec(f"{col}{row}", None, "output", number_format=fmt))
    return cells


def dashboard_cells() -> list[CellSpec]:
    """Every cell of the Dashboard sheet: labels, and the output cells refresh_dashboard fills."""
    cells = [
        CellSpec("A1", "Dashboard: your funnel from your own touch log", "label", style="title"),
        CellSpec("A2", "Refreshed by Refresh Dashboard (or `relist roi --from-workbook`). "
                 "Undone touches are left out; rates are measured, never assumed.", "label", style="help"),
        CellSpec("A3", "Refreshed at", "label"),
        CellSpec(REFRESHED_REF, None, "output", number_format=FMT_DATETIME),
        CellSpec(SUMMARY_REF, None, "output"),
    ]
    cells += _block(WEEK_HEADER_ROW, f"Weekly funnel (last {DASHBOARD_WEEKS} weeks)", WEEK_COLUMNS, DASHBOARD_WEEKS + 1)
    cells = [c for c in cells if c.ref != f"A{WEEK_TOTAL_ROW}"]
    cells.append(CellSpec(f"A{WEEK_TOTAL_ROW}", "All time", "label", style="header"))
    cells += _block(SPEED_HEADER_ROW, "Speed to first dial (measured from your log)", SPEED_COLUMNS,
                    len(SPEED_ROWS), tuple(label for _, label in SPEED_ROWS))
    cells += _block(DEPTH_HEADER_ROW, "Touches it took before each outcome", DEPTH_COLUMNS,
                    len(DEPTH_ROWS), tuple(label for _, label in DEPTH_ROWS))
    stop_labels = tuple(str(n) for n in range(DASHBOARD_STOP_DEPTHS - 1)) + (f"{DASHBOARD_STOP_DEPTHS - 1}+",)
    cells += _block(STOP_HEADER_ROW, "Where you stopped (owner never reached)", STOP_COLUMNS,
                    DASHBOARD_STOP_DEPTHS, stop_labels)
    from relist.schema import CHANNELS

    cells += _block(CHANNEL_HEADER_ROW, "By channel", CHANNEL_COLUMNS, len(CHANNELS), CHANNELS)
    cells += _block(VENDOR_HEADER_ROW, "By data source: bad-number rate per vendor", VENDOR_COLUMNS, DASHBOARD_VENDOR_ROWS)
    labels = tuple(FIELD_BY_NAME[n].label for n in MY_NUMBERS_FIELDS)
    cells += _block(MY_NUMBERS_HEADER_ROW, "Your numbers for the ROI calculator", MY_NUMBERS_COLUMNS,
                    len(MY_NUMBERS_FIELDS), labels)
    return cells


def dashboard_charts() -> list[ChartSpec]:
    """The Dashboard's native chart: weekly dials and contacts from the weekly table."""
    first, last = WEEK_FIRST_ROW, WEEK_FIRST_ROW + DASHBOARD_WEEKS - 1
    return [
        ChartSpec(
            name="dashboard_weekly",
            type="col",
            title="Dials and contacts per week",
            sheet=DASHBOARD_SHEET,
            categories_ref=f"'{DASHBOARD_SHEET}'!$A${first}:$A${last}",
            values_ref=f"'{DASHBOARD_SHEET}'!$B${WEEK_HEADER_ROW}:$C${last}",
            anchor="I5",
            titles_from_data=True,
            width_cm=10.0,  # inside a 1,366-px screen beside the weekly table
        )
    ]


def input_cells(inputs: RoiInputs) -> dict[str, str | float | int]:
    """The ROI sheet's input cells holding `inputs`: ref -> value (for write_cells)."""
    values = inputs.as_dict()
    return {ref: values[name] for name, ref in ROI_INPUT_REFS.items()}
