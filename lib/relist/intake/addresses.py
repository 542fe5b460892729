"""Street addresses: components for letters, and a folded key for matching.

The key folds case, punctuation, street suffixes and directionals (USPS Publication 28,
Appendix C1/C2 standard abbreviations), and every unit designator (Apt, Unit, Ste, #...)
to '#', then adds the ZIP (or the city when there is no ZIP): "123 North Main Street,
Apt. 4" in 33602 and "123 N MAIN ST #4" in 33602 give the same key.
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypeVar

from relist.intake.problems import CellError

_SUFFIXES: dict[str, str] = {}
for _std, _variants in {
    "ALY": "ALLEY ALLEE ALLY", "AVE": "AVENUE AV AVEN AVENU AVN AVNUE", "BLVD": "BOULEVARD BOUL BOULV",
    "BND": "BEND", "BLF": "BLUFF", "BR": "BRANCH BRNCH", "BRG": "BRIDGE BRDGE", "BRK": "BROOK",
    "BYP": "BYPASS BYPA BYPAS BYPS", "CSWY": "CAUSEWAY CAUSWA", "CTR": "CENTER CEN CENT CENTR CENTRE CNTER CNTR",
    "CIR": "CIRCLE CIRC CIRCL CRCL CRCLE", "CLF": "CLIFF", "CLB": "CLUB", "CMN": "COMMON", "COR": "CORNER",
    "CT": "COURT CRT", "CTS": "COURTS", "CV": "COVE", "CRK": "CREEK", "CRES": "CRESCENT CRSENT CRSNT",
    "XING": "CROSSING CRSSNG", "CYN": "CANYON CANYN CNYN", "DL": "DALE", "DR": "DRIVE DRIV DRV",
    "EST": "ESTATE", "ESTS": "ESTATES", "EXPY": "EXPRESSWAY EXP EXPR EXPRESS EXPW", "EXT": "EXTENSION EXTN EXTNSN",
    "FLS": "FALLS", "FRY": "FERRY FRRY", "FLD": "FIELD", "FLDS": "FIELDS", "FRST": "FOREST FORESTS",
    "FRK": "FORK", "FWY": "FREEWAY FREEWY FRWAY FRWY", "GDNS": "GARDENS GARDN GRDEN GRDN", "GTWY": "GATEWAY GATEWY GATWAY GTWAY",
    "GLN": "GLEN", "GRN": "GREEN", "GRV": "GROVE GROV", "HBR": "HARBOR HARB HARBR HRBOR", "HVN": "HAVEN",
    "HTS": "HEIGHTS HT", "HWY": "HIGHWAY HIGHWY HIWAY HIWY HWAY", "HL": "HILL", "HLS": "HILLS",
    "HOLW": "HOLLOW HLLW HOLLOWS HOLWS", "IS": "ISLAND ISLND", "JCT": "JUNCTION JCTION JCTN JUNCTN JUNCTON",
    "KNL": "KNOLL KNOL", "LK": "LAKE", "LKS": "LAKES", "LNDG": "LANDING LNDNG", "LN": "LANE",
    "LOOP": "LOOPS", "MNR": "MANOR", "MDW": "MEADOW", "MDWS": "MEADOWS MEDOWS", "ML": "MILL",
    "MT": "MOUNT MNT", "MTN": "MOUNTAIN MNTAIN MNTN MOUNTIN MTIN", "ORCH": "ORCHARD ORCHRD",
    "PKWY": "PARKWAY PARKWY PKWAY PKY PARKWAYS PKWYS", "PL": "PLACE", "PLZ": "PLAZA PLZA", "PT": "POINT",
    "PRT": "PORT", "PR": "PRAIRIE PRR", "RNCH": "RANCH RANCHES RNCHS", "RDG": "RIDGE RDGE", "RD": "ROAD",
    "RDS": "ROADS", "RTE": "ROUTE", "SHR": "SHORE", "SHRS": "SHORES", "SPG": "SPRING SPNG SPRNG",
    "SPGS": "SPRINGS SPNGS SPRNGS", "SQ": "SQUARE SQR SQRE SQU", "STA": "STATION STATN STN",
    "ST": "STREET STRT STR SAINT", "SMT": "SUMMIT SUMIT SUMITT", "TER": "TERRACE TERR",
    "TRCE": "TRACE TRACES", "TRL": "TRAIL TRAILS TRLS", "TPKE": "TURNPIKE TRNPK TURNPK", "VLY": "VALLEY VALLY VLLY",
    "VIA": "VIADUCT VDCT VIADCT", "VW": "VIEW", "VLG": "VILLAGE VILL VILLAG VILLG VILLIAGE", "VIS": "VISTA VIST VST VSTA",
    "WAY": "WY", "WL": "WELL", "N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST", "NE": "NORTHEAST",
    "NW": "NORTHWEST", "SE": "SOUTHEAST", "SW": "SOUTHWEST", "1ST": "FIRST", "2ND": "SECOND", "3RD": "THIRD",
    "4TH": "FOURTH", "5TH": "FIFTH", "6TH": "SIXTH", "7TH": "SEVENTH", "8TH": "EIGHTH", "9TH": "NINTH",
    "10TH": "TENTH", "11TH": "ELEVENTH", "12TH": "TWELFTH",
}.items():
    _SUFFIXES[_std] = _std
    for _v in _variants.split():
        _SUFFIXES[_v] = _std

_UNIT_WORDS = frozenset(
    ["APT", "APARTMENT", "UNIT", "STE", "SUITE", "BLDG", "BUILDING", "LOT", "SPC", "SPACE", "RM", "ROOM", "FL", "FLOOR", "PH", "PENTHOUSE", "TRLR", "TRAILER", "DEPT", "HNGR", "KEY", "OFC", "OFFICE", "PIER", "SLIP"]
)
_DIRECTIONS = frozenset({"N", "S", "E", "W", "NE", "NW", "SE", "SW"})
_UNIT_TAIL = re.compile(
    r"(?:[\s,]+(?:apt|apartment|unit|ste|suite|bldg|building|lot|spc|space|rm|room|fl|floor|ph|trlr|no)\.?\s*#?\s*|\s*#\s*)"
    r"([A-Za-z0-9][A-Za-z0-9\-]*)\s*$",
    re.IGNORECASE,
)
_UNIT_PREFIXES = ("APT", "APARTMENT", "UNIT", "STE", "SUITE", "BLDG", "BUILDING", "LOT", "SPC", "SPACE", "RM", "ROOM",
                  "FL", "FLOOR", "PH", "TRLR", "NO")
"""The designators _UNIT_TAIL knows, for a quick test that a street line has no unit."""
_PUNCT = re.compile(r"[^\w#]+")
_TAIL = re.compile(r"[,\s]+([A-Za-z]{2})\.?\s*,?\s*(\d{5})(?:-?\d{4})?\s*$")
_ZIP = re.compile(r"^\s*(\d{3,5})(?:-?\d{4})?(?:\.0+)?\s*$")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[A-Za-z]")

STATES: dict[str, str] = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA", "COLORADO": "CO",
    "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC", "FLORIDA": "FL", "GEORGIA": "GA",
    "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL", "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS",
    "KENTUCKY": "KY", "LOUISIANA": "LA", "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA",
    "MICHIGAN": "MI", "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM",
    "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK",
    "OREGON": "OR", "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY", "PUERTO RICO": "PR", "GUAM": "GU",
    "VIRGIN ISLANDS": "VI",
}
STATE_CODES = frozenset(STATES.values())


class Address(NamedTuple):
    """A postal address in components; `street` is the line without the unit (a tuple: one is made per row)."""

    street: str = ""
    unit: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""

    @property
    def line(self) -> str:
        """The street line with its unit, for letters."""
        return f"{self.street} #{self.unit}" if self.unit else self.street


def state_code(text: str) -> str:
    """'FL', 'fl', 'Florida' -> 'FL'; raises CellError for anything else; blank -> ''."""
    s = _SPACES.sub(" ", text.strip().strip(".").upper())
    if not s:
        return ""
    if s in STATE_CODES:
        return s
    code = STATES.get(s)
    if code is None:
        raise CellError(f"{text.strip()!r} is not a US state.")
    return code


def postal_code(text: str) -> str:
    """'33602', '33602-1234', '2134' (a ZIP that lost its leading zero in a spreadsheet) -> 5 digits."""
    s = text.strip()
    if not s:
        return ""
    m = _ZIP.match(s)
    if not m:
        raise CellError(f"{s!r} is not a ZIP code.")
    return m.group(1).zfill(5)


def _unit_id(w: str) -> bool:
    return len(w) == 1 or any(ch.isdigit() for ch in w)


def _pretty_word(w: str) -> str:
    if w in _DIRECTIONS or len(w) == 1 or w == "PO":
        return w
    if w[0].isdigit():
        return w.lower()
    if "'" in w:
        return "'".join(p.capitalize() for p in w.split("'"))
    return w.capitalize()


_MEMO_LIMIT = 100_000
_word_memo: dict[str, str] = {}
_rest_memo: dict[str, str] = {}
_split_memo: dict[str, tuple[str, str]] = {}
_key_memo: dict[str, tuple[str, str]] = {}
_line_memo: dict[str, tuple[str, str, str, str]] = {}
_line_tidy_memo: dict[str, str] = {}


T = TypeVar("T")


def _remember(memo: dict[str, T], key: str, value: T) -> T:
    """Store a pure function's answer (the memo is emptied when full, so it stays bounded)."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def tidy(text: str) -> str:
    """Whitespace collapsed; an ALL-CAPS street line in title case ('123 NE MAIN ST' -> '123 NE Main St')."""
    head, sep, rest = text.partition(" ")
    if sep and head.isdigit() and head.isascii():
        # a house number is kept as it is, so what follows it is tidied once per file (street names repeat)
        got = _line_tidy_memo.get(rest)
        if got is None:
            got = _remember(_line_tidy_memo, rest, _tidy("0 " + rest)[1:])
        return head + got
    return _tidy(text)


