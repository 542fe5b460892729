"""The marketing-plan email: composed with the CAN-SPAM parts, sent over SMTP or written as .eml drafts.

CAN-SPAM (shared/reference/compliance.md): honest headers and subject, the
message identified as an advertisement, a valid postal address and a working
opt-out. `check_message` refuses a message missing any of them, whatever the
template says. The SMTP password never lives in the workbook: it comes from
RELIST_SMTP_PASSWORD or the OS keyring (service "relist-smtp", the user name).
"""

from __future__ import annotations

import copy
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from relist.channels.templates import merge_fields, render
from relist.errors import BadInput, ComplianceError, SendError, TemplateError
from relist.model import Lead
from relist.settings import Settings

KEYRING_SERVICE = "relist-smtp"
PASSWORD_ENV = "RELIST_SMTP_PASSWORD"
EMAIL_SETTINGS = ("AgentName", "Brokerage", "PostalAddress", "Email")

MISLEADING_SUBJECT = (
    "urgent", "final notice", "action required", "invoice", "payment due", "past due", "you have won",
    "you've won", "winner", "account suspended", "verify your account", "offer accepted",
)
"""Subject words that claim a relationship or urgency a cold marketing email does not have."""

POLICY = policy.default.clone(max_line_length=998)
"""RFC 5322's hard line limit: long subjects stay on one line (Python's folding of them parses back with a leading space)."""

_REPLY_PREFIX = re.compile(r"^\s*(re|fw|fwd|aw|tr)\s*:", re.IGNORECASE)


def valid_address(addr: str) -> bool:
    """A bare address mail servers take: email-validator's syntax check, ASCII local part, no DNS."""
    from email_validator import EmailNotValidError, validate_email

    s = addr.strip()
    if not s or any(ch.isspace() for ch in s):
        return False
    try:
        validate_email(s, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return False
    return True


def split_template(text: str, path: str) -> tuple[str, str]:
    """An email template's 'Subject: ...' first line and its body."""
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise TemplateError(
            f"Email template {path} must start with a 'Subject: ...' line.", "Put the subject on the first line."
        )
    return first.split(":", 1)[1].strip(), body.strip()


def subject_problems(subject: str) -> list[str]:
    """Why a subject would mislead (CAN-SPAM: no deceptive subject lines); empty when honest."""
    problems: list[str] = []
    if not subject.strip():
        problems.append("the subject is empty")
    if _REPLY_PREFIX.match(subject):
        problems.append(f"the subject {subject!r} pretends to be a reply or forward")
    low = subject.lower()
    problems += [f"the subject says {w!r}, which a cold marketing email must not claim" for w in MISLEADING_SUBJECT if w in low]
    return problems


def footer(settings: Settings, street: str) -> str:
    """The CAN-SPAM footer: advertisement notice, sender, postal address, opt-out, and the listed-elsewhere note."""
    about = f" about your property at {street}" if street else ""
    return "\n".join(
        [
            f"This email is an advertisement from {settings.agent_name}, {settings.brokerage}{about}.",
            " | ".join(x for x in (settings.agent_name, settings.brokerage, f"License No. {settings.license_number}" if settings.license_number else "") if x),
            settings.postal_address,
            f'To stop getting emails from me, reply with the word "unsubscribe" or write to {settings.email} '
            'with "unsubscribe" in the subject, and I will take you off my list.',
            "If your home is listed with another broker right now, please disregard this email.",
        ]
    )


def attachment_name(lead: Lead) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", lead.property_address.lower()).strip("-") or lead.lead_id.lower()
    return f"marketing-plan-{slug}.pdf"


def compose(
    lead: Lead,
    settings: Settings,
    at: datetime,
    attachment: bytes,
    template: str = "",
    *,
    dirs: Sequence[Path | str] = (),
) -> EmailMessage:
    """The email for one lead with the plan attached; refused when a CAN-SPAM part or the address is missing."""
    settings.require(*EMAIL_SETTINGS)
    if not valid_address(settings.email):
        raise BadInput(f"Settings > Email {settings.email!r} is not an email address.", "Write it like alex@example.com.")
    to = lead.email.strip()
    if not valid_address(to):
        raise BadInput(
            f"Lead {lead.lead_id} has {'no email address' if not to else f'the email {to!r}, which is not valid'}.",
            "Fix Leads > Email.",
        )
    name = template.strip() or "marketing-plan"
    text = render("emails", name, merge_fields(lead, settings, "emails", at), lead_id=lead.lead_id, dirs=dirs)
    subject, body = split_template(text, f"emails/{name}")
    msg = EmailMessage(policy=POLICY)
    sender = Address(display_name=settings.agent_name, addr_spec=settings.email)
    msg["From"] = sender
    msg["To"] = Address(display_name=lead.owner_name.strip(), addr_spec=to)
    msg["Reply-To"] = sender
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = make_msgid(domain=settings.email.split("@")[1])
    msg["List-Unsubscribe"] = f"<mailto:{settings.email}?subject=unsubscribe>"
    msg["X-Relist-Lead"] = lead.lead_id
    msg.set_content(f"{body}\n\n-- \n{footer(settings, lead.property_address.strip())}\n")
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=attachment_name(lead))
    check_message(msg, settings)
    return msg


def _plain_body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


