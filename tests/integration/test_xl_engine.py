"""The test engine is an xlwings engine, not a stand-in for xlwings: what the product gets is xlwings' own objects."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe
from xlwings import base_classes, main

from relist.workbook.live_adapter import LiveWorkbook


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.workbook import template

    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.mark.parametrize("flavour", xe.FLAVOURS)
def test_the_product_is_handed_xlwings_own_objects(template_path: Path, flavour: str) -> None:
    book = xe.load(template_path, flavour)
    sheet = book.sheets["Leads"]
    table = sheet.tables["tblLeads"]
    assert type(book) is main.Book and type(book.app) is main.App and type(sheet) is main.Sheet
    assert type(table) is main.Table and type(table.range) is main.Range
    assert xw.engines.active is not None and xw.engines.active.impl is xe.ENGINE
    live = LiveWorkbook(book)
    assert live.book is book


def test_every_engine_class_is_an_xlwings_engine_class() -> None:
    """What the engine does not model raises NotImplementedError from base_classes, never a made-up answer."""
    for name in ("Apps", "App", "Books", "Book", "Sheets", "Sheet", "Range", "Tables", "Table", "Pictures", "Picture"):
        assert issubclass(getattr(xe, name), getattr(base_classes, name)), name


def test_what_xlwings_lacks_fails_as_in_excel(template_path: Path) -> None:
    """xlwings.Range has no `areas` (the live adapter once read it): a product call of it fails here as in Excel."""
    book = xe.load(template_path)
    rng = xe.select(book, "Leads", "A2", "C3:D4")
    assert not hasattr(main.Range, "areas")
    with pytest.raises(AttributeError, match="areas"):
        rng.areas  # noqa: B018
    assert rng.address == "$A$2,$C$3:$D$4" and rng.shape == (1, 1)  # like COM: geometry of the first area
    with pytest.raises(NotImplementedError):
        rng.impl.merge(False)
    with pytest.raises(NotImplementedError, match="native Excel object"):
        book.api.FullNameURLEncoded  # noqa: B018 - a COM-only call has no answer here


def test_the_conversion_layer_is_xlwings_own(template_path: Path) -> None:
    book = xe.load(template_path)
    sheet = book.sheets["ROI"]
    sheet["B40"].value = [[1, "x", None], [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 9, 5), True]]
    assert sheet["B40"].value == 1.0 and type(sheet["B40"].value) is float  # numbers come back as floats
    assert sheet["B40:D40"].value == [1.0, "x", None]  # one row: a flat list; empty: None
    assert sheet["B40:B41"].value == [1.0, dt.datetime(2026, 1, 2)]  # a date comes back a datetime
    assert sheet["B40:B40"].options(ndim=2).value == [[1.0]]
    assert sheet["B41:D41"].options(dates=dt.date).value == [dt.date(2026, 1, 2), dt.date(2026, 1, 2), True]
    assert sheet["B40"].options(numbers=int).value == 1
    sheet["B40"].value = None
    assert sheet["B40"].value is None and (40, 2) not in sheet.impl.formulas
    sheet["F40"].value = '=HYPERLINK("tel:+18135550142","+1 813 555 0142")'
    assert sheet["F40"].value == "+1 813 555 0142" and sheet["F40"].formula.startswith("=HYPERLINK(")
    with pytest.raises(TypeError, match="COM VARIANT"):
        sheet["G40"].value = object()


def test_the_flavours_answer_with_their_own_api(template_path: Path) -> None:
    win, mac = xe.load(template_path, "windows"), xe.load(template_path, "mac")
    sig = inspect.signature(win.app.api.GetOpenFilename)
    assert list(sig.parameters) == ["FileFilter", "FilterIndex", "Title", "ButtonText", "MultiSelect"]
    from xlwings import mac_dict

    params = {n: [p for p, _c in ps] for n, _c, ps in mac_dict.commands}["get_open_filename"]
    assert params == ["file_filter", "button_text", "multi_select"]
    xe.excel(mac).open_filenames = [["/Users/pat/a.csv", "/Users/pat/b.csv"]]
    assert mac.app.api.get_open_filename(button_text="Open", multi_select=True) == ["/Users/pat/a.csv", "/Users/pat/b.csv"]
    assert mac.app.api.get_open_filename(file_filter="TEXT") is False  # nothing more to answer: cancelled


def test_large_writes_and_reads_go_in_chunks_as_xlwings_cuts_them(template_path: Path) -> None:
    """Past 100,000 cells xlwings writes in row chunks (base_classes.DEFAULT_MAX_CELLS_PER_WRITE), slicing the range."""
    book = xe.load(template_path)
    sheet = book.sheets["ROI"]
    rows = [[float(r * 3 + c) for c in range(3)] for r in range(40_000)]  # 120,000 cells
    xe.excel(book).calls = 0
    sheet["A100"].value = rows
    assert xe.excel(book).calls == 2  # two chunks
    assert sheet.range((100, 1), (100 + 40_000 - 1, 3)).value == rows
    assert sheet["A100:C110"][1:3, 0:2].address == "$A$101:$B$102"
