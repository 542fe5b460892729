"""Hypothesis properties of the verdict: never inside a closed window anywhere, DNC requests stick,
a stale registry blocks everything it covers, and next_allowed finds the earliest allowed moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.test_compliance_support import make_ctx, make_lead, write_registry

from relist.compliance.internal_dnc import record_dnc_request
from relist.compliance.registry import Registry
from relist.compliance.rules import FEDERAL, default_rules
from relist.compliance.verdict import evaluate, load_context, next_allowed
from relist.compliance.zones import phone_place, state_code, zip_place
from relist.model import Lead, Phone
from relist.workbook.memory import MemoryWorkbook

RULES = default_rules()
UTC = ZoneInfo("UTC")
DOWNLOADED = date(2027, 1, 1)
T0 = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
PHONES = ["+12195550142", "+12199310142", "+14235550142", "+18005550142", "+18085550142", "+19075550142",
          "+16715550142", "+12125550142", "+18135550142", "+15045550142", "+15125550142", "+18015550142",
          "+14015550142", "+12065550142", "+14055550142", "+13015550142", "+16025550142"]
ZIPS = ["33602", "70112", "96813", "09001", "85004", "99501", "02903", "84101", "75201", "98101", "21201", "46320", "37402", ""]
STATES = ["", "FL", "LA", "TX", "RI", "UT", "WA", "MD", "OK", "AZ", "HI", "NY", "PA", "AL"]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    areas = {p[2:5]: [5550143] for p in PHONES} | {"219": [9310142]}
    return write_registry(tmp_path_factory.mktemp("reg"), areas, DOWNLOADED)


leads = st.builds(
    lambda phones, zip1, zip2, state: make_lead(phones=phones, postal_code=zip1, mailing_postal_code=zip2, state=state),
    st.lists(st.sampled_from(PHONES), min_size=1, max_size=2, unique=True),
    st.sampled_from(ZIPS),
    st.sampled_from(ZIPS),
    st.sampled_from(STATES),
)
moments = st.integers(0, 30 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))


def _candidate_states(lead: Lead, phone: str) -> set[str]:
    places = [phone_place(phone), zip_place(lead.postal_code), zip_place(lead.mailing_postal_code)]
    return {s for s in [p.state for p in places] + [state_code(lead.state)] if s}


def _open_everywhere(lead: Lead, phone: str, channel: str, at: datetime) -> bool:
    """Independent check: inside federal and every candidate state's hours, not banned, in every candidate zone."""
    zones = set(phone_place(phone).zones) | set(zip_place(lead.postal_code).zones) | set(zip_place(lead.mailing_postal_code).zones)
    assert zones
    for z in zones:
        t = at.astimezone(ZoneInfo(z))
        minute = t.hour * 60 + t.minute
        for s in {FEDERAL} | _candidate_states(lead, phone):
            rows = [r for r in RULES.for_state(s, "hours", channel)]
            if rows:
                today = [r for r in rows if t.weekday() in r.days]
                if not today:
                    return False
                for r in today:
                    assert r.start is not None and r.end is not None
                    if not (r.start.hour * 60 + r.start.minute <= minute < r.end.hour * 60 + r.end.minute):
                        return False
            if RULES.for_state(s, "no_sunday", channel) and t.weekday() == 6:
                return False
            if RULES.for_state(s, "no_holidays", channel) and RULES.holiday_on(s, t.date()) is not None:
                return False
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=leads, at=moments, channel=st.sampled_from(["call", "text"]))
def test_no_allowed_moment_outside_any_candidate_window(registry: Registry, lead: Lead, at: datetime, channel: str) -> None:
    v = evaluate(lead, channel, at, make_ctx(registry))  # type: ignore[arg-type]
    if v.allowed:
        assert _open_everywhere(lead, v.phone, channel, at)
        assert v.window_start is not None and v.window_end is not None and v.window_start <= at < v.window_end


def test_the_window_property_is_not_vacuous(registry: Registry) -> None:
    allowed = [
        evaluate(make_lead(phones=[p], postal_code="", state=""), "call", T0 + timedelta(hours=h), make_ctx(registry)).allowed
        for p in PHONES for h in range(0, 48, 2)
    ]
    assert 0 < sum(allowed) < len(allowed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lead=leads,
    via=st.sampled_from(["call", "text", "letter", "door"]),
    asked=moments,
    later=st.integers(0, 3 * 365 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    channel=st.sampled_from(["call", "text"]),
    new_phone=st.booleans(),
)
def test_a_dnc_request_blocks_every_later_call_and_text(
    registry: Registry, lead: Lead, via: str, asked: datetime, later: timedelta, channel: str, new_phone: bool
) -> None:
    book = MemoryWorkbook()
    record_dnc_request(book, lead, via, "test", asked, "asked")
    if new_phone:  # a number found after the request is covered too
        lead = make_lead(phones=[*lead.phones, Phone("+13055550199", 9)], postal_code=lead.postal_code, state=lead.state)
    at = asked + later
    v = evaluate(lead, channel, at, load_context(book, at, registry.directory))  # type: ignore[arg-type]
    assert not v.allowed
    assert {"internal-dnc", "dnc-request"} & {r.rule for r in v.blocking}
    assert next_allowed(lead, channel, at, load_context(book, at, registry.directory)) is None  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=leads, days=st.integers(32, 400), minute=st.integers(0, 24 * 60 - 1), channel=st.sampled_from(["call", "text"]))
