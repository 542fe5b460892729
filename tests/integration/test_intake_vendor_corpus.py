"""Every export layout in tests/data/vendors imports with no flags, each field where it belongs."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from relist.intake.service import import_files
from relist.workbook.memory import MemoryWorkbook

DATA = Path(__file__).resolve().parents[1] / "data" / "vendors"
AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
EXPECTED: dict[str, list[dict[str, Any]]] = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def imported(name: str) -> tuple[MemoryWorkbook, Any]:
    book = MemoryWorkbook()
    summary = import_files(book, [DATA / name], at=AT)
    return book, summary


def test_the_corpus_files_are_current() -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", DATA / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.files().items():
        assert (DATA / name).read_bytes().decode("utf-8") == text, f"{name}: run python tests/data/vendors/make_corpus.py"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_imports_with_no_flags(name: str) -> None:
    book, s = imported(name)
    want = EXPECTED[name]
    assert s.rejected == 0, s.lines()
    assert s.read == len(want) and s.added + s.not_contactable == len(want)
    leads = book.tables["tblLeads"]
    phones = book.tables["tblPhones"]
    for lead, expected in zip(leads, want, strict=True):
        for column, value in expected.items():
            if column == "phones":
                got = [[p["Phone"], p["VendorDNC"], p["Litigator"], p["PhoneStatus"]]
                       for p in sorted((p for p in phones if p["LeadId"] == lead["LeadId"]), key=lambda p: p["Position"])]
                assert got == value, (name, lead["LeadId"])
            else:
                assert lead[column] == value, (name, column, lead[column], value)


def test_every_vendor_preset_has_a_corpus_file() -> None:
    from relist.intake.presets import all_presets, detect
    from relist.intake.sources import read_file

    recognised = set()
    for name in EXPECTED:
        table = read_file(DATA / name)
        preset, _ = detect([str(c) for c in table.rows[0][1]])
        if preset is not None:
            recognised.add(preset.name)
    assert recognised == {p.name for p in all_presets()}


def test_the_same_listing_from_an_mls_csv_and_the_reso_api_is_one_lead() -> None:
    book = MemoryWorkbook()
    s = import_files(book, [DATA / "flexmls.csv", DATA / "reso_web_api.json"], at=AT)
    assert (s.read, s.added, s.added + s.updated + s.duplicates) == (2, 1, 2)
    assert [r["AddressKey"] for r in book.tables["tblLeads"]] == ["6102 N SHARON AVE|33614"]


def test_the_listing_id_matches_before_the_address(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    import_files(book, [DATA / "crmls.csv"], at=AT)
    moved = tmp_path / "crmls_fixed.csv"
    moved.write_text((DATA / "crmls.csv").read_bytes().decode("utf-8").replace("411 Poppy Ave", "411 Poppy Avenue Unit A"),
                     encoding="utf-8")
    s = import_files(book, [moved], at=AT)
    assert s.added == 0 and len(book.tables["tblLeads"]) == 1  # a corrected address, the same MLS number: the same lead
