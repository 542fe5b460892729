"""The ROI model: what a prospecting habit is worth per month, pure and typed.

One model behind three fronts (the Excel ROI sheet's formulas, the notebook
calculator, `relist roi`). Defaults come from shared/reference/market.md; each
input's `source` says where its default comes from, and every default is only a
starting point the agent changes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Literal

from relist.errors import BadInput

Chain = Literal["appointments", "contacts"]
CHAINS: tuple[Chain, ...] = ("appointments", "contacts")
"""How contacts become listings: through contacts per appointment and appointments per
listing ("appointments"), or straight from signed listings per contact ("contacts")."""

WEEKS_PER_MONTH = 52 / 12
"""A month is 52/12 weeks (the ROI sheet uses the same constant)."""

EARLY_QUIT_TOUCH = 3
"""The median agent quits at touch 2-3 (sales follow-up surveys, NSEA)."""

FULL_SEQUENCE_TOUCHES = 8
"""The 8-touch multi-channel sequence of the field's playbook."""

Unit = Literal["count", "rate", "money", "minutes", "choice"]


@dataclass(frozen=True)
class InputField:
    """One input of the model: its label, unit, bounds and where its default comes from."""

    name: str
    label: str
    unit: Unit
    low: float
    high: float
    help: str
    source: str
    whole: bool = False
    step: float = 1.0


INPUT_FIELDS: tuple[InputField, ...] = (
    InputField("dials_per_day", "Dials per day", "count", 0, 1000,
               "Calls you place on a prospecting day.",
               "industry rule of thumb for a solo agent: 90 minutes a day, 60-80 dials (midpoint 70)", step=5),
    InputField("days_per_week", "Prospecting days per week", "count", 0, 7,
               "Days a week you prospect.", "assumption: a 5-day prospecting week", step=0.5),
    InputField("minutes_per_dial", "Minutes per dial", "minutes", 0.1, 60,
               "Average time per dial, talk and notes included.",
               "the same rule of thumb: 90 minutes for 60-80 dials is 1.1-1.5 minutes a dial (1.3 at 70)", step=0.05),
    InputField("pickup_rate", "Pickup rate (contacts per dial)", "rate", 0, 1,
               "Share of dials that reach the owner.",
               "Baylor University and Keller Williams cold-calling study, 2011: about 28% (25-35% is the usual range)", step=0.01),
    InputField("contacts_per_appointment", "Contacts per appointment", "count", 1, 10000,
               "Owners you talk to for each listing appointment (appointments chain).",
               "industry rule of thumb: 75-140 contacts a week for 1-2 appointments a week, "
               "about 70 (top prospectors: 25)", step=1),
    InputField("appointments_per_listing", "Appointments per signed listing", "count", 1, 1000,
               "Listing appointments it takes to sign one listing.",
               "industry rule of thumb: 1-2 appointments a week sign 2-4 listings a month, about 2 each", step=0.1),
    InputField("listings_per_contact", "Signed listings per contact", "rate", 0, 1,
               "Listings signed per owner reached (contacts chain).",
               "industry rule of thumb: 5 (solid) to 10 (elite) listings per 100 owners reached", step=0.005),
    InputField("listing_to_close", "Listing-to-close rate", "rate", 0, 1,
               "Share of signed listings that close.",
               "Realtor.com housing report, Nov 2025: 27 of every 100 new listings were pulled unsold; about 70% close", step=0.01),
    InputField("median_price", "Median sale price", "money", 1000, 100_000_000,
               "Typical sale price in your farm.",
               "National Association of Realtors, 2025: median $435,300 (June) and $409,200 (November)", step=5000),
    InputField("commission_rate", "Listing-side commission", "rate", 0, 1,
               "Listing side of the commission, as a share of the price.",
               "Redfin, late 2025: listing-side commissions averaged 2.4-2.8%", step=0.001),
    InputField("brokerage_split", "Brokerage split (share to the brokerage)", "rate", 0, 1,
               "Share of your GCI that goes to your brokerage.",
               "assumption: a 70/30 split; set your own", step=0.01),
    InputField("data_cost", "Data cost per month", "money", 0, 1_000_000,
               "Expired-data subscription.", "REDX price list, 2025: about $60-120 a month (midpoint)", step=10),
    InputField("dialer_cost", "Dialer cost per month", "money", 0, 1_000_000,
               "Dialer subscription.", "Mojo Dialer price list, 2025: $99-149 a month (midpoint)", step=10),
    InputField("tools_cost", "Tools cost per month", "money", 0, 1_000_000,
               "CRM and other tools.", "Follow Up Boss price list, 2025: from $58 a user", step=10),
    InputField("touches_per_lead", "Touches per lead before you stop", "count", 1, 50,
               "How many touches a lead gets before you give up on it.",
               "an 8-touch sequence; sales follow-up surveys (NSEA) find most agents stop after 2-3 touches", whole=True),
    InputField("touch_contact_rate", "Contact chance per touch", "rate", 0, 1,
               "Chance that one touch (any channel) reaches the owner.",
               "defaults to the pickup rate; 'use my numbers' measures it from your log", step=0.01),
    InputField("leads_per_month", "New leads per month", "count", 0, 1_000_000,
               "New expired leads you start working each month.",
               "assumption: set to the expireds you load each month", whole=True, step=10),
)
"""Every numeric input, in sheet order."""