def _tidy(text: str) -> str:
    """tidy itself (no memo of whole lines)."""
    s = " ".join(text.split()).strip(",").strip()  # str.split() breaks on what \s+ matches
    if s.isupper():
        # words are tidied one by one: the street after the house number repeats, so it is remembered whole
        head, sep, rest = s.partition(" ")
        words = _word_memo
        if not head.isdigit():
            head = words.get(head) or _remember(words, head, _pretty_word(head))
        if not sep:
            return head
        tail = _rest_memo.get(rest)
        if tail is None:
            tail = _remember(_rest_memo, rest, " ".join([words.get(w) or _remember(words, w, _pretty_word(w)) for w in rest.split(" ")]))
        return f"{head} {tail}"
    return s


def split_unit(street: str) -> tuple[str, str]:
    """'123 Main St Apt 4B' -> ('123 Main St', '4B'); '123 Main St #4' -> ('123 Main St', '4')."""
    head, sep, rest = street.partition(" ")
    if sep and head.isdigit() and head.isascii():
        # the answer depends on the house number only by concatenation (digits start no unit match),
        # so it is worked out once per street after the number, on '0 ' + that street
        got = _split_memo.get(rest)
        if got is None:
            got = _remember(_split_memo, rest, _split_unit("0 " + rest))
        line, unit = got
        return (head + line[1:], unit) if unit else (street, "")
    return _split_unit(street)


