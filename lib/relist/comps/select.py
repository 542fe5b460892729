"""Comparable selection: filter sold listings around a subject, score them, widen step by step when too few."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from relist.comps.subject import Comp, Subject, comp_from_record, miles_between
from relist.comps.words import human_date
from relist.errors import BadInput

FilterName = Literal["months", "area_pct", "radius_miles", "beds", "baths", "years"]

MIN_COMPS = 3
"""Widen until at least this many comps: appraisal reports carry at least three closed sales
(Fannie Mae Selling Guide B4-1.3-08, Comparable Sales, selling-guide.fanniemae.com)."""

WEIGHTS: dict[str, float] = {
    "area": 0.30,
    "location": 0.20,
    "recency": 0.15,
    "year": 0.15,
    "beds": 0.10,
    "baths": 0.10,
}
"""Share of the similarity score each likeness carries (sums to 1)."""

UNKNOWN_PENALTY = 0.5
"""Penalty for a likeness the comp's data cannot show (a missing field, ZIP without coordinates)."""


class NoComparables(BadInput):
    """No sold listing matches the subject, even with every filter widened."""


@dataclass(frozen=True)
class CompFilters:
    """What makes a sold listing a comparable; every bound can be set by the user."""

    months: int = 6
    beds: int = 1
    baths: float = 1.0
    area_pct: float = 20.0
    years: int = 15
    radius_miles: float = 1.0
    count: int = 6
    min_comps: int = MIN_COMPS
    widen: bool = True

    def describe(self, name: FilterName) -> str:
        """One filter in words, e.g. 'living area ±20%'."""
        return {
            "months": f"closed within {self.months} months",
            "area_pct": f"living area ±{self.area_pct:g}%",
            "radius_miles": f"within {self.radius_miles:g} mi (same ZIP when a home has no coordinates)",
            "beds": f"bedrooms ±{self.beds}",
            "baths": f"bathrooms ±{self.baths:g}",
            "years": f"year built ±{self.years} years",
        }[name]

    def value_text(self, name: FilterName) -> str:
        return {
            "months": f"{self.months} months",
            "area_pct": f"±{self.area_pct:g}%",
            "radius_miles": f"{self.radius_miles:g} mi",
            "beds": f"±{self.beds}",
            "baths": f"±{self.baths:g}",
            "years": f"±{self.years} years",
        }[name]

    def check(self) -> CompFilters:
        """The filters, or a clear error naming the one that cannot be used."""
        bounds: list[tuple[str, float, float]] = [
            ("months", self.months, 1),
            ("beds", self.beds, 0),
            ("baths", self.baths, 0),
            ("area_pct", self.area_pct, 0),
            ("years", self.years, 0),
            ("radius_miles", self.radius_miles, 0.01),
            ("count", self.count, 1),
            ("min_comps", self.min_comps, 1),
        ]
        for name, value, low in bounds:
            if value < low:
                raise BadInput(f"Comp filter {name} is {value:g}; it must be at least {low:g}.", "Pick a larger value.")
        return self

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> CompFilters:
        """Filters from Settings (CompMonths, CompCount) with keyword overrides."""
        base = cls(months=int(settings.comp_months), count=int(settings.comp_count))
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})


WIDENING_STEPS: tuple[tuple[FilterName, Literal["times", "plus"], float], ...] = (
    ("months", "times", 2),
    ("area_pct", "plus", 10),
    ("radius_miles", "times", 2),
    ("beds", "plus", 1),
    ("baths", "plus", 1),
    ("years", "plus", 10),
    ("months", "times", 2),
    ("radius_miles", "times", 2),
)
"""The order filters are relaxed in when too few comps match: recency first, then size, distance, rooms, age."""


@dataclass(frozen=True)
class Widening:
    """One relaxation step and what it found."""

    step: int
    filter: FilterName
    before: str
    after: str
    found: int

    @property
    def sentence(self) -> str:
        label = {
            "months": "Closed within",
            "area_pct": "Living area",
            "radius_miles": "Distance",
            "beds": "Bedrooms",
            "baths": "Bathrooms",
            "years": "Year built",
        }[self.filter]
        return f"{label} widened from {self.before} to {self.after} to find enough sales: {self.found} found."


@dataclass(frozen=True)
class ScoredComp:
    """A kept comparable, its similarity score (0-100) and the reasons it was kept."""

    comp: Comp
    score: float
    distance_miles: float | None
    reasons: tuple[str, ...]
    widened: tuple[FilterName, ...] = ()


@dataclass(frozen=True)
class CompSelection:
    """The comps chosen for a subject and how they were chosen."""

    subject: Subject
    as_of: date
    requested: CompFilters
    used: CompFilters
    widenings: tuple[Widening, ...]
    considered: int
    matched: int
    kept: tuple[ScoredComp, ...]
    notes: tuple[str, ...] = ()
    reserve: tuple[ScoredComp, ...] = ()
    """The next best matches after `kept`, in order: stand-ins for a comp the valuation sets aside."""

    @property
    def comps(self) -> tuple[Comp, ...]:
        return tuple(s.comp for s in self.kept)


