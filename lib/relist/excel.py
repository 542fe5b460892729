"""Ribbon entry points: the one module that imports xlwings (lazily).

Every button on the Relist tab runs `relist.excel.run("<button>")` through
xlwings' RunPython. Each entry point takes the calling workbook, refuses one
that is not a Relist workbook, calls the same service the CLI calls, writes
back through the live adapter, and reports in an alert or the status bar. A
product error is an alert with its fix, never a traceback; a feature whose
service is not installed says so.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relist.clock import machine_now
from relist.errors import BadInput, RelistError

if TYPE_CHECKING:
    from relist.workbook.live_adapter import LiveWorkbook

TITLE = "Relist"
NOT_INSTALLED = "This button's feature is not installed yet"
OUTPUT_FOLDER = "Relist output"
LOG_FILE = Path.home() / ".relist" / "relist-excel.log"
EXPORT_FILTER = "Listing exports (*.csv;*.xlsx;*.xls;*.txt),*.csv;*.xlsx;*.xls;*.txt"
DNC_FILTER = "Do Not Call files (*.txt;*.csv;*.zip),*.txt;*.csv;*.zip"


@dataclass(frozen=True)
class Button:
    """One ribbon button: its name (the control's tag), label, group and entry point."""

    name: str
    label: str
    group: str
    function: str


BUTTONS: dict[str, Button] = {}
"""Button name -> Button, in ribbon order (filled by @button below)."""


class NotInstalled(Exception):
    """The service behind a button is not part of this installation yet."""


@dataclass
class Click:
    """What an entry point gets: the live workbook, the xlwings book and the moment of the click."""

    wb: LiveWorkbook
    book: Any
    at: datetime

    def status(self, message: str) -> None:
        self.wb.status(f"Relist: {message}")

    def ask(self, prompt: str) -> bool:
        """A Yes/No question; True for Yes."""
        return str(self.book.app.alert(prompt, title=TITLE, buttons="yes_no", mode="info")).lower() == "yes"

    def template_dirs(self) -> list[Path]:
        """Your own message templates: a templates folder next to the workbook (as the CLI uses)."""
        base = self.wb.path
        return [base.parent / "templates"] if base is not None else []

    def output_dir(self) -> Path:
        """<workbook folder>/Relist output/<date>/ (created), where the outreach files go."""
        base = self.wb.path
        if base is None:
            raise BadInput("This workbook has not been saved yet, so it has no folder for the files.",
                           "Save the workbook (File > Save As), then click again.")
        folder = base.parent / OUTPUT_FOLDER / self.at.strftime("%Y-%m-%d")
        folder.mkdir(parents=True, exist_ok=True)
        return folder


Entry = Callable[[Click], "str | None"]


def button(name: str, label: str, group: str) -> Callable[[Entry], Callable[..., str | None]]:
    """Register an entry point for a ribbon button and give it the common front: book, checks, errors, status."""

    def wrap(fn: Entry) -> Callable[..., str | None]:
        def entry(book: Any = None, at: datetime | None = None) -> str | None:
            return _click(name, fn, book, at)

        entry.__name__ = entry.__qualname__ = fn.__name__
        entry.__doc__ = fn.__doc__
        entry.__module__ = fn.__module__
        BUTTONS[name] = Button(name, label, group, fn.__name__)
        return entry

    return wrap


def run(button: str, book: Any = None, at: datetime | None = None) -> str | None:
    """The ribbon dispatcher: RunPython "import relist.excel; relist.excel.run('<button>')"."""
    spec = BUTTONS.get(button)
    if spec is None:
        book = book if book is not None else caller()
        _alert(book, f"Relist has no button {button!r}. Update the Relist add-in (relist addin install).", "critical")
        return None
    fn: Callable[..., str | None] = globals()[spec.function]
    return fn(book, at)


def caller() -> Any:
    """The workbook that ran the macro (xlwings' Book.caller())."""
    import xlwings as xw

    return xw.Book.caller()


def _alert(book: Any, message: str, mode: str = "info") -> None:
    book.app.alert(message, title=TITLE, mode=mode)


def _clock(wb: LiveWorkbook) -> datetime:
    from relist import settings

    return datetime.now(settings.load(wb).tz).replace(microsecond=0)


_TRUSTING = {"log_touch": ("tblTouches",)}
"""Clicks that take the append-only touch log from the session memo, reading only rows added since (see workbook.live_memo).

Log Touch is clicked a hundred times a day and needs only one lead's rows and
the log's DNC requests; every other click (Today's Queue above all) reads the
log afresh, so a hand edit in the middle of the log is always seen by the queue.
"""


_NO_FILE_NEEDED = frozenset({"about", "settings", "docs", "why_blocked", "roi_calculator"})
"""Clicks that neither save the workbook nor write files next to it: they also run on a workbook with no local file."""


_SWEEP_EVERY = 50
"""Clicks between full passes of the cyclic collector over everything (see `_settle_heap`)."""
_clicks = 0


def _settle_heap() -> None:
    """Set what a click leaves alive aside from the cyclic collector's passes (gc.freeze); sweep fully now and then.

    The session memo keeps a year's log and leads in memory between clicks:
    millions of objects that every full pass of Python's cyclic collector
    would walk again, costing a click more than its own work. Frozen objects
    are still freed by reference counting when the memo lets them go (the
    memo holds no cycles). What a click leaves in cycles is a few hundred
    small objects (tracebacks of template errors; tests/integration/
    test_live_memo.py checks no data is among them): every _SWEEP_EVERY
    clicks everything is unfrozen and collected once, which frees them.
    """
    import gc

    global _clicks
    _clicks += 1
    if _clicks % _SWEEP_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def _click(name: str, fn: Entry, book: Any, at: datetime | None) -> str | None:
    book = book if book is not None else caller()
    try:
        from relist.bulk import paused_gc
        from relist.workbook.live_adapter import LiveWorkbook
        from relist.workbook.live_memo import SESSION

        with _writer_lock(book), paused_gc():
            # Read inside the lock: another click (every click is its own process on macOS) or a CLI
            # command may be writing this workbook; what it wrote is read once it is done.
            wb = LiveWorkbook(book, SESSION, trust=_TRUSTING.get(name, ()))
            refusal = None if name in _NO_FILE_NEEDED else wb.no_path_refusal()
            if refusal is not None:  # refused before any change: nothing half done, nothing saved into Python's folder
                raise refusal
            message = fn(Click(wb, book, at if at is not None else _clock(wb)))
            _settle_heap()
    except RelistError as exc:
        _alert(book, exc.one_line(), "critical")
        return exc.one_line()
    except NotInstalled as exc:
        _alert(book, str(exc), "info")
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug must reach the user as a message and a log, not a dialog of Python
        where = _log_failure(name)
        text = f"Relist could not finish {BUTTONS[name].label}: {type(exc).__name__}: {exc}. Details: {where}"
        _alert(book, text, "critical")
        return text
    finally:
        with contextlib.suppress(Exception):
            book.app.status_bar = False
    if message:
        _alert(book, message)
    return message


def _writer_lock(book: Any) -> contextlib.AbstractContextManager[None]:
    """The writer lock of the book's file, so a CLI command or another click on it waits for this click (and back).

    None to take for a workbook without a local file (refused later if the
    click needs one) or one that is not a Relist workbook (refused later; no
    lock file is left beside it).
    """
    from relist.workbook.live_adapter import book_file, holds_relist

    path = book_file(book)
    if path is None or not holds_relist(book):
        return contextlib.nullcontext()
    from relist.workbook.lock import writer_lock

    def waiting(message: str) -> None:
        with contextlib.suppress(Exception):
            book.app.status_bar = f"Relist: {message}"

    return writer_lock(path, wait_message=waiting)


def _log_failure(name: str) -> str:
    try:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        with LOG_FILE.open("a", encoding="utf-8") as f:
            f.write(f"--- {machine_now().isoformat(timespec='seconds')} button {name}\n{traceback.format_exc()}\n")
        return str(LOG_FILE)
    except OSError:
        return "(the log file could not be written)"


def service(module: str, *names: str) -> Any:
    """A service module, or NotInstalled when it (or one of the functions used) is not there yet."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            raise NotInstalled(f"{NOT_INSTALLED} ({module} is missing). Update Relist: pip install --upgrade relist") from exc
        raise BadInput(f"Relist needs the Python package {exc.name!r} for this button.",
                       f"Install it: pip install {exc.name}") from exc
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        raise NotInstalled(f"{NOT_INSTALLED} ({module} has no {', '.join(missing)}). Update Relist: pip install --upgrade relist")
    return mod


def summary(result: Any) -> str:
    """A service result as a message: its report lines, or its one-line summary."""
    lines = getattr(result, "lines", None)
    if callable(lines):
        return "\n".join(str(x) for x in lines())
    for name in ("summary", "headline"):
        fn = getattr(result, name, None)
        if callable(fn):
            return str(fn())
    return str(result)


# ---------------------------------------------------------------- file pickers


def pick_files(book: Any, title: str, file_filter: str) -> list[str]:
    """Excel's own file dialog, several files allowed; [] when cancelled.

    Windows (pywin32): Application.GetOpenFilename with keywords, leaving out
    ButtonText (None would go to Excel as VT_NULL). macOS (appscript): Excel's
    "get open filename" command, whose only parameters are file_filter,
    button_text and multi_select (xlwings' mac_dict); it has no title, so the
    title goes to the status bar, and no Windows-style filter (Mac Excel
    filters by file type codes), so the import refuses a file it cannot read.
    """
    app = book.app
    api = app.api
    if sys.platform == "darwin" or not hasattr(api, "GetOpenFilename"):
        app.status_bar = f"{TITLE}: {title}"
        got = api.get_open_filename(button_text="Open", multi_select=True)
    else:
        got = api.GetOpenFilename(FileFilter=file_filter, Title=title, MultiSelect=True)
    if isinstance(got, str):
        paths = [got]
    elif isinstance(got, (list, tuple)):
        paths = list(got)
    else:  # False (cancelled) or appscript's missing value
        return []
    return [_posix(str(p)) for p in paths if p]


def _posix(path: str) -> str:
    """Mac Excel answers with HFS paths (Macintosh HD:Users:me:file.csv)."""
    if sys.platform == "darwin" and ":" in path and "/" not in path:
        with contextlib.suppress(Exception):
            from xlwings._xlmac import hfs_to_posix_path

            return str(hfs_to_posix_path(path))
    return path


def selected(click: Click, what: str, single: bool = False) -> list[dict[str, Any]]:
    """The selected rows of Today or Leads, or a clear error saying what to select."""
    sel = click.wb.selection()
    hint = f"Select the {what} on the Today or Leads sheet (click a cell in each row), then click again."
    rows = [] if sel is None or sel.table not in ("tblToday", "tblLeads") else [
        dict(r, _table=sel.table, _row=i)
        for r, i in zip(sel.records, click.wb.selected_rows, strict=True)
        if str(r.get("LeadId") or "").strip()
    ]  # the summary row and blank rows hold no lead
    if not rows:
        raise BadInput(f"Select the {what} first.", hint)
    if single and len(rows) > 1:
        raise BadInput(f"{len(rows)} rows are selected; this button works on one lead.", "Select a single row.")
    return rows


def _lead_id(row: dict[str, Any]) -> str:
    lead_id = str(row.get("LeadId") or "").strip()
    if not lead_id:
        raise BadInput("A selected row has no LeadId.", "Select rows that belong to a lead.")
    return lead_id


def _open(path: Path) -> None:
    """Open a file with the system's program for it (no wait)."""
    import subprocess

    with contextlib.suppress(OSError):
        if sys.platform.startswith("win"):
            os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606 - Windows only
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)])  # noqa: S603, S607
        else:
            subprocess.Popen(["xdg-open", str(path)])  # noqa: S603, S607


