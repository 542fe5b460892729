"""Listing presentation builder for notebooks: pick a lead, adjust comp filters, watch comps, findings and charts update, export.

`PresentationModel` is a traitlets model testable without a browser; `PresentationBuilder`
is its ipywidgets view. Both call the same service functions as the CLI.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from relist.comps.select import CompFilters
from relist.comps.words import human_date
from relist.errors import RelistError
from relist.present.charts import render_png
from relist.present.service import (
    Analysis,
    PresentationResult,
    analyse,
    build_presentation,
    read_comps,
)

CHART_NAMES = ("history", "dom", "ppsf", "scatter")

_FILTER_TRAITS = ("months", "beds", "baths", "area_pct", "years", "radius_miles", "count", "widen")


class PresentationModel(traitlets.HasTraits):
    """The builder's state: the chosen lead and comp filters in; comp count, findings and value out."""

    lead_id = traitlets.Unicode("")
    months = traitlets.Int(6)
    beds = traitlets.Int(1)
    baths = traitlets.Float(1.0)
    area_pct = traitlets.Int(20)
    years = traitlets.Int(15)
    radius_miles = traitlets.Float(1.0)
    count = traitlets.Int(6)
    widen = traitlets.Bool(True)

    comp_count = traitlets.Int(0)
    matched = traitlets.Int(0)
    summary = traitlets.Unicode("")
    alert = traitlets.Unicode("")
    """What the agent must hear before the appointment (empty when the evidence carries one price)."""
    error = traitlets.Unicode("")
    exported = traitlets.Unicode("")
    revision = traitlets.Int(0)
    """Bumped after every recomputation, so views redraw even when the counts stay the same."""

    def __init__(self, book: Any, *, at: datetime | str | None = None, out_dir: Path | str | None = None, pdf: bool = True) -> None:
        from relist import settings as settings_mod
        from relist.clock import parse_at
        from relist.leads import load_leads

        super().__init__()
        self.book = book
        self.settings = settings_mod.load(book)
        tz = self.settings.tz
        self.at = at if isinstance(at, datetime) else parse_at(at, tz)
        if self.at.tzinfo is None:
            self.at = self.at.replace(tzinfo=tz)
        self.as_of = self.at.astimezone(tz).date()
        self.out_dir = Path(out_dir) if out_dir else None
        self.pdf = pdf
        self.leads = {lead.lead_id: lead for lead in load_leads(book, tz)}
        self.comps, self.unusable = read_comps(book)
        self.analysis: Analysis | None = None
        with self.hold_trait_notifications():
            self.months = self.settings.comp_months
            self.count = self.settings.comp_count
            self.lead_id = next(iter(self.leads), "")
        self.observe(self._refresh, names=["lead_id", *_FILTER_TRAITS])
        self._refresh()

    def filters(self) -> CompFilters:
        return CompFilters(months=self.months, beds=self.beds, baths=self.baths, area_pct=float(self.area_pct),
                           years=self.years, radius_miles=self.radius_miles, count=self.count, widen=self.widen)

    def lead_options(self) -> list[tuple[str, str]]:
        """(label, lead id) for a lead picker."""
        return [(f"{lid} · {lead.property_address or lead.owner_name}", lid) for lid, lead in self.leads.items()]

    def _refresh(self, change: Any = None) -> None:
        try:
            if not self.lead_id:
                raise RelistError("The workbook has no leads.", "Import an expired-listings export first.")
            self.analysis = analyse(self.leads[self.lead_id], self.comps, as_of=self.as_of, filters=self.filters(),
                                    unusable=self.unusable)
        except RelistError as exc:
            self.analysis = None
            self.comp_count, self.matched = 0, 0
            self.summary = ""
            self.alert = ""
            self.error = exc.one_line()
            self.revision += 1
            return
        a = self.analysis
        sel, v = a.selection, a.valuation
        self.error = ""
        self.matched = sel.matched
        price = (f"suggested list price ${v.suggested_list_price:,.0f}" if v.suggested_list_price is not None and a.call != "range"
                 else "no single price: the range is shown")
        self.summary = (f"value ${v.indicated_value:,.0f} (range ${v.low_price:,.0f}-${v.high_price:,.0f}, "
                        f"{v.confidence.level} confidence, score {v.confidence.score:.0f}), {price}")
        self.alert = a.alert
        self.comp_count = len(sel.kept)
        self.revision += 1

    def export(self) -> PresentationResult:
        """Write the .pptx (and .pdf) with the current filters and link it from the lead row."""
        result = build_presentation(self.book, self.lead_id, at=self.at, out_dir=self.out_dir, filters=self.filters(), pdf=self.pdf)
        self.exported = str(result.link)
        return result


