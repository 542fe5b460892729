"""Channel services over a workbook with the real queue, the real compliance gate and a real registry copy.

Every output is asked of compliance first: a lead compliance blocks is left out and the result says why.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader
from tests.identity import give_identity

from relist.channels import service
from relist.compliance.registry_files import load_files
from relist.errors import BadInput, ComplianceError
from relist.workbook.memory import MemoryWorkbook

NY = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 25, 10, 0, tzinfo=NY)  # a Wednesday
REGISTRY_NUMBER = "+18135550199"


def lead_row(i: int, days_ago: int, **kw: Any) -> dict[str, Any]:
    start = (AT - timedelta(days=days_ago)).replace(tzinfo=None)
    row = {
        "LeadId": f"L{i:04d}", "Status": "New", "ListingStatus": "Expired", "Contactable": True,
        "OwnerName": f"Pat Owner{i}", "OwnerFirstName": "Pat", "OwnerLastName": f"Owner{i}",
        "PropertyAddress": f"{100 + i} Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602",
        "Email": f"pat{i}@example.net", "ExpiredAt": start, "SequenceStart": start.date(), "ListPrice": 400000 + i,
        "DaysOnMarket": 90, "PhotosCount": 14,
    }
    row.update(kw)
    return row


def phone_rows(i: int, *numbers: str) -> list[dict[str, Any]]:
    return [
        {"PhoneId": f"L{i:04d}-{n}", "LeadId": f"L{i:04d}", "Position": n, "Phone": number, "PhoneStatus": "Active",
         "VendorDNC": False, "Kind": "mobile"}
        for n, number in enumerate(numbers, start=1)
    ]


def make_book(tmp_path: Path, leads: list[dict[str, Any]], phones: list[dict[str, Any]], **tables: Any) -> MemoryWorkbook:
    """A workbook with a fresh registry copy of area code 813 holding one listed number."""
    book = give_identity(MemoryWorkbook({"tblLeads": leads, "tblPhones": phones, **tables}), save=False)
    book.path = tmp_path / "book.xlsx"  # type: ignore[attr-defined]  # the registry folder sits beside it
    src = tmp_path / "813.txt"
    src.write_text("813,5550199\n")
    load_files(tmp_path / "book.dnc", [src], AT, AT.date(), downloaded=AT.date())
    return book


@pytest.fixture
def book(tmp_path: Path) -> MemoryWorkbook:
    leads = [
        lead_row(1, 2),
        lead_row(2, 4, Absentee=True, MailingAddress="9 Harbor View Rd", MailingCity="Sarasota", MailingState="FL",
                 MailingPostalCode="34236"),
        lead_row(3, 8),
        lead_row(4, 8, ListingStatus="Withdrawn"),  # blocked on every channel (NAR SOP 16-4)
        lead_row(5, 0),
    ]
    phones = (phone_rows(1, "+18135550101", REGISTRY_NUMBER) + phone_rows(2, "+18135550102")
              + phone_rows(3, "+18135550103") + phone_rows(4, "+18135550104") + phone_rows(5, REGISTRY_NUMBER))
    return make_book(tmp_path, leads, phones)


def reasons_for(skipped: list[service.Skip], lead_id: str) -> str:
    return " | ".join(s.reason for s in skipped if s.lead_id == lead_id)


def test_dial_list_has_only_numbers_callable_now(book: MemoryWorkbook) -> None:
    result = service.dial_list(book, AT)
    table = list(csv.DictReader(io.StringIO(result.csv)))
    by_id = {r["Lead ID"]: r for r in table}
    assert by_id["L0001"]["Phone 1"] == "8135550101"
    assert by_id["L0001"].get("Phone 2", "") == ""  # the registry number is left out
    assert "National DNC Registry" in reasons_for(result.skipped, "L0001")
    assert "L0005" not in by_id and "National DNC Registry" in reasons_for(result.skipped, "L0005")
    assert "L0004" not in by_id and "Withdrawn" in reasons_for(result.skipped, "L0004")
    assert by_id["L0001"]["Window Closes"] == "2026-11-25 20:00"  # Florida: 8-20 (compliance.md)


def test_dial_list_before_the_window_opens_is_empty_and_says_why(book: MemoryWorkbook) -> None:
    early = AT.replace(hour=7, minute=0)
    result = service.dial_list(book, early)
    assert result.rows == []
    why = reasons_for(result.skipped, "L0001")
    assert "no number callable now" in why and "07:00" in why


def test_letters_skip_the_blocked_lead_and_mail_absentees_at_home(book: MemoryWorkbook) -> None:
    result = service.letters(book, AT, labels=True)
    assert result.pdf is not None and result.labels is not None
    ids = [x.lead_id for x in result.letters]
    assert "L0004" not in ids and "Withdrawn" in reasons_for(result.skipped, "L0004")
    absentee = next(x for x in result.letters if x.lead_id == "L0002")
    assert absentee.address[-2:] == ("9 HARBOR VIEW RD", "SARASOTA FL 34236")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(result.pdf)).pages)
    assert "SARASOTA FL 34236" in text and "102 MAIN ST" not in text
    labels = PdfReader(io.BytesIO(result.labels)).pages[0].extract_text()
    assert "SARASOTA FL 34236" in labels


def test_letters_refuse_without_license_number(tmp_path: Path) -> None:
    settings = [{"Setting": "LicenseNumber", "Value": ""}]
    book = make_book(tmp_path, [lead_row(1, 2)], phone_rows(1, "+18135550101"))
    book.tables["tblSettings"] = [r for r in book.tables["tblSettings"] if r["Setting"] != "LicenseNumber"] + settings
    with pytest.raises(BadInput, match="Settings > License number"):
        service.letters(book, AT)


def test_a_letter_template_missing_a_field_skips_that_lead_by_name(tmp_path: Path) -> None:
    book = make_book(tmp_path, [lead_row(1, 2), lead_row(2, 2, OwnerFirstName=None)], [])
    (tmp_path / "t" / "letters").mkdir(parents=True)
    (tmp_path / "t" / "letters" / "expired-letter.txt.j2").write_text("Dear {{ owner_first_name }},\n\nHello.")
    result = service.letters(book, AT, dirs=[tmp_path / "t"])
    assert [x.lead_id for x in result.letters] == ["L0001"]
    assert "owner_first_name" in reasons_for(result.skipped, "L0002")


def test_confirming_letters_logs_touches_and_they_are_no_longer_due(book: MemoryWorkbook) -> None:
    first = service.letters(book, AT)
    logged = service.confirm(book, first.steps, "letter", "sent", AT)
    assert len(logged) == len(first.letters)
    touches = book.read_records("tblTouches")
    assert {(t["LeadId"], t["Channel"], t["Outcome"]) for t in touches} == {(x.lead_id, "letter", "sent") for x in first.letters}
    again = service.letters(book, AT + timedelta(minutes=5))
    assert again.pdf is None


def test_route_orders_stops_and_refuses_the_blocked_lead(book: MemoryWorkbook) -> None:
    result = service.route(book, AT.replace(hour=15), hangers=True)
    stops = [s for r in result.runs for s in r.stops]
    assert [s.lead_id for s in stops] == ["L0003", "L0002"]  # 103 (odd side) then 102 (even side)
    assert "Withdrawn" in reasons_for(result.skipped, "L0004")
    assert result.hangers is not None
    hangers = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(result.hangers)).pages)
    assert "103 Main St" in hangers and "102 Main St" not in hangers  # the absentee owner gets no hanger
    sheet = PdfReader(io.BytesIO(result.sheet)).pages[0].extract_text()
    assert "L0004" in sheet and "Withdrawn" in sheet


def test_route_before_door_hours_notes_when_to_go(book: MemoryWorkbook) -> None:
    result = service.route(book, AT.replace(hour=7))
    stops = [s for r in result.runs for s in r.stops]
    assert stops and all("not before" in s.note for s in stops)


def test_emails_are_composed_for_due_leads_only(book: MemoryWorkbook) -> None:
    batch = service.prepare_emails(book, AT)
    assert [o.lead_id for o in batch.outgoing] == ["L0003"]
    assert "Withdrawn" in reasons_for(batch.skipped, "L0004")
    msg = batch.outgoing[0].message
    assert [a.get_filename() for a in msg.iter_attachments()] == ["marketing-plan-103-main-st.pdf"]


def test_unsubscribed_email_is_refused(tmp_path: Path) -> None:
    dnc = [{"DncId": "D1", "Email": "pat3@example.net", "LeadId": "L0003", "Channel": "email", "Source": "email unsubscribe",
            "AddedAt": datetime(2026, 11, 20, 9, 0)}]
    book = make_book(tmp_path, [lead_row(3, 8)], phone_rows(3, "+18135550103"), tblDNC=dnc)
    batch = service.prepare_emails(book, AT)
    assert batch.outgoing == []
    assert "unsubscribed" in reasons_for(batch.skipped, "L0003")


def test_marketing_plan_for_a_lead_and_refusal_for_a_blocked_one(book: MemoryWorkbook) -> None:
    pdf = service.marketing_plan(book, "l0001", AT)
    assert "101 Main St" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    with pytest.raises(ComplianceError, match="Withdrawn"):
        service.marketing_plan(book, "L0004", AT)
    with pytest.raises(BadInput, match="L9999"):
        service.marketing_plan(book, "L9999", AT)


def test_texts_are_rendered_for_a_number_compliance_allows(book: MemoryWorkbook) -> None:
    result = service.texts(book, AT)
    assert result.messages
    assert "L0004" not in [m.lead_id for m in result.messages] and "Withdrawn" in reasons_for(result.skipped, "L0004")
    for m in result.messages:
        assert m.phone != REGISTRY_NUMBER
        assert m.link.startswith(f"sms:{m.phone}?body=")
        assert "Reply STOP to opt out." in m.body


def test_calendar_events_and_refusals(tmp_path: Path) -> None:
    leads = [
        lead_row(1, 3, AppointmentAt=datetime(2026, 11, 27, 16, 0), CallBackAt=datetime(2026, 11, 26, 18, 0)),
        lead_row(2, 3, CallBackAt=datetime(2026, 11, 26, 21, 30)),  # after Florida's 20:00 close
        lead_row(3, 3, AppointmentAt=datetime(2026, 11, 28, 11, 0), ListingStatus="Active"),  # relisted
        lead_row(4, 30, AppointmentAt=datetime(2026, 11, 20, 11, 0)),  # in the past: not exported
    ]
    phones = phone_rows(1, "+18135550101") + phone_rows(2, "+18135550102") + phone_rows(3, "+18135550103") + phone_rows(4, "+18135550104")
    book = make_book(tmp_path, leads, phones)
    result = service.calendar(book, AT)
    assert sorted((e.lead_id, e.kind) for e in result.events) == [("L0001", "appointment"), ("L0001", "call-back")]
    assert "21:30" in reasons_for(result.skipped, "L0002") and "20:00" in reasons_for(result.skipped, "L0002")
    assert "Active" in reasons_for(result.skipped, "L0003")
    cal = icalendar.Calendar.from_ical(result.ics)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    appt = next(e for e in events if "Listing appointment" in str(e["SUMMARY"]))
    assert appt.decoded("DTSTART") == datetime(2026, 11, 27, 16, 0, tzinfo=NY)
    assert "Pat Owner1" in str(appt["DESCRIPTION"]) and "(813) 555-0101" in str(appt["DESCRIPTION"])
    assert str(appt["LOCATION"]) == "101 Main St, Tampa, FL 33602"
    assert len(result.files) == 2
    for _name, text in result.files:
        assert len(list(icalendar.Calendar.from_ical(text).walk("VEVENT"))) == 1
