"""Presentation charts in two stages: plain data specs built from comps and valuation, then a matplotlib renderer.

The specs are what tests snapshot (data, not pixels); `render_png` draws one with the
Agg canvas, importing matplotlib only when called and never touching pyplot's global state.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from relist.comps.findings import ListingFacts, listing_facts
from relist.comps.select import CompSelection
from relist.comps.value import Valuation
from relist.comps.words import money, per_sqft, price_range

SET_ASIDE_COLOR = "#A6A6A6"
SUBJECT_COLOR = "#C00000"
COMP_COLOR = "#2F5597"
BAND_COLOR = "#A9D18E"
REFERENCE_COLOR = "#7F7F7F"


@dataclass(frozen=True)
class Point:
    """One plotted point."""

    x: float
    y: float
    label: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar; the subject's bar is highlighted."""

    label: str
    value: float
    highlight: bool = False
    muted: bool = False


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line with its label."""

    label: str
    value: float


@dataclass(frozen=True)
class ValueRange:
    """A price range drawn as a bar at the home's living area (a range deck names no single price)."""

    x: float
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class ScatterSpec:
    """Sale price against living area, the subject marked, the suggested price (or, on a range deck,
    the range the comps point to) drawn at its living area."""

    title: str
    x_label: str
    y_label: str
    comps: tuple[Point, ...]
    subject: Point | None
    suggested: Point | None
    band_ppsf: tuple[float, float]
    median_ppsf: float
    x_range: tuple[float, float]
    set_aside: tuple[Point, ...] = ()
    value_range: ValueRange | None = None
    kind: Literal["scatter"] = "scatter"


@dataclass(frozen=True)
class BarSpec:
    """Bars with reference lines (the comps' $/sq ft, days on market)."""

    title: str
    y_label: str
    bars: tuple[Bar, ...]
    references: tuple[Reference, ...] = ()
    value_format: str = "{:,.0f}"
    kind: Literal["bars"] = "bars"


@dataclass(frozen=True)
class HistorySpec:
    """The home's asking price over time, as steps (every change), against the value and its range.

    `undated` is a last price whose change date is not on file: drawn dashed from the last dated step to `end`.
    """

    title: str
    y_label: str
    steps: tuple[tuple[str, float], ...]
    end: str
    references: tuple[Reference, ...] = ()
    band: tuple[float, float] | None = None
    undated: tuple[float, ...] = ()
    band_label: str = "Range the comps support"
    kind: Literal["history"] = "history"


ChartSpec = ScatterSpec | BarSpec | HistorySpec


@dataclass(frozen=True)
class ChartSet:
    """The four charts of a presentation (history is None when the lead has no price data)."""

    scatter: ScatterSpec
    ppsf: BarSpec
    dom: BarSpec | None
    history: HistorySpec | None
    names: tuple[str, ...] = field(default=("scatter", "ppsf", "dom", "history"))

    def items(self) -> list[tuple[str, ChartSpec]]:
        """(name, spec) for every chart present, in deck order."""
        out: list[tuple[str, ChartSpec]] = []
        for name in self.names:
            spec = getattr(self, name)
            if spec is not None:
                out.append((name, spec))
        return out


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def spec_dict(spec: ChartSpec) -> dict[str, Any]:
    """A spec as JSON-ready data (floats rounded to 4 places) for snapshots."""
    out: dict[str, Any] = _round(asdict(spec))
    return out


def short_address(address: str, width: int = 22) -> str:
    """An address short enough for an axis label."""
    return address if len(address) <= width else address[: width - 1].rstrip() + "…"


def range_label(valuation: Valuation) -> str:
    """The legend of a range deck's range, in the words and rounding of the comp set's heading."""
    return f"Range the comps point to {price_range(valuation.low_price, valuation.high_price)}"


