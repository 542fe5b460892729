"""Why the listing did not sell: findings as sentences, each carrying the number behind it, and the changes they call for.

A finding is only made when the data for it is present; a benchmark that is not
computed from the user's own data carries its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from relist.comps.subject import Comp, PricePoint, Subject
from relist.comps.value import Valuation

Severity = Literal["major", "minor", "info"]
_RANK: dict[str, int] = {"major": 0, "minor": 1, "info": 2}

SEASONS: tuple[str, ...] = ("winter", "spring", "summer", "autumn")
"""Meteorological seasons (northern hemisphere): Dec-Feb, Mar-May, Jun-Aug, Sep-Nov."""

KEY_LISTING_FIELDS: tuple[tuple[str, str], ...] = (
    ("beds", "BedroomsTotal"),
    ("baths", "BathroomsTotal"),
    ("living_area", "LivingArea"),
    ("year_built", "YearBuilt"),
    ("lot_size", "LotSizeArea"),
    ("photos_count", "PhotosCount"),
    ("remarks_length", "RemarksLength"),
)
"""Subject attribute -> lead column: the listing facts buyers filter and read on."""


@dataclass(frozen=True)
class QualityBar:
    """Benchmarks a finding compares the listing with; defaults carry their sources and can be changed."""

    overpriced_pct: float = 3.0
    min_photos: int = 20
    photos_benchmark: str = "MLS listings with 20 or more photos averaged 32 days on market, against 70 with one photo"
    photos_source: str = "Realtor Magazine, 'How Photos Help Sell Homes', 2008"
    min_remarks_chars: int = 250
    remarks_benchmark: str = "agents' remarks run a median 250 characters even for homes under $100,000, and 487 over $1 million"
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


def money(value: float) -> str:
    """$454,500"""
    return f"${value:,.0f}"


def per_sqft(value: float) -> str:
    """$252.50/sq ft"""
    return f"${value:,.2f}/sq ft"


def season_of(day: date) -> str:
    return SEASONS[(day.month % 12) // 3]


def reductions(history: Sequence[PricePoint]) -> list[tuple[PricePoint, float]]:
    """Each price cut in a history (oldest first) with the amount cut."""
    return [(b, a.price - b.price) for a, b in zip(history, history[1:], strict=False) if b.price < a.price]


def _price(s: Subject, v: Valuation, bar: QualityBar) -> Finding | None:
    if s.list_price is None:
        return None
    over = (s.list_price / v.indicated_value - 1) * 100
    basis = f"(median {per_sqft(v.median_ppsf)} of {v.comps} comps × {v.subject_area:,.0f} sq ft)"
    if over > bar.overpriced_pct:
        tail = f", and above the whole comp range of {money(v.low)}-{money(v.high)}" if s.list_price > v.high else ""
        text = (f"The last list price, {money(s.list_price)}, was {over:.1f}% above the indicated value of "
                f"{money(v.indicated_value)} {basis}{tail}.")
        return Finding("price", text, round(over, 1), "%", "major")
    if over < -bar.overpriced_pct:
        text = (f"The last list price, {money(s.list_price)}, was {-over:.1f}% below the indicated value of "
                f"{money(v.indicated_value)} {basis}: price was not what held it back.")
        return Finding("price", text, round(over, 1), "%", "info")
    text = (f"The last list price, {money(s.list_price)}, was within {abs(over):.1f}% of the indicated value of "
            f"{money(v.indicated_value)} {basis}.")
    return Finding("price", text, round(over, 1), "%", "info")


def _dom(s: Subject, v: Valuation) -> Finding | None:
    days = s.cumulative_days_on_market if s.cumulative_days_on_market is not None else s.days_on_market
    if days is None:
        return None
    label = "cumulative days on market" if s.cumulative_days_on_market is not None else "days on market"
    if v.median_dom is None:
        return Finding("dom", f"It had {days} {label}; the comps carry no days-on-market data to compare.", days, "days", "info")
    slower = days > v.median_dom
    text = f"It had {days} {label}; the {v.comps} comps sold in a median of {v.median_dom:g} days."
    return Finding("dom", text, days, "days", "major" if slower else "info")


def _reductions(s: Subject, v: Valuation) -> Finding | None:
    h = s.price_history
    if len(h) < 1:
        return None
    cuts = reductions(h)
    if not cuts:
        if len(h) == 1 and s.days_on_market is None:
            return None
        span = f" in {s.days_on_market} days on market" if s.days_on_market is not None else f" between {h[0].on} and {h[-1].on}"
        return Finding("reductions", f"The price was never reduced{span}.", 0, "cuts", "minor")
    total = sum(amount for _, amount in cuts)
    first_after = (cuts[0][0].on - h[0].on).days
    late = v.median_dom is not None and first_after > v.median_dom
    compare = f", later than the comps' median {v.median_dom:g} days to sell" if late and v.median_dom is not None else ""
    times = "once" if len(cuts) == 1 else f"{len(cuts)} times"
    text = (f"The price was cut {times}, first {first_after} days after listing ({cuts[0][0].on.isoformat()}){compare}, "
            f"by {money(total)} in total ({total / h[0].price * 100:.1f}%).")
    return Finding("reductions", text, len(cuts), "cuts", "major" if late else "minor")


def _original_vs_final(s: Subject) -> Finding | None:
    start = s.original_list_price or (s.price_history[0].price if s.price_history else None)
    end = s.list_price or (s.price_history[-1].price if s.price_history else None)
    if start is None or end is None:
        return None
    change = (end / start - 1) * 100
    if abs(change) < 0.05:
        return Finding("original_vs_final", f"The price stayed at {money(end)} from start to finish.", 0.0, "%", "info")
    text = f"It started at {money(start)} and ended at {money(end)} ({change:+.1f}%)."
    return Finding("original_vs_final", text, round(change, 1), "%", "info")


def _season(s: Subject, market: Sequence[Comp]) -> Finding | None:
    listed = s.listed_on or (s.price_history[0].on if s.price_history else None)
    if listed is None:
        return None
    season = season_of(listed)
    closes = [c.close_date for c in market]
    if closes and (max(closes) - min(closes)).days >= 365:
        counts = {name: 0 for name in SEASONS}
        for d in closes:
            counts[season_of(d)] += 1
        share = counts[season] / len(closes) * 100
        busiest = max(SEASONS, key=lambda n: (counts[n], -SEASONS.index(n)))
        if busiest == season:
            text = (f"It was listed on {listed.isoformat()}, in {season}, the busiest season: "
                    f"{share:.0f}% of the {len(closes)} sales on file closed in {season}.")
            return Finding("season", text, round(share, 1), "%", "info")
        top = counts[busiest] / len(closes) * 100
        text = (f"It was listed on {listed.isoformat()}, in {season}: {share:.0f}% of the {len(closes)} sales on file "
                f"closed in {season}, against {top:.0f}% in {busiest}.")
        return Finding("season", text, round(share, 1), "%", "minor" if share < 25 else "info")
    return Finding("season", f"It was listed on {listed.isoformat()}, in {season}.", listed.month, "month", "info")


def _photos(s: Subject, bar: QualityBar) -> Finding | None:
    if s.photos_count is None:
        return None
    n = s.photos_count
    if n < bar.min_photos:
        text = f"The listing had {n} photos; {bar.photos_benchmark} ({bar.photos_source})."
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
    blank = [col for attr, col in KEY_LISTING_FIELDS if getattr(s, attr) is None]
    if not blank:
        return None
    which = ", ".join(blank)
    n = len(blank)
    text = f"{n} key listing field{'s are' if n > 1 else ' is'} blank in the listing data: {which}."
    return Finding("missing", text, n, "fields", "minor")


def why_not_sold(
    subject: Subject,
    valuation: Valuation,
    market: Sequence[Comp] = (),
    bar: QualityBar | None = None,
) -> list[Finding]:
    """Every finding the data supports, most serious first; `market` is every sold listing on file."""
    bar = bar or QualityBar()
    found = [
        _price(subject, valuation, bar),
        _dom(subject, valuation),
        _reductions(subject, valuation),
        _original_vs_final(subject),
        _season(subject, market),
        _photos(subject, bar),
        _remarks(subject, bar),
        _missing(subject),
    ]
    out = [f for f in found if f is not None]
    return sorted(out, key=lambda f: _RANK[f.severity])


def what_to_change(findings: Sequence[Finding], valuation: Valuation, bar: QualityBar | None = None) -> list[Change]:
    """The changes the findings call for, each tied to its finding (price, photos, description, outreach, data)."""
    bar = bar or QualityBar()
    by = {f.code: f for f in findings}
    out: list[Change] = []
    price = by.get("price")
    if price is not None:
        target = money(valuation.suggested_list_price)
        band = f"{money(valuation.low)}-{money(valuation.high)}"
        if price.severity == "major":
            action = f"List at {target}, from the new comp set (range {band}), not above it."
        else:
            action = f"Keep the price at {target}, inside the new comp set's range of {band}."
        out.append(Change("Price", action, price))
    photos = by.get("photos")
    if photos is not None and photos.severity != "info":
        out.append(Change("Photos", f"Professional photos, at least {bar.min_photos} (it had {photos.value:g}), and a 3D tour.", photos))
    remarks = by.get("remarks")
    if remarks is not None and remarks.severity != "info":
        out.append(Change("Description", f"Rewrite the description to at least {bar.min_remarks_chars} characters (it had {remarks.value:g}), leading with what the comps' buyers paid for.", remarks))
    dom = by.get("dom")
    if dom is not None and dom.severity == "major":
        out.append(Change("Buyer outreach", f"From day 1, call the agents active in the {valuation.comps} comp sales and run weekly feedback; it sat {dom.value:g} days.", dom))
    missing = by.get("missing")
    if missing is not None:
        fields = missing.sentence.rsplit(": ", 1)[-1].rstrip(".")
        out.append(Change("Listing data", f"Complete the blank fields so buyers' searches find it: {fields}.", missing))
    return out
