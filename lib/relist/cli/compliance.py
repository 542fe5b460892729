"""`relist dnc ...` (registry and internal DNC list), `relist check` (a lead's verdict) and `relist audit`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option
from relist.compliance.numbers import try_e164, us_form
from relist.errors import BadInput, NotFound
from relist.words import count

CHANNEL_CHOICE = click.Choice(["call", "text", "letter", "door", "email"])


def _open(path: Path | None) -> Any:
    from relist.workbook import open_workbook

    return open_workbook(require_workbook(path))


def _tz(book: Any) -> ZoneInfo:
    from relist import settings

    return settings.load(book).tz if book is not None else settings.from_pairs([]).tz


def _now(at: str | None, tz: ZoneInfo) -> datetime:
    from relist.clock import parse_at

    return parse_at(at, tz)


def _registry_dir(book: Any, workbook: Path | None, registry_dir: Path | None) -> Path:
    from relist.compliance.verdict import registry_dir_for

    if registry_dir is not None:
        return registry_dir
    folder = registry_dir_for(book) if book is not None else None
    if folder is None:
        raise BadInput("No registry folder.", "Pass --workbook PATH (the folder <name>.dnc beside it is used) or --registry-dir DIR.")
    return folder


def _registry_dir_option(f: Any) -> Any:
    return click.option(
        "--registry-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Registry folder (default: <workbook name>.dnc beside the workbook).",
    )(f)


@click.group()
def dnc() -> None:
    """The National DNC Registry copy and your own do-not-call list (the DNC sheet)."""


@dnc.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--downloaded", default=None, metavar="YYYY-MM-DD", help="Day the files were downloaded (default: each file's date).")
@click.option("--covers", default="", metavar="AAA,BBB", help="Area codes a change list covers even where it has no change.")
@workbook_option
@_registry_dir_option
@at_option
@json_option
def dnc_load(files: tuple[Path, ...], downloaded: str | None, covers: str, workbook: Path | None,
             registry_dir: Path | None, at: str | None, as_json: bool) -> None:
    """Load registry area-code files (zip or text) and change lists; all-or-nothing."""
    from relist.compliance.service import load_registry

    book = _open(workbook) if workbook is not None or registry_dir is None else None
    tz = _tz(book)
    now = _now(at, tz)
    when = None
    if downloaded:
        try:
            when = date.fromisoformat(downloaded)
        except ValueError as exc:
            raise BadInput(f"--downloaded {downloaded!r} is not a date.", "Write it as YYYY-MM-DD.") from exc
    folder, report = load_registry(
        book, list(files), now, downloaded=when, covers=[c for c in covers.split(",") if c.strip()],
        registry_dir=_registry_dir(book, workbook, registry_dir),
    )
    rate = report.lines / report.seconds if report.seconds > 0 else 0.0
    lines = [
        f"  {a.area}  {a.kind:<7}  {a.after:>11,} {'number ' if a.after == 1 else 'numbers'}  downloaded {a.downloaded}"
        + (f"  (+{a.added:,} / -{a.deleted:,})" if a.kind == "changes" else "")
        for a in report.areas
    ]
    lines.append(
        f"Loaded {len(report.files)} file(s), {report.lines:,} lines in {report.seconds:.1f} s ({rate / 1e6:.1f} M lines/s) into {folder}."
    )
    data = {
        "directory": str(folder), "files": list(report.files), "lines": report.lines, "seconds": round(report.seconds, 3),
        "areas": [asdict(a) for a in report.areas],
    }
    emit(as_json, data, lines)


@dnc.command("status")
@workbook_option
@_registry_dir_option
@at_option
@json_option
def dnc_status(workbook: Path | None, registry_dir: Path | None, at: str | None, as_json: bool) -> None:
    """Every loaded area code with its download date and whether it is fresh, due (day 25+) or stale."""
    from relist.compliance.registry import Registry

    book = _open(workbook) if workbook is not None or registry_dir is None else None
    tz = _tz(book)
    today = _now(at, tz).astimezone(tz).date()
    reg = Registry.open(_registry_dir(book, workbook, registry_dir))
    rows = [reg.status(a, today) for a in sorted(reg.areas)]
    data = [{"area": s.area, "state": s.state, "downloaded": s.downloaded, "age_days": s.age_days,
             "count": reg.areas[s.area].count, **({"message": s.message()} if s.state == "damaged" else {})} for s in rows]
    lines = [f"  {s.area}  damaged: {s.message()}" if s.state == "damaged" else
             f"  {s.area}  {s.state:<8} {reg.areas[s.area].count:>11,} {'number ' if reg.areas[s.area].count == 1 else 'numbers'}"
             f"  downloaded {s.downloaded}  ({count(s.age_days or 0, 'day')})"
             for s in rows]
    stale = sum(1 for s in rows if not s.usable)
    lines.append(f"{len(rows)} area code(s) loaded, {stale} stale or damaged." if rows else
                 "No registry copy loaded: every call and text is blocked. Load one with: relist dnc load FILE...")
    emit(as_json, data, lines)


@dnc.command("add")
@click.argument("number")
@click.option("--reason", required=True, help="Why (e.g. 'asked on the phone').")
@click.option("--lead", "lead_id", default="", help="The lead who asked (their other numbers are blocked too).")
@click.option("--channel", type=CHANNEL_CHOICE, default="call", show_default=True, help="Channel the request came by.")
@click.option("--source", default="manual", show_default=True, help="Where the request came from.")
@workbook_option
@at_option
@json_option
def dnc_add(number: str, reason: str, lead_id: str, channel: str, source: str, workbook: Path | None,
            at: str | None, as_json: bool) -> None:
    """Put NUMBER (or an email address) on your DNC sheet, kept at least 5 years."""
    from relist.compliance.internal_dnc import add_entry

    book = _open(workbook)
    now = _now(at, _tz(book))
    if lead_id:
        known = {str(r.get("LeadId")) for r in book.read_records("tblLeads", ["LeadId"])}
        if lead_id not in known:
            raise NotFound(f"No lead {lead_id!r} in the workbook.", "Check the LeadId on the Leads sheet.")
    row = add_entry(book, number, reason, now, lead_id, channel, source)
    if row is None:
        emit(as_json, {"added": False, "number": number}, f"{us_form(try_e164(number) or number)} is already on the DNC sheet; nothing added.")
        return
    book.save()
    key = us_form(row["Phone"]) if row.get("Phone") else row.get("Email")
    emit(as_json, {"added": True, **row}, f"Added {key} to the DNC sheet ({row['DncId']}), kept until {row['KeepUntil']}.")


@dnc.command("remove")
@click.argument("number")
@click.option("--reason", required=True, help="Why it may be contacted again (logged), e.g. 'signed written permission'.")
@workbook_option
@at_option
@json_option
def dnc_remove(number: str, reason: str, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Lift NUMBER's DNC entry: the row stays, stamped RemovedAt/RemovedReason, and the removal is logged."""
    from relist.compliance.internal_dnc import remove_entry

    book = _open(workbook)
    now = _now(at, _tz(book))
    ids = remove_entry(book, number, reason, now)
    book.save()
    emit(as_json, {"removed": ids, "number": number, "reason": reason}, f"Removed {number} from the DNC sheet ({', '.join(ids)}); logged.")


