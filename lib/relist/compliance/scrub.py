"""Scrub a batch of numbers against every DNC source at once, and log the scrub (record keeping)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from relist.compliance.internal_dnc import record_scrub
from relist.compliance.numbers import try_e164

if TYPE_CHECKING:
    from relist.compliance.verdict import ComplianceContext
    from relist.workbook.port import WorkbookPort


@dataclass(frozen=True)
class ScrubResult:
    """Numbers checked, and why each blocked one is blocked."""

    checked: int
    blocked: Mapping[str, tuple[str, ...]]
    registry_date: date | None


def scrub_numbers(ctx: ComplianceContext, numbers: Iterable[str], at: datetime, vendor_flagged: Iterable[str] = ()) -> ScrubResult:
    """Internal list, vendor flags, registry staleness and registry membership for many numbers (one batch lookup)."""
    import numpy as np

    today = at.astimezone(ctx.settings.tz).date()
    flagged = {try_e164(n) for n in vendor_flagged}
    why: dict[str, list[str]] = {}
    valid: list[str] = []
    seen: set[str] = set()
    for raw in numbers:
        n = try_e164(raw)
        if n is None:
            why.setdefault(raw, []).append("not a US number")
            continue
        if n in seen:
            continue
        seen.add(n)
        valid.append(n)
        if n in ctx.internal_phones:
            why.setdefault(n, []).append("on your DNC sheet")
        if n in flagged:
            why.setdefault(n, []).append("vendor DNC flag")
    areas = sorted({n[2:5] for n in valid})
    statuses = {a: ctx.registry.status(a, today) for a in areas}
    usable = [n for n in valid if statuses[n[2:5]].usable]
    for n in valid:
        st = statuses[n[2:5]]
        if not st.usable:
            why.setdefault(n, []).append(st.message())
    if usable:
        hits = ctx.registry.contains(np.array([int(n[2:]) for n in usable], dtype=np.uint64))
        for n, hit in zip(usable, hits.tolist(), strict=True):
            if hit:
                why.setdefault(n, []).append("on the National DNC Registry")
    used = [a for a in areas if statuses[a].usable]
    return ScrubResult(
        checked=len(valid) + sum(1 for k in why if try_e164(k) is None),
        blocked={k: tuple(v) for k, v in why.items()},
        registry_date=ctx.registry.oldest_download(used),
    )


def scrub_and_record(
    book: WorkbookPort, ctx: ComplianceContext, numbers: Iterable[str], at: datetime, detail: str,
    vendor_flagged: Iterable[str] = (),
) -> ScrubResult:
    """Scrub the numbers and append the scrub to the Scrubs sheet (registry date, checked, blocked)."""
    result = scrub_numbers(ctx, numbers, at, vendor_flagged)
    record_scrub(book, at, result.checked, len(result.blocked), result.registry_date, detail)
    return result
