"""Outreach commands: dial list, letters, route, email, calendar, marketing plan, templates.

Each command opens the workbook, calls one `relist.channels.service` function
and writes the files it returns; leads left out are listed with the reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option
from relist.errors import BadInput, SendError

_OUT = click.Path(dir_okay=False, path_type=Path)


def _open(workbook: Path | None, at: str | None) -> tuple[Any, datetime]:
    from relist import settings
    from relist.clock import parse_at
    from relist.workbook import open_workbook

    book = open_workbook(require_workbook(workbook))
    return book, parse_at(at, settings.load(book).tz)


def _dirs(workbook: Path | None, given: Path | None) -> list[Path]:
    """Template folders: --templates, then `templates/` beside the workbook (when it exists)."""
    out = [given] if given is not None else []
    if given is not None and not given.is_dir():
        raise BadInput(f"--templates {given} is not a folder.", "Make it with: relist templates --copy-to DIR")
    if workbook is not None and (workbook.parent / "templates").is_dir():
        out.append(workbook.parent / "templates")
    return out


def _write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)


def _skips(skipped: list[Any]) -> list[str]:
    return [s.line() for s in skipped]


def _skip_json(skipped: list[Any]) -> list[dict[str, str]]:
    return [{"lead_id": s.lead_id, "owner": s.owner, "reason": s.reason} for s in skipped]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


templates_option = click.option(
    "--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of your own templates (default: templates/ beside the workbook, then the shipped ones).",
)


# ------------------------------------------------------------------ export dial-list


@click.group()
def export() -> None:
    """Export today's work for other tools (a power dialer)."""


