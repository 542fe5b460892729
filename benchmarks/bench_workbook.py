"""Daily action on a year-scale workbook (25,000 leads, 200,000 touches) vs a bare openpyxl load+save.

Prints figures; not a test. Usage: python benchmarks/bench_workbook.py [--leads N] [--touches N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relist.workbook import open_workbook, template

OUTCOMES = ["no-answer", "voicemail", "sent", "no-one-home", "not-interested", "call-back"]
CHANNELS = ["call", "text", "letter", "door", "email"]


def make_big(path: Path, leads: int, touches: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    template.build(path, overwrite=True)
    book = open_workbook(path)
    base = dt.datetime(2026, 1, 1, 9, 0)
    book.append_rows(
        "tblLeads",
        [
            {
                "LeadId": f"L{i:06d}",
                "Status": rnd.choice(["New", "Working", "Nurture"]),
                "NextChannel": rnd.choice(CHANNELS),
                "NextStep": rnd.randint(1, 9),
                "NextDue": base + dt.timedelta(hours=rnd.randint(0, 8000)),
                "TouchCount": rnd.randint(0, 12),
                "OwnerName": f"Owner {i}",
                "OwnerFirstName": "Pat",
                "BestPhone": f"+1813555{rnd.randint(100, 199):04d}",
                "PropertyAddress": f"{rnd.randint(1, 9999)} Main St",
                "City": "Tampa",
                "State": "FL",
                "PostalCode": "33602",
                "ListingId": f"T{3000000 + i}",
                "ListingStatus": "Expired",
                "Contactable": True,
                "ExpiredAt": base + dt.timedelta(hours=rnd.randint(0, 8000)),
                "SequenceStart": (base + dt.timedelta(days=rnd.randint(0, 330))).date(),
                "ListPrice": float(rnd.randint(150, 900) * 1000),
                "DaysOnMarket": rnd.randint(30, 200),
                "BedroomsTotal": rnd.randint(1, 6),
                "LivingArea": rnd.randint(800, 4000),
                "AddressKey": f"{i} main st tampa fl 33602",
                "Vendor": "REDX",
                "Cycle": 1,
            }
            for i in range(leads)
        ],
    )
    book.append_rows(
        "tblTouches",
        [
            {
                "TouchId": f"T{i:07d}",
                "LeadId": f"L{rnd.randrange(leads):06d}",
                "At": base + dt.timedelta(minutes=i),
                "AtUtc": "2026-01-01T14:00:00Z",
                "Channel": rnd.choice(CHANNELS),
                "Step": rnd.randint(1, 9),
                "Outcome": rnd.choice(OUTCOMES),
                "Phone": "+18135550142",
                "Who": "Alex Morgan",
                "Subject": "expired listing",
                "LoggedAt": base + dt.timedelta(minutes=i),
            }
            for i in range(touches)
        ],
    )
    book.save(backup=False)


def daily_action(path: Path, changes: int, appends: int) -> dict[str, float]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    book = open_workbook(path)
    tables = ["tblLeads", "tblTouches", "tblPhones", "tblSettings", "tblSequence", "tblDNC"]
    for t in tables:
        book.read_records(t)
    t1 = time.perf_counter()
    leads = book.read_records("tblLeads", ["LeadId", "TouchCount"])
    book.update_rows(
        "tblLeads", [{"LeadId": r["LeadId"], "TouchCount": (r["TouchCount"] or 0) + 1, "Status": "Working"} for r in leads[:changes]]
    )
    book.append_rows(
        "tblTouches",
        [{"TouchId": f"N{i:07d}", "LeadId": leads[i]["LeadId"], "Channel": "call", "Outcome": "no-answer"} for i in range(appends)],
    )
    t2 = time.perf_counter()
    book.save()
    t3 = time.perf_counter()
    return {"read": t1 - t0, "change": t2 - t1, "save": t3 - t2, "total": t3 - t0, "cpu": time.process_time() - c0}


def openpyxl_round_trip(path: Path) -> float:
    from openpyxl import load_workbook

    t0 = time.process_time()
    wb = load_workbook(path)
    wb.save(path.with_name("openpyxl-copy.xlsx"))
    return time.process_time() - t0


def import_time(module: str) -> float:
    best = 1e9
    for _ in range(5):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True)
        total = 0
        for line in out.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip() == module:
                total = int(parts[1])
        if out.returncode != 0:
            return float("nan")
        best = min(best, total / 1e6)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=25_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--skip-openpyxl", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="relist-bench-"))
    try:
        path = tmp / "Relist.xlsx"
        t = time.perf_counter()
        make_big(path, args.leads, args.touches)
        print(f"workbook: {args.leads:,} leads, {args.touches:,} touches, {path.stat().st_size / 1e6:.1f} MB (made in {time.perf_counter() - t:.1f} s)")
        runs = [daily_action(path, 300, 300) for _ in range(3)]
        best = min(runs, key=lambda r: r["total"])
        print(f"daily action (read all, change 300 rows, append 300 touches, save): {best['total']:.2f} s wall, "
              f"{best['cpu']:.2f} s CPU (read {best['read']:.2f}, change {best['change']:.2f}, save {best['save']:.2f} wall)")
        if not args.skip_openpyxl:
            op = openpyxl_round_trip(path)
            print(f"bare openpyxl load+save of the same file: {op:.2f} s CPU -> Relist is {op / best['cpu']:.1f}x faster "
                  "(CPU seconds, robust to a shared machine; target >= 10x)")
        for mod in ("relist", "relist.cli", "relist.excel"):
            print(f"import {mod}: {import_time(mod) * 1000:.0f} ms (target < 150 ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