def _split_unit(street: str) -> tuple[str, str]:
    """split_unit itself (no memo)."""
    if "#" not in street and street.isascii():
        # without '#', a unit designator starts one of the last two words (split at spaces and commas)
        words = street.replace(",", " ").upper().rsplit(None, 2)
        if not words or not (words[-1].startswith(_UNIT_PREFIXES) or len(words) > 1 and words[-2].startswith(_UNIT_PREFIXES)):
            return street, ""
    m = _UNIT_TAIL.search(street)
    if m and m.start() > 0:
        head = street[: m.start()].rstrip(" ,")
        if _LETTER.search(head):
            return head, m.group(1).upper()
    return street, ""


def unit_text(text: str) -> str:
    """A unit cell ('Apt 4', '#4', 'Unit 4B') -> '4' / '4B'."""
    words = _PUNCT.sub(" ", text.upper().replace("#", " ")).split()
    words = [w for w in words if w not in _UNIT_WORDS]
    return "".join(words)


def parse_address(text: str) -> Address:
    """A one-line address: '123 Main St Apt 4, Tampa, FL 33602' or just the street line."""
    s = " ".join(text.split())
    if not s:
        raise CellError("the address is empty.")
    city = state = zip5 = ""
    m = _TAIL.search(s) if s[-1].isdigit() else None  # the tail ends in a ZIP
    if m and s[: m.start()].strip(", "):
        state_raw, zip5 = m.group(1).upper(), m.group(2)
        if state_raw in STATE_CODES:
            state = state_raw
            s = s[: m.start()].rstrip(", ")
            if "," in s:
                s, city = (p.strip() for p in s.rsplit(",", 1))
        else:
            zip5 = ""
    elif "," in s:
        head, tail = (p.strip() for p in s.rsplit(",", 1))
        if tail and not any(ch.isdigit() for ch in tail) and any(ch.isdigit() for ch in head):
            s, city = head, tail
    street, unit = split_unit(s)
    if not street:
        raise CellError(f"{text.strip()!r} has no street.")
    return Address(tidy(street), unit, tidy(city) if city else "", state, zip5)


