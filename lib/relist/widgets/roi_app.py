"""The ROI calculator app: a traitlets model (testable headless) and an ipywidgets view.

`RoiModel` holds one trait per ROI input, recomputes `relist.roi.model` on every change
and keeps the outputs, their ranges and the summary text. `RoiCalculator` is the view:
a slider and a number box per input (kept in step through the model), live outputs,
matplotlib funnel and monthly GCI charts, the two seed presets, and buttons that load
"my numbers" from a workbook's touch log or save the scenario to its ROI sheet.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as w
import traitlets as t

from relist.errors import RelistError
from relist.roi.model import (
    FIELD_BY_NAME,
    INPUT_FIELDS,
    OUTPUT_LABELS,
    PRESETS,
    RoiInputs,
    RoiOutputs,
    Span,
    compute,
    compute_range,
    preset,
    validate,
)
from relist.roi.text import format_span, format_value, outputs_text

INPUT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RoiInputs))
HEADLINE_OUTPUTS: tuple[str, ...] = (
    "contacts_per_day",
    "appointments_per_week",
    "listings_per_month",
    "closings_per_month",
    "gci_per_month",
    "net_per_month",
    "cost_per_listing",
    "gci_per_hour",
    "return_on_costs",
)
BIG_OUTPUTS: tuple[str, ...] = ("net_per_month", "listings_per_month", "gci_per_hour")
"""The answer in large type, the same three as the top of the ROI sheet."""

SLIDER_RANGES: dict[str, tuple[float, float]] = {
    "dials_per_day": (0, 300),
    "days_per_week": (0, 7),
    "minutes_per_dial": (0.25, 5),
    "pickup_rate": (0, 1),
    "contacts_per_appointment": (1, 200),
    "appointments_per_listing": (1, 10),
    "listings_per_contact": (0, 0.3),
    "listing_to_close": (0, 1),
    "median_price": (50_000, 2_000_000),
    "commission_rate": (0, 0.06),
    "brokerage_split": (0, 1),
    "data_cost": (0, 1000),
    "dialer_cost": (0, 1000),
    "tools_cost": (0, 1000),
    "touches_per_lead": (1, 20),
    "touch_contact_rate": (0, 1),
    "leads_per_month": (0, 1000),
}
"""Where each slider runs; the number box beside it accepts the input's full range."""


