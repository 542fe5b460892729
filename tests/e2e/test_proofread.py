"""One proofreading pass over what an agent reads, for a few hundred generated leads.

A day is run through the CLI (import, today, a few logged touches, ROI, the Dashboard,
letters and the route), every sheet is recalculated and exported by LibreOffice, every
PDF goes through pdftotext; then the text is proofread the way a person would: no
template code, no field name (headers and 'Sheet > Column' pointers use the header's words), no '1 touches', no text
cut inside a cell of Today, and no number that one surface says differently from another.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from tests.conftest import require_tool, soffice_convert
from tests.identity import give_identity

from relist import sample_data, schema
from relist.cli import cli
from relist.demo_steps import _registry_file
from relist.roi.model import RoiInputs, compute
from relist.roi.text import format_value
from relist.workbook import open_workbook
from relist.workbook.writer import LINE_PT, wrapped_lines

pytestmark = pytest.mark.e2e

AT = "2026-11-25T10:15"
LEADS = 300
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"  # values as shown

TEMPLATE_CODE = re.compile(r"\{\{|\}\}|\{%|%\}")
PLURALS = ("touches", "days", "appointments", "calls", "texts", "letters", "leads", "dials", "contacts", "listings",
           "closings", "emails", "rows", "numbers", "events", "hours", "weeks", "months", "duplicates", "reasons",
           "door knocks", "minutes", "replies", "stops", "homes", "owners", "phones")
ONE_PLURAL = re.compile(r"(?<![\d.,$])\b1 (?:[a-z-]+ )?(?:" + "|".join(PLURALS) + r")\b")
FIELDS = sorted({c.name for t in schema.TABLE_SHEETS for c in t.columns if re.search(r"[a-z][A-Z]", c.name)}, key=len, reverse=True)
SETTING_KEYS = {s.name for s in schema.SETTINGS_ROWS if s.shown != s.name}
SETTING_POINTER = re.compile(r"Settings > ([A-Z][A-Za-z]*)")


def proofread(where: str, text: str) -> list[str]:
    """What a proofreader would circle in `text`."""
    found = []
    if TEMPLATE_CODE.search(text):
        found.append(f"{where}: template code: {TEMPLATE_CODE.search(text).group(0)!r}")  # type: ignore[union-attr]
    for m in ONE_PLURAL.finditer(text):
        found.append(f"{where}: {m.group(0)!r}")
    for name in FIELDS:  # a pointer says where to look in the header's words too: 'Leads > First name'
        for m in re.finditer(rf"\b{name}\b", text):
            found.append(f"{where}: field name {name!r} in {text[max(0, m.start() - 40) : m.end() + 20]!r}")
            break
    for m in SETTING_POINTER.finditer(text):  # 'Settings > Your name', never 'Settings > AgentName'
        if m.group(1) in SETTING_KEYS:
            found.append(f"{where}: setting name {m.group(1)!r} in {text[max(0, m.start() - 40) : m.end() + 20]!r}")
    return found


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    require_tool("soffice")
    base = tmp_path_factory.mktemp("proof")
    book = base / "Relist.xlsx"
    runner = CliRunner()
    said: dict[str, str] = {}

    def run(name: str, *args: str) -> str:
        res = runner.invoke(cli, list(args))
        assert res.exit_code == 0, (name, res.output)
        said[name] = res.output
        return res.output

    run("init", "init", str(book))
    give_identity(book)
    rows = sample_data.expired_export(LEADS, 7, datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("America/New_York")))
    export = sample_data.write_csv(rows, base / "expireds.csv")
    registry = _registry_file(rows, base / "dnc-registry.txt")
    run("dnc", "dnc", "load", str(registry), "--downloaded", "2026-11-24", "--workbook", str(book), "--at", AT)
    run("import", "import", str(export), "--workbook", str(book), "--at", AT)
    queue = json.loads(run("today-json", "today", "--workbook", str(book), "--at", AT, "--json"))
    run("today", "today", "--workbook", str(book), "--at", AT)
    for i, call in enumerate(queue["calls"][:4]):
        outcome = ("no-answer", "voicemail", "appointment", "not-interested")[i]
        extra = ["--follow-up", "2026-11-27T16:00"] if outcome == "appointment" else []
        run(f"log{i}", "log", call["lead_id"], "--channel", "call", "--outcome", outcome, *extra, "--workbook", str(book),
            "--at", f"2026-11-25T10:{20 + i}")
    run("undo", "undo", "--workbook", str(book), "--at", "2026-11-25T10:30")
    run("today-after", "today", "--workbook", str(book), "--at", "2026-11-25T10:31")
    run("roi", "roi")
    run("roi-workbook", "roi", "--from-workbook", "--workbook", str(book), "--at", "2026-11-25T10:32")
    run("letters", "letters", "--workbook", str(book), "--at", "2026-11-27T10:00", "--out", str(base / "letters.pdf"))
    run("route", "route", "--workbook", str(book), "--at", "2026-11-29T16:00", "--out", str(base / "route.pdf"))
    sheets = base / "csv"
    soffice_convert(book, CSV_ALL_SHEETS, sheets)
    return {"base": base, "book": book, "said": said, "queue": queue, "sheets": sheets}


def _sheet(day: dict[str, object], name: str) -> list[list[str]]:
    path = next(p for p in Path(str(day["sheets"])).glob("*.csv") if p.stem.endswith(f"-{name}"))
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_every_cli_message_reads_as_plain_english(day: dict[str, object]) -> None:
    said: dict[str, str] = day["said"]  # type: ignore[assignment]
    problems = [p for name, text in said.items() if name != "today-json" for p in proofread(f"relist {name}", text)]
    assert not problems, "\n".join(problems[:20])


def test_every_pdf_reads_as_plain_english(day: dict[str, object]) -> None:
    exe = require_tool("pdftotext")
    base = Path(str(day["base"]))
    problems = []
    for pdf in ("letters.pdf", "route.pdf"):
        if not (base / pdf).exists():
            continue
        text = subprocess.run([exe, "-layout", str(base / pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert text.strip(), pdf
        problems += proofread(pdf, text)
    assert not problems, "\n".join(problems[:20])


def test_the_agents_sheets_read_as_plain_english(day: dict[str, object]) -> None:
    problems = []
    for name in ("Today", "Dashboard", "ROI"):
        rows = _sheet(day, name)
        skip = schema.TODAY.top if name == "Today" else 0  # Today's own header row holds plain words already
        body = "\n".join(",".join(r) for r in rows[skip:])
        problems += proofread(f"{name} sheet", body)
        assert not any(c.startswith(("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "Err:")) for r in rows for c in r), name
    assert not problems, "\n".join(problems[:20])


def test_every_product_sheet_header_is_plain_words(day: dict[str, object]) -> None:
    """Each table's header row as LibreOffice shows it: the schema's headers, no field name among them."""
    names = {c.name for t in schema.TABLE_SHEETS for c in t.columns if c.name != c.header}
    for spec in schema.TABLE_SHEETS:
        header = _sheet(day, spec.sheet)[spec.top - 1][: len(spec.columns)]
        assert header == list(spec.headers), spec.sheet
        assert not names & set(header), (spec.sheet, sorted(names & set(header)))


def test_no_text_is_cut_inside_a_cell_of_today(day: dict[str, object]) -> None:
    import zipfile

    book = Path(str(day["book"]))
    records = open_workbook(book).read_records("tblToday")
    assert len(records) > 20
    z = zipfile.ZipFile(book)
    xml = z.read("xl/worksheets/sheet1.xml").decode()  # Today: the first sheet of every Relist workbook
    assert "Wednesday" in xml
    heights = {int(r): float(h) for r, h in re.findall(r'<row r="(\d+)"[^>]*?ht="([\d.]+)"', xml)}
    for i, rec in enumerate(records):
        row = schema.TODAY.top + 1 + i
        for col in schema.TODAY.columns:
            text = rec.get(col.name)
            if not isinstance(text, str) or not text:
                continue
            if col.wrap:
                need = wrapped_lines(text, col.width)
                assert heights.get(row, 15.0) >= need * LINE_PT, f"row {row} {col.name}: {need} lines in {heights.get(row)} pt"
            else:
                assert len(text) <= col.width * 1.25, f"row {row} {col.name}: {text!r} does not fit {col.width} characters"


def test_numbers_agree_between_the_cli_the_sheets_and_the_notebook(day: dict[str, object]) -> None:
    from relist.widgets.roi_app import RoiModel

    said: dict[str, str] = day["said"]  # type: ignore[assignment]
    at_defaults = compute(RoiInputs())
    net = format_value("net_per_month", at_defaults.net_per_month)
    listings = format_value("listings_per_month", at_defaults.listings_per_month)
    assert f"net {net}/month" in said["roi"]
    assert f"Net income per month (after split and costs): {net}" in RoiModel().text
    assert f"Signed listings per month: {listings}" in RoiModel().text
    assert re.search(rf"Signed listings per month\s+{re.escape(listings)}\n", said["roi"])
    # The ROI sheet in the workbook (recalculated by LibreOffice) holds the same defaults the CLI used.
    roi = {r[0]: r[1] for r in _sheet(day, "ROI") if len(r) > 1}
    sheet_net = roi["Net income per month (after split and costs)"]
    assert sheet_net == net, (sheet_net, net)
    assert roi["Signed listings per month"] == listings
    # Today's headline counts are the queue's.
    queue: dict[str, list[object]] = day["queue"]  # type: ignore[assignment]
    today_a1 = _sheet(day, "Today")[0][0]
    assert today_a1.startswith("Wednesday 25 Nov:"), today_a1
    calls_line = next(line for line in said["today"].splitlines() if line.startswith("Calls ("))
    assert calls_line == f"Calls ({len(queue['calls'])}):"


def test_the_settings_sheet_shows_each_setting_in_plain_words(day: dict[str, object]) -> None:
    """The Setting column as LibreOffice shows it: every label, no setting name; pointers in its text use labels."""
    rows = _sheet(day, schema.SETTINGS.sheet)[schema.SETTINGS.top :]
    shown = [r[0] for r in rows if r and r[0]]
    assert shown == [s.shown for s in schema.SETTINGS_ROWS]
    assert not SETTING_KEYS & set(shown), sorted(SETTING_KEYS & set(shown))
    problems = proofread("Settings sheet", "\n".join(",".join(r) for r in rows))
    assert not problems, "\n".join(problems[:20])
