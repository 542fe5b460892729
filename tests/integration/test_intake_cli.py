"""`relist import` on a real workbook file: the CLI, the file adapter and the intake service together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relist.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
AT = "2026-11-24T09:00"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "Relist.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 0, result.output
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def records(path: Path, table: str) -> list[dict[str, object]]:
    from relist.workbook import open_workbook

    return open_workbook(path).read_records(table)


def test_import_writes_leads_phones_imports_and_rejects(book: Path) -> None:
    code, out, _ = invoke("import", str(DATA / "vendor_redx.csv"), str(DATA / "bad_rows.csv"), "-w", str(book),
                          "--vendor", "REDX", "--at", AT)
    assert code == 0, out
    assert out.strip().splitlines()[-1].startswith("Read 14 rows from 2 files: 8 added, 0 updated, 1 duplicate, 1 not contactable")
    leads = records(book, "tblLeads")
    assert len(leads) == 9 and leads[0]["LeadId"] == "L000001" and leads[0]["OwnerName"] == "John Smith"
    assert leads[0]["ExpiredAt"] is not None and leads[0]["Vendor"] == "REDX"
    assert len(records(book, "tblPhones")) == 9
    imports = records(book, "tblImports")
    assert [(r["ImportId"], r["Read"], r["Rejected"]) for r in imports] == [("I000001", 14, 4)]
    assert [r["Row"] for r in records(book, "tblRejects")] == [3, 4, 5, 7]


def test_json_summary_keys_and_reimport_adds_nothing(book: Path) -> None:
    invoke("import", str(DATA / "reso.csv"), "-w", str(book), "--at", AT)
    code, out, _ = invoke("import", str(DATA / "reso.csv"), "-w", str(book), "--at", AT, "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("read", "added", "updated", "duplicates", "not_contactable", "relisted", "rejected"):
        assert key in data
    assert (data["read"], data["added"], data["duplicates"]) == (3, 0, 3)
    assert len(records(book, "tblLeads")) == 3


def test_dry_run_leaves_the_file_untouched(book: Path) -> None:
    before = book.read_bytes()
    code, out, _ = invoke("import", str(DATA / "bad_rows.csv"), "-w", str(book), "--at", AT, "--dry-run")
    assert code == 0 and "dry run: nothing written" in out and "bad_rows.csv row 3" in out
    assert book.read_bytes() == before


def test_refused_layout_is_one_line_with_the_map_hint_then_map_is_saved(book: Path) -> None:
    f = DATA / "no_address.csv"
    code, out, err = invoke("import", str(f), "-w", str(book), "--at", AT)
    assert code == 2 and out == ""
    assert err.startswith("relist: error: no_address.csv: cannot find the property address")
    assert '--map "Prop=UnparsedAddress"' in err and len(err.strip().splitlines()) == 1
    code, out, err = invoke("import", str(f), "-w", str(book), "--at", AT, "--vendor", "Acme",
                            "--map", "Prop=UnparsedAddress", "--map", "Seller Phone=OwnerPhone")
    assert code == 0, err
    assert [(r["Vendor"], r["Header"], r["Field"]) for r in records(book, "tblMappings")] == [
        ("Acme", "Prop", "UnparsedAddress"), ("Acme", "Seller Phone", "OwnerPhone"),
    ]
    code, out, err = invoke("import", str(f), "-w", str(book), "--at", AT, "--vendor", "Acme", "--json")
    assert code == 0 and json.loads(out)["duplicates"] == 1


def test_active_kind_marks_relisted(book: Path) -> None:
    invoke("import", str(DATA / "vendor_redx.csv"), "-w", str(book), "--at", AT)
    code, out, _ = invoke("import", str(DATA / "active.csv"), "-w", str(book), "--at", "2026-11-27T09:00", "--kind", "active", "--json")
    assert code == 0 and json.loads(out)["relisted"] == 2
    relisted = [r for r in records(book, "tblLeads") if r["Status"] == "Relisted"]
    assert len(relisted) == 2 and all(r["Contactable"] is False and r["NextDue"] is None for r in relisted)


def test_bad_arguments_are_one_line_errors(book: Path, tmp_path: Path) -> None:
    code, _, err = invoke("import", str(tmp_path / "nope.csv"), "-w", str(book))
    assert code == 2 and "No such file" in err
    code, _, err = invoke("import", str(DATA / "reso.csv"), "-w", str(book), "--map", "Foo")
    assert code == 2 and "HEADER=FIELD" in err
    code, _, err = invoke("import", str(DATA / "reso.csv"))
    assert code == 2 and "No workbook given" in err


def test_dry_run_json_prints_json_when_the_import_is_refused(book: Path) -> None:
    code, out, err = invoke("import", str(DATA / "no_address.csv"), "-w", str(book), "--at", AT, "--dry-run", "--json")
    assert code == 2 and "relist: error:" in err
    got = json.loads(out)
    assert got["refused"] is True and "property address" in got["error"] and "--map" in got["hint"]


def test_map_value_translates_and_is_saved_for_the_vendor(book: Path, tmp_path: Path) -> None:
    f = tmp_path / "v.csv"
    f.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip\n"
                 "T1,Gone,Ann Poe,12 Oak St,Tampa,FL,33602\n", encoding="utf-8")
    code, _, err = invoke("import", str(f), "-w", str(book), "--at", AT, "--dry-run")
    assert code == 0  # 'Gone' is not a status: the row is rejected
    code, out, err = invoke("import", str(f), "-w", str(book), "--at", AT, "--vendor", "Acme",
                            "--map-value", "Status:GONE=Expired", "--json")
    assert code == 0 and json.loads(out)["added"] == 1, err
    assert [(r["Vendor"], r["Header"], r["Field"]) for r in records(book, "tblMappings")] == [("Acme", "Status:GONE", "=Expired")]
    g = tmp_path / "w.csv"
    g.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip\nT2,gone,Bo Lee,14 Oak St,Tampa,FL,33602\n",
                 encoding="utf-8")
    code, out, _ = invoke("import", str(g), "-w", str(book), "--at", AT, "--vendor", "acme", "--json")
    assert json.loads(out)["added"] == 1  # saved for Acme, values matched whatever their case
    code, _, err = invoke("import", str(g), "-w", str(book), "--at", AT, "--map-value", "Status=Expired")
    assert code == 2 and "COLUMN:FROM=TO" in err
