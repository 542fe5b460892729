"""Small PDF drawing helpers over fpdf2: US Letter in inches, core fonts, fast word wrap.

fpdf2's multi_cell is slow for hundreds of pages, so text is wrapped here with
the font's own widths and drawn line by line. The core PDF fonts (Helvetica,
Times) cover Latin-1 only; other characters are mapped to their nearest
Latin-1 form so a name like "Nguyễn" prints as "Nguyen" rather than failing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from relist.errors import BadInput
from relist.settings import Settings

if TYPE_CHECKING:
    from fpdf import FPDF

PAGE_W, PAGE_H = 8.5, 11.0
"""US Letter in inches."""

PT = 1 / 72
"""One typographic point in inches."""

_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2022": "\xb7",
        "\u00a0": " ",
        "\u2009": " ",
        "\u20ac": "EUR",
        "\u2122": "(TM)",
    }
)


def pdf_text(text: object) -> str:
    """Text the core fonts can draw: typographic punctuation simplified, non-Latin-1 letters decomposed."""
    s = str(text).translate(_PUNCT)
    try:
        s.encode("latin-1")
        return s
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    for ch in s:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode("latin-1")
                out.append(base)
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def new_pdf(title: str, settings: Settings, at: datetime) -> FPDF:
    """A US Letter document in inches with metadata; the creation date is `at`, so output is reproducible."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="in", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0.5, 0.5, 0.5)
    pdf.set_title(pdf_text(title))
    author = ", ".join(p for p in (settings.agent_name, settings.brokerage) if p)
    if author:
        pdf.set_author(pdf_text(author))
    pdf.set_creator("Relist")
    pdf.set_creation_date(at)
    return pdf


def font(pdf: FPDF, size: float, style: str = "", family: str = "Helvetica") -> None:
    pdf.set_font(family, style=style, size=size)


PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b")
"""A North American phone number as written in a sentence; wrap() never breaks one across lines."""


def keep_phones_whole(text: str) -> str:
    """Spaces inside phone numbers made non-breaking, so '(813) 555-0142' is never split across lines."""
    return PHONE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines of `text` (already pdf-safe) no wider than `width` in the current font; newlines are kept, phone numbers whole."""
    measure = pdf.get_string_width
    lines: list[str] = []
    text = keep_phones_whole(text)
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width or not line and measure(word) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while measure(line) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and measure(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def text_lines(
    pdf: FPDF,
    x: float,
    y: float,
    lines: list[str],
    size: float,
    leading: float | None = None,
    align: str = "L",
    width: float = 0.0,
    bottom: float | None = None,
    new_page: Callable[[], float] | None = None,
) -> float:
    """Draw lines from top `y`; returns the y below the last line. Past `bottom`, `new_page()` gives a fresh top."""
    step = leading if leading is not None else size * PT * 1.25
    ascent = size * PT * 0.78
    for line in lines:
        if bottom is not None and y + step > bottom and new_page is not None:
            y = new_page()
        if line:
            lx = x
            if align == "R":
                lx = x + width - pdf.get_string_width(line)
            elif align == "C":
                lx = x + (width - pdf.get_string_width(line)) / 2
            pdf.text(lx, y + ascent, line)
        y += step
    return y


def paragraph(
    pdf: FPDF,
    x: float,
    y: float,
    width: float,
    text: str,
    size: float,
    style: str = "",
    leading: float | None = None,
    align: str = "L",
    bottom: float | None = None,
    new_page: Callable[[], float] | None = None,
) -> float:
    """Wrap and draw text in a column; returns the y below it."""
    font(pdf, size, style)
    lines = wrap(pdf, pdf_text(text), width)

    def fresh() -> float:
        assert new_page is not None
        top = new_page()
        font(pdf, size, style)
        return top

    return text_lines(pdf, x, y, lines, size, leading, align, width, bottom, fresh if new_page else None)


def fit_lines(pdf: FPDF, lines: list[str], width: float, height: float, size: float, min_size: float, style: str = "") -> float:
    """The largest font size <= `size` at which every line fits `width` and all fit `height`."""
    s = size
    while s > min_size:
        font(pdf, s, style)
        if all(pdf.get_string_width(line) <= width for line in lines) and len(lines) * s * PT * 1.2 <= height:
            return s
        s -= 0.5
    font(pdf, min_size, style)
    return min_size


def clip(pdf: FPDF, line: str, width: float) -> str:
    """The line cut (with ...) to fit `width` in the current font."""
    if pdf.get_string_width(line) <= width:
        return line
    while line and pdf.get_string_width(line + "...") > width:
        line = line[:-1]
    return line + "..."


def logo_file(settings: Settings) -> Path | None:
    """Settings > Logo file as a readable image, None when blank; refused when it names no file."""
    raw = settings.logo_path.strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise BadInput(f"Settings > Logo file is {raw!r}, which is not a file.", "Fix the path or clear the cell.")
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif"):
        raise BadInput(f"Settings > Logo file {raw!r} is not a PNG, JPEG or GIF image.", "Save the logo as PNG and point Logo file at it.")
    return path


def draw_logo(pdf: FPDF, path: Path, x: float, y: float, max_w: float, max_h: float, align: str = "L") -> float:
    """Place the logo inside a box, keeping its shape; returns the width used."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            pw, ph = img.size
    except (OSError, UnidentifiedImageError) as exc:
        raise BadInput(f"Settings > Logo file {str(path)!r} cannot be read as an image ({exc}).", "Save the logo as PNG.") from exc
    ratio = pw / ph if ph else 1.0
    w, h = max_w, max_w / ratio
    if h > max_h:
        h, w = max_h, max_h * ratio
    left = x + (max_w - w) if align == "R" else x
    pdf.image(str(path), x=left, y=y, w=w, h=h)
    return w


def rule(pdf: FPDF, x1: float, y: float, x2: float, gray: int = 150, width: float = 0.01) -> None:
    pdf.set_draw_color(gray)
    pdf.set_line_width(width)
    pdf.line(x1, y, x2, y)
    pdf.set_draw_color(0)


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
