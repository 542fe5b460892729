"""What a column holds, judged from its header words, a sample of its values and its neighbours.

The alias table places the headers Relist knows. A column it cannot place (`Amount`, `Date 2`,
`Ph`) is scored here against every field Relist reads by value kind: phones, ZIPs, dates,
money, status words, Y/N flags, names, MLS numbers, parcel numbers, emails, street lines,
states. A column is placed only when its values fit the field (80% of the sample) *and* its
header points there, or its values alone cannot be anything else (emails, status words);
the evidence among date columns is their order in each row (an expiration comes after the
listing date). Whatever is placed, tied or doubted is said in the layout's notes with the
`--map` that settles it; nothing is guessed silently. A refusal's `--map` suggestion comes
from the same scores.

Scored once per file on the first rows (the same sample the layout sees), never per row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from relist.intake import roles
from relist.intake.addresses import STATE_CODES, STATES
from relist.intake.problems import CellError
from relist.intake.status import looks_like_status
from relist.intake.values import datetime_value, money

FIT = 0.8
"""Share of a column's sampled values that must fit a field's kind for the column to be placed there."""

_PHONE = re.compile(r"^\s*(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?\s*$", re.I)
_ZIP = re.compile(r"^\s*\d{5}(?:-\d{4})?\s*$")
_EMAIL = re.compile(r"^\s*[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\s*$")
_STREET = re.compile(r"^\s*\d+[A-Za-z]?(?:-\d+)?\s+[A-Za-z0-9]")
_MLS_ID = re.compile(r"^\s*[A-Za-z]{0,3}-?\d{5,10}\s*$")
_PARCEL = re.compile(r"^\s*[0-9A-Za-z]{1,6}(?:[-. ][0-9A-Za-z]{1,8}){2,}\s*$")
_NAME = re.compile(r"^\s*[A-Za-z][A-Za-z'.-]*,?(?:\s+(?:&\s+)?[A-Za-z][A-Za-z'.-]*){1,4}\s*$")
_YES_NO = frozenset({"y", "n", "yes", "no", "true", "false", "t", "f", "0", "1", "x"})
_DATE_LOOK = re.compile(r"[/\-]|[A-Za-z]{3}")


def _price(v: str) -> bool:
    s = v.strip()
    if _ZIP.match(s) and "$" not in s:
        return False  # a bare five-digit number is as likely a ZIP
    try:
        got = money(s)
    except CellError:
        return False
    return got is not None and 1_000 <= got <= 1_000_000_000


def _date(v: str) -> bool:
    if not _DATE_LOOK.search(v) and not re.fullmatch(r"\s*\d{8}\s*", v):
        return False  # a plain number is not read as a date here (Excel serials look like prices)
    try:
        return datetime_value(v) is not None
    except CellError:
        return False


def _state(v: str) -> bool:
    s = v.strip().upper()
    return s in STATE_CODES or s in STATES


KINDS: dict[str, Callable[[str], bool]] = {
    "phone": lambda v: bool(_PHONE.match(v)),
    "zip": lambda v: bool(_ZIP.match(v)),
    "date": _date,
    "money": _price,
    "yesno": lambda v: v.strip().lower() in _YES_NO,
    "email": lambda v: bool(_EMAIL.match(v)),
    "street": lambda v: bool(_STREET.match(v)),
    "mlsid": lambda v: bool(_MLS_ID.match(v)),
    "parcel": lambda v: bool(_PARCEL.match(v)),
    "name": lambda v: bool(_NAME.match(v)) and not _state(v),
    "state": _state,
}
"""Value kind -> does one cell's text look like it."""


class Target(NamedTuple):
    """A field scored by value kind, with the header words that point to it."""

    field: str
    kind: str
    words: frozenset[str]
    by_values: bool = False
    """Placed on its values alone (they cannot be anything else), without a header word."""


def _t(field: str, kind: str, words: str, by_values: bool = False) -> Target:
    return Target(field, kind, frozenset(words.split()), by_values)


