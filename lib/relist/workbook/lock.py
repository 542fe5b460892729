"""One Relist writer at a time: an OS lock file beside the workbook, held across a read-modify-write.

Every writing command (CLI) and ribbon action holds `writer_lock(book)` from before it
reads the workbook until after its save, so two writers never interleave: the second
one waits (saying so through `wait_message`) up to a timeout, then refuses in one line
and changes nothing. The lock is an OS lock (flock on POSIX, taken here directly as
`filelock` does; LockFileEx on Windows, through `filelock`), so the OS drops it when a
process dies, even by kill -9.

The lock is re-entrant within a process: a service that locks inside a command that
already holds the lock does not wait for itself. Other threads of the same process
wait like another process would.

Excel's and LibreOffice's own lock files (~$Book.xlsx, .~lock.Book.xlsx#) are a
different thing: they mean a person has the book open, and the file adapter refuses
to write then (see `file_adapter.lock_files`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from relist.errors import WorkbookBusy

TIMEOUT_ENV = "RELIST_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
"""Seconds a second writer waits for the first before refusing (RELIST_LOCK_TIMEOUT overrides)."""

LOCK_SUFFIX = ".relist-lock"

if TYPE_CHECKING:
    from typing import Protocol

    class OsLock(Protocol):
        def acquire(self, timeout: float, poll_interval: float = ...) -> object: ...
        def release(self) -> None: ...


class _Timeout(Exception):
    """The OS lock was not free within the time given."""


class _Flock:
    """An exclusive flock on a lock file (POSIX): what `filelock`'s Unix lock does, without its
    ~25 ms import on every command. Another process's filelock on the same file excludes it too."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None

    def _try(self) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        if os.fstat(fd).st_nlink == 0:  # the file was removed meanwhile: lock the new one
            os.close(fd)
            return False
        self.fd = fd
        return True

    def acquire(self, timeout: float, poll_interval: float = 0.05) -> _Flock:
        deadline = time.monotonic() + timeout
        while not self._try():
            if time.monotonic() >= deadline:
                raise _Timeout(self.path)
            time.sleep(poll_interval)
        return self

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)


class _WindowsLock:
    """`filelock` where there is no flock: its timeout turned into `_Timeout`."""

    def __init__(self, path: str) -> None:
        import filelock

        self._lock = filelock.FileLock(path, thread_local=False)
        self._timeout = filelock.Timeout

    def acquire(self, timeout: float, poll_interval: float = 0.05) -> _WindowsLock:
        try:
            self._lock.acquire(timeout=timeout, poll_interval=poll_interval)
        except self._timeout:
            raise _Timeout(self._lock.lock_file) from None
        return self

    def release(self) -> None:
        self._lock.release()


def _os_lock(path: Path) -> OsLock:
    return _Flock(str(path)) if os.name == "posix" else _WindowsLock(str(path))


def lock_path(book: Path) -> Path:
    """The lock file of `book`: a hidden file beside it (e.g. `.Relist.xlsx.relist-lock`)."""
    return book.with_name(f".{book.name}{LOCK_SUFFIX}")


def default_timeout() -> float:
    """RELIST_LOCK_TIMEOUT in seconds when set to a number, else DEFAULT_TIMEOUT."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            return DEFAULT_TIMEOUT
        if value >= 0:
            return value
    return DEFAULT_TIMEOUT


@dataclass
class _Held:
    """The lock state of one path in this process."""

    threads: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    os_lock: OsLock | None = None


_GUARD = threading.Lock()
_HELD: dict[str, _Held] = {}


def _state(key: str) -> _Held:
    with _GUARD:
        held = _HELD.get(key)
        if held is None:
            held = _HELD[key] = _Held()
        return held


def _busy(book: Path, waited: float) -> WorkbookBusy:
    return WorkbookBusy(
        f"{book.name} is busy: another Relist command is still writing it (waited {waited:.0f} s); "
        "nothing was changed.",
        f"Run the command again when the other one finishes (or set {TIMEOUT_ENV}=SECONDS to wait longer).",
    )


def is_locked(book: Path) -> bool:
    """Whether some process (this one included) holds the writer lock of `book` right now."""
    key = os.path.realpath(book)
    held = _HELD.get(key)
    if held is not None and held.depth:
        return True
    probe = _os_lock(lock_path(Path(key)))
    try:
        probe.acquire(timeout=0)
    except _Timeout:
        return True
    probe.release()
    return False


@contextmanager
def writer_lock(
    book: Path,
    *,
    wait_message: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold the writer lock of `book` for the body; wait up to `timeout` s, then raise WorkbookBusy.

    `wait_message` is called once, with "waiting for another Relist command on NAME…",
    when the lock is not free at once. `timeout` None means RELIST_LOCK_TIMEOUT or 60 s.
    """

    key = os.path.realpath(book)
    path = Path(key)
    limit = default_timeout() if timeout is None else max(0.0, timeout)
    held = _state(key)
    start = time.monotonic()
    told = False

    def tell() -> None:
        nonlocal told
        if not told and wait_message is not None:
            told = True
            wait_message(f"waiting for another Relist command on {book.name}…")

    if not held.threads.acquire(blocking=False):
        tell()
        if not held.threads.acquire(timeout=limit):
            raise _busy(book, time.monotonic() - start)
    try:
        if held.depth == 0:
            held.os_lock = _acquire_os(path, book, limit, start, tell)
        held.depth += 1
    except BaseException:
        held.threads.release()
        raise
    try:
        yield
    finally:
        held.depth -= 1
        if held.depth == 0 and held.os_lock is not None:
            os_lock, held.os_lock = held.os_lock, None
            os_lock.release()
        held.threads.release()


def _acquire_os(path: Path, book: Path, limit: float, start: float, tell: Callable[[], None]) -> OsLock | None:
    """The OS lock of `path`, once free (or None where no lock file can be made: see below)."""
    if not path.parent.is_dir():
        return None  # nothing to lock beside a folder that does not exist; the caller reports the path
    os_lock = _os_lock(lock_path(path))
    try:
        try:
            os_lock.acquire(timeout=0)
        except _Timeout:
            tell()
            remaining = max(0.0, limit - (time.monotonic() - start))
            try:
                os_lock.acquire(timeout=remaining, poll_interval=0.05)
            except _Timeout:
                raise _busy(book, time.monotonic() - start) from None
    except OSError:
        # A read-only folder: no writer can save there either (a save needs a temp file beside
        # the book), so a reader goes on and a save reports the folder.
        return None
    return os_lock
