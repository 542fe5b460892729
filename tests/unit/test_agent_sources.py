"""Agent-facing text names public sources in words, never one of our files ("compliance.md").

Covers the verdict's sources, the rule data files (state rules and holidays: source and note),
the readiness report, the ROI defaults' sources, the default sequence texts, the message
templates, every command's --help, every string in the package's code that is not a docstring
(CLI messages, hints, sheet text), the ribbon's VBA and XML, and every text of a new workbook.
"""

from __future__ import annotations

import ast
import io
import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from relist.cli import COMMANDS, cli
from relist.compliance import verdict
from relist.compliance.rules import default_rules
from relist.roi.model import INPUT_FIELDS
from relist.sequence.defaults import DEFAULT_SEQUENCE_ROWS

MD_FILE = re.compile(r"[\w./-]+\.md\b", re.IGNORECASE)
INTERNAL = re.compile(
    r"[\w./-]+\.md\b|[\w/]*\b\w+\.py\b|\b(?:docs|shared/reference|tests|lib/relist|notebooks)/[\w./*-]*",
    re.IGNORECASE,
)
"""Our own files and folders: a doc page, a module, a folder of the source tree."""
DATA_FILE = re.compile(r"\b(?:state_rules|state_holidays|aliases)\.csv\b", re.IGNORECASE)
"""Our data files, which an agent never opens (the override folder's copy is named by the code, not by the rows)."""
LIB = Path(__file__).resolve().parents[2] / "lib" / "relist"
ADDIN = Path(__file__).resolve().parents[2] / "addin" / "src"
WRITES_OUR_DOCS = {"docs.py", "compliance/holiday_table.py"}
"""Modules whose strings go into our own docs pages (generated), not in front of an agent."""
OPENED_NOT_SHOWN = {("excel.py", "addin.md")}
"""(module, string) pairs that are a path the code opens, never text it shows."""


def _named_files(text: str) -> list[str]:
    return MD_FILE.findall(text)


def _internal_names(text: str) -> list[str]:
    return INTERNAL.findall(text) + DATA_FILE.findall(text)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (module, class, function, attribute)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
        for before, after in zip(body, body[1:], strict=False):
            if (isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)):
                out.add(id(after.value))
    return out


def test_the_internal_pattern_catches_our_files_and_not_public_text() -> None:
    assert _internal_names("each column is described in docs/compliance.md.") == ["docs/compliance.md"]
    assert _internal_names("Relist blocks these days (docs/holidays.md)") == ["docs/holidays.md"]
    assert _internal_names("see lib/relist/schema.py") == ["lib/relist/schema.py"]
    assert _internal_names("the days are rows of state_holidays.csv.") == ["state_holidays.csv"]
    assert _internal_names("Give a path ending in .csv. Try: relist import EXPORT.csv") == []
    assert _internal_names("47 CFR 64.1200(c)(1); Tex. Bus. & Com. Code 304.101; RCW 80.36.390(2)") == []


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
    bad = [(r.state, r.rule, r.source, r.note) for r in book.rules if _internal_names(f"{r.source} {r.note}")]
    bad += [(h.state, h.name, h.source, h.note) for h in book.holidays if _internal_names(f"{h.source} {h.note}")]
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
        assert not INTERNAL.findall(text), text


def test_no_string_in_the_code_names_one_of_our_files() -> None:
    """CLI messages, hints, ribbon alerts and sheet text are string literals of the package: none names a
    doc page, a module or a data file of ours (docstrings and comments are for us and are not checked)."""
    bad = []
    modules = sorted(LIB.rglob("*.py"))
    assert len(modules) > 50
    for path in modules:
        rel = path.relative_to(LIB).as_posix()
        if rel in WRITES_OUR_DOCS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            # a data file's name is how the code opens it (and names the agent's own override copy): not checked here
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and (rel, node.value) not in OPENED_NOT_SHOWN and INTERNAL.findall(node.value)):
                bad.append(f"{rel}:{node.lineno}: {node.value[:120]!r}")
    assert not bad, "\n".join(bad)


def test_ribbon_text_names_no_file() -> None:
    vba = (ADDIN / "Relist.bas").read_text(encoding="utf-8")
    shown = re.findall(r'"([^"]*)"', "\n".join(line for line in vba.splitlines() if not line.lstrip().startswith("'")))
    xml = (ADDIN / "ribbon.xml").read_text(encoding="utf-8")
    shown += re.findall(r'(?:label|screentip|supertip)="([^"]*)"', xml)
    assert len(shown) > 20
    assert not [t for t in shown if _internal_names(t)]


def test_readiness_report_names_no_file() -> None:
    from relist.compliance.readiness import readiness, readiness_lines
    from relist.settings import Settings

    book = default_rules()
    states = sorted({r.state for r in book.rules} - {"US"})
    lines = readiness_lines(readiness(book, Settings(), states), states)
    assert len(lines) > len(states)
    bad = [line for line in lines if _internal_names(line)]
    assert not bad, bad
    assert any("no holidays" in line and "Good Friday" in line for line in lines)  # PA's days are named, not pointed at


def test_a_new_workbook_shows_no_file_name() -> None:
    """Every cell, header comment and validation message of a new workbook."""
    from openpyxl import load_workbook

    from relist.workbook import template

    wb = load_workbook(io.BytesIO(template.build_bytes()))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    texts.append((ws.title, cell.coordinate, cell.value))
                if cell.comment is not None:
                    texts.append((ws.title, cell.coordinate, cell.comment.text))
        for dv in ws.data_validations.dataValidation:
            texts += [(ws.title, str(dv.sqref), t) for t in (dv.prompt, dv.error, dv.promptTitle, dv.errorTitle) if t]
    assert len(texts) > 100
    bad = [t for t in texts if _internal_names(t[2])]
    assert not bad, bad
