"""Each phone column with its own DNC/status/type/litigator columns, in every vendor's naming."""

from __future__ import annotations

import pytest

from relist.intake.aliases import default_aliases
from relist.intake.layouts import build_layout
from relist.intake.phone_groups import Flag, read_flag

ALIASES = default_aliases()


def groups(header: list[str], mapping: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    lay = build_layout(header, 1, ALIASES, mapping or {}, [])
    out = []
    for g in lay.phone_groups:
        flags = [*g.dnc, *g.status, *g.type, *g.litigator]
        out.append((header[g.phone], sorted(header[i] for i in flags)))
    return out


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (  # REDX: seven phones, each with its status column
            ["Property Address", "Phone", "Phone Status", *[h for n in range(2, 8) for h in (f"Phone {n}", f"Phone {n} Status")]],
            [("Phone", ["Phone Status"]), *[(f"Phone {n}", [f"Phone {n} Status"]) for n in range(2, 8)]],
        ),
        (  # BatchLeads: Phone N, Phone N DNC, Phone N TYPE (and a row-wide Litigator)
            ["Property Address", "Litigator", *[h for n in range(1, 6) for h in (f"Phone {n}", f"Phone {n} DNC", f"Phone {n} TYPE")]],
            [(f"Phone {n}", sorted([f"Phone {n} DNC", f"Phone {n} TYPE"])) for n in range(1, 6)],
        ),
        (  # Landvoice expired: OwnerPhone + OwnerPhoneDNC, Phone1..4 + DNC1..4
            ["PropertyStreet", "OwnerPhone", "OwnerPhoneDNC", "Phone1", "DNC1", "Phone2", "DNC2"],
            [("OwnerPhone", ["OwnerPhoneDNC"]), ("Phone1", ["DNC1"]), ("Phone2", ["DNC2"])],
        ),
        (  # Landvoice skip-traced: LandvoiceContactNPhone + LandvoiceContactNDNC
            ["Property Address", "Primary Phone", "LandvoiceContact1Phone", "LandvoiceContact1DNC", "LandvoiceContact2Phone",
             "LandvoiceContact2DNC"],
            [("Primary Phone", []), ("LandvoiceContact1Phone", ["LandvoiceContact1DNC"]),
             ("LandvoiceContact2Phone", ["LandvoiceContact2DNC"])],
        ),
        (  # DealMachine snake_case
            ["property_address_line_1", "contact_1_phone1", "contact_1_phone1_type", "contact_1_phone2", "contact_1_phone2_type"],
            [("contact_1_phone1", ["contact_1_phone1_type"]), ("contact_1_phone2", ["contact_1_phone2_type"])],
        ),
    ],
)
def test_each_vendor_pairs_flags_with_their_phone(header: list[str], expected: list[tuple[str, list[str]]]) -> None:
    assert groups(header) == expected
    lay = build_layout(header, 1, ALIASES, {}, [])
    assert not any("Phone" in lay.header[i] or "DNC" in lay.header[i] for i in lay.extra)  # no flag left in Extra


def test_column_order_does_not_change_the_pairs() -> None:
    header = ["Phone 2 DNC", "Phone 1", "Phone 2", "Phone 1 DNC", "Property Address"]
    assert groups(header) == [("Phone 1", ["Phone 1 DNC"]), ("Phone 2", ["Phone 2 DNC"])]


def test_a_map_onto_a_numbered_flag_pairs_with_that_phone() -> None:
    header = ["Property Address", "OwnerPhone", "Phone Flag"]
    assert groups(header) == [("OwnerPhone", [])]
    assert groups(header, {"phoneflag": "OwnerPhone1DNC"}) == [("OwnerPhone", ["Phone Flag"])]
    lay = build_layout(header, 1, ALIASES, {"phoneflag": "OwnerPhone3DNC"}, [])
    assert any("no phone 3" in n for n in lay.notes)  # said, never silently dropped


def test_agent_and_office_phones_are_not_owner_phones() -> None:
    lay = build_layout(["Property Address", "Mls Agent Primary Phone", "Mls Agent Brokerage Phone", "Fax Phone"], 1, ALIASES, {}, [])
    assert lay.phone_groups == ()


@pytest.mark.parametrize(
    ("what", "text", "flag"),
    [
        ("dnc", "", Flag()), ("dnc", "N", Flag()), ("dnc", "Clean", Flag()), ("dnc", "Y", Flag(dnc=True)),
        ("dnc", "Federal", Flag(dnc=True)), ("dnc", "something odd", Flag(dnc=True)),
        ("dnc", "Litigator", Flag(litigator=True)), ("dnc", "DNC & Litigator", Flag(dnc=True, litigator=True)),
        ("litigator", "Yes", Flag(litigator=True)), ("litigator", "TRUE", Flag(litigator=True)), ("litigator", "No", Flag()),
        ("status", "DNC", Flag(dnc=True)), ("status", "Wireless", Flag(kind="mobile")), ("status", "Disconnected", Flag(bad=True)),
        ("status", "Litigator", Flag(litigator=True)), ("status", "Verified", Flag()), ("status", "code 7", Flag(dnc=True)),
        ("type", "Mobile", Flag(kind="mobile")), ("type", "Landline", Flag(kind="landline")), ("type", "VOIP", Flag(kind="voip")),
        ("type", "Wireless DNC", Flag(dnc=True, kind="mobile")),
    ],
)
def test_flag_values_are_read_fail_closed(what: str, text: str, flag: Flag) -> None:
    assert read_flag(what, text) == flag


def test_a_contacts_relation_column_flags_each_of_its_phones_and_stays_in_extra() -> None:
    header = ["property_address_line_1", "owner_1_name", "contact_1_name", "contact_1_flags", "contact_1_phone1",
              "contact_1_phone2", "contact_2_name", "contact_2_flags", "contact_2_phone1", "contact_2_phone1_type"]
    lay = build_layout(header, 1, ALIASES, {}, [])
    rel = {header[g.phone]: [header[i] for i in g.relation] for g in lay.phone_groups}
    assert rel == {"contact_1_phone1": ["contact_1_flags"], "contact_1_phone2": ["contact_1_flags"],
                   "contact_2_phone1": ["contact_2_flags"]}
    assert {"contact_1_flags", "contact_2_flags"} <= set(lay.unplaced)  # the relation itself is not lost


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Likely Owner", Flag()),
        ("Likely Owner, Resident", Flag()),  # an owner who lives there
        ("Likely Owner, Wireless", Flag(kind="mobile")),
        ("Resident", Flag(not_owner=True)),
        ("Family", Flag(not_owner=True)),
        ("Family, Wireless", Flag(kind="mobile", not_owner=True)),
        ("Relative; DNC", Flag(dnc=True, not_owner=True)),
        ("Associate", Flag(not_owner=True)),  # any relation that is not an owner: not the owner
        ("", Flag()),
        ("Wireless", Flag(kind="mobile")),  # says nothing about who the person is
    ],
)
def test_relation_words(text: str, expected: Flag) -> None:
    assert read_flag("relation", text) == expected
