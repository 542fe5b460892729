"""Presentation charts in two stages: plain data specs built from comps and valuation, then a matplotlib renderer.

The specs are what tests snapshot (data, not pixels); `render_png` draws one with the
Agg canvas, importing matplotlib only when called and never touching pyplot's global state.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from relist.comps.findings import money
from relist.comps.select import CompSelection
from relist.comps.value import Valuation

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


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line with its label."""

    label: str
    value: float


@dataclass(frozen=True)
class ScatterSpec:
    """Sale price against living area, the subject marked, the suggested price band drawn."""

    title: str
    x_label: str
    y_label: str
    comps: tuple[Point, ...]
    subject: Point
    suggested: Point
    band_ppsf: tuple[float, float]
    median_ppsf: float
    x_range: tuple[float, float]
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
    """The subject's asking price over time, as steps, against the indicated value and its range."""

    title: str
    y_label: str
    steps: tuple[tuple[str, float], ...]
    end: str
    references: tuple[Reference, ...] = ()
    band: tuple[float, float] | None = None
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


def scatter_spec(selection: CompSelection, valuation: Valuation) -> ScatterSpec:
    s = selection.subject
    area = valuation.subject_area
    comps = tuple(Point(c.living_area, c.close_price, short_address(c.address)) for c in selection.comps)
    xs = [p.x for p in comps] + [area]
    pad = max(100.0, (max(xs) - min(xs)) * 0.1)
    asking = s.list_price if s.list_price is not None else valuation.indicated_value
    return ScatterSpec(
        title="Sold price vs living area",
        x_label="Living area (sq ft)",
        y_label="Price ($)",
        comps=comps,
        subject=Point(area, asking, "This home (last list price)"),
        suggested=Point(area, valuation.suggested_list_price, "Suggested list price"),
        band_ppsf=(valuation.q1_ppsf, valuation.q3_ppsf),
        median_ppsf=valuation.median_ppsf,
        x_range=(min(xs) - pad, max(xs) + pad),
    )


def ppsf_spec(selection: CompSelection, valuation: Valuation) -> BarSpec:
    s = selection.subject
    bars = [Bar(short_address(c.address), c.price_per_sqft) for c in selection.comps]
    if s.list_price is not None:
        bars.insert(0, Bar("This home at its list price", s.list_price / valuation.subject_area, True))
    return BarSpec(
        title="Price per square foot",
        y_label="$ per sq ft",
        bars=tuple(bars),
        references=(
            Reference(f"Comps' median ${valuation.median_ppsf:,.2f}", valuation.median_ppsf),
        ),
        value_format="${:,.0f}",
    )


def dom_spec(selection: CompSelection, valuation: Valuation) -> BarSpec | None:
    s = selection.subject
    days = s.cumulative_days_on_market if s.cumulative_days_on_market is not None else s.days_on_market
    bars = [Bar(short_address(c.address), float(c.days_on_market)) for c in selection.comps if c.days_on_market is not None]
    if days is None and not bars:
        return None
    if days is not None:
        bars.insert(0, Bar("This home", float(days), True))
    refs = (Reference(f"Comps' median {valuation.median_dom:g} days", valuation.median_dom),) if valuation.median_dom is not None else ()
    return BarSpec(title="Days on market", y_label="Days", bars=tuple(bars), references=refs, value_format="{:,.0f}")


def history_spec(selection: CompSelection, valuation: Valuation) -> HistorySpec | None:
    s = selection.subject
    steps = [(p.on.isoformat(), p.price) for p in s.price_history]
    if not steps and s.listed_on is not None and (s.original_list_price or s.list_price):
        steps = [(s.listed_on.isoformat(), float(s.original_list_price or s.list_price or 0))]
    if not steps:
        return None
    last = date.fromisoformat(steps[-1][0])
    if s.expired_on is not None and s.expired_on >= last:
        end = s.expired_on
    elif s.days_on_market is not None:
        end = max(last, date.fromisoformat(steps[0][0]) + timedelta(days=s.days_on_market))
    else:
        end = last
    return HistorySpec(
        title="This home's asking price",
        y_label="Price ($)",
        steps=tuple(steps),
        end=end.isoformat(),
        references=(Reference(f"Indicated value {money(valuation.indicated_value)}", valuation.indicated_value),),
        band=(valuation.low, valuation.high),
    )


