"""Hypothesis fuzzing of every importer (CSV in any encoding and delimiter, XLSX, XLS, random and
damaged bytes) and of --note / --reason text: no traceback ever; a refusal is a RelistError (one
line, exit 2) and leaves the workbook as it was.
"""

from __future__ import annotations

import copy
import io
import random
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relist.cli import cli
from relist.errors import RelistError
from relist.intake.service import import_files
from relist.workbook import open_workbook
from relist.workbook.memory import MemoryWorkbook
from tests.reliability.conftest import HEADER

pytestmark = pytest.mark.reliability

AT = datetime(2026, 11, 25, 7, 30, tzinfo=ZoneInfo("America/New_York"))
DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
COLUMNS = HEADER.strip().split(",")
FUZZ = settings(max_examples=int(__import__("os").environ.get("RELIST_FUZZ_EXAMPLES", "40")), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

cell_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24) | st.sampled_from(
    ["", "=1+1", "@SUM(A1)", "-", "N/A", "11/31/2026", "(813) 555-0100", "john..doe@example.com", "0", "1e309", "\"", "a,b", "\n", "\r\n", "\t"]
)


def _import(book: MemoryWorkbook, path: Path) -> None:
    """Import and check the outcome: a summary, or a RelistError with the book untouched."""
    before = copy.deepcopy(book.tables)
    try:
        import_files(book, [path], at=AT)
    except RelistError as exc:
        assert "\n" not in exc.one_line()
        assert book.tables == before


@FUZZ
@given(
    rows=st.lists(st.lists(cell_text, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_importer(tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], encoding: str, delimiter: str) -> None:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(COLUMNS)
    w.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "export.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    _import(MemoryWorkbook(), path)


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xls", ".tsv"]))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("bin") / f"export{suffix}"
    path.write_bytes(data)
    _import(MemoryWorkbook(), path)


@FUZZ
@given(source=st.sampled_from(["vendor.xlsx", "matrix_mls.xls", "vendor_redx.csv", "utf8_bom.csv"]),
       seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 12), cut=st.booleans())
def test_damaged_real_exports(tmp_path_factory: pytest.TempPathFactory, source: str, seed: int, flips: int, cut: bool) -> None:
    data = bytearray((DATA / source).read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if cut:
        del data[rng.randrange(len(data)) :]
    path = tmp_path_factory.mktemp("dmg") / source
    path.write_bytes(bytes(data))
    _import(MemoryWorkbook(), path)


xlsx_cell = cell_text | st.integers(-10**12, 10**12) | st.floats(allow_nan=True, allow_infinity=True) | st.dates(
    date(1900, 3, 1), date(2100, 1, 1)) | st.none() | st.booleans()


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(xlsx_cell, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=5))
def test_xlsx_importer(tmp_path_factory: pytest.TempPathFactory, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(COLUMNS)
    for r in rows:
        ws.append([v if not isinstance(v, str) else "".join(ch for ch in v if ch.isprintable() or ch in "\n\t") for v in r])
    path = tmp_path_factory.mktemp("xlsx") / "export.xlsx"
    wb.save(path)
    _import(MemoryWorkbook(), path)


# ------------------------------------------------------------------ --note and --reason on a real workbook

free_text = st.text(st.characters(), max_size=60) | st.sampled_from(
    ["=HYPERLINK(\"http://x\",\"y\")", "\udcff\udcfe", "x" * 33_000, "\x00\x01\x1b[31m", "a\rb\r\nc", " lead ", ""]
)


@pytest.fixture(scope="module")
def fuzz_book(seeded_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_book


def _cli(book: Path, *args: str) -> None:
    before = book.read_bytes()
    touches = len(open_workbook(book).read_records("tblTouches"))
    result = CliRunner().invoke(cli, [*args, "-w", str(book)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert book.read_bytes() == before
    else:
        assert args[0] != "log" or len(open_workbook(book).read_records("tblTouches")) == touches + 1


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(note=free_text)
def test_note_text(fuzz_book: Path, tmp_path_factory: pytest.TempPathFactory, note: str) -> None:
    book = tmp_path_factory.mktemp("note") / "Relist.xlsx"
    shutil.copyfile(fuzz_book, book)
    _cli(book, "log", "L000001", "--channel", "call", "--outcome", "no-answer", "--note", note, "--at", "2026-11-25T09:30")


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(reason=free_text)
def test_reason_text(fuzz_book: Path, tmp_path_factory: pytest.TempPathFactory, reason: str) -> None:
    book = tmp_path_factory.mktemp("reason") / "Relist.xlsx"
    shutil.copyfile(fuzz_book, book)
    _cli(book, "dnc", "add", "8135550100", "--reason", reason, "--at", "2026-11-25T09:30")


@settings(max_examples=int(__import__("os").environ.get("RELIST_FUZZ_EXAMPLES", "25")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 8))
def test_damaged_workbook_is_refused_in_one_line(fuzz_book: Path, tmp_path_factory: pytest.TempPathFactory, seed: int, flips: int) -> None:
    data = bytearray(fuzz_book.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    book = tmp_path_factory.mktemp("wb") / "Relist.xlsx"
    book.write_bytes(bytes(data))
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["log", "L000001", "--channel", "call", "--outcome", "no-answer", "-w", str(book),
                                      "--at", "2026-11-25T09:30"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and book.read_bytes() == before
