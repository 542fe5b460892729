"""The rules no table had: Louisiana's state-of-emergency ban, saying who calls at the start,
all-party consent before recording, registration duties (`relist check --setup`), and state
do-not-call lists named in the verdict; on a real .xlsx workbook through the CLI."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.identity import agent_settings
from tests.unit.test_compliance_support import (
    local,
    make_ctx,
    make_lead,
    place_for_state,
    write_registry,
)

from relist import schema
from relist.cli import cli
from relist.compliance.readiness import readiness, readiness_lines
from relist.compliance.rules import default_rules
from relist.compliance.verdict import evaluate, next_allowed
from relist.errors import BadInput
from relist.settings import from_pairs
from relist.workbook import open_workbook, template

LA_ZIP, LA_PHONE, LA_ZONE = place_for_state("LA")
TX_ZIP, TX_PHONE, TX_ZONE = place_for_state("TX")


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "Relist.xlsx"
    template.build(path)
    book = open_workbook(path)
    book.append_rows("tblLeads", [
        {"LeadId": "L1", "Status": "New", "OwnerName": "Lou Owner", "PropertyAddress": "1 Bayou Rd", "State": "LA",
         "PostalCode": LA_ZIP, "ListingStatus": "Expired", "Contactable": True},
        {"LeadId": "L2", "Status": "New", "OwnerName": "Tex Owner", "PropertyAddress": "2 Ranch Rd", "State": "TX",
         "PostalCode": TX_ZIP, "ListingStatus": "Expired", "Contactable": True},
    ])
    book.append_rows("tblPhones", [
        {"PhoneId": "L1-1", "LeadId": "L1", "Position": 1, "Phone": LA_PHONE, "PhoneStatus": "Active"},
        {"PhoneId": "L2-1", "LeadId": "L2", "Position": 1, "Phone": TX_PHONE, "PhoneStatus": "Active"},
    ])
    book.save()
    return path


@pytest.fixture
def wb(blank: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Relist.xlsx"
    shutil.copy(blank, target)
    folder = target.with_name("Relist.dnc")
    write_registry(folder, {LA_PHONE[2:5]: [], TX_PHONE[2:5]: []}, date(2026, 9, 1))
    return target


def _set(path: Path, **values: str) -> None:
    book = open_workbook(path)
    book.update_rows("tblSettings", [{"Setting": schema.setting_label(k), "Value": v} for k, v in values.items()], key="Setting")
    book.save()


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), env={"RELIST_WORKBOOK": None})
    return r.exit_code, r.stdout, r.stderr


def test_a_declared_louisiana_emergency_blocks_until_it_ends(wb: Path) -> None:
    _set(wb, StateEmergencies="LA 2026-09-08..2026-09-10")
    code, out, err = run("check", "L1", "--workbook", str(wb), "--at", "2026-09-09T11:00")
    assert code == 0, err
    assert "BLOCKED" in out and "emergency:LA" in out and "45:844.31" in out and "2026-09-08..2026-09-10" in out
    assert "Next allowed: 2026-09-11" in out
    code, out, _ = run("check", "L1", "--workbook", str(wb), "--at", "2026-09-11T11:00")
    assert "L1: ALLOWED" in out and "emergency:LA" in out


def test_an_emergency_in_force_blocks_open_ended(tmp_path: Path) -> None:
    reg = write_registry(tmp_path / "reg", {LA_PHONE[2:5]: []}, date(2026, 9, 1))
    s = from_pairs([("StateEmergencies", "LA 2026-09-08..")])
    ctx = make_ctx(reg, settings=s)
    lead = make_lead(phones=[LA_PHONE], postal_code=LA_ZIP, state="LA")
    v = evaluate(lead, "call", local(date(2026, 9, 9), 11, 0, LA_ZONE), ctx)
    assert not v.allowed and "until lifted" in v.explain()
    assert next_allowed(lead, "call", local(date(2026, 9, 9), 11, 0, LA_ZONE), ctx) is None
    tx = make_lead(phones=[TX_PHONE], postal_code=TX_ZIP, state="TX")
    assert evaluate(tx, "call", local(date(2026, 9, 9), 11, 0, TX_ZONE), make_ctx(write_registry(tmp_path / "r2", {TX_PHONE[2:5]: []}, date(2026, 9, 1)), settings=s)).allowed


def test_bad_emergency_settings_are_one_clear_line(wb: Path) -> None:
    with pytest.raises(BadInput, match="Settings > States of emergency"):
        from_pairs([("StateEmergencies", "LA soon")])
    _set(wb, StateEmergencies="Louisiana 2026-09-08..")
    code, _out, err = run("check", "L1", "--workbook", str(wb), "--at", "2026-09-09T11:00")
    assert code == 2 and err.startswith("relist: error:") and "Settings > States of emergency" in err and len(err.strip().splitlines()) == 1


def test_recording_warns_in_all_party_states_only(tmp_path: Path) -> None:
    fl_zip, fl_phone, fl_zone = place_for_state("FL")
    reg = write_registry(tmp_path / "reg", {fl_phone[2:5]: [], TX_PHONE[2:5]: []}, date(2026, 9, 1))
    rec = from_pairs([("RecordsCalls", "yes")])
    fl = make_lead(phones=[fl_phone], postal_code=fl_zip, state="FL")
    v = evaluate(fl, "call", local(date(2026, 9, 9), 11, 0, fl_zone), make_ctx(reg, settings=rec))
    warn = [r for r in v.reasons if r.rule == "recording-consent:FL"]
    assert v.allowed and warn and "WARNING" in warn[0].message and "934.03" in warn[0].source
    quiet = evaluate(fl, "call", local(date(2026, 9, 9), 11, 0, fl_zone), make_ctx(reg))
    assert not [r for r in quiet.reasons if r.rule.startswith("recording-consent")]
    tx = make_lead(phones=[TX_PHONE], postal_code=TX_ZIP, state="TX")
    assert not [r for r in evaluate(tx, "call", local(date(2026, 9, 9), 11, 0, TX_ZONE), make_ctx(reg, settings=rec)).reasons
                if r.rule.startswith("recording-consent")]


def test_caller_identification_states_need_name_and_brokerage(tmp_path: Path) -> None:
    ri_zip, ri_phone, ri_zone = place_for_state("RI")
    reg = write_registry(tmp_path / "reg", {ri_phone[2:5]: []}, date(2026, 9, 1))
    lead = make_lead(phones=[ri_phone], postal_code=ri_zip, state="RI")
    at = local(date(2026, 9, 9), 11, 0, ri_zone)
    ok = evaluate(lead, "call", at, make_ctx(reg))
    r = [x for x in ok.reasons if x.rule == "caller-identification:RI"]
    assert ok.allowed and r and r[0].ok and "5-61-3.3" in r[0].source
    blank = evaluate(lead, "call", at, make_ctx(reg, settings=from_pairs([("Brokerage", ""), ("AgentName", "")])))
    assert not blank.allowed and "caller-identification:RI" in {x.rule for x in blank.blocking}


def test_state_dnc_lists_are_named(tmp_path: Path) -> None:
    for st in ("AL", "NJ", "TX", "LA"):
        zip_code, phone, zone = place_for_state(st)
        reg = write_registry(tmp_path / st, {phone[2:5]: []}, date(2026, 9, 1))
        v = evaluate(make_lead(phones=[phone], postal_code=zip_code, state=st), "call", local(date(2026, 9, 9), 11, 0, zone), make_ctx(reg))
        assert f"state-dnc-list:{st}" in {r.rule for r in v.reasons}, st


def test_readiness_lists_duties_and_what_settings_says() -> None:
    duties = readiness(default_rules(), agent_settings(("Registrations", "TX 2026-01-15")), ["TX", "RI", "FL", "NY"])
    by = {(d.state, d.kind): d for d in duties}
    assert by["TX", "registration"].status == "done" and "2026-01-15" in by["TX", "registration"].said
    assert by["RI", "registration"].status == "to do" and "5-61-3" in by["RI", "registration"].source
    assert by["RI", "identify_at_start"].status == "done"
    assert ("FL", "all_party_recording") in by and by["FL", "all_party_recording"].status == "done"
    assert not [d for d in duties if d.state == "NY"]
    assert [d.kind for d in duties[:6]] == ["identity"] * 6 and all(d.status == "done" for d in duties[:6])


def test_readiness_lists_missing_identity_first_in_plain_words() -> None:
    s = agent_settings(("Your name", ""), ("Phone", "+1 813-555-0100"))
    lines = readiness_lines(readiness(default_rules(), s, ["RI"]), ["RI"])
    assert lines[1] == "Who you are (Settings): nothing goes out until these are filled in:"
    assert lines[2].startswith("  [to do] Settings > Your name is empty: type your name")
    assert lines[3].startswith("  [to do] Settings > Phone is '+1 813-555-0100', the sample from a new workbook")
    assert "64.1601(e)" in lines[3] and lines[4] == "RI:"
    assert lines[-1].startswith("4 to do")  # and RI: registration, and saying who calls (no name)


def test_check_setup_report(wb: Path) -> None:
    _set(wb, Registrations="TX 2026-01-15", RecordsCalls="yes")
    code, out, err = run("check", "--setup", "--workbook", str(wb))
    assert code == 0, err
    assert out.startswith("Compliance readiness for the states of your leads: LA, TX\nWho you are (Settings): nothing goes out")
    assert "Settings > Your name is empty" in out and "Settings > Email is empty" in out
    assert "[done] registration" in out and "SB 140" in out and "[to do] registration" in out and "45:844.14" in out
    assert "emergency ban" in out and "[check] own dnc list" in out
    code, out, _ = run("check", "--setup", "--workbook", str(wb), "--json")
    data = json.loads(out)
    assert data["states"] == ["LA", "TX"] and any(d["kind"] == "registration" and d["state"] == "TX" for d in data["duties"])
    code, _out, err = run("check", "--workbook", str(wb))
    assert code == 2 and "--setup" in err
