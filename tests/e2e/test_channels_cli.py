"""The outreach commands end to end: a real .xlsx workbook, the CLI, PDFs rendered by pdftoppm, a real SMTP server.

Each output is checked for the lead compliance blocks (a Withdrawn listing): it is left out and the
command says why.
"""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
import json
import socket
import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from tests.conftest import require_tool
from tests.identity import agent_workbook

from relist.cli import cli
from relist.compliance.registry_files import load_files
from relist.workbook import open_workbook

pytestmark = pytest.mark.e2e

AT = "2026-11-25T10:00"
DAY = dt.datetime(2026, 11, 25, 10, 0)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def lead_row(i: int, days_ago: int, **kw: Any) -> dict[str, Any]:
    start = DAY - dt.timedelta(days=days_ago)
    row = {"LeadId": f"L{i:04d}", "Status": "New", "ListingStatus": "Expired", "Contactable": True,
           "OwnerName": f"Pat Owner{i}", "OwnerFirstName": "Pat", "OwnerLastName": f"Owner{i}",
           "PropertyAddress": f"{100 + i} Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602",
           "Email": f"pat{i}@example.net", "ExpiredAt": start, "SequenceStart": start.date(), "ListPrice": 400000 + i,
           "DaysOnMarket": 95, "PhotosCount": 11, "BedroomsTotal": 3, "LivingArea": 1700, "YearBuilt": 1988,
           "PriceHistory": "2026-06-01:425000;2026-08-01:410000;2026-09-15:400000"}
    row.update(kw)
    return row


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = agent_workbook(tmp_path / "Relist.xlsx")
    book = open_workbook(path)
    leads = [
        lead_row(1, 2),
        lead_row(2, 4, Absentee=True, MailingAddress="9 Harbor View Rd", MailingCity="Sarasota", MailingState="FL",
                 MailingPostalCode="34236"),
        lead_row(3, 8),
        lead_row(4, 8, ListingStatus="Withdrawn"),
        lead_row(5, 20, AppointmentAt=dt.datetime(2026, 11, 27, 16, 0), CallBackAt=dt.datetime(2026, 11, 26, 17, 30)),
        lead_row(6, 8),
    ]
    book.append_rows("tblLeads", leads)
    book.append_rows("tblPhones", [
        {"PhoneId": f"L{i:04d}-1", "LeadId": f"L{i:04d}", "Position": 1, "Phone": f"+1813555010{i}", "PhoneStatus": "Active",
         "VendorDNC": False, "Kind": "mobile"} for i in range(1, 7)
    ] + [{"PhoneId": "L0001-2", "LeadId": "L0001", "Position": 2, "Phone": "+18135550199", "PhoneStatus": "Active",
          "VendorDNC": False, "Kind": "mobile"}])
    book.save()
    src = tmp_path / "813.txt"
    src.write_text("813,5550199\n")
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    load_files(tmp_path / "Relist.dnc", [src], now, now.date(), downloaded=now.date())
    return path


