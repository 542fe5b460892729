"""Email through a real SMTP server on loopback (aiosmtpd) with STARTTLS and login, parsed back with the stdlib.

The certificate is self-signed, made here with `cryptography` for 127.0.0.1; the client
trusts it through SmtpConfig.cafile, so certificate checking stays on.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import warnings
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402
from tests.identity import give_identity

from relist.channels import service
from relist.channels.email import SmtpConfig
from relist.compliance.registry_files import load_files
from relist.workbook.memory import MemoryWorkbook

NY = ZoneInfo("America/New_York")
AT = dt.datetime(2026, 11, 25, 10, 0, tzinfo=NY)
USER, PASSWORD = "alex", "correct horse"


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=2))  # OpenSSL checks the real clock; the clock matrix moves ours
        .not_valid_after(now + dt.timedelta(days=3))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it accepts and refuses the recipients it is told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.tls_seen: list[bool] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.tls_seen.append(session.ssl is not None)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def start(inbox: Inbox, cert: tuple[Path, Path] | None, implicit_tls: bool = False) -> tuple[Controller, int]:
    port = free_port()
    kwargs: dict[str, Any] = {}
    if cert is not None:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(cert[0]), str(cert[1]))
        if implicit_tls:  # aiosmtpd cannot tell an implicit-TLS session is encrypted, so it must not insist
            kwargs.update(ssl_context=ctx, auth_require_tls=False)
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
        else:
            kwargs.update(tls_context=ctx, require_starttls=True)
        kwargs.update(authenticator=authenticator, auth_required=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, port


@pytest.fixture
def server(cert: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = start(inbox, cert)
    try:
        yield inbox, port
    finally:
        controller.stop()


def lead_row(i: int, days_ago: int, **kw: Any) -> dict[str, Any]:
    start_ = (AT - dt.timedelta(days=days_ago)).replace(tzinfo=None)
    row = {"LeadId": f"L{i:04d}", "Status": "New", "ListingStatus": "Expired", "Contactable": True,
           "OwnerName": f"Pat Owner{i}", "OwnerFirstName": "Pat", "PropertyAddress": f"{100 + i} Main St", "City": "Tampa",
           "State": "FL", "PostalCode": "33602", "Email": f"pat{i}@example.net", "ExpiredAt": start_,
           "SequenceStart": start_.date(), "ListPrice": 400000, "PhotosCount": 12}
    row.update(kw)
    return row


@pytest.fixture
def book(tmp_path: Path) -> MemoryWorkbook:
    leads = [lead_row(1, 8), lead_row(2, 8), lead_row(3, 8, ListingStatus="Pending"), lead_row(4, 2)]
    b = give_identity(MemoryWorkbook({"tblLeads": leads}), save=False)
    b.path = tmp_path / "book.xlsx"  # type: ignore[attr-defined]
    src = tmp_path / "813.txt"
    src.write_text("813,5550199\n")
    load_files(tmp_path / "book.dnc", [src], AT, AT.date(), downloaded=AT.date())
    return b


def config(port: int, cert: tuple[Path, Path], security: str = "starttls") -> SmtpConfig:
    return SmtpConfig("127.0.0.1", port, security, USER, timeout=10, cafile=str(cert[0]))


def email_touches(book: MemoryWorkbook) -> list[tuple[str, str]]:
    return [(t["LeadId"], t["Outcome"]) for t in book.read_records("tblTouches") if t["Channel"] == "email"]


def test_send_over_starttls_with_login_logs_each_sent_email(book: MemoryWorkbook, server: tuple[Inbox, int],
                                                            cert: tuple[Path, Path]) -> None:
    inbox, port = server
    batch = service.prepare_emails(book, AT)
    assert sorted(o.lead_id for o in batch.outgoing) == ["L0001", "L0002"]
    assert "Pending" in next(s.reason for s in batch.skipped if s.lead_id == "L0003")
    report = service.send_emails(book, batch, AT, config=config(port, cert), password=PASSWORD)
    assert sorted(report.sent) == ["L0001", "L0002"] and report.failed == []
    assert inbox.tls_seen == [True, True]
    assert sorted(email_touches(book)) == [("L0001", "sent"), ("L0002", "sent")]
    by_to = {m["To"].addresses[0].addr_spec: m for m in inbox.messages}
    msg = by_to["pat1@example.net"]
    # headers honest
    assert msg["From"].addresses[0].addr_spec == "jordan@gulfview.example"
    assert msg["Reply-To"].addresses[0].addr_spec == "jordan@gulfview.example"
    assert msg["Subject"] == "A marketing plan for 101 Main St from Jordan Ellis, Gulfview Realty"
    assert not msg["Subject"].lower().startswith(("re:", "fw"))
    assert msg["List-Unsubscribe"] == "<mailto:jordan@gulfview.example?subject=unsubscribe>"
    assert inbox.envelopes[0][0] == "jordan@gulfview.example"
    # opt-out, advertisement notice, postal address
    body = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "unsubscribe" in body and "advertisement" in body and "250 Bay St, Suite 4, Clearwater, FL 33755" in body
    # the attachment
    (att,) = list(msg.iter_attachments())
    assert att.get_content_type() == "application/pdf"
    assert att.get_filename() == "marketing-plan-101-main-st.pdf"
    assert att.get_content().startswith(b"%PDF")


def test_partial_batch_reports_which_were_sent_and_logs_only_those(book: MemoryWorkbook, server: tuple[Inbox, int],
                                                                   cert: tuple[Path, Path]) -> None:
    inbox, port = server
    inbox.refuse.add("pat2@example.net")
    batch = service.prepare_emails(book, AT)
    report = service.send_emails(book, batch, AT, config=config(port, cert), password=PASSWORD)
    assert report.sent == ["L0001"] and report.partial
    (lead_id, why), = report.failed
    assert lead_id == "L0002" and "550" in why and "pat2@example.net" in why
    assert email_touches(book) == [("L0001", "sent")]


def test_wrong_password_sends_nothing_and_logs_nothing(book: MemoryWorkbook, server: tuple[Inbox, int],
                                                       cert: tuple[Path, Path]) -> None:
    inbox, port = server
    report = service.send_emails(book, service.prepare_emails(book, AT), AT, config=config(port, cert), password="wrong")
    assert report.sent == [] and len(report.failed) == 2
    assert all("refused the login for alex" in why and "535" in why for _, why in report.failed)
    assert inbox.messages == [] and email_touches(book) == []


def test_server_without_starttls_is_never_used_in_clear_text(book: MemoryWorkbook, cert: tuple[Path, Path]) -> None:
    inbox = Inbox()
    controller, port = start(inbox, None)
    try:
        report = service.send_emails(book, service.prepare_emails(book, AT), AT, config=config(port, cert), password=PASSWORD)
    finally:
        controller.stop()
    assert report.sent == [] and all("could not start TLS" in why and "STARTTLS" in why for _, why in report.failed)
    assert inbox.messages == [] and email_touches(book) == []


def test_untrusted_certificate_is_refused(book: MemoryWorkbook, server: tuple[Inbox, int], cert: tuple[Path, Path]) -> None:
    inbox, port = server
    cfg = SmtpConfig("127.0.0.1", port, "starttls", USER, timeout=10)  # system CAs only
    report = service.send_emails(book, service.prepare_emails(book, AT), AT, config=cfg, password=PASSWORD)
    assert report.sent == [] and all("CERTIFICATE_VERIFY_FAILED" in why for _, why in report.failed)
    assert email_touches(book) == []


def test_nothing_listening_says_so(book: MemoryWorkbook, cert: tuple[Path, Path]) -> None:
    report = service.send_emails(book, service.prepare_emails(book, AT), AT, config=config(free_port(), cert), password=PASSWORD)
    assert report.sent == [] and all("could not reach the mail server 127.0.0.1" in why for _, why in report.failed)


def test_implicit_tls_port(book: MemoryWorkbook, cert: tuple[Path, Path]) -> None:
    inbox = Inbox()
    controller, port = start(inbox, cert, implicit_tls=True)
    try:
        report = service.send_emails(book, service.prepare_emails(book, AT), AT, config=config(port, cert, "tls"),
                                     password=PASSWORD)
    finally:
        controller.stop()
    assert sorted(report.sent) == ["L0001", "L0002"]  # SMTP_SSL could only talk to it through TLS
    assert len(inbox.messages) == 2
