"""Table sheet parts as deflate segments, so a save re-compresses only the segments whose rows changed.

A sheet part Relist writes is compressed as independent raw-deflate segments, each
ending in a full flush (no back-references across it): the head (everything up to
`<sheetData>`), the rows in chunks of about 1 MB cut at `<row>` boundaries, and the
tail (`</sheetData>` onwards, the last segment). Their concatenation is one valid
deflate stream. `Layout` records where the segments lie in the zip entry, each chunk's
first row number, raw size and CRC-32, and the CRC-32 of its compressed bytes. A save
that changes some rows and appends others then means: the head (its dimension changed)
and the tail compressed anew, the chunks holding changed rows (and the last one, when
rows are appended) inflated, edited and compressed anew, and every other chunk's
compressed bytes copied as they are. The part's CRC-32 is combined from the pieces'
(`crc32_combine`, zlib's method in pure Python).

A layout is trusted only for the zip entry it was made for (name, CRC-32, sizes as the
central directory records them) and only while each copied chunk's compressed bytes are
still the recorded ones; anything else is the full path.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass

CHUNK = 1 << 20
"""Raw bytes of rows per segment."""

_ROW_START = re.compile(rb"<(?:\w+:)?row\b")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')

# ---------------------------------------------------------------- CRC-32 of a concatenation

_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a * b modulo the CRC-32 polynomial (reflected bit order), as zlib's multmodp."""
    m = 1 << 31
    p = 0
    while m:
        if a & m:
            p ^= b
            if not a & (m - 1):
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _x2n_table() -> list[int]:
    p = 1 << 30  # x^1
    out = [p]
    for _ in range(1, 32):
        p = _multmodp(p, p)
        out.append(p)
    return out