TARGETS: tuple[Target, ...] = (
    _t("OwnerPhone", "phone", "ph phone phn tel telephone cell mobile cellphone wireless landline contact"),
    _t("PostalCode", "zip", "zip zipcode postal postcode zip5"),
    _t("ListPrice", "money", "price amount amt lp listprice asking ask list current"),
    _t("OriginalListPrice", "money", "orig original olp initial"),
    _t("ClosePrice", "money", "sold close closed sale sp"),
    _t("ExpirationDate", "date", "exp expires expired expiration expire expiry xd end ends ending off"),
    _t("ListingContractDate", "date", "listed listing start contract entry ld begin"),
    _t("StatusChangeTimestamp", "date", "change changed chg"),
    _t("CloseDate", "date", "sold close closed sale settled"),
    _t("StandardStatus", "status", "status stat"),
    _t("OwnerEmail", "email", "email mail e eml address", by_values=True),
    _t("OwnerName", "name", "name nm owner seller who person"),
    _t("ListingId", "mlsid", "mls id no num number ml listing ln"),
    _t("ParcelNumber", "parcel", "apn parcel pin folio pid tax taxid ain"),
    _t("UnparsedAddress", "street", "addr address street loc location site situs"),
    _t("StateOrProvince", "state", "state st province"),
    _t("OwnerDNC", "yesno", "dnc donotcall"),
)
EXPIRY_FIELDS = frozenset({"ExpirationDate", "StatusChangeTimestamp", "CancellationDate", "OffMarketDate", "WithdrawnDate"})
"""Dates that tell when a listing ended (relist.intake.clean reads the expiry from them)."""
GENERIC_DATE_WORDS = frozenset({"date", "dt", "day", "when", "d"})
"""A date header that names no particular date ('Date 2'): its place comes from the other dates of the row."""
_NOT_A_PRICE = frozenset({
    "tax", "taxes", "mortgage", "mtg", "loan", "equity", "estimated", "est", "value", "assessed", "assd", "payment", "fee",
    "fees", "hoa", "rent", "balance", "lien", "due", "commission", "income", "expense", "deposit", "insurance", "avm",
    "repair", "cost", "arv", "offer", "bid", "judgment", "default", "debt", "annual", "monthly", "sqft", "per",
})
_NOT_A_NAME = frozenset({
    "agent", "office", "broker", "buyer", "tenant", "occupant", "lender", "hoa", "subdivision", "school", "street", "city",
    "county", "builder", "company", "bank", "title", "attorney", "trustee", "contact", "relative", "mls", "list", "listing",
    "selling", "association", "complex", "development", "project", "area", "neighborhood", "community", "file", "tag",
    "campaign", "creator", "assigned", "user", "source", "lead", "mailing", "mail",
})
NOT_WORDS: dict[str, frozenset[str]] = {
    "StandardStatus": frozenset({"lead", "call", "dial", "dialer", "contact", "crm", "mail", "mailing", "marketing", "skip",
                                 "tax", "owner", "occupancy", "phone", "deal", "campaign", "pipeline", "tag"}),
    "ListPrice": _NOT_A_PRICE | {"sale", "sold", "close", "closed"},
    "OriginalListPrice": _NOT_A_PRICE | {"sale", "sold", "close", "closed"},
    "ClosePrice": _NOT_A_PRICE,
    "OwnerName": _NOT_A_NAME,
    "ListingId": frozenset({"lead", "agent", "office", "broker", "property", "parcel", "tax", "apn", "record", "row", "contact",
                            "owner", "user", "account", "campaign", "import", "batch", "deal", "person", "phone"}),
    "UnparsedAddress": roles.MAILING_WORDS | {"agent", "office", "broker", "email", "web", "url", "ip"},
    "PostalCode": roles.MAILING_WORDS | {"agent", "office", "broker"},
    "StateOrProvince": roles.MAILING_WORDS | {"agent", "office", "broker", "license"},
}
"""Header words that rule a field out whatever the values (a CRM's 'Lead Status' is not the listing's status)."""
_AGENT_WORDS = frozenset({"agent", "office", "broker", "brokerage", "company", "fax", "selling", "buyer", "lister"})


