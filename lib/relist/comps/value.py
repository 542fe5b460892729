"""Indicated value from comps: median and interquartile range of $/sq ft times the subject's living area."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from relist.comps.select import CompSelection
from relist.comps.subject import Comp
from relist.errors import BadInput


@dataclass(frozen=True)
class Valuation:
    """What the comps say the subject is worth, and the list price suggested from it."""

    subject_area: float
    comps: int
    ppsf: tuple[float, ...]
    median_ppsf: float
    q1_ppsf: float
    q3_ppsf: float
    indicated_value: float
    low: float
    high: float
    suggested_list_price: float
    median_dom: float | None
    median_sale_to_list: float | None

    @property
    def iqr_ppsf(self) -> float:
        return self.q3_ppsf - self.q1_ppsf


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Q1, median, Q3 by linear interpolation between order statistics (Excel QUARTILE.INC)."""
    if not values:
        raise ValueError("quartiles of nothing")
    data = sorted(values)
    if len(data) == 1:
        return data[0], data[0], data[0]
    q1, q2, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return q1, q2, q3


def price_step(value: float) -> float:
    """The rounding step of a list price: $1,000 under $100k, $5,000 under $1M, $25,000 above."""
    if value < 100_000:
        return 1_000.0
    if value < 1_000_000:
        return 5_000.0
    return 25_000.0


def round_price(value: float) -> float:
    """A price rounded half-up to its step (see price_step)."""
    step = price_step(value)
    return math.floor(value / step + 0.5) * step


def _median_or_none(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def value_from_comps(comps: Sequence[Comp], subject_area: float) -> Valuation:
    """Median/IQR $/sq ft of `comps` applied to `subject_area`."""
    if not comps:
        raise BadInput("There are no comps to value the home from.", "Import a sold-listings export and try again.")
    if subject_area <= 0:
        raise BadInput(f"Living area {subject_area:g} cannot be valued.", "Fill in LivingArea on the Leads sheet.")
    ppsf = sorted(c.price_per_sqft for c in comps)
    q1, med, q3 = quartiles(ppsf)
    indicated = med * subject_area
    doms = [float(c.days_on_market) for c in comps if c.days_on_market is not None]
    ratios = [c.close_price / c.list_price for c in comps if c.list_price]
    return Valuation(
        subject_area=subject_area,
        comps=len(comps),
        ppsf=tuple(ppsf),
        median_ppsf=med,
        q1_ppsf=q1,
        q3_ppsf=q3,
        indicated_value=indicated,
        low=q1 * subject_area,
        high=q3 * subject_area,
        suggested_list_price=round_price(indicated),
        median_dom=_median_or_none(doms),
        median_sale_to_list=_median_or_none(ratios),
    )


def value_selection(selection: CompSelection) -> Valuation:
    """The valuation of a selection's subject from its kept comps."""
    area = selection.subject.living_area
    assert area is not None
    return value_from_comps(selection.comps, area)