def _skips(skipped: Sequence[Any], limit: int = 8) -> str:
    if not skipped:
        return ""
    lines = [getattr(s, "line", lambda s=s: str(s))() for s in skipped[:limit]]
    more = f"\n... and {len(skipped) - limit} more." if len(skipped) > limit else ""
    return "\nLeft out:\n" + "\n".join(lines) + more


# ================================================================ Data


@button("load_expireds", "Load Expireds", "Data")
def load_expireds(click: Click) -> str | None:
    """Pick expired-listing exports and import them (new leads, repeats updated, rejects listed)."""
    return _import(click, "expired", "Pick today's expired-listing export file(s)")


@button("load_active", "Load Active Listings", "Data")
def load_active(click: Click) -> str | None:
    """Pick an active-listings export: leads whose home was relisted stop being contacted."""
    return _import(click, "active", "Pick the active-listings export file(s)")


def _import(click: Click, kind: str, title: str) -> str | None:
    intake = service("relist.intake.service", "import_files")
    paths = pick_files(click.book, title, EXPORT_FILTER)
    if not paths:
        return None
    click.status(f"importing {len(paths)} file(s)...")
    result = intake.import_files(click.wb, paths, at=click.at, kind=kind)
    return "\n".join(result.lines(max_rejects=5))


