"""DNC registry benchmark: build the index from a generated 10-million-number area-code file, then check
1 million numbers against a 50-million-number index, side by side with a Python set and pandas `isin`.

Targets (issue 4): build >= 2 million lines/s with an index <= 8 bytes a number; lookups >= 5 million/s.
Run: .venv/bin/python benchmarks/bench_dnc.py [--numbers N] [--index N] [--queries N] [--skip-set]
Prints figures only; it asserts nothing. Needs about 5 GB of free memory for the Python-set baseline.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from relist.compliance.registry import AreaInfo, Registry, area_file, checksum, write_manifest
from relist.compliance.registry_files import load_files

SPAN = 10_000_000
PER_AREA = 5_000_000  # a busy area code: several million numbers (compliance.md)


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def area_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct sorted 7-digit subscriber numbers with a valid exchange (2000000-9999999)."""
    return np.sort(rng.choice(8_000_000, size=n, replace=False).astype(np.uint32) + np.uint32(2_000_000))


def registry_lines(areas: list[int], subs: list[np.ndarray]) -> bytes:
    """'AAA,NNNNNNN\\n' lines as the registry download has them, built with numpy (12 bytes a line)."""
    blocks = []
    for area, s in zip(areas, subs, strict=True):
        rows = np.empty((s.shape[0], 12), dtype=np.uint8)
        rows[:, 0:3] = np.frombuffer(f"{area:03d}".encode(), dtype=np.uint8)
        rows[:, 3] = ord(",")
        rest = s.astype(np.uint32)
        for j in range(10, 3, -1):
            rows[:, j] = (rest % 10).astype(np.uint8) + 48
            rest //= 10
        rows[:, 11] = 10
        blocks.append(rows.tobytes())
    return b"".join(blocks)


