"""The foundation commands through Click's runner: init, demo, --version, errors and --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from relist import __version__
from relist.cli import COMMANDS, cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_every_command_has_help() -> None:
    for name in COMMANDS:
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage" in out, name


def test_init_then_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "Relist.xlsx"
    code, out, _ = run("init", str(target), "--json")
    assert code == 0 and json.loads(out)["workbook"] == str(target.resolve())
    code, _, err = run("init", str(target))
    assert code == 2
    assert err.startswith("relist: error:") and "already exists" in err and len(err.strip().splitlines()) == 1


def test_init_rejects_wrong_extension(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "Relist.csv"))
    assert code == 2 and ".xlsx" in err


def test_unknown_option_is_exit_2() -> None:
    code, _, err = run("init", "--nope")
    assert code == 2 and "Traceback" not in err


def test_demo_makes_a_workbook(tmp_path: Path) -> None:
    code, out, _ = run("demo", str(tmp_path / "demo"), "--json")
    assert code == 0, out
    data = json.loads(out)
    for name in ("workbook", "expired export", "dial list", "calendar", "letters (day 2)", "presentation (pptx)"):
        assert Path(data["files"][name]).exists(), name
    assert len(data["steps"]) == 10
    from relist.workbook import open_workbook

    book = open_workbook(data["files"]["workbook"])
    leads = book.read_records("tblLeads", ["LeadId", "Status", "Presentation"])
    assert len(leads) >= 50
    assert {"Appointment", "DNC", "Relisted"} <= {r["Status"] for r in leads}
    assert any(r["Presentation"] for r in leads)
    assert len(book.read_records("tblTouches")) == 5
    assert book.read_records("tblToday") and book.read_records("tblImports")


def test_python_dash_m_and_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "relist", "init", str(tmp_path / "x.txt")], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("relist: error:")


def test_usage_errors_are_one_line() -> None:
    code, _, err = run("init")
    assert code == 2
    assert err.startswith("relist: error: Missing argument") and len(err.strip().splitlines()) == 1
    assert "init --help" in err
    code, _, err = run("no-such-command")
    assert code == 2 and len(err.strip().splitlines()) == 1


MISSING_WORKBOOK_CASES = [
    ["import", "{tmp}/x.csv"],
    ["dnc", "add", "813-555-0142", "--reason", "asked"],
    ["dnc", "check", "813-555-0142"],
    ["check", "L000001"],
    ["audit", "--from", "2026-01-01", "--to", "2026-12-31"],
    ["today"],
    ["log", "L000001", "--channel", "call", "--outcome", "no-answer"],
    ["undo"],
    ["export", "dial-list", "--out", "{tmp}/d.csv"],
    ["letters", "--out", "{tmp}/l.pdf"],
    ["route", "--out", "{tmp}/r.pdf"],
    ["email", "--drafts", "{tmp}/drafts"],
    ["calendar", "--out", "{tmp}/c.ics"],
    ["marketing-plan", "L000001", "--out", "{tmp}/m.pdf"],
    ["roi", "--from-workbook"],
    ["present", "L000001"],
]


def test_every_workbook_command_refuses_a_missing_workbook_in_one_line(tmp_path: Path) -> None:
    """No command shows a traceback for a workbook that is not there: one line, what and how, exit 2."""
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    missing = str(tmp_path / "Nope.xlsx")
    for case in MISSING_WORKBOOK_CASES:
        args = [a.format(tmp=tmp_path) for a in case] + ["--workbook", missing]
        code, out, err = run(*args)
        assert code == 2, (case, code, out, err)
        assert err.startswith("relist: error:") and len(err.strip().splitlines()) == 1, (case, err)
        assert "Nope.xlsx" in err and "relist init" in err, (case, err)
