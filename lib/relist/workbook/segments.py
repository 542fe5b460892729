"""Table sheet parts as deflate segments, so appending rows re-compresses only the last segment and the tail.

A sheet part Relist writes is compressed as independent raw-deflate segments, each
ending in a full flush (no back-references across it): the head (everything up to
`<sheetData>`), the rows in chunks of a few MB cut at `<row>` boundaries, and the
tail (`</sheetData>` onwards, the last segment). Their concatenation is one valid
deflate stream. `Layout` records where the segments lie in the zip entry and the CRC-32
of the rows before the last chunk; appending rows then means: the head (its dimension
changed) and the tail compressed anew, the last chunk inflated, extended and compressed
anew, and every earlier chunk's compressed bytes copied as they are. The part's CRC-32
is combined from the pieces' (`crc32_combine`, zlib's method in pure Python).

A layout is trusted only for the zip entry it was made for (name, CRC-32, sizes as the
central directory records them); anything else is the full path.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace

CHUNK = 4 << 20
"""Raw bytes of rows per segment."""

_ROW_START = re.compile(rb"<(?:\w+:)?row\b")


# ---------------------------------------------------------------- CRC-32 of a concatenation


def _gf2_times(mat: list[int], vec: int) -> int:
    s = 0
    i = 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc32(A), crc32(B) and len(B) (zlib's crc32_combine, GF(2) matrix method)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


# ---------------------------------------------------------------- layouts


def _deflate(data: bytes, level: int, final: bool) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class Layout:
    """Where a sheet part's segments lie in its compressed bytes, and what they hold."""

    head: bytes  # raw XML up to and including <sheetData>
    tail: bytes  # raw XML from </sheetData>
    head_comp: int  # compressed length of the head segment
    prefix_comp: int  # compressed length of the row chunks before the last
    prefix_raw: int
    prefix_crc: int  # CRC-32 of those chunks' raw bytes
    prefix_stored: int  # CRC-32 of their compressed bytes (copied only when they are still these)
    last_comp: int  # the last row chunk (possibly empty)
    last_raw: int
    last_row: int  # number of the last <row> in sheetData
    level: int

    @property
    def tail_start(self) -> int:
        return self.head_comp + self.prefix_comp + self.last_comp


@dataclass(frozen=True)
class Compressed:
    """A part's compressed bytes with the CRC-32 and size the zip entry records."""

    data: bytes
    crc: int
    size: int
    layout: Layout


def compress(head: bytes, rows: bytes, tail: bytes, last_row: int, level: int) -> Compressed:
    """The part head+rows+tail as segments (rows cut into chunks at row starts)."""
    out = [_deflate(head, level, False)]
    cuts = [0]
    while len(rows) - cuts[-1] > CHUNK:
        m = _ROW_START.search(rows, cuts[-1] + CHUNK)
        if m is None:
            break
        cuts.append(m.start())
    cuts.append(len(rows))
    pieces = [rows[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    comp = [_deflate(p, level, False) for p in pieces]
    last, last_c = pieces[-1], comp[-1]
    prefix_raw = len(rows) - len(last)
    layout = Layout(
        head=head, tail=tail, head_comp=len(out[0]),
        prefix_comp=sum(len(c) for c in comp[:-1]), prefix_raw=prefix_raw, prefix_crc=zlib.crc32(rows[:prefix_raw]),
        prefix_stored=zlib.crc32(b"".join(comp[:-1])),
        last_comp=len(last_c), last_raw=len(last), last_row=last_row, level=level,
    )
    out += comp
    out.append(_deflate(tail, level, True))
    data = b"".join(out)
    return Compressed(data, zlib.crc32(tail, zlib.crc32(rows, zlib.crc32(head))), len(head) + len(rows) + len(tail), layout)


def first_rows(layout: Layout, raw: bytes, limit: int = 1 << 20) -> bytes:
    """Up to `limit` raw bytes of the rows from the part's compressed bytes (the first chunk alone is inflated)."""
    d = zlib.decompressobj(-15)
    return d.decompress(raw[layout.head_comp : layout.tail_start], limit)


def append(layout: Layout, raw: bytes, head: bytes, new_rows: bytes, tail: bytes, last_row: int) -> Compressed:
    """The part with `new_rows` after its rows, a new head and tail; only the last chunk is compressed again."""
    level = layout.level
    start = layout.head_comp + layout.prefix_comp
    if (
        zlib.decompressobj(-15).decompress(raw[: layout.head_comp]) != layout.head
        or zlib.decompress(raw[layout.tail_start :], -15) != layout.tail
    ):
        raise ValueError("the part's head or tail is not the one recorded")
    last = zlib.decompressobj(-15).decompress(raw[start : start + layout.last_comp])
    if len(last) != layout.last_raw:
        raise ValueError("the last row chunk does not inflate to its recorded size")
    prefix_comp, prefix_raw, prefix_crc = layout.prefix_comp, layout.prefix_raw, layout.prefix_crc
    kept = raw[layout.head_comp : start]
    if zlib.crc32(kept) != layout.prefix_stored:
        raise ValueError("the part's earlier row chunks are not the ones recorded")
    if len(last) >= CHUNK:  # the last chunk is full: it joins the kept ones and the new rows start a chunk
        kept = raw[layout.head_comp : start + layout.last_comp]
        prefix_crc = crc32_combine(prefix_crc, zlib.crc32(last), len(last))
        prefix_comp += layout.last_comp
        prefix_raw += len(last)
        last = b""
    last += new_rows
    head_c = _deflate(head, level, False)
    last_c = _deflate(last, level, False)
    tail_c = _deflate(tail, level, True)
    crc = crc32_combine(zlib.crc32(head), prefix_crc, prefix_raw)
    crc = zlib.crc32(tail, zlib.crc32(last, crc))
    new = replace(
        layout, head=head, tail=tail, head_comp=len(head_c), prefix_comp=prefix_comp, prefix_raw=prefix_raw,
        prefix_crc=prefix_crc, prefix_stored=zlib.crc32(kept), last_comp=len(last_c), last_raw=len(last), last_row=last_row,
    )
    return Compressed(head_c + kept + last_c + tail_c, crc, len(head) + prefix_raw + len(last) + len(tail), new)