@button("map_value", "Map Value", "Data")
def map_value(click: Click) -> str | None:
    """Say what a value Relist could not read means (e.g. Status FAIL = Expired), as relist import --map-value does:
    select its rows on the Rejects sheet; each value gets a row on the Mappings sheet whose Field you fill in."""
    sel = click.wb.selection()
    rows = [] if sel is None or sel.table != "tblRejects" else [
        r for r in sel.records if str(r.get("Column") or "").strip() and str(r.get("Value") or "").strip()
    ]
    if not rows:
        raise BadInput("Select the rejected rows first.",
                       "On the Rejects sheet, click a cell in each row whose Value Relist could not read, then click Map Value.")
    intake = service("relist.intake.service", "value_mapping_rows")
    new, known = intake.value_mapping_rows(click.wb.read_records("tblMappings", ["Vendor", "Header", "Field"]),
                                           [(str(r["Column"]), str(r["Value"])) for r in rows])
    if new:
        click.wb.append_rows("tblMappings", new)
        click.wb.save()
    click.book.sheets["Mappings"].activate()
    lines = []
    if new:
        lines.append(f"Added {len(new)} row(s) to the Mappings sheet: {', '.join(str(r['Header']) for r in new)}.")
    if known:
        lines.append(f"Already on the Mappings sheet: {', '.join(known)}.")
    lines.append("In each row's Field cell type what the value means (for a status: Expired, Canceled, Withdrawn, "
                 "Active or Closed; no = sign), then load the file again. Every later import reads it the same way.")
    return "\n".join(lines)


