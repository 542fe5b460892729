"""Who sends: a blank, missing, renamed or sample identity setting refuses every outbound job in one line."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests.identity import AGENT, agent_settings, give_identity

from relist import schema
from relist.errors import BadInput, IdentityMissing
from relist.settings import (
    IDENTITY,
    NEEDS,
    SAMPLE_IDENTITY,
    Settings,
    defaults,
    from_pairs,
    identity_problems,
    is_demo,
    load,
    mark_demo,
    require_identity,
    sample_values,
)
from relist.workbook.memory import MemoryWorkbook

AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))


def rows_without(*names: str, **renamed: str) -> list[tuple[str, str]]:
    """The Settings sheet as (Setting cell, Value) with the test agent, some rows left out or relabelled."""
    out = []
    for s in schema.SETTINGS_ROWS:
        if s.name in names:
            continue
        out.append((renamed.get(s.name, s.shown), AGENT.get(s.name, s.default)))
    return out


def test_a_new_workbook_has_no_identity_and_no_sample_anywhere() -> None:
    d = defaults()
    assert all(d[n] == "" for n in IDENTITY)
    assert not set(SAMPLE_IDENTITY.values()) & set(d.values())
    assert all(next(s for s in schema.SETTINGS_ROWS if s.name == n).required for n in IDENTITY)
    s = from_pairs([])
    assert (s.agent_name, s.brokerage, s.license_number, s.phone, s.postal_address, s.email) == ("",) * 6


def test_a_missing_row_is_blank_not_the_sample() -> None:
    s = from_pairs(rows_without("AgentName"), sheet=True)
    assert s.agent_name == "" and s.rows is not None and "AgentName" not in s.rows
    assert from_pairs(rows_without("AgentName")).rows is None  # pairs made in code are not a sheet


@pytest.mark.parametrize("purpose", sorted(NEEDS))
def test_every_purpose_refuses_a_blank_name_in_one_line_naming_the_label(purpose: str) -> None:
    s = agent_settings(("AgentName", ""))
    with pytest.raises(IdentityMissing) as e:
        require_identity(s, purpose)
    line = e.value.one_line()
    assert line == ("Settings > Your name is empty: type your name as it should appear on letters, texts and emails, "
                    "then run this again.")
    assert isinstance(e.value, BadInput) and e.value.exit_code == 2 and "\n" not in line


def test_the_filled_in_agent_passes_every_purpose() -> None:
    s = agent_settings()
    for purpose in NEEDS:
        require_identity(s, purpose)
    assert identity_problems(s) == []


def test_what_each_job_needs() -> None:
    no_license = agent_settings(("LicenseNumber", ""))
    require_identity(no_license, "today")
    require_identity(no_license, "texts")
    require_identity(no_license, "presentation")
    for purpose in ("letters", "door hangers", "marketing plan", "emails"):
        with pytest.raises(IdentityMissing, match="Settings > License number is empty"):
            require_identity(no_license, purpose)
    no_email = agent_settings(("Email", ""))
    require_identity(no_email, "letters")
    with pytest.raises(IdentityMissing, match="Settings > Email is empty"):
        require_identity(no_email, "emails")


def test_several_missing_name_the_first_and_list_the_rest() -> None:
    with pytest.raises(IdentityMissing) as e:
        require_identity(from_pairs([]), "letters")
    assert e.value.one_line().startswith(
        "Settings > Your name is empty (also to fix: Brokerage, License number, Phone, Postal address): type your name")


def test_a_blank_of_spaces_is_empty() -> None:
    with pytest.raises(IdentityMissing, match="Settings > Brokerage is empty"):
        require_identity(agent_settings(("Brokerage", "   ")), "texts")


def test_a_renamed_row_is_refused_naming_the_row_to_restore() -> None:
    s = from_pairs(rows_without(AgentName="Name"), sheet=True)
    assert s.agent_name == ""
    with pytest.raises(IdentityMissing) as e:
        require_identity(s, "letters")
    assert e.value.one_line() == (
        "The Settings sheet has no 'Your name' row ('Name' is not a setting Relist knows: renamed?): "
        "type 'Your name' back in its Setting cell (or restore a backup), with your value beside it, then run this again.")


def test_a_deleted_row_is_refused_even_for_a_job_that_does_not_print_it_when_it_is_needed() -> None:
    s = from_pairs(rows_without("Phone"), sheet=True)
    require_identity(s, "texts")  # texts do not carry your phone: nothing to refuse
    with pytest.raises(IdentityMissing, match="The Settings sheet has no 'Phone' row:"):
        require_identity(s, "letters")


def test_the_old_names_and_any_spelling_of_a_label_still_count_as_the_row() -> None:
    require_identity(from_pairs(list(AGENT.items())), "emails")  # AgentName, Brokerage, ... (older workbooks)
    spelled = [("  your NAME ", AGENT["AgentName"]), *[(schema.setting_label(n).upper(), v) for n, v in AGENT.items() if n != "AgentName"]]
    require_identity(from_pairs(spelled), "emails")


def test_the_sample_agent_of_old_workbooks_is_not_filled_in() -> None:
    s = from_pairs(list(SAMPLE_IDENTITY.items()))
    assert sample_values(s) == list(IDENTITY)
    with pytest.raises(IdentityMissing) as e:
        require_identity(s, "texts")
    assert e.value.one_line().startswith(
        "Settings > Your name is 'Alex Morgan', the sample from a new workbook, not yours (also to fix: Brokerage, "
        "License number, Phone, Postal address, Email): type your name as it should appear")


def test_a_real_agent_who_shares_one_sample_value_is_not_refused() -> None:
    require_identity(agent_settings(("AgentName", "Alex Morgan")), "emails")  # a real Alex Morgan
    require_identity(agent_settings(("Brokerage", "harbor realty  group")), "emails")


def test_sample_values_left_beside_a_real_name_are_refused() -> None:
    s = agent_settings(("Brokerage", "Harbor Realty Group"), ("LicenseNumber", "SL3456789"))
    with pytest.raises(IdentityMissing, match="Settings > Brokerage is 'Harbor Realty Group', the sample"):
        require_identity(s, "today")
    for phone in ("+1 813-555-0100", "(813) 555-0100", "8135550100"):  # a fictional number: the sample on its own
        with pytest.raises(IdentityMissing, match="Settings > Phone is .*the sample from a new workbook"):
            require_identity(agent_settings(("Phone", phone)), "presentation")
    with pytest.raises(IdentityMissing, match="Settings > Email is 'alex@example.com', the sample"):
        require_identity(agent_settings(("Email", "alex@example.com")), "texts")


def test_settings_built_in_code_are_checked_by_value() -> None:
    with pytest.raises(IdentityMissing, match="Settings > Your name is empty"):
        require_identity(Settings(brokerage="B"), "texts")
    require_identity(Settings(agent_name="A", brokerage="B"), "texts")


def test_only_the_demo_workbook_may_send_as_the_sample_agent() -> None:
    book = give_identity(MemoryWorkbook(), save=False, **SAMPLE_IDENTITY)
    s = load(book)
    assert not is_demo(book)
    with pytest.raises(IdentityMissing, match="the sample from a new workbook"):
        require_identity(s, "letters", book)
    mark_demo(book)
    assert is_demo(book)
    require_identity(s, "letters", book)
    half = from_pairs([*SAMPLE_IDENTITY.items(), ("AgentName", "Pat Real")])  # an agent who took over the demo
    with pytest.raises(IdentityMissing, match="Settings > Brokerage is 'Harbor Realty Group', the sample"):
        require_identity(half, "letters", book)
    with pytest.raises(IdentityMissing, match="Settings > Your name is empty"):
        require_identity(from_pairs([]), "letters", book)  # the mark never fills a blank


def test_the_mark_lives_on_the_hidden_sheet_only() -> None:
    book = MemoryWorkbook()
    book.write_cells("Settings", {"A11": "demo", "B11": "sample agent"})  # typed on a visible sheet: not the mark
    assert not is_demo(book)
