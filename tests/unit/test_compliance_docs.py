"""docs/compliance.md documents every rule the verdict can give, every state row and every command."""

from __future__ import annotations

import re
from pathlib import Path

from relist.cli.compliance import dnc
from relist.compliance.rules import FEDERAL, default_rules

DOC = (Path(__file__).resolve().parents[2] / "docs" / "compliance.md").read_text(encoding="utf-8")
VERDICT = (Path(__file__).resolve().parents[2] / "lib" / "relist" / "compliance" / "verdict.py").read_text(encoding="utf-8")


def test_every_reason_rule_is_documented() -> None:
    rules = set(re.findall(r'Reason\(\s*f?"([a-z-]+)', VERDICT)) | set(re.findall(r'f"([a-z-]+):\{st\}"', VERDICT))
    rules |= {"federal-window", "door-hours"} | {f"{k}:XX" for k in ("state-hours", "day-ban")}
    assert len(rules) > 15
    for rule in sorted(rules):
        name = rule.replace("{st}", "XX")
        assert f"`{name}" in DOC or f"`{name.split(':')[0]}:XX`" in DOC, rule


def test_every_state_of_the_rules_table_is_documented() -> None:
    for state in {r.state for r in default_rules().rules} - {FEDERAL}:
        assert re.search(rf"^\| [A-Z, ]*\b{state}\b", DOC, re.MULTILINE), state


def test_every_command_is_documented() -> None:
    for name in dnc.commands:
        if name != "status":
            assert f"relist dnc {name}" in DOC, name
    assert "relist dnc status" in DOC and "relist check" in DOC and "relist audit" in DOC


def test_the_holiday_page_is_generated_from_the_table() -> None:
    from relist.compliance.holiday_table import render

    page = (Path(__file__).resolve().parents[2] / "docs" / "holidays.md").read_text(encoding="utf-8")
    assert page == render(default_rules()), "regenerate: python -m relist.compliance.holiday_table > docs/holidays.md"
