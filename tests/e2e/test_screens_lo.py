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
    "Touches": ("Touch", "Lead", "When", "When (UTC)", "Channel", "Step", "Outcome", "Phone", "Note"),
    "DNC": ("Entry", "Phone", "Email", "Lead", "Channel", "Source", "Reason", "Added", "Removed"),
}


@pytest.mark.parametrize("sheet", sorted(FIRST_SCREENS))
def test_first_screens_of_the_tables_show_plain_headers(demo_book: Path, tmp_path: Path, sheet: str) -> None:
    """Leads, Phones, Touches and DNC as a 1,366-px screen shows them: headers in words, no field name, phones as an
    agent writes them, (305) 555-0100, and never +13055550100."""
    first = _text(screen_pdf(demo_book, sheet, tmp_path), 1)
    header = " ".join(first.splitlines()[:3])
    for label in FIRST_SCREENS[sheet]:  # a long header wraps onto two lines ("Vendor" above "DNC"): each word is there
        for word in label.split():
            assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", header), f"{label!r} is not on the first screen of {sheet}: {header}"
    spec = schema.table(sheet)
    for c in spec.columns:
        if c.name != c.header and re.search(r"[a-z][A-Z]", c.name):
            assert not re.search(rf"\b{c.name}\b", first), f"{c.name} shows on {sheet}"
    assert re.search(r"\(\d{3}\) \d{3}-\d{4}", first) and not re.search(r"\+1\d{10}", first)


def _rows_of_words(pdf: Path, page: int) -> list[list[tuple[float, float, str]]]:
    """Page `page`'s words as (xMin, xMax, text), grouped into lines by their baseline and sorted left to right."""
    out = subprocess.run([require_tool("pdftotext"), "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    lines: dict[float, list[tuple[float, float, str]]] = {}
    for x0, x1, y1, word in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        lines.setdefault(round(float(y1)), []).append((float(x0), float(x1), word))
    return [sorted(v) for _k, v in sorted(lines.items())]


def _when_gaps(pdf: Path, page: int) -> list[float]:
    """Points between each touch's local time (When, right-aligned) and its UTC time (When (UTC)) on a page."""
    gaps = []
    for words in _rows_of_words(pdf, page):
        for (_a, end, word), (start, _b, nxt) in zip(words, words[1:], strict=False):
            if re.fullmatch(r"\d\d:\d\d", word) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+Z", nxt):
                gaps.append(start - end)
    return gaps


def test_touches_when_and_when_utc_read_as_two_columns_on_screen_and_in_print(demo_book: Path, tmp_path: Path) -> None:
    """The local time ends at its column's right edge and the UTC time began at the next column's left edge, 2 pt
    apart ("09:19 2026-11-25T14:19:00Z" read as one value): the UTC column now starts one indent in."""
    screen = _when_gaps(screen_pdf(demo_book, "Touches", tmp_path / "screen"), 1)
    assert screen and min(screen) >= 7, screen  # a space in Calibri 11 is about 2.5 pt
    pdf = screen_pdf(demo_book, "Touches", tmp_path / "print", as_screen=False)  # landscape Letter, one page wide
    printed = _when_gaps(pdf, 1)
    assert printed and min(printed) >= 4, printed  # scaled to fit the page: the gap shrinks with the type


def test_today_shows_no_e164_number_and_no_cut_off_value_anywhere(demo_book: Path, tmp_path: Path) -> None:
    """Every page of Today as the screen shows it (the skipped rows, the columns at the right): numbers as the Phone
    column writes them ("Skipped today: the list vendor flagged +19045550129" was E.164), and no '###' (the queue's
    moment in R1 did not fit the Lead column beneath it)."""
    pdf = screen_pdf(demo_book, "Today", tmp_path)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run([require_tool("pdfinfo"), str(pdf)], check=True,  # type: ignore[union-attr]
                                                           capture_output=True, text=True).stdout).group(1))
    text = " ".join("\n".join(_text(pdf, p, layout=False) for p in range(1, pages + 1)).split())
    assert "Skipped today" in text and re.search(r"flagged \(\d{3}\) \d{3}-\d{4}", text)
    assert not re.search(r"\+1\d{10}", text), re.search(r".{60}\+1\d{10}", text)
    assert "###" not in text and re.search(r"as of\s+\d{4}-\d\d-\d\d \d\d:\d\d", text)


def _grey_pixels(pdf: Path, tmp: Path) -> int:
    """Pixels of page 1 in the fill of a lifted DNC entry (EDEDED)."""
    from PIL import Image

    subprocess.run([require_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp / "p")],
                   check=True, timeout=120)
    with Image.open(tmp / "p.png") as img:
        rgb = img.convert("RGB")
        return sum(1 for x in range(rgb.width) for y in range(rgb.height) if rgb.getpixel((x, y)) == (0xED, 0xED, 0xED))


def test_a_lifted_dnc_entry_is_greyed_out(demo_book: Path, tmp_path: Path) -> None:
    """A removed DNC row stays on the sheet (the record is kept) but greys out, so it does not read as still blocking."""
    import shutil

    from click.testing import CliRunner

    from relist.cli import cli

    book = tmp_path / "Relist.xlsx"
    shutil.copy(demo_book, book)
    before = _grey_pixels(screen_pdf(book, "DNC", tmp_path / "before"), tmp_path / "before")
    number = open_dnc_phone(book)
    r = CliRunner().invoke(cli, ["dnc", "remove", number, "--reason", "signed written permission", "-w", str(book),
                                 "--at", "2026-11-25T10:02"], env={"RELIST_WORKBOOK": None})
    assert r.exit_code == 0, r.output
    after = _grey_pixels(screen_pdf(book, "DNC", tmp_path / "after"), tmp_path / "after")
    assert before < 100 and after > 2000, (before, after)  # a few anti-aliased pixels happen to match


def open_dnc_phone(book: Path) -> str:
    from relist.workbook import open_workbook

    return str(open_workbook(book).read_records("tblDNC", ["Phone"])[-1]["Phone"])
