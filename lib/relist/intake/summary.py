"""What an import did: where every row went, and the rows it could not use."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from relist.words import count


@dataclass(frozen=True)
class Reject:
    """An input row Relist could not use: where it is, which cell, and why."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def line(self) -> str:
        where = f"{self.file} row {self.row}"
        cell = f", column {self.column!r}" if self.column else ""
        value = f" = {self.value!r}" if self.value else ""
        return f"{where}{cell}{value}: {self.reason}"


@dataclass
class ImportSummary:
    """Counts add up to `read`: every row is added, updated, a duplicate, not contactable, relisted or rejected."""

    import_id: str
    kind: str
    vendor: str
    files: list[str]
    read: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0
    not_contactable: int = 0
    relisted: int = 0
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    dry_run: bool = False
    unplaced: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return self.added + self.updated + self.duplicates + self.not_contactable + self.relisted + self.rejected

    def headline(self) -> str:
        """The one-line summary."""
        n = len(self.files)
        what = "comp" if self.kind == "comps" else "row"
        text = (
            f"Read {count(self.read, what)} from {count(n, 'file')}: {self.added} added, {self.updated} updated, "
            f"{count(self.duplicates, 'duplicate')}, {self.not_contactable} not contactable, {self.relisted} relisted, "
            f"{self.rejected} rejected"
        )
        tail = " (dry run: nothing written)" if self.dry_run else f" (import {self.import_id})"
        return text + tail + "."

    def lines(self, max_rejects: int = 10) -> list[str]:
        """Human-readable report: notes, unplaced columns, the first rejects, then the headline."""
        out = list(self.notes)
        for name, cols in self.unplaced.items():
            if cols:
                kept = "kept in each lead's Extra column" if self.kind != "comps" else "not kept (comps have no Extra column)"
                out.append(f"{name}: {len(cols)} column(s) not mapped, {kept}: {', '.join(cols)}")
        if self.rejects:
            out.append(f"Rejected rows ({len(self.rejects)}; {'see below' if self.dry_run else 'listed on the Rejects sheet'}):")
            out.extend(f"  {r.line()}" for r in self.rejects[:max_rejects])
            if len(self.rejects) > max_rejects:
                out.append(f"  ... and {len(self.rejects) - max_rejects} more")
        out.append(self.headline())
        return out

    def to_dict(self, max_rejects: int | None = None) -> dict[str, Any]:
        d = asdict(self)
        if max_rejects is not None:
            d["rejects"] = d["rejects"][:max_rejects]
        return d
