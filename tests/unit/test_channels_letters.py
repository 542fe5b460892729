"""Letters and labels: who a letter goes to, where the address sits for a #10 window, what is required."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from tests.identity import agent_settings

from relist import schema
from relist.channels.labels import AVERY_5160, labels_pdf
from relist.channels.letters import (
    RECIPIENT_WINDOW,
    RETURN_WINDOW,
    letter_for,
    letters_pdf,
    mailing_block,
    postal_lines,
    usps_line,
)
from relist.errors import BadInput, TemplateError
from relist.model import Lead

AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
S = agent_settings()


def lead(**kw: object) -> Lead:
    base = dict(lead_id="L0001", owner_name="John Smith", owner_first_name="John", property_address="123 Main St",
                city="Tampa", state="FL", postal_code="33602", fields={"DaysOnMarket": 87})
    base.update(kw)
    return Lead(**base)  # type: ignore[arg-type]


ABSENTEE = lead(
    lead_id="L0002", owner_name="Nguyễn Văn An", owner_name2="Jane O'Brien", absentee=True,
    mailing_address="55 Ocean Blvd, Apt 3", mailing_city="Miami", mailing_state="FL", mailing_postal_code="33139",
)


def placed_text(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x inches from left, y inches from top) of every text run on a page."""
    reader = PdfReader(io.BytesIO(pdf))
    p = reader.pages[page]
    height = float(p.mediabox.height)
    out: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            out.append((text.strip(), x / 72, (height - y) / 72))

    p.extract_text(visitor_text=visit)
    return out


def test_owner_at_home_gets_the_property_address() -> None:
    assert mailing_block(lead(unit="4")) == ("JOHN SMITH", "123 MAIN ST #4", "TAMPA FL 33602")


def test_absentee_owner_gets_the_mailing_address_not_the_property() -> None:
    block = mailing_block(ABSENTEE)
    assert block == ("NGUYEN VAN AN", "JANE O'BRIEN", "55 OCEAN BLVD APT 3", "MIAMI FL 33139")
    assert not any("MAIN" in line for line in block)


def test_missing_addresses_are_refused_with_the_columns_to_fill() -> None:
    with pytest.raises(BadInput) as err:
        mailing_block(lead(absentee=True))
    assert "absentee" in err.value.message and "Leads > Mailing address" in err.value.hint
    with pytest.raises(BadInput) as err:
        mailing_block(lead(property_address=""))
    assert "Leads > Address, City" in err.value.hint


def test_usps_line_drops_punctuation_and_accents() -> None:
    assert usps_line("12 Rue de l'Église, Apt. #5") == "12 RUE DE L'EGLISE APT. #5"


def test_address_block_sits_inside_the_window_and_body_below_it() -> None:
    pdf = letters_pdf([letter_for(lead(), S, AT)], S, AT)
    runs = placed_text(pdf)
    w = RECIPIENT_WINDOW
    for line in ("JOHN SMITH", "123 MAIN ST", "TAMPA FL 33602"):
        (x, y) = next((x, y) for t, x, y in runs if t == line and y > RETURN_WINDOW.y + RETURN_WINDOW.h)
        assert w.x <= x < w.x + w.w and w.y <= y <= w.y + w.h, (line, x, y)
    (_, _, greeting_y) = next(r for r in runs if r[0].startswith("Dear John"))
    assert greeting_y > w.y + w.h
    text = " ".join(t for t, _, _ in runs)
    assert "License No. SL7001234" in text and "Gulfview Realty" in text and "Sincerely," in text
    assert "November 25, 2026" in text


def test_merged_pdf_has_one_sheet_per_letter_and_long_letters_continue(tmp_path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "long.txt.j2").write_text("Dear {{ owner_first_name }},\n\n" + ("Word " * 120 + "\n\n") * 8)
    short = [letter_for(lead(lead_id=f"L{i}"), S, AT) for i in range(3)]
    long = letter_for(lead(lead_id="L9"), S, AT, "long", dirs=[tmp_path])
    reader = PdfReader(io.BytesIO(letters_pdf([*short, long], S, AT)))
    assert len(reader.pages) >= 5
    assert "page 2" in reader.pages[4].extract_text()


@pytest.mark.parametrize("blank", ["Brokerage", "LicenseNumber", "AgentName"])
def test_letters_refuse_without_brokerage_license_or_agent(blank: str) -> None:
    s = agent_settings((blank, ""))
    letter = letter_for(lead(), S, AT)
    with pytest.raises(BadInput, match=schema.setting_pointer(blank)):
        letters_pdf([letter], s, AT)