_SEVERITY = {"major": "Serious", "minor": "Minor", "info": "Note"}


def _comps_table(a: Analysis) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(e.comp.address)}</td><td>{human_date(e.comp.close_date)}</td><td>${e.comp.close_price:,.0f}</td>"
        f"<td>{e.comp.living_area:,.0f}</td><td>${e.ppsf:,.0f}</td><td>${e.adjusted_ppsf:,.0f}</td>"
        f"<td style='font-size:smaller'>{html.escape('; '.join(x.words for x in e.adjustments) or 'none')}</td>"
        f"<td style='font-size:smaller'>{html.escape(e.set_aside or 'used')}</td></tr>"
        for e in (*a.valuation.evidence, *a.valuation.set_aside)
    )
    head = ("<tr><th>Address</th><th>Sold</th><th>Price</th><th>Sq ft</th><th>$/sq ft</th><th>Adjusted</th>"
            "<th>Adjustments</th><th>Used?</th></tr>")
    return f"<table class='relist-comps'>{head}{rows}</table>"


def render_view(a: Analysis | None, error: str, *, charts: bool = True) -> dict[str, Any]:
    """Every output of the builder for one analysis (HTML strings and chart PNGs by name), from the model alone."""
    images: dict[str, bytes] = {name: b"" for name in CHART_NAMES}
    if a is None:
        return {"count": "<b>0 comps</b>", "alert": "", "findings": f"<p style='color:#C00000'>{html.escape(error)}</p>",
                "comps": "", "images": images}
    v = a.valuation
    widened = "".join(f"<li>{html.escape(w.sentence)}</li>" for w in a.selection.widenings)
    price = (f"suggested list price ${v.suggested_list_price:,.0f}" if v.suggested_list_price is not None and a.call != "range"
             else "no single price: the range is shown")
    count = (f"<b>{v.comps} comps used</b> (of {a.selection.matched} matching; {len(v.set_aside)} set aside) · "
             f"value ${v.indicated_value:,.0f}, range ${v.low_price:,.0f}-${v.high_price:,.0f}, "
             f"{v.confidence.level} confidence ({html.escape(v.confidence.reason)}), {price}"
             + (f"<ul>{widened}</ul>" if widened else ""))
    alert = (f"<div class='relist-alert' style='background:#FFF2CC;padding:6px'><b>Before the appointment:</b> "
             f"{html.escape(a.alert)}</div>") if a.alert else ""
    items = "".join(f"<li><b>{_SEVERITY[f.severity]}</b>: {html.escape(f.sentence)}</li>" for f in a.findings)
    changes = "".join(f"<li><b>{html.escape(c.area)}</b>: {html.escape(c.action)}</li>" for c in a.changes)
    findings = f"<h4>Why it didn't sell</h4><ul>{items}</ul><h4>What I'd change</h4><ul>{changes}</ul>"
    if charts:
        for name, spec in a.charts.items():
            images[name] = render_png(spec, width_in=5.5, height_in=3.4, dpi=80)
    return {"count": count, "alert": alert, "findings": findings, "comps": _comps_table(a), "images": images}


