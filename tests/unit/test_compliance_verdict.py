"""The verdict rule by rule: statuses, channels, DNC sources, registry age, local time and windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.unit.test_compliance_support import NY, make_ctx, make_lead, write_registry

from relist.compliance.registry import Registry
from relist.compliance.verdict import evaluate, next_allowed, registry_dir_for
from relist.compliance.zones import phone_place, zip_place
from relist.model import Phone, Reason, Verdict
from relist.settings import from_pairs

CHI = ZoneInfo("America/Chicago")
DAY = date(2026, 6, 3)  # a Wednesday, no holiday anywhere
AT = datetime(2026, 6, 3, 11, 0, tzinfo=NY)


def reason(v: Verdict, rule: str) -> Reason:
    found = [r for r in v.reasons if r.rule == rule]
    assert found, f"no {rule} in {[r.rule for r in v.reasons]}"
    return found[0]


@pytest.fixture
def reg(tmp_path: Path) -> Registry:
    return write_registry(
        tmp_path / "reg",
        {"813": [5550100], "219": [], "423": [], "800": [], "808": [], "907": [], "212": [], "404": []},
        date(2026, 5, 30),
    )


def test_a_clean_lead_is_allowed_with_every_rule_listed(reg: Registry) -> None:
    v = evaluate(make_lead(), "call", AT, make_ctx(reg))
    assert v.allowed and v.phone == "+18135550142"
    rules = [r.rule for r in v.reasons]
    for want in ("lead-status", "listing-status", "channel", "internal-dnc", "registry", "national-dnc",
                 "local-time", "federal-window", "state-hours:FL", "frequency-cap:FL"):
        assert want in rules
    assert all(r.source for r in v.reasons)
    assert v.window_start == datetime(2026, 6, 3, 8, 0, tzinfo=NY) and v.window_end == datetime(2026, 6, 3, 20, 0, tzinfo=NY)


@pytest.mark.parametrize("status", ["DNC", "Dead", "Listed", "Relisted", "Not contactable"])
def test_closed_lead_statuses_block_every_channel(reg: Registry, status: str) -> None:
    for ch in ("call", "text", "letter", "door", "email"):
        v = evaluate(make_lead(status=status), ch, AT, make_ctx(reg))
        assert not v.allowed and not reason(v, "lead-status").ok


@pytest.mark.parametrize("listing", ["Active", "Pending", "Withdrawn", "Hold", "ComingSoon", ""])
def test_only_expired_or_canceled_listings(reg: Registry, listing: str) -> None:
    v = evaluate(make_lead(listing_status=listing), "letter", AT, make_ctx(reg))
    assert not v.allowed and "16-4" in reason(v, "listing-status").source


def test_relisted_lead_is_not_contactable(reg: Registry) -> None:
    v = evaluate(make_lead(listing_status="Canceled", contactable=False, not_contactable_reason="relisted 2026-05-01 with another broker"),
                 "door", AT, make_ctx(reg))
    assert not v.allowed and "relisted" in reason(v, "listing-status").message


def test_channel_rules(reg: Registry) -> None:
    ctx = make_ctx(reg)
    assert "never prerecorded" in reason(evaluate(make_lead(), "call", AT, ctx), "channel").message
    assert "one message at a time" in reason(evaluate(make_lead(), "text", AT, ctx), "channel").message
    door = evaluate(make_lead(), "door", AT, ctx)
    hanger = reason(door, "door-hanger")
    assert door.allowed and hanger.ok and "never in or on the mailbox" in hanger.message and "1725" in hanger.source
    assert evaluate(make_lead(), "letter", datetime(2026, 6, 3, 23, 30, tzinfo=NY), ctx).allowed  # letters have no window
    no_brokerage = make_ctx(reg, settings=from_pairs([("Brokerage", "")]))
    for ch in ("text", "letter", "email"):
        v = evaluate(make_lead(), ch, AT, no_brokerage)
        assert not v.allowed and not reason(v, "brokerage-name").ok
    no_address = make_ctx(reg, settings=from_pairs([("PostalAddress", "")]))
    v = evaluate(make_lead(), "email", AT, no_address)
    assert not v.allowed and not reason(v, "postal-address").ok
    assert reason(evaluate(make_lead(), "email", AT, ctx), "email-opt-out").ok


def test_email_rules(reg: Registry) -> None:
    assert evaluate(make_lead(), "email", AT, make_ctx(reg)).allowed
    gone = evaluate(make_lead(), "email", AT, make_ctx(reg, internal_emails={"owner@example.com"}))
    assert not gone.allowed and not reason(gone, "email-unsubscribed").ok
    assert not evaluate(make_lead(email=""), "email", AT, make_ctx(reg)).allowed
    # an unsubscribed email stops email only
    assert evaluate(make_lead(), "call", AT, make_ctx(reg, internal_emails={"owner@example.com"})).allowed


def test_door_hours_are_a_product_rule_at_the_property(reg: Registry) -> None:
    ctx = make_ctx(reg)
    assert not evaluate(make_lead(), "door", datetime(2026, 6, 3, 8, 30, tzinfo=NY), ctx).allowed
    v = evaluate(make_lead(), "door", datetime(2026, 6, 3, 19, 59, tzinfo=NY), ctx)
    assert v.allowed and "product rule" in reason(v, "door-hours").source
    assert not evaluate(make_lead(postal_code="09001"), "door", AT, ctx).allowed  # military ZIP: no local time
    assert next_allowed(make_lead(), "door", datetime(2026, 6, 3, 21, 0, tzinfo=NY), ctx) == datetime(2026, 6, 4, 9, 0, tzinfo=NY)


def test_dnc_sources_and_the_stricter_wins(reg: Registry) -> None:
    registry_hit = evaluate(make_lead(phones=["+18135550100"]), "call", AT, make_ctx(reg))
    assert not registry_hit.allowed and not reason(registry_hit, "national-dnc").ok
    internal = evaluate(make_lead(), "text", AT, make_ctx(reg, internal_phones={"+18135550142"}))
    assert not internal.allowed and not reason(internal, "internal-dnc").ok
    vendor = evaluate(make_lead(phones=[Phone("+18135550142", vendor_dnc=True)]), "call", AT, make_ctx(reg))
    assert not vendor.allowed and not reason(vendor, "vendor-dnc").ok
    for channel in ("call", "text"):
        sued = evaluate(make_lead(phones=[Phone("+18135550142", litigator=True)]), channel, AT, make_ctx(reg))
        assert not sued.allowed and not reason(sued, "vendor-litigator").ok and "litigator" in reason(sued, "vendor-litigator").message
    allowed = from_pairs([("AllowLitigatorCalls", "Yes")])
    sued = evaluate(make_lead(phones=[Phone("+18135550142", litigator=True)]), "call", AT, make_ctx(reg, settings=allowed))
    assert sued.allowed and reason(sued, "vendor-litigator").ok
    asked = evaluate(make_lead(), "call", AT, make_ctx(reg, dnc_requests={"L1": AT - timedelta(days=3)}))
    assert not asked.allowed and not reason(asked, "dnc-request").ok
    later = evaluate(make_lead(), "call", AT, make_ctx(reg, dnc_requests={"L1": AT + timedelta(days=3)}))
    assert later.allowed  # a request blocks what comes after it


def test_the_first_clean_phone_is_chosen_and_the_skipped_ones_explained(reg: Registry) -> None:
    lead = make_lead(phones=[Phone("+18135550100", 1), Phone("+18135550177", 2, status="Bad"), Phone("+18135550188", 3)])
    v = evaluate(lead, "call", AT, make_ctx(reg))
    assert v.allowed and v.phone == "+18135550188"
    skipped = [r for r in v.reasons if r.rule == "phone-skipped"]
    assert skipped and "National DNC Registry" in skipped[0].message
    only = evaluate(lead, "call", AT, make_ctx(reg), phone="+18135550100")
    assert not only.allowed and only.phone == ""
    assert not evaluate(make_lead(phones=[]), "call", AT, make_ctx(reg)).allowed
    assert not evaluate(make_lead(phones=["+442071234567"]), "call", AT, make_ctx(reg)).allowed


def test_registry_age_missing_warning_and_stale(tmp_path: Path) -> None:
    lead = make_lead()
    missing = evaluate(lead, "call", AT, make_ctx(Registry.empty()))
    assert not missing.allowed and "not in the registry copy" in reason(missing, "registry").message
    warn = write_registry(tmp_path / "w", {"813": []}, AT.date() - timedelta(days=25))
    v = evaluate(lead, "call", AT, make_ctx(warn))
    assert v.allowed and "goes stale" in reason(v, "registry").message
    edge = write_registry(tmp_path / "e", {"813": []}, AT.date() - timedelta(days=31))
    assert evaluate(lead, "call", AT, make_ctx(edge)).allowed
    stale = write_registry(tmp_path / "s", {"813": []}, AT.date() - timedelta(days=32))
    v = evaluate(lead, "text", AT, make_ctx(stale))
    assert not v.allowed and "more than 31" in reason(v, "registry").message
    assert next_allowed(lead, "text", AT, make_ctx(stale)) is None


def test_damaged_index_blocks(tmp_path: Path) -> None:
    reg = write_registry(tmp_path / "d", {"813": [5550100, 5550101]}, AT.date())
    (tmp_path / "d" / "813.u32").write_bytes(b"\x00\x00")
    v = evaluate(make_lead(), "call", AT, make_ctx(Registry.open(reg.directory)))  # type: ignore[arg-type]
    assert not v.allowed and "damaged" in reason(v, "registry").message


# ---------------------------------------------------------------- local time: the border cases


def test_219_fallback_takes_both_zones() -> None:
    fallback = phone_place("+12195550142")  # exchange unknown: falls back to the area code
    assert set(fallback.zones) == {"America/Chicago", "America/New_York"} and "every zone of area code 219" in fallback.note
    assert phone_place("+12199310142").zones == ("America/Chicago",)  # Hammond exchange, known


def test_423_fallback_takes_both_zones() -> None:
    assert set(phone_place("+14235550142").zones) == {"America/Chicago", "America/New_York"}


def test_219_window_is_the_intersection(reg: Registry) -> None:
    lead = make_lead(phones=["+12195550142"], state="IN", postal_code="")
    ctx = make_ctx(reg)
    # 08:30 Eastern is 07:30 Central: the Central candidate is still outside the window
    v = evaluate(lead, "call", datetime(2026, 6, 3, 8, 30, tzinfo=NY), ctx)
    assert not v.allowed and "America/Chicago" in reason(v, "federal-window").message
    assert evaluate(lead, "call", datetime(2026, 6, 3, 9, 0, tzinfo=NY), ctx).allowed
    # 20:30 Central is 21:30 Eastern: the Eastern candidate is closed
    assert not evaluate(lead, "call", datetime(2026, 6, 3, 20, 30, tzinfo=CHI), ctx).allowed
    v = evaluate(lead, "call", datetime(2026, 6, 3, 12, 0, tzinfo=NY), ctx)
    assert v.window_start == datetime(2026, 6, 3, 9, 0, tzinfo=NY) and v.window_end == datetime(2026, 6, 3, 21, 0, tzinfo=NY)


def test_toll_free_numbers_have_no_window(reg: Registry) -> None:
    p = phone_place("+18005550142")
    assert len(p.zones) > 30 and "toll-free" in p.note
    lead = make_lead(phones=["+18005550142"], postal_code="")
    v = evaluate(lead, "call", AT, make_ctx(reg))
    assert not v.allowed and "candidate zones" in reason(v, "federal-window").message
    # Guam to Newfoundland: only a sliver of the evening is inside 08:00-20:00 (FL) everywhere at once
    nxt = next_allowed(lead, "call", AT, make_ctx(reg))
    assert nxt is not None and evaluate(lead, "call", nxt, make_ctx(reg)).allowed
    for z in p.zones:
        t = nxt.astimezone(ZoneInfo(z))
        assert 8 * 60 <= t.hour * 60 + t.minute < 20 * 60, z
    assert not evaluate(lead, "call", nxt + timedelta(minutes=45), make_ctx(reg)).allowed


def test_zip_without_zone(reg: Registry) -> None:
    assert zip_place("09001").zones == () and "military" in zip_place("09001").note
    assert zip_place("00000").zones == () and zip_place("abc").note == "not a ZIP code"
    lead = make_lead(phones=["+12125550142"], state="", postal_code="09001")
    v = evaluate(lead, "call", AT, make_ctx(reg))  # the phone still resolves
    assert v.allowed and "military ZIP" in reason(v, "local-time").message


def test_nothing_resolves_blocks_and_says_so(tmp_path: Path) -> None:
    reg = write_registry(tmp_path / "r", {"999": []}, AT.date())
    lead = make_lead(phones=["+19995550142"], state="", postal_code="09001", mailing_postal_code="96201")
    v = evaluate(lead, "call", AT, make_ctx(reg))
    r = reason(v, "local-time")
    assert not v.allowed and not r.ok and "cannot tell" in r.message and "military ZIP" in r.message
    assert next_allowed(lead, "call", AT, make_ctx(reg)) is None


def test_mailing_zip_adds_a_zone_and_a_state(reg: Registry) -> None:
    # Florida property, owner living in Hawaii with a 212 phone: three zones, FL and HI rules
    lead = make_lead(phones=["+12125550142"], mailing_postal_code="96813")
    ctx = make_ctx(reg)
    assert not evaluate(lead, "call", datetime(2026, 6, 3, 12, 0, tzinfo=NY), ctx).allowed  # 06:00 in Honolulu
    ok = evaluate(lead, "call", datetime(2026, 6, 3, 14, 30, tzinfo=NY), ctx)  # 08:30 Honolulu
    assert ok.allowed
    assert not evaluate(lead, "call", datetime(2026, 6, 3, 20, 15, tzinfo=NY), ctx).allowed  # FL closes 20:00


def test_window_across_the_date_line(tmp_path: Path) -> None:
    """Guam and Honolulu candidates: each zone is judged on its own local date."""
    reg = write_registry(tmp_path / "r", {"671": [], "808": []}, AT.date())
    lead = make_lead(phones=["+16715550142"], state="", postal_code="96813")
    hst = ZoneInfo("Pacific/Honolulu")
    v = evaluate(lead, "call", datetime(2026, 6, 3, 13, 0, tzinfo=hst), make_ctx(reg))  # Guam: 09:00 next day
    assert v.allowed, v.explain()
    assert v.window_start == datetime(2026, 6, 3, 12, 0, tzinfo=hst) and v.window_end == datetime(2026, 6, 3, 21, 0, tzinfo=hst)


def test_dst_change_keeps_local_hours(reg: Registry) -> None:
    lead = make_lead()
    sunday = datetime(2026, 3, 8, 8, 0, tzinfo=NY)  # the morning clocks spring forward
    assert evaluate(lead, "call", sunday, make_ctx(reg)).window_start is not None
    assert not evaluate(lead, "call", sunday - timedelta(minutes=1), make_ctx(reg)).allowed


# ---------------------------------------------------------------- next_allowed


def test_next_allowed_finds_the_window_and_the_cap_release(reg: Registry) -> None:
    lead = make_lead()
    ctx = make_ctx(reg)
    assert next_allowed(lead, "call", datetime(2026, 6, 3, 21, 5, tzinfo=NY), ctx) == datetime(2026, 6, 4, 8, 0, tzinfo=NY)
    assert next_allowed(lead, "call", AT, ctx) == AT
    calls = [(datetime(2026, 6, 3, 9, 0, tzinfo=NY) + timedelta(hours=i), "call") for i in range(3)]
    capped = make_ctx(reg, contact_log={"L1": calls})
    assert not evaluate(lead, "call", AT + timedelta(hours=1), capped).allowed
    assert next_allowed(lead, "call", AT + timedelta(hours=1), capped) == datetime(2026, 6, 4, 9, 0, tzinfo=NY)
    assert next_allowed(make_lead(status="Dead"), "call", AT, ctx) is None
    assert next_allowed(lead, "letter", AT, ctx) == AT


def test_next_allowed_skips_sunday_bans(tmp_path: Path) -> None:
    reg = write_registry(tmp_path / "r", {"504": []}, date(2026, 6, 1))
    lead = make_lead(phones=["+15045550142"], state="LA", postal_code="70112")
    sat_night = datetime(2026, 6, 6, 20, 30, tzinfo=CHI)
    assert next_allowed(lead, "call", sat_night, make_ctx(reg)) == datetime(2026, 6, 8, 8, 0, tzinfo=CHI)


def test_naive_moments_are_refused(reg: Registry) -> None:
    with pytest.raises(ValueError, match="aware"):
        evaluate(make_lead(), "call", datetime(2026, 6, 3, 11, 0), make_ctx(reg))


def test_registry_dir_for_a_book_path(tmp_path: Path) -> None:
    class Book:
        path = tmp_path / "Relist.xlsx"

    assert registry_dir_for(Book()) == tmp_path / "Relist.dnc"
    assert registry_dir_for(object()) is None

