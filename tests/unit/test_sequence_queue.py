"""Today's queue from leads, plan and touch log (pure, with the fake gate)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from test_sequence_fakes import NY, FakeGate, at, lead_row, number_for, phone_rows

from relist import schema
from relist.leads import lead_from_record, phone_from_record
from relist.model import Lead
from relist.sequence.plan import default_plan
from relist.sequence.queue import SECTIONS, Queue, build_queue, phone_display, route_key
from relist.sequence.touches import parse_touches
from relist.workbook.writer import wrapped_lines

PLAN = default_plan()
DAY = date(2026, 11, 25)  # a Wednesday
MORNING = at("2026-11-25T09:15")


def lead(lead_id: str, start: date, phones: list[str] | None = None, kind: str = "mobile", **kw: Any) -> Lead:
    n = int(lead_id[1:])
    recs = phone_rows(lead_id, phones if phones is not None else [number_for(n)], kind=kind)
    return lead_from_record(lead_row(lead_id, start, **kw), [p for p in map(phone_from_record, recs) if p], NY)


def touches(*rows: tuple[str, str, str, str, int | None]) -> list[dict[str, Any]]:
    return [
        {"TouchId": f"T{i:07d}", "LeadId": lid, "At": datetime.fromisoformat(when), "Channel": ch, "Outcome": out, "Step": step}
        for i, (lid, when, ch, out, step) in enumerate(rows, start=1)
    ]


def build(leads: list[Lead], log: list[dict[str, Any]] | None = None, when: datetime = MORNING, capacity: int = 80, gate: FakeGate | None = None) -> Queue:
    return build_queue(leads, PLAN, parse_touches(log or []), when, gate or FakeGate(), NY, capacity, lambda step, ld: f"Hi {ld.owner_first_name}, {step.talking_point if step else ''} Reply STOP to opt out.")


def test_calls_rank_fresh_expireds_oldest_expiry_first_then_follow_ups_then_nurture() -> None:
    fresh_old = lead("L1", DAY, expired_at=datetime(2026, 11, 24, 12, 0))
    fresh_new = lead("L2", DAY, expired_at=datetime(2026, 11, 25, 6, 0))
    follow_up = lead("L3", DAY - timedelta(days=1))
    overdue = lead("L4", DAY - timedelta(days=6))
    nurture = lead("L5", DAY - timedelta(days=40))
    log = touches(
        ("L3", "2026-11-24T10:00", "call", "no-answer", 1),
        ("L3", "2026-11-24T10:05", "text", "sent", 2),
        ("L5", "2026-10-16T10:00", "call", "not-interested", 1),
    )
    q = build([nurture, overdue, follow_up, fresh_new, fresh_old], log)
    assert [(e.lead_id, e.kind) for e in q.calls] == [
        ("L1", "fresh"),
        ("L2", "fresh"),
        ("L4", "follow-up"),
        ("L3", "follow-up"),
        ("L5", "nurture"),
    ]
    first = q.calls[0]
    assert first.rank == 1 and first.phone == number_for(1) and first.link == f"tel:{number_for(1)}"
    assert first.step == 1 and first.touches == 0 and first.hours_since_expiry == 21
    assert first.window == "09:15-21:00 EST" and first.message.startswith("Say first your name, your brokerage")
    assert "Then: Your listing came off the market" in first.message
    # Today's row: the step and its point, without the opening (the legend says it once): 3 lines, not 5
    row = next(r for r in q.rows(NY) if r["LeadId"] == "L1")
    assert row["What to do"] == f"{first.step_name}: {first.point}" and first.point.startswith("Your listing came off the market")
    assert "Say first" not in row["What to do"] and wrapped_lines(row["What to do"], schema.TODAY.column("What to do").width) <= 3
    assert q.calls[2].days_overdue == 6


def test_calls_over_capacity_go_to_overflow_not_away() -> None:
    leads = [lead(f"L{i}", DAY) for i in range(1, 6)]
    log = touches(("L9", "2026-11-25T08:30", "call", "no-answer", 1))
    q = build(leads, log, capacity=3)
    assert q.calls_made_today == 1 and len(q.calls) == 2
    assert [e.lead_id for e in q.overflow] == ["L3", "L4", "L5"]
    assert all("dial capacity (3 calls, 1 already made)" in e.reasons[0] for e in q.overflow)
    assert "3 calls over your daily limit" in q.summary()


def test_blocked_leads_are_shown_with_their_reasons() -> None:
    ok = lead("L1", DAY)
    dnc = lead("L2", DAY)
    gate = FakeGate(blocked_numbers=[number_for(2)])
    q = build([ok, dnc], gate=gate)
    assert [e.lead_id for e in q.calls] == ["L1"]
    blocked = [(e.lead_id, e.channel) for e in q.blocked]
    assert blocked == [("L2", "call")]
    assert q.blocked[0].reasons == (f"{number_for(2)} is on the National DNC Registry",)
    assert q.due == 2 and q.skipped == 1
    assert q.skipped_line() == "1 of 2 due touches skipped, and why: 1 x A number is on the National DNC Registry."
    row = next(r for r in q.rows(NY) if r["Section"] == "blocked")  # Today shows the number as its Phone column does
    assert row["What to do"] == "Skipped today: (813) 555-0021 is on the National DNC Registry"


def test_after_the_window_closes_calls_are_skipped_and_say_when_next() -> None:
    q = build([lead("L1", DAY)], when=at("2026-11-25T21:30"))
    assert q.calls == () and q.blocked[0].reasons == ("outside 08:00-21:00 owner time",)
    assert q.blocked[0].next_allowed == at("2026-11-26T08:00")


def test_before_the_window_opens_the_call_waits_for_it() -> None:
    q = build([lead("L1", DAY)], when=at("2026-11-25T06:30"))
    assert q.calls[0].window_start == at("2026-11-25T08:00") and q.calls[0].window == "08:00-21:00 EST"


def test_sunday_bans_block_calls_in_that_state_only() -> None:
    sunday = at("2026-11-29T10:00")
    q = build([lead("L1", date(2026, 11, 29), state="LA"), lead("L2", date(2026, 11, 29))], when=sunday)
    assert [e.lead_id for e in q.calls] == ["L2"]
    assert q.blocked[0].lead_id == "L1" and "Sunday" in q.blocked[0].reasons[0]


def test_texts_letters_doors_emails_carry_what_the_agent_needs() -> None:
    start = DAY - timedelta(days=8)
    ld = lead("L1", start, MailingAddress="9 Elm Rd", MailingCity="Boston", MailingState="MA", MailingPostalCode="02108")
    log = touches(("L1", f"{start}T10:00", "call", "no-answer", 1))
    q = build([ld], log)
    text = q.texts[0]
    assert text.message == "Hi First1, " + PLAN.steps[1].talking_point + " Reply STOP to opt out."
    assert text.link.startswith(f"sms:{number_for(1)}?body=Hi%20First1%2C%20")
    assert q.letters[0].address == "9 Elm Rd, Boston MA 02108" and q.letters[0].message.startswith("Print 'expired-letter'")
    assert q.doors[0].address == "101 Main St, Tampa FL 33602" and q.doors[0].window == "09:15-20:00 EST"
    email = q.emails[0]
    assert email.address == "owner@example.com" and email.link.startswith("mailto:owner@example.com?subject=Email%20with")


def test_doors_are_in_route_order() -> None:
    start = DAY - timedelta(days=4)
    addresses = {"L1": "14 Oak St", "L2": "7 Oak St", "L3": "3 Oak St", "L4": "20 Oak St", "L5": "5 Birch Ave"}
    leads = [lead(lid, start, address=a) for lid, a in addresses.items()]
    leads.append(lead("L6", start, address="1 Apple Ct", zip_code="33603"))
    q = build(leads)
    assert [e.lead_id for e in q.doors] == ["L5", "L3", "L2", "L4", "L1", "L6"]  # odd side up, even side back
    assert route_key(leads[0])[:4] == ("33602", "oak st", 1, -14)


def test_a_lead_with_no_way_to_reach_it_is_reported() -> None:
    ghost = lead("L1", DAY, phones=[], email=None, address="")
    q = build([ghost])
    assert q.blocked[0].lead_id == "L1" and q.blocked[0].reasons == ("no usable phone, email or address",)


def test_closed_and_not_contactable_leads_are_not_due() -> None:
    listed = lead("L1", DAY - timedelta(days=2))
    relisted = lead("L2", DAY, Contactable=False, ListingStatus="Active")
    log = touches(("L1", "2026-11-23T10:00", "call", "listed-with-me", 1))
    q = build([listed, relisted], log)
    assert q.due == 0 and all(q.section(s) == () for s in SECTIONS)


def test_nothing_is_queued_without_asking_the_gate() -> None:
    gate = FakeGate()
    leads = [lead(f"L{i}", DAY - timedelta(days=i)) for i in range(1, 8)]
    q = build(leads, gate=gate)
    asked = {(lid, ch) for lid, ch, _ in gate.asked}
    queued = [e for s in SECTIONS[:5] for e in q.section(s)]
    assert queued and all((e.lead_id, e.channel) in asked for e in queued)


def test_the_same_input_gives_the_same_queue() -> None:
    leads = [lead(f"L{i}", DAY - timedelta(days=i % 12)) for i in range(1, 30)]
    log = touches(*[(f"L{i}", "2026-11-24T10:00", "call", "no-answer", 1) for i in range(1, 30, 3)])
    a = build(leads, log, capacity=5).to_json()
    b = build(list(reversed(leads)), log, capacity=5).to_json()
    assert a == b


def test_json_has_every_section_and_each_entry_says_what_to_do() -> None:
    q = build([lead("L1", DAY), lead("L2", DAY - timedelta(days=2))], gate=FakeGate(blocked_numbers=[number_for(2)]))
    data = q.to_json()
    assert set(SECTIONS) <= set(data)
    for s in SECTIONS:
        for e in data[s]:
            assert {"lead_id", "phone", "window", "message", "address", "reasons"} <= set(e)
    assert data["summary"]["due"] == q.due and data["summary"]["skipped"] == len(data["blocked"])


def test_today_rows_read_as_plain_words() -> None:
    q = build([lead("L1", DAY)])
    rows = q.rows(NY)
    assert q.headline() == "Wednesday 25 Nov: 1 call - see below" and "0 of 1 due touch skipped" in q.summary()
    call = rows[0]
    assert call["Section"] == "calls" and call["LeadId"] == "L1" and call["Closes"] == datetime(2026, 11, 25, 21, 0)
    assert call["Phone"] == phone_display(call["Phone"].target[4:]) and call["Phone"].target.startswith("tel:+1")
    assert call["Owner's hours"] == "until 9 pm EST" and call["Your hours"] == "until 9 pm"
    assert call["What to do"].startswith(q.calls[0].step_name + ": ")
