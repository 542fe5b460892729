"""How the read cache stores a table: each value once, in pieces per column and block of rows, typed exactly.

The first command after another program re-saved the workbook reads in full and then writes
the cache; that write must stay cheap (each value pickled once, naive datetimes as their joined
state bytes) and give back exactly the values, of exactly the types, it was given.
"""

from __future__ import annotations

import pickle
import random
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from relist.workbook import table_cache
from relist.workbook.table_cache import BLOCK, TableCache


class MyDateTime(datetime):
    """A datetime subclass: must come back as itself, not as a plain datetime."""


COLUMNS = ["Id", "At", "When", "Day", "Aware", "Sub", "Count", "Price", "Flag", "Empty"]


def rows(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    base = datetime(2025, 1, 1)
    out = []
    for i in range(n):
        at = base + timedelta(seconds=rnd.randrange(10**8), microseconds=rnd.choice([0, 1, 999_999]))
        out.append({
            "Id": f"T{i:07d}",
            "At": at.replace(fold=1) if i % 97 == 5 else at,  # every value a naive datetime: stored as state bytes
            "When": at if i % 3 else None,  # datetimes and blanks: stored as the list it is
            "Day": at.date(),
            "Aware": at.replace(tzinfo=timezone(timedelta(hours=-5))) if i % 2 else at,
            "Sub": MyDateTime(2026, 1, 1) if i == 700 else at,
            "Count": i,
            "Price": i / 7,
            "Flag": bool(i % 2),
            "Empty": None,
        })
    if out:
        out[-1]["At"] = datetime(9999, 12, 31, 23, 59, 59, 999_999)
        out[0]["At"] = datetime(1900, 3, 1)
    return out


def same(a: Any, b: Any) -> bool:
    """Equal, of the same type, and (for datetimes) of the same fold and zone."""
    if type(a) is not type(b):
        return False
    if isinstance(a, datetime):
        return a == b and a.fold == b.fold and a.tzinfo == b.tzinfo
    return bool(a == b)


@pytest.mark.parametrize("n", [0, 1, BLOCK, 2 * BLOCK + 77])
def test_every_value_comes_back_exactly(tmp_path: Path, n: int) -> None:
    recs = rows(n)
    rownums = [5 + 2 * i for i in range(n)]
    cache = TableCache(tmp_path / "Book.xlsx")
    cache.store("tblT", ("k",), COLUMNS, recs, rownums)
    entry = cache.open("tblT", ("k",))
    assert entry is not None and len(entry) == n
    assert entry.rownums() == rownums
    for name in COLUMNS:
        got = entry.column(name)
        assert len(got) == n and all(same(g, r[name]) for g, r in zip(got, recs, strict=True)), name
    for i in {0, n // 2, BLOCK - 1, BLOCK, 700, n - 1}:
        if 0 <= i < n:
            row = entry.row(i)
            assert list(row) == COLUMNS and all(same(row[c], recs[i][c]) for c in COLUMNS), i
    assert all(all(same(a[c], b[c]) for c in COLUMNS) for a, b in zip(entry.records(), recs, strict=True))


def test_each_value_is_stored_once(tmp_path: Path) -> None:
    recs = rows(3 * BLOCK)
    recs[1000]["Id"] = "a-value-found-once"
    cache = TableCache(tmp_path / "Book.xlsx")
    cache.store("tblT", ("k",), COLUMNS, recs, list(range(len(recs))))
    (base,) = table_cache.folder_for(tmp_path / "Book.xlsx").glob("tblT-*.base")
    assert base.read_bytes().count(b"a-value-found-once") == 1


def test_naive_datetimes_are_stored_as_state_bytes_and_others_as_they_are() -> None:
    naive = [datetime(2026, 11, 1, 1, 30, fold=1), datetime(2026, 1, 2, 3, 4, 5, 6)]
    kind, data = table_cache._encoded(naive)
    assert kind == "datetime" and len(data) == 20
    assert [(d, d.fold) for d in table_cache._decoded((kind, data))] == [(d, d.fold) for d in naive]
    aware = [datetime(2026, 1, 1, tzinfo=UTC)]
    for mixed in ([naive[0], None], [naive[0], date(2026, 1, 1)], [naive[0], MyDateTime(2026, 1, 1)], aware, []):
        assert table_cache._encoded(mixed) == mixed and type(table_cache._encoded(mixed)) is list


def test_a_cut_or_strange_piece_is_an_error_so_a_miss(tmp_path: Path) -> None:
    """Reading fails loudly (the adapter then reads in full) rather than giving wrong values."""
    with pytest.raises(ValueError):
        table_cache._decoded(("datetime", b"\x07\xea\x01\x01\x00\x00\x00\x00\x00"))  # 9 bytes
    with pytest.raises(ValueError):
        table_cache._decoded(("other", b""))
    recs = rows(2 * BLOCK)
    cache = TableCache(tmp_path / "Book.xlsx")
    cache.store("tblT", ("k",), COLUMNS, recs, list(range(len(recs))))
    (base,) = table_cache.folder_for(tmp_path / "Book.xlsx").glob("tblT-*.base")
    base.write_bytes(base.read_bytes()[:-100])
    entry = cache.open("tblT", ("k",))
    assert entry is not None
    with pytest.raises((ValueError, pickle.UnpicklingError, EOFError)):
        entry.column("Empty")  # the last column's last piece is cut short
    with pytest.raises((ValueError, pickle.UnpicklingError, EOFError)):
        entry.row(2 * BLOCK - 1)
