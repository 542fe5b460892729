"""The value of a home from its comps, with the evidence: adjusted $/sq ft, outliers set aside, a confidence and a range.

Steps (docs/presentation.md, "Value"):

1. Adjust each comp's $/sq ft for what differs from the home (size, bedrooms,
   bathrooms, age, date of sale), by how much each feature moves prices in the
   sales on file (a log-linear fit, kept only for features the data shows a
   clear effect for). With too few sales to measure that, nothing is adjusted
   and the valuation says so (Fannie Mae Selling Guide B4-1.3-09: adjustments
   must reflect the market's reaction, not a rule of thumb).
2. Set aside comps far from the others: more than 2.5 robust standard
   deviations (1.4826 x the median absolute deviation) from the median, as
   Leys et al. (2013) recommend; each is named with its reason, and the next
   best matches inside the same fence take their places.
3. Indicated value = median adjusted $/sq ft x living area.
4. A forecast standard deviation (FSD) the way public AVMs report it: the
   spread of the comps' indications around the estimate, widened for a small
   sample, so that about 68% of sales would fall within +-FSD (Clear Capital,
   HouseCanary). Confidence score = 100 x (1 - FSD), bucketed high (> 85),
   medium (70-85), low (< 70) as HouseCanary does; fewer than 3 comps is low,
   fewer than 5 at most medium.
5. When confidence is low, no single price is suggested: the range is.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from relist.comps.select import CompSelection, months_before
from relist.comps.subject import Comp, Subject, miles_between
from relist.errors import BadInput

Level = Literal["high", "medium", "low"]

OUTLIER_K = 2.5
"""Robust z-score beyond which a comp is set aside (Leys et al. 2013, 'moderately conservative')."""
MAD_SCALE = 1.4826
"""Makes the median absolute deviation estimate a normal standard deviation."""
MIN_SPREAD = 0.05
"""Floor of the robust spread (5% of $/sq ft) so identical sales do not make every other sale an outlier."""
MIN_FIT_SALES = 30
"""Sales on file needed before feature adjustments are measured from them."""
MIN_T = 2.0
"""A feature is adjusted for only when its effect is at least twice its standard error."""
MARKET_MONTHS = 24
FSD_FLOOR = 0.03
FSD_ONE_SALE = 0.30
"""One sale shows no spread: its FSD is set at the edge of 'low' confidence."""
HIGH_SCORE, MEDIUM_SCORE = 85.0, 70.0
"""HouseCanary's confidence buckets: high above 85, medium 70-85, low below 70."""
MIN_COMPS_FOR_CONFIDENCE = 3
MIN_COMPS_FOR_HIGH = 5
"""Fewer than 3 comps is low confidence and fewer than 5 at most medium, however closely they agree."""


@dataclass(frozen=True)
class Adjustment:
    """One feature's adjustment to one comp's $/sq ft."""

    feature: str
    pct: float
    words: str


@dataclass(frozen=True)
class Evidence:
    """One comp as evidence: its $/sq ft, what was adjusted, what it indicates, and why it was set aside if it was."""

    comp: Comp
    ppsf: float
    adjustments: tuple[Adjustment, ...]
    adjusted_ppsf: float
    indicated_value: float
    set_aside: str = ""
    stand_in: bool = False
    """Taken from the next best matches in place of a comp set aside."""

    @property
    def adjustment_pct(self) -> float:
        return (self.adjusted_ppsf / self.ppsf - 1) * 100


@dataclass(frozen=True)
class Confidence:
    """How far the value can be trusted: a forecast standard deviation, a 0-100 score and a level, with the reason."""

    fsd: float
    score: float
    level: Level
    comps: int
    reason: str


@dataclass(frozen=True)
class MarketFit:
    """What each feature is worth in the sales on file (log change of $/sq ft per unit), or why nothing was measured."""

    sales: int
    effects: tuple[tuple[str, float], ...]
    note: str


