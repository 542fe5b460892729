"""The .xlsx as the OPC package it is: find sheets and tables, and rewrite only the parts we own.

Nothing here loads the whole workbook into an object model. Sheet XML is handled as
bytes: the product rewrites (or splices rows into) the `<sheetData>` of its own
table sheets, updates the table part's `ref`, regenerates the sheet's hyperlinks,
and leaves every other byte of every other part alone.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from relist.workbook.limits import CELL_CHARS, fit_text

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
EXCEL_EPOCH = datetime(1899, 12, 30)

_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letter(index: int) -> str:
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _all_letters() -> list[str]:
    """"" then A..Z, AA..ZZ, AAA..XFD: Excel's 16,384 column letters by index (built by length, not one by one)."""
    from itertools import product
    from string import ascii_uppercase

    out = [""]
    for width in (1, 2, 3):
        out.extend(map("".join, product(ascii_uppercase, repeat=width)))
    return out[:16385]


_LETTERS = _all_letters()


def split_ref(ref: str) -> tuple[int, int]:
    """'BC12' -> (column 55, row 12)."""
    m = _CELL_REF.match(ref.upper())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return col_index(m.group(1)), int(m.group(2))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A1:K20' -> (first col, first row, last col, last row)."""
    a, _, b = ref.partition(":")
    c1, r1 = split_ref(a)
    c2, r2 = split_ref(b or a)
    return c1, r1, c2, r2


def resolve(base_part: str, target: str) -> str:
    """A relationship target relative to the part that owns the relationship."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_path(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


@dataclass
class Rel:
    id: str
    type: str
    target: str
    external: bool


def parse_rels(data: bytes | None) -> list[Rel]:
    if not data:
        return []
    root = ET.fromstring(data)
    out = []
    for el in root:
        out.append(
            Rel(el.get("Id", ""), el.get("Type", ""), el.get("Target", ""), el.get("TargetMode") == "External")
        )
    return out


_REL_ELEMENT = re.compile(rb"<Relationship\b[^>]*>")


def table_targets(data: bytes | None) -> list[str]:
    """Targets of a relationships part's table relationships, without parsing thousands of hyperlink ones."""
    if not data or b"/table" not in data:
        return []
    if re.search(rb"<\w+:Relationship\b|<!", data):  # prefixed or with a DOCTYPE/CDATA: parse it all
        return [r.target for r in parse_rels(data) if r.type.endswith("/table")]
    out = []
    seen = -1
    for hit in re.finditer(rb"/table\b", data):
        start = data.rfind(b"<Relationship", 0, hit.start())
        m = _REL_ELEMENT.match(data, start) if start > seen else None
        if m is None:
            continue
        seen = start
        el = m.group(0)
        rel = ET.fromstring(el if el.endswith(b"/>") else el[:-1] + b"/>")
        if rel.get("Type", "").endswith("/table"):
            out.append(rel.get("Target", ""))
    return out


@dataclass
class TableInfo:
    """What the product needs to know of one table part."""

    part: str
    name: str
    ref: str
    columns: list[str]
    calculated: dict[str, str] = field(default_factory=dict)  # column -> formula
    header_rows: int = 1
    totals_rows: int = 0
    headers: list[str] = field(default_factory=list)
    """The header cells' text (the table part's column names); `columns` may name them otherwise (relabel)."""

    def relabel(self, fields: Callable[[Sequence[str]], list[str]]) -> None:
        """Name the columns by `fields` of the headers (the schema's names); the headers stay as the file has them."""
        names = fields(self.headers)
        by_header = dict(zip(self.headers, names, strict=True))
        self.columns = names
        self.calculated = {by_header.get(h, h): f for h, f in self.calculated.items()}

    def header_of(self, column: str) -> str:
        return self.headers[self.columns.index(column)]

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return parse_range(self.ref)


def parse_table(part: str, data: bytes) -> TableInfo:
    root = ET.fromstring(data)
    ns = {"m": NS_MAIN}
    cols: list[str] = []
    calc: dict[str, str] = {}
    for tc in root.iterfind("m:tableColumns/m:tableColumn", ns):
        name = tc.get("name", "")
        cols.append(name)
        f = tc.find("m:calculatedColumnFormula", ns)
        if f is not None and f.text:
            calc[name] = f.text
    return TableInfo(
        part=part,
        name=root.get("displayName") or root.get("name") or "",
        ref=root.get("ref", "A1:A2"),
        columns=cols,
        headers=list(cols),
        calculated=calc,
        header_rows=int(root.get("headerRowCount", "1")),
        totals_rows=int(root.get("totalsRowCount", "0")),
    )


