"""The add-in's contract checked from every side: ribbon XML, VBA sources, Python entry points, docs."""

from __future__ import annotations

import inspect
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relist import excel
from relist.addin import sources
from relist.errors import BadInput

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "addin" / "src"
UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
_PROC = re.compile(r"^\s*(?:Public\s+|Private\s+)?(Sub|Function)\s+(\w+)\s*\(([^)]*)\)", re.I | re.M)


def _buttons() -> list[ET.Element]:
    root = ET.parse(SRC / "ribbon.xml").getroot()
    assert root.tag == f"{UI}customUI"
    return list(root.iter(f"{UI}button"))


def _procedures() -> dict[str, tuple[str, str, str]]:
    """Procedure name -> (module, kind, parameters) over every .bas source."""
    out: dict[str, tuple[str, str, str]] = {}
    for path in SRC.glob("*.bas"):
        text = path.read_bytes().decode("cp1252")
        for m in _PROC.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            private = text[line_start : m.start() + 20].lstrip().lower().startswith("private")
            if not private:
                out[m.group(2)] = (path.stem, m.group(1), m.group(3))
    return out


def test_ribbon_is_one_relist_tab_with_the_five_groups() -> None:
    root = ET.parse(SRC / "ribbon.xml").getroot()
    tabs = list(root.iter(f"{UI}tab"))
    assert [t.get("label") for t in tabs] == ["Relist"]
    assert [g.get("label") for g in tabs[0].iter(f"{UI}group")] == ["Data", "Work", "Outreach", "Insights", "Help"]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for b in _buttons():
        assert b.get("imageMso") and b.get("label") and b.get("screentip") and b.get("supertip"), b.get("id")


def test_every_onaction_names_a_vba_ribbon_callback() -> None:
    procs = _procedures()
    for b in _buttons():
        action = b.get("onAction", "")
        name = action.rsplit(".", 1)[-1]
        assert name in procs, f"{b.get('id')}: onAction {action!r} is not a public procedure in addin/src/*.bas"
        module, kind, params = procs[name]
        assert kind.lower() == "sub" and re.fullmatch(r"\s*(ByRef\s+)?control\s+As\s+IRibbonControl\s*", params, re.I), (
            f"{name} must be Sub {name}(control As IRibbonControl)"
        )


def test_the_dispatcher_runs_relist_excel_run_with_the_control_tag() -> None:
    text = (SRC / "Relist.bas").read_bytes().decode("cp1252")
    assert "RunRelist control.Tag" in text
    calls = re.findall(r"RunPython \"(.*)\"", text)
    assert calls == ["import relist.excel; relist.excel.run('\" & button & \"')"]


VBA_ONLY = {"restart": ("RelistRestart", "Restart Relist")}
"""Ribbon buttons that run VBA only (no Python entry point): tag -> (onAction, label)."""


def _relist_bas() -> str:
    return (SRC / "Relist.bas").read_bytes().decode("cp1252")


def _procedure(text: str, name: str) -> str:
    start = re.search(rf"^Public Sub {name}\(", text, re.M)
    assert start is not None, name
    return text[start.start() : text.index("End Sub", start.start())]


def test_no_open_workbook_is_a_message_not_vba_error_91() -> None:
    body = _procedure(_relist_bas(), "RunRelist")
    guard = body.find("If ActiveWorkbook Is Nothing Then")
    assert 0 <= guard < body.find('RunPython "'), "RunRelist must check for an open workbook before RunPython"
    after = body[guard:]
    assert after.index("MsgBox") < after.index("Exit Sub") < after.index("End If")
    assert "Open it (File > Open" in body and "Protected View" in body


