"""The listing presentation: a deck spec built from one Analysis, a python-pptx writer, a PDF converter.

A cover (the home's address, who it is prepared for, the agent's brand), then
five slides: why it didn't sell; what I'd change; the new comp set; the
marketing plan; the timeline. The agent's branding is on every slide; what the
agent must hear first (a price the evidence cannot carry) goes in the speaker notes.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from relist import schema
from relist.comps.findings import Change, Finding, range_method
from relist.comps.select import CompSelection
from relist.comps.value import Valuation
from relist.comps.words import human_date, money, per_sqft, price_range
from relist.errors import BadInput, RelistError

SLIDE_TITLES: tuple[str, ...] = (
    "Why it didn't sell",
    "What I'd change",
    "The new comp set",
    "The marketing plan",
    "The timeline",
)

RELAUNCH_AFTER_DAYS = 14
"""Default days from the appointment to the relaunch: time to sign, photograph and rewrite."""

MAX_FINDINGS = 6
MAX_TABLE_ROWS = 8

CHART_SIZES: dict[str, tuple[float, float]] = {
    "history": (6.1, 2.45),
    "dom": (6.1, 2.45),
    "ppsf": (6.1, 4.9),
    "scatter": (6.1, 4.9),
}
"""Inches each chart occupies when its slide carries all its charts (see chart_size)."""
CHART_AREA = (6.1, 4.9)
"""The right-hand area of a slide the charts share, stacked."""


def chart_size(deck: DeckSpec, name: str, present: Collection[str]) -> tuple[float, float]:
    """The inches a chart gets: its slide's chart area shared among the charts that exist (render at this size)."""
    for slide in deck.slides:
        if name in slide.charts:
            n = sum(1 for c in slide.charts if c in present) or 1
            return CHART_AREA[0], CHART_AREA[1] / n
    return CHART_SIZES.get(name, CHART_AREA)