def fit(values: Sequence[str], kind: str) -> float:
    """Share of the non-blank sampled values that look like `kind` (0 when the sample has none)."""
    seen = [v for v in values if v.strip()]
    if not seen:
        return 0.0
    if kind == "status":
        return looks_like_status(seen)
    test = KINDS[kind]
    return sum(n for v, n in Counter(seen).items() if test(v)) / len(seen)  # each distinct value tested once


def header_points(header: str, target: Target) -> bool:
    """The header has a word pointing at the target ('Amount' -> ListPrice, 'Ph' -> OwnerPhone, 'Date 2' -> any date)."""
    ws = set(roles.words(header))
    return bool(ws & target.words) or (target.kind == "date" and bool(ws & GENERIC_DATE_WORDS))


class Verdict(NamedTuple):
    """Where an unplaced column goes (field '' = stays in Extra) and what to tell the agent."""

    column: int
    field: str
    note: str


def _col(sample: Sequence[Sequence[str]], i: int) -> list[str]:
    return [str(r[i]) for r in sample if i < len(r)]


def place_unknown(
    header: Sequence[str],
    extra: Sequence[int],
    taken: frozenset[str],
    sample: Sequence[Sequence[str]],
    date_cols: dict[str, int],
    kind: str = "expired",
    phone_cols: frozenset[int] = frozenset(),
) -> list[Verdict]:
    """Verdicts for the columns the header table left unplaced (`extra`), scored against every target.

    `taken`: fields already placed (a single-column field is never given twice); `date_cols`: placed
    date fields -> column, whose values order the unknown dates of each row; `phone_cols`: the owner phone
    columns, whose right-hand neighbour holding phones is another owner phone ('Phone', 'Alt').
    """
    if not sample:
        return []
    out: list[Verdict] = []
    used = set(taken)
    cols = {i: _col(sample, i) for i in extra}
    kinds = {t.kind for t in TARGETS}
    fits: dict[int, dict[str, float]] = {}
    for i in extra:
        seen = [v for v in cols[i] if v.strip()]
        if seen:  # each value kind once per column (several fields share one: the dates, the prices)
            by_kind = {k: fit(seen, k) for k in kinds}
            fits[i] = {t.field: by_kind[t.kind] for t in TARGETS}
    # dates first: their evidence is each other
    date_like = [i for i in fits if fits[i]["ExpirationDate"] >= FIT and not set(roles.words(header[i])) & _AGENT_WORDS]
    out.extend(_place_dates(header, date_like, used, sample, date_cols, kind))
    done = {v.column for v in out}
    wants: dict[str, list[tuple[float, int]]] = {}
    doubts: list[Verdict] = []
    for i, by_field in fits.items():
        if i in done:
            continue
        words = set(roles.words(header[i]))
        best: tuple[float, str] | None = None
        for t in TARGETS:
            if t.kind == "date":
                continue
            share = by_field[t.field]
            if share < FIT or words & NOT_WORDS.get(t.field, frozenset()):
                continue
            points = header_points(header[i], t)
            if t.kind == "phone":
                if words & _AGENT_WORDS:
                    continue  # the listing agent's or the office's number is never the owner's
                points = points or (i - 1) in phone_cols  # beside an owner phone: the owner's next number
            if t.field == "ClosePrice" and kind != "comps" and not points:
                continue
            if not points and not t.by_values:
                if t.kind in ("phone", "email", "street") and share >= FIT and not words & roles.MAILING_WORDS:
                    doubts.append(Verdict(i, "", f"column {header[i]!r} holds {_WHAT[t.kind]} but its header does not say whose; "
                                                 f'it is kept in Extra. If they are the owner\'s, import with --map "{header[i]}={t.field}"'))
                continue
            score = 2.0 * share + (1.0 if points else 0.0)
            if best is None or score > best[0]:
                best = (score, t.field)
        if best is not None:
            wants.setdefault(best[1], []).append((best[0], i))
        else:
            out.extend(d for d in doubts if d.column == i)
    for field, cands in wants.items():
        cands.sort(key=lambda c: (-c[0], c[1]))
        if field == "OwnerPhone":  # every phone column is kept
            out.extend(Verdict(i, field, f"column {header[i]!r} read as {field} (its header, values or the phone beside it); "
                                         f'if it is not the owner\'s, import with --map "{header[i]}=Ignore"') for _, i in cands)
            continue
        field_now = field
        if field == "ListPrice" and field in used and "OriginalListPrice" not in used:
            field_now = ""  # a second price: which one it is cannot be told from its values
        if field_now in used or not field_now:
            if KIND_OF[field] != "money":
                continue  # a second street, name or id column beside the one placed: Extra, as before
            out.extend(Verdict(i, "", f"column {header[i]!r} looks like {field} (its header and values), which another column "
                                      f'already holds; it is kept in Extra. If it is that field, import with --map "{header[i]}={field}"')
                       for _, i in cands)
            continue
        (score, win), rest = cands[0], cands[1:]
        used.add(field)
        tied = [i for s, i in rest if abs(s - score) < 1e-9]
        if tied:
            others = ", ".join(repr(header[i]) for i in tied)
            out.append(Verdict(win, field, f"columns {header[win]!r} and {others} could each be {field} (the same evidence); "
                                           f"{header[win]!r} was used (the first). If another is, import with "
                                           f'--map "{header[tied[0]]}={field}"'))
        else:
            out.append(Verdict(win, field, f"column {header[win]!r} read as {field} (its header and values); if it is not, "
                                           f'import with --map "{header[win]}=Ignore" or the right field'))
        out.extend(Verdict(i, "", f"column {header[i]!r} also looks like {field}; it is kept in Extra. If it is the one, "
                                  f'import with --map "{header[i]}={field}"') for s, i in rest if i not in tied)
        out.extend(Verdict(i, "", "") for i in tied)
    return out


