"""Generated decks written as real .pptx files and read back: what the file shows is what the spec holds."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from tests.data.comps.generated import listings
from tests.unit.test_present_invariants import build

from relist.comps.words import internal_words, money, price_range
from relist.present.charts import render_png
from relist.present.deck import chart_size, write_pptx


def test_written_decks_match_their_specs(tmp_path: Path) -> None:
    done = 0
    for lead, comps in listings(40, seed=5):
        built = build(lead, comps)
        if built is None:
            continue
        a, deck = built
        present = [name for name, _ in a.charts.items()]
        images = {name: render_png(spec, width_in=chart_size(deck, name, present)[0],
                                   height_in=chart_size(deck, name, present)[1], dpi=40)
                  for name, spec in a.charts.items()}
        path = write_pptx(deck, images, tmp_path / f"{a.lead.lead_id}.pptx")
        slides = list(Presentation(str(path)).slides)
        assert len(slides) == 6
        texts = []
        for slide in slides:
            parts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
            parts += [c.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
            texts.append("\n".join(parts))
        v = a.valuation
        assert price_range(v.low_price, v.high_price) in texts[3]
        assert (money(v.indicated_value) in texts[3].splitlines()[1]) == (a.call != "range")
        assert not internal_words("\n".join(texts)), internal_words("\n".join(texts))
        notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in slides]
        if a.alert:
            assert a.alert in notes[0] and a.alert in notes[2]
        else:
            assert "Confidence" in notes[2]
        pictures = sum(1 for s in slides for sh in s.shapes if sh.shape_type == 13)
        assert pictures == len(images)
        done += 1
        if done == 8:
            break
    assert done == 8
