"""An in-memory workbook port: the hand-written fake services are unit-tested against.

It passes the same contract tests as the file and live adapters, so a service
that works here works on a real workbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from relist import schema
from relist.workbook.port import Record, Selection, check_columns, coerce

if TYPE_CHECKING:
    import pandas as pd


def _settings_rows() -> list[Record]:
    return [{"Setting": s.shown, "Value": s.default, "Help": s.help} for s in schema.SETTINGS_ROWS]


def default_rows(table: str) -> list[Record]:
    """The rows a new workbook starts with (Settings defaults, the default Sequence)."""
    if table == "tblSettings":
        return _settings_rows()
    if table == "tblSequence":
        from relist.sequence.defaults import DEFAULT_SEQUENCE_ROWS

        return [dict(r) for r in DEFAULT_SEQUENCE_ROWS]
    return []


class MemoryWorkbook:
    """A Relist workbook held in dicts; `saved` counts saves, `messages` collects tell()."""

    def __init__(self, tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> None:
        self.tables: dict[str, list[Record]] = {}
        for spec in schema.TABLE_SHEETS:
            self.tables[spec.table] = [dict(r) for r in default_rows(spec.table)]
        for name, rows in (tables or {}).items():
            spec = schema.table(name)
            self.tables[spec.table] = [self._typed(spec, r) for r in rows]
        self.cells: dict[str, dict[str, Any]] = {}
        self.pictures: dict[str, dict[str, bytes]] = {}
        self.messages: list[tuple[str, str]] = []
        self.saved = 0
        self.selected: Selection | None = None

    @staticmethod
    def _typed(spec: schema.TableSheet, row: Mapping[str, Any]) -> Record:
        cols = {c.name: c for c in spec.columns}
        return {k: (coerce(cols[k], v) if k in cols else v) for k, v in row.items()}

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[Record]:
        spec = schema.table(table)
        rows = self.tables[spec.table]
        if columns:
            cols = list(columns)
            return [{n: r.get(n) for n in cols} for r in rows]
        known = set(spec.names)
        names = list(spec.names) + list(dict.fromkeys(k for r in rows for k in r if k not in known))
        return [{n: r.get(n) for n in names} for r in rows]

    def read_frame(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        import pandas as pd

        spec = schema.table(table)
        names = list(columns) if columns else list(spec.names)
        return pd.DataFrame(self.read_records(table, columns), columns=names)

    def append_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        spec = schema.table(table)
        check_columns(spec, rows, self._user_columns(spec))
        self.tables[spec.table].extend(self._typed(spec, r) for r in rows)

    def update_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key: str | None = None) -> int:
        spec = schema.table(table)
        key = key or spec.key
        if key is None:
            raise KeyError(f"{spec.table} has no key; pass key=")
        check_columns(spec, rows, self._user_columns(spec))
        if spec.append_only and any(set(r) - {key, "RemovedAt", "RemovedReason"} for r in rows):
            raise PermissionError(f"{spec.table} is append-only")
        index = {r.get(key): i for i, r in enumerate(self.tables[spec.table])}
        changed = 0
        for r in rows:
            i = index.get(r[key])
            if i is None:
                continue
            self.tables[spec.table][i].update(self._typed(spec, r))
            changed += 1
        return changed

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        spec = schema.table(table)
        check_columns(spec, rows, self._user_columns(spec))
        self.tables[spec.table] = [self._typed(spec, r) for r in rows]

    def _user_columns(self, spec: schema.TableSheet) -> list[str]:
        return [k for r in self.tables[spec.table][:1] for k in r if k not in spec.names]

    def read_cells(self, sheet: str, refs: Sequence[str]) -> dict[str, Any]:
        got = self.cells.get(sheet, {})
        return {r: got.get(r) for r in refs}

    def write_cells(self, sheet: str, cells: Mapping[str, Any]) -> None:
        self.cells.setdefault(sheet, {}).update(cells)

    def add_picture(self, sheet: str, png: bytes, anchor: str, name: str) -> None:
        self.pictures.setdefault(sheet, {})[name] = png

    def selection(self) -> Selection | None:
        return self.selected

    def tell(self, message: str, level: str = "info") -> None:
        self.messages.append((level, message))

    def status(self, message: str) -> None:
        self.messages.append(("status", message))

    def save(self) -> None:
        self.saved += 1
