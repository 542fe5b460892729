"""Why it did not sell: findings from one set of facts, each with its numbers, none contradicting another; changes tied to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record

from relist.comps.findings import (
    QualityBar,
    agent_alert,
    listing_facts,
    price_call,
    reductions,
    season_of,
    what_to_change,
    why_not_sold,
)
from relist.comps.select import comps_from_records, select_comps
from relist.comps.subject import Comp, PricePoint, Subject, subject_from_lead
from relist.comps.value import Valuation, value_from_comps, value_selection
from relist.comps.words import internal_words
from relist.leads import lead_from_record


def fixture() -> tuple[Subject, Valuation, list[Comp]]:
    subject = subject_from_lead(lead_from_record(lead_record(), (), TZ))
    comps, _ = comps_from_records(comp_rows())
    return subject, value_selection(select_comps(subject, comps, as_of=AS_OF), comps), comps


def test_fixture_findings_carry_the_hand_worked_numbers_most_serious_first() -> None:
    subject, v, comps = fixture()
    found = why_not_sold(subject, v, comps)
    by = {f.code: f for f in found}
    assert [f.code for f in found] == ["price", "dom", "reductions", "photos", "remarks", "missing", "season"]
    assert by["price"].value == 7.6 and by["price"].severity == "major"
    assert by["price"].sentence == (
        "The last list price, $489,000, was 8% above what 6 comparable sales at a median $252.50/sq ft "
        "for its 1,800 sq ft support ($430,000 to $480,000)."
    )
    assert by["dom"].sentence == "It spent 181 days on the market in all; the 6 comparable homes sold in a median of 31 days."
    assert by["reductions"].value == 2 and by["reductions"].severity == "major"
    assert by["reductions"].sentence == (
        "It started at $525,000 and ended at $489,000 (-6.9%); the price was cut 2 times, first on October 20, 2025, "
        "46 days after listing (later than the 31 days the comparable homes took to sell), by $36,000 in all."
    )
    assert by["season"].sentence == "It was listed on September 4, 2025, in autumn."
    assert by["photos"].value == 9 and "20 or more photos" in by["photos"].sentence
    assert by["photos"].source.startswith("Realtor Magazine")
    assert by["remarks"].value == 180 and "(Zillow analysis for The Wall Street Journal, 2013)" in by["remarks"].sentence
    assert by["missing"].sentence == "The listing left out the lot size, so buyers searching on it could miss it."
    assert not internal_words("\n".join(f.sentence for f in found))


def test_no_finding_without_its_data() -> None:
    _, v, _ = fixture()
    bare = Subject("L-2", "9 Bare St", "33611", living_area=1800, list_price=455_000)
    found = why_not_sold(bare, v, ())
    codes = [f.code for f in found]
    assert codes == ["missing", "price", "reductions"]  # no DOM, dates, photos or remarks: no such findings
    assert found[1].sentence.startswith("The last list price, $455,000, was inside the range")
    assert found[0].value == 4  # beds, baths, year, lot
    assert found[2].sentence == "The price stayed at $455,000 the whole time; it was never reduced."


def test_a_home_priced_under_value_is_not_blamed_on_price() -> None:
    subject, v, comps = fixture()
    cheap = replace(subject, list_price=420_000)
    price = next(f for f in why_not_sold(cheap, v, comps) if f.code == "price")
    assert price.severity == "info" and price.value == -7.6
    assert "8% below what 6 comparable sales" in price.sentence
    assert price_call(cheap, v) == "raise"


def test_season_share_comes_from_a_year_of_sales_on_file() -> None:
    subject, v, _ = fixture()
    day = [date(2025, 1, 15), date(2025, 4, 10), date(2025, 4, 20), date(2025, 5, 5), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 20)]
    market = [Comp(f"M{i}", "x", "33611", 400_000, d, 1_800) for i, d in enumerate(day)]
    season = next(f for f in why_not_sold(subject, v, market) if f.code == "season")
    # 1 of 7 closed in autumn (14%), 3 of 7 in spring (43%)
    assert season.sentence == ("It was listed on September 4, 2025, in autumn: 14% of the 7 sales on file closed in autumn, "
                               "against 43% in spring.")
    assert season.severity == "minor"


def test_a_well_presented_listing_gets_no_photo_or_description_change() -> None:
    subject, v, comps = fixture()
    good = replace(subject, photos_count=32, remarks_length=640, lot_size=7000.0)
    found = why_not_sold(good, v, comps)
    areas = [c.area for c in what_to_change(found, v, subject=good)]
    assert areas == ["Price", "Buyer outreach"]


def test_every_change_is_tied_to_a_finding() -> None:
    subject, v, comps = fixture()
    found = why_not_sold(subject, v, comps)
    changes = what_to_change(found, v, subject=subject)
    assert [c.area for c in changes] == ["Price", "Photos", "Description", "Buyer outreach", "Listing details"]
    assert all(c.finding in found for c in changes)
    assert changes[0].action == "List at $455,000, the middle of what the comparable sales support ($430,000 to $480,000)."
    assert changes[1].action.startswith("Professional photos, at least 20 (it had 9)")
    assert "LotSizeArea" not in changes[4].action


def test_quality_bar_is_settable() -> None:
    subject, v, comps = fixture()
    photos = next(f for f in why_not_sold(subject, v, comps, QualityBar(min_photos=8)) if f.code == "photos")
    assert photos.severity == "info"


def test_reductions_and_seasons() -> None:
    h = [PricePoint(date(2025, 1, 1), 500), PricePoint(date(2025, 2, 1), 480), PricePoint(date(2025, 3, 1), 490), PricePoint(date(2025, 4, 1), 470)]
    assert [(p.on.month, amount) for p, amount in reductions(h)] == [(2, 20), (4, 20)]
    assert [season_of(date(2025, m, 1)) for m in (12, 1, 3, 6, 9, 11)] == ["winter", "winter", "spring", "summer", "autumn", "autumn"]


def test_never_reduced_only_when_the_price_never_moved() -> None:
    subject, v, comps = fixture()
    flat = replace(subject, price_history=(PricePoint(date(2025, 9, 4), 489_000),), original_list_price=489_000,
                   days_on_market=20, cumulative_days_on_market=None)
    by = {f.code: f for f in why_not_sold(flat, v, comps)}
    assert by["reductions"].sentence == "The price stayed at $489,000 the whole time in 20 days; it was never reduced."


def test_an_import_dated_price_is_a_cut_whose_date_is_not_on_file() -> None:
    """The issue's L000001: one history entry stamped on the import day, original $530,000, last $491,000."""
    s = Subject("L1", "1 A St", "33611", 1800, list_price=491_000, original_list_price=530_000,
                price_history=(PricePoint(date(2026, 11, 25), 491_000),), days_on_market=265,
                expired_on=date(2026, 11, 25))
    facts = listing_facts(s)
    assert facts.listed_on == date(2026, 3, 5) and facts.listed_estimated
    assert [(st.on, st.price) for st in facts.steps] == [(date(2026, 3, 5), 530_000), (None, 491_000)]
    comps = [Comp(f"C{i}", f"{i} B St", "33611", 270.0 * 1800 * (1 + i / 100), date(2026, 10, 1), 1800, days_on_market=40)
             for i in range(5)]
    v = value_from_comps(comps, 1800)
    text = "\n".join(f.sentence for f in why_not_sold(s, v, comps))
    assert "never reduced" not in text
    assert "started at $530,000 and ended at $491,000 (-7.4%); the price was cut once (the date of the cut is not on file)" in text
    assert "listed around March 5, 2026, in spring" in text
    assert "November 25, 2026" not in text.split("listed")[-1]