def bench_build(work: Path, numbers: int, rng: np.random.Generator, shuffled: bool) -> None:
    areas = [814 + i for i in range((numbers + PER_AREA - 1) // PER_AREA)]
    counts = [min(PER_AREA, numbers - i * PER_AREA) for i in range(len(areas))]
    subs = [area_numbers(rng, c) for c in counts]
    data = registry_lines(areas, subs)
    if shuffled:
        rows = np.frombuffer(data, dtype=np.uint8).reshape(-1, 12).copy()
        rng.shuffle(rows)
        data = rows.tobytes()
    src = work / ("shuffled.txt" if shuffled else "areas.txt")
    src.write_bytes(data)
    del data
    folder = work / ("reg-shuffled" if shuffled else "reg-build")
    at = datetime.now(ZoneInfo("UTC"))
    t = time.perf_counter()
    report = load_files(folder, [src], at, at.date(), at.date())
    secs = time.perf_counter() - t
    size = sum(area_file(folder, f"{a:03d}").stat().st_size for a in areas)
    label = "shuffled lines" if shuffled else "sorted lines (as downloaded)"
    print(f"build, {label}: {report.lines:,} lines, {len(areas)} area codes, {src.stat().st_size / 2**20:,.0f} MiB file")
    print(f"  {secs:.2f} s = {report.lines / secs / 1e6:.1f} M lines/s (target >= 2.0; {report.lines / secs / 2e6:.1f}x the target)")
    print(f"  index {size / 2**20:,.1f} MiB = {size / report.numbers:.2f} bytes/number (target <= 8)")
    src.unlink()
    shutil.rmtree(folder)


def build_index(folder: Path, total: int, rng: np.random.Generator) -> tuple[Registry, list[int]]:
    """A 50-million-number registry folder written directly in the on-disk format (10 area codes)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = (total + PER_AREA - 1) // PER_AREA
    if count > 700:
        raise SystemExit("--index is larger than 700 area codes of 5 million numbers")
    areas = sorted({int(a) for a in np.linspace(201, 989, count)})
    infos = {}
    for i, a in enumerate(areas):
        s = area_numbers(rng, min(PER_AREA, total - i * PER_AREA))
        data = s.astype("<u4")
        data.tofile(area_file(folder, f"{a:03d}"))
        infos[f"{a:03d}"] = AreaInfo(f"{a:03d}", datetime.now(ZoneInfo("America/New_York")).date(), int(s.shape[0]), "bench",
                                     checksum=checksum(data))
    write_manifest(folder, infos)
    return Registry.open(folder), areas


def all_numbers(reg: Registry) -> np.ndarray:
    parts = []
    for a in sorted(reg.areas):
        arr = reg._array(a)
        assert arr is not None
        parts.append(arr.astype(np.uint64) + np.uint64(int(a) * SPAN))
    return np.concatenate(parts)


def bench_lookup(work: Path, total: int, queries: int, rng: np.random.Generator, skip_set: bool) -> None:
    t = time.perf_counter()
    reg, areas = build_index(work / "reg-50m", total, rng)
    print(f"\nlookup: index of {reg.total:,} numbers in {len(areas)} area codes written in {time.perf_counter() - t:.1f} s")
    index_bytes = sum(area_file(work / "reg-50m", a).stat().st_size for a in reg.areas)
    # queries: half known numbers, half random numbers of the same and of unloaded area codes
    numbers = all_numbers(reg)
    hits = rng.choice(numbers, size=queries // 2, replace=False)
    rand_area = rng.choice(np.array(areas + [305, 786], dtype=np.uint64), size=queries - queries // 2)
    misses = rand_area * np.uint64(SPAN) + rng.integers(2_000_000, SPAN, size=rand_area.shape[0]).astype(np.uint64)
    q = np.concatenate([hits, misses])
    rng.shuffle(q)

    fresh = Registry.open(work / "reg-50m")
    before = rss_mb()
    t = time.perf_counter()
    got = fresh.contains(q)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    got2 = fresh.contains(q)
    warm = time.perf_counter() - t
    mapped = rss_mb() - before
    assert np.array_equal(got, got2)
    ours = queries / warm
    print(f"  registry (mmap uint32 + searchsorted): {queries:,} lookups in {warm * 1000:.0f} ms warm ({cold * 1000:.0f} ms cold)"
          f" = {ours / 1e6:.1f} M/s (target >= 5.0); index {index_bytes / 2**20:,.0f} MiB on disk, {mapped:,.0f} MiB paged in")

    import pandas as pd

    gc.collect()
    before = rss_mb()
    series = pd.Series(numbers)
    mem_pd = rss_mb() - before
    t = time.perf_counter()
    got_pd = pd.Series(q).isin(series).to_numpy()
    pd_secs = time.perf_counter() - t
    assert np.array_equal(got, got_pd)
    print(f"  pandas Series.isin: {pd_secs * 1000:,.0f} ms = {queries / pd_secs / 1e6:.2f} M/s;"
          f" registry is {pd_secs / warm:.1f}x faster; Series {mem_pd:,.0f} MiB (registry {index_bytes / 2**20:,.0f} MiB on disk)")
    del series, got_pd
    gc.collect()

    if skip_set:
        print("  Python set: skipped (--skip-set)")
        return
    before = rss_mb()
    t = time.perf_counter()
    s: set[int] = set()
    for chunk in np.array_split(numbers, 50):
        s.update(chunk.tolist())
    build_set = time.perf_counter() - t
    mem_set = rss_mb() - before
    ql = q.tolist()
    t = time.perf_counter()
    got_set = [x in s for x in ql]
    set_secs = time.perf_counter() - t
    assert got_set == got.tolist()
    print(f"  Python set: built in {build_set:.1f} s, {mem_set:,.0f} MiB ({mem_set * 2**20 / reg.total:.0f} bytes/number);"
          f" {set_secs * 1000:,.0f} ms = {queries / set_secs / 1e6:.1f} M/s; registry is {set_secs / warm:.1f}x faster"
          f" and {mem_set / (index_bytes / 2**20):.0f}x smaller")
    del s, got_set, ql
    gc.collect()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numbers", type=int, default=10_000_000, help="lines in the generated area-code file")
    ap.add_argument("--index", type=int, default=50_000_000, help="numbers in the lookup index")
    ap.add_argument("--queries", type=int, default=1_000_000, help="numbers to check")
    ap.add_argument("--skip-set", action="store_true", help="skip the Python-set baseline (about 4 GB at 50 M)")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temp folder, removed)")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(2026)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="relist-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus; scratch {work}")
    try:
        bench_build(work, args.numbers, rng, shuffled=False)
        bench_build(work, args.numbers, rng, shuffled=True)
        bench_lookup(work, args.index, args.queries, rng, args.skip_set)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
