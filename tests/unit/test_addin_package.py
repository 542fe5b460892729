"""The built relist.xlam: a valid package whose VBA decodes (olevba, a strict reader) to the sources."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath

import olefile
import pytest

from relist.addin import package, sources
from relist.addin.compression import decompress
from relist.addin.vba_project import CLASS_BASE, VbaError, build, encrypt

SRC = Path(__file__).resolve().parents[2] / "addin" / "src"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@pytest.fixture(scope="module")
def xlam() -> bytes:
    return package.xlam_bytes(sources.load(SRC))


@pytest.fixture(scope="module")
def parts(xlam: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlam)) as zf:
        assert zf.testzip() is None
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _content_type(parts: dict[str, bytes], name: str) -> str:
    types = ET.fromstring(parts["[Content_Types].xml"])
    for o in types.iter(f"{CT_NS}Override"):
        if o.get("PartName") == "/" + name:
            return o.get("ContentType", "")
    ext = name.rsplit(".", 1)[-1]
    for d in types.iter(f"{CT_NS}Default"):
        if d.get("Extension", "").lower() == ext.lower():
            return d.get("ContentType", "")
    raise AssertionError(f"{name} has no content type")


def test_same_sources_same_bytes(xlam: bytes, tmp_path: Path) -> None:
    out = package.write(sources.load(SRC), tmp_path / "a" / "relist.xlam")
    assert out.read_bytes() == xlam


def test_every_part_parses_and_has_a_content_type(parts: dict[str, bytes]) -> None:
    for name, data in parts.items():
        if name == "[Content_Types].xml":
            ET.fromstring(data)
            continue
        ct = _content_type(parts, name)
        if name.endswith((".xml", ".rels")):
            ET.fromstring(data)
        else:
            assert ct == "application/vnd.ms-office.vbaProject"
            assert olefile.isOleFile(io.BytesIO(data))
    assert _content_type(parts, "xl/workbook.xml") == "application/vnd.ms-excel.addin.macroEnabled.main+xml"


def test_relationships_point_at_parts(parts: dict[str, bytes]) -> None:
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        source_dir = PurePosixPath(name).parent.parent
        for rel in ET.fromstring(data).iter(f"{REL_NS}Relationship"):
            target = str(source_dir / rel.get("Target", "")).lstrip("./")
            assert target in parts, f"{name}: {rel.get('Target')} is missing"


def test_ribbon_part_is_wired_as_customui_2009(parts: dict[str, bytes]) -> None:
    rels = ET.fromstring(parts["_rels/.rels"])
    ui = [r for r in rels.iter(f"{REL_NS}Relationship")
          if r.get("Type") == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"]
    assert [r.get("Target") for r in ui] == ["customUI/customUI14.xml"]
    root = ET.fromstring(parts["customUI/customUI14.xml"])
    assert root.tag == "{http://schemas.microsoft.com/office/2009/07/customui}customUI"
    assert parts["customUI/customUI14.xml"] == (SRC / "ribbon.xml").read_bytes()
    wb_rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    types = {r.get("Type") for r in wb_rels.iter(f"{REL_NS}Relationship")}
    assert "http://schemas.microsoft.com/office/2006/relationships/vbaProject" in types
    wb = parts["xl/workbook.xml"].decode()
    assert 'codeName="ThisWorkbook"' in wb and 'visibility="hidden"' in wb


def test_olevba_decodes_every_module_to_its_source(tmp_path: Path) -> None:
    from oletools.olevba import VBA_Parser

    path = package.write(sources.load(SRC), tmp_path / "relist.xlam")
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        got = {vba_filename.rsplit(".", 1)[0]: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()
    files = {p.stem: p for p in SRC.iterdir() if p.suffix in (".bas", ".cls")}
    assert set(got) == set(files) | {"ThisWorkbook", "Sheet1"}
    for name, file in files.items():
        text = file.read_bytes().decode("cp1252")
        code = got[name].replace("\r\n", "\n")
        assert sources.visible_code(code) == sources.visible_code(text), name
        attrs = [ln for ln in sources.crlf(text).split("\r\n") if ln.startswith("Attribute VB_")]
        for a in attrs:
            assert a in code.split("\n"), f"{name} lost {a}"
        if file.suffix == ".cls":
            assert f'Attribute VB_Base = "{CLASS_BASE}"' in code and "VERSION 1.0 CLASS" not in code


def test_a_strict_reader_decodes_every_stream(parts: dict[str, bytes]) -> None:
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    modules = [ln.split("=", 1)[1].split("/")[0] for ln in project.splitlines()
               if ln.startswith(("Module=", "Class=", "Document="))]
    dir_stream = decompress(ole.openstream("VBA/dir").read(), strict=True)
    # Walk the dir records (MS-OVBA 2.3.4.2): every module's stream name, type and a zero source offset.
    pos, found = 0, []
    while pos < len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        if rid == 0x0009:
            size = 6
        body = dir_stream[pos + 6 : pos + 6 + size]
        if rid == 0x001A:
            found.append(body.decode("cp1252"))
        if rid == 0x0031:
            assert struct.unpack("<I", body)[0] == 0
        pos += 6 + size
        if rid == 0x0010:
            break
    assert pos == len(dir_stream)
    assert found == modules
    for name in modules:
        text = decompress(ole.openstream(f"VBA/{name}").read(), strict=True).decode("cp1252")
        assert text.startswith(f'Attribute VB_Name = "{name}"\r\n')
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x00\x00"
    wm = ole.openstream("PROJECTwm").read()
    assert wm.endswith(b"\x00\x00") and all(m.encode() + b"\x00" in wm for m in modules)


def test_project_protection_fields_decrypt(parts: dict[str, bytes]) -> None:
    import ms_ovba_crypto as crypto
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    lines = dict(ln.split("=", 1) for ln in ole.openstream("PROJECT").read().decode().splitlines() if "=" in ln)
    plain = {k: crypto.MsOvbaCrypto.decrypt(bytes.fromhex(lines[k].strip('"'))) for k in ("CMG", "DPB", "GC")}
    assert plain == {"CMG": b"\x00\x00\x00\x00", "DPB": b"\x00", "GC": b"\xff"}


def test_encrypt_matches_the_reference_for_every_seed() -> None:
    import ms_ovba_crypto as crypto
    pid = "{5B31D7A3-0C22-4E44-9B0F-3F1E2A8C9D10}"
    for seed in range(256):
        enc = encrypt(pid, b"\x01\x02\x03", seed)
        assert crypto.MsOvbaCrypto.decrypt(bytes.fromhex(enc)) == b"\x01\x02\x03"


def test_bad_modules_refused() -> None:
    from relist.addin.vba_project import Module

    ok = Module("A", "standard", 'Attribute VB_Name = "A"\r\nSub X()\r\nEnd Sub\r\n')
    with pytest.raises(VbaError, match="both named"):
        build([ok], "A", "{00000000-0000-0000-0000-000000000000}")
    with pytest.raises(VbaError, match="two VBA modules"):
        build([ok, ok], "P", "{00000000-0000-0000-0000-000000000000}")
    with pytest.raises(VbaError, match="must start with"):
        build([Module("B", "standard", "Sub X()\r\n")], "P", "{00000000-0000-0000-0000-000000000000}")
    with pytest.raises(VbaError, match="other than CRLF"):
        build([Module("C", "standard", 'Attribute VB_Name = "C"\nSub X()\n')], "P", "{0}")
    with pytest.raises(VbaError, match="code page"):
        build([Module("D", "standard", 'Attribute VB_Name = "D"\r\n\' \u2603\r\n')], "P", "{0}")


def test_windows_script_adds_the_ribbon_to_an_excel_saved_file(tmp_path: Path, parts: dict[str, bytes]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_windows", SRC.parent / "build_windows.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    bare = tmp_path / "excel.xlam"
    rels = parts["_rels/.rels"].decode()
    start = rels.index('<Relationship Id="rIdRelistUI"')
    rels = rels[:start] + rels[rels.index("/>", start) + 2 :]
    with zipfile.ZipFile(bare, "w") as zf:
        for name, data in parts.items():
            if name != "customUI/customUI14.xml":
                zf.writestr(name, rels.encode() if name == "_rels/.rels" else data)
    mod.add_ribbon(bare, (SRC / "ribbon.xml").read_bytes())
    with zipfile.ZipFile(bare) as zf:
        assert zf.read("customUI/customUI14.xml") == (SRC / "ribbon.xml").read_bytes()
        assert zf.read("_rels/.rels").count(b"ui/extensibility") == 1
        assert zf.read("xl/vbaProject.bin") == parts["xl/vbaProject.bin"]