def test_missing_logo_file_is_refused(tmp_path) -> None:
    s = agent_settings(("LogoPath", str(tmp_path / "nope.png")))
    with pytest.raises(BadInput, match="Settings > Logo file"):
        letters_pdf([letter_for(lead(), S, AT)], s, AT)


def test_logo_is_drawn(tmp_path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 60), (31, 78, 120)).save(logo)
    pdf = letters_pdf([letter_for(lead(), S, AT)], agent_settings(("LogoPath", str(logo))), AT)
    assert PdfReader(io.BytesIO(pdf)).pages[0].images


def test_avery_5160_geometry() -> None:
    a = AVERY_5160
    assert a.per_sheet == 30
    assert a.origin(0) == (0.1875, 0.5)
    x, y = a.origin(29)
    assert x + a.width == pytest.approx(8.5 - 0.1875)
    assert y + a.height == pytest.approx(11 - 0.5)
    assert a.origin(30) == a.origin(0)


def test_labels_fill_sheets_and_skip_used_positions() -> None:
    blocks = [mailing_block(lead(owner_name=f"Owner {i}")) for i in range(31)]
    reader = PdfReader(io.BytesIO(labels_pdf(blocks, S, AT)))
    assert len(reader.pages) == 2
    runs = placed_text(labels_pdf(blocks[:1], S, AT, skip=4))
    (_, x, y) = next(r for r in runs if r[0] == "OWNER 0")
    col_x, row_y = AVERY_5160.origin(4)
    assert col_x < x < col_x + AVERY_5160.width and row_y < y < row_y + AVERY_5160.height
    with pytest.raises(BadInput):
        labels_pdf(blocks, S, AT, skip=30)


def test_return_address_puts_the_suite_on_the_street_line() -> None:
    """USPS Publication 28: the secondary unit (STE 200) belongs on the delivery address line, not the city line."""
    assert postal_lines("100 Main St, Suite 200, Tampa, FL 33602") == ("100 MAIN ST STE 200", "TAMPA FL 33602")
    assert postal_lines("9 Bay Rd, Apt. 4B, Miami, FL 33139") == ("9 BAY RD APT 4B", "MIAMI FL 33139")
    assert postal_lines("9 Bay Rd, #12, Miami, FL 33139") == ("9 BAY RD # 12", "MIAMI FL 33139")
    assert postal_lines("PO Box 77, Tampa, FL 33601") == ("PO BOX 77", "TAMPA FL 33601")
    runs = placed_text(letters_pdf([letter_for(lead(), S, AT)], S, AT))
    top = [t for t, x, y in runs if RETURN_WINDOW.y - 0.1 <= y <= RETURN_WINDOW.y + RETURN_WINDOW.h and x < 4]
    assert "250 BAY ST STE 4" in top and "CLEARWATER FL 33755" in top and not any("SUITE" in t for t in top)


def test_the_greeting_names_every_owner_in_the_address_block() -> None:
    two = lead(owner_name="Matthew Lee", owner_first_name="Matthew", owner_name2="Grace Lee")
    letter = letter_for(two, S, AT)
    assert letter.address[:2] == ("MATTHEW LEE", "GRACE LEE")
    assert letter.body.startswith("Dear Matthew and Grace,")
    trust = lead(owner_name="Lee Family Trust", owner_first_name="")
    assert letter_for(trust, S, AT).body.startswith("Dear Homeowner,")


def test_a_template_that_greets_one_of_two_owners_is_refused(tmp_path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "one.txt.j2").write_text("Dear {{ owner_first_name }},\n\nHello.\n\n{{ opt_out }}")
    two = lead(owner_name="Matthew Lee", owner_first_name="Matthew", owner_name2="Grace Lee")
    with pytest.raises(TemplateError, match="addressed to Matthew and Grace"):
        letter_for(two, S, AT, "one", dirs=[tmp_path])


def test_a_template_that_would_print_a_sentence_without_its_number_is_refused(tmp_path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "gap.txt.j2").write_text(
        "Dear {{ salutation }},\n\nAfter {{ days_on_market | default('') }} days on the market...\n\n{{ opt_out }}")
    no_dom = lead(fields={})
    with pytest.raises(TemplateError, match="with no number"):
        letter_for(no_dom, S, AT, "gap", dirs=[tmp_path])
    assert "After 87 days" in letter_for(lead(), S, AT, "gap", dirs=[tmp_path]).body
