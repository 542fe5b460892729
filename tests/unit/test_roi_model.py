"""The ROI model: the seed figures (each with its own inputs), bad input, invariants, ranges."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relist.errors import BadInput
from relist.roi.model import (
    FIELD_BY_NAME,
    INPUT_FIELDS,
    OUTPUT_LABELS,
    PRESETS,
    RoiInputs,
    at_midpoints,
    compute,
    compute_range,
    preset,
)

# ---------------------------------------------------------------- seed figures (market.md)


@pytest.mark.parametrize(("dials", "pickup"), [(75, 0.35), (100, 0.25), (83, 0.30)])
def test_75_to_100_dials_at_25_to_35_percent_give_about_25_contacts(dials: float, pickup: float) -> None:
    out = compute(RoiInputs(dials_per_day=dials, pickup_rate=pickup))
    assert out.contacts_per_day == pytest.approx(25, abs=1.25)


def test_25_contacts_make_one_appointment_for_a_top_prospector() -> None:
    out = compute(RoiInputs(dials_per_day=100, pickup_rate=0.25, contacts_per_appointment=25, days_per_week=5))
    assert out.contacts_per_day == pytest.approx(25)
    assert out.appointments_per_week == pytest.approx(5)  # one a day


@pytest.mark.parametrize(("per_contact", "listings"), [(1 / 20, 5), (1 / 10, 10)])
def test_100_contacts_make_5_to_10_signed_listings(per_contact: float, listings: float) -> None:
    # 100 contacts a month: 100 / (52/12) weeks / 5 days / 0.25 pickup dials a day
    dials = 100 / (52 / 12) / 5 / 0.25
    out = compute(RoiInputs(chain="contacts", dials_per_day=dials, pickup_rate=0.25, listings_per_contact=per_contact))
    assert out.contacts_per_month == pytest.approx(100)
    assert out.listings_per_month == pytest.approx(listings)


def test_425000_at_2_5_percent_is_10625_per_listing() -> None:
    assert compute(RoiInputs(median_price=425_000, commission_rate=0.025)).gci_per_listing == pytest.approx(10_625)


@pytest.mark.parametrize(("listings", "gci"), [(2, 21_250), (4, 42_500)])
def test_2_to_4_listings_a_month_make_21250_to_42500_gci(listings: float, gci: float) -> None:
    # contacts chain, every listing closes: listings per month = contacts per month x listings per contact
    contacts = 100 / (52 / 12) / 5 / 0.25
    out = compute(RoiInputs(chain="contacts", dials_per_day=contacts, pickup_rate=0.25,
                            listings_per_contact=listings / 100, listing_to_close=1.0))
    assert out.listings_per_month == pytest.approx(listings)
    assert out.gci_per_month == pytest.approx(gci)


def test_the_defaults_are_the_solo_agent_row() -> None:
    """90 min/day, 60-80 dials -> 1-2 appointments/week, 2-4 listings/month."""
    inputs = RoiInputs()
    spans = compute_range(inputs, preset("solo-agent").ranges)
    out = compute(inputs)
    assert 60 <= inputs.dials_per_day <= 80
    assert out.hours_per_month / (52 / 12) / inputs.days_per_week * 60 == pytest.approx(91, abs=1)
    assert 1 <= out.appointments_per_week <= 2
    assert 2 <= out.listings_per_month <= 4
    low, high = spans["listings_per_month"]
    assert low is not None and high is not None and 2 <= low < high <= 4


def test_the_two_chains_of_the_issue_are_presets() -> None:
    keys = {p.key: p for p in PRESETS}
    assert keys["top-prospector"].inputs.chain == "appointments"
    assert keys["top-prospector"].inputs.contacts_per_appointment == 25
    assert keys["by-skill"].inputs.chain == "contacts"
    assert keys["by-skill"].ranges["listings_per_contact"] == (0.05, 0.10)
    spans = compute_range(keys["top-prospector"].inputs, keys["top-prospector"].ranges)
    low, high = spans["contacts_per_day"]
    assert low == pytest.approx(75 * 0.25) and high == pytest.approx(100 * 0.35)


def test_money_and_follow_up_depth() -> None:
    out = compute(RoiInputs(touch_contact_rate=0.2, leads_per_month=100, touches_per_lead=3,
                            chain="contacts", listings_per_contact=0.05, listing_to_close=1.0))
    assert out.reached_by_early_quit == pytest.approx(100 * (1 - 0.8**3))
    assert out.reached_by_full_sequence == pytest.approx(100 * (1 - 0.8**8))
    assert out.reached_by_your_depth == pytest.approx(out.reached_by_early_quit)
    gap = out.reached_by_full_sequence - out.reached_by_early_quit
    assert out.gci_quitting_early == pytest.approx(gap * 0.05 * 10_625)
    assert out.gci_lost_at_your_depth == pytest.approx(out.gci_quitting_early)
    assert out.net_per_month == pytest.approx(out.gci_per_month * 0.7 - 272)
    assert out.return_on_costs == pytest.approx(out.net_per_month / 272)


def test_ratios_without_a_denominator_are_none() -> None:
    out = compute(RoiInputs(dials_per_day=0, data_cost=0, dialer_cost=0, tools_cost=0))
    assert out.cost_per_listing is None and out.gci_per_hour is None and out.return_on_costs is None


# ---------------------------------------------------------------- bad input names the field


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"dials_per_day": -5}, ["dials_per_day", "negative"]),
        ({"pickup_rate": 1.2}, ["pickup_rate", "above 100%"]),
        ({"commission_rate": 2.5}, ["commission_rate", "above 100%"]),
        ({"brokerage_split": -0.1}, ["brokerage_split", "negative"]),
        ({"median_price": 0}, ["median_price", "price must be at least"]),
        ({"contacts_per_appointment": 0}, ["contacts_per_appointment", "between 1"]),
        ({"touches_per_lead": 2.5}, ["touches_per_lead", "whole number"]),
        ({"days_per_week": 8}, ["days_per_week", "between 0 and 7"]),
        ({"data_cost": float("nan")}, ["data_cost", "finite"]),
        ({"chain": "magic"}, ["chain", "appointments", "contacts"]),
        ({"chain": "contacts", "listings_per_contact": 0.6, "appointments_per_listing": 2},
         ["listings_per_contact", "appointments_per_listing"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(change: dict[str, object], words: list[str]) -> None:
    with pytest.raises(BadInput) as err:
        compute(replace(RoiInputs(), **change))  # type: ignore[arg-type]
    for word in words:
        assert word in err.value.message
    assert err.value.hint
    assert "\n" not in err.value.one_line()


def test_a_bad_range_is_refused() -> None:
    with pytest.raises(BadInput, match="low above high"):
        compute_range(RoiInputs(), {"pickup_rate": (0.4, 0.2)})
    with pytest.raises(BadInput, match="no such input"):
        compute_range(RoiInputs(), {"pickups": (0.2, 0.4)})
    with pytest.raises(BadInput, match="pickup_rate"):
        compute_range(RoiInputs(), {"pickup_rate": (0.2, 1.4)})


# ---------------------------------------------------------------- invariants (Hypothesis)


def _f(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_subnormal=False)


def _valid_inputs() -> st.SearchStrategy[RoiInputs]:
    rate = _f(0, 1)
    return st.builds(
        RoiInputs,
        dials_per_day=_f(0, 400),
        days_per_week=_f(0, 7),
        minutes_per_dial=_f(0.1, 10),
        pickup_rate=rate,
        chain=st.sampled_from(["appointments", "contacts"]),
        contacts_per_appointment=_f(1, 500),
        appointments_per_listing=_f(1, 10),
        listings_per_contact=_f(0, 0.1),
        listing_to_close=rate,
        median_price=_f(1000, 5_000_000),
        commission_rate=_f(0, 0.1),
        brokerage_split=rate,
        data_cost=_f(0, 1000),
        dialer_cost=_f(0, 1000),
        tools_cost=_f(0, 1000),
        touches_per_lead=st.integers(1, 20),
        touch_contact_rate=rate,
        leads_per_month=st.integers(0, 2000).map(float),
    )


MONOTONE_OUTPUTS = ("contacts_per_month", "appointments_per_month", "listings_per_month", "closings_per_month",
                    "gci_per_month", "net_per_month")


@settings(max_examples=150, deadline=None)
@given(_valid_inputs(), st.sampled_from(["dials_per_day", "pickup_rate", "median_price"]), st.floats(0, 1))
def test_more_dials_pickup_or_price_never_earn_less(inputs: RoiInputs, name: str, fraction: float) -> None:
    f = FIELD_BY_NAME[name]
    here = getattr(inputs, name)
    more = here + (min(f.high, here * 2 + 1) - here) * fraction
    a, b = compute(inputs), compute(replace(inputs, **{name: more}))
    for out in MONOTONE_OUTPUTS:
        assert getattr(b, out) >= getattr(a, out) - 1e-9 * max(1.0, abs(getattr(a, out))), out


@settings(max_examples=100, deadline=None)
@given(_valid_inputs())
def test_zero_dials_earn_zero(inputs: RoiInputs) -> None:
    out = compute(replace(inputs, dials_per_day=0.0))
    assert out.contacts_per_month == 0 and out.listings_per_month == 0
    assert out.gci_per_month == 0
    assert out.net_per_month == pytest.approx(-out.costs_per_month)


@settings(max_examples=80, deadline=None)
@given(_valid_inputs(), st.lists(st.sampled_from([f.name for f in INPUT_FIELDS]), min_size=1, max_size=3, unique=True),
       st.data())
def test_ranges_bracket_every_point_value_inside_them(inputs: RoiInputs, names: list[str], data: st.DataObject) -> None:
    ranges: dict[str, tuple[float, float]] = {}
    point: dict[str, float] = {}
    for name in names:
        f = FIELD_BY_NAME[name]
        here = float(getattr(inputs, name))
        if f.whole:
            lo = data.draw(st.integers(int(f.low), int(here)))
            hi = data.draw(st.integers(int(here), int(min(f.high, here + 10))))
        else:
            lo = data.draw(_f(f.low, here))
            hi = data.draw(_f(here, min(f.high, max(here * 2, here + 1))))
        ranges[name] = (lo, hi)
        point[name] = here
    lpc_hi = ranges.get("listings_per_contact", (0, inputs.listings_per_contact))[1]
    apl_hi = ranges.get("appointments_per_listing", (0, inputs.appointments_per_listing))[1]
    if inputs.chain == "contacts" and lpc_hi * apl_hi > 1:
        return  # outside the model's domain: more appointments than contacts
    spans = compute_range(inputs, ranges)
    out = compute(inputs).as_dict()
    for key, value in out.items():
        low, high = spans[key]
        if value is None or low is None or high is None:
            continue
        tol = 1e-9 * max(1.0, abs(value))
        assert low - tol <= value <= high + tol, key


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(1, 12), st.integers(1, 12))
def test_follow_up_range_is_exact_not_just_corners(p1: float, p2: float, k1: int, k2: int) -> None:
    """The cost of quitting early peaks inside the per-touch rate; the span must include that peak."""
    lo_p, hi_p = sorted((p1, p2))
    lo_k, hi_k = sorted((k1, k2))
    inputs = RoiInputs(touch_contact_rate=lo_p, touches_per_lead=lo_k)
    spans = compute_range(inputs, {"touch_contact_rate": (lo_p, hi_p), "touches_per_lead": (lo_k, hi_k)})
    samples = [compute(replace(inputs, touch_contact_rate=min(hi_p, lo_p + (hi_p - lo_p) * i / 60), touches_per_lead=k))
               for i in range(61) for k in range(lo_k, hi_k + 1)]
    for key in ("gci_quitting_early", "gci_lost_at_your_depth", "reached_by_your_depth"):
        low, high = spans[key]
        assert low is not None and high is not None
        got = [getattr(s, key) for s in samples]
        assert min(got) >= low - 1e-6 and max(got) <= high + 1e-6, key


def test_midpoints_are_the_point_estimate() -> None:
    inputs = at_midpoints(RoiInputs(), {"pickup_rate": (0.25, 0.35), "touches_per_lead": (3, 8)})
    assert inputs.pickup_rate == pytest.approx(0.30)
    assert inputs.touches_per_lead in (5, 6)


def test_every_output_is_labelled_and_finite_at_defaults() -> None:
    out = compute(RoiInputs()).as_dict()
    assert set(out) == set(OUTPUT_LABELS)
    assert all(v is not None and math.isfinite(v) for v in out.values())
