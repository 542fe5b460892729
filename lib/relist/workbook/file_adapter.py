"""The file adapter: a Relist .xlsx on disk, read fast with calamine, saved losslessly and atomically.

Reads go through python-calamine. A save rewrites (or splices rows into) only the
parts the product owns: its table sheets' XML, their table parts and relationship
parts, the calcChain entries of those sheets, and the calcPr flag that makes Excel
recalculate on open. Every other part is copied byte for byte, so user sheets,
charts, pictures, VBA, pivot caches and styles survive. Saves are atomic (temp
file + rename) and keep rotating backups.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from relist import schema
from relist.clock import machine_now
from relist.durable import fsync_dir
from relist.errors import NotARelistWorkbook, WorkbookError, WorkbookLocked
from relist.workbook import cache_later, table_cache
from relist.workbook import package as pkg
from relist.workbook.port import (
    Record,
    Selection,
    check_columns,
    coerce,
    converter,
    meta_version,
    missing_columns,
)

if TYPE_CHECKING:
    import pandas as pd

BACKUP_DIR_SUFFIX = " backups"


DAMAGE: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, ET.ParseError, UnicodeDecodeError, NotImplementedError,
)
"""What reading a damaged package raises (a part's CRC, its deflate stream, its XML)."""


def damaged(path: Path, exc: BaseException) -> NotARelistWorkbook:
    return NotARelistWorkbook(
        f"{path.name} is damaged ({exc}); nothing was changed.",
        f"Restore the newest copy from the '{backup_dir(path).name}' folder beside it.",
    )


def lock_files(path: Path) -> list[Path]:
    """Owner lock files Excel (~$name) and LibreOffice (.~lock.name#) leave while a workbook is open."""
    return [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def backup_dir(path: Path) -> Path:
    return path.with_name(path.stem + BACKUP_DIR_SUFFIX)


def backup_file(path: Path, keep: int, tag: str = "") -> Path | None:
    """Keep a copy of `path` in its backups folder; only the newest `keep` copies stay."""
    if keep <= 0 or not path.exists():
        return None
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = machine_now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem} {stamp}{(' ' + tag) if tag else ''}{path.suffix}"
    try:
        os.link(path, target)
    except OSError:
        import shutil

        shutil.copy2(path, target)
    backups = sorted(folder.glob(f"{path.stem} *{path.suffix}"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)
    return target


@dataclass
class _TableState:
    info: pkg.TableInfo
    sheet_name: str
    sheet_part: str
    records: list[Record] | None = None
    rownums: list[int] = field(default_factory=list)  # sheet row of each record
    mode: str = ""  # "", "splice", "replace"
    changed: set[int] = field(default_factory=set)
    appended_from: int | None = None
    # The read cache (table_cache): its entry (False once missed), and changes made without loading
    # the table: changed rows by index (whole records) and appended records.
    entry: Any = None
    sparse: dict[int, Record] | None = None
    extra: list[Record] = field(default_factory=list)
    written: tuple[bool, list[int]] | None = None  # set by the writer: (spliced, sheet row of each record)
    relabelled: bool = False  # the migration renamed its headers: the header row is written anew


def _records(spec: schema.TableSheet | None, header: Sequence[str], data: list[list[Any]]) -> list[Record]:
    """Sheet rows as typed records (row by row: faster than transposing a year of data)."""
    cols = {c.name: c for c in spec.columns} if spec else {}

    def plain(v: Any) -> Any:
        return None if v == "" else v

    convs = [converter(cols[name]) if name in cols else plain for name in header]
    return [{h: f(v) for h, f, v in zip(header, convs, raw, strict=False)} for raw in data]


class FileWorkbook:
    """A Relist workbook file, opened for reading and (atomic, lossless) saving."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        self.messages: list[tuple[str, str]] = []
        self.on_status: Callable[[str], None] | None = None
        self._check_openable()
        try:
            self._load_package(self.path.read_bytes())
            self._check_product(migrate)
        except DAMAGE as exc:
            raise damaged(self.path, exc) from exc

    # ---------------------------------------------------------------- opening

    def _check_openable(self) -> None:
        p = self.path
        if not p.exists():
            raise WorkbookError(f"{p} does not exist.", "Check the path, or make a new workbook with: relist init PATH")
        if p.is_dir():
            raise WorkbookError(f"{p} is a folder, not a workbook.", "Give the path of the .xlsx file.")
        if p.suffix.lower() not in (".xlsx", ".xlsm"):
            raise WorkbookError(f"{p.name} is not an .xlsx workbook.", "Give the path of your Relist .xlsx file.")
        for lock in lock_files(p):
            if lock.exists():
                raise WorkbookLocked(
                    f"{p.name} is open in Excel or LibreOffice (found {lock.name}).",
                    f"Close it there first, or use the Relist ribbon inside Excel. If it is open nowhere, "
                    f"a crash left {lock.name} behind: delete that file.",
                )

    def _load_package(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            names = self._zip.namelist()
        except zipfile.BadZipFile as exc:
            raise NotARelistWorkbook(
                f"{self.path.name} is not a valid .xlsx file (it may be damaged or another format).",
                "Open it in Excel and save it as an Excel Workbook (.xlsx), or restore a backup.",
            ) from exc
        self._data = data
        self._names = names
        self._calamine: Any = None
        wb_rels_path = "xl/_rels/workbook.xml.rels"
        wb_part = "xl/workbook.xml"
        if wb_part not in names:
            # Some writers rename parts; find the workbook through the package relationships.
            for prel in pkg.parse_rels(self._read("_rels/.rels")):
                if prel.type.endswith("/officeDocument"):
                    wb_part = pkg.resolve("", prel.target)
            wb_rels_path = pkg.rels_path(wb_part)
        if wb_part not in names:
            raise NotARelistWorkbook(f"{self.path.name} has no workbook part.", "Restore a backup of your workbook.")
        self._wb_part = wb_part
        self._wb_rels_path = wb_rels_path
        import xml.etree.ElementTree as ET

        root = ET.fromstring(self._read(wb_part) or b"<workbook/>")
        rels = {r.id: r for r in pkg.parse_rels(self._read(wb_rels_path))}
        self._sheet_parts: dict[str, str] = {}
        self._sheet_ids: dict[str, int] = {}
        for el in root.iter(f"{{{pkg.NS_MAIN}}}sheet"):
            name = el.get("name", "")
            rid = el.get(f"{{{pkg.NS_REL}}}id", "")
            rel = rels.get(rid)
            if rel is None:
                continue
            self._sheet_parts[name] = pkg.resolve(wb_part, rel.target)
            self._sheet_ids[name] = int(el.get("sheetId", "0"))
        self._calc_chain_part = next(
            (pkg.resolve(wb_part, r.target) for r in rels.values() if r.type.endswith("/calcChain")), None
        )
        self._tables: dict[str, _TableState] = {}
        self._cache = table_cache.TableCache(self.path) if table_cache.enabled() else None
        targets = self._table_targets()
        for sheet_name, part in self._sheet_parts.items():
            for target in targets[part]:
                tpart = pkg.resolve(part, target)
                info = pkg.parse_table(tpart, self._read(tpart) or b"")
                if info.name.lower() in _SPEC_NAMES:
                    info.relabel(schema.table(info.name).fields)
                self._tables[info.name.lower()] = _TableState(info, sheet_name, part)
        self._cell_edits: dict[str, dict[str, Any]] = {}
        self._pending_parts: dict[str, bytes] = {}
        self._pics: list[tuple[str, bytes, str, str]] = []
        self._cache_facts: tuple[Any, ...] | None = None
        self._meta: list[list[Any]] | None = None

    def _table_targets(self) -> dict[str, list[str]]:
        """Each sheet's table targets, from its relationships part. A sheet with a hyperlink per row
        has megabytes of them, so what was found is kept in the read cache for the part's entry
        (CRC-32 and sizes as the central directory records them) and only a changed part is read."""
        cache = self._cache
        known = cache.table_parts() if cache is not None else {}
        found: dict[str, tuple[table_cache.Key, list[str]]] = {}
        out: dict[str, list[str]] = {}
        for part in self._sheet_parts.values():
            rels = pkg.rels_path(part)
            try:
                i = self._zip.getinfo(rels)
            except KeyError:
                out[part] = []
                continue
            key = (i.CRC, i.compress_size, i.file_size, i.compress_type)
            hit = known.get(rels)
            if hit is not None and hit[0] == key:
                out[part] = list(hit[1])
            else:
                out[part] = pkg.table_targets(self._read(rels))
            found[rels] = (key, out[part])
        if cache is not None and found != known:
            cache.store_table_parts(found)
        return out

    def _read(self, part: str) -> bytes | None:
        try:
            return self._zip.read(part)
        except KeyError:
            return None

    def _book(self) -> Any:
        if self._calamine is None:
            import python_calamine

            self._calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        return self._calamine

    def _sheet_rows(self, sheet: str) -> list[list[Any]]:
        try:
            return list(self._book().get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        except BaseException as exc:
            # calamine's Rust code panics (a BaseException) on some damaged files
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            raise NotARelistWorkbook(
                f"{self.path.name} cannot be read: its sheet {sheet!r} is damaged.",
                "Restore the newest copy from the backups folder beside the workbook.",
            ) from exc

    def _meta_rows(self) -> list[list[Any]]:
        """The product's own small sheet, kept in the read cache while its part and the shared strings
        are unchanged (reading it otherwise loads the whole file into the sheet reader)."""
        if self._meta is not None:
            return self._meta
        part = self._sheet_parts[schema.META_SHEET]
        key: table_cache.Key | None = None
        if self._cache is not None:
            if self._cache_facts is None:
                self._cache_facts = table_cache.package_facts(self._zip, self._wb_part, self._read(self._wb_rels_path))
            key = table_cache.sheet_key(self._zip, self._cache_facts, part)
            kept = self._cache.sheet(part, key)
            if kept is not None:
                self._meta = kept
                return kept
        rows = self._sheet_rows(schema.META_SHEET)
        if self._cache is not None and key is not None:
            self._cache.store_sheet(part, key, rows)
        self._meta = rows
        return rows

    def _check_product(self, migrate: bool) -> None:
        if schema.META_SHEET not in self._sheet_parts:
            raise NotARelistWorkbook(
                f"{self.path.name} is not a Relist workbook.",
                "Make one with: relist init PATH (then import your data into it).",
            )
        rows = self._meta_rows()
        meta = {str(r[0]): r[1] for r in rows if len(r) >= 2 and r[0] != ""}
        version = meta_version(self.path.name, meta, "Make one with: relist init PATH")
        self.schema_version = version
        missing = [t.table for t in schema.TABLE_SHEETS if t.table.lower() not in self._tables]
        if missing:
            raise NotARelistWorkbook(
                f"{self.path.name} is missing Relist tables {', '.join(missing)} (renamed or deleted?).",
                "Restore a backup from the folder next to the workbook, or rename the table back in Excel (Table Design > Table Name).",
            )
        if version >= schema.SCHEMA_VERSION:
            for spec in schema.TABLE_SHEETS:
                refusal = missing_columns(self.path.name, spec, self._tables[spec.table.lower()].info.columns)
                if refusal is not None:
                    raise refusal
        if version < schema.SCHEMA_VERSION:
            if not migrate:
                raise WorkbookError(f"{self.path.name} needs migrating to workbook version {schema.SCHEMA_VERSION}.")
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Add the columns newer schemas declare, after a backup; then save in place."""
        from relist.workbook import migrate

        self._backup_current(keep=max(self._backup_count(), 1), tag=f"before-v{schema.SCHEMA_VERSION}")
        migrate.add_missing_columns(self)
        migrate.relabel_headers(self)
        migrate.relabel_settings(self)
        self.write_cells(schema.META_SHEET, {"B2": schema.SCHEMA_VERSION})
        self.save(backup=False)
        self.schema_version = schema.SCHEMA_VERSION

    # ---------------------------------------------------------------- reading

    def _state(self, table: str) -> _TableState:
        spec = schema.table(table)
        st = self._tables.get(spec.table.lower())
        if st is None:
            raise NotARelistWorkbook(f"{self.path.name} has no table {spec.table}.", "Restore a backup.")
        return st

    def _load(self, st: _TableState) -> list[Record]:
        if st.records is not None:
            return st.records
        if st.sparse is not None:
            return self._materialize(st)
        entry = self._cached(st)
        if entry is not None:
            try:
                st.records, st.rownums = entry.records(), entry.rownums()
                return st.records
            except Exception:  # noqa: BLE001 - an unreadable cache: the full read
                st.entry = False
        records = self._read_table(st)
        cache = self._cache
        if cache is not None and st.info.name.lower() in _SPEC_NAMES and st.entry is False:
            key = self._cache_key(st)
            name, columns, rownums = st.info.name, st.info.columns, st.rownums
            if cache_later.deferring():  # written after the command answers, if the table is still as read

                def store(st: _TableState = st) -> None:
                    if not st.mode and st.records is records:
                        cache.store(name, key, columns, records, rownums)

                cache.later(name, store)
            else:
                cache.store(name, key, columns, records, rownums)
                st.entry = cache.open(name, key) or False
        return records

    # ---------------------------------------------------------------- the read cache

    def _cache_key(self, st: _TableState) -> table_cache.Key:
        if self._cache_facts is None:
            self._cache_facts = table_cache.package_facts(self._zip, self._wb_part, self._read(self._wb_rels_path))
        return table_cache.table_key(self._zip, self._cache_facts, st.info, st.sheet_part)

    def _cached(self, st: _TableState) -> table_cache.Entry | None:
        """The table's cache entry when it matches the file as read; None means the full read."""
        if self._cache is None or st.info.name.lower() not in _SPEC_NAMES:
            return None
        if st.entry is None:
            st.entry = self._cache.open(st.info.name, self._cache_key(st)) or False
        return st.entry or None

    def _sparse_entry(self, st: _TableState) -> table_cache.Entry | None:
        """The entry to change the table through without loading it (only before any full load)."""
        if st.records is not None or st.mode == "replace":
            return None
        entry = self._cached(st)
        if entry is None:
            return None
        if st.sparse is None:
            try:
                st.rownums = entry.rownums()
            except Exception:  # noqa: BLE001
                st.entry = False
                return None
            st.sparse = {}
        return entry

    def _materialize(self, st: _TableState) -> list[Record]:
        """Every record, the changes made without loading the table applied."""
        sparse, extra = st.sparse or {}, st.extra
        entry = st.entry
        expected = len(entry)
        try:
            records: list[Record] = entry.records()
        except Exception:  # noqa: BLE001 - read in full, then apply the same changes
            st.entry = False
            records = self._read_table(st)
            if len(records) != expected:
                raise WorkbookError(f"{self.path.name} changed while Relist was reading it; nothing was saved.", "Run the command again.") from None
        for i, rec in sparse.items():
            records[i] = rec
        records.extend(extra)
        st.records, st.sparse, st.extra = records, None, []
        return records

    def _segment_source(self, part: str) -> tuple[Any, bytes] | None:
        """The segment layout of a sheet part and the part's compressed bytes, when the layout is for this very entry."""
        if self._cache is None:
            return None
        try:
            info = self._zip.getinfo(part)
        except KeyError:
            return None
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return None
        layout = self._cache.layout(part, (info.CRC, info.compress_size, info.file_size))
        if layout is None:
            return None
        from relist.workbook import writer

        try:
            raw = writer._raw_bytes(self._zip, info)
        except Exception:  # noqa: BLE001
            return None
        if len(raw) != info.compress_size or layout.tail_start > len(raw):
            return None
        return layout, raw

    def _sparse_view(self, st: _TableState) -> _SparseRows:
        return _SparseRows(st.entry, st.sparse or {}, st.extra)

    def _rows_for_save(self, st: _TableState) -> Sequence[Record]:
        """The records a save encodes: the loaded ones, or a view of the cached table with its changes."""
        if st.records is not None:
            return st.records
        if st.sparse is not None:
            return self._sparse_view(st)
        return self._load(st)

    def _fast(self, st: _TableState) -> table_cache.Entry | None:
        """The cache entry to read from: only while the table has no pending change."""
        if st.records is not None or st.mode or st.sparse is not None:
            return None
        return self._cached(st)

    def _read_table(self, st: _TableState) -> list[Record]:
        """The full read: the table's rows from the sheet, typed by the schema."""
        info = st.info
        c1, r1, c2, r2 = info.bounds
        rows = self._sheet_rows(st.sheet_name)
        header = info.columns
        spec = schema.table(info.name) if info.name.lower() in _SPEC_NAMES else None
        first = r1 + info.header_rows - 1  # 0-based index of first data row
        last = r2 - info.totals_rows  # exclusive 0-based end
        width = c2 - c1 + 1
        data: list[list[Any]] = []
        rownums: list[int] = []
        for i in range(first, min(last, len(rows))):
            raw = rows[i][c1 - 1 : c2]
            if not any(v != "" and v is not None for v in raw):
                continue
            if len(raw) < width:
                raw = list(raw) + [""] * (width - len(raw))
            data.append(raw)
            rownums.append(i + 1)
        records = _records(spec, header, data)
        st.records = records
        st.rownums = rownums
        return records

    def table_columns(self, table: str) -> list[str]:
        """The table's columns as the workbook has them (schema columns plus user columns)."""
        return list(self._state(table).info.columns)

    def read_columns(self, table: str, columns: Sequence[str]) -> dict[str, list[Any]]:
        """Typed values of several columns, one list per column (`read_records` without a dict per row)."""
        st = self._state(table)
        entry = self._fast(st)
        if entry is not None:
            try:
                return {c: entry.column(c) if c in entry.columns else [None] * len(entry) for c in columns}
            except Exception:  # noqa: BLE001 - an unreadable cache: the full read
                st.entry = False
        records = self._load(st)
        return {c: [r.get(c) for r in records] for c in columns}

    def column_values(self, table: str, column: str) -> list[Any]:
        """One column's typed values, one per row (what read_records gives)."""
        return self.read_columns(table, [column])[column]

    def _rows_matching(
        self,
        table: str,
        column: str,
        columns: Sequence[str],
        pick: Callable[[list[Any]], list[int]],
        keep: Callable[[Any], bool],
        texts: Collection[str] | None = None,
    ) -> list[Record]:
        """Some columns of the rows `pick` chooses from the column's values (the cache: one column, then
        those rows; or, for rows holding one of the `texts`, the column's index and then those rows)."""
        st = self._state(table)
        cols = list(columns)
        entry = self._fast(st)
        if entry is not None:
            try:
                found = entry.rows_with(column, texts) if texts is not None and column in entry.columns else None
                if found is None:
                    values = entry.column(column) if column in entry.columns else [None] * len(entry)
                    found = pick(values)
                rows = [entry.row(i) for i in found]
                return [{c: r.get(c) for c in cols} for r in rows]
            except Exception:  # noqa: BLE001
                st.entry = False
        return [{c: r.get(c) for c in cols} for r in self._load(st) if keep(r.get(column))]

    def records_if(self, table: str, column: str, keep: Callable[[Any], bool], columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose `column` value passes `keep`."""
        return self._rows_matching(table, column, columns, lambda vs: [i for i, v in enumerate(vs) if keep(v)], keep)

    def records_where(self, table: str, column: str, value: Any, columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose `column` equals `value`."""
        texts = [value] if value.__class__ is str else None
        return self._rows_matching(
            table, column, columns, lambda vs: [i for i, v in enumerate(vs) if v == value], lambda v: v == value, texts
        )

    def records_in(self, table: str, column: str, values: Collection[Any], columns: Sequence[str]) -> list[Record]:
        """Some columns of the rows whose `column` value is one of `values`."""
        wanted = set(values)
        texts = wanted if all(v.__class__ is str for v in wanted) else None
        return self._rows_matching(
            table, column, columns, lambda vs: [i for i, v in enumerate(vs) if v in wanted], lambda v: v in wanted, texts
        )

    def tail(self, table: str, column: str) -> tuple[int, Any]:
        """The table's row count and the `column` value of its last row."""
        st = self._state(table)
        entry = self._fast(st)
        if entry is not None:
            try:
                n = len(entry)
                return n, (entry.row(n - 1).get(column) if n else None)
            except Exception:  # noqa: BLE001
                st.entry = False
        records = self._load(st)
        return len(records), (records[-1].get(column) if records else None)

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[Record]:
        st = self._state(table)
        records = self._load(st)
        if columns is None:
            return [dict(r) for r in records]
        cols = list(columns)
        return [{c: r.get(c) for c in cols} for r in records]

    def read_frame(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        import pandas as pd

        st = self._state(table)
        cols = list(columns) if columns is not None else st.info.columns
        return pd.DataFrame(self.read_records(table, columns), columns=cols)

    def read_cells(self, sheet: str, refs: Sequence[str]) -> dict[str, Any]:
        if sheet not in self._sheet_parts:
            raise WorkbookError(f"{self.path.name} has no sheet {sheet!r}.", "Restore a backup.")
        rows = self._meta_rows() if sheet == schema.META_SHEET else self._sheet_rows(sheet)
        edits = self._cell_edits.get(sheet, {})
        out: dict[str, Any] = {}
        for ref in refs:
            if ref in edits:
                out[ref] = edits[ref]
                continue
            c, r = pkg.split_ref(ref)
            try:
                v = rows[r - 1][c - 1]
            except IndexError:
                v = None
            out[ref] = None if v == "" else v
        return out

    # ---------------------------------------------------------------- changing

    def _check(self, st: _TableState, rows: Sequence[Mapping[str, Any]]) -> schema.TableSheet:
        spec = schema.table(st.info.name)
        check_columns(spec, rows, st.info.columns)
        return spec

    def _typed(self, spec: schema.TableSheet, row: Mapping[str, Any]) -> Record:
        cols = {c.name: c for c in spec.columns}
        return {k: (coerce(cols[k], v) if k in cols else v) for k, v in row.items()}

    def append_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        st = self._state(table)
        spec = self._check(st, rows)
        entry = self._sparse_entry(st)
        if entry is not None:
            if st.appended_from is None:
                st.appended_from = len(entry)
            st.extra.extend(self._typed(spec, r) for r in rows)
            st.mode = st.mode or "splice"
            return
        records = self._load(st)
        if st.appended_from is None:
            st.appended_from = len(records)
        records.extend(self._typed(spec, r) for r in rows)
        if not st.mode:
            st.mode = "splice"

    def update_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key: str | None = None) -> int:
        st = self._state(table)
        spec = self._check(st, rows)
        key = key or spec.key
        if key is None:
            raise KeyError(f"{spec.table} has no key; pass key=")
        if spec.append_only and any(set(r) - {key, "RemovedAt", "RemovedReason"} for r in rows):
            raise PermissionError(f"{spec.table} is append-only")
        entry = self._sparse_entry(st)
        if entry is not None:
            return self._update_sparse(st, entry, spec, rows, key)
        records = self._load(st)
        index = {r.get(key): i for i, r in enumerate(records)}
        changed = 0
        for r in rows:
            i = index.get(r.get(key))
            if i is None:
                continue
            records[i].update(self._typed(spec, r))
            if st.appended_from is None or i < st.appended_from:
                st.changed.add(i)
            changed += 1
        if changed and not st.mode:
            st.mode = "splice"
        return changed

    def _update_sparse(
        self, st: _TableState, entry: table_cache.Entry, spec: schema.TableSheet, rows: Sequence[Mapping[str, Any]], key: str
    ) -> int:
        """update_rows through the cache: only the matching rows are read (whole) and kept as changed."""
        try:
            keys = entry.column(key)
        except Exception:  # noqa: BLE001
            self._materialize(st)
            return self.update_rows(spec.table, rows, key)
        keys.extend(r.get(key) for r in st.extra)
        index = {v: i for i, v in enumerate(keys)}
        sparse = st.sparse if st.sparse is not None else {}
        n = len(entry)
        changed = 0
        for r in rows:
            i = index.get(r.get(key))
            if i is None:
                continue
            if i >= n:
                st.extra[i - n].update(self._typed(spec, r))
            else:
                rec = sparse.get(i)
                if rec is None:
                    rec = sparse[i] = entry.row(i)
                rec.update(self._typed(spec, r))
                st.changed.add(i)
            changed += 1
        if changed and not st.mode:
            st.mode = "splice"
        return changed

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        st = self._state(table)
        spec = self._check(st, rows)
        self._load(st)
        st.records = [self._typed(spec, r) for r in rows]
        st.mode = "replace"
        st.changed.clear()
        st.appended_from = None

    def write_cells(self, sheet: str, cells: Mapping[str, Any]) -> None:
        if sheet not in self._sheet_parts:
            raise WorkbookError(f"{self.path.name} has no sheet {sheet!r}.", "Restore a backup.")
        tops = [st.info.bounds[1] for st in self._tables.values() if st.sheet_name == sheet]
        for ref in cells:
            if tops and pkg.split_ref(ref)[1] >= min(tops) and sheet != schema.META_SHEET:
                raise WorkbookError(f"{sheet} holds a product table; change it through its table.")
        self._cell_edits.setdefault(sheet, {}).update(cells)

    def add_picture(self, sheet: str, png: bytes, anchor: str, name: str) -> None:
        if sheet not in self._sheet_parts:
            raise WorkbookError(f"{self.path.name} has no sheet {sheet!r}.", "Restore a backup.")
        pkg.split_ref(anchor)
        self._pics.append((sheet, png, anchor, name))

    def selection(self) -> Selection | None:
        return None

    def tell(self, message: str, level: str = "info") -> None:
        self.messages.append((level, message))

    def status(self, message: str) -> None:
        if self.on_status is not None:
            self.on_status(message)

    @property
    def dirty(self) -> bool:
        return bool(self._cell_edits or self._pics or self._pending_parts or any(st.mode for st in self._tables.values()))

    # ---------------------------------------------------------------- saving

    def _backup_count(self) -> int:
        try:
            from relist import settings

            return settings.load(self).backups
        except Exception:  # noqa: BLE001 - a broken Settings sheet must not stop a save
            return 5

    def _backup_current(self, keep: int, tag: str = "") -> Path | None:
        return backup_file(self.path, keep, tag)

    def save(self, *, backup: bool = True) -> None:
        """Write the changes atomically: new parts into a temp file, fsync, backup, rename.

        Runs under the writer lock (re-entrant: a command that holds it does not wait). Just
        before the rename the file on disk is compared, by content, with what was read; when
        someone else changed it meanwhile nothing is saved.
        """
        if not self.dirty:
            return
        from relist.workbook import writer
        from relist.workbook.lock import writer_lock

        with writer_lock(self.path):
            self._refuse_if_open_elsewhere()
            self._fit_sheets()
            pending = set(self._pending_parts)
            new_parts, removed = writer.render_changes(self)
            after = self._cache_plans(pending)
            written: dict[str, Any] = {}
            segment = (
                writer.segmenter({t.sheet_part for t in self._tables.values()}, written) if self._cache is not None else None
            )
            _remove_stale_temps(self.path)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX)
            tmp = Path(name)
            try:
                _copy_mode(self.path, fd)
                with os.fdopen(fd, "wb") as fh:
                    writer.write_package(self._zip, fh, new_parts, removed, segment)
                    fh.flush()
                    os.fsync(fh.fileno())
                self._refuse_if_open_elsewhere()
                self._refuse_if_changed_on_disk()
                if backup:
                    self._backup_current(self._backup_count())
                os.replace(tmp, self.path)
                fsync_dir(self.path.parent)
            finally:
                tmp.unlink(missing_ok=True)
            self._load_package(self.path.read_bytes())
            self._cache_saved(after, written)

    def _fit_sheets(self) -> None:
        """Keep every changed table within Excel's rows a sheet: Rejects drops its oldest rows, others refuse."""
        from relist.workbook import limits

        for st in self._tables.values():
            if not st.mode or (st.records is None and st.sparse is None):
                continue
            room = limits.rows_room(st.info.bounds[1] + st.info.header_rows, st.info.totals_rows)
            over = len(self._rows_for_save(st)) - room
            if over <= 0:
                continue
            self._load(st)  # a table changed through the cache: every row, to cut or refuse
            assert st.records is not None
            if st.info.name.lower() not in limits.ROLLING_TABLES:
                raise WorkbookError(
                    f"{st.info.name} would need {len(st.records):,} rows; an Excel sheet holds {room:,} below its header. Nothing was saved.",
                    "Move old rows to another workbook (copy the table there, then delete them here) and run the command again.",
                )
            del st.records[:over]
            st.mode, st.appended_from = "replace", None
            st.changed.clear()
            self.tell(
                f"The {st.sheet_name} sheet is full (Excel holds {limits.SHEET_ROWS:,} rows a sheet): its {over:,} oldest rows were removed.",
                "warning",
            )

    def _refuse_if_open_elsewhere(self) -> None:
        for lock in lock_files(self.path):
            if lock.exists():
                raise WorkbookLocked(
                    f"{self.path.name} was opened in Excel or LibreOffice meanwhile (found {lock.name}); nothing was saved.",
                    "Close it there and run the command again.",
                )

    def _refuse_if_changed_on_disk(self) -> None:
        """Compare the file's content (not its size or time) with the bytes this object read."""
        try:
            on_disk = self.path.read_bytes()
        except FileNotFoundError:
            on_disk = b""
        if on_disk != self._data:
            raise WorkbookError(
                f"{self.path.name} changed on disk since Relist read it; nothing was saved.",
                "Run the command again.",
            )

    def _cache_plans(self, pending: set[str]) -> list[tuple[str, Any, Any]]:
        """What the cache learns from this save, per changed table: (table, entry to update or None, what changed).

        A table whose values cannot be told for sure without reading it back (a value the
        writer would not give back as is, a sheet also changed by cell edits or pictures)
        is dropped from the cache: the next command reads it in full.
        """
        if self._cache is None:
            return []
        plans: list[tuple[str, Any, Any]] = []
        pic_sheets = {p[0] for p in self._pics}
        for st in self._tables.values():
            if not st.mode:
                continue
            name = st.info.name
            spec = schema.table(name) if name.lower() in _SPEC_NAMES else None
            if (
                spec is None or st.written is None or st.sheet_name in self._cell_edits or st.sheet_name in pic_sheets
                or st.sheet_part in pending or st.info.part in pending
            ):
                plans.append((name, None, None))
                continue
            spliced, rownum_of = st.written
            records = self._rows_for_save(st)
            settle = table_cache.settler(spec, st.info)
            if spliced and isinstance(st.entry, table_cache.Entry):
                start = st.appended_from if st.appended_from is not None else len(records)
                changed = {i: settle(records[i]) for i in st.changed}
                appended = [settle(records[i]) for i in range(start, len(records))]
                if any(r is None for r in changed.values()) or any(r is None for r in appended):
                    plans.append((name, None, None))
                else:
                    plans.append((name, st.entry, (changed, appended, rownum_of[start:])))
            elif not spliced and len(rownum_of) == len(records):  # every row written anew: each one settled
                plans.append((name, None, _WholeTable(records, rownum_of, settle, None)))
            elif st.records is not None and len(rownum_of) == len(records):
                # every row was read (no cache to patch) and some written: those settled, the rest as read
                start = st.appended_from if st.appended_from is not None else len(records)
                plans.append((name, None, _WholeTable(records, rownum_of, settle, {*st.changed, *range(start, len(records))})))
            else:
                plans.append((name, None, None))
        return plans

    def _cache_saved(self, plans: list[tuple[str, Any, Any]], written: Mapping[str, Any]) -> None:
        """Bring the cache up to the file just saved (keys from its central directory), with its sheets' segment layouts."""
        cache = self._cache
        if cache is None:
            return
        for part, c in written.items():
            cache.store_layout(part, (c.crc, len(c.data), c.size), c.layout)
        for name, entry, change in plans:
            st = self._tables.get(name.lower())
            if st is None or change is None:
                cache.drop(name)
                continue
            key = self._cache_key(st)
            if entry is not None:
                cache.update(entry, key, *change)
            else:
                cache.later(name, change.storer(cache, name, key, st.info.columns))


@dataclass
class _WholeTable:
    """A table stored whole after a save: its records as saved, their sheet rows, and how to settle the ones written."""

    records: Sequence[Record]
    rownums: list[int]
    settle: Callable[[Mapping[str, Any]], Record | None]
    written: set[int] | None  # the rows the save wrote (None: all of them); the others are as a full read gave them

    def storer(self, cache: table_cache.TableCache, name: str, key: table_cache.Key, columns: Sequence[str]) -> Callable[[], None]:
        def store() -> None:
            settle, written = self.settle, self.written
            rows: list[Record | None]
            if written is None:
                rows = [settle(r) for r in self.records]
            else:
                rows = list(self.records)
                for i in written:
                    rows[i] = settle(self.records[i])
            if any(r is None for r in rows):
                cache.drop(name)
            else:
                cache.store(name, key, columns, rows, self.rownums)  # type: ignore[arg-type]

        return store


TEMP_SUFFIX = ".relist-tmp"


def _remove_stale_temps(book: Path) -> None:
    """Temp files an interrupted save left beside `book` (only the lock holder writes them)."""
    for stale in book.parent.glob(f".{glob.escape(book.name)}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _copy_mode(book: Path, fd: int) -> None:
    """Give the temp file the workbook's permissions (mkstemp makes it owner-only)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(book.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)


_SPEC_NAMES = {t.table.lower() for t in schema.TABLE_SHEETS}


class _SparseRows(Sequence[Record]):
    """A table changed through the cache, as the list of records a save encodes (rows read on demand)."""

    def __init__(self, entry: table_cache.Entry, sparse: Mapping[int, Record], extra: list[Record]) -> None:
        self._entry, self._sparse, self._extra, self._n = entry, sparse, extra, len(entry)

    def __len__(self) -> int:
        return self._n + len(self._extra)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if i >= self._n:
            return self._extra[i - self._n]
        got = self._sparse.get(i)
        return got if got is not None else self._entry.row(i)
