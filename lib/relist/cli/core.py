"""Foundation commands: init and demo."""

from __future__ import annotations

from pathlib import Path

import click

from relist.cli.common import emit, json_option


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file (a backup is kept).")
@click.option("--no-backup", is_flag=True, help="With --force: keep no backup of the old file.")
@json_option
def init(path: Path, force: bool, no_backup: bool, as_json: bool) -> None:
    """Make a new Relist workbook at PATH."""
    from relist.workbook import template
    from relist.workbook.file_adapter import backup_file
    from relist.workbook.lock import writer_lock

    with writer_lock(path, wait_message=lambda m: click.echo(m, err=True)):
        if force and path.exists() and not no_backup:
            backup_file(path, keep=5, tag="before-init")
        out = template.build(path, overwrite=force)
    emit(as_json, {"workbook": str(out.resolve())}, [f"Made {out}.",
         "First fill in who you are on its Settings sheet: Settings > Your name, Brokerage, License number, Phone, "
         "Postal address and Email (nothing goes out without them).",
         f"Next: relist import EXPORT.csv --workbook {out}"])


@click.command()
@click.argument("directory", required=False, default="relist-demo", type=click.Path(file_okay=False, path_type=Path))
@click.option("--at", "at", default=None, metavar="ISO-DATETIME", help="The demo day (default: a fixed sample day).")
@json_option
def demo(directory: Path, at: str | None, as_json: bool) -> None:
    """Run a whole sample day on bundled sample data in DIRECTORY (default ./relist-demo)."""
    from relist.demo import run_demo

    result = run_demo(directory, at=at, echo=None if as_json else click.echo)
    emit(as_json, result.as_dict(), result.summary_lines())
