"""The rules tables: every row cites a source and a status, bad rows are refused by line, and each
state row is enforced by the verdict (a table test per row of state_rules.csv and state_holidays.csv)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.unit.test_compliance_support import (
    first_day,
    local,
    make_ctx,
    make_lead,
    place_for_state,
    write_registry,
)

from relist.compliance.registry import Registry
from relist.compliance.rules import (
    FEDERAL,
    STATUSES,
    HolidayRule,
    StateRule,
    default_rules,
    easter,
    load_rules,
    parse_holidays,
    parse_rules,
    resolve_date_rule,
)
from relist.compliance.verdict import evaluate
from relist.errors import BadInput
from relist.model import Lead, Reason, Verdict

BOOK = default_rules()
HEADER = "state,rule,days,start,end,limit,period,channels,status,source,note\n"
FED = "US,hours,Mon-Sun,08:00,21:00,,,call;text,[src],47 CFR,\n"


def _reason(verdict: Verdict, rule: str) -> Reason:
    found = [r for r in verdict.reasons if r.rule == rule]
    assert found, f"no reason {rule} in {[r.rule for r in verdict.reasons]}"
    return found[0]


def test_every_row_cites_source_and_status() -> None:
    assert BOOK.rules and BOOK.holidays
    for r in BOOK.rules:
        assert r.status in STATUSES and r.source, r
    for h in BOOK.holidays:
        assert h.status in STATUSES and h.source, h


def test_reference_facts_are_in_the_table() -> None:
    """Spot checks against compliance.md, including the two errors seen in public tables."""
    def hours(state: str, weekday: int) -> tuple[str, str]:
        rows = [r for r in BOOK.for_state(state, "hours") if weekday in r.days]
        assert len(rows) == 1, (state, weekday)
        return f"{rows[0].start:%H:%M}", f"{rows[0].end:%H:%M}"

    assert hours(FEDERAL, 0) == ("08:00", "21:00")
    assert hours("FL", 2) == ("08:00", "20:00")  # not 21:00
    assert hours("TX", 2) == ("09:00", "21:00") and hours("TX", 6) == ("12:00", "21:00")  # not federal
    assert hours("RI", 5) == ("10:00", "17:00") and not [r for r in BOOK.for_state("RI", "hours") if 6 in r.days]
    caps = {(r.state, r.limit, r.period) for r in BOOK.rules if r.rule == "cap"}
    assert {("FL", 3, timedelta(hours=24)), ("OK", 3, timedelta(hours=24)), ("MD", 3, timedelta(hours=24))} <= caps
    assert ("ME", 1, timedelta(hours=8)) in caps
    wa = BOOK.for_state("WA", "quiet_after_request")
    assert wa and wa[0].period == timedelta(days=366)  # "at least one year", leap years included
    assert {r.state for r in BOOK.rules if r.rule == "no_sunday"} == {"LA", "AL", "MS", "RI", "UT", "PA"}
    assert {"IN", "CO", "MO", "TN", "WY"} <= {r.state for r in BOOK.rules if r.rule == "own_dnc_list"}
    assert BOOK.holiday_on("PA", date(2026, 12, 25)) is not None


def test_easter_and_date_rules() -> None:
    assert [easter(y) for y in (2024, 2025, 2026, 2027)] == [date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]
    assert resolve_date_rule("4th Thu Nov", 2026) == date(2026, 11, 26)
    assert resolve_date_rule("last Mon May", 2026) == date(2026, 5, 25)
    assert resolve_date_rule("1st Mon Sep", 2026) == date(2026, 9, 7)
    assert resolve_date_rule("easter-2", 2026) == date(2026, 4, 3)
    assert resolve_date_rule("2026-01-20", 2027) is None
    # observed days: 2027-12-25 is a Saturday, so Friday 24th is banned too; 2028-01-01 (Sat) bans 2027-12-31
    xmas = HolidayRule("AL", "Christmas", "12-25", ("fed",), "[gen]", "x")
    assert xmas.dates(2027) == [date(2027, 12, 24), date(2027, 12, 25)]
    assert BOOK.holiday_on("AL", date(2027, 12, 31)) is not None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("FL,hours,Mon-Sun,08:00,20:00,,,call,[src],,\n", "source is blank"),
        ("FL,hours,Mon-Sun,08:00,20:00,,,call,[maybe],x,\n", "status '[maybe]'"),
        ("FL,hours,Mon-Sun,20:00,08:00,,,call,[src],x,\n", "start < end"),
        ("FL,cap,,,,0,24h,call,[src],x,\n", "limit (>= 1)"),
        ("FL,cap,,,,3,24x,call,[src],x,\n", "cannot read"),
        ("FL,hours,Mon-Sun,08:00,20:00,,,fax,[src],x,\n", "channels 'fax'"),
        ("Florida,hours,Mon-Sun,08:00,20:00,,,call,[src],x,\n", "2-letter"),
        ("FL,curfew,,,,,,call,[src],x,\n", "rule 'curfew'"),
    ],
)
def test_bad_rule_rows_are_named_by_line(body: str, words: str) -> None:
    with pytest.raises(BadInput) as e:
        parse_rules(HEADER + FED + body, "state_rules.csv")
    assert "state_rules.csv line 3" in e.value.message and words in e.value.message


def test_rules_need_the_federal_row_and_the_header() -> None:
    with pytest.raises(BadInput, match="federal"):
        parse_rules(HEADER + "FL,hours,Mon-Sun,08:00,20:00,,,call,[src],x,\n")
    with pytest.raises(BadInput, match="header lacks"):
        parse_rules("state,rule\nUS,hours\n")


def test_bad_holiday_rows_are_named_by_line() -> None:
    head = "state,holiday,date_rule,observed,status,source,note\n"
    with pytest.raises(BadInput, match="line 2: date rule '13th Mon Jan'"):
        parse_holidays(head + "LA,X,13th Mon Jan,no,[gen],x,\n", "state_holidays.csv")
    with pytest.raises(BadInput, match="line 3: observed 'maybe'"):
        parse_holidays(head + "LA,X,01-01,no,[gen],x,\nLA,Y,01-02,maybe,[gen],x,\n", "state_holidays.csv")


def test_override_files_in_the_registry_folder_win(tmp_path: Path) -> None:
    (tmp_path / "state_rules.csv").write_text(HEADER + FED + "FL,hours,Mon-Sun,10:00,19:00,,,call;text,[gen],my lawyer,\n")
    book = load_rules(tmp_path)
    assert book.rules_path.endswith("state_rules.csv") and str(tmp_path) in book.rules_path
    zip_code, phone, zone = place_for_state("FL")
    reg = write_registry(tmp_path / "reg", {phone[2:5]: []}, date(2026, 6, 1))
    ctx = dataclasses.replace(make_ctx(reg), rules=book)
    lead = make_lead(phones=[phone], postal_code=zip_code, state="FL")
    assert not evaluate(lead, "call", local(date(2026, 6, 3), 9, 30, zone), ctx).allowed
    assert evaluate(lead, "call", local(date(2026, 6, 3), 10, 30, zone), ctx).allowed
    assert load_rules(tmp_path / "nothing-here") is default_rules()


# ---------------------------------------------------------------- one table test per state row


def _setup(state: str, tmp_path: Path) -> tuple[Lead, Registry, ZoneInfo]:
    zip_code, phone, zone = place_for_state(state if state != FEDERAL else "NY")
    reg = write_registry(tmp_path / "reg", {phone[2:5]: []}, date(2027, 1, 1))
    lead = make_lead(phones=[phone], postal_code=zip_code, state=state if state != FEDERAL else "NY")
    return lead, reg, zone


def _clear_day(state: str, ok_weekdays: frozenset[int]) -> date:
    sunday_ban = bool(BOOK.for_state(state, "no_sunday"))
    return first_day(
        date(2027, 1, 4),
        lambda d: d.weekday() in ok_weekdays and BOOK.holiday_on(state, d) is None and not (sunday_ban and d.weekday() == 6),
    )


HOURS_ROWS = [r for r in BOOK.rules if r.rule == "hours"]


@pytest.mark.parametrize("row", HOURS_ROWS, ids=lambda r: f"{r.state}-{r.line}")
@pytest.mark.parametrize("channel", ["call", "text"])
def test_hours_row(row: StateRule, channel: str, tmp_path: Path) -> None:
    lead, reg, zone = _setup(row.state, tmp_path)
    ctx = make_ctx(reg)
    day = _clear_day(row.state if row.state != FEDERAL else "NY", row.days)
    rule = "federal-window" if row.state == FEDERAL else f"state-hours:{row.state}"
    # rows of one state and clock that cover the same day intersect (PA: the statute's 8-21 and SB 992's 9-19)
    same = [r for r in HOURS_ROWS if r.state == row.state and r.clock == row.clock and day.weekday() in r.days]
    assert all(r.start is not None and r.end is not None for r in same)
    first = max(r.start for r in same if r.start is not None)
    last = min(r.end for r in same if r.end is not None)
    start = local(day, first.hour, first.minute, zone)
    end = local(day, last.hour, last.minute, zone)
    assert _reason(evaluate(lead, channel, start, ctx), rule).ok
    assert _reason(evaluate(lead, channel, end - timedelta(minutes=1), ctx), rule).ok
    assert not _reason(evaluate(lead, channel, start - timedelta(minutes=1), ctx), rule).ok
    v = evaluate(lead, channel, end, ctx)
    assert not v.allowed and not _reason(v, rule).ok
    inside = evaluate(lead, channel, start + timedelta(minutes=30), ctx)
    if BOOK.for_state(row.state, "consent_required", channel):  # WA texts: inside the hours, still no consent
        assert [r.rule for r in inside.reasons if not r.ok] == [f"consent-required:{row.state}"], inside.explain()
        return
    assert inside.allowed, inside.explain()
    assert inside.window_start is not None and inside.window_end is not None
    assert inside.window_start >= start and inside.window_end <= end


@pytest.mark.parametrize("state", sorted({r.state for r in BOOK.rules if r.rule == "no_sunday"}))
def test_sunday_ban_row(state: str, tmp_path: Path) -> None:
    lead, reg, zone = _setup(state, tmp_path)
    ctx = make_ctx(reg)
    sunday = first_day(date(2027, 1, 4), lambda d: d.weekday() == 6 and BOOK.holiday_on(state, d) is None)
    v = evaluate(lead, "call", local(sunday, 13, 0, zone), ctx)
    r = _reason(v, f"day-ban:{state}")
    assert not v.allowed and not r.ok and "Sundays" in r.message
    monday = _clear_day(state, frozenset({0}))
    assert _reason(evaluate(lead, "call", local(monday, 13, 0, zone), ctx), f"day-ban:{state}").ok


@pytest.mark.parametrize("holiday", BOOK.holidays, ids=lambda h: f"{h.state}-{h.name}")
def test_holiday_row(holiday: HolidayRule, tmp_path: Path) -> None:
    """Every banned date of the row in 2026-2028 (the day and its observed weekdays) blocks, by name."""
    lead, reg, zone = _setup(holiday.state, tmp_path)
    ctx = make_ctx(reg)
    days = [(d, n) for y in (2026, 2027, 2028) for d, n in holiday.banned(y).items()]
    assert days or holiday.date_rule.startswith("election:")
    for day, name in days:
        v = evaluate(lead, "text", local(day, 13, 0, zone), ctx)
        r = _reason(v, f"day-ban:{holiday.state}")
        assert not v.allowed and not r.ok, (day, name)
        assert day.weekday() == 6 or holiday.name in r.message, r.message


CAP_ROWS = [r for r in BOOK.rules if r.rule == "cap"]


@pytest.mark.parametrize("row", CAP_ROWS, ids=lambda r: f"{r.state}-{r.line}")
def test_cap_row(row: StateRule, tmp_path: Path) -> None:
    lead, reg, zone = _setup(row.state, tmp_path)
    assert row.limit is not None and row.period is not None
    day = _clear_day(row.state, frozenset({1, 2, 3}))
    at = local(day, 15, 0, zone)
    channel = sorted(row.channels)[0]
    recent = [(at - row.period + timedelta(minutes=5 + i), channel) for i in range(row.limit)]
    rule = f"frequency-cap:{row.state}"
    full = evaluate(lead, channel, at, make_ctx(reg, contact_log={"L1": recent}))
    assert not full.allowed and not _reason(full, rule).ok
    fewer = evaluate(lead, channel, at, make_ctx(reg, contact_log={"L1": recent[1:]}))
    assert _reason(fewer, rule).ok
    old = [(t - timedelta(minutes=10), ch) for t, ch in recent]
    assert _reason(evaluate(lead, channel, at, make_ctx(reg, contact_log={"L1": old})), rule).ok


@pytest.mark.parametrize("row", [r for r in BOOK.rules if r.rule == "quiet_after_request"], ids=lambda r: r.state)
def test_quiet_after_request_row(row: StateRule, tmp_path: Path) -> None:
    lead, reg, zone = _setup(row.state, tmp_path)
    assert row.period is not None
    asked = datetime(2026, 1, 5, 12, 0, tzinfo=zone)
    rule = f"quiet-after-request:{row.state}"
    during = asked + row.period - timedelta(days=1)
    after = asked + row.period + timedelta(days=1)
    assert not _reason(evaluate(lead, "call", during, make_ctx(reg, dnc_requests={"L1": asked})), rule).ok
    assert _reason(evaluate(lead, "call", after, make_ctx(reg, dnc_requests={"L1": asked})), rule).ok


@pytest.mark.parametrize("state", sorted({r.state for r in BOOK.rules if r.rule == "own_dnc_list"}))
def test_own_dnc_list_row_is_shown(state: str, tmp_path: Path) -> None:
    lead, reg, zone = _setup(state, tmp_path)
    day = _clear_day(state, frozenset({2}))
    r = _reason(evaluate(lead, "call", local(day, 12, 0, zone), make_ctx(reg)), f"state-dnc-list:{state}")
    assert r.ok and "own do-not-call list" in r.message
