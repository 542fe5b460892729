"""Build a lead's listing presentation: comps, value, findings, charts, .pptx and .pdf, linked from the lead row."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from relist.clock import from_local_naive
from relist.comps.findings import (
    Change,
    Finding,
    ListingFacts,
    PriceCall,
    QualityBar,
    agent_alert,
    listing_facts,
    price_call,
    what_to_change,
    why_not_sold,
)
from relist.comps.select import CompFilters, CompSelection, comps_from_records, select_comps
from relist.comps.subject import Comp, subject_from_lead
from relist.comps.value import Valuation, value_selection
from relist.errors import BadInput, NotFound
from relist.model import Lead
from relist.present.charts import ChartSet, build_charts, render_png
from relist.present.deck import (
    Branding,
    DeckSpec,
    chart_size,
    deck_spec,
    find_soffice,
    pdf_unavailable_missing,
    pptx_to_pdf,
    write_pptx,
)

COMP_COLUMNS: tuple[str, ...] = (
    "CompId", "ListingId", "PropertyAddress", "City", "PostalCode", "AddressKey", "ClosePrice", "CloseDate",
    "ListPrice", "OriginalListPrice", "LivingArea", "BedroomsTotal", "BathroomsTotal", "YearBuilt",
    "LotSizeArea", "DaysOnMarket", "Latitude", "Longitude", "PropertyType",
)


@dataclass(frozen=True)
class Analysis:
    """Everything computed for a lead before any file is written (what the notebook shows live)."""

    lead: Lead
    selection: CompSelection
    valuation: Valuation
    findings: tuple[Finding, ...]
    changes: tuple[Change, ...]
    charts: ChartSet
    unusable_comps: int
    facts: ListingFacts
    call: PriceCall
    alert: str
    """What the agent must hear before the appointment (empty when the evidence carries one price)."""


@dataclass(frozen=True)
class PresentationResult:
    """The files made for a lead and what went into them."""

    lead_id: str
    pptx: Path
    pdf: Path | None
    analysis: Analysis
    deck: DeckSpec
    imported: Any = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def link(self) -> Path:
        """The file the lead row links to: the PDF when made, else the .pptx."""
        return self.pdf or self.pptx

    def _imported(self) -> dict[str, Any] | None:
        """The comps import's counts, when a comps file was imported first."""
        if self.imported is None:
            return None
        keys = ("import_id", "read", "added", "updated", "duplicates", "rejected")
        out: dict[str, Any] = {k: getattr(self.imported, k) for k in keys if hasattr(self.imported, k)}
        if hasattr(self.imported, "headline"):
            out["headline"] = self.imported.headline()
        return out

    def summary(self) -> dict[str, Any]:
        """Plain data for --json and widgets."""
        a = self.analysis
        v = a.valuation
        return {
            "lead_id": self.lead_id,
            "pptx": str(self.pptx),
            "pdf": str(self.pdf) if self.pdf else None,
            "comps": [
                {"comp_id": k.comp.comp_id, "address": k.comp.address, "close_price": k.comp.close_price,
                 "close_date": k.comp.close_date.isoformat(), "living_area": k.comp.living_area,
                 "score": k.score, "reasons": list(k.reasons)}
                for k in a.selection.kept
            ],
            "stand_ins": [{"comp_id": e.comp.comp_id, "address": e.comp.address} for e in a.valuation.evidence if e.stand_in],
            "matched": a.selection.matched,
            "widened": [w.sentence for w in a.selection.widenings],
            "value": {
                "median_ppsf": round(v.median_ppsf, 2), "q1_ppsf": round(v.q1_ppsf, 2), "q3_ppsf": round(v.q3_ppsf, 2),
                "indicated": round(v.indicated_value), "low": round(v.low), "high": round(v.high),
                "range": [v.low_price, v.high_price],
                "suggested_list_price": None if v.suggested_list_price is None else round(v.suggested_list_price),
                "fsd": v.confidence.fsd, "confidence_score": v.confidence.score, "confidence": v.confidence.level,
                "confidence_reason": v.confidence.reason,
                "set_aside": [{"comp_id": e.comp.comp_id, "address": e.comp.address, "reason": e.set_aside} for e in v.set_aside],
                "adjustments": v.fit.note if v.fit else "not adjusted",
            },
            "price_call": a.call,
            "agent_alert": a.alert,
            "findings": [{"code": f.code, "severity": f.severity, "value": f.value, "sentence": f.sentence} for f in a.findings],
            "changes": [{"area": c.area, "action": c.action, "finding": c.finding.code} for c in a.changes],
            "relaunch": self.deck.relaunch.isoformat(),
            "imported": self._imported(),
            "timings": {k: round(t, 3) for k, t in self.timings.items()},
        }


def _aware(at: datetime, tz: Any) -> datetime:
    if at.tzinfo is None:
        aware = from_local_naive(at, tz)
        assert aware is not None
        return aware
    return at


