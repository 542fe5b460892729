"""build_presentation on an in-memory workbook: files written, the lead row linked, the workbook saved."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pptx import Presentation
from tests.data.comps.fixture import AT, lead_record, memory_book

from relist.comps.select import CompFilters, NoComparables
from relist.errors import BadInput, NotFound
from relist.present.service import build_presentation


def test_builds_the_deck_links_the_lead_and_saves(tmp_path: Path) -> None:
    book = memory_book()
    result = build_presentation(book, "l-1001", at=AT, out_dir=tmp_path, pdf=False)
    assert result.pptx == tmp_path / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pptx"
    assert result.pptx.exists() and result.pdf is None
    assert len(Presentation(str(result.pptx)).slides) == 6  # the cover and the five slides
    assert book.tables["tblLeads"][0]["Presentation"] == str(result.pptx.resolve())
    assert book.saved == 1
    summary = result.summary()
    json.dumps(summary)
    value = summary["value"]
    assert {k: value[k] for k in ("median_ppsf", "q1_ppsf", "q3_ppsf", "indicated", "range", "suggested_list_price", "confidence")} == {
        "median_ppsf": 252.5, "q1_ppsf": 246.25, "q3_ppsf": 258.75,
        "indicated": 454500, "range": [430000, 480000], "suggested_list_price": 455000, "confidence": "high",
    }
    assert value["set_aside"] == [] and summary["price_call"] == "lower" and summary["agent_alert"] == ""
    assert [c["comp_id"] for c in summary["comps"]] == ["S-2001", "S-2002", "S-2004", "S-2003", "S-2005", "S-2006"]
    assert summary["relaunch"] == "2026-03-24"
    assert set(result.timings) >= {"select", "charts", "pptx", "total"}


def test_filters_and_settings_shape_the_comp_set(tmp_path: Path) -> None:
    book = memory_book()
    book.update_rows("tblSettings", [{"Setting": "Comps: how many", "Value": "3"}])
    result = build_presentation(book, "L-1001", at=AT, out_dir=tmp_path, pdf=False)
    assert len(result.analysis.selection.kept) == 3
    result = build_presentation(book, "L-1001", at=AT, out_dir=tmp_path, pdf=False, filters=CompFilters(months=2))
    assert [w.filter for w in result.analysis.selection.widenings] == ["months"]
    assert result.summary()["widened"] == ["Closed within widened from 2 months to 4 months to find enough sales: 4 found."]


def test_a_naive_at_is_the_agents_local_time(tmp_path: Path) -> None:
    result = build_presentation(memory_book(), "L-1001", at=datetime(2026, 3, 10, 9, 0), out_dir=tmp_path, pdf=False)
    assert result.deck.relaunch.isoformat() == "2026-03-24"


def test_unknown_lead_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="There is no lead 'L-9' on the Leads sheet."):
        build_presentation(memory_book(), "L-9", at=AT, out_dir=tmp_path, pdf=False)


def test_a_lead_with_no_comps_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    book = memory_book([lead_record(PostalCode="99501", Latitude=None, Longitude=None)])
    with pytest.raises(NoComparables) as err:
        build_presentation(book, "L-1001", at=AT, out_dir=tmp_path, pdf=False)
    assert "ZIP 99501" in err.value.hint
    assert list(tmp_path.iterdir()) == []
    assert book.saved == 0


def test_a_workbook_without_a_folder_needs_out_dir() -> None:
    with pytest.raises(BadInput, match="no folder to save the presentation"):
        build_presentation(memory_book(), "L-1001", at=AT, pdf=False)


def test_a_missing_comps_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="does-not-exist.csv does not exist"):
        build_presentation(memory_book(), "L-1001", at=AT, out_dir=tmp_path, pdf=False, comps_path=tmp_path / "does-not-exist.csv")