def test_a_stale_registry_blocks_everything_it_covers(registry: Registry, lead: Lead, days: int, minute: int, channel: str) -> None:
    ctx = make_ctx(registry)
    at = datetime.combine(DOWNLOADED + timedelta(days=days), datetime.min.time(), tzinfo=ctx.settings.tz) + timedelta(minutes=minute)
    v = evaluate(lead, channel, at, ctx)  # type: ignore[arg-type]
    assert not v.allowed
    stale = [r for r in v.blocking if r.rule == "registry"]
    assert len(stale) == len(lead.usable_phones()) and all("more than 31" in r.message for r in stale)
    assert next_allowed(lead, channel, at, ctx) is None  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=leads, after=moments, channel=st.sampled_from(["call", "text", "door"]),
       calls=st.lists(st.integers(0, 48 * 60), max_size=4))
def test_next_allowed_is_allowed_and_nothing_earlier_is(
    registry: Registry, lead: Lead, after: datetime, channel: str, calls: list[int]
) -> None:
    log = {"L1": [(after - timedelta(minutes=m), "call") for m in calls]}
    ctx = make_ctx(registry, contact_log=log)
    nxt = next_allowed(lead, channel, after, ctx, horizon_days=3)  # type: ignore[arg-type]
    if nxt is None:
        probes = [after + timedelta(minutes=m) for m in range(0, 3 * 24 * 60, 53)]
    else:
        assert nxt >= after and evaluate(lead, channel, nxt, ctx).allowed  # type: ignore[arg-type]
        span = (nxt - after).total_seconds() / 60
        probes = [after + timedelta(minutes=span * i / 30) for i in range(30)]
        probes = [p for p in probes if p < nxt - timedelta(seconds=1)]
    assert not any(evaluate(lead, channel, p, ctx).allowed for p in probes)  # type: ignore[arg-type]


_touch = st.tuples(
    st.sampled_from(["L1", "L2", "L3"]),
    st.integers(0, 60 * 24 * 40),  # minutes before T1 (up to 40 days back)
    st.sampled_from(["call", "text", "email", "letter", "door"]),
    st.sampled_from(["no-answer", "do-not-call", "stop", "sent", "voicemail"]),
    st.booleans(),  # an undo row for an earlier touch
)


@settings(max_examples=60, deadline=None)
@given(touches=st.lists(_touch, max_size=25), channel=st.sampled_from(["call", "text", "email"]), lead_id=st.sampled_from(["L1", "L2", "L3"]))
def test_a_known_log_gives_the_context_the_workbook_gives(touches: list[tuple[str, int, str, str, bool]], channel: str, lead_id: str) -> None:
    """Building the queue hands compliance the log it already parsed: the verdicts must be the ones reading the workbook gives."""
    from relist.sequence.gate import compliance_gate
    from relist.sequence.touches import TOUCH_COLUMNS, parse_touches

    tz = ZoneInfo("America/New_York")
    t1 = datetime(2027, 2, 10, 14, 0, tzinfo=tz)
    rows: list[dict[str, object]] = []
    for n, (lead, back, ch, outcome, undo) in enumerate(touches, 1):
        at = (t1 - timedelta(minutes=back)).replace(tzinfo=None)
        if undo and rows:
            target = rows[n // 2 - 1] if n > 1 else rows[0]
            rows.append({"TouchId": f"T{n:07d}", "LeadId": target["LeadId"], "At": at, "Channel": target["Channel"], "Step": None,
                         "Outcome": "undo", "Phone": None, "FollowUpAt": None, "UndoOf": target["TouchId"]})
            continue
        rows.append({"TouchId": f"T{n:07d}", "LeadId": lead, "At": at, "Channel": ch, "Step": None, "Outcome": outcome,
                     "Phone": None, "FollowUpAt": None, "UndoOf": None})
    book = MemoryWorkbook({"tblTouches": rows, "tblSettings": [{"Key": "TimeZone", "Value": "America/New_York"}]})
    log = parse_touches(book.read_records("tblTouches", list(TOUCH_COLUMNS)))
    read = compliance_gate(book, t1)
    known = compliance_gate(book, t1, log=log)
    assert dict(known.ctx.dnc_requests) == dict(read.ctx.dnc_requests)
    assert known.ctx.internal_phones == read.ctx.internal_phones
    for lid in ("L1", "L2", "L3"):
        assert known.ctx.contact_log.get(lid, ()) == read.ctx.contact_log.get(lid, ())
    lead = make_lead(lead_id=lead_id, phones=["+18135550142"], postal_code="33602", state="FL")
    for at in (t1, t1 + timedelta(hours=5)):
        assert evaluate(lead, channel, at, known.ctx) == evaluate(lead, channel, at, read.ctx)  # type: ignore[arg-type]