def text_size(bullets: Sequence[Bullet], width: float, height: float, sizes: Sequence[float] = (20, 18, 16, 15, 14, 13, 12, 11, 10)) -> float:
    """The largest font size at which the bullets fit the box (Calibri averages about half an em per character)."""
    for size in sizes:
        total = 0.0
        for b in bullets:
            pt = size if b.level == 0 else size - 2
            per_line = max(1, int(width / (0.5 * pt / 72)))
            lines = -(-(len(b.text) + 3) // per_line)
            total += lines * pt * 1.2 / 72 + (6 if b.level == 0 else 8) / 72
        if total <= height:
            return size
    return sizes[-1]


class PdfUnavailable(RelistError):
    """The PDF could not be made (LibreOffice missing or the conversion failed)."""


@dataclass(frozen=True)
class Branding:
    """Who presents: printed on every slide."""

    agent_name: str
    brokerage: str
    license_number: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: str = ""

    @property
    def line(self) -> str:
        parts = [self.agent_name, self.brokerage]
        if self.license_number:
            parts.append(f"License {self.license_number}")
        parts += [p for p in (self.phone, self.email, self.website) if p]
        return "  ·  ".join(p for p in parts if p)

    @classmethod
    def from_settings(cls, settings: Any) -> Branding:
        return cls(
            agent_name=settings.agent_name,
            brokerage=settings.brokerage,
            license_number=settings.license_number,
            phone=settings.phone,
            email=settings.email,
            website=settings.website,
            logo_path=settings.logo_path,
        )


@dataclass(frozen=True)
class Table:
    """A table with relative column widths."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...] = ()


@dataclass(frozen=True)
class Bullet:
    text: str
    level: int = 0


@dataclass(frozen=True)
class Slide:
    """One slide's content; `charts` names rendered charts placed on the right, `panel` key figures shown there instead."""

    title: str
    subtitle: str = ""
    bullets: tuple[Bullet, ...] = ()
    table: Table | None = None
    charts: tuple[str, ...] = ()
    note: str = ""
    panel: tuple[tuple[str, str], ...] = ()
    speaker_notes: str = ""
    cover: bool = False


@dataclass(frozen=True)
class TimelineRow:
    when: str
    on: date
    what: str


@dataclass(frozen=True)
class DeckSpec:
    """Everything the deck shows, as data: a cover, then the five slides."""

    address: str
    branding: Branding
    slides: tuple[Slide, ...]
    relaunch: date
    timeline: tuple[TimelineRow, ...]
    alert: str = ""

    @property
    def body(self) -> tuple[Slide, ...]:
        """The five content slides (the cover left out)."""
        return tuple(s for s in self.slides if not s.cover)

    def text(self) -> str:
        """All words a seller sees (speaker notes left out), for search and tests."""
        out: list[str] = []
        for s in self.slides:
            out += [s.title, s.subtitle, *(b.text for b in s.bullets), s.note]
            out += [f"{k}: {v}" for k, v in s.panel]
            if s.table:
                out += [" | ".join(s.table.header), *(" | ".join(r) for r in s.table.rows)]
        return "\n".join(x for x in out if x)


def check_branding(b: Branding) -> None:
    """Name and brokerage are on every slide (license law); a logo path given must exist."""
    missing = [n for n, v in (("AgentName", b.agent_name), ("Brokerage", b.brokerage)) if not v.strip()]
    if missing:
        raise BadInput(
            f"{schema.setting_pointer(*missing)} {'is' if len(missing) == 1 else 'are'} blank, and every slide carries them.",
            "Fill them in on the Settings sheet.",
        )
    if b.logo_path and not Path(b.logo_path).expanduser().is_file():
        raise BadInput(
            f"Settings > Logo file is {b.logo_path!r}, which is not a file.",
            "Point it at a PNG or JPEG logo, or clear it.",
        )


_PREP: dict[str, str] = {
    "Photos": "book the photographer",
    "Description": "rewrite the description",
    "Buyer outreach": "list the agents behind the comparable sales",
    "Listing details": "fill in every listing detail",
}


def price_words(valuation: Valuation, call: str) -> str:
    """The price the deck names: one number when the evidence carries it, else the range."""
    if call == "range" or valuation.suggested_list_price is None:
        return f"a price within {price_range(valuation.low_price, valuation.high_price)}, set after a walk-through"
    return money(valuation.suggested_list_price)


def timeline(relaunch: date, as_of: date, changes: Sequence[Change], valuation: Valuation, call: str = "set") -> tuple[TimelineRow, ...]:
    """The relaunch date and the weeks after it."""
    prep = [_PREP[c.area] for c in changes if c.area in _PREP]
    if call == "range" or valuation.suggested_list_price is None:
        prep.insert(0, "walk through the home and set the price together")
    prep_text = "; ".join(["Sign the new listing agreement", *prep])
    review = (f"Price review against new sales (the comparable homes sold in a median {valuation.median_dom:g} days)"
              if valuation.median_dom is not None else "Price review against new sales and pending sales")
    return (
        TimelineRow("This week", as_of, prep_text),
        TimelineRow("Relaunch", relaunch, f"Back on the market at {price_words(valuation, call)}; calls to the agents behind the comparable sales"),
        TimelineRow("Week 1", relaunch + timedelta(days=7), "First feedback report: showings, online views, agents' comments"),
        TimelineRow("Week 2", relaunch + timedelta(days=14), "Feedback report; new sales and pending sales compared with this home"),
        TimelineRow("Week 3", relaunch + timedelta(days=21), review),
        TimelineRow("Week 4", relaunch + timedelta(days=28), "Feedback report; we decide the next step together"),
    )


def _item(text: str) -> str:
    """A plan item as a bullet: capitalised, without a trailing full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def deck_spec(
    analysis: Any,
    branding: Branding,
    marketing_plan: Sequence[str],
    *,
    as_of: date,
    relaunch: date | None = None,
    prepared_for: str = "",
) -> DeckSpec:
    """The cover and the five slides' content for one lead, from one Analysis (every number is the model's)."""
    check_branding(branding)
    if not marketing_plan:
        raise BadInput("Settings > Marketing plan is blank, and slide 4 shows it.", "Write your plan there, one item per ';'.")
    selection: CompSelection = analysis.selection
    valuation: Valuation = analysis.valuation
    findings: Sequence[Finding] = analysis.findings
    changes: Sequence[Change] = analysis.changes
    call: str = analysis.call
    alert: str = analysis.alert
    facts = analysis.facts
    s = selection.subject
    relaunch = relaunch or as_of + timedelta(days=RELAUNCH_AFTER_DAYS)
    if relaunch < as_of:
        raise BadInput(f"The relaunch date {relaunch} is before {as_of}.", "Pick a relaunch date from today on.")
    head = s.address or "Your home"
    conf = valuation.confidence
    span = price_range(valuation.low_price, valuation.high_price)

    cover = Slide(
        title=head,
        subtitle="A plan to sell it this time",
        bullets=tuple(Bullet(x) for x in (
            f"Prepared for {prepared_for}" if prepared_for else "",
            f"{branding.agent_name}, {branding.brokerage}",
            human_date(as_of),
        ) if x),
        speaker_notes=("BEFORE THE APPOINTMENT: " + alert) if alert else "",
        cover=True,
    )

    facts_line = []
    if s.list_price is not None:
        facts_line.append(f"last list price {money(s.list_price)}")
    if facts.days_on_market is not None:
        facts_line.append(f"{facts.days_on_market} days on the market")
    if s.expired_on is not None:
        facts_line.append(f"off the market {human_date(s.expired_on)}")
    sources = sorted({f"{f.source}" for f in findings if f.source and f.severity != "info"})
    why = Slide(
        title=SLIDE_TITLES[0],
        subtitle=(head + ": " + ", ".join(facts_line)) if facts_line else head,
        bullets=tuple(Bullet(f.sentence) for f in list(findings)[:MAX_FINDINGS]),
        charts=("history", "dom"),
        note=("Sources: " + "; ".join(sources)) if sources else "",
    )

    change_bullets: list[Bullet] = []
    for c in changes:
        change_bullets.append(Bullet(f"{c.area}: {c.action}"))
        change_bullets.append(Bullet(f"Because: {c.finding.sentence}", 1))
    if call == "range" or valuation.suggested_list_price is None:
        price_head = f"Price: {span}, to be set together after a walk-through ({conf.level} confidence)"
    else:
        price_head = f"Suggested list price {money(valuation.suggested_list_price)} (the comparable sales support {span})"
    what = Slide(
        title=SLIDE_TITLES[1],
        subtitle=price_head,
        bullets=tuple(change_bullets) or (Bullet("The data shows nothing to change: keep the plan, relaunch with fresh marketing."),),
        charts=("ppsf",),
        speaker_notes=("BEFORE THE APPOINTMENT: " + alert) if alert else
        f"Confidence {conf.level} (score {conf.score:.0f} of 100): {conf.reason}.",
    )

    rows = []
    adjusted_any = any(e.adjustments for e in valuation.evidence)
    for e in valuation.evidence[:MAX_TABLE_ROWS]:
        comp = e.comp
        rooms = f"{'-' if comp.beds is None else comp.beds} bd / {'-' if comp.baths is None else f'{comp.baths:g}'} ba"
        row = [comp.address, human_date(comp.close_date), money(comp.close_price), f"{comp.living_area:,.0f}",
               f"${e.ppsf:,.0f}"]
        if adjusted_any:
            row.append(f"${e.adjusted_ppsf:,.0f}")
        row += [rooms, "-" if comp.days_on_market is None else str(comp.days_on_market)]
        rows.append(tuple(row))
    header = ["Address", "Sold", "Price", "Sq ft", "$/sq ft", "Rooms", "Days to sell"]
    weights = [1.5, 1.15, 0.85, 0.55, 0.6, 0.9, 0.75]  # inches of the 6.3 in table: a $1,261,400 price fits on one line
    if adjusted_any:
        header.insert(5, "Adjusted $/sq ft")
        weights = [1.35, 1.05, 0.8, 0.5, 0.55, 0.72, 0.78, 0.55]
    notes = [f"Set aside: {e.comp.address}, sold at {e.set_aside}." for e in valuation.set_aside]
    stand_ins = [e.comp.address for e in valuation.evidence if e.stand_in]
    if stand_ins:
        notes.append(f"In {'their' if len(valuation.set_aside) > 1 else 'its'} place, the next closest match"
                     f"{'es' if len(stand_ins) > 1 else ''}: {', '.join(stand_ins)}.")
    notes += [w.sentence for w in selection.widenings] + list(selection.notes)
    if len(valuation.evidence) > MAX_TABLE_ROWS:
        notes.append(f"The table shows {MAX_TABLE_ROWS} of the {len(valuation.evidence)} sales.")
    fit = valuation.fit
    adjusted = fit.note if fit is not None else "not adjusted: no sales on file to measure features from"
    if fit is not None and fit.effects and not adjusted_any:
        adjusted += "; these sales needed none"
    comp_set = Slide(
        title=SLIDE_TITLES[2],
        # A range deck names no single price anywhere the seller reads, the comp set's heading included.
        subtitle=(f"{valuation.comps} comparable sales point to {span} ({conf.level} confidence)" if call == "range" else
                  f"{valuation.comps} comparable sales point to {money(valuation.indicated_value)} "
                  f"(range {span}, {conf.level} confidence)"),
        table=Table(tuple(header), tuple(rows), tuple(weights)),
        charts=("scatter",),
        note=" ".join([
            range_method(valuation) if call == "range" else
            f"How we found the price: the middle {'adjusted ' if adjusted_any else ''}price per square foot of these sales, "
            f"{per_sqft(valuation.median_ppsf)}, times this home's {valuation.subject_area:,.0f} sq ft; the range around it "
            f"is where about two in three sales like these land.",
            f"Prices are {adjusted}.",
            *notes,
        ]),
    )

    plan = Slide(
        title=SLIDE_TITLES[3],
        subtitle=f"Relaunch on {human_date(relaunch)} at {price_words(valuation, call)}",
        bullets=tuple(Bullet(_item(item)) for item in marketing_plan),
        panel=tuple(x for x in (
            ("Relaunch", human_date(relaunch)),
            ("Price", money(valuation.suggested_list_price) if call != "range" and valuation.suggested_list_price is not None else span),
            ("Comparable sales", f"{valuation.comps}, median {valuation.median_dom:g} days to sell" if valuation.median_dom is not None else f"{valuation.comps}"),
            ("What changes", (", ".join(c.area.lower() for c in changes) or "fresh marketing").capitalize()),
            ("Reports", "every week, in writing"),
        )),
    )

    rows_t = timeline(relaunch, as_of, changes, valuation, call)
    when = Slide(
        title=SLIDE_TITLES[4],
        subtitle=f"Relaunch on {human_date(relaunch)}, then a report every week",
        table=Table(("When", "Date", "What happens"), tuple((r.when, human_date(r.on), r.what) for r in rows_t),
                    (1.2, 2.0, 7.0)),
    )
    return DeckSpec(head, branding, (cover, why, what, comp_set, plan, when), relaunch, rows_t, alert)


# ---------------------------------------------------------------- python-pptx writer

_DARK = (0x1F, 0x3A, 0x5F)
_GREY = (0x59, 0x59, 0x59)
_ACCENT = (0xC0, 0x00, 0x00)


def write_pptx(deck: DeckSpec, images: Mapping[str, bytes], path: Path) -> Path:
    """Write the deck as .pptx (16:9); `images` maps chart names to PNG bytes."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    layout = prs.slide_layouts[5]  # Title Only
    total = len(deck.slides)

    def textbox(slide: Any, left: float, top: float, width: float, height: float) -> Any:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        box.text_frame.word_wrap = True
        return box.text_frame

    def style(run: Any, size: float, color: tuple[int, int, int], bold: bool = False) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = RGBColor(*color)  # type: ignore[no-untyped-call]
        run.font.name = "Calibri"

    for n, spec in enumerate(deck.slides, 1):
        slide = prs.slides.add_slide(layout)
        if spec.speaker_notes:
            slide.notes_slide.notes_text_frame.text = spec.speaker_notes
        if spec.cover:
            _cover(slide, spec, deck.branding, textbox, style)
            continue
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8)
        title.text = spec.title
        tp = title.text_frame.paragraphs[0]
        tp.alignment = PP_ALIGN.LEFT
        style(tp.runs[0], 32, _DARK, True)

        if spec.subtitle:
            tf = textbox(slide, 0.5, 1.0, 12.3, 0.5)
            style(tf.paragraphs[0].add_run(), 15, _ACCENT)
            tf.paragraphs[0].runs[0].text = spec.subtitle

        has_charts = any(name in images for name in spec.charts)
        side = has_charts or bool(spec.panel)
        body_w = 6.3 if side else 12.3
        top = 1.6
        if spec.bullets:
            tf = textbox(slide, 0.5, top, body_w, 4.8)
            tf.auto_size = MSO_AUTO_SIZE.NONE
            size = text_size(spec.bullets, body_w - 0.2, 4.6, (22, 20, 18, 16, 15, 14) if spec.panel else (18, 16, 15, 14, 13, 12, 11, 10))
            gap = 10.0
            if spec.panel:  # spread the plan down the panel's height, so the two halves balance
                used = sum(-(-(len(b.text) + 3) // max(1, int((body_w - 0.2) / (0.5 * size / 72)))) for b in spec.bullets) * size * 1.2
                gap = max(10.0, min(36.0, (4.4 * 72 - used) / len(spec.bullets)))
            for i, b in enumerate(spec.bullets):
                p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                p.level = b.level
                p.space_after = Pt(gap if spec.panel else 6 if b.level == 0 else 8)
                r = p.add_run()
                r.text = ("•  " if b.level == 0 else "    ") + b.text
                style(r, size if b.level == 0 else size - 2, _GREY if b.level else _DARK)
        if spec.table is not None:
            rows, cols = len(spec.table.rows) + 1, len(spec.table.header)
            roomy = not side and not spec.bullets
            height = min(4.7, (0.65 if roomy or rows <= 5 else 0.5) * rows)
            shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top), Inches(body_w), Inches(height))
            table = shape.table
            weights = spec.table.weights or (1.0,) * cols
            unit = body_w / sum(weights)
            for j, w in enumerate(weights):
                table.columns[j].width = Inches(w * unit)
            size = (11 if rows <= 7 and cols <= 7 else 10 if rows <= 9 else 9) if cols > 5 else 16 if roomy else 14
            for i, row in enumerate((spec.table.header, *spec.table.rows)):
                for j, value in enumerate(row):
                    cell = table.cell(i, j)
                    cell.margin_left = cell.margin_right = Inches(0.05)
                    cell.text = value
                    style(cell.text_frame.paragraphs[0].runs[0], size, (0xFF, 0xFF, 0xFF) if i == 0 else _DARK, i == 0)
        charts = [name for name in spec.charts if name in images]
        if charts:
            slot = CHART_AREA[1] / len(charts)
            for i, name in enumerate(charts):
                slide.shapes.add_picture(io.BytesIO(images[name]), Inches(6.95), Inches(top + i * slot),
                                         width=Inches(CHART_AREA[0]), height=Inches(slot))
        elif spec.panel:
            _panel(slide, spec.panel, 7.2, top, 5.6, textbox, style)
        if spec.note:
            tf = textbox(slide, 0.5, 6.45, 12.3, 0.4)
            tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
            r = tf.paragraphs[0].add_run()
            r.text = spec.note
            style(r, 9, _GREY)
        _brand(slide, deck.branding, n, total, textbox, style)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    prs.save(str(tmp))
    os.replace(tmp, path)
    return path


