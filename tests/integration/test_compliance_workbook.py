"""Compliance through the real file adapter: a request written to a saved .xlsx blocks after reopening."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from tests.identity import agent_workbook

from relist.compliance.internal_dnc import record_dnc_request, record_scrub
from relist.compliance.registry_files import load_files
from relist.compliance.verdict import evaluate, load_context, next_allowed, registry_dir_for
from relist.leads import load_leads
from relist.settings import load as load_settings
from relist.workbook import open_workbook


def test_request_scrub_and_context_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "Agent.xlsx"
    agent_workbook(path)
    book = open_workbook(path)
    tz = load_settings(book).tz
    at = datetime(2026, 6, 3, 11, 0, tzinfo=tz)
    book.append_rows("tblLeads", [{"LeadId": "L1", "Status": "New", "State": "FL", "PostalCode": "33602",
                                   "ListingStatus": "Expired", "Contactable": True, "Email": "o@example.com"}])
    book.append_rows("tblPhones", [{"PhoneId": "L1-1", "LeadId": "L1", "Position": 1, "Phone": "+18135550142", "PhoneStatus": "Active"}])
    book.append_rows("tblTouches", [{"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 3, 9, 0), "Channel": "call", "Outcome": "no-answer"}])
    book.save()
    assert registry_dir_for(book) == tmp_path / "Agent.dnc"
    src = tmp_path / "813.txt"
    src.write_text("813,5550100\n")
    load_files(tmp_path / "Agent.dnc", [src], at, at.date(), date(2026, 6, 1))

    book = open_workbook(path)
    lead = load_leads(book, tz)[0]
    ctx = load_context(book, at)
    assert ctx.registry.areas["813"].count == 1 and ctx.contact_log["L1"][0][1] == "call"
    assert evaluate(lead, "call", at, ctx).allowed
    record_dnc_request(book, lead, "text", "text reply", at, "STOP")
    record_scrub(book, at, 1, 0, date(2026, 6, 1), "check")
    book.save()

    book = open_workbook(path)
    dnc = book.read_records("tblDNC")
    assert dnc[0]["Phone"] == "+18135550142" and dnc[0]["KeepUntil"] == date(2031, 6, 3) and dnc[0]["Channel"] == "text"
    assert [s["Event"] for s in book.read_records("tblScrubs")] == ["dnc-add", "scrub"]
    ctx = load_context(book, at + timedelta(minutes=5))
    later = at + timedelta(days=30)
    v = evaluate(lead, "call", later, ctx)
    assert not v.allowed and {"internal-dnc", "dnc-request"} <= {r.rule for r in v.blocking}
    assert next_allowed(lead, "text", later, ctx) is None
    assert evaluate(lead, "email", later, ctx).allowed
