"""The add-in's reviewable sources (`addin/src/`): ribbon XML and VBA module text.

`.bas` files are standard modules exactly as the VBA editor exports them;
`.cls` files are class modules, whose export header (VERSION/BEGIN/END) the
editor does not store, and whose stored form carries a VB_Base attribute.
The xlwings runtime (`xlwings.bas`, `Dictionary.cls`) is xlwings' own custom
add-in module (`xlwings quickstart --addin`) with PROJECT_NAME set to "relist",
so its settings live in `relist.conf`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from relist.addin.vba_project import CLASS_BASE, ENCODING, Module, ModuleKind
from relist.errors import BadInput

PROJECT_NAME = "relist"
"""xlwings' PROJECT_NAME in the runtime: the config file is ~/.relist/relist.conf (Windows)."""

RUNTIME_FILES = {"xlwings.bas": "xlwings_custom_addin.bas", "Dictionary.cls": "addin/Dictionary.cls"}
"""Runtime module in addin/src -> its file in the installed xlwings package."""

_CLASS_HEADER = re.compile(r"\AVERSION 1\.0 CLASS\r\nBEGIN\r\n(?:.*\r\n)*?END\r\n")
_PROJECT_LINE = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"]*"', re.MULTILINE)
_VERSION_LINE = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', re.MULTILINE)


@dataclass(frozen=True)
class Sources:
    """Everything the .xlam is built from."""

    ribbon: bytes
    modules: tuple[Module, ...]
    files: tuple[str, ...]


def default_dir() -> Path:
    """addin/src of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[3] / "addin" / "src"


def crlf(text: str) -> str:
    """Text with CRLF line ends and a final line end, as VBA stores it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(line + "\r\n" for line in lines)


def module_from_text(filename: str, text: str) -> Module:
    """A module as stored in the VBA project, from the text of an exported .bas or .cls file."""
    name = Path(filename).stem
    code = crlf(text)
    kind: ModuleKind = "class" if filename.lower().endswith(".cls") else "standard"
    if kind == "class":
        header = _CLASS_HEADER.match(code)
        if header is None:
            raise BadInput(
                f"{filename} is not an exported VBA class module.",
                "It must start with the VERSION 1.0 CLASS / BEGIN / END header the VBA editor writes.",
            )
        code = code[header.end() :]
    first, _, rest = code.partition("\r\n")
    if first != f'Attribute VB_Name = "{name}"':
        raise BadInput(
            f'{filename} must start with Attribute VB_Name = "{name}" (its file name).',
            "Export modules from the VBA editor, or rename the file to match the module.",
        )
    if kind == "class":
        attrs = rest.split("\r\n")
        n = 0
        while n < len(attrs) and attrs[n].startswith("Attribute VB_"):
            n += 1
        head, body = attrs[:n], attrs[n:]
        names = {a.split("=")[0].strip() for a in head}
        out = [first, f'Attribute VB_Base = "{CLASS_BASE}"']
        for a in head:
            out.append(a)
            if a.startswith("Attribute VB_Exposed"):
                if "Attribute VB_TemplateDerived" not in names:
                    out.append("Attribute VB_TemplateDerived = False")
                if "Attribute VB_Customizable" not in names:
                    out.append("Attribute VB_Customizable = False")
        code = "\r\n".join(out + body)
    return Module(name, kind, code)


def visible_code(text: str) -> str:
    """What the VBA editor shows of a module: no export header, no leading Attribute lines, LF ends."""
    code = crlf(text)
    header = _CLASS_HEADER.match(code)
    if header is not None:
        code = code[header.end() :]
    lines = code.split("\r\n")
    n = 0
    while n < len(lines) and lines[n].startswith("Attribute VB_"):
        n += 1
    return "\n".join(lines[n:]).rstrip("\n")


def xlwings_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise BadInput("xlwings is not installed.", "Install it: pip install xlwings")
    return Path(spec.origin).parent


def installed_runtime() -> dict[str, str]:
    """The xlwings runtime modules from the installed xlwings package, set up for Relist."""
    base = xlwings_dir()
    out: dict[str, str] = {}
    for ours, theirs in RUNTIME_FILES.items():
        path = base / theirs
        if not path.exists():
            raise BadInput(
                f"The installed xlwings has no {theirs}.", "Install an xlwings release that ships its add-in VBA (0.30+)."
            )
        text = path.read_bytes().decode(ENCODING)
        if ours == "xlwings.bas":
            text, n = _PROJECT_LINE.subn(rf'\1"{PROJECT_NAME}"', text)
            if n != 1:
                raise BadInput(f"xlwings' {theirs} has no PROJECT_NAME line.", "Use an xlwings release from 0.30 on.")
        out[ours] = text
    return out


def runtime_version(text: str) -> str | None:
    """The xlwings version a runtime module was written for (its DLL names carry it)."""
    m = _VERSION_LINE.search(text)
    return m.group(1) if m else None


def load(src: Path | None = None, runtime: str = "bundled") -> Sources:
    """Read addin/src; runtime="installed" takes the xlwings modules from the installed package instead."""
    src = src or default_dir()
    if not (src / "ribbon.xml").is_file():
        raise BadInput(
            f"No add-in sources at {src} (ribbon.xml is missing).",
            "Run from a Relist source checkout, or pass --src pointing at its addin/src folder.",
        )
    texts: dict[str, str] = {}
    for path in sorted(src.iterdir()):
        if path.suffix.lower() in (".bas", ".cls"):
            texts[path.name] = path.read_bytes().decode(ENCODING)
    if runtime == "installed":
        texts.update(installed_runtime())
    elif runtime != "bundled":
        raise BadInput(f"Unknown runtime {runtime!r}.", "Use bundled or installed.")
    if "Relist.bas" not in texts:
        raise BadInput(f"{src} has no Relist.bas.", "Restore addin/src/Relist.bas from the repository.")
    names = sorted(texts, key=lambda n: (n.lower() != "relist.bas", n.lower()))
    modules = tuple(module_from_text(n, texts[n]) for n in names)
    return Sources((src / "ribbon.xml").read_bytes(), modules, tuple(names))
