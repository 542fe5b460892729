"""Python time per ribbon click on a year-scale workbook, through the in-repo xlwings fake.

    python benchmarks/bench_excel.py [--leads 25000] [--clicks 5]

Builds (once, cached under the temp folder) a workbook with LEADS leads imported
from a sample export, loads it into the fake, and times Today's Queue and
Log Touch the way a click runs them: a fresh LiveWorkbook on the open book,
the service, the writes, the alert. Targets from issue 7: Log Touch < 100 ms,
Today's Queue < 1 s. Also counts round trips to Excel per click (each costs
a cross-process call in real Excel) and measures `import relist.excel`
(target < 150 ms, issue 2).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NY = ZoneInfo("America/New_York")
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=NY)
T = datetime(2026, 11, 25, 9, 30, tzinfo=NY)


def build(leads: int) -> Path:
    """A Relist workbook with `leads` imported leads and a loaded DNC registry copy (cached)."""
    from relist import sample_data
    from relist.compliance.registry_files import load_files
    from relist.compliance.verdict import registry_dir_for
    from relist.intake import service as intake
    from relist.workbook import open_workbook, template

    folder = Path(tempfile.gettempdir()) / f"relist-bench-excel-{leads}"
    path = folder / "Relist.xlsx"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    template.build(path, overwrite=True)
    export = sample_data.write_csv(sample_data.expired_export(leads, seed=11, at=T0), folder / "expired.csv")
    book = open_workbook(path)
    intake.import_files(book, [export], at=T0, kind="expired")
    book.save()
    areas = sorted({str(r["Phone"])[2:5] for r in book.read_records("tblPhones", ["Phone"]) if r["Phone"]})
    registry = folder / "dnc-full.txt"
    registry.write_text("".join(f"{a},5550199\n" for a in areas))
    folder_dnc = registry_dir_for(book)
    assert folder_dnc is not None
    load_files(folder_dnc, [registry], T0, T0.date(), None, [])
    print(f"built {path} ({leads:,} leads) in {time.perf_counter() - t:.1f} s")
    return path


def import_ms() -> float:
    """Cumulative import time of relist.excel from `python -X importtime`, in ms (best of 3)."""
    best = float("inf")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import relist.excel"],
                             capture_output=True, text=True, check=True).stderr
        m = re.search(r"\|\s*(\d+)\s*\|\s*relist\.excel\s*$", out, re.M)
        assert m, out[-500:]
        best = min(best, int(m.group(1)) / 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=25_000)
    parser.add_argument("--clicks", type=int, default=5)
    args = parser.parse_args()

    from tests.fakes import fake_xlwings as fx

    from relist import excel
    from relist.workbook.live_adapter import LiveWorkbook

    path = build(args.leads)
    t = time.perf_counter()
    book = fx.Book.from_file(path)
    print(f"fake loaded in {time.perf_counter() - t:.1f} s")
    excel.todays_queue(book, at=T)  # warm-up: imports, caches

    queue_times: list[float] = []
    queue_calls: list[int] = []
    for k in range(args.clicks):
        book.app.calls = 0
        t = time.perf_counter()
        excel.todays_queue(book, at=T + timedelta(minutes=k))
        queue_times.append(time.perf_counter() - t)
        queue_calls.append(book.app.calls)
    assert book.app.alerts[-1]["prompt"].startswith("Today "), book.app.alerts[-1]

    today = LiveWorkbook(book).read_records("tblToday", ["Section", "LeadId"])
    rows = [i + 2 for i, r in enumerate(today) if r["Section"] == "calls"]
    outcome_col = fx.col_letters(list(LiveWorkbook(book).table_columns("tblToday")).index("Outcome") + 1)
    log_times: list[float] = []
    log_calls: list[int] = []
    for k, row in enumerate(rows[: args.clicks]):
        book.sheets["Today"][f"{outcome_col}{row}"].value = "no-answer"
        book.select("Today", f"C{row}")
        book.app.calls = 0
        t = time.perf_counter()
        msg = excel.log_touch(book, at=T + timedelta(minutes=10 + k))
        log_times.append(time.perf_counter() - t)
        log_calls.append(book.app.calls)
        assert msg and msg.startswith("Logged T"), msg

    def ms(xs: list[float]) -> str:
        return f"median {statistics.median(xs) * 1000:,.0f} ms (min {min(xs) * 1000:,.0f}, max {max(xs) * 1000:,.0f})"

    leads = len(LiveWorkbook(book).read_records("tblLeads", ["LeadId"]))
    print(f"workbook: {leads:,} leads, {len(today):,} Today rows")
    print(f"Today's Queue per click: {ms(queue_times)}; {statistics.median(queue_calls):.0f} round trips; target < 1000 ms")
    print(f"Log Touch per click:     {ms(log_times)}; {statistics.median(log_calls):.0f} round trips; target < 100 ms")
    print(f"import relist.excel:     {import_ms():.0f} ms (python -X importtime, best of 3); target < 150 ms")


if __name__ == "__main__":
    main()