FIELD_BY_NAME: dict[str, InputField] = {f.name: f for f in INPUT_FIELDS}


@dataclass(frozen=True)
class RoiInputs:
    """The agent's prospecting habit and market, one value per input."""

    dials_per_day: float = 70.0
    days_per_week: float = 5.0
    minutes_per_dial: float = 1.3
    pickup_rate: float = 0.30
    chain: Chain = "appointments"
    contacts_per_appointment: float = 70.0
    appointments_per_listing: float = 2.0
    listings_per_contact: float = 0.05
    listing_to_close: float = 0.7
    median_price: float = 425_000.0
    commission_rate: float = 0.025
    brokerage_split: float = 0.30
    data_cost: float = 90.0
    dialer_cost: float = 124.0
    tools_cost: float = 58.0
    touches_per_lead: int = 8
    touch_contact_rate: float = 0.30
    leads_per_month: float = 100.0

    def with_values(self, **changes: float | str) -> RoiInputs:
        """A copy with some inputs changed (validated)."""
        return validate(replace(self, **changes))  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, float | str]:
        return dict(asdict(self))


@dataclass(frozen=True)
class RoiOutputs:
    """What the habit produces per day, week and month; None where a ratio has no denominator."""

    dials_per_month: float
    hours_per_month: float
    contacts_per_day: float
    contacts_per_month: float
    appointments_per_contact: float
    listings_per_contact_used: float
    appointments_per_week: float
    appointments_per_month: float
    listings_per_month: float
    closings_per_month: float
    gci_per_listing: float
    gci_per_month: float
    split_per_month: float
    costs_per_month: float
    net_per_month: float
    cost_per_listing: float | None
    gci_per_hour: float | None
    return_on_costs: float | None
    gci_per_contact: float
    reached_by_early_quit: float
    reached_by_full_sequence: float
    reached_by_your_depth: float
    gci_quitting_early: float
    gci_lost_at_your_depth: float

    def as_dict(self) -> dict[str, float | None]:
        return dict(asdict(self))


