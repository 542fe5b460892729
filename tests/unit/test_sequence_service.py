"""log_touch, undo, today and rebuild over an in-memory workbook (fake gate; real compliance for the DNC list)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from test_sequence_fakes import NY, FakeGate, at, book_with, lead_row, number_for, phone_rows

from relist import schema
from relist.errors import BadInput, NotFound
from relist.sequence import service
from relist.workbook.memory import MemoryWorkbook

START = date(2026, 11, 25)


def lead_of(book: MemoryWorkbook, lead_id: str = "L1") -> dict[str, Any]:
    return next(r for r in book.tables["tblLeads"] if r["LeadId"] == lead_id)


def two_phone_book() -> MemoryWorkbook:
    phones = phone_rows("L1", [number_for(1, 1), number_for(1, 2)]) + phone_rows("L2", [number_for(2)])
    return book_with([lead_row("L1", START, expired_at=datetime(2026, 11, 24, 18)), lead_row("L2", START)], phones)


def log(book: MemoryWorkbook, when: str, outcome: str = "no-answer", channel: str = "call", lead: str = "L1", **kw: Any) -> service.LogResult:
    return service.log_touch(book, lead, channel, outcome, at(when), gate=FakeGate(), **kw)


def test_a_touch_is_appended_and_the_lead_row_follows() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T09:20", note="rang out", duration=40)
    assert (r.touch_id, r.step, r.phone, r.status, r.touch_count) == ("T0000001", 1, number_for(1, 1), "Working", 1)
    row = book.tables["tblTouches"][0]
    assert row == {
        "TouchId": "T0000001",
        "LeadId": "L1",
        "At": datetime(2026, 11, 25, 9, 20),
        "AtUtc": "2026-11-25T14:20:00Z",
        "Channel": "call",
        "Step": 1,
        "Outcome": "no-answer",
        "Phone": number_for(1, 1),
        "Note": "rang out",
        "DurationSec": 40,
        "Who": "Jordan Ellis",
        "Subject": "Expired listing M00001, 101 Main St",
        "FollowUpAt": None,
        "UndoOf": None,
        "LoggedAt": datetime(2026, 11, 25, 9, 20),
    }
    lead = lead_of(book)
    assert (lead["TouchCount"], lead["LastOutcome"], lead["Status"]) == (1, "no-answer", "Working")
    assert lead["LastTouchAt"] == datetime(2026, 11, 25, 9, 20)
    assert (lead["NextStep"], lead["NextChannel"], lead["NextDue"]) == (2, "text", datetime(2026, 11, 25, 11, 0))
    assert lead["NextDueLeadLocal"] == "2026-11-25 11:00 EST"
    assert book.saved == 1


def test_a_double_click_is_not_logged_twice() -> None:
    book = two_phone_book()
    first = log(book, "2026-11-25T09:20:00")
    again = log(book, "2026-11-25T09:20:45")
    assert again.duplicate and again.touch_id == first.touch_id and "double click" in again.summary()
    assert len(book.tables["tblTouches"]) == 1
    later = log(book, "2026-11-25T09:21:30")
    assert not later.duplicate and len(book.tables["tblTouches"]) == 2


def test_bad_number_marks_the_phone_and_moves_to_the_next() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T09:20", "bad-number")
    assert r.phone == number_for(1, 1) and r.next_channel == "call" and r.next_step == 1
    phones = {p["Phone"]: p["PhoneStatus"] for p in book.tables["tblPhones"] if p["LeadId"] == "L1"}
    assert phones == {number_for(1, 1): "Bad", number_for(1, 2): "Active"}
    assert lead_of(book)["BestPhone"] == number_for(1, 2)
    r2 = log(book, "2026-11-25T09:25", "bad-number")
    assert r2.phone == number_for(1, 2)
    assert lead_of(book)["BestPhone"] is None and r2.next_channel == "letter"  # no phone left: calls and texts end


def test_phone_by_position_or_number_and_a_clear_error_otherwise() -> None:
    book = two_phone_book()
    assert log(book, "2026-11-25T09:20", phone="2").phone == number_for(1, 2)
    assert log(book, "2026-11-25T10:20", phone="(813) 555-0011", outcome="voicemail").phone == number_for(1, 1)
    with pytest.raises(BadInput, match="L1 has no phone 7"):
        log(book, "2026-11-25T11:20", phone="7")
    with pytest.raises(BadInput, match="is not one of lead L1's phones"):
        log(book, "2026-11-25T11:20", phone="+12125550000")


def test_call_back_is_scheduled_and_clamped_into_the_legal_window() -> None:
    book = two_phone_book()
    log(book, "2026-11-25T09:20", "no-answer")
    log(book, "2026-11-25T09:25", "sent", channel="text")
    r = log(book, "2026-11-25T18:00", "call-back", follow_up=at("2026-11-26T21:30"))
    assert r.call_back_at == at("2026-11-26T21:30") and lead_of(book)["CallBackAt"] == datetime(2026, 11, 26, 21, 30)
    assert (r.next_channel, r.next_due) == ("call", at("2026-11-27T08:00"))
    assert "first legal moment to call is 2026-11-27 08:00" in r.warnings[0]


def test_appointment_sets_the_status_and_the_time() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T09:20", "appointment", follow_up=at("2026-11-27T17:00"))
    lead = lead_of(book)
    assert (lead["Status"], lead["AppointmentAt"]) == ("Appointment", datetime(2026, 11, 27, 17, 0))
    assert r.appointment_at == at("2026-11-27T17:00") and r.next_step == 9  # the main steps stop; nurture later


def test_listed_with_me_ends_the_sequence() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T09:20", "listed-with-me")
    lead = lead_of(book)
    assert (r.status, lead["Status"], lead["NextStep"], lead["NextDue"]) == ("Listed", "Listed", None, None)
    assert r.summary().endswith("sequence ended.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"outcome": "call-back"}, "call-back needs --follow-up DATETIME"),
        ({"outcome": "appointment", "follow_up": at("2026-11-24T10:00")}, "is before the touch itself"),
        ({"outcome": "sent"}, "Outcome 'sent' is not a call outcome"),
        ({"outcome": "no-answer", "step": 4}, "Step 4 is a letter step, not a call"),
        ({"outcome": "no-answer", "step": 42}, "There is no step 42"),
        ({"outcome": "no-answer", "duration": -3}, "--duration -3 is negative"),
    ],
)
def test_bad_log_input_is_refused_with_a_fix(args: dict[str, Any], message: str) -> None:
    book = two_phone_book()
    outcome = args.pop("outcome")
    with pytest.raises(BadInput, match=message):
        log(book, "2026-11-25T09:20", outcome, **args)
    assert book.tables["tblTouches"] == [] and book.saved == 0


def test_an_unknown_lead_is_named() -> None:
    with pytest.raises(NotFound, match="Lead 'L404' is not on the Leads sheet"):
        log(two_phone_book(), "2026-11-25T09:20", lead="L404")


def test_a_dnc_request_goes_on_the_internal_list_and_ends_calls_and_texts() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T09:20", "dnc-request", note="asked not to be called")
    assert r.status == "DNC" and r.next_channel == ""
    dnc = book.tables["tblDNC"]
    assert {d["Phone"] for d in dnc} == {number_for(1, 1), number_for(1, 2)}
    assert all(d["LeadId"] == "L1" and d["Source"] == "call outcome" for d in dnc)
    u = service.undo(book, at=at("2026-11-25T09:22"), gate=FakeGate())
    assert u.undone == r.touch_id and "stays on your internal DNC list" in u.warnings[0]
    assert len(book.tables["tblDNC"]) == 2  # never silently removed


def test_a_reply_that_says_stop_is_an_opt_out() -> None:
    book = two_phone_book()
    r = log(book, "2026-11-25T12:00", "replied", channel="text", note="STOP texting me")
    assert r.outcome == "opt-out" and r.status == "DNC" and "asks to stop" in r.warnings[0]
    assert book.tables["tblTouches"][0]["Outcome"] == "opt-out"


def test_undo_appends_a_row_and_the_counters_follow_the_log() -> None:
    book = two_phone_book()
    a = log(book, "2026-11-25T09:20", "no-answer")
    b = log(book, "2026-11-25T09:30", "sent", channel="text")
    u = service.undo(book, at=at("2026-11-25T09:31"), gate=FakeGate())
    assert (u.undo_id, u.undone, u.touch_count) == ("T0000003", b.touch_id, 1)
    undo_row = book.tables["tblTouches"][-1]
    assert undo_row["UndoOf"] == b.touch_id and undo_row["Outcome"] is None and undo_row["Note"] == "Undo of T0000002 (sent)"
    assert [r["TouchId"] for r in book.tables["tblTouches"]] == ["T0000001", "T0000002", "T0000003"]
    assert lead_of(book)["TouchCount"] == 1 and lead_of(book)["NextChannel"] == "text"
    u2 = service.undo(book, a.touch_id, at=at("2026-11-25T09:32"), gate=FakeGate())
    assert u2.undone == a.touch_id and lead_of(book)["TouchCount"] == 0 and lead_of(book)["Status"] == "New"
    with pytest.raises(BadInput, match="already undone by T0000004"):
        service.undo(book, a.touch_id, at=at("2026-11-25T09:33"), gate=FakeGate())
    with pytest.raises(BadInput, match="is itself an undo"):
        service.undo(book, "T0000003", at=at("2026-11-25T09:33"), gate=FakeGate())
    with pytest.raises(NotFound, match="no touch to undo"):
        service.undo(book, at=at("2026-11-25T09:33"), gate=FakeGate())
    with pytest.raises(NotFound, match="no touch 'T0000999'"):
        service.undo(book, "T0000999", at=at("2026-11-25T09:33"), gate=FakeGate())


def test_today_writes_the_today_sheet_and_saves() -> None:
    book = two_phone_book()
    q = service.today(book, at("2026-11-25T09:15"), FakeGate())
    rows = book.tables["tblToday"]
    assert [r["LeadId"] for r in rows[0:2]] == ["L1", "L2"] and book.cells["Today"]["A1"] == q.headline()
    assert rows[0]["Phone"].target == f"tel:{number_for(1, 1)}" and rows[0]["Section"] == "calls"
    assert len(q.calls) == 2 and book.saved == 1
    # the opening every call starts with is said once, in the legend each build rewrites; the row keeps its point
    assert book.cells["Today"][schema.TODAY_HOWTO_CELL] == schema.TODAY_HOWTO and "say first your name" in schema.TODAY_HOWTO
    assert "Say first" not in rows[0]["What to do"] and q.calls[0].message.startswith("Say first")


def test_today_with_a_bad_sequence_edit_keeps_the_old_plan_and_says_so() -> None:
    book = two_phone_book()
    service.today(book, at("2026-11-25T09:15"), FakeGate())
    book.tables["tblSequence"][0]["Channel"] = "telegram"
    q = service.today(book, at("2026-11-25T09:16"), FakeGate())
    assert len(q.calls) == 2 and "telegram" in q.warnings[0]


def test_rebuild_gives_the_same_lead_table() -> None:
    book = two_phone_book()
    log(book, "2026-11-25T09:20", "bad-number")
    log(book, "2026-11-25T09:25", "call-back", follow_up=at("2026-11-27T10:00"))
    log(book, "2026-11-25T09:40", "no-answer", lead="L2")
    log(book, "2026-11-26T10:00", "sent", channel="text", lead="L2")
    service.undo(book, at=at("2026-11-26T10:01"), gate=FakeGate())
    before = (book.read_records("tblLeads"), book.read_records("tblPhones"))
    for r in book.tables["tblLeads"]:
        r.update({"TouchCount": None, "Status": "New", "NextDue": None, "NextStep": None, "CallBackAt": None})
    for p in book.tables["tblPhones"]:
        p["PhoneStatus"] = "Active"
    assert service.rebuild(book, at("2026-11-27T08:00"), FakeGate()) == 2
    assert (book.read_records("tblLeads"), book.read_records("tblPhones")) == before


def test_log_needs_an_aware_time() -> None:
    with pytest.raises(BadInput, match="no time zone"):
        service.log_touch(two_phone_book(), "L1", "call", "no-answer", datetime(2026, 11, 25, 9), gate=FakeGate())


def test_touch_ids_continue_after_the_highest() -> None:
    book = two_phone_book()
    book.tables["tblTouches"].append({"TouchId": "T0000041", "LeadId": "L2", "At": datetime(2026, 11, 24, 9), "Channel": "call", "Outcome": "no-answer"})
    assert log(book, "2026-11-25T09:20").touch_id == "T0000042"
    assert NY.utcoffset(datetime(2026, 11, 25)) == timedelta(hours=-5)
