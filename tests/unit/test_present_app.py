"""The presentation builder without a browser: filters in, comp count, findings and charts out, export."""

from __future__ import annotations

from pathlib import Path

from tests.data.comps.fixture import AT, lead_record, memory_book

from relist.widgets.presentation_app import PresentationBuilder, PresentationModel


def test_model_follows_the_filters() -> None:
    m = PresentationModel(memory_book(), at=AT, pdf=False)
    assert (m.lead_id, m.comp_count, m.matched) == ("L-1001", 6, 6)
    assert m.summary == "indicated value $454,500 (range $443,250-$465,750), suggested list price $455,000"
    seen: list[int] = []
    m.observe(lambda c: seen.append(c["new"]), names=["comp_count"])
    m.count = 3
    assert m.comp_count == 3
    m.count = 6
    m.area_pct = 5  # 1,750 and 1,820 sq ft only, then one more after widening to 12 months
    assert (m.comp_count, m.matched) == (3, 3)
    assert m.analysis is not None
    assert [w.sentence for w in m.analysis.selection.widenings] == ["Closed within widened from 6 months to 12 months: 3 comps match."]
    assert seen == [3, 6, 3]


def test_model_takes_comp_defaults_from_settings() -> None:
    book = memory_book()
    book.update_rows("tblSettings", [{"Setting": "CompMonths", "Value": "9"}, {"Setting": "CompCount", "Value": "4"}])
    m = PresentationModel(book, at=AT, pdf=False)
    assert (m.months, m.count, m.comp_count) == (9, 4, 4)


def test_model_shows_an_error_instead_of_raising() -> None:
    book = memory_book([lead_record(), lead_record(LeadId="L-2", PostalCode="99501", Latitude=None, Longitude=None)])
    m = PresentationModel(book, at=AT, pdf=False)
    m.lead_id = "L-2"
    assert m.comp_count == 0 and m.analysis is None
    assert m.error.startswith("No sold comp matches lead L-2")
    m.lead_id = "L-1001"
    assert m.error == "" and m.comp_count == 6


def test_view_updates_and_exports(tmp_path: Path) -> None:
    book = memory_book()
    app = PresentationBuilder(book, at=AT, out_dir=tmp_path, pdf=False, charts=False)
    assert app.count_label.value.startswith("<b>6 comps</b> (of 6 matching)")
    assert "7.6% above the indicated value" in app.findings.value
    assert "1114 Palmetto Ridge Dr" in app.comps.value
    app.fields["months"].value = 2
    assert app.count_label.value.startswith("<b>4 comps</b>")
    assert "Closed within widened from 2 months to 4 months" in app.count_label.value
    app.export_button.click()
    assert "Saved" in app.export_status.value
    pptx = tmp_path / "Presentation-L-1001-1208-Palmetto-Ridge-Dr.pptx"
    assert pptx.exists()
    assert book.tables["tblLeads"][0]["Presentation"] == str(pptx.resolve())


def test_view_draws_the_four_charts() -> None:
    app = PresentationBuilder(memory_book(), at=AT, pdf=False)
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in app.images.values())


def test_view_reports_export_errors(tmp_path: Path) -> None:
    app = PresentationBuilder(memory_book(), at=AT, pdf=False, charts=False)  # no out_dir, memory book has no folder
    app.export_button.click()
    assert "no folder to save the presentation" in app.export_status.value