OUTPUT_LABELS: dict[str, str] = {
    "dials_per_month": "Dials per month",
    "hours_per_month": "Prospecting hours per month",
    "contacts_per_day": "Contacts per day",
    "contacts_per_month": "Contacts per month",
    "appointments_per_contact": "Appointments per contact",
    "listings_per_contact_used": "Signed listings per contact (used)",
    "appointments_per_week": "Appointments per week",
    "appointments_per_month": "Appointments per month",
    "listings_per_month": "Signed listings per month",
    "closings_per_month": "Closings per month",
    "gci_per_listing": "GCI per closed listing",
    "gci_per_month": "GCI per month",
    "split_per_month": "Brokerage split per month",
    "costs_per_month": "Costs per month",
    "net_per_month": "Net income per month (after split and costs)",
    "cost_per_listing": "Cost per signed listing",
    "gci_per_hour": "GCI per prospecting hour",
    "return_on_costs": "Return on monthly costs",
    "gci_per_contact": "GCI per contact",
    "reached_by_early_quit": f"Leads reached by touch {EARLY_QUIT_TOUCH}",
    "reached_by_full_sequence": f"Leads reached by touch {FULL_SEQUENCE_TOUCHES}",
    "reached_by_your_depth": "Leads reached by your last touch",
    "gci_quitting_early": f"GCI lost by quitting at touch {EARLY_QUIT_TOUCH} instead of {FULL_SEQUENCE_TOUCHES}",
    "gci_lost_at_your_depth": f"GCI lost by stopping at your depth instead of touch {FULL_SEQUENCE_TOUCHES}",
}
"""Every output, in sheet order, with its label."""

