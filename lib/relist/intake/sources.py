"""Export files -> raw rows: CSV of any delimiter and encoding, XLSX and XLS.

The format is decided by the file's content, not its name (vendors ship tab-separated
text named .xls). Row numbers are the ones a spreadsheet shows (the first line is row 1),
so a reject can be found by eye. Every cell becomes text so each cleaning rule reads one
kind of value: numbers as "8135550142" or "2.5", spreadsheet dates as ISO "2026-11-23".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from relist.errors import ImportRefused
from relist.intake.speed import no_cycle_collection

_DELIMITERS = (",", ";", "\t", "|")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds: a longer cell is a rejected row, never cut silently."""
XLSX_MAX_BYTES = 600 * 1024 * 1024
"""The most an .xlsx may expand to when opened (a 3 MB 'zip bomb' can expand to gigabytes)."""
MAX_ROWS = 1_048_576
"""Excel's rows per sheet: no real export has more."""

csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))  # an over-long cell is a rejected row, not an unreadable file


@dataclass
class RawTable:
    """The rows of one export file (or sheet), as (spreadsheet row number, cells)."""

    name: str
    rows: Sequence[tuple[int, Sequence[str]]]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    long_cells: dict[int, int] = field(default_factory=dict)
    """Row number -> index of a cell longer than an Excel cell holds (the row is rejected)."""


