"""Agent-facing text names public sources in words, never one of our files ("compliance.md").

Covers the verdict's sources, the rule data files (state rules and holidays: source and note),
the ROI defaults' sources, the default sequence texts, the message templates and every
command's --help.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from click.testing import CliRunner

from relist.cli import COMMANDS, cli
from relist.compliance import verdict
from relist.compliance.rules import default_rules
from relist.roi.model import INPUT_FIELDS
from relist.sequence.defaults import DEFAULT_SEQUENCE_ROWS

MD_FILE = re.compile(r"[\w./-]+\.md\b", re.IGNORECASE)


def _named_files(text: str) -> list[str]:
    return MD_FILE.findall(text)


def test_the_pattern_catches_a_file_name() -> None:
    assert _named_files("FL hours (compliance.md State rules)") == ["compliance.md"]
    assert _named_files("see shared/reference/market.md") == ["shared/reference/market.md"]
    assert _named_files("47 CFR 64.1200(c)(1); NAR Standard of Practice 16-4") == []


def test_verdict_sources_name_public_sources() -> None:
    sources = {name: value for name, value in vars(verdict).items() if name.startswith("SRC_")}
    assert len(sources) >= 10
    bad = {name: value for name, value in sources.items() if _named_files(value)}
    assert not bad, bad


def test_rule_data_files_name_public_sources() -> None:
    book = default_rules()
    bad = [(r.state, r.rule, r.source, r.note) for r in book.rules if _named_files(f"{r.source} {r.note}")]
    bad += [(h.state, h.name, h.source, h.note) for h in book.holidays if _named_files(f"{h.source} {h.note}")]
    assert not bad, bad
    for r in book.rules:
        assert r.source.strip(), f"{r.state} {r.rule} cites nothing"


def test_roi_defaults_and_sequence_texts_name_no_file() -> None:
    bad = [(f.name, f.source) for f in INPUT_FIELDS if _named_files(f"{f.help} {f.source}")]
    bad += [(row["Step"], k) for row in DEFAULT_SEQUENCE_ROWS for k, v in row.items() if isinstance(v, str) and _named_files(v)]
    assert not bad, bad


def test_message_templates_name_no_file() -> None:
    root = resources.files("relist.data") / "templates"
    texts = [p for d in root.iterdir() if d.is_dir() for p in d.iterdir() if p.is_file()]
    assert texts
    bad = [p.name for p in texts if _named_files(p.read_text(encoding="utf-8"))]
    assert not bad, bad


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS)])
def test_cli_help_names_no_file(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    help_texts = [result.output]
    group = cli.get_command(None, command) if command else None  # type: ignore[arg-type]
    if hasattr(group, "commands"):
        for sub in group.commands:  # type: ignore[union-attr]
            sub_result = CliRunner().invoke(cli, [command, sub, "--help"])
            help_texts.append(sub_result.output)
    for text in help_texts:
        assert not _named_files(text), text
