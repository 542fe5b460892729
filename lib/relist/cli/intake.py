"""`relist import FILE...`: load expired (or active, or sold) listing exports into the workbook."""

from __future__ import annotations

from pathlib import Path

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--vendor", default=None, metavar="NAME",
              help="Who made the export (REDX, Vulcan7, Landvoice, BatchLeads, Flexmls...): reads it with that preset; --map is saved for this vendor.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"HEADER=FIELD"',
    help='Say what a column means, e.g. --map "Seller Phone=OwnerPhone" (repeatable; saved in the Mappings sheet).',
)
@click.option(
    "--map-value",
    "map_values",
    multiple=True,
    metavar='"COLUMN:FROM=TO"',
    help='Say what a value means, e.g. --map-value "Status:FAIL=Expired" (repeatable; saved like --map).',
)
@click.option(
    "--kind",
    type=click.Choice(["expired", "active", "comps"]),
    default="expired",
    show_default=True,
    help="expired: the day's expireds; active: current listings (matching leads become Relisted); comps: sold listings.",
)
@click.option("--dry-run", is_flag=True, help="Show what would happen and the first rejects; write nothing.")
@workbook_option
@at_option
@json_option
def import_cmd(
    files: tuple[Path, ...],
    vendor: str | None,
    maps: tuple[str, ...],
    map_values: tuple[str, ...],
    kind: str,
    dry_run: bool,
    workbook: Path | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Import export FILES (CSV, XLSX or XLS): new leads added, repeats updated, every row accounted for."""
    from relist import settings
    from relist.clock import parse_at
    from relist.errors import RelistError
    from relist.intake.service import import_files
    from relist.workbook import open_workbook

    try:
        book = open_workbook(require_workbook(workbook))
        when = parse_at(at, settings.load(book).tz)
        summary = import_files(book, list(files), at=when, vendor=vendor, mappings=list(maps), dry_run=dry_run, kind=kind,
                               value_maps=list(map_values))
    except RelistError as exc:
        if as_json:  # --json always prints JSON: a refusal too (and still its one line on stderr, exit 2)
            emit(True, {"refused": True, "error": exc.message, "hint": exc.hint, "dry_run": dry_run,
                        "files": [str(f) for f in files]}, "")
        raise
    emit(as_json, summary.to_dict(max_rejects=100), summary.lines(max_rejects=20 if dry_run else 10))
    for level, message in getattr(book, "messages", []):
        if level == "warning":
            click.echo(f"warning: {message}", err=True)
