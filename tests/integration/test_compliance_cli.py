"""`relist dnc`, `relist check` and `relist audit` on a real .xlsx workbook through Click's runner."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from relist.cli import cli
from relist.workbook import open_workbook, template

AT = "2026-06-03T11:00"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "Relist.xlsx"
    template.build(path)
    book = open_workbook(path)
    book.append_rows("tblLeads", [
        {"LeadId": "L1", "Status": "New", "OwnerName": "Jane Owner", "PropertyAddress": "1 Main St", "State": "FL",
         "PostalCode": "33602", "ListingStatus": "Expired", "Contactable": True, "Email": "jane@example.com"},
        {"LeadId": "L2", "Status": "New", "OwnerName": "Ann Active", "State": "FL", "PostalCode": "33602",
         "ListingStatus": "Active", "Contactable": False, "NotContactableReason": "listing is Active"},
    ])
    book.append_rows("tblPhones", [
        {"PhoneId": "L1-1", "LeadId": "L1", "Position": 1, "Phone": "+18135550142", "PhoneStatus": "Active"},
        {"PhoneId": "L1-2", "LeadId": "L1", "Position": 2, "Phone": "+18135550143", "PhoneStatus": "Active", "VendorDNC": True},
        {"PhoneId": "L2-1", "LeadId": "L2", "Position": 1, "Phone": "+18135550144", "PhoneStatus": "Active"},
    ])
    book.append_rows("tblTouches", [
        {"TouchId": "T1", "LeadId": "L1", "At": datetime(2026, 6, 2, 9, 30), "Channel": "call", "Outcome": "no-answer",
         "Phone": "+18135550142", "DurationSec": 20, "Who": "Alex", "Subject": "expired listing"},
    ])
    book.save()
    return path


@pytest.fixture
def wb(blank: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Relist.xlsx"
    shutil.copy(blank, target)
    return target


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), env={"RELIST_WORKBOOK": None})
    return r.exit_code, r.stdout, r.stderr


def one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("relist: error:") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for w in words:
        assert w in err, (w, err)


def registry_file(tmp_path: Path, lines: str = "813,5550100\n813,5550199\n") -> Path:
    f = tmp_path / "813.txt"
    f.write_text(lines)
    return f


def test_dnc_load_status_and_errors(wb: Path, tmp_path: Path) -> None:
    code, out, _ = run("dnc", "status", "-w", str(wb), "--at", AT)
    assert code == 0 and "every call and text is blocked" in out
    z = tmp_path / "dnc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("727.txt", "7275550100\n")
    code, out, _ = run("dnc", "load", str(registry_file(tmp_path)), str(z), "-w", str(wb), "--downloaded", "2026-06-01", "--at", AT, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [(a["area"], a["after"], a["downloaded"]) for a in data["areas"]] == [("727", 1, "2026-06-01"), ("813", 2, "2026-06-01")]
    assert (tmp_path / "Relist.dnc" / "manifest.json").exists()
    scrubs = open_workbook(wb).read_records("tblScrubs")
    assert scrubs[-1]["Event"] == "registry-load" and scrubs[-1]["Checked"] == 3
    code, out, _ = run("dnc", "status", "-w", str(wb), "--at", "2026-06-28T10:00", "--json")
    assert code == 0 and {r["state"] for r in json.loads(out)} == {"warning"}
    code, out, _ = run("dnc", "status", "-w", str(wb), "--at", "2026-07-10T10:00")
    assert code == 0 and "stale" in out and "2 stale or damaged" in out

    bad = tmp_path / "bad.txt"
    bad.write_text("813,5550100\n813,555010\n")
    one_line_error(*run("dnc", "load", str(bad), "-w", str(wb), "--at", AT)[::2], "bad.txt line 2", "nothing was loaded")
    one_line_error(*run("dnc", "load", str(tmp_path / "none.txt"), "-w", str(wb), "--at", AT)[::2], "no such file")
    one_line_error(*run("dnc", "load", str(bad), "-w", str(wb), "--downloaded", "June 1")[::2], "--downloaded", "YYYY-MM-DD")
    code, _, err = run("dnc", "load", str(bad))
    one_line_error(code, err, "No workbook given")
    one_line_error(*run("dnc", "status")[::2], "No workbook given")
    (tmp_path / "Relist.dnc" / "manifest.json").write_text("{broken")
    one_line_error(*run("dnc", "status", "-w", str(wb))[::2], "manifest", "relist dnc load")


def test_dnc_load_into_a_named_folder_without_a_workbook(tmp_path: Path) -> None:
    code, out, _ = run("dnc", "load", str(registry_file(tmp_path)), "--registry-dir", str(tmp_path / "reg"), "--downloaded", "2026-06-01")
    assert code == 0 and "813" in out and "Loaded 1 file(s)" in out
    code, out, _ = run("dnc", "status", "--registry-dir", str(tmp_path / "reg"), "--at", AT)
    assert code == 0 and "813" in out


def test_dnc_add_check_remove(wb: Path) -> None:
    code, out, _ = run("dnc", "add", "813-555-0150", "--reason", "asked on the phone", "--lead", "L1", "-w", str(wb), "--at", AT, "--json")
    assert code == 0, out
    row = json.loads(out)
    assert row["added"] and row["Phone"] == "+18135550150" and row["KeepUntil"] == "2031-06-03"
    code, out, _ = run("dnc", "add", "8135550150", "--reason", "again", "-w", str(wb), "--at", AT)
    assert code == 0 and out.startswith("(813) 555-0150 is already on the DNC sheet")  # as the DNC sheet shows it
    code, out, _ = run("dnc", "check", "813.555.0150", "-w", str(wb), "--at", AT)
    assert out.splitlines()[0] == "(813) 555-0150:" and "+1813" not in out and re.search(r"listed \d{4}-\d\d-\d\d \d\d:\d\d \(", out)
    code, out, _ = run("dnc", "check", "+18135550150", "-w", str(wb), "--at", AT, "--json")
    data = json.loads(out)
    assert code == 0 and data["blocked"] and data["internal"] and data["registry_state"] == "missing"
    code, out, _ = run("dnc", "check", "8135550143", "-w", str(wb), "--at", AT)
    assert code == 0 and "flagged DNC on lead(s) L1" in out and "BLOCKED" in out
    code, out, _ = run("dnc", "remove", "8135550150", "--reason", "signed written permission", "-w", str(wb), "--at", AT, "--json")
    assert code == 0 and json.loads(out)["removed"] == ["DNC000001"]
    rows = open_workbook(wb).read_records("tblDNC")
    assert len(rows) == 1 and rows[0]["RemovedReason"] == "signed written permission" and rows[0]["RemovedAt"] is not None
    details = [r["Detail"] for r in open_workbook(wb).read_records("tblScrubs", ["Detail"])]
    assert details == ["(813) 555-0150 added (manual, call): asked on the phone",
                       "(813) 555-0150 removed (DNC000001): signed written permission"]
    one_line_error(*run("dnc", "remove", "8135550150", "--reason", "x", "-w", str(wb))[::2], "not on the DNC sheet")
    one_line_error(*run("dnc", "add", "555-01", "--reason", "x", "-w", str(wb))[::2], "not a US phone number")
    one_line_error(*run("dnc", "add", "8135550151", "--reason", "x", "--lead", "L9", "-w", str(wb))[::2], "No lead 'L9'")
    one_line_error(*run("dnc", "add", "8135550151", "--reason", " ", "-w", str(wb))[::2], "needs a reason")
    code, _, err = run("dnc", "add", "8135550151", "-w", str(wb))
    assert code == 2 and "--reason" in err
    one_line_error(*run("dnc", "check", "hello", "-w", str(wb))[::2], "not a US phone number")
    one_line_error(*run("dnc", "check", "8135550150", "-w", str(wb.with_name("missing.xlsx")))[::2], "does not exist")


def test_check_prints_the_verdict_rule_by_rule(wb: Path, tmp_path: Path) -> None:
    run("dnc", "load", str(registry_file(tmp_path)), "-w", str(wb), "--downloaded", "2026-06-01", "--at", AT)
    code, out, _ = run("check", "L1", "-w", str(wb), "--at", AT)
    assert code == 0 and out.strip().splitlines()[-1] == "L1: ALLOWED"
    assert "state-hours:FL" in out and "[Fla. Stat. 501.616(6)(a), as amended by SB 1120 (2021) [src]]" in out and "+18135550142" in out
    code, out, _ = run("check", "L1", "-w", str(wb), "--at", "2026-06-03T20:30", "--json")
    data = json.loads(out)
    assert code == 0 and not data["allowed"] and data["next_allowed"] == "2026-06-04T08:00:00-04:00"
    assert any(r["rule"] == "state-hours:FL" and not r["ok"] for r in data["reasons"])
    code, out, _ = run("check", "L2", "--channel", "letter", "-w", str(wb), "--at", AT)
    assert code == 0 and "BLOCKED" in out and "listing status is Active" in out
    code, out, _ = run("check", "L1", "--channel", "door", "-w", str(wb), "--at", AT, "--json")
    assert code == 0 and any(r["rule"] == "door-hanger" for r in json.loads(out)["reasons"])
    code, out, _ = run("check", "L1", "--phone", "8135550143", "-w", str(wb), "--at", AT, "--json")
    assert code == 0 and not json.loads(out)["allowed"]
    one_line_error(*run("check", "L9", "-w", str(wb), "--at", AT)[::2], "No lead 'L9'")
    one_line_error(*run("check", "L1", "-w", str(wb), "--at", "tomorrow")[::2], "not an ISO date-time")
    code, _, err = run("check", "L1", "--channel", "fax", "-w", str(wb))
    assert code == 2 and "fax" in err


def test_audit_export(wb: Path, tmp_path: Path) -> None:
    run("dnc", "add", "8135550150", "--reason", "asked", "-w", str(wb), "--at", AT)
    out_csv = tmp_path / "audit.csv"
    code, out, _ = run("audit", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(out_csv), "-w", str(wb), "--json")
    assert code == 0 and json.loads(out)["counts"] == {"call": 1, "dnc-add": 1}
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    # a text cell starting with + is written '+... so no spreadsheet runs it (or turns it into 18135550142)
    assert rows[0]["Number"] == "'+18135550142" and rows[0]["Who"] == "Alex" and rows[0]["Subject"] == "expired listing"
    assert rows[0]["AtUtc"] == "2026-06-02T13:30:00Z" and rows[1]["Kind"] == "dnc-add"
    code, out, _ = run("audit", "--from", "2026-06-01", "--to", "2026-06-30", "-w", str(wb))
    assert code == 0 and out.startswith("Kind,At,AtUtc") and len(out.strip().splitlines()) == 3
    code, out, _ = run("audit", "--from", "2026-07-01", "--to", "2026-07-30", "-w", str(wb), "--json")
    assert code == 0 and json.loads(out)["rows"] == []
    one_line_error(*run("audit", "--from", "2026-06-30", "--to", "2026-06-01", "-w", str(wb))[::2], "before --from")
    one_line_error(*run("audit", "--from", "June", "--to", "2026-06-01", "-w", str(wb))[::2], "--from 'June' is not a date")
    one_line_error(*run("audit", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(tmp_path / "a.txt"), "-w", str(wb))[::2], ".csv")


def test_every_compliance_command_has_help() -> None:
    for args in (["dnc", "load"], ["dnc", "add"], ["dnc", "check"], ["dnc", "remove"], ["dnc", "status"], ["check"], ["audit"]):
        code, out, _ = run(*args, "--help")
        assert code == 0 and "Usage" in out
