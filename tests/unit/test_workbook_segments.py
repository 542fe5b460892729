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
    wrong = segments.Layout(**{**c.layout.__dict__, "last_raw": c.layout.last_raw + 1})
    with pytest.raises(ValueError):
        segments.append(wrong, c.data, b"<sheetData>", b"", b"</sheetData>", 5)
