"""Speed helpers for whole-file work."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read and cleaned.

    Reading an export allocates hundreds of thousands of small lists and objects and makes
    no reference cycles; the collector's repeated scans of them otherwise halve the speed.
    Reference counting still frees everything; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
