"""Table tests written from the statute text (not from Relist's own tables): every banned holiday of
2026-2028 with its weekend observance, days that must stay callable, and each window just inside and
just outside, including Mississippi's "Central Standard Time" in summer. Plus the property that a
verdict never depends on the machine's own time zone.

Sources (read 2026-12-06): 73 P.S. 2245(a)(10) as reported (PA); R.I. Gen. Laws 5-61-2, 25-1-1 and
5 U.S.C. 6103 (RI); Miss. Code Ann. 77-3-723 (MS); La. R.S. 45:811, 1:55 (LA); Ala. Admin. Code
770-X-5-.17 and Ala. Code 1-3-8 (AL); Utah Code 13-25a-103 and 63G-1-301 (UT); 73 P.S. 2245(a)(1)
(Purdon's, eff. 2019-12-03: "Conducting telemarketing after 9 p.m. or before 8 a.m.") and SB 992
(2025-26) as the Senate passed it, "a prohibition against any telemarketing calls ... being made on
Sundays" (PA; its enacted text not reached, so Relist fails closed); RCW 80.36.390 as amended by
ESHB 1051 (2023): (8) "before 8:00 a.m. or after 8:00 p.m. at the call recipient's local time" and
(7)(c) "for a period of at least one year" (WA); Tex. Bus. & Com. Code 301.051 as secondary
sources give it, "9 a.m. to 9 p.m. Monday-Saturday, noon to 9 p.m. Sunday" (TX; section text not reached).
Wyo. Stat. 40-12-302(d) as a public state-law read quotes it, "before the hour of 8 a.m. or after 8 p.m.
local time at the consumer's location" (WY); 73 P.S. 2245(a)(1) as amended by Act 47 of 2026 (SB 992,
from 2026-10-18), "on a Sunday or after 7 p.m. or before 9 a.m." as two public repositories quote it (PA);
ORS 646.563(1)(b) as amended by HB 3865 (2025), "outside the hours of 8 a.m. to 8 p.m." and "more than
three separate times to a party within a 24-hour period" (OR); RCW 19.190.060(1) and 19.190.070(1)(b):
no commercial text to a Washington resident's cell phone without consent "in advance" (WA); 10 M.R.S.
1498(3), "weekdays between 9 a.m. and 5 p.m." (ME), and SDCL 37-30-28, "weekdays between 9 a.m. and 9 p.m."
(SD), both written for automated dialing and applied by Relist to every call.
"""

from __future__ import annotations

import os
import time as systime
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.test_compliance_support import (
    local,
    make_ctx,
    make_lead,
    place_for_state,
    write_registry,
)

from relist.compliance.registry import Registry
from relist.compliance.rules import default_rules
from relist.compliance.verdict import evaluate, next_allowed
from relist.model import Lead

BOOK = default_rules()
D = date.fromisoformat


def _days(*iso: str) -> set[date]:
    return {D(x) for x in iso}


# Written by hand from the statutes: the holiday, and each weekday it is observed on.
EXPECTED: dict[tuple[str, int], set[date]] = {
    ("RI", 2026): _days(
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-04", "2026-05-25", "2026-06-19",
        "2026-07-03", "2026-07-04", "2026-07-06",  # July 4 on a Saturday: federal Friday, state Monday
        "2026-08-10", "2026-09-07", "2026-10-12", "2026-11-03",  # Election Day: 2026 elects state officers
        "2026-11-11", "2026-11-26", "2026-12-25",
    ),
    ("RI", 2027): _days(
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-04", "2027-05-31",
        "2027-06-18", "2027-06-19",  # Juneteenth on a Saturday: federal Friday
        "2027-07-04", "2027-07-05", "2027-08-09", "2027-09-06", "2027-10-11",  # no election in 2027
        "2027-11-11", "2027-11-25",
        "2027-12-24", "2027-12-25", "2027-12-27",  # Christmas on a Saturday: Friday and Monday
        "2027-12-31",  # New Year's Day 2028 is a Saturday: federal Friday
    ),
    ("RI", 2028): _days(
        "2028-01-01", "2028-01-03", "2028-01-17", "2028-02-21", "2028-05-04", "2028-05-29", "2028-06-19",
        "2028-07-04", "2028-08-14", "2028-09-04", "2028-10-09", "2028-11-07",
        "2028-11-10", "2028-11-11", "2028-11-13",  # Veterans' Day on a Saturday
        "2028-11-23", "2028-12-25",
    ),
    ("PA", 2026): _days(
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25",
        "2026-06-14", "2026-06-15",  # Flag Day on a Sunday
        "2026-07-03", "2026-07-04", "2026-09-07", "2026-10-12", "2026-11-03", "2026-11-11",
        "2026-11-26", "2026-12-25",
    ),
    ("PA", 2027): _days(
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-14",
        "2027-07-04", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-02", "2027-11-11",
        "2027-11-25", "2027-12-24", "2027-12-25", "2027-12-31",
    ),
    ("PA", 2028): _days(
        "2028-01-01", "2028-01-17", "2028-02-21", "2028-04-14", "2028-05-29", "2028-06-14",
        "2028-07-04", "2028-09-04", "2028-10-09", "2028-11-07",
        "2028-11-10", "2028-11-11", "2028-11-23", "2028-12-25",
    ),
    ("MS", 2026): set(),  # the holiday ban was repealed (HB 1225, 2023)
    ("MS", 2027): set(),
    ("MS", 2028): set(),
}

