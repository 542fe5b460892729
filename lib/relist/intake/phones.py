"""Owner phone cells -> E.164 numbers with extension, kind hint and inline DNC marker.

A cell may hold several numbers ("813-555-0142 / (727) 555-0188 x12; cell 352.555.0101"),
labels ("Cell:", "(H)"), an inline DNC marker, or nothing usable ("PRIVACY", blank).
Error policy: blank and privacy words give no number and no error; a part that is not
a phone number is returned in `bad` for the caller to keep (never dropped silently).
Speed: the common one-number NANP cell takes a regex path whose validity is decided by
phonenumbers once per area code + exchange (validity and type depend only on those 6
digits in NANP metadata; tests compare both paths).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from relist.intake.problems import CellError

_NANP = re.compile(r"^\s*(?:\+?\s*1[\s.\-]*)?\(?\s*([2-9]\d\d)\s*\)?[\s.\-/]*([2-9]\d\d)[\s.\-]*(\d{4})\s*$")
_SPLIT = re.compile(r"[;|,\n\r]+|\s+(?:or|and)\s+|\s*&\s*", re.IGNORECASE)
_EXT = re.compile(r"\s*(?:ext\.?|extension|ex\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_DNC = re.compile(r"\(?\*?\b(?:dnc|do\s+not\s+call)\b\*?\)?", re.IGNORECASE)
_MOBILE = re.compile(r"\b(?:cell|mobile|mob|wireless)\b|\(\s*[cm]\s*\)", re.IGNORECASE)
_LANDLINE = re.compile(r"\b(?:home|landline|land)\b|\(\s*h\s*\)", re.IGNORECASE)
_LABELS = re.compile(r"[A-Za-z]+\s*:|\(\s*[A-Za-z]+\s*\)|\b[A-Za-z]{2,}\b")
_FOLD = re.compile(r"[^0-9a-z]+")
_PRIVACY = frozenset(
    {"", "privacy", "private", "privacyprotected", "unlisted", "na", "none", "unknown", "null",
     "nophone", "notavailable", "0", "withheld", "nonpublished", "nonpub", "blocked"}
)

_TYPE_KIND = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.VOIP: "voip",
}


class ParsedPhone(NamedTuple):
    """One number found in a cell."""

    e164: str
    extension: str = ""
    kind: str = "unknown"
    dnc: bool = False


class PhoneCell(NamedTuple):
    """Everything found in one phone cell: the numbers, and the parts that were not numbers."""

    phones: tuple[ParsedPhone, ...] = ()
    bad: tuple[str, ...] = ()


@lru_cache(maxsize=65536)
def _nanp_prefix(npa_nxx: str) -> tuple[bool, str]:
    """(valid, kind) for a NANP area code + exchange, asked of phonenumbers once."""
    n = phonenumbers.parse(f"+1{npa_nxx}0100")
    return phonenumbers.is_valid_number(n), _TYPE_KIND.get(phonenumbers.number_type(n), "unknown")


def fast_nanp(cell: str) -> tuple[str, str] | None:
    """(E.164, kind) for a cell holding exactly one valid NANP number written a common way, else None."""
    m = _NANP.match(cell)
    if m is None:
        return None
    npa, nxx, line = m.group(1, 2, 3)
    valid, kind = _nanp_prefix(npa + nxx)
    return (f"+1{npa}{nxx}{line}", kind) if valid else None


def _full_parse(text: str) -> tuple[str, str, str]:
    """(E.164, extension, kind) by phonenumbers; raises CellError."""
    try:
        n = phonenumbers.parse(text, "US")
    except NumberParseException as exc:
        raise CellError(f"{text!r} is not a phone number.") from exc
    if not phonenumbers.is_valid_number(n):
        raise CellError(f"{text!r} is not a valid phone number (check the digits and the area code).")
    kind = _TYPE_KIND.get(phonenumbers.number_type(n), "unknown")
    return phonenumbers.format_number(n, PhoneNumberFormat.E164), n.extension or "", kind


def normalize_phone(text: str) -> tuple[str, str, str]:
    """One phone number written any common way -> (E.164, extension, kind); raises CellError."""
    m = _NANP.match(text)
    if m:
        prefix = m.group(1) + m.group(2)
        valid, kind = _nanp_prefix(prefix)
        if not valid:
            raise CellError(f"{text.strip()!r} is not a valid phone number (check the digits and the area code).")
        return f"+1{prefix}{m.group(3)}", "", kind
    ext = ""
    e = _EXT.search(text)
    if e and sum(ch.isdigit() for ch in text[: e.start()]) >= 10:
        ext, text = e.group(1), text[: e.start()]
        m = _NANP.match(text)
        if m:
            number, _, kind = normalize_phone(text)
            return number, ext, kind
    digits = sum(ch.isdigit() for ch in text)
    if digits == 7:
        raise CellError(f"{text.strip()!r} has no area code.")
    if digits < 7:
        raise CellError(f"{text.strip()!r} is not a phone number.")
    number, ext2, kind = _full_parse(text)
    return number, ext or ext2, kind


def is_blank_phone(text: str) -> bool:
    """True for an empty cell or a privacy word ("PRIVACY", "N/A", "Unlisted"...)."""
    return _FOLD.sub("", text.lower()) in _PRIVACY


def _part(text: str) -> ParsedPhone:
    dnc = False
    if _DNC.search(text):
        dnc = True
        text = _DNC.sub(" ", text)
    kind_hint = "mobile" if _MOBILE.search(text) else "landline" if _LANDLINE.search(text) else ""
    e = _EXT.search(text)
    core = text
    ext = ""
    if e and sum(ch.isdigit() for ch in text[: e.start()]) >= 10:
        ext, core = e.group(1), text[: e.start()]
    core = _LABELS.sub(" ", core)
    number, ext2, kind = normalize_phone(core)
    return ParsedPhone(number, ext or ext2, kind_hint or kind, dnc)


_cell_cache: dict[str, PhoneCell] = {}


def parse_phone_cell(cell: str) -> PhoneCell:
    """All numbers of a phone cell, in order, without repeats; unusable parts in `bad`."""
    m = _NANP.match(cell)
    if m:
        prefix = m.group(1) + m.group(2)
        valid, kind = _nanp_prefix(prefix)
        if valid:
            return PhoneCell((ParsedPhone(f"+1{prefix}{m.group(3)}", "", kind),))
    got = _cell_cache.get(cell)
    if got is not None:
        return got
    if is_blank_phone(cell):
        result = PhoneCell()
    else:
        phones: list[ParsedPhone] = []
        bad: list[str] = []
        for raw in _SPLIT.split(cell):
            piece = raw.strip()
            if not piece or is_blank_phone(piece):
                continue
            for sub in _slash_parts(piece):
                try:
                    p = _part(sub)
                except CellError:
                    bad.append(sub.strip())
                    continue
                if all(q.e164 != p.e164 for q in phones):
                    phones.append(p)
        result = PhoneCell(tuple(phones), tuple(bad))
    if len(_cell_cache) > 50_000:
        _cell_cache.clear()
    _cell_cache[cell] = result
    return result


def _slash_parts(piece: str) -> list[str]:
    """'813-555-0142 / 727-555-0188' is two numbers; '813/555-0142' is one."""
    if "/" not in piece:
        return [piece]
    parts = piece.split("/")
    if all(sum(ch.isdigit() for ch in p) >= 10 for p in parts):
        return parts
    return [piece]


def display(e164: str) -> str:
    """A NANP number as (813) 555-0142; other numbers as international text."""
    if len(e164) == 12 and e164.startswith("+1"):
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), PhoneNumberFormat.INTERNATIONAL)
    except NumberParseException:
        return e164
