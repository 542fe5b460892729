"""kill -9 at points spread over import, log, today and dnc load: the workbook, its backups and the
registry index are each either as before or as after, never half-written, and the next command works.

Each command is first run to the end once to learn its length on this machine; then it is
started afresh on a copy and killed (SIGKILL, no chance to clean up) at fractions of that
length, the later ones inside the save.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from relist.compliance.registry import Registry
from relist.workbook import open_workbook
from relist.workbook.file_adapter import backup_dir
from tests.reliability.conftest import export_rows, finish, is_valid_zip, relist, start

pytestmark = pytest.mark.reliability

FRACTIONS = (0.6, 0.95)
AT = "2026-11-25T09:30"
_LENGTH: dict[str, float] = {}
_NEW: dict[str, np.ndarray] = {}


def _killed(args: list[str], fraction: float, key: str) -> int:
    """Start `args` and SIGKILL it at `fraction` of the length `_timed` measured; its exit code."""
    proc = start(*args)
    time.sleep(_LENGTH[key] * fraction)
    proc.send_signal(signal.SIGKILL)
    run = finish(proc)
    return run.code


def _timed(args: list[str], key: str) -> None:
    t0 = time.monotonic()
    run = relist(*args)
    assert run.code == 0, run.err
    _LENGTH[key] = time.monotonic() - t0


def _workbook_sound(book: Path) -> None:
    assert is_valid_zip(book)
    open_workbook(book)
    for copy in backup_dir(book).glob("*.xlsx"):
        assert is_valid_zip(copy), copy
        open_workbook(copy)


def _case(book: Path, tmp_path: Path, args: list[str], key: str, fraction: float,
          done: Callable[[Path], bool]) -> bool:
    """Kill `args` at `fraction` of its length: the book is the old one or fully changed; a rerun completes it.

    Returns whether the killed command had saved (the book was the changed one).
    """
    before = book.read_bytes()
    if key not in _LENGTH:
        probe = tmp_path / "probe" / book.name
        probe.parent.mkdir()
        probe.write_bytes(before)
        _timed([a if a != str(book) else str(probe) for a in args], key)
    code = _killed(args, fraction, key)
    assert code == -signal.SIGKILL or code == 0
    _workbook_sound(book)
    saved = book.read_bytes() != before
    assert not saved or done(book)
    run = relist(*args)  # the next command works (and sweeps the temp file a killed save left)
    assert run.code == 0, run.err
    assert done(book)
    _workbook_sound(book)
    assert not [p for p in book.parent.iterdir() if p.name.endswith(".relist-tmp")]
    return saved


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_kill_import(book: Path, tmp_path: Path, fraction: float) -> None:
    csv = tmp_path / "new.csv"
    csv.write_text(export_rows("K", 500, 40))
    wanted = {f"K{i:04d}" for i in range(500, 540)}

    def done(b: Path) -> bool:
        return wanted <= {str(r["ListingId"]) for r in open_workbook(b).read_records("tblLeads")}

    saved = _case(book, tmp_path, ["import", str(csv), "-w", str(book), "--at", "2026-11-25T08:00"], "import", fraction, done)
    assert len(open_workbook(book).read_records("tblImports")) == 2 + saved  # the seed, the killed one if it saved, the rerun


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_kill_log(book: Path, tmp_path: Path, fraction: float) -> None:
    note = f"killed at {fraction}"

    def done(b: Path) -> bool:
        return note in {r["Note"] for r in open_workbook(b).read_records("tblTouches")}

    _case(book, tmp_path, ["log", "L000004", "--channel", "call", "--outcome", "no-answer", "--note", note,
                           "-w", str(book), "--at", AT], "log", fraction, done)


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_kill_today(book: Path, tmp_path: Path, fraction: float) -> None:
    def done(b: Path) -> bool:
        return len(open_workbook(b).read_records("tblToday")) > 0

    _case(book, tmp_path, ["today", "-w", str(book), "--at", AT], "today", fraction, done)


def _area_files(folder: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng(seed)
    out = []
    for area in ("813", "727", "941"):
        subs = np.unique(rng.integers(2_000_000, 9_999_999, 100_000))
        path = folder / f"{area}-{seed}.txt"
        path.write_text("".join(f"{area},{n}\n" for n in subs.tolist()))
        out.append(path)
    return out


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_kill_dnc_load(book: Path, tmp_path: Path, fraction: float) -> None:
    """A killed load leaves each area code as before, as loaded, or damaged (blocked): never wrong and trusted."""
    folder = book.with_name("Relist.dnc")
    old_files, new_files = _area_files(tmp_path, 1), _area_files(tmp_path, 2)
    args = ["dnc", "load", *map(str, old_files), "--downloaded", "2026-11-20", "-w", str(book), "--at", AT]
    assert relist(*args).code == 0
    old = {a: np.fromfile(folder / f"{a}.u32", dtype="<u4") for a in ("813", "727", "941")}
    new_args = ["dnc", "load", *map(str, new_files), "--downloaded", "2026-11-24", "-w", str(book), "--at", AT]
    if "dnc" not in _LENGTH:
        probe = tmp_path / "probe"
        probe.mkdir()
        (probe / book.name).write_bytes(book.read_bytes())
        _timed([a if a != str(book) else str(probe / book.name) for a in new_args], "dnc")
        _NEW.update({a: np.fromfile(probe / "Relist.dnc" / f"{a}.u32", dtype="<u4") for a in ("813", "727", "941")})
    new = _NEW
    code = _killed(new_args, fraction, "dnc")
    assert code in (-signal.SIGKILL, 0)
    _workbook_sound(book)
    reg = Registry.open(folder)
    for area in ("813", "727", "941"):
        st = reg.status(area, reg.areas[area].downloaded)
        if st.state == "damaged":
            continue  # blocked with a reason: fails closed
        arr = reg._array(area)
        assert arr is not None
        assert np.array_equal(arr, old[area]) or np.array_equal(arr, new[area]), area
    assert relist(*new_args).code == 0
    reg = Registry.open(folder)
    assert all(reg.status(a, reg.areas[a].downloaded).state == "fresh" for a in ("813", "727", "941"))
    assert not list(folder.glob(".*.tmp"))
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]
