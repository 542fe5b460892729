"""`relist roi` (the ROI model on the command line) and `relist notebook` (serve a notebook app)."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from relist.cli.common import at_option, emit, json_option, require_workbook, workbook_option
from relist.errors import BadInput
from relist.roi.model import FIELD_BY_NAME, INPUT_FIELDS, OUTPUT_LABELS, PRESET_BY_KEY

_RANGE = re.compile(r"^\s*([0-9.,$%\s]+?)\s*(?:-|–|\.\.|to)\s*([0-9.,$%\s]+)\s*$")


def _number(name: str, text: str) -> float:
    f = FIELD_BY_NAME[name]
    raw = text.strip().replace(",", "").replace("$", "").replace("_", "")
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%"))
    except ValueError as exc:
        raise BadInput(f"--{name.replace('_', '-')} {text!r} is not a number.",
                       f"Give a number or a range low-high, e.g. {f.low:g}-{f.high:g}.") from exc
    return value / 100 if percent else value


def parse_value(name: str, text: str) -> float | tuple[float, float]:
    """A command-line value: a number (30, 0.3, 30%, $425,000) or a range (0.25-0.35, 25%-35%)."""
    m = _RANGE.match(text)
    if m:
        return (_number(name, m.group(1)), _number(name, m.group(2)))
    return _number(name, text)


def _input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for field in reversed(INPUT_FIELDS):
        rate = " (0.3, 30% or a range 0.25-0.35)" if field.unit == "rate" else " (a number or a range low-high)"
        f = click.option(
            f"--{field.name.replace('_', '-')}", field.name, default=None, metavar="N|LOW-HIGH",
            help=f"{field.label}{rate}. Default: {field.source}.",
        )(f)
    return f


@click.command()
@_input_options
@click.option("--chain", type=click.Choice(["appointments", "contacts"]), default=None,
              help="How contacts become listings: per appointment, or listings per contact.")
@click.option("--preset", "preset_key", type=click.Choice(sorted(PRESET_BY_KEY)), default=None,
              help="Start from a seed preset (its inputs and ranges).")
@click.option("--from-workbook", is_flag=True,
              help="Start from the workbook's ROI sheet with your measured numbers from its touch log.")
@click.option("--save", "save", is_flag=True, help="Write the resulting inputs to the workbook's ROI sheet.")
@workbook_option
@at_option
@json_option
def roi(chain: str | None, preset_key: str | None, from_workbook: bool, save: bool,
        workbook: Path | None, at: str | None, as_json: bool, **values: str | None) -> None:
    """What a prospecting habit is worth per month; ranges like --pickup-rate 0.25-0.35 give low-high outputs."""
    from dataclasses import replace

    from relist.roi.model import RoiInputs, at_midpoints, compute, compute_range, preset, validate

    inputs = RoiInputs()
    ranges: dict[str, tuple[float, float]] = {}
    measured: dict[str, str] = {}
    if preset_key:
        p = preset(preset_key)
        inputs, ranges = p.inputs, dict(p.ranges)
    book: Any = None
    if from_workbook or save:
        from relist import settings
        from relist.clock import parse_at
        from relist.roi import service
        from relist.workbook import open_workbook

        book = open_workbook(require_workbook(workbook))
        if from_workbook:
            moment = parse_at(at, settings.load(book).tz)
            mine = service.my_numbers_from(book, moment)
            inputs = mine.apply(service.read_scenario(book))
            measured = dict(mine.evidence)
            ranges = {k: v for k, v in ranges.items() if k not in mine.values}
    changes: dict[str, Any] = {}
    for name, text in values.items():
        if text is None:
            continue
        value = parse_value(name, text)
        if isinstance(value, tuple):
            ranges[name] = value
            continue
        ranges.pop(name, None)
        changes[name] = int(round(value)) if FIELD_BY_NAME[name].whole and value == int(value) else value
    if chain:
        changes["chain"] = chain
    inputs = validate(replace(inputs, **changes))
    if ranges:
        inputs = at_midpoints(inputs, ranges)
    out = compute(inputs)
    spans = compute_range(inputs, ranges) if ranges else {}
    if save:
        from relist.roi import service

        service.save_scenario(book, inputs)

    from relist.roi.text import format_span, format_value

    lines = []
    values_out = out.as_dict()
    for name, label in OUTPUT_LABELS.items():
        span = format_span(name, spans.get(name, (None, None)))
        lines.append(f"{label:<72} {format_value(name, values_out[name]):>14}" + (f"   ({span})" if span else ""))
    head = (f"{inputs.dials_per_day:g} dials/day x {inputs.days_per_week:g} days/week at "
            f"{inputs.pickup_rate:.0%} pickup, {inputs.chain} chain")
    summary = (f"GCI {format_value('gci_per_month', out.gci_per_month)}/month, net "
               f"{format_value('net_per_month', out.net_per_month)}/month"
               + (f" (range {format_span('net_per_month', spans['net_per_month'])})" if spans.get("net_per_month")
                  and format_span('net_per_month', spans['net_per_month']) else "") + ".")
    if measured:
        lines += ["", "Measured from your touch log:"] + [f"  {FIELD_BY_NAME[k].label}: {v}" for k, v in measured.items()]
    if save:
        lines.append(f"Saved these inputs to the ROI sheet of {book.path.name}.")
    emit(as_json, {
        "inputs": inputs.as_dict(),
        "ranges": {k: list(v) for k, v in ranges.items()},
        "outputs": values_out,
        "output_ranges": {k: list(v) for k, v in spans.items()},
        "measured": measured,
    }, [head, *lines, summary])


# ---------------------------------------------------------------- relist notebook

NOTEBOOKS = {"roi": "roi_calculator.ipynb", "presentation": "listing_presentation.ipynb", "import": "import_exports.ipynb"}
"""App name -> notebook file under the notebooks folder."""


def notebooks_dir() -> Path:
    """The notebooks folder: RELIST_NOTEBOOKS, else the one beside the package's source tree."""
    env = os.environ.get("RELIST_NOTEBOOKS")
    if env:
        return Path(env)
    import relist

    return Path(relist.__file__).resolve().parents[2] / "notebooks"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def voila_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("voila") is not None


