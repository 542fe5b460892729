"""MS-OVBA compression (section 2.4.1): the run-length/LZ77 scheme VBA source is stored in.

Written here from the specification. The copy-token split follows 2.4.1.3.19.1
("CopyToken Help"): bit_count = max(ceil(log2(difference)), 4) and the longest
match is (0xFFFF >> bit_count) + 3. A match never reaches before its own
4096-byte chunk, so each chunk decodes on its own, which is what strict readers
(LibreOffice among them) require. `decompress(strict=True)` checks exactly that.
"""

from __future__ import annotations

import struct

CHUNK = 4096
SIGNATURE = 0x01
_RAW_SIZE_FIELD = 0x0FFF  # raw chunk: 4096 data bytes + 2 header bytes - 3
_MAX_CANDIDATES = 128  # earlier matches tried per 3-byte prefix: bounds the time on runs of blanks


class CompressionError(ValueError):
    """A compressed container that does not follow MS-OVBA 2.4.1."""


def copy_token_help(difference: int) -> tuple[int, int, int]:
    """(length_mask, offset_mask, bit_count) for a position `difference` bytes into a chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return length_mask, ~length_mask & 0xFFFF, bit_count


def max_match_length(difference: int) -> int:
    """The longest copy a token can express at this position of a chunk."""
    _, _, bit_count = copy_token_help(difference)
    return (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """One chunk (data[start:end], at most 4096 bytes) as a CompressedChunk with its header."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions seen in this chunk
    pos = start
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            difference = pos - start
            best_len = 0
            best_off = 0
            if difference > 0 and end - pos >= 3:
                limit = min(max_match_length(difference), end - pos)
                for cand in reversed(heads.get(data[pos : pos + 3], [])[-_MAX_CANDIDATES:]):
                    length = 3
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                length_mask, _, bit_count = copy_token_help(difference)
                token = ((best_off - 1) << (16 - bit_count)) | ((best_len - 3) & length_mask)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, min(pos + step, end - 2)):
                heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_index] = flags
    size = len(out)
    if size > CHUNK:  # incompressible: a raw chunk is smaller (2.4.1.3.7)
        raw = data[start:end] + b"\x00" * (CHUNK - (end - start))
        return struct.pack("<H", 0x3000 | _RAW_SIZE_FIELD) + raw
    header = 0x8000 | 0x3000 | (size + 2 - 3)
    return struct.pack("<H", header) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding `data`."""
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)


def compress_raw(data: bytes) -> bytes:
    """A CompressedContainer of raw (uncompressed) chunks; the last one is padded with NULs."""
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        part = data[start : start + CHUNK]
        out += struct.pack("<H", 0x3000 | _RAW_SIZE_FIELD) + part + b"\x00" * (CHUNK - len(part))
    return bytes(out)


def decompress(container: bytes, strict: bool = True) -> bytes:
    """The bytes a CompressedContainer holds.

    strict: every chunk header has signature 0b011, each chunk is decoded alone,
    no copy token reaches before its chunk or past 4096 bytes, and the
    container ends exactly at a chunk boundary.
    """
    if not container or container[0] != SIGNATURE:
        raise CompressionError("compressed container does not start with signature byte 0x01")
    out = bytearray()
    pos = 1
    n = len(container)
    while pos < n:
        if pos + 2 > n:
            raise CompressionError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        signature = (header >> 12) & 0x07
        compressed = bool(header & 0x8000)
        if strict and signature != 0b011:
            raise CompressionError(f"chunk at byte {pos} has signature {signature:#b}, not 0b011")
        chunk_end = min(pos + size, n)
        if strict and pos + size > n:
            raise CompressionError(f"chunk at byte {pos} claims {size} bytes but only {n - pos} remain")
        chunk_start_out = len(out)
        cur = pos + 2
        if not compressed:
            if strict and size != CHUNK + 2:
                raise CompressionError(f"raw chunk at byte {pos} is {size - 2} bytes, not 4096")
            out += container[cur : cur + CHUNK]
            pos = cur + CHUNK if strict else chunk_end
            continue
        while cur < chunk_end:
            flags = container[cur]
            cur += 1
            for bit in range(8):
                if cur >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[cur])
                    cur += 1
                else:
                    if cur + 2 > chunk_end:
                        raise CompressionError(f"copy token cut by chunk end at byte {cur}")
                    (token,) = struct.unpack_from("<H", container, cur)
                    cur += 2
                    difference = len(out) - chunk_start_out
                    length_mask, offset_mask, bit_count = copy_token_help(difference)
                    length = (token & length_mask) + 3
                    offset = ((token & offset_mask) >> (16 - bit_count)) + 1
                    if strict:
                        if difference == 0:
                            raise CompressionError(f"copy token at chunk start (byte {cur - 2})")
                        if offset > difference:
                            raise CompressionError(
                                f"copy token at byte {cur - 2} reaches {offset - difference} bytes before its chunk"
                            )
                        if difference + length > CHUNK:
                            raise CompressionError(f"copy token at byte {cur - 2} runs past 4096 bytes")
                    src = len(out) - offset
                    if src < 0:
                        raise CompressionError(f"copy token at byte {cur - 2} reaches before the data")
                    for k in range(length):
                        out.append(out[src + k])
            if strict and len(out) - chunk_start_out > CHUNK:
                raise CompressionError(f"chunk at byte {pos} decodes to more than 4096 bytes")
        pos = chunk_end
    return bytes(out)
