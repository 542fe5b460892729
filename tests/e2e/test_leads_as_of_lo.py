"""Leads' row colours count from the queue's moment written in the workbook (RelistAsOf), not the clock:
LibreOffice headless recalculates and draws the demo's Leads sheet with the machine clock at that moment
and a week later (faketime reaches the soffice process; time-machine cannot), and the colours are the same.

The control: the same workbook with RelistAsOf pointed at NOW() (what TODAY()-based rules did) changes
colour a week later, so the faked clock did reach LibreOffice and the comparison can fail.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.conftest import lo_profile, require_tool

from relist import schema
from relist.workbook.screens import screen_copy

pytestmark = pytest.mark.e2e

FILLS = {"overdue": (0xFF, 0xC7, 0xCE), "due today": (0xFF, 0xEB, 0x9C), "fresh": (0xC6, 0xEF, 0xCE)}
"""The Leads highlights' fill colours (schema: _DUE_RED, _DUE_AMBER, _FRESH_GREEN)."""


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.demo import run_demo

    require_tool("soffice")
    require_tool("faketime")
    return run_demo(tmp_path_factory.mktemp("demo") / "demo").files["workbook"]


def _as_of(book: Path) -> datetime:
    from openpyxl import load_workbook

    wb = load_workbook(book, read_only=True)
    try:
        value = wb[schema.TODAY.sheet][schema.AS_OF_CELL].value
    finally:
        wb.close()
    assert isinstance(value, datetime), f"Today!{schema.AS_OF_CELL} holds {value!r}, not the queue's moment"
    return value


def _on_the_clock(data: bytes) -> bytes:
    """The workbook with RelistAsOf defined as NOW(): the colours then follow the machine clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text, n = re.subn(rf'(<definedName name="{schema.AS_OF_NAME}"[^>]*>)[^<]*(</definedName>)', r"\1NOW()\2",
                                  body.decode())
                assert n == 1, "no RelistAsOf defined name in the workbook"
                body = text.encode()
            dst.writestr(info, body)
    return out.getvalue()


def _render_at(data: bytes, clock: datetime, work: Path) -> Counter[str]:
    """Leads drawn by LibreOffice with the machine clock at `clock` (UTC wall time = the sheet's time):
    how many pixels of page 1 carry each highlight's fill."""
    from PIL import Image

    work.mkdir(parents=True)
    copy = work / "leads.xlsx"
    copy.write_bytes(screen_copy(data, schema.LEADS.sheet))
    profile = lo_profile()
    env = dict(os.environ, TZ="UTC", FAKETIME_DONT_FAKE_MONOTONIC="1")
    try:
        subprocess.run(
            [require_tool("faketime"), clock.strftime("%Y-%m-%d %H:%M:%S"), require_tool("soffice"),
             f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(work), str(copy)],
            check=True, capture_output=True, timeout=240, env=env,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    subprocess.run([require_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(work / "leads.pdf"), str(work / "leads")], check=True, timeout=120)
    keep = os.environ.get("RELIST_SCREENSHOTS")
    if keep:
        shutil.copy(work / "leads.png", Path(keep) / f"leads-as-of-{work.name}.png")
    colours = {rgb: n for n, rgb in Image.open(work / "leads.png").convert("RGB").getcolors(maxcolors=1 << 24) or []}
    return Counter({name: colours.get(rgb, 0) for name, rgb in FILLS.items()})


def test_leads_colours_a_week_later_are_the_queues_not_the_clocks(demo_book: Path, tmp_path: Path) -> None:
    as_of = _as_of(demo_book)
    data = demo_book.read_bytes()
    at_build = _render_at(data, as_of + timedelta(minutes=1), tmp_path / "at-build")
    week_later = _render_at(data, as_of + timedelta(days=7), tmp_path / "week-later")
    assert at_build["due today"] > 0, at_build  # the demo's queue has calls due on its day
    assert week_later == at_build, (at_build, week_later)
    print("colour pixels at the build and a week later:", dict(at_build), dict(week_later))

    # control: colours counted from the clock go red a week later (nothing is "due today" any more)
    clocked = _on_the_clock(data)
    clock_at_build = _render_at(clocked, as_of + timedelta(minutes=1), tmp_path / "clock-at-build")
    clock_week_later = _render_at(clocked, as_of + timedelta(days=7), tmp_path / "clock-week-later")
    assert clock_at_build == at_build, (clock_at_build, at_build)  # same moment, same colours
    print("on the clock, at the build and a week later:", dict(clock_at_build), dict(clock_week_later))
    assert clock_week_later["due today"] == 0 and clock_week_later["overdue"] > at_build["overdue"], clock_week_later