def server_command(notebook: Path, port: int, token: str, *, voila: bool, browser: bool) -> tuple[list[str], str]:
    """The argv that serves `notebook` on 127.0.0.1:port, and the URL to open (token included)."""
    base = f"http://127.0.0.1:{port}"
    if voila:
        argv = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={port}",
                f"--token={token}", "--theme=light"]
        if not browser:
            argv.append("--no-browser")
        return argv, f"{base}/?token={token}"
    argv = [
        sys.executable, "-m", "jupyterlab",
        "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebook.parent}",
        f"--ServerApp.default_url=/lab/tree/{notebook.name}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers often run as root; the server still binds to loopback only
    return argv, f"{base}/lab/tree/{notebook.name}?token={token}"


@click.command()
@click.argument("app", type=click.Choice(sorted(NOTEBOOKS)))
@click.option("--port", type=int, default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--browser/--no-browser", default=True, help="Open the app in your browser.")
@click.option("--lab", "force_lab", is_flag=True, help="Use JupyterLab even when Voila is installed.")
@workbook_option
def notebook(app: str, port: int, browser: bool, force_lab: bool, workbook: Path | None) -> None:
    """Serve a notebook app (roi or presentation) on 127.0.0.1 with the current workbook."""
    nb = notebooks_dir() / NOTEBOOKS[app]
    if not nb.exists():
        raise BadInput(f"The {app} notebook is not at {nb}.",
                       "Set RELIST_NOTEBOOKS to the folder holding Relist's notebooks.")
    env = dict(os.environ)
    if workbook is not None:
        if not workbook.exists():
            raise BadInput(f"No workbook at {workbook}.", "Pass --workbook PATH (make one with: relist init PATH).")
        env["RELIST_WORKBOOK"] = str(workbook.resolve())
    token = secrets.token_urlsafe(24)
    argv, url = server_command(nb, port or free_port(), token, voila=voila_installed() and not force_lab,
                               browser=browser)
    click.echo(f"Serving {nb.name} at {url}", err=True)
    if workbook is not None:
        click.echo(f"Workbook: {env['RELIST_WORKBOOK']}", err=True)
    click.echo("Press Ctrl-C to stop.", err=True)
    proc = subprocess.Popen(argv, env=env)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        code = proc.wait()
    if code not in (0, -2, -15, 130):
        raise click.exceptions.Exit(code)
