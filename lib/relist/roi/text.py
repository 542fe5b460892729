"""ROI numbers as the agent reads them ($ for money, % for rates), shared by the CLI and the notebook."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from relist.roi.model import FIELD_BY_NAME, OUTPUT_LABELS, OUTPUT_UNITS, RoiOutputs

OutputSpans = Mapping[str, tuple[float | None, float | None]]


def excel_round(value: float, digits: int) -> float:
    """`value` rounded as Excel shows it: to 15 significant digits first, then half away from zero.

    Python rounds 3.2499999999999996 (what 455/140 computes to) down to 3.2 where the ROI sheet,
    computing the same formula, shows 3.3: the CLI and the notebook round the sheet's way.
    """
    d = Decimal(f"{value:.15g}")
    return float(d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def format_value(name: str, value: float | None) -> str:
    """One input or output value: $1,234 for money, 28.0% for rates, counts to one decimal below 100."""
    if value is None:
        return "n/a"
    unit = OUTPUT_UNITS.get(name) or (FIELD_BY_NAME[name].unit if name in FIELD_BY_NAME else "count")
    if name == "return_on_costs":
        return f"{excel_round(value * 100, 0):.0f}%"
    if unit == "money":
        v = excel_round(value, 0)
        return f"-${-v:,.0f}" if v < 0 else f"${v:,.0f}"
    if unit == "rate":
        return f"{excel_round(value * 100, 1):.1f}%"
    return f"{excel_round(value, 0):,.0f}" if abs(value) >= 100 else f"{excel_round(value, 1):,.1f}"


def format_span(name: str, span: tuple[float | None, float | None]) -> str:
    """'low to high', or '' when there is no spread."""
    low, high = span
    if low is None or high is None or abs(high - low) < 1e-9:
        return ""
    return f"{format_value(name, low)} to {format_value(name, high)}"


def outputs_text(out: RoiOutputs, spans: OutputSpans | None = None) -> str:
    """Every output on its own line, with its range when there is one."""
    values = out.as_dict()
    lines = []
    for name, label in OUTPUT_LABELS.items():
        line = f"{label}: {format_value(name, values[name])}"
        span = format_span(name, (spans or {}).get(name, (None, None)))
        if span:
            line += f" (range {span})"
        lines.append(line)
    return "\n".join(lines)
