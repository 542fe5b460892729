"""Compliance services over a workbook port: load the registry copy and record the load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from relist import settings as settings_mod
from relist.compliance.internal_dnc import _event
from relist.compliance.registry_files import LoadReport, load_files
from relist.compliance.verdict import registry_dir_for
from relist.errors import BadInput
from relist.workbook.lock import writer_lock
from relist.workbook.port import WorkbookPort


def load_registry(
    book: WorkbookPort | None,
    paths: Sequence[Path],
    at: datetime,
    *,
    downloaded: date | None = None,
    covers: Sequence[str] = (),
    registry_dir: Path | None = None,
) -> tuple[Path, LoadReport]:
    """Load registry files (all-or-nothing) into the folder beside the workbook; log the load on Scrubs and save."""
    tz = settings_mod.load(book).tz if book is not None else None
    folder = registry_dir if registry_dir is not None else (registry_dir_for(book) if book is not None else None)
    if folder is None:
        raise BadInput(
            "No registry folder: the workbook has not been saved yet.",
            "Save the workbook first, or pass --registry-dir DIR.",
        )
    local = at.astimezone(tz) if tz is not None else at  # every date below is the agent's
    with writer_lock(folder):  # one load at a time per registry folder, whoever holds the workbook
        report = load_files(folder, list(paths), local, local.date(), downloaded, list(covers))
    if book is not None and tz is not None:
        areas = ", ".join(f"{a.area} ({a.kind}, {a.downloaded})" for a in report.areas)
        _event(book, at, tz, "registry-load", f"{len(report.files)} file(s): {', '.join(report.files)}; area codes {areas}",
               report.numbers, None, report.oldest_download)
        book.save()
    return folder, report
