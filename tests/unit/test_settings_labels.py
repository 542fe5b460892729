"""Settings shown in plain words: labels, how a Setting cell is matched, and no pointer by setting name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relist import schema, settings

ROOT = Path(__file__).resolve().parents[2]
RENAMED = {s.name for s in schema.SETTINGS_ROWS if s.shown != s.name}


def test_every_setting_has_a_label_that_is_not_a_code_name() -> None:
    for s in schema.SETTINGS_ROWS:
        assert s.label, s.name
        assert not re.search(r"[a-z][A-Z]", s.shown), s.shown
    assert len({s.shown.casefold() for s in schema.SETTINGS_ROWS}) == len(schema.SETTINGS_ROWS)


def test_no_spelling_points_to_two_settings() -> None:
    seen: dict[str, str] = {}
    for s in schema.SETTINGS_ROWS:
        for spelling in {schema._loose(s.name), schema._loose(s.shown)}:
            assert seen.setdefault(spelling, s.name) == s.name, (spelling, seen[spelling], s.name)


@pytest.mark.parametrize(
    ("cell", "name"),
    [("Your name", "AgentName"), ("AgentName", "AgentName"), ("  your NAME ", "AgentName"), ("agent_name", "AgentName"),
     ("Call litigator-flagged numbers", "AllowLitigatorCalls"), ("allowlitigatorcalls", "AllowLitigatorCalls"),
     ("States of emergency", "StateEmergencies"), ("Calls per day", "DailyDialCapacity"), ("My own note", "My own note")],
)
def test_a_setting_cell_is_read_by_label_name_or_loose_spelling(cell: str, name: str) -> None:
    assert schema.setting_name(cell) == name


def test_settings_read_from_labels_equal_settings_read_from_names() -> None:
    values = {"AgentName": "Sam Lee", "DailyDialCapacity": "40", "AllowLitigatorCalls": "Yes", "WorkDays": "Mon,Tue",
              "StateEmergencies": "LA 2026-08-25..2026-09-24", "TimeZone": "America/Chicago"}
    by_name = settings.from_pairs(values.items())
    by_label = settings.from_pairs((schema.setting_label(k), v) for k, v in values.items())
    loosely = settings.from_pairs((schema.setting_label(k).upper().replace(" ", "_"), v) for k, v in values.items())
    assert by_name == by_label == loosely
    assert by_label.agent_name == "Sam Lee" and by_label.daily_dial_capacity == 40 and by_label.allow_litigator_calls
    assert settings.from_pairs([("My own note", "x")]).raw["My own note"] == "x"


def test_a_refusal_points_to_the_label() -> None:
    with pytest.raises(Exception, match=r"Settings > Calls per day is 'lots'"):
        settings.from_pairs([("Calls per day", "lots")])
    with pytest.raises(Exception, match=r"Settings > Your name, Brokerage are blank"):
        settings.from_pairs([("Your name", ""), ("Brokerage", "")]).require("AgentName", "Brokerage")


def test_no_agent_facing_text_points_to_a_setting_by_its_name() -> None:
    pointer = re.compile(r"Settings > (" + "|".join(sorted(RENAMED, key=len, reverse=True)) + r")\b")
    files = [*(ROOT / "lib" / "relist").rglob("*.py"), *(ROOT / "lib" / "relist" / "data").glob("*.csv"),
             *(ROOT / "docs").glob("*.md"), ROOT / "README.md", *(ROOT / "addin" / "src").glob("*")]
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files if p.is_file()
             for m in pointer.finditer(p.read_text(encoding="utf-8", errors="replace"))]
    assert not found, found
