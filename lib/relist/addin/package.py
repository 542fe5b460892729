"""The .xlam package: a hidden one-sheet add-in workbook, its VBA project and the ribbon part.

Written part by part (no spreadsheet library) so the output is reproducible:
parts in a fixed order, fixed zip timestamps, no creation dates.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from relist import __version__
from relist.addin import vba_project
from relist.addin.sources import Sources
from relist.addin.vba_project import WORKBOOK_BASE, WORKSHEET_BASE, document_module

VBA_PROJECT_NAME = "RelistAddin"
VBA_PROJECT_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "relist/addin")).upper() + "}"
SHEET_NAME = "Relist"

CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def _rels(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{_HEAD}<Relationships xmlns="{_PR}">{body}</Relationships>'


def _content_types() -> str:
    overrides = [
        ("/xl/workbook.xml", CT_ADDIN),
        ("/xl/worksheets/sheet1.xml", CT_WORKSHEET),
        ("/xl/styles.xml", CT_STYLES),
        ("/xl/vbaProject.bin", CT_VBA),
        ("/docProps/core.xml", CT_CORE),
        ("/docProps/app.xml", CT_APP),
    ]
    body = (
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{ct}"/>' for p, ct in overrides)
    )
    return f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'


def _workbook() -> str:
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_R}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<bookViews><workbookView visibility="hidden"/></bookViews>'
        f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet() -> str:
    rows = [
        f"Relist add-in {__version__}: the Relist tab on the ribbon runs Relist's Python through xlwings.",
        "Open your Relist workbook (made by: relist init) and use the Relist tab. Help > Help opens the docs.",
        "Python settings (interpreter, PYTHONPATH) are in relist.conf, written by: relist addin install.",
    ]
    cells = "".join(f'<row r="{i}">{_inline(f"A{i}", t)}</row>' for i, t in enumerate(rows, 1))
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">'
        '<sheetPr codeName="Sheet1"/><dimension ref="A1:A3"/>'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


def _styles() -> str:
    return (
        f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _core() -> str:
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<dc:title>Relist</dc:title><dc:creator>Relist {__version__}</dc:creator>"
        "<dc:description>Relist ribbon add-in (xlwings)</dc:description></cp:coreProperties>"
    )


def _app() -> str:
    return (
        f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity></Properties>"
    )


def vba_modules(sources: Sources) -> list[vba_project.Module]:
    """The project's modules: the workbook and sheet document modules, then the sources."""
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module("Sheet1", WORKSHEET_BASE),
        *sources.modules,
    ]


def parts(sources: Sources) -> dict[str, bytes]:
    """Every part of the package by name, in the order they are written."""
    vba = vba_project.build(vba_modules(sources), VBA_PROJECT_NAME, VBA_PROJECT_ID)
    text: Mapping[str, str] = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _rels(
            [
                ("rId1", REL_OFFICE_DOCUMENT, "xl/workbook.xml"),
                ("rId2", REL_CORE, "docProps/core.xml"),
                ("rId3", REL_APP, "docProps/app.xml"),
                ("rIdRelistUI", REL_CUSTOMUI, CUSTOMUI_PART),
            ]
        ),
        "docProps/core.xml": _core(),
        "docProps/app.xml": _app(),
        "xl/workbook.xml": _workbook(),
        "xl/_rels/workbook.xml.rels": _rels(
            [
                ("rId1", REL_WORKSHEET, "worksheets/sheet1.xml"),
                ("rId2", REL_STYLES, "styles.xml"),
                ("rId3", REL_VBA, "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": _sheet(),
        "xl/styles.xml": _styles(),
    }
    out = {name: body.encode("utf-8") for name, body in text.items()}
    out["xl/vbaProject.bin"] = vba
    out[CUSTOMUI_PART] = sources.ribbon
    return out


def xlam_bytes(sources: Sources) -> bytes:
    """The .xlam file: same sources, same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts(sources).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def write(sources: Sources, out: Path) -> Path:
    """Write the add-in atomically (a temp file in the same folder, then replace)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    data = xlam_bytes(sources)
    fd, tmp = tempfile.mkstemp(prefix=".relist-addin-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
