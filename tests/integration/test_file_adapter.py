"""The file adapter on workbooks other programs have saved: nothing of theirs is lost, refusals are clear."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from relist import schema
from relist.errors import NotARelistWorkbook, SchemaTooNew, WorkbookLocked
from relist.workbook import open_workbook, template
from relist.workbook.file_adapter import FileWorkbook, backup_dir

OWNED_PREFIXES = ("xl/worksheets/", "xl/tables/", "xl/calcChain.xml", "xl/workbook.xml")


def user_edited(tmp: Path) -> Path:
    """A template opened and saved by another program: a user column, a user sheet with formulas and a chart."""
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    path = template.build(tmp / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows(
        "tblLeads",
        [{"LeadId": f"L{i:06d}", "Status": "New", "ListPrice": 100000.0 * i, "OwnerName": f"Owner {i}"} for i in range(1, 6)],
    )
    book.save()
    wb = load_workbook(path)
    ws = wb["Leads"]
    table = ws.tables["tblLeads"]
    last_col = ws.max_column + 1
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import TableColumn

    letter = get_column_letter(last_col)
    ws.cell(row=1, column=last_col, value="MyScore")
    for r in range(2, 7):
        ws.cell(row=r, column=last_col, value=(r - 1) * 10)
    table.ref = f"A1:{letter}6"
    table.tableColumns.append(TableColumn(id=len(table.tableColumns) + 1, name="MyScore"))
    table.autoFilter.ref = table.ref
    mine = wb.create_sheet("My Notes")
    mine["A1"] = "Leads"
    mine["B1"] = "=COUNTA(Leads!A2:A1000)"
    mine["A2"] = "Total list price"
    mine["B2"] = "=SUM(Leads!AH2:AH1000)"
    for i in range(3, 8):
        mine[f"A{i}"] = f"Q{i}"
        mine[f"B{i}"] = i * 3
    chart = BarChart()
    chart.add_data(Reference(mine, min_col=2, min_row=3, max_row=7))
    mine.add_chart(chart, "D2")
    wb.save(path)
    return path


def test_user_column_sheet_and_chart_survive(tmp_path: Path) -> None:
    path = user_edited(tmp_path)
    before = zipfile.ZipFile(path)
    before_parts = {n: before.read(n) for n in before.namelist()}
    book = open_workbook(path)
    assert "MyScore" in book.table_columns("tblLeads")
    book.update_rows("tblLeads", [{"LeadId": "L000002", "Status": "Working"}])
    book.append_rows("tblLeads", [{"LeadId": "L000006", "Status": "New"}])
    book.append_rows("tblTouches", [{"TouchId": "T0000001", "LeadId": "L000002", "Channel": "call", "Outcome": "no-answer"}])
    book.save()
    after = zipfile.ZipFile(path)
    after_parts = {n: after.read(n) for n in after.namelist()}
    assert any(n.startswith("xl/charts/") for n in after_parts), "the user chart was dropped"
    for name, data in before_parts.items():
        if name.startswith(("xl/worksheets/sheet", "xl/worksheets/_rels/", "xl/tables/")) or name in (
            "xl/calcChain.xml",
            "xl/workbook.xml",
        ):
            continue
        assert after_parts.get(name) == data, f"{name} changed"
    rows = {r["LeadId"]: r for r in open_workbook(path).read_records("tblLeads")}
    assert rows["L000003"]["MyScore"] == 30
    assert rows["L000002"]["Status"] == "Working" and rows["L000002"]["MyScore"] == 20
    assert rows["L000006"]["MyScore"] is None


def test_parts_not_owned_are_byte_identical(tmp_path: Path) -> None:
    path = user_edited(tmp_path)
    book = open_workbook(path)
    owned = {book._tables[t.table.lower()].sheet_part for t in schema.TABLE_SHEETS}
    owned |= {book._tables[t.table.lower()].info.part for t in schema.TABLE_SHEETS}
    owned |= {p.rsplit("/", 1)[0] + "/_rels/" + p.rsplit("/", 1)[1] + ".rels" for p in list(owned) if "worksheets" in p}
    owned |= {"xl/calcChain.xml", "xl/workbook.xml"}
    src = zipfile.ZipFile(path)
    before = {n: src.read(n) for n in src.namelist()}
    book.update_rows("tblLeads", [{"LeadId": "L000001", "TouchCount": 1}])
    book.append_rows("tblTouches", [{"TouchId": "T1", "LeadId": "L000001", "Channel": "call", "Outcome": "voicemail"}])
    book.save()
    dst = zipfile.ZipFile(path)
    for name in before:
        if name not in owned:
            assert dst.read(name) == before[name], name
    assert dst.namelist()[: len(before)] == [n for n in src.namelist()]


def test_locked_workbook_refused(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    lock = tmp_path / "~$Relist.xlsx"
    lock.write_bytes(b"owner")
    with pytest.raises(WorkbookLocked, match="open in Excel"):
        open_workbook(path)
    lock.unlink()
    book = open_workbook(path)
    book.append_rows("tblDNC", [{"DncId": "D1", "Phone": "+18135550142"}])
    (tmp_path / ".~lock.Relist.xlsx#").write_text("x")
    with pytest.raises(WorkbookLocked, match="nothing was saved"):
        book.save()


def test_foreign_workbooks_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    other = tmp_path / "Budget.xlsx"
    Workbook().save(other)
    with pytest.raises(NotARelistWorkbook, match="not a Relist workbook"):
        open_workbook(other)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a zip")
    with pytest.raises(NotARelistWorkbook, match="not a valid .xlsx"):
        open_workbook(junk)


def _set_version(path: Path, version: int) -> None:
    book = FileWorkbook(path, migrate=False)
    book.write_cells(schema.META_SHEET, {"B2": version})
    book.save(backup=False)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    _set_version(path, schema.SCHEMA_VERSION + 1)
    with pytest.raises(SchemaTooNew, match="newer Relist"):
        open_workbook(path)


def test_older_schema_migrated_in_place_after_backup(tmp_path: Path) -> None:
    """A version-0 workbook lacking a column gains it, keeps its rows, and leaves a backup."""
    from openpyxl import load_workbook

    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L000001", "Notes": "keep me"}])
    book.save()
    wb = load_workbook(path)
    ws = wb["Leads"]
    table = ws.tables["tblLeads"]
    n = len(table.tableColumns)
    from openpyxl.utils import get_column_letter

    dropped = table.tableColumns[-1].name
    table.tableColumns = table.tableColumns[:-1]
    ws.cell(row=1, column=n, value=None)
    ws.cell(row=2, column=n, value=None)
    table.ref = f"A1:{get_column_letter(n - 1)}2"
    table.autoFilter.ref = table.ref
    wb["_Relist"]["B2"] = 0
    wb.save(path)
    book = open_workbook(path)
    assert book.schema_version == schema.SCHEMA_VERSION
    assert schema.LEADS.fields([dropped]) == ["UpdatedAt"]
    assert "UpdatedAt" in book.table_columns("tblLeads")
    assert open_workbook(path).read_records("tblLeads")[0]["Notes"] == "keep me"
    assert any("before-v" in p.name for p in backup_dir(path).iterdir())


def test_backups_rotate(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.update_rows("tblSettings", [{"Setting": "Backups", "Value": "2"}])
    book.save()
    for i in range(4):
        book = open_workbook(path)
        book.append_rows("tblDNC", [{"DncId": f"D{i}", "Phone": "+18135550142"}])
        book.save()
    assert len(list(backup_dir(path).iterdir())) == 2


_KILLER = """
import sys, time
from relist.workbook import open_workbook
from relist.workbook import writer
orig = writer.write_package
def slow(src, fh, parts, removed, *rest):
    orig(src, fh, parts, removed, *rest)
    fh.flush()
    print("WRITTEN", flush=True)
    time.sleep(60)
