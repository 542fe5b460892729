"""Why the listing did not sell: findings from one set of facts about its history, each with its numbers, and the changes they call for.

Every finding reads `ListingFacts`, built once from the lead (price history,
original and last price, listing and expiry dates), so two findings can never
tell different stories. A finding is only made when its data is present; a
benchmark not computed from the user's own data carries its source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from relist.comps.subject import Comp, PricePoint, Subject
from relist.comps.value import Valuation
from relist.comps.words import human_date, money, per_sqft, price_range

Severity = Literal["major", "minor", "info"]
_RANK: dict[str, int] = {"major": 0, "minor": 1, "info": 2}

SEASONS: tuple[str, ...] = ("winter", "spring", "summer", "autumn")
"""Meteorological seasons (northern hemisphere): Dec-Feb, Mar-May, Jun-Aug, Sep-Nov."""

KEY_LISTING_FACTS: tuple[tuple[str, str], ...] = (
    ("beds", "the number of bedrooms"),
    ("baths", "the number of bathrooms"),
    ("living_area", "the living area"),
    ("year_built", "the year built"),
    ("lot_size", "the lot size"),
)
"""Facts buyers search and filter on, in the words a seller uses."""

MAX_SUPPORTED_CHANGE_PCT = 25.0
"""A suggested price this far from the last list price is never presented without a walk-through first."""

PriceCall = Literal["keep", "lower", "raise", "range", "set"]


@dataclass(frozen=True)
class QualityBar:
    """Benchmarks a finding compares the listing with; defaults carry their sources and can be changed."""

    overpriced_pct: float = 3.0
    min_photos: int = 20
    photos_benchmark: str = "listings with 20 or more photos averaged 32 days on market, against 70 with one photo"
    photos_source: str = "Realtor Magazine, 'How Photos Help Sell Homes', 2008"
    min_remarks_chars: int = 250
    remarks_benchmark: str = "agents' descriptions run a median 250 characters even for homes under $100,000"
    remarks_source: str = "Zillow analysis for The Wall Street Journal, 2013"


@dataclass(frozen=True)
class Finding:
    """One reason the listing may not have sold, as a sentence with its number."""

    code: str
    sentence: str
    value: float
    unit: str
    severity: Severity
    source: str = ""


@dataclass(frozen=True)
class Change:
    """One thing the agent would do differently, tied to the finding that calls for it."""

    area: str
    action: str
    finding: Finding


@dataclass(frozen=True)
class PriceStep:
    """One price of the listing: `on` is None when the change is known but its date is not on file."""

    on: date | None
    price: float


@dataclass(frozen=True)
class ListingFacts:
    """The one account of the listing's history every finding and chart reads."""

    steps: tuple[PriceStep, ...]
    listed_on: date | None
    listed_estimated: bool
    ended_on: date | None
    days_on_market: int | None
    days_label: str

    @property
    def start(self) -> float | None:
        return self.steps[0].price if self.steps else None

    @property
    def end(self) -> float | None:
        return self.steps[-1].price if self.steps else None

    @property
    def cuts(self) -> list[tuple[PriceStep, float]]:
        """Each reduction with the amount cut."""
        return [(b, a.price - b.price) for a, b in zip(self.steps, self.steps[1:], strict=False) if b.price < a.price]

    @property
    def raises(self) -> list[tuple[PriceStep, float]]:
        return [(b, b.price - a.price) for a, b in zip(self.steps, self.steps[1:], strict=False) if b.price > a.price]


def listing_facts(s: Subject) -> ListingFacts:
    """The listing's history from its price entries, original and last price, listing and expiry dates.

    A history entry dated on or after the expiry was recorded when the data was
    imported, not when the price changed: it counts as a change whose date is
    not on file. The listing date is the contract date, else the expiry minus
    the days on market (marked as estimated); never an import date.
    """
    dom = s.cumulative_days_on_market if s.cumulative_days_on_market is not None else s.days_on_market
    label = "days on the market in all" if s.cumulative_days_on_market is not None else "days on the market"
    ended = s.expired_on
    listed, estimated = s.listed_on, False
    if listed is None and ended is not None and s.days_on_market is not None:
        listed, estimated = ended - timedelta(days=s.days_on_market), True
    steps: list[PriceStep] = []
    for p in s.price_history:
        dated = (ended is None or p.on < ended) and (listed is None or p.on >= listed)
        on = p.on if dated else None
        if steps and steps[-1].price == p.price:
            continue
        steps.append(PriceStep(on, p.price))
    first = s.original_list_price
    if first is not None and (not steps or steps[0].price != first):
        steps.insert(0, PriceStep(listed, first))
    elif steps and steps[0].on is None and listed is not None:
        steps[0] = PriceStep(listed, steps[0].price)
    last = s.list_price
    if last is not None and (not steps or steps[-1].price != last):
        steps.append(PriceStep(None, last))
    if listed is None and ended is None and dom is None and not steps:
        return ListingFacts((), None, False, None, None, label)
    return ListingFacts(tuple(steps), listed, estimated, ended, dom, label)


