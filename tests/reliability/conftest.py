"""Shared pieces of the reliability suite: real `relist` processes on a real workbook."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.identity import give_identity

NY = ZoneInfo("America/New_York")
HEADER = "MLS #,Status,Expiration Date,Owner Name,Phone 1,Property Address,City,State,Zip,Email,List Price\n"


def export_rows(prefix: str, first: int, count: int) -> str:
    """An expired-listings CSV of `count` owners with distinct MLS numbers and phones."""
    lines = [HEADER]
    for i in range(first, first + count):
        lines.append(
            f"{prefix}{i:04d},Expired,11/24/2026,Owner {prefix}{i},(813) 555-{i:04d},{i} Palm Ave,Tampa,FL,33602,o{prefix.lower()}{i}@example.com,{300000 + i}\n"
        )
    return "".join(lines)


@dataclass
class Run:
    code: int
    out: str
    err: str


def relist_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELIST_")}
    env.update(extra)
    return env


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A real `relist` process (python -m relist ARGS)."""
    return subprocess.Popen(
        [sys.executable, "-m", "relist", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or relist_env(),
    )


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> Run:
    out, err = proc.communicate(timeout=timeout)
    return Run(proc.returncode, out, err)


def relist(*args: str, env: dict[str, str] | None = None) -> Run:
    return finish(start(*args, env=env))


def is_valid_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None
    except (zipfile.BadZipFile, OSError):
        return False


@pytest.fixture(scope="session")
def seeded_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with 12 imported leads, made once; tests copy it."""
    from relist.intake.service import import_files
    from relist.workbook import open_workbook, template

    folder = tmp_path_factory.mktemp("seed")
    path = template.build(folder / "Relist.xlsx")
    export = folder / "seed.csv"
    export.write_text(export_rows("S", 1, 12))
    book = open_workbook(path)
    import_files(book, [export], at=datetime(2026, 11, 25, 7, 30, tzinfo=NY))
    give_identity(book)
    return path


@pytest.fixture
def book(seeded_book: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Relist.xlsx"
    target.write_bytes(seeded_book.read_bytes())
    return target