# Spot checks of the other states' statutes: days that must be banned.
BANNED_SPOTS: list[tuple[str, str, str]] = [
    ("LA", "2027-01-08", "Battle of New Orleans"),
    ("LA", "2027-02-09", "Mardi Gras"),
    ("LA", "2027-08-30", "Huey P. Long Day"),
    ("LA", "2027-11-01", "All Saints' Day"),
    ("LA", "2028-11-07", "General election day"),
    ("AL", "2027-04-26", "Confederate Memorial Day"),
    ("AL", "2028-06-05", "Jefferson Davis' birthday"),
    ("AL", "2027-12-24", "Christmas Day (observed"),
    ("UT", "2027-07-23", "Pioneer Day (observed"),
    ("UT", "2027-06-21", "Juneteenth National Freedom Day (observed"),
    ("UT", "2028-06-19", "Juneteenth National Freedom Day"),
    ("UT", "2028-04-14", "Good Friday"),
]

# Days that must stay callable (at 13:00 local): not a holiday of that state's statute.
OPEN_SPOTS: list[tuple[str, str]] = [
    ("MS", "2026-12-25"), ("MS", "2027-01-18"), ("MS", "2027-04-26"),  # MS holidays: ban repealed
    ("PA", "2027-03-28"),  # Easter Sunday: not in the PA list (PA allows Sundays)
    ("RI", "2027-11-02"),  # no general election of state officers in 2027
    ("LA", "2027-11-02"),  # nor in Louisiana (even years)
    ("RI", "2027-03-26"),  # Good Friday is not a Rhode Island or federal holiday
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    areas = {place_for_state(s)[1][2:5]: [] for s in ("PA", "RI", "MS", "LA", "AL", "UT", "TX", "FL", "WA", "WY", "OR", "ME", "SD")}
    return write_registry(tmp_path_factory.mktemp("reg"), areas, date(2029, 1, 1))


def _lead(state: str) -> tuple[Lead, ZoneInfo]:
    zip_code, phone, zone = place_for_state(state)
    return make_lead(phones=[phone], postal_code=zip_code, state=state), zone


def _year_days(year: int) -> Iterator[date]:
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


@pytest.mark.parametrize(("state", "year"), sorted(EXPECTED))
def test_banned_holidays_are_exactly_the_statutes(state: str, year: int) -> None:
    found = {d for d in _year_days(year) if BOOK.holiday_on(state, d) is not None}
    assert found - EXPECTED[state, year] == set(), "banned but not in the statute"
    assert EXPECTED[state, year] - found == set(), "in the statute but callable"


@pytest.mark.parametrize(("state", "year"), [k for k in sorted(EXPECTED) if EXPECTED[k]])
def test_every_banned_holiday_blocks_the_call(state: str, year: int, registry: Registry) -> None:
    lead, zone = _lead(state)
    ctx = make_ctx(registry)
    for day in sorted(EXPECTED[state, year]):
        v = evaluate(lead, "call", local(day, 13, 0, zone), ctx)
        assert not v.allowed, (day, v.explain())
        ban = [r for r in v.reasons if r.rule == f"day-ban:{state}"]
        assert ban and not ban[0].ok and (day.weekday() == 6 or str(day) in ban[0].message), ban


@pytest.mark.parametrize(("state", "day", "name"), BANNED_SPOTS)
def test_other_statute_holidays_block(state: str, day: str, name: str, registry: Registry) -> None:
    lead, zone = _lead(state)
    v = evaluate(lead, "call", local(D(day), 13, 0, zone), make_ctx(registry))
    ban = [r for r in v.reasons if r.rule == f"day-ban:{state}"]
    assert not v.allowed and ban and not ban[0].ok and name in ban[0].message, v.explain()


@pytest.mark.parametrize(("state", "day"), OPEN_SPOTS)
def test_days_the_statutes_leave_open(state: str, day: str, registry: Registry) -> None:
    lead, zone = _lead(state)
    v = evaluate(lead, "call", local(D(day), 13, 0, zone), make_ctx(registry))
    if D(day).weekday() == 6 and BOOK.for_state(state, "no_sunday"):
        assert BOOK.holiday_on(state, D(day)) is None
        return
    assert v.allowed, v.explain()


# (state, weekday date in winter, in summer, first allowed minute, first closed minute), local clock
WINDOWS: list[tuple[str, str, str, str]] = [
    # 2245(a)(1) allowed 8-21; as Act 47 of 2026 (SB 992) amends it, from 2026-10-18: 9-19, no Sundays
    ("PA", "2027-01-12", "09:00", "19:00"),
    ("PA", "2027-07-13", "09:00", "19:00"),
    ("PA", "2027-01-16", "09:00", "19:00"),  # Saturday: the act bans only Sundays
    ("WY", "2027-01-12", "08:00", "20:00"),  # 40-12-302(d): "after 8 p.m.", not the federal 21:00
    ("WY", "2027-07-17", "08:00", "20:00"),  # a summer Saturday
    ("OR", "2027-01-12", "08:00", "20:00"),  # 646.563(1)(b) as amended by HB 3865
    ("ME", "2027-01-12", "09:00", "17:00"),  # 1498(3): weekdays 9 a.m. to 5 p.m.
    ("SD", "2027-01-12", "09:00", "21:00"),  # 37-30-28: weekdays 9 a.m. to 9 p.m.
    ("WA", "2027-01-12", "08:00", "20:00"),  # 80.36.390(8)
    ("WA", "2027-07-17", "08:00", "20:00"),  # a summer Saturday: every day alike
    ("TX", "2027-01-12", "09:00", "21:00"),  # weekday
    ("TX", "2027-01-16", "09:00", "21:00"),  # Saturday
    ("TX", "2027-01-17", "12:00", "21:00"),  # Sunday: from noon
    ("RI", "2027-01-12", "09:00", "18:00"),  # Mon-Fri 9-6 (5-61-2)
    ("RI", "2027-01-16", "10:00", "17:00"),  # Saturday 10-5
    ("LA", "2027-01-12", "08:00", "20:00"),
    ("LA", "2027-07-17", "08:00", "20:00"),  # Saturday allowed (45:811: Monday through Saturday)
    ("AL", "2027-01-12", "08:00", "20:00"),
    ("UT", "2027-01-12", "08:00", "21:00"),
    ("MS", "2027-01-12", "08:00", "20:00"),  # winter: CST is the local clock
    ("MS", "2027-07-13", "09:00", "20:00"),  # summer: 08:00 CST is 09:00 CDT; 20:00 local still binds
]


@pytest.mark.parametrize(("state", "day", "opens", "closes"), WINDOWS)
def test_windows_just_inside_and_outside(state: str, day: str, opens: str, closes: str, registry: Registry) -> None:
    lead, zone = _lead(state)
    ctx = make_ctx(registry)
    oh, om = (int(x) for x in opens.split(":"))
    ch, cm = (int(x) for x in closes.split(":"))
    start = local(D(day), oh, om, zone)
    end = local(D(day), ch, cm, zone)
    assert evaluate(lead, "call", start, ctx).allowed
    assert evaluate(lead, "call", end - timedelta(minutes=1), ctx).allowed
    before = evaluate(lead, "call", start - timedelta(minutes=1), ctx)
    after = evaluate(lead, "call", end, ctx)
    assert not before.allowed and not after.allowed
    assert any(r.rule == f"state-hours:{state}" and not r.ok for r in before.reasons), before.explain()


def test_mississippi_summer_morning_names_central_standard_time(registry: Registry) -> None:
    lead, zone = _lead("MS")
    v = evaluate(lead, "call", local(D("2027-07-13"), 8, 30, zone), make_ctx(registry))
    assert not v.allowed
    msg = " ".join(r.message for r in v.reasons if not r.ok)
    assert "Central Standard Time" in msg and "07:30" in msg, msg


@pytest.mark.parametrize("state", ["MS", "LA", "AL", "RI", "UT", "PA"])
def test_sundays_are_closed(state: str, registry: Registry) -> None:
    lead, zone = _lead(state)
    assert not evaluate(lead, "call", local(D("2027-01-17"), 13, 0, zone), make_ctx(registry)).allowed


def test_washington_quiet_year_covers_february_29(registry: Registry) -> None:
    """'not ... for a period of at least one year': asked on 2027-03-01, 2028-02-29 is still inside that year
    (365 days later); the next day is free. Every number of the owner is held, not only the one that asked."""
    zip_code, phone, zone = place_for_state("WA")
    other = phone[:-1] + ("1" if phone[-1] != "1" else "2")
    lead = make_lead(phones=[phone, other], postal_code=zip_code, state="WA")
    asked = local(D("2027-03-01"), 12, 0, zone)
    ctx = make_ctx(registry, dnc_requests={lead.lead_id: asked})

    def quiet(at: datetime) -> bool:
        v = evaluate(lead, "call", at, ctx)
        return any(r.rule == "quiet-after-request:WA" and not r.ok for r in v.reasons)

    assert quiet(local(D("2027-03-02"), 12, 0, zone))
    assert quiet(local(D("2028-02-29"), 12, 0, zone))  # 365 days after: still within the year
    assert not quiet(local(D("2028-03-01"), 12, 1, zone))
    assert not evaluate(lead, "call", local(D("2028-02-29"), 12, 0, zone), ctx).allowed


# ---------------------------------------------------------------- the machine's zone never matters

MACHINE_ZONES = ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata", "America/New_York"]


def _with_tz(name: str) -> None:
    os.environ["TZ"] = name
    systime.tzset()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    state=st.sampled_from(["PA", "RI", "MS", "LA", "AL", "UT", "TX", "FL"]),
    minutes=st.integers(min_value=0, max_value=3 * 366 * 24 * 60),
    channel=st.sampled_from(["call", "text"]),
)
def test_a_verdict_never_depends_on_the_machine_zone(state: str, minutes: int, channel: str, registry: Registry) -> None:
    lead, _zone = _lead(state)
    ctx = make_ctx(registry)
    at = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")) + timedelta(minutes=minutes)
    saved = os.environ.get("TZ")
    try:
        seen = set()
        for name in MACHINE_ZONES:
            _with_tz(name)
            v = evaluate(lead, channel, at, ctx)
            seen.add((v.allowed, v.explain(), v.window_start, v.window_end))
        assert len(seen) == 1, seen
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        systime.tzset()