@button("load_dnc", "Load DNC Files", "Data")
def load_dnc(click: Click) -> str | None:
    """Pick National DNC Registry files (area-code files or change lists) and load them for scrubbing."""
    comp = service("relist.compliance.service", "load_registry")
    verdict = service("relist.compliance.verdict", "registry_dir_for")
    if verdict.registry_dir_for(click.wb) is None:
        raise BadInput("This workbook has not been saved yet, so it has no folder for the registry files.",
                       "Save the workbook (File > Save As), then click again.")
    paths = pick_files(click.book, "Pick the Do Not Call Registry file(s)", DNC_FILTER)
    if not paths:
        return None
    click.status(f"loading {len(paths)} DNC file(s)...")
    # The same service as `relist dnc load`: all-or-nothing, recorded on the Scrubs sheet, saved.
    folder, report = comp.load_registry(click.wb, [Path(p) for p in paths], click.at)
    areas = ", ".join(f"{a.area} ({a.kind}, {a.downloaded})" for a in report.areas)
    return f"Loaded {len(report.files)} DNC file(s), {report.lines:,} lines; area codes {areas} into {folder}."


# ================================================================ Work


@button("todays_queue", "Today's Queue", "Work")
def todays_queue(click: Click) -> str | None:
    """Rebuild the Today sheet from the sequence, compliance and capacity, and show it."""
    seq = service("relist.sequence.service", "today")
    click.status("building today's queue...")
    queue = seq.today(click.wb, click.at)
    with contextlib.suppress(Exception):
        click.book.sheets["Today"].activate()
    return summary(queue)


