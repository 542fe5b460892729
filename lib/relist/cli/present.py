"""`relist present LEAD_ID`: the listing presentation (a cover and five slides) for an expired lead (.pptx and .pdf)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option
from relist.errors import BadInput


def _relaunch(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadInput(f"--relaunch {text!r} is not a date.", "Write it like 2026-03-24.") from exc


@click.command()
@click.argument("lead_id")
@click.option("--comps", "comps", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A sold-listings export (CSV/XLSX) to import into the Comps sheet first.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the .pptx and .pdf (default: next to the workbook).")
@click.option("--months", type=click.IntRange(min=1), default=None, help="Comps closed within this many months (default: Settings > Comps: months back).")
@click.option("--count", type=click.IntRange(min=1), default=None, help="How many comps to show (default: Settings > Comps: how many).")
@click.option("--radius", type=click.FloatRange(min=0.01), default=None, help="Miles around the home when both have coordinates (default 1).")
@click.option("--relaunch", default=None, metavar="DATE", help="Relaunch date for the timeline (default: two weeks from --at).")
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Write the .pptx only (no LibreOffice needed).")
@workbook_option
@at_option
@json_option
def present(lead_id: str, comps: Path | None, out: Path | None, months: int | None, count: int | None,
            radius: float | None, relaunch: str | None, no_pdf: bool, workbook: Path | None, at: str | None,
            as_json: bool) -> None:
    """Build LEAD_ID's listing presentation: why it didn't sell, the new comps, the plan, the timeline."""
    from relist import settings as settings_mod
    from relist.clock import parse_at
    from relist.comps.select import CompFilters
    from relist.present.service import build_presentation
    from relist.workbook import open_workbook

    book = open_workbook(require_workbook(workbook))
    settings = settings_mod.load(book)
    when = parse_at(at, settings.tz)
    filters = CompFilters.from_settings(settings, months=months, count=count, radius_miles=radius)
    result = build_presentation(book, lead_id, at=when, comps_path=comps, out_dir=out, filters=filters,
                                pdf=not no_pdf, relaunch=_relaunch(relaunch))
    a = result.analysis
    v = a.valuation
    lines = [result.imported.headline()] if result.imported is not None and hasattr(result.imported, "headline") else []
    if a.alert:
        click.secho(f"Before the appointment: {a.alert}", fg="yellow", err=True)
    lines += [f"  {f.sentence}" for f in a.findings if f.severity != "info"]
    lines += [f"  {w.sentence}" for w in a.selection.widenings]
    lines += [f"  Set aside {e.comp.address}: {e.set_aside}." for e in v.set_aside]
    lines.append(f"Wrote {result.pptx}" + (f" and {result.pdf.name}" if result.pdf else "") + ".")
    lines.append(
        f"Lead {result.lead_id}: {v.comps} comps used, value ${v.indicated_value:,.0f} "
        f"(range ${v.low_price:,.0f}-${v.high_price:,.0f}, {v.confidence.level} confidence, "
        f"FSD {v.confidence.fsd * 100:.0f}%), "
        + (f"suggested list price ${v.suggested_list_price:,.0f}." if v.suggested_list_price is not None and a.call != "range"
           else "no single price: the deck shows the range.")
    )
    emit(as_json, result.summary(), lines)
