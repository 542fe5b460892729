"""Which column of an export holds which field: header row, alias table, saved mappings.

A layout places each column on a field (RESO name or Relist vendor field), keeps the
rest for the lead's Extra column, and is refused when it cannot find a property address
and an identity (MLS number, owner or parcel), naming the columns it could not place
and how to map them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from relist.errors import BadInput, ImportRefused
from relist.intake import evidence, roles
from relist.intake.addresses import STATE_CODES, STATES
from relist.intake.aliases import IGNORE, AliasTable, header_key
from relist.intake.phone_groups import FLAG_FIELD, PhoneGroup, group_phones, looks_like_owner_phone
from relist.intake.status import looks_like_status
from relist.intake.values import Cell

MULTI_FIELDS = frozenset({"OwnerPhone"})
"""Fields that several columns may feed (every phone column is kept)."""

ADDRESS_FIELDS = ("UnparsedAddress", "StreetName")
IDENTITY_FIELDS = ("ListingId", "ListingKey", "ParcelNumber", "OwnerName", "OwnerFirstName", "OwnerLastName")
HEADER_SEARCH_ROWS = 10


def _state_share(values: list[str]) -> float:
    seen = [v.strip().upper() for v in values if v.strip()]
    if not seen:
        return 0.0
    return sum(v in STATE_CODES or v in STATES for v in seen) / len(seen)


_SNIFF: dict[str, Callable[[list[str]], float]] = {
    "StandardStatus": looks_like_status,
    "StateOrProvince": _state_share,
}


@dataclass(frozen=True)
class Layout:
    """Where each field is in the rows of one file."""

    header: tuple[str, ...]
    header_row: int
    columns: dict[str, tuple[int, ...]]
    extra: tuple[int, ...]
    ignored: tuple[int, ...]
    notes: tuple[str, ...] = ()
    phone_groups: tuple[PhoneGroup, ...] = ()
    """Every owner phone column with its own DNC/status/type/litigator columns, in phone order."""

    def has(self, *fields: str) -> bool:
        return any(f in self.columns for f in fields)

    def header_of(self, field: str) -> str:
        cols = self.columns.get(field)
        return self.header[cols[0]] if cols else field

    @property
    def unplaced(self) -> tuple[str, ...]:
        return tuple(self.header[i] for i in self.extra)


def parse_map(text: str, aliases: AliasTable) -> tuple[str, str]:
    """'Seller Phone=OwnerPhone' -> ('Seller Phone', 'OwnerPhone'); an unknown field is refused."""
    header, sep, target = text.partition("=")
    header, target = header.strip(), target.strip()
    if not sep or not header or not target:
        raise BadInput(
            f"--map {text!r} is not HEADER=FIELD.",
            'Write it like --map "Seller Phone=OwnerPhone" (the export\'s header, =, the field).',
        )
    field = aliases.field_named(target)
    if field is None:
        close = difflib.get_close_matches(target, sorted(aliases.fields), n=3, cutoff=0.5)
        also = f" Did you mean {', '.join(close)}?" if close else ""
        raise BadInput(
            f"--map {text!r}: {target!r} is not a field Relist knows.{also}",
            "Name a field Relist knows: a RESO name such as OwnerPhone, UnparsedAddress or ListingId, or Ignore to skip the column.",
        )
    return header, field


def _column_name(header: Sequence[Cell], i: int) -> str:
    h = header[i] if i < len(header) else ""
    text = h.strip() if isinstance(h, str) else h.isoformat()
    if text:
        return text
    n, letters = i + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"Column {letters}"


def find_header(
    rows: Sequence[tuple[int, Sequence[Cell]]], aliases: AliasTable, mapping: Mapping[str, str]
) -> int:
    """Index of the header row: the first of the first rows naming two known columns."""
    for idx, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = 0
        for c in cells:
            if isinstance(c, str) and c.strip():
                key = header_key(c)
                if key in mapping or aliases.by_key.get(key):
                    known += 1
        if known >= 2:
            return idx
    return 0


def build_layout(
    header_cells: Sequence[Cell],
    header_row: int,
    aliases: AliasTable,
    mapping: Mapping[str, str],
    sample: Sequence[Sequence[Cell]] = (),
    kind: str = "expired",
) -> Layout:
    """Place every column: explicit mappings first, then the alias table (ambiguous aliases by their values),
    then the columns no header names by the evidence of their header words, values and neighbours."""
    header = tuple(_column_name(header_cells, i) for i in range(len(header_cells)))
    columns: dict[str, list[int]] = {}
    extra: list[int] = []
    ignored: list[int] = []
    ambiguous: list[tuple[int, tuple[str, ...]]] = []
    contested: dict[str, list[int]] = {}

    def place(field: str, i: int) -> None:
        if field == IGNORE:
            ignored.append(i)
        elif field in columns and field not in MULTI_FIELDS and not FLAG_FIELD.match(field):
            extra.append(i)
        else:
            columns.setdefault(field, []).append(i)

    for i, name in enumerate(header):
        key = header_key(name)
        if key in mapping:
            place(mapping[key], i)  # said by the user or a preset: never re-decided
            continue
        cands = aliases.by_key.get(key, ()) or ((f,) if (f := roles.field_of(name)) else ())
        if len(cands) == 1 and cands[0] in CONTESTED:
            contested.setdefault(cands[0], []).append(i)
        elif len(cands) == 1:
            place(cands[0], i)
        elif cands:
            ambiguous.append((i, cands))
        else:
            extra.append(i)
    notes: list[str] = []
    _settle(contested, columns, extra, header, sample, notes)
    for i, cands in ambiguous:
        taken = set(columns) | ({"StandardStatus"} if "MlsStatus" in columns else set())
        free = [c for c in cands if c not in taken] or list(cands)
        values = [str(r[i]) for r in sample[:50] if i < len(r)]
        scored = [(_SNIFF[c](values) if c in _SNIFF else 0.0, -n, c) for n, c in enumerate(free)]
        chosen = max(scored)[2]
        place(chosen, i)
        others = [c for c in cands if c != chosen]
        if others:
            notes.append(
                f"column {header[i]!r} read as {chosen} (from its values); if it is {others[0]}, "
                f'import with --map "{header[i]}={others[0]}"'
            )
    _by_evidence(header, columns, extra, sample[:50], notes, kind)
    said = frozenset(i for i, name in enumerate(header) if header_key(name) in mapping)
    notes.extend(evidence.doubts(header, columns, [[str(c) for c in r] for r in sample[:50]], said))
    groups, extra = _phone_groups(header, columns, extra, notes)
    return Layout(
        header, header_row, {f: tuple(v) for f, v in columns.items()}, tuple(sorted(extra)), tuple(ignored), tuple(notes),
        tuple(groups),
    )


_NUMBERED_PHONE = re.compile(r"^OwnerPhone(\d+)$")
_PHONE_GROUP_WORDS = ("phone", "dnc", "litig", "flag", "contact", "relative")
"""Folded header parts of columns the phone groups read by name (a phone's flags, a contact's relation)."""


def _by_evidence(
    header: Sequence[str], columns: dict[str, list[int]], extra: list[int], sample: Sequence[Sequence[Cell]],
    notes: list[str], kind: str,
) -> None:
    """Place the columns no header table knows by their header words, values and neighbours (relist.intake.evidence)."""
    unknown = [i for i in extra if not any(w in header_key(header[i]) for w in _PHONE_GROUP_WORDS)
               and not looks_like_owner_phone(header_key(header[i]))]
    if not unknown or not sample:
        return
    dates: dict[str, int] = {f: columns[f][0] for f in ("ListingContractDate", "ExpirationDate") if f in columns}
    taken = frozenset(f for f in columns if f not in MULTI_FIELDS) | ({"StandardStatus"} if "MlsStatus" in columns else set())
    phones = frozenset(i for f, cols in columns.items() if _NUMBERED_PHONE.match(f) or f == "OwnerPhone" for i in cols) | frozenset(
        i for i in extra if looks_like_owner_phone(header_key(header[i])))
    for v in evidence.place_unknown(header, unknown, taken, [[str(c) for c in r] for r in sample], dates, kind, phones):
        if v.field:
            columns.setdefault(v.field, []).append(v.column)
            extra.remove(v.column)
        if v.note:
            notes.append(v.note)


CONTESTED = frozenset({*roles.PROPERTY_FIELD.values(), *roles.MAILING_FIELD.values()})
"""Address fields that two columns often claim (the home's and the owner's): settled by evidence."""


def _settle(
    contested: dict[str, list[int]], columns: dict[str, list[int]], extra: list[int], header: Sequence[str],
    sample: Sequence[Sequence[Cell]], notes: list[str],
) -> None:
    """Give each contested address field to its best column; a losing column becomes the owner's mailing field when free."""
    scopes = roles.effective_scopes(header)
    order = sorted(contested, key=lambda f: (f != "PostalCode", f.startswith("Mailing")))
    for field in order:
        cols = [i for i in contested[field] if i not in {c for v in columns.values() for c in v}]
        if not cols:
            continue
        if field in columns:  # a --map or preset column has it: the others are kept in Extra
            extra.extend(cols)
            continue
        if len(cols) == 1:
            columns[field] = [cols[0]]
            continue
        zip_col = columns.get("PostalCode", [-1])[0]
        choice = roles.choose(field, cols, header, scopes, sample, zip_col)
        columns[field] = [choice.winner]
        if choice.note:
            notes.append(choice.note)
        counterpart = roles.MAILING_FIELD.get(roles.COMPONENT_OF.get(field, ""), "") if not field.startswith("Mailing") else ""
        for i in choice.losers:
            if counterpart and counterpart not in columns and roles.scope(header[i]) <= 0 and scopes[i] < scopes[choice.winner]:
                columns[counterpart] = [i]
                notes.append(f"column {header[i]!r} read as {counterpart} (the listed home's {field} is {header[choice.winner]!r}); "
                             f'if it is the home\'s, import with --map "{header[i]}={field}"')
            else:
                extra.append(i)


