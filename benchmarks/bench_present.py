"""Benchmark: the whole listing presentation (selection, charts, pptx, pdf) for one lead from 5,000 comps.

Target (issues 9 and 17): under 5 s, with the PDF conversion reported separately; issue 17 added the
market fit, outliers, confidence, the cover slide and speaker notes, and prints the figure against the earlier one.
Run: .venv/bin/python benchmarks/bench_present.py [--comps 5000] [--repeat 3] [--no-pdf] [--xlsx]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TARGET_S = 5.0
BASELINE = "4.0-4.6 s whole deck incl. PDF before issue 17 (README figures)"
AT = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("America/New_York"))
SUBJECT: dict[str, Any] = {
    "LeadId": "L-1001", "PropertyAddress": "1208 Palmetto Ridge Dr", "City": "Tampa", "State": "FL", "PostalCode": "33611",
    "ListingId": "T-3001", "ExpiredAt": datetime(2026, 3, 4, 17, 0), "ListPrice": 489000, "OriginalListPrice": 525000,
    "PriceHistory": "2025-09-04:525000;2025-10-20:505000;2025-12-01:489000", "DaysOnMarket": 181,
    "CumulativeDaysOnMarket": 181, "ListingContractDate": date(2025, 9, 4), "BedroomsTotal": 3, "BathroomsTotal": 2,
    "LivingArea": 1800, "YearBuilt": 1995, "Latitude": 27.9, "Longitude": -82.5, "PhotosCount": 9, "RemarksLength": 180,
}


def synthetic_comps(n: int, seed: int = 9) -> list[dict[str, Any]]:
    """n sold listings scattered over ~6 miles and two years around the subject (seeded, reproducible)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        area = rnd.randint(900, 3600)
        beds = max(1, min(6, round(area / 550) + rnd.choice([-1, 0, 0, 1])))
        ppsf = rnd.gauss(255, 25)
        close = date(2026, 3, 9) - timedelta(days=rnd.randint(0, 730))
        has_coords = rnd.random() > 0.1
        rows.append({
            "CompId": f"C{i:06d}", "ListingId": f"S-{i:05d}", "PropertyAddress": f"{rnd.randint(100, 9999)} Test St {i}",
            "City": "Tampa", "PostalCode": rnd.choice(["33611", "33611", "33629", "33616"]),
            "ClosePrice": round(area * ppsf, -2), "CloseDate": close, "ListPrice": round(area * ppsf * 1.02, -2),
            "LivingArea": area, "BedroomsTotal": beds, "BathroomsTotal": max(1.0, beds - rnd.choice([0.0, 1.0, 1.5])),
            "YearBuilt": rnd.randint(1960, 2020), "DaysOnMarket": rnd.randint(3, 150),
            "Latitude": 27.9 + rnd.uniform(-0.05, 0.05) if has_coords else None,
            "Longitude": -82.5 + rnd.uniform(-0.05, 0.05) if has_coords else None,
        })
    return rows


def memory_book(n: int) -> Any:
    from relist.demo import sample_agent
    from relist.workbook.memory import MemoryWorkbook

    book = MemoryWorkbook({"tblLeads": [SUBJECT], "tblComps": synthetic_comps(n)})
    sample_agent(book)  # the demo's agent and mark: a new workbook sends nothing
    return book


def xlsx_book(n: int, folder: Path) -> Path:
    from relist.workbook import open_workbook, template

    path = template.build(folder / "Relist.xlsx")
    book = open_workbook(path)
    book.append_rows("tblLeads", [SUBJECT])
    book.append_rows("tblComps", synthetic_comps(n))
    from relist.demo import sample_agent

    sample_agent(book)
    book.save()
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comps", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--xlsx", action="store_true", help="Also time a real .xlsx workbook (reading 5,000 comp rows).")
    args = ap.parse_args(argv)

    from relist.present.service import build_presentation

    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs (shared machine: figures swing with load)")
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-present-") as tmp:
        out = Path(tmp)
        for i in range(args.repeat):
            book = memory_book(args.comps)
            t = time.perf_counter()
            result = build_presentation(book, "L-1001", at=AT, out_dir=out, pdf=not args.no_pdf)
            wall = time.perf_counter() - t
            runs.append({**result.timings, "wall": wall})
            label = "cold" if i == 0 else "warm"
            print(f"run {i + 1} ({label}): " + ", ".join(f"{k} {v:.3f}s" for k, v in result.timings.items()))
        sel = result.analysis.selection
        v = result.analysis.valuation
        print(f"lead L-1001 from {args.comps:,} comps: {sel.matched} matched, {len(sel.kept)} kept, {len(v.set_aside)} set aside, "
              f"value ${v.indicated_value:,.0f} ({v.confidence.level} confidence, FSD {v.confidence.fsd:.1%}; "
              f"{v.fit.note if v.fit else 'no market fit'})")

        def med(key: str, rows: list[dict[str, float]]) -> float:
            return statistics.median(r.get(key, 0.0) for r in rows)

        warm = runs[1:] or runs
        no_pdf = [r["total"] - r.get("pdf", 0.0) for r in warm]
        print(f"median of warm runs: read {med('read', warm):.3f}s, select {med('select', warm):.3f}s, "
              f"charts {med('charts', warm):.3f}s, pptx {med('pptx', warm):.3f}s, save {med('save', warm):.3f}s")
        print(f"deck without PDF (selection, charts, pptx): {statistics.median(no_pdf):.3f}s")
        if not args.no_pdf:
            print(f"PDF conversion (LibreOffice Impress, cold profile): {med('pdf', warm):.3f}s")
        total = med("total", warm)
        verdict = "within" if total < TARGET_S else "OVER"
        best = min(r["total"] for r in warm)
        print(f"whole deck incl. PDF: median {total:.3f}s, best {best:.3f}s (cold first run {runs[0]['total']:.3f}s) "
              f"-> median {verdict} the {TARGET_S:g} s target (baseline: {BASELINE})")

        if args.xlsx:
            path = xlsx_book(args.comps, out)
            from relist.workbook import open_workbook

            t = time.perf_counter()
            book = open_workbook(path)
            opened = time.perf_counter() - t
            result = build_presentation(book, "L-1001", at=AT, out_dir=out, pdf=not args.no_pdf)
            print(f"real .xlsx: open {opened:.3f}s, read {result.timings['read']:.3f}s, total {result.timings['total']:.3f}s, "
                  f"save {result.timings['save']:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
