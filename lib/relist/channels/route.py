"""The drive-by and door-hanger route: stops grouped by ZIP, then street, then house number.

Within a street the odd side comes first going up the numbers, then the even
side coming back down (101, 107, 115, then 110, 102), so each side of the
street is walked together and the walk ends near where it started; this is
the same order as the doors section of Today's queue. Door hangers go on the
door, never in or on the mailbox: 18 U.S.C. 1725 forbids anything without
postage in a mailbox (shared/reference/compliance.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from relist.channels.printing import (
    PAGE_H,
    PAGE_W,
    clip,
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
from relist.channels.templates import merge_fields, render
from relist.model import Lead
from relist.settings import Settings

if TYPE_CHECKING:
    from fpdf import FPDF

MAILBOX_RULE = "Hang it on the door, never in or on the mailbox (18 U.S.C. 1725)."

# Common street suffixes and directionals, USPS Publication 28 appendix C1/B (partial).
SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVN": "AVE", "ROAD": "RD", "DRIVE": "DR",
    "DRV": "DR", "LANE": "LN", "COURT": "CT", "BOULEVARD": "BLVD", "BOUL": "BLVD", "PLACE": "PL",
    "TERRACE": "TER", "TERR": "TER", "CIRCLE": "CIR", "CIRC": "CIR", "PARKWAY": "PKWY", "PKY": "PKWY",
    "HIGHWAY": "HWY", "HIWAY": "HWY", "TRAIL": "TRL", "WAY": "WAY", "SQUARE": "SQ", "LOOP": "LOOP",
    "PIKE": "PIKE", "POINT": "PT", "COVE": "CV", "CROSSING": "XING", "RUN": "RUN", "PATH": "PATH",
    "ALLEY": "ALY", "EXPRESSWAY": "EXPY", "FREEWAY": "FWY", "HEIGHTS": "HTS", "HILL": "HL", "RIDGE": "RDG",
}
DIRECTIONALS = {
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
    "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
}
UNIT_WORDS = {"APT", "APARTMENT", "UNIT", "STE", "SUITE", "#", "LOT", "BLDG", "FL", "FLOOR", "RM", "ROOM", "SPC", "TRLR"}

_NUMBER = re.compile(r"^\s*(\d+)\s*([A-Z])?(?:\s*-\s*\d+[A-Z]?)?(?:\s+1/2)?\s+(.+)$")


def parse_street(address: str) -> tuple[int | None, str, str]:
    """House number, its text (e.g. '12B'), and the normalised street name ('MAIN ST') of an address line."""
    text = " ".join(address.upper().replace(".", " ").replace(",", " ").replace("#", " # ").split())
    m = _NUMBER.match(text)
    number: int | None = None
    number_text = ""
    rest = text
    if m:
        number = int(m.group(1))
        number_text = m.group(1) + (m.group(2) or "")
        rest = m.group(3)
    words: list[str] = []
    for word in rest.split():
        if word in UNIT_WORDS:
            break
        words.append(DIRECTIONALS.get(word, SUFFIXES.get(word, word)))
    return number, number_text, " ".join(words)


@dataclass(frozen=True)
class Stop:
    """One house on the route."""

    lead_id: str
    owner: str
    address: str
    city: str
    zip: str
    number: int | None
    number_text: str
    street: str
    note: str = ""
    hanger: bool = True

    @property
    def side(self) -> str:
        if self.number is None:
            return ""
        return "even" if self.number % 2 == 0 else "odd"


@dataclass(frozen=True)
class StreetRun:
    """The stops on one street of one ZIP: the odd side up the numbers, then the even side back down."""

    zip: str
    street: str
    stops: tuple[Stop, ...]


def stop_for(lead: Lead, note: str = "") -> Stop:
    """A route stop at the property; absentee owners do not live there, so they get a drive-by and no hanger."""
    number, number_text, street = parse_street(lead.property_address)
    address = lead.property_address.strip()
    if lead.unit.strip():
        address = f"{address} #{lead.unit.strip().lstrip('#')}"
    hanger = not lead.absentee
    notes = [note] if note else []
    if lead.absentee:
        notes.insert(0, "Absentee: drive-by only")
    return Stop(
        lead.lead_id, lead.owner_name or lead.owner_name2, address, lead.city, lead.postal_code.strip()[:5],
        number, number_text, street or address.upper(), "; ".join(notes), hanger,
    )


def plan_route(stops: Sequence[Stop]) -> list[StreetRun]:
    """Stops grouped by ZIP, then street, then house number: odd side ascending, even side descending, unnumbered last."""

    def key(s: Stop) -> tuple[str, str, int, int, str, str]:
        if s.number is None:
            side, order = 2, 0
        elif s.number % 2:
            side, order = 0, s.number
        else:
            side, order = 1, -s.number
        return (s.zip or "~", s.street, side, order, s.number_text, s.lead_id)

    ordered = sorted(stops, key=key)
    return [
        StreetRun(z, st, tuple(group))
        for (z, st), group in groupby(ordered, key=lambda s: (s.zip or "~", s.street))
    ]


# ------------------------------------------------------------------ route sheet

_COLS = (("", 0.25), ("#", 0.3), ("Address", 2.1), ("Side", 0.45), ("Owner", 1.55), ("Note", 1.85), ("Outcome", 1.0))


def route_sheet_pdf(
    runs: Sequence[StreetRun], skipped: Sequence[tuple[str, str, str]], settings: Settings, at: datetime
) -> bytes:
    """The printable route: one section per ZIP and street, a box to tick and a line for the outcome.

    `skipped` rows are (lead id, owner, reason) for leads due a visit that compliance refused.
    """
    local = at.astimezone(settings.tz)
    pdf = new_pdf(f"Door-knock route {local:%Y-%m-%d}", settings, at)
    stops = sum(len(r.stops) for r in runs)
    bottom = PAGE_H - 0.6

    def page() -> float:
        pdf.add_page()
        font(pdf, 15, "B")
        text_lines(pdf, 0.5, 0.45, [pdf_text(f"Drive-by and door-hanger route - {local:%A %B} {local.day}, {local.year}")], 15)
        intro = (f"{stops} stop{'s' if stops != 1 else ''}. {MAILBOX_RULE} "
                 "Grouped by ZIP, then street; each street's odd side going up, then its even side coming back.")
        y = paragraph(pdf, 0.5, 0.78, PAGE_W - 1.0, intro, 9) + 0.08
        font(pdf, 8, "B")
        x = 0.5
        for name, w in _COLS:
            text_lines(pdf, x, y, [name], 8)
            x += w
        rule(pdf, 0.5, y + 0.17, PAGE_W - 0.5, gray=90)
        return y + 0.22

    y = page()
    n = 0
    current_zip = None
    for run in runs:
        if y + 0.55 > bottom:
            y = page()
        if run.zip != current_zip:
            current_zip = run.zip
            font(pdf, 11, "B")
            city = next((s.city for s in run.stops if s.city), "")
            y = text_lines(pdf, 0.5, y + 0.05, [pdf_text(f"ZIP {run.zip if run.zip != '~' else '(none)'}  {city}".rstrip())], 11)
        font(pdf, 10, "B")
        y = text_lines(pdf, 0.6, y + 0.02, [pdf_text(run.street)], 10)
        for stop in run.stops:
            if y + 0.3 > bottom:
                y = page()
            n += 1
            font(pdf, 9)
            pdf.set_line_width(0.01)
            pdf.rect(0.52, y + 0.03, 0.13, 0.13)
            x = 0.5 + _COLS[0][1]
            cells = [str(n), stop.address, stop.side, f"{stop.owner} ({stop.lead_id})".lstrip(), stop.note]
            for (_, w), value in zip(_COLS[1:6], cells, strict=True):
                text_lines(pdf, x, y + 0.02, [clip(pdf, pdf_text(value), w - 0.08)], 9)
                x += w
            rule(pdf, x, y + 0.19, x + _COLS[6][1] - 0.05, gray=120)
            y += 0.27
    if skipped:
        if y + 0.6 > bottom:
            y = page()
        font(pdf, 11, "B")
        y = text_lines(pdf, 0.5, y + 0.15, ["Not on today's route (compliance)"], 11)
        for lead_id, owner, reason in skipped:
            if y + 0.25 > bottom:
                y = page()
            y = paragraph(pdf, 0.6, y, PAGE_W - 1.1, f"{lead_id}  {owner}: {reason}", 9, bottom=bottom, new_page=page)
    return output(pdf)


# ------------------------------------------------------------------ door hangers

HANGER_W, HANGER_H = PAGE_W / 2, PAGE_H
"""Two 4.25 x 11 in hangers per US Letter sheet, cut down the middle."""
KNOB_RADIUS = 0.75
KNOB_CENTER_Y = 1.15


@dataclass(frozen=True)
class Hanger:
    """One door hanger's words."""

    lead_id: str
    headline: str
    body: str


