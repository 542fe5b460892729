"""The read cache (`<stem>.cache/`) gives exactly what the full read gives, after any edit by any program.

Each test changes a workbook (Relist's own writes with random values, openpyxl edits,
a damaged cache), then reads every product table twice: through the cache, and with
RELIST_CACHE=0 (the full read). Both must agree row for row, and the cached side must
really have come from the cache. Workbooks written with the cache on and off must be
the same, part for part.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.identity import agent_workbook

from relist import schema
from relist.errors import BadInput
from relist.workbook import table_cache
from relist.workbook.file_adapter import FileWorkbook

NY = ZoneInfo("America/New_York")
TABLES = [t.table for t in schema.TABLE_SHEETS]
TEXTS = ["Main St", "  padded ", "Añejo & Sons <LLC>", "00123", "=1+1", "line\nbreak", "tab\there", "ünïcødé 🏠", "x" * 300,
         "carriage\rreturn", "bell\x07char", "", "1.5", "Yes", "No", "long " * 7000]


@pytest.fixture()
def cache_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv("RELIST_CACHE", raising=False)
    yield monkeypatch


def value_for(col: schema.Column, rnd: random.Random) -> Any:
    """A value of the column's type, awkward ones included (and now and then one of another type)."""
    if rnd.random() < 0.12:
        return None
    if rnd.random() < 0.05:
        return rnd.choice([rnd.choice(TEXTS), rnd.random() * 1e6, rnd.randint(-5, 5), True])
    t = col.type
    if t in ("text", "link"):
        return rnd.choice(TEXTS) if rnd.random() < 0.5 else f"v{rnd.randint(0, 10**6)}"
    if t == "int":
        return rnd.choice([0, 1, -7, 2**40, rnd.randint(0, 999)])
    if t in ("float", "money", "pct"):
        return rnd.choice([0.1, 1e20, -0.0, 3.0, 1 / 3, rnd.uniform(-1e6, 1e6), float("nan")])
    if t == "datetime":
        return datetime(2026, 1, 1, 9) + timedelta(seconds=rnd.randint(0, 3 * 10**7))
    if t == "date":
        return date(2025, 1, 1) + timedelta(days=rnd.randint(0, 900))
    if t == "bool":
        return rnd.random() < 0.5
    if t == "time":
        return None
    return None


def random_row(spec: schema.TableSheet, rnd: random.Random, **fixed: Any) -> dict[str, Any]:
    row = {c.name: value_for(c, rnd) for c in spec.columns if rnd.random() < 0.7}
    row.update(fixed)
    return row


def seeded_book(tmp: Path, rnd: random.Random, leads: int = 60, touches: int = 300) -> Path:
    path = agent_workbook(tmp / "Relist.xlsx")
    book = FileWorkbook(path)
    lspec, tspec, pspec = schema.table("tblLeads"), schema.table("tblTouches"), schema.table("tblPhones")
    book.append_rows("tblLeads", [random_row(lspec, rnd, LeadId=f"L{i:06d}") for i in range(leads)])
    book.append_rows("tblPhones", [random_row(pspec, rnd, PhoneId=f"P{i}", LeadId=f"L{i % leads:06d}") for i in range(leads)])
    book.append_rows("tblTouches", [random_row(tspec, rnd, TouchId=f"T{i:07d}", LeadId=f"L{rnd.randrange(leads):06d}")
                                    for i in range(1, touches + 1)])
    book.save(backup=False)
    return path


def book_with_leads(folder: Path, leads: int = 40) -> Path:
    """A workbook of Tampa leads with a mobile phone each, to run Today and Log Touch on."""
    folder.mkdir(parents=True, exist_ok=True)
    path = agent_workbook(folder / "Relist.xlsx")
    book = FileWorkbook(path)
    book.append_rows("tblLeads", [{"LeadId": f"L{i:06d}", "Status": "New", "OwnerName": f"Owner {i}", "State": "FL",
                                   "PostalCode": "33602", "PropertyAddress": f"{i} Main St", "City": "Tampa",
                                   "Contactable": True, "SequenceStart": date(2026, 11, 20)} for i in range(leads)])
    book.append_rows("tblPhones", [{"PhoneId": f"L{i:06d}-1", "LeadId": f"L{i:06d}", "Position": 1,
                                    "Phone": f"+1813555{i:04d}", "PhoneStatus": "Active", "Kind": "mobile"} for i in range(leads)])
    book.save(backup=False)
    return path