@button("log_touch", "Log Touch", "Work")
def log_touch(click: Click) -> str | None:
    """Log a touch for each selected row, with the outcome picked in its Outcome column."""
    seq = service("relist.sequence.service", "log_touch")
    rows = selected(click, "rows you worked")
    plan: list[tuple[dict[str, Any], str, str]] = []
    for row in rows:
        lead_id = _lead_id(row)
        outcome = str(row.get("Outcome") or "").strip()
        if not outcome:
            raise BadInput(f"{lead_id} has no Outcome.", "Pick the outcome in the row's Outcome column, then click Log Touch.")
        channel = str(row.get("Channel") if row["_table"] == "tblToday" else row.get("NextChannel") or "").strip()
        if not channel:
            raise BadInput(f"{lead_id} has no channel to log.", "Log it from its Today row, or set the lead's NextChannel.")
        plan.append((row, channel, outcome))
    from relist import clock
    from relist import settings as settings_mod

    tz = settings_mod.load(click.wb).tz
    follow_ups = _follow_ups(click, plan)
    done: list[str] = []
    for n, (row, channel, outcome) in enumerate(plan, 1):
        click.status(f"logging touch {n} of {len(plan)}...")
        lead_id = _lead_id(row)
        phone = row.get("Phone") if row["_table"] == "tblToday" else row.get("BestPhone")
        follow = follow_ups.get(id(row))
        follow_up = clock.from_local_naive(follow, tz) if isinstance(follow, datetime) else None
        step = row.get("Step") if row["_table"] == "tblToday" else None
        result = seq.log_touch(click.wb, lead_id, channel, outcome, click.at, phone=phone or None,
                               note=(str(row.get("Note") or "").strip() or None), follow_up=follow_up, step=step)
        done.append(summary(result))
        _clear_outcome(click, row)
    return "\n".join(done)


_FOLLOW_UP_COLUMN = {"appointment": "AppointmentAt", "call-back": "CallBackAt"}


def _follow_ups(click: Click, plan: Sequence[tuple[dict[str, Any], str, str]]) -> dict[int, Any]:
    """The appointment or call-back moment each row's outcome needs, from the lead's row on the Leads sheet."""
    needs = [(row, outcome) for row, _channel, outcome in plan if outcome in _FOLLOW_UP_COLUMN]
    if not needs:
        return {}
    leads = {r["LeadId"]: r for r in click.wb.read_records("tblLeads", ["LeadId", "AppointmentAt", "CallBackAt"])}
    out: dict[int, Any] = {}
    for row, outcome in needs:
        column = _FOLLOW_UP_COLUMN[outcome]
        when = row.get(column) if row["_table"] == "tblLeads" else leads.get(row["LeadId"], {}).get(column)
        if not isinstance(when, datetime):
            from relist import schema

            what = "when the appointment is" if outcome == "appointment" else "when they asked you to call back"
            raise BadInput(f"{row['LeadId']}: {outcome} needs a date and time ({what}).",
                           f"Type it in the lead's {schema.LEADS.column(column).header} cell on the Leads sheet, then click Log Touch again.")
        out[id(row)] = when
    return out


