"""Finding a sheet's table parts without parsing its thousands of hyperlink relationships."""

from __future__ import annotations

import pytest

from relist.workbook import package as pkg

NS = pkg.NS_PKG_REL
T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
H = pkg.REL_HYPERLINK

CASES = [
    f'<Relationships xmlns="{NS}"><Relationship Id="rId1" Type="{T}" Target="../tables/table1.xml"/></Relationships>',
    f'<Relationships xmlns="{NS}"><Relationship Target="../tables/table2.xml" Type="{T}" Id="rId9"></Relationship>'
    f'<Relationship Id="L1" Type="{H}" Target="https://example.com/table?x=1&amp;y=2" TargetMode="External"/></Relationships>',
    f'<Relationships xmlns="{NS}"><Relationship Id="L1" Type="{H}" Target="tel:+18135550100" TargetMode="External"/></Relationships>',
    f"<?xml version='1.0'?><Relationships xmlns='{NS}'><Relationship Id='a' Type='{T}' Target='/xl/tables/t%20x.xml'/>"
    f"<Relationship Id='b' Type='{T}' Target='../tables/table3.xml'/></Relationships>",
    f'<p:Relationships xmlns:p="{NS}"><p:Relationship Id="rId1" Type="{T}" Target="../tables/table4.xml"/></p:Relationships>',
    "",
]


@pytest.mark.parametrize("xml", CASES)
def test_table_targets_match_a_full_parse(xml: str) -> None:
    data = xml.encode()
    full = [r.target for r in pkg.parse_rels(data) if r.type.endswith("/table")] if data else []
    assert pkg.table_targets(data) == full


def test_column_letters_by_index_are_excels() -> None:
    from relist.workbook import package as pkg

    assert len(pkg._LETTERS) == 16385 and pkg._LETTERS[16384] == "XFD"
    assert [""] + [pkg.col_letter(i) for i in range(1, 16385)] == pkg._LETTERS
    assert all(pkg.col_index(pkg._LETTERS[i]) == i for i in (1, 26, 27, 52, 702, 703, 16384))
