"""Compile VBA module text into a `vbaProject.bin` (MS-OVBA 2.2-2.4), source only.

The `_VBA_PROJECT` stream says version 0xFFFF with no performance cache, so
Office compiles the modules from their source when it first opens the project
(MS-OVBA 2.3.4.1); the compiled form is never written. The layout follows the
specification and what Excel itself writes (stdole and Office references,
document modules for the workbook and its sheet).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from relist.addin import cfb
from relist.addin.compression import compress

CODEPAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409
SYSKIND_WIN32 = 0x00000001

WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"

# What Excel writes for a new workbook's project (see xlwings' own xlwings.xlam).
REFERENCES: tuple[tuple[str, str], ...] = (
    ("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation"),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)

ModuleKind = Literal["standard", "class", "document"]


class VbaError(ValueError):
    """Module text that cannot be stored in a VBA project."""


@dataclass(frozen=True)
class Module:
    """One VBA module as stored: `code` starts with its Attribute lines and uses CRLF."""

    name: str
    kind: ModuleKind
    code: str


def document_module(name: str, base: str) -> Module:
    """An empty document module (ThisWorkbook, Sheet1) with the attributes Excel gives it."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "\r\n".join(lines) + "\r\n")


# ---------------------------------------------------------------- data encryption (2.4.3)


def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """MS-OVBA 2.4.3.2 Data Encryption, as the hex text of the PROJECT stream (CMG, DPB, GC).

    The seed is normally random; a fixed one keeps the build reproducible.
    """
    version = 2
    proj_key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, version ^ seed, proj_key ^ seed])
    unencrypted1 = proj_key
    encrypted1 = proj_key ^ seed
    encrypted2 = version ^ seed
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


# ---------------------------------------------------------------- records


def _mbcs(text: str, what: str) -> bytes:
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as exc:
        raise VbaError(f"{what} {text!r} has characters outside code page {CODEPAGE}") from exc


def _rec(rid: int, body: bytes) -> bytes:
    return struct.pack("<HI", rid, len(body)) + body


def _u32(rid: int, value: int) -> bytes:
    return _rec(rid, struct.pack("<I", value))


def _u16(rid: int, value: int) -> bytes:
    return _rec(rid, struct.pack("<H", value))


def _text_pair(rid: int, text: str, uid: int) -> bytes:
    """A record holding MBCS text followed by its UTF-16 twin under a second id."""
    return _rec(rid, _mbcs(text, "name")) + _rec(uid, text.encode("utf-16-le"))


def _dir_stream(project_name: str, modules: Sequence[Module]) -> bytes:
    out = bytearray()
    out += _u32(0x0001, SYSKIND_WIN32)
    out += _u32(0x0002, LCID)
    out += _u32(0x0014, LCID)
    out += _u16(0x0003, CODEPAGE)
    out += _rec(0x0004, _mbcs(project_name, "project name"))
    out += _text_pair(0x0005, "", 0x0040)  # doc string
    out += _text_pair(0x0006, "", 0x003D)  # help file
    out += _u32(0x0007, 0)  # help context
    out += _u32(0x0008, 0)  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: Reserved=4, major, minor
    out += _text_pair(0x000C, "", 0x003C)  # constants
    for name, libid in REFERENCES:
        out += _text_pair(0x0016, name, 0x003E)
        lib = _mbcs(libid, "reference")
        body = struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0)
        out += _rec(0x000D, body)
    out += _u16(0x000F, len(modules))
    out += _u16(0x0013, 0xFFFF)
    for m in modules:
        out += _text_pair(0x0019, m.name, 0x0047)
        out += _text_pair(0x001A, m.name, 0x0032)
        out += _text_pair(0x001C, "", 0x0048)
        out += _u32(0x0031, 0)  # source starts at offset 0: no performance cache
        out += _u32(0x001E, 0)
        out += _u16(0x002C, 0xFFFF)
        out += _rec(0x0021 if m.kind == "standard" else 0x0022, b"")
        out += _rec(0x002B, b"")
    out += _rec(0x0010, b"")
    return bytes(out)


def _project_stream(project_id: str, project_name: str, modules: Sequence[Module]) -> bytes:
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == "class":
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(project_id, bytes(4), 0x1A)}"',  # protection state: none
        f'DPB="{encrypt(project_id, bytes(1), 0x2C)}"',  # password: none
        f'GC="{encrypt(project_id, bytes([0xFF]), 0x3E)}"',  # visibility: visible
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs("\r\n".join(lines) + "\r\n", "PROJECT stream")


def _project_wm(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    for m in modules:
        out += _mbcs(m.name, "module name") + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _check(modules: Sequence[Module]) -> None:
    seen: set[str] = set()
    for m in modules:
        if not m.name.isidentifier() or len(m.name) > 31 or not m.name.isascii():
            raise VbaError(f"VBA module name {m.name!r} must be an ASCII identifier of at most 31 characters")
        if m.name.lower() in seen:
            raise VbaError(f"two VBA modules are named {m.name!r}")
        seen.add(m.name.lower())
        if "\n" in m.code.replace("\r\n", "") or "\r" in m.code.replace("\r\n", ""):
            raise VbaError(f"module {m.name} has line ends other than CRLF, which is all VBA stores")
        first = m.code.split("\r\n", 1)[0]
        if first != f'Attribute VB_Name = "{m.name}"':
            raise VbaError(f'module {m.name} must start with Attribute VB_Name = "{m.name}", not {first!r}')


def build(modules: Sequence[Module], project_name: str, project_id: str) -> bytes:
    """The bytes of a vbaProject.bin holding `modules` as source."""
    _check(modules)
    if any(m.name.lower() == project_name.lower() for m in modules):
        raise VbaError(f"the VBA project and a module are both named {project_name!r}")
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(project_id, project_name, modules),
        "PROJECTwm": _project_wm(modules),
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        "VBA/dir": compress(_dir_stream(project_name, modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(_mbcs(m.code, f"module {m.name}"))
    return cfb.write(streams)