def _clear_outcome(click: Click, row: dict[str, Any]) -> None:
    """Blank the Outcome (and Note) the agent picked on a Today row, so the row cannot be logged twice by accident."""
    if row["_table"] != "tblToday":
        click.wb.update_rows("tblLeads", [{"LeadId": row["LeadId"], "Outcome": None}])
        return
    now = click.wb.record_at("tblToday", row["_row"], ["LeadId", "Channel"])
    if now == {"LeadId": row.get("LeadId"), "Channel": row.get("Channel")}:  # the row is still where it was
        click.wb.update_at("tblToday", row["_row"], {"Outcome": None, "Note": None})


@button("undo_touch", "Undo Last Touch", "Work")
def undo_touch(click: Click) -> str | None:
    """Undo the last touch logged (an undo row is appended; nothing is erased)."""
    seq = service("relist.sequence.service", "undo")
    last = _last_touch(click)
    if last is None:
        raise BadInput("There is no touch to undo.", "Log a touch first.")
    if not click.ask(f"Undo {last}?"):
        return None
    click.status("undoing the last touch...")
    return summary(seq.undo(click.wb, None, at=click.at))


def _last_touch(click: Click) -> str | None:
    rows = click.wb.read_records("tblTouches", ["TouchId", "LeadId", "Channel", "Outcome", "UndoOf"])
    undone = {r["UndoOf"] for r in rows if r.get("UndoOf")}
    for r in reversed(rows):
        if not r.get("UndoOf") and r.get("TouchId") not in undone:
            return f"{r['TouchId']} ({r['LeadId']} {r['Channel']} {r['Outcome']})"
    return None


@button("why_blocked", "Why Blocked?", "Work")
def why_blocked(click: Click) -> str | None:
    """Explain, rule by rule, whether the selected lead may be contacted now on its channel."""
    verdicts = service("relist.compliance.verdict", "evaluate", "load_context")
    from relist import settings
    from relist.leads import load_leads

    row = selected(click, "lead", single=True)[0]
    lead_id = _lead_id(row)
    channel = str((row.get("Channel") if row["_table"] == "tblToday" else row.get("NextChannel")) or "call")
    lead = next((x for x in load_leads(click.wb, settings.load(click.wb).tz) if x.lead_id == lead_id), None)
    if lead is None:
        raise BadInput(f"{lead_id} is not on the Leads sheet.", "Rebuild Today's Queue, then select a row again.")
    ctx = verdicts.load_context(click.wb, click.at)
    v = verdicts.evaluate(lead, channel, click.at, ctx)
    tz = settings.load(click.wb).tz
    lines = [f"{lead_id} {lead.owner_name} - {channel} at {click.at.astimezone(tz):%Y-%m-%d %H:%M}"
             + (f" to {v.phone}" if v.phone else "")]
    lines += [f"{'ok' if r.ok else 'NO'}  {r.rule}: {r.message}" for r in v.reasons]
    if not v.allowed and hasattr(verdicts, "next_allowed"):
        nxt = verdicts.next_allowed(lead, channel, click.at, ctx)
        lines.append("Next allowed: " + (f"{nxt.astimezone(tz):%Y-%m-%d %H:%M}" if nxt else "not within 14 days"))
    lines.append(f"{lead_id}: {'ALLOWED' if v.allowed else 'BLOCKED: ' + v.explain()}")
    return "\n".join(lines)


# ================================================================ Outreach


@button("dial_list", "Export Dial List", "Outreach")
def dial_list(click: Click) -> str | None:
    """Write today's callable numbers (each checked by compliance now) as a CSV for a dialer."""
    channels = service("relist.channels.service", "dial_list")
    click.status("checking today's numbers...")
    result = channels.dial_list(click.wb, click.at)
    if not result.rows:
        return "No number may be called now, so no dial list was written." + _skips(result.skipped)
    path = click.output_dir() / f"dial-list-{click.at:%Y%m%d-%H%M}.csv"
    path.write_text(result.csv, encoding="utf-8", newline="")
    return f"Dial list: {len(result.rows)} leads in {path}" + _skips(result.skipped)