def test_the_statute_tables_cover_every_re_done_state() -> None:
    assert {s for s, _ in EXPECTED} | {s for s, _, _ in BANNED_SPOTS} >= {"PA", "RI", "MS", "LA", "AL", "UT"}


def test_wyoming_stops_at_eight_in_the_evening(registry: Registry) -> None:
    """A call to Wyoming at 20:30 local is blocked, and the reason says so in plain words."""
    lead, zone = _lead("WY")
    ctx = make_ctx(registry)
    v = evaluate(lead, "call", local(D("2027-03-09"), 20, 30, zone), ctx)
    assert not v.allowed
    why = [r for r in v.reasons if not r.ok]
    assert [r.rule for r in why] == ["state-hours:WY"], v.explain()
    assert "WY calling hours" in why[0].message and "20:30" in why[0].message and "08:00-20:00" in why[0].message
    assert "40-12-302(d)" in why[0].source
    nxt = next_allowed(lead, "call", local(D("2027-03-09"), 20, 30, zone), ctx)
    assert nxt == local(D("2027-03-10"), 8, 0, zone)
    assert evaluate(lead, "text", local(D("2027-03-09"), 20, 30, zone), ctx).allowed is False  # texts too


def test_wyoming_list_is_the_dma_preference_service() -> None:
    rows = BOOK.for_state("WY", "own_dnc_list")
    assert len(rows) == 1 and "Telephone Preference Service" in rows[0].note
    assert "own do-not-call list" not in rows[0].note and "general knowledge" not in rows[0].source


