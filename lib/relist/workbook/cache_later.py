"""Read-cache writes a `relist` command leaves for after it has answered.

Writing the read cache (`table_cache`) after a full read costs about a second on a
year of data: taking the values apart by column and pickling them. The agent is not
waiting for that, so the command-line entry point turns deferral on (`begin`), the
workbook code hands each cache write to `later` instead of doing it, and `finish`
(after the command's answer is printed and the writer lock released) forks a child
that writes them while the command's own process exits. Nothing here touches the
workbook file: the child only writes `<stem>.cache/`, and a cache written late, twice,
half or not at all is a miss the next command reads around.

While a child writes, it holds an advisory lock on `<stem>.cache/.building`; a command
that misses the cache meanwhile waits for it (`wait_for_build`) instead of reading the
whole year again. Where there is no fork (Windows), inside a thread-running process,
in the library (the ribbon, notebooks, tests) or with RELIST_CACHE_BACKGROUND=0, every
cache write happens at once, as it always did.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

BUILD_LOCK = ".building"
"""The file in the cache folder a background writer holds locked while it works."""
WAIT_LIMIT = 30.0
"""Seconds a command waits for a background writer before reading the workbook in full."""

_on = False
_jobs: dict[tuple[str, str], Callable[[], None]] = {}
_kept: list[object] = []
_NO_EXIT = object()


def _can_fork() -> bool:
    return hasattr(os, "fork") and os.name == "posix"


def background_allowed() -> bool:
    """False when RELIST_CACHE_BACKGROUND is 0/off/no/false, or the platform cannot fork."""
    flag = os.environ.get("RELIST_CACHE_BACKGROUND", "1").strip().lower()
    return _can_fork() and flag not in ("0", "off", "no", "false")


def begin() -> None:
    """From now on, cache writes wait for `finish` (the command-line entry point only)."""
    global _on
    _on = background_allowed()
    _jobs.clear()


def deferring() -> bool:
    return _on


def later(folder: Path, table: str, job: Callable[[], None]) -> None:
    """Run `job` (a cache write for `table` in `folder`) after the command, or now when not deferring.

    A later job for the same table replaces an earlier one: the save's write supersedes the read's.
    """
    if not _on:
        job()
        return
    _jobs[(str(folder), table)] = job


def pending() -> int:
    return len(_jobs)


def run_now(folder: Path, table: str) -> bool:
    """Do the table's waiting write at once (the command needs the cache itself); True when there was one."""
    job = _jobs.pop((str(folder), table), None)
    if job is None:
        return False
    with contextlib.suppress(Exception):
        job()
    return True


def cancel(folder: Path, table: str) -> None:
    _jobs.pop((str(folder), table), None)


def finish(exit_code: object = _NO_EXIT) -> None:
    """Write what was left: in a forked child when deferring (this process returns at once).

    With `exit_code` (what the command's SystemExit carries), a process that forked a writer
    ends here, at once: after a fork every page it frees is first copied (the child shares
    them), so tearing down a year of rows the usual way would cost more than the write saved.
    """
    global _on
    jobs = list(_jobs.items())
    _jobs.clear()
    was_on, _on = _on, False
    if not jobs:
        return
    if not was_on:
        _run(jobs)
        return
    import threading

    if threading.active_count() > 1:  # forking a process with threads is not safe: write now
        _run(jobs)
        return
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    folders = sorted({folder for (folder, _table), _job in jobs})
    held = {f: fd for f in folders if (fd := _lock(Path(f), block=False)) is not None}
    try:
        pid = os.fork()
    except OSError:
        _release(list(held.values()))
        _run(jobs)
        return
    if pid:  # the command's own process: its answer is out; the child has the locks now
        _release(list(held.values()))
        _kept.append(jobs)  # not freed here: see above
        if exit_code is not _NO_EXIT:
            _exit_now(exit_code)
        return
    _child(jobs, folders, held)


def _exit_now(code: object) -> None:
    """End this process as SystemExit(code) would, without freeing its objects one by one."""
    import atexit

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"{code}\n")
        status = 1
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(status)


def _child(jobs: list[tuple[tuple[str, str], Callable[[], None]]], folders: list[str], held: dict[str, int]) -> None:
    """The forked writer: detached from the terminal and the caller's pipes; never returns."""
    code = 0
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(devnull, std)
        with contextlib.suppress(OSError):
            os.nice(5)
        for f in folders:  # another writer still works on this folder: wait for it
            if f not in held and (got := _lock(Path(f), block=True)) is not None:
                held[f] = got
        _run(jobs)
    except BaseException:  # noqa: BLE001 - a cache not written is a miss, never an error
        code = 1
    finally:
        os._exit(code)


def _run(jobs: list[tuple[tuple[str, str], Callable[[], None]]]) -> None:
    for _key, job in jobs:
        with contextlib.suppress(Exception):
            job()


def _lock(folder: Path, *, block: bool) -> int | None:
    """An exclusive lock on the folder's build-lock file (its descriptor), or None."""
    import fcntl

    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / BUILD_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def _release(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def wait_for_build(folder: Path, limit: float = WAIT_LIMIT) -> bool:
    """Wait while a background writer holds the folder's build lock; True when one was waited for."""
    if not _can_fork():
        return False
    path = folder / BUILD_LOCK
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    import fcntl

    try:
        waited = False
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return waited
            except OSError:
                if time.monotonic() > deadline:
                    return False
                waited = True
                time.sleep(0.02)
    finally:
        os.close(fd)
