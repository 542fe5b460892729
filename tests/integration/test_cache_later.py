"""Cache writes left for after a command (`cache_later`): done by a forked child of the real `relist`,
waited for by the next command, skipped when the table changed, and the same cache as writing at once."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.test_table_cache import assert_cache_agrees, book_with_leads, seeded_book

from relist import schema
from relist.workbook import cache_later, table_cache
from relist.workbook.file_adapter import FileWorkbook

AT = "2026-11-25T10:00-05:00"


@pytest.fixture()
def cache_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv("RELIST_CACHE", raising=False)
    monkeypatch.delenv("RELIST_CACHE_BACKGROUND", raising=False)
    yield monkeypatch
    cache_later._jobs.clear()
    cache_later._on = False


def resave(path: Path) -> None:
    """Every part rewritten with new compressed bytes and a changed sheet XML, as another program saves."""
    tmp = path.with_name("resaved.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<sheetData>", b"<sheetData >", 1)
            dst.writestr(info.filename, data)
    os.replace(tmp, path)


def relist(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RELIST_CACHE")}
    return subprocess.run([sys.executable, "-m", "relist", *args], capture_output=True, text=True, timeout=300,
                          env={**full_env, **(env or {})}, check=False)


def hits(path: Path) -> list[str]:
    book = FileWorkbook(path)
    found = []
    for name in ("tblLeads", "tblPhones", "tblTouches"):
        st = book._tables[name.lower()]
        if book._cached(st) is not None:
            found.append(name)
    return found


def test_later_runs_at_once_unless_deferring(cache_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    done: list[str] = []
    cache_later.later(tmp_path, "t", lambda: done.append("now"))
    assert done == ["now"] and cache_later.pending() == 0
    cache_env.setattr(cache_later, "_on", True)
    cache_later.later(tmp_path, "t", lambda: done.append("first"))
    cache_later.later(tmp_path, "t", lambda: done.append("second"))  # the save's write replaces the read's
    cache_later.later(tmp_path, "u", lambda: done.append("other"))
    assert cache_later.pending() == 2 and done == ["now"]
    cache_later.cancel(tmp_path, "u")
    assert cache_later.run_now(tmp_path, "t") and done == ["now", "second"]
    assert not cache_later.run_now(tmp_path, "t") and cache_later.pending() == 0


def test_switched_off_or_without_fork_nothing_waits(cache_env: pytest.MonkeyPatch) -> None:
    cache_env.setenv("RELIST_CACHE_BACKGROUND", "0")
    cache_later.begin()
    assert not cache_later.deferring()
    cache_env.delenv("RELIST_CACHE_BACKGROUND")
    cache_env.delattr(cache_later.os, "fork")
    cache_later.begin()
    assert not cache_later.deferring()


def test_a_read_write_left_for_later_is_skipped_when_the_table_changed(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    path = seeded_book(tmp_path, random.Random(3))
    folder = table_cache.folder_for(path)
    shutil.rmtree(folder)
    cache_env.setattr(cache_later, "_on", True)
    book = FileWorkbook(path)
    book.read_records("tblLeads")
    book.read_records("tblTouches")
    assert not folder.exists() or not list(folder.glob("*.idx")), "nothing written before the command ends"
    book.update_rows("tblLeads", [{"LeadId": "L000001", "OwnerName": "Changed, not saved"}])
    assert cache_later.run_now(folder, "tblLeads") and cache_later.run_now(folder, "tblTouches")
    assert not (folder / "tblLeads.idx").exists(), "a changed table's values as read are no longer the file's"
    assert (folder / "tblTouches.idx").exists()
    cache_env.setattr(cache_later, "_on", False)
    assert_cache_agrees(path, cache_env)


def test_a_command_that_needs_its_own_late_write_does_it_then(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """After a save that wrote Touches whole, reading Touches again comes from the cache, not a second full read."""
    path = seeded_book(tmp_path, random.Random(5))
    resave(path)
    cache_env.setattr(cache_later, "_on", True)
    book = FileWorkbook(path)
    book.append_rows("tblTouches", [{"TouchId": "T9999999", "LeadId": "L000002", "Channel": "call"}])
    book.save(backup=False)
    assert cache_later.pending() >= 1
    book.read_columns("tblTouches", ["TouchId"])
    assert isinstance(book._tables["tbltouches"].entry, table_cache.Entry)
    cache_env.setattr(cache_later, "_on", False)
    cache_later._jobs.clear()
    assert_cache_agrees(path, cache_env, expect_hits=False)


def test_the_real_command_answers_then_its_child_writes_the_cache(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """`relist log` after another program re-saved the workbook: the child's cache is the one writing at once makes."""
    books = {}
    for side, env in (("later", {}), ("at-once", {"RELIST_CACHE_BACKGROUND": "0"})):
        path = book_with_leads(tmp_path / side)
        relist("today", "--workbook", str(path), "--at", AT, env=env)
        cache_later.wait_for_build(table_cache.folder_for(path))
        resave(path)
        got = relist("log", "L000003", "--channel", "call", "--outcome", "no-answer", "--workbook", str(path), "--at", AT, env=env)
        assert got.returncode == 0, got.stderr
        assert "Logged T" in got.stdout, got.stdout
        books[side] = path
    later = books["later"]
    cache_later.wait_for_build(table_cache.folder_for(later))
    assert hits(later) == ["tblLeads", "tblPhones", "tblTouches"], "the background child wrote every table the command read"
    assert hits(books["at-once"]) == ["tblLeads", "tblPhones", "tblTouches"]
    cache_env.setenv("RELIST_CACHE", "0")
    tables = [t.table for t in schema.TABLE_SHEETS]
    a, b = FileWorkbook(later), FileWorkbook(books["at-once"])
    for t in tables:  # the same workbook either way (LoggedAt is the machine's clock)
        strip = [{k: v for k, v in r.items() if k != "LoggedAt"} for r in a.read_records(t)]
        assert strip == [{k: v for k, v in r.items() if k != "LoggedAt"} for r in b.read_records(t)], t
    cache_env.delenv("RELIST_CACHE")
    assert_cache_agrees(later, cache_env)
    got = relist("log", "L000004", "--channel", "call", "--outcome", "no-answer", "--workbook", str(later), "--at", AT)
    assert got.returncode == 0, got.stderr
    cache_later.wait_for_build(table_cache.folder_for(later))
    assert_cache_agrees(later, cache_env)


