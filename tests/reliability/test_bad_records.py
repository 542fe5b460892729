"""Bad records never stop a batch: one bad email address skips one lead, the rest are done and reported."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from relist.intake.clean import email as clean_email
from relist.intake.problems import CellError
from relist.workbook import open_workbook
from tests.e2e.test_channels_cli import AT, run
from tests.e2e.test_channels_cli import workbook as channels_workbook  # noqa: F401 - the fixture

pytestmark = pytest.mark.reliability

BAD = ["john..doe@example.com", ".john@example.com", "a@b@x.com", "a@x..com", "josé@x.com"]


@pytest.mark.parametrize("address", BAD)
def test_import_refuses_the_bad_addresses_of_the_issue(address: str) -> None:
    with pytest.raises(CellError, match="not an email address"):
        clean_email(address)


def test_import_keeps_the_lead_without_the_bad_address(tmp_path: Path) -> None:
    from tests.reliability.conftest import HEADER

    book = tmp_path / "Relist.xlsx"
    assert run("init", str(book))[0] == 0
    csv = tmp_path / "e.csv"
    csv.write_text(HEADER + "".join(
        f"X{i},Expired,11/24/2026,Owner {i},(813) 555-01{i:02d},{i} Palm Ave,Tampa,FL,33602,{addr},300000\n"
        for i, addr in enumerate([*BAD, "good@example.com"], start=1)
    ), encoding="utf-8")
    code, out, err = run("import", str(csv), "-w", str(book), "--at", "2026-11-25T07:30")
    assert code == 0, err
    leads = open_workbook(book).read_records("tblLeads")
    assert len(leads) == len(BAD) + 1
    assert [r["Email"] for r in leads] == [None] * len(BAD) + ["good@example.com"]
    assert all("not an email address" in str(r["Extra"]) for r in leads[: len(BAD)])


def test_email_drafts_skip_a_bad_address_and_write_the_rest(channels_workbook: Path, tmp_path: Path) -> None:  # noqa: F811
    book = open_workbook(channels_workbook)
    book.update_rows("tblLeads", [{"LeadId": "L0003", "Email": "john..doe@example.com"}])
    book.save()
    drafts = tmp_path / "drafts"
    code, out, err = run("email", "--workbook", str(channels_workbook), "--at", AT, "--drafts", str(drafts))
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "Wrote 2 drafts" in out and "skipped L0003" in out and "not valid" in out
    assert sorted(p.name for p in drafts.iterdir()) == ["L0005.eml", "L0006.eml"]


def test_email_send_exits_2_when_every_send_fails(channels_workbook: Path) -> None:  # noqa: F811
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    book = open_workbook(channels_workbook)
    book.update_rows("tblSettings", [{"Setting": "Mail server", "Value": "127.0.0.1"}, {"Setting": "Mail server port", "Value": str(port)},
                                     {"Setting": "Mail security", "Value": "none"}, {"Setting": "Mail login", "Value": ""}])
    book.save()
    code, out, err = run("email", "--send", "--workbook", str(channels_workbook), "--at", AT)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "0 sent" in err


def _line_error(code: int, err: str, *words: str) -> None:
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for w in words:
        assert w in err


def test_header_only_csv_utf16_odd_and_bad_note_are_one_line_refusals(tmp_path: Path) -> None:
    from tests.reliability.conftest import HEADER

    book = tmp_path / "Relist.xlsx"
    assert run("init", str(book))[0] == 0
    before = book.read_bytes()
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER)
    code, _, err = run("import", str(header_only), "-w", str(book), "--at", "2026-11-25T07:30")
    _line_error(code, err, "only a header row")
    odd = tmp_path / "utf16.csv"
    odd.write_bytes((HEADER + "X1,Expired\n").encode("utf-16")[:-1])
    code, _, err = run("import", str(odd), "-w", str(book), "--at", "2026-11-25T07:30")
    _line_error(code, err, "UTF-16", "odd number of bytes")
    code, _, err = run("log", "L000001", "--channel", "call", "--outcome", "no-answer", "--note", "bad\udcff\udcfe", "-w", str(book))
    _line_error(code, err, "--note", "not UTF-8")
    code, _, err = run("dnc", "add", "8135550100", "--reason", "x" * 40_000, "-w", str(book))
    _line_error(code, err, "--reason", "32,767")
    assert book.read_bytes() == before
    assert open_workbook(book).read_records("tblImports") == []
