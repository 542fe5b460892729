"""Vendor presets: every file parses, names known fields, cites its sources; a file is recognised by its header."""

from __future__ import annotations

import pytest

from relist.intake.aliases import default_aliases
from relist.intake.layouts import build_layout
from relist.intake.presets import all_presets, detect, parse_preset, preset_named

EXPECTED = {
    "REDX", "Vulcan7", "Landvoice", "Landvoice Skip-Traced", "Espresso Agent", "Mojo", "BatchLeads", "PropStream",
    "DealMachine", "CoreLogic Matrix", "Flexmls", "Paragon", "Bright MLS", "Stellar MLS", "CRMLS", "RESO Web API",
}


def test_every_layout_the_issue_names_has_a_preset_with_sources() -> None:
    presets = all_presets()
    assert {p.name for p in presets} == EXPECTED
    for p in presets:
        assert p.sources and all(len(s) > 20 for s in p.sources), p.file
        assert len(p.signature) >= 3, p.file
        assert p.kind in ("vendor", "mls")


def test_vendor_names_and_a_bad_preset() -> None:
    assert preset_named("vortex") is preset_named("REDX") and preset_named("batch leads") is not None
    assert preset_named("Acme") is None
    with pytest.raises(ValueError, match="not a field"):
        parse_preset('name = "X"\nsources = ["s"]\nsignature = ["a"]\n[columns]\n"A" = "NoSuchField"\n', "x.toml", default_aliases())
    with pytest.raises(ValueError, match="needs 'sources'"):
        parse_preset('name = "X"\nsignature = ["a"]\n', "x.toml", default_aliases())


def test_detection_needs_most_of_the_signature() -> None:
    p, note = detect(["MLS/FSBO ID", "Phone Status", "Phone 2 Status", "Phone 3 Status", "Property Address"])
    assert p is not None and p.name == "REDX" and "recognised as REDX" in note
    assert detect(["MLS #", "Status", "Address", "City", "Zip"]) == (None, "")


def test_occupant_and_tenant_columns_are_not_owners() -> None:
    lay = build_layout(["MLS #", "Property Address", "Owner Name", "Occupant Name", "Tenant Name"], 1, default_aliases(), {}, [])
    assert lay.columns["OwnerName"] == (2,) and {3, 4} <= set(lay.extra)