@button("print_letters", "Print Letters", "Outreach")
def print_letters(click: Click) -> str | None:
    """Make today's letters as one PDF (brokerage and license on each) and log them once you mail them."""
    channels = service("relist.channels.service", "letters", "confirm")
    click.status("making letters...")
    result = channels.letters(click.wb, click.at, dirs=click.template_dirs())
    if result.pdf is None:
        return "No letter is due today." + _skips(result.skipped)
    path = click.output_dir() / f"letters-{click.at:%Y%m%d-%H%M}.pdf"
    path.write_bytes(result.pdf)
    _open(path)
    text = f"{len(result.letters)} letters in {path}" + _skips(result.skipped)
    if click.ask(f"{text}\n\nLog these {len(result.letters)} letters as mailed now?"):
        channels.confirm(click.wb, result.steps, "letter", "sent", click.at)
        text += f"\nLogged {len(result.steps)} letters as sent."
    return text


@button("door_route", "Door Route", "Outreach")
def door_route(click: Click) -> str | None:
    """Order today's door knocks into a route sheet PDF."""
    channels = service("relist.channels.service", "route")
    click.status("planning the route...")
    result = channels.route(click.wb, click.at, hangers=True, dirs=click.template_dirs())
    if not result.stops:
        return "No door knock is due today." + _skips(result.skipped)
    folder = click.output_dir()
    path = folder / f"door-route-{click.at:%Y%m%d-%H%M}.pdf"
    path.write_bytes(result.sheet)
    if result.hangers:
        (folder / f"door-hangers-{click.at:%Y%m%d-%H%M}.pdf").write_bytes(result.hangers)
    _open(path)
    return f"Door route: {result.stops} stops in {path}" + _skips(result.skipped)


@button("send_emails", "Send Emails", "Outreach")
def send_emails(click: Click) -> str | None:
    """Send today's emails over SMTP (each logged as it goes), or write drafts when no mail server is set."""
    channels = service("relist.channels.service", "prepare_emails", "send_emails")
    from relist import settings

    click.status("preparing emails...")
    batch = channels.prepare_emails(click.wb, click.at, dirs=click.template_dirs())
    outgoing = list(batch.outgoing)
    if not outgoing:
        return "No email is due today." + _skips(batch.skipped)
    if not settings.load(click.wb).smtp_host:
        from relist.channels.email import write_drafts

        folder = click.output_dir() / f"email-drafts-{click.at:%H%M}"
        paths = write_drafts(outgoing, folder)
        return (f"Settings > Mail server is blank, so {len(paths)} drafts were written to {folder}: not sent, not logged. "
                "Fill in the mail server on the Settings sheet to send from here." + _skips(batch.skipped))
    if not click.ask(f"Send {len(outgoing)} emails now? Each is logged as it is accepted."):
        return None
    click.status(f"sending {len(outgoing)} emails...")
    report = channels.send_emails(click.wb, batch, click.at)
    return summary(report) + _skips(batch.skipped)


@button("calendar", "Calendar", "Outreach")
def calendar(click: Click) -> str | None:
    """Write appointments and call-backs as a calendar file (.ics) and open it."""
    channels = service("relist.channels.service", "calendar")
    result = channels.calendar(click.wb, click.at)
    if not result.events:
        return "No appointment or call-back from today on." + _skips(result.skipped)
    path = click.output_dir() / f"relist-{click.at:%Y%m%d-%H%M}.ics"
    path.write_text(result.ics, encoding="utf-8", newline="")
    _open(path)
    return f"{len(result.events)} events in {path}" + _skips(result.skipped)


