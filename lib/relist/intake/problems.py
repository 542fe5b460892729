"""How a cleaning rule reports a value it cannot use, and what happens to the row then."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Policy = Literal["reject", "keep"]
"""reject: the row goes to Rejects. keep: the field stays empty and the raw text is kept in Extra."""


class CellError(ValueError):
    """A cell value a cleaning rule cannot use; `reason` is a sentence for the Rejects sheet."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    """One unusable cell of an input row."""

    column: str
    value: str
    reason: str
    policy: Policy
