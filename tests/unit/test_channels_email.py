"""The marketing-plan email: CAN-SPAM parts enforced, honest headers, drafts, and the password's sources."""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.identity import AGENT, agent_settings

from relist import schema
from relist.channels.email import (
    Outgoing,
    SmtpConfig,
    can_spam_problems,
    check_message,
    compose,
    send_batch,
    smtp_config,
    smtp_password,
    subject_problems,
    valid_address,
    write_drafts,
)
from relist.errors import BadInput, ComplianceError, SendError, TemplateError
from relist.model import Lead

AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
S = agent_settings()
PDF = b"%PDF-1.4 plan"
LEAD = Lead("L0001", owner_name="John Smith", owner_first_name="John", email="john@example.net",
            property_address="123 Main St", city="Tampa", state="FL", postal_code="33602")


def test_compose_has_honest_headers_footer_and_attachment() -> None:
    msg = compose(LEAD, S, AT, PDF)
    assert msg["From"].addresses[0].addr_spec == "jordan@gulfview.example"
    assert msg["From"].addresses[0].display_name == "Jordan Ellis"
    assert msg["To"].addresses[0].addr_spec == "john@example.net"
    assert msg["Subject"] == "A marketing plan for 123 Main St from Jordan Ellis, Gulfview Realty"
    assert msg["List-Unsubscribe"] == "<mailto:jordan@gulfview.example?subject=unsubscribe>"
    assert msg["Date"] == "Wed, 25 Nov 2026 09:30:00 -0500"
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Hello John,")
    assert "This email is an advertisement from Jordan Ellis, Gulfview Realty" in body
    assert AGENT["PostalAddress"] in body
    assert "unsubscribe" in body
    (att,) = list(msg.iter_attachments())
    assert att.get_content_type() == "application/pdf"
    assert att.get_filename() == "marketing-plan-123-main-st.pdf"
    assert att.get_content() == PDF
    assert can_spam_problems(msg, S) == []


@pytest.mark.parametrize(
    ("subject", "problem"),
    [("", "empty"), ("Re: your home", "reply"), ("FWD: plan", "reply"), ("URGENT: your listing", "urgent"),
     ("Final notice for 1 Main St", "final notice")],
)
def test_misleading_subjects_are_named(subject: str, problem: str) -> None:
    assert any(problem in p for p in subject_problems(subject))


def test_honest_subject_passes() -> None:
    assert subject_problems("A marketing plan for 123 Main St") == []


def test_template_with_a_fake_reply_subject_is_refused(tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "sneaky.txt.j2").write_text("Subject: Re: {{ street }}\n\nHi.")
    with pytest.raises(ComplianceError, match="pretends to be a reply"):
        compose(LEAD, S, AT, PDF, "sneaky", dirs=[tmp_path])


def test_template_without_subject_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "nosubj.txt.j2").write_text("Hello {{ owner_first_name }}")
    with pytest.raises(TemplateError, match="Subject"):
        compose(LEAD, S, AT, PDF, "nosubj", dirs=[tmp_path])


@pytest.mark.parametrize("blank", ["PostalAddress", "Email", "Brokerage"])
def test_required_settings_are_refused_by_name(blank: str) -> None:
    with pytest.raises(BadInput, match=schema.setting_pointer(blank)):
        compose(LEAD, agent_settings((blank, "")), AT, PDF)


def test_lead_without_email_is_refused() -> None:
    bad = Lead("L0002", email="not-an-email")
    with pytest.raises(BadInput, match="L0002"):
        compose(bad, S, AT, PDF)


def test_check_message_names_every_missing_part() -> None:
    msg = EmailMessage()
    msg["From"] = "someone@else.com"
    msg["Subject"] = "Re: hi"
    msg.set_content("Buy now")
    with pytest.raises(ComplianceError) as err:
        check_message(msg, S)
    text = err.value.message
    for part in ("not yours", "reply", "advertisement", "postal address", "opt-out", "brokerage"):
        assert part in text, part


def test_valid_address() -> None:
    assert valid_address("a@b.co")
    for bad in ("", "a@b", "@b.co", "a b@c.co", "a@@b.co", "a@.co"):
        assert not valid_address(bad), bad


def test_drafts_are_eml_files_marked_unsent(tmp_path: Path) -> None:
    msg = compose(LEAD, S, AT, PDF)
    (path,) = write_drafts([Outgoing("L0001", msg)], tmp_path / "drafts")
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert path.name == "L0001.eml"
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"] == msg["Subject"]
    assert "X-Unsent" not in msg  # the composed message itself is untouched
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["marketing-plan-123-main-st.pdf"]


def test_smtp_config_none_without_host() -> None:
    assert smtp_config(S) is None
    cfg = smtp_config(agent_settings(("SmtpHost", "smtp.example.com"), ("SmtpPort", "465"), ("SmtpSecurity", "tls"),
                                  ("SmtpUser", "alex")))
    assert cfg == SmtpConfig("smtp.example.com", 465, "tls", "alex")


def test_password_from_env_else_keyring_else_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert smtp_password("alex", {"RELIST_SMTP_PASSWORD": "s3cret"}) == "s3cret"
    import keyring

    monkeypatch.setattr(keyring, "get_password", lambda service, user: "from-keyring" if (service, user) == ("relist-smtp", "alex") else None)
    assert smtp_password("alex", {}) == "from-keyring"
    with pytest.raises(SendError) as err:
        smtp_password("bob", {})
    assert "keyring set relist-smtp bob" in err.value.hint and "RELIST_SMTP_PASSWORD" in err.value.hint


def test_plaintext_login_over_the_network_is_refused() -> None:
    msg = compose(LEAD, S, AT, PDF)
    with pytest.raises(SendError, match="unencrypted"):
        send_batch([Outgoing("L0001", msg)], SmtpConfig("smtp.example.com", 25, "none", "alex"), "pw")