@export.command("dial-list")
@click.option("--out", "out", type=_OUT, required=True, help="The CSV file to write.")
@workbook_option
@at_option
@json_option
def dial_list(out: Path, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Today's calls as a power-dialer CSV: only numbers callable now, and when each window closes."""
    from relist.channels import service

    book, moment = _open(workbook, at)
    result = service.dial_list(book, moment)
    _write(out, result.csv)
    numbers = sum(len(r.phones) for r in result.rows)
    data = {"out": str(out), "rows": len(result.rows), "numbers": numbers, "skipped": _skip_json(result.skipped)}
    emit(as_json, data, [*_skips(result.skipped),
                         f"Wrote {len(result.rows)} owners ({numbers} numbers callable now) to {out}; {len(result.skipped)} left out."])


# ------------------------------------------------------------------ letters


@click.command()
@click.option("--out", "out", type=_OUT, required=True, help="The merged letters PDF to write.")
@click.option("--labels", "labels", type=_OUT, default=None, help="Also write Avery 5160 address labels to this PDF.")
@click.option("--skip-labels", default=0, show_default=True, help="Labels already used on the first sheet.")
@click.option("--confirm", is_flag=True, help="Log a 'sent' letter touch for every letter written (once you have mailed them).")
@templates_option
@workbook_option
@at_option
@json_option
def letters(out: Path, labels: Path | None, skip_labels: int, confirm: bool, templates: Path | None,
            workbook: Path | None, at: str | None, as_json: bool) -> None:
    """One letter per lead due a letter, merged into one print-ready PDF (#10 window envelope)."""
    from relist.channels import service

    book, moment = _open(workbook, at)
    result = service.letters(book, moment, labels=labels is not None, skip_labels=skip_labels,
                             dirs=_dirs(workbook, templates))
    lines = _skips(result.skipped)
    data: dict[str, Any] = {"out": None, "labels": None, "letters": [x.lead_id for x in result.letters],
                            "skipped": _skip_json(result.skipped), "logged": []}
    if result.pdf is None:
        emit(as_json, data, [*lines, f"No letters to print: none of the leads due a letter may be mailed ({len(result.skipped)} left out). Nothing written."])
        return
    _write(out, result.pdf)
    data["out"] = str(out)
    lines.append(f"Wrote {len(result.letters)} letters ({_pages(result.pdf)} pages) to {out}.")
    if labels is not None and result.labels is not None:
        _write(labels, result.labels)
        data["labels"] = str(labels)
        lines.append(f"Wrote {len(result.letters)} Avery 5160 labels to {labels}.")
    if confirm:
        logged = service.confirm(book, result.steps, "letter", "sent", moment)
        data["logged"] = [r.touch_id for r in logged]
        lines.append(f"Logged {len(logged)} letter touches (sent).")
    else:
        lines.append("Once they are in the mail, log them: the same command with --confirm.")
    emit(as_json, data, lines)


# ------------------------------------------------------------------ route


@click.command()
@click.option("--out", "out", type=_OUT, required=True, help="The printable route sheet PDF.")
@click.option("--hangers", "hangers", type=_OUT, default=None, help="Also write the door hangers (two per sheet) to this PDF.")
@templates_option
@workbook_option
@at_option
@json_option
def route(out: Path, hangers: Path | None, templates: Path | None, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Today's drive-by and door-hanger route: ZIPs nearest first from your office ZIP (Settings > Postal address),
    then street, then house number (odd side, then even), with a picture of the ZIPs in drive order."""
    from relist.channels import service

    book, moment = _open(workbook, at)
    result = service.route(book, moment, hangers=hangers is not None, dirs=_dirs(workbook, templates))
    _write(out, result.sheet)
    lines = [*_skips(result.skipped), f"Wrote the route ({result.stops} stops on {len(result.runs)} streets) to {out}."]
    if hangers is not None and result.hangers is not None:
        _write(hangers, result.hangers)
        lines.append(f"Wrote door hangers to {hangers}: hang them on the door, never in or on the mailbox.")
    data = {"out": str(out), "hangers": str(hangers) if hangers else None, "stops": result.stops,
            "route": [{"zip": r.zip, "street": r.street, "name": r.name, "stops": [s.lead_id for s in r.stops]} for r in result.runs],
            "skipped": _skip_json(result.skipped)}
    emit(as_json, data, lines)


# ------------------------------------------------------------------ email


@click.command()
@click.option("--drafts", "drafts", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write .eml drafts here (with --send: only the emails that could not be sent).")
@click.option("--send", is_flag=True, help="Send over SMTP (Settings > Mail server...; password from the keyring or RELIST_SMTP_PASSWORD).")
@templates_option
@workbook_option
@at_option
@json_option
def email(drafts: Path | None, send: bool, templates: Path | None, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Today's marketing-plan emails: sent over SMTP with --send, or written as .eml drafts."""
    from relist.channels import service
    from relist.channels.email import write_drafts

    book, moment = _open(workbook, at)
    if not send and drafts is None:
        wb = require_workbook(workbook)
        drafts = wb.with_name(f"{wb.stem} drafts {moment:%Y-%m-%d}")
    batch = service.prepare_emails(book, moment, dirs=_dirs(workbook, templates))
    lines = _skips(batch.skipped)
    data: dict[str, Any] = {"skipped": _skip_json(batch.skipped), "sent": [], "failed": [], "drafts": []}
    if not batch.outgoing:
        emit(as_json, data, [*lines, f"No emails to send today ({len(batch.skipped)} left out)."])
        return
    if not send:
        assert drafts is not None
        paths = write_drafts(batch.outgoing, drafts)
        data["drafts"] = [str(p) for p in paths]
        emit(as_json, data, [*lines, f"Wrote {len(paths)} drafts to {drafts}: open each in your mail client and send it,",
                             "then log it: relist log LEAD --channel email --outcome sent."])
        return
    report = service.send_emails(book, batch, moment)
    data["sent"] = report.sent
    data["failed"] = [{"lead_id": lid, "reason": why} for lid, why in report.failed]
    lines += [f"sent {lid} (logged)" for lid in report.sent]
    lines += [f"NOT sent {lid}: {why}" for lid, why in report.failed]
    if report.failed and drafts is not None:
        failed = {lid for lid, _ in report.failed}
        paths = write_drafts([o for o in batch.outgoing if o.lead_id in failed], drafts)
        data["drafts"] = [str(p) for p in paths]
        lines.append(f"Wrote {len(paths)} unsent emails as drafts to {drafts}.")
    if report.failed:
        emit(as_json, data, lines)
        what = "Partial batch: " if report.sent else ""
        error = SendError(
            f"{what}{len(report.failed)} of {len(batch.outgoing)} emails were not sent and not logged "
            f"({', '.join(lid for lid, _ in report.failed)}); {len(report.sent)} sent and logged.",
            "Fix the cause above and run relist email --send again; sent ones are not due any more.",
        )
        if not report.sent:
            error.exit_code = 2  # nothing went out: a refusal like any other
        raise error
    emit(as_json, data, [*lines, f"Sent {len(report.sent)} emails; each is logged as an email touch."])


# ------------------------------------------------------------------ calendar


@click.command()
@click.option("--out", "out", type=_OUT, required=True, help="The .ics file with every appointment and call-back.")
@click.option("--events-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for one .ics per event (default: FILE-events beside --out).")
@workbook_option
@at_option
@json_option
def calendar(out: Path, events_dir: Path | None, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """Appointments and call-backs (from today on) as an .ics file for Outlook or Google Calendar."""
    from relist.channels import service

    book, moment = _open(workbook, at)
    result = service.calendar(book, moment)
    _write(out, result.ics)
    folder = events_dir or out.with_name(f"{out.stem}-events")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in result.files:
        _write(folder / name, text)
    kinds = [e.kind for e in result.events]
    data = {"out": str(out), "events_dir": str(folder), "appointments": kinds.count("appointment"),
            "call_backs": kinds.count("call-back"), "files": [n for n, _ in result.files], "skipped": _skip_json(result.skipped)}
    emit(as_json, data, [*_skips(result.skipped),
                         f"Wrote {kinds.count('appointment')} appointments and {kinds.count('call-back')} call-backs to {out} "
                         f"(and one file per event in {folder})."])


# ------------------------------------------------------------------ marketing plan


@click.command("marketing-plan")
@click.argument("lead_id")
@click.option("--out", "out", type=_OUT, required=True, help="The PDF to write.")
@workbook_option
@at_option
@json_option
def marketing_plan(lead_id: str, out: Path, workbook: Path | None, at: str | None, as_json: bool) -> None:
    """One lead's marketing-plan PDF: the property, its list history, what will change, the plan, the timeline."""
    from relist.channels import service

    book, moment = _open(workbook, at)
    pdf = service.marketing_plan(book, lead_id, moment)
    _write(out, pdf)
    emit(as_json, {"out": str(out), "lead_id": lead_id}, f"Wrote the marketing plan for {lead_id} to {out}.")


# ------------------------------------------------------------------ templates


@click.command()
@click.option("--copy-to", "copy_to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Copy the shipped templates here to edit them (put them in templates/ beside the workbook).")
@click.option("--overwrite", is_flag=True, help="With --copy-to: replace files already there.")
@json_option
def templates(copy_to: Path | None, overwrite: bool, as_json: bool) -> None:
    """List the message templates, or copy them out to edit."""
    from relist.channels.templates import KINDS, PACKAGE_DIR, copy_defaults, list_templates

    if copy_to is not None:
        written = copy_defaults(copy_to, overwrite=overwrite)
        emit(as_json, {"copied": [str(p) for p in written]},
             f"Copied {len(written)} templates to {copy_to}" + ("" if written else " (all were there already; --overwrite replaces them)") + ".")
        return
    found = {k: list_templates(k) for k in KINDS}
    lines = [f"{k}: {', '.join(v) or '(none)'}" for k, v in found.items()]
    emit(as_json, {"shipped": str(PACKAGE_DIR), **found}, [*lines, f"Shipped templates live in {PACKAGE_DIR}."])
