"""The per-lead marketing-plan PDF: the property, its list history, what will change, the plan and the timeline.

Two stages, like the charts: `build_plan` turns a lead and Settings into a
PlanSpec (plain data, unit-tested), `plan_pdf` draws it with the agent's
branding. "What will change" is read from the lead's own listing data (price
cuts, photo count, description length, days on market, re-expiry).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from relist.channels.printing import (
    PAGE_H,
    PAGE_W,
    draw_logo,
    font,
    logo_file,
    new_pdf,
    output,
    paragraph,
    pdf_text,
    rule,
    text_lines,
)
from relist.channels.templates import city_line, long_date, missing_number, money
from relist.comps.words import human_date
from relist.errors import TemplateError
from relist.model import Lead
from relist.settings import Settings

PLAN_SETTINGS = ("AgentName", "Brokerage", "LicenseNumber")

TIMELINE: tuple[tuple[str, str], ...] = (
    ("Days 1-3", "Walk-through, pricing from the new comp set, prep and staging list."),
    ("Days 4-7", "Professional photos and 3D tour; new description; listing checked line by line."),
    ("Week 2", "Launch as a fresh listing; buyer-agent outreach; first open house."),
    ("Every week", "A written feedback report: showings, online views, what buyers said."),
    ("Day 30", "Review together: activity against the plan, and what to adjust."),
)
"""The default timeline printed on every plan."""

FEW_PHOTOS = 25
SHORT_REMARKS = 500
LONG_DOM = 60

_NAVY = (31, 78, 120)


@dataclass(frozen=True)
class PricePoint:
    """One entry of Leads > PriceHistory ('date:price', oldest first)."""

    when: str
    price: float


@dataclass(frozen=True)
class Branding:
    agent_name: str
    brokerage: str
    license_number: str
    phone: str
    email: str
    website: str
    postal_address: str
    logo: Path | None


@dataclass(frozen=True)
class PlanSpec:
    """Everything printed on one lead's marketing plan."""

    lead_id: str
    title: str
    prepared_for: str
    prepared_on: str
    property: tuple[tuple[str, str], ...]
    history: tuple[tuple[str, str], ...]
    changes: tuple[str, ...]
    plan: tuple[str, ...]
    timeline: tuple[tuple[str, str], ...]
    branding: Branding


