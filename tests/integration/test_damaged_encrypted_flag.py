"""A workbook whose damaged zip entry claims to be encrypted is refused in one line (zipfile raises RuntimeError)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from relist.cli import cli
from relist.workbook import template


def test_an_entry_flagged_encrypted_is_called_damaged(tmp_path: Path) -> None:
    book = template.build(tmp_path / "Relist.xlsx")
    data = bytearray(book.read_bytes())
    i = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 1)  # a central directory entry
    while i >= 0 and b"xl/tables/" not in data[i + 46 : i + 46 + 40]:
        i = data.find(b"PK\x01\x02", i + 1)
    assert i >= 0
    data[i + 8] |= 0x01  # general purpose flag: encrypted
    book.write_bytes(bytes(data))
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["today", "-w", str(book), "--at", "2026-11-25T09:30"])
    assert result.exit_code == 2, result.output
    assert "damaged" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert book.read_bytes() == before
