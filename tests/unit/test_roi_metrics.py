"""The agent's funnel measured from tblTouches and tblLeads records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from relist.roi.metrics import CONTACT_OUTCOMES, funnel, live_touches, my_numbers
from relist.roi.model import RoiInputs
from relist.schema import OUTCOMES

MON = datetime(2026, 3, 2, 9, 0)  # a Monday


class Log:
    """A small touch log builder: rows as the workbook port returns them."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, lead: str, at: datetime, outcome: str, channel: str = "call", undo_of: str = "") -> str:
        tid = f"T{len(self.rows) + 1:04d}"
        self.rows.append({"TouchId": tid, "LeadId": lead, "At": at, "Channel": channel, "Outcome": outcome,
                          "UndoOf": undo_of or None})
        return tid


def lead(lead_id: str, expired: datetime | None, vendor: str = "REDX", status: str = "Working",
         **extra: Any) -> dict[str, Any]:
    return {"LeadId": lead_id, "Status": status, "Contactable": True, "ExpiredAt": expired, "Vendor": vendor,
            "FirstImportedAt": expired, **extra}


def test_contact_outcomes_are_schema_outcomes() -> None:
    assert set(OUTCOMES) >= CONTACT_OUTCOMES
    assert {"no-answer", "voicemail", "bad-number", "sent"}.isdisjoint(CONTACT_OUTCOMES)


def test_an_undo_and_the_touch_it_undoes_both_leave_the_count() -> None:
    log = Log()
    wrong = log.add("L1", MON, "appointment")
    log.add("L1", MON + timedelta(minutes=1), "", undo_of=wrong)
    log.add("L1", MON + timedelta(minutes=2), "no-answer")
    live = live_touches(log.rows)
    assert [t.outcome for t in live] == ["no-answer"]
    f = funnel(log.rows, [lead("L1", MON)], MON + timedelta(days=1))
    assert (f.total.dials, f.total.appointments, f.total.contacts) == (1, 0, 0)


def test_weekly_counts_and_pickup_rate() -> None:
    log = Log()
    for i in range(10):
        log.add(f"L{i}", MON + timedelta(hours=i), "spoke" if i < 3 else "no-answer")
    log.add("L0", MON + timedelta(days=1), "appointment")
    log.add("L1", MON + timedelta(days=1), "sent", channel="letter")
    log.add("L2", MON + timedelta(days=8), "listed-with-me")
    leads = [lead(f"L{i}", MON - timedelta(hours=2)) for i in range(10)]
    leads[2]["ClosedAt"] = MON + timedelta(days=9)
    f = funnel(log.rows, leads, MON + timedelta(days=10))
    this_week, prev_week = f.weeks[-1], f.weeks[-2]
    assert prev_week.week_of == date(2026, 3, 2) and this_week.week_of == date(2026, 3, 9)
    assert (prev_week.dials, prev_week.contacts, prev_week.appointments) == (11, 4, 1)
    assert prev_week.pickup_rate == pytest.approx(4 / 11)
    assert (this_week.dials, this_week.listings, this_week.closings) == (1, 1, 1)
    assert len(f.weeks) == 12 and f.weeks[0].dials == 0 and f.weeks[0].pickup_rate is None
    assert (f.total.dials, f.total.contacts, f.total.listings, f.total.closings) == (12, 5, 1, 1)
    # a touch after as_of does not count
    assert funnel(log.rows, leads, MON + timedelta(days=2)).total.listings == 0


def test_speed_to_first_dial_is_measured_per_lead() -> None:
    log = Log()
    expired = MON.replace(hour=6)
    # same day: 3 leads, 2 reached, 1 appointment
    log.add("A", MON, "spoke")
    log.add("A", MON + timedelta(days=2), "appointment")
    log.add("B", MON, "not-interested")
    log.add("C", MON, "no-answer")
    # later: 2 leads, 2 reached, 0 appointments
    log.add("D", MON + timedelta(days=1), "spoke")
    log.add("E", MON + timedelta(days=3), "call-back")
    # no ExpiredAt: unknown
    log.add("F", MON, "spoke")
    leads = [lead(x, expired) for x in "ABCDE"] + [lead("F", None)]
    f = funnel(log.rows, leads, MON + timedelta(days=5))
    same, later = f.speed
    assert (same.key, same.leads, same.contacted, same.appointments) == ("same_day", 3, 2, 1)
    assert same.contact_to_appointment == pytest.approx(0.5)
    assert (later.key, later.leads, later.contacted, later.appointments) == ("later", 2, 2, 0)
    assert later.contact_to_appointment == 0
    assert f.speed_unknown == 1


def test_touches_needed_and_where_the_agent_stopped() -> None:
    log = Log()
    for n in range(4):
        log.add("A", MON + timedelta(days=n), "no-answer")
    log.add("A", MON + timedelta(days=5), "spoke")  # first contact at touch 5
    log.add("A", MON + timedelta(days=6), "appointment")  # touch 6
    log.add("B", MON, "spoke")
    log.add("B", MON + timedelta(days=1), "listed-with-me")  # listing at touch 2
    for n in range(2):
        log.add("C", MON + timedelta(days=n), "voicemail")  # gave up after 2
    for n in range(3):
        log.add("D", MON + timedelta(days=n), "no-answer")  # still working after 3
    for n in range(12):
        log.add("E", MON + timedelta(days=n), "no-answer")  # gave up after 12 -> "9+"
    leads = [lead("A", MON), lead("B", MON), lead("C", MON, status="Dead"), lead("D", MON),
             lead("E", MON, status="Nurture"), lead("G", MON, status="Not contactable", Contactable=False)]
    f = funnel(log.rows, leads, MON + timedelta(days=20))
    assert f.depth("contact").touch_numbers == (1, 5)
    assert f.depth("appointment").touch_numbers == (6,)
    assert f.depth("listed-with-me").touch_numbers == (2,)
    assert f.depth("contact").median == 3 and f.depth("contact").latest == 5
    assert f.stopped_ended[2] == 1 and f.stopped_ended[9] == 1
    assert f.stopped_working[3] == 1
    assert sum(f.stopped_ended) + sum(f.stopped_working) == 3  # G never contactable: not counted


