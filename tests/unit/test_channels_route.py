"""The door-knock route: address parsing, ZIP > street > house-number order with each side together, hangers."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from tests.identity import agent_settings

from relist.channels.route import (
    MAILBOX_RULE,
    door_hangers_pdf,
    drive_order,
    hanger_for,
    office_zip,
    parse_street,
    plan_route,
    route_sheet_pdf,
    stop_for,
    street_as_written,
    zip_centroids,
)
from relist.errors import BadInput
from relist.model import Lead

AT = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("America/New_York"))
S = agent_settings()


@pytest.mark.parametrize(
    ("address", "number", "text", "street"),
    [
        ("123 Main Street", 123, "123", "MAIN ST"),
        ("123 main st.", 123, "123", "MAIN ST"),
        ("12B N. Oak Ave., Apt 4", 12, "12B", "N OAK AVE"),
        ("4-6 West Elm Road #2", 4, "4", "W ELM RD"),
        ("77 Sunset Boulevard Unit 9", 77, "77", "SUNSET BLVD"),
        ("PO Box 12", None, "", "PO BOX 12"),
    ],
)
def test_parse_street(address: str, number: int | None, text: str, street: str) -> None:
    assert parse_street(address) == (number, text, street)


def lead(i: int, address: str, zip_: str = "33602", **kw: object) -> Lead:
    return Lead(f"L{i:03d}", owner_name=f"Owner {i}", owner_first_name="Pat", property_address=address, city="Tampa",
                state="FL", postal_code=zip_, **kw)  # type: ignore[arg-type]


def test_route_groups_by_zip_then_street_odd_side_up_then_even_side_back() -> None:
    leads = [
        lead(1, "102 Main St"), lead(2, "101 Main Street"), lead(3, "7 Oak Ave", "33601"), lead(4, "110 Main St"),
        lead(5, "99 Main St"), lead(6, "5 Zed Ln"), lead(7, "115 main st."), lead(8, "Main St"),
    ]
    runs = plan_route([stop_for(x) for x in leads], centroids={"33601": (27.95, -82.47), "33602": (27.95, -82.46)})
    assert [(r.zip, r.street) for r in runs] == [("33601", "OAK AVE"), ("33602", "MAIN ST"), ("33602", "ZED LN")]
    main = runs[1].stops
    assert [s.number for s in main] == [99, 101, 115, 110, 102, None]
    assert [s.side for s in main] == ["odd", "odd", "odd", "even", "even", ""]


def test_absentee_owner_is_a_drive_by_without_a_hanger() -> None:
    stop = stop_for(lead(1, "9 Elm St", absentee=True, mailing_address="1 Far Rd"), "step 5")
    assert not stop.hanger
    assert stop.note.startswith("Absentee") and "step 5" in stop.note


def test_route_sheet_lists_stops_in_order_with_the_mailbox_rule_and_skips() -> None:
    runs = plan_route([stop_for(lead(1, "102 Main St")), stop_for(lead(2, "101 Main St"))])
    pdf = route_sheet_pdf(runs, [("L009", "Bob Roe", "on the internal do-not-call list")], S, AT)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "18 U.S.C. 1725" in text and "never in or on the mailbox" in text
    assert text.index("101 Main St") < text.index("102 Main St")
    assert "L009" in text and "internal do-not-call" in text
    assert "1725" in MAILBOX_RULE


def test_route_sheet_runs_onto_more_pages() -> None:
    stops = [stop_for(lead(i, f"{i} Long Rd")) for i in range(1, 80)]
    assert len(PdfReader(io.BytesIO(route_sheet_pdf(plan_route(stops), [], S, AT))).pages) >= 2


def test_hangers_two_per_sheet_with_branding() -> None:
    hangers = [hanger_for(lead(i, f"{i} Main St"), S, AT) for i in range(3)]
    assert hangers[0].headline == "Sorry I missed you, Pat!"
    reader = PdfReader(io.BytesIO(door_hangers_pdf(hangers, S, AT)))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert text.count("Gulfview Realty") >= 2 and "License No. SL7001234" in text
    assert "never in your mailbox" in text


def test_hangers_need_the_brokerage() -> None:
    with pytest.raises(BadInput, match="Brokerage"):
        door_hangers_pdf([], agent_settings(("Brokerage", "")), AT)


@pytest.mark.parametrize("phone", ["(813) 555-0142", "+1 813-555-0100", "813 555 0199"])
def test_a_phone_number_is_never_broken_across_lines(phone: str) -> None:
    """The issue: the door hanger's opt-out number broke across lines. wrap() keeps it whole at every width."""
    from relist.channels.printing import font, new_pdf, wrap

    pdf = new_pdf("t", agent_settings(), datetime(2026, 11, 25, tzinfo=ZoneInfo("America/New_York")))
    pdf.add_page()
    font(pdf, 12)
    text = f"Rather not hear from me? Call or text {phone} and I will take you off my list."
    for step in range(30, 80):  # from 1.5 in: a column narrower than the number itself must cut it
        lines = wrap(pdf, text, step / 20)
        whole = [line for line in lines if phone.replace(" ", "\u00a0") in line]
        assert len(whole) == 1, (step, lines)