writer.write_package = slow
book = open_workbook(sys.argv[1])
book.append_rows("tblLeads", [{"LeadId": f"L{i:06d}"} for i in range(2000)])
book.save()
"""


def test_save_killed_mid_write_leaves_previous_workbook(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [{"LeadId": "L999999", "Status": "New"}])
    book.save()
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", _KILLER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "WRITTEN" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert path.read_bytes() == before
    rows = open_workbook(path).read_records("tblLeads")
    assert [r["LeadId"] for r in rows] == ["L999999"]


def tiny_png(w: int = 40, h: int = 20) -> bytes:
    import struct as st
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return st.pack(">I", len(data)) + kind + data + st.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * w for _ in range(h))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", st.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_pictures_added_and_replaced_by_name(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    for size in ((40, 20), (80, 30)):
        book = open_workbook(path)
        book.add_picture("Dashboard", tiny_png(*size), "F3", "funnel")
        book.save()
    z = zipfile.ZipFile(path)
    media = [n for n in z.namelist() if n.startswith("xl/media/relist-")]
    assert media == ["xl/media/relist-funnel.png"]
    drawings = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing")]
    import xml.etree.ElementTree as ET

    for d in drawings:
        ET.fromstring(d)  # every drawing part stays well-formed, namespaces declared
    assert sum(d.count('name="Relist:funnel"') for d in drawings) == 1
    assert any(f'cx="{80 * 9525}"' in d for d in drawings)
    assert b'Extension="png"' in z.read("[Content_Types].xml")
    open_workbook(path).read_records("tblLeads")
