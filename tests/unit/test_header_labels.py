"""Plain-word headers: every product column has a header an agent reads, the adapters map it to the column's name
both ways, old names and loose spellings are still recognised, and formulas naming a column follow a relabel."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist import schema
from relist.workbook.migrate import rename_in_formula
from relist.workbook.port import (
    coerce,
    converter,
    missing_columns,
    phone_reader,
    shown_phone,
    stored_phone,
)

FIELD_NAME = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$|^[A-Z][a-z]+(?:Id|At|Utc)$|^[A-Z][a-z]*Id$")
"""What a schema field name looks like: CamelCase words run together (LeadId, BestPhone, AtUtc)."""


@pytest.mark.parametrize("spec", schema.TABLE_SHEETS, ids=lambda s: s.sheet)
def test_every_header_is_plain_words(spec: schema.TableSheet) -> None:
    for c in spec.columns:
        assert not FIELD_NAME.match(c.header), f"{spec.sheet} > {c.header} reads like a field name"
        assert "_" not in c.header


@pytest.mark.parametrize("spec", schema.TABLE_SHEETS, ids=lambda s: s.sheet)
def test_headers_and_names_name_one_column_each(spec: schema.TableSheet) -> None:
    """A header, a name, or their loose spellings never point at two columns (old and new workbooks read the same)."""
    owner: dict[str, str] = {}
    for c in spec.columns:
        for key in {c.header.casefold(), c.name.casefold(), "".join(ch for ch in c.header.casefold() if ch.isalnum()),
                    "".join(ch for ch in c.name.casefold() if ch.isalnum())}:
            assert owner.setdefault(key, c.name) == c.name, f"{spec.sheet}: {key!r} names {owner[key]} and {c.name}"


def test_fields_reads_labels_old_names_and_loose_spellings() -> None:
    leads = schema.LEADS
    assert leads.fields(["Lead", "Best phone", "Next due"]) == ["LeadId", "BestPhone", "NextDue"]
    assert leads.fields(["LeadId", "BestPhone", "NextDue"]) == ["LeadId", "BestPhone", "NextDue"]
    assert leads.fields(["best phone", "Best_Phone", "NEXT DUE"]) == ["BestPhone", "Best_Phone", "NextDue"]
    assert leads.fields(["My score", "Lead"]) == ["My score", "LeadId"]  # the agent's own column is kept as named


def test_a_renamed_header_is_refused_in_one_line_naming_the_header_to_restore() -> None:
    columns = schema.LEADS.fields(["Mobile" if h == "Best phone" else h for h in schema.LEADS.headers])
    err = missing_columns("Relist.xlsx", schema.LEADS, columns)
    assert err is not None
    text = str(err)
    assert "\n" not in text and "'Best phone'" in text and "Leads" in text
    assert "'Best phone'" in err.hint  # type: ignore[attr-defined]
    assert missing_columns("Relist.xlsx", schema.LEADS, schema.LEADS.fields(list(schema.LEADS.headers))) is None


def test_best_phone_is_shown_the_us_way_and_read_back_as_e164() -> None:
    assert shown_phone("+13055550100") == "(305) 555-0100"
    assert shown_phone("+447700900123") == "+447700900123"
    for written in ("(305) 555-0100", "305-555-0100", "305.555.0100", "1 305 555 0100", "+13055550100"):
        assert stored_phone(written) == "+13055550100", written
    for other in ("+447700900123", "555-0100", "call the office", "(012) 555-0100"):
        assert stored_phone(other) == other
    assert schema.LEADS.column("BestPhone").us_phone


RENAMES = {"tblleads": {"leadid": "Lead", "nextdue": "Next due", "listagentphone": "Agent's phone", "listprice": "List price"}}


@pytest.mark.parametrize(
    ("formula", "own", "want"),
    [
        ("COUNTA(tblLeads[LeadId])", None, "COUNTA(tblLeads[Lead])"),
        ("MAX(tblLeads[NextDue])", None, "MAX(tblLeads[[Next due]])"),
        ("tbllEADS[[#This Row],[NextDue]]", None, "tbllEADS[[#This Row],[Next due]]"),
        ("SUM(tblLeads[[#Data],[ListPrice]:[NextDue]])", None, "SUM(tblLeads[[#Data],[List price]:[Next due]])"),
        ("tblLeads[@NextDue]", None, "tblLeads[@[Next due]]"),
        ("tblLeads[@ListAgentPhone]", None, "tblLeads[@[Agent''s phone]]"),
        ("[@NextDue]+1", "tblleads", "[@[Next due]]+1"),
        ("[@NextDue]+1", "tbltouches", "[@NextDue]+1"),
        ("tblTouches[LeadId]", None, "tblTouches[LeadId]"),
        ('IF(A1="[LeadId]",tblLeads[LeadId])', None, 'IF(A1="[LeadId]",tblLeads[Lead])'),
        ("[1]Sheet1!A1+tblLeads[Status]", None, "[1]Sheet1!A1+tblLeads[Status]"),
    ],
)
def test_formulas_naming_a_column_follow_its_new_header(formula: str, own: str | None, want: str) -> None:
    assert rename_in_formula(formula, RENAMES, own) == want


def test_an_agents_column_named_like_a_new_label_stays_the_agents_in_an_old_workbook() -> None:
    """A v2 workbook showed TouchCount; an agent's own 'Touches' column beside it is not taken for it."""
    assert schema.LEADS.fields(["LeadId", "TouchCount", "Touches"]) == ["LeadId", "TouchCount", "Touches"]
    assert schema.LEADS.fields(["Lead", "Touches"]) == ["LeadId", "TouchCount"]


