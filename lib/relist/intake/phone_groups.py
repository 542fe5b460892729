"""Owner phone columns and the flag columns that belong to each: DNC, status, type, litigator, relation.

Vendors put a number's flags in the columns beside it, named after it: REDX `Phone 1` +
`Phone 1 Status`, BatchLeads/PropStream `Phone 1` + `Phone 1 DNC` + `Phone 1 TYPE`,
Landvoice `OwnerPhone` + `OwnerPhoneDNC`, `Phone1` + `DNC1`, `LandvoiceContact1Phone` +
`LandvoiceContact1DNC`, DealMachine `contact_1_phone1` + `contact_1_phone1_type`. A flag
column is paired with its phone by name (the phone's header with `phone` replaced by, or
followed by, the flag word), or by number when a `--map` names it (`OwnerPhone2DNC` goes
with the second phone column). A flag value is read fail-closed: anything that is not a
clear "no" marks the number do-not-call; a litigator word marks it litigator.

A skip-traced contact's relation column (DealMachine `contact_N_flags`: `Likely Owner`,
`Resident`, `Family`...) flags every phone of that contact: a person the vendor links to the
home but does not call an owner is kept as a non-owner contact (PhoneStatus `Not owner`), never
dialled as the owner. The column also stays in Extra, so the relation is not lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

FLAG_WORDS: dict[str, str] = {
    "dnc": "dnc", "dncstatus": "dnc", "dncflag": "dnc", "donotcall": "dnc", "isdnc": "dnc", "federaldnc": "dnc",
    "status": "status", "phonestatus": "status",
    "type": "type", "linetype": "type", "phonetype": "type",
    "litigator": "litigator", "tcpalitigator": "litigator", "knownlitigator": "litigator", "islitigator": "litigator",
}
"""Header words (folded) of a phone's flag column -> what the column says about the number."""
RELATION_WORDS = ("flags", "flag", "relation", "relationship", "relationtoowner", "role")
"""Header words (folded) of a contact's relation column, after the contact's prefix: contact_1_flags."""
NOT_OWNER_STATUS = "Not owner"
"""PhoneStatus of a number the vendor found for someone other than the owner (a resident, a relative)."""

FLAG_FIELD = re.compile(r"^OwnerPhone(\d+)(DNC|Litigator|Type|Status)$")
"""Relist fields naming one numbered phone's flag (OwnerPhone2DNC, OwnerPhone1Litigator...)."""

_OWNER_PHONE = re.compile(
    r"^(?:owner\d*|landvoicecontact\d*|landvoiceowner|contact\d*|mlsowner|seller\d*|primary|secondary|alternate|alt"
    r"|mobile|cell|wireless|landline|home|skiptraced|skip|relative\d*)?(?:phone|cell|mobile|landline)(?:number)?\d*$"
)
"""Folded headers that hold an owner's phone although the alias table does not list them."""
_NOT_OWNER = ("agent", "office", "broker", "brokerage", "listing", "company", "fax", "selling", "buyer")

_CLEAN = frozenset({
    "", "n", "no", "false", "f", "0", "clean", "ok", "callable", "notdnc", "none", "-", "nodnc", "notondnc",
    "good", "valid", "verified", "active", "connected", "correct", "correctnumber", "call", "dialable",
    "notlitigator", "nolitigator",
})
_BAD = frozenset({"bad", "disconnected", "wrong", "wrongnumber", "invalid", "incorrect", "notinservice", "dead", "badnumber"})
_KINDS = {
    "mobile": "mobile", "wireless": "mobile", "cell": "mobile", "cellular": "mobile", "cellphone": "mobile",
    "landline": "landline", "land": "landline", "residential": "landline", "home": "landline", "fixed": "landline",
    "wireline": "landline", "voip": "voip",
}
_FOLD = re.compile(r"[^0-9a-z]+")


class PhoneGroup(NamedTuple):
    """One phone column and the columns flagging its numbers."""

    phone: int
    dnc: tuple[int, ...] = ()
    status: tuple[int, ...] = ()
    type: tuple[int, ...] = ()
    litigator: tuple[int, ...] = ()
    relation: tuple[int, ...] = ()


class Flag(NamedTuple):
    """What one flag cell says about a number."""

    dnc: bool = False
    litigator: bool = False
    bad: bool = False
    kind: str = ""
    not_owner: bool = False


NO_FLAG = Flag()


def looks_like_owner_phone(key: str) -> bool:
    """A folded header that names an owner phone column (not the agent's or the office's)."""
    return bool(_OWNER_PHONE.match(key)) and not any(w in key for w in _NOT_OWNER)


def _numbers(key: str) -> tuple[int, ...]:
    return tuple(int(d) for d in re.findall(r"\d+", key))


def flag_keys(phone_key: str) -> dict[str, str]:
    """Folded headers of the flag columns that would belong to the phone column `phone_key`."""
    out: dict[str, str] = {}
    for word, what in FLAG_WORDS.items():
        out.setdefault(phone_key + word, what)
        if "phone" in phone_key:
            out.setdefault(phone_key.replace("phone", word, 1), what)
            out.setdefault(phone_key.replace("phone", "phone" + word, 1), what)
        m = re.match(r"^(.*?)(\d+)$", phone_key)
        if m:
            out.setdefault(f"{m.group(1)}{word}{m.group(2)}", what)
    out.pop(phone_key, None)
    return out