def _cover(slide: Any, spec: Slide, b: Branding, textbox: Any, style: Any) -> None:
    """The title slide: a band in the brand colour with the home's address, who it is for, the agent and the date."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    title = slide.shapes.title
    title.element.getparent().remove(title.element)
    tf = textbox(slide, 0.8, 0.75, 9.5, 0.8)
    r = tf.paragraphs[0].add_run()
    r.text = b.brokerage
    style(r, 24, _DARK, True)
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0), Inches(2.0), Inches(13.333), Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor(*_DARK)  # type: ignore[no-untyped-call]
    band.line.fill.background()
    tf = textbox(slide, 0.8, 2.3, 11.7, 1.2)
    r = tf.paragraphs[0].add_run()
    r.text = spec.title
    style(r, 40, (0xFF, 0xFF, 0xFF), True)
    tf = textbox(slide, 0.8, 3.55, 11.7, 0.7)
    r = tf.paragraphs[0].add_run()
    r.text = spec.subtitle
    style(r, 22, (0xDD, 0xE6, 0xF0))
    tf = textbox(slide, 0.8, 4.9, 11.7, 1.6)
    for i, bullet in enumerate(spec.bullets):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        r = p.add_run()
        r.text = bullet.text
        style(r, 20 if i == 0 else 16, _DARK if i == 0 else _GREY, i == 0)
    line = b.line
    tf = textbox(slide, 0.8, 6.85, 11.7, 0.45)
    r = tf.paragraphs[0].add_run()
    r.text = line
    style(r, 11, _DARK)
    if b.logo_path:
        slide.shapes.add_picture(str(Path(b.logo_path).expanduser()), Inches(10.8), Inches(0.5), height=Inches(1.0))


def _panel(slide: Any, rows: Sequence[tuple[str, str]], left: float, top: float, width: float, textbox: Any, style: Any) -> None:
    """Key figures in a tinted box: a label above each value."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

    box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(4.7))
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(0xEE, 0xF2, 0xF7)  # type: ignore[no-untyped-call]
    box.line.fill.background()
    tf = textbox(slide, left + 0.3, top + 0.25, width - 0.6, 4.3)
    for i, (label, value) in enumerate(rows):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        r = p.add_run()
        r.text = label
        style(r, 12, _GREY)
        p = tf.add_paragraph()
        p.space_after = Pt(10)
        r = p.add_run()
        r.text = value
        style(r, 18, _DARK, True)


