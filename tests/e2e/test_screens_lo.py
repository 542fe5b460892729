"""The demo workbook's Today as a 1,366 x 768 screen and on paper (LibreOffice headless, pdftotext)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from tests.conftest import require_tool, soffice_convert

from relist import schema
from relist.demo import run_demo
from relist.workbook.screens import screen_pdf

pytestmark = pytest.mark.e2e

ACTING = ("Section", "Owner", "Phone", "Address", "What to do", "Owner's hours", "Your hours", "First day", "Send", "Outcome", "Note")


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("soffice")
    return run_demo(tmp_path_factory.mktemp("demo") / "demo").files["workbook"]


def _text(pdf: Path, page: int, layout: bool = True) -> str:
    exe = require_tool("pdftotext")
    args = [exe, "-f", str(page), "-l", str(page)] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_first_screen_of_today_holds_everything_an_agent_acts_on(demo_book: Path, tmp_path: Path) -> None:
    first = _text(screen_pdf(demo_book, "Today", tmp_path), 1)
    head = first.splitlines()[0]
    assert re.match(r"\w+day \d{1,2} \w{3}: \d+ calls?, .* - see below", head.strip()), head
    for name in ACTING:
        assert name in first, f"{name!r} is off the first screen"
    for internal in ("Hours since expiry", "Rank", "Closes"):
        assert internal not in first, f"{internal!r} is on the first screen"
    assert not re.search(r"\bLead\b|L0000\d\d", first)  # the lead's id sits at the far right
    assert re.search(r"\(\d{3}\) \d{3}-\d{4}", first) and "+1" not in first  # phones as an agent writes them
    assert "%20" not in first and "{{" not in first
    assert re.search(r"\d+ h left", first) and "until " in first


def test_first_screen_shows_at_least_ten_calls_and_the_opening_once(demo_book: Path, tmp_path: Path) -> None:
    """Each row shows its step and talking point; the opening every call starts with is the legend's line, so a
    1,366 x 768 screen holds 11 of the demo's first calls (it held 7 when each row repeated the opening)."""
    pdf = screen_pdf(demo_book, "Today", tmp_path)
    exe = require_tool("pdftotext")
    screen = subprocess.run([exe, "-f", "1", "-l", "1", "-x", "0", "-y", "0", "-W", "2000", "-H", str(768 * 72 // 96),
                             "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    calls = [line for line in screen.splitlines() if line.strip().startswith("calls ")]
    assert len(calls) >= 10, screen
    flat = " ".join(screen.split())
    assert "Every call: say first your name, your brokerage and why you are calling" in flat
    assert "Say first" not in flat


def test_today_prints_landscape_one_page_wide(demo_book: Path, tmp_path: Path) -> None:
    work = tmp_path / "print"
    work.mkdir()
    pdf = soffice_convert(demo_book, "pdf", work)
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert w > h
    page1 = _text(pdf, 1, layout=False)
    last = schema.TODAY.columns[-1].header
    assert "Wednesday" in page1 and re.search(rf"\b{last}\b", page1) and schema.TODAY.columns[0].header in page1  # every column on page 1's width


FIRST_SCREENS = {
    "Leads": ("Lead", "Owner", "Best phone", "Address", "City", "Status", "Next due", "Touches", "Last outcome", "Outcome"),
    "Phones": ("Lead", "Order", "Phone", "Written as", "Vendor DNC", "Status", "Kind", "Added", "Litigator"),
    "Touches": ("Touch", "Lead", "When", "Channel", "Step", "Outcome", "Phone", "Note"),
}


@pytest.mark.parametrize("sheet", sorted(FIRST_SCREENS))
def test_first_screens_of_the_tables_show_plain_headers(demo_book: Path, tmp_path: Path, sheet: str) -> None:
    """Leads, Phones and Touches as a 1,366-px screen shows them: headers in words, no field name, phones as written."""
    first = _text(screen_pdf(demo_book, sheet, tmp_path), 1)
    header = " ".join(first.splitlines()[:3])
    for label in FIRST_SCREENS[sheet]:  # a long header wraps onto two lines ("Vendor" above "DNC"): each word is there
        for word in label.split():
            assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", header), f"{label!r} is not on the first screen of {sheet}: {header}"
    spec = schema.table(sheet)
    for c in spec.columns:
        if c.name != c.header and re.search(r"[a-z][A-Z]", c.name):
            assert not re.search(rf"\b{c.name}\b", first), f"{c.name} shows on {sheet}"
    if sheet == "Leads":
        assert re.search(r"\(\d{3}\) \d{3}-\d{4}", first) and not re.search(r"\+1\d{10}", first)  # best phone as an agent writes it
