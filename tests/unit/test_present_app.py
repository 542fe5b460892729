"""The presentation builder without a browser: filters in, comp count, findings and charts out, export."""

from __future__ import annotations

from pathlib import Path

from tests.data.comps.fixture import AT, lead_record, memory_book

from relist.settings import write_identity
from relist.widgets.presentation_app import PresentationBuilder, PresentationModel, render_view


def test_model_follows_the_filters() -> None:
    m = PresentationModel(memory_book(), at=AT, pdf=False)
    assert (m.lead_id, m.comp_count, m.matched) == ("L-1001", 6, 6)
    assert m.summary == ("value $454,500 (range $430,000-$480,000, high confidence, score 95), "
                         "suggested list price $455,000")
    assert m.alert == ""
    seen: list[int] = []
    m.observe(lambda c: seen.append(c["new"]), names=["comp_count"])
    m.count = 3
    assert m.comp_count == 3
    m.count = 6
    m.area_pct = 5  # 1,750 and 1,820 sq ft only, then one more after widening to 12 months
    assert (m.comp_count, m.matched) == (3, 3)
    assert m.analysis is not None
    assert [w.sentence for w in m.analysis.selection.widenings] == ["Closed within widened from 6 months to 12 months to find enough sales: 3 found."]
    assert seen == [3, 6, 3]


def test_model_takes_comp_defaults_from_settings() -> None:
    book = memory_book()
    book.update_rows("tblSettings", [{"Setting": "Comps: months back", "Value": "9"}, {"Setting": "Comps: how many", "Value": "4"}])
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
    assert app.count_label.value.startswith("<b>6 comps used</b> (of 6 matching; 0 set aside)")
    assert "8% above what 6 comparable sales" in app.findings.value
    assert "1114 Palmetto Ridge Dr" in app.comps.value
    app.fields["months"].value = 2
    assert app.count_label.value.startswith("<b>4 comps used</b>")
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
    assert app.export_status.value == ""  # the agent is filled in: nothing said on opening
    app.export_button.click()
    assert "no folder to save the presentation" in app.export_status.value


def test_the_export_refuses_without_your_name_in_the_same_sentence_as_the_cli(tmp_path: Path) -> None:
    book = memory_book()
    write_identity(book, {"AgentName": ""})
    app = PresentationBuilder(book, at=AT, out_dir=tmp_path, pdf=False, charts=False)
    said = app.export_status.value  # on opening, before Export is clicked
    assert "Settings &gt; Your name is empty" in said and "then run this again." in said
    app.export_button.click()
    assert ("Settings &gt; Your name is empty: type your name as it should appear on letters, texts and emails, "
            "then run this again.") in app.export_status.value
    assert not list(tmp_path.iterdir())


def test_switching_leads_moves_every_output_at_once() -> None:
    """The issue: after switching leads, the price-history chart still showed the first lead. Every output follows now."""
    second = lead_record(LeadId="L-2", PropertyAddress="77 Other Way", ListPrice=310_000, OriginalListPrice=310_000,
                         PriceHistory=None, ListingContractDate=None, DaysOnMarket=None, CumulativeDaysOnMarket=None,
                         LivingArea=1700)
    app = PresentationBuilder(memory_book([lead_record(), second]), at=AT, pdf=False)
    m = app.model
    before = {name: bytes(img.value) for name, img in app.images.items()}
    assert all(v.startswith(b"\x89PNG") for v in before.values())
    m.lead_id = "L-2"
    assert m.analysis is not None and m.analysis.lead.lead_id == "L-2"
    want = render_view(m.analysis, m.error)
    assert app.count_label.value == want["count"] and "$310,000" not in want["count"]
    assert app.findings.value == want["findings"] and "$310,000" in app.findings.value and "$489,000" not in app.findings.value
    assert app.comps.value == want["comps"]
    assert app.alert.value == want["alert"]
    for name, img in app.images.items():
        assert bytes(img.value) == want["images"][name], name
    assert bytes(app.images["history"].value) == b"" and app.images["history"].layout.display == "none"
    assert bytes(app.images["scatter"].value) != before["scatter"] and bytes(app.images["ppsf"].value) != before["ppsf"]
    m.lead_id = "L-1001"
    assert bytes(app.images["history"].value).startswith(b"\x89PNG") and app.images["history"].layout.display == ""
