"""Benchmark: recompute per slider move in the ROI calculator (target < 20 ms for model + text).

Prints the median and 95th percentile of: the model alone, the model with a range, the
model + output text (what a slider move costs before the charts), and the two chart
redraws (reported separately). Run: .venv/bin/python benchmarks/bench_roi.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

TARGET_MS = 20.0


def _time(label: str, fn: Callable[[int], object], n: int) -> float:
    fn(0)  # warm up
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    med, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<52} median {med:8.3f} ms   p95 {p95:8.3f} ms   (n={n})")
    return p95


def main() -> None:
    from relist.roi.model import RoiInputs, compute, compute_range
    from relist.widgets.roi_app import RoiCalculator, RoiModel

    base = RoiInputs()
    _time("model: compute()", lambda i: compute(RoiInputs(dials_per_day=50 + i % 100)), 2000)
    _time("model: compute_range() with 2 ranges", lambda i: compute_range(
        RoiInputs(dials_per_day=50 + i % 100), {"pickup_rate": (0.25, 0.35), "touch_contact_rate": (0.1, 0.4)}), 500)

    m = RoiModel()
    move = _time("slider move: RoiModel trait -> outputs + text", lambda i: setattr(m, "dials_per_day", 50 + i % 100), 1000)
    m.ranges = {"pickup_rate": (0.25, 0.35)}
    _time("slider move with a range: outputs + spans + text", lambda i: setattr(m, "pickup_rate", 0.2 + (i % 50) / 100), 500)

    app = RoiCalculator(charts=False)
    view = _time("slider move through the view (widgets synced, HTML)",
                 lambda i: setattr(app.sliders["dials_per_day"], "value", 50 + i % 100), 500)

    charted = RoiCalculator()
    _time("chart redraw (funnel + GCI PNGs), reported apart", lambda i: charted.redraw_charts(), 30)
    worst = max(move, view)
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"recompute per slider move (model + text), p95 {worst:.3f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    del base


if __name__ == "__main__":
    main()