def test_restart_ends_the_python_server_on_windows_only() -> None:
    body = _procedure(_relist_bas(), "RelistRestart")
    assert "#If Mac Then" in body and "KillPy" in body.split("#Else", 1)[1]
    assert "KillPy" not in body.split("#Else", 1)[0]
    procs = _procedures()
    assert procs["KillPy"][0] == "xlwings"  # the runtime's own procedure
    by_tag = {b.get("tag"): b for b in _buttons()}
    for tag, (action, label) in VBA_ONLY.items():
        assert by_tag[tag].get("onAction") == action and by_tag[tag].get("label") == label
    doc = (ROOT / "docs" / "addin.md").read_text(encoding="utf-8")
    assert re.search(r"^#+ Restart Relist", doc, re.M) and "Upgrading" in doc


def test_every_button_maps_to_an_entry_point_and_back() -> None:
    tags = [b.get("tag") for b in _buttons() if b.get("tag") not in VBA_ONLY]
    assert len(tags) == len(set(tags))
    assert tags == list(excel.BUTTONS), "ribbon order and relist.excel.BUTTONS must match"
    by_tag = {b.get("tag"): b for b in _buttons()}
    assert not set(VBA_ONLY) & set(excel.BUTTONS)
    for name, spec in excel.BUTTONS.items():
        fn = getattr(excel, spec.function)
        params = inspect.signature(fn).parameters
        assert list(params) == ["book", "at"], f"{spec.function}{inspect.signature(fn)}"
        assert all(p.default is None for p in params.values())
        assert by_tag[name].get("label") == spec.label
        assert fn.__doc__ and fn.__doc__.strip(), spec.function
    entry_points = excel.entry_points()
    assert set(entry_points) == set(tags)


def test_every_button_is_documented() -> None:
    doc = (ROOT / "docs" / "addin.md").read_text(encoding="utf-8")
    for spec in excel.BUTTONS.values():
        assert re.search(rf"^#+ .*{re.escape(spec.label)}", doc, re.M), f"docs/addin.md has no heading for {spec.label}"
        assert f"`{spec.name}`" in doc, f"docs/addin.md does not name the button `{spec.name}`"


def test_bundled_runtime_is_the_installed_xlwings_runtime() -> None:
    """addin/src/xlwings.bas must match the xlwings the package depends on (its DLL names carry the version)."""
    installed = sources.installed_runtime()
    for name, text in installed.items():
        ours = (SRC / name).read_bytes().decode("cp1252")
        assert sources.crlf(ours) == sources.crlf(text), (
            f"addin/src/{name} differs from the installed xlwings; refresh it from xlwings {name}"
        )
    assert 'Public Const PROJECT_NAME As String = "relist"' in installed["xlwings.bas"]


def test_class_modules_take_their_stored_form() -> None:
    text = (SRC / "Dictionary.cls").read_bytes().decode("cp1252")
    m = sources.module_from_text("Dictionary.cls", text)
    lines = m.code.split("\r\n")
    assert m.kind == "class" and lines[0] == 'Attribute VB_Name = "Dictionary"'
    assert lines[1].startswith("Attribute VB_Base")
    assert "Attribute VB_TemplateDerived = False" in lines and "Attribute VB_Customizable = False" in lines
    assert not any(ln.startswith(("VERSION", "BEGIN", "END")) and ln != "End Sub" for ln in lines[:10])


@pytest.mark.parametrize(
    ("filename", "text", "message"),
    [
        ("A.bas", 'Attribute VB_Name = "B"\r\n', "file name"),
        ("A.cls", 'Attribute VB_Name = "A"\r\n', "not an exported VBA class"),
    ],
)
def test_bad_sources_refused(filename: str, text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        sources.module_from_text(filename, text)


def test_line_ends_are_normalised() -> None:
    assert sources.crlf("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd\r\n"
    m = sources.module_from_text("X.bas", 'Attribute VB_Name = "X"\nSub A()\nEnd Sub\n')
    assert m.code == 'Attribute VB_Name = "X"\r\nSub A()\r\nEnd Sub\r\n'


def test_sources_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="ribbon.xml"):
        sources.load(tmp_path)
    (tmp_path / "ribbon.xml").write_text("<customUI/>")
    with pytest.raises(BadInput, match="Relist.bas"):
        sources.load(tmp_path)