def read_all(path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool) -> dict[str, Any]:
    """Every product table as records, and the cache-backed reads (columns, rows by value, tail)."""
    if cached:
        monkeypatch.delenv("RELIST_CACHE", raising=False)
    else:
        monkeypatch.setenv("RELIST_CACHE", "0")
    book = FileWorkbook(path)
    out: dict[str, Any] = {}
    for t in TABLES:
        cols = book.table_columns(t)
        out[t] = {
            "columns": book.read_columns(t, cols),
            "where": book.records_where(t, cols[0], "L000007", cols),
            "tail": book.tail(t, cols[0]),
        }
        for c in table_cache.INDEXED.get(t.lower(), ()):  # through the column's index on the cached side
            out[t][f"where {c}"] = book.records_where(t, c, "L000007", cols)
            out[t][f"in {c}"] = book.records_in(t, c, {"L000003", "L000011", "no-answer", "dnc-request", "v12", "Main St"}, cols)
    for t in TABLES:
        out[t]["records"] = book.read_records(t)
    if cached:
        out["_hits"] = sorted(t for t in TABLES if isinstance(book._tables[t.lower()].entry, table_cache.Entry))
    monkeypatch.delenv("RELIST_CACHE", raising=False)
    return out


def same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def assert_cache_agrees(path: Path, monkeypatch: pytest.MonkeyPatch, expect_hits: bool = True) -> None:
    full = read_all(path, monkeypatch, cached=False)
    read_all(path, monkeypatch, cached=True)  # makes (or checks) the cache
    cached = read_all(path, monkeypatch, cached=True)
    hits = cached.pop("_hits")
    for t in TABLES:
        assert cached[t].keys() == full[t].keys()
        for what in cached[t]:
            assert same(cached[t][what], full[t][what]), f"{t} {what}: the cache differs from the full read"
    if expect_hits:
        assert hits == sorted(TABLES), "every table came from the cache on the second read"