class RoiModel(t.HasTraits):
    """The calculator's state: inputs as traits, outputs recomputed on every change."""

    dials_per_day = t.Float(RoiInputs.dials_per_day)
    days_per_week = t.Float(RoiInputs.days_per_week)
    minutes_per_dial = t.Float(RoiInputs.minutes_per_dial)
    pickup_rate = t.Float(RoiInputs.pickup_rate)
    chain = t.Unicode(RoiInputs.chain)
    contacts_per_appointment = t.Float(RoiInputs.contacts_per_appointment)
    appointments_per_listing = t.Float(RoiInputs.appointments_per_listing)
    listings_per_contact = t.Float(RoiInputs.listings_per_contact)
    listing_to_close = t.Float(RoiInputs.listing_to_close)
    median_price = t.Float(RoiInputs.median_price)
    commission_rate = t.Float(RoiInputs.commission_rate)
    brokerage_split = t.Float(RoiInputs.brokerage_split)
    data_cost = t.Float(RoiInputs.data_cost)
    dialer_cost = t.Float(RoiInputs.dialer_cost)
    tools_cost = t.Float(RoiInputs.tools_cost)
    touches_per_lead = t.Int(RoiInputs.touches_per_lead)
    touch_contact_rate = t.Float(RoiInputs.touch_contact_rate)
    leads_per_month = t.Float(RoiInputs.leads_per_month)

    ranges = t.Dict()
    """Input name -> (low, high) for inputs given as a range."""
    outputs = t.Instance(RoiOutputs, allow_none=True)
    spans = t.Dict()
    """Output name -> (low, high) when ranges are set."""
    error = t.Unicode("")
    """Why the last change could not be computed (the previous outputs stay)."""
    text = t.Unicode("")
    """The outputs as plain text, one per line."""
    message = t.Unicode("")
    """The outcome of the last load or save."""
    measured = t.Dict()
    """Input name -> where its measured value came from (after load_my_numbers)."""

    def __init__(self, inputs: RoiInputs | None = None, ranges: Mapping[str, Span] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self._batch = False
        self.observe(self._changed, names=list(INPUT_NAMES) + ["ranges"])
        self.set_inputs(inputs or RoiInputs(), ranges or {})

    # ----------------------------------------------------------------- state

    def inputs(self) -> RoiInputs:
        """The current inputs (not validated)."""
        values = {name: getattr(self, name) for name in INPUT_NAMES}
        return RoiInputs(**values)

    def set_inputs(self, inputs: RoiInputs, ranges: Mapping[str, Span] | None = None) -> None:
        """Replace every input (and the ranges, when given) and recompute once."""
        self._batch = True
        try:
            for name in INPUT_NAMES:
                setattr(self, name, getattr(inputs, name))
            if ranges is not None:
                self.ranges = {k: (float(v[0]), float(v[1])) for k, v in ranges.items()}
        finally:
            self._batch = False
        self.recompute()

    def apply_preset(self, key: str) -> None:
        """Load one of the seed presets (its inputs and its ranges)."""
        p = preset(key)
        self.measured = {}
        self.set_inputs(p.inputs, p.ranges)
        self.message = f"Preset: {p.title}. {p.note}"

    def set_range(self, name: str, low: float, high: float) -> None:
        self.ranges = {**self.ranges, name: (float(low), float(high))}

    def clear_ranges(self) -> None:
        self.ranges = {}

    def _changed(self, change: Any) -> None:
        if not self._batch:
            self.recompute()

    def recompute(self) -> None:
        """Outputs, ranges and text for the current inputs; a bad input sets `error` instead."""
        try:
            inputs = validate(self.inputs())
            out = compute(inputs)
            spans = compute_range(inputs, self.ranges) if self.ranges else {}
        except RelistError as exc:
            self.error = exc.one_line()
            return
        self.error = ""
        self.spans = spans
        self.text = outputs_text(out, spans)
        self.outputs = out

    # ----------------------------------------------------------------- workbook

    def load_my_numbers(self, path: str | Path, at: datetime | None = None) -> None:
        """Take the workbook's saved scenario and overlay what its touch log measures."""
        from relist.roi import service
        from relist.workbook import open_workbook

        try:
            book = open_workbook(Path(path).expanduser())
            base = service.read_scenario(book)
            mine = service.my_numbers_from(book, at or datetime.now(UTC))
            inputs = mine.apply(base)
        except RelistError as exc:
            self.message = f"Could not load: {exc.one_line()}"
            return
        self.measured = dict(mine.evidence)
        self.set_inputs(inputs, {})
        if mine.values:
            names = ", ".join(FIELD_BY_NAME[n].label.lower() for n in mine.values)
            self.message = f"Loaded {Path(path).name}: measured {names}; the rest from its ROI sheet."
        else:
            self.message = f"Loaded {Path(path).name}: its touch log is too young to measure; inputs from its ROI sheet."

    def save_scenario(self, path: str | Path) -> None:
        """Write the current inputs into the workbook's ROI sheet."""
        from relist.roi import service
        from relist.workbook import open_workbook

        try:
            inputs = validate(self.inputs())
            book = open_workbook(Path(path).expanduser())
            service.save_scenario(book, inputs)
        except RelistError as exc:
            self.message = f"Could not save: {exc.one_line()}"
            return
        self.message = f"Saved this scenario to the ROI sheet of {Path(path).name}."


# --------------------------------------------------------------------- view


class RoiCalculator(w.VBox):  # type: ignore[misc]
    """The ROI calculator widget: display it in a notebook; `.model` is its RoiModel."""

    def __init__(self, workbook: str | Path | None = None, inputs: RoiInputs | None = None,
                 ranges: Mapping[str, Span] | None = None, charts: bool = True,
                 model: RoiModel | None = None, **kw: Any) -> None:
        self.model = model or RoiModel(inputs, ranges)
        self._syncing = False
        self._charts = charts
        m = self.model
        self.sliders: dict[str, Any] = {}
        self.boxes: dict[str, Any] = {}

        preset_buttons = []
        for p in PRESETS:
            b = w.Button(description=p.title, tooltip=p.note, layout=w.Layout(width="auto"))
            b.on_click(self._preset_handler(p.key))
            b.add_class(f"relist-preset-{p.key}")
            preset_buttons.append(b)

        self.chain = w.ToggleButtons(options=["appointments", "contacts"], value=m.chain,
                                     description="Chain", tooltips=[
                                         "contacts per appointment, then appointments per listing",
                                         "signed listings per contact"])
        self.chain.observe(lambda ch: setattr(m, "chain", ch["new"]), names="value")
        m.observe(lambda ch: setattr(self.chain, "value", ch["new"]), names="chain")

        rows = []
        for f in INPUT_FIELDS:
            lo, hi = SLIDER_RANGES[f.name]
            value = getattr(m, f.name)
            rate = f.unit == "rate"
            if f.whole:
                slider: Any = w.IntSlider(min=int(lo), max=int(max(hi, value)), step=1, value=int(value),
                                          readout=False, continuous_update=True)
                box: Any = w.BoundedIntText(min=int(f.low), max=int(f.high), value=int(value),
                                            layout=w.Layout(width="110px"))
            else:
                slider = w.FloatSlider(min=lo, max=max(hi, value), step=f.step if not rate else 0.005,
                                       value=value, readout=False, continuous_update=True)
                box = w.BoundedFloatText(min=f.low, max=f.high, value=round(value, 6), step=f.step,
                                         layout=w.Layout(width="110px"))
            slider.add_class(f"relist-slider-{f.name}")
            box.add_class(f"relist-box-{f.name}")
            self.sliders[f.name] = slider
            self.boxes[f.name] = box
            slider.observe(self._from_widget(f.name), names="value")
            box.observe(self._from_widget(f.name), names="value")
            unit = " (0.30 = 30%)" if rate else ""
            label = w.HTML(f"<span title='{f.help} Default: {f.source}'>{f.label}{unit}</span>",
                           layout=w.Layout(width="300px"))
            slider.layout.width = "320px"
            rows.append(w.HBox([label, slider, box]))
        m.observe(self._from_model, names=[f.name for f in INPUT_FIELDS])

        range_options = [("(pick an input)", "")] + [(f.label, f.name) for f in INPUT_FIELDS]
        self.range_field = w.Dropdown(options=range_options, value="", description="Range for",
                                      layout=w.Layout(width="420px"))
        self.range_low = w.FloatText(description="low", layout=w.Layout(width="160px"))
        self.range_high = w.FloatText(description="high", layout=w.Layout(width="160px"))
        set_range = w.Button(description="Set range")
        clear_ranges = w.Button(description="Clear ranges")
        set_range.on_click(lambda _b: self._set_range())
        clear_ranges.on_click(lambda _b: m.clear_ranges())
        self.range_field.observe(self._range_field_changed, names="value")
        self.ranges_text = w.HTML()

        self.headline = w.HTML()
        self.headline.add_class("relist-roi-headline")
        self.details = w.HTML()
        self.details.add_class("relist-roi-details")
        self.error = w.HTML()
        self.error.add_class("relist-roi-error")
        self.funnel_image = w.Image(format="png", layout=w.Layout(width="480px"))
        self.funnel_image.add_class("relist-roi-funnel")
        self.gci_image = w.Image(format="png", layout=w.Layout(width="480px"))
        self.gci_image.add_class("relist-roi-gci")

        default_path = str(workbook) if workbook else os.environ.get("RELIST_WORKBOOK", "")
        self.path = w.Text(value=default_path, description="Workbook", placeholder="path/to/relist.xlsx",
                           layout=w.Layout(width="740px"))
        load = w.Button(description="Load my numbers from the workbook", layout=w.Layout(width="auto"))
        save = w.Button(description="Save this scenario to the workbook", layout=w.Layout(width="auto"))
        load.on_click(lambda _b: m.load_my_numbers(self.path.value))
        save.on_click(lambda _b: m.save_scenario(self.path.value))
        self.message = w.HTML()
        self.message.add_class("relist-roi-message")

        m.observe(lambda _c: self._show_outputs(), names=["outputs", "spans", "measured"])
        m.observe(lambda _c: self._show_error(), names="error")
        m.observe(lambda _c: self._show_message(), names="message")
        m.observe(lambda _c: self._show_ranges(), names="ranges")

        # One screen at 1,366 x 768: the answer on top, the inputs beside the charts under it (the
        # notebook's own heading is the title; the widget adds none, so the title shows once).
        inputs_box = w.VBox([w.HBox(preset_buttons, layout=w.Layout(flex_flow="row wrap")), self.chain, *rows,
                             w.HBox([self.range_field, self.range_low, self.range_high]),
                             w.HBox([set_range, clear_ranges]), self.ranges_text,
                             w.HBox([self.path]), w.HBox([load, save], layout=w.Layout(flex_flow="row wrap")),
                             self.message],
                            layout=w.Layout(width="760px"))
        inputs_box.add_class("relist-roi-inputs")
        charts_box = w.VBox([self.funnel_image, self.gci_image, self.details], layout=w.Layout(width="490px"))
        super().__init__([
            self.headline, self.error,
            w.HBox([inputs_box, charts_box], layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
        ], **kw)
        self.add_class("relist-roi")
        self._show_outputs()
        self._show_ranges()

    # ------------------------------------------------------------- syncing

    def _preset_handler(self, key: str) -> Callable[[Any], None]:
        return lambda _b: self.model.apply_preset(key)

    def _from_widget(self, name: str) -> Callable[[Any], None]:
        def handler(change: Any) -> None:
            if self._syncing:
                return
            new = change["new"]
            slider = self.sliders.get(name)
            # A browser slider snaps a value set from the kernel to its step ($124 -> $120) and sends
            # the snapped value back: that echo is not the agent's move and must not change the model.
            if (change.get("owner") is slider and slider is not None
                    and abs(float(new) - float(getattr(self.model, name))) <= float(slider.step) / 2 + 1e-9):
                return
            setattr(self.model, name, new)
        return handler

    def _from_model(self, change: Any) -> None:
        name, value = change["name"], change["new"]
        self._syncing = True
        try:
            slider, box = self.sliders[name], self.boxes[name]
            if value > slider.max:
                slider.max = value
            if value < slider.min:
                slider.min = value
            slider.value = value
            if box.min <= value <= box.max:
                box.value = round(value, 6) if isinstance(value, float) else value  # no 70.00000000000001 in the box
        finally:
            self._syncing = False

    def _range_field_changed(self, change: Any) -> None:
        name = change["new"]
        if not name:
            return
        low, high = self.model.ranges.get(name, (getattr(self.model, name),) * 2)
        self.range_low.value, self.range_high.value = low, high

    def _set_range(self) -> None:
        if self.range_field.value:
            self.model.set_range(self.range_field.value, self.range_low.value, self.range_high.value)

    # ------------------------------------------------------------- showing

    def _show_ranges(self) -> None:
        r = self.model.ranges
        self.ranges_text.value = "Ranges: " + (
            "; ".join(f"{FIELD_BY_NAME[k].label} {format_value(k, v[0])} to {format_value(k, v[1])}"
                      for k, v in r.items()) if r else "none")

    def _show_error(self) -> None:
        e = self.model.error
        self.error.value = f"<b style='color:#C00000'>{e}</b>" if e else ""

    def _show_message(self) -> None:
        self.message.value = self.model.message

    def _show_outputs(self) -> None:
        out = self.model.outputs
        if out is None:
            return
        self.headline.value = headline_html(out, self.model.spans)
        self.details.value = details_html(out, self.model.spans, self.model.measured)
        if self._charts:
            self.redraw_charts()

    def redraw_charts(self) -> None:
        from relist.roi.charts import funnel_chart, gci_chart
        from relist.roi.render import render_png

        out = self.model.outputs
        if out is None:
            return
        spans = self.model.spans or None
        self.funnel_image.value = render_png(funnel_chart(out, spans), 480, 300)
        self.gci_image.value = render_png(gci_chart(out, spans), 480, 300)


def headline_html(out: RoiOutputs, spans: Mapping[str, tuple[float | None, float | None]]) -> str:
    """The answer as HTML: net income, signed listings and GCI per hour in large type (as on the
    ROI sheet), then the other headline outputs on one line; ranges in grey beside each."""
    values = out.as_dict()

    def figure(name: str) -> str:
        return f"<span class='relist-out-{name}'>{format_value(name, values[name])}</span>"

    def span_of(name: str) -> str:
        span = format_span(name, spans.get(name, (None, None)))
        return f" <span style='color:#595959'>({span})</span>" if span else ""

    big = "".join(
        f"<div style='margin-right:40px'><div style='font-size:13px;color:#404040'>{OUTPUT_LABELS[name]}</div>"
        f"<div style='font-size:26px;font-weight:bold;line-height:1.2'>{figure(name)}</div>"
        f"<div style='font-size:12px'>{span_of(name)}</div></div>"
        for name in BIG_OUTPUTS)
    small = " &middot; ".join(f"{OUTPUT_LABELS[name]}: <b>{figure(name)}</b>{span_of(name)}"
                              for name in HEADLINE_OUTPUTS if name not in BIG_OUTPUTS)
    return (f"<div style='display:flex;flex-wrap:wrap'>{big}</div>"
            f"<div style='font-size:13px;margin:4px 0 8px 0'>{small}</div>")


def details_html(out: RoiOutputs, spans: Mapping[str, tuple[float | None, float | None]],
                 measured: Mapping[str, str]) -> str:
    """Every output in a table, then where measured inputs came from."""
    values = out.as_dict()
    rows = "".join(
        f"<tr><td>{label}</td><td style='text-align:right'>{format_value(name, values[name])}</td>"
        f"<td style='color:#595959'>{format_span(name, spans.get(name, (None, None)))}</td></tr>"
        for name, label in OUTPUT_LABELS.items()
    )
    html = f"<details><summary>Every output</summary><table>{rows}</table></details>"
    if measured:
        items = "".join(f"<li>{FIELD_BY_NAME[k].label}: {v}</li>" for k, v in measured.items())
        html += f"<p>Measured from your touch log:</p><ul>{items}</ul>"
    return html