def rendered(pdf: Path, tmp: Path, page: int = 1) -> float:
    """Share of non-white pixels on a page rendered by pdftoppm (0 means blank)."""
    from PIL import Image

    exe = require_tool("pdftoppm")
    stem = tmp / f"{pdf.stem}-p{page}"
    subprocess.run([exe, "-r", "40", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True, timeout=60)
    with Image.open(f"{stem}.png") as img:
        gray = img.convert("L")
        hist = gray.histogram()
    return 1 - sum(hist[240:]) / sum(hist)


def test_dial_list(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "dial.csv"
    code, stdout, _ = run("export", "dial-list", "--out", str(out), "--workbook", str(workbook), "--at", AT)
    assert code == 0, stdout
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    ids = [r["Lead ID"] for r in rows]
    assert "L0004" not in ids and "L0001" in ids
    assert all(r["Window Closes"] == "2026-11-25 20:00" for r in rows)
    assert "8135550199" not in out.read_text()
    assert "skipped L0004 (Pat Owner4): " in stdout and "Withdrawn" in stdout
    assert "National DNC Registry" in stdout


def test_letters_labels_and_confirm(workbook: Path, tmp_path: Path) -> None:
    out, labels = tmp_path / "letters.pdf", tmp_path / "labels.pdf"
    code, stdout, stderr = run("letters", "--workbook", str(workbook), "--at", AT, "--out", str(out), "--labels", str(labels),
                               "--json")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert "L0004" not in data["letters"] and any(s["lead_id"] == "L0004" and "Withdrawn" in s["reason"] for s in data["skipped"])
    reader = PdfReader(out)
    assert len(reader.pages) == len(data["letters"])
    assert reader.pages[0].mediabox.width == 612 and reader.pages[0].mediabox.height == 792  # US Letter
    assert rendered(out, tmp_path) > 0.01 and rendered(labels, tmp_path) > 0.002
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "SARASOTA FL 34236" in text and "License No. SL7001234" in text
    code, stdout, _ = run("letters", "--workbook", str(workbook), "--at", AT, "--out", str(out), "--confirm")
    assert code == 0 and f"Logged {len(data['letters'])} letter touches" in stdout
    touches = open_workbook(workbook).read_records("tblTouches")
    assert sorted(t["LeadId"] for t in touches if t["Channel"] == "letter" and t["Outcome"] == "sent") == sorted(data["letters"])


def test_letters_refused_without_brokerage(workbook: Path, tmp_path: Path) -> None:
    book = open_workbook(workbook)
    book.update_rows("tblSettings", [{"Setting": "Brokerage", "Value": None}])
    book.save()
    code, _, stderr = run("letters", "--workbook", str(workbook), "--at", AT, "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and stderr.startswith("relist: error: Settings > Brokerage is empty")
    assert not (tmp_path / "x.pdf").exists()


def test_agent_templates_beside_the_workbook_are_used(workbook: Path, tmp_path: Path) -> None:
    code, _, _ = run("templates", "--copy-to", str(workbook.parent / "templates"))
    assert code == 0
    letter = workbook.parent / "templates" / "letters" / "expired-letter.txt.j2"
    letter.write_text("Dear {{ owner_first_name }},\n\nA custom letter about {{ street }}.")
    out = tmp_path / "letters.pdf"
    code, _, _ = run("letters", "--workbook", str(workbook), "--at", AT, "--out", str(out))
    assert code == 0
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "A custom letter about 101 Main St." in text and "I noticed that the listing" not in text


def test_route_and_hangers(workbook: Path, tmp_path: Path) -> None:
    out, hangers = tmp_path / "route.pdf", tmp_path / "hangers.pdf"
    code, stdout, stderr = run("route", "--workbook", str(workbook), "--at", "2026-11-25T15:00", "--out", str(out),
                               "--hangers", str(hangers), "--json")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["route"] == [{"zip": "33602", "street": "MAIN ST", "name": "Main St", "stops": ["L0003", "L0005", "L0006", "L0002"]}]
    assert any(s["lead_id"] == "L0004" for s in data["skipped"])
    assert rendered(out, tmp_path) > 0.005 and rendered(hangers, tmp_path) > 0.01
    assert "never in or on the mailbox" in PdfReader(out).pages[0].extract_text()


def test_marketing_plan(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    code, stdout, _ = run("marketing-plan", "L0003", "--workbook", str(workbook), "--at", AT, "--out", str(out))
    assert code == 0 and str(out) in stdout
    assert rendered(out, tmp_path) > 0.03
    text = PdfReader(out).pages[0].extract_text()
    assert "cut 2 times, from $425,000 to $400,003" in text and "11 photos" in text
    code, _, stderr = run("marketing-plan", "L0004", "--workbook", str(workbook), "--at", AT, "--out", str(tmp_path / "b.pdf"))
    assert code == 2 and "Withdrawn" in stderr and len(stderr.strip().splitlines()) == 1


def test_calendar(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "relist.ics"
    code, stdout, _ = run("calendar", "--workbook", str(workbook), "--at", AT, "--out", str(out))
    assert code == 0 and "1 appointments and 1 call-backs" in stdout
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    events = list(icalendar.Calendar.from_ical(raw).walk("VEVENT"))
    assert {str(e["UID"]).split("-L0005")[0] for e in events} == {"appointment", "call-back"}
    files = sorted((tmp_path / "relist-events").glob("*.ics"))
    assert [f.name for f in files] == ["appointment-L0005-20261127T2100.ics", "call-back-L0005-20261126T2230.ics"]


def test_email_drafts(workbook: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    code, stdout, _ = run("email", "--workbook", str(workbook), "--at", AT, "--drafts", str(drafts))
    assert code == 0 and "Wrote 3 drafts" in stdout
    msg = message_from_bytes((drafts / "L0003.eml").read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and [a.get_filename() for a in msg.iter_attachments()] == ["marketing-plan-103-main-st.pdf"]
    assert "skipped L0004" in stdout
    assert not [t for t in open_workbook(workbook).read_records("tblTouches") if t["Channel"] == "email"]


# ------------------------------------------------------------------ email over a real SMTP server


def _cert(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=2))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    c, k = folder / "cert.pem", folder / "key.pem"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return c, k


class _Inbox:
    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.messages: list[Any] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.mark.parametrize("refuse", [set(), {"pat3@example.net"}], ids=["all-sent", "partial"])
def test_email_send_over_starttls(workbook: Path, tmp_path: Path, refuse: set[str]) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _cert(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert), str(key))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        return AuthResult(success=isinstance(data, LoginPassword) and data.password == b"pw", handled=False)

    inbox = _Inbox(refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                            authenticator=auth, auth_required=True)
    book = open_workbook(workbook)
    book.update_rows("tblSettings", [{"Setting": "Mail server", "Value": "127.0.0.1"}, {"Setting": "Mail server port", "Value": str(port)},
                                     {"Setting": "Mail security", "Value": "starttls"}, {"Setting": "Mail login", "Value": "alex"}])
    book.save()
    env = {"RELIST_SMTP_PASSWORD": "pw", "SSL_CERT_FILE": str(cert)}
    controller.start()
    try:
        code, stdout, stderr = run("email", "--send", "--workbook", str(workbook), "--at", AT,
                                   "--drafts", str(tmp_path / "unsent"), env=env)
    finally:
        controller.stop()
    logged = sorted(t["LeadId"] for t in open_workbook(workbook).read_records("tblTouches")
                    if t["Channel"] == "email" and t["Outcome"] == "sent")
    if not refuse:
        assert code == 0, stderr
        assert logged == ["L0003", "L0005", "L0006"] and len(inbox.messages) == 3
        assert "Sent 3 emails" in stdout
    else:
        assert code == 1
        assert stderr.startswith("relist: error: Partial batch: 1 of 3 emails were not sent and not logged (L0003); 2 sent")
        assert "sent L0006 (logged)" in stdout and "NOT sent L0003" in stdout and "550" in stdout
        assert logged == ["L0005", "L0006"]
        assert [p.name for p in (tmp_path / "unsent").iterdir()] == ["L0003.eml"]
    for msg in inbox.messages:
        assert msg["From"].addresses[0].addr_spec == "jordan@gulfview.example"
        assert "unsubscribe" in msg.get_body(preferencelist=("plain",)).get_content()
        assert [a.get_content_type() for a in msg.iter_attachments()] == ["application/pdf"]