def _phone_groups(
    header: Sequence[str], columns: dict[str, list[int]], extra: list[int], notes: list[str]
) -> tuple[list[PhoneGroup], list[int]]:
    """Owner phone columns (placed, or named like one) paired with their flag columns; the rest stays in Extra."""
    keys = [header_key(h) for h in header]
    phone_cols: list[tuple[int, tuple[int, ...]]] = [(i, ()) for i in columns.get("OwnerPhone", ())]
    by_field: dict[int, tuple[int, str]] = {}
    for f, ix in columns.items():
        m = _NUMBERED_PHONE.match(f)
        if m:
            n = int(m.group(1))
            phone_cols.extend((i, (n,)) for i in ix)
            by_field.update({i: (n, "phone") for i in ix})
            continue
        m = FLAG_FIELD.match(f)
        if m:
            by_field.update({i: (int(m.group(1)), m.group(2).lower()) for i in ix})
    found = [i for i in extra if looks_like_owner_phone(keys[i])]
    for i in found:
        phone_cols.append((i, tuple(int(d) for d in re.findall(r"\d+", keys[i]))))
        columns.setdefault("OwnerPhone", []).append(i)
    left = [i for i in extra if i not in found]
    groups, taken = group_phones(keys, phone_cols, left, by_field)
    unpaired = [i for i, (n, what) in by_field.items() if what != "phone" and i not in taken]
    for i in unpaired:
        notes.append(f"column {header[i]!r} flags phone {by_field[i][0]}, but the file has no phone {by_field[i][0]}: "
                     "its flags apply to no number")
    return groups, [i for i in left if i not in taken]