def _long_cells(rows: Sequence[tuple[int, Sequence[str]]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for n, cells in rows:
        for i, c in enumerate(cells):
            if len(c) > EXCEL_CELL_CHARS:
                out[n] = i
                break
    return out


_SAMPLE = 262_144
"""Bytes the encoding detector reads (the start of a large export says enough)."""
_CLOSE = 5.0
"""Detector 'chaos' points within which two candidate encodings are equally likely."""


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding). BOMs and valid UTF-8 are certain; anything else is asked of charset-normalizer.

    Windows-1252 (what Excel's "CSV" writes in the US) is taken when the detector finds it as likely as its best
    guess; another encoding only when every equally likely candidate reads the same text. A file whose candidates
    read different text (Shift-JIS or Korean? Latin or Cyrillic?) is refused naming them, never garbled.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            why = "an odd number of bytes (cut short?)" if len(data) % 2 else "bytes that are not UTF-16 text"
            raise ImportRefused(
                f"{name} is a UTF-16 text file with {why}; nothing was imported.",
                "Save or export it again (as CSV UTF-8 if the program offers it).",
            ) from exc
    if b"\x00" in data[:4096]:
        raise ImportRefused(
            f"{name} is not a text or spreadsheet file Relist can read.",
            "Export the list as CSV or Excel (.xlsx) and import that file.",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    found = list(from_bytes(data[:_SAMPLE]))
    if found:
        best = min(m.percent_chaos for m in found)
        close = [m for m in found if m.percent_chaos <= best + _CLOSE]
        if any(m.encoding == "cp1252" for m in close):
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        top = [m for m in close if m.percent_chaos <= best + 1.0]
        texts = {str(m) for m in top}
        if len(texts) == 1:
            enc = top[0].encoding
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass
        names = ", ".join(f"{m.encoding} ({m.language})" if m.language and m.language != "Unknown" else m.encoding
                          for m in top[:4])
        raise ImportRefused(
            f"{name}: cannot tell which text encoding it uses; it could be {names}, and each reads its names differently.",
            "Open it in Excel and save it as 'CSV UTF-8' (or .xlsx), then import that file.",
        )
    raise ImportRefused(
        f"{name}: its bytes are not text in any encoding Relist knows.",
        "Open it in Excel and save it as 'CSV UTF-8' (or .xlsx), then import that file.",
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter used most on the busiest of the first lines (comma when there is none)."""
    lines = [ln for ln in text[:65536].splitlines()[:10] if ln.strip()]
    best, best_count = ",", 0
    for d in _DELIMITERS:
        count = max((ln.count(d) for ln in lines), default=0)
        if count > best_count:
            best, best_count = d, count
    return best


def _lines(text: str) -> Iterable[str]:
    """The lines of the text with their endings, split at \\n, \\r and \\r\\n only (as csv wants them).

    str.splitlines is much quicker than io.StringIO for a large file, but also splits at rarer
    breaks (form feed, U+2028...): a text where it finds more lines than those three breaks
    make is read through StringIO.
    """
    lines = text.splitlines(keepends=True)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(lines) == breaks + (0 if not text or text.endswith(("\n", "\r")) else 1):
        return lines
    return io.StringIO(text, newline="")


def read_text(text: str, name: str, delimiter: str | None = None) -> RawTable:
    """Delimited text -> rows; quoted fields may hold delimiters and newlines."""
    delim = delimiter or sniff_delimiter(text)
    lines = _lines(text)
    reader = csv.reader(lines, delimiter=delim, quotechar='"', skipinitialspace=False)
    try:
        with no_cycle_collection():
            rows: list[tuple[int, Sequence[str]]] = [(n, rec) for n, rec in enumerate(reader, start=1) if any(rec)]
    except csv.Error as exc:
        raise ImportRefused(
            f"{name} cannot be read as delimited text near row {reader.line_num}: {exc}.",
            "Open it in Excel and save it as CSV (UTF-8) or .xlsx, then import that file.",
        ) from exc
    longest = max(map(len, lines), default=0) if isinstance(lines, list) else len(text)
    long_cells = _long_cells(rows) if longest > EXCEL_CELL_CHARS else {}
    return RawTable(name, rows, delimiter=delim, long_cells=long_cells)


def _check_xlsx_size(path: Path) -> None:
    """Refuse an .xlsx that would expand past what Relist reads (its parts' sizes are in the zip directory)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        return  # calamine says what is wrong with it
    if expanded > XLSX_MAX_BYTES:
        raise ImportRefused(
            f"{path.name} expands to {expanded / 1024 / 1024:,.0f} MB when opened, more than the "
            f"{XLSX_MAX_BYTES / 1024 / 1024:,.0f} MB Relist reads (a damaged or hostile file, or far more rows than an export has).",
            "Export the list in smaller pieces (by date or by area) and import those files.",
        )


def _cell(value: Any) -> str:
    """A spreadsheet value as text; dates as ISO 8601 (unambiguous, whatever DateOrder says)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def read_spreadsheet(path: Path) -> RawTable:
    """The first non-empty sheet of an .xlsx/.xls file (read with python-calamine)."""
    from python_calamine import CalamineWorkbook

    with path.open("rb") as fh:
        if fh.read(4) == _XLSX_MAGIC:
            _check_xlsx_size(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        for sheet_name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(sheet_name)
            if sheet.total_height > MAX_ROWS:
                raise ImportRefused(
                    f"{path.name}: sheet {sheet_name!r} has {sheet.total_height:,} rows, more than a spreadsheet holds "
                    f"({MAX_ROWS:,}).",
                    "Export the list in smaller pieces (by date or by area) and import those files.",
                )
            values = sheet.to_python(skip_empty_area=False)
            rows: list[tuple[int, Sequence[str]]] = []
            for n, rec in enumerate(values, start=1):
                cells = [_cell(v) for v in rec]
                if any(c != "" for c in cells):
                    rows.append((n, cells))
            if rows:
                notes = [f"read sheet {sheet_name!r}"] if len(wb.sheet_names) > 1 else []
                return RawTable(path.name, rows, notes=notes, long_cells=_long_cells(rows))
    except ImportRefused:
        raise
    except BaseException as exc:  # calamine raises its own errors for damaged or protected files
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt, SystemExit
        # a PanicException (calamine's Rust code giving up on a damaged file) is a BaseException
        what = "it is damaged" if type(exc).__name__ == "PanicException" else f"{type(exc).__name__}: {exc}"
        raise ImportRefused(
            f"{path.name} cannot be read as a spreadsheet ({what}).",
            "If it is password-protected, remove the password; otherwise open it in Excel and save it as .xlsx.",
        ) from exc
    return RawTable(path.name, [])


def read_file(path: Path) -> RawTable:
    """Any supported export file -> its raw rows; refuses what it cannot read, saying why."""
    if not path.exists():
        raise ImportRefused(f"No such file: {path}.", "Check the path and the file name.")
    if path.is_dir():
        raise ImportRefused(f"{path} is a folder, not an export file.", "Name the CSV or Excel file itself.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_XLSX_MAGIC) or head.startswith(_XLS_MAGIC):
        return read_spreadsheet(path)
    data = path.read_bytes()
    if not data or data.isspace():  # (not data.strip(), without copying the file)
        return RawTable(path.name, [])
    text, enc = decode(data, path.name)
    if text.lstrip()[:16].lower().startswith(("<html", "<!doctype", "<table", "<?xml")):  # only the start is lowered
        raise ImportRefused(
            f"{path.name} is a web page or XML document, not a CSV or Excel export.",
            "Open it in Excel and save it as .xlsx or CSV, then import that file.",
        )
    if text.lstrip()[:1] in ("{", "["):
        table = read_json(text, path.name)
    else:
        table = read_text(text, path.name)
    table.encoding = enc
    return table


def _json_cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return _cell(value)


def read_json(text: str, name: str) -> RawTable:
    """A RESO Web API payload (OData `{"value": [...]}`), a JSON array of records, or NDJSON (one record a line).

    The header is every key in the order first seen; record N is row N+1 (the header is row 1), so a
    reject names the record by its place in the file.
    """
    records: Any
    next_link: Any = None
    try:
        doc = json.loads(text)
        if isinstance(doc, dict) and "value" in doc:
            records, next_link = doc["value"], doc.get("@odata.nextLink")
        else:
            records = doc if isinstance(doc, list) else [doc]
    except json.JSONDecodeError as exc:
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise ImportRefused(
                f"{name} looks like JSON but cannot be read: {exc.msg} at line {exc.lineno}.",
                "Save the Web API response as it came (a {\"value\": [...]} object or one record per line) and import it again.",
            ) from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportRefused(
            f"{name} is JSON but holds no list of listing records.",
            "Import the Web API response whose \"value\" array holds the Property records.",
        )
    keys: dict[str, None] = {}
    for r in records:
        keys.update(dict.fromkeys(k for k in r if not k.startswith("@odata")))
    header = list(keys)
    rows: list[tuple[int, Sequence[str]]] = [(1, header)]
    rows.extend((n, [_json_cell(r.get(k)) for k in header]) for n, r in enumerate(records, start=2))
    notes = []
    if isinstance(next_link, str):
        notes.append(f"the payload has more pages (@odata.nextLink): save each page and import them together ({next_link[:80]})")
    return RawTable(name, rows, notes=notes)
