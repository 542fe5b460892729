"""The writer lock: re-entrant in a process, exclusive between processes, a wait message, then a refusal."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from relist.errors import WorkbookBusy
from relist.workbook.lock import is_locked, lock_path, writer_lock

HOLD = """
import sys, time
from pathlib import Path
from relist.workbook.lock import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _holder(book: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(book)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_reentrant_within_a_process(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    with writer_lock(book, timeout=0), writer_lock(book, timeout=0):
        assert is_locked(book)
    assert not is_locked(book)
    assert lock_path(book).name == ".Relist.xlsx.relist-lock"


def test_second_process_waits_with_a_message_then_refuses(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    proc = _holder(book)
    try:
        told: list[str] = []
        with pytest.raises(WorkbookBusy) as exc, writer_lock(book, wait_message=told.append, timeout=0.3):
            pass
        assert told == ["waiting for another Relist command on Relist.xlsx…"]
        line = exc.value.one_line()
        assert "nothing was changed" in line and "\n" not in line
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
    with writer_lock(book, timeout=0):
        pass


def test_lock_is_dropped_when_the_holder_is_killed(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    proc = _holder(book)
    proc.kill()
    proc.wait(timeout=30)
    with writer_lock(book, timeout=5):
        pass


def test_other_threads_wait_for_the_holder(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    order: list[str] = []
    entered = threading.Event()

    def second() -> None:
        entered.wait()
        with writer_lock(book, timeout=30):
            order.append("second")

    t = threading.Thread(target=second)
    t.start()
    with writer_lock(book):
        entered.set()
        time.sleep(0.2)
        order.append("first")
    t.join(timeout=30)
    assert order == ["first", "second"]


def test_other_threads_refused_after_timeout(tmp_path: Path) -> None:
    book = tmp_path / "Relist.xlsx"
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with writer_lock(book, timeout=0):
                pass
        except WorkbookBusy as exc:
            errors.append(exc)

    with writer_lock(book):
        t = threading.Thread(target=second)
        t.start()
        t.join(timeout=30)
    assert len(errors) == 1


def test_env_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from relist.workbook import lock

    monkeypatch.setenv(lock.TIMEOUT_ENV, "2.5")
    assert lock.default_timeout() == 2.5
    monkeypatch.setenv(lock.TIMEOUT_ENV, "soon")
    assert lock.default_timeout() == lock.DEFAULT_TIMEOUT


OLD_HOLD = """
import sys, filelock
lock = filelock.FileLock(sys.argv[1], thread_local=False)
lock.acquire()
print("held", flush=True)
sys.stdin.readline()
"""


def test_a_relist_that_locks_through_filelock_excludes_this_one_and_back(tmp_path: Path) -> None:
    """Earlier Relists (and the Windows path) lock through `filelock`; the POSIX flock taken here is the same lock."""
    book = tmp_path / "Relist.xlsx"
    proc = subprocess.Popen([sys.executable, "-c", OLD_HOLD, str(lock_path(book))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert is_locked(book)
        with pytest.raises(WorkbookBusy), writer_lock(book, timeout=0.2):
            pass
    finally:
        proc.communicate("\n", timeout=30)
    assert not is_locked(book)
    import filelock

    with writer_lock(book, timeout=0), pytest.raises(filelock.Timeout):
        filelock.FileLock(str(lock_path(book)), thread_local=False).acquire(timeout=0.1)
