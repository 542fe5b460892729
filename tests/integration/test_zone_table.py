"""The compact zone tables against the sources they were generated from (zipcodes, the phonenumbers geocoder)."""

from __future__ import annotations

import random
import subprocess
import sys

import phonenumbers
import pytest
from phonenumbers import geocoder
from phonenumbers.geodata import GEOCODE_DATA

from relist.compliance import zone_table, zones


@pytest.fixture
def fresh_tables():
    """Tables and lookups read again after the test (it may have changed what they are read from)."""
    def clear() -> None:
        zone_table.zip_table.cache_clear()
        zone_table.phone_table.cache_clear()
        zones._zip_source.cache_clear()
        zones.zip_place.cache_clear()
        zones.phone_place.cache_clear()

    clear()
    yield
    clear()


def test_shipped_tables_are_what_their_sources_give() -> None:
    assert zone_table.drift(zone_table.render_all(), zone_table.shipped()) == []
    assert zone_table.main(["--check"]) == 0


def test_a_changed_source_is_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = zone_table.zip_entries_from_source()
    entries["33602"] = ("America/Chicago", "FL", "")
    monkeypatch.setattr(zone_table, "zip_entries_from_source", lambda: entries)
    prefixes, regions = zone_table.phone_entries_from_source()
    prefixes["1813"] = "GA"
    monkeypatch.setattr(zone_table, "phone_entries_from_source", lambda: (prefixes, regions))
    found = zone_table.drift(zone_table.render_all(), zone_table.shipped())
    assert len(found) == 2
    assert found[0].startswith("zone_zip.csv.gz differs from its sources at line ")
    assert found[1].startswith("zone_phone.csv differs from its sources at line ")
    assert zone_table.main(["--check"]) == 1


def test_every_zip_reads_as_in_the_source(fresh_tables: None) -> None:
    source = zone_table.zip_entries_from_source()
    table = zone_table.zip_table()
    assert table is not None
    assert [z for z in (f"{n:05d}" for n in range(100_000)) if table.get(z) != source.get(z)] == []


def test_phone_states_read_as_the_geocoder_says(fresh_tables: None) -> None:
    """Every +1 prefix the geocoder knows (with random digits after it) and 5,000 random numbers."""
    rng = random.Random(18)
    numbers = {(p[1:] + f"{rng.randrange(10**10):010d}")[:10] for p in GEOCODE_DATA if p.startswith("1")}
    numbers |= {f"{rng.randrange(10**10):010d}" for _ in range(5000)}
    differ = []
    for ten in sorted(numbers):
        parsed = phonenumbers.parse("+1" + ten)
        if zones._phone_state(parsed) != zones.state_from_description(geocoder.description_for_number(parsed, "en")):
            differ.append(ten)
    assert differ == []


def test_tables_from_other_source_versions_are_not_used(monkeypatch: pytest.MonkeyPatch, fresh_tables: None) -> None:
    """Fail closed on an upgrade: the sources themselves answer, with the same plain reasons."""
    monkeypatch.setattr(zone_table, "source_versions", lambda: {"phonenumbers": "0.0.1", "zipcodes": "0.0.1"})
    assert zone_table.zip_table() is None
    assert zone_table.phone_table() is None
    assert zones.zip_place("33602") == zones.Place("property ZIP 33602", ("America/New_York",), "FL")
    assert zones.zip_place("00000").note == "ZIP not in the offline ZIP data"
    assert zones.phone_place("+18135551234").state == "FL"


def test_unknown_zip_and_area_code_still_block_with_the_same_reason(fresh_tables: None) -> None:
    assert zones.zip_place("00000") == zones.Place("property ZIP 00000", (), "", "ZIP not in the offline ZIP data")
    assert zones.zip_place("99999", "mailing").note == "ZIP not in the offline ZIP data"
    military = zones.zip_place("09001")
    assert (military.zones, military.note) == ((), "military ZIP: no time zone")
    unassigned = zones.phone_place("+13745551234")
    assert not unassigned.resolved
    assert unassigned.note == "no time zone known for area code 374 (unassigned or not geographic)"


def test_a_lookup_loads_neither_whole_source() -> None:
    code = (
        "import sys, zipcodes\n"
        "zipcodes.list_all = None\n"  # calling it would raise
        "from relist.compliance import zones\n"
        "assert zones.zip_place('33602').state == 'FL'\n"
        "assert zones.zip_place('96799').state == 'AS'\n"
        "assert zones.phone_place('+17875551234').state == 'PR'\n"
        "assert zones.phone_place('+12015551234').state == 'NJ'\n"
        "assert 'phonenumbers.geodata' not in sys.modules, 'the geocoder was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pruning_keeps_every_longest_prefix_answer() -> None:
    full = {"1201": "NJ", "1201631": "NY", "120163": "NJ", "12016": "NJ", "1202": "DC", "12025": "", "120255": ""}
    kept = zone_table.prune(full)
    assert kept == {"1201": "NJ", "1201631": "NY", "1202": "DC", "12025": ""}

    def lookup(table: dict[str, str], digits: str) -> str | None:
        return next((table[digits[:n]] for n in range(len(digits), 0, -1) if digits[:n] in table), None)

    for digits in ("12016310000", "12016320000", "12015550000", "12025550000", "12021110000", "13050000000"):
        assert lookup(kept, digits) == lookup(full, digits)
