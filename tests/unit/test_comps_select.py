"""Comp selection on the Tampa fixture: hand-worked matches and scores, widening, and the no-comps error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record

from relist.comps.select import (
    CompFilters,
    NoComparables,
    comps_from_records,
    months_before,
    select_comps,
)
from relist.comps.subject import Comp, miles_between, parse_price_history, subject_from_lead
from relist.errors import BadInput
from relist.leads import lead_from_record
from relist.settings import from_pairs


def subject(**changes: object):  # type: ignore[no-untyped-def]
    return subject_from_lead(lead_from_record(lead_record(**changes), (), TZ))


def fixture_comps() -> list[Comp]:
    comps, skipped = comps_from_records(comp_rows())
    assert skipped == 1  # S-2012 has no ClosePrice
    return comps


def test_default_filters_keep_the_six_hand_worked_comps_in_score_order() -> None:
    sel = select_comps(subject(), fixture_comps(), as_of=AS_OF)
    assert sel.considered == 12
    assert sel.matched == 6
    assert [(k.comp.comp_id, k.score) for k in sel.kept] == [
        ("S-2001", 86.3),
        ("S-2002", 85.0),
        ("S-2004", 73.2),
        ("S-2003", 54.6),
        ("S-2005", 52.1),
        ("S-2006", 32.6),
    ]
    assert sel.widenings == ()
    assert sel.used == sel.requested


def test_each_kept_comp_says_why_it_was_kept() -> None:
    sel = select_comps(subject(), fixture_comps(), as_of=AS_OF)
    first = sel.kept[0]
    assert first.reasons == (
        "0.28 mi away",
        "sold February 14, 2026 (24 days ago)",
        "1,750 sq ft (-2.8%)",
        "3 bd (same)",
        "2 ba (same)",
        "built 1997 (+2 yr)",
    )
    assert first.distance_miles == pytest.approx(0.27638, abs=1e-4)
    no_coords = next(k for k in sel.kept if k.comp.comp_id == "S-2006")
    assert no_coords.distance_miles is None
    assert no_coords.reasons[0] == "same ZIP code 33611"
    assert "4 bd (+1)" in no_coords.reasons and "3 ba (+1)" in no_coords.reasons


def test_count_keeps_the_top_scores() -> None:
    sel = select_comps(subject(), fixture_comps(), CompFilters(count=3), as_of=AS_OF)
    assert [k.comp.comp_id for k in sel.kept] == ["S-2001", "S-2002", "S-2004"]
    assert sel.matched == 6


def test_too_few_comps_widens_closed_within_and_says_so() -> None:
    sel = select_comps(subject(), fixture_comps(), CompFilters(months=2), as_of=AS_OF)
    assert [(w.filter, w.before, w.after, w.found) for w in sel.widenings] == [("months", "2 months", "4 months", 4)]
    assert sel.widenings[0].sentence == "Closed within widened from 2 months to 4 months to find enough sales: 4 found."
    assert sel.used.months == 4 and sel.requested.months == 2
    widened = {k.comp.comp_id: k.widened for k in sel.kept}
    assert widened == {"S-2001": (), "S-2002": (), "S-2003": ("months",), "S-2004": ("months",)}
    s2003 = next(k for k in sel.kept if k.comp.comp_id == "S-2003")
    assert s2003.reasons[-1] == "kept after widening closed within"


def test_every_step_names_the_filter_it_relaxed_in_order() -> None:
    sel = select_comps(subject(), fixture_comps(), CompFilters(min_comps=20, count=20), as_of=AS_OF)
    assert [(w.filter, w.before, w.after, w.found) for w in sel.widenings] == [
        ("months", "6 months", "12 months", 7),
        ("area_pct", "±20%", "±30%", 8),
        ("radius_miles", "1 mi", "2 mi", 9),
        ("beds", "±1", "±2", 10),
        ("baths", "±1", "±2", 10),
        ("years", "±15 years", "±25 years", 11),
        ("months", "12 months", "24 months", 11),
        ("radius_miles", "2 mi", "4 mi", 11),
    ]
    widened = {k.comp.comp_id: k.widened for k in sel.kept}
    assert widened["S-2007"] == ("months",)
    assert widened["S-2008"] == ("area_pct",)
    assert widened["S-2009"] == ("beds",)
    assert widened["S-2010"] == ("radius_miles",)
    assert widened["S-2011"] == ("years",)
    assert "S-2013" not in widened  # other ZIP, no coordinates: never a comp
    assert any("Only 11 sales like this home" in n for n in sel.notes)


def test_widening_can_be_turned_off() -> None:
    sel = select_comps(subject(), fixture_comps(), CompFilters(months=2, widen=False), as_of=AS_OF)
    assert sel.widenings == ()
    assert [k.comp.comp_id for k in sel.kept] == ["S-2001", "S-2002"]
    assert any("Only 2 sales like this home" in n for n in sel.notes)


def test_a_subject_with_no_comps_is_a_clear_error() -> None:
    far = subject(PostalCode="99501", Latitude=None, Longitude=None)
    with pytest.raises(NoComparables) as err:
        select_comps(far, fixture_comps(), as_of=AS_OF)
    assert isinstance(err.value, BadInput)
    assert "No sold comp matches lead L-1001" in err.value.message
    assert "even with every filter widened" in err.value.message
    assert "ZIP 99501" in err.value.hint and "--comps FILE" in err.value.hint


def test_an_empty_comps_table_is_a_clear_error() -> None:
    with pytest.raises(NoComparables) as err:
        select_comps(subject(), [], as_of=AS_OF)
    assert "the Comps sheet is empty" in err.value.message
    assert "relist present L-1001 --comps FILE" in err.value.hint


def test_a_subject_without_living_area_cannot_be_compared() -> None:
    with pytest.raises(BadInput, match="has no Square feet"):
        select_comps(subject(LivingArea=None), fixture_comps(), as_of=AS_OF)


def test_the_subjects_own_sale_is_never_its_comp() -> None:
    comps = fixture_comps()
    own = replace(comps[0], comp_id="S-OWN", listing_id="T-3001")
    sel = select_comps(subject(), [own, *comps], as_of=AS_OF)
    assert "S-OWN" not in [k.comp.comp_id for k in sel.kept]
    assert sel.considered == 12


def test_missing_subject_facts_are_not_filtered_and_are_said() -> None:
    sel = select_comps(subject(BedroomsTotal=None), fixture_comps(), CompFilters(count=10), as_of=AS_OF)
    assert "The home's number of bedrooms is not on file, so sales were not matched on it." in sel.notes
    assert sel.matched == 7  # S-2009, the 5-bedroom sale, now matches
    assert "S-2009" in [k.comp.comp_id for k in sel.kept]


@pytest.mark.parametrize(
    ("field", "value"),
    [("months", 0), ("area_pct", -5), ("radius_miles", 0), ("count", 0)],
)
def test_unusable_filter_values_are_refused_by_name(field: str, value: float) -> None:
    with pytest.raises(BadInput, match=f"Comp filter {field} is"):
        select_comps(subject(), fixture_comps(), replace(CompFilters(), **{field: value}), as_of=AS_OF)


def test_filters_come_from_settings() -> None:
    f = CompFilters.from_settings(from_pairs([("CompMonths", "9"), ("CompCount", "4")]), area_pct=25.0, beds=None)
    assert (f.months, f.count, f.area_pct, f.beds) == (9, 4, 25.0, 1)


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 10), 6) == date(2025, 9, 10)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_one_degree_of_latitude_is_69_miles() -> None:
    assert miles_between(27.9, -82.5, 28.9, -82.5) == pytest.approx(69.0942, abs=1e-3)


def test_bad_price_history_names_the_lead_and_the_entry() -> None:
    with pytest.raises(BadInput) as err:
        parse_price_history("2025-09-04:525000;2025-13-01:abc", "L-9")
    assert err.value.message == "Lead L-9 PriceHistory has '2025-13-01:abc', not a date:price pair."
    assert "oldest first" in err.value.hint


_comp = st.builds(
    Comp,
    comp_id=st.text("ABC123", min_size=1, max_size=4),
    address=st.just("1 Test St"),
    postal_code=st.sampled_from(["33611", "33629"]),
    close_price=st.floats(100_000, 900_000),
    close_date=st.dates(date(2024, 1, 1), date(2026, 3, 10)),
    living_area=st.floats(800, 4000),
    beds=st.one_of(st.none(), st.integers(1, 6)),
    baths=st.one_of(st.none(), st.sampled_from([1.0, 1.5, 2.0, 3.0])),
    year_built=st.one_of(st.none(), st.integers(1950, 2024)),
    latitude=st.one_of(st.none(), st.floats(27.85, 27.95)),
    longitude=st.just(-82.5),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_comp, min_size=1, max_size=25))
def test_kept_comps_are_bounded_sorted_and_match_the_filters_used(comps: list[Comp]) -> None:
    s = subject()
    try:
        sel = select_comps(s, comps, as_of=AS_OF)
    except NoComparables:
        return
    assert 1 <= len(sel.kept) <= sel.requested.count
    scores = [k.score for k in sel.kept]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= x <= 100 for x in scores)
    for k in sel.kept:
        c = k.comp
        assert months_before(AS_OF, sel.used.months) <= c.close_date <= AS_OF
        assert abs(c.living_area - 1800) <= 1800 * sel.used.area_pct / 100 + 1e-6