@dataclass(frozen=True)
class Valuation:
    """What the comps say the home is worth, the range the evidence supports, and the price suggested from it."""

    subject_area: float
    comps: int
    ppsf: tuple[float, ...]
    median_ppsf: float
    q1_ppsf: float
    q3_ppsf: float
    indicated_value: float
    low: float
    high: float
    suggested_list_price: float | None
    median_dom: float | None
    median_sale_to_list: float | None
    confidence: Confidence
    evidence: tuple[Evidence, ...] = ()
    set_aside: tuple[Evidence, ...] = ()
    fit: MarketFit | None = None

    @property
    def iqr_ppsf(self) -> float:
        return self.q3_ppsf - self.q1_ppsf

    @property
    def low_price(self) -> float:
        """The range's low end rounded down to a price step."""
        return math.floor(self.low / price_step(self.low)) * price_step(self.low)

    @property
    def high_price(self) -> float:
        """The range's high end rounded up to a price step."""
        return math.ceil(self.high / price_step(self.high)) * price_step(self.high)

    def within(self, price: float) -> bool:
        """Whether a price lies inside the range the evidence supports."""
        return self.low <= price <= self.high


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


# ---------------------------------------------------------------- Student's t (for small-sample widening)


def _t_cdf(t: float, df: int) -> float:
    """Student's t distribution function by Simpson's rule on its density (enough for df >= 1, |t| < 10)."""
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    n = 400
    h = t / n
    total = 0.0
    for i in range(n + 1):
        x = i * h
        w = 1 if i in (0, n) else (4 if i % 2 else 2)
        total += w * c * (1 + x * x / df) ** (-(df + 1) / 2)
    return 0.5 + total * h / 3


@lru_cache(maxsize=64)
def t_quantile(p: float, df: int) -> float:
    """The p-quantile of Student's t with df degrees of freedom (bisection)."""
    lo, hi = 0.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


ONE_SIGMA = statistics.NormalDist().cdf(1.0)
"""0.8413: the upper end of the central 68.3% that an FSD range covers."""


# ---------------------------------------------------------------- market-measured adjustments

_FEATURES: tuple[tuple[str, str], ...] = (
    ("size", "living area"),
    ("bedrooms", "bedrooms"),
    ("bathrooms", "bathrooms"),
    ("age", "year built"),
    ("date", "date of sale"),
)


def _features(c: Comp, as_of: date) -> list[float] | None:
    if c.beds is None or c.baths is None or c.year_built is None:
        return None
    return [math.log(c.living_area), float(c.beds), float(c.baths), float(c.year_built), -(as_of - c.close_date).days / 30.4375]


def _subject_features(s: Subject) -> list[float | None]:
    assert s.living_area is not None
    return [math.log(s.living_area), None if s.beds is None else float(s.beds),
            None if s.baths is None else float(s.baths), None if s.year_built is None else float(s.year_built), 0.0]


def market_sales(selection: CompSelection, market: Sequence[Comp]) -> list[Comp]:
    """The sales on file in the home's area (the location filter used) that closed in the last 24 months."""
    s = selection.subject
    cutoff = months_before(selection.as_of, MARKET_MONTHS)
    radius = max(selection.used.radius_miles, 1.0) * 2
    has = s.latitude is not None and s.longitude is not None
    out = []
    for c in market:
        if not (cutoff <= c.close_date <= selection.as_of):
            continue
        if has and c.latitude is not None and c.longitude is not None:
            assert s.latitude is not None and s.longitude is not None
            if miles_between(s.latitude, s.longitude, c.latitude, c.longitude) > radius:
                continue
        elif c.postal_code != s.postal_code:
            continue
        out.append(c)
    return out


def fit_market(sales: Sequence[Comp], as_of: date) -> MarketFit:
    """Log $/sq ft against the features over the sales on file; a feature's effect is kept when |t| >= 2."""
    rows = [(f, math.log(c.price_per_sqft)) for c in sales if (f := _features(c, as_of)) is not None]
    if len(rows) < max(MIN_FIT_SALES, 5 * (len(_FEATURES) + 1)):
        return MarketFit(len(rows), (), f"not adjusted: {len(rows)} sales on file with full details, "
                                        f"fewer than the {MIN_FIT_SALES} needed to measure what a feature is worth here")
    import numpy as np

    full = np.array([f for f, _ in rows])
    y = np.array([v for _, v in rows])
    varying = [i for i in range(full.shape[1]) if float(np.ptp(full[:, i])) > 0]
    x = np.column_stack([np.ones(len(rows)), full[:, varying]])
    beta, _res, rank, _sv = np.linalg.lstsq(x, y, rcond=None)
    if rank < x.shape[1]:
        return MarketFit(len(rows), (), "not adjusted: the features of the sales on file move together, so no one of them can be measured")
    resid = y - x @ beta
    sigma2 = float(resid @ resid) / max(1, len(rows) - x.shape[1])
    cov = sigma2 * np.linalg.inv(x.T @ x)
    effects = []
    for j, i in enumerate(varying, 1):
        name = _FEATURES[i][0]
        se = math.sqrt(max(float(cov[j, j]), 0.0))
        if se > 0 and abs(float(beta[j])) >= MIN_T * se:
            effects.append((name, float(beta[j])))
    kept = ", ".join(label for name, label in _FEATURES if name in dict(effects)) or "none"
    return MarketFit(len(rows), tuple(effects), f"adjusted for what {len(rows)} sales on file show moves prices here: {kept}")


