"""Ribbon entry points on real xlwings objects over the test engine (Windows and macOS flavours): refusals,
alerts instead of tracebacks, status bar, file pickers, workbooks without a local file, lazy imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe
from tests.identity import give_identity

from relist import excel, schema
from relist.settings import write_identity
from relist.workbook.template import col_letter

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
LEAD = {"LeadId": "L000001", "Status": "New", "OwnerName": "Pat Owner", "BestPhone": "+18135550142",
        "PropertyAddress": "1 Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602", "NextChannel": "call"}
PHONE = {"PhoneId": "P000001", "LeadId": "L000001", "Position": 1, "Phone": "+18135550142", "PhoneStatus": "Active"}


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.workbook import template

    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.fixture(params=xe.FLAVOURS)
def book(request: pytest.FixtureRequest, template_path: Path, tmp_path: Path) -> xw.Book:
    path = tmp_path / "Relist.xlsx"
    path.write_bytes(template_path.read_bytes())
    b = xe.load(path, request.param)
    from relist.workbook.live_adapter import LiveWorkbook

    LiveWorkbook(b).append_rows("tblLeads", [LEAD])
    LiveWorkbook(b).append_rows("tblPhones", [PHONE])
    give_identity(LiveWorkbook(b), save=False)
    xe.excel(b).calls = 0
    return b


def _last_alert(book: xw.Book) -> dict[str, Any]:
    assert xe.excel(book).alerts, "no alert shown"
    return xe.excel(book).alerts[-1]


def test_a_foreign_workbook_is_refused_with_an_alert() -> None:
    other = xe.new_book("Budget.xlsx")
    other.sheets["Sheet1"]["A1"].value = "rent"
    msg = excel.run("todays_queue", other, at=AT)
    alert = _last_alert(other)
    assert alert["mode"] == "critical" and alert["title"] == "Relist"
    assert "Budget.xlsx is not a Relist workbook" in alert["prompt"] and "relist init" in alert["prompt"]
    assert msg == alert["prompt"]
    assert other.sheets["Sheet1"]["A1"].value == "rent"


def test_unknown_button_says_to_update_the_addin(book: xw.Book) -> None:
    assert excel.run("make_coffee", book) is None
    assert "no button 'make_coffee'" in _last_alert(book)["prompt"]


def test_user_errors_are_alerts_with_the_fix(book: xw.Book) -> None:
    excel.run("log_touch", book, at=AT)  # nothing selected
    alert = _last_alert(book)
    assert alert["mode"] == "critical"
    assert "Select the rows you worked first." in alert["prompt"] and "Today or Leads" in alert["prompt"]
    assert book.app.status_bar is False


def test_log_touch_refuses_a_row_without_outcome(book: xw.Book) -> None:
    xe.select(book, "Leads", "A2")
    excel.run("log_touch", book, at=AT)
    assert "L000001 has no Outcome" in _last_alert(book)["prompt"]
    from relist.workbook.live_adapter import LiveWorkbook

    assert LiveWorkbook(book).read_records("tblTouches") == []


def test_a_button_whose_service_is_missing_says_so(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "relist.channels.service", None)
    excel.run("dial_list", book, at=AT)
    alert = _last_alert(book)
    assert alert["prompt"].startswith(excel.NOT_INSTALLED) and alert["mode"] == "info"


def test_a_missing_service_function_is_not_installed_either(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    import relist.roi.service as roi

    monkeypatch.delattr(roi, "refresh_dashboard")
    excel.run("refresh_dashboard", book, at=AT)
    assert "refresh_dashboard" in _last_alert(book)["prompt"] and excel.NOT_INSTALLED in _last_alert(book)["prompt"]


def test_a_missing_third_party_package_names_it(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(name: str) -> Any:
        raise ModuleNotFoundError("No module named 'fpdf'", name="fpdf")

    import importlib

    monkeypatch.setattr(importlib, "import_module", boom)
    excel.run("print_letters", book, at=AT)
    assert "needs the Python package 'fpdf'" in _last_alert(book)["prompt"]
    assert "pip install fpdf" in _last_alert(book)["prompt"]


def test_a_bug_is_an_alert_and_a_log_not_a_traceback(book: xw.Book, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    import relist.sequence.service as seq

    monkeypatch.setattr(excel, "LOG_FILE", tmp_path / "log" / "relist-excel.log")

    def broken(*a: Any, **k: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(seq, "today", broken)
    msg = excel.run("todays_queue", book, at=AT)
    assert msg is not None and msg.startswith("Relist could not finish Today's Queue: ZeroDivisionError")
    log = (tmp_path / "log" / "relist-excel.log").read_text()
    assert "button todays_queue" in log and "Traceback" in log and "ZeroDivisionError" in log
    assert book.app.status_bar is False


def test_cancelled_file_picker_changes_nothing(book: xw.Book) -> None:
    xe.excel(book).open_filenames = [False]
    before = xe.dump(book)
    assert excel.run("load_expireds", book, at=AT) is None
    assert xe.excel(book).alerts == [] and xe.dump(book) == before
    assert len(book.impl.saves) == 0


def test_each_platform_s_file_picker_is_called_as_its_engine_defines_it(book: xw.Book) -> None:
    xe.excel(book).open_filenames = [False]
    excel.run("load_expireds", book, at=AT)
    dialog = xe.excel(book).dialogs[-1]
    if xe.excel(book).flavour == "windows":  # COM keywords; no ButtonText rather than None (VT_NULL)
        assert dialog == {"FileFilter": excel.EXPORT_FILTER, "Title": "Pick today's expired-listing export file(s)",
                          "MultiSelect": True}
    else:  # Excel's AppleScript "get open filename" has no title: it goes to the status bar
        assert dialog == {"button_text": "Open", "multi_select": True}
        assert "Relist: Pick today's expired-listing export file(s)" in xe.excel(book).status_history


def test_the_engines_refuse_pickers_called_the_old_way(book: xw.Book) -> None:
    """The calls Relist used to make fail on each engine (so the test above can fail)."""
    api = book.app.api
    if xe.excel(book).flavour == "windows":
        with pytest.raises(TypeError, match="VT_NULL"):
            api.GetOpenFilename(excel.EXPORT_FILTER, 1, "Pick", None, True)
    else:
        with pytest.raises(TypeError, match="title"):
            api.get_open_filename(title="Pick")
        assert not hasattr(api, "GetOpenFilename")


@pytest.mark.parametrize("answer", [("C:\\Users\\pat\\expired.csv",), "/Users/pat/expired.csv"])
def test_picked_files_come_back_as_paths(book: xw.Book, answer: Any) -> None:
    xe.excel(book).open_filenames = [answer]
    got = excel.pick_files(book, "Pick", excel.EXPORT_FILTER)
    assert got == ([answer] if isinstance(answer, str) else list(answer))


def test_a_never_saved_workbook_is_refused_before_any_change(book: xw.Book, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "python-runs-here"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    xe.as_unsaved(book, "Relist1")
    before = xe.dump(book)
    msg = excel.run("todays_queue", book, at=AT) or ""
    assert "Relist1 has never been saved" in msg and "File > Save As" in msg
    assert xe.dump(book) == before and book.impl.saves == [] and not list(cwd.iterdir())
    assert (excel.run("about", book, at=AT) or "").startswith("Relist ")  # a click that saves nothing still runs


def test_an_unsynced_cloud_workbook_is_refused_in_plain_words(book: xw.Book) -> None:
    xe.put_in_cloud(book)
    before = xe.dump(book)
    for name in ("todays_queue", "log_touch", "load_dnc", "dial_list"):
        msg = excel.run(name, book, at=AT) or ""
        assert "OneDrive or SharePoint" in msg and "save it to a local or synced folder first" in msg.lower(), msg
        assert _last_alert(book)["mode"] == "critical" and "Traceback" not in msg
    assert xe.dump(book) == before and book.impl.saves == []
    about = excel.run("about", book, at=AT) or ""
    assert about.startswith("Relist ") and "Relist.xlsx" in about


def test_status_bar_shows_progress_then_resets(book: xw.Book) -> None:
    excel.run("todays_queue", book, at=AT)
    assert "Relist: building today's queue..." in xe.excel(book).status_history
    assert xe.excel(book).status_history[-1] is False
    assert _last_alert(book)["prompt"].startswith("Today 2026-11-25:")
    assert book.sheets.active.name == "Today"


@pytest.mark.parametrize("button", ["todays_queue", "print_letters", "door_route", "send_emails", "dial_list"])
def test_a_click_without_your_name_alerts_the_cli_sentence_and_writes_nothing(book: xw.Book, button: str) -> None:
    from relist.workbook.live_adapter import LiveWorkbook

    write_identity(LiveWorkbook(book), {"AgentName": ""})
    before = LiveWorkbook(book).read_records("tblToday")
    msg = excel.run(button, book, at=AT)
    assert msg == _last_alert(book)["prompt"] and _last_alert(book)["mode"] == "critical"
    assert msg.startswith("Settings > Your name is empty") and msg.endswith("then run this again.")
    assert LiveWorkbook(book).read_records("tblToday") == before
    assert not [p for p in Path(book.fullname).parent.iterdir() if p.suffix in (".pdf", ".csv", ".eml")]


def test_about_and_settings(book: xw.Book) -> None:
    from relist import __version__

    msg = excel.run("about", book, at=AT)
    assert msg and f"Relist {__version__}" in msg and "workbook version" in msg and sys.executable in msg
    assert excel.run("settings", book, at=AT) is None
    assert book.sheets.active.name == "Settings" and len(xe.excel(book).alerts) == 1


def test_docs_open_the_page_or_show_the_short_help(book: xw.Book, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    import webbrowser

    opened: list[str] = []

    def record(url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", record)
    assert excel.run("docs", book, at=AT) is None
    assert opened == [(ROOT / "docs" / "addin.md").as_uri()]
    monkeypatch.setattr(excel, "docs_path", lambda: tmp_path / "missing.md")
    msg = excel.run("docs", book, at=AT)
    assert msg is not None
    for b in excel.BUTTONS.values():
        assert f"{b.group} > {b.label}:" in msg


def test_clock_is_the_agents_time_zone(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[datetime] = []

    def capture(click: excel.Click) -> str:
        seen.append(click.at)
        return "ok"

    monkeypatch.setattr(excel, "BUTTONS", dict(excel.BUTTONS))
    entry = excel.button("probe", "Probe", "Help")(capture)
    assert entry(book) == "ok"
    assert seen[0].tzinfo is not None and str(seen[0].tzinfo) == "America/New_York"


def test_run_without_a_book_uses_the_caller(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    book.set_mock_caller()  # xlwings' own: Book.caller() answers this book
    try:
        assert excel.run("about") is not None
        assert xe.excel(book).alerts
    finally:
        del xw.Book._mock_caller


def test_import_and_a_log_touch_click_stay_light(template_path: Path, tmp_path: Path) -> None:
    """`import relist.excel` loads no xlwings/pandas/matplotlib; clicking Log Touch loads none of Relist's chart modules.

    (xlwings itself imports pandas, numpy and matplotlib when they are installed,
    so in Excel a click's Python has them loaded whatever Relist does.)
    """
    path = tmp_path / "Relist.xlsx"
    path.write_bytes(template_path.read_bytes())
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import relist.excel as excel
        heavy = ("xlwings", "pandas", "numpy", "matplotlib", "openpyxl")
        print(sorted(m for m in heavy if m in sys.modules))
        from datetime import datetime
        from zoneinfo import ZoneInfo
        from tests.fakes import xl_engine as xe
        from relist.workbook.live_adapter import LiveWorkbook
        book = xe.load({str(path)!r})
        LiveWorkbook(book).append_rows("tblLeads", [{LEAD!r}])
        LiveWorkbook(book).append_rows("tblPhones", [{PHONE!r}])
        book.sheets["Leads"][f"{col_letter(schema.LEADS.names.index('Outcome') + 1)}2"].value = "no-answer"
        xe.select(book, "Leads", "A2")
        at = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
        print(excel.run("log_touch", book, at=at))
        print(sorted(m for m in ("relist.present.charts", "relist.roi.render") if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "[]"
    assert lines[1].startswith("Logged T"), lines[1]
    assert lines[-1] == "[]"


def test_roi_calculator_starts_the_cli_notebook_launcher(book: xw.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from relist.cli import cli

    started: list[tuple[list[str], dict[str, str]]] = []

    class FakePopen:
        def __init__(self, argv: list[str], env: dict[str, str], **kwargs: Any) -> None:
            started.append((argv, env))

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    msg = excel.run("roi_calculator", book, at=AT)
    assert msg is not None and "JupyterLab" in msg
    argv, env = started[0]
    assert argv[:3] == [sys.executable, "-m", "relist"]
    assert env["RELIST_WORKBOOK"] == book.fullname
    # The arguments are ones the CLI's launcher takes.
    help_text = CliRunner().invoke(cli, [*argv[3:-1], "--help"]).output
    assert argv[-1] in help_text and "roi" in help_text


def _rows(book: xw.Book, table: str) -> list[dict[str, Any]]:
    from relist.workbook.live_adapter import LiveWorkbook

    return LiveWorkbook(book).read_records(table)


def test_map_value_turns_a_rejected_value_into_a_mapping_the_next_load_uses(book: xw.Book, tmp_path: Path) -> None:
    export = tmp_path / "gone.csv"
    export.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip,Phone\n"
                      "T9100001,Gone,Ann Lee,12 Oak St,Tampa,FL,33602,(813) 555-0161\n"
                      "T9100002,GONE,Bo Park,14 Oak St,Tampa,FL,33602,(813) 555-0162\n")
    xe.excel(book).open_filenames = [(str(export),)]
    excel.run("load_expireds", book, at=AT)
    rejects = _rows(book, "tblRejects")
    assert [(r["Column"], r["Value"]) for r in rejects] == [("Status", "Gone"), ("Status", "GONE")]

    xe.select(book, "Rejects", "A2", "A3")  # both rejected rows: one value, written two ways
    msg = excel.run("map_value", book, at=AT)
    assert msg is not None and "Added 1 row(s) to the Mappings sheet: Status:Gone" in msg and "no = sign" in msg
    assert book.sheets.active.name == "Mappings"
    mappings = _rows(book, "tblMappings")
    assert [(m["Vendor"], m["Header"], m["Field"]) for m in mappings] == [(None, "Status:Gone", None)]

    # the agent types what it means in the Field cell (as text: no = sign), then loads the file again
    top = schema.table("tblMappings").top
    field_col = col_letter(schema.table("tblMappings").names.index("Field") + 1)
    book.sheets["Mappings"][f"{field_col}{top + 1}"].value = "Expired"
    xe.excel(book).open_filenames = [(str(export),)]
    again = excel.run("load_expireds", book, at=AT)
    assert again is not None and "2 added" in again.replace(",", ""), again
    got = {r["ListingId"]: r["ListingStatus"] for r in _rows(book, "tblLeads") if r.get("ListingId")}
    assert got == {"T9100001": "Expired", "T9100002": "Expired"}

    xe.select(book, "Rejects", "A2")
    assert "Already on the Mappings sheet: Status:Gone" in (excel.run("map_value", book, at=AT) or "")
    assert len(_rows(book, "tblMappings")) == 1


def test_map_value_without_a_rejected_row_selected_says_what_to_select(book: xw.Book) -> None:
    xe.select(book, "Leads", "A2")
    excel.run("map_value", book, at=AT)
    alert = _last_alert(book)
    assert "Select the rejected rows first" in alert["prompt"] and "Rejects sheet" in alert["prompt"]
    assert _rows(book, "tblMappings") == []