def season_of(day: date) -> str:
    return SEASONS[(day.month % 12) // 3]


def reductions(history: Sequence[PricePoint]) -> list[tuple[PricePoint, float]]:
    """Each price cut in a history (oldest first) with the amount cut."""
    return [(b, a.price - b.price) for a, b in zip(history, history[1:], strict=False) if b.price < a.price]


def price_gap_pct(s: Subject, v: Valuation) -> float | None:
    """How far the value is from the last list price, in % of the last list price."""
    if s.list_price is None or s.list_price <= 0:
        return None
    return (v.indicated_value / s.list_price - 1) * 100


def price_call(s: Subject, v: Valuation) -> PriceCall:
    """What the evidence supports saying about the price.

    keep: the last list price lies inside the range; lower/raise: outside it,
    the confidence is not low and the change is at most 25%; range: anything
    else, where the deck shows the range and the reason, never one number.
    """
    gap = price_gap_pct(s, v)
    if v.suggested_list_price is None:
        return "range"
    if s.list_price is None or gap is None:
        return "set"
    if v.within(s.list_price):
        return "keep"
    if abs(gap) > MAX_SUPPORTED_CHANGE_PCT:
        return "range"
    return "lower" if v.indicated_value < s.list_price else "raise"


def agent_alert(s: Subject, v: Valuation) -> str:
    """What the agent must hear before the appointment when the evidence cannot carry one price (empty when it can)."""
    call = price_call(s, v)
    if call != "range":
        return ""
    conf = v.confidence
    why = f"confidence is {conf.level} ({conf.reason})"
    if s.list_price is not None:
        gap = price_gap_pct(s, v)
        assert gap is not None
        direction = "above" if gap > 0 else "below"
        head = (f"The comps point to {money(v.indicated_value)}, {abs(gap):.0f}% {direction} the last list price of "
                f"{money(s.list_price)}")
        if abs(gap) > MAX_SUPPORTED_CHANGE_PCT:
            why = f"a change over {MAX_SUPPORTED_CHANGE_PCT:.0f}% is more than the evidence can carry; " + why
    else:
        head = f"The comps point to {money(v.indicated_value)}"
    return (f"{head}: {why}. The deck shows the range {price_range(v.low_price, v.high_price)}, not one price. "
            "Check the living area, condition and the comps before the appointment.")


def _price(s: Subject, v: Valuation, bar: QualityBar) -> Finding | None:
    if s.list_price is None:
        return None
    over = (s.list_price / v.indicated_value - 1) * 100
    n = v.comps
    basis = f"{n} comparable sale{'s' if n != 1 else ''} at a median {per_sqft(v.median_ppsf)} for its {v.subject_area:,.0f} sq ft"
    span = price_range(v.low_price, v.high_price)
    call = price_call(s, v)
    if call == "range":  # no median x area here: on a range deck that product is a price the deck does not stand behind
        text = (f"The last list price was {money(s.list_price)}; {n} comparable sale{'s' if n != 1 else ''}, compared by "
                f"the square foot with its {v.subject_area:,.0f} sq ft, point to {span}, with {v.confidence.level} "
                f"confidence, so the price needs a walk-through before we set it.")
        return Finding("price", text, round(over, 1), "%", "major")
    if over > bar.overpriced_pct and not v.within(s.list_price):
        text = f"The last list price, {money(s.list_price)}, was {over:.0f}% above what {basis} support ({span})."
        return Finding("price", text, round(over, 1), "%", "major")
    if v.within(s.list_price):
        text = f"The last list price, {money(s.list_price)}, was inside the range {basis} support ({span})."
        return Finding("price", text, round(over, 1), "%", "info")
    text = f"The last list price, {money(s.list_price)}, was {-over:.0f}% below what {basis} support ({span})."
    return Finding("price", text, round(over, 1), "%", "info")


def _dom(f: ListingFacts, v: Valuation) -> Finding | None:
    days = f.days_on_market
    if days is None:
        return None
    if v.median_dom is None:
        return Finding("dom", f"It spent {days} {f.days_label}.", days, "days", "info")
    slower = days > v.median_dom
    text = f"It spent {days} {f.days_label}; the {v.comps} comparable homes sold in a median of {v.median_dom:g} days."
    return Finding("dom", text, days, "days", "major" if slower else "info")


def _history(f: ListingFacts, v: Valuation) -> Finding | None:
    """Start and end prices, the cuts and raises: one finding, so 'never reduced' and a lower end price cannot both appear."""
    if not f.steps:
        return None
    start, end = f.start, f.end
    assert start is not None and end is not None
    cuts, ups = f.cuts, f.raises
    span = f" in {f.days_on_market} days" if f.days_on_market is not None else ""
    if not cuts and not ups:
        return Finding("reductions", f"The price stayed at {money(end)} the whole time{span}; it was never reduced.",
                       0, "cuts", "minor" if f.days_on_market and v.median_dom and f.days_on_market > v.median_dom else "info")
    change = (end / start - 1) * 100
    parts = [f"It started at {money(start)} and ended at {money(end)} ({change:+.1f}%)"]
    if cuts:
        times = "once" if len(cuts) == 1 else f"{len(cuts)} times"
        total = sum(a for _, a in cuts)
        first = cuts[0][0]
        when = ""
        late = False
        if first.on is not None and f.listed_on is not None:
            after = (first.on - f.listed_on).days
            when = f", first on {human_date(first.on)}, {after} days after listing"
            if v.median_dom is not None and after > v.median_dom:
                late = True
                when += f" (later than the {v.median_dom:g} days the comparable homes took to sell)"
        elif len(cuts) == 1:
            when = " (the date of the cut is not on file)"
        parts.append(f"the price was cut {times}{when}, by {money(total)} in all")
    else:
        late = False
    if ups:
        parts.append(f"raised {'once' if len(ups) == 1 else f'{len(ups)} times'}")
    text = "; ".join(parts) + "."
    return Finding("reductions", text, len(cuts), "cuts", "major" if late else "minor" if cuts else "info")


def _season(f: ListingFacts, market: Sequence[Comp]) -> Finding | None:
    listed = f.listed_on
    if listed is None:
        return None
    season = season_of(listed)
    on = f"around {human_date(listed)}" if f.listed_estimated else f"on {human_date(listed)}"
    closes = [c.close_date for c in market]
    if closes and (max(closes) - min(closes)).days >= 365:
        counts = {name: 0 for name in SEASONS}
        for d in closes:
            counts[season_of(d)] += 1
        share = counts[season] / len(closes) * 100
        busiest = max(SEASONS, key=lambda n: (counts[n], -SEASONS.index(n)))
        if busiest == season:
            text = (f"It was listed {on}, in {season}, the busiest season: "
                    f"{share:.0f}% of the {len(closes):,} sales on file closed in {season}.")
            return Finding("season", text, round(share, 1), "%", "info")
        top = counts[busiest] / len(closes) * 100
        text = (f"It was listed {on}, in {season}: {share:.0f}% of the {len(closes):,} sales on file "
                f"closed in {season}, against {top:.0f}% in {busiest}.")
        return Finding("season", text, round(share, 1), "%", "minor" if share < 25 else "info")
    return Finding("season", f"It was listed {on}, in {season}.", listed.month, "month", "info")


def _photos(s: Subject, bar: QualityBar) -> Finding | None:
    if s.photos_count is None:
        return None
    n = s.photos_count
    if n < bar.min_photos:
        text = f"The listing had {n} photo{'s' if n != 1 else ''}; {bar.photos_benchmark} ({bar.photos_source})."
        return Finding("photos", text, n, "photos", "major", bar.photos_source)
    return Finding("photos", f"The listing had {n} photos (at least {bar.min_photos}).", n, "photos", "info", bar.photos_source)


def _remarks(s: Subject, bar: QualityBar) -> Finding | None:
    if s.remarks_length is None:
        return None
    n = s.remarks_length
    if n < bar.min_remarks_chars:
        text = f"The description was {n} characters long; {bar.remarks_benchmark} ({bar.remarks_source})."
        return Finding("remarks", text, n, "characters", "minor", bar.remarks_source)
    return Finding("remarks", f"The description was {n} characters long.", n, "characters", "info", bar.remarks_source)


def _missing(s: Subject) -> Finding | None:
    blank = [words for attr, words in KEY_LISTING_FACTS if getattr(s, attr) is None]
    if not blank:
        return None
    which = blank[0] if len(blank) == 1 else ", ".join(blank[:-1]) + " and " + blank[-1]
    n = len(blank)
    text = f"The listing left out {which}, so buyers searching on {'it' if n == 1 else 'them'} could miss it."
    return Finding("missing", text, n, "facts", "minor")


def why_not_sold(
    subject: Subject,
    valuation: Valuation,
    market: Sequence[Comp] = (),
    bar: QualityBar | None = None,
) -> list[Finding]:
    """Every finding the data supports, most serious first; `market` is every sold listing on file."""
    bar = bar or QualityBar()
    facts = listing_facts(subject)
    found = [
        _price(subject, valuation, bar),
        _dom(facts, valuation),
        _history(facts, valuation),
        _season(facts, market),
        _photos(subject, bar),
        _remarks(subject, bar),
        _missing(subject),
    ]
    out = [f for f in found if f is not None]
    return sorted(out, key=lambda f: _RANK[f.severity])


def range_reason(s: Subject, v: Valuation) -> str:
    """Why the deck shows a range instead of one price, in a seller's words."""
    gap = price_gap_pct(s, v)
    if v.confidence.level == "low":
        n = v.comps
        return (f"the {n} comparable sale{'s' if n != 1 else ''} we found "
                f"{'vary too much' if n > 1 else 'is too little'} to name one number yet")
    assert gap is not None
    return (f"the comparable sales point {abs(gap):.0f}% {'above' if gap > 0 else 'below'} the last price, "
            "and a change that large needs a walk-through first")


def range_method(v: Valuation) -> str:
    """How the range on a range deck was found, in a seller's words, naming no single price for the home.

    The range is the comps' value +-FSD (where about two in three sales like these land), cut
    at the lowest and highest price a sale points to (comps.value); the words follow whichever
    ends came from where.
    """
    adjusted = any(e.adjustments for e in v.evidence)
    each = ("each sale's price per square foot, adjusted for how it differs from this home,"
            if adjusted else "each sale's price per square foot")
    n = len(v.evidence)
    head = (f"How we found this range: {each} times this home's {v.subject_area:,.0f} sq ft gives the price "
            f"that sale points to.")
    f = v.confidence.fsd
    share = f"from {100 / (1 + f):.0f}% to {100 * (1 + f):.0f}%"
    if n < 2:
        return (f"{head} One sale shows no spread, so the range is wide: {share} of the price it points to, "
                "rounded out to round numbers, until the walk-through and more sales narrow it.")
    band = (f"the band where about two in three homes like this one sell, {share} of the middle of those prices "
            "(from how far the sales spread)")
    lowest = min(v.evidence, key=lambda e: e.indicated_value)
    highest = max(v.evidence, key=lambda e: e.indicated_value)
    at_low = math.isclose(v.low, lowest.indicated_value, rel_tol=1e-9)
    at_high = math.isclose(v.high, highest.indicated_value, rel_tol=1e-9)
    if at_low and at_high:
        body = (f"The {n} sales point to prices too far apart to name one, so the range runs from the lowest, "
                f"from {lowest.comp.address}, to the highest, from {highest.comp.address}")
    elif at_low:
        body = f"The range runs from the lowest of those prices, from {lowest.comp.address}, to the top of {band}"
    elif at_high:
        body = f"The range runs from the bottom of {band} to the highest of those prices, from {highest.comp.address}"
    else:
        body = f"The range is {band}"
    return f"{head} {body}, rounded out to round numbers. We set the price within it together after the walk-through."


def price_action(subject: Subject, valuation: Valuation) -> str:
    """The price line of 'what I'd change', in the words the evidence supports."""
    v = valuation
    call = price_call(subject, v)
    span = price_range(v.low_price, v.high_price)
    if call == "range" or v.suggested_list_price is None:
        return f"Set the price together after a walk-through, within {span}: {range_reason(subject, v)}."
    target = money(v.suggested_list_price)
    if call == "keep":
        return f"Price at {target}; the last price was already inside the range the comparable sales support ({span})."
    if call in ("lower", "set"):
        return f"List at {target}, the middle of what the comparable sales support ({span})."
    return f"List at {target}: the comparable sales support more than the last price ({span})."


def what_to_change(
    findings: Sequence[Finding], valuation: Valuation, bar: QualityBar | None = None, subject: Subject | None = None
) -> list[Change]:
    """The changes the findings call for, each tied to its finding (price, photos, description, outreach, facts)."""
    bar = bar or QualityBar()
    by = {f.code: f for f in findings}
    out: list[Change] = []
    price = by.get("price")
    if price is not None and subject is not None:
        out.append(Change("Price", price_action(subject, valuation), price))
    photos = by.get("photos")
    if photos is not None and photos.severity != "info":
        out.append(Change("Photos", f"Professional photos, at least {bar.min_photos} (it had {photos.value:g}), and a 3D tour.", photos))
    remarks = by.get("remarks")
    if remarks is not None and remarks.severity != "info":
        out.append(Change("Description", f"A new description of at least {bar.min_remarks_chars} characters (it had {remarks.value:g}), leading with what buyers of the comparable homes paid for.", remarks))
    dom = by.get("dom")
    if dom is not None and dom.severity == "major":
        out.append(Change("Buyer outreach", f"From the first day, call the agents behind the {valuation.comps} comparable sales and send you their feedback every week; it sat {dom.value:g} days.", dom))
    missing = by.get("missing")
    if missing is not None:
        out.append(Change("Listing details", "Fill in every fact buyers search on, so the home shows up in their searches.", missing))
    return out