KIND_OF = {t.field: t.kind for t in TARGETS}
_WHAT = {"phone": "phone numbers", "email": "email addresses", "street": "street addresses"}


def _later_share(sample: Sequence[Sequence[str]], a: int, b: int) -> float:
    """Share of the rows with both dates where column a's date is after column b's."""
    later = both = 0
    for r in sample:
        if a >= len(r) or b >= len(r):
            continue
        try:
            da, db = datetime_value(str(r[a])), datetime_value(str(r[b]))
        except CellError:
            continue
        if da is None or db is None:
            continue
        both += 1
        later += da[0].replace(tzinfo=None) > db[0].replace(tzinfo=None)
    return later / both if both else 0.0


def _place_dates(
    header: Sequence[str], cols: Sequence[int], used: set[str], sample: Sequence[Sequence[str]], placed: dict[str, int],
    kind: str,
) -> list[Verdict]:
    """Unknown date columns: a header naming the date wins; otherwise their order in each row does
    (the listing date first, the expiration after it)."""
    out: list[Verdict] = []
    generic: list[int] = []
    date_targets = [t for t in TARGETS if t.kind == "date" and (t.field != "CloseDate" or kind == "comps")]
    for i in cols:
        named = [t.field for t in date_targets if set(roles.words(header[i])) & t.words and t.field not in used]
        if named:
            used.add(named[0])
            placed = {**placed, named[0]: i}
            out.append(Verdict(i, named[0], f"column {header[i]!r} read as {named[0]} (its header and dates); if it is not, "
                                            f'import with --map "{header[i]}=Ignore" or the right date field'))
        elif set(roles.words(header[i])) & GENERIC_DATE_WORDS:
            generic.append(i)
    if not generic or used & EXPIRY_FIELDS:
        return out  # the listing's end is known from a named column: other dates stay in Extra, as before
    # every date of the row, known or not, ordered by value: the expiration is the one after the others
    known = [(f, c) for f, c in placed.items() if f in ("ListingContractDate", "ExpirationDate")]
    if kind != "comps":
        others = generic + [c for f, c in known]
        if len(others) >= 2:
            latest = [i for i in generic if all(_later_share(sample, i, j) >= FIT for j in others if j != i)]
            if len(latest) == 1:
                i = latest[0]
                used.add("ExpirationDate")
                generic.remove(i)
                out.append(Verdict(i, "ExpirationDate", f"column {header[i]!r} read as ExpirationDate: its dates come after the row's "
                                                        f'other dates. If it is not, import with --map "{header[i]}=Ignore" or the right date field'))
                if "ListingContractDate" not in used:
                    earliest = [j for j in generic if all(_later_share(sample, k, j) >= FIT for k in (i, *generic) if k != j)]
                    if len(earliest) == 1:
                        used.add("ListingContractDate")
                        generic.remove(earliest[0])
                        out.append(Verdict(earliest[0], "ListingContractDate",
                                           f"column {header[earliest[0]]!r} read as ListingContractDate: its dates come before the "
                                           f'expiration. If it is not, import with --map "{header[earliest[0]]}=Ignore"'))
    for i in generic:
        out.append(Verdict(i, "", f"column {header[i]!r} holds dates, but neither its header nor the other dates say which; it is "
                                  f'kept in Extra. If it is the expiration, import with --map "{header[i]}=ExpirationDate"'))
    return out