_ID_WORDS = ("mls", "listing", "id", "owner", "seller", "name", "parcel", "apn")


def _guess(layout: Layout, sample: Sequence[Sequence[Cell]], wanted: str) -> str:
    """The unplaced column most likely to hold the missing field (for the --map example): the same evidence as placing."""
    if not layout.extra:
        return "Your Header"
    best = evidence.best_column(layout.header, layout.extra, [[str(c) for c in r] for r in sample], wanted)
    if best < 0:
        best = max(layout.extra, key=lambda i: (any(w in header_key(layout.header[i]) for w in _ID_WORDS), -i))
    return layout.header[best]


def check_layout(layout: Layout, kind: str, name: str, sample: Sequence[Sequence[Cell]] = ()) -> None:
    """Refuse a layout without an address and an identity (or, for comps, a sale price and date)."""
    missing: list[str] = []
    if not layout.has(*ADDRESS_FIELDS):
        missing.append("the property address (UnparsedAddress, or StreetNumber + StreetName)")
    if kind == "comps":
        for f, what in (("ClosePrice", "the sale price (ClosePrice)"), ("CloseDate", "the sale date (CloseDate)")):
            if not layout.has(f):
                missing.append(what)
    elif not layout.has(*IDENTITY_FIELDS):
        missing.append("an identity (ListingId, OwnerName or ParcelNumber)")
    if not missing:
        return
    unplaced = ", ".join(repr(h) for h in layout.unplaced[:12]) or "none"
    more = f" and {len(layout.extra) - 12} more" if len(layout.extra) > 12 else ""
    wanted = "UnparsedAddress" if not layout.has(*ADDRESS_FIELDS) else "ClosePrice" if kind == "comps" else "ListingId"
    raise ImportRefused(
        f"{name}: cannot find {' or '.join(missing)} in its columns. Columns Relist could not place: {unplaced}{more}.",
        f'Say what they mean and import again: relist import {name} --map "{_guess(layout, sample, wanted)}={wanted}" '
        '--vendor NAME (e.g. --map "Seller Phone=OwnerPhone"; saved for that vendor).',
    )