def comps_from_records(records: Iterable[Mapping[str, Any]]) -> tuple[list[Comp], int]:
    """Comps from tblComps records, and how many rows were unusable (no price, date or area)."""
    comps: list[Comp] = []
    skipped = 0
    for rec in records:
        c = comp_from_record(rec)
        if c is None:
            skipped += 1
        else:
            comps.append(c)
    return comps, skipped


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(y, m + 1)[1]
    return date(y, m + 1, min(day.day, last))


def _penalty(diff: float, tolerance: float) -> float:
    if tolerance <= 0:
        return 0.0 if diff == 0 else 1.0
    return min(1.0, abs(diff) / tolerance)


class _Matcher:
    """Applies one set of filters to comps for one subject."""

    def __init__(self, subject: Subject, filters: CompFilters, as_of: date) -> None:
        self.s = subject
        self.f = filters
        self.cutoff = months_before(as_of, filters.months)
        self.as_of = as_of
        assert subject.living_area is not None
        self.area = subject.living_area
        self.has_coords = subject.latitude is not None and subject.longitude is not None

    def distance(self, c: Comp) -> float | None:
        if self.has_coords and c.latitude is not None and c.longitude is not None:
            assert self.s.latitude is not None and self.s.longitude is not None
            return miles_between(self.s.latitude, self.s.longitude, c.latitude, c.longitude)
        return None

    def fails(self, c: Comp) -> list[FilterName]:
        """The filters a comp fails (empty when it matches)."""
        s, f = self.s, self.f
        out: list[FilterName] = []
        if not (self.cutoff <= c.close_date <= self.as_of):
            out.append("months")
        d = self.distance(c)
        if d is not None:
            if d > f.radius_miles:
                out.append("radius_miles")
        elif c.postal_code != s.postal_code or not s.postal_code:
            out.append("radius_miles")
        if abs(c.living_area - self.area) > self.area * f.area_pct / 100 + 1e-9:
            out.append("area_pct")
        if s.beds is not None and c.beds is not None and abs(c.beds - s.beds) > f.beds:
            out.append("beds")
        if s.baths is not None and c.baths is not None and abs(c.baths - s.baths) > f.baths + 1e-9:
            out.append("baths")
        if s.year_built is not None and c.year_built is not None and abs(c.year_built - s.year_built) > f.years:
            out.append("years")
        return out


def _signed(n: float, unit: str = "") -> str:
    if n == 0:
        return "same"
    return f"{n:+g}{unit}"


def _score_and_reasons(
    c: Comp, subject: Subject, requested: CompFilters, as_of: date, distance: float | None
) -> tuple[float, tuple[str, ...]]:
    """Similarity 0-100 against the *requested* filters, and the reasons in words."""
    s = subject
    assert s.living_area is not None
    pen: dict[str, float] = {}
    reasons: list[str] = []

    if distance is not None:
        pen["location"] = _penalty(distance, requested.radius_miles)
        reasons.append(f"{distance:.2f} mi away")
    else:
        pen["location"] = UNKNOWN_PENALTY
        reasons.append(f"same ZIP code {c.postal_code}")

    window = (as_of - months_before(as_of, requested.months)).days
    age = (as_of - c.close_date).days
    pen["recency"] = _penalty(age, window)
    reasons.append(f"sold {human_date(c.close_date)} ({age} days ago)")

    area_diff = (c.living_area - s.living_area) / s.living_area * 100
    pen["area"] = _penalty(area_diff, requested.area_pct)
    reasons.append(f"{c.living_area:,.0f} sq ft ({area_diff:+.1f}%)")

    for key, mine, theirs, tol, unit in (
        ("beds", s.beds, c.beds, requested.beds, "bd"),
        ("baths", s.baths, c.baths, requested.baths, "ba"),
    ):
        if mine is None:
            pen[key] = 0.0
        elif theirs is None:
            pen[key] = UNKNOWN_PENALTY
            reasons.append(f"{ {'bd': 'bedrooms', 'ba': 'bathrooms'}[unit]} not on file")
        else:
            pen[key] = _penalty(theirs - mine, tol)
            reasons.append(f"{theirs:g} {unit} ({_signed(theirs - mine)})")

    if s.year_built is None:
        pen["year"] = 0.0
    elif c.year_built is None:
        pen["year"] = UNKNOWN_PENALTY
        reasons.append("year built not on file")
    else:
        pen["year"] = _penalty(c.year_built - s.year_built, requested.years)
        reasons.append(f"built {c.year_built} ({_signed(c.year_built - s.year_built, ' yr')})")

    score = 100 * (1 - sum(WEIGHTS[k] * pen[k] for k in WEIGHTS))
    return round(score, 1), tuple(reasons)


