"""Segmented sheet parts: one valid deflate stream, the right CRC-32, appends equal to writing the whole part."""

from __future__ import annotations

import random
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist.workbook import segments


@given(st.binary(max_size=300), st.binary(max_size=3000))
def test_crc32_combine_matches_zlib(a: bytes, b: bytes) -> None:
    assert segments.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_crc32_combine_long_second_part() -> None:
    b = bytes(random.Random(1).getrandbits(8) for _ in range(200_000))
    assert segments.crc32_combine(zlib.crc32(b"head"), zlib.crc32(b), len(b)) == zlib.crc32(b"head" + b)


def rows(first: int, n: int, rnd: random.Random) -> bytes:
    return b"".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>T{r:07d} {rnd.random()}</t></is></c><c r="B{r}"><v>{r * 3}</v></c></row>'.encode()
        for r in range(first, first + n)
    )


def inflate(c: segments.Compressed) -> bytes:
    d = zlib.decompressobj(-15)
    out = d.decompress(c.data) + d.flush()
    assert d.eof, "the stream ends with a final block"
    assert not d.unused_data
    return out


@pytest.mark.parametrize("chunk", [200, 5_000, segments.CHUNK])
def test_appends_equal_the_whole_part(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(segments, "CHUNK", chunk)
    rnd = random.Random(chunk)
    head = b'<worksheet><dimension ref="A1:B31"/><sheetData>'
    tail = b"</sheetData><tableParts/></worksheet>"
    body = rows(1, 30, rnd)
    c = segments.compress(head, body, tail, 30, 1)
    assert inflate(c) == head + body + tail
    assert c.crc == zlib.crc32(head + body + tail) and c.size == len(head + body + tail)
    last = 30
    for step in range(25):
        n = rnd.randint(0, 40)
        new = rows(last + 1, n, rnd)
        body += new
        last += n
        head = f'<worksheet><dimension ref="A1:B{last}"/><sheetData>'.encode()
        tail = f"</sheetData><!-- {step} --><tableParts/></worksheet>".encode()
        c = segments.append(c.layout, c.data, head, new, tail, last)
        whole = head + body + tail
        assert inflate(c) == whole
        assert c.crc == zlib.crc32(whole) and c.size == len(whole)
        assert segments.first_rows(c.layout, c.data).startswith(body[: min(len(body), 100)])


def test_a_layout_that_does_not_fit_is_refused() -> None:
    c = segments.compress(b"<sheetData>", rows(1, 5, random.Random(2)), b"</sheetData>", 5, 1)
    first = c.layout.chunks[0]
    for field, value in (("raw", first.raw + 1), ("crc", first.crc ^ 1)):
        wrong = segments.Layout(**{**c.layout.__dict__, "chunks": (segments.Chunk(**{**first.__dict__, field: value}),)})
        with pytest.raises(ValueError):
            segments.append(wrong, c.data, b"<sheetData>", rows(6, 1, random.Random(3)), b"</sheetData>", 6)
    wrong = segments.Layout(**{**c.layout.__dict__, "chunks": (segments.Chunk(**{**first.__dict__, "stored": first.stored ^ 1}),)})
    with pytest.raises(ValueError):  # a chunk only copied is checked too
        segments.update(wrong, c.data, b"<sheetData>", b"</sheetData>", 5)


def _edit_rows(chunk: bytes, numbers: list[int], new: dict[int, bytes]) -> bytes:
    for r in numbers:
        i = chunk.index(f'<row r="{r}">'.encode())
        e = chunk.index(b"</row>", i) + len(b"</row>")
        chunk = chunk[:i] + new[r] + chunk[e:]
    return chunk


@pytest.mark.parametrize("chunk", [300, 4_000, segments.CHUNK])
def test_updates_equal_the_whole_part(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Random rows replaced (longer, shorter) and rows appended, step after step: the same bytes as compressing it all."""
    monkeypatch.setattr(segments, "CHUNK", chunk)
    rnd = random.Random(chunk + 1)
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    table = {r: rows(r, 1, rnd) for r in range(2, 200)}
    c = segments.compress(head, b"".join(table.values()), tail, 199, 1)
    last = 199
    for step in range(30):
        changed = rnd.sample(sorted(table), rnd.randint(0, 6))
        new = {r: f'<row r="{r}"><c r="A{r}"><v>{"9" * rnd.randint(1, 300)}</v></c></row>'.encode() for r in changed}
        table.update(new)
        n = rnd.randint(0, 30)
        added = rows(last + 1, n, rnd)
        last += n
        tail = f"</sheetData><!-- {step} --></worksheet>".encode()
        c = segments.update(c.layout, c.data, head, tail, last, added, changed, lambda b, rs, new=new: _edit_rows(b, rs, new))
        body = b"".join(v for _, v in sorted(table.items())) + added
        whole = head + body + tail
        assert inflate(c) == whole
        assert c.crc == zlib.crc32(whole) and c.size == len(whole)
        table = _split(body)


def _split(body: bytes) -> dict[int, bytes]:
    out = {}
    for part in body.split(b"</row>")[:-1]:
        r = int(part[part.index(b'r="') + 3 : part.index(b'"', part.index(b'r="') + 3)])
        out[r] = part + b"</row>"
    return out


def test_only_the_changed_chunks_are_compressed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "CHUNK", 2_000)
    rnd = random.Random(5)
    c = segments.compress(b"<sheetData>", rows(1, 400, rnd), b"</sheetData>", 400, 1)
    assert len(c.layout.chunks) > 10
    made: list[bytes] = []
    real = segments._chunk
    monkeypatch.setattr(segments, "_chunk", lambda raw, level: made.append(raw) or real(raw, level))
    new = {200: b'<row r="200"><c r="A200"><v>1</v></c></row>'}
    segments.update(c.layout, c.data, b"<sheetData>", b"</sheetData>", 400, b"", [200], lambda b, rs: _edit_rows(b, rs, new))
    assert len(made) == 1 and b'<row r="200">' in made[0]


def test_a_changed_row_not_in_its_chunk_is_refused() -> None:
    c = segments.compress(b"<sheetData>", rows(1, 5, random.Random(2)), b"</sheetData>", 5, 1)
    with pytest.raises(ValueError):
        segments.update(c.layout, c.data, b"<sheetData>", b"</sheetData>", 5, b"", [3], None)