class PresentationBuilder(widgets.VBox):  # type: ignore[misc]
    """The notebook front: a lead picker, comp filter fields, live comps/findings/charts and an export button."""

    def __init__(self, workbook: Any, *, at: datetime | str | None = None, out_dir: Path | str | None = None,
                 pdf: bool = True, charts: bool = True) -> None:
        if isinstance(workbook, (str, Path)):
            from relist.workbook import open_workbook

            if not str(workbook):
                raise RelistError("No workbook given.", "Set RELIST_WORKBOOK to your Relist workbook (.xlsx).")
            workbook = open_workbook(workbook)
        self.model = PresentationModel(workbook, at=at, out_dir=out_dir, pdf=pdf)
        self.show_charts = charts
        m = self.model
        self.lead = widgets.Dropdown(options=m.lead_options(), description="Lead", layout=widgets.Layout(width="420px"))
        if m.lead_id:
            self.lead.value = m.lead_id
        style = {"description_width": "175px"}  # "Closed within (months)" whole, not cut
        fields = {
            "months": widgets.BoundedIntText(min=1, max=60, description="Closed within (months)", style=style),
            "area_pct": widgets.BoundedIntText(min=0, max=100, description="Living area ±%", style=style),
            "radius_miles": widgets.BoundedFloatText(min=0.1, max=50, step=0.5, description="Radius (miles)", style=style),
            "beds": widgets.BoundedIntText(min=0, max=10, description="Bedrooms ±", style=style),
            "baths": widgets.BoundedFloatText(min=0, max=10, step=0.5, description="Bathrooms ±", style=style),
            "years": widgets.BoundedIntText(min=0, max=200, description="Year built ±", style=style),
            "count": widgets.BoundedIntText(min=1, max=30, description="Comps to show", style=style),
            "widen": widgets.Checkbox(description="Widen when too few", indent=False),
        }
        for name, w in fields.items():
            w.add_class(f"relist-filter-{name.replace('_', '-')}")
            widgets.link((m, name), (w, "value"))
        self.fields = fields
        if m.leads:
            widgets.link((m, "lead_id"), (self.lead, "value"))
        self.count_label = widgets.HTML()
        self.count_label.add_class("relist-comp-count")
        self.alert = widgets.HTML()
        self.alert.add_class("relist-alert")
        self.findings = widgets.HTML()
        self.comps = widgets.HTML()
        self.images = {name: widgets.Image(format="png", layout=widgets.Layout(max_width="560px")) for name in CHART_NAMES}
        self.export_button = widgets.Button(description="Export presentation", button_style="primary", icon="file")
        self.export_button.add_class("relist-export")
        self.export_status = widgets.HTML()
        self.export_status.add_class("relist-export-status")
        self.export_button.on_click(lambda _b: self._export())
        from relist.settings import identity_refusal

        missing = identity_refusal(m.settings, "presentation", m.book)  # said on opening, not only on Export
        if missing is not None:
            self.export_status.value = f"<span style='color:#C00000'>{html.escape(missing.one_line())}</span>"
        m.observe(lambda _c: self._show(), names=["revision"])
        grid = widgets.GridBox(list(fields.values()), layout=widgets.Layout(grid_template_columns="repeat(2, 330px)"))
        charts_box = widgets.GridBox(list(self.images.values()), layout=widgets.Layout(grid_template_columns="repeat(2, 50%)"))
        # The notebook's heading is the title (the widget adds none, so it shows once); the export
        # button sits beside the lead, on the first screen, not under the charts.
        super().__init__([
            widgets.HBox([self.lead, self.export_button, self.export_status], layout=widgets.Layout(align_items="center")),
            grid, self.count_label, self.alert, self.findings, self.comps, charts_box,
        ])
        self._show()

    def _show(self) -> None:
        """Redraw every output from the model at once (never a chart left from the previous lead)."""
        m = self.model
        view = render_view(m.analysis, m.error, charts=self.show_charts)
        self.count_label.value = view["count"]
        self.alert.value = view["alert"]
        self.findings.value = view["findings"]
        self.comps.value = view["comps"]
        for name, img in self.images.items():
            img.value = view["images"][name]
            img.layout.display = "" if view["images"][name] else "none"

    def _export(self) -> None:
        self.export_status.value = "Working…"
        try:
            result = self.model.export()
        except RelistError as exc:
            self.export_status.value = f"<span style='color:#C00000'>{html.escape(exc.one_line())}</span>"
            return
        files = ", ".join(str(p) for p in (result.pptx, result.pdf) if p)
        self.export_status.value = f"Saved {html.escape(files)}; linked from lead {html.escape(result.lead_id)}."
