"""The generated holiday dates table against the `holidays` package it was generated from."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from relist.compliance import holiday_dates, rules


@pytest.fixture
def fresh_table():
    holiday_dates.table.cache_clear()
    yield
    holiday_dates.table.cache_clear()


def test_shipped_table_is_what_the_package_gives() -> None:
    assert holiday_dates.TABLE_FILE.read_text(encoding="utf-8") == holiday_dates.render_from_package()
    assert holiday_dates.main(["--check"]) == 0


def test_a_changed_date_is_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = holiday_dates.TABLE_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "holiday_dates.csv"
    changed.write_text(text.replace("PA,2026,new year's day,2026-01-01", "PA,2026,new year's day,2026-01-02"), encoding="utf-8")
    monkeypatch.setattr(holiday_dates, "TABLE_FILE", changed)
    assert holiday_dates.main(["--check"]) == 1
    moved = holiday_dates.render(lambda s, y: {"new year's day": date(y, 1, 2)}, holiday_dates.RULES_FILE.read_text(), "0.109")
    assert "PA,2026,new year's day,2026-01-02" in moved


def test_every_rule_and_year_reads_as_the_package_says(fresh_table: None) -> None:
    table = holiday_dates.table()
    assert table is not None
    pairs = holiday_dates.wanted(holiday_dates.RULES_FILE.read_text(encoding="utf-8-sig"))
    assert len(pairs) > 50
    for state, name in pairs:
        for year in range(holiday_dates.FIRST_YEAR, holiday_dates.LAST_YEAR + 1):
            assert table.get((state, year, name)) == rules._library_days(state, year).get(name), (state, year, name)


def test_another_package_version_asks_the_package(monkeypatch: pytest.MonkeyPatch, fresh_table: None) -> None:
    monkeypatch.setattr(holiday_dates, "installed_version", lambda: "0.0")
    assert holiday_dates.table() is None
    assert rules.resolve_date_rule("holidays:New Year's Day", 2026, "PA") == date(2026, 1, 1)
    with pytest.raises(rules.UnknownHoliday):
        rules.resolve_date_rule("holidays:No Such Day", 2026, "PA")


def test_a_name_or_year_not_in_the_table_asks_the_package(fresh_table: None) -> None:
    assert rules.resolve_date_rule("holidays:New Year's Day", 2040, "PA") == date(2040, 1, 1)
    assert rules.resolve_date_rule("holidays:Independence Day", 2026, "AL") == date(2026, 7, 4)
    with pytest.raises(rules.UnknownHoliday):
        rules.resolve_date_rule("holidays:No Such Day", 2026, "PA")


def test_loading_the_rules_does_not_import_the_package() -> None:
    code = (
        "import sys\n"
        "from relist.compliance.rules import default_rules\n"
        "book = default_rules()\n"
        "assert sum(len(h.banned(2026)) for h in book.holidays) > 50\n"
        "assert 'holidays' not in sys.modules, 'the holidays package was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
