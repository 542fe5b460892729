"""Bulk work over a year of data: pause the cyclic garbage collector while it runs."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector around bulk reads, parses and indexing.

    Reading a year's log or an export makes hundreds of thousands of small acyclic
    objects; with the collector on, each of its full passes rescans everything the
    process holds and costs more than the work itself. Reference counting still frees
    everything; the collector resumes (if it was on) when the block ends.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
