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
        new_xml = _add_table_columns(fwb._read(table_part) or b"", missing)
        st.info.columns.extend(missing)
        c1, r1, c2, r2 = st.info.bounds
        st.info.ref = f"{pkg.col_letter(c1)}{r1}:{pkg.col_letter(c2 + len(missing))}{r2}"
        new_xml = pkg.set_table_ref(new_xml, st.info.ref)
        fwb._pending_parts[table_part] = new_xml
        st.mode = "replace"
        added += [f"{spec.table}.{c}" for c in missing]
    return added
