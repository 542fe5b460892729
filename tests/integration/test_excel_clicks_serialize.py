"""Clicks on one workbook take its writer lock (shared with the CLI) before reading it, so they run one after another.

On macOS every click is a fresh Python process (xlwings' RunPython ends its
AppleScript with `&`), so two quick clicks run at once unless the lock makes
the second wait; on Windows a click waits for a `relist` command on the same
file. A click reads the workbook only once it holds the lock, so it sees what
the writer before it wrote.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.fakes import xl_engine as xe
from tests.identity import agent_workbook

from relist import excel
from relist.workbook.live_adapter import LiveWorkbook
from relist.workbook.lock import writer_lock

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("America/New_York"))


def _lead(n: int) -> dict[str, object]:
    return {"LeadId": f"L{n:06d}", "Status": "New", "OwnerName": f"Owner {n}", "BestPhone": f"+1813555{n:04d}",
            "PropertyAddress": f"{n} Main St", "City": "Tampa", "State": "FL", "PostalCode": "33602", "NextChannel": "call"}


def _phone(n: int) -> dict[str, object]:
    return {"PhoneId": f"P{n:06d}", "LeadId": f"L{n:06d}", "Position": 1, "Phone": f"+1813555{n:04d}", "PhoneStatus": "Active"}


@pytest.fixture
def path(tmp_path: Path) -> Path:

    return agent_workbook(tmp_path / "Relist.xlsx")


@pytest.mark.parametrize("flavour", xe.FLAVOURS)
def test_a_click_waits_for_the_writer_and_reads_what_it_wrote(path: Path, flavour: str) -> None:
    book = xe.load(path, flavour)
    LiveWorkbook(book).append_rows("tblLeads", [_lead(1)])
    LiveWorkbook(book).append_rows("tblPhones", [_phone(1)])
    got: list[str | None] = []
    with writer_lock(path):  # another writer (a CLI command, another click) holds the workbook
        click = threading.Thread(target=lambda: got.append(excel.run("todays_queue", book, at=AT)))
        click.start()
        deadline = time.monotonic() + 60
        while not any("waiting for another Relist command" in str(s) for s in xe.excel(book).status_history):
            assert click.is_alive() and time.monotonic() < deadline, "the click did not wait for the lock"
            time.sleep(0.01)
        LiveWorkbook(book).append_rows("tblLeads", [_lead(2)])  # what that writer adds while the click waits
        LiveWorkbook(book).append_rows("tblPhones", [_phone(2)])
    click.join(timeout=120)
    assert got and (got[0] or "").startswith("Today 2026-11-25:"), got
    today = {r["LeadId"] for r in LiveWorkbook(book).read_records("tblToday", ["LeadId"]) if r["LeadId"]}
    assert {"L000001", "L000002"} <= today


def test_clicks_in_separate_processes_run_one_after_another(path: Path, tmp_path: Path) -> None:
    """Two macOS-style clicks (one process each) on one workbook: the second starts when the first has ended."""
    trace = tmp_path / "trace.txt"
    code = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tests.fakes import xl_engine as xe
        from relist import excel

        def probe(click):
            with open({str(trace)!r}, "a") as f:
                f.write(f"enter {{sys.argv[1]}}\\n")
            time.sleep(1.0)
            with open({str(trace)!r}, "a") as f:
                f.write(f"exit {{sys.argv[1]}}\\n")
            return "done"

        entry = excel.button("probe", "Probe", "Help")(probe)
        book = xe.load({str(path)!r}, "mac")
        print(entry(book))
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(k)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in (1, 2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(out.strip().endswith("done") for out, _err in outs), outs
    lines = trace.read_text().split()
    events = [(lines[i], lines[i + 1]) for i in range(0, len(lines), 2)]
    assert [e for e, _k in events] == ["enter", "exit", "enter", "exit"], events  # never two inside at once
    assert events[0][1] == events[1][1] and events[2][1] == events[3][1]
