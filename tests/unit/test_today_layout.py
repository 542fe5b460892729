"""Today as the agent's work surface: what a 1,366-px screen shows, headers in plain words, counts in plain English."""

from __future__ import annotations

import re

from relist import schema
from relist.sequence.queue import reason_kinds
from relist.words import count
from relist.workbook.screens import GRID_PX

ACTING = ("Section", "Owner", "Phone", "Address", "What to do", "Owner's hours", "Your hours", "First day", "Send", "Outcome", "Note")


def excel_px(width: float) -> int:
    """Pixels of a column `width` characters wide in Excel at 100% (Calibri 11: 7-px digits plus 5 px padding)."""
    return int(width * 7 + 5)


def test_what_an_agent_acts_on_fits_a_1366_px_screen() -> None:
    cols = schema.TODAY.columns
    edge = 0
    visible = []
    for c in cols:
        edge += excel_px(c.width)
        if edge > GRID_PX:
            break
        visible.append(c.name)
    assert tuple(visible[: len(ACTING)]) == ACTING, visible
    assert cols[-1].name == "LeadId"  # internal ids at the far right


def test_headers_are_plain_words_with_help() -> None:
    for c in schema.TODAY.columns[: len(ACTING)]:
        assert not re.search(r"[a-z][A-Z]", c.name), c.name  # no CamelCase field names on the first screen
        assert c.help, c.name


def test_counts_read_as_english() -> None:
    assert count(1, "touch") == "1 touch" and count(2, "touch") == "2 touches"
    assert count(1, "day") == "1 day" and count(0, "appointment") == "0 appointments"
    assert count(1, "reply") == "1 reply" and count(3, "reply") == "3 replies" and count(1_600, "dial") == "1,600 dials"


def test_skip_reasons_group_by_kind_not_by_number() -> None:
    reasons = (
        "+13215550124 is on the National DNC Registry (copy of 2026-11-25)",
        "+13215550151 is on the National DNC Registry (copy of 2026-11-25)",
        "the list vendor flagged +19125550132 as do-not-call",
        "FL calling hours: it is Sat 20:46 in America/New_York, outside 08:00-20:00",
    )
    assert reason_kinds(reasons) == [
        "A number is on the National DNC Registry (copy of 2026-11-25)",
        "The list vendor flagged a number as do-not-call",
        "FL calling hours: now in America/New_York, outside 08:00-20:00",
    ]


def test_leads_first_screen_answers_who_where_what_next() -> None:
    edge, visible = 0, []
    for c in schema.LEADS.columns:
        edge += excel_px(c.width)
        if edge > GRID_PX:
            break
        visible.append(c.name)
    for name in ("OwnerName", "BestPhone", "PropertyAddress", "City", "Status", "NextChannel", "NextDue", "TouchCount", "LastOutcome", "Outcome"):
        assert name in visible, f"{name} is off the first screen of Leads"
    tail = [c.name for c in schema.LEADS.columns[-len(schema.INTERNAL_LEADS) :]]
    assert tail == list(schema.INTERNAL_LEADS)  # bookkeeping grouped at the right


def test_leads_colours_count_from_the_queue_not_the_clock() -> None:
    for h in schema.LEADS.highlights:
        assert "TODAY()" not in h.formula and "NOW()" not in h.formula and schema.AS_OF_NAME in h.formula
    names = schema.TODAY.names
    from relist.workbook.template import col_letter

    assert f"{col_letter(names.index('LeadId') + 1)}1" == schema.AS_OF_CELL  # above the table, at its right edge
