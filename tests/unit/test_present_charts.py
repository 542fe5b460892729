"""Chart specs snapshot-tested as data (not pixels), and the renderer draws a non-blank PNG from each."""

from __future__ import annotations

import io
import json
import os
from dataclasses import replace

import pytest
from tests.data.comps.fixture import AS_OF, SNAPSHOTS, TZ, comp_rows, lead_record

from relist.comps.select import comps_from_records, select_comps
from relist.comps.subject import subject_from_lead
from relist.comps.value import value_selection
from relist.leads import lead_from_record
from relist.present.charts import ChartSet, build_charts, render_png, spec_dict

UPDATE = os.environ.get("RELIST_UPDATE_SNAPSHOTS") == "1"


def fixture_charts(**lead_changes: object) -> ChartSet:
    subject = subject_from_lead(lead_from_record(lead_record(**lead_changes), (), TZ))
    comps, _ = comps_from_records(comp_rows())
    sel = select_comps(subject, comps, as_of=AS_OF)
    return build_charts(sel, value_selection(sel, comps))


@pytest.mark.parametrize("name", ["scatter", "ppsf", "dom", "history"])
def test_chart_spec_matches_its_snapshot(name: str) -> None:
    spec = getattr(fixture_charts(), name)
    got = spec_dict(spec)
    path = SNAPSHOTS / f"chart_{name}.json"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run once with RELIST_UPDATE_SNAPSHOTS=1 and review it"
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_specs_hold_the_subjects_numbers() -> None:
    charts = fixture_charts()
    assert charts.scatter.subject is not None
    assert charts.scatter.subject.x == 1800 and charts.scatter.subject.y == 489_000
    assert charts.scatter.suggested.y == 455_000
    assert charts.scatter.band_ppsf == (246.25, 258.75)
    assert charts.ppsf.bars[0].highlight and charts.ppsf.bars[0].value == pytest.approx(489_000 / 1800)
    assert charts.dom is not None and charts.dom.bars[0].value == 181
    assert charts.dom.references[0].value == 31
    assert charts.history is not None
    assert charts.history.steps == (("2025-09-04", 525_000.0), ("2025-10-20", 505_000.0), ("2025-12-01", 489_000.0))
    assert charts.history.end == "2026-03-04"
    assert [n for n, _ in charts.items()] == ["scatter", "ppsf", "dom", "history"]


def test_a_lead_without_price_data_has_no_history_chart() -> None:
    charts = fixture_charts(PriceHistory=None, ListingContractDate=None, DaysOnMarket=None)
    assert charts.history is None
    assert [n for n, _ in charts.items()] == ["scatter", "ppsf", "dom", "history"][:3]


def test_history_falls_back_to_the_listing_date_and_original_price() -> None:
    charts = fixture_charts(PriceHistory=None)
    assert charts.history is not None
    assert charts.history.steps == (("2025-09-04", 525_000.0),)
    assert charts.history.undated == (489_000.0,)  # the last price is known, the day it changed is not


@pytest.mark.parametrize("name", ["scatter", "ppsf", "dom", "history"])
def test_renderer_draws_a_png_that_is_not_blank(name: str) -> None:
    from PIL import Image, ImageStat

    spec = getattr(fixture_charts(), name)
    png = render_png(spec, width_in=4, height_in=2.5, dpi=60)
    assert png.startswith(b"\x89PNG")
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.size == (240, 150)
    assert ImageStat.Stat(img).stddev[0] > 10


def test_dollar_signs_are_not_read_as_math() -> None:
    charts = fixture_charts()
    bar = replace(charts.ppsf, title="$ and $ per sq ft")
    png = render_png(bar, dpi=40)  # a pair of $ would be parsed as a formula and could fail
    assert png.startswith(b"\x89PNG")
