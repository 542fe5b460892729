"""Bar-chart specs to PNG bytes with matplotlib (Agg); matplotlib is imported only when a chart is drawn."""

from __future__ import annotations

import io
from typing import Any

from relist.roi.charts import BarSpec
from relist.roi.text import excel_round


def _fmt(value: float, kind: str) -> str:
    """Bar labels, rounded as the ROI sheet shows numbers (3.25 -> 3.3, as the headline says)."""
    if kind == "money":
        sign = "-" if value < 0 else ""
        v = abs(value)
        if v >= 1_000_000:
            return f"{sign}${excel_round(v / 1_000_000, 2):.2f}M"
        if v >= 10_000:
            return f"{sign}${excel_round(v / 1000, 0):.0f}k"
        return f"{sign}${excel_round(v, 0):,.0f}"
    return f"{excel_round(value, 0):,.0f}" if abs(value) >= 100 else f"{excel_round(value, 1):,.1f}"


def draw(spec: BarSpec, ax: Any) -> None:
    """Draw the spec on a matplotlib Axes."""
    n = len(spec.values)
    colors = [spec.colors[i % len(spec.colors)] for i in range(n)]
    positions = list(range(n))
    err: Any = None
    if spec.lows is not None and spec.highs is not None:
        err = [
            [max(0.0, v - lo) for v, lo in zip(spec.values, spec.lows, strict=True)],
            [max(0.0, hi - v) for v, hi in zip(spec.values, spec.highs, strict=True)],
        ]
    plotted = [max(v, 1e-9) for v in spec.values] if spec.log_scale else list(spec.values)
    if spec.horizontal:
        ax.barh(positions, plotted, color=colors, xerr=err, capsize=4)
        ax.set_yticks(positions, spec.labels)
        ax.invert_yaxis()
        if spec.log_scale:
            ax.set_xscale("log")
        for p, v in zip(positions, spec.values, strict=True):
            ax.annotate(_fmt(v, spec.value_format), (max(v, 1e-9), p), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=9)
        ax.margins(x=0.25)
        ax.xaxis.set_visible(False)  # the bars carry their values; no tick layout to compute
    else:
        ax.bar(positions, plotted, color=colors, yerr=err, capsize=4)
        ax.set_xticks(positions, spec.labels)
        if spec.log_scale:
            ax.set_yscale("log")
        for p, v in zip(positions, spec.values, strict=True):
            ax.annotate(_fmt(v, spec.value_format), (p, v), xytext=(0, 3 if v >= 0 else -12),
                        textcoords="offset points", ha="center", fontsize=9)
        ax.axhline(0, color="#404040", linewidth=0.8)
        ax.margins(y=0.15)
        ax.yaxis.set_visible(False)
    ax.set_title(spec.title + (f"\n{spec.subtitle}" if spec.subtitle else ""), fontsize=11)
    for side in ("top", "right", "bottom" if spec.horizontal else "left"):
        ax.spines[side].set_visible(False)


def render_png(spec: BarSpec, width_px: int = 640, height_px: int = 320, dpi: int = 100) -> bytes:
    """The chart as PNG bytes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    # fixed margins: a layout engine would cost more than the drawing itself
    top = 0.80 if spec.subtitle else 0.88
    if spec.horizontal:
        fig.subplots_adjust(left=max(0.25, 110 / width_px), right=0.97, top=top, bottom=0.04)  # room for "Appointments"
    else:
        fig.subplots_adjust(left=0.03, right=0.97, top=top, bottom=0.12)
    draw(spec, fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
