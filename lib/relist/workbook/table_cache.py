"""A disposable columnar cache of the product tables beside a workbook file, in `<stem>.cache/`.

Each table is kept as typed values, the ones a full read would give, each value once:
one pickle per column and block of rows, laid out column by column in an immutable
base file (a command that needs a few columns of every row reads those columns' runs;
one that needs one lead's row reads that row's block of each column), plus a small index
naming the key it is valid for and the rows Relist itself changed or appended since
(compacted into a new base now and then).

The key is what the zip's central directory records of every part that decides the
table's values: its sheet part and table part, the shared strings and styles (name,
CRC-32, sizes, method), and the workbook's date system. When Excel, LibreOffice or a
user changes any of them, the key no longer matches and the table is read in full
again, as it is with no cache at all. Nothing here is ever needed: a missing, stale or
unreadable cache means the full read, and RELIST_CACHE=0 switches the cache off.
"""

from __future__ import annotations

import contextlib
import operator
import os
import pickle
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from relist import schema
from relist.workbook import cache_later
from relist.workbook import package as pkg
from relist.workbook.limits import CELL_CHARS
from relist.workbook.port import shown_phone, stored_phone

FORMAT = 5
"""Bumped whenever what the cache holds, or how a value is typed on reading, changes."""
BLOCK = 512
"""Rows per pickled piece of a column."""
COMPACT_AFTER = 4000
"""Rows changed or appended since the base before a new base is written."""
INDEXED = {"tbltouches": ("LeadId", "Outcome"), "tblphones": ("LeadId",), "tblleads": ("LeadId",)}
"""Columns kept with an index of their text values (value -> rows), so one lead's touches, or the
do-not-call requests in the whole log, are found without reading the column (lower-case table name)."""
INDEX_ROWS = 1024
"""Rows of a base per index bucket (an index is read one bucket at a time; at most 256 buckets)."""


def bucket_of(value: str, buckets: int) -> int:
    """The index bucket of a text value: the same in every process (Python's own str hash is not)."""
    return zlib.crc32(value.encode("utf-8", "surrogatepass")) % buckets


def _index_buckets(values: Sequence[Any], buckets: int) -> list[dict[str, list[int]]]:
    """The column's text values, each with the rows holding it, split into buckets."""
    out: list[dict[str, list[int]]] = [{} for _ in range(buckets)]
    where: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        if v.__class__ is str:
            rows = where.get(v)
            if rows is None:
                where[v] = [i]
            else:
                rows.append(i)
    for v, rows in where.items():
        out[bucket_of(v, buckets)][v] = rows
    return out

Record = dict[str, Any]
Key = tuple[Any, ...]


def enabled() -> bool:
    """False when RELIST_CACHE is 0/off/no/false."""
    return os.environ.get("RELIST_CACHE", "1").strip().lower() not in ("0", "off", "no", "false")


def folder_for(path: Path) -> Path:
    return path.with_name(path.stem + ".cache")


def _part_key(zf: zipfile.ZipFile, name: str | None) -> tuple[Any, ...]:
    """A part as the central directory records it, plus the CRC-32 of its compressed bytes (damage shows)."""
    if name is None:
        return ("",)
    try:
        i = zf.getinfo(name)
    except KeyError:
        return (name, None)
    from relist.workbook.writer import _raw_bytes

    try:
        stored = zlib.crc32(_raw_bytes(zf, i))
    except Exception:  # noqa: BLE001 - an unreadable entry: a key nothing matches
        stored = None
    return (name, i.CRC, i.compress_size, i.file_size, i.compress_type, stored)


_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(1|true)\"")


def package_facts(zf: zipfile.ZipFile, wb_part: str, wb_rels: bytes | None) -> tuple[Any, ...]:
    """What every table's key shares: shared strings, styles and the date system."""
    shared = styles = None
    for rel in pkg.parse_rels(wb_rels):
        if rel.type.endswith("/sharedStrings"):
            shared = pkg.resolve(wb_part, rel.target)
        elif rel.type.endswith("/styles"):
            styles = pkg.resolve(wb_part, rel.target)
    try:
        date1904 = bool(_DATE1904.search(zf.read(wb_part)))
    except KeyError:
        date1904 = False
    return (_part_key(zf, shared), _part_key(zf, styles), date1904)


