"""Chart specs for the ROI calculator and the Dashboard: plain data, rendered by `relist.roi.render`.

Two stages so tests check the numbers a chart shows without looking at pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from relist.roi.metrics import Funnel
from relist.roi.model import RoiOutputs

ValueFormat = Literal["count", "money"]
OutputSpans = Mapping[str, tuple[float | None, float | None]]


@dataclass(frozen=True)
class BarSpec:
    """A bar chart: one bar per label, optional low-high whiskers, values labelled on the bars."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    value_format: ValueFormat = "count"
    horizontal: bool = False
    log_scale: bool = False
    lows: tuple[float, ...] | None = None
    highs: tuple[float, ...] | None = None
    colors: tuple[str, ...] = ("#1F4E78",)
    subtitle: str = ""


_FUNNEL = (
    ("Dials", "dials_per_month"),
    ("Contacts", "contacts_per_month"),
    ("Appointments", "appointments_per_month"),
    ("Signed listings", "listings_per_month"),
    ("Closings", "closings_per_month"),
)
_FUNNEL_COLORS = ("#9DC3E6", "#5B9BD5", "#2E75B6", "#1F4E78", "#548235")


def _spans(spans: OutputSpans | None, names: tuple[str, ...], point: tuple[float, ...]
           ) -> tuple[tuple[float, ...] | None, tuple[float, ...] | None]:
    if not spans:
        return None, None
    lows: list[float] = []
    highs: list[float] = []
    for name, value in zip(names, point, strict=True):
        lo, hi = spans.get(name, (value, value))
        lows.append(value if lo is None else lo)
        highs.append(value if hi is None else hi)
    if lows == list(point) and highs == list(point):
        return None, None
    return tuple(lows), tuple(highs)


def funnel_chart(out: RoiOutputs, spans: OutputSpans | None = None) -> BarSpec:
    """Dials to closings per month, on a linear scale (each bar carries its value: closings are a sliver of dials)."""
    names = tuple(n for _, n in _FUNNEL)
    values = tuple(float(getattr(out, n)) for n in names)
    lows, highs = _spans(spans, names, values)
    return BarSpec(
        title="Your month: dials to closings",
        labels=tuple(label for label, _ in _FUNNEL),
        values=values,
        horizontal=True,
        lows=lows,
        highs=highs,
        colors=_FUNNEL_COLORS,
    )


def gci_chart(out: RoiOutputs, spans: OutputSpans | None = None) -> BarSpec:
    """Monthly money: GCI, what the brokerage and the tools take, and what is left."""
    names = ("gci_per_month", "split_per_month", "costs_per_month", "net_per_month")
    values = tuple(float(getattr(out, n)) for n in names)
    lows, highs = _spans(spans, names, values)
    return BarSpec(
        title="Monthly GCI and net income",
        labels=("GCI", "Brokerage split", "Costs", "Net income"),
        values=values,
        value_format="money",
        lows=lows,
        highs=highs,
        colors=("#2E75B6", "#BF9000", "#C00000", "#548235"),
        subtitle=f"Cost of quitting at touch 3: ${out.gci_quitting_early:,.0f} a month",
    )


def measured_funnel_chart(f: Funnel) -> BarSpec:
    """The Dashboard's funnel: all-time counts from the touch log."""
    from relist.roi.metrics import MIN_RATE_SAMPLE
    from relist.words import count

    t = f.total
    few = f"Only {count(t.dials, 'dial')}: too few to trust yet" if t.dials < MIN_RATE_SAMPLE else ""
    return BarSpec(
        title="Your funnel, all time",
        labels=("Dials", "Contacts", "Appointments", "Listings", "Closings"),
        values=(float(t.dials), float(t.contacts), float(t.appointments), float(t.listings), float(t.closings)),
        horizontal=True,
        colors=_FUNNEL_COLORS,
        subtitle=few,
    )