def select_comps(
    subject: Subject,
    comps: Sequence[Comp],
    filters: CompFilters | None = None,
    *,
    as_of: date,
) -> CompSelection:
    """The top comps for a subject with reasons; widen filters step by step while fewer than min_comps match."""
    requested = (filters or CompFilters()).check()
    if subject.living_area is None or subject.living_area <= 0:
        raise BadInput(
            f"Lead {subject.lead_id} has no Square feet, so comps cannot be matched or valued.",
            "Fill in its Square feet on the Leads sheet and try again.",
        )
    has_coords = subject.latitude is not None and subject.longitude is not None
    if not has_coords and not subject.postal_code:
        raise BadInput(
            f"Lead {subject.lead_id} has neither a PostalCode nor Latitude/Longitude, so comps cannot be located.",
            "Fill in PostalCode on the Leads sheet.",
        )
    notes: list[str] = []
    for field, label in (("beds", "number of bedrooms"), ("baths", "number of bathrooms"), ("year_built", "year built")):
        if getattr(subject, field) is None:
            notes.append(f"The home's {label} is not on file, so sales were not matched on it.")

    pool = [c for c in comps if not _is_subject(c, subject)]
    if subject.property_type:
        kind = same_kind(subject.property_type)
        pool = [c for c in pool if not c.property_type or same_kind(c.property_type) == kind]
    if not pool:
        raise NoComparables(
            f"There are no sold comps to compare lead {subject.lead_id} with (the Comps sheet is empty).",
            f"Import a sold-listings export covering ZIP {subject.postal_code or '(its area)'}: relist present {subject.lead_id} --comps FILE.",
        )

    used = requested
    widenings: list[Widening] = []
    matcher = _Matcher(subject, used, as_of)
    matched = [c for c in pool if not matcher.fails(c)]
    steps = iter(enumerate(WIDENING_STEPS, 1))
    while requested.widen and len(matched) < requested.min_comps:
        nxt = next(steps, None)
        if nxt is None:
            break
        n, (name, op, amount) = nxt
        before = used.value_text(name)
        current = getattr(used, name)
        new = current * amount if op == "times" else current + amount
        used = replace(used, **{name: type(current)(new)})
        matcher = _Matcher(subject, used, as_of)
        matched = [c for c in pool if not matcher.fails(c)]
        widenings.append(Widening(n, name, before, used.value_text(name), len(matched)))

    if not matched:
        where = f"ZIP {subject.postal_code}" if subject.postal_code else "its coordinates"
        raise NoComparables(
            f"No sold comp matches lead {subject.lead_id} ({subject.address or where}, {subject.living_area:,.0f} sq ft) "
            f"among {len(pool)} sold listings, even with every filter widened.",
            f"Import a sold-listings export that covers {where} (relist present {subject.lead_id} --comps FILE).",
        )
    if len(matched) < requested.min_comps:
        notes.append(f"Only {len(matched)} sales like this home were found, even looking wider; the range reflects that.")

    strict = _Matcher(subject, requested, as_of)
    scored: list[ScoredComp] = []
    for c in matched:
        d = matcher.distance(c)
        score, reasons = _score_and_reasons(c, subject, requested, as_of, d)
        widened = tuple(strict.fails(c))
        if widened:
            reasons = (*reasons, "kept after widening " + ", ".join(_FILTER_WORDS[w] for w in widened))
        scored.append(ScoredComp(c, score, d, reasons, widened))
    scored.sort(key=lambda s: (-s.score, -s.comp.close_date.toordinal(), s.comp.comp_id))
    return CompSelection(
        subject=subject,
        as_of=as_of,
        requested=requested,
        used=used,
        widenings=tuple(widenings),
        considered=len(pool),
        matched=len(matched),
        kept=tuple(scored[: requested.count]),
        notes=tuple(notes),
        reserve=tuple(scored[requested.count: requested.count * 2]),
    )


_FILTER_WORDS: dict[FilterName, str] = {
    "months": "closed within",
    "area_pct": "living area",
    "radius_miles": "distance",
    "beds": "bedrooms",
    "baths": "bathrooms",
    "years": "year built",
}


def same_kind(property_type: str) -> str:
    """A property type reduced to what buyers compare: condo, townhouse, land, multi-family or house."""
    t = property_type.lower()
    for word, kind in (("condo", "condo"), ("town", "townhouse"), ("land", "land"), ("lot", "land"),
                       ("duplex", "multi"), ("multi", "multi"), ("mobile", "manufactured"), ("manufactured", "manufactured")):
        if word in t:
            return kind
    return "house"


def _is_subject(c: Comp, s: Subject) -> bool:
    """A sale of the subject itself is never its own comparable."""
    if s.address_key and c.address_key and s.address_key == c.address_key:
        return True
    return bool(s.listing_id and c.listing_id and s.listing_id == c.listing_id)
