"""Place named PNG pictures on a sheet by adding (or updating) its drawing part, nothing else."""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING

from relist.workbook import package as pkg

if TYPE_CHECKING:
    from relist.workbook.file_adapter import FileWorkbook

REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_PER_PX = 9525

_AFTER_DRAWING = ("legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                  "webPublishItems", "tableParts", "extLst")


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    w, h = struct.unpack(">II", png[16:24])
    return int(w), int(h)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40] or "picture"


def _add_rel(data: bytes | None, rid: str, typ: str, target: str) -> bytes:
    text = data.decode() if data else (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{pkg.NS_PKG_REL}"></Relationships>'
    )
    text = re.sub(rf'<Relationship\b[^>]*\bId="{re.escape(rid)}"[^>]*/>', "", text)
    rel = f'<Relationship Id="{rid}" Type="{typ}" Target="{target}"/>'
    return text.replace("</Relationships>", rel + "</Relationships>").encode()


def _content_types(data: bytes, drawing_part: str | None) -> bytes:
    text = data.decode()
    if not re.search(r'<Default\b[^>]*Extension="png"', text, re.I):
        text = text.replace("</Types>", '<Default Extension="png" ContentType="image/png"/></Types>')
    if drawing_part and f'PartName="/{drawing_part}"' not in text:
        text = text.replace("</Types>", f'<Override PartName="/{drawing_part}" ContentType="{CT_DRAWING}"/></Types>')
    return text.encode()


def _anchor(prefix_x: str, prefix_a: str, col: int, row: int, w: int, h: int, pic_id: int, name: str, rid: str) -> str:
    x, a = prefix_x, prefix_a
    return (
        f"<{x}oneCellAnchor><{x}from><{x}col>{col}</{x}col><{x}colOff>0</{x}colOff><{x}row>{row}</{x}row>"
        f"<{x}rowOff>0</{x}rowOff></{x}from><{x}ext cx=\"{w * EMU_PER_PX}\" cy=\"{h * EMU_PER_PX}\"/>"
        f"<{x}pic><{x}nvPicPr><{x}cNvPr id=\"{pic_id}\" name=\"Relist:{name}\"/><{x}cNvPicPr>"
        f"<{a}picLocks noChangeAspect=\"1\"/></{x}cNvPicPr></{x}nvPicPr><{x}blipFill>"
        f"<{a}blip xmlns:r=\"{pkg.NS_REL}\" r:embed=\"{rid}\"/><{a}stretch><{a}fillRect/></{a}stretch></{x}blipFill>"
        f"<{x}spPr><{a}xfrm><{a}off x=\"0\" y=\"0\"/><{a}ext cx=\"{w * EMU_PER_PX}\" cy=\"{h * EMU_PER_PX}\"/></{a}xfrm>"
        f"<{a}prstGeom prst=\"rect\"><{a}avLst/></{a}prstGeom></{x}spPr></{x}pic><{x}clientData/></{x}oneCellAnchor>"
    )


def place(fwb: FileWorkbook, parts: dict[str, bytes], pictures: Sequence[tuple[str, bytes, str, str]]) -> None:
    """Add each (sheet, png, anchor, name) picture; a picture of the same name on that sheet is replaced."""
    names = set(fwb._names) | set(parts)

    def read(part: str) -> bytes | None:
        return parts.get(part) if part in parts else fwb._read(part)

    for sheet, png, anchor, name in pictures:
        w, h = png_size(png)
        col, row = pkg.split_ref(anchor)
        sheet_part = fwb._sheet_parts[sheet]
        sheet_rels = pkg.rels_path(sheet_part)
        sheet_xml = read(sheet_part) or b""
        drawing_part = None
        m = re.search(rb'<(?:\w+:)?drawing\b[^>]*\br:id="([^"]+)"', sheet_xml)
        if m:
            rid = m.group(1).decode()
            for rel in pkg.parse_rels(read(sheet_rels)):
                if rel.id == rid:
                    drawing_part = pkg.resolve(sheet_part, rel.target)
        new_drawing = drawing_part is None or drawing_part not in names
        if new_drawing:
            k = 1
            while f"xl/drawings/drawing{k}.xml" in names:
                k += 1
            drawing_part = f"xl/drawings/drawing{k}.xml"
            names.add(drawing_part)
            rid = "rIdRelistD1"
            parts[sheet_rels] = _add_rel(read(sheet_rels), rid, REL_DRAWING, f"../drawings/drawing{k}.xml")
            tag = f'<drawing r:id="{rid}"/>'.encode()
            sx = pkg.SheetXml.parse(sheet_xml)
            pos = len(sx.tail) - len(b"</worksheet>")
            for follower in _AFTER_DRAWING:
                fm = re.search(rb"<(?:\w+:)?" + follower.encode() + rb"\b", sx.tail)
                if fm and fm.start() < pos:
                    pos = fm.start()
            parts[sheet_part] = pkg.ensure_r_namespace(sx.head) + sx.rows + sx.tail[:pos] + tag + sx.tail[pos:]
            drawing_xml = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}"></xdr:wsDr>'
            )
        else:
            assert drawing_part is not None
            drawing_xml = (read(drawing_part) or b"").decode()
        root = re.search(r"<(\w+:)?wsDr\b", drawing_xml)
        px = (root.group(1) or "") if root else "xdr:"
        root_tag = re.search(r"<(?:\w+:)?wsDr\b[^>]*>", drawing_xml)
        pa_m = re.search(r'xmlns:(\w+)="' + re.escape(NS_A) + '"', root_tag.group(0) if root_tag else "")
        pa = f"{pa_m.group(1)}:" if pa_m else "a:"
        if not pa_m:
            drawing_xml = re.sub(r"(<(?:\w+:)?wsDr\b)", rf'\1 xmlns:a="{NS_A}"', drawing_xml, count=1)
        safe = _safe(name)
        # Drop an earlier picture of the same name.
        drawing_xml = re.sub(
            r"<(\w+:|)(oneCellAnchor|twoCellAnchor|absoluteAnchor)\b(?:(?!</\1\2>).)*?name=\"Relist:"
            + re.escape(safe) + r"\"(?:(?!</\1\2>).)*</\1\2>",
            "",
            drawing_xml,
            flags=re.S,
        )
        ids = [int(i) for i in re.findall(r'<(?:\w+:)?cNvPr\b[^>]*\bid="(\d+)"', drawing_xml)]
        media = f"xl/media/relist-{safe}.png"
        parts[media] = png
        names.add(media)
        drawing_rels = pkg.rels_path(drawing_part)
        img_rid = f"rIdRelistP{safe}"
        parts[drawing_rels] = _add_rel(read(drawing_rels), img_rid, REL_IMAGE, f"../media/relist-{safe}.png")
        anchor_xml = _anchor(px, pa, col - 1, row - 1, w, h, max(ids, default=1) + 1, safe, img_rid)
        end = drawing_xml.rfind(f"</{px}wsDr>")
        parts[drawing_part] = (drawing_xml[:end] + anchor_xml + drawing_xml[end:]).encode()
        parts["[Content_Types].xml"] = _content_types(read("[Content_Types].xml") or b"", drawing_part if new_drawing else None)
