"""The quick paths of intake (memos per street, blocks of rows, split lines) give the plain paths' answers."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relist import sample_data
from relist.intake import addresses, clean
from relist.intake.aliases import default_aliases
from relist.intake.match import LeadIndex
from relist.intake.pipeline import Options, Plan, run
from relist.intake.sources import RawTable, _lines, read_text

AT = sample_data.DEFAULT_AT

# street lines: a house number (or not), then words that exercise units, suffixes, punctuation and case
WORD = st.sampled_from([
    "MAIN", "Main", "st", "ST", "Street", "N", "north", "APT", "Apt", "apt.", "#", "#4", "4B", "UNIT", "Ste", "Lot", "NO",
    "PH", "Ph", "12", "O'NEIL", "5TH", "Rd,", ",", "-", "Suite", "Ave.", "PO", "Box", "x", "é", "İ", "ß", "Strasse",
])
HEAD = st.one_of(st.integers(0, 99999).map(str), st.sampled_from(["", "12B", "²3", "PO", "One"]))
SEP = st.sampled_from([" ", "  ", " , ", "\t", " #"])


@st.composite
def street_lines(draw: Any) -> str:
    words = draw(st.lists(WORD, max_size=6))
    return draw(HEAD) + "".join(draw(SEP) + w for w in words)


def _plain_key(street: str, unit: str) -> str:
    folded, parts = addresses._fold_words(street.upper(), 0)
    u = addresses.unit_text(unit) if unit else parts
    return f"{folded} #{u}" if u else folded


@given(street_lines())
def test_street_memos_give_the_plain_answers(text: str) -> None:
    line = " ".join(text.split())
    street, unit = addresses._split_unit(line)
    key = _plain_key(street, unit)
    assert addresses.split_unit(line) == (street, unit)
    assert addresses.street_key(street, unit) == key
    assert addresses.street_key(text) == _plain_key(text, "")
    house = key.split(" ", 1)[0] if key[:1].isdigit() else ""
    assert addresses.street_line(line) == (street, unit, key, house)
    assert addresses.tidy(text) == addresses._tidy(text)


@given(street_lines())
def test_tidying_an_ascii_line_keeps_its_street_key(text: str) -> None:
    """TableCleaner.details takes a bare ASCII mailing line's key from the untidied line."""
    if text.isascii():
        street, unit = addresses.split_unit(" ".join(text.split()))
        assert addresses.street_key(addresses.tidy(street), unit) == addresses.street_key(street, unit)


@pytest.mark.parametrize("text", [
    "a,b\r\n1,2\r\n", "a,b\n\n1,2", "a,b\r1,2\r", 'a,"x\ny"\n1,2\n', "a\x0bb,c\n1,2\n", "a,b\n1,2\x0c", "a,\u2028b\n1,2\n",
    'a,"x\x85y"\n1,2', "a,b\x1c\nc,d", "", "\n\n", "a,b",
])
def test_lines_split_as_csv_reads_them(text: str) -> None:
    expected = list(csv.reader(io.StringIO(text, newline="")))
    assert list(csv.reader(_lines(text))) == expected
    assert [r for _, r in read_text(text, "x.csv", ",").rows] == [r for r in expected if any(r)]


def _snapshot(plan: Plan) -> tuple[Any, ...]:
    records = plan.lead_records()
    return (dict(plan.counts), plan.rejects, [list(r.items()) for r in records],
            [st.new_phones for st in plan.new_leads], [(st.lead_id, st.changes) for st in plan.updated_leads()])


def _export(tmp_path: Path, rows: list[list[str]]) -> RawTable:
    path = tmp_path / "x.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    from relist.intake.sources import read_file

    return read_file(path)


def _messy_export(tmp_path: Path) -> RawTable:
    """A generated export with odd cells sprinkled in: bad statuses, addresses, dates and phones, extra cells,
    owner numbers that turn out to be an agent's in a later row."""
    rows = [list(r.values()) for r in sample_data.expired_export(300, seed=3, state=None)]
    header = list(sample_data.expired_export(1, seed=3, state=None)[0])
    odd = ["", " ", "n/a", "PRIVACY", "813-555-0142 x12; (727) 555-0188", "abc", "Apt 4", "X", "W", "Bogus",
           "2026-11-20T10:00:00Z", "13/40/2026", "$1.2M", "1,850", "123 Main St #4, Tampa, FL 33602", "12 APT 4",
           "9 Elm Ave Lot 3, Ocala, FL 34470", "FLORIDA", "3360", "(727) 555-0188"]
    for i, r in enumerate(rows):
        r[(i * 7) % len(r)] = odd[i % len(odd)]
        if i % 11 == 0:
            r[header.index("Mailing Address")] = r[header.index("Property Address")]
        if i % 13 == 0:
            r.append("surplus")
    agent = header.index("Listing Agent Phone")
    phone = header.index("Phone 1")
    rows[250][agent] = rows[5][phone]  # row 5's owner number is the listing agent's of a later row
    return _export(tmp_path, [header, *rows])


def test_blocks_do_not_change_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _messy_export(tmp_path)
    whole = _snapshot(run([table], default_aliases(), LeadIndex(), Options(at=AT, tz=AT.tzinfo)))  # type: ignore[arg-type]
    assert whole[0]["rejected"] > 0
    monkeypatch.setattr(clean, "BLOCK_ROWS", 7)
    monkeypatch.setattr(clean, "_DIRECT_AFTER", 14)
    small = _snapshot(run([table], default_aliases(), LeadIndex(), Options(at=AT, tz=AT.tzinfo)))  # type: ignore[arg-type]
    assert small == whole


def test_an_owner_number_found_to_be_an_agents_later_is_removed(tmp_path: Path) -> None:
    header = ["MLS #", "Status", "Expired Date", "Owner Name", "Property Address", "City", "State", "Zip",
              "Phone 1", "Phone 2", "Listing Agent Phone"]
    table = _export(tmp_path, [
        header,
        ["T1", "Expired", "11/23/2026", "Ann Lee", "1 Oak Ave", "Tampa", "FL", "33602", "(813) 555-0101", "(813) 555-0150", ""],
        ["T2", "Expired", "11/23/2026", "Bo Hall", "2 Oak Ave", "Tampa", "FL", "33602", "(813) 555-0160", "", "(813) 555-0101"],
    ])
    plan = run([table], default_aliases(), LeadIndex(), Options(at=AT, tz=AT.tzinfo))  # type: ignore[arg-type]
    first = plan.lead_records()[0]
    assert first["BestPhone"] == "+18135550150"
    assert [(p["Phone"], p["Position"]) for p in plan.new_leads[0].new_phones] == [("+18135550150", 1)]
    assert "(813) 555-0101 (the listing agent's number, not the owner's)" in str(first["Extra"])
