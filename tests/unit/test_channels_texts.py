"""Texts: SMS segment counting (GSM-7 / UCS-2), sms: links, and refusals that name what is missing."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.identity import agent_settings

from relist.channels.texts import (
    GSM_BASIC,
    GSM_EXTENSION,
    non_gsm_characters,
    render_text,
    sms_link,
    sms_segments,
    text_message,
)
from relist.errors import TemplateError
from relist.model import Lead


def lead(**kw: object) -> Lead:
    base = dict(lead_id="L0007", owner_name="Dana Reyes", owner_first_name="Dana", property_address="418 Palm Ave",
                city="Tampa", state="FL", postal_code="33602")
    base.update(kw)
    return Lead(**base)  # type: ignore[arg-type]


SETTINGS = agent_settings()


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 162, 2),
        ("é" * 160, "GSM-7", 160, 1),  # é is in the basic GSM alphabet
        ("ê" * 70, "UCS-2", 70, 1),  # ê is not
        ("ê" * 71, "UCS-2", 71, 2),
        ("ê" * 134, "UCS-2", 134, 2),
        ("ê" * 135, "UCS-2", 135, 3),
        ("\u201cquoted\u201d", "UCS-2", 8, 1),  # curly quotes force UCS-2
        ("😀" * 35, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, "UCS-2", 72, 2),
    ],
)
def test_segment_counts(text: str, encoding: str, units: int, segments: int) -> None:
    got = sms_segments(text)
    assert (got.encoding, got.units, got.segments) == (encoding, units, segments)


def test_escape_pair_is_not_split_across_segments() -> None:
    # 152 plain septets then '€' (2 septets) = 154 > 153: the pair moves to segment 2 whole.
    text = "a" * 152 + "€" + "a" * 10
    got = sms_segments(text)
    assert got.units == 164
    assert got.segments == 2
    # 153 septets exactly in the first part then a pair would need a third part only past 306
    assert sms_segments("a" * 305 + "€").segments == 3


def test_surrogate_pair_is_not_split() -> None:
    text = "ê" * 66 + "😀" + "ê" * 5  # 66 + 2 = 68 > 67: the emoji starts segment 2
    assert sms_segments(text).segments == 2
    assert sms_segments("ê" * 133 + "😀").segments == 3


@given(st.text(alphabet=sorted(GSM_BASIC), max_size=700))
def test_plain_gsm_matches_the_160_153_rule(text: str) -> None:
    n = len(text)
    expected = 0 if n == 0 else 1 if n <= 160 else -(-n // 153)
    got = sms_segments(text)
    assert got.encoding == "GSM-7"
    assert got.segments == expected


@given(st.text(alphabet=sorted(GSM_BASIC | GSM_EXTENSION), min_size=1, max_size=400))
def test_gsm_septets_count_extension_double(text: str) -> None:
    got = sms_segments(text)
    assert got.units == len(text) + sum(ch in GSM_EXTENSION for ch in text)
    assert got.segments * got.per_segment >= got.units


def test_non_gsm_characters_are_named() -> None:
    assert non_gsm_characters("It\u2019s ok \U0001f600 ok") == ["\u2019", "\U0001f600"]


def test_sms_link_is_rfc5724_with_encoded_body() -> None:
    body = "Hi Dana & co, 50% off? Reply STOP to opt out."
    link = sms_link("+1 (813) 555-0100", body)
    parts = urlsplit(link)
    assert parts.scheme == "sms"
    assert parts.path == "+18135550100"
    assert parse_qs(parts.query)["body"] == [body]
    assert " " not in link and unquote(link).endswith(body)


def test_render_text_fills_merge_fields_and_keeps_opt_out() -> None:
    text = render_text("first-text", lead(), SETTINGS)
    assert "Dana" in text and "418 Palm Ave" in text
    assert "Jordan Ellis" in text and "Gulfview Realty" in text
    assert text.endswith("Reply STOP to opt out.")
    assert sms_segments(text).segments == 1


def test_missing_owner_first_name_is_refused_by_name() -> None:
    with pytest.raises(TemplateError) as err:
        render_text("first-text", lead(owner_first_name=""), SETTINGS)
    msg = err.value.one_line()
    assert "owner_first_name" in msg
    assert "Leads > First name" in msg
    assert "L0007" in msg


def test_blank_agent_name_is_refused_naming_the_setting() -> None:
    blank = agent_settings(("AgentName", ""))
    with pytest.raises(TemplateError, match="Settings > Your name"):
        render_text("first-text", lead(), blank)


def test_template_without_opt_out_is_refused(tmp_path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "bare.txt.j2").write_text("Hi {{ owner_first_name }}, {{ agent_name }} with {{ brokerage }}.")
    with pytest.raises(TemplateError, match="opt-out"):
        render_text("bare", lead(), SETTINGS, dirs=[tmp_path])


def test_template_without_brokerage_is_refused(tmp_path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "nobroker.txt.j2").write_text("Hi {{ owner_first_name }}, it's {{ agent_name }}. {{ opt_out }}")
    with pytest.raises(TemplateError, match="brokerage"):
        render_text("nobroker", lead(), SETTINGS, dirs=[tmp_path])


def test_text_message_has_link_and_segments() -> None:
    msg = text_message(lead(), SETTINGS, "+18135550100", "follow-up-text")
    assert msg.link.startswith("sms:+18135550100?body=")
    assert msg.segments.segments >= 1
    assert parse_qs(urlsplit(msg.link).query)["body"] == [msg.body]
