"""A minimal, deterministic writer of Compound File Binary files (MS-CFB, version 3).

`olefile` only reads compound files, so the add-in's `vbaProject.bin` is written
here: 512-byte sectors, streams under 4096 bytes in the mini stream, every
timestamp and CLSID zero, children of a storage in a balanced red-black tree.
Same input, same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENTRY_SIZE = 128

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_HEADER_DIFAT = 109
_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class CfbError(ValueError):
    """A tree of streams that cannot be written as a compound file."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then by upper-cased UTF-16 code units."""
    return (len(name.encode("utf-16-le")) // 2, name.upper())


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or any(ch in name for ch in "/\\:!"):
        raise CfbError(f"invalid compound-file entry name {name!r}")


def _build_tree(paths: Mapping[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in paths.items():
        parts = path.split("/")
        node = root
        for i, part in enumerate(parts):
            _check_name(part)
            last = i == len(parts) - 1
            found = next((c for c in node.children if c.name.upper() == part.upper()), None)
            if found is None:
                found = _Entry(part, _STREAM if last else _STORAGE, data if last else b"")
                node.children.append(found)
            elif last or found.kind != _STORAGE:
                raise CfbError(f"duplicate compound-file entry {path!r}")
            node = found
    return root


def _number(root: _Entry) -> list[_Entry]:
    """Entries in directory order: breadth-first, children sorted."""
    order = [root]
    i = 0
    while i < len(order):
        node = order[i]
        node.children.sort(key=lambda c: _sort_key(c.name))
        order.extend(node.children)
        i += 1
    for sid, e in enumerate(order):
        e.sid = sid
    return order


def _balanced(children: list[_Entry], depth: int, full_depth: int) -> int:
    """Root sid of a balanced tree over sorted children; nodes below the full levels are red."""
    if not children:
        return NOSTREAM
    mid = len(children) // 2
    node = children[mid]
    node.color = _RED if depth > full_depth else _BLACK
    node.left = _balanced(children[:mid], depth + 1, full_depth)
    node.right = _balanced(children[mid + 1 :], depth + 1, full_depth)
    return node.sid


def _link(order: list[_Entry]) -> None:
    for node in order:
        if node.children:
            # With sibling sizes differing by at most one, levels 0..floor(log2(n+1))-1 are
            # complete; colouring only the deeper, partial level red keeps every path's black
            # count equal and no red node has a red child.
            full_depth = (len(node.children) + 1).bit_length() - 2
            node.child = _balanced(node.children, 0, full_depth)


def _sectors(n_bytes: int, size: int) -> int:
    return (n_bytes + size - 1) // size


def _pad(data: bytes, size: int) -> bytes:
    rem = len(data) % size
    return data if rem == 0 else data + b"\x00" * (size - rem)


def _entry_bytes(e: _Entry | None) -> bytes:
    if e is None:
        return b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 36 + struct.pack(
            "<IQ", 0, 0
        )
    name = e.name.encode("utf-16-le") + b"\x00\x00"
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right, e.child)
        + b"\x00" * 16  # CLSID
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", e.start, e.size)
    )


def write(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding `streams` ("Storage/Stream" paths -> bytes)."""
    root = _build_tree(streams)
    order = _number(root)
    _link(order)
    root.color = _BLACK
    files = [e for e in order if e.kind == _STREAM]

    # Mini stream: small streams packed in 64-byte mini sectors.
    mini = bytearray()
    minifat: list[int] = []
    for e in files:
        e.size = len(e.data)
        if e.size < MINI_CUTOFF:
            if e.size == 0:
                e.start = ENDOFCHAIN
                continue
            first = len(mini) // MINI_SECTOR
            count = _sectors(e.size, MINI_SECTOR)
            minifat.extend(first + k + 1 for k in range(count - 1))
            minifat.append(ENDOFCHAIN)
            mini += _pad(e.data, MINI_SECTOR)
            e.start = first

    big = [e for e in files if e.size >= MINI_CUTOFF]
    n_big = sum(_sectors(e.size, SECTOR) for e in big)
    n_mini = _sectors(len(mini), SECTOR)
    n_dir = _sectors(len(order) * ENTRY_SIZE, SECTOR)
    n_minifat = _sectors(len(minifat) * 4, SECTOR)
    n_fat = 1
    while True:
        total = n_big + n_mini + n_dir + n_minifat + n_fat
        if _sectors(total * 4, SECTOR) <= n_fat:
            break
        n_fat += 1
    if n_fat > _HEADER_DIFAT:
        raise CfbError("VBA project too large for a compound file without DIFAT sectors")

    fat: list[int] = []
    body = bytearray()

    def chain(count: int) -> int:
        first = len(fat)
        fat.extend(first + k + 1 for k in range(count - 1))
        fat.append(ENDOFCHAIN)
        return first

    for e in big:
        e.start = chain(_sectors(e.size, SECTOR))
        body += _pad(e.data, SECTOR)
    if mini:
        root.start = chain(n_mini)
        root.size = len(mini)
        body += _pad(bytes(mini), SECTOR)
    else:
        root.start, root.size = ENDOFCHAIN, 0
    dir_start = chain(n_dir)
    entries = b"".join(_entry_bytes(e) for e in order)
    entries += b"".join(_entry_bytes(None) for _ in range(n_dir * SECTOR // ENTRY_SIZE - len(order)))
    body += entries
    minifat_start = ENDOFCHAIN
    if minifat:
        minifat_start = chain(n_minifat)
        mf = struct.pack(f"<{len(minifat)}I", *minifat)
        body += mf + struct.pack("<I", FREESECT) * ((n_minifat * SECTOR - len(mf)) // 4)
    fat_first = len(fat)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREESECT] * (n_fat * SECTOR // 4 - len(fat)))
    body += struct.pack(f"<{len(fat)}I", *fat)

    difat = [fat_first + k for k in range(n_fat)] + [FREESECT] * (_HEADER_DIFAT - n_fat)
    header = (
        _MAGIC
        + b"\x00" * 16  # CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # minor, major v3, byte order, shifts
        + b"\x00" * 6
        + struct.pack("<IIII", 0, n_fat, dir_start, 0)  # dir sectors (0 in v3), FAT sectors, dir start, txn
        + struct.pack("<IIIII", MINI_CUTOFF, minifat_start, n_minifat if minifat else 0, ENDOFCHAIN, 0)
        + struct.pack(f"<{_HEADER_DIFAT}I", *difat)
    )
    assert len(header) == SECTOR
    return header + bytes(body)
