"""ROI services over the in-memory workbook: scenarios on the ROI sheet, my numbers, the Dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from relist.errors import BadInput
from relist.roi import sheet
from relist.roi.model import RoiInputs
from relist.roi.service import load_my_numbers, read_scenario, refresh_dashboard, save_scenario
from relist.workbook.memory import MemoryWorkbook

NY = ZoneInfo("America/New_York")
MON = datetime(2026, 3, 2, 9, 0)


def _book() -> MemoryWorkbook:
    touches, leads = [], []
    n = 0
    for d in range(21):
        day = MON + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for k in range(10):
            lid = f"L{n}"
            n += 1
            leads.append({"LeadId": lid, "Status": "Working", "ExpiredAt": day.replace(hour=6),
                          "Vendor": "REDX" if k % 2 else "Landvoice", "FirstImportedAt": day.replace(hour=7)})
            outcome = ["appointment", "spoke", "spoke", "bad-number"][k] if k < 4 else "no-answer"
            touches.append({"TouchId": f"T{len(touches)}", "LeadId": lid, "At": day + timedelta(minutes=k),
                            "Channel": "call", "Outcome": outcome})
    touches.append({"TouchId": "TL", "LeadId": "L0", "At": MON + timedelta(days=3), "Channel": "door",
                    "Outcome": "listed-with-me"})
    return MemoryWorkbook({"tblLeads": leads, "tblTouches": touches})


def test_a_saved_scenario_reads_back() -> None:
    book = MemoryWorkbook()
    inputs = RoiInputs(chain="contacts", pickup_rate=0.22, touches_per_lead=5, median_price=515_000)
    save_scenario(book, inputs)
    assert book.saved == 1
    assert book.cells["ROI"][sheet.ROI_INPUT_REFS["pickup_rate"]] == 0.22
    assert book.cells["ROI"][sheet.ROI_INPUT_REFS["chain"]] == "contacts"
    assert read_scenario(book) == inputs


def test_a_blank_roi_sheet_reads_as_the_defaults_and_text_cells_are_understood() -> None:
    book = MemoryWorkbook()
    assert read_scenario(book) == RoiInputs()
    book.write_cells("ROI", {sheet.ROI_INPUT_REFS["pickup_rate"]: "28%",
                             sheet.ROI_INPUT_REFS["median_price"]: "$450,000"})
    got = read_scenario(book)
    assert got.pickup_rate == pytest.approx(0.28) and got.median_price == 450_000


@pytest.mark.parametrize(("name", "value", "words"), [
    ("pickup_rate", "lots", [f"ROI!{sheet.ROI_INPUT_REFS['pickup_rate']}", "not a number"]),
    ("pickup_rate", 3, ["pickup_rate", "above 100%"]),
    ("chain", "both", ["chain", "appointments or contacts"]),
])
def test_a_bad_roi_cell_is_named(name: str, value: object, words: list[str]) -> None:
    book = MemoryWorkbook()
    book.write_cells("ROI", {sheet.ROI_INPUT_REFS[name]: value})
    with pytest.raises(BadInput) as err:
        read_scenario(book)
    for w in words:
        assert w in err.value.one_line()


def test_save_refuses_bad_inputs_without_writing() -> None:
    book = MemoryWorkbook()
    with pytest.raises(BadInput, match="median_price"):
        save_scenario(book, RoiInputs(median_price=0))
    assert book.cells == {} and book.saved == 0


def test_load_my_numbers_overlays_the_log_on_the_saved_scenario() -> None:
    book = _book()
    save_scenario(book, RoiInputs(median_price=610_000, commission_rate=0.028, pickup_rate=0.5))
    got = load_my_numbers(book, datetime(2026, 3, 21, 12, tzinfo=NY))
    assert got.median_price == 610_000 and got.commission_rate == 0.028  # not measurable: kept
    assert got.pickup_rate == pytest.approx(0.3)  # 3 of 10 dials a day reached the owner
    assert got.dials_per_day == pytest.approx(10)
    assert got.contacts_per_appointment == pytest.approx(46 / 15)  # the door listing is a contact too


def test_refresh_dashboard_writes_the_tables_and_the_funnel_picture() -> None:
    book = _book()
    at = datetime(2026, 3, 20, 17, 30, tzinfo=NY)
    f = refresh_dashboard(book, at)
    cells = book.cells["Dashboard"]
    assert cells[sheet.REFRESHED_REF] == datetime(2026, 3, 20, 17, 30)
    assert cells[sheet.SUMMARY_REF].startswith("150 dials, 46 contacts (30.0% of dials)")
    total = sheet.WEEK_TOTAL_ROW
    assert (cells[f"B{total}"], cells[f"E{total}"], cells[f"F{total}"]) == (150, 15, 1)
    last_week = sheet.WEEK_FIRST_ROW + sheet.DASHBOARD_WEEKS - 1
    assert cells[f"A{last_week}"].isoformat() == "2026-03-16" and cells[f"B{last_week}"] == 50
    vendor_rows = {cells[f"A{sheet.VENDOR_HEADER_ROW + 1 + i}"]: i for i in range(2)}
    landvoice = sheet.VENDOR_HEADER_ROW + 1 + vendor_rows["Landvoice"]
    assert cells[f"E{landvoice}"] == pytest.approx(0.0)  # bad numbers all came from REDX leads (k=3 is odd)
    redx = sheet.VENDOR_HEADER_ROW + 1 + vendor_rows["REDX"]
    assert cells[f"E{redx}"] == pytest.approx(15 / 75)
    assert cells[f"A{sheet.VENDOR_HEADER_ROW + 3}"] is None  # unused vendor rows are cleared
    same_day = sheet.SPEED_HEADER_ROW + 1
    assert cells[f"B{same_day}"] == 150 and cells[f"E{same_day}"] == pytest.approx(15 / 45)
    assert book.pictures["Dashboard"][sheet.FUNNEL_PICTURE[0]].startswith(b"\x89PNG")
    assert book.saved == 1 and f.total.dials == 150
    all_refs = {c.ref for c in sheet.dashboard_cells()}
    assert set(cells) <= all_refs


def test_refresh_needs_an_aware_moment() -> None:
    with pytest.raises(BadInput, match="time zone"):
        refresh_dashboard(MemoryWorkbook(), datetime(2026, 3, 20, 17, 30))