OUTPUT_UNITS: dict[str, Unit] = {
    "appointments_per_contact": "rate",
    "listings_per_contact_used": "rate",
    "gci_per_listing": "money",
    "gci_per_month": "money",
    "split_per_month": "money",
    "costs_per_month": "money",
    "net_per_month": "money",
    "cost_per_listing": "money",
    "gci_per_hour": "money",
    "return_on_costs": "rate",
    "gci_per_contact": "money",
    "gci_quitting_early": "money",
    "gci_lost_at_your_depth": "money",
}
"""Outputs that are not plain counts."""


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def validate(inputs: RoiInputs) -> RoiInputs:
    """The inputs, or BadInput naming the first field that is out of bounds."""
    if inputs.chain not in CHAINS:
        raise BadInput(
            f"ROI input chain is {inputs.chain!r}; it must be 'appointments' or 'contacts'.",
            "Use 'appointments' (contacts per appointment, appointments per listing) or 'contacts' (listings per contact).",
        )
    for f in INPUT_FIELDS:
        value = getattr(inputs, f.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadInput(f"ROI input {f.name} ({f.label}) is {value!r}, not a number.", "Give a number.")
        if not math.isfinite(value):
            raise BadInput(f"ROI input {f.name} ({f.label}) is {value}; it must be a finite number.", "Give a number.")
        if f.whole and value != int(value):
            raise BadInput(f"ROI input {f.name} ({f.label}) is {value}; it must be a whole number.", "Give a whole number.")
        if value < f.low or value > f.high:
            if f.unit == "rate" and value > f.high:
                what = f"{_pct(value)}: a rate cannot be above 100%"
            elif f.unit == "rate":
                what = f"{_pct(value)}: a rate cannot be negative"
            elif value < 0:
                what = f"{value:g}: it cannot be negative"
            elif f.name == "median_price":
                what = f"{value:g}: the price must be at least ${f.low:,.0f}"
            else:
                what = f"{value:g}; it must be between {f.low:g} and {f.high:g}"
            hint = "Write rates as fractions (0.3) or percentages (30%)." if f.unit == "rate" else f"Use {f.low:g} to {f.high:g}."
            raise BadInput(f"ROI input {f.name} ({f.label}) is {what}.", hint)
    if inputs.chain == "contacts" and inputs.listings_per_contact * inputs.appointments_per_listing > 1:
        raise BadInput(
            f"ROI inputs listings_per_contact ({inputs.listings_per_contact:g}) times appointments_per_listing "
            f"({inputs.appointments_per_listing:g}) is above 1 appointment per contact.",
            "Lower listings_per_contact or appointments_per_listing.",
        )
    return inputs


def _ratio(num: float, den: float) -> float | None:
    """num / den, or None when there is no denominator (or the quotient overflows)."""
    if den <= 0:
        return None
    q = num / den
    return q if math.isfinite(q) else None


def _reached(leads: float, per_touch: float, touches: float) -> float:
    """Leads reached at least once within `touches` touches, each reaching with chance `per_touch`."""
    return leads * (1.0 - float((1.0 - per_touch) ** touches))


def compute(inputs: RoiInputs) -> RoiOutputs:
    """The month the inputs produce; the ROI sheet's formulas compute the same numbers."""
    i = validate(inputs)
    dials_month = i.dials_per_day * i.days_per_week * WEEKS_PER_MONTH
    hours_month = dials_month * i.minutes_per_dial / 60.0
    contacts_day = i.dials_per_day * i.pickup_rate
    contacts_month = dials_month * i.pickup_rate
    if i.chain == "contacts":
        listings_per_contact = i.listings_per_contact
        appointments_per_contact = i.listings_per_contact * i.appointments_per_listing
    else:
        appointments_per_contact = 1.0 / i.contacts_per_appointment
        listings_per_contact = 1.0 / (i.contacts_per_appointment * i.appointments_per_listing)
    appointments_week = contacts_day * i.days_per_week * appointments_per_contact
    appointments_month = contacts_month * appointments_per_contact
    listings_month = contacts_month * listings_per_contact
    closings_month = listings_month * i.listing_to_close
    gci_listing = i.median_price * i.commission_rate
    gci_month = closings_month * gci_listing
    split_month = gci_month * i.brokerage_split
    costs = i.data_cost + i.dialer_cost + i.tools_cost
    net = gci_month - split_month - costs
    gci_contact = listings_per_contact * i.listing_to_close * gci_listing
    early = _reached(i.leads_per_month, i.touch_contact_rate, EARLY_QUIT_TOUCH)
    full = _reached(i.leads_per_month, i.touch_contact_rate, FULL_SEQUENCE_TOUCHES)
    yours = _reached(i.leads_per_month, i.touch_contact_rate, i.touches_per_lead)
    return RoiOutputs(
        dials_per_month=dials_month,
        hours_per_month=hours_month,
        contacts_per_day=contacts_day,
        contacts_per_month=contacts_month,
        appointments_per_contact=appointments_per_contact,
        listings_per_contact_used=listings_per_contact,
        appointments_per_week=appointments_week,
        appointments_per_month=appointments_month,
        listings_per_month=listings_month,
        closings_per_month=closings_month,
        gci_per_listing=gci_listing,
        gci_per_month=gci_month,
        split_per_month=split_month,
        costs_per_month=costs,
        net_per_month=net,
        cost_per_listing=_ratio(costs, listings_month),
        gci_per_hour=_ratio(gci_month, hours_month),
        return_on_costs=_ratio(net, costs),
        gci_per_contact=gci_contact,
        reached_by_early_quit=early,
        reached_by_full_sequence=full,
        reached_by_your_depth=yours,
        gci_quitting_early=(full - early) * gci_contact,
        gci_lost_at_your_depth=max(0.0, full - yours) * gci_contact,
    )


# ---------------------------------------------------------------- ranges

Span = tuple[float, float]
"""A (low, high) pair; low <= high."""


def _check_span(name: str, span: Span) -> Span:
    f = FIELD_BY_NAME.get(name)
    if f is None:
        raise BadInput(f"ROI range for {name!r}: there is no such input.",
                       f"Use one of: {', '.join(FIELD_BY_NAME)}.")
    low, high = span
    if low > high:
        raise BadInput(f"ROI input {name} ({f.label}) range {low:g}-{high:g} has low above high.",
                       "Write the range low-high, e.g. 0.25-0.35.")
    return (float(low), float(high))


def _critical_rates(low_touches: float, high_touches: float) -> list[float]:
    """Per-touch rates where reach(8) - reach(k) peaks: (1-p)^(8-k) = k/8, for the touch depths in play."""
    out: list[float] = []
    for k in {float(EARLY_QUIT_TOUCH), low_touches, high_touches}:
        if 0 < k < FULL_SEQUENCE_TOUCHES:
            out.append(1.0 - (k / FULL_SEQUENCE_TOUCHES) ** (1.0 / (FULL_SEQUENCE_TOUCHES - k)))
    return out


def compute_range(inputs: RoiInputs, ranges: Mapping[str, Span]) -> dict[str, tuple[float | None, float | None]]:
    """Each output's (low, high) when some inputs are low-high pairs.

    Every output is monotone in each input except the follow-up GCI, which peaks inside
    the per-touch contact rate; the candidates are the corners plus that peak, so the
    span is exact, not sampled. A ratio (cost per listing, GCI per hour, return on costs)
    whose denominator reaches zero somewhere in the ranges gets (None, None): unbounded.
    """
    spans = {name: _check_span(name, span) for name, span in ranges.items()}
    axes: list[tuple[str, list[float]]] = []
    for name, (low, high) in spans.items():
        values = [low, high] if low != high else [low]
        if name == "touch_contact_rate":
            tl, th = spans.get("touches_per_lead", (inputs.touches_per_lead, inputs.touches_per_lead))
            values += [p for p in _critical_rates(tl, th) if low < p < high]
        axes.append((name, values))
    names = [a[0] for a in axes]
    lows: dict[str, float | None] = {}
    highs: dict[str, float | None] = {}
    undefined: set[str] = set()
    for combo in itertools.product(*(a[1] for a in axes)):
        changes: dict[str, float] = dict(zip(names, combo, strict=True))
        if "touches_per_lead" in changes:
            changes["touches_per_lead"] = int(changes["touches_per_lead"])
        out = compute(replace(inputs, **changes))  # type: ignore[arg-type]
        for key, value in out.as_dict().items():
            if value is None:
                undefined.add(key)
                continue
            lo = lows.get(key)
            hi = highs.get(key)
            lows[key] = value if lo is None else min(lo, value)
            highs[key] = value if hi is None else max(hi, value)
    # a ratio whose denominator reaches 0 inside the ranges is unbounded there: no span
    return {k: (None, None) if k in undefined else (lows[k], highs[k]) for k in OUTPUT_LABELS}


def at_midpoints(inputs: RoiInputs, ranges: Mapping[str, Span]) -> RoiInputs:
    """The inputs with each ranged field set to the middle of its range (the point estimate)."""
    changes: dict[str, float] = {}
    for name, span in ranges.items():
        low, high = _check_span(name, span)
        mid = (low + high) / 2
        changes[name] = int(round(mid)) if FIELD_BY_NAME[name].whole else mid
    return validate(replace(inputs, **changes))  # type: ignore[arg-type]


# ---------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    """A named starting point from the seed figures, each with its own inputs."""

    key: str
    title: str
    inputs: RoiInputs
    ranges: Mapping[str, Span]
    note: str


PRESETS: tuple[Preset, ...] = (
    Preset(
        "solo-agent",
        "Solo agent: 90 minutes, 60-80 dials a day",
        RoiInputs(),
        {"dials_per_day": (60.0, 80.0)},
        "1-2 appointments a week, 2-4 listings a month (the defaults).",
    ),
    Preset(
        "top-prospector",
        "Top prospector: 25 contacts per appointment",
        RoiInputs(chain="appointments", dials_per_day=87.5, minutes_per_dial=1.0,
                  contacts_per_appointment=25.0, appointments_per_listing=2.0),
        {"dials_per_day": (75.0, 100.0), "pickup_rate": (0.25, 0.35)},
        "1 appointment a day from 25 contacts (75-100 dials at 25-35% pickup).",
    ),
    Preset(
        "by-skill",
        "By skill: 1 listing per 10-20 contacts",
        RoiInputs(chain="contacts", listings_per_contact=0.075, appointments_per_listing=2.0),
        {"listings_per_contact": (0.05, 0.10)},
        "5 (solid) to 10 (elite) signed listings per 100 contacts.",
    ),
)
PRESET_BY_KEY: dict[str, Preset] = {p.key: p for p in PRESETS}


def preset(key: str) -> Preset:
    """A preset by key, or BadInput listing the keys."""
    found = PRESET_BY_KEY.get(key)
    if found is None:
        raise BadInput(f"There is no ROI preset {key!r}.", f"Use one of: {', '.join(PRESET_BY_KEY)}.")
    return found


def input_names() -> Iterable[str]:
    """Every input name, the chain included, in dataclass order."""
    return (f.name for f in fields(RoiInputs))