def test_a_jump_the_evidence_cannot_carry_is_never_keep() -> None:
    """The issue's L000004: last listed $344,000, three comps from $178 to $503/sq ft."""
    s = Subject("L4", "4 D St", "33611", 2223, list_price=344_000)
    comps = [Comp("A", "a", "33611", 378_500, date(2026, 6, 1), 2131), Comp("B", "b", "33611", 980_000, date(2026, 11, 5), 1947),
             Comp("C", "c", "33611", 505_000, date(2026, 8, 1), 1737)]
    v = value_from_comps(comps, 2223)
    assert v.confidence.level == "low" and v.suggested_list_price is None
    assert price_call(s, v) == "range"
    found = why_not_sold(s, v, comps)
    changes = what_to_change(found, v, subject=s)
    text = "\n".join([f.sentence for f in found] + [c.action for c in changes]).lower()
    assert "keep" not in text and "not what held it back" not in text
    assert "walk-through" in text
    alert = agent_alert(s, v)
    assert "% above the last list price of $344,000" in alert and "low" in alert


@pytest.mark.parametrize("last", [420_000, 455_000, 489_000, 600_000])
def test_the_price_call_follows_the_range(last: float) -> None:
    subject, v, _ = fixture()
    s = replace(subject, list_price=last)
    call = price_call(s, v)
    if v.within(last):
        assert call == "keep"
    elif abs(v.indicated_value / last - 1) > 0.25:
        assert call == "range" and agent_alert(s, v)
    else:
        assert call == ("lower" if last > v.indicated_value else "raise") and not agent_alert(s, v)
