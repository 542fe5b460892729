"""Calendar: RFC 5545 text written by hand, checked line by line and by an independent parser (icalendar)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from relist.channels.calendar import escape_text, event_file_name, events_for, fold, ics
from relist.model import Lead, Phone

NY = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 25, 9, 30, tzinfo=NY)
LEAD = Lead(
    "L0001", owner_name="John Smith", owner_name2="Mary Smith-Jones", property_address="123 Main St", unit="4",
    city="Tampa", state="FL", postal_code="33602", email="john@example.net",
    phones=(Phone("+18135550100", 1), Phone("+18135550101", 2, status="Bad")),
    appointment_at=datetime(2026, 11, 27, 16, 0, tzinfo=NY), call_back_at=datetime(2026, 11, 26, 18, 30, tzinfo=NY),
    fields={"Notes": "Dog in yard; gate code 1234, ring twice"},
)


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@given(st.text(max_size=400))
def test_fold_keeps_lines_within_75_octets_and_unfolds_back(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_fold_never_splits_a_utf8_character() -> None:
    folded = fold("DESCRIPTION:" + "é" * 60)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
    assert len(folded.split("\r\n")) == 2


def test_events_for_a_lead() -> None:
    appt, cb = events_for(LEAD, "example.com")
    assert appt.kind == "appointment" and cb.kind == "call-back"
    assert appt.end - appt.start == timedelta(hours=1)
    assert appt.location == "123 Main St #4, Tampa, FL 33602"
    assert "John Smith and Mary Smith-Jones" in appt.description
    assert "(813) 555-0100" in appt.description and "555-0101" not in appt.description  # Bad phones are not offered
    assert cb.summary == "Call back John Smith: (813) 555-0100"
    assert appt.uid == "appointment-L0001-20261127T210000Z@example.com"
    assert event_file_name(appt) == "appointment-L0001-20261127T2100.ics"


def test_ics_is_crlf_utc_and_parses_with_icalendar() -> None:
    text = ics(events_for(LEAD, "example.com"), AT, name="Relist - Alex Morgan")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert all(len(x.encode()) <= 75 for x in lines)
    assert "DTSTART:20261127T210000Z" in lines and "DTSTAMP:20261125T143000Z" in lines
    cal = icalendar.Calendar.from_ical(text)
    assert cal["VERSION"] == "2.0" and cal["PRODID"].startswith("-//Relist")
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    appt = next(e for e in events if str(e["UID"]).startswith("appointment-"))
    assert appt.decoded("DTSTART") == datetime(2026, 11, 27, 16, 0, tzinfo=NY)
    assert str(appt["LOCATION"]) == "123 Main St #4, Tampa, FL 33602"
    desc = str(appt["DESCRIPTION"])
    assert "Phone: (813) 555-0100" in desc and "Notes: Dog in yard; gate code 1234, ring twice" in desc
    assert appt.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-15)


def test_empty_calendar_is_still_valid() -> None:
    cal = icalendar.Calendar.from_ical(ics([], AT))
    assert list(cal.walk("VEVENT")) == []
