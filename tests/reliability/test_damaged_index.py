"""A damaged DNC registry index fails closed: every number of the damaged area code is blocked.

The registry copy of area code 813 is damaged the ways a disk, a crash or a careless copy
damage files (zeros, random bytes, the numbers reversed, one flipped byte at the same size;
truncated), then `dnc status`, `dnc check`, `check` and the dial list are asked. Every case
must say damaged and block; loading the file again must repair it.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from relist.cli import cli

pytestmark = pytest.mark.reliability

AT = "2026-11-25T10:00"
LISTED = [f"813555{i:04d}" for i in range(1, 7)]  # owners S0001-S0006 are on the registry
NOT_LISTED = [f"813555{i:04d}" for i in range(7, 13)]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def _registry_file(folder: Path) -> Path:
    rng = random.Random(813)
    filler = {rng.randrange(2_000_000, 9_999_999) for _ in range(3000)} - {int(n[3:]) for n in NOT_LISTED}
    numbers = sorted({int(n[3:]) for n in LISTED} | filler)
    path = folder / "813.txt"
    path.write_text("".join(f"813,{n:07d}\n" for n in numbers))
    return path


def _zeros(b: bytes) -> bytes:
    return bytes(len(b))


def _random(b: bytes) -> bytes:
    return random.Random(1).randbytes(len(b))


def _reversed(b: bytes) -> bytes:
    return np.frombuffer(b, dtype="<u4")[::-1].tobytes()


def _flip_one_byte(b: bytes) -> bytes:
    i = random.Random(2).randrange(len(b))
    return b[:i] + bytes([b[i] ^ 0x01]) + b[i + 1 :]


def _truncated(b: bytes) -> bytes:
    return b[: len(b) // 2]


def _truncated_by_one_number(b: bytes) -> bytes:
    return b[:-4]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "zeros": _zeros,
    "random": _random,
    "reversed": _reversed,
    "one flipped byte": _flip_one_byte,
    "truncated": _truncated,
    "one number short": _truncated_by_one_number,
}


@pytest.fixture
def loaded(book: Path, tmp_path: Path) -> Path:
    code, _, err = run("dnc", "load", str(_registry_file(tmp_path)), "--downloaded", "2026-11-24", "-w", str(book), "--at", AT)
    assert code == 0, err
    return book


def _verdicts(book: Path, tmp_path: Path) -> dict[str, object]:
    w = ["-w", str(book), "--at", AT]
    code, out, err = run("dnc", "status", *w, "--json")
    assert code == 0, err
    state = {a["area"]: a for a in json.loads(out)}["813"]
    checks = {}
    for n in (LISTED[0], NOT_LISTED[0]):
        code, out, err = run("dnc", "check", n, *w, "--json")
        assert code == 0, err
        checks[n] = json.loads(out)["blocked"]
    code, out, err = run("check", "L000009", "--channel", "call", *w, "--json")
    lead_allowed = json.loads(out).get("allowed") if code == 0 else None
    dial = tmp_path / "dial.csv"
    code, out, err = run("export", "dial-list", "--out", str(dial), *w, "--json")
    assert code == 0, err
    return {"state": state, "checks": checks, "lead_allowed": lead_allowed, "dial_rows": json.loads(out)["rows"],
            "dial_csv": dial.read_text(encoding="utf-8-sig")}


def test_intact_index_lets_unlisted_numbers_through(loaded: Path, tmp_path: Path) -> None:
    """The control: without damage the same questions answer 'clear' for unlisted numbers."""
    v = _verdicts(loaded, tmp_path)
    assert v["state"]["state"] == "fresh"  # type: ignore[index]
    assert v["checks"] == {LISTED[0]: True, NOT_LISTED[0]: False}
    assert v["lead_allowed"] is True
    assert v["dial_rows"] == 6


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_index_fails_closed(loaded: Path, tmp_path: Path, how: str) -> None:
    index = loaded.with_name("Relist.dnc") / "813.u32"
    good = index.read_bytes()
    bad = DAMAGE[how](good)
    assert bad != good
    tmp = index.with_name("damaged")
    tmp.write_bytes(bad)
    os.replace(tmp, index)

    v = _verdicts(loaded, tmp_path)
    assert v["state"]["state"] == "damaged"  # type: ignore[index]
    assert "relist dnc load" in v["state"]["message"]  # type: ignore[index]
    assert v["checks"] == {LISTED[0]: True, NOT_LISTED[0]: True}
    assert v["lead_allowed"] is False
    assert v["dial_rows"] == 0 and "813" not in str(v["dial_csv"])

    # loading the area code again repairs it
    code, _, err = run("dnc", "load", str(_registry_file(tmp_path)), "--downloaded", "2026-11-24", "-w", str(loaded), "--at", AT)
    assert code == 0, err
    assert _verdicts(loaded, tmp_path)["dial_rows"] == 6


def test_missing_checksum_is_not_trusted(loaded: Path, tmp_path: Path) -> None:
    """An index written without checksums (an older Relist) cannot prove itself: blocked, with how to reload."""
    manifest = loaded.with_name("Relist.dnc") / "manifest.json"
    data = json.loads(manifest.read_text())
    data["areas"]["813"].pop("checksum")
    manifest.write_text(json.dumps(data))
    v = _verdicts(loaded, tmp_path)
    assert v["state"]["state"] == "damaged" and v["dial_rows"] == 0  # type: ignore[index]


def test_damaged_manifest_refuses_in_one_line_and_reload_repairs(loaded: Path, tmp_path: Path) -> None:
    manifest = loaded.with_name("Relist.dnc") / "manifest.json"
    manifest.write_bytes(bytes(manifest.stat().st_size))
    code, _, err = run("dnc", "check", LISTED[0], "-w", str(loaded), "--at", AT)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "relist dnc load" in err
    code, _, err = run("export", "dial-list", "--out", str(tmp_path / "d.csv"), "-w", str(loaded), "--at", AT)
    assert code == 2 and not (tmp_path / "d.csv").exists()
    code, _, err = run("dnc", "load", str(_registry_file(tmp_path)), "--downloaded", "2026-11-24", "-w", str(loaded), "--at", AT)
    assert code == 0, err
    assert _verdicts(loaded, tmp_path)["dial_rows"] == 6


def test_leftover_temp_files_are_cleaned_by_the_next_load(loaded: Path, tmp_path: Path) -> None:
    folder = loaded.with_name("Relist.dnc")
    (folder / ".813.u32.tmp").write_bytes(b"\0" * 12)
    (folder / ".manifest.json.999.tmp").write_text("{")
    code, _, err = run("dnc", "load", str(_registry_file(tmp_path)), "--downloaded", "2026-11-24", "-w", str(loaded), "--at", AT)
    assert code == 0, err
    assert not list(folder.glob(".*.tmp"))
