"""Vendor and MLS export presets: one reviewable data file each (lib/relist/data/vendors/*.toml).

A preset says what a known layout's columns mean (only those the alias table and the
evidence rules would not get right on their own), how its vendor writes values
(status words), where the layout was looked up, and the header signature that
recognises it. An import recognises a file's preset from its header row; `--vendor NAME`
forces one. The user's saved mappings and `--map` always win over a preset.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from relist.intake.aliases import AliasTable, header_key

MIN_SHARE = 0.6
"""Share of a preset's signature headers a file must have to be recognised as that layout."""


@dataclass(frozen=True)
class Preset:
    """One export layout: its name, sources, signature, column meanings and value words."""

    name: str
    file: str
    kind: str
    also: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str
    signature: frozenset[str]
    columns: Mapping[str, str]
    """Header key -> field."""
    values: Mapping[str, Mapping[str, str]]
    """Header key -> {folded cell text -> replacement}."""

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.also)


def fold_value(text: str) -> str:
    """A cell as value maps match it: case and surrounding space ignored."""
    return " ".join(text.split()).lower()


def parse_preset(text: str, file: str, aliases: AliasTable) -> Preset:
    """A preset from its TOML text; an unknown field or a missing part is refused naming the file."""
    data = tomllib.loads(text)
    for key in ("name", "sources", "signature"):
        if not data.get(key):
            raise ValueError(f"{file}: preset needs {key!r}")
    columns: dict[str, str] = {}
    for header, field in dict(data.get("columns", {})).items():
        known = aliases.field_named(str(field))
        if known is None:
            raise ValueError(f"{file}: column {header!r} -> {field!r} is not a field Relist knows")
        columns[header_key(str(header))] = known
    values = {
        header_key(str(h)): {fold_value(str(a)): str(b) for a, b in dict(m).items()}
        for h, m in dict(data.get("values", {})).items()
    }
    return Preset(
        name=str(data["name"]), file=file, kind=str(data.get("kind", "vendor")),
        also=tuple(str(a) for a in data.get("also", ())), sources=tuple(str(s) for s in data["sources"]),
        notes=str(data.get("notes", "")), signature=frozenset(header_key(str(h)) for h in data["signature"]),
        columns=columns, values=values,
    )


@lru_cache(maxsize=1)
def all_presets() -> tuple[Preset, ...]:
    """Every preset shipped in the package, by file name."""
    from relist.intake.aliases import default_aliases

    folder = resources.files("relist").joinpath("data/vendors")
    aliases = default_aliases()
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append(parse_preset(entry.read_text(encoding="utf-8"), f"data/vendors/{entry.name}", aliases))
    return tuple(out)


def preset_named(name: str) -> Preset | None:
    """The preset a --vendor name means (its name or another name it goes by; case and spacing ignored)."""
    key = header_key(name)
    for p in all_presets():
        if any(header_key(n) == key for n in p.names()):
            return p
    return None


def detect(header: Iterable[str]) -> tuple[Preset | None, str]:
    """The preset whose signature the header matches best, and a note on what was recognised (or why not)."""
    keys = {header_key(h) for h in header}
    scored = []
    for p in all_presets():
        hits = len(p.signature & keys)
        share = hits / len(p.signature)
        if share >= MIN_SHARE and hits >= min(3, len(p.signature)):
            scored.append((share, hits, p))
    if not scored:
        return None, ""
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    best = scored[0]
    if len(scored) > 1 and scored[1][:2] == best[:2]:
        names = " or ".join(p.name for _, _, p in scored if _ == best[0])
        return None, f"the layout could be {names}: no preset applied; say which with --vendor NAME"
    p = best[2]
    return p, f"layout recognised as {p.name}'s export; import with --vendor NAME to use another"


def signature_hits(preset: Preset, header: Iterable[str]) -> int:
    """How many of the preset's signature headers the header row has."""
    return len(preset.signature & {header_key(h) for h in header})


def preset_keys() -> frozenset[str]:
    """Every header key a preset gives a meaning (helps find the header row of a vendor file)."""
    return frozenset(k for p in all_presets() for k in p.columns)
