"""Registry files: every accepted layout, change lists, all-or-nothing loads, and batch lookups."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.test_compliance_support import NY

from relist.compliance import registry_files
from relist.compliance.registry import Registry, area_state
from relist.compliance.registry_files import load_files, parse_full
from relist.errors import BadInput

TODAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 10, 0, tzinfo=NY)


def load(folder: Path, *files: Path, downloaded: date | None = date(2026, 11, 20), covers: tuple[str, ...] = ()) -> registry_files.LoadReport:
    return load_files(folder, list(files), AT, TODAY, downloaded, covers)


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize(
    "text",
    [
        "814,9652488\n814,9652489\n",
        "8149652488\n8149652489\n",
        "814,9652488\r\n814,9652489\r\n",
        "18149652488\n18149652489",
        "AreaCode,PhoneNumber\n814,9652488\n\n(814) 965-2489\n",
        "+1 814-965-2488\n814.965.2489\n",
        '"814","9652488"\n"814","9652489"\n',
    ],
)
def test_every_full_list_layout(text: str) -> None:
    from relist.compliance.registry_files import _first_data_line

    _, data = _first_data_line(text.encode())
    full = parse_full(data)
    assert full.area.tolist() == [814, 814] and sorted(full.sub.tolist()) == [9652488, 9652489]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("814,9652488\n814,965248\n", 2, "9 digits"),
        ("814,9652488\n814,9652488x\n", 2, "unexpected character 'x'"),
        ("814,9652488\n\n\n114,9652488\n", 4, "not a valid US number"),
        ("814,9652488\n814,0652488\n", 2, "not a valid US number"),
        ("814,96524881\n", 1, "11 digits"),
    ],
)
def test_bad_full_list_lines_are_named(tmp_path: Path, text: str, line: int, words: str) -> None:
    f = write(tmp_path / "814.txt", text)
    with pytest.raises(BadInput) as e:
        load(tmp_path / "reg", f)
    assert f"814.txt line {line}:" in e.value.message and words in e.value.message
    assert "nothing was loaded" in e.value.hint
    assert not (tmp_path / "reg" / "manifest.json").exists()


def test_fixed_width_fast_path_and_generic_path_agree() -> None:
    rng = np.random.default_rng(7)
    subs = rng.integers(2_000_000, 10_000_000, 5000)
    fixed = "".join(f"305,{s:07d}\n" for s in subs).encode()
    mixed = "".join(f"305{s:07d}\n" if i % 3 else f"305,{s:07d}\n" for i, s in enumerate(subs)).encode()
    a, b = parse_full(fixed), parse_full(mixed)
    assert np.array_equal(a.sub, b.sub) and np.array_equal(a.area, b.area) and a.lines == b.lines == 5000
    assert a.sub.tolist() == [int(s) for s in subs] and set(a.area.tolist()) == {305}


def test_chunks_keep_line_numbers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(registry_files, "CHUNK", 64)
    lines = [f"814,{5550000 + i}" for i in range(40)]
    lines[33] = "814,55x0033"
    f = write(tmp_path / "a.txt", "\n".join(lines) + "\n")
    with pytest.raises(BadInput, match="a.txt line 34:"):
        load(tmp_path / "reg", f)
    lines[33] = "814,5550033"
    f = write(tmp_path / "a.txt", "\n".join(lines))
    assert load(tmp_path / "reg", f).areas[0].after == 40


def test_load_zip_and_text_and_manifest(tmp_path: Path) -> None:
    z = tmp_path / "dnc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(zipfile.ZipInfo("813.txt", (2026, 11, 18, 9, 0, 0)), "813,5550100\n813,5550101\n813,5550100\n")
        zf.writestr(zipfile.ZipInfo("__MACOSX/._813.txt", (2026, 11, 18, 9, 0, 0)), "junk")
    txt = write(tmp_path / "727.txt", "7275550100\n")
    stamp = datetime(2026, 11, 24, 17, 0, tzinfo=NY).timestamp()
    os.utime(txt, (stamp, stamp))
    os.utime(z, (stamp, stamp))
    report = load(tmp_path / "reg", z, txt, downloaded=None)
    assert [(a.area, a.after) for a in report.areas] == [("727", 1), ("813", 2)]
    by = {a.area: a for a in report.areas}
    assert by["813"].downloaded == date(2026, 11, 18)  # the zip member's date
    manifest = json.loads((tmp_path / "reg" / "manifest.json").read_text())
    assert manifest["areas"]["813"]["count"] == 2 and manifest["areas"]["813"]["downloaded"] == "2026-11-18"
    assert (tmp_path / "reg" / "813.u32").stat().st_size == 8  # 4 bytes a number
    reg = Registry.open(tmp_path / "reg")
    assert reg.is_listed("(813) 555-0101") and not reg.is_listed("+18135550102")
    assert reg.oldest_download() == date(2026, 11, 18)


def test_a_new_full_list_replaces_the_area(tmp_path: Path) -> None:
    load(tmp_path / "reg", write(tmp_path / "a.txt", "813,5550100\n813,5550101\n"))
    load(tmp_path / "reg", write(tmp_path / "b.txt", "813,5550102\n"), downloaded=date(2026, 11, 24))
    reg = Registry.open(tmp_path / "reg")
    assert not reg.is_listed("8135550100") and reg.is_listed("8135550102")
    assert reg.areas["813"].downloaded == date(2026, 11, 24)


@pytest.mark.parametrize(
    "changes",
    [
        "8135550102,2026-11-24 03:00:00,A\n8135550100,2026-11-24 03:00:00,D\n",
        "A,8135550102,11/24/2026\nD,8135550100,11/24/2026\n",
        "2026-11-24T03:00,813,5550102,ADD\n2026-11-24T03:00,813,5550100,DELETE\n",
        "Phone,Date,Action\n(813) 555-0102,20261124,add\n813-555-0100,20261124,del\n",
    ],
)
def test_change_lists_in_any_column_order(tmp_path: Path, changes: str) -> None:
    load(tmp_path / "reg", write(tmp_path / "full.txt", "813,5550100\n813,5550101\n"))
    report = load(tmp_path / "reg", write(tmp_path / "chg.txt", changes), downloaded=date(2026, 11, 24))
    a = report.areas[0]
    assert (a.kind, a.before, a.after, a.added, a.deleted) == ("changes", 2, 2, 1, 1)
    reg = Registry.open(tmp_path / "reg")
    assert reg.is_listed("8135550102") and not reg.is_listed("8135550100") and reg.is_listed("8135550101")
    assert reg.areas["813"].downloaded == date(2026, 11, 24)


def test_a_change_list_is_all_or_nothing(tmp_path: Path) -> None:
    load(tmp_path / "reg", write(tmp_path / "full.txt", "813,5550100\n727,5550100\n"))
    before = (tmp_path / "reg" / "813.u32").read_bytes(), (tmp_path / "reg" / "manifest.json").read_text()
    good = write(tmp_path / "c1.txt", "8135550109,2026-11-24,A\n")
    bad = write(tmp_path / "c2.txt", "7275550108,2026-11-24,A\n7275550100,2026-11-24\n")
    with pytest.raises(BadInput, match=r"c2.txt line 2: expected one add/delete flag"):
        load(tmp_path / "reg", good, bad, downloaded=date(2026, 11, 24))
    assert ((tmp_path / "reg" / "813.u32").read_bytes(), (tmp_path / "reg" / "manifest.json").read_text()) == before
    two = write(tmp_path / "c3.txt", "8135550109,A,8135550110\n")
    with pytest.raises(BadInput, match="c3.txt line 1: expected one 10-digit phone number, found 2"):
        load(tmp_path / "reg", two)


def test_change_list_needs_the_full_list_and_must_be_newer(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no full list of 305"):
        load(tmp_path / "reg", write(tmp_path / "c.txt", "3055550100,2026-11-24,A\n"))
    load(tmp_path / "reg", write(tmp_path / "full.txt", "305,5550101\n"), downloaded=date(2026, 11, 24))
    with pytest.raises(BadInput, match="older than the copy"):
        load(tmp_path / "reg", write(tmp_path / "c.txt", "3055550100,2026-11-20,A\n"), downloaded=date(2026, 11, 20))


def test_covers_refreshes_areas_without_changes(tmp_path: Path) -> None:
    load(tmp_path / "reg", write(tmp_path / "f.txt", "305,5550101\n786,5550101\n"), downloaded=date(2026, 11, 1))
    load(tmp_path / "reg", write(tmp_path / "c.txt", "3055550100,x,A\n"), downloaded=date(2026, 11, 24), covers=("786",))
    reg = Registry.open(tmp_path / "reg")
    assert reg.areas["786"].downloaded == date(2026, 11, 24) and reg.is_listed("7865550101")
    with pytest.raises(BadInput, match="--covers applies to change lists"):
        load(tmp_path / "reg", write(tmp_path / "f2.txt", "305,5550101\n"), covers=("786",))


def test_dates_in_the_future_and_missing_files(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "813,5550100\n")
    with pytest.raises(BadInput, match="in the future"):
        load(tmp_path / "reg", f, downloaded=TODAY + timedelta(days=1))
    future = datetime(2026, 12, 20, 12, 0, tzinfo=NY).timestamp()
    os.utime(f, (future, future))
    with pytest.raises(BadInput, match="its date 2026-12-20 is in the future") as e:
        load(tmp_path / "reg", f, downloaded=None)
    assert "--downloaded" in e.value.hint
    with pytest.raises(BadInput, match="no such file"):
        load(tmp_path / "reg", tmp_path / "nope.txt")
    with pytest.raises(BadInput, match="not a valid zip"):
        load(tmp_path / "reg", write(tmp_path / "x.zip", b"PK\x03\x04 not really"))
    with pytest.raises(BadInput, match="empty.txt line 1: no phone numbers"):
        load(tmp_path / "reg", write(tmp_path / "empty.txt", "AreaCode,Number\n\n"))
    with pytest.raises(BadInput, match="bin.txt line 1: unexpected character"):
        load(tmp_path / "reg", write(tmp_path / "bin.txt", b"\x00\x01binary\n"))


def test_area_state_thresholds() -> None:
    d = date(2026, 1, 1)
    assert area_state(d, d + timedelta(days=24)) == ("fresh", 24)
    assert area_state(d, d + timedelta(days=25)) == ("warning", 25)
    assert area_state(d, d + timedelta(days=31)) == ("warning", 31)
    assert area_state(d, d + timedelta(days=32)) == ("stale", 32)


def test_corrupt_manifest_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(BadInput, match="manifest"):
        Registry.open(tmp_path)


@settings(max_examples=60, deadline=None)
@given(
    listed=st.sets(st.integers(2_000_000, 9_999_999), max_size=300),
    probes=st.lists(st.integers(2_000_000, 9_999_999), max_size=200),
    areas=st.lists(st.sampled_from([305, 813, 212, 999]), min_size=1, max_size=3, unique=True),
)
def test_batch_lookup_matches_a_python_set(tmp_path_factory: pytest.TempPathFactory, listed: set[int], probes: list[int], areas: list[int]) -> None:
    folder = tmp_path_factory.mktemp("reg")
    numbers = {a * 10_000_000 + s for a in areas for s in listed}
    text = "".join(f"{n // 10_000_000},{n % 10_000_000:07d}\n" for n in sorted(numbers))
    src = folder / "in.txt"
    src.write_text(text)
    if numbers:
        load(folder / "r", src)
    reg = Registry.open(folder / "r")
    queries = [a * 10_000_000 + p for a in (305, 813, 212, 404) for p in probes] + sorted(numbers)[:50]
    got = reg.contains(np.array(queries, dtype=np.uint64)).tolist()
    assert got == [q in numbers for q in queries]


def test_a_file_date_is_the_agents_date_not_the_machines(tmp_path: Path) -> None:
    """A file saved at 21:00 in New York is 02:00 next day in UTC: still the agent's today, not the future."""
    f = write(tmp_path / "813.txt", "813,5550100\n")
    saved = datetime(2026, 11, 25, 21, 0, tzinfo=NY)
    os.utime(f, (saved.timestamp(), saved.timestamp()))
    at = datetime(2026, 11, 25, 22, 0, tzinfo=NY)
    for machine_view in (at, at.astimezone(ZoneInfo("UTC")), at.astimezone(ZoneInfo("Pacific/Kiritimati"))):
        report = load_files(tmp_path / f"reg-{machine_view.utcoffset()}", [f], machine_view.astimezone(NY), date(2026, 11, 25), None)
        assert report.areas[0].downloaded == date(2026, 11, 25)


def test_a_zip_made_a_zone_ahead_counts_as_today(tmp_path: Path) -> None:
    """A zip's member dates are its maker's wall clock: the agent's tomorrow is a zone apart, later is refused."""
    z = tmp_path / "dnc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(zipfile.ZipInfo("813.txt", (2026, 11, 26, 2, 0, 0)), "813,5550100\n")
    at = datetime(2026, 11, 25, 22, 0, tzinfo=NY)
    os.utime(z, (at.timestamp() - 60, at.timestamp() - 60))
    report = load_files(tmp_path / "reg", [z], at, at.date(), None)
    assert report.areas[0].downloaded == date(2026, 11, 25)
    later = tmp_path / "later.zip"
    with zipfile.ZipFile(later, "w") as zf:
        zf.writestr(zipfile.ZipInfo("813.txt", (2026, 11, 27, 2, 0, 0)), "813,5550100\n")
    with pytest.raises(BadInput, match="2026-11-27 is in the future"):
        load_files(tmp_path / "reg2", [later], at, at.date(), None)
