"""The compound-file writer: olefile reads every stream back; the directory is a valid red-black tree."""

from __future__ import annotations

import io
import struct

import olefile
import pytest

from relist.addin import cfb

STREAMS = {
    "PROJECT": b"ID=\"{0}\"\r\n" * 10,
    "PROJECTwm": b"x\x00",
    "VBA/dir": bytes(range(256)) * 6,
    "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
    "VBA/ThisWorkbook": b"",
    "VBA/at_cutoff_minus_1": b"m" * 4095,
    "VBA/at_cutoff": b"b" * 4096,
    "VBA/big": bytes(range(251)) * 400,
    **{f"VBA/Module{k:02d}": bytes([k]) * (k * 97) for k in range(1, 30)},
}


def test_olefile_reads_every_stream_back() -> None:
    ole = olefile.OleFileIO(io.BytesIO(cfb.write(STREAMS)))
    for path, data in STREAMS.items():
        assert ole.openstream(path).read() == data, path
    assert sorted("/".join(e) for e in ole.listdir()) == sorted(STREAMS)


def test_same_streams_same_bytes() -> None:
    assert cfb.write(STREAMS) == cfb.write(dict(reversed(list(STREAMS.items()))))


def test_large_file_needs_several_fat_sectors() -> None:
    data = {"A/big": bytes(70 * 1024), "A/small": b"s"}
    raw = cfb.write(data)
    assert struct.unpack_from("<I", raw, 0x2C)[0] >= 2  # FAT sectors
    ole = olefile.OleFileIO(io.BytesIO(raw))
    assert ole.openstream("A/big").read() == data["A/big"]


def _entries(raw: bytes) -> list[dict[str, object]]:
    first_dir = struct.unpack_from("<I", raw, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", raw, 0x4C) if s != cfb.FREESECT]
    fat: list[int] = []
    for s in fat_sectors:
        fat += struct.unpack_from("<128I", raw, 512 * (s + 1))
    out = []
    sector = first_dir
    while sector != cfb.ENDOFCHAIN:
        base = 512 * (sector + 1)
        for k in range(4):
            e = raw[base + 128 * k : base + 128 * (k + 1)]
            size = struct.unpack_from("<H", e, 64)[0]
            name = e[: max(size - 2, 0)].decode("utf-16-le")
            kind, color = e[66], e[67]
            left, right, child = struct.unpack_from("<III", e, 68)
            out.append({"name": name, "kind": kind, "color": color, "left": left, "right": right, "child": child})
        sector = fat[sector]
    return out


def _key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def test_directory_trees_are_sorted_red_black_trees() -> None:
    entries = _entries(cfb.write(STREAMS))
    assert entries[0]["name"] == "Root Entry" and entries[0]["color"] == 1

    def walk(sid: int) -> tuple[list[str], int]:
        """In-order names and the black height, checking no red node has a red child."""
        if sid == cfb.NOSTREAM:
            return [], 1
        e = entries[sid]
        for side in ("left", "right"):
            child = int(e[side])  # type: ignore[call-overload]
            if e["color"] == 0 and child != cfb.NOSTREAM:
                assert entries[child]["color"] == 1, f"red {e['name']} has a red child"
        left, hl = walk(int(e["left"]))  # type: ignore[call-overload]
        right, hr = walk(int(e["right"]))  # type: ignore[call-overload]
        assert hl == hr, f"unequal black heights under {e['name']}"
        return left + [str(e["name"])] + right, hl + (1 if e["color"] == 1 else 0)

    storages = [e for e in entries if e["kind"] in (1, 5) and e["child"] != cfb.NOSTREAM]
    assert len(storages) == 2  # root and VBA
    for s in storages:
        root = int(s["child"])  # type: ignore[call-overload]
        assert entries[root]["color"] == 1
        names, _ = walk(root)
        assert names == sorted(names, key=_key)


@pytest.mark.parametrize("name", ["", "a:b", "x" * 32, "bad!"])
def test_bad_names_refused(name: str) -> None:
    with pytest.raises(cfb.CfbError):
        cfb.write({f"VBA/{name}": b"x"})


def test_duplicate_paths_refused() -> None:
    with pytest.raises(cfb.CfbError, match="duplicate"):
        cfb.write({"VBA/A": b"1", "vba/a": b"2"})
