"""The deck: five slides in order with the subject's numbers, branding on every slide, read back with python-pptx."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from tests.data.comps.fixture import AS_OF, TZ, comp_rows, lead_record
from tests.identity import agent_settings

from relist.comps.select import comps_from_records
from relist.comps.words import internal_words
from relist.errors import BadInput
from relist.leads import lead_from_record
from relist.present.charts import render_png
from relist.present.deck import SLIDE_TITLES, Branding, DeckSpec, deck_spec, write_pptx
from relist.present.service import Analysis, analyse

PLAN = ("Professional photos and a 3D tour", "A price set from the new comp set", "Weekly feedback reports")
BRAND = Branding("Jordan Ellis", "Gulfview Realty", "SL7001234", "+1 727-555-0142", "jordan@gulfview.example")


def fixture_analysis() -> Analysis:
    comps, _ = comps_from_records(comp_rows())
    return analyse(lead_from_record(lead_record(), (), TZ), comps, as_of=AS_OF)


def make_deck(branding: Branding = BRAND, plan: tuple[str, ...] = PLAN, **kw: Any) -> tuple[Analysis, DeckSpec]:
    a = fixture_analysis()
    return a, deck_spec(a, branding, plan, as_of=AS_OF, prepared_for="Dana Reyes and Sam Reyes", **kw)


def slide_texts(path: Path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    a, deck = make_deck()
    images = {name: render_png(spec, width_in=3, height_in=2, dpi=40) for name, spec in a.charts.items()}
    return write_pptx(deck, images, tmp_path_factory.mktemp("deck") / "deck.pptx")


def test_a_cover_then_five_slides_with_the_expected_titles_in_order(written: Path) -> None:
    prs = Presentation(str(written))
    slides = list(prs.slides)
    assert slides[0].shapes.title is None  # the cover has no slide title, only the address band
    cover = slide_texts(written)[0]
    for text in ("1208 Palmetto Ridge Dr", "Prepared for Dana Reyes and Sam Reyes", "Jordan Ellis, Gulfview Realty", "March 10, 2026"):
        assert text in cover, text
    assert [s.shapes.title.text for s in slides[1:]] == list(SLIDE_TITLES)
    assert SLIDE_TITLES == ("Why it didn't sell", "What I'd change", "The new comp set", "The marketing plan", "The timeline")


def test_slides_carry_the_subjects_numbers(written: Path) -> None:
    _cover, why, change, comps, plan, timeline = slide_texts(written)
    for number in ("1208 Palmetto Ridge Dr", "$489,000", "8% above", "$430,000 to $480,000", "181", "median of 31 days",
                   "46 days", "$36,000", "9 photos", "March 4, 2026"):
        assert number in why, number
    for number in ("$455,000", "Price: List at $455,000", "Photos: Professional photos, at least 20 (it had 9)", "Because: The last list price, $489,000"):
        assert number in change, number
    for number in ("$454,500", "$430,000 to $480,000", "1114 Palmetto Ridge Dr", "February 14, 2026", "$437,500", "$250",
                   "$252.50/sq ft, times this home's 1,800 sq ft", "high confidence"):
        assert number in comps, number
    for item in PLAN:
        assert item in plan
    assert "$455,000" in plan and "March 24, 2026" in plan
    for text in ("March 24, 2026", "March 31, 2026", "April 21, 2026", "median 31 days"):
        assert text in timeline, text
    for text in (why, change, comps, plan, timeline):
        assert not internal_words(text), internal_words(text)


def test_speaker_notes_carry_the_confidence_and_any_alert(written: Path) -> None:
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in Presentation(str(written)).slides]
    assert notes[2].startswith("Confidence high (score 9")


def test_branding_on_every_slide(written: Path) -> None:
    for n, text in enumerate(slide_texts(written), 1):
        assert "Jordan Ellis" in text and "Gulfview Realty" in text
        assert "License SL7001234" in text and "+1 727-555-0142" in text
        assert n == 1 or f"{n}/6" in text


def test_charts_placed_on_their_slides(written: Path) -> None:
    pictures = [sum(1 for sh in s.shapes if sh.shape_type == 13) for s in Presentation(str(written)).slides]
    assert pictures == [0, 2, 1, 1, 0, 0]


def test_logo_on_every_slide_when_given(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo)
    a, deck = make_deck(replace(BRAND, logo_path=str(logo)))
    path = write_pptx(deck, {}, tmp_path / "logo.pptx")
    pictures = [sum(1 for sh in s.shapes if sh.shape_type == 13) for s in Presentation(str(path)).slides]
    assert pictures == [1, 1, 1, 1, 1, 1]


def test_relaunch_date_can_be_chosen() -> None:
    _, deck = make_deck(relaunch=date(2026, 4, 2))
    assert deck.relaunch == date(2026, 4, 2)
    assert [r.on.isoformat() for r in deck.timeline] == ["2026-03-10", "2026-04-02", "2026-04-09", "2026-04-16", "2026-04-23", "2026-04-30"]
    with pytest.raises(BadInput, match="before 2026-03-10"):
        make_deck(relaunch=date(2026, 3, 1))


def test_timeline_prep_follows_the_changes() -> None:
    _, deck = make_deck()
    assert deck.timeline[0].what == (
        "Sign the new listing agreement; book the photographer; rewrite the description; "
        "list the agents behind the comparable sales; fill in every listing detail"
    )


@pytest.mark.parametrize(
    ("branding", "plan", "message"),
    [
        (replace(BRAND, brokerage=""), PLAN, "Settings > Brokerage is blank"),
        (replace(BRAND, agent_name=" ", brokerage=""), PLAN, "Settings > Your name, Brokerage are blank"),
        (replace(BRAND, logo_path="/nonexistent/logo.png"), PLAN, "Settings > Logo file is '/nonexistent/logo.png', which is not a file."),
        (BRAND, (), "Settings > Marketing plan is blank"),
    ],
)
def test_missing_settings_are_refused_by_name(branding: Branding, plan: tuple[str, ...], message: str) -> None:
    with pytest.raises(BadInput) as err:
        make_deck(branding, plan)
    assert message in err.value.message
    assert err.value.hint


def test_branding_comes_from_settings() -> None:
    b = Branding.from_settings(agent_settings(("Website", "alexsells.example")))
    assert b.line == "Jordan Ellis  ·  Gulfview Realty  ·  License SL7001234  ·  +1 727-555-0142  ·  jordan@gulfview.example  ·  alexsells.example"