def random_changes(path: Path, rnd: random.Random) -> None:
    """What Relist itself does: append touches, update leads and phones, replace Today, with random values."""
    book = FileWorkbook(path)
    lspec, tspec = schema.table("tblLeads"), schema.table("tblTouches")
    ids = book.column_values("tblLeads", "LeadId")
    n_touch = book.tail("tblTouches", "TouchId")[0]
    for _ in range(rnd.randint(1, 3)):
        op = rnd.choice(["append", "update", "both", "today", "append-lead"])
        if op in ("append", "both"):
            book.append_rows("tblTouches", [random_row(tspec, rnd, TouchId=f"T{n_touch + k + 1:07d}", LeadId=rnd.choice(ids))
                                            for k in range(rnd.randint(1, 4))])
            n_touch = book.tail("tblTouches", "TouchId")[0] if rnd.random() < 0.3 else n_touch + 4
        if op in ("update", "both"):
            book.update_rows("tblLeads", [random_row(lspec, rnd, LeadId=rnd.choice(ids)) for _ in range(rnd.randint(1, 3))])
        if op == "today":
            book.replace_rows("tblToday", [{"Rank": k, "LeadId": rnd.choice(ids), "Section": "calls"} for k in range(rnd.randint(0, 5))])
        if op == "append-lead":
            new = f"L{len(ids) + 1000:06d}"
            book.append_rows("tblLeads", [random_row(lspec, rnd, LeadId=new)])
            book.update_rows("tblLeads", [{"LeadId": new, "Status": "Working"}])
            ids.append(new)
        if rnd.random() < 0.2:
            book.read_records("tblTouches")  # a full read after changes through the cache
    book.save(backup=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cache_agrees_after_relist_writes(tmp_path: Path, cache_env: pytest.MonkeyPatch, seed: int) -> None:
    rnd = random.Random(seed)
    path = seeded_book(tmp_path, rnd)
    assert_cache_agrees(path, cache_env)
    for _ in range(6):
        random_changes(path, rnd)
        assert_cache_agrees(path, cache_env)


@pytest.mark.parametrize("chunk", [2_000, None])
def test_writes_through_the_cache_equal_writes_without_it(tmp_path: Path, cache_env: pytest.MonkeyPatch, chunk: int | None) -> None:
    """The same changes saved with the cache on and off give the same package, part for part (with many small segments too)."""
    from relist.workbook import segments

    if chunk:
        cache_env.setattr(segments, "CHUNK", chunk)
    updates: list[tuple[bool, bool]] = []  # (rows changed in place, rows appended) of each segmented write
    real_update = segments.update

    def counting(*args: Any) -> segments.Compressed:
        layout, raw, head, tail, last_row, new_rows, changed, _edit = args
        updates.append((bool(changed), bool(new_rows)))
        return real_update(*args)

    cache_env.setattr(segments, "update", counting)
    rnd = random.Random(9)
    a = seeded_book(tmp_path / "a", rnd)
    (tmp_path / "b").mkdir()
    b = tmp_path / "b" / a.name
    b.write_bytes(a.read_bytes())
    FileWorkbook(a).read_records("tblLeads")  # a's cache is warm
    for step in range(5):
        for path, env in ((a, None), (b, "0")):
            if env:
                cache_env.setenv("RELIST_CACHE", env)
            else:
                cache_env.delenv("RELIST_CACHE", raising=False)
            random_changes(path, random.Random(100 + step))
        za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            assert za.read(name) == zb.read(name), f"{name} differs after step {step}"
    assert any(a for _c, a in updates), "some saves appended to a segmented sheet part without inflating it"
    assert any(c for c, _a in updates), "some saves changed rows of a segmented sheet part without inflating it"


def test_service_commands_through_the_cache(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """Log Touch and Today's queue with the cache give the results and files they give without it."""
    from relist.sequence import service

    rnd = random.Random(4)
    results: dict[str, list[Any]] = {}
    for side, env in (("cached", None), ("full", "0")):
        rnd = random.Random(4)
        folder = tmp_path / side
        folder.mkdir()
        if env:
            cache_env.setenv("RELIST_CACHE", env)
        else:
            cache_env.delenv("RELIST_CACHE", raising=False)
        path = book_with_leads(folder, 30)
        out: list[Any] = []
        at = datetime(2026, 11, 25, 10, 0, tzinfo=NY)
        out.append(service.today(FileWorkbook(path), at).to_json())
        for k in range(8):
            lead = f"L{rnd.randrange(30):06d}"
            outcome = rnd.choice(["no-answer", "voicemail", "bad-number", "not-interested"])
            when = at + timedelta(minutes=5 * k)
            try:
                out.append(service.log_touch(FileWorkbook(path), lead, "call", outcome, when, logged_at=when).to_json())
            except BadInput as exc:  # a second bad-number of the same lead: refused the same way on both sides
                out.append(exc.one_line())
        out.append(service.today(FileWorkbook(path), at + timedelta(hours=2)).to_json())
        out.append({n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()})
        results[side] = out
    assert results["cached"] == results["full"]
    assert (tmp_path / "cached" / "Relist.cache" / "tblTouches.idx").exists()
    assert not (tmp_path / "full" / "Relist.cache").exists()


def test_openpyxl_edits_are_seen(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """A workbook another program changed (cells, a deleted row, a re-sort) is read in full again."""
    from openpyxl import load_workbook

    rnd = random.Random(5)
    path = seeded_book(tmp_path, rnd, leads=30, touches=80)
    assert_cache_agrees(path, cache_env)
    for round_ in range(3):
        wb = load_workbook(path)
        ws = wb["Leads"]
        for _ in range(3):
            ws.cell(row=rnd.randint(2, 25), column=rnd.randint(1, 12), value=rnd.choice(["edited", 42, 3.5, None]))
        touches = wb["Touches"]
        touches.cell(row=rnd.randint(2, 60), column=2, value=f"L{rnd.randint(0, 29):06d}")
        if round_ == 1:
            touches.delete_rows(5)
        wb.save(path)
        assert_cache_agrees(path, cache_env)
        random_changes(path, rnd)
        assert_cache_agrees(path, cache_env)


def test_a_damaged_cache_is_a_miss(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    rnd = random.Random(6)
    path = seeded_book(tmp_path, rnd, leads=20, touches=50)
    assert_cache_agrees(path, cache_env)
    folder = table_cache.folder_for(path)
    for f in folder.glob("tblTouches-*.base"):
        f.write_bytes(b"not a pickle")
    (folder / "tblLeads.idx").write_bytes(b"\x80\x05garbage")
    for f in folder.glob("tblPhones-*.base"):
        f.unlink()
    full = read_all(path, cache_env, cached=False)
    cached = read_all(path, cache_env, cached=True)
    cached.pop("_hits")
    assert same(cached, full)
    random_changes(path, rnd)  # changes through a cache whose base is gone
    assert_cache_agrees(path, cache_env)


def test_cache_switched_off_writes_nothing(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    cache_env.setenv("RELIST_CACHE", "0")
    path = seeded_book(tmp_path, random.Random(7), leads=5, touches=5)
    FileWorkbook(path).read_records("tblTouches")
    assert not table_cache.folder_for(path).exists()


def test_damaged_compressed_bytes_are_read_in_full(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """A byte flipped inside a sheet's compressed data (its recorded CRC and sizes unchanged) misses the cache."""
    from relist.workbook.writer import _LOCAL_HEADER_SIZE

    path = seeded_book(tmp_path, random.Random(8), leads=20, touches=400)
    book = FileWorkbook(path)
    book.read_records("tblTouches")
    book.append_rows("tblTouches", [{"TouchId": "T0000401", "LeadId": "L000001", "Channel": "call", "Outcome": "no-answer"}])
    book.save(backup=False)  # the sheet part is now written as segments and its layout kept
    part = book._tables["tbltouches"].sheet_part
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(part)
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len
    data[start + info.compress_size // 3] ^= 0x55
    path.write_bytes(bytes(data))

    def outcome(env: str | None) -> str:
        if env:
            cache_env.setenv("RELIST_CACHE", env)
        else:
            cache_env.delenv("RELIST_CACHE", raising=False)
        try:
            b = FileWorkbook(path)
            b.read_records("tblTouches")
            b.append_rows("tblTouches", [{"TouchId": "T0000402", "LeadId": "L000001", "Channel": "call", "Outcome": "voicemail"}])
            b.save(backup=False)
        except Exception as exc:  # noqa: BLE001 - the outcome compared is the exception
            return type(exc).__name__
        return "saved"

    before = path.read_bytes()
    assert outcome(None) == outcome("0") != "saved"
    assert path.read_bytes() == before


def test_lead_updates_keep_every_hyperlink_right(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """Lead updates through segments, with and without changing their link cells: links left as they are (a), or
    edited in place (b), give what rewriting every link gives (c): the same hyperlinks cell by cell (read back by
    openpyxl) and, for the edit in place, the same bytes."""
    import openpyxl

    from relist.workbook import writer

    used: dict[str, list[bool]] = {"same": [], "edited": []}
    same, edited = writer._links_as_they_are, writer._links_edited
    cache_env.setattr("relist.workbook.segments.CHUNK", 3_000)
    rnd = random.Random(18)
    a = seeded_book(tmp_path / "a", rnd)
    books = {"a": a}
    for name in ("b", "c"):
        (tmp_path / name).mkdir()
        books[name] = tmp_path / name / a.name
        books[name].write_bytes(a.read_bytes())
    ids = FileWorkbook(a).column_values("tblLeads", "LeadId")

    def links(path: Path) -> dict[str, str]:
        ws = openpyxl.load_workbook(path)["Leads"]
        return {c.coordinate: c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink}

    def counted(kind: str, fn: Any) -> Any:
        def run(*args: Any) -> Any:
            out = fn(*args)
            used[kind].append(out not in (False, None))
            return out
        return run

    for step in range(10):
        rows = []
        for lead in rnd.sample(ids, rnd.randint(1, 4)):
            if step % 2:
                rows.append({"LeadId": lead, "Status": rnd.choice(["Working", "Nurture", "New"])})
            else:
                rows.append({"LeadId": lead, "BestPhone": rnd.choice(["", f"(813) 555-{rnd.randrange(10_000):04d}"]),
                             "Email": rnd.choice(["", "a&b@example.com", "o'neil@example.com"])})
        for name, quick, edit in (("a", counted("same", same), counted("edited", edited)),
                                  ("b", lambda *x: False, edited), ("c", lambda *x: False, lambda *x: None)):
            cache_env.setattr(writer, "_links_as_they_are", quick)
            cache_env.setattr(writer, "_links_edited", edit)
            book = FileWorkbook(books[name])
            book.update_rows("tblLeads", rows)
            book.save(backup=False)
        assert links(books["a"]) == links(books["c"]), f"after step {step}"
        zb, zc = zipfile.ZipFile(books["b"]), zipfile.ZipFile(books["c"])
        for part in zc.namelist():
            assert zb.read(part) == zc.read(part), f"{part} after step {step}"
    assert True in used["same"] and True in used["edited"], "links were left as they were, and edited in place"


def test_table_parts_found_through_the_cache_follow_the_relationships(tmp_path: Path, cache_env: pytest.MonkeyPatch) -> None:
    """Each sheet's table parts, kept per relationships entry: the same as reading them; a rewritten part is read again."""
    path = seeded_book(tmp_path, random.Random(11))

    def tables(cached: bool) -> dict[str, tuple[str, str]]:
        if cached:
            cache_env.delenv("RELIST_CACHE", raising=False)
        else:
            cache_env.setenv("RELIST_CACHE", "0")
        book = FileWorkbook(path)
        cache_env.delenv("RELIST_CACHE", raising=False)
        return {k: (st.info.part, st.sheet_part) for k, st in book._tables.items()}

    assert tables(True) == tables(False)
    assert (table_cache.folder_for(path) / "rels.pkl").exists()
    # another program moves the Leads table to a new part name: its sheet's relationships change
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    leads_part = tables(True)["tblleads"][0]
    renamed = leads_part.replace(".xml", "b.xml")
    tmp = path.with_name("moved.xlsx")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            name = info.filename
            if name == leads_part:
                name = renamed
            if name.endswith(".rels") or name == "[Content_Types].xml":
                data = data.replace(leads_part.rsplit("/", 1)[1].encode(), renamed.rsplit("/", 1)[1].encode())
            dst.writestr(name, data)
    tmp.replace(path)
    assert tables(True)["tblleads"][0] == renamed == tables(False)["tblleads"][0]
    assert_cache_agrees(path, cache_env)