def sheet_key(zf: zipfile.ZipFile, facts: tuple[Any, ...], sheet_part: str) -> Key:
    """A small sheet's rows stay what they were while this is unchanged (see `TableCache.sheet`)."""
    return (FORMAT, "sheet", _part_key(zf, sheet_part), facts)


def table_key(zf: zipfile.ZipFile, facts: tuple[Any, ...], info: pkg.TableInfo, sheet_part: str) -> Key:
    return (FORMAT, schema.SCHEMA_VERSION, info.name, tuple(info.columns), _part_key(zf, sheet_part), _part_key(zf, info.part), facts)


# ---------------------------------------------------------------- settling values


def _settled_text(v: str) -> bool:
    """Text the writer writes as it is (not cut to Excel's cell size, nothing stripped or normalised)."""
    return len(v) <= CELL_CHARS // 2 and "\r" not in v and not pkg._ILLEGAL.search(v)


_SERIAL_SAFE = datetime(1900, 3, 1)


def settle(col: schema.Column | None, v: Any) -> tuple[bool, Any]:
    """(sure, value): the value a full read gives back for `v` as the writer writes it; not sure -> (False, None)."""
    if v is None or v == "":
        return True, None
    t = col.type if col is not None else None
    tp = type(v)
    if col is not None and col.us_phone:  # written as (305) 555-0100, read back as E.164
        if tp is not str:
            return False, None
        return _settled_text(v), stored_phone(shown_phone(v))
    if t in ("text", "link") or t is None:
        if tp is str:
            return _settled_text(v), v
        if t is None and tp is float and v == v and v not in (float("inf"), float("-inf")):
            return True, v
        return False, None
    if t == "int":
        return (tp is int and abs(v) < 2**53), v
    if t in ("float", "money", "pct"):
        if tp is float:
            return True, (v if v == v and v not in (float("inf"), float("-inf")) else None)
        return False, None
    if t == "datetime":  # serials before 1900-03-01 read back a day off (Excel's 1900 leap year)
        return (tp is datetime and v.tzinfo is None and v.microsecond == 0 and v >= _SERIAL_SAFE), v
    if t == "date":
        return (tp is date and v >= _SERIAL_SAFE.date()), v
    if t == "bool":
        return tp is bool, v
    return False, None


def settler(spec: schema.TableSheet, info: pkg.TableInfo) -> Callable[[Mapping[str, Any]], Record | None]:
    """A function: a record as saved -> the record a full read gives back (None when not sure)."""
    cols = {c.name: c for c in spec.columns}
    plan = [(name, cols.get(name), name in info.calculated) for name in info.columns]

    def settled(rec: Mapping[str, Any]) -> Record | None:
        out: Record = {}
        for name, col, calculated in plan:
            if calculated:
                out[name] = None  # a formula written without a cached value reads back empty
                continue
            v = rec.get(name)
            if col is not None and col.type == "bool" and v.__class__ is str and v in ("Yes", "No"):
                v = v == "Yes"
            sure, value = settle(col, v)
            if not sure:
                return None
            out[name] = value
        return out

    return settled


# ---------------------------------------------------------------- one table


