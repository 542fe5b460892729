"""The notebook import app, headless: the same service and mappings as `relist import`, refusals in one line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from relist.intake.service import import_files
from relist.widgets.import_app import ImportApp, ImportModel
from relist.workbook.memory import MemoryWorkbook

AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
HEADER = "MLS #,Status,Owner Name,Property Address,City,State,Zip,Seller Phone\n"


def export(tmp_path: Path) -> Path:
    f = tmp_path / "gone.csv"
    f.write_text(HEADER + "T9300001,Gone,Ann Lee,12 Oak St,Tampa,FL,33602,(813) 555-0181\n"
                          "T9300002,FAIL,Bo Park,14 Oak St,Tampa,FL,33602,(813) 555-0182\n")
    return f


def test_value_and_column_mappings_from_the_notebook_read_the_file_as_the_cli_does(tmp_path: Path) -> None:
    f = export(tmp_path)
    book = MemoryWorkbook()
    m = ImportModel(book, at=AT)
    m.files, m.vendor = f"{f}\n", "REDX"
    m.value_maps = "Status:Gone=Expired\n\n"
    m.maps = "Seller Phone=OwnerPhone"
    assert m.run() is not None and m.error == ""
    assert "2 added" in m.summary.replace(",", "")
    cli = MemoryWorkbook()
    import_files(cli, [f], at=AT, vendor="REDX", mappings=["Seller Phone=OwnerPhone"], value_maps=["Status:Gone=Expired"])
    for table in ("tblLeads", "tblPhones", "tblMappings"):
        assert book.tables[table] == cli.tables[table], table
    assert {"Status:Gone", "Seller Phone"} <= {r["Header"] for r in book.tables["tblMappings"]}


def test_a_bad_value_mapping_is_one_line_with_its_fix_and_nothing_is_written(tmp_path: Path) -> None:
    book = MemoryWorkbook()
    m = ImportModel(book, at=AT)
    m.files, m.value_maps = str(export(tmp_path)), "Status=Expired"
    assert m.run() is None
    assert "is not COLUMN:FROM=TO" in m.error and "--map-value" in m.error and m.summary == ""
    assert book.tables["tblLeads"] == [] and book.tables["tblMappings"] == []


def test_the_view_links_its_fields_to_the_model_and_shows_the_outcome(tmp_path: Path) -> None:
    app = ImportApp(MemoryWorkbook(), at=AT)
    app.fields["files"].value = str(export(tmp_path))
    app.fields["value_maps"].value = "Status:Gone=Expired"
    app.fields["dry_run"].value = True
    assert app.model.value_maps == "Status:Gone=Expired" and app.model.dry_run is True
    app.button.click()
    assert "<pre>" in app.output.value and "2 added" in app.output.value.replace(",", "")
    assert app.model.book.tables["tblLeads"] == []  # a dry run writes nothing
    app.fields["files"].value = str(tmp_path / "missing.csv")
    app.button.click()
    assert "color:#C00000" in app.output.value
