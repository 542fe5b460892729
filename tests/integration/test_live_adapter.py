"""The live adapter on real xlwings objects over the test engine, loaded with real .xlsx files: what the shared contract does not cover."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe

from relist import schema
from relist.errors import NotARelistWorkbook, SchemaTooNew, WorkbookError
from relist.workbook.live_adapter import LiveWorkbook
from relist.workbook.template import col_letter

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


@pytest.fixture(params=xe.FLAVOURS)
def book(template_path: Path, request: pytest.FixtureRequest) -> xw.Book:
    return xe.load(template_path, request.param)


def test_a_plain_workbook_is_refused(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.worksheets[0]["A1"] = "not ours"
    wb.save(tmp_path / "Budget.xlsx")
    with pytest.raises(NotARelistWorkbook, match="Budget.xlsx is not a Relist workbook"):
        LiveWorkbook(xe.load(tmp_path / "Budget.xlsx"))


def test_schema_versions_newer_and_older_are_refused(book: xw.Book) -> None:
    meta = book.sheets[schema.META_SHEET]
    meta["B2"].value = schema.SCHEMA_VERSION + 1
    with pytest.raises(SchemaTooNew, match="newer Relist"):
        LiveWorkbook(book)
    meta["B2"].value = schema.SCHEMA_VERSION - 1
    with pytest.raises(WorkbookError) as err:
        LiveWorkbook(book)
    assert "needs upgrading" in err.value.message and "relist" in err.value.hint


def test_a_renamed_table_is_named_in_the_refusal(book: xw.Book) -> None:
    book.sheets["Phones"].tables["tblPhones"].name = "Table7"
    with pytest.raises(NotARelistWorkbook, match="tblPhones"):
        LiveWorkbook(book)


def test_the_fake_holds_what_the_file_adapter_reads(template_path: Path, tmp_path: Path) -> None:
    """Kept honest: the same file read through the test engine and through the file adapter gives the same records."""
    from relist.workbook import open_workbook

    path = tmp_path / "Relist.xlsx"
    path.write_bytes(template_path.read_bytes())
    fb = open_workbook(path)
    fb.append_rows("tblLeads", LEADS)
    fb.append_rows("tblSequence", [{"Step": 99, "Channel": "call", "DayOffset": 60, "TimeOfDay": dt.time(10, 15)}])
    fb.save()
    live = LiveWorkbook(xe.load(path))
    for spec in schema.TABLE_SHEETS:
        assert live.read_records(spec.table) == fb.read_records(spec.table), spec.table


def test_types_go_into_cells_as_excel_holds_them(book: xw.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:1])
    live.append_rows("tblSequence", [{"Step": 99, "Channel": "call", "DayOffset": 60, "TimeOfDay": dt.time(10, 15)}])
    leads = book.sheets["Leads"]
    header = schema.LEADS.fields(leads["A1"].expand("right").value)
    row = dict(zip(header, leads.range((2, 1), (2, len(header))).value, strict=True))
    assert row["Contactable"] == "No" and row["ListPrice"] == 300001.0
    assert row["SequenceStart"] == dt.datetime(2026, 11, 24)
    seq = live.read_records("tblSequence")
    assert seq[-1]["TimeOfDay"] == dt.time(10, 15) and seq[-1]["Step"] == 99
    assert LiveWorkbook(book).read_records("tblLeads")[0] == live.read_records("tblLeads")[0]


def test_links_get_hyperlinks(book: xw.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:2])
    links = xe.dump(book)["hyperlinks"]["Leads"]
    col = xe.col_letters(schema.LEADS.names.index("BestPhone") + 1)
    email = xe.col_letters(schema.LEADS.names.index("Email") + 1)
    assert links[f"{col}2"] == "tel:+18135550001" and links[f"{email}3"] == "mailto:o2@example.com"
    live.update_rows("tblLeads", [{"LeadId": "L000002", "BestPhone": "+18135550199"}])
    assert xe.dump(book)["hyperlinks"]["Leads"][f"{col}3"] == "tel:+18135550199"


def test_user_columns_survive_appends_updates_and_replaces(book: xw.Book) -> None:
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


def test_replace_shrinks_the_table_and_clears_what_it_left(book: xw.Book) -> None:
    live = LiveWorkbook(book)
    rows = [{"Section": "calls", "Rank": n, "LeadId": f"L{n}", "Phone": f"+1813555{n:04d}"} for n in range(1, 6)]
    live.replace_rows("tblToday", rows)
    assert book.sheets["Today"].tables["tblToday"].range.shape[0] == 6
    live.replace_rows("tblToday", rows[:2])
    table = book.sheets["Today"].tables["tblToday"]
    assert table.range.shape[0] == 3
    gone = range(table.range.row + 3, table.range.row + 6)
    below = book.sheets["Today"].range((gone[0], 1), (gone[-1] + 1, table.range.shape[1])).options(ndim=2).value
    assert all(v is None for row in below for v in row)
    assert not any(k.endswith(tuple(str(r) for r in gone)) for k in xe.dump(book)["hyperlinks"]["Today"])
    live.replace_rows("tblToday", [])
    assert LiveWorkbook(book).read_records("tblToday") == []
    assert book.sheets["Today"].tables["tblToday"].range.shape[0] == 2  # Excel keeps one (blank) data row


def test_updates_write_only_the_changed_cells(book: xw.Book) -> None:
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS)
    live = LiveWorkbook(book)
    xe.excel(book).calls = 0
    live.update_rows("tblLeads", [{"LeadId": "L000003", "Status": "Working", "TouchCount": 1}])
    assert xe.excel(book).calls == 3  # read the key column, write Status, write TouchCount
    before = xe.dump(book)["cells"]["Leads"]
    status = col_letter(schema.LEADS.names.index("Status") + 1)
    assert before[f"{status}4"] == "Working" and before[f"{status}2"] == "New"


def test_reads_fetch_only_the_columns_asked_and_remember_them(book: xw.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    live = LiveWorkbook(book)
    xe.excel(book).calls = 0
    assert [r["Status"] for r in live.read_records("tblLeads", ["LeadId", "Status"])] == ["New"] * 5
    assert xe.excel(book).calls == 2
    live.read_records("tblLeads", ["Status"])
    assert xe.excel(book).calls == 2
    live.read_records("tblLeads")
    assert xe.excel(book).calls == 3  # the rest of the table in one read


def test_selection_takes_the_rows_of_every_area(book: xw.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    xe.select(book, "Leads", "C3:D3", "A5", "B1")  # header row is ignored
    sel = LiveWorkbook(book).selection()
    assert sel is not None and sel.table == "tblLeads" and sel.sheet == "Leads"
    assert [r["LeadId"] for r in sel.records] == ["L000002", "L000004"]
    xe.select(book, "Dashboard", "A1")
    sel = LiveWorkbook(book).selection()
    assert sel is not None and sel.table is None and sel.records == []


def test_tell_status_pictures_and_save(book: xw.Book, tmp_path: Path) -> None:
    live = LiveWorkbook(book)
    live.tell("Saved.", "info")
    live.tell("Broken.", "error")
    assert [(a["prompt"], a["mode"]) for a in xe.excel(book).alerts] == [("Saved.", "info"), ("Broken.", "critical")]
    live.status("Working...")
    assert book.app.status_bar == "Working..."
    live.add_picture("Dashboard", b"\x89PNG-one", "B2", "Funnel")
    live.add_picture("Dashboard", b"\x89PNG-two", "B2", "Funnel")
    pics = list(book.sheets["Dashboard"].pictures)
    assert [(p.name, p.impl.data) for p in pics] == [("Funnel", b"\x89PNG-two")]
    live.save()
    assert book.impl.saves == [book.fullname]
    assert live.path is not None and live.path.name == "Relist.xlsx"


def test_a_workbook_never_saved_is_not_saved_into_the_working_folder(book: xw.Book, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    xe.as_unsaved(book, "Relist1")  # as Excel opens a copy of a template
    live = LiveWorkbook(book)
    assert live.path is None and book.fullname == "Relist1"
    with pytest.raises(WorkbookError, match="never been saved") as err:
        live.save()
    assert "File > Save As" in err.value.hint
    assert book.impl.saves == [] and not list(tmp_path.iterdir())


def test_a_cloud_workbook_without_a_synced_copy_is_read_but_not_saved(book: xw.Book) -> None:
    xe.put_in_cloud(book)
    with pytest.raises(xw.XlwingsError):
        book.fullname  # noqa: B018 - what xlwings does for a OneDrive URL it cannot map to a local file
    live = LiveWorkbook(book)
    assert live.path is None and live.read_records("tblLeads") == []
    with pytest.raises(WorkbookError, match="OneDrive or SharePoint") as err:
        live.save()
    assert "save it to a local or synced folder first" in err.value.hint.lower()
    assert book.impl.saves == []


def test_an_emptied_table_has_no_data_body_and_takes_rows_again(book: xw.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS[:2])
    xe.empty_table(book, "tblLeads")  # every row deleted by hand: Excel keeps the header and an insert row
    assert book.sheets["Leads"].tables["tblLeads"].data_body_range is None
    live = LiveWorkbook(book)
    assert live.read_records("tblLeads") == [] and live.column_values("tblLeads", "LeadId") == []
    live.append_rows("tblLeads", LEADS[2:4])
    assert book.sheets["Leads"].tables["tblLeads"].data_body_range is not None
    assert [r["LeadId"] for r in LiveWorkbook(book).read_records("tblLeads", ["LeadId"])] == ["L000003", "L000004"]


def test_text_starting_with_an_equals_sign_or_an_apostrophe_stays_text(book: xw.Book) -> None:
    sheet = book.sheets["Leads"]
    table = sheet.tables["tblLeads"]
    width = table.range.shape[1]
    sheet.range((1, width + 1)).value = "MyNote"  # a user column: General format, where Excel makes "=..." a formula
    table.resize(sheet.range((1, 1), (2, width + 1)))
    sheet.range((5, width + 5)).value = "=1+1"
    assert (5, width + 5) in sheet.impl.formulas  # the engine does what Excel does with such a string
    texts = {"Notes": "=1+1 was the joke", "MyNote": "=SUM(A:A)", "OwnerName": "'Tis Pat"}
    LiveWorkbook(book).append_rows("tblLeads", [{**LEADS[0], **texts}])
    assert all(f.startswith("=HYPERLINK(") for (r, _c), f in sheet.impl.formulas.items() if r == 2)
    assert LiveWorkbook(book).read_records("tblLeads", list(texts)) == [texts]
    live = LiveWorkbook(book)
    live.update_rows("tblLeads", [{"LeadId": "L000001", "MyNote": "=2+2"}])
    assert live.read_records("tblLeads", ["MyNote"]) == [{"MyNote": "=2+2"}]  # the click's cache holds what Excel shows
    assert LiveWorkbook(book).read_records("tblLeads", ["MyNote"]) == [{"MyNote": "=2+2"}]


def test_free_sheet_cells_and_table_sheets_are_kept_apart(book: xw.Book) -> None:
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


def test_selecting_whole_columns_reads_only_the_table_rows(book: xw.Book) -> None:
    LiveWorkbook(book).append_rows("tblLeads", LEADS)
    xe.select(book, "Leads", "B:C")  # a click on the column letters
    assert book.selection.address == "$B:$C"
    live = LiveWorkbook(book)
    xe.excel(book).calls = 0
    sel = live.selection()
    assert sel is not None and [r["LeadId"] for r in sel.records] == [f"L{n:06d}" for n in range(1, 6)]
    assert live.selected_rows == [0, 1, 2, 3, 4] and xe.excel(book).calls == 1


def test_headers_in_plain_words_are_read_as_columns_and_a_renamed_one_is_refused(book: xw.Book) -> None:
    """The live workbook shows labels ("Best phone"); a header typed in another case still counts; one renamed away is refused."""
    leads = book.sheets["Leads"]
    assert leads["A1"].value == "Lead" and leads["C1"].value == "Best phone"
    live = LiveWorkbook(book)
    live.append_rows("tblLeads", LEADS[:1])
    assert leads["C2"].value in ("(813) 555-0001", '=HYPERLINK("tel:+18135550001","(813) 555-0001")')
    assert LiveWorkbook(book).read_records("tblLeads", ["LeadId", "BestPhone"]) == [{"LeadId": "L000001", "BestPhone": "+18135550001"}]
    leads["C1"].value = "best phone"
    assert LiveWorkbook(book).read_records("tblLeads", ["BestPhone"])[0]["BestPhone"] == "+18135550001"
    leads["C1"].value = "Mobile"
    with pytest.raises(WorkbookError) as err:
        LiveWorkbook(book)
    assert "'Best phone'" in err.value.message and "\n" not in err.value.message


def test_settings_are_read_by_their_labels_or_a_loose_spelling(book: xw.Book) -> None:
    from relist import settings

    sheet = book.sheets["Settings"]
    assert [sheet.range((r, 1)).value for r in range(2, 4)] == ["Your name", "Brokerage"]
    sheet.range((2, 2)).value = "Sam Lee"
    rows = len(schema.SETTINGS_ROWS) + 1
    capacity = 1 + next(i for i, s in enumerate(schema.SETTINGS_ROWS, 1) if s.name == "DailyDialCapacity")
    assert sheet.range((capacity, 1)).value == "Calls per day"
    sheet.range((capacity, 1)).value, sheet.range((capacity, 2)).value = "calls PER day", 40
    s = settings.load(LiveWorkbook(book))
    assert (s.agent_name, s.daily_dial_capacity) == ("Sam Lee", 40)
    assert rows == len(LiveWorkbook(book).read_records("tblSettings")) + 1