@dnc.command("check")
@click.argument("number")
@workbook_option
@_registry_dir_option
@at_option
@json_option
def dnc_check(number: str, workbook: Path | None, registry_dir: Path | None, at: str | None, as_json: bool) -> None:
    """What your DNC sheet, vendor flags and the registry copy say about NUMBER."""
    from relist.compliance.internal_dnc import check_number
    from relist.compliance.registry import Registry

    book = _open(workbook)
    tz = _tz(book)
    now = _now(at, tz)
    reg = Registry.open(_registry_dir(book, workbook, registry_dir))
    c = check_number(book, number, now, reg)
    shown = us_form(c.number)
    lines = [f"{shown}:"]
    if c.internal:
        for r in c.internal:
            added = r.get("AddedAt")
            when = f"{added:%Y-%m-%d %H:%M}" if isinstance(added, datetime) else added
            lines.append(f"  DNC sheet      listed {when} ({r.get('Channel')}, {r.get('Source')}): {r.get('Reason')}")
    else:
        lines.append("  DNC sheet      not listed" + (f" (removed {len(c.removed)} time(s))" if c.removed else ""))
    lines.append("  vendor flag    " + (f"flagged DNC on lead(s) {', '.join(c.vendor_flagged_by)}" if c.vendor_flagged_by else "none"))
    if c.registry_state in ("fresh", "warning"):
        lines.append(f"  registry       {'ON the National DNC Registry' if c.on_registry else 'not on the registry'} ({c.registry_message})")
    else:
        lines.append(f"  registry       cannot tell: {c.registry_message}")
    lines.append(f"{shown}: {'BLOCKED for calls and texts' if c.blocked else 'clear for calls and texts (the calling window still applies)'}.")
    data = {
        "number": c.number, "blocked": c.blocked, "internal": list(c.internal), "removed": list(c.removed),
        "vendor_flagged_by": list(c.vendor_flagged_by), "registry_state": c.registry_state,
        "registry_message": c.registry_message, "on_registry": c.on_registry,
    }
    emit(as_json, data, lines)