def test_pennsylvania_cites_the_enacted_act(registry: Registry) -> None:
    """Act 47 of 2026: a Sunday call and a weekday call at 19:30 are blocked, naming the act."""
    lead, zone = _lead("PA")
    ctx = make_ctx(registry)
    sunday = evaluate(lead, "call", local(D("2027-01-17"), 13, 0, zone), ctx)
    ban = [r for r in sunday.reasons if not r.ok]
    assert [r.rule for r in ban] == ["day-ban:PA"] and "Sundays" in ban[0].message, sunday.explain()
    assert "Act 47 of 2026" in ban[0].source
    evening = evaluate(lead, "call", local(D("2027-01-12"), 19, 30, zone), ctx)
    late = [r for r in evening.reasons if not r.ok]
    assert [r.rule for r in late] == ["state-hours:PA"] and "09:00-19:00" in late[0].message
    assert "Act 47 of 2026" in late[0].source


def test_washington_texts_need_prior_consent_calls_do_not(registry: Registry) -> None:
    """RCW 19.190.060: a text about a home to a Washington cell phone is blocked at any hour, and waiting does
    not lift it; a call at the same moment is allowed."""
    lead, zone = _lead("WA")
    ctx = make_ctx(registry)
    noon = local(D("2027-01-12"), 12, 0, zone)
    text = evaluate(lead, "text", noon, ctx)
    assert not text.allowed
    why = [r for r in text.reasons if not r.ok]
    assert [r.rule for r in why] == ["consent-required:WA"], text.explain()
    assert "consent" in why[0].message and "call instead" in why[0].message
    assert "RCW 19.190.060" in why[0].source
    assert next_allowed(lead, "text", noon, ctx) is None
    assert evaluate(lead, "call", noon, ctx).allowed


