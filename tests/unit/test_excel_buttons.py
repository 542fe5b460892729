"""Ribbon entry points on the xlwings fake: refusals, alerts instead of tracebacks, status bar, lazy imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.fakes import fake_xlwings as fx

from relist import excel

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
LEAD = {"LeadId": "L000001", "Status": "New", "OwnerName": "Pat Owner", "BestPhone": "+18135550142",
        "PropertyAddress": "1 Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602", "NextChannel": "call"}
PHONE = {"PhoneId": "P000001", "LeadId": "L000001", "Position": 1, "Phone": "+18135550142", "PhoneStatus": "Active"}


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.workbook import template

    return template.build(tmp_path_factory.mktemp("tpl") / "Relist.xlsx")


@pytest.fixture
def book(template_path: Path, tmp_path: Path) -> fx.Book:
    path = tmp_path / "Relist.xlsx"
    path.write_bytes(template_path.read_bytes())
    b = fx.Book.from_file(path)
    from relist.workbook.live_adapter import LiveWorkbook

    LiveWorkbook(b).append_rows("tblLeads", [LEAD])
    LiveWorkbook(b).append_rows("tblPhones", [PHONE])
    b.app.calls = 0
    return b


def _last_alert(book: fx.Book) -> dict[str, Any]:
    assert book.app.alerts, "no alert shown"
    return book.app.alerts[-1]


def test_a_foreign_workbook_is_refused_with_an_alert() -> None:
    other = fx.Book("Budget.xlsx")
    other.sheets.add("Sheet1")["A1"].value = "rent"
    msg = excel.run("todays_queue", other, at=AT)
    alert = _last_alert(other)
    assert alert["mode"] == "critical" and alert["title"] == "Relist"
    assert "Budget.xlsx is not a Relist workbook" in alert["prompt"] and "relist init" in alert["prompt"]
    assert msg == alert["prompt"]
    assert other.sheets["Sheet1"]["A1"].value == "rent"


def test_unknown_button_says_to_update_the_addin(book: fx.Book) -> None:
    assert excel.run("make_coffee", book) is None
    assert "no button 'make_coffee'" in _last_alert(book)["prompt"]


def test_user_errors_are_alerts_with_the_fix(book: fx.Book) -> None:
    excel.run("log_touch", book, at=AT)  # nothing selected
    alert = _last_alert(book)
    assert alert["mode"] == "critical"
    assert "Select the rows you worked first." in alert["prompt"] and "Today or Leads" in alert["prompt"]
    assert book.app.status_bar is False


def test_log_touch_refuses_a_row_without_outcome(book: fx.Book) -> None:
    book.select("Leads", "A2")
    excel.run("log_touch", book, at=AT)
    assert "L000001 has no Outcome" in _last_alert(book)["prompt"]
    from relist.workbook.live_adapter import LiveWorkbook

    assert LiveWorkbook(book).read_records("tblTouches") == []


def test_a_button_whose_service_is_missing_says_so(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "relist.channels.service", None)
    excel.run("dial_list", book, at=AT)
    alert = _last_alert(book)
    assert alert["prompt"].startswith(excel.NOT_INSTALLED) and alert["mode"] == "info"


def test_a_missing_service_function_is_not_installed_either(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    import relist.roi.service as roi

    monkeypatch.delattr(roi, "refresh_dashboard")
    excel.run("refresh_dashboard", book, at=AT)
    assert "refresh_dashboard" in _last_alert(book)["prompt"] and excel.NOT_INSTALLED in _last_alert(book)["prompt"]


def test_a_missing_third_party_package_names_it(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(name: str) -> Any:
        raise ModuleNotFoundError("No module named 'fpdf'", name="fpdf")

    import importlib

    monkeypatch.setattr(importlib, "import_module", boom)
    excel.run("print_letters", book, at=AT)
    assert "needs the Python package 'fpdf'" in _last_alert(book)["prompt"]
    assert "pip install fpdf" in _last_alert(book)["prompt"]


def test_a_bug_is_an_alert_and_a_log_not_a_traceback(book: fx.Book, monkeypatch: pytest.MonkeyPatch,
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


def test_cancelled_file_picker_changes_nothing(book: fx.Book) -> None:
    book.app.api.open_filenames = [False]
    before = book.dump()
    assert excel.run("load_expireds", book, at=AT) is None
    assert book.app.alerts == [] and book.dump() == before
    dialog = book.app.api.dialogs[-1]["args"]
    assert dialog[0] == excel.EXPORT_FILTER and dialog[4] is True  # filter, multi-select


def test_status_bar_shows_progress_then_resets(book: fx.Book) -> None:
    excel.run("todays_queue", book, at=AT)
    assert "Relist: building today's queue..." in book.app.status_history
    assert book.app.status_history[-1] is False
    assert _last_alert(book)["prompt"].startswith("Today 2026-11-25:")
    assert book.sheets.active.name == "Today"


def test_about_and_settings(book: fx.Book) -> None:
    from relist import __version__

    msg = excel.run("about", book, at=AT)
    assert msg and f"Relist {__version__}" in msg and "workbook version" in msg and sys.executable in msg
    assert excel.run("settings", book, at=AT) is None
    assert book.sheets.active.name == "Settings" and len(book.app.alerts) == 1


def test_docs_open_the_page_or_show_the_short_help(book: fx.Book, monkeypatch: pytest.MonkeyPatch,
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


def test_clock_is_the_agents_time_zone(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[datetime] = []

    def capture(click: excel.Click) -> str:
        seen.append(click.at)
        return "ok"

    monkeypatch.setattr(excel, "BUTTONS", dict(excel.BUTTONS))
    entry = excel.button("probe", "Probe", "Help")(capture)
    assert entry(book) == "ok"
    assert seen[0].tzinfo is not None and str(seen[0].tzinfo) == "America/New_York"


def test_run_without_a_book_uses_the_caller(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
    book.set_mock_caller()
    monkeypatch.setattr(excel, "caller", fx.Book.caller)
    try:
        assert excel.run("about") is not None
        assert book.app.alerts
    finally:
        fx.Book._mock_caller = None


def test_import_and_a_log_touch_click_stay_light(template_path: Path, tmp_path: Path) -> None:
    """`import relist.excel` loads no xlwings/pandas/matplotlib; clicking Log Touch loads no matplotlib."""
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
        from tests.fakes import fake_xlwings as fx
        from relist.workbook.live_adapter import LiveWorkbook
        book = fx.Book.from_file({str(path)!r})
        LiveWorkbook(book).append_rows("tblLeads", [{LEAD!r}])
        LiveWorkbook(book).append_rows("tblPhones", [{PHONE!r}])
        book.sheets["Leads"]["C2"].value = "no-answer"
        book.select("Leads", "A2")
        at = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))
        print(excel.run("log_touch", book, at=at))
        print("matplotlib" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "[]"
    assert lines[1].startswith("Logged T"), lines[1]
    assert lines[-1] == "False"


def test_roi_calculator_starts_the_cli_notebook_launcher(book: fx.Book, monkeypatch: pytest.MonkeyPatch) -> None:
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