def scatter_spec(selection: CompSelection, valuation: Valuation, one_price: bool = True) -> ScatterSpec:
    """Sold price against living area; the suggested price is marked only when the deck names one (`one_price`),
    otherwise the range the comps point to is drawn at the home's area and no single price is named."""
    s = selection.subject
    area = valuation.subject_area
    comps = tuple(Point(e.comp.living_area, e.comp.close_price, short_address(e.comp.address)) for e in valuation.evidence)
    aside = tuple(Point(e.comp.living_area, e.comp.close_price, short_address(e.comp.address)) for e in valuation.set_aside)
    xs = [p.x for p in comps + aside] + [area]
    pad = max(100.0, (max(xs) - min(xs)) * 0.1)
    value = valuation.suggested_list_price if one_price else None
    return ScatterSpec(
        title="Sold price against living area",
        x_label="Living area (sq ft)",
        y_label="Price",
        comps=comps,
        subject=Point(area, s.list_price, "This home at its last list price") if s.list_price is not None else None,
        suggested=(Point(area, value, "Suggested list price") if value is not None else
                   None if not one_price else Point(area, valuation.indicated_value, "Value the comps point to")),
        band_ppsf=(valuation.q1_ppsf, valuation.q3_ppsf),
        median_ppsf=valuation.median_ppsf,
        x_range=(min(xs) - pad, max(xs) + pad),
        set_aside=aside,
        value_range=None if one_price else ValueRange(area, valuation.low_price, valuation.high_price, range_label(valuation)),
    )


def ppsf_spec(selection: CompSelection, valuation: Valuation) -> BarSpec:
    """Each comp's $/sq ft after adjustment (what the value uses), set-aside sales greyed, the home at its list price."""
    s = selection.subject
    bars = [Bar(short_address(e.comp.address), e.adjusted_ppsf) for e in valuation.evidence]
    bars += [Bar(short_address(e.comp.address) + " (set aside)", e.adjusted_ppsf, muted=True) for e in valuation.set_aside]
    if s.list_price is not None:
        bars.insert(0, Bar("This home at its last price", s.list_price / valuation.subject_area, True))
    return BarSpec(
        title="Price per square foot",
        y_label="$ per sq ft",
        bars=tuple(bars),
        references=(
            Reference(f"Comparable sales' median {per_sqft(valuation.median_ppsf)}", valuation.median_ppsf),
        ),
        value_format="${:,.0f}",
    )


def dom_spec(selection: CompSelection, valuation: Valuation) -> BarSpec | None:
    s = selection.subject
    days = s.cumulative_days_on_market if s.cumulative_days_on_market is not None else s.days_on_market
    used = [e.comp for e in valuation.evidence]  # the sales the median days is taken from
    bars = [Bar(short_address(c.address), float(c.days_on_market)) for c in used if c.days_on_market is not None]
    if days is None and not bars:
        return None
    if days is not None:
        bars.insert(0, Bar("This home", float(days), True))
    refs = (Reference(f"Comparable sales' median {valuation.median_dom:g} days", valuation.median_dom),) if valuation.median_dom is not None else ()
    return BarSpec(title="Days on market", y_label="Days", bars=tuple(bars), references=refs, value_format="{:,.0f}")


def history_spec(selection: CompSelection, valuation: Valuation, facts: ListingFacts | None = None,
                 one_price: bool = True) -> HistorySpec | None:
    """Every price of the listing from its facts (the same ones the findings read), against the comps' value
    and range; on a range deck (`one_price` False) against the range alone, labelled with its prices."""
    f = facts or listing_facts(selection.subject)
    dated = [(st.on, st.price) for st in f.steps if st.on is not None]
    undated = tuple(st.price for st in f.steps if st.on is None)
    if not dated:
        return None
    last = dated[-1][0]
    end = f.ended_on if f.ended_on is not None and f.ended_on >= last else None
    if end is None and f.days_on_market is not None and f.listed_on is not None:
        end = max(last, f.listed_on + timedelta(days=f.days_on_market))
    end = end or last + timedelta(days=1)
    return HistorySpec(
        title="This home's asking price",
        y_label="Price",
        steps=tuple((d.isoformat(), p) for d, p in dated),
        end=end.isoformat(),
        references=(Reference(f"Value the comps point to {money(valuation.indicated_value)}", valuation.indicated_value),)
        if one_price else (),
        band=(valuation.low, valuation.high) if one_price else (valuation.low_price, valuation.high_price),
        undated=undated,
        band_label="Range the comps support" if one_price else range_label(valuation),
    )