def hanger_for(
    lead: Lead, settings: Settings, at: datetime, template: str = "", *, dirs: Sequence[Path | str] = ()
) -> Hanger:
    """Render the door-hanger template: its first line is the headline, the rest the message."""
    text = render("door", template, merge_fields(lead, settings, "door", at), lead_id=lead.lead_id, dirs=dirs)
    head, _, body = text.partition("\n")
    return Hanger(lead.lead_id, head.strip(), body.strip())


def _draw_hanger(pdf: FPDF, x0: float, hanger: Hanger, settings: Settings, logo: Path | None) -> None:
    cx = x0 + HANGER_W / 2
    pdf.set_draw_color(160)
    pdf.set_line_width(0.01)
    pdf.set_dash_pattern(dash=0.06, gap=0.05)
    pdf.rect(x0 + 0.1, 0.1, HANGER_W - 0.2, HANGER_H - 0.2)
    pdf.ellipse(cx - KNOB_RADIUS, KNOB_CENTER_Y - KNOB_RADIUS, 2 * KNOB_RADIUS, 2 * KNOB_RADIUS)
    pdf.line(cx, 0.1, cx, KNOB_CENTER_Y - KNOB_RADIUS)  # the slit that lets it slip over the knob
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)
    inner_x, inner_w = x0 + 0.4, HANGER_W - 0.8
    y = KNOB_CENTER_Y + KNOB_RADIUS + 0.35
    if logo is not None:
        draw_logo(pdf, logo, inner_x, y, inner_w, 0.7)
        y += 0.85
    y = paragraph(pdf, inner_x, y, inner_w, hanger.headline, 20, "B", align="C", leading=0.34)
    y += 0.2
    for para in hanger.body.split("\n\n"):
        y = paragraph(pdf, inner_x, y, inner_w, para, 12, leading=0.21)
        y += 0.14
    foot = HANGER_H - 2.2
    rule(pdf, inner_x, foot - 0.1, inner_x + inner_w, gray=120)
    y = paragraph(pdf, inner_x, foot, inner_w, settings.agent_name, 14, "B", align="C")
    details = [settings.brokerage, f"License No. {settings.license_number}", settings.phone, settings.email, settings.website]
    for d in details:
        if d.strip():
            y = paragraph(pdf, inner_x, y, inner_w, d, 10, align="C")
    font(pdf, 7)
    text_lines(pdf, inner_x, HANGER_H - 0.45, [pdf_text("Left on your door - never in your mailbox.")], 7, align="C", width=inner_w)


def door_hangers_pdf(hangers: Sequence[Hanger], settings: Settings, at: datetime) -> bytes:
    """Two hangers per sheet with cut lines and the knob hole marked."""
    settings.require("AgentName", "Brokerage", "LicenseNumber")
    logo = logo_file(settings)
    pdf = new_pdf(f"Door hangers {at.astimezone(settings.tz):%Y-%m-%d}", settings, at)
    for i, hanger in enumerate(hangers):
        if i % 2 == 0:
            pdf.add_page()
        _draw_hanger(pdf, (i % 2) * HANGER_W, hanger, settings, logo)
    if not hangers:
        pdf.add_page()
        paragraph(pdf, 0.5, 0.5, PAGE_W - 1, "No door hangers today.", 12)
    return output(pdf)

