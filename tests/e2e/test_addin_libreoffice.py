"""LibreOffice's own VBA import reads every module of the built add-in in full (a strict MS-OVBA reader)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from tests.conftest import require_tool

from relist.addin import package, sources

pytestmark = pytest.mark.e2e

SRC = Path(__file__).resolve().parents[2] / "addin" / "src"
SCRIPT_NS = "{http://openoffice.org/2000/script}"
# LibreOffice 7.x does not detect .xlam by itself; its macro-enabled OOXML filter reads it.
XLAM_FILTER = "Calc MS Excel 2007 VBA XML"


def _to_ods(src: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless and a private profile (the conftest helper has no --infilter)."""
    exe = require_tool("soffice")
    profile = Path("/tmp") / f"lo-relist-addin-{uuid.uuid4().hex}"
    try:
        proc = subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             f"--infilter={XLAM_FILTER}", "--convert-to", "ods", "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{src.stem}.ods"
    assert out.exists(), f"LibreOffice did not convert {src.name}: {proc.stdout} {proc.stderr}"
    return out


def _lo_module_code(text: str) -> str:
    """The module text LibreOffice shows, without the lines its VBA import adds on top."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and (lines[0].startswith("Rem Attribute VBA_ModuleType=") or lines[0] in (
        "Option VBASupport 1", "Option ClassModule")):
        lines.pop(0)
    return "\n".join(lines).rstrip("\n")


def _editor_view(code: str) -> str:
    """Procedure attributes (Attribute Item.VB_UserMemId = 0 ...) are hidden by the VBA editor and by LibreOffice."""
    return "\n".join(ln for ln in code.split("\n") if not re.match(r"Attribute \w+\.VB_\w+ = ", ln))


def test_libreoffice_imports_every_module_in_full(tmp_path: Path) -> None:
    srcs = sources.load(SRC)
    xlam = package.write(srcs, tmp_path / "relist.xlam")
    ods = _to_ods(xlam, tmp_path / "out")
    with zipfile.ZipFile(ods) as zf:
        basic = {n: zf.read(n) for n in zf.namelist() if n.startswith("Basic/") and not n.endswith("script-lb.xml")
                 and not n.endswith("script-lc.xml")}
    modules: dict[str, tuple[str, str]] = {}
    for data in basic.values():
        root = ET.fromstring(data)
        modules[root.get(f"{SCRIPT_NS}name", "")] = (root.get(f"{SCRIPT_NS}moduleType", ""), root.text or "")
    assert set(modules) == {m.name for m in srcs.modules} | {"ThisWorkbook", "Sheet1"}
    assert all(name.startswith(f"Basic/{package.VBA_PROJECT_NAME}/") for name in basic)
    for path in SRC.iterdir():
        if path.suffix not in (".bas", ".cls"):
            continue
        kind, code = modules[path.stem]
        assert kind == ("class" if path.suffix == ".cls" else "normal"), path.name
        expected = _editor_view(sources.visible_code(path.read_bytes().decode("cp1252")))
        assert _lo_module_code(code) == expected, f"LibreOffice imported {path.stem} differently"
    # The big runtime module is the one a lax compressor breaks: make sure it arrived whole.
    assert len(modules["xlwings"][1]) > 40_000
    assert modules["ThisWorkbook"][0] == "document"


def test_libreoffice_catches_a_lax_compressor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with ms-ovba-compression 1.0.1's copy tokens LibreOffice loses the big module."""
    import ms_ovba_compression.ms_ovba as lax

    from relist.addin import vba_project

    monkeypatch.setattr(vba_project, "compress", lambda data: lax.MsOvba().compress(data))
    xlam = package.write(sources.load(SRC), tmp_path / "lax.xlam")
    ods = _to_ods(xlam, tmp_path / "out")
    with zipfile.ZipFile(ods) as zf:
        name = f"Basic/{package.VBA_PROJECT_NAME}/xlwings.xml"
        code = ET.fromstring(zf.read(name)).text or "" if name in zf.namelist() else ""
    expected = sources.visible_code((SRC / "xlwings.bas").read_bytes().decode("cp1252"))
    assert _lo_module_code(code) != expected
