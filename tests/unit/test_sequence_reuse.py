"""Reusing the last queue build's parsed log, leads and states gives what building afresh gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from relist.leads import leads_from_columns, phones_by_lead
from relist.sequence.reuse import PHONE_READ, QueueReuse, leads, touch_log
from relist.sequence.touches import TOUCH_COLUMNS, TouchLog, parse_touch_columns

NY = ZoneInfo("America/New_York")
DAY = datetime(2026, 11, 1, 9, 0)

_row = st.tuples(st.sampled_from(["L1", "L2", "L3", None]), st.integers(0, 500), st.sampled_from(["no-answer", "sent", "undo"]),
                 st.integers(0, 20), st.booleans())


def _columns(rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {c: [] for c in TOUCH_COLUMNS}
    for n, (lead, minutes, outcome, target, _) in enumerate(rows, 1):
        values = {"TouchId": f"T{n:07d}", "LeadId": lead, "At": DAY + timedelta(minutes=minutes), "Channel": "call", "Step": 1,
                  "Outcome": outcome, "Phone": None, "FollowUpAt": None, "UndoOf": f"T{target:07d}" if outcome == "undo" else None}
        for c in TOUCH_COLUMNS:
            cols[c].append(values[c])
    return cols


def _shape(log: TouchLog) -> tuple[Any, ...]:
    return (log.by_lead, log.order, log.undo_rows, log.undone, log.last_number, log.skipped)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_row, max_size=30), cut=st.integers(0, 30))
def test_a_log_grown_at_its_end_parses_as_it_would_afresh(rows: list[tuple[Any, ...]], cut: int) -> None:
    reuse = QueueReuse()
    before = _columns(rows[:cut])
    touch_log(before, reuse)
    for lid in ("L1", "L2", "L3"):
        reuse.states[lid] = (object(), 0, None, object())  # type: ignore[assignment]
    after = _columns(rows)
    got = touch_log(after, reuse)
    assert _shape(got) == _shape(parse_touch_columns(after))
    if cut < len(rows):
        new_undo_leads = {lead for lead, _m, outcome, _t, _x in rows[cut:] if outcome == "undo" and lead}
        assert not new_undo_leads & set(reuse.states)  # an undo added: its lead's kept state is dropped


def test_a_log_changed_before_its_end_is_parsed_afresh() -> None:
    reuse = QueueReuse()
    cols = _columns([("L1", 1, "no-answer", 0, False), ("L2", 2, "sent", 0, False)])
    first = touch_log(cols, reuse)
    edited = {c: list(v) for c, v in cols.items()}
    edited["Outcome"][0] = "sent"
    again = touch_log(edited, reuse)
    assert again is not first and _shape(again) == _shape(parse_touch_columns(edited))


def test_leads_reuse_only_unchanged_rows() -> None:
    ids = [f"L{i}" for i in range(1, 13)]
    lead_cols: dict[str, list[Any]] = {"LeadId": ids, "Status": ["Working"] * 12, "OwnerName": list("ABCDEFGHIJKL"), "PostalCode": ["33602"] * 12}
    phone_cols: dict[str, list[Any]] = {"LeadId": ["L1", "L2"], "Position": [1, 1], "Phone": ["+18135550142", "+18135550143"],
                                        "VendorDNC": [False, False], "PhoneStatus": ["Active", "Active"], "Extension": [None, None],
                                        "Kind": ["mobile", "mobile"], "Litigator": [False, None]}
    assert set(phone_cols) == set(PHONE_READ)
    reuse = QueueReuse()
    first = leads(lead_cols, phone_cols, NY, reuse)
    edited = {k: list(v) for k, v in lead_cols.items()}
    edited["Status"][2] = "Dead"
    phones2 = {k: list(v) for k, v in phone_cols.items()}
    phones2["PhoneStatus"][1] = "Bad"
    got = leads(edited, phones2, NY, reuse)
    names = list(phones2)
    want = leads_from_columns(edited, phones_by_lead([dict(zip(names, r, strict=True)) for r in zip(*phones2.values(), strict=True)]), NY)
    assert got == want
    assert got[1] is not first[1] and got[2] is not first[2]  # L2's phone and L3's row changed: made afresh
    assert all(got[i] is first[i] for i in (0, *range(3, 12)))  # the others kept
