"""Letters merged into one print-ready PDF: US Letter, the address where a #10 window shows it, a signature block.

Address window geometry (inches from the top-left of the letter, the sheet
tri-folded into a #10 window envelope): recipient block at (0.5, 2.042), at
most 3.5 wide and 0.875 tall; return address at (0.5, 0.5), at most 3.5 x
0.792; body from 3.375 down. Source: PostalMethods developer's guide, "How To
Place Content In The Document" (postalmethods.com/resources/developers-guide/127).
USPS address style (capitals, no punctuation but . / - #, sans-serif 10-12 pt):
PostalMethods "USPS-Specific Instructions" (postalmethods.com/resources/reference/usps).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from relist.channels.printing import (
    PAGE_H,
    PAGE_W,
    PT,
    clip,
    draw_logo,
    fit_lines,
    font,
    logo_file,
    new_pdf,
    output,
    paragraph,
    pdf_text,
    rule,
    text_lines,
)
from relist.channels.templates import city_line, long_date, merge_fields, owner_first_names, render
from relist.errors import BadInput, TemplateError
from relist.model import Lead
from relist.settings import Settings

if TYPE_CHECKING:
    from fpdf import FPDF


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, inches from the top-left corner."""

    x: float
    y: float
    w: float
    h: float


RECIPIENT_WINDOW = Box(0.5, 2.042, 3.5, 0.875)
RETURN_WINDOW = Box(0.5, 0.5, 3.5, 0.792)
BODY_TOP = 3.375
BODY_X, BODY_W = 1.0, 6.5
BODY_BOTTOM = 9.9
FOLDS = (PAGE_H / 3, PAGE_H * 2 / 3)

LETTER_SETTINGS = ("AgentName", "Brokerage", "LicenseNumber")
"""Settings a letter refuses to go without (license law: brokerage and license on every ad)."""

_USPS_DROP = re.compile(r"[^A-Z0-9 #/\-&.']")


