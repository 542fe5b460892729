"""Hypothesis: random leads worked with random outcomes keep the sequence's promises.

- no scheduled call or text lands outside the lead's legal window or on a banned day;
- a lead with an open sequence has a next step and a due time, a closed one has neither;
- a do-not-call request ends every later call and text;
- replaying the touch log gives the same lead table.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sequence_fakes import NY, FakeGate, book_with, lead_row, number_for, phone_rows

from relist.errors import BadInput, NotFound
from relist.leads import load_leads
from relist.model import CLOSED_LEAD_STATUSES
from relist.sequence import service
from relist.sequence.outcomes import RULES, closed_by_row, outcomes_for, replay
from relist.sequence.plan import default_plan
from relist.sequence.queue import build_queue
from relist.sequence.scheduler import due_on, lead_state
from relist.sequence.touches import parse_touches
from relist.workbook.memory import MemoryWorkbook

BASE = date(2026, 11, 23)
PLAN = default_plan()
DERIVED = ("Status", "TouchCount", "LastTouchAt", "LastOutcome", "NextStep", "NextChannel", "NextDue", "NextDueLeadLocal", "AppointmentAt", "CallBackAt", "BestPhone")

lead_spec = st.tuples(
    st.sampled_from(["FL", "LA"]),  # the fake bans Sunday calls and texts in LA
    st.integers(min_value=0, max_value=5),  # days before BASE the sequence started
    st.integers(min_value=0, max_value=2),  # phones
    st.booleans(),  # has an email
)
action = st.one_of(
    st.tuples(
        st.just("log"),
        st.integers(min_value=0, max_value=3),  # lead
        st.integers(min_value=0, max_value=14),  # day
        st.integers(min_value=7 * 60, max_value=22 * 60),  # minute of the day
        st.sampled_from(["call", "text", "letter", "door", "email"]),
        st.integers(min_value=0, max_value=20),  # which outcome of the channel
        st.integers(min_value=1, max_value=120),  # follow-up, hours later
    ),
    st.tuples(
        st.just("work"),  # the agent works the day's queue, one scripted outcome per entry
        st.integers(min_value=0, max_value=14),
        st.integers(min_value=7 * 60, max_value=20 * 60),
        st.integers(min_value=0, max_value=20),
        st.integers(min_value=1, max_value=120),
    ),
    st.tuples(st.just("undo")),
)


def make_book(specs: list[tuple[str, int, int, bool]]) -> MemoryWorkbook:
    leads, phones = [], []
    for i, (state, back, n_phones, has_email) in enumerate(specs, start=1):
        lid = f"L{i}"
        leads.append(lead_row(lid, BASE - timedelta(days=back), state=state, email="o@example.com" if has_email else None))
        phones += phone_rows(lid, [number_for(i, p) for p in range(1, n_phones + 1)])
    return book_with(leads, phones)


def work(book: MemoryWorkbook, specs: list[Any], actions: list[Any], gate: FakeGate) -> None:
    for a in actions:
        if a[0] == "undo":
            with contextlib.suppress(NotFound):
                service.undo(book, at=datetime.combine(BASE + timedelta(days=15), datetime.min.time(), tzinfo=NY), gate=gate)
            continue
        if a[0] == "work":
            _, day, minute, pick, later = a
            when = datetime.combine(BASE + timedelta(days=day), datetime.min.time(), tzinfo=NY) + timedelta(minutes=minute)
            q = service.today(book, when, gate)
            for n, e in enumerate(q.calls + q.texts + q.letters + q.doors + q.emails):
                outcomes = outcomes_for(e.channel)
                moment = max(when, e.window_start or when) + timedelta(minutes=n)
                with contextlib.suppress(BadInput):
                    service.log_touch(book, e.lead_id, e.channel, outcomes[(pick + n) % len(outcomes)], moment, follow_up=moment + timedelta(hours=later), gate=gate)
            continue
        _, who, day, minute, channel, pick, later = a
        lid = f"L{who % len(specs) + 1}"
        outcomes = outcomes_for(channel)
        outcome = outcomes[pick % len(outcomes)]
        when = datetime.combine(BASE + timedelta(days=day), datetime.min.time(), tzinfo=NY) + timedelta(minutes=minute)
        with contextlib.suppress(BadInput):  # e.g. bad-number on a lead without a usable phone: refused, nothing written
            service.log_touch(book, lid, channel, outcome, when, follow_up=when + timedelta(hours=later), gate=gate)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lead_spec, min_size=1, max_size=4), st.lists(action, max_size=14))
def test_the_sequence_keeps_its_promises(specs: list[Any], actions: list[Any]) -> None:
    gate = FakeGate()
    book = make_book(specs)
    service.today(book, datetime(2026, 11, 23, 6, 0, tzinfo=NY), gate)  # the morning after the import
    work(book, specs, actions, gate)
    leads = {ld.lead_id: ld for ld in load_leads(book, NY)}
    log = parse_touches(book.read_records("tblTouches"))

    for row in book.read_records("tblLeads"):
        lead = leads[row["LeadId"]]
        closed = row["Status"] in CLOSED_LEAD_STATUSES
        if closed:
            assert row["NextStep"] is None and row["NextDue"] is None and row["NextChannel"] is None
        else:
            assert row["NextStep"] is not None and row["NextDue"] is not None, row
        if row["NextChannel"] in ("call", "text"):
            due = row["NextDue"].replace(tzinfo=NY)
            assert gate.allowed_at(lead, row["NextChannel"], due), (row["LeadId"], row["NextChannel"], due)

    for day in range(0, 20, 3):
        moment = datetime.combine(BASE + timedelta(days=day), datetime.min.time(), tzinfo=NY) + timedelta(hours=6)
        q = build_queue(list(leads.values()), PLAN, log, moment, gate, NY, 80)
        for e in q.calls + q.texts + q.overflow:
            assert e.window_start is not None and gate.allowed_at(leads[e.lead_id], e.channel, e.window_start)

    for lid, lead in leads.items():
        stops = [t for t in log.effective(lid) if t.outcome in ("dnc-request", "opt-out")]
        if not stops:
            continue
        state = lead_state(lead, log.for_lead(lid), log.undone, PLAN, NY)
        first = min(t.at for t in stops).date()
        for n in range(0, 45):
            assert not [d for d in due_on(PLAN, state, first + timedelta(days=n)) if d.channel in ("call", "text")]
        assert book.read_records("tblLeads")[int(lid[1:]) - 1]["NextChannel"] not in ("call", "text")

    before = (book.read_records("tblLeads"), book.read_records("tblPhones"))
    for r in book.tables["tblLeads"]:
        r.update(dict.fromkeys(DERIVED[1:]))
        r["Status"] = "New" if r["Status"] not in ("Dead", "Not contactable") else r["Status"]
    for p in book.tables["tblPhones"]:
        p["PhoneStatus"] = "Active"
    service.rebuild(book, datetime(2026, 12, 31, tzinfo=NY), gate)
    assert (book.read_records("tblLeads"), book.read_records("tblPhones")) == before


_row_status = st.sampled_from(["", "New", "Working", "Nurture", "Appointment", "Listed", "Relisted", "Dead", "DNC", "Not contactable", " Relisted "])
_logged = st.lists(
    st.tuples(st.sampled_from(sorted(RULES)), st.integers(0, 90), st.booleans(), st.sampled_from([None, 1, 2, 9])), max_size=10
)


@settings(max_examples=300, deadline=None)
@given(row=_row_status, logged=_logged, start_back=st.integers(0, 120))
def test_a_lead_skipped_as_closed_by_its_row_is_closed_by_replay(row: str, logged: list[tuple[str, int, bool, int | None]], start_back: int) -> None:
    """The queue skips replaying a lead whose closed row status no touch explains: replay must agree it is closed."""
    from relist.sequence.touches import TouchRow

    day0 = datetime(2026, 8, 1, 10, 0)
    touches = [
        TouchRow(f"T{n:07d}", "L1", day0 + timedelta(days=d), "call", step, outcome, "+18135550142", None, None)
        for n, (outcome, d, _undo, step) in enumerate(sorted(logged, key=lambda x: x[1]), 1)
    ]
    undone = {t.touch_id for t, (_o, _d, undo, _s) in zip(touches, sorted(logged, key=lambda x: x[1]), strict=True) if undo}
    history = replay(touches, undone, (day0 + timedelta(days=start_back)).date(), row, {1, 2})
    if closed_by_row(row, touches):
        assert history.closed
    if row.strip() in ("Dead", "Not contactable"):
        assert closed_by_row(row, touches)