class Entry:
    """One table's cached values, valid for the key it was opened with."""

    def __init__(self, folder: Path, table: str, index: dict[str, Any]) -> None:
        self.folder = folder
        self.table = table
        self.index = index
        self.columns: list[str] = index["columns"]
        self.n: int = index["n"]
        self.patch: dict[int, Record] = index["patch"]
        self.extra: list[Record] = index["extra"]
        self.extra_rows: list[int] = index["extra_rows"]
        self._header: tuple[int, dict[str, Any]] | None = None
        self._cols: dict[str, list[Any]] = {}
        self._blocks: dict[int, list[list[Any]]] = {}

    def __len__(self) -> int:
        return self.n + len(self.extra)

    def __bool__(self) -> bool:  # an entry of an empty table is still an entry
        return True

    def _pieces(self, spans: Sequence[tuple[str, int]]) -> list[list[Any]]:
        """Pickled pieces of the base file, each `(column, block)` read and unpickled on its own."""
        path = self.folder / self.index["base"]
        out: list[list[Any]] = []
        with path.open("rb") as fh:
            if self._header is None:
                (size,) = struct.unpack("<Q", fh.read(8))
                self._header = (8 + size, pickle.loads(fh.read(size)))
            start, header = self._header
            for name, b in spans:
                off, size = header["columns"][name][b]
                fh.seek(start + off)
                data = fh.read(size)
                if len(data) != size:
                    raise ValueError("cache base file cut short")
                out.append(_decoded(pickle.loads(data)))
        return out

    def _index_piece(self, column: str, b: int) -> dict[str, list[int]]:
        start, header = self._header  # type: ignore[misc]
        off, size = header["index"][column][b]
        with (self.folder / self.index["base"]).open("rb") as fh:
            fh.seek(start + off)
            data = fh.read(size)
        if len(data) != size:
            raise ValueError("cache base file cut short")
        piece = pickle.loads(data)
        if piece.__class__ is not dict:
            raise ValueError("cache index piece of an unknown kind")
        return piece

    def rows_with(self, column: str, values: Collection[str]) -> list[int] | None:
        """Indexes of the rows whose `column` is one of the text `values`, in order, read from the
        column's index; None when the column has none (the caller reads the column)."""
        if self._header is None:
            self._pieces([])
        assert self._header is not None
        spans = self._header[1].get("index", {}).get(column)
        if spans is None:
            return None
        wanted = set(values)
        found: set[int] = set()
        by_bucket: dict[int, list[str]] = {}
        for v in wanted:
            by_bucket.setdefault(bucket_of(v, len(spans)), []).append(v)
        for b, vs in by_bucket.items():
            piece = self._index_piece(column, b)
            for v in vs:
                found.update(piece.get(v, ()))
        if found and max(found) >= self.n:
            raise ValueError("cache index beyond the table")
        found.difference_update(self.patch)
        found.update(i for i, rec in self.patch.items() if rec.get(column) in wanted)
        found.update(self.n + k for k, rec in enumerate(self.extra) if rec.get(column) in wanted)
        return sorted(found)

    def _pieces_of(self, name: str) -> int:
        if self._header is None:
            self._pieces([])
        assert self._header is not None
        return len(self._header[1]["columns"][name])

    def column(self, name: str) -> list[Any]:
        """Every row's value of one column (a new list: the caller may keep or change it)."""
        got = self._cols.get(name)
        if got is None:
            got = []
            for piece in self._pieces([(name, b) for b in range(self._pieces_of(name))]):
                got.extend(piece)
            if len(got) != self.n:
                raise ValueError("cache column of the wrong length")
            for i, rec in self.patch.items():
                got[i] = rec.get(name)
            got.extend(r.get(name) for r in self.extra)
            self._cols[name] = got
        return list(got)

    def rownums(self) -> list[int]:
        self._pieces([])
        assert self._header is not None
        rows: list[int] = list(self._header[1]["rownums"])
        if len(rows) != self.n:
            raise ValueError("cache row numbers of the wrong length")
        rows.extend(self.extra_rows)
        return rows

    def row(self, i: int) -> Record:
        """One row as a fresh record of every column."""
        if i >= self.n:
            return dict(self.extra[i - self.n])
        if i in self.patch:
            return dict(self.patch[i])
        b = i // BLOCK
        block = self._blocks.get(b)
        if block is None:
            block = self._pieces([(c, b) for c in self.columns])
            if any(len(piece) != min(BLOCK, self.n - b * BLOCK) for piece in block):
                raise ValueError("cache block of the wrong length")
            self._blocks[b] = block
        j = i - b * BLOCK
        return dict(zip(self.columns, [piece[j] for piece in block], strict=True))

    def records(self) -> list[Record]:
        """Every row as a record (the full read's result)."""
        cols = [self.column(c) for c in self.columns]
        names = self.columns
        return [dict(zip(names, vals, strict=True)) for vals in zip(*cols, strict=True)]