def test_oregon_caps_three_contacts_a_day(registry: Registry) -> None:
    lead, zone = _lead("OR")
    at = local(D("2027-01-12"), 15, 0, zone)
    made = [(at - timedelta(hours=h), "call") for h in (1, 2, 3)]
    v = evaluate(lead, "call", at, make_ctx(registry, contact_log={lead.lead_id: made}))
    assert not v.allowed
    assert any(r.rule == "frequency-cap:OR" and not r.ok and "3" in r.message for r in v.reasons), v.explain()
    assert evaluate(lead, "call", at, make_ctx(registry, contact_log={lead.lead_id: made[:2]})).allowed


@pytest.mark.parametrize("state", ["ME", "SD"])
def test_dialer_states_allow_no_weekend_calls(state: str, registry: Registry) -> None:
    """Maine's 1498(3) and South Dakota's 37-30-28 name weekdays only: a Saturday noon call is blocked, and
    the reason says the state allows no calls on Saturdays."""
    lead, zone = _lead(state)
    ctx = make_ctx(registry)
    v = evaluate(lead, "call", local(D("2027-01-16"), 12, 0, zone), ctx)
    why = [r for r in v.reasons if not r.ok]
    assert [r.rule for r in why] == [f"state-hours:{state}"], v.explain()
    assert f"{state} allows no calls on Saturdays" in why[0].message
    assert next_allowed(lead, "call", local(D("2027-01-16"), 12, 0, zone), ctx) == local(D("2027-01-18"), 9, 0, zone)


def test_washington_text_ban_is_in_the_readiness_report() -> None:
    from relist.compliance.readiness import readiness
    from relist.settings import Settings

    duties = [d for d in readiness(BOOK, Settings(), ["WA"]) if d.kind == "consent_required"]
    assert len(duties) == 1 and duties[0].status == "done"
    assert "Relist blocks these texts to WA leads" in duties[0].said and "RCW 19.190.060" in duties[0].source