def _brand(slide: Any, b: Branding, n: int, total: int, textbox: Any, style: Any) -> None:
    """The agent's line (and logo) at the foot of a slide, with the page number."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Inches

    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(0.5), Inches(6.9), Inches(12.83), Inches(6.9))
    line.line.color.rgb = RGBColor(*_DARK)  # type: ignore[no-untyped-call]
    right = 12.83
    if b.logo_path:
        pic = slide.shapes.add_picture(str(Path(b.logo_path).expanduser()), Inches(0), Inches(6.95), height=Inches(0.45))
        pic.left = int(Inches(right)) - pic.width
        right -= pic.width / 914400 + 0.15
    tf = textbox(slide, 0.5, 6.95, right - 0.5 - 0.6, 0.45)
    r = tf.paragraphs[0].add_run()
    r.text = b.line
    style(r, 11, _DARK)
    num = textbox(slide, right - 0.6, 6.95, 0.6, 0.45)
    r = num.paragraphs[0].add_run()
    r.text = f"{n}/{total}"
    style(r, 10, _GREY)


# ---------------------------------------------------------------- PDF through LibreOffice Impress


def find_soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None


def pdf_unavailable_missing() -> PdfUnavailable:
    """The error for a machine without LibreOffice."""
    return PdfUnavailable(
        "LibreOffice is not installed, so the presentation cannot be converted to PDF.",
        "Install LibreOffice Impress (apt install libreoffice-impress), or pass --no-pdf and export from PowerPoint.",
    )


def pptx_to_pdf(pptx: Path, out_dir: Path | None = None, *, timeout: float = 180) -> Path:
    """Convert a .pptx to PDF with LibreOffice Impress, headless, with a private throw-away profile."""
    exe = find_soffice()
    if exe is None:
        raise pdf_unavailable_missing()
    out_dir = out_dir or pptx.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-relist-") as profile, tempfile.TemporaryDirectory(prefix="lo-out-") as work:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:impress_pdf_Export",
            "--outdir",
            work,
            str(pptx),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(
                f"LibreOffice took more than {timeout:g} s to convert {pptx.name}.",
                "Close other LibreOffice windows and try again, or export the .pptx to PDF yourself.",
            ) from exc
        made = Path(work) / f"{pptx.stem}.pdf"
        if not made.exists():
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise PdfUnavailable(
                f"LibreOffice could not convert {pptx.name} to PDF ({detail[-1] if detail else f'exit {proc.returncode}'}).",
                "Open the .pptx and export it to PDF yourself, or check LibreOffice with: soffice --version.",
            )
        target = out_dir / made.name
        shutil.move(str(made), target)
    return target
