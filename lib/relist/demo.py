"""The demo day: the product's main job on bundled sample data, start to finish."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_AT = "2026-11-25T09:15"
"""The sample day's morning, in the sample agent's time zone (Settings > Time zone)."""


@dataclass
class DemoResult:
    directory: Path
    files: dict[str, Path] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "files": {k: str(v) for k, v in self.files.items()}, "steps": self.steps}

    def summary_lines(self) -> list[str]:
        lines = [f"  {name:<22} {path}" for name, path in self.files.items()]
        return ["Demo files:", *lines, f"Demo day done: {len(self.steps)} steps, files in {self.directory}/"]


def sample_agent(book: Any) -> None:
    """Write the demo's fictional agent explicitly (a new workbook has no identity) and the hidden mark that
    lets this one workbook send as that agent (settings.require_identity); the caller saves. Only the demo
    (and benchmarks of a sample day) call this: `relist init` and the template never do."""
    from relist.settings import SAMPLE_IDENTITY, mark_demo, write_identity

    write_identity(book, SAMPLE_IDENTITY)
    mark_demo(book)


def run_demo(directory: Path, at: str | None = None, echo: Callable[[str], None] | None = None) -> DemoResult:
    """Make a workbook in `directory`, then run the sample day's steps on it."""
    from relist.clock import parse_at, zone
    from relist.settings import defaults
    from relist.workbook import open_workbook, template

    say = echo or (lambda _s: None)
    directory.mkdir(parents=True, exist_ok=True)
    result = DemoResult(directory.resolve())
    book_path = directory / "Relist.xlsx"
    if book_path.exists():
        book_path.unlink()
    backups = directory / "Relist backups"
    if backups.exists():
        shutil.rmtree(backups)
    template.build(book_path)
    book = open_workbook(book_path)
    sample_agent(book)
    book.save()
    result.files["workbook"] = book_path.resolve()
    result.steps.append("init")
    say(f"Made the workbook {book_path}")
    when = parse_at(at or DEMO_AT, zone(defaults()["TimeZone"]))
    from relist import demo_steps

    for step in demo_steps.STEPS:
        label = step(book_path, when, result)
        if label:
            result.steps.append(label)
            say(label)
    return result
