"""Render the parts a save changes, and stream the new package with every other part copied as is."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from relist import schema
from relist.workbook import package as pkg
from relist.workbook import segments
from relist.workbook.port import link_target, shown_phone

if TYPE_CHECKING:
    from relist.workbook.file_adapter import FileWorkbook, _TableState
    from relist.workbook.port import Record

LINK_RID_PREFIX = "rIdRelistL"
_LOCAL_HEADER_SIZE = 30  # a zip local file header before its name and extra field (APPNOTE 4.3.7)


_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)', re.S)


def _relabelled_row(existing: bytes, header_row: int, columns: list[str], c1: int) -> bytes:
    """The header row with the table's cells holding `columns` (each keeping its style); cells outside the table kept."""
    open_end = existing.find(b">") + 1
    if existing[open_end - 2 : open_end] == b"/>":  # <row r="1"/>: no cells yet
        tag = existing[: open_end - 2].rstrip()
        element = re.match(rb"<([\w:]+)", tag)
        existing = tag + b"></" + (element.group(1) if element else b"row") + b">"
        open_end = len(tag) + 1
    close = existing.rfind(b"</")
    cells: dict[int, bytes] = {}
    for m in _CELL.finditer(existing, open_end, close):
        cells[pkg.col_index(m.group(1).decode())] = m.group(0)
    for i, name in enumerate(columns):
        col = c1 + i
        style = pkg.cell_styles(cells[col], col, 1)[0] if col in cells else ""
        cells[col] = pkg.string_cell(f"{pkg.col_letter(col)}{header_row}", style, name).encode()
    return existing[:open_end] + b"".join(cells[c] for c in sorted(cells)) + existing[close:]


def _header_row(
    sheet: pkg.SheetXml, spans: list[tuple[int, int, int]], header_row: int, columns: list[str], c1: int, relabel: bool = False
) -> bytes:
    """The header row as it stands, with cells added for columns it does not show yet (migrations); all written anew when relabelled."""
    existing = b""
    for r, s, e in spans:
        if r == header_row:
            existing = sheet.rows[s:e]
            break
    if not existing:
        cells = "".join(pkg.string_cell(f"{pkg.col_letter(c1 + i)}{header_row}", "", name) for i, name in enumerate(columns))
        return f'<row r="{header_row}">{cells}</row>'.encode()
    if relabel:
        return _relabelled_row(existing, header_row, columns, c1)
    present = {m.group(1).decode() for m in re.finditer(rb'\br="([A-Z]+)\d+"', existing)}
    style = pkg.cell_styles(existing, c1, 1)[0]
    extra = "".join(
        pkg.string_cell(f"{pkg.col_letter(c1 + i)}{header_row}", style, name)
        for i, name in enumerate(columns)
        if pkg.col_letter(c1 + i) not in present
    )
    if not extra:
        return existing
    end = existing.rfind(b"</")
    return existing[:end] + extra.encode() + existing[end:]


def _find_row(rows: bytes, prefix: bytes, r: int, start: int = 0) -> tuple[int, int] | None:
    """Byte span of `<row r="N" ...>...</row>` searching forward from `start` (rows are in order)."""
    i = rows.find(b"<" + prefix + b'row r="' + str(r).encode() + b'"', start)
    if i < 0:
        return None
    close = b"</" + prefix + b"row>"
    gt = rows.find(b">", i)
    if rows[gt - 1 : gt] == b"/":
        return i, gt + 1
    e = rows.find(close, gt)
    return (i, e + len(close)) if e >= 0 else None