def street_key(street: str, unit: str = "") -> str:
    """The folded street line: '123 North Main Street' -> '123 N MAIN ST'; unit -> ' #4'."""
    text = street.upper()
    head, sep, rest = text.partition(" ")
    if sep and head.isdigit() and head.isascii():
        # a house number folds to itself and starts no unit: the street after it is folded once per file
        got = _key_memo.get(rest)
        if got is None:
            got = _remember(_key_memo, rest, _fold_words(rest, 1))
        folded, parts = got
        folded = f"{head} {folded}" if folded else head
    else:
        folded, parts = _fold_words(text, 0)
    u = unit_text(unit) if unit else parts
    return f"{folded} #{u}" if u else folded


def _fold_words(text: str, first: int) -> tuple[str, str]:
    """(folded words, unit) of an upper-case street line whose first word is word number `first` of the line."""
    words = (text if text.replace(" ", "").isalnum() else _PUNCT.sub(" ", text)).split()
    unit_parts: list[str] = []
    if "#" in text or not _UNIT_WORDS.isdisjoint(words):
        for i, w in enumerate(words):
            if (w in _UNIT_WORDS and i + first >= 2 and i + 1 < len(words) and _unit_id(words[i + 1])) or (
                w == "#" and i + 1 < len(words)
            ):
                unit_parts = [p for p in words[i + 1 :] if p != "#"]
                words = words[:i]
                break
            if w.startswith("#") and len(w) > 1:
                unit_parts = [w[1:], *words[i + 1 :]]
                words = words[:i]
                break
    return " ".join(map(_SUFFIXES.get, words, words)), "".join(unit_parts)


def street_line(text: str) -> tuple[str, str, str, str]:
    """A street line (spaces collapsed) -> (street, unit, street_key(street, unit), house number or '').

    split_unit and street_key in one step. Both depend on a house number only by joining it on,
    so what follows the number is worked out once per file (street names repeat, numbers do not).
    """
    head, sep, rest = text.partition(" ")
    if sep and head.isdigit() and head.isascii():
        got = _line_memo.get(rest)
        if got is None:
            if len(_line_memo) >= _MEMO_LIMIT:
                _line_memo.clear()
            got = _line_memo[rest] = _line_rest(rest)
        tail, unit, folded, unit_key = got
        key = f"{head} {folded}{unit_key}" if folded else head + unit_key
        return (head + tail if unit else text), unit, key, head
    street, unit = split_unit(text)
    key = street_key(street, unit)
    return street, unit, key, key.split(" ", 1)[0] if key[:1].isdigit() else ""


def _line_rest(rest: str) -> tuple[str, str, str, str]:
    """For street_line: (the street after the number, from its space on; unit; its folded words; ' #unit' or '')."""
    line, unit = _split_unit("0 " + rest)
    tail = line[1:] if unit else " " + rest
    folded, parts = _fold_words(tail[1:].upper(), 1)
    u = unit_text(unit) if unit else parts
    return tail, unit, folded, f" #{u}" if u else ""


def address_key(street: str, unit: str, postal: str, city: str) -> str:
    """The matching key: folded street line and unit, '|', the ZIP or else the city."""
    return f"{street_key(street, unit)}|{postal or city.upper()}"


def locality_keys(street: str, unit: str, postal: str, city: str) -> tuple[str, ...]:
    """Every key an address can be found under: by ZIP and by city."""
    base = street_key(street, unit)
    keys = [f"{base}|{postal}"] if postal else []
    if city:
        keys.append(f"{base}|{city.upper()}")
    return tuple(keys)


_zip_places: dict[str, tuple[str, str]] | None = None


def place_for_zip(zip5: str) -> tuple[str, str] | None:
    """(city, state) of a US ZIP from the offline `zipcodes` data, or None."""
    global _zip_places
    if _zip_places is None:
        import zipcodes

        _zip_places = {z["zip_code"]: (z["city"], z["state"]) for z in zipcodes.list_all()}  # type: ignore[no-untyped-call]
    return _zip_places.get(zip5)