PHONE_COLUMNS = (("Leads", "BestPhone"), ("Phones", "Phone"), ("Touches", "Phone"), ("DNC", "Phone"))


def test_every_phone_column_is_shown_the_us_way() -> None:
    """Leads, Phones, Touches and DNC show one form, (305) 555-0100; no other column holds a phone number."""
    flagged = {(spec.sheet, c.name) for spec in schema.TABLE_SHEETS for c in spec.columns if c.us_phone}
    assert flagged == set(PHONE_COLUMNS)


@pytest.mark.parametrize("sheet,name", PHONE_COLUMNS)
def test_a_phone_cell_reads_the_same_number_however_it_is_written(sheet: str, name: str) -> None:
    col = next(s for s in schema.TABLE_SHEETS if s.sheet == sheet).column(name)
    read = converter(col)
    for cell in ("(305) 555-0100", "+13055550100", "305-555-0100", "305.555.0100", 3055550100.0, "1 (305) 555-0100"):
        assert read(cell) == coerce(col, cell) == "+13055550100", (sheet, cell)
    assert read("+447700900123") == "+447700900123"
    assert read(None) is None and read("") is None


@given(st.one_of(
    st.from_regex(r"\A\+1[2-9][0-9]{9}\Z"),  # every US/Canada number as kept
    st.from_regex(r"\A\+[2-9][0-9]{6,14}\Z"),  # numbers of other countries
    st.from_regex(r"\A\+1[01][0-9]{9}\Z"),  # not a NANP number: kept as it is, never shown as one
    st.text(max_size=20),
))
def test_what_is_kept_comes_back_from_what_is_shown(kept: str) -> None:
    """Whatever a phone column keeps (E.164, a foreign number, odd text) reads back the same from the cell it is shown in."""
    if stored_phone(kept) != kept:
        return  # not a kept form: the writer never holds it
    assert stored_phone(shown_phone(kept)) == kept
    assert phone_reader()(shown_phone(kept)) == (kept or None)


def test_the_phone_reader_remembers_without_mixing_numbers() -> None:
    read = phone_reader()
    cells = ["(305) 555-0100", "(305) 555-0101", "(305) 555-0100", "+447700900123", "(305) 555-0101", 3055550102.0]
    assert [read(c) for c in cells] == ["+13055550100", "+13055550101", "+13055550100", "+447700900123", "+13055550101",
                                        "+13055550102"]


def test_the_compliance_code_shows_numbers_as_the_sheets_do() -> None:
    from relist.compliance.numbers import us_form

    assert us_form("+13055550100") == "(305) 555-0100" == shown_phone("+13055550100")
    for other in ("+447700900123", "+10005550100", "jane@example.com", "request"):
        assert us_form(other) == other