def _last_row_number(rows: bytes, prefix: bytes) -> int:
    i = rows.rfind(b"<" + prefix + b"row ")
    if i < 0:
        return 0
    m = re.match(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"', rows[i:])
    return int(m.group(1)) if m else -1


def wrapped_lines(text: Any, width: float) -> int:
    """Lines a wrapped cell of `width` characters needs for `text` (Calibri 11: ~1.25 average letters per width unit)."""
    if text is None or text == "":
        return 1
    room = max(4, int(width * 1.25))
    lines, used = 1, 0
    for word in str(text).split():
        n = len(word)
        if used and used + 1 + n > room:
            lines, used = lines + 1, 0
        used = n if not used else used + 1 + n
        while used > room:
            lines, used = lines + 1, used - room
    return lines


LINE_PT = 15.0


def _tall_rows(encode: pkg.RowEncoder, spec: schema.TableSheet, columns: list[str]) -> pkg.RowEncoder:
    """Rows of tables with wrapping columns get the height their text needs (a file has no one to autofit it)."""
    names = set(spec.names)
    wraps = [(i, spec.column(c).width) for i, c in enumerate(columns) if c in names and spec.column(c).wrap]
    if not wraps:
        return encode

    def tall(r: int, values: Any) -> str:
        xml = encode(r, values)
        lines = max(wrapped_lines(values[i] if i < len(values) else None, w) for i, w in wraps)
        if lines < 2:
            return xml
        head = f'<row r="{r}" '
        return xml.replace(head, f'{head}ht="{LINE_PT * lines:g}" customHeight="1" ', 1)

    return tall


def _row_values(spec: schema.TableSheet, columns: list[str]) -> Callable[[Mapping[str, Any]], list[Any]]:
    """A record's cell values in the table's column order (booleans as Yes/No)."""
    bool_cols = {c.name for c in spec.columns if c.type == "bool"}
    phone_cols = {c.name for c in spec.columns if c.us_phone}

    def values(rec: Mapping[str, Any]) -> list[Any]:
        out = []
        for c in columns:
            v = rec.get(c)
            if c in bool_cols and isinstance(v, bool):
                v = "Yes" if v else "No"
            elif c in phone_cols and isinstance(v, str):
                v = shown_phone(v)
            out.append(v)
        return out

    return values


def _update_segmented(fwb: FileWorkbook, st: _TableState, parts: dict[str, Any]) -> tuple[int, int, int] | None:
    """Rows changed in place or appended in a table whose sheet part Relist wrote as segments: only their segments anew.

    Gives the same part, byte for byte, as the splice below would; None (the splice) whenever
    anything else changes with it (cell edits or pictures on the sheet, a part already
    rendered) or the layout does not fit the part.
    """
    info = st.info
    if (
        st.mode != "splice" or not st.rownums or st.sheet_part in parts or st.sheet_name in fwb._cell_edits
        or any(pic[0] == st.sheet_name for pic in fwb._pics)
    ):
        return None
    records = fwb._rows_for_save(st)
    new_from = st.appended_from if st.appended_from is not None else len(records)
    if len(st.rownums) != new_from or (not st.changed and new_from >= len(records)):
        return None
    source = fwb._segment_source(st.sheet_part)
    if source is None:
        return None
    layout, raw = source
    c1, r1, _c2, r2 = info.bounds
    first_data = r1 + info.header_rows
    table_end = r2 - info.totals_rows
    if layout.last_row != table_end:
        return None
    spec = schema.table(info.name)
    columns = info.columns
    prefix_s = pkg.SheetXml.parse(layout.head + layout.tail).prefix
    prefix = prefix_s.encode()
    n = len(columns)
    styles = pkg.col_styles(layout.head, c1, n)
    start = segments.first_rows(layout, raw)
    first_span = _find_row(start, prefix, first_data)
    if first_span is None:
        return None  # not within the first rows inflated: the splice finds it
    found = pkg.cell_styles(start[first_span[0] : first_span[1]], c1, n)
    styles = [a or b for a, b in zip(found, styles, strict=True)]
    encode = _tall_rows(pkg.make_row_encoder(c1, styles, [info.calculated.get(c) for c in columns]), spec, columns)
    values = _row_values(spec, columns)
    replaced = {st.rownums[i]: encode(st.rownums[i], values(records[i])).encode() for i in st.changed}
    added = len(records) - new_from
    new_rows = "".join(encode(table_end + 1 + k, values(records[new_from + k])) for k in range(added)).encode()
    rownum_of = list(st.rownums) + list(range(table_end + 1, table_end + 1 + added))
    touched = set(replaced) | set(range(table_end + 1, table_end + 1 + added))
    last_row = max(rownum_of[-1], first_data)
    ref = f"{pkg.col_letter(c1)}{r1}:{pkg.col_letter(c1 + n - 1)}{last_row}"
    head = pkg.set_dimension(layout.head, ref)
    tail, rels, any_links = _hyperlinks(fwb, st, parts, layout.tail, prefix_s, records, rownum_of, touched, new_from)
    if any_links:
        head = pkg.ensure_r_namespace(head)

    def edit(chunk: bytes, rows: list[int]) -> bytes:
        out: list[bytes] = []
        pos = 0
        for r in rows:
            span = _find_row(chunk, prefix, r, pos)
            if span is None:
                raise ValueError(f"row {r} is not in its chunk")
            out += [chunk[pos : span[0]], replaced[r]]
            pos = span[1]
        out.append(chunk[pos:])
        return b"".join(out)

    try:
        parts[st.sheet_part] = segments.update(layout, raw, head, tail, last_row, new_rows, replaced, edit)
    except (ValueError, zlib.error):
        return None
    if rels is not None:
        parts[pkg.rels_path(st.sheet_part)] = rels
    parts[info.part] = pkg.set_table_ref(parts.get(info.part) or fwb._read(info.part) or b"", ref)
    st.written = (True, rownum_of)
    return fwb._sheet_ids.get(st.sheet_name, 0), last_row, c1


def _hyperlinks(
    fwb: FileWorkbook, st: _TableState, parts: dict[str, Any], tail: bytes, prefix: str, records: Sequence[Record],
    rownum_of: Sequence[int], touched: set[int] | None, new_from: int,
) -> tuple[bytes, bytes | None, bool]:
    """(sheet tail, new relationships part or None when unchanged, whether the sheet has hyperlinks).

    Hyperlinks for the schema's link columns: on the rows written anew (`touched`; all rows
    when None); user hyperlinks elsewhere are kept.
    """
    spec = schema.table(st.info.name)
    columns = st.info.columns
    c1 = st.info.bounds[0]
    link_cols = [c for c in spec.columns if c.link and c.name in columns]
    link_letters = {pkg.col_letter(c1 + columns.index(c.name)): c for c in link_cols}
    link_rows = sorted([*st.changed, *range(new_from, len(records))]) if touched is not None else range(len(records))
    rels_part = pkg.rels_path(st.sheet_part)
    if touched is not None and _links_as_they_are(
        tail, prefix, lambda: parts.get(rels_part) or fwb._read(rels_part) or b"", records, rownum_of, touched, link_rows,
        link_letters,
    ):
        return tail, None, f"<{prefix}hyperlink ".encode() in tail
    if touched is not None and len(touched) <= _QUICK_LINK_ROWS:
        old = parts.get(rels_part) or fwb._read(rels_part) or b""
        edited = _links_edited(tail, prefix, old, records, rownum_of, touched, link_rows, link_letters)
        if edited is not None:
            return edited
    kept = _existing_hyperlinks(tail)
    keep_ours = touched is not None
    links: list[tuple[str, str]] = []
    drop_rids: set[str] = set()
    max_k = 0
    for cell_ref, rid in kept:
        ours = rid.startswith(LINK_RID_PREFIX)
        letters = re.match(r"([A-Z]+)(\d+)", cell_ref)
        if ours:
            max_k = max(max_k, int(rid[len(LINK_RID_PREFIX) :] or 0))
            if not keep_ours or (letters and int(letters.group(2)) in (touched or set())):
                drop_rids.add(rid)
                continue
        elif letters and letters.group(1) in link_letters:
            continue
        links.append((cell_ref, rid))
    add_rels: list[tuple[str, str, str]] = []
    k = max_k if keep_ours else 0
    for letter, col in link_letters.items():
        name = col.name
        for i in link_rows:
            rec = records[i]
            rownum = rownum_of[i]
            if keep_ours and rownum not in (touched or set()):
                continue
            target = link_target(col, rec.get(name))
            if target is None:
                continue
            k += 1
            rid = f"{LINK_RID_PREFIX}{k}"
            links.append((f"{letter}{rownum}", rid))
            add_rels.append((rid, pkg.REL_HYPERLINK, target))
    rels = None
    if drop_rids or add_rels or not keep_ours:
        tail = pkg.replace_hyperlinks(tail, prefix, links)
        old_rels = parts.get(rels_part) or fwb._read(rels_part)
        rels = _rewrite_link_rels(old_rels, add_rels, drop_rids if keep_ours else None)
    return tail, rels, bool(links)


_QUICK_LINK_ROWS = 64
"""Rows written anew up to which their hyperlinks are checked one by one before parsing them all."""


def _links_as_they_are(
    tail: bytes, prefix: str, rels: Callable[[], bytes], records: Sequence[Record], rownum_of: Sequence[int],
    touched: set[int], link_rows: Sequence[int], link_letters: Mapping[str, schema.Column],
) -> bool:
    """Whether the rows written anew already carry exactly the hyperlinks they need (ours, same targets).

    Then the sheet's hyperlinks and relationships stay as they are: updating one lead of 25,000
    neither parses nor rewrites the 25,000 links of the others.
    """
    if len(touched) > _QUICK_LINK_ROWS:
        return False
    p = re.escape(prefix.encode())
    found: dict[str, bytes] = {}  # cell ref -> the whole <hyperlink .../> element
    for r in touched:
        pat = re.compile(rb"<" + p + rb'hyperlink\b[^>]*?\bref="([A-Z]+' + str(r).encode() + rb')[":][^>]*>')
        for m in pat.finditer(tail):
            found[m.group(1).decode()] = m.group(0)
    wanted: dict[str, str] = {}
    for letter, col in link_letters.items():
        for i in link_rows:
            target = link_target(col, records[i].get(col.name))
            if target is not None:
                wanted[f"{letter}{rownum_of[i]}"] = target
    if set(found) != set(wanted):
        return False
    rel_data = rels() if wanted else b""
    for ref, target in wanted.items():
        rid = re.search(rb'\br:id="([^"]+)"', found[ref])
        if rid is None or not rid.group(1).startswith(LINK_RID_PREFIX.encode()):
            return False
        at = rel_data.find(b'Id="' + rid.group(1) + b'"')
        if at < 0 or rel_data.find(b'Id="' + rid.group(1) + b'"', at + 1) >= 0:
            return False
        start, end = rel_data.rfind(b"<", 0, at), rel_data.find(b">", at)
        element = rel_data[start : end + 1]
        want = pkg._esc(target).replace('"', "&quot;").encode("utf-8")
        if b'Target="' + want + b'"' not in element or b"TargetMode=\"External\"" not in element:
            return False
    return True


def _links_edited(
    tail: bytes, prefix: str, rels: bytes, records: Sequence[Record], rownum_of: Sequence[int], touched: set[int],
    link_rows: Sequence[int], link_letters: Mapping[str, schema.Column],
) -> tuple[bytes, bytes | None, bool] | None:
    """The full rewrite's result (same bytes), edited in place: our links on the rows written anew out, theirs in.

    Only when the sheet's hyperlinks and relationships are exactly as Relist writes them (every
    link ours, in one block, no other markup between elements); None otherwise (the full rewrite).
    """
    p = prefix.encode()
    start, close = tail.find(b"<" + p + b"hyperlinks>"), b"</" + p + b"hyperlinks>"
    end = tail.find(close, start)
    if start < 0 or end < 0 or not rels.startswith(_RELS_OPEN.encode()) or not rels.endswith(b"</Relationships>"):
        return None
    block = tail[start + len(p) + 12 : end]
    if tail.count(b"<" + p + b"hyperlinks") != 1 or block.count(b"<" + p + b"hyperlink ") != block.count(b'r:id="' + LINK_RID_PREFIX.encode()):
        return None
    if not re.fullmatch(rb'(?:<' + re.escape(p) + rb'hyperlink ref="[A-Z]+\d+" r:id="[^"]+"/>)*', block):
        return None
    body = rels[len(_RELS_OPEN.encode()) : -len(b"</Relationships>")]
    if not re.fullmatch(rb"(?:<Relationship\b[^>]*/>)*", body):
        return None
    without = tail[:start] + tail[end + len(close) :]
    if pkg.replace_hyperlinks(without, prefix, [("A1", "x")]).find(b"<" + p + b"hyperlinks>") != start:
        return None  # the full rewrite would put the block elsewhere
    max_k = max((int(k) for k in re.findall(rb'r:id="' + LINK_RID_PREFIX.encode() + rb'(\d+)"', block)), default=0)
    drop: list[bytes] = []
    for r in touched:
        for m in re.finditer(rb"<" + re.escape(p) + rb'hyperlink ref="[A-Z]+' + str(r).encode() + rb'" r:id="([^"]+)"/>', block):
            drop.append(m.group(1))
    for gone in drop:
        block = re.sub(rb"<" + re.escape(p) + rb'hyperlink ref="[A-Z]+\d+" r:id="' + re.escape(gone) + rb'"/>', b"", block, count=1)
        at = body.find(b'Id="' + gone + b'"')
        if at < 0 or body.find(b'Id="' + gone + b'"', at + 1) >= 0:
            return None
        body = body[: body.rfind(b"<", 0, at)] + body[body.find(b">", at) + 1 :]
    add: list[str] = []
    k = max_k
    for letter, col in link_letters.items():
        for i in link_rows:
            target = link_target(col, records[i].get(col.name))
            if target is None or rownum_of[i] not in touched:
                continue
            k += 1
            rid = f"{LINK_RID_PREFIX}{k}"
            block += f'<{prefix}hyperlink ref="{letter}{rownum_of[i]}" r:id="{rid}"/>'.encode()
            add.append(_link_rel(rid, pkg.REL_HYPERLINK, target))
    if not drop and not add:
        return tail, None, bool(block)
    new_tail = tail[:start] + (b"<" + p + b"hyperlinks>" + block + close if block else b"") + tail[end + len(close) :]
    new_rels = _RELS_OPEN.encode() + body + "".join(add).encode("utf-8") + b"</Relationships>"
    return new_tail, new_rels, bool(block)


def _render_table(fwb: FileWorkbook, st: _TableState, parts: dict[str, Any]) -> tuple[int, int, int]:
    """New sheet, table and rels parts for one changed table; returns (sheet id, last row, first col)."""
    fast = _update_segmented(fwb, st, parts)
    if fast is not None:
        return fast
    info = st.info
    c1, r1, _c2, r2 = info.bounds
    columns = info.columns
    n = len(columns)
    spec = schema.table(info.name)
    records = fwb._rows_for_save(st)
    sheet = pkg.SheetXml.parse(parts.get(st.sheet_part) or fwb._read(st.sheet_part) or b"")
    p = sheet.prefix.encode()
    header_row = r1 + info.header_rows - 1
    first_data = header_row + 1
    table_end = r2 - info.totals_rows
    new_from = st.appended_from if st.appended_from is not None else len(records)
    first_span = _find_row(sheet.rows, p, first_data)
    styles = pkg.col_styles(sheet.head, c1, n)
    if first_span:
        found = pkg.cell_styles(sheet.rows[first_span[0] : first_span[1]], c1, n)
        styles = [a or b for a, b in zip(found, styles, strict=True)]
    encode = _tall_rows(pkg.make_row_encoder(c1, styles, [info.calculated.get(c) for c in columns]), spec, columns)
    values = _row_values(spec, columns)

    splice = (
        st.mode == "splice"
        and bool(st.rownums)
        and len(st.rownums) == new_from
        and _last_row_number(sheet.rows, p) == table_end
    )
    rows_xml: bytes | None = None
    touched: set[int] | None = None
    rownum_of: list[int] = []
    if splice:
        rows_xml, rownum_of, touched = _splice_rows(sheet, p, st, records, new_from, table_end, encode, values)
    if rows_xml is None:
        records = fwb._load(st)
        rows_xml, rownum_of = _rewrite_rows(sheet, p, st, records, header_row, first_data, c1, columns, styles, encode, values)
        touched = None
    st.written = (touched is not None, rownum_of)
    last_row = max(rownum_of[-1] if rownum_of else first_data, first_data)
    c2 = c1 + n - 1
    ref = f"{pkg.col_letter(c1)}{r1}:{pkg.col_letter(c2)}{last_row}"
    head = pkg.set_dimension(sheet.head, ref)
    tail, rels, any_links = _hyperlinks(fwb, st, parts, sheet.tail, sheet.prefix, records, rownum_of, touched, new_from)
    if rels is not None:
        parts[pkg.rels_path(st.sheet_part)] = rels
    if any_links:
        head = pkg.ensure_r_namespace(head)
    parts[st.sheet_part] = head + rows_xml + tail
    parts[info.part] = pkg.set_table_ref(parts.get(info.part) or fwb._read(info.part) or b"", ref)
    return fwb._sheet_ids.get(st.sheet_name, 0), last_row, c1


def _splice_rows(
    sheet: pkg.SheetXml, p: bytes, st: _TableState, records: Sequence[Record], new_from: int, table_end: int,
    encode: pkg.RowEncoder, values: Any,
) -> tuple[bytes | None, list[int], set[int]]:
    """Changed rows replaced in place and new rows added after the table: no other row is re-encoded."""
    chunks: list[bytes] = []
    pos = 0
    touched: set[int] = set()
    for i in sorted(st.changed, key=lambda i: st.rownums[i]):
        r = st.rownums[i]
        span = _find_row(sheet.rows, p, r, pos)
        if span is None:
            return None, [], set()
        chunks.append(sheet.rows[pos : span[0]])
        chunks.append(encode(r, values(records[i])).encode())
        pos = span[1]
        touched.add(r)
    chunks.append(sheet.rows[pos:])
    next_row = table_end + 1
    new = []
    for i in range(new_from, len(records)):
        new.append(encode(next_row, values(records[i])))
        touched.add(next_row)
        next_row += 1
    chunks.append("".join(new).encode())
    rownum_of = list(st.rownums) + list(range(table_end + 1, next_row))
    return b"".join(chunks), rownum_of, touched


def _rewrite_rows(
    sheet: pkg.SheetXml, p: bytes, st: _TableState, records: list[Record], header_row: int, first_data: int,
    c1: int, columns: list[str], styles: list[str], encode: pkg.RowEncoder, values: Any,
) -> tuple[bytes, list[int]]:
    """The whole table re-encoded; rows of the sheet above the header or below the old table kept."""
    spans = sheet.row_spans()
    out = [_header_row(sheet, spans, header_row, st.info.headers, c1, st.relabelled)]
    for i, rec in enumerate(records):
        out.append(encode(first_data + i, values(rec)).encode())
    if not records:
        empty = "".join(f'<c r="{pkg.col_letter(c1 + i)}{first_data}"{s}/>' for i, s in enumerate(styles) if s)
        out.append(f'<row r="{first_data}">{empty}</row>'.encode())
    old_end = st.info.bounds[3]
    last_row = first_data + max(len(records), 1) - 1
    above = b"".join(sheet.rows[s:e] for r, s, e in spans if r < header_row)
    below = b"".join(sheet.rows[s:e] for r, s, e in spans if r > max(old_end, last_row))
    return above + b"".join(out) + below, [first_data + i for i in range(len(records))]


def _existing_hyperlinks(tail: bytes) -> list[tuple[str, str]]:
    """(cell ref, relationship id) of the sheet's external hyperlinks."""
    out = []
    for m in re.finditer(rb"<(?:\w+:)?hyperlink\b([^>]*)/?>", tail):
        attrs = m.group(1).decode()
        ref = re.search(r'\bref="([^"]+)"', attrs)
        rid = re.search(r'\br:id="([^"]+)"', attrs)
        if ref and rid:
            out.append((ref.group(1), rid.group(1)))
    return out


def _rewrite_link_rels(data: bytes | None, add: list[tuple[str, str, str]], drop: set[str] | None) -> bytes:
    """Relationships part without our dropped link relationships (all of ours when `drop` is None), plus `add`."""
    kept: list[str] = []
    if data:
        text = data.decode("utf-8")
        for m in re.finditer(r"<Relationship\b[^>]*/>|<Relationship\b[^>]*>.*?</Relationship>", text, re.S):
            rel = m.group(0)
            if f'Id="{LINK_RID_PREFIX}' in rel:
                found = re.search(r'Id="([^"]+)"', rel)
                if drop is None or (found and found.group(1) in drop):
                    continue
            kept.append(rel)
    kept += [_link_rel(rid, typ, target) for rid, typ, target in add]
    return (_RELS_OPEN + "".join(kept) + "</Relationships>").encode("utf-8")


_RELS_OPEN = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{pkg.NS_PKG_REL}">'


def _link_rel(rid: str, typ: str, target: str) -> str:
    t = pkg._esc(target).replace('"', "&quot;")
    return f'<Relationship Id="{rid}" Type="{typ}" Target="{t}" TargetMode="External"/>'


def _ensure_full_calc(data: bytes) -> bytes:
    """workbook.xml asking Excel to recalculate on open (cached formula values may be stale)."""
    m = re.search(rb"<(\w+:)?calcPr\b[^>]*?/?>", data)
    if m:
        tag = m.group(0)
        if b"fullCalcOnLoad=" in tag:
            new = re.sub(rb'fullCalcOnLoad="[^"]*"', b'fullCalcOnLoad="1"', tag)
        else:
            new = tag.replace(b"calcPr", b'calcPr fullCalcOnLoad="1"', 1)
        return data[: m.start()] + new + data[m.end() :] if new != tag else data
    p = re.search(rb"<(\w+:)?workbook\b", data)
    prefix = (p.group(1) or b"") if p else b""
    for follower in (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
                     b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst"):
        i = data.find(b"<" + prefix + follower)
        if i >= 0:
            return data[:i] + b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>' + data[i:]
    end = data.rfind(b"</" + prefix + b"workbook>")
    return data[:end] + b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>' + data[end:]


def render_changes(fwb: FileWorkbook) -> tuple[dict[str, Any], set[str]]:
    """Every part a save writes anew (bytes, or `segments.Compressed`), and the parts it removes."""
    parts: dict[str, Any] = dict(fwb._pending_parts)
    removed: set[str] = set()
    rewritten: dict[int, tuple[int, set[str]]] = {}  # sheet id -> (last row, calculated column letters)
    for st in fwb._tables.values():
        if not st.mode:
            continue
        sheet_id, last_row, c1 = _render_table(fwb, st, parts)
        calc_letters = {pkg.col_letter(c1 + st.info.columns.index(c)) for c in st.info.calculated}
        rewritten[sheet_id] = (last_row, calc_letters)
    for sheet, edits in fwb._cell_edits.items():
        from relist.workbook import cells

        part = fwb._sheet_parts[sheet]
        parts[part] = cells.set_cells(parts.get(part) or fwb._read(part) or b"", edits)
    if fwb._pics:
        from relist.workbook.pictures import place

        place(fwb, parts, fwb._pics)
    if rewritten and fwb._calc_chain_part and fwb._calc_chain_part in fwb._names:

        def keep(sheet_id: int, ref: str) -> bool:
            if sheet_id not in rewritten:
                return True
            last_row, letters = rewritten[sheet_id]
            m = re.match(r"([A-Z]+)(\d+)", ref)
            return bool(m and m.group(1) in letters and int(m.group(2)) <= last_row)

        chain = pkg.filter_calc_chain(fwb._read(fwb._calc_chain_part) or b"", keep)
        if chain is None:
            removed.add(fwb._calc_chain_part)
            wb_rels = fwb._read(fwb._wb_rels_path) or b""
            parts[fwb._wb_rels_path] = re.sub(rb"<Relationship\b[^>]*calcChain[^>]*/>", b"", wb_rels)
            ct = parts.get("[Content_Types].xml") or fwb._read("[Content_Types].xml") or b""
            parts["[Content_Types].xml"] = re.sub(rb"<Override\b[^>]*calcChain[^>]*/>", b"", ct)
        else:
            parts[fwb._calc_chain_part] = chain
    if rewritten or fwb._cell_edits:
        wb = parts.get(fwb._wb_part) or fwb._read(fwb._wb_part) or b""
        new = _ensure_full_calc(wb)
        if new != wb:
            parts[fwb._wb_part] = new
    return parts, removed


def segmenter(sheet_parts: set[str], written: dict[str, segments.Compressed]) -> Callable[[str, Any], Any]:
    """For write_package: table sheet parts compressed as segments (noted in `written`), other parts as they are."""

    def segment(name: str, data: Any) -> Any:
        if isinstance(data, segments.Compressed):
            written[name] = data
            return data
        if name not in sheet_parts:
            return data
        try:
            sheet = pkg.SheetXml.parse(data)
        except ValueError:
            return data
        last = _last_row_number(sheet.rows, sheet.prefix.encode())
        if last < 0:
            return data
        c = segments.compress(sheet.head, sheet.rows, sheet.tail, last, 1 if len(data) > 1_000_000 else 6)
        written[name] = c
        return c

    return segment


def write_package(
    src: zipfile.ZipFile, fh: IO[bytes], new_parts: Mapping[str, Any], removed: set[str],
    segment: Callable[[str, Any], Any] | None = None,
) -> None:
    """Stream a package: changed parts written anew, every other part copied unchanged, in the original order.

    A new part is bytes, or a `segments.Compressed` written as it is; `segment` may turn bytes into the latter.
    """
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        done = set()
        for info in src.infolist():
            name = info.filename
            if name in removed:
                continue
            if name in new_parts:
                data = segment(name, new_parts[name]) if segment is not None else new_parts[name]
                zi = zipfile.ZipInfo(name, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                if isinstance(data, segments.Compressed):
                    zi.CRC, zi.compress_size, zi.file_size = data.crc, len(data.data), data.size
                    _write_raw(dst, zi, data.data)
                else:
                    dst.writestr(zi, data, compresslevel=1 if len(data) > 1_000_000 else 6)
            else:
                _copy_entry(src, dst, info)
            done.add(name)
        for name, data in new_parts.items():
            if name not in done:
                zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                if isinstance(data, segments.Compressed):
                    zi.CRC, zi.compress_size, zi.file_size = data.crc, len(data.data), data.size
                    _write_raw(dst, zi, data.data)
                else:
                    dst.writestr(zi, data)


def _copy_entry(src: zipfile.ZipFile, dst: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one entry's compressed bytes without recompressing (falls back to a plain copy)."""
    try:
        raw = _raw_bytes(src, info)
    except Exception:  # noqa: BLE001 - unusual zips: decompress and write again
        zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        zi.compress_type = info.compress_type
        zi.external_attr = info.external_attr
        dst.writestr(zi, src.read(info.filename))
        return
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    zi.CRC = info.CRC
    zi.compress_size = info.compress_size
    zi.file_size = info.file_size
    zi.flag_bits = info.flag_bits & ~0x08
    _write_raw(dst, zi, raw)


def _raw_bytes(src: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    fp = src.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER_SIZE)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    import struct

    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len)
    return fp.read(info.compress_size)


def _write_raw(dst: zipfile.ZipFile, zinfo: zipfile.ZipInfo, raw: bytes) -> None:
    """Append an entry whose compressed bytes and CRC are already known."""
    fp = dst.fp
    assert fp is not None
    zinfo.header_offset = fp.tell()
    zip64 = zinfo.file_size > zipfile.ZIP64_LIMIT or zinfo.compress_size > zipfile.ZIP64_LIMIT
    fp.write(zinfo.FileHeader(zip64))
    fp.write(raw)
    dst.filelist.append(zinfo)
    dst.NameToInfo[zinfo.filename] = zinfo
    dst.start_dir = fp.tell()
