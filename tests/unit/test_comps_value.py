"""Valuation from comps: median and IQR of $/sq ft times the subject's area, worked by hand on the fixture."""

from __future__ import annotations

from datetime import date

import pytest
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record

from relist.comps.select import comps_from_records, select_comps
from relist.comps.subject import Comp, subject_from_lead
from relist.comps.value import quartiles, round_price, value_from_comps, value_selection
from relist.errors import BadInput
from relist.leads import lead_from_record


def fixture_valuation():  # type: ignore[no-untyped-def]
    subject = subject_from_lead(lead_from_record(lead_record(), (), TZ))
    comps, _ = comps_from_records(comp_rows())
    return value_selection(select_comps(subject, comps, as_of=AS_OF))


def test_fixture_value_matches_the_hand_worked_answer() -> None:
    v = fixture_valuation()
    assert v.comps == 6
    assert v.ppsf == (240.0, 245.0, 250.0, 255.0, 260.0, 270.0)
    assert v.median_ppsf == pytest.approx(252.50)
    assert v.q1_ppsf == pytest.approx(246.25)
    assert v.q3_ppsf == pytest.approx(258.75)
    assert v.iqr_ppsf == pytest.approx(12.50)
    assert v.indicated_value == pytest.approx(454_500)
    assert v.low == pytest.approx(443_250)
    assert v.high == pytest.approx(465_750)
    assert v.suggested_list_price == 455_000
    assert v.median_dom == 31
    # close / list: .98315 and .98441 are the middle pair of the six ratios
    assert v.median_sale_to_list == pytest.approx((437_500 / 445_000 + 442_000 / 449_000) / 2)


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


def test_one_comp_gives_a_zero_width_range() -> None:
    c = Comp("X", "1 A St", "33611", 300_000, date(2026, 1, 1), 1_500)
    v = value_from_comps([c], 1_600)
    assert (v.low, v.indicated_value, v.high) == (320_000, 320_000, 320_000)
    assert v.median_dom is None and v.median_sale_to_list is None


def test_no_comps_cannot_be_valued() -> None:
    with pytest.raises(BadInput, match="no comps to value"):
        value_from_comps([], 1_800)