class TableCache:
    """The cache folder of one workbook file; every failure is a miss, never an error."""

    def __init__(self, path: Path) -> None:
        self.folder = folder_for(path)

    def _idx(self, table: str) -> Path:
        return self.folder / f"{table}.idx"

    def open(self, table: str, key: Key) -> Entry | None:
        """The table's cached values when they were made for exactly `key`.

        On a miss, a write this process left for later is done now, or one a finished command's
        background child is doing is waited for (`cache_later`), and the index is read again.
        """
        entry = self._open(table, key)
        if entry is None and (cache_later.run_now(self.folder, table) or cache_later.wait_for_build(self.folder)):
            entry = self._open(table, key)
        return entry

    def _open(self, table: str, key: Key) -> Entry | None:
        try:
            index = pickle.loads(self._idx(table).read_bytes())
            if index.get("format") != FORMAT or index.get("key") != key:
                return None
            return Entry(self.folder, table, index)
        except Exception:  # noqa: BLE001 - a damaged or half-written cache is a miss
            return None

    def later(self, table: str, job: Callable[[], None]) -> None:
        """`job` (a write of this table's cache) after the command has answered, or now (`cache_later`)."""
        cache_later.later(self.folder, table, job)

    def drop(self, table: str) -> None:
        cache_later.cancel(self.folder, table)
        with contextlib.suppress(OSError):
            self._idx(table).unlink(missing_ok=True)

    def store(self, table: str, key: Key, columns: Sequence[str], records: Sequence[Mapping[str, Any]], rownums: Sequence[int]) -> None:
        """A new base of every row (values as a full read gives them) for `key`."""
        try:
            self.folder.mkdir(exist_ok=True)
            cols = list(columns)
            blobs: list[bytes] = []
            end = 0
            n = len(records)
            values = _columns_of(records, cols)
            places: dict[str, list[tuple[int, int]]] = {}
            for c, v in zip(cols, values, strict=True):
                spans = places[c] = []
                for lo in range(0, n, BLOCK):
                    data = pickle.dumps(_encoded(v[lo : lo + BLOCK]), pickle.HIGHEST_PROTOCOL)
                    blobs.append(data)
                    spans.append((end, len(data)))
                    end += len(data)
            index: dict[str, list[tuple[int, int]]] = {}
            buckets = max(1, min(256, n // INDEX_ROWS))
            for c in INDEXED.get(table.lower(), ()):
                if c not in cols:
                    continue
                spans = index[c] = []
                for piece in _index_buckets(values[cols.index(c)], buckets):
                    data = pickle.dumps(piece, pickle.HIGHEST_PROTOCOL)
                    blobs.append(data)
                    spans.append((end, len(data)))
                    end += len(data)
            header = {"columns": places, "rownums": list(rownums), "index": index}
            head = pickle.dumps(header, pickle.HIGHEST_PROTOCOL)
            name = f"{table}-{uuid.uuid4().hex[:12]}.base"
            _write_atomic(self.folder / name, b"".join([struct.pack("<Q", len(head)), head, *blobs]))
            self._write_index(table, {"format": FORMAT, "key": key, "columns": cols, "base": name, "n": len(records),
                                      "patch": {}, "extra": [], "extra_rows": []})
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
            self.drop(table)

    def update(self, entry: Entry, key: Key, changed: Mapping[int, Record], appended: Sequence[Record], appended_rows: Sequence[int]) -> None:
        """The entry made valid for `key` after Relist changed and appended rows (already settled values)."""
        try:
            patch = dict(entry.patch)
            extra = list(entry.extra)
            for i, rec in changed.items():
                if i >= entry.n:
                    extra[i - entry.n] = dict(rec)
                else:
                    patch[i] = dict(rec)
            extra.extend(dict(r) for r in appended)
            rows = [*entry.extra_rows, *appended_rows]
            if len(patch) + len(extra) > COMPACT_AFTER:
                merged = Entry(entry.folder, entry.table, {**entry.index, "patch": patch, "extra": extra, "extra_rows": rows})
                self.store(entry.table, key, entry.columns, merged.records(), merged.rownums())
                return
            self._write_index(entry.table, {**entry.index, "key": key, "patch": patch, "extra": extra, "extra_rows": rows})
        except Exception:  # noqa: BLE001
            self.drop(entry.table)

    def table_parts(self) -> dict[str, tuple[Key, list[str]]]:
        """Sheet relationship parts -> (their entry as the central directory records it, the table targets they name)."""
        try:
            found = pickle.loads((self.folder / "rels.pkl").read_bytes())
            return dict(found["rels"]) if found.get("format") == FORMAT else {}
        except Exception:  # noqa: BLE001 - a damaged or half-written copy is a miss
            return {}

    def store_table_parts(self, rels: Mapping[str, tuple[Key, list[str]]]) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            _write_atomic(self.folder / "rels.pkl", pickle.dumps({"format": FORMAT, "rels": dict(rels)}, pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001
            with contextlib.suppress(OSError):
                (self.folder / "rels.pkl").unlink(missing_ok=True)

    def sheet(self, part: str, key: Key) -> list[list[Any]] | None:
        """A small sheet's rows as the full read gave them, when kept for exactly `key`."""
        try:
            found = pickle.loads(self._sheet_file(part).read_bytes())
            return found["rows"] if found.get("format") == FORMAT and found.get("key") == key else None
        except Exception:  # noqa: BLE001 - a damaged or half-written copy is a miss
            return None

    def store_sheet(self, part: str, key: Key, rows: list[list[Any]]) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            _write_atomic(self._sheet_file(part), pickle.dumps({"format": FORMAT, "key": key, "rows": rows}, pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001
            with contextlib.suppress(OSError):
                self._sheet_file(part).unlink(missing_ok=True)

    def _sheet_file(self, part: str) -> Path:
        return self.folder / ("rows-" + part.replace("/", "_") + ".pkl")

    def _layout_file(self, part: str) -> Path:
        return self.folder / ("part-" + part.replace("/", "_") + ".seg")

    def layout(self, part: str, entry: tuple[int, int, int]) -> Any:
        """The segment layout (see `segments`) of a sheet part as written, when the zip entry is still that one."""
        try:
            found = pickle.loads(self._layout_file(part).read_bytes())
            return found["layout"] if found.get("format") == FORMAT and found.get("entry") == entry else None
        except Exception:  # noqa: BLE001 - a damaged or half-written layout is a miss
            return None

    def store_layout(self, part: str, entry: tuple[int, int, int], layout: Any) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            _write_atomic(self._layout_file(part), pickle.dumps({"format": FORMAT, "entry": entry, "layout": layout}, pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001
            with contextlib.suppress(OSError):
                self._layout_file(part).unlink(missing_ok=True)

    def _write_index(self, table: str, index: dict[str, Any]) -> None:
        _write_atomic(self._idx(table), pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
        keep = {index["base"]}
        for old in self.folder.glob(f"{table}-*.base"):
            if old.name not in keep:
                old.unlink(missing_ok=True)


_DT_STATE = 10
"""Bytes of a naive datetime's pickled state (`__reduce_ex__(4)`: date, time and fold)."""


def _encoded(values: Sequence[Any]) -> Any:
    """A piece of a column as pickled: naive datetimes as their joined state bytes (pickling
    each one on its own costs ~8x as much), anything else as the list it is."""
    if values and values[0].__class__ is datetime and set(map(type, values)) == {datetime} and set(map(_TZINFO, values)) == {None}:
        states = list(map(_STATE, values))
        data = b"".join(map(_FIRST, map(_ARGS, states)))
        if len(data) == _DT_STATE * len(values) and set(map(len, map(_ARGS, states))) == {1}:
            return ("datetime", data)
    return list(values)


_TZINFO = operator.attrgetter("tzinfo")
_STATE = operator.methodcaller("__reduce_ex__", 4)
_ARGS = operator.itemgetter(1)
_FIRST = operator.itemgetter(0)


def _decoded(piece: Any) -> list[Any]:
    """`_encoded` undone: the same values, of the same types."""
    if piece.__class__ is list:
        return piece
    kind, data = piece
    if kind != "datetime" or len(data) % _DT_STATE:
        raise ValueError("cache piece of an unknown kind")
    new: Callable[..., datetime] = datetime.__new__  # the pickled state's own constructor (as pickle calls it)
    return [new(datetime, data[i : i + _DT_STATE]) for i in range(0, len(data), _DT_STATE)]


def _columns_of(records: Sequence[Mapping[str, Any]], cols: list[str]) -> list[list[Any]]:
    """Each column's values in record order (missing keys as None)."""
    try:
        return [list(map(operator.itemgetter(c), records)) for c in cols]
    except KeyError:
        return [[r.get(c) for r in records] for c in cols]


def _row_tuples(records: Sequence[Mapping[str, Any]], cols: list[str]) -> list[tuple[Any, ...]]:
    """Each record's values in `cols` order (missing keys as None); itemgetter when every record has every column."""
    if not cols:
        return [() for _ in records]
    get = operator.itemgetter(*cols)
    try:
        got = list(map(get, records))
    except KeyError:
        return [tuple(r.get(c) for c in cols) for r in records]
    return got if len(cols) > 1 else [(v,) for v in got]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