def relation_keys(phone_key: str) -> tuple[str, ...]:
    """Folded headers of the relation column of the contact whose phone column is `phone_key`
    ('contact1phone2' -> 'contact1flags', 'contact1relationship'...); none for a phone of no named contact."""
    m = re.match(r"^(.*(?:contact|relative|person|associate)\d*)phone\d*$", phone_key)
    return tuple(m.group(1) + w for w in RELATION_WORDS) if m else ()


def group_phones(
    keys: Sequence[str],
    phone_cols: Sequence[tuple[int, tuple[int, ...]]],
    free: Sequence[int],
    by_field: Mapping[int, tuple[int, str]],
) -> tuple[list[PhoneGroup], set[int]]:
    """Pair every phone column with its flag columns.

    `phone_cols`: (column, order) of the phone columns; `free`: columns not placed on any
    field (a flag column found by name is taken from them); `by_field`: columns placed on a
    numbered flag field by the alias table or --map, as column -> (phone number, what).
    Returns the groups in phone order and the columns they took.
    """
    ordered = [i for i, _ in sorted(phone_cols, key=lambda c: (c[1], c[0]))]
    found: dict[int, dict[str, list[int]]] = {i: {} for i in ordered}
    taken: set[int] = set()
    by_key: dict[str, list[int]] = {}
    for i in (*free, *(i for i, (_, what) in by_field.items() if what != "phone")):
        by_key.setdefault(keys[i], []).append(i)
    for p in ordered:
        for key, what in flag_keys(keys[p]).items():
            for i in by_key.get(key, ()):
                if i not in taken:
                    found[p].setdefault(by_field[i][1] if i in by_field else what, []).append(i)
                    taken.add(i)
    relation: dict[int, list[int]] = {}
    for p in ordered:  # a contact's relation column flags each of its phones; it stays free (in Extra) too
        for key in relation_keys(keys[p]):
            relation.setdefault(p, []).extend(by_key.get(key, ()))
    # a numbered flag field (alias table or --map) not named after its phone: the N-th phone, as the Phones sheet numbers them
    for i, (n, what) in sorted(by_field.items()):
        if what == "phone" or i in taken or not 0 < n <= len(ordered):
            continue
        found[ordered[n - 1]].setdefault(what, []).append(i)
        taken.add(i)
    groups = [
        PhoneGroup(p, tuple(f.get("dnc", ())), tuple(f.get("status", ())), tuple(f.get("type", ())), tuple(f.get("litigator", ())),
                   tuple(relation.get(p, ())))
        for p, f in ((p, found[p]) for p in ordered)
    ]
    return groups, taken


_OWNER_WORDS = frozenset({"likelyowner", "owner", "primaryowner", "currentowner", "propertyowner", "owner1", "owner2",
                          "coowner", "possibleowner", "potentialowner", "deedowner", "self"})
_NOT_A_RELATION = frozenset({"dnc", "donotcall", "litigator", "tcpa", "tcpalitigator", "deceased", "verified", "new", ""})


def read_relation(text: str) -> Flag:
    """A contact's relation cell ('Likely Owner', 'Resident, Family', 'Family, Wireless'): a person named as
    anything but an owner is not the owner; line types and DNC/litigator words in it flag the number too.
    A blank cell (or one of line types only) says nothing about who the person is."""
    parts = [_FOLD.sub("", w.lower()) for w in re.split(r"[,;|/]+", text)]
    owner = any(w in _OWNER_WORDS for w in parts)
    kind = next((_KINDS[w] for w in parts if w in _KINDS), "")
    other = [w for w in parts if w not in _OWNER_WORDS and w not in _KINDS and w not in _NOT_A_RELATION]
    dnc = any(w in ("dnc", "donotcall") for w in parts)
    litigator = any("litig" in w or "tcpa" in w for w in parts)
    if not (other or dnc or litigator or kind):
        return NO_FLAG
    return Flag(dnc=dnc, litigator=litigator, kind=kind, not_owner=bool(other) and not owner)


def read_flag(what: str, text: str) -> Flag:
    """One flag cell, read fail-closed: only a clear 'no' (or a line type) leaves the number callable."""
    if what == "relation":
        return read_relation(text)
    t = _FOLD.sub("", text.lower())
    if t in _CLEAN:
        return NO_FLAG
    kind = _KINDS.get(t, "")
    litigator = "litig" in t or "tcpa" in t
    if what == "litigator":
        return Flag(litigator=True)
    if what == "type":
        if kind:
            return Flag(kind=kind)
        for word, k in _KINDS.items():
            if t.startswith(word):
                kind = k
                t = t[len(word):]
                break
        if not t:
            return Flag(kind=kind)
        return Flag(dnc="dnc" in t or "donotcall" in t, litigator=litigator, kind=kind)
    if what == "status":
        if kind:
            return Flag(kind=kind)
        if t in _BAD:
            return Flag(bad=True)
    if litigator:
        rest = t.replace("litigator", "").replace("tcpa", "").replace("and", "")
        return Flag(dnc="dnc" in rest or "donotcall" in rest, litigator=True)
    return Flag(dnc=True)


def merge(flags: Sequence[Flag]) -> Flag:
    """Several flag cells about one number: any DNC, litigator or bad mark holds; the first line type."""
    if len(flags) == 1:
        return flags[0]
    return Flag(
        any(f.dnc for f in flags), any(f.litigator for f in flags), any(f.bad for f in flags),
        next((f.kind for f in flags if f.kind), ""), any(f.not_owner for f in flags),
    )
