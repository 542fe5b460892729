"""The alias table (data/aliases.csv): export column headers -> RESO field names."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

IGNORE = "Ignore"
"""Pseudo field for `--map "Header=Ignore"`: drop a column on purpose (never silently)."""


def header_key(header: str) -> str:
    """A header folded for matching: case, spaces and punctuation ignored ("MLS # Link" -> "mlslink")."""
    return _NOT_ALNUM.sub("", header.lower())


@dataclass(frozen=True)
class AliasTable:
    """Header key -> candidate fields, in the table's order of preference."""

    by_key: dict[str, tuple[str, ...]]
    fields: frozenset[str]

    def candidates(self, header: str) -> tuple[str, ...]:
        return self.by_key.get(header_key(header), ())

    def field_named(self, name: str) -> str | None:
        """The field a user typed in --map (any case/spacing), or None when unknown."""
        key = header_key(name)
        if key == header_key(IGNORE):
            return IGNORE
        for f in self.fields:
            if header_key(f) == key:
                return f
        return None


def parse_alias_text(text: str) -> AliasTable:
    """An alias table from CSV text `field,alias` ('#' lines are comments)."""
    by_key: dict[str, list[str]] = {}
    fields: set[str] = set()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    for i, row in enumerate(reader):
        if i == 0 and row[:2] == ["field", "alias"]:
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"aliases.csv: bad line {row!r}; expected field,alias")
        field, alias = row[0].strip(), row[1].strip()
        fields.add(field)
        got = by_key.setdefault(header_key(alias), [])
        if field not in got:
            got.append(field)
    return AliasTable({k: tuple(v) for k, v in by_key.items()}, frozenset(fields))


@lru_cache(maxsize=1)
def default_aliases() -> AliasTable:
    """The alias table shipped in the package."""
    text = resources.files("relist").joinpath("data/aliases.csv").read_text(encoding="utf-8")
    return parse_alias_text(text)