def build_charts(selection: CompSelection, valuation: Valuation) -> ChartSet:
    """Every chart spec of a presentation."""
    return ChartSet(
        scatter=scatter_spec(selection, valuation),
        ppsf=ppsf_spec(selection, valuation),
        dom=dom_spec(selection, valuation),
        history=history_spec(selection, valuation),
    )


# ---------------------------------------------------------------- rendering (matplotlib, lazily)


def _t(text: str) -> str:
    """Text safe from matplotlib's mathtext (a pair of $ would start a formula)."""
    return text.replace("$", r"\$")


def _money_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _t(f"${v / 1000:,.0f}k")))


def _draw_scatter(ax: Any, spec: ScatterSpec) -> None:
    lo, hi = spec.x_range
    q1, q3 = spec.band_ppsf
    ax.fill_between([lo, hi], [q1 * lo, q1 * hi], [q3 * lo, q3 * hi], color=BAND_COLOR, alpha=0.35,
                    label=_t(f"Comps' middle half (${q1:,.0f}-${q3:,.0f}/sq ft)"))
    ax.plot([lo, hi], [spec.median_ppsf * lo, spec.median_ppsf * hi], color=REFERENCE_COLOR, lw=1, ls="--",
            label=_t(f"Median ${spec.median_ppsf:,.2f}/sq ft"))
    ax.scatter([p.x for p in spec.comps], [p.y for p in spec.comps], color=COMP_COLOR, s=36, zorder=3, label="Sold comps")
    ax.scatter([spec.subject.x], [spec.subject.y], color=SUBJECT_COLOR, marker="*", s=220, zorder=4, label=_t(spec.subject.label))
    ax.scatter([spec.suggested.x], [spec.suggested.y], facecolor="white", edgecolor=SUBJECT_COLOR, marker="D", s=60,
               zorder=4, label=_t(f"{spec.suggested.label} {money(spec.suggested.y)}"))
    ax.set_xlim(lo, hi)
    ax.set_xlabel(_t(spec.x_label))
    ax.set_ylabel(_t(spec.y_label))
    _money_axis(ax)
    ax.legend(loc="upper left", fontsize=7, frameon=False)


def _draw_bars(ax: Any, spec: BarSpec) -> None:
    labels = [b.label for b in spec.bars]
    values = [b.value for b in spec.bars]
    colors = [SUBJECT_COLOR if b.highlight else COMP_COLOR for b in spec.bars]
    ys = list(range(len(values)))[::-1]
    ax.barh(ys, values, color=colors)
    ax.set_yticks(ys, [_t(label) for label in labels], fontsize=8)
    for y, v in zip(ys, values, strict=True):
        ax.text(v, y, _t(" " + spec.value_format.format(v)), va="center", fontsize=7)
    for ref in spec.references:
        ax.axvline(ref.value, color=REFERENCE_COLOR, ls="--", lw=1, label=_t(ref.label))
    ax.set_xlabel(_t(spec.y_label))
    ax.set_xlim(0, max(values) * 1.18 if values else 1)
    if spec.references:
        ax.legend(loc="lower right", fontsize=7, frameon=False)


def _draw_history(ax: Any, spec: HistorySpec) -> None:
    from matplotlib.dates import DateFormatter

    days = [date.fromisoformat(d) for d, _ in spec.steps] + [date.fromisoformat(spec.end)]
    prices = [p for _, p in spec.steps] + [spec.steps[-1][1]]
    ax.step(days, prices, where="post", color=SUBJECT_COLOR, lw=2, label="Asking price")
    ax.scatter(days[:-1], prices[:-1], color=SUBJECT_COLOR, s=20, zorder=3)
    if spec.band is not None:
        ax.axhspan(spec.band[0], spec.band[1], color=BAND_COLOR, alpha=0.35, label="Comp range")
    for ref in spec.references:
        ax.axhline(ref.value, color=REFERENCE_COLOR, ls="--", lw=1, label=_t(ref.label))
    ax.set_ylabel(_t(spec.y_label))
    _money_axis(ax)
    ax.xaxis.set_major_formatter(DateFormatter("%b %d"))  # type: ignore[no-untyped-call]
    ax.legend(loc="best", fontsize=7, frameon=False)


def render_png(spec: ChartSpec, *, width_in: float = 6.0, height_in: float = 3.6, dpi: int = 150) -> bytes:
    """The chart drawn as PNG bytes."""
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
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def render_all(charts: ChartSet, *, dpi: int = 150) -> dict[str, bytes]:
    """Every chart of a set as PNG bytes, by name."""
    return {name: render_png(spec, dpi=dpi) for name, spec in charts.items()}
