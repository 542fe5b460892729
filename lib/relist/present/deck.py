"""The five-slide listing presentation: a deck spec built from comps and findings, a python-pptx writer, a PDF converter.

Slides, in order: why it didn't sell; what I'd change; the new comp set; the
marketing plan; the timeline. The agent's branding is on every slide.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from relist.comps.findings import Change, Finding, money
from relist.comps.select import CompSelection
from relist.comps.value import Valuation
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
"""Inches each chart occupies on its slide; render charts at this size so nothing is stretched."""


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
    """One slide's content; `charts` names rendered charts placed on the right."""

    title: str
    subtitle: str = ""
    bullets: tuple[Bullet, ...] = ()
    table: Table | None = None
    charts: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TimelineRow:
    when: str
    on: date
    what: str


@dataclass(frozen=True)
class DeckSpec:
    """Everything the deck shows, as data."""

    address: str
    branding: Branding
    slides: tuple[Slide, ...]
    relaunch: date
    timeline: tuple[TimelineRow, ...]

    def text(self) -> str:
        """All words of the deck, for search and tests."""
        out: list[str] = []
        for s in self.slides:
            out += [s.title, s.subtitle, *(b.text for b in s.bullets), s.note]
            if s.table:
                out += [" | ".join(s.table.header), *(" | ".join(r) for r in s.table.rows)]
        return "\n".join(x for x in out if x)


def check_branding(b: Branding) -> None:
    """Name and brokerage are on every slide (license law); a logo path given must exist."""
    missing = [n for n, v in (("AgentName", b.agent_name), ("Brokerage", b.brokerage)) if not v.strip()]
    if missing:
        raise BadInput(
            f"Settings > {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} blank, and every slide carries them.",
            "Fill them in on the Settings sheet.",
        )
    if b.logo_path and not Path(b.logo_path).expanduser().is_file():
        raise BadInput(
            f"Settings > LogoPath is {b.logo_path!r}, which is not a file.",
            "Point it at a PNG or JPEG logo, or clear it.",
        )


_PREP: dict[str, str] = {
    "Photos": "book the photographer",
    "Description": "rewrite the description",
    "Buyer outreach": "list the agents behind the comp sales",
    "Listing data": "complete the listing data",
}


def timeline(relaunch: date, as_of: date, changes: Sequence[Change], valuation: Valuation) -> tuple[TimelineRow, ...]:
    """The relaunch date and the weeks after it."""
    prep = [_PREP[c.area] for c in changes if c.area in _PREP]
    prep_text = "; ".join(["Sign the new listing agreement", *prep])
    review = f"Price review against new sales (the comps sold in a median {valuation.median_dom:g} days)" if valuation.median_dom is not None else "Price review against new sales and pendings"
    return (
        TimelineRow("This week", as_of, prep_text),
        TimelineRow("Relaunch", relaunch, f"Back on the market at {money(valuation.suggested_list_price)}; outreach to the agents in the comp sales"),
        TimelineRow("Week 1", relaunch + timedelta(days=7), "First feedback report: showings, online views, agents' comments"),
        TimelineRow("Week 2", relaunch + timedelta(days=14), "Feedback report; new sales and pendings compared with this home"),
        TimelineRow("Week 3", relaunch + timedelta(days=21), review),
        TimelineRow("Week 4", relaunch + timedelta(days=28), "Feedback report; decide the next step together"),
    )


