"""Bring an older workbook up to the current schema in place: add the columns newer versions declare."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relist import schema
from relist.workbook import package as pkg

if TYPE_CHECKING:
    from relist.workbook.file_adapter import FileWorkbook


def _add_table_columns(table_xml: bytes, names: list[str]) -> bytes:
    ids = [int(x) for x in re.findall(rb'<(?:\w+:)?tableColumn\b[^>]*?\bid="(\d+)"', table_xml)]
    next_id = max(ids, default=0) + 1
    m = re.search(rb"(<(\w+:)?tableColumns\b[^>]*?\bcount=\")(\d+)(\"[^>]*>)(.*?)(</(?:\w+:)?tableColumns>)", table_xml, re.S)
    if not m:
        raise ValueError("table part has no tableColumns")
    prefix = (m.group(2) or b"").decode()
    count = int(m.group(3)) + len(names)
    extra = "".join(f'<{prefix}tableColumn id="{next_id + i}" name="{pkg._esc(n)}"/>' for i, n in enumerate(names))
    return (
        table_xml[: m.start()]
        + m.group(1) + str(count).encode() + m.group(4) + m.group(5) + extra.encode() + m.group(6)
        + table_xml[m.end():]
    )


def add_missing_columns(fwb: FileWorkbook) -> list[str]:
    """Add every schema column a table lacks (at the table's right end); returns 'table.column' names."""
    added: list[str] = []
    for spec in schema.TABLE_SHEETS:
        st = fwb._tables[spec.table.lower()]
        missing = [c for c in spec.names if c not in st.info.columns]
        if not missing:
            continue
        fwb._load(st)
        table_part = st.info.part
        new_xml = _add_table_columns(fwb._read(table_part) or b"", [spec.column(c).header for c in missing])
        st.info.columns.extend(missing)
        st.info.headers.extend(spec.column(c).header for c in missing)
        c1, r1, c2, r2 = st.info.bounds
        st.info.ref = f"{pkg.col_letter(c1)}{r1}:{pkg.col_letter(c2 + len(missing))}{r2}"
        new_xml = pkg.set_table_ref(new_xml, st.info.ref)
        fwb._pending_parts[table_part] = new_xml
        st.mode = "replace"
        added += [f"{spec.table}.{c}" for c in missing]
    return added


# ---------------------------------------------------------------- version 3: headers in plain words

_FORMULA_ELEMENT = re.compile(
    rb"(<(?:\w+:)?(f|formula|formula1|formula2|calculatedColumnFormula|definedName)\b[^>]*(?<!/)>)(.*?)(</(?:\w+:)?\2>)", re.S
)
_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _escaped(header: str) -> str:
    """A column name inside a structured reference's brackets: ' [ ] # escaped by '."""
    return "".join("'" + ch if ch in "'[]#" else ch for ch in header)


def _spec_text(inner: str, names: dict[str, str]) -> str:
    """The inside of one structured reference's outer brackets with old column names replaced."""
    if "[" not in inner:
        at = inner.startswith("@")
        name = inner[1:] if at else inner
        new = names.get(name.lower())
        if new is None:
            return inner
        shown = new if _SIMPLE.match(new) else "[" + _escaped(new) + "]"
        return ("@" if at else "") + shown
    return re.sub(
        r"\[([^\[\]']+)\]",
        lambda m: "[" + _escaped(names[m.group(1).lower()]) + "]" if m.group(1).lower() in names else m.group(0),
        inner,
    )


def _close(text: str, start: int) -> int:
    """Index just after the bracket group opening at `start` (' escapes the next character); -1 if unbalanced."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def rename_in_formula(formula: str, renames: dict[str, dict[str, str]], own: str | None) -> str:
    """A formula with structured references to renamed columns following the rename.

    `renames`: table name (lower case) -> old column name (lower case) -> new header;
    `own`: the table of the sheet the formula sits on, for unqualified references ([@Name]).
    """
    out: list[str] = []
    i = 0
    in_quote = False
    while i < len(formula):
        ch = formula[i]
        if ch == '"':
            in_quote = not in_quote
        if ch != "[" or in_quote:
            out.append(ch)
            i += 1
            continue
        m = re.search(r"([A-Za-z_\\][A-Za-z0-9_.\\]*)$", formula[:i])
        table = m.group(1).lower() if m else None
        names = renames.get(table) if table else (renames.get(own) if own else None)
        end = _close(formula, i)
        if names is None or end < 0:
            out.append(ch)
            i += 1
            continue
        out.append("[" + _spec_text(formula[i + 1 : end - 1], names) + "]")
        i = end
    return "".join(out)


def rename_in_part(data: bytes, renames: dict[str, dict[str, str]], own: str | None) -> bytes:
    """Every formula of a part (cells, conditional formats, validations, defined names, calculated columns) renamed."""
    if b"[" not in data:
        return data

    def one(m: re.Match[bytes]) -> bytes:
        body = m.group(3)
        if b"[" not in body:
            return m.group(0)
        text = body.decode("utf-8").replace("&quot;", '"').replace("&apos;", "'")  # quotes matter: "[x]" is text
        new = rename_in_formula(text, renames, own)
        return m.group(0) if new == text else m.group(1) + new.encode("utf-8") + m.group(4)

    return _FORMULA_ELEMENT.sub(one, data)


def _rename_table_columns(table_xml: bytes, headers: list[str]) -> bytes:
    """The table part with its columns named `headers`, in order."""
    it = iter(headers)

    def one(m: re.Match[bytes]) -> bytes:
        new = pkg._esc(next(it)).replace('"', "&quot;").encode("utf-8")
        return m.group(1) + new + m.group(3)

    return re.sub(rb'(<(?:\w+:)?tableColumn\b[^>]*?\sname=")([^"]*)(")', one, table_xml)


def relabel_headers(fwb: FileWorkbook) -> list[str]:
    """Show every product column by its label: header cells, table column names and the formulas naming them.

    Returns 'Sheet: old -> new' lines. Values are untouched; a user's own column keeps its header.
    """
    renames: dict[str, dict[str, str]] = {}
    changed: list[str] = []
    for spec in schema.TABLE_SHEETS:
        st = fwb._tables[spec.table.lower()]
        info = st.info
        wanted = [spec.column(c).header if c in spec.names else h for c, h in zip(info.columns, info.headers, strict=True)]
        for i, (h, w) in enumerate(zip(info.headers, wanted, strict=True)):
            if h != w and any(w.casefold() == other.casefold() for j, other in enumerate(info.headers) if j != i):
                wanted[i] = h  # the agent's own column already has that header: keep the old one (Excel's names are unique)
        if wanted == info.headers:
            continue
        olds = {h.lower(): w for h, w in zip(info.headers, wanted, strict=True) if h != w}
        renames[spec.table.lower()] = olds
        fwb._load(st)
        part = info.part
        fwb._pending_parts[part] = _rename_table_columns(fwb._pending_parts.get(part) or fwb._read(part) or b"", wanted)
        changed += [f"{spec.sheet}: {h} -> {w}" for h, w in zip(info.headers, wanted, strict=True) if h != w]
        info.headers = wanted
        st.mode = "replace"
        st.relabelled = True
    if not renames:
        return changed
    own_of = {st.sheet_part: st.info.name.lower() for st in fwb._tables.values()}
    for part in fwb._sheet_parts.values():
        data = fwb._pending_parts.get(part) or fwb._read(part)
        if data:
            new = rename_in_part(data, renames, own_of.get(part))
            if new != data:
                fwb._pending_parts[part] = new
    for st in fwb._tables.values():
        data = fwb._pending_parts.get(st.info.part) or fwb._read(st.info.part)
        if data:
            new = rename_in_part(data, renames, st.info.name.lower())
            if new != data:
                fwb._pending_parts[st.info.part] = new
    wb = fwb._pending_parts.get(fwb._wb_part) or fwb._read(fwb._wb_part)
    if wb:
        new = rename_in_part(wb, renames, None)
        if new != wb:
            fwb._pending_parts[fwb._wb_part] = new
    return changed


# ---------------------------------------------------------------- version 4: settings in plain words


def relabel_settings(fwb: FileWorkbook) -> list[str]:
    """Show each setting by its label ('AgentName' -> 'Your name'); values, help and the agent's own rows are kept.

    Returns 'old -> new' lines. A setting whose label some other row already shows keeps its old name.
    """
    rows = fwb.read_records(schema.SETTINGS.table)
    shown = {str(r.get("Setting") or "").strip().casefold() for r in rows}
    changed: list[str] = []
    for r in rows:
        old = str(r.get("Setting") or "").strip()
        name = schema.setting_name(old)
        new = schema.setting_label(name)
        if old and new != old and new.casefold() not in shown:
            r["Setting"] = new
            shown.add(new.casefold())
            changed.append(f"{old} -> {new}")
    if changed:
        fwb.replace_rows(schema.SETTINGS.table, rows)
    return changed
