"""Templates: merge fields, lookup order, refusals that say what is wrong, and the shipped files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.identity import agent_settings

from relist.channels.templates import (
    FIELD_SOURCES,
    KINDS,
    PACKAGE_DIR,
    copy_defaults,
    list_templates,
    merge_fields,
    render,
)
from relist.errors import TemplateError
from relist.model import Lead

S = agent_settings()
AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
LEAD = Lead(
    "L0001", owner_name="John Smith", owner_first_name="John", property_address="123 Main St.", unit="4",
    city="Tampa", state="FL", postal_code="33602", list_price=425000.0,
    expired_at=datetime(2026, 11, 24, 23, 59, tzinfo=ZoneInfo("UTC")),
    fields={"DaysOnMarket": 87, "BathroomsTotal": 2.5, "LivingArea": 1850},
)


def test_merge_fields_format_values_and_leave_out_blanks() -> None:
    f = merge_fields(LEAD, S, "letters", AT)
    assert f["street"] == "123 Main St"  # the trailing period would end a sentence twice
    assert f["property_address"] == "123 Main St #4, Tampa, FL 33602"
    assert f["list_price"] == "$425,000"
    assert f["days_on_market"] == "87"
    assert f["bathrooms"] == "2.5"
    assert f["living_area"] == "1,850"
    assert f["expired_on"] == "November 24, 2026"  # 23:59 UTC is still the 24th in New York
    assert f["today"] == "November 25, 2026"
    assert f["agent_first_name"] == "Jordan"
    assert "owner_name2" not in f and "mailing_address" not in f  # blank: absent, so a template using it is refused
    assert set(f) <= set(FIELD_SOURCES)


def test_every_shipped_template_renders_for_a_complete_lead() -> None:
    full = Lead(
        "L0002", owner_name="Ann Lee", owner_first_name="Ann", property_address="9 Oak Ct", city="Tampa",
        state="FL", postal_code="33602", list_price=300000.0, fields={"DaysOnMarket": 40},
    )
    for kind in KINDS:
        names = list_templates(kind)
        assert names, kind
        for name in names:
            out = render(kind, name, merge_fields(full, S, kind, AT), lead_id="L0002")
            assert "{{" not in out and "{%" not in out and out.strip(), (kind, name)


def test_default_filter_and_is_defined_work_with_missing_fields() -> None:
    bare = Lead("L0003", property_address="7 Elm St", city="Tampa", state="FL", postal_code="33602")
    letter = render("letters", "expired-letter", merge_fields(bare, S, "letters", AT))
    assert letter.startswith("Dear Homeowner,")
    hanger = render("door", "door-hanger", merge_fields(bare, S, "door", AT))
    assert hanger.splitlines()[0] == "Sorry I missed you!"


def test_unknown_template_names_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as err:
        render("letters", "no-such-letter", {}, dirs=[tmp_path])
    assert "no-such-letter" in err.value.message
    assert str(tmp_path) in err.value.hint


def test_bad_template_name_is_refused() -> None:
    with pytest.raises(TemplateError, match="not a template name"):
        render("letters", "../secrets", {})


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "broken.txt.j2").write_text("Dear {{ owner_first_name }},\n\n{% if %}\n")
    with pytest.raises(TemplateError, match="line 3"):
        render("letters", "broken", {"owner_first_name": "A"}, dirs=[tmp_path])


def test_a_name_that_is_no_merge_field_lists_the_real_ones(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "typo.txt.j2").write_text("Dear {{ owner_frist_name }},")
    with pytest.raises(TemplateError) as err:
        render("letters", "typo", {}, dirs=[tmp_path])
    assert "owner_frist_name" in err.value.message and "not a merge field" in err.value.message
    assert "owner_first_name" in err.value.hint


def test_agent_folder_wins_over_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "expired-letter.txt.j2").write_text("Custom for {{ street }}")
    assert render("letters", "expired-letter", {"street": "1 A St"}, dirs=[tmp_path]) == "Custom for 1 A St"
    monkeypatch.setenv("RELIST_TEMPLATES", str(tmp_path))
    assert render("letters", "expired-letter", {"street": "2 B St"}) == "Custom for 2 B St"


def test_copy_defaults_keeps_edits_unless_overwrite(tmp_path: Path) -> None:
    written = copy_defaults(tmp_path)
    shipped = sorted(PACKAGE_DIR.rglob("*.txt.j2"))
    assert len(written) == len(shipped)
    edited = tmp_path / "texts" / "first-text.txt.j2"
    edited.write_text("mine")
    assert copy_defaults(tmp_path) == []
    assert edited.read_text() == "mine"
    assert edited in copy_defaults(tmp_path, overwrite=True)
    assert edited.read_text() != "mine"