def best_column(header: Sequence[str], cols: Sequence[int], sample: Sequence[Sequence[str]], field: str) -> int:
    """Of `cols`, the one whose header and values most point at `field` (-1 when none fits at all): the refusal's suggestion."""
    target = next((t for t in TARGETS if t.field == field), None)
    best, best_score = -1, 0.0
    for i in cols:
        score = 0.0
        if target is not None:
            score = 2.0 * fit(_col(sample, i), target.kind) + (1.0 if header_points(header[i], target) else 0.0)
        if field == "UnparsedAddress":
            score += roles.scope(header[i]) + (0.5 if roles.component(header[i]) == "line" else 0.0)
        if score > best_score:
            best, best_score = i, score
    return best


_CHECKED = {"PostalCode": "zip", "ListPrice": "money", "OriginalListPrice": "money", "ClosePrice": "money",
            "ExpirationDate": "date", "ListingContractDate": "date", "CloseDate": "date", "OwnerEmail": "email",
            "StateOrProvince": "state"}
"""Fields whose placed column's values are checked against its name (a doubt is said, the column stays placed)."""
_SEEN_AS = {"zip": "ZIP codes", "money": "amounts of money", "date": "dates", "email": "email addresses", "state": "states",
            "phone": "phone numbers", "street": "street addresses", "parcel": "parcel numbers"}


def doubts(header: Sequence[str], placed: dict[str, list[int]], sample: Sequence[Sequence[str]], said: frozenset[int]) -> list[str]:
    """Notes for columns placed by their header whose values say otherwise ('List Price' holding dates).

    Columns placed by a saved mapping, --map or a preset (`said`) are the agent's word: never doubted."""
    out: list[str] = []
    for field, kind in _CHECKED.items():
        for i in placed.get(field, ()):
            if i in said:
                continue
            seen = [v for v in _col(sample, i) if v.strip()]
            if len(seen) < 5 or fit(seen, kind) >= 0.5:
                continue
            other = next((k for k in _SEEN_AS if k != kind and fit(seen, k) >= FIT), "")
            if other:
                out.append(f"column {header[i]!r} was read as {field} by its name, but its values look like {_SEEN_AS[other]}; "
                           f'if it is something else, import with --map "{header[i]}=Ignore" or the right field')
    return out