def test_a_miss_waits_for_a_child_still_writing(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """A command that starts while a child holds the build lock waits for it and then reads the cache."""
    path = seeded_book(tmp_path, random.Random(7))
    FileWorkbook(path).read_records("tblTouches")  # the cache, written at once
    folder = table_cache.folder_for(path)
    idx = folder / "tblTouches.idx"
    kept = idx.read_bytes()
    idx.unlink()
    hold = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(folder / cache_later.BUILD_LOCK)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(1.0)\n"
        f"open({str(idx)!r}, 'wb').write(bytes.fromhex(sys.argv[1]))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", hold, kept.hex()], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        book = FileWorkbook(path)
        book.read_columns("tblTouches", ["TouchId"])
        assert isinstance(book._tables["tbltouches"].entry, table_cache.Entry), "waited for the child, then hit"
    finally:
        child.wait(timeout=60)


def test_a_refusal_keeps_its_exit_code_and_line_when_a_writer_was_forked(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """The command read the year (a cache write waits), then refused: exit 2 and its one line, and the cache is still written."""
    path = book_with_leads(tmp_path)
    relist("today", "--workbook", str(path), "--at", AT)
    cache_later.wait_for_build(table_cache.folder_for(path))
    resave(path)
    got = relist("log", "L000003", "--channel", "fax", "--outcome", "no-answer", "--workbook", str(path), "--at", AT)
    assert got.returncode == 2 and got.stderr.startswith("relist: error:") and len(got.stderr.strip().splitlines()) == 1, got
    got = relist("log", "NOPE", "--channel", "call", "--outcome", "no-answer", "--workbook", str(path), "--at", AT)
    assert got.returncode == 2 and "NOPE" in got.stderr and len(got.stderr.strip().splitlines()) == 1, got
    cache_later.wait_for_build(table_cache.folder_for(path))
    assert "tblLeads" in hits(path)