def _adjust(c: Comp, s: Subject, fit: MarketFit | None, as_of: date) -> tuple[Adjustment, ...]:
    if fit is None or not fit.effects:
        return ()
    effects = dict(fit.effects)
    mine = _subject_features(s)
    theirs: list[float | None] = [math.log(c.living_area), None if c.beds is None else float(c.beds),
                                  None if c.baths is None else float(c.baths),
                                  None if c.year_built is None else float(c.year_built),
                                  -(as_of - c.close_date).days / 30.4375]
    out = []
    for i, (name, _label) in enumerate(_FEATURES):
        b = effects.get(name)
        a, t = mine[i], theirs[i]
        if b is None or a is None or t is None or a == t:
            continue
        pct = (math.exp(b * (a - t)) - 1) * 100
        if abs(pct) < 0.05:
            continue
        out.append(Adjustment(name, pct, f"{pct:+.1f}% for {_difference(name, a, t)}"))
    return tuple(out)


def _difference(name: str, mine: float, theirs: float) -> str:
    if name == "size":
        diff = math.exp(theirs) - math.exp(mine)
        return f"{abs(diff):,.0f} sq ft {'more' if diff > 0 else 'less'}"
    if name == "date":
        months = -theirs
        return f"a sale {months:.0f} month{'s' if round(months) != 1 else ''} ago"
    diff = theirs - mine
    unit = {"bedrooms": "bedroom", "bathrooms": "bathroom", "age": "year"}[name]
    if name == "age":
        return f"built {abs(diff):g} year{'s' if abs(diff) != 1 else ''} {'later' if diff > 0 else 'earlier'}"
    return f"{abs(diff):g} {unit}{'s' if abs(diff) != 1 else ''} {'more' if diff > 0 else 'fewer'}"


# ---------------------------------------------------------------- outliers and confidence


def fence(values: Sequence[float]) -> tuple[float, float] | None:
    """The median log value and the robust spread an outlier is measured against (None with fewer than 4 values)."""
    if len(values) < 4:
        return None
    logs = [math.log(v) for v in values]
    med = statistics.median(logs)
    return med, max(MAD_SCALE * statistics.median(abs(x - med) for x in logs), MIN_SPREAD)


def outside(value: float, center: tuple[float, float]) -> bool:
    """Whether a value lies beyond 2.5 robust standard deviations of the center."""
    med, spread = center
    return abs(math.log(value) - med) / spread > OUTLIER_K


def set_aside(values: Sequence[float]) -> list[bool]:
    """Which values are outliers: robust z = |ln v - median| / max(1.4826 MAD, 5%) above 2.5; none with fewer than 4."""
    center = fence(values)
    if center is None:
        return [False] * len(values)
    flags = [outside(v, center) for v in values]
    if len(values) - sum(flags) < 3:
        return [False] * len(values)
    return flags


def confidence_of(indications: Sequence[float], center: float) -> Confidence:
    """FSD from the comps' indications around the estimate, widened for a small sample (Student's t)."""
    n = len(indications)
    if n < 2:
        fsd = FSD_ONE_SALE
        reason = "one sale cannot show how much prices vary"
    else:
        logs = [math.log(v / center) for v in indications]
        sd = statistics.stdev(logs)
        widen = t_quantile(ONE_SIGMA, n - 1) * math.sqrt(1 + 1 / n)
        fsd = max(FSD_FLOOR, math.exp(sd * widen) - 1)
        reason = f"{n} comps whose values spread ±{fsd * 100:.0f}%"
    score = max(0.0, 100 * (1 - fsd))
    level: Level = "high" if score > HIGH_SCORE else "medium" if score >= MEDIUM_SCORE else "low"
    if n < MIN_COMPS_FOR_CONFIDENCE and level != "low":
        level = "low"
        reason += f"; fewer than {MIN_COMPS_FOR_CONFIDENCE} comps"
    elif n < MIN_COMPS_FOR_HIGH and level == "high":
        level = "medium"
        reason += f"; fewer than {MIN_COMPS_FOR_HIGH} comps"
    return Confidence(round(fsd, 4), round(score, 1), level, n, reason)


