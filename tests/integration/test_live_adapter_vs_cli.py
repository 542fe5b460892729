"""Each ribbon button, run on real xlwings objects over the test engine holding a real demo workbook (Windows and
macOS flavours of Excel), leaves what the CLI leaves.

The base workbook is made the product's way: `relist init`, a sample expired export
imported, a DNC registry copy loaded with `relist dnc load`, and today's queue built
with `relist today`. Each test copies that folder twice, does one action with the CLI
on one copy and with the button on the other (through xlwings), and compares every
product table, read back through the file adapter and the live adapter.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlwings as xw
from click.testing import CliRunner
from tests.fakes import xl_engine as xe
from tests.identity import give_identity

from relist import excel, schema
from relist.cli import cli
from relist.workbook.live_adapter import LiveWorkbook

NY = ZoneInfo("America/New_York")
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=NY)
T = datetime(2026, 11, 25, 9, 30, tzinfo=NY)
IGNORE = {"tblTouches": {"LoggedAt"}}  # the CLI stamps the wall clock there, a click stamps the click


def _at(moment: datetime) -> str:
    """--at as the agent types it: wall-clock time in the Settings time zone (like a click's own clock)."""
    return moment.astimezone(NY).strftime("%Y-%m-%dT%H:%M:%S")


def _invoke(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist import sample_data
    from relist.workbook import open_workbook

    folder = tmp_path_factory.mktemp("demo")
    book = folder / "Relist.xlsx"
    _invoke("init", str(book))
    give_identity(book)
    csv = sample_data.write_csv(sample_data.expired_export(24, seed=5, at=T0), folder / "expired.csv")
    _invoke("import", str(csv), "--workbook", str(book), "--at", _at(T0))
    fb = open_workbook(book)
    areas = sorted({str(r["Phone"])[2:5] for r in fb.read_records("tblPhones", ["Phone"]) if r["Phone"]})
    registry = folder / "dnc-full.txt"
    registry.write_text("".join(f"{a},5550199\n" for a in areas))
    downloaded = (T0 - timedelta(hours=1)).timestamp()  # downloaded before the test's "now", whatever the real clock says
    os.utime(registry, (downloaded, downloaded))
    _invoke("dnc", "load", str(registry), "--workbook", str(book), "--at", _at(T0))
    _invoke("today", "--workbook", str(book), "--at", _at(T))
    return folder


@pytest.fixture(params=xe.FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _pair(base: Path, tmp_path: Path, flavour: str) -> tuple[Path, xw.Book]:
    """(workbook for the CLI, xlwings book in the test Excel for the button), each in its own copy of the demo folder."""
    shutil.copytree(base, tmp_path / "cli")
    shutil.copytree(base, tmp_path / "xl")
    return tmp_path / "cli" / "Relist.xlsx", xe.load(tmp_path / "xl" / "Relist.xlsx", flavour)


def _picker_title(fake: xw.Book) -> str:
    """What told the agent which files to pick: the dialog's title (Windows) or the status bar (macOS)."""
    xl = xe.excel(fake)
    if xl.flavour == "windows":
        return str(xl.dialogs[-1]["Title"])
    return str(next(s for s in reversed(xl.status_history) if isinstance(s, str) and s.startswith("Relist: Pick")))


def _same(cli_book: Path, fake: xw.Book) -> None:
    """Every product table alike; a path into the button's folder counts as the same path in the CLI's."""
    from relist.workbook import open_workbook

    xl_dir, cli_dir = str(Path(fake.fullname).parent), str(cli_book.parent)

    def here(v: Any) -> Any:
        return v.replace(xl_dir, cli_dir) if isinstance(v, str) else v

    fb = open_workbook(cli_book)
    live = LiveWorkbook(fake)
    for spec in schema.TABLE_SHEETS:
        skip = IGNORE.get(spec.table, set())
        want = [{k: v for k, v in r.items() if k not in skip} for r in fb.read_records(spec.table)]
        got = [{k: here(v) for k, v in r.items() if k not in skip} for r in live.read_records(spec.table)]
        assert len(got) == len(want), f"{spec.table}: {len(got)} rows from the button, {len(want)} from the CLI"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            diff = {k: (g.get(k), w.get(k)) for k in set(g) | set(w) if g.get(k) != w.get(k)}
            assert not diff, f"{spec.table} row {i + 1}: (button, CLI) differ in {diff}"


def _today_rows(fake: xw.Book, section: str) -> list[tuple[int, dict[str, Any]]]:
    """(sheet row, record) of the Today rows of a section."""
    recs = LiveWorkbook(fake).read_records("tblToday")
    return [(i + schema.TODAY.top + 1, r) for i, r in enumerate(recs) if r["Section"] == section]


def _pick(fake: xw.Book, row: int, outcome: str, note: str | None = None) -> None:
    header = schema.TODAY.names
    sheet = fake.sheets["Today"]
    sheet.range((row, header.index("Outcome") + 1)).value = outcome
    if note:
        sheet.range((row, header.index("Note") + 1)).value = note


def test_todays_queue(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    later = T + timedelta(hours=2)
    _invoke("today", "--workbook", str(cli_book), "--at", _at(later))
    msg = excel.todays_queue(fake, at=later)
    assert msg is not None and msg.startswith("Today 2026-11-25:")
    _same(cli_book, fake)
    assert len(fake.impl.saves) == 1


def test_log_touch_on_two_selected_rows(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    calls = _today_rows(fake, "calls")
    (r1, a), (r2, b) = calls[0], calls[2]
    _pick(fake, r1, "no-answer", "rang out")
    _pick(fake, r2, "voicemail")
    xe.select(fake, "Today", f"C{r1}", f"A{r2}:D{r2}")
    msg = excel.log_touch(fake, at=T)
    assert msg is not None and msg.count("Logged T") == 2, msg
    _invoke("log", a["LeadId"], "--channel", "call", "--outcome", "no-answer", "--phone", a["Phone"], "--step",
            str(a["Step"]), "--note", "rang out", "--workbook", str(cli_book), "--at", _at(T))
    _invoke("log", b["LeadId"], "--channel", "call", "--outcome", "voicemail", "--phone", b["Phone"], "--step",
            str(b["Step"]), "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)


def test_log_touch_appointment_takes_the_time_from_the_leads_sheet(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    row, rec = _today_rows(fake, "calls")[1]
    _pick(fake, row, "appointment")
    xe.select(fake, "Today", f"B{row}")
    excel.log_touch(fake, at=T)
    alert = xe.excel(fake).alerts[-1]["prompt"]
    assert "appointment needs a date and time" in alert and "Appointment cell on the Leads sheet" in alert
    when = datetime(2026, 11, 27, 16, 0)
    lead_row = 2 + [r["LeadId"] for r in LiveWorkbook(fake).read_records("tblLeads", ["LeadId"])].index(rec["LeadId"])
    fake.sheets["Leads"].range((lead_row, schema.LEADS.names.index("AppointmentAt") + 1)).value = when
    excel.log_touch(fake, at=T)
    assert xe.excel(fake).alerts[-1]["prompt"].startswith("Logged T")
    _invoke("log", rec["LeadId"], "--channel", "call", "--outcome", "appointment", "--phone", rec["Phone"], "--step",
            str(rec["Step"]), "--follow-up", when.strftime("%Y-%m-%dT%H:%M"), "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)


def test_undo_last_touch(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    row, rec = _today_rows(fake, "calls")[0]
    _pick(fake, row, "no-answer")
    xe.select(fake, "Today", f"C{row}")
    excel.log_touch(fake, at=T)
    _invoke("log", rec["LeadId"], "--channel", "call", "--outcome", "no-answer", "--phone", rec["Phone"], "--step",
            str(rec["Step"]), "--workbook", str(cli_book), "--at", _at(T))
    later = T + timedelta(minutes=5)
    xe.excel(fake).answers = ["no"]
    assert excel.undo_touch(fake, at=later) is None  # asked, and the agent said no
    assert "Undo T0000001" in xe.excel(fake).alerts[-1]["prompt"]
    xe.excel(fake).answers = ["yes"]
    assert (excel.undo_touch(fake, at=later) or "").startswith("Undid T0000001")
    _invoke("undo", "--workbook", str(cli_book), "--at", _at(later))
    _same(cli_book, fake)


@pytest.mark.parametrize("kind", ["expired", "active"])
def test_load_expireds_and_active_listings(base: Path, tmp_path: Path, flavour: str, kind: str) -> None:
    from relist import sample_data

    cli_book, fake = _pair(base, tmp_path, flavour)
    if kind == "expired":
        rows = sample_data.expired_export(30, seed=5, at=T)
    else:
        rows = sample_data.active_export(24, seed=5, at=T)
    export = sample_data.write_csv(rows, tmp_path / f"{kind}.csv")
    xe.excel(fake).open_filenames = [(str(export),)]
    button = excel.load_expireds if kind == "expired" else excel.load_active
    msg = button(fake, at=T)
    assert msg is not None and "rows from 1 file" in msg, msg
    title = _picker_title(fake)
    assert ("expired" in title) == (kind == "expired")
    _invoke("import", str(export), "--kind", kind, "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)


def test_map_value_then_load_again_reads_the_value_as_import_map_value_does(
    base: Path, tmp_path: Path, flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    export = tmp_path / "gone.csv"
    export.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip,Phone\n"
                      "T9200001,Gone,Ann Lee,12 Oak St,Tampa,FL,33602,(813) 555-0171\n")
    xe.excel(fake).open_filenames = [(str(export),)]
    excel.load_expireds(fake, at=T)
    _invoke("import", str(export), "--workbook", str(cli_book), "--at", _at(T))
    xe.select(fake, "Rejects", f"A{schema.table('tblRejects').top + 1}")
    assert "Status:Gone" in (excel.map_value(fake, at=T) or "")
    row = schema.table("tblMappings").top + 1
    fake.sheets["Mappings"][f"{chr(64 + schema.table('tblMappings').names.index('Field') + 1)}{row}"].value = "Expired"
    xe.excel(fake).open_filenames = [(str(export),)]
    msg = excel.load_expireds(fake, at=T)
    assert msg is not None and "1 added" in msg, msg
    _invoke("import", str(export), "--map-value", "Status:Gone=Expired", "--workbook", str(cli_book), "--at", _at(T))
    monkeypatch.setitem(IGNORE, "tblMappings", {"Field"})  # typed on the sheet 'Expired', saved by the CLI '=Expired'
    _same(cli_book, fake)
    fields = [r["Field"] for r in LiveWorkbook(fake).read_records("tblMappings")]
    assert fields == ["Expired"]


def test_load_dnc_files(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    changes = tmp_path / "dnc-full-813.txt"
    changes.write_text("813,5550142\n813,5550143\n")
    os.utime(changes, (T.timestamp() - 60, T.timestamp() - 60))
    xe.excel(fake).open_filenames = [(str(changes),)]
    msg = excel.load_dnc(fake, at=T)
    assert msg is not None and msg.startswith("Loaded 1 DNC file(s)") and "813 (full" in msg
    _invoke("dnc", "load", str(changes), "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)
    cli_dnc, xl_dnc = tmp_path / "cli" / "Relist.dnc", tmp_path / "xl" / "Relist.dnc"
    files = sorted(p.relative_to(cli_dnc) for p in cli_dnc.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(xl_dnc) for p in xl_dnc.rglob("*") if p.is_file())
    for f in files:
        if f.suffix != ".json":  # the manifest stamps the load's wall-clock duration
            assert (cli_dnc / f).read_bytes() == (xl_dnc / f).read_bytes(), f


def test_why_blocked_says_what_relist_check_says(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    blocked = [r for _, r in _today_rows(fake, "blocked") if r["LeadId"]]
    row, rec = next((i, r) for i, r in _today_rows(fake, "calls"))
    for lead_id, sheet_row in [(rec["LeadId"], row)] + [(b["LeadId"], None) for b in blocked[:1]]:
        if sheet_row is None:
            recs = LiveWorkbook(fake).read_records("tblLeads", ["LeadId", "NextChannel"])
            at = [r["LeadId"] for r in recs].index(lead_id)
            xe.select(fake, "Leads", f"A{2 + at}")
            channel = recs[at]["NextChannel"] or "call"
        else:
            xe.select(fake, "Today", f"D{sheet_row}")
            channel = rec["Channel"]
        msg = excel.why_blocked(fake, at=T) or ""
        out = _invoke("check", lead_id, "--channel", channel, "--workbook", str(cli_book), "--at", _at(T))
        assert msg.splitlines()[-1] == out.strip().splitlines()[-1]
    _same(cli_book, fake)


def test_export_dial_list(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    msg = excel.dial_list(fake, at=T) or ""
    written = Path(msg.split(" in ", 1)[1].splitlines()[0])
    out = tmp_path / "dial.csv"
    _invoke("export", "dial-list", "--out", str(out), "--workbook", str(cli_book), "--at", _at(T))
    assert written.parent == tmp_path / "xl" / excel.OUTPUT_FOLDER / "2026-11-25"
    assert written.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    _same(cli_book, fake)


def test_emails_without_a_mail_server_write_the_same_drafts(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    at = T + timedelta(days=8, hours=-1)
    _invoke("today", "--workbook", str(cli_book), "--at", _at(at))
    excel.todays_queue(fake, at=at)
    msg = excel.send_emails(fake, at=at) or ""
    drafts = tmp_path / "cli-drafts"
    _invoke("email", "--drafts", str(drafts), "--workbook", str(cli_book), "--at", _at(at))
    if msg.startswith("No email is due"):
        assert not list(drafts.glob("*.eml"))
    else:
        assert "Settings > Mail server is blank" in msg and "not sent, not logged" in msg
        folder = next((tmp_path / "xl" / excel.OUTPUT_FOLDER).rglob("email-drafts-*"))
        ours = {p.name: p.read_bytes() for p in folder.glob("*.eml")}
        theirs = {p.name: p.read_bytes() for p in drafts.glob("*.eml")}
        assert ours.keys() == theirs.keys() and ours
    _same(cli_book, fake)


def test_calendar_file_matches(base: Path, tmp_path: Path, flavour: str) -> None:
    cli_book, fake = _pair(base, tmp_path, flavour)
    msg = excel.calendar(fake, at=T) or ""
    assert msg.startswith("No appointment or call-back")
    out = tmp_path / "cal.ics"
    _invoke("calendar", "--out", str(out), "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)


def test_refresh_dashboard_is_the_roi_service(base: Path, tmp_path: Path, flavour: str) -> None:
    from relist.roi import service as roi
    from relist.roi import sheet as roi_sheet
    from relist.workbook import open_workbook

    cli_book, fake = _pair(base, tmp_path, flavour)
    msg = excel.refresh_dashboard(fake, at=T) or ""
    assert msg.startswith("Dashboard refreshed:")
    fb = open_workbook(cli_book)
    roi.refresh_dashboard(fb, T)
    fb = open_workbook(cli_book)
    refs = [f"{c}{r}" for r in range(1, 60) for c in "ABCDEFGH"]
    live = LiveWorkbook(fake)
    assert live.read_cells(roi_sheet.DASHBOARD_SHEET, refs) == fb.read_cells(roi_sheet.DASHBOARD_SHEET, refs)
    assert [p.name for p in fake.sheets[roi_sheet.DASHBOARD_SHEET].pictures] == [roi_sheet.FUNNEL_PICTURE[0]]
    _same(cli_book, fake)


def _no_viewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel, "_open", lambda path: None)  # the button opens its file for the agent


def test_print_letters_and_log_them_as_mailed(base: Path, tmp_path: Path, flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_viewer(monkeypatch)
    cli_book, fake = _pair(base, tmp_path, flavour)
    at = T + timedelta(days=2)  # the plan's letter step is due
    _invoke("today", "--workbook", str(cli_book), "--at", _at(at))
    excel.todays_queue(fake, at=at)
    xe.excel(fake).answers = ["yes"]  # "Log these letters as mailed now?"
    msg = excel.print_letters(fake, at=at) or ""
    m = re.match(r"(\d+) letters in (.+\.pdf)", msg)
    assert m and int(m.group(1)) > 0, msg
    assert f"Logged {m.group(1)} letters as sent." in msg
    assert Path(m.group(2)).read_bytes().startswith(b"%PDF")
    _invoke("letters", "--out", str(tmp_path / "letters.pdf"), "--confirm", "--workbook", str(cli_book), "--at", _at(at))
    _same(cli_book, fake)


def test_door_route(base: Path, tmp_path: Path, flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_viewer(monkeypatch)
    cli_book, fake = _pair(base, tmp_path, flavour)
    at = T + timedelta(days=5)  # the plan's door step is due
    _invoke("today", "--workbook", str(cli_book), "--at", _at(at))
    excel.todays_queue(fake, at=at)
    msg = excel.door_route(fake, at=at) or ""
    m = re.match(r"Door route: (\d+) stops in (.+\.pdf)", msg)
    assert m and int(m.group(1)) > 0, msg
    assert Path(m.group(2)).read_bytes().startswith(b"%PDF")
    assert list(Path(m.group(2)).parent.glob("door-hangers-*.pdf"))
    _invoke("route", "--out", str(tmp_path / "route.pdf"), "--workbook", str(cli_book), "--at", _at(at))
    _same(cli_book, fake)


@pytest.mark.e2e
def test_listing_presentation_for_the_selected_lead(base: Path, tmp_path: Path, flavour: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from relist import sample_data

    _no_viewer(monkeypatch)
    comps = sample_data.write_csv(sample_data.sold_comps_export(400, 5, T - timedelta(hours=1)), tmp_path / "sold.csv")
    for copy in ("cli", "xl"):
        shutil.copytree(base, tmp_path / copy)
        _invoke("import", str(comps), "--kind", "comps", "--workbook", str(tmp_path / copy / "Relist.xlsx"), "--at", _at(T))
    cli_book, fake = tmp_path / "cli" / "Relist.xlsx", xe.load(tmp_path / "xl" / "Relist.xlsx", flavour)
    lead_id = LiveWorkbook(fake).read_records("tblLeads", ["LeadId"])[0]["LeadId"]
    xe.select(fake, "Leads", "B2")
    msg = excel.listing_presentation(fake, at=T) or ""
    assert msg.startswith(f"Presentation for {lead_id}: "), msg
    link = msg.split(": ", 1)[1]
    assert Path(link).exists() and Path(link).stat().st_size > 0
    _invoke("present", lead_id, "--workbook", str(cli_book), "--at", _at(T))
    _same(cli_book, fake)