def usps_line(text: str) -> str:
    """An address line in USPS style: capitals, no punctuation except . / - # & ', single spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    up = _USPS_DROP.sub(" ", plain.upper().replace(",", " "))
    return " ".join(up.split())


UNIT_DESIGNATORS: dict[str, str] = {
    "APARTMENT": "APT", "APT": "APT", "BUILDING": "BLDG", "BLDG": "BLDG", "DEPARTMENT": "DEPT", "DEPT": "DEPT",
    "FLOOR": "FL", "FL": "FL", "ROOM": "RM", "RM": "RM", "SUITE": "STE", "STE": "STE", "UNIT": "UNIT", "#": "#",
    "OFFICE": "OFC", "OFC": "OFC", "SPACE": "SPC", "SPC": "SPC", "LOT": "LOT", "PENTHOUSE": "PH", "PH": "PH",
}
"""Secondary unit designators and their USPS abbreviations (Publication 28, Appendix C2)."""

_UNIT_PART = re.compile(r"^(#|[A-Za-z]+\.?)\s*(#?\s*[\w-]+)$")


def postal_lines(address: str) -> tuple[str, ...]:
    """A one-line postal address as USPS lines: the suite on the street line, city, state and ZIP on the last.

    '123 Main St, Suite 200, Tampa, FL 33602' -> ('123 MAIN ST STE 200', 'TAMPA FL 33602')
    (Publication 28, 213: the secondary address unit goes on the delivery address line).
    """
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) <= 1:
        return tuple(usps_line(p) for p in parts)
    street = [parts[0]]
    rest = parts[1:]
    while rest:
        m = _UNIT_PART.match(rest[0])
        word = m.group(1).rstrip(".").upper() if m else ""
        if m and word in UNIT_DESIGNATORS:
            street.append(f"{UNIT_DESIGNATORS[word]} {m.group(2).lstrip('#').strip()}" if word != "#" else f"# {m.group(2).strip()}")
            rest = rest[1:]
        else:
            break
    lines = [" ".join(street)]
    if rest:
        lines.append(" ".join(rest))
    return tuple(usps_line(x) for x in lines)


def check_salutation(lead: Lead, body: str, template: str) -> None:
    """Refuse a letter that greets fewer owners than its address block names ('Dear Matthew,' to Matthew and Grace)."""
    firsts = owner_first_names(lead)
    first_line = body.strip().splitlines()[0] if body.strip() else ""
    if len(firsts) < 2 or not re.match(r"(?i)(dear|hello|hi)\b", first_line):
        return
    missing = [f for f in firsts if f.lower() not in first_line.lower()]
    if missing:
        raise TemplateError(
            f"Letter template {template or 'expired-letter'!r} greets {first_line.rstrip(',')!r} but the letter is addressed "
            f"to {' and '.join(firsts)} (lead {lead.lead_id}).",
            "Greet every owner: write Dear {{ salutation | default('Homeowner') }}, in the template.",
        )


def mailing_block(lead: Lead) -> tuple[str, ...]:
    """Where a letter to this owner goes: the mailing address for absentee owners, else the property."""
    names = [n for n in (lead.owner_name.strip(), lead.owner_name2.strip()) if n] or ["Current Owner"]
    if lead.absentee:
        street, last = lead.mailing_address.strip(), city_line(lead.mailing_city, lead.mailing_state, lead.mailing_postal_code)
        if not street or not (lead.mailing_postal_code.strip() or lead.mailing_city.strip()):
            raise BadInput(
                f"Lead {lead.lead_id} is an absentee owner with no complete mailing address.",
                "Fill in Leads > Mailing address, Mailing city, Mailing state and Mailing ZIP.",
            )
    else:
        street = lead.property_address.strip()
        if street and lead.unit.strip():
            street = f"{street} #{lead.unit.strip().lstrip('#')}"
        last = city_line(lead.city, lead.state, lead.postal_code)
        if not street or not (lead.postal_code.strip() or lead.city.strip()):
            raise BadInput(
                f"Lead {lead.lead_id} has no complete property address to mail to.",
                "Fill in Leads > Address, City, State and ZIP.",
            )
    return tuple(usps_line(x) for x in (*names, street, last))


@dataclass(frozen=True)
class Letter:
    """One merged letter: who it goes to and the rendered body."""

    lead_id: str
    address: tuple[str, ...]
    body: str


def letter_for(
    lead: Lead, settings: Settings, at: datetime, template: str = "", *, dirs: Sequence[Path | str] = ()
) -> Letter:
    """Render one lead's letter; refused (BadInput/TemplateError) when the address or a merge field is missing."""
    block = mailing_block(lead)
    body = render("letters", template, merge_fields(lead, settings, "letters", at), lead_id=lead.lead_id, dirs=dirs)
    check_salutation(lead, body, template)
    return Letter(lead.lead_id, block, body)


def _letterhead(pdf: FPDF, settings: Settings, logo: Path | None) -> None:
    # Return address, placed to show through the upper window of a double-window envelope.
    ret = [usps_line(x) for x in (settings.agent_name, settings.brokerage) if x.strip()]
    ret += list(postal_lines(settings.postal_address))
    size = fit_lines(pdf, ret, RETURN_WINDOW.w, RETURN_WINDOW.h, 9, 7)
    text_lines(pdf, RETURN_WINDOW.x, RETURN_WINDOW.y, ret, size, size * PT * 1.2)
    # Branding on the right.
    top = 0.5
    if logo is not None:
        draw_logo(pdf, logo, PAGE_W - 0.5 - 2.0, top, 2.0, 0.6, align="R")
        top += 0.7
    font(pdf, 13, "B")
    text_lines(pdf, 4.5, top, [pdf_text(settings.brokerage)], 13, align="R", width=PAGE_W - 0.5 - 4.5)
    contact = [settings.agent_name, f"License No. {settings.license_number}", settings.phone, settings.email, settings.website]
    font(pdf, 9)
    text_lines(pdf, 4.5, top + 0.25, [pdf_text(c) for c in contact if c.strip()], 9, align="R", width=PAGE_W - 0.5 - 4.5)


