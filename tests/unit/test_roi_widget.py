"""The ROI calculator app headless: the traitlets model, and the view's sliders, boxes and charts."""

from __future__ import annotations

from dataclasses import fields

import pytest

from relist.roi.model import INPUT_FIELDS, RoiInputs, compute
from relist.roi.text import format_value
from relist.widgets.roi_app import RoiCalculator, RoiModel


def test_the_model_has_a_trait_per_input_and_recomputes_on_change() -> None:
    m = RoiModel()
    assert {f.name for f in fields(RoiInputs)} <= set(m.trait_names())
    assert m.outputs == compute(RoiInputs())
    m.dials_per_day = 100
    assert m.outputs == compute(RoiInputs(dials_per_day=100))
    assert f"GCI per month: {format_value('gci_per_month', compute(RoiInputs(dials_per_day=100)).gci_per_month)}" in m.text


def test_a_bad_value_sets_an_error_and_keeps_the_last_outputs() -> None:
    m = RoiModel()
    before = m.outputs
    m.pickup_rate = 1.3
    assert "pickup_rate" in m.error and "above 100%" in m.error
    assert m.outputs == before
    m.pickup_rate = 0.2
    assert m.error == "" and m.outputs == compute(RoiInputs(pickup_rate=0.2))


def test_presets_set_inputs_and_ranges() -> None:
    m = RoiModel()
    m.apply_preset("by-skill")
    assert m.chain == "contacts" and m.ranges == {"listings_per_contact": (0.05, 0.10)}
    low, high = m.spans["gci_per_month"]
    assert low == pytest.approx(high / 2)
    assert "range $" in m.text
    m.clear_ranges()
    assert m.spans == {} and "range" not in m.text


def test_set_inputs_recomputes_once() -> None:
    m = RoiModel()
    seen = []
    m.observe(lambda c: seen.append(c["new"]), names="outputs")
    m.set_inputs(RoiInputs(dials_per_day=10, pickup_rate=0.5, days_per_week=3))
    assert len(seen) == 1 and seen[0] == compute(RoiInputs(dials_per_day=10, pickup_rate=0.5, days_per_week=3))


def test_slider_and_box_stay_in_step_with_the_model() -> None:
    app = RoiCalculator(charts=False)
    app.sliders["pickup_rate"].value = 0.4
    assert app.model.pickup_rate == 0.4 and app.boxes["pickup_rate"].value == 0.4
    app.boxes["dials_per_day"].value = 120
    assert app.sliders["dials_per_day"].value == 120 and app.model.dials_per_day == 120
    # a box value beyond the slider's reach stretches the slider instead of being clipped
    app.boxes["median_price"].value = 4_000_000
    assert app.model.median_price == 4_000_000 and app.sliders["median_price"].max >= 4_000_000
    assert "relist-out-gci_per_month" in app.headline.value
    assert f"${compute(app.model.inputs()).gci_per_month:,.0f}" in app.headline.value
    assert {f.name for f in INPUT_FIELDS} == set(app.sliders) == set(app.boxes)


def test_the_charts_change_when_a_slider_moves() -> None:
    app = RoiCalculator()
    funnel, gci = bytes(app.funnel_image.value), bytes(app.gci_image.value)
    assert funnel.startswith(b"\x89PNG") and gci.startswith(b"\x89PNG")
    app.sliders["dials_per_day"].value = 150
    assert bytes(app.funnel_image.value) != funnel and bytes(app.gci_image.value) != gci


def test_the_view_shows_the_error_and_ranges() -> None:
    app = RoiCalculator(charts=False)
    app.chain.value = "contacts"
    app.boxes["listings_per_contact"].value = 0.7
    assert "appointments_per_listing" in app.error.value
    app.boxes["listings_per_contact"].value = 0.05
    assert app.error.value == ""
    app.range_field.value = "pickup_rate"
    app.range_low.value, app.range_high.value = 0.25, 0.35
    app._set_range()
    assert app.model.ranges == {"pickup_rate": (0.25, 0.35)}
    assert "Pickup rate" in app.ranges_text.value and " to " in app.headline.value


def test_load_and_save_report_a_missing_workbook(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = RoiModel()
    m.load_my_numbers(tmp_path / "nope.xlsx")
    assert m.message.startswith("Could not load:")
    m.save_scenario(tmp_path / "nope.xlsx")
    assert m.message.startswith("Could not save:")


def test_a_slider_snapping_a_default_to_its_step_does_not_change_the_model() -> None:
    """The browser snaps $124 to the $10 step and sends $120 back: the notebook must still agree with the sheet."""
    app = RoiCalculator(charts=False)
    assert app.model.dialer_cost == 124
    app.sliders["dialer_cost"].value = 120  # the echo of the snap
    assert app.model.dialer_cost == 124 and app.model.outputs == compute(RoiInputs())
    app.sliders["dialer_cost"].value = 150  # the agent's own move
    assert app.model.dialer_cost == 150
    app.model.dials_per_day = 70.00000000000001
    assert app.boxes["dials_per_day"].value == 70


def test_chart_labels_round_as_the_sheet_shows() -> None:
    from relist.roi.charts import funnel_chart
    from relist.roi.render import _fmt

    out = compute(RoiInputs())
    spec = funnel_chart(out)
    listings = spec.values[spec.labels.index("Signed listings")]
    assert _fmt(listings, spec.value_format) == format_value("listings_per_month", out.listings_per_month) == "3.3"
