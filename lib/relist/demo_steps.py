"""The demo day's steps after init, in order; each returns a one-line account of what it did."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relist.demo import DemoResult

Step = Callable[[Path, datetime, "DemoResult"], str]

STEPS: list[Step] = []
