"""Registry area files prove themselves: checksum, size and sorted order, verified once per process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from relist.compliance import registry as reg
from relist.compliance.registry import AreaInfo, Registry, area_file, checksum, write_manifest

DAY = date(2026, 11, 24)


def _write(folder: Path, numbers: list[int], *, sums: str | None = None) -> Registry:
    folder.mkdir(parents=True, exist_ok=True)
    data = np.array(numbers, dtype="<u4")
    data.tofile(area_file(folder, "813"))
    write_manifest(folder, {"813": AreaInfo("813", DAY, len(numbers), "t", "", "full", checksum(data) if sums is None else sums)})
    return Registry.open(folder)


def test_a_good_file_is_used(tmp_path: Path) -> None:
    r = _write(tmp_path, [2_000_001, 5_550_100, 9_999_999])
    assert r.status("813", DAY).state == "fresh"
    assert r.is_listed("813-555-0100") and not r.is_listed("813-555-0101")


def test_out_of_order_file_with_a_matching_checksum_is_damaged(tmp_path: Path) -> None:
    """The sorted-order sample catches a file written wrong by a bug, whose checksum is of the wrong bytes."""
    r = _write(tmp_path, [5_550_100, 2_000_001, 9_999_999])
    st = r.status("813", DAY)
    assert st.state == "damaged" and "out of order" in st.why and not r.is_listed("813-555-0100")


def test_numbers_beyond_seven_digits_are_damaged(tmp_path: Path) -> None:
    r = _write(tmp_path, [2_000_001, 5_550_100, 19_999_999])
    assert r.status("813", DAY).state == "damaged"


def test_wrong_checksum_and_no_checksum_are_damaged(tmp_path: Path) -> None:
    assert _write(tmp_path / "a", [2_000_001], sums="xxh3_64:0000000000000000").status("813", DAY).why == (
        "its checksum does not match the manifest"
    )
    assert "without a checksum" in _write(tmp_path / "b", [2_000_001], sums="").status("813", DAY).why


def test_missing_file_is_damaged_and_says_how_to_reload(tmp_path: Path) -> None:
    r = _write(tmp_path, [2_000_001])
    area_file(tmp_path, "813").unlink()
    st = r.status("813", DAY)
    assert st.state == "damaged" and "relist dnc load" in st.message() and "every number in it is blocked" in st.message()


def test_verified_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, list(range(2_000_000, 2_100_000)))
    calls: list[int] = []
    real = reg._problem

    def counting(*a: object, **k: object) -> str:
        calls.append(1)
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(reg, "_problem", counting)
    for _ in range(3):
        assert Registry.open(tmp_path).is_listed("813-200-0005")
    assert len(calls) == 1
