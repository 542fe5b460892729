"""Which steps a lead owes on a day, and when its next action is (pure: a fake gate, no workbook)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from test_sequence_fakes import NY, FakeGate, at, lead_row, number_for, phone_rows

from relist.leads import lead_from_record, phone_from_record
from relist.model import Lead
from relist.sequence.outcomes import replay
from relist.sequence.plan import default_plan
from relist.sequence.scheduler import (
    LeadState,
    assign_step,
    due_on,
    lead_state,
    next_action,
    pending,
)
from relist.sequence.touches import TouchRow

START = date(2026, 11, 23)  # a Monday
PLAN = default_plan()


def make_lead(phones: int = 1, kind: str = "mobile", **kw: Any) -> Lead:
    row = lead_row("L1", START, **kw)
    recs = phone_rows("L1", [number_for(1, p) for p in range(1, phones + 1)], kind=kind)
    return lead_from_record(row, [p for p in map(phone_from_record, recs) if p], NY)


class Log:
    """Touches for one lead, written the way the service writes them."""

    def __init__(self) -> None:
        self.rows: list[TouchRow] = []
        self.undone: set[str] = set()

    def add(self, when: str, channel: str, outcome: str, step: int | None = None, phone: str = "", follow: str | None = None) -> str:
        tid = f"T{len(self.rows) + 1:07d}"
        moment = datetime.fromisoformat(when)
        self.rows.append(
            TouchRow(tid, "L1", moment, channel, step, outcome, phone or None, datetime.fromisoformat(follow) if follow else None, None)
        )
        return tid

    def state(self, lead: Lead | None = None) -> LeadState:
        return lead_state(lead or make_lead(), sorted(self.rows, key=lambda t: t.at), self.undone, PLAN, NY)


def day(n: int) -> date:
    return START + timedelta(days=n)


def due_steps(state: LeadState, n: int) -> list[tuple[str, int | None]]:
    return [(d.channel, d.step.step if d.step else None) for d in due_on(PLAN, state, day(n))]


def test_day_zero_the_call_comes_first_and_the_text_waits_for_it() -> None:
    log = Log()
    assert due_steps(log.state(), 0) == [("call", 1)]
    log.add("2026-11-23T09:10", "call", "no-answer", 1)
    assert due_steps(log.state(), 0) == [("text", 2)]


def test_a_missed_step_stays_due_while_later_steps_come_due_on_their_days() -> None:
    state = Log().state()
    assert due_steps(state, 1) == [("call", 1), ("text", 2)]
    assert due_steps(state, 2) == [("call", 1), ("text", 2), ("letter", 4)]
    assert due_steps(state, 4) == [("call", 1), ("text", 2), ("letter", 4), ("door", 5)]
    overdue = due_on(PLAN, state, day(4))[0]
    assert overdue.due_date == day(0)


def test_at_most_one_call_and_one_text_a_day() -> None:
    log = Log()
    log.add("2026-11-24T09:00", "call", "no-answer", 1)  # day 1: step 1, late
    log.add("2026-11-24T09:05", "text", "sent", 2)
    assert due_steps(log.state(), 1) == []  # step 3 (day 1) is owed but the lead was called today
    assert due_steps(log.state(), 2) == [("call", 3), ("letter", 4)]


def test_the_eight_steps_then_nurture() -> None:
    log = Log()
    for n, (ch, outcome, step) in {
        0: ("call", "no-answer", 1),
        1: ("call", "voicemail", 3),
        2: ("letter", "sent", 4),
        4: ("door", "hanger-left", 5),
        6: ("call", "no-answer", 6),
        8: ("email", "sent", 7),
        10: ("call", "no-answer", 8),
    }.items():
        log.add(f"{day(n)}T10:00", ch, outcome, step)
        if n == 0:
            log.add(f"{day(0)}T10:05", "text", "sent", 2)
    state = log.state()
    assert [(s.step, d) for s, d in pending(PLAN, state)] == [(9, day(40)), (10, day(70))]
    assert all(due_steps(state, n) == [] for n in range(11, 40))
    assert due_steps(state, 40) == [("call", 9)]
    log.add(f"{day(40)}T11:00", "call", "no-answer", 9)
    assert [(s.step, d) for s, d in pending(PLAN, log.state())] == [(9, day(70)), (10, day(70))]
    nxt = next_action(PLAN, log.state(), FakeGate(), NY)
    assert nxt is not None and nxt.kind == "nurture"
    assert (nxt.step, nxt.due) == (10, datetime(2026, 11, 23, 9, tzinfo=NY) + timedelta(days=70))  # letters go at 09:00


def test_not_interested_drops_the_rest_of_the_main_steps() -> None:
    log = Log()
    log.add(f"{day(0)}T09:30", "call", "not-interested", 1)
    state = log.state()
    assert state.history.status == "Nurture"
    assert [s.step for s, _ in pending(PLAN, state)] == [9, 10]
    assert [d for _, d in pending(PLAN, state)] == [day(40), day(60)]


def test_a_call_back_replaces_the_calls_until_the_time_asked_for() -> None:
    log = Log()
    log.add(f"{day(0)}T09:30", "call", "call-back", 1, follow=f"{day(3)}T15:00")
    state = log.state()
    # no call on day 1 or 2: they asked for day 3; and no "I tried to call" text: they were reached
    assert due_steps(state, 1) == []
    assert ("call", 3) not in due_steps(state, 2)
    cb = [d for d in due_on(PLAN, state, day(3)) if d.channel == "call"]
    assert cb[0].kind == "call-back" and cb[0].step is not None and cb[0].step.step == 3
    assert cb[0].call_back_at == datetime(2026, 11, 26, 15, 0)
    log.add(f"{day(3)}T15:02", "call", "no-answer", 3)
    assert log.state().history.call_back_at is None


def test_a_call_back_outside_the_window_is_clamped_into_it() -> None:
    log = Log()
    log.add(f"{day(0)}T09:30", "call", "call-back", 1, follow=f"{day(1)}T22:30")
    log.add(f"{day(0)}T09:35", "text", "sent", 2)
    nxt = next_action(PLAN, log.state(), FakeGate(), NY)
    assert nxt is not None and nxt.kind == "call-back" and nxt.channel == "call"
    assert nxt.due == datetime(2026, 11, 25, 8, 0, tzinfo=NY)


def test_a_bad_number_moves_to_the_next_phone_and_the_step_stays_owed() -> None:
    lead = make_lead(phones=2)
    log = Log()
    log.add(f"{day(0)}T09:10", "call", "bad-number", 1, phone=number_for(1, 1))
    state = log.state(lead)
    assert [p.status for p in state.lead.phones] == ["Bad", "Active"]
    assert due_steps(state, 0) == [("call", 1)]  # same day, next number
    assert assign_step(PLAN, state, "call") == 1
    log.add(f"{day(0)}T09:12", "call", "wrong-person", 1, phone=number_for(1, 2))
    state = log.state(lead)
    assert [p.status for p in state.lead.phones] == ["Bad", "Retired"]
    assert [s.channel for s, _ in pending(PLAN, state)] == ["letter", "door", "email"]  # no phone left: no calls, no texts


def test_undoing_a_bad_number_gives_the_phone_back() -> None:
    lead = make_lead(phones=1)
    log = Log()
    tid = log.add(f"{day(0)}T09:10", "call", "bad-number", 1, phone=number_for(1, 1))
    log.undone.add(tid)
    bad_row = lead_from_record(lead_row("L1", START), [p for p in map(phone_from_record, phone_rows("L1", [number_for(1, 1)])) if p], NY)
    bad_row = bad_row.__class__(**{**bad_row.__dict__, "phones": tuple(p.__class__(**{**p.__dict__, "status": "Bad"}) for p in bad_row.phones)})
    state = log.state(bad_row)
    assert [p.status for p in state.lead.phones] == ["Active"] and state.history.touch_count == 0
    assert lead.phones[0].status == "Active"


def test_closing_outcomes_end_the_sequence() -> None:
    for outcome, status in (("listed-with-me", "Listed"), ("relisted-other", "Relisted"), ("dnc-request", "DNC")):
        log = Log()
        log.add(f"{day(0)}T09:30", "call", outcome, 1)
        state = log.state()
        assert state.history.status == status and state.history.closed
        assert pending(PLAN, state) == [] and due_on(PLAN, state, day(5)) == []
        assert next_action(PLAN, state, FakeGate(), NY) is None


def test_a_do_not_call_request_outlives_a_new_listing_cycle() -> None:
    rows = [TouchRow("T1", "L1", datetime(2026, 1, 5, 10), "text", 2, "opt-out", None, None, None)]
    h = replay(rows, set(), date(2026, 11, 23), "New")
    assert h.closed and h.status == "DNC"
    rows = [TouchRow("T1", "L1", datetime(2026, 1, 5, 10), "call", 1, "listed-with-me", None, None, None)]
    h = replay(rows, set(), date(2026, 11, 23), "New")  # listed last cycle, expired again: open again
    assert not h.closed and h.touch_count == 1 and h.done == {}


def test_a_closed_status_set_by_hand_stays_and_one_the_log_explains_follows_the_log() -> None:
    assert replay([], set(), START, "Dead").closed
    assert replay([], set(), START, "DNC").status == "DNC"
    listed = [TouchRow("T1", "L1", datetime(2026, 11, 23, 10), "call", 1, "listed-with-me", None, None, None)]
    undone = replay(listed, {"T1"}, START, "Listed")
    assert undone.status == "New" and not undone.closed


def test_an_appointment_pauses_the_plan_until_after_the_appointment() -> None:
    log = Log()
    log.add(f"{day(0)}T09:30", "call", "appointment", 1, follow=f"{day(3)}T18:00")
    state = log.state()
    assert state.history.status == "Appointment" and state.history.appointment_at == datetime(2026, 11, 26, 18)
    assert [(s.step, d) for s, d in pending(PLAN, state)] == [(9, day(40)), (10, day(63))]


def test_channels_the_lead_cannot_receive_are_skipped() -> None:
    state = Log().state(make_lead(email=None, kind="landline"))
    channels = [s.channel for s, _ in pending(PLAN, state)]
    assert "email" not in channels and "text" not in channels and "call" in channels


def test_next_action_is_placed_at_the_first_legal_moment() -> None:
    lead = make_lead(state="LA")
    log = Log()
    log.add(f"{day(0)}T09:00", "call", "no-answer", 1)
    log.add(f"{day(0)}T09:05", "text", "sent", 2)
    log.add(f"{day(1)}T17:30", "call", "no-answer", 3)
    log.add(f"{day(2)}T09:00", "letter", "sent", 4)
    log.add(f"{day(4)}T16:00", "door", "hanger-left", 5)
    # step 6 is a call on day 6 = Sunday 29 Nov at 10:00: banned in LA, so Monday 08:00
    gate = FakeGate()
    nxt = next_action(PLAN, log.state(lead), gate, NY)
    assert nxt is not None and nxt.step == 6
    assert nxt.due == datetime(2026, 11, 30, 8, 0, tzinfo=NY)
    assert gate.allowed_at(lead, "call", nxt.due)


def test_next_action_skips_a_channel_compliance_blocks_for_good() -> None:
    lead = make_lead()
    gate = FakeGate(blocked_numbers=[number_for(1, 1)])
    nxt = next_action(PLAN, Log().state(lead), gate, NY)
    assert nxt is not None and nxt.channel == "letter" and nxt.step == 4
    assert nxt.due == at("2026-11-25T09:00")