# ---------------------------------------------------------------- the valuation


def _value(
    subject_area: float,
    comps: Sequence[Comp],
    subject: Subject | None,
    fit: MarketFit | None,
    as_of: date | None,
    reserve: Sequence[Comp] = (),
) -> Valuation:
    if not comps:
        raise BadInput("There are no comps to value the home from.", "Import a sold-listings export and try again.")
    if subject_area <= 0:
        raise BadInput(f"Square feet of {subject_area:g} cannot be valued.", "Fill in its Square feet on the Leads sheet.")
    def evidence_of(c: Comp, stand_in: bool = False) -> Evidence:
        adj = _adjust(c, subject, fit, as_of) if subject is not None and as_of is not None else ()
        adjusted = c.price_per_sqft * math.prod(1 + a.pct / 100 for a in adj)
        return Evidence(c, c.price_per_sqft, adj, adjusted, adjusted * subject_area, stand_in=stand_in)

    evidence = [evidence_of(c) for c in comps]
    flags = set_aside([e.adjusted_ppsf for e in evidence])
    kept = [e for e, f in zip(evidence, flags, strict=True) if not f]
    center = fence([e.adjusted_ppsf for e in evidence])
    if any(flags) and center is not None:
        for c in reserve:  # the next best matches stand in for the comps set aside, when they are not outliers too
            if len(kept) >= len(evidence):
                break
            e = evidence_of(c, stand_in=True)
            if not outside(e.adjusted_ppsf, center):
                kept.append(e)
    middle = statistics.median(e.adjusted_ppsf for e in kept)
    lo_k = min(e.adjusted_ppsf for e in kept)
    hi_k = max(e.adjusted_ppsf for e in kept)
    aside = tuple(
        Evidence(e.comp, e.ppsf, e.adjustments, e.adjusted_ppsf, e.indicated_value,
                 f"${e.adjusted_ppsf:,.0f}/sq ft, far {'above' if e.adjusted_ppsf > middle else 'below'} "
                 f"the other sales' ${lo_k:,.0f}-${hi_k:,.0f}/sq ft")
        for e, f in zip(evidence, flags, strict=True) if f
    )
    ppsf = sorted(e.adjusted_ppsf for e in kept)
    q1, med, q3 = quartiles(ppsf)
    indicated = med * subject_area
    conf = confidence_of([e.indicated_value for e in kept], indicated)
    low, high = indicated / (1 + conf.fsd), indicated * (1 + conf.fsd)
    if len(kept) >= 2:
        # Never claim a price no comparable sale points to: the range stops at the lowest and highest indication.
        low = max(low, min(e.indicated_value for e in kept))
        high = min(high, max(e.indicated_value for e in kept))
    used = [e.comp for e in kept]
    doms = [float(c.days_on_market) for c in used if c.days_on_market is not None]
    ratios = [c.close_price / c.list_price for c in used if c.list_price]
    return Valuation(
        subject_area=subject_area,
        comps=len(kept),
        ppsf=tuple(ppsf),
        median_ppsf=med,
        q1_ppsf=q1,
        q3_ppsf=q3,
        indicated_value=indicated,
        low=low,
        high=high,
        suggested_list_price=None if conf.level == "low" else round_price(indicated),
        median_dom=_median_or_none(doms),
        median_sale_to_list=_median_or_none(ratios),
        confidence=conf,
        evidence=tuple(kept),
        set_aside=aside,
        fit=fit,
    )


def value_from_comps(comps: Sequence[Comp], subject_area: float) -> Valuation:
    """The valuation of `subject_area` from `comps`, unadjusted (no subject details or market to measure from)."""
    return _value(subject_area, comps, None, None, None)


def value_selection(selection: CompSelection, market: Sequence[Comp] = ()) -> Valuation:
    """The valuation of a selection's subject: its comps adjusted by what `market` (every sale on file) shows."""
    area = selection.subject.living_area
    assert area is not None
    fit = fit_market(market_sales(selection, market), selection.as_of) if market else None
    return _value(area, selection.comps, selection.subject, fit, selection.as_of, tuple(k.comp for k in selection.reserve))
