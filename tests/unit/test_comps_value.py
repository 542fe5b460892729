"""Valuation from comps: median and IQR of $/sq ft times the subject's area, worked by hand on the fixture."""

from __future__ import annotations

import math
import statistics
from datetime import date

import pytest
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record

from relist.comps.select import comps_from_records, select_comps
from relist.comps.subject import Comp, Subject, subject_from_lead
from relist.comps.value import quartiles, round_price, t_quantile, value_from_comps, value_selection
from relist.errors import BadInput
from relist.leads import lead_from_record


def fixture_valuation():  # type: ignore[no-untyped-def]
    subject = subject_from_lead(lead_from_record(lead_record(), (), TZ))
    comps, _ = comps_from_records(comp_rows())
    return value_selection(select_comps(subject, comps, as_of=AS_OF), comps)


def test_fixture_value_matches_the_hand_worked_answer() -> None:
    v = fixture_valuation()
    assert v.comps == 6
    assert v.ppsf == (240.0, 245.0, 250.0, 255.0, 260.0, 270.0)
    assert v.median_ppsf == pytest.approx(252.50)
    assert v.q1_ppsf == pytest.approx(246.25)
    assert v.q3_ppsf == pytest.approx(258.75)
    assert v.indicated_value == pytest.approx(454_500)
    assert v.suggested_list_price == 455_000
    assert v.median_dom == 31
    # close / list: .98315 and .98441 are the middle pair of the six ratios
    assert v.median_sale_to_list == pytest.approx((437_500 / 445_000 + 442_000 / 449_000) / 2)
    # 11 sales on file: too few to measure features, so nothing is adjusted and the note says so
    assert v.fit is not None and v.fit.effects == () and v.fit.note.startswith("not adjusted: 11 sales")
    assert all(e.adjusted_ppsf == e.ppsf for e in v.evidence)
    assert v.set_aside == ()


def test_confidence_is_an_fsd_from_the_spread_widened_for_six_sales() -> None:
    v = fixture_valuation()
    logs = [math.log(p * 1800 / v.indicated_value) for p in v.ppsf]
    sd = statistics.stdev(logs)
    widen = t_quantile(statistics.NormalDist().cdf(1), 5) * math.sqrt(1 + 1 / 6)
    assert t_quantile(0.975, 5) == pytest.approx(2.5706, abs=1e-3)  # the textbook value
    assert v.confidence.fsd == pytest.approx(math.exp(sd * widen) - 1, abs=1e-4)
    assert v.confidence.score == pytest.approx(100 * (1 - v.confidence.fsd), abs=0.1)
    assert v.confidence.level == "high"
    # the range: +-FSD around the value, never past the lowest and highest comp's indication
    assert v.low == pytest.approx(max(454_500 / (1 + v.confidence.fsd), 240 * 1800))
    assert v.high == pytest.approx(min(454_500 * (1 + v.confidence.fsd), 270 * 1800))
    assert v.within(v.suggested_list_price or 0)


def test_an_outlier_is_set_aside_with_its_reason() -> None:
    comps = [Comp(f"C{i}", f"{i} A St", "33611", p * 1500, date(2026, 1, 1), 1500) for i, p in enumerate((240, 245, 250, 255, 260, 520))]
    v = value_from_comps(comps, 1500)
    assert [e.comp.comp_id for e in v.set_aside] == ["C5"]
    assert v.set_aside[0].set_aside == "$520/sq ft, far above the other sales' $240-$260/sq ft"
    assert v.comps == 5 and v.median_ppsf == 250


def test_three_sales_set_nothing_aside_and_spread_makes_confidence_low() -> None:
    comps = [Comp(f"C{i}", "x", "33611", p * 2000, date(2026, 1, 1), 2000) for i, p in enumerate((178, 291, 503))]
    v = value_from_comps(comps, 2223)
    assert v.set_aside == () and v.confidence.level == "low" and v.suggested_list_price is None
    assert v.low == pytest.approx(178 * 2223) and v.high == pytest.approx(503 * 2223)


