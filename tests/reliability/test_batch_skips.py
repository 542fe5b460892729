"""Batch commands meet a hostile lead (text no font has, huge cells, formula-like names) and finish the rest.

(Letters and email drafts, which render PDFs, are left to tests/e2e and test_bad_records for time.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relist.workbook import open_workbook
from tests.e2e.test_channels_cli import AT, run
from tests.e2e.test_channels_cli import workbook as channels_workbook  # noqa: F401 - the fixture

pytestmark = pytest.mark.reliability

HOSTILE = {"OwnerName": "Zoë 😀 王小明 =cmd|' /C calc'!A0", "OwnerFirstName": "😀", "OwnerLastName": "王小明",
           "PropertyAddress": "١٢٣ Main St \u202e", "City": "x" * 5000}


@pytest.mark.parametrize("command", [
    ["route", "--out", "{tmp}/route.html"],
    ["calendar", "--out", "{tmp}/cal.ics"],
    ["export", "dial-list", "--out", "{tmp}/dial.csv"],
    ["today"],
])
def test_batch_finishes_around_a_hostile_lead(channels_workbook: Path, tmp_path: Path, command: list[str]) -> None:  # noqa: F811
    book = open_workbook(channels_workbook)
    book.update_rows("tblLeads", [{"LeadId": "L0003", **HOSTILE}])
    book.save()
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    code, out, err = run(*args, "--workbook", str(channels_workbook), "--at", AT)
    assert "Traceback" not in out + err
    assert code in (0, 2), (out, err)
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
