"""Bulk work over a year of data: pause the cyclic garbage collector while it runs; find the rows of a column that changed."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from typing import Any


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


def changed_rows(fresh: Sequence[Any], old: Sequence[Any]) -> list[int]:
    """Positions where two equally long columns differ in value or type (1.0 and True differ)."""
    return [i for i, (x, y) in enumerate(zip(fresh, old, strict=True)) if x is not y and (x != y or x.__class__ is not y.__class__)]
