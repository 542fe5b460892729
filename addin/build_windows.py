"""Build relist.xlam with Excel itself (Windows, when Excel is at hand): the route that needs no compiler of ours.

    python addin/build_windows.py [--out addin/relist-excel.xlam]

Excel (driven through xlwings/COM) makes a new workbook, imports every module
of addin/src (.bas and .cls, as the VBA editor's File > Import would), and
saves it as an add-in (xlOpenXMLAddIn); then the ribbon part
(customUI/customUI14.xml) and its relationship are added to the saved package,
which Excel cannot do through COM. Excel must allow it: File > Options > Trust
Center > Macro Settings > "Trust access to the VBA project object model".

`relist addin build` makes the same add-in on any OS without Excel; this
script is the cross-check that Excel's own VBA import accepts the sources.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
XL_OPENXML_ADDIN = 55  # XlFileFormat.xlOpenXMLAddIn
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_PART = "customUI/customUI14.xml"


def add_ribbon(xlam: Path, ribbon: bytes) -> None:
    """Add the customUI part and its package relationship to a saved .xlam (rewrites the zip)."""
    with zipfile.ZipFile(xlam) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    rels = parts["_rels/.rels"].decode("utf-8")
    if REL_CUSTOMUI not in rels:
        rel = f'<Relationship Id="rIdRelistUI" Type="{REL_CUSTOMUI}" Target="{CUSTOMUI_PART}"/>'
        rels = rels.replace("</Relationships>", rel + "</Relationships>")
    parts["_rels/.rels"] = rels.encode("utf-8")
    parts[CUSTOMUI_PART] = ribbon
    tmp = xlam.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    tmp.replace(xlam)


def build(out: Path) -> Path:
    import xlwings as xw

    if not sys.platform.startswith("win"):
        raise SystemExit("build_windows.py drives Excel through COM and runs on Windows; elsewhere use: relist addin build")
    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.add()
        try:
            project = book.api.VBProject
            components = project.VBComponents
        except Exception as exc:  # noqa: BLE001 - COM refuses when the Trust Center setting is off
            raise SystemExit(
                "Excel refused access to the VBA project. Turn on File > Options > Trust Center > Trust Center "
                "Settings > Macro Settings > Trust access to the VBA project object model, then run this again."
            ) from exc
        project.Name = "RelistAddin"
        for path in sorted(SRC.iterdir()):
            if path.suffix.lower() in (".bas", ".cls"):
                # VBComponents.Import wants CRLF text in the ANSI code page; the sources are kept that way.
                with tempfile.TemporaryDirectory() as tmp:
                    copy = Path(tmp) / path.name
                    copy.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
                    components.Import(str(copy))
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            out.unlink()
        book.api.SaveAs(str(out), XL_OPENXML_ADDIN)
        book.close()
    finally:
        app.quit()
    add_ribbon(out, (SRC / "ribbon.xml").read_bytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "relist-excel.xlam", help="where to save the add-in")
    args = parser.parse_args()
    print(f"Built {build(args.out.resolve())}")


if __name__ == "__main__":
    main()