_TABLE_REF = re.compile(rb'(<(?:\w+:)?table\b[^>]*?\sref=")([^"]*)(")', re.S)
_AUTOFILTER_REF = re.compile(rb'(<(?:\w+:)?autoFilter\b[^>]*?\sref=")([^"]*)(")', re.S)


def set_table_ref(data: bytes, ref: str) -> bytes:
    """The table part with its range (and its autofilter's) set to `ref`; nothing else changes."""
    data = _TABLE_REF.sub(lambda m: m.group(1) + ref.encode() + m.group(3), data, count=1)
    return _AUTOFILTER_REF.sub(lambda m: m.group(1) + ref.encode() + m.group(3), data, count=1)


# ------------------------------------------------------------------ cell encoding

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if _ILLEGAL.search(s):
        s = _ILLEGAL.sub("", s)
    return s


def serial(value: datetime | date | time) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        d = value - EXCEL_EPOCH
        return d.days + d.seconds / 86400
    if isinstance(value, date):
        return float((value - EXCEL_EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def _num(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def string_cell(ref: str, style: str, text: str) -> str:
    if len(text) > CELL_CHARS // 2:
        text = fit_text(text)
    t = _esc(text)
    if t[:1].isspace() or t[-1:].isspace():
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{t}</t></is></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{t}</t></is></c>'


def cell_xml(ref: str, style: str, value: Any) -> str:
    """One `<c>` element; `style` is ' s="N"' or ''. None -> '' (no cell)."""
    if value is None:
        return ""
    tp = type(value)
    if tp is str:
        if value == "":
            return ""
        return string_cell(ref, style, value)
    if tp is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if tp is int:
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if tp is float:
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{ref}"{style}><v>{_num(value)}</v></c>'
    if isinstance(value, (datetime, date, time)):
        return f'<c r="{ref}"{style}><v>{_num(round(serial(value), 10))}</v></c>'
    if isinstance(value, timedelta):
        return f'<c r="{ref}"{style}><v>{_num(value.total_seconds() / 86400)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{style}><v>{_num(float(value))}</v></c>'
    return string_cell(ref, style, str(value))


def formula_cell(ref: str, style: str, formula: str) -> str:
    f = formula[1:] if formula.startswith("=") else formula
    return f'<c r="{ref}"{style}><f>{_esc(f)}</f></c>'


RowEncoder = Callable[[int, Sequence[Any]], str]


def make_row_encoder(first_col: int, styles: Sequence[str], formulas: Sequence[str | None]) -> RowEncoder:
    """A function (row number, values) -> `<row>` XML for a table's columns."""
    letters = [_LETTERS[first_col + i] for i in range(len(styles))]
    span = f"{first_col}:{first_col + len(styles) - 1}"
    plan = list(zip(letters, styles, formulas, strict=True))

    def encode(r: int, values: Sequence[Any]) -> str:
        rs = str(r)
        parts = [f'<row r="{rs}" spans="{span}">']
        for (letter, st, fm), v in zip(plan, values, strict=False):
            if fm is not None:
                parts.append(formula_cell(letter + rs, st, fm))
            elif v is not None:
                parts.append(cell_xml(letter + rs, st, v))
        parts.append("</row>")
        return "".join(parts)

    return encode


# ------------------------------------------------------------------ sheet surgery


@dataclass
class SheetXml:
    """A worksheet part split around its `<sheetData>` so rows can be replaced or spliced."""

    head: bytes  # everything up to and including <sheetData>
    rows: bytes  # the content of sheetData
    tail: bytes  # </sheetData> and everything after
    prefix: str  # namespace prefix of the main namespace ('' or 'x:')

    @classmethod
    def parse(cls, data: bytes) -> SheetXml:
        m = re.search(rb"<(\w+:)?worksheet\b", data)
        prefix = (m.group(1) or b"").decode() if m else ""
        p = prefix.encode()
        empty = re.search(rb"<" + p + rb"sheetData\s*/>", data)
        if empty:
            head = data[: empty.start()] + b"<" + p + b"sheetData>"
            return cls(head, b"", b"</" + p + b"sheetData>" + data[empty.end() :], prefix)
        start = re.search(rb"<" + p + rb"sheetData\b[^>]*>", data)
        end = data.rfind(b"</" + p + b"sheetData>")
        if not start or end < 0:
            raise ValueError("worksheet has no sheetData")
        return cls(data[: start.end()], data[start.end() : end], data[end:], prefix)

    def row_spans(self) -> list[tuple[int, int, int]]:
        """(row number, start, end) byte spans of every `<row>` in sheetData."""
        p = self.prefix.encode()
        pat = re.compile(rb"<" + p + rb"row\b[^>]*?\br=\"(\d+)\"")
        starts = [(m.start(), int(m.group(1))) for m in pat.finditer(self.rows)]
        total = len(re.findall(rb"<" + p + rb"row\b", self.rows))
        if total != len(starts):
            raise ValueError("rows without r= attributes")
        out = []
        for i, (s, r) in enumerate(starts):
            e = starts[i + 1][0] if i + 1 < len(starts) else len(self.rows)
            out.append((r, s, e))
        return out

    def join(self) -> bytes:
        return self.head + self.rows + self.tail


def cell_styles(row_xml: bytes, first_col: int, ncols: int) -> list[str]:
    """Per-column ' s="N"' attributes as found in one row's cells ('' where absent)."""
    out = [""] * ncols
    for m in re.finditer(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?>|<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*/>', row_xml):
        letters = (m.group(1) or m.group(2)).decode()
        i = col_index(letters) - first_col
        if 0 <= i < ncols:
            sm = re.search(rb'\bs="(\d+)"', m.group(0))
            if sm:
                out[i] = f' s="{sm.group(1).decode()}"'
    return out


def col_styles(head: bytes, first_col: int, ncols: int) -> list[str]:
    """Per-column default styles from the `<cols>` element ('' where absent)."""
    out = [""] * ncols
    for m in re.finditer(rb"<(?:\w+:)?col\b([^>]*)/?>", head):
        attrs = m.group(1)
        mn = re.search(rb'\bmin="(\d+)"', attrs)
        mx = re.search(rb'\bmax="(\d+)"', attrs)
        st = re.search(rb'\bstyle="(\d+)"', attrs)
        if not (mn and mx and st):
            continue
        for c in range(int(mn.group(1)), min(int(mx.group(1)), first_col + ncols - 1) + 1):
            i = c - first_col
            if 0 <= i < ncols:
                out[i] = f' s="{st.group(1).decode()}"'
    return out


def set_dimension(head: bytes, ref: str) -> bytes:
    return re.sub(rb'(<(?:\w+:)?dimension\b[^>]*?\bref=")[^"]*(")', lambda m: m.group(1) + ref.encode() + m.group(2), head, count=1)


_AFTER_HYPERLINKS = (
    "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
)


def replace_hyperlinks(tail: bytes, prefix: str, links: Sequence[tuple[str, str]]) -> bytes:
    """Sheet tail with its `<hyperlinks>` replaced by `links` [(cell ref, relationship id)]."""
    p = prefix.encode()
    tail = re.sub(rb"<" + p + rb"hyperlinks\b.*?</" + p + rb"hyperlinks>|<" + p + rb"hyperlinks\s*/>", b"", tail, flags=re.S)
    if not links:
        return tail
    body = "".join(f'<{prefix}hyperlink ref="{ref}" r:id="{rid}"/>' for ref, rid in links)
    block = f"<{prefix}hyperlinks>{body}</{prefix}hyperlinks>".encode()
    pos = len(tail)
    for name in _AFTER_HYPERLINKS:
        m = re.search(rb"<" + p + name.encode() + rb"\b", tail)
        if m and m.start() < pos:
            pos = m.start()
    return tail[:pos] + block + tail[pos:]


def ensure_r_namespace(head: bytes) -> bytes:
    """Declare the relationships namespace as r: on the root if it is not yet declared."""
    if b'xmlns:r="' + NS_REL.encode() + b'"' in head:
        return head
    return re.sub(
        rb"(<(?:\w+:)?worksheet\b)", lambda m: m.group(1) + b' xmlns:r="' + NS_REL.encode() + b'"', head, count=1
    )


def filter_calc_chain(data: bytes, keep: Callable[[int, str], bool]) -> bytes | None:
    """calcChain without the entries `keep(sheet id, ref)` rejects; None when nothing is left."""
    root = ET.fromstring(data)
    kept: list[tuple[str, int]] = []
    current = 0
    for c in root:
        i = c.get("i")
        if i is not None:
            current = int(i)
        ref = c.get("r", "")
        if keep(current, ref):
            kept.append((ref, current))
    if not kept:
        return None
    body = "".join(f'<c r="{r}" i="{i}"/>' for r, i in kept)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<calcChain xmlns="{NS_MAIN}">{body}</calcChain>'
    ).encode()
