"""MS-OVBA compression: our compressor, the strict decompressor, and the known bug they guard against."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relist.addin.compression import (
    CHUNK,
    CompressionError,
    compress,
    compress_raw,
    copy_token_help,
    decompress,
    max_match_length,
)

SRC = Path(__file__).resolve().parents[2] / "addin" / "src"


def test_copy_token_help_follows_the_spec() -> None:
    # MS-OVBA 2.4.1.3.19.1: bit_count = max(ceil(log2(difference)), 4); length mask 0xFFFF >> bit_count.
    assert copy_token_help(1) == (0x0FFF, 0xF000, 4)
    assert copy_token_help(16) == (0x0FFF, 0xF000, 4)
    assert copy_token_help(17) == (0x07FF, 0xF800, 5)
    assert copy_token_help(2048) == (0x001F, 0xFFE0, 11)
    assert copy_token_help(2049) == (0x000F, 0xFFF0, 12)
    assert copy_token_help(4096) == (0x000F, 0xFFF0, 12)
    assert max_match_length(16) == 0x0FFF + 3
    assert max_match_length(4000) == 0x000F + 3


def test_xlwings_runtime_round_trips_strictly() -> None:
    data = (SRC / "xlwings.bas").read_bytes()
    packed = compress(data)
    assert len(packed) < len(data) / 2
    assert decompress(packed, strict=True) == data


def test_oletools_reads_what_we_write() -> None:
    from oletools.olevba import decompress_stream

    data = (SRC / "Dictionary.cls").read_bytes() * 3
    assert bytes(decompress_stream(bytearray(compress(data)))) == data


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=3 * CHUNK + 100) | st.text(alphabet=" \r\nabcAB=()'", max_size=3 * CHUNK).map(str.encode))
def test_round_trip_any_bytes(data: bytes) -> None:
    assert decompress(compress(data), strict=True) == data


def test_long_runs_use_long_copies_within_the_chunk() -> None:
    data = b"x" * (CHUNK * 2 + 7)
    packed = compress(data)
    assert len(packed) < 40
    assert decompress(packed) == data


def test_raw_chunks_pad_the_last_chunk() -> None:
    data = bytes(range(256)) * 20
    packed = compress_raw(data)
    assert len(packed) == 1 + 2 * (CHUNK + 2)
    out = decompress(packed)
    assert out[: len(data)] == data and set(out[len(data) :]) == {0}


def test_incompressible_chunk_is_stored_raw() -> None:
    import random

    data = random.Random(7).randbytes(CHUNK)
    packed = compress(data)
    header = struct.unpack_from("<H", packed, 1)[0]
    assert header & 0x8000 == 0  # raw
    assert decompress(packed) == data


def _container(*chunks: bytes) -> bytes:
    out = b"\x01"
    for body in chunks:
        out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return out


def test_strict_rejects_a_copy_reaching_before_its_chunk() -> None:
    # Chunk 1 holds "abcd"; chunk 2 starts with a literal "a" then copies 3 bytes from offset 4:
    # that reaches back into chunk 1, which a lenient reader follows and a strict one refuses.
    first = b"\x00" + b"abcd"
    token = struct.pack("<H", ((4 - 1) << 12) | (3 - 3))
    second = bytes([0b10]) + b"a" + token
    bad = _container(first.ljust(1, b"\x00"), second)
    with pytest.raises(CompressionError, match="before its chunk"):
        decompress(bad, strict=True)


def test_strict_rejects_bad_signature_and_truncation() -> None:
    with pytest.raises(CompressionError, match="signature byte"):
        decompress(b"\x02abc")
    good = compress(b"hello hello hello")
    with pytest.raises(CompressionError, match="claims"):
        decompress(good[:-2])
    bad_sig = bytearray(good)
    bad_sig[2] = (bad_sig[2] & 0x8F) | 0x10
    with pytest.raises(CompressionError, match="signature 0b1"):
        decompress(bytes(bad_sig))


def test_published_ms_ovba_compressor_fails_the_strict_reader() -> None:
    """The bug the issue names: ms-ovba-compression 1.0.1 mis-sizes copy tokens; our reader must catch it."""
    import ms_ovba_compression.ms_ovba as mod
    data = (SRC / "xlwings.bas").read_bytes()
    theirs = mod.MsOvba().compress(data)
    with pytest.raises(CompressionError):
        decompress(theirs, strict=True)
    assert decompress(compress(data), strict=True) == data