# Hand-checked: four ZIPs on a small grid (degrees). From the westernmost (A, -82.6) the nearest is C
# (0.1 deg east), then B (0.1 further), then D (0.3 deg north of B). From an office just east of B:
# B first, then C, then A, then D (0.3 deg north, the farthest from A's row).
GRID = {"A0001": (28.0, -82.6), "B0002": (28.0, -82.4), "C0003": (28.0, -82.5), "D0004": (28.3, -82.45)}


def test_drive_order_is_nearest_neighbour_from_the_westernmost_zip() -> None:
    assert drive_order(list(GRID), GRID) == ["A0001", "C0003", "B0002", "D0004"]


def test_drive_order_starts_at_the_office_and_puts_unknown_zips_last() -> None:
    assert drive_order([*GRID, "99999"], GRID, start=(28.0, -82.35)) == ["B0002", "C0003", "A0001", "D0004", "99999"]


def test_route_runs_follow_the_drive_order_from_the_office_zip() -> None:
    grid = {**GRID, "OFFIC": (28.0, -82.35)}
    stops = [stop_for(lead(i, f"{i} Main St", z)) for i, z in enumerate(["A0001", "D0004", "B0002", "C0003"], start=1)]
    assert [r.zip for r in plan_route(stops, centroids=GRID)] == ["A0001", "C0003", "B0002", "D0004"]
    assert [r.zip for r in plan_route(stops, "OFFIC", centroids=grid)] == ["B0002", "C0003", "A0001", "D0004"]


def test_real_zip_centroids_order_three_tampa_bay_cities() -> None:
    # Clearwater 33755 is the westernmost; St. Petersburg 33701 is nearer to it than Tampa 33602.
    c = zip_centroids(["33602", "33701", "33755"])
    assert set(c) == {"33602", "33701", "33755"}
    assert 27.5 < c["33602"][0] < 28.2 and -82.6 < c["33602"][1] < -82.3
    assert drive_order(["33602", "33701", "33755"], c) == ["33755", "33701", "33602"]


def test_office_zip_comes_from_the_postal_address() -> None:
    assert office_zip(agent_settings(("PostalAddress", "100 Bay St, Suite 2, Tampa, FL 33602-1234"))) == "33602"
    assert office_zip(agent_settings(("PostalAddress", "PO Box 5, Tampa, Florida"))) == ""


@pytest.mark.parametrize(
    ("address", "written"),
    [("12 Hill Ct", "Hill Ct"), ("12B N. Oak Ave., Apt 4", "N. Oak Ave"), ("4-6 West Elm Road #2", "West Elm Road"),
     ("77 Sunset Boulevard Unit 9", "Sunset Boulevard"), ("Main St", "Main St")],
)
def test_street_as_written(address: str, written: str) -> None:
    assert street_as_written(address) == written


def test_street_headings_are_written_as_in_the_addresses_not_as_keys() -> None:
    stops = [stop_for(lead(1, "12 Hill Ct")), stop_for(lead(2, "14 Hill Court")), stop_for(lead(3, "16 Hill Ct"))]
    runs = plan_route(stops, centroids={"33602": (27.95, -82.46)})
    assert [(r.street, r.name) for r in runs] == [("HL CT", "Hill Ct")]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(route_sheet_pdf(runs, [], S, AT))).pages)
    assert "Hill Ct" in text and "HL CT" not in text


def test_route_sheet_keeps_every_full_owner_name_and_shows_the_overview(tmp_path: Path) -> None:
    long_names = [
        "Maximiliana Theodora Wojciechowska and Bartholomew Fitzwilliam Featherstonehaugh",
        "The Estate of Konstantinos Papadopoulos-Vanderbilt, Trustee Alexandra Montgomery-Richardson",
        "Sofia Delgado",
    ]
    leads = [Lead(f"L{i:03d}", owner_name=name, property_address=f"{10 + i} Bayshore Boulevard", city="Tampa",
                  state="FL", postal_code=z)
             for i, (name, z) in enumerate(zip(long_names, ["33602", "33701", "33755"], strict=True))]
    runs = plan_route([stop_for(x) for x in leads])
    pdf = route_sheet_pdf(runs, [], S, AT)
    reader = PdfReader(io.BytesIO(pdf))
    path = tmp_path / "route.pdf"
    path.write_bytes(pdf)
    # pdftotext (poppler) reads the owner column as one block: a wrapped name comes out whole
    flat = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    for name in long_names:
        assert name in flat, name
    images = reader.pages[0].images
    assert len(images) == 1 and images[0].image is not None and images[0].image.width > 600
