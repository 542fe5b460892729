"""Whole `relist` commands on a year-scale workbook (issue 18), against a bare openpyxl round trip in the same run.

Each figure is one whole process (start-up, read, work, save) on a workbook of
25,000 leads and 200,000 touches, its wall time and its peak memory (the
child's own rusage, from os.wait4). Commands run on a fresh copy of the
workbook; the copy is made once and kept in the temp folder between runs.

Rows printed:
- bare openpyxl load + save (the baseline: what a naive tool pays per change);
- `relist today`, `relist log LEAD --channel call --outcome no-answer`, `relist import` of a
  300-row export: with the read cache warm (a command ran before on this file), and with
  RELIST_CACHE=0 (today's full path);
- the first `relist log` after `today` on a fresh file: its save writes Leads and Touches as
  segments for the first time (a full render); the warm `log` rows come after it;
- the first command after another program re-saved the workbook (the cache no longer matches).

Not a test. Run: nice .venv/bin/python benchmarks/bench_commands.py [--skip-openpyxl] [--repeat 3]
(`--resave-only`: just the first `log` after a re-save, alternately with the full path on the same copy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(tempfile.gettempdir()) / "relist-bench-commands"
AT = "2026-11-25T10:00-05:00"

ISSUE_TARGETS = {"log": (1 / 100, 300), "today": (1 / 30, 500), "import": (1 / 30, None)}
"""Command -> (wall as a share of the openpyxl round trip, peak MB) the issue asks for."""


def _relist() -> list[str]:
    exe = Path(sys.executable).with_name("relist")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "relist"]


def make_master(leads: int, touches: int) -> Path:
    """The year's workbook (and its DNC registry folder), made once per size and kept in the temp folder."""
    from relist import schema

    # a master made by an older workbook version would be migrated by every fresh copy's first command
    folder = CACHE / f"{leads}-{touches}-v{schema.SCHEMA_VERSION}"
    path = folder / "Relist.xlsx"
    if path.exists():
        return path
    sys.path.insert(0, str(HERE))
    from bench_queue import make_rows, registry

    from relist import sample_data
    from relist.demo import sample_agent
    from relist.workbook import open_workbook, template

    started = time.perf_counter()
    tmp = folder.with_name(folder.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    lead_rows, phone_rows, touch_rows = make_rows(leads, touches)
    template.build(tmp / "Relist.xlsx")
    book = open_workbook(tmp / "Relist.xlsx")
    book.append_rows("tblLeads", lead_rows)
    book.append_rows("tblPhones", phone_rows)
    book.append_rows("tblTouches", touch_rows)
    sample_agent(book)  # the demo's agent and mark: a new workbook sends nothing
    book.save(backup=False)
    registry(tmp)
    (tmp / "813.txt").unlink()
    sample_data.write_csv(sample_data.expired_export(300, seed=5), tmp / "export-300.csv")
    tmp.rename(folder)
    print(f"  (made the workbook in {time.perf_counter() - started:.0f} s)")
    return path


def fresh_copy(master: Path, into: Path) -> Path:
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    shutil.copy2(master, into / master.name)
    shutil.copytree(master.with_name("Relist.dnc"), into / "Relist.dnc")
    shutil.copy2(master.with_name("export-300.csv"), into / "export-300.csv")
    return into / master.name


BACKGROUND: list[float] = []
"""Seconds the cache writer a command left behind (cache_later) went on after the command returned."""


def run(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one whole process; a failing command stops the benchmark.

    The command's answer is the wall time. A read-cache write it left to a background child is
    waited for afterwards (not counted, noted in BACKGROUND), so the next run starts on a quiet machine.
    """
    from relist.workbook import cache_later

    book = Path(args[args.index("--workbook") + 1]) if "--workbook" in args else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(list(args), stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
    if book is not None:
        t = time.perf_counter()
        if cache_later.wait_for_build(book.with_name(book.stem + ".cache"), limit=120):
            BACKGROUND.append(time.perf_counter() - t)
    return wall, usage.ru_maxrss / 1024  # Linux reports KiB


def commands(book: Path) -> dict[str, list[str]]:
    rl = _relist()
    return {
        "today": [*rl, "today", "--workbook", str(book), "--at", AT],
        "log": [*rl, "log", "L000123", "--channel", "call", "--outcome", "no-answer", "--workbook", str(book), "--at", AT],
        "import": [*rl, "import", str(book.with_name("export-300.csv")), "--workbook", str(book), "--at", AT],
    }


def measure(book: Path, name: str, repeat: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and highest peak of `repeat` runs (log: a different lead each run, a minute apart)."""
    walls, peaks = [], []
    for i in range(repeat):
        args = commands(book)[name]
        if name == "log":
            args[args.index("log") + 1] = f"L{123 + 997 * i:06d}"
            args[-1] = f"2026-11-25T10:{i:02d}-05:00"
        if name == "import" and i:
            fresh_copy(MASTER, book.parent)  # a second import of the same file only finds repeats
            run(commands(book)["today"], env)  # warm the cache again as a day would
        w, m = run(args, env)
        walls.append(w)
        peaks.append(m)
    return statistics.median(walls), max(peaks)


def resave(book: Path) -> None:
    """Every part rewritten as another program would: same content, new compressed bytes and new sheet XML bytes."""
    tmp = book.with_name("resaved.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<sheetData>", b"<sheetData >", 1)
            dst.writestr(info.filename, data)
    os.replace(tmp, book)


MASTER = Path()


def resave_pairs(work: Path, repeat: int, show: Callable[[str, float, float], None]) -> None:
    """The first `log` after a re-save (stale cache) and the full path on the same re-saved file, alternately."""
    book = fresh_copy(MASTER, work / "w")
    run(commands(book)["today"])  # the cache, made for the file as it was
    resave(book)
    saved = work / "resaved"
    shutil.copytree(book.parent, saved)
    stale: list[tuple[float, float]] = []
    full: list[tuple[float, float]] = []
    for i in range(repeat):
        for env, into in (({"RELIST_CACHE": "0"}, full), ({}, stale)):
            shutil.rmtree(book.parent)
            shutil.copytree(saved, book.parent)
            w, m = run(commands(book)["log"], env)
            into.append((w, m))
            label = "full path (RELIST_CACHE=0)" if env else "cache stale"
            show(f"relist log after a re-save, {label} #{i + 1}", w, m)
    for label, got in (("full path", full), ("cache stale", stale)):
        show(f"median: relist log after a re-save, {label}", statistics.median(w for w, _ in got), max(m for _, m in got))
    one, five, _ = os.getloadavg()
    print(f"stale / full: {statistics.median(w for w, _ in stale) / statistics.median(w for w, _ in full):.2f} (load average now {one:.1f}/{five:.1f})")
    if BACKGROUND:
        print(f"the cache writer went on for {statistics.median(BACKGROUND):.2f} s (median of {len(BACKGROUND)}) after the command returned")


def main(argv: list[str] | None = None) -> int:
    global MASTER
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leads", type=int, default=25_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per command (median wall, highest peak)")
    ap.add_argument("--skip-openpyxl", action="store_true", help="leave out the 70-second baseline (ratios are then not printed)")
    ap.add_argument("--skip-full", action="store_true", help="leave out today's full path (RELIST_CACHE=0)")
    ap.add_argument("--resave-only", action="store_true",
                    help="only the first `log` after a re-save, --repeat times alternately with the full path on the same re-saved file")
    ap.add_argument("--make-master", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.make_master:
        make_master(args.leads, args.touches)
        return 0
    one, five, _ = os.getloadavg()
    print(f"Whole commands on {args.leads:,} leads and {args.touches:,} touches "
          f"(load average {one:.1f}/{five:.1f} on {os.cpu_count()} CPUs)")
    # made in a child process: a child started later from this one would otherwise report this
    # process's size at the fork as its own peak (Linux keeps the high-water mark across fork)
    subprocess.run([sys.executable, __file__, "--make-master", "--leads", str(args.leads), "--touches", str(args.touches)], check=True)
    MASTER = make_master(args.leads, args.touches)
    # byte-compiled as an installed copy is (an editable install under PYTHONDONTWRITEBYTECODE compiles each start)
    import compileall

    import relist

    compileall.compile_dir(Path(relist.__file__).parent, quiet=1)
    print(f"workbook: {MASTER.stat().st_size / 1e6:.1f} MB")
    work = Path(tempfile.mkdtemp(prefix="relist-bench-commands-"))
    rows: list[tuple[str, float, float]] = []
    base: tuple[float, float] | None = None

    def show(label: str, wall: float, peak: float) -> None:
        rows.append((label, wall, peak))
        ratio = f"1/{base[0] / wall:.0f}" if base and wall else ""
        print(f"{label:<52} {wall:>7.2f}s {peak:>6.0f} MB {ratio:>11}", flush=True)

    print(f"{'command':<52} {'wall':>8} {'peak':>9} {'/ openpyxl':>11}")
    try:
        if args.resave_only:
            resave_pairs(work, args.repeat, show)
            return 0
        book = fresh_copy(MASTER, work / "w")
        if not args.skip_openpyxl:
            code = ("import sys; from openpyxl import load_workbook; "
                    "load_workbook(sys.argv[1]).save(sys.argv[2])")
            base = run([sys.executable, "-c", code, str(book), str(work / "openpyxl-copy.xlsx")])
            show("bare openpyxl load + save (baseline)", *base)
        if not args.skip_full:
            for name in ("today", "log", "import"):
                book = fresh_copy(MASTER, work / "w")
                show(f"relist {name}, full path (RELIST_CACHE=0)", *measure(book, name, args.repeat, {"RELIST_CACHE": "0"}))
        for name in ("today", "log", "import"):
            book = fresh_copy(MASTER, work / "w")
            run(commands(book)["today"])  # the cache is made by the first command on this file
            if name == "log":
                # the first save writes Leads and Touches as segments (a full render); later ones edit a segment
                first = commands(book)["log"]
                first[first.index("log") + 1], first[-1] = "L024999", "2026-11-25T09:59-05:00"
                show("relist log, first after today (sheets not yet in segments)", *run(first))
            show(f"relist {name}, cache warm", *measure(book, name, args.repeat, {}))
        book = fresh_copy(MASTER, work / "w")
        run(commands(book)["today"])
        resave(book)
        show("relist log, first after a re-save (cache stale)", *run(commands(book)["log"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if BACKGROUND:
        print(f"background cache writes after {len(BACKGROUND)} commands: median {statistics.median(BACKGROUND):.2f} s, "
              f"longest {max(BACKGROUND):.2f} s (not in the wall times; the next command waits for them)")
    if base:
        for name, (share, mb) in ISSUE_TARGETS.items():
            print(f"target relist {name}: wall <= {base[0] * share:.2f} s" + (f", peak <= {mb} MB" if mb else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
