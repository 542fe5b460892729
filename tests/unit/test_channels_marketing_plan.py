"""The marketing plan: the spec read from the lead's own data, then a branded PDF."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from tests.identity import agent_settings

from relist.channels.marketing_plan import (
    TIMELINE,
    build_plan,
    parse_price_history,
    plan_pdf,
    what_will_change,
)
from relist.errors import BadInput
from relist.model import Lead

AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
S = agent_settings()


def lead(**fields: object) -> Lead:
    return Lead("L0001", owner_name="John Smith", property_address="123 Main St", city="Tampa", state="FL",
                postal_code="33602", list_price=429000.0, expired_at=AT, fields=dict(fields))


def test_price_history_parsing_skips_junk() -> None:
    got = parse_price_history("2026-03-01:450000; 2026-05-10:$439,000;garbage;2026-07-01:n/a;2026-08-01:429000")
    assert [(p.when, p.price) for p in got] == [("2026-03-01", 450000.0), ("2026-05-10", 439000.0), ("2026-08-01", 429000.0)]
    assert parse_price_history(None) == []


def test_changes_follow_the_listing_data() -> None:
    weak = lead(PriceHistory="2026-03-01:450000;2026-05-10:439000;2026-07-01:429000", PhotosCount=12,
                RemarksLength=240, DaysOnMarket=87, Cycle=2)
    changes = what_will_change(weak)
    text = " ".join(changes)
    assert "cut 2 times, from $450,000 to $429,000" in text
    assert "12 photos" in text and "240 characters" in text and "87 days" in text and "more than once" in text
    strong = what_will_change(lead(PhotosCount=40, RemarksLength=900, DaysOnMarket=20))
    assert len(strong) == 2  # price from comps and weekly reports only
    assert not any("photos" in c.lower() for c in strong)


def test_spec_has_property_history_plan_timeline_and_branding() -> None:
    spec = build_plan(lead(BedroomsTotal=3, BathroomsTotal=2.5, LivingArea=1850, YearBuilt=1994,
                           ListingContractDate=date(2026, 3, 1), OriginalListPrice=450000), S, AT)
    assert spec.title == "A marketing plan for 123 Main St"
    assert dict(spec.property)["Living area"] == "1,850 sq ft"
    assert dict(spec.property)["Bathrooms"] == "2.5"
    assert dict(spec.history)["Listed"] == "March 1, 2026"
    assert dict(spec.history)["Original price"] == "$450,000"
    assert spec.plan[0].startswith("Professional photos")
    assert all(p[0].isupper() and not p.endswith(".") for p in spec.plan)
    assert spec.timeline == TIMELINE
    assert spec.branding.brokerage == "Gulfview Realty" and spec.branding.license_number == "SL7001234"


def test_pdf_holds_every_section_and_the_branding() -> None:
    pdf = plan_pdf(build_plan(lead(PhotosCount=10), S, AT), S, AT)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for part in ("The property", "List history", "What will change", "The plan", "Timeline", "Gulfview Realty",
                 "License No. SL7001234", "Prepared for John Smith"):
        assert part in text, part
    assert reader.metadata is not None and reader.metadata.title == "A marketing plan for 123 Main St"


def test_plan_requires_brokerage_and_license() -> None:
    with pytest.raises(BadInput, match="Settings > License number"):
        build_plan(lead(), agent_settings(("LicenseNumber", "")), AT)


def test_every_sentence_has_its_number() -> None:
    """The issue: 'sold nearby in the last months' (the number was missing); it comes from Settings > CompMonths now."""
    from relist.channels.templates import missing_number

    spec = build_plan(lead(PriceHistory="2026-03-01:450000;2026-05-10:429000", OriginalListPrice=450000), S, AT)
    text = " ".join(spec.changes)
    assert "in the last 6 months" in text and not missing_number(text)
    nine = agent_settings(("CompMonths", "9"))
    assert "in the last 9 months" in " ".join(build_plan(lead(), nine, AT).changes)


def test_price_changes_match_the_presentation_facts() -> None:
    """An import-dated last price is a change whose date is not on file, never a change on the expiry day."""
    spec = build_plan(lead(PriceHistory="2026-11-25:429000", OriginalListPrice=450000, ListingContractDate="2026-03-01"), S, AT)
    rows = dict(spec.history)
    assert rows["Price changes"] == "$450,000 (March 1, 2026) > $429,000 (date not on file)"
    assert rows["Listed"] == "March 1, 2026"
    assert "cut 1 time, from $450,000 to $429,000" in spec.changes[0]