def build_charts(
    selection: CompSelection, valuation: Valuation, facts: ListingFacts | None = None, one_price: bool = True
) -> ChartSet:
    """Every chart spec of a presentation; `one_price` is False when the deck shows a range instead of a price."""
    return ChartSet(
        scatter=scatter_spec(selection, valuation, one_price),
        ppsf=ppsf_spec(selection, valuation),
        dom=dom_spec(selection, valuation),
        history=history_spec(selection, valuation, facts, one_price),
    )


# ---------------------------------------------------------------- rendering (matplotlib, lazily)


def _t(text: str) -> str:
    """Text safe from matplotlib's mathtext (a pair of $ would start a formula)."""
    return text.replace("$", r"\$")


def _money_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _t(f"${v / 1000:,.0f}k")))


def _legend_below(ax: Any, ncol: int = 2) -> None:
    """The legend under the plot, where it can never cover a point or a bar."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        below = -0.3 if ax.get_xlabel() else -0.14
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, below), ncol=ncol, fontsize=7, frameon=False)


def _draw_scatter(ax: Any, spec: ScatterSpec) -> None:
    lo, hi = spec.x_range
    q1, q3 = spec.band_ppsf
    ax.fill_between([lo, hi], [q1 * lo, q1 * hi], [q3 * lo, q3 * hi], color=BAND_COLOR, alpha=0.35,
                    label=_t(f"Middle half of the comps (${q1:,.0f}-${q3:,.0f}/sq ft)"))
    ax.plot([lo, hi], [spec.median_ppsf * lo, spec.median_ppsf * hi], color=REFERENCE_COLOR, lw=1, ls="--",
            label=_t(f"Median {per_sqft(spec.median_ppsf)}"))
    ax.scatter([p.x for p in spec.comps], [p.y for p in spec.comps], color=COMP_COLOR, s=36, zorder=3, label="Comparable sales")
    if spec.set_aside:
        ax.scatter([p.x for p in spec.set_aside], [p.y for p in spec.set_aside], facecolor="white", edgecolor=SET_ASIDE_COLOR,
                   s=36, zorder=3, label="Set aside (unlike the others)")
    if spec.subject is not None:
        ax.scatter([spec.subject.x], [spec.subject.y], color=SUBJECT_COLOR, marker="*", s=220, zorder=4,
                   label=_t(f"{spec.subject.label} {money(spec.subject.y)}"))
    if spec.suggested is not None:
        ax.scatter([spec.suggested.x], [spec.suggested.y], facecolor="white", edgecolor=SUBJECT_COLOR, marker="D", s=60,
                   zorder=4, label=_t(f"{spec.suggested.label} {money(spec.suggested.y)}"))
    if spec.value_range is not None:
        r = spec.value_range
        ax.errorbar([r.x], [(r.low + r.high) / 2], yerr=[[(r.high - r.low) / 2], [(r.high - r.low) / 2]], fmt="none",
                    ecolor=SUBJECT_COLOR, elinewidth=3, capsize=6, capthick=2, zorder=4, label=_t(r.label))
    ax.set_xlim(lo, hi)
    ax.set_xlabel(_t(spec.x_label))
    ax.set_ylabel(_t(spec.y_label))
    _money_axis(ax)
    _legend_below(ax)


def _draw_bars(ax: Any, spec: BarSpec) -> None:
    labels = [b.label for b in spec.bars]
    values = [b.value for b in spec.bars]
    colors = [SUBJECT_COLOR if b.highlight else SET_ASIDE_COLOR if b.muted else COMP_COLOR for b in spec.bars]
    ys = list(range(len(values)))[::-1]
    ax.barh(ys, values, color=colors)
    ax.set_yticks(ys, [_t(label) for label in labels], fontsize=8)
    for y, v in zip(ys, values, strict=True):
        ax.text(v, y, _t(" " + spec.value_format.format(v)), va="center", fontsize=7)
    for ref in spec.references:
        ax.axvline(ref.value, color=REFERENCE_COLOR, ls="--", lw=1, label=_t(ref.label))
    ax.set_xlabel(_t(spec.y_label))
    ax.set_xlim(0, max(values) * 1.18 if values else 1)
    if len(values) < 4:
        ax.set_ylim(-0.5 - (4 - len(values)) / 2, len(values) - 0.5 + (4 - len(values)) / 2)  # no slab-thick bars
    _legend_below(ax)


def _draw_history(ax: Any, spec: HistorySpec) -> None:
    from matplotlib.dates import AutoDateLocator, DateFormatter

    days = [date.fromisoformat(d) for d, _ in spec.steps]
    prices = [p for _, p in spec.steps]
    end = date.fromisoformat(spec.end)
    if spec.band is not None:
        ax.axhspan(spec.band[0], spec.band[1], color=BAND_COLOR, alpha=0.35, label=_t(spec.band_label))
    for ref in spec.references:
        ax.axhline(ref.value, color=REFERENCE_COLOR, ls="--", lw=1, label=_t(ref.label))
    if spec.undated:
        ax.step(days + [days[-1]], prices + [prices[-1]], where="post", color=SUBJECT_COLOR, lw=2, label="Asking price")
        gap_end = end if end > days[-1] else days[-1] + timedelta(days=1)
        ax.plot([days[-1], gap_end], [prices[-1], spec.undated[-1]], color=SUBJECT_COLOR, lw=1.5, ls=":",
                label="Later price (date of change not on file)")
        ax.scatter([gap_end], [spec.undated[-1]], color=SUBJECT_COLOR, s=20, zorder=3)
        ax.annotate(_t(money(spec.undated[-1])), (gap_end, spec.undated[-1]), textcoords="offset points", xytext=(-10, 6),
                    ha="right", fontsize=7, color=SUBJECT_COLOR)
    else:
        ax.step(days + [end], prices + [prices[-1]], where="post", color=SUBJECT_COLOR, lw=2, label="Asking price")
    ax.scatter(days, prices, color=SUBJECT_COLOR, s=20, zorder=3)
    for d, p in zip(days, prices, strict=True):
        ax.annotate(_t(money(p)), (d, p), textcoords="offset points", xytext=(3, 4), fontsize=7, color=SUBJECT_COLOR)
    ax.set_ylabel(_t(spec.y_label))
    _money_axis(ax)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + (hi - lo) * 0.12)
    _legend_below(ax)


def legend_texts(spec: ChartSpec) -> list[str]:
    """The legend entries the renderer draws for a spec, as a reader sees them."""
    fig = _figure(spec, 6.0, 3.6, 72)
    return [t.get_text().replace(r"\$", "$") for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def render_png(spec: ChartSpec, *, width_in: float = 6.0, height_in: float = 3.6, dpi: int = 150) -> bytes:
    """The chart drawn as PNG bytes."""
    fig = _figure(spec, width_in, height_in, dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _figure(spec: ChartSpec, width_in: float, height_in: float, dpi: int) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if isinstance(spec, ScatterSpec):
        _draw_scatter(ax, spec)
    elif isinstance(spec, BarSpec):
        _draw_bars(ax, spec)
    else:
        _draw_history(ax, spec)
    ax.set_title(_t(spec.title), fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


def render_all(charts: ChartSet, *, dpi: int = 150) -> dict[str, bytes]:
    """Every chart of a set as PNG bytes, by name."""
    return {name: render_png(spec, dpi=dpi) for name, spec in charts.items()}
