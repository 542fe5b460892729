"""Which of several address-like columns is the property's: decided by evidence, never by column order.

Exports often carry two addresses: the listed home's and the owner's or the skip-traced
contact's (REDX `Address` + `Property Address`; Landvoice `Address, City, State, Zip` then
`Property Address, City, State, Postal Code`; `PropertyStreet` + `OwnerStreet`). Each
candidate column is scored on:

- its header: `Property`/`Site`/`Situs` words count for the property, `Mailing`/`Owner`/
  `Contact`/`Tax` words against it;
- its neighbours: an unlabelled `City` or `Zip` belongs to the address line just left of it;
- its values: street lines for an address, five-digit codes for a ZIP, and for a one-line
  address the share of rows whose ZIP agrees with the listing's ZIP column.

The best column takes the property field; a loser that is labelled for the owner (or sits
beside the losing address line) becomes the mailing field; equal scores are kept in the
layout's notes with the `--map` that settles them, never decided silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from relist.intake.aliases import header_key
from relist.intake.values import Cell

PROPERTY_WORDS = frozenset({"property", "prop", "site", "situs", "subject", "listing", "listed", "home", "parcel"})
MAILING_WORDS = frozenset({"mailing", "mail", "owner", "ownr", "contact", "tax", "billing", "recipient", "seller"})
_COMPONENTS: dict[str, str] = {
    "address": "line", "street": "line", "streetaddress": "line", "addressline1": "line", "address1": "line",
    "line1": "line", "fulladdress": "line", "addressfull": "line", "addr": "line",
    "city": "city", "town": "city", "cityname": "city",
    "state": "state", "stateorprovince": "state",
    "zip": "zip", "zipcode": "zip", "postalcode": "zip", "postal": "zip", "zip5": "zip", "postcode": "zip",
    "housenumber": "number", "streetnumber": "number", "houseno": "number",
    "streetname": "name",
    "unit": "unit", "unitnumber": "unit", "apt": "unit", "addressline2": "unit", "line2": "unit", "address2": "unit",
    "county": "county",
}
PROPERTY_FIELD = {
    "line": "UnparsedAddress", "city": "City", "state": "StateOrProvince", "zip": "PostalCode", "number": "StreetNumber",
    "name": "StreetName", "unit": "UnitNumber", "county": "CountyOrParish",
}
MAILING_FIELD = {"line": "MailingAddress", "city": "MailingCity", "state": "MailingState", "zip": "MailingPostalCode"}
COMPONENT_OF = {f: c for c, f in PROPERTY_FIELD.items()} | {f: c for c, f in MAILING_FIELD.items()}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[^A-Za-z0-9]+|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_STREET = re.compile(r"^\s*\d+[A-Za-z]?(?:-\d+)?\s+\S")
_ZIP = re.compile(r"^\s*\d{5}(?:-\d{4})?\s*$")
_LINE_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\s*$")


def words(header: str) -> list[str]:
    """'PropertyStreet' -> ['property', 'street']; 'property_address_line_1' -> ['property', 'address', 'line', '1']."""
    return [w.lower() for w in _CAMEL.split(header) if w]


_SCOPE_WORDS = sorted(PROPERTY_WORDS | MAILING_WORDS, key=len, reverse=True)


def _split(header: str) -> tuple[int, str]:
    """(scope, the rest of the folded header): leading scope words taken off, whatever the case or spacing.

    'PropertyStreet', 'PROPERTYSTREET', 'property_street' -> (1, 'street'); 'Owner Mailing Zip' -> (-1, 'zip').
    """
    key = header_key(header)
    found = 0
    while True:
        for w in _SCOPE_WORDS:
            if key.startswith(w) and len(key) > len(w):
                found = found or (1 if w in PROPERTY_WORDS else -1)
                key = key[len(w):].lstrip("0123456789")
                break
        else:
            break
    if not found:
        ws = set(words(header))  # a scope word later in the header: 'Zip (Property)', 'Address of Owner'
        found = 1 if ws & PROPERTY_WORDS else -1 if ws & MAILING_WORDS else 0
        if found:
            key = "".join(w for w in words(header) if w not in PROPERTY_WORDS and w not in MAILING_WORDS)
    return found, key


def scope(header: str) -> int:
    """+1 when the header names the property, -1 when it names the owner, mailing or a contact, else 0."""
    return _split(header)[0]


def component(header: str) -> str:
    """The address part a header names once its scope words are set aside ('' when none)."""
    joined = _split(header)[1]
    got = _COMPONENTS.get(joined)
    if got:
        return got
    for lead in ("address", "addr"):  # owner_address_zip, property_address_city
        if joined.startswith(lead) and _COMPONENTS.get(joined[len(lead):]) not in (None, "line"):
            return _COMPONENTS[joined[len(lead):]]
    if joined in ("addressline1", "addressline", "streetline", "line"):
        return "line"
    return ""


def field_of(header: str) -> str:
    """The field an unaliased address-like header names: 'PropertyStreet' -> UnparsedAddress, 'OwnerCity' -> MailingCity."""
    c = component(header)
    if not c:
        return ""
    s = scope(header)
    if s > 0:
        return PROPERTY_FIELD.get(c, "")
    if s < 0:
        return MAILING_FIELD.get(c, "")
    return ""


class Choice(NamedTuple):
    """The column chosen for a property field, the losers, and what was said about it."""

    winner: int
    losers: tuple[int, ...]
    note: str


def effective_scopes(header: Sequence[str]) -> list[int]:
    """Each column's weight for the property: 3 when its header names the property (-3 the owner's or a contact's);
    an unlabelled part counts 2 (or -2) for the labelled address line just left of it (within four columns), else 0."""
    own = [scope(h) for h in header]
    comps = [component(h) for h in header]
    out = [3 * s for s in own]
    for i, s in enumerate(own):
        if s or not comps[i] or comps[i] == "line":
            continue
        for j in range(i - 1, max(-1, i - 5), -1):
            if comps[j] == "line":
                out[i] = 2 * own[j]
                break
    return out


def _share(values: Sequence[str], pattern: re.Pattern[str]) -> float:
    seen = [v for v in values if v.strip()]
    return sum(bool(pattern.match(v)) for v in seen) / len(seen) if seen else 0.0


def choose(
    field: str,
    cols: Sequence[int],
    header: Sequence[str],
    scopes: Sequence[int],
    sample: Sequence[Sequence[Cell]],
    zip_col: int = -1,
) -> Choice:
    """The column of `cols` that holds the property's `field`, by header, neighbours and values."""

    def values(i: int) -> list[str]:
        return [str(r[i]) for r in sample if i < len(r)]

    def score(i: int) -> float:
        s = float(scopes[i])
        vals = values(i)
        if field == "UnparsedAddress":
            s += _share(vals, _STREET)
            if zip_col >= 0:
                zips = values(zip_col)
                pairs = [(m.group(1), z.strip()[:5]) for v, z in zip(vals, zips, strict=False)
                         if (m := _LINE_ZIP.search(v)) and z.strip()]
                if pairs:
                    s += 2.0 * (sum(a == b for a, b in pairs) / len(pairs)) - 1.0
        elif field == "PostalCode":
            s += _share(vals, _ZIP)
        return s

    scored = sorted(((score(i), -i, i) for i in cols), reverse=True)
    best, second = scored[0], scored[1]
    winner = best[2]
    losers = tuple(i for _, _, i in scored[1:])
    note = ""
    if abs(best[0] - second[0]) < 1e-9:
        other = header[second[2]]
        note = (f"columns {header[winner]!r} and {other!r} could both be {field}; {header[winner]!r} was used (the first). "
                f'If {other!r} is the listed home\'s, import with --map "{other}={field}"')
    return Choice(winner, losers, note)
