"""Owner names: up to two people per lead, first/last for greetings, entity owners flagged.

Handles one cell with two names ("John & Mary Smith", "Smith, John and Mary",
public-record style "SMITH JOHN & MARY"), or vendor columns Owner 1/2 First/Last Name.
Entities (LLC, trust, estate, bank, ...) are flagged and get no first name: a letter to
"Dear John" is wrong when the owner is "Sunrise Holdings LLC".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ENTITY = re.compile(
    r"\b(?:L\.?\s?L\.?\s?C|INC|INCORPORATED|CORP|CORPORATION|COMPANY|CO|L\.?\s?P|L\.?\s?L\.?\s?P|LTD|PLLC|PC|"
    r"TRUST|TRUSTS|TR|TRS|TRUSTEE|TRUSTEES|TTEE|ESTATE|ESTATES|EST\s+OF|HEIRS|BANK|N\.?\s?A|"
    r"NATIONAL\s+ASSOCIATION|FEDERAL|MORTGAGE|FANNIE\s+MAE|FREDDIE\s+MAC|HUD|SECRETARY\s+OF|"
    r"HOLDINGS|PROPERTIES|PROPERTY|INVESTMENTS?|VENTURES|PARTNERS|PARTNERSHIP|GROUP|CHURCH|MINISTRIES|"
    r"ASSOCIATION|ASSN|HOA|CITY\s+OF|COUNTY|STATE\s+OF|UNIVERSITY|FOUNDATION|REALTY|CAPITAL|FUND|"
    r"REVOCABLE|ENTERPRISES|DEVELOPMENT|MANAGEMENT|SERVICES|SOLUTIONS|CREDIT\s+UNION)\b\.?",
    re.IGNORECASE,
)
_SEP = re.compile(r"\s*(?:&|\band\b|;|/|\+)\s*", re.IGNORECASE)
_SUFFIX = frozenset({"JR", "SR", "II", "III", "IV", "V", "MD", "PHD", "ESQ", "DDS"})
_KEEP_UPPER = frozenset({"LLC", "LP", "LLP", "PLLC", "PC", "NA", "HOA", "II", "III", "IV", "USA", "US", "HUD", "TR", "TTEE"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Owners:
    """Owner 1 (and 2) as printed on letters; first/last of owner 1 for greetings."""

    name: str = ""
    name2: str = ""
    first: str = ""
    last: str = ""
    entity: bool = False


def is_entity(name: str) -> bool:
    """True when the name is a company, trust, estate, bank or public body."""
    return bool(_ENTITY.search(name))


def _cap_word(w: str) -> str:
    bare = w.strip(".,").upper()
    if bare in _KEEP_UPPER or bare.replace(".", "") in _KEEP_UPPER:
        return w.upper()
    if "-" in w:
        return "-".join(_cap_word(p) for p in w.split("-"))
    if "'" in w and len(w) > 2:
        head, _, tail = w.partition("'")
        return head.capitalize() + "'" + tail.capitalize()
    low = w.lower()
    if low.startswith("mc") and len(w) > 2:
        return "Mc" + w[2:].capitalize()
    return w.capitalize()


_MEMO_LIMIT = 100_000
_tidy_memo: dict[str, str] = {}
_owners_memo: dict[tuple[str, str, str, str, str, str], Owners] = {}


def tidy_name(text: str) -> str:
    """Whitespace collapsed; ALL-CAPS or all-lower names in title case ('MCDONALD' -> 'McDonald')."""
    got = _tidy_memo.get(text)
    if got is not None:
        return got  # names repeat down an export (memo: same text, same answer)
    s = _SPACES.sub(" ", text).strip().strip(",;").strip()
    if s.isupper() or s.islower():
        s = " ".join(_cap_word(w) for w in s.split(" "))
    if len(_tidy_memo) >= _MEMO_LIMIT:
        _tidy_memo.clear()
    _tidy_memo[text] = s
    return s


def first_last(name: str) -> tuple[str, str]:
    """'John A. Smith Jr' -> ('John', 'Smith'); 'Smith, John' -> ('John', 'Smith')."""
    if "," in name:
        last, _, rest = name.partition(",")
        words = rest.split()
        return (words[0] if words else ""), last.strip()
    words = [w for w in name.split() if w.strip(".").upper() not in _SUFFIX]
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return words[0], words[-1]


def split_names(text: str) -> list[str]:
    """One owner cell -> person names, sharing a last name where it is written once."""
    s = _SPACES.sub(" ", text).strip()
    if not s:
        return []
    if is_entity(s):
        return [s]
    comma_form = "," in s and s.count(",") == 1
    last = ""
    if comma_form:
        last, _, s = (p.strip() for p in s.partition(","))
    parts = [p for p in _SEP.split(s) if p]
    if comma_form:
        return [f"{p} {last}".strip() for p in parts]
    if len(parts) >= 2:
        words0 = parts[0].split()
        words1 = parts[1].split()
        if len(words0) == 1 and len(words1) >= 2:
            parts[0] = f"{words0[0]} {words1[-1]}"  # John & Mary Smith
        elif len(words0) == 2 and len(words1) == 1 and text.isupper():
            family, given = words0  # public-record style: SMITH JOHN & MARY
            parts = [f"{given} {family}", f"{words1[0]} {family}", *parts[2:]]
    return parts


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "md", "esq", "phd", "dds", "mr", "mrs", "ms", "dr"})


def person_key(name: str) -> frozenset[str]:
    """The words that identify a person: case, order, commas, initials and suffixes (Jr, III) set aside."""
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", name.lower())
    return frozenset(w for w in words if len(w) > 1 and w not in _SUFFIXES)


def same_person(a: str, b: str) -> bool:
    """'LINDQVIST ELIZABETH', 'Elizabeth Lindqvist', 'Elizabeth A. Lindqvist Jr' are one person; a shared last name is not."""
    ka, kb = person_key(a), person_key(b)
    if not ka or not kb:
        return a == b
    small, big = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return small == big or (len(small) >= 2 and small <= big)


def _distinct_people(names: Iterable[str]) -> list[str]:
    """Names in order, each person once (the first way of writing them kept)."""
    out: list[str] = []
    for n in names:
        if not any(same_person(n, o) for o in out):
            out.append(n)
    return out


def owners(
    name: str = "", name2: str = "", first: str = "", last: str = "", first2: str = "", last2: str = ""
) -> Owners:
    """Owners from whichever owner columns the export has (Owners is frozen: repeated cells share one)."""
    key = (name, name2, first, last, first2, last2)
    got = _owners_memo.get(key)
    if got is None:
        got = _owners(*key)
        if len(_owners_memo) >= _MEMO_LIMIT:
            _owners_memo.clear()
        _owners_memo[key] = got
    return got


def _owners(name: str, name2: str, first: str, last: str, first2: str, last2: str) -> Owners:
    people: list[str] = []
    entity = False
    if first or last:
        people.append(tidy_name(f"{first} {last}"))
    if name:
        entity = is_entity(name)
        people.extend(tidy_name(n) for n in split_names(name) if tidy_name(n) not in people)
    if first2 or last2:
        people.append(tidy_name(f"{first2} {last2}"))
    if name2:
        people.extend(tidy_name(n) for n in split_names(name2))
    people = _distinct_people(p for p in people if p)
    if not people:
        return Owners()
    entity = entity or is_entity(people[0])
    if entity:
        f, la = "", ""
    elif first or last:
        f, la = tidy_name(first), tidy_name(last)
    else:
        f, la = first_last(people[0])
    return Owners(people[0], " & ".join(people[1:]), f, la, entity)
