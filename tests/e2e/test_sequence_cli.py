"""relist today / log / undo on a real workbook file, and the Today sheet's links opened in LibreOffice."""

from __future__ import annotations

import json
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from tests.conftest import soffice_convert
from tests.identity import give_identity

from relist.cli import cli
from relist.intake.service import import_files
from relist.workbook import open_workbook

NY = ZoneInfo("America/New_York")
EXPORT = """MLS #,Status,Expiration Date,Owner Name,Phone 1,Phone 2,Property Address,City,State,Zip,Email,List Price
T2001,Expired,11/24/2026,Ana Alvarez,(813) 555-0111,(813) 555-0112,101 Palm Ave,Tampa,FL,33602,ana@example.com,425000
T2002,Expired,11/24/2026,Eve Ellis,(813) 555-0151,,105 Palm Ave,Tampa,FL,33602,eve@example.com,610000
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "Relist.xlsx"
    assert run("init", str(path))[0] == 0
    give_identity(path)
    export = tmp_path / "expireds.csv"
    export.write_text(EXPORT)
    wb = open_workbook(path)
    import_files(wb, [export], at=datetime(2026, 11, 25, 7, 30, tzinfo=NY))
    wb.save()
    dnc = tmp_path / "813.txt"
    dnc.write_text("813,5550151\n")  # Eve's number is on the registry
    code, _, err = run("dnc", "load", str(dnc), "--downloaded", "2026-11-24", "-w", str(path), "--at", "2026-11-25T07:45")
    assert code == 0, err
    return path


def test_today_log_undo_through_the_cli(book: Path) -> None:
    w = ["-w", str(book)]
    code, out, err = run("today", *w, "--at", "2026-11-25T09:00", "--json")
    assert code == 0, err
    q = json.loads(out)
    assert set(q) >= {"calls", "texts", "letters", "doors", "emails", "blocked", "overflow"}
    call = q["calls"][0]
    assert (call["lead_id"], call["step"], call["phone"], call["kind"]) == ("L000001", 1, "+18135550111", "fresh")
    assert call["window"]["text"].endswith("EST") and call["message"]
    eve = [b for b in q["blocked"] if b["lead_id"] == "L000002"]
    assert eve and "National DNC Registry" in eve[0]["reasons"][0]

    code, out, err = run("log", "L000001", "--channel", "call", "--outcome", "no-answer", *w, "--at", "2026-11-25T09:05", "--duration", "30", "--json")
    assert code == 0, err
    logged = json.loads(out)
    assert (logged["touch_id"], logged["step"], logged["next_channel"], logged["duplicate"]) == ("T0000001", 1, "text", False)
    code, out, _ = run("log", "L000001", "--channel", "call", "--outcome", "no-answer", *w, "--at", "2026-11-25T09:05:40")
    assert code == 0 and out.startswith("Not logged twice")

    code, out, err = run("today", *w, "--at", "2026-11-25T09:10")
    assert code == 0, err
    assert "Texts to send (1):" in out and out.strip().splitlines()[-1].startswith("Today 2026-11-25: 0 calls (limit 80, 1 made today), 1 text,")

    code, out, err = run("undo", *w, "--at", "2026-11-25T09:12", "--json")
    assert code == 0, err
    assert json.loads(out)["undone"] == "T0000001"
    wb = open_workbook(book)
    touches = wb.read_records("tblTouches")
    assert [t["TouchId"] for t in touches] == ["T0000001", "T0000002"] and touches[1]["UndoOf"] == "T0000001"
    lead = next(r for r in wb.read_records("tblLeads") if r["LeadId"] == "L000001")
    assert (lead["TouchCount"], lead["Status"], lead["NextStep"]) == (0, "New", 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "L999", "--channel", "call", "--outcome", "no-answer"), "Lead 'L999' is not on the Leads sheet"),
        (("log", "L000001", "--channel", "letter", "--outcome", "voicemail"), "Outcome 'voicemail' is not a letter outcome"),
        (("log", "L000001", "--channel", "call", "--outcome", "call-back"), "call-back needs --follow-up"),
        (("log", "L000001", "--channel", "call", "--outcome", "no-answer", "--at", "yesterday"), "is not an ISO date-time"),
        (("undo", "T0000404"), "There is no touch 'T0000404'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(book: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args, "-w", str(book))
    assert code == 2 and err.startswith("relist: error:") and message in err and len(err.strip().splitlines()) == 1


class _Links(HTMLParser):
    """Hyperlink targets per sheet of LibreOffice's HTML export."""

    def __init__(self) -> None:
        super().__init__()
        self.sheet = ""
        self.in_h1 = False
        self.links: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self.in_h1 = True
        if tag == "a":
            href = dict(attrs).get("href")
            if href and ":" in href and not href.startswith("#"):
                self.links.setdefault(self.sheet, []).append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_h1 and data.strip() and not data.startswith("Sheet"):
            self.sheet = data.strip()


@pytest.mark.e2e
def test_the_today_sheet_opened_in_libreoffice_has_working_links(book: Path, tmp_path: Path) -> None:
    w = ["-w", str(book)]
    assert run("log", "L000001", "--channel", "call", "--outcome", "no-answer", *w, "--at", "2026-11-25T09:05")[0] == 0
    code, _, err = run("today", *w, "--at", "2026-11-25T09:30")
    assert code == 0, err
    html = soffice_convert(book, "html", tmp_path / "html")
    parser = _Links()
    parser.feed(html.read_text(encoding="utf-8", errors="replace"))
    today = parser.links["Today"]
    sms = [h for h in today if h.startswith("sms:")]
    assert "tel:+18135550111" in today
    assert sms and sms[0].startswith("sms:+18135550111?body=") and "STOP" in sms[0]
    assert "mailto:ana@example.com" in parser.links["Leads"]


def test_a_bad_sequence_edit_in_the_file_keeps_the_last_good_plan(book: Path) -> None:
    w = ["-w", str(book)]
    assert run("today", *w, "--at", "2026-11-25T09:00")[0] == 0  # the good plan is kept in the workbook
    wb = open_workbook(book)
    rows = wb.read_records("tblSequence")
    rows[0]["Channel"] = "fax"
    wb.replace_rows("tblSequence", rows)
    wb.save()
    code, out, err = run("today", *w, "--at", "2026-11-25T09:05", "--json")
    assert code == 0, err
    q = json.loads(out)
    assert "row 2 (Step 1): channel 'fax'" in q["warnings"][0]
    assert q["calls"][0]["lead_id"] == "L000001" and q["calls"][0]["step"] == 1
