"""The power-dialer CSV: dialer column names, Phone 1..n, 10-digit numbers, the window close, no formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from relist.channels.dial_list import dial_csv, dial_row, dialer_number, lead_notes, split_name
from relist.model import Lead

NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")


def lead(**kw: object) -> Lead:
    base = dict(lead_id="L0001", owner_name="Maria de la Cruz", property_address="55 Bay Dr", unit="#2",
                city="Tampa", state="FL", postal_code="33602")
    base.update(kw)
    return Lead(**base)  # type: ignore[arg-type]


def test_split_name_prefers_the_lead_columns_then_splits_the_last_word() -> None:
    assert split_name(lead(owner_first_name="Maria", owner_last_name="de la Cruz")) == ("Maria", "de la Cruz")
    assert split_name(lead()) == ("Maria de la", "Cruz")
    assert split_name(lead(owner_name="Sunrise Holdings LLC", entity_owner=True)) == ("", "Sunrise Holdings LLC")
    assert split_name(lead(owner_name="Cher")) == ("", "Cher")


def test_dialer_number_formats() -> None:
    assert dialer_number("+18135550100") == "8135550100"
    assert dialer_number("813-555-0100") == "8135550100"
    assert dialer_number("+442071838750") == "+442071838750"


def test_csv_has_dialer_columns_phone_columns_for_the_widest_row_and_window_close() -> None:
    closes = datetime(2026, 11, 25, 20, 0, tzinfo=CHI)  # 20:00 Central is 21:00 for an agent in New York
    rows = [
        dial_row(lead(owner_first_name="Maria", owner_last_name="Cruz"), ["+18135550100", "+18135550101"], closes, "n1"),
        dial_row(lead(lead_id="L0002", owner_name="Bo Li", property_address="1 Elm St", unit=""), ["+18135550102"], None, ""),
    ]
    text = dial_csv(rows, NY)
    assert "\r\n" in text
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == ["First Name", "Last Name", "Phone 1", "Phone 2", "Property Address", "City", "State",
                              "Zip", "Notes", "Window Closes", "Lead ID"]
    assert table[0]["Phone 1"] == "8135550100" and table[0]["Phone 2"] == "8135550101"
    assert table[0]["Property Address"] == "55 Bay Dr #2"
    assert table[0]["Window Closes"] == "2026-11-25 21:00"
    assert table[1]["Phone 2"] == "" and table[1]["Window Closes"] == "" and table[1]["Lead ID"] == "L0002"


def test_cells_that_would_run_as_formulas_are_defused() -> None:
    rows = [dial_row(lead(owner_first_name="=HYPERLINK(\"x\")", owner_last_name="+1"), ["+18135550100"], None, "@SUM(A1)")]
    table = list(csv.DictReader(io.StringIO(dial_csv(rows, NY))))
    assert table[0]["First Name"].startswith("'=")
    assert table[0]["Last Name"] == "'+1"
    assert table[0]["Notes"] == "'@SUM(A1)"


def test_empty_list_still_has_a_header_with_phone_1() -> None:
    assert dial_csv([], NY).splitlines()[0].split(",")[:3] == ["First Name", "Last Name", "Phone 1"]


def test_notes_say_what_expired_and_what_to_say() -> None:
    note = lead_notes(
        lead(expired_at=datetime(2026, 11, 24, 12, 0, tzinfo=NY), list_price=425000.0, absentee=True,
             fields={"DaysOnMarket": 87, "Notes": "gate code 12"}),
        NY,
        "Ask what they would change",
    )
    assert note == "Expired 2026-11-24; last list $425,000; 87 DOM; absentee owner; Ask what they would change; gate code 12"