def parse_price_history(text: Any) -> list[PricePoint]:
    """'2026-03-01:450000;2026-05-10:429000' as price points; unreadable parts are skipped."""
    out: list[PricePoint] = []
    for part in str(text or "").split(";"):
        when, sep, price = part.strip().rpartition(":")
        if not sep:
            continue
        try:
            value = float(price.replace("$", "").replace(",", "").strip())
        except ValueError:
            continue
        out.append(PricePoint(when.strip(), value))
    return out


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _date_text(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return long_date(value)
    text = str(value or "").strip()
    try:
        return long_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text


def _facts(lead: Lead) -> Any:
    """The listing's history as the presentation reads it (one account for the plan and the deck), or None when unreadable."""
    from relist.comps.findings import listing_facts
    from relist.comps.subject import subject_from_lead
    from relist.errors import BadInput

    try:
        return listing_facts(subject_from_lead(lead))
    except BadInput:
        return None


def what_will_change(lead: Lead, months: int = 6) -> tuple[str, ...]:
    """The changes this listing needs, each tied to what its own data shows; `months` is how far back the comps go."""
    f = lead.fields
    out: list[str] = []
    facts = _facts(lead)
    cuts = facts.cuts if facts is not None else []
    first, last = (facts.start, facts.end) if facts is not None else (None, None)
    window = f"the last {months} month{'s' if months != 1 else ''}"
    if cuts and first and last:
        out.append(
            f"Price: it was cut {len(cuts)} time{'s' if len(cuts) != 1 else ''}, from {money(first)} to {money(last)}, "
            f"chasing the market. This time the price comes from the homes that sold nearby in {window}, "
            "before launch, so the first weeks - when buyers pay most attention - are not wasted."
        )
    else:
        out.append(f"Price: set from the homes that sold nearby in {window}, and reviewed with you before launch.")
    photos = _int(f.get("PhotosCount"))
    if photos is not None and photos < FEW_PHOTOS:
        out.append(f"Photos: the listing had {photos} photo{'s' if photos != 1 else ''}. Professional photos, a floor plan and a 3D tour of every room.")
    remarks = _int(f.get("RemarksLength"))
    if remarks is not None and remarks < SHORT_REMARKS:
        out.append(f"Description: the old one was {remarks} characters. A new one that sells the home's best features.")
    dom = _int(f.get("CumulativeDaysOnMarket")) or _int(f.get("DaysOnMarket"))
    if dom is not None and dom >= LONG_DOM:
        out.append(f"Momentum: {dom} days on the market made the home look stale. It relaunches as a fresh listing with a launch week.")
    cycle = _int(f.get("Cycle")) or 1
    if f.get("ReExpired") is True or cycle >= 2:
        out.append("Approach: the home has expired more than once; repeating the same listing will not change the result.")
    out.append("Communication: a written report every week, so you always know what buyers are saying.")
    for line in out:
        gap = missing_number(line)
        if gap:
            raise TemplateError(f"The marketing plan for lead {lead.lead_id} would print {gap!r} with no number.",
                                "Fill in the lead's listing data.")
    return tuple(out)


def _price_changes(facts: Any) -> str | None:
    if facts is None or len(facts.steps) < 2:
        return None
    parts = []
    for st in facts.steps:
        when = human_date(st.on) if st.on is not None else "date not on file"
        parts.append(f"{money(st.price)} ({when})")
    return " > ".join(parts)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def build_plan(lead: Lead, settings: Settings, at: datetime) -> PlanSpec:
    """The plan for one lead (Settings > Marketing plan items, the lead's data, the default timeline)."""
    settings.require(*PLAN_SETTINGS)
    f = lead.fields
    street = lead.property_address.strip()
    if lead.unit.strip():
        street = f"{street} #{lead.unit.strip().lstrip('#')}"
    address = ", ".join(x for x in (street, city_line(lead.city, lead.state, lead.postal_code)) if x)

    def row(label: str, value: Any, fmt: str = "{}") -> tuple[str, str] | None:
        if value is None or value == "":
            return None
        return label, fmt.format(value)

    area = _float(f.get("LivingArea"))
    prop = [
        ("Address", address or "(no address)"),
        row("Type", f.get("PropertyType")),
        row("Bedrooms", _int(f.get("BedroomsTotal"))),
        row("Bathrooms", _float(f.get("BathroomsTotal")), "{:g}"),
        row("Living area", area, "{:,.0f} sq ft"),
        row("Lot", _float(f.get("LotSizeArea")), "{:,.0f}"),
        row("Year built", _int(f.get("YearBuilt"))),
    ]
    facts = _facts(lead)
    expired = lead.expired_at.astimezone(settings.tz) if lead.expired_at else None
    hist = [
        row("Listed", _date_text(f.get("ListingContractDate")) or None),
        row("Original price", money(f.get("OriginalListPrice")) or None),
        row("Price changes", _price_changes(facts)),
        row("Last list price", money(lead.list_price) or None),
        row("Days on market", _int(f.get("DaysOnMarket"))),
        row("Cumulative days", _int(f.get("CumulativeDaysOnMarket"))),
        row("Came off the market", long_date(expired) if expired else None),
        row("Listing cycles", _int(f.get("Cycle")) if (_int(f.get("Cycle")) or 1) > 1 else None),
    ]
    plan = settings.marketing_plan or ("Professional photos and a 3D tour", "A price set from the new comp set", "Weekly feedback reports")
    owner = " and ".join(n for n in (lead.owner_name.strip(), lead.owner_name2.strip()) if n) or "the owner"
    return PlanSpec(
        lead_id=lead.lead_id,
        title=f"A marketing plan for {street or 'your home'}",
        prepared_for=owner,
        prepared_on=long_date(at.astimezone(settings.tz)),
        property=tuple(x for x in prop if x is not None),
        history=tuple(x for x in hist if x is not None),
        changes=what_will_change(lead, settings.comp_months),
        plan=tuple(p[:1].upper() + p[1:].rstrip(".") for p in plan),
        timeline=TIMELINE,
        branding=Branding(
            settings.agent_name, settings.brokerage, settings.license_number, settings.phone, settings.email,
            settings.website, settings.postal_address, logo_file(settings),
        ),
    )


def plan_pdf(spec: PlanSpec, settings: Settings, at: datetime) -> bytes:
    """Draw one plan: a branded header band, the sections, and the brokerage and license on every page."""
    pdf = new_pdf(spec.title, settings, at)
    b = spec.branding
    left, width, bottom = 0.75, PAGE_W - 1.5, PAGE_H - 0.9

    def footer() -> None:
        rule(pdf, left, PAGE_H - 0.75, left + width, gray=170)
        parts = [b.brokerage, f"{b.agent_name}, License No. {b.license_number}", b.phone, b.email, b.postal_address]
        paragraph(pdf, left, PAGE_H - 0.7, width, " | ".join(p for p in parts if p.strip()), 7.5, align="C")
        paragraph(pdf, left, PAGE_H - 0.5, width, "If your home is listed with another broker right now, please disregard this plan.", 7, align="C")

    def header() -> float:
        pdf.add_page()
        pdf.set_fill_color(*_NAVY)
        pdf.rect(0, 0, PAGE_W, 1.2, style="F")
        pdf.set_text_color(255)
        y = paragraph(pdf, left, 0.35, width - 2.2, spec.title, 18, "B", leading=0.3)
        paragraph(pdf, left, y + 0.05, width - 2.2, f"Prepared for {spec.prepared_for} on {spec.prepared_on}", 10)
        font(pdf, 11, "B")
        text_lines(pdf, left + width - 2.2, 0.35, [pdf_text(b.brokerage)], 11, align="R", width=2.2)
        font(pdf, 9)
        text_lines(pdf, left + width - 2.2, 0.6, [pdf_text(b.agent_name), pdf_text(b.phone), pdf_text(b.email)], 9, align="R", width=2.2)
        pdf.set_text_color(0)
        footer()
        top = 1.4
        if b.logo is not None and pdf.page == 1:
            draw_logo(pdf, b.logo, left + width - 1.6, top, 1.6, 0.6, align="R")
        return top

    y = header()

    def heading(text: str, y: float) -> float:
        if y + 0.7 > bottom:
            y = header()
        pdf.set_text_color(*_NAVY)
        y = paragraph(pdf, left, y + 0.08, width, text, 13, "B")
        pdf.set_text_color(0)
        rule(pdf, left, y + 0.01, left + width, gray=190)
        return y + 0.08

    def pairs(rows: Sequence[tuple[str, str]], y: float) -> float:
        for label, value in rows:
            if y + 0.22 > bottom:
                y = header()
            font(pdf, 10, "B")
            text_lines(pdf, left, y, [pdf_text(label)], 10)
            y = paragraph(pdf, left + 1.8, y, width - 1.8, value, 10, bottom=bottom, new_page=header)
        return y

    def bullets(items: Sequence[str], y: float) -> float:
        for item in items:
            if y + 0.25 > bottom:
                y = header()
            font(pdf, 10)
            text_lines(pdf, left + 0.1, y, ["-"], 10)
            y = paragraph(pdf, left + 0.3, y, width - 0.3, item, 10, bottom=bottom, new_page=header) + 0.05
        return y

    y = heading("The property", y)
    y = pairs(spec.property, y)
    if spec.history:
        y = heading("List history", y)
        y = pairs(spec.history, y)
    y = heading("What will change", y)
    y = bullets(spec.changes, y)
    y = heading("The plan", y)
    y = bullets(spec.plan, y)
    y = heading("Timeline", y)
    y = pairs(spec.timeline, y)
    contact = " or ".join(x for x in (b.phone, b.email) if x.strip())
    paragraph(pdf, left, y + 0.15, width, f"Next step: fifteen minutes to walk through this plan together. {b.agent_name}, {contact}.",
              10, "B", bottom=bottom, new_page=header)
    return output(pdf)


def marketing_plan_pdf(lead: Lead, settings: Settings, at: datetime) -> bytes:
    """build_plan then plan_pdf for one lead."""
    return plan_pdf(build_plan(lead, settings, at), settings, at)