# ================================================================ Insights


@button("refresh_dashboard", "Refresh Dashboard", "Insights")
def refresh_dashboard(click: Click) -> str | None:
    """Recompute the funnel on the Dashboard sheet from the touch log."""
    roi = service("relist.roi.service", "refresh_dashboard")
    click.status("refreshing the dashboard...")
    f = roi.refresh_dashboard(click.wb, click.at)
    with contextlib.suppress(Exception):
        click.book.sheets["Dashboard"].activate()
    return (f"Dashboard refreshed: {f.touches} touches ({f.touch_contacts} contacts) over {f.leads} leads, "
            f"{f.leads_listed} listed.")


@button("roi_calculator", "ROI Calculator", "Insights")
def roi_calculator(click: Click) -> str | None:
    """Open the ROI notebook in JupyterLab (relist notebook roi), on this workbook."""
    import subprocess

    service("relist.cli.roi", "notebook")
    path = click.wb.path
    argv = [sys.executable, "-m", "relist", "notebook", "roi", "--lab"]
    env = dict(os.environ)
    if path is not None:
        env["RELIST_WORKBOOK"] = str(path)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    subprocess.Popen(argv, env=env, creationflags=flags, stdin=subprocess.DEVNULL,  # noqa: S603
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return "The ROI calculator is opening in your browser (JupyterLab). Close its tab when you are done."


@button("listing_presentation", "Listing Presentation", "Insights")
def listing_presentation(click: Click) -> str | None:
    """Build the listing presentation (.pptx and .pdf) for the selected lead and link it from the lead row."""
    present = service("relist.present.service", "build_presentation")
    row = selected(click, "lead", single=True)[0]
    lead_id = _lead_id(row)
    click.status(f"building the presentation for {lead_id}...")
    result = present.build_presentation(click.wb, lead_id, at=click.at)  # next to the workbook, as relist present
    _open(result.link)
    return f"Presentation for {lead_id}: {result.link}"


# ================================================================ Help


@button("about", "About", "Help")
def about(click: Click) -> str | None:
    """Relist's version, the workbook's schema version, and the Python that runs the buttons."""
    from relist import __version__

    try:
        import xlwings

        xl = getattr(xlwings, "__version__", "?")
    except ImportError:
        xl = "not installed"
    return (
        f"Relist {__version__}\nWorkbook: {click.book.name} (workbook version {click.wb.schema_version})\n"
        f"Python {sys.version.split()[0]} at {sys.executable}\nxlwings {xl}"
    )


@button("settings", "Settings", "Help")
def settings_sheet(click: Click) -> str | None:
    """Go to the Settings sheet."""
    click.book.sheets["Settings"].activate()
    return None


def docs_path() -> Path:
    """docs/addin.md of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[2] / "docs" / "addin.md"


def button_help() -> str:
    """One line per button: what it does (the short help when the docs are not on this machine)."""
    return "\n".join(
        f"{b.group} > {b.label}: {(globals()[b.function].__doc__ or '').strip().splitlines()[0]}" for b in BUTTONS.values()
    )


@button("docs", "Help", "Help")
def open_docs(click: Click) -> str | None:
    """Open the Relist add-in documentation."""
    import webbrowser

    local = docs_path()
    if local.exists() and webbrowser.open(local.as_uri()):
        return None
    return "Relist buttons:\n" + button_help()


def entry_points() -> dict[str, Callable[..., str | None]]:
    """Button name -> the public entry point."""
    return {name: globals()[b.function] for name, b in BUTTONS.items()}


if __name__ == "__main__":
    # Run a button from an IDE on an open workbook:  python -m relist.excel PATH.xlsx [button]
    import xlwings as xw

    xw.Book(sys.argv[1] if len(sys.argv) > 1 else "Relist.xlsx").set_mock_caller()
    print(run(sys.argv[2] if len(sys.argv) > 2 else "about"))
