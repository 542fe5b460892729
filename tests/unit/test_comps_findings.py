"""Why it did not sell: each finding a sentence with its number, none without data, each change tied to one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record

from relist.comps.findings import QualityBar, reductions, season_of, what_to_change, why_not_sold
from relist.comps.select import comps_from_records, select_comps
from relist.comps.subject import Comp, PricePoint, Subject, subject_from_lead
from relist.comps.value import Valuation, value_selection
from relist.leads import lead_from_record


def fixture() -> tuple[Subject, Valuation, list[Comp]]:
    subject = subject_from_lead(lead_from_record(lead_record(), (), TZ))
    comps, _ = comps_from_records(comp_rows())
    return subject, value_selection(select_comps(subject, comps, as_of=AS_OF)), comps


def test_fixture_findings_carry_the_hand_worked_numbers_most_serious_first() -> None:
    subject, v, comps = fixture()
    found = why_not_sold(subject, v, comps)
    by = {f.code: f for f in found}
    assert [f.code for f in found] == [
        "price", "dom", "reductions", "photos", "remarks", "missing", "original_vs_final", "season",
    ]
    assert by["price"].value == 7.6 and by["price"].severity == "major"
    assert by["price"].sentence == (
        "The last list price, $489,000, was 7.6% above the indicated value of $454,500 "
        "(median $252.50/sq ft of 6 comps × 1,800 sq ft), and above the whole comp range of $443,250-$465,750."
    )
    assert by["dom"].sentence == "It had 181 cumulative days on market; the 6 comps sold in a median of 31 days."
    assert by["reductions"].value == 2 and by["reductions"].severity == "major"
    assert "first 46 days after listing (2025-10-20)" in by["reductions"].sentence
    assert "by $36,000 in total (6.9%)" in by["reductions"].sentence
    assert by["original_vs_final"].sentence == "It started at $525,000 and ended at $489,000 (-6.9%)."
    assert by["season"].sentence == "It was listed on 2025-09-04, in autumn."
    assert by["photos"].value == 9 and "20 or more photos" in by["photos"].sentence
    assert by["photos"].source.startswith("Realtor Magazine")
    assert by["remarks"].value == 180 and "(Zillow analysis for The Wall Street Journal, 2013)" in by["remarks"].sentence
    assert by["missing"].sentence == "1 key listing field is blank in the listing data: LotSizeArea."


def test_no_finding_without_its_data() -> None:
    _, v, _ = fixture()
    bare = Subject("L-2", "9 Bare St", "33611", living_area=1800, list_price=455_000)
    found = why_not_sold(bare, v, ())
    codes = [f.code for f in found]
    assert codes == ["missing", "price"]  # no DOM, history, original price, photos or remarks: no such findings
    assert found[1].sentence.startswith("The last list price, $455,000, was within 0.1% of the indicated value")
    assert found[0].value == 6  # beds, baths, year, lot, photos, remarks


def test_a_home_priced_under_value_is_not_blamed_on_price() -> None:
    subject, v, comps = fixture()
    cheap = replace(subject, list_price=420_000)
    price = next(f for f in why_not_sold(cheap, v, comps) if f.code == "price")
    assert price.severity == "info" and price.value == -7.6
    assert "7.6% below the indicated value" in price.sentence


def test_season_share_comes_from_a_year_of_sales_on_file() -> None:
    subject, v, _ = fixture()
    day = [date(2025, 1, 15), date(2025, 4, 10), date(2025, 4, 20), date(2025, 5, 5), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 20)]
    market = [Comp(f"M{i}", "x", "33611", 400_000, d, 1_800) for i, d in enumerate(day)]
    season = next(f for f in why_not_sold(subject, v, market) if f.code == "season")
    # 1 of 7 closed in autumn (14%), 3 of 7 in spring (43%)
    assert season.sentence == "It was listed on 2025-09-04, in autumn: 14% of the 7 sales on file closed in autumn, against 43% in spring."
    assert season.severity == "minor"


def test_a_well_presented_listing_gets_no_photo_or_description_change() -> None:
    subject, v, comps = fixture()
    good = replace(subject, photos_count=32, remarks_length=640, lot_size=7000.0)
    found = why_not_sold(good, v, comps)
    areas = [c.area for c in what_to_change(found, v)]
    assert areas == ["Price", "Buyer outreach"]


def test_every_change_is_tied_to_a_finding() -> None:
    subject, v, comps = fixture()
    found = why_not_sold(subject, v, comps)
    changes = what_to_change(found, v)
    assert [c.area for c in changes] == ["Price", "Photos", "Description", "Buyer outreach", "Listing data"]
    assert all(c.finding in found for c in changes)
    assert changes[0].action == "List at $455,000, from the new comp set (range $443,250-$465,750), not above it."
    assert changes[1].action.startswith("Professional photos, at least 20 (it had 9)")
    assert changes[4].action == "Complete the blank fields so buyers' searches find it: LotSizeArea."


def test_quality_bar_is_settable() -> None:
    subject, v, comps = fixture()
    photos = next(f for f in why_not_sold(subject, v, comps, QualityBar(min_photos=8)) if f.code == "photos")
    assert photos.severity == "info"


def test_reductions_and_seasons() -> None:
    h = [PricePoint(date(2025, 1, 1), 500), PricePoint(date(2025, 2, 1), 480), PricePoint(date(2025, 3, 1), 490), PricePoint(date(2025, 4, 1), 470)]
    assert [(p.on.month, amount) for p, amount in reductions(h)] == [(2, 20), (4, 20)]
    assert [season_of(date(2025, m, 1)) for m in (12, 1, 3, 6, 9, 11)] == ["winter", "winter", "spring", "summer", "autumn", "autumn"]


@pytest.mark.parametrize("dom", [None, 20])
def test_never_reduced_says_so_only_with_a_history(dom: int | None) -> None:
    subject, v, comps = fixture()
    flat = replace(subject, price_history=(PricePoint(date(2025, 9, 4), 489_000),), days_on_market=dom, cumulative_days_on_market=None)
    codes = {f.code: f for f in why_not_sold(flat, v, comps)}
    if dom is None:
        assert "reductions" not in codes
    else:
        assert codes["reductions"].sentence == "The price was never reduced in 20 days on market."
