"""The DNC sheet: opt-out words, requests from every channel, removals that are logged, scrubs, audit rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from tests.identity import give_identity
from tests.unit.test_compliance_support import NY, make_ctx, make_lead, write_registry

from relist.compliance.audit import audit_rows
from relist.compliance.internal_dnc import (
    add_entry,
    check_number,
    is_opt_out,
    keep_until,
    read_dnc_state,
    record_dnc_request,
    record_scrub,
    remove_entry,
)
from relist.compliance.registry import Registry
from relist.compliance.scrub import scrub_and_record, scrub_numbers
from relist.compliance.verdict import evaluate, load_context
from relist.errors import BadInput, NotFound
from relist.model import Phone
from relist.workbook.memory import MemoryWorkbook

AT = datetime(2026, 6, 3, 11, 0, tzinfo=NY)


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop", "Stop.", "QUIT", "end", "Revoke", "OPT OUT", "opt-out", "optout", "Cancel", "UNSUBSCRIBE",
     "please stop texting me", "Don't call me again", "remove me from your list", "STOP2END"[:4]],
)
def test_opt_out_words(text: str) -> None:
    assert is_opt_out(text)


@pytest.mark.parametrize("text", ["", "Yes, call me tomorrow", "How much is my home worth?", "weekend works", "stopover", "Sounds good"])
def test_not_opt_out(text: str) -> None:
    assert not is_opt_out(text)


def test_keep_until_is_five_years() -> None:
    assert keep_until(date(2026, 6, 3)) == date(2031, 6, 3)
    assert keep_until(date(2028, 2, 29)) == date(2033, 2, 28)


def lead_book() -> MemoryWorkbook:
    return give_identity(MemoryWorkbook({
        "tblLeads": [{"LeadId": "L1", "Email": "Owner@Example.com"}, {"LeadId": "L2"}],
        "tblPhones": [
            {"PhoneId": "L1-1", "LeadId": "L1", "Position": 1, "Phone": "+18135550142"},
            {"PhoneId": "L1-2", "LeadId": "L1", "Position": 2, "Phone": "+18135550143", "VendorDNC": True},
        ],
    }), save=False)


def test_a_call_request_lists_every_number_of_the_owner() -> None:
    book = lead_book()
    lead = make_lead(phones=["+18135550142", "+18135550143"], email="owner@example.com")
    ids = record_dnc_request(book, lead, "call", "call outcome", AT, "said do not call")
    rows = book.tables["tblDNC"]
    assert ids == ["DNC000001", "DNC000002"] and [r["Phone"] for r in rows] == ["+18135550142", "+18135550143"]
    assert all(r["KeepUntil"] == date(2031, 6, 3) and r["AddedAt"] == datetime(2026, 6, 3, 11, 0) for r in rows)
    assert book.tables["tblScrubs"][-1]["Event"] == "dnc-add"
    state = read_dnc_state(book, NY)
    assert state.phones == {"+18135550142", "+18135550143"} and state.requests["L1"] == AT and not state.emails
    # a repeated request adds no duplicate number, but is still recorded
    record_dnc_request(book, lead, "text", "text reply", AT + timedelta(hours=1), "STOP")
    assert len(book.tables["tblDNC"]) == 3 and book.tables["tblDNC"][-1].get("Phone") is None


def test_an_email_unsubscribe_stops_email_only() -> None:
    book = lead_book()
    lead = make_lead(phones=["+18135550142"], email="Owner@Example.com")
    record_dnc_request(book, lead, "email", "email unsubscribe", AT, "unsubscribe link")
    state = read_dnc_state(book, NY)
    assert state.emails == {"owner@example.com"} and not state.phones and "L1" not in state.requests


def test_requests_from_the_touch_log_count_and_undo_and_removal_cancel_them() -> None:
    book = MemoryWorkbook({
        "tblLeads": [{"LeadId": "L1", "Email": "a@b.co"}, {"LeadId": "L2"}, {"LeadId": "L3", "Email": "c@d.co"}],
        "tblTouches": [
            {"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 1, 10), "Channel": "call", "Outcome": "dnc-request"},
            {"TouchId": "T2", "LeadId": "L2", "At": datetime(2026, 6, 1, 10), "Channel": "text", "Outcome": "opt-out"},
            {"TouchId": "T3", "LeadId": "L2", "At": datetime(2026, 6, 1, 10, 5), "Channel": "text", "UndoOf": "T2"},
            {"TouchId": "T4", "LeadId": "L3", "At": datetime(2026, 6, 1, 10), "Channel": "email", "Outcome": "opt-out"},
            {"TouchId": "T5", "LeadId": "L3", "At": datetime(2026, 6, 2, 10), "Channel": "call", "Outcome": "no-answer"},
        ],
    })
    state = read_dnc_state(book, NY)
    assert set(state.requests) == {"L1"} and state.emails == {"c@d.co"}
    assert state.contact_log["L3"] == ((datetime(2026, 6, 2, 10, tzinfo=NY), "call"),)
    assert "L2" not in state.contact_log  # the undone text and the undo row do not count
    book.append_rows("tblDNC", [{"DncId": "DNC000001", "LeadId": "L1", "Phone": "+18135550142", "Channel": "call",
                                 "AddedAt": datetime(2026, 6, 1, 10), "RemovedAt": datetime(2026, 6, 2, 9), "RemovedReason": "written consent"}])
    assert "L1" not in read_dnc_state(book, NY).requests


def test_add_and_remove_are_logged_and_append_only() -> None:
    book = lead_book()
    row = add_entry(book, "(813) 555-0150", "asked on the phone", AT)
    assert row is not None and row["Phone"] == "+18135550150"
    assert add_entry(book, "8135550150", "again", AT) is None
    assert add_entry(book, "Owner@Example.com", "unsubscribed by phone", AT)["Email"] == "owner@example.com"  # type: ignore[index]
    ids = remove_entry(book, "+1 813 555 0150", "signed written permission", AT + timedelta(days=1))
    assert ids == ["DNC000001"]
    r = book.tables["tblDNC"][0]
    assert r["RemovedReason"] == "signed written permission" and r["RemovedAt"] == datetime(2026, 6, 4, 11, 0)
    assert len(book.tables["tblDNC"]) == 2  # the row stays
    events = [e["Event"] for e in book.tables["tblScrubs"]]
    assert events == ["dnc-add", "dnc-add", "dnc-remove"]
    with pytest.raises(NotFound, match="not on the DNC sheet"):
        remove_entry(book, "8135550150", "again", AT)
    with pytest.raises(BadInput, match="needs a reason"):
        remove_entry(book, "owner@example.com", "  ", AT)
    with pytest.raises(BadInput, match="needs a reason"):
        add_entry(book, "8135550151", "", AT)
    with pytest.raises(BadInput, match="not a US phone number"):
        add_entry(book, "12345", "x", AT)
    with pytest.raises(BadInput, match="not an email address"):
        add_entry(book, "a@b", "x", AT)


def test_check_number_reports_every_source(tmp_path: Path) -> None:
    book = lead_book()
    reg = write_registry(tmp_path / "r", {"813": [5550142]}, date(2026, 6, 1))
    add_entry(book, "8135550142", "asked", AT)
    c = check_number(book, "813-555-0142", AT, reg)
    assert c.blocked and c.internal and c.on_registry and c.registry_state == "fresh"
    c = check_number(book, "8135550143", AT, reg)
    assert c.blocked and c.vendor_flagged_by == ("L1",) and not c.on_registry
    c = check_number(book, "8135550199", AT, reg)
    assert not c.blocked
    assert check_number(book, "3055550199", AT, reg).registry_state == "missing"
    assert check_number(book, "3055550199", AT, reg).blocked


def test_a_request_blocks_every_later_call_and_text_through_the_workbook(tmp_path: Path) -> None:
    book = lead_book()
    write_registry(tmp_path / "r", {"813": []}, date(2026, 6, 1))
    lead = make_lead(phones=["+18135550142"])
    assert evaluate(lead, "call", AT, load_context(book, AT, tmp_path / "r")).allowed
    record_dnc_request(book, lead, "door", "note at the door", AT, "no soliciting")
    ctx = load_context(book, AT, tmp_path / "r")
    newer = make_lead(phones=["+18135550142", Phone("+18135550188", 2)])  # a number found later
    for ch in ("call", "text"):
        v = evaluate(newer, ch, AT + timedelta(minutes=1), ctx)
        assert not v.allowed and {"internal-dnc", "dnc-request"} & {r.rule for r in v.blocking}
    assert evaluate(newer, "letter", AT, ctx).allowed  # letters go on


def test_record_scrub_and_scrub_numbers(tmp_path: Path) -> None:
    book = lead_book()
    reg = write_registry(tmp_path / "r", {"813": [5550100], "727": []}, date(2026, 5, 20))
    ctx = make_ctx(reg, internal_phones={"+17275550100"})
    result = scrub_numbers(ctx, ["813-555-0100", "8135550101", "+17275550100", "3055550100", "bad", "8135550101"], AT)
    assert result.checked == 5
    assert set(result.blocked) == {"+18135550100", "+17275550100", "+13055550100", "bad"}
    assert "not in the registry copy" in result.blocked["+13055550100"][0]
    assert result.registry_date == date(2026, 5, 20)
    stale = scrub_numbers(ctx, ["8135550101"], AT + timedelta(days=40))
    assert "more than 31" in stale.blocked["+18135550101"][0]
    scrub_and_record(book, ctx, ["8135550101", "8135550100"], AT, "Today's queue")
    row = book.tables["tblScrubs"][-1]
    assert (row["Event"], row["Checked"], row["Blocked"], row["RegistryDate"], row["Detail"]) == ("scrub", 2, 1, date(2026, 5, 20), "Today's queue")
    record_scrub(book, AT, 10, 3, None, "manual")
    assert book.tables["tblScrubs"][-1]["Checked"] == 10
    assert Registry.empty().oldest_download() is None


def test_audit_rows_cover_calls_scrubs_and_dnc_changes() -> None:
    book = lead_book()
    book.append_rows("tblTouches", [
        {"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 2, 9, 30), "Channel": "call", "Outcome": "no-answer",
         "Phone": "+18135550142", "DurationSec": 25, "Who": "Alex", "Subject": "expired listing"},
        {"TouchId": "T2", "LeadId": "L1", "At": datetime(2026, 6, 2, 9, 40), "Channel": "letter", "Outcome": "sent"},
        {"TouchId": "T3", "LeadId": "L1", "At": datetime(2026, 7, 2, 9, 40), "Channel": "call", "Outcome": "spoke"},
    ])
    record_scrub(book, AT, 4, 1, date(2026, 5, 30), "queue")
    add_entry(book, "8135550150", "asked", AT)
    remove_entry(book, "8135550150", "consent", AT + timedelta(hours=2))
    export = audit_rows(book, date(2026, 6, 1), date(2026, 6, 30), NY, "Alex Morgan")
    assert [r["Kind"] for r in export.rows] == ["call", "dnc-add", "scrub", "dnc-remove"]
    call = export.rows[0]
    assert (call["Number"], call["DurationSec"], call["Who"], call["Subject"], call["AtUtc"]) == (
        "+18135550142", 25, "Alex", "expired listing", "2026-06-02T13:30:00Z")
    text = export.to_csv()
    assert text.splitlines()[0].startswith("Kind,At,AtUtc,LeadId,Number") and "2026-05-30" in text
    with pytest.raises(BadInput, match="before --from"):
        audit_rows(book, date(2026, 6, 30), date(2026, 6, 1), NY)