def _fold_marks(pdf: FPDF) -> None:
    pdf.set_draw_color(170)
    pdf.set_line_width(0.005)
    for y in FOLDS:
        pdf.line(0.15, y, 0.35, y)
    pdf.set_draw_color(0)


def _footer(pdf: FPDF, settings: Settings) -> None:
    parts = [settings.brokerage, f"{settings.agent_name}, License No. {settings.license_number}", settings.postal_address]
    lines = [
        " | ".join(p for p in parts if p.strip()),
        "If your home is listed with another broker right now, please disregard this letter; "
        "it is not meant to solicit another broker's listing.",
    ]
    rule(pdf, BODY_X, 10.2, BODY_X + BODY_W, gray=190)
    y = 10.27
    for line in lines:
        y = paragraph(pdf, BODY_X, y, BODY_W, line, 7, align="C")


def _signature(pdf: FPDF, y: float, settings: Settings, new_page: Callable[[], float]) -> float:
    block_h = 1.35
    if y + block_h > BODY_BOTTOM:
        y = new_page()
    font(pdf, 11)
    y = text_lines(pdf, BODY_X, y + 0.1, ["Sincerely,"], 11)
    y += 0.45  # room to sign by hand
    font(pdf, 11, "B")
    y = text_lines(pdf, BODY_X, y, [pdf_text(settings.agent_name)], 11)
    font(pdf, 10)
    details = [settings.brokerage, f"License No. {settings.license_number}",
               "  |  ".join(x for x in (settings.phone, settings.email) if x.strip()), settings.website]
    return text_lines(pdf, BODY_X, y, [pdf_text(d) for d in details if d.strip()], 10)


def draw_letter(pdf: FPDF, letter: Letter, settings: Settings, at: datetime, logo: Path | None) -> None:
    """One letter (one page, more when the body is long) at the end of `pdf`."""
    pdf.add_page()
    _letterhead(pdf, settings, logo)
    _fold_marks(pdf)
    size = fit_lines(pdf, list(letter.address), RECIPIENT_WINDOW.w, RECIPIENT_WINDOW.h, 11, 8)
    lines = [clip(pdf, line, RECIPIENT_WINDOW.w) for line in letter.address[-5:]]
    text_lines(pdf, RECIPIENT_WINDOW.x, RECIPIENT_WINDOW.y, lines, size, size * PT * 1.2)
    _footer(pdf, settings)

    page = [1]

    def continuation() -> float:
        page[0] += 1
        pdf.add_page()
        font(pdf, 9)
        text_lines(pdf, BODY_X, 0.6, [pdf_text(f"{letter.address[0].title()} - page {page[0]}")], 9)
        _footer(pdf, settings)
        return 1.0

    y = paragraph(pdf, BODY_X, BODY_TOP, BODY_W, long_date(at.astimezone(settings.tz)), 11)
    y += 0.2
    for para in letter.body.split("\n\n"):
        y = paragraph(pdf, BODY_X, y, BODY_W, para, 11, leading=0.2, bottom=BODY_BOTTOM, new_page=continuation)
        y += 0.12
    _signature(pdf, y, settings, continuation)


def letters_pdf(letters: Sequence[Letter], settings: Settings, at: datetime) -> bytes:
    """All letters merged into one PDF, each starting on a new sheet."""
    settings.require(*LETTER_SETTINGS)
    if not letters:
        raise BadInput("There are no letters to print.", "No lead is due a letter that may be mailed; see the skipped list.")
    logo = logo_file(settings)
    pdf = new_pdf(f"Letters {at.astimezone(settings.tz):%Y-%m-%d}", settings, at)
    for letter in letters:
        draw_letter(pdf, letter, settings, at, logo)
    return output(pdf)
