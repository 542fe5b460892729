"""The live adapter over the xlwings fake loaded with real .xlsx files: what the shared contract does not cover."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.fakes import fake_xlwings as fx

from relist import schema
from relist.errors import NotARelistWorkbook, SchemaTooNew, WorkbookError
from relist.workbook.live_adapter import LiveWorkbook

LEADS = [
    {"LeadId": f"L{n:06d}", "Status": "New", "OwnerName": f"Owner {n}", "BestPhone": f"+1813555{n:04d}",
     "Email": f"o{n}@example.com", "ListPrice": 300000 + n, "Contactable": n % 2 == 0,
     "ExpiredAt": dt.datetime(2026, 11, 24, 17, 30, n), "SequenceStart": dt.date(2026, 11, 24)}
    for n in range(1, 6)
]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.workbook import template

    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.fixture
def book(template_path: Path) -> fx.Book:
    return fx.Book.from_file(template_path)


def test_a_plain_workbook_is_refused(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.worksheets[0]["A1"] = "not ours"
    wb.save(tmp_path / "Budget.xlsx")
    with pytest.raises(NotARelistWorkbook, match="Budget.xlsx is not a Relist workbook"):
        LiveWorkbook(fx.Book.from_file(tmp_path / "Budget.xlsx"))


def test_schema_versions_newer_and_older_are_refused(book: fx.Book) -> None:
    meta = book.sheets[schema.META_SHEET]
    meta["B2"].value = schema.SCHEMA_VERSION + 1
    with pytest.raises(SchemaTooNew, match="newer Relist"):
        LiveWorkbook(book)
    meta["B2"].value = schema.SCHEMA_VERSION - 1
    with pytest.raises(WorkbookError) as err:
        LiveWorkbook(book)
    assert "needs upgrading" in err.value.message and "relist" in err.value.hint


def test_a_renamed_table_is_named_in_the_refusal(book: fx.Book) -> None:
    tables = book.sheets["Phones"].tables
    tables._items["Table7"] = tables._items.pop("tblPhones")
    tables._items["Table7"].name = "Table7"
    with pytest.raises(NotARelistWorkbook, match="tblPhones"):
        LiveWorkbook(book)


def test_the_fake_holds_what_the_file_adapter_reads(template_path: Path, tmp_path: Path) -> None:
    """Kept honest: the same file read through the fake and through the file adapter gives the same records."""
    from relist.workbook import open_workbook

    path = tmp_path / "Relist.xlsx"
    path.write_bytes(template_path.read_bytes())
    fb = open_workbook(path)
    fb.append_rows("tblLeads", LEADS)
    fb.append_rows("tblSequence", [{"Step": 99, "Channel": "call", "DayOffset": 60, "TimeOfDay": dt.time(10, 15)}])
    fb.save()
    live = LiveWorkbook(fx.Book.from_file(path))
    for spec in schema.TABLE_SHEETS:
        assert live.read_records(spec.table) == fb.read_records(spec.table), spec.table


def test_types_go_into_cells_as_excel_holds_them(book: fx.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:1])
    live.append_rows("tblSequence", [{"Step": 99, "Channel": "call", "DayOffset": 60, "TimeOfDay": dt.time(10, 15)}])
    leads = book.sheets["Leads"]
    header = leads["A1"].expand("right").value
    row = dict(zip(header, leads.range((2, 1), (2, len(header))).value, strict=True))
    assert row["Contactable"] == "No" and row["ListPrice"] == 300001.0
    assert row["SequenceStart"] == dt.datetime(2026, 11, 24)
    seq = live.read_records("tblSequence")
    assert seq[-1]["TimeOfDay"] == dt.time(10, 15) and seq[-1]["Step"] == 99
    assert LiveWorkbook(book).read_records("tblLeads")[0] == live.read_records("tblLeads")[0]


def test_links_get_hyperlinks(book: fx.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:2])
    links = book.dump()["hyperlinks"]["Leads"]
    col = fx.col_letters(schema.LEADS.names.index("BestPhone") + 1)
    email = fx.col_letters(schema.LEADS.names.index("Email") + 1)
    assert links[f"{col}2"] == "tel:+18135550001" and links[f"{email}3"] == "mailto:o2@example.com"
    live.update_rows("tblLeads", [{"LeadId": "L000002", "BestPhone": "+18135550199"}])
    assert book.dump()["hyperlinks"]["Leads"][f"{col}3"] == "tel:+18135550199"


def test_user_columns_survive_appends_updates_and_replaces(book: fx.Book) -> None:
    sheet = book.sheets["Leads"]
    table = sheet.tables["tblLeads"]
    width = table.range.shape[1]
    sheet.range((1, width + 1)).value = "MyRating"
    table.resize(sheet.range((1, 1), (2, width + 1)))
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:3])
    sheet.range((3, width + 1)).value = "hot"
    live = LiveWorkbook(book)
    assert live.update_rows("tblLeads", [{"LeadId": "L000002", "Status": "Working"}]) == 1
    live.append_rows("tblLeads", [{**LEADS[3], "MyRating": "cold"}])
    recs = LiveWorkbook(book).read_records("tblLeads", ["LeadId", "Status", "MyRating"])
    assert recs == [
        {"LeadId": "L000001", "Status": "New", "MyRating": None},
        {"LeadId": "L000002", "Status": "Working", "MyRating": "hot"},
        {"LeadId": "L000003", "Status": "New", "MyRating": None},
        {"LeadId": "L000004", "Status": "New", "MyRating": "cold"},
    ]
    assert "MyRating" in LiveWorkbook(book).table_columns("tblLeads")


def test_replace_shrinks_the_table_and_clears_what_it_left(book: fx.Book) -> None:
    live = LiveWorkbook(book)
    rows = [{"Section": "calls", "Rank": n, "LeadId": f"L{n}", "Phone": f"+1813555{n:04d}"} for n in range(1, 6)]
    live.replace_rows("tblToday", rows)
    assert book.sheets["Today"].tables["tblToday"].range.shape[0] == 6
    live.replace_rows("tblToday", rows[:2])
    table = book.sheets["Today"].tables["tblToday"]
    assert table.range.shape[0] == 3
    below = book.sheets["Today"].range((4, 1), (7, table.range.shape[1])).options(ndim=2).value
    assert all(v is None for row in below for v in row)
    assert not any(k.endswith(("4", "5", "6")) for k in book.dump()["hyperlinks"]["Today"])
    live.replace_rows("tblToday", [])
    assert LiveWorkbook(book).read_records("tblToday") == []
    assert book.sheets["Today"].tables["tblToday"].range.shape[0] == 2  # Excel keeps one (blank) data row


def test_updates_write_only_the_changed_cells(book: fx.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS)
    live = LiveWorkbook(book)
    book.app.calls = 0
    live.update_rows("tblLeads", [{"LeadId": "L000003", "Status": "Working", "TouchCount": 1}])
    assert book.app.calls == 3  # read the key column, write Status, write TouchCount
    before = book.dump()["cells"]["Leads"]
    assert before["B4"] == "Working" and before["B2"] == "New"


def test_reads_fetch_only_the_columns_asked_and_remember_them(book: fx.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    live = LiveWorkbook(book)
    book.app.calls = 0
    assert [r["Status"] for r in live.read_records("tblLeads", ["LeadId", "Status"])] == ["New"] * 5
    assert book.app.calls == 2
    live.read_records("tblLeads", ["Status"])
    assert book.app.calls == 2
    live.read_records("tblLeads")
    assert book.app.calls == 3  # the rest of the table in one read


def test_selection_takes_the_rows_of_every_area(book: fx.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    book.select("Leads", "C3:D3", "A5", "B1")  # header row is ignored
    sel = LiveWorkbook(book).selection()
    assert sel is not None and sel.table == "tblLeads" and sel.sheet == "Leads"
    assert [r["LeadId"] for r in sel.records] == ["L000002", "L000004"]
    book.select("Dashboard", "A1")
    sel = LiveWorkbook(book).selection()
    assert sel is not None and sel.table is None and sel.records == []


def test_tell_status_pictures_and_save(book: fx.Book, tmp_path: Path) -> None:
    live = LiveWorkbook(book)
    live.tell("Saved.", "info")
    live.tell("Broken.", "error")
    assert [(a["prompt"], a["mode"]) for a in book.app.alerts] == [("Saved.", "info"), ("Broken.", "critical")]
    live.status("Working...")
    assert book.app.status_bar == "Working..."
    live.add_picture("Dashboard", b"\x89PNG-one", "B2", "Funnel")
    live.add_picture("Dashboard", b"\x89PNG-two", "B2", "Funnel")
    pics = list(book.sheets["Dashboard"].pictures)
    assert [(p.name, p.data) for p in pics] == [("Funnel", b"\x89PNG-two")]
    live.save()
    assert book.saves == 1
    assert live.path is not None and live.path.name == "Relist.xlsx"
    book.fullname = "Book1"  # never saved
    assert LiveWorkbook(book).path is None
    book.fullname = "https://contoso.sharepoint.com/sites/x/Relist.xlsx"
    assert LiveWorkbook(book).path is None


def test_free_sheet_cells_and_table_sheets_are_kept_apart(book: fx.Book) -> None:
    live = LiveWorkbook(book)
    live.write_cells("ROI", {"B5": 90, "C5": dt.date(2026, 1, 2)})
    assert live.read_cells("ROI", ["B5", "C5"]) == {"B5": 90.0, "C5": dt.date(2026, 1, 2)}
    live.write_cells("ROI", {"D5": dt.datetime(2026, 1, 2, 0, 0), "E5": dt.datetime(2026, 1, 2, 9, 5)})
    book.sheets["ROI"]["D5"].number_format = "yyyy-mm-dd hh:mm"
    assert live.read_cells("ROI", ["D5", "E5"]) == {"D5": dt.datetime(2026, 1, 2), "E5": dt.datetime(2026, 1, 2, 9, 5)}
    with pytest.raises(WorkbookError, match="product table"):
        live.write_cells("Leads", {"A2": "x"})
    with pytest.raises(WorkbookError, match="no sheet"):
        live.read_cells("Nope", ["A1"])


def test_selecting_whole_columns_reads_only_the_table_rows(book: fx.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    sheet = book.sheets["Leads"]
    book.app.selection = fx.Range(sheet, 1, 2, 1_048_576, 3)  # columns B:C, as a click on the column letters
    live = LiveWorkbook(book)
    book.app.calls = 0
    sel = live.selection()
    assert sel is not None and [r["LeadId"] for r in sel.records] == [f"L{n:06d}" for n in range(1, 6)]
    assert live.selected_rows == [0, 1, 2, 3, 4] and book.app.calls == 1