@click.command("check")
@click.argument("lead_id", required=False, default=None)
@click.option("--setup", is_flag=True, help="Instead of a lead: the compliance readiness report for your leads' states.")
@click.option("--channel", type=CHANNEL_CHOICE, default="call", show_default=True)
@click.option("--phone", default=None, help="Check this one number of the lead instead of choosing the best.")
@workbook_option
@_registry_dir_option
@at_option
@json_option
def check(lead_id: str | None, setup: bool, channel: str, phone: str | None, workbook: Path | None, registry_dir: Path | None,
          at: str | None, as_json: bool) -> None:
    """May LEAD_ID be contacted on this channel at this moment? Every rule, with its source.
    With --setup: what your leads' states require (registration, disclosures, recording consent)."""
    from typing import cast

    if setup:
        _setup_report(workbook, as_json)
        return
    if not lead_id:
        raise BadInput("relist check needs a LEAD_ID, or --setup for the readiness report.", "Try: relist check L0001, or relist check --setup.")

    from relist.compliance.explain import verdict_lines
    from relist.compliance.verdict import evaluate, load_context, next_allowed
    from relist.leads import load_leads
    from relist.model import Channel

    book = _open(workbook)
    tz = _tz(book)
    now = _now(at, tz)
    lead = next((x for x in load_leads(book, tz) if x.lead_id == lead_id), None)
    if lead is None:
        raise NotFound(f"No lead {lead_id!r} in the workbook.", "Check the LeadId on the Leads sheet.")
    ctx = load_context(book, now, registry_dir)
    ch = cast(Channel, channel)
    v = evaluate(lead, ch, now, ctx, phone)
    nxt = None if v.allowed else next_allowed(lead, ch, now, ctx)
    lines = verdict_lines(lead, channel, now, v, nxt, tz)
    data = {
        "lead_id": lead.lead_id, "channel": channel, "at": now, "allowed": v.allowed, "phone": v.phone,
        "window_start": v.window_start, "window_end": v.window_end, "next_allowed": nxt,
        "reasons": [asdict(r) for r in v.reasons],
    }
    emit(as_json, data, lines)


@click.command("audit")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="First day (your time).")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Last day, included.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the CSV here (default: print it).")
@workbook_option
@json_option
def audit(start: str, end: str, out: Path | None, workbook: Path | None, as_json: bool) -> None:
    """Export calls and texts, DNC scrubs, registry loads and DNC list changes as CSV for an audit."""
    from relist import settings
    from relist.compliance.audit import audit_rows, parse_day

    book = _open(workbook)
    s = settings.load(book)
    export = audit_rows(book, parse_day("--from", start), parse_day("--to", end), s.tz, s.who)
    text = export.to_csv()
    counts = export.counts()
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
    if out is not None:
        if out.suffix.lower() != ".csv":
            raise BadInput(f"--out {out.name} is not a .csv file.", "Give a path ending in .csv.")
        out.write_text(text, encoding="utf-8", newline="")
        emit(as_json, {"out": str(out), "rows": len(export.rows), "counts": counts},
             f"Wrote {len(export.rows)} rows ({summary}) for {export.start}..{export.end} to {out}.")
        return
    if as_json:
        emit(True, {"rows": list(export.rows), "counts": counts}, "")
        return
    click.echo(text, nl=False)


def _setup_report(workbook: Path | None, as_json: bool) -> None:
    from relist import settings
    from relist.compliance.readiness import readiness, readiness_lines
    from relist.compliance.rules import load_rules
    from relist.compliance.verdict import registry_dir_for
    from relist.leads import load_leads

    book = _open(workbook)
    s = settings.load(book)
    states = sorted({ld.state.strip().upper() for ld in load_leads(book, s.tz) if ld.state.strip()})
    duties = readiness(load_rules(registry_dir_for(book)), s, states, demo=settings.is_demo(book))
    data = {"states": states, "duties": [asdict(d) for d in duties]}
    emit(as_json, data, readiness_lines(duties, states))