def test_market_adjustments_follow_what_the_sales_show() -> None:
    """60 sales where each extra bathroom adds 5% to $/sq ft: a comp with one more bath is adjusted down ~5%."""
    import random

    rnd = random.Random(3)
    market = []
    for i in range(60):
        baths = rnd.choice((1.0, 2.0, 3.0))
        ppsf = 250 * math.exp(0.05 * (baths - 2)) * math.exp(rnd.gauss(0, 0.01))
        market.append(Comp(f"M{i}", f"{i} B St", "33611", ppsf * 1800, AS_OF, 1800, beds=3, baths=baths, year_built=1990))
    subject = Subject("L", "1 S St", "33611", 1800, beds=3, baths=2.0, year_built=1990)
    sel = select_comps(subject, market, as_of=AS_OF)
    v = value_selection(sel, market)
    assert v.fit is not None and [name for name, _ in v.fit.effects] == ["bathrooms"]
    assert dict(v.fit.effects)["bathrooms"] == pytest.approx(0.05, abs=0.01)
    for e in v.evidence:
        if e.comp.baths == 3.0:
            assert e.adjustments[0].words.startswith("-4.") or e.adjustments[0].words.startswith("-5.")
            assert "1 bathroom more" in e.adjustments[0].words
    assert v.median_ppsf == pytest.approx(250, rel=0.02)


def test_quartiles_are_excel_quartile_inc() -> None:
    assert quartiles([5, 1, 3, 2, 4]) == (2, 3, 4)
    assert quartiles([10, 20]) == (12.5, 15, 17.5)
    assert quartiles([7]) == (7, 7, 7)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(454_500, 455_000), (452_499, 450_000), (87_400, 87_000), (99_600, 100_000), (1_237_000, 1_225_000), (1_237_600, 1_250_000)],
)
def test_list_price_rounds_to_its_step(value: float, rounded: float) -> None:
    assert round_price(value) == rounded


def test_one_comp_gives_a_low_confidence_range_and_no_single_price() -> None:
    c = Comp("X", "1 A St", "33611", 300_000, date(2026, 1, 1), 1_500)
    v = value_from_comps([c], 1_600)
    assert v.indicated_value == 320_000 and v.confidence.level == "low" and v.suggested_list_price is None
    assert v.low == pytest.approx(320_000 / 1.3) and v.high == pytest.approx(320_000 * 1.3)
    assert v.median_dom is None and v.median_sale_to_list is None


def test_no_comps_cannot_be_valued() -> None:
    with pytest.raises(BadInput, match="no comps to value"):
        value_from_comps([], 1_800)


def test_the_next_best_match_stands_in_for_a_comp_set_aside() -> None:
    """Six comps kept, one far above the rest: it is set aside and the seventh best match takes its place."""
    rows = [(240, 0.1), (245, 0.2), (250, 0.3), (255, 0.4), (260, 0.5), (520, 0.6), (252, 0.7), (900, 0.8)]
    market = [Comp(f"C{i}", f"{i} A St", "33611", p * 1500, AS_OF, 1500, latitude=27.9 + d / 100, longitude=-82.5)
              for i, (p, d) in enumerate(rows)]
    subject = Subject("L", "1 S St", "33611", 1500, latitude=27.9, longitude=-82.5)
    sel = select_comps(subject, market, as_of=AS_OF)
    assert [k.comp.comp_id for k in sel.kept] == ["C0", "C1", "C2", "C3", "C4", "C5"]
    assert [k.comp.comp_id for k in sel.reserve] == ["C6", "C7"]
    v = value_selection(sel)
    assert [e.comp.comp_id for e in v.set_aside] == ["C5"]
    assert [e.comp.comp_id for e in v.evidence] == ["C0", "C1", "C2", "C3", "C4", "C6"]  # C7 is an outlier too: not taken
    assert v.evidence[-1].stand_in and v.comps == 6