_X2N = _x2n_table()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc32(A), crc32(B) and len(B) (zlib 1.2.12's crc32_combine: x^(8*len2) mod p)."""
    if len2 <= 0:
        return crc1
    p = 1 << 31  # x^0
    n, k = len2, 3
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


# ---------------------------------------------------------------- layouts


def _deflate(data: bytes, level: int, final: bool) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class Chunk:
    """One segment of rows: its compressed and raw sizes, CRC-32s, and the number of its first row (0: none)."""

    comp: int
    raw: int
    crc: int  # of the raw bytes
    stored: int  # of the compressed bytes (copied only when they are still these)
    first_row: int


@dataclass(frozen=True)
class Layout:
    """Where a sheet part's segments lie in its compressed bytes, and what they hold."""

    head: bytes  # raw XML up to and including <sheetData>
    tail: bytes  # raw XML from </sheetData>
    head_comp: int  # compressed length of the head segment
    chunks: tuple[Chunk, ...]  # the rows, in order (at least one, possibly empty)
    last_row: int  # number of the last <row> in sheetData
    level: int

    @property
    def tail_start(self) -> int:
        return self.head_comp + sum(c.comp for c in self.chunks)

    def chunk_of(self, row: int) -> int:
        """Index of the chunk holding row number `row` (rows are in ascending order)."""
        i = 0
        for k, c in enumerate(self.chunks):
            if c.first_row and c.first_row <= row:
                i = k
        return i


@dataclass(frozen=True)
class Compressed:
    """A part's compressed bytes with the CRC-32 and size the zip entry records."""

    data: bytes
    crc: int
    size: int
    layout: Layout


def _first_row(raw: bytes) -> int:
    m = _ROW_NUMBER.match(raw)
    return int(m.group(1)) if m else 0


def _chunk(raw: bytes, level: int) -> tuple[bytes, Chunk]:
    comp = _deflate(raw, level, False)
    return comp, Chunk(len(comp), len(raw), zlib.crc32(raw), zlib.crc32(comp), _first_row(raw))


def compress(head: bytes, rows: bytes, tail: bytes, last_row: int, level: int) -> Compressed:
    """The part head+rows+tail as segments (rows cut into chunks at row starts)."""
    cuts = [0]
    while len(rows) - cuts[-1] > CHUNK:
        m = _ROW_START.search(rows, cuts[-1] + CHUNK)
        if m is None:
            break
        cuts.append(m.start())
    cuts.append(len(rows))
    made = [_chunk(rows[a:b], level) for a, b in zip(cuts, cuts[1:], strict=False)]
    head_c = _deflate(head, level, False)
    layout = Layout(head, tail, len(head_c), tuple(c for _, c in made), last_row, level)
    data = b"".join([head_c, *(b for b, _ in made), _deflate(tail, level, True)])
    crc = zlib.crc32(head)
    for _comp, c in made:  # the part's CRC from the chunks' own (not a second pass over the rows)
        crc = crc32_combine(crc, c.crc, c.raw)
    return Compressed(data, crc32_combine(crc, zlib.crc32(tail), len(tail)), len(head) + len(rows) + len(tail), layout)


def first_rows(layout: Layout, raw: bytes, limit: int = 1 << 20) -> bytes:
    """Up to `limit` raw bytes of the rows from the part's compressed bytes (the first chunk alone is inflated)."""
    d = zlib.decompressobj(-15)
    return d.decompress(raw[layout.head_comp : layout.tail_start], limit)


def update(
    layout: Layout, raw: bytes, head: bytes, tail: bytes, last_row: int, new_rows: bytes = b"",
    changed: Collection[int] = (), edit: Callable[[bytes, list[int]], bytes] | None = None,
) -> Compressed:
    """The part with the rows numbered in `changed` edited, `new_rows` after its rows, a new head and tail.

    `edit(chunk, rows)` returns a chunk's raw rows with those of `rows` replaced (or raises
    ValueError). Only the chunks holding changed rows, and the last chunk when rows are
    appended, are inflated and compressed again; the others are copied.
    """
    level = layout.level
    if (
        zlib.decompressobj(-15).decompress(raw[: layout.head_comp]) != layout.head
        or zlib.decompress(raw[layout.tail_start :], -15) != layout.tail
    ):
        raise ValueError("the part's head or tail is not the one recorded")
    by_chunk: dict[int, list[int]] = {}
    for r in changed:
        by_chunk.setdefault(layout.chunk_of(r), []).append(r)
    if (changed and edit is None) or (by_chunk and max(by_chunk) >= len(layout.chunks)):
        raise ValueError("no way to edit the changed rows")
    last_i = len(layout.chunks) - 1
    pieces: list[bytes] = []
    chunks: list[Chunk] = []
    crc, size = zlib.crc32(head), len(head)
    pos = layout.head_comp
    for i, c in enumerate(layout.chunks):
        comp = raw[pos : pos + c.comp]
        pos += c.comp
        grow = i == last_i and bool(new_rows)
        if i not in by_chunk and not grow:
            if zlib.crc32(comp) != c.stored:
                raise ValueError("a row chunk's compressed bytes are not the ones recorded")
            pieces.append(comp)
            chunks.append(c)
            crc = crc32_combine(crc, c.crc, c.raw)
            size += c.raw
            continue
        body = zlib.decompressobj(-15).decompress(comp)
        if len(body) != c.raw or zlib.crc32(body) != c.crc:
            raise ValueError("a row chunk does not inflate to its recorded rows")
        if i in by_chunk:
            assert edit is not None
            body = edit(body, sorted(by_chunk[i]))
        if grow and len(body) >= CHUNK:  # full: it stays as it is and the new rows start a chunk
            for b in (body, new_rows):
                cb, cc = _chunk(b, level)
                pieces.append(cb)
                chunks.append(cc)
                crc, size = zlib.crc32(b, crc), size + len(b)
            continue
        if grow:
            body += new_rows
        cb, cc = _chunk(body, level)
        pieces.append(cb)
        chunks.append(cc)
        crc, size = zlib.crc32(body, crc), size + len(body)
    head_c = _deflate(head, level, False)
    tail_c = _deflate(tail, level, True)
    new = Layout(head, tail, len(head_c), tuple(chunks), last_row, level)
    return Compressed(b"".join([head_c, *pieces, tail_c]), zlib.crc32(tail, crc), size + len(tail), new)


def append(layout: Layout, raw: bytes, head: bytes, new_rows: bytes, tail: bytes, last_row: int) -> Compressed:
    """The part with `new_rows` after its rows, a new head and tail; only the last chunk is compressed again."""
    return update(layout, raw, head, tail, last_row, new_rows)
