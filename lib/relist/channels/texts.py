"""Texts the agent sends by hand, one at a time: rendered template, SMS segment count and an sms: link.

Relist never sends texts itself (no bulk or scheduled cold texts, see
shared/reference/compliance.md); the queue shows the text and the link, the
agent sends it from a phone and logs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from relist.channels.templates import merge_fields, render
from relist.errors import TemplateError
from relist.model import Lead
from relist.settings import Settings

# GSM 03.38 default alphabet (3GPP TS 23.038, 6.2.1), without the escape character.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
"""Characters sent as escape + code: each takes two septets."""

GSM_SINGLE, GSM_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

_STOP = re.compile(r"\bSTOP\b")


@dataclass(frozen=True)
class Segments:
    """How an SMS body is encoded and how many parts the carrier will bill."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # capacity of each segment at this length

    def describe(self) -> str:
        noun = "segment" if self.segments == 1 else "segments"
        unit = "septets" if self.encoding == "GSM-7" else "UCS-2 units"
        return f"{self.segments} {noun} ({self.encoding}, {self.units} {unit})"


def _pack(costs: Sequence[int], single: int, multi: int) -> int:
    """Segments needed when no character (escape pair, surrogate pair) may be split across parts."""
    total = sum(costs)
    if total <= single:
        return 1 if total else 0
    count, used = 1, 0
    for c in costs:
        if used + c > multi:
            count += 1
            used = 0
        used += c
    return count


def sms_segments(text: str) -> Segments:
    """GSM-7 when every character is in the GSM alphabet (extension characters count double), else UCS-2."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        costs = [2 if ch in GSM_EXTENSION else 1 for ch in text]
        n = _pack(costs, GSM_SINGLE, GSM_MULTI)
        return Segments("GSM-7", sum(costs), n, GSM_SINGLE if n <= 1 else GSM_MULTI)
    costs = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    n = _pack(costs, UCS2_SINGLE, UCS2_MULTI)
    return Segments("UCS-2", sum(costs), n, UCS2_SINGLE if n <= 1 else UCS2_MULTI)


def non_gsm_characters(text: str) -> list[str]:
    """The characters that force UCS-2 (e.g. curly quotes, emoji), so the agent can replace them."""
    return sorted({ch for ch in text if ch not in GSM_BASIC and ch not in GSM_EXTENSION})


def sms_link(number: str, body: str) -> str:
    """An RFC 5724 sms: URI that opens the phone's messaging app with the body filled in."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return f"sms:{digits}?body={quote(body, safe='')}"


def check_text(text: str, settings: Settings, template_name: str) -> None:
    """Refuse a text without the opt-out line or without the brokerage name (an ad under license law)."""
    if not _STOP.search(text):
        raise TemplateError(
            f"Text template {template_name!r} has no opt-out line (the word STOP).",
            "Add {{ opt_out }} (Reply STOP to opt out.) to the template.",
        )
    brokerage = settings.brokerage.strip()
    if not brokerage:
        raise TemplateError(
            "Settings > Brokerage is blank; every text must name your brokerage.", "Fill it in on the Settings sheet."
        )
    if brokerage.lower() not in text.lower():
        raise TemplateError(
            f"Text template {template_name!r} does not name your brokerage ({brokerage}).",
            "Add {{ brokerage }} to the template: license law treats the text as an advertisement.",
        )


def render_text(
    template_name: str, lead: Lead, settings: Settings, *, dirs: Sequence[Path | str] = ()
) -> str:
    """The text for one lead, refused (TemplateError) when a merge field is missing, or the opt-out or brokerage is absent."""
    text = render("texts", template_name, merge_fields(lead, settings, "texts"), lead_id=lead.lead_id, dirs=dirs)
    check_text(text, settings, template_name.strip() or "first-text")
    return text


@dataclass(frozen=True)
class TextMessage:
    """A text ready for the agent to send by hand."""

    lead_id: str
    phone: str
    body: str
    segments: Segments
    link: str


def text_message(
    lead: Lead, settings: Settings, phone: str, template_name: str = "", *, dirs: Sequence[Path | str] = ()
) -> TextMessage:
    """The rendered text, its segment count and its sms: link for one lead and phone."""
    body = render_text(template_name, lead, settings, dirs=dirs)
    return TextMessage(lead.lead_id, phone, body, sms_segments(body), sms_link(phone, body))