def can_spam_problems(msg: EmailMessage, settings: Settings) -> list[str]:
    """What a message lacks under CAN-SPAM and license law; empty when it may go out."""
    problems: list[str] = []
    _, sender = parseaddr(str(msg.get("From", "")))
    if sender.lower() != settings.email.strip().lower() or not sender:
        problems.append(f"the From address {sender!r} is not yours (Settings > Email)")
    problems += subject_problems(str(msg.get("Subject", "")))
    body = _plain_body(msg)
    low = " ".join(body.lower().split())
    if "advertisement" not in low:
        problems.append("it is not identified as an advertisement")
    postal = " ".join(settings.postal_address.lower().split())
    if not postal or postal not in low:
        problems.append("it has no valid postal address (Settings > Postal address)")
    if "unsubscribe" not in low or not msg.get("List-Unsubscribe"):
        problems.append("it has no working opt-out")
    if not settings.brokerage.strip() or settings.brokerage.lower() not in low:
        problems.append("it does not name your brokerage (Settings > Brokerage)")
    return problems


def check_message(msg: EmailMessage, settings: Settings) -> None:
    """Refuse a message missing a CAN-SPAM part, naming every one missing."""
    problems = can_spam_problems(msg, settings)
    if problems:
        raise ComplianceError(
            f"Email to {msg.get('To')} refused: {'; '.join(problems)}.",
            "Fix the email template or Settings; CAN-SPAM requires these parts.",
        )


# ------------------------------------------------------------------ SMTP


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send; the password is looked up separately, never stored here."""

    host: str
    port: int = 587
    security: str = "starttls"  # starttls, tls, none
    user: str = ""
    timeout: float = 30.0
    cafile: str | None = None


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """The SMTP settings, or None when Settings > Mail server is blank (write drafts instead)."""
    host = settings.smtp_host.strip()
    if not host:
        return None
    return SmtpConfig(host, settings.smtp_port, settings.smtp_security, settings.smtp_user.strip())


def smtp_password(user: str, env: Mapping[str, str] | None = None) -> str:
    """The SMTP password from RELIST_SMTP_PASSWORD, else the OS keyring; refused when neither has it."""
    env = os.environ if env is None else env
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            found = keyring.get_password(KEYRING_SERVICE, user)
        except KeyringError:
            found = None
    except ImportError:
        found = None
    if found:
        return found
    raise SendError(
        f"No password for the mail login {user!r}.",
        f"Store it with: python -m keyring set {KEYRING_SERVICE} {user}  (or set {PASSWORD_ENV}); never in the workbook.",
    )


_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Outgoing:
    """One composed email and the lead it is for."""

    lead_id: str
    message: EmailMessage


@dataclass
class SendReport:
    """Which emails went out and which did not, with why."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.sent) and bool(self.failed)


def _refusal(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"the server refused {a}: {c} {m.decode(errors='replace') if isinstance(m, bytes) else m}" for a, (c, m) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"the server answered {exc.smtp_code} {msg}"
    return str(exc) or type(exc).__name__


class _ConnectFailed(Exception):
    """The session could not be opened; the message says at which stage and why."""


def _connect(config: SmtpConfig, password: str | None) -> smtplib.SMTP:
    """An open, encrypted (unless security is none) and logged-in SMTP session."""
    if config.security == "none" and config.user and config.host not in _LOOPBACK:
        raise SendError(
            f"Settings > Mail security is none, so the password for {config.user} would cross the network unencrypted.",
            "Use starttls (port 587) or tls (port 465).",
        )
    context = ssl.create_default_context(cafile=config.cafile)
    where = f"the mail server {config.host}:{config.port} ({config.security})"
    stage = "reach"
    server: smtplib.SMTP | None = None
    try:
        if config.security == "tls":
            server = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.security == "starttls":
                stage = "start TLS with"
                server.ehlo()
                server.starttls(context=context)  # raises when not offered: never fall back to clear text
                server.ehlo()
        if config.user:
            stage = "log in to"
            server.login(config.user, password or "")
    except smtplib.SMTPAuthenticationError as exc:
        _close(server)
        raise _ConnectFailed(f"{where} refused the login for {config.user}: {_refusal(exc)}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        _close(server)
        what = _refusal(exc) if isinstance(exc, smtplib.SMTPException) else str(exc) or type(exc).__name__
        raise _ConnectFailed(f"could not {stage} {where}: {what}") from exc
    return server


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def send_batch(
    outgoing: Sequence[Outgoing],
    config: SmtpConfig,
    password: str | None,
    on_sent: Callable[[Outgoing], None] | None = None,
) -> SendReport:
    """Send each email on one connection; `on_sent` runs right after each accepted message (to log the touch)."""
    report = SendReport()
    if not outgoing:
        return report
    try:
        server = _connect(config, password)
    except _ConnectFailed as exc:
        report.failed = [(o.lead_id, str(exc)) for o in outgoing]
        return report
    try:
        for i, item in enumerate(outgoing):
            try:
                server.send_message(item.message)
            except smtplib.SMTPServerDisconnected as exc:
                why = f"the mail server closed the connection ({exc or 'disconnected'})"
                report.failed += [(o.lead_id, why) for o in outgoing[i:]]
                break
            except smtplib.SMTPException as exc:
                report.failed.append((item.lead_id, _refusal(exc)))
                continue
            except OSError as exc:
                why = f"the connection to the mail server failed ({exc})"
                report.failed += [(o.lead_id, why) for o in outgoing[i:]]
                break
            report.sent.append(item.lead_id)
            if on_sent is not None:
                on_sent(item)
    finally:
        _close(server)
    return report


def as_draft(msg: EmailMessage) -> bytes:
    """The message as an .eml draft: X-Unsent makes Outlook open it ready to send; other clients open it too."""
    draft = copy.deepcopy(msg)
    draft["X-Unsent"] = "1"
    return draft.as_bytes()


def write_drafts(outgoing: Sequence[Outgoing], folder: Path) -> list[Path]:
    """One .eml per email in `folder` (created), named by lead id."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for item in outgoing:
        path = folder / f"{item.lead_id}.eml"
        path.write_bytes(as_draft(item.message))
        paths.append(path)
    return paths
