"""docs/sequence.md covers every sequence command, option, outcome and --json section."""

from __future__ import annotations

from pathlib import Path

import pytest

from relist.cli import COMMANDS
from relist.schema import OUTCOMES, QUEUE_SECTIONS
from relist.sequence.outcomes import RULES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sequence.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["today", "log", "undo"])
def test_each_command_is_registered_and_documented(command: str) -> None:
    assert COMMANDS[command] == f"relist.cli.sequence:{command}"
    assert f"relist {command}" in DOC


def test_every_outcome_is_documented_and_has_a_rule() -> None:
    assert set(OUTCOMES) == set(RULES)
    missing = [o for o in OUTCOMES if f"`{o}`" not in DOC]
    assert not missing


def test_every_log_option_and_json_section_is_documented() -> None:
    import click

    from relist.cli.sequence import log

    options = [o for p in log.params if isinstance(p, click.Option) for o in p.opts if o.startswith("--") and o not in ("--workbook",)]
    assert [o for o in options if o not in DOC] == []
    assert [s for s in QUEUE_SECTIONS if f"`{s}`" not in DOC] == []