def owners(lead: Lead) -> str:
    """Every owner named on the lead, for the cover: 'Matthew Lee and Grace Lee'."""
    names = [n.strip() for n in (lead.owner_name, lead.owner_name2) if n and n.strip()]
    return " and ".join(names)


def find_lead(leads: Sequence[Lead], lead_id: str) -> Lead:
    """The lead with this id (case and spaces ignored), or a clear error."""
    want = lead_id.strip().upper()
    for lead in leads:
        if lead.lead_id.strip().upper() == want:
            return lead
    raise NotFound(f"There is no lead {lead_id!r} on the Leads sheet.", "Check the LeadId column (e.g. L-1001).")


def read_comps(book: Any) -> tuple[list[Comp], int]:
    """Usable comps of the Comps table and how many rows were unusable."""
    return comps_from_records(book.read_records("tblComps", list(COMP_COLUMNS)))


def analyse(
    lead: Lead,
    comps: Sequence[Comp],
    *,
    as_of: date,
    filters: CompFilters | None = None,
    bar: QualityBar | None = None,
    unusable: int = 0,
) -> Analysis:
    """Select comps, value the home, find why it did not sell and build the chart specs (no I/O)."""
    subject = subject_from_lead(lead)
    selection = select_comps(subject, comps, filters, as_of=as_of)
    valuation = value_selection(selection, comps)
    facts = listing_facts(subject)
    findings = tuple(why_not_sold(subject, valuation, comps, bar))
    changes = tuple(what_to_change(findings, valuation, bar, subject))
    call = price_call(subject, valuation)
    charts = build_charts(selection, valuation, facts, one_price=call != "range")
    return Analysis(lead, selection, valuation, findings, changes, charts, unusable, facts, call,
                    agent_alert(subject, valuation))


def slug(text: str) -> str:
    """A file-name-safe version of an address."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60]


def output_dir(book: Any, out_dir: Path | None) -> Path:
    """Where the files go: `out_dir`, else next to the workbook."""
    if out_dir is not None:
        return Path(out_dir)
    path = getattr(book, "path", None)
    if path:
        return Path(path).resolve().parent
    raise BadInput("This workbook has no folder to save the presentation next to.", "Pass an output folder (--out DIR).")


def build_presentation(
    book: Any,
    lead_id: str,
    *,
    at: datetime,
    comps_path: Path | str | None = None,
    out_dir: Path | None = None,
    filters: CompFilters | None = None,
    pdf: bool = True,
    relaunch: date | None = None,
) -> PresentationResult:
    """Make the deck (a cover and five slides) for a lead (.pptx and .pdf), link it from the lead row and save the workbook."""
    from relist import settings as settings_mod
    from relist.leads import load_leads

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    settings = settings_mod.load(book)
    settings_mod.require_identity(settings, "presentation", book)  # every slide carries them: refused before comps are imported
    tz = settings.tz
    at = _aware(at, tz)
    as_of = at.astimezone(tz).date()
    branding = Branding.from_settings(settings)
    target_dir = output_dir(book, out_dir)
    if pdf and find_soffice() is None:
        raise pdf_unavailable_missing()

    imported = None
    if comps_path is not None:
        imported = _import_comps(book, Path(comps_path), at)
    lead = find_lead(load_leads(book, tz), lead_id)
    comps, unusable = read_comps(book)
    timings["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    chosen = filters or CompFilters.from_settings(settings)
    analysis = analyse(lead, comps, as_of=as_of, filters=chosen, unusable=unusable)
    timings["select"] = time.perf_counter() - t

    t = time.perf_counter()
    deck = deck_spec(analysis, branding, settings.marketing_plan, as_of=as_of, relaunch=relaunch,
                     prepared_for=owners(lead))
    present = [name for name, _ in analysis.charts.items()]
    images = {}
    for name, spec in analysis.charts.items():
        w, h = chart_size(deck, name, present)
        images[name] = render_png(spec, width_in=w, height_in=h)
    timings["charts"] = time.perf_counter() - t

    t = time.perf_counter()
    stem = f"Presentation-{slug(lead.lead_id)}" + (f"-{slug(lead.property_address)}" if lead.property_address else "")
    pptx = write_pptx(deck, images, target_dir / f"{stem}.pptx")
    timings["pptx"] = time.perf_counter() - t

    pdf_path = None
    if pdf:
        t = time.perf_counter()
        pdf_path = pptx_to_pdf(pptx, target_dir)
        timings["pdf"] = time.perf_counter() - t

    t = time.perf_counter()
    link = pdf_path or pptx
    book.update_rows("tblLeads", [{"LeadId": lead.lead_id, "Presentation": str(link.resolve())}], key="LeadId")
    book.save()
    timings["save"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return PresentationResult(lead.lead_id, pptx, pdf_path, analysis, deck, imported, timings)


def _import_comps(book: Any, path: Path, at: datetime) -> Any:
    """Load a sold-listings export into the Comps table through the intake service."""
    if not path.is_file():
        raise NotFound(f"The comps file {path} does not exist.", "Check the path given to --comps.")
    from relist.intake.service import import_files

    return import_files(book, [path], at=at, kind="comps")
