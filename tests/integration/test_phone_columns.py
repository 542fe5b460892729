"""Phones, Touches and DNC show numbers the US way, (305) 555-0100, as Leads > Best phone does: every reader
(file adapter, live adapter, the internal DNC list, the verdict) reads that form, the E.164 form older workbooks
hold, and what an agent types, as one number; a do-not-call request is neither lost nor doubled by the change."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe

from relist import schema
from relist.compliance.internal_dnc import add_entry, check_number, read_dnc_state, remove_entry
from relist.compliance.verdict import evaluate, load_context
from relist.leads import load_leads
from relist.settings import load as load_settings
from relist.workbook import open_workbook, template
from relist.workbook.live_adapter import LiveWorkbook

V3 = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "relist-v3.xlsx"
LEADS = [{"LeadId": f"L{n}", "Status": "New", "State": "FL", "PostalCode": "33602", "ListingStatus": "Expired",
          "Contactable": True} for n in (1, 2, 3, 4)]
PHONES = [{"PhoneId": f"L{n}-1", "LeadId": f"L{n}", "Position": 1, "Phone": f"+1813555014{n}", "PhoneStatus": "Active"}
          for n in (1, 2, 3, 4)]


def _cells(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as LibreOffice or Excel show them (calamine: the cell text, no typing), keyed by header."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v not in ("", None) for v in r)]


def _sheet_rels(path: Path, sheet: str) -> str:
    """The relationships part (hyperlink targets) of a sheet, found by its name."""
    import re

    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', wb)
        assert rid is not None
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
        assert target is not None
        part = (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
        name = part.rsplit("/", 1)[-1]
        return z.read(f"xl/worksheets/_rels/{name}.rels").decode()


def _append_old_rows(path: Path, sheet: str, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows added under a table's headers as an older Relist (or the agent) left them, the table stretched over them."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    start = 2
    while any(ws.cell(start, i + 1).value not in (None, "") for i in range(len(headers))):
        start += 1
    for k, rec in enumerate(rows):
        for header, value in rec.items():
            ws.cell(start + k, headers.index(header) + 1).value = value
    t = ws.tables[table]
    first, last = t.ref.split(":")
    col = "".join(ch for ch in last if ch.isalpha())
    t.ref = f"{first}:{col}{max(start + len(rows) - 1, 2)}"
    t.autoFilter.ref = t.ref
    wb.save(path)


def test_phones_touches_and_dnc_are_shown_the_us_way_and_read_back_as_e164(tmp_path: Path) -> None:
    path = template.build(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblPhones", [*PHONES[:1], {"PhoneId": "L1-2", "LeadId": "L1", "Position": 2, "Phone": "+447700900123"}])
    book.append_rows("tblTouches", [{"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 3, 9, 0), "Channel": "call",
                                     "Outcome": "no-answer", "Phone": "+18135550141"},
                                    {"TouchId": "T2", "LeadId": "L1", "At": datetime(2026, 6, 3, 9, 5), "Channel": "call",
                                     "Outcome": "no-answer", "Phone": "+447700900123"}])
    book.append_rows("tblDNC", [{"DncId": "DNC000001", "Phone": "+18135550141", "Reason": "asked"}])
    book.save()
    assert [r["Phone"] for r in _cells(path, "Phones")] == ["(813) 555-0141", "+447700900123"]
    assert [r["Phone"] for r in _cells(path, "Touches")] == ["(813) 555-0141", "+447700900123"]
    assert [r["Phone"] for r in _cells(path, "DNC")] == ["(813) 555-0141"]
    rels = _sheet_rels(path, "Phones")  # the link dials E.164
    assert "tel:+18135550141" in rels and "tel:+447700900123" in rels
    for fresh in (open_workbook(path), book):  # reopened (full read or cache) and the book that wrote them
        assert [r["Phone"] for r in fresh.read_records("tblPhones", ["Phone"])] == ["+18135550141", "+447700900123"]
        assert [r["Phone"] for r in fresh.read_records("tblTouches", ["Phone"])] == ["+18135550141", "+447700900123"]
        assert [r["Phone"] for r in fresh.read_records("tblDNC", ["Phone"])] == ["+18135550141"]
    book = open_workbook(path)
    book.replace_rows("tblPhones", book.read_records("tblPhones"))  # a full rewrite keeps them as they were
    book.save()
    assert [r["Phone"] for r in open_workbook(path).read_records("tblPhones", ["Phone"])] == ["+18135550141", "+447700900123"]


def _dnc_book(path: Path) -> None:
    """Four leads; DNC rows for three of their numbers in three forms: E.164 (as Relist wrote them before), the US
    form, and as an agent might type one (813.555.0143); the fourth number is free."""
    book = open_workbook(path)
    book.append_rows("tblLeads", LEADS)
    book.append_rows("tblPhones", PHONES)
    book.save()
    _append_old_rows(path, "DNC", "tblDNC", [
        {"Entry": "DNC000001", "Phone": "+18135550141", "Channel": "call", "Source": "manual", "Reason": "old form",
         "Added": datetime(2026, 5, 1, 9, 0)},
        {"Entry": "DNC000002", "Phone": "(813) 555-0142", "Channel": "call", "Source": "manual", "Reason": "new form",
         "Added": datetime(2026, 5, 1, 9, 0)},
        {"Entry": "DNC000003", "Phone": "813.555.0143", "Channel": "call", "Source": "manual", "Reason": "typed",
         "Added": datetime(2026, 5, 1, 9, 0)},
    ])


def _assert_blocks_1_to_3(path: Path) -> None:
    book = open_workbook(path)
    tz = load_settings(book).tz
    at = datetime(2026, 6, 3, 11, 0, tzinfo=tz)
    assert read_dnc_state(book, tz).phones == {"+18135550141", "+18135550142", "+18135550143"}
    ctx = load_context(book, at)
    for lead in load_leads(book, tz):
        v = evaluate(lead, "call", at, ctx)
        if lead.lead_id == "L4":
            assert "internal-dnc" not in {r.rule for r in v.blocking}
        else:
            assert "internal-dnc" in {r.rule for r in v.blocking}, (lead.lead_id, v)


@pytest.mark.parametrize("start", ["template", "v3"])
def test_a_dnc_row_in_the_old_or_the_new_form_blocks_the_number_and_is_never_doubled(tmp_path: Path, start: str) -> None:
    path = tmp_path / "Relist.xlsx"
    if start == "v3":
        shutil.copy(V3, path)  # the workbook as shipped at version 3, migrated on first open
    else:
        template.build(path)
    _dnc_book(path)
    _assert_blocks_1_to_3(path)

    book = open_workbook(path)
    tz = load_settings(book).tz
    at = datetime(2026, 6, 3, 11, 0, tzinfo=tz)
    for number in ("+18135550141", "(813) 555-0141", "813-555-0142", "8135550143"):  # already listed, however written
        assert add_entry(book, number, "asked again", at) is None, number
    row = add_entry(book, "(813) 555-0144", "asked", at)
    assert row is not None and row["Phone"] == "+18135550144"
    assert check_number(book, "813 555 0141", at, _no_registry()).internal
    book.save()
    assert [r["Phone"] for r in _cells(path, "DNC")] == ["+18135550141", "(813) 555-0142", "813.555.0143", "(813) 555-0144"]
    assert len(open_workbook(path).read_records("tblDNC")) == 4
    _assert_blocks_4_too(path)

    book = open_workbook(path)
    assert remove_entry(book, "813-555-0141", "signed written permission", at + timedelta(hours=1)) == ["DNC000001"]
    book.save()
    assert read_dnc_state(open_workbook(path), tz).phones == {"+18135550142", "+18135550143", "+18135550144"}


def _assert_blocks_4_too(path: Path) -> None:
    book = open_workbook(path)
    tz = load_settings(book).tz
    at = datetime(2026, 6, 3, 11, 5, tzinfo=tz)
    ctx = load_context(book, at)
    assert all("internal-dnc" in {r.rule for r in evaluate(lead, "call", at, ctx).blocking} for lead in load_leads(book, tz))


class _NoRegistry:
    """A registry copy that lists nothing and is fresh (only the internal list is under test)."""

    def status(self, area: str, day: Any) -> Any:
        class _Fresh:
            usable, state = True, "fresh"

            def message(self) -> str:
                return "fresh"

        return _Fresh()

    def is_listed(self, number: str) -> bool:
        return False


def _no_registry() -> _NoRegistry:
    return _NoRegistry()


def test_a_v3_workbooks_e164_rows_read_as_before(tmp_path: Path) -> None:
    """Every phone an older Relist wrote (E.164 in Phones, Touches, DNC, Best phone) reads back unchanged after migration."""
    path = tmp_path / "Old.xlsx"
    shutil.copy(V3, path)
    _append_old_rows(path, "Leads", "tblLeads", [{"Lead": "L1", "Best phone": "+18135550141", "Status": "New"}])
    _append_old_rows(path, "Phones", "tblPhones", [{"Phone id": "L1-1", "Lead": "L1", "Order": 1, "Phone": "+18135550141"},
                                                   {"Phone id": "L1-2", "Lead": "L1", "Order": 2, "Phone": "+447700900123"}])
    _append_old_rows(path, "Touches", "tblTouches", [{"Touch": "T0000001", "Lead": "L1", "When": datetime(2026, 6, 3, 9, 0),
                                                      "Channel": "call", "Outcome": "no-answer", "Phone": "+18135550141"}])
    _append_old_rows(path, "DNC", "tblDNC", [{"Entry": "DNC000001", "Phone": "+18135550141", "Reason": "old"}])
    book = open_workbook(path)
    assert book.schema_version == schema.SCHEMA_VERSION
    assert book.read_records("tblLeads", ["BestPhone"]) == [{"BestPhone": "+18135550141"}]
    assert [r["Phone"] for r in book.read_records("tblPhones", ["Phone"])] == ["+18135550141", "+447700900123"]
    assert book.read_records("tblTouches", ["Phone"]) == [{"Phone": "+18135550141"}]
    assert book.read_records("tblDNC", ["Phone"]) == [{"Phone": "+18135550141"}]
    lead = load_leads(book, load_settings(book).tz)[0]
    assert [p.number for p in lead.phones] == ["+18135550141", "+447700900123"]


# ---------------------------------------------------------------- the live (ribbon) adapter


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.fixture(params=xe.FLAVOURS)
def live_book(template_path: Path, request: pytest.FixtureRequest) -> xw.Book:
    return xe.load(template_path, request.param)


def _column(book: xw.Book, spec: schema.TableSheet, name: str) -> str:
    return xe.col_letters(spec.names.index(name) + 1)


def test_the_live_adapter_writes_the_us_form_and_reads_any_form_as_e164(live_book: xw.Book) -> None:
    live = LiveWorkbook(live_book)
    live.append_rows("tblLeads", LEADS[:2])
    live.append_rows("tblPhones", PHONES[:2])
    live.append_rows("tblTouches", [{"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 3, 9, 0), "Channel": "call",
                                     "Outcome": "no-answer", "Phone": "+18135550141"}])
    live.append_rows("tblDNC", [{"DncId": "DNC000001", "Phone": "+18135550141", "Reason": "asked"}])
    for sheet, spec in (("Phones", schema.PHONES), ("Touches", schema.TOUCHES), ("DNC", schema.DNC)):
        assert live_book.sheets[sheet][f"{_column(live_book, spec, 'Phone')}2"].value == "(813) 555-0141", sheet
    assert xe.dump(live_book)["hyperlinks"]["Phones"][f"{_column(live_book, schema.PHONES, 'Phone')}2"] == "tel:+18135550141"
    # the agent types over cells: an old E.164 value, another way of writing, a number Excel took as a number
    dnc = live_book.sheets["DNC"]
    col = _column(live_book, schema.DNC, "Phone")
    dnc[f"{col}2"].value = "+18135550141"
    live.append_rows("tblDNC", [{"DncId": "DNC000002", "Phone": "+18135550142", "Reason": "asked"}])
    dnc[f"{col}3"].value = 8135550142
    fresh = LiveWorkbook(live_book)
    assert [r["Phone"] for r in fresh.read_records("tblDNC", ["Phone"])] == ["+18135550141", "+18135550142"]
    assert fresh.column_values("tblDNC", "Phone") == ["+18135550141", "+18135550142"]
    assert [r["DncId"] for r in fresh.records_where("tblDNC", "Phone", "+18135550142", ["DncId"])] == ["DNC000002"]
    assert [r["PhoneId"] for r in fresh.records_in("tblPhones", "Phone", {"+18135550142"}, ["PhoneId"])] == ["L2-1"]
    tz = load_settings(fresh).tz
    assert read_dnc_state(fresh, tz).phones == {"+18135550141", "+18135550142"}
    assert add_entry(fresh, "(813) 555-0142", "asked again", datetime(2026, 6, 3, 11, 0, tzinfo=tz)) is None
