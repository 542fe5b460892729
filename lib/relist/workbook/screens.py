"""Render sheets of a Relist workbook as a 1,366 x 768 screen shows them at 100% zoom (LibreOffice headless).

Each sheet is printed alone on a page as wide as Excel's grid on a 1,366-px screen
(1,300 px once the row numbers and the scroll bar are off), at 100% scale, with no
header or footer; the page becomes a 96-dpi PNG. What the picture shows is what an
agent sees without scrolling sideways. Used by workbook/screenshot.sh and the e2e tests.

    python -m relist.workbook.screens WORKBOOK.xlsx OUTDIR [Sheet ...]
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SCREEN = (1366, 768)
GRID_PX = 1300
"""Excel's grid on a 1,366-px screen at 100%: the row numbers and the vertical scroll bar take the rest."""
DPI = 96
PAGE_W_IN = 14.0  # US Legal, landscape: the paper LibreOffice knows that is wider than the grid
PAGE_H_IN = 8.5


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        rid = re.search(r'r:id="([^"]+)"', tag)
        if name and rid:
            target = targets[rid.group(1)].lstrip("/")
            out[name.group(1).replace("&apos;", "'")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def screen_copy(data: bytes, sheet: str, as_screen: bool = True) -> bytes:
    """The workbook with only `sheet` visible, set to print at 100% on a grid-wide page (`as_screen`), or as it prints."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = _sheet_parts(src)
    margin = (PAGE_W_IN - GRID_PX / DPI) / 2
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = body.decode()

                def state(m: re.Match[str]) -> str:
                    tag = re.sub(r'\sstate="[^"]*"', "", m.group(0))
                    mine = f'name="{sheet}"' in tag
                    return tag if mine else tag.replace("<sheet ", '<sheet state="hidden" ', 1)

                text = re.sub(r"<sheet\b[^>]*>", state, text)
                names = re.findall(r'<sheet\b[^>]*name="([^"]+)"', text)
                text = re.sub(r'activeTab="\d+"', f'activeTab="{names.index(sheet)}"', text)
                text = re.sub(r'firstSheet="\d+"', f'firstSheet="{names.index(sheet)}"', text)
                text = re.sub(r"<definedName[^>]*_xlnm.Print_Titles[^>]*>[^<]*</definedName>", "", text)
                body = text.encode()
            elif info.filename == parts.get(sheet) and as_screen:
                text = body.decode()
                text = re.sub(r"<pageSetUpPr[^>]*/>", "", text)
                text = re.sub(r"<headerFooter\b.*?</headerFooter>|<headerFooter[^>]*/>", "", text, flags=re.S)
                text = re.sub(r"<(rowBreaks|colBreaks)\b.*?</\1>", "", text, flags=re.S)
                text = re.sub(
                    r"<pageMargins[^>]*/>",
                    f'<pageMargins left="{margin:.3f}" right="{margin:.3f}" top="0" bottom="0" header="0" footer="0"/>',
                    text,
                )
                text = re.sub(r"<pageSetup[^>]*/>", '<pageSetup paperSize="5" orientation="landscape" scale="100"/>', text)
                body = text.encode()
            dst.writestr(info.filename, body)
    return out.getvalue()


def screen_pdf(workbook: Path, sheet: str, outdir: Path, as_screen: bool = True) -> Path:
    """`sheet` alone, printed as the screen shows it (page 1 = the first screen's columns), as outdir/<sheet>.pdf;
    with `as_screen` False, printed with its own page setup (what File > Print gives)."""
    name = sheet.lower()
    outdir.mkdir(parents=True, exist_ok=True)
    copy = outdir / f"{name}.xlsx"
    copy.write_bytes(screen_copy(workbook.read_bytes(), sheet, as_screen))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{outdir}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(copy)],
        check=True, capture_output=True, timeout=240,
    )
    return outdir / f"{name}.pdf"


def screen_png(pdf: Path, target: Path) -> Path:
    """Page 1 of a screen PDF as a 1,366 x 768 PNG (grey strips where Excel has row numbers and the scroll bar)."""
    from PIL import Image

    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, timeout=120)
    page = Image.open(stem.with_suffix(".png")).convert("RGB")
    left = round((PAGE_W_IN * DPI - GRID_PX) / 2)
    grid = page.crop((left, 0, left + GRID_PX, min(page.height, SCREEN[1])))
    screen = Image.new("RGB", SCREEN, (235, 235, 235))
    screen.paste(grid, (40, 0))
    target.parent.mkdir(parents=True, exist_ok=True)
    screen.save(target, optimize=True)
    return target


def render(workbook: Path, outdir: Path, sheets: list[str]) -> list[Path]:
    """One <sheet>.png (lower-case name) per sheet in `outdir`, each 1,366 x 768."""
    made = []
    with tempfile.TemporaryDirectory(prefix="relist-screens-") as tmp:
        for sheet in sheets:
            pdf = screen_pdf(workbook, sheet, Path(tmp))
            made.append(screen_png(pdf, outdir / f"{sheet.lower()}.png"))
    return made


if __name__ == "__main__":
    if len(sys.argv) < 3 or not shutil.which("soffice"):
        sys.exit(__doc__)
    for p in render(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or ["Today", "Leads", "Dashboard", "ROI"]):
        print(p)