def _item(text: str) -> str:
    """A plan item as a bullet: capitalised, without a trailing full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def _fmt_baths(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def deck_spec(
    selection: CompSelection,
    valuation: Valuation,
    findings: Sequence[Finding],
    changes: Sequence[Change],
    branding: Branding,
    marketing_plan: Sequence[str],
    *,
    as_of: date,
    relaunch: date | None = None,
) -> DeckSpec:
    """The five slides' content for one lead."""
    check_branding(branding)
    if not marketing_plan:
        raise BadInput("Settings > MarketingPlan is blank, and slide 4 shows it.", "Write your plan there, one item per ';'.")
    s = selection.subject
    relaunch = relaunch or as_of + timedelta(days=RELAUNCH_AFTER_DAYS)
    if relaunch < as_of:
        raise BadInput(f"The relaunch date {relaunch} is before {as_of}.", "Pick a relaunch date from today on.")
    facts = []
    if s.list_price is not None:
        facts.append(f"last list price {money(s.list_price)}")
    dom = s.cumulative_days_on_market if s.cumulative_days_on_market is not None else s.days_on_market
    if dom is not None:
        facts.append(f"{dom} days on market")
    if s.expired_on is not None:
        facts.append(f"expired {s.expired_on.isoformat()}")
    head = s.address or f"Lead {s.lead_id}"
    sources = sorted({f"{f.source}" for f in findings if f.source and f.severity != "info"})

    why = Slide(
        title=SLIDE_TITLES[0],
        subtitle=f"{head}: " + ", ".join(facts) if facts else head,
        bullets=tuple(Bullet(f.sentence) for f in list(findings)[:MAX_FINDINGS]),
        charts=("history", "dom"),
        note=("Sources: " + "; ".join(sources)) if sources else "",
    )

    change_bullets: list[Bullet] = []
    for c in changes:
        change_bullets.append(Bullet(f"{c.area}: {c.action}"))
        change_bullets.append(Bullet(f"Because: {c.finding.sentence}", 1))
    what = Slide(
        title=SLIDE_TITLES[1],
        subtitle=f"Suggested list price {money(valuation.suggested_list_price)} (indicated value {money(valuation.indicated_value)})",
        bullets=tuple(change_bullets) or (Bullet("The data shows nothing to change: keep the plan, relaunch with fresh marketing."),),
        charts=("ppsf",),
    )

    rows = []
    for k in selection.kept[:MAX_TABLE_ROWS]:
        comp = k.comp
        beds = "?" if comp.beds is None else str(comp.beds)
        rows.append((
            comp.address, comp.close_date.isoformat(), money(comp.close_price), f"{comp.living_area:,.0f}",
            f"${comp.price_per_sqft:,.0f}", f"{beds}/{_fmt_baths(comp.baths)}",
            "" if comp.days_on_market is None else str(comp.days_on_market), f"{k.score:.0f}",
        ))
    notes = [w.sentence for w in selection.widenings] + list(selection.notes)
    if len(selection.kept) > MAX_TABLE_ROWS:
        notes.append(f"Table shows the {MAX_TABLE_ROWS} closest of {len(selection.kept)}.")
    comp_set = Slide(
        title=SLIDE_TITLES[2],
        subtitle=(f"{len(selection.kept)} closest of {selection.matched} matching sales: indicated value "
                  f"{money(valuation.indicated_value)}, range {money(valuation.low)}-{money(valuation.high)}"),
        table=Table(("Address", "Closed", "Price", "Sq ft", "$/sq ft", "Bd/Ba", "DOM", "Score"), tuple(rows),
                    (3.0, 1.45, 1.25, 0.85, 0.9, 0.8, 0.7, 0.85)),
        charts=("scatter",),
        note=" ".join([
            f"Indicated value = median ${valuation.median_ppsf:,.2f}/sq ft × {valuation.subject_area:,.0f} sq ft; "
            f"range = middle half of the comps' $/sq ft (${valuation.q1_ppsf:,.2f}-${valuation.q3_ppsf:,.2f}) × the same area.",
            *notes,
        ]),
    )

    plan = Slide(
        title=SLIDE_TITLES[3],
        subtitle=f"Relaunch {relaunch.strftime('%A, %B')} {relaunch.day} at {money(valuation.suggested_list_price)}",
        bullets=tuple(Bullet(_item(item)) for item in marketing_plan),
    )

    rows_t = timeline(relaunch, as_of, changes, valuation)
    when = Slide(
        title=SLIDE_TITLES[4],
        subtitle=f"Relaunch on {relaunch.isoformat()}, then a report every week",
        table=Table(("When", "Date", "What happens"), tuple((r.when, r.on.strftime("%a %b %d, %Y"), r.what) for r in rows_t),
                    (1.2, 2.0, 7.0)),
    )
    return DeckSpec(head, branding, (why, what, comp_set, plan, when), relaunch, rows_t)


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
        body_w = 6.3 if has_charts else 12.3
        top = 1.6
        if spec.bullets:
            tf = textbox(slide, 0.5, top, body_w, 4.8)
            tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
            size = 15 if len(spec.bullets) <= 5 else 13 if len(spec.bullets) <= 8 else 11
            if has_charts and len(spec.bullets) > 4:
                size -= 1
            if not has_charts and spec.table is None and len(spec.bullets) <= 8:
                size = 20
            for i, b in enumerate(spec.bullets):
                p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                p.level = b.level
                p.space_after = Pt(6 if b.level == 0 else 8)
                r = p.add_run()
                r.text = ("•  " if b.level == 0 else "    ") + b.text
                style(r, size if b.level == 0 else size - 2, _GREY if b.level else _DARK)
        if spec.table is not None:
            rows, cols = len(spec.table.rows) + 1, len(spec.table.header)
            height = min(4.6, 0.4 * rows)
            shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top), Inches(body_w), Inches(height))
            table = shape.table
            weights = spec.table.weights or (1.0,) * cols
            unit = body_w / sum(weights)
            for j, w in enumerate(weights):
                table.columns[j].width = Inches(w * unit)
            size = 9 if cols > 5 else 14
            for i, row in enumerate((spec.table.header, *spec.table.rows)):
                for j, value in enumerate(row):
                    cell = table.cell(i, j)
                    cell.margin_left = cell.margin_right = Inches(0.05)
                    cell.text = value
                    style(cell.text_frame.paragraphs[0].runs[0], size, (0xFF, 0xFF, 0xFF) if i == 0 else _DARK, i == 0)
        charts = [name for name in spec.charts if name in images]
        if charts:
            slot = 4.9 / len(charts)
            for i, name in enumerate(charts):
                w, h = CHART_SIZES.get(name, (6.1, slot))
                scale = min(1.0, slot / h)
                slide.shapes.add_picture(io.BytesIO(images[name]), Inches(6.95), Inches(top + i * slot),
                                         width=Inches(w * scale), height=Inches(h * scale))
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