def test_quality_per_channel_and_bad_number_rate_per_vendor() -> None:
    log = Log()
    for i in range(4):
        log.add(f"R{i}", MON, "bad-number" if i == 0 else "spoke")
    for i in range(4):
        log.add(f"V{i}", MON, "bad-number" if i < 3 else "no-answer")
    log.add("V3", MON, "replied", channel="text")
    log.add("V3", MON, "sent", channel="email")
    leads = [lead(f"R{i}", MON, vendor="REDX") for i in range(4)]
    leads += [lead(f"V{i}", MON, vendor="Vulcan7") for i in range(4)] + [lead("X", MON, vendor="")]
    f = funnel(log.rows, leads, MON + timedelta(days=1))
    by_vendor = {v.vendor: v for v in f.vendors}
    assert by_vendor["REDX"].bad_number_rate == pytest.approx(0.25)
    assert by_vendor["Vulcan7"].bad_number_rate == pytest.approx(0.75)
    assert by_vendor["REDX"].contact_rate == pytest.approx(0.75)
    assert by_vendor["(no vendor)"].dials == 0 and by_vendor["(no vendor)"].bad_number_rate is None
    by_channel = {c.channel: c for c in f.channels}
    assert (by_channel["call"].touches, by_channel["call"].contacts) == (8, 3)
    assert by_channel["text"].contact_rate == 1.0 and by_channel["email"].contact_rate == 0.0
    assert by_channel["door"].touches == 0 and by_channel["door"].contact_rate is None


def _busy_log(days: int = 28) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    log = Log()
    leads = []
    n = 0
    for d in range(days):
        day = MON + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for k in range(20):
            lid = f"L{n}"
            n += 1
            leads.append(lead(lid, day.replace(hour=7)))
            outcome = "spoke" if k < 5 else "no-answer"
            if k == 0:
                outcome = "appointment"
            log.add(lid, day + timedelta(minutes=k), outcome)
        if d % 7 == 0:
            log.add(f"L{n - 20}", day + timedelta(hours=5), "listed-with-me")
    return log.rows, leads


def test_my_numbers_become_roi_inputs() -> None:
    touches, leads = _busy_log()
    as_of = MON + timedelta(days=27, hours=12)
    f = funnel(touches, leads, as_of)
    mine = my_numbers(f)
    assert mine.values["dials_per_day"] == pytest.approx(f.total.dials / 20)
    assert mine.values["days_per_week"] == pytest.approx(20 / 4)
    assert mine.values["pickup_rate"] == pytest.approx(f.total.call_contacts / f.total.dials)
    assert mine.values["contacts_per_appointment"] == pytest.approx(f.total.contacts / f.total.appointments)
    assert mine.values["appointments_per_listing"] == pytest.approx(20 / 4)
    assert mine.values["listing_to_close"] == 0.0  # nothing closed yet: measured, not assumed
    assert mine.values["leads_per_month"] == pytest.approx(round(400 / 28 * 365 / 12))
    assert "pickup_rate" in mine.evidence and "dials" in mine.evidence["pickup_rate"]
    inputs = mine.apply(RoiInputs(median_price=600_000))
    assert inputs.median_price == 600_000 and inputs.pickup_rate == pytest.approx(mine.values["pickup_rate"])


def test_a_young_log_measures_nothing_it_cannot_vouch_for() -> None:
    log = Log()
    log.add("A", MON, "spoke")
    mine = my_numbers(funnel(log.rows, [lead("A", MON)], MON))
    assert "pickup_rate" not in mine.values and "20 needed" in mine.missing["pickup_rate"]
    assert "contacts_per_appointment" in mine.missing and "days_per_week" in mine.missing
    assert "5 needed" in mine.missing["dials_per_day"]  # one day's dials are not a habit
    assert mine.apply(RoiInputs()) == RoiInputs()


def test_one_lucky_day_is_not_extrapolated() -> None:
    """5 dials, 3 contacts and an appointment on one day: nothing the ROI model would multiply into a fortune."""
    log = Log()
    for i, outcome in enumerate(("spoke", "spoke", "appointment", "no-answer", "no-answer")):
        log.add(f"L{i}", MON, outcome)
    mine = my_numbers(funnel(log.rows, [lead(f"L{i}", MON) for i in range(5)], MON))
    assert {"dials_per_day", "contacts_per_appointment", "pickup_rate"} <= set(mine.missing)
    assert "1 appointment from 3 contacts" in mine.missing["contacts_per_appointment"]


def test_an_empty_workbook_has_an_empty_funnel() -> None:
    f = funnel([], [], MON)
    assert f.total.dials == 0 and f.total.pickup_rate is None
    assert all(s.contact_to_appointment is None for s in f.speed)
    assert my_numbers(f).values == {}
