"""Every CLI command and every docs page the README promises is documented."""

from __future__ import annotations

from pathlib import Path

from relist.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in COMMANDS:
        assert f"`relist {name}" in readme, f"relist {name} is not documented in README.md"


def test_readme_links_resolve() -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    for link in re.findall(r"\]\(((?:docs|benchmarks|addin|workbook)/[^)#]+)\)", readme):
        assert (ROOT / link).exists(), link


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
