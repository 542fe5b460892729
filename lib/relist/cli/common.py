"""What every command shares: --workbook, --at, --json, output and error translation."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import click

from relist.errors import BadInput, RelistError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2


def workbook_option(f: F) -> F:
    """--workbook PATH, default from RELIST_WORKBOOK."""
    return click.option(
        "--workbook",
        "-w",
        "workbook",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="RELIST_WORKBOOK",
        show_envvar=True,
        help="The Relist workbook (.xlsx).",
    )(f)


def at_option(f: F) -> F:
    """--at ISO-DATETIME: with an offset that instant, without one the agent's local time."""
    return click.option(
        "--at",
        "at",
        default=None,
        metavar="ISO-DATETIME",
        help="Act as if it were this moment (e.g. 2026-11-25T09:30; no offset = your time zone).",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(f)


EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""


def check_text_arguments(params: dict[str, Any]) -> None:
    """Refuse, in one line, text options that cannot be stored: bytes that are not UTF-8, or too long for a cell."""
    for name, value in params.items():
        texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, (tuple, list)) else []
        option = "--" + name.replace("_", "-")
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise BadInput(
                    f"{option} holds bytes that are not UTF-8 text; nothing was changed.",
                    "Type it again (set your terminal or script to UTF-8).",
                ) from None
            if len(text) > EXCEL_CELL_CHARS:
                raise BadInput(
                    f"{option} is {len(text):,} characters; an Excel cell holds at most {EXCEL_CELL_CHARS:,}. Nothing was changed.",
                    "Shorten it.",
                )


def hold_writer_lock(cmd: click.Command) -> click.Command:
    """Make `cmd` (and a group's subcommands) check its text options and run under the writer lock.

    The lock is that of its --workbook, held from before the command reads the workbook until
    after it saves, so a second Relist command on the same book waits (saying so on stderr),
    then refuses.
    """
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            hold_writer_lock(sub)
        return cmd
    inner = cmd.callback
    if inner is None or getattr(inner, "_relist_locked", False):
        return cmd
    locks = any(p.name == "workbook" for p in cmd.params)

    @functools.wraps(inner)
    def locked(*args: Any, **kwargs: Any) -> Any:
        check_text_arguments(kwargs)
        book = kwargs.get("workbook")
        if book is None or not locks:
            return inner(*args, **kwargs)
        from relist.workbook.lock import writer_lock

        with writer_lock(Path(book), wait_message=lambda m: click.echo(m, err=True)):
            return inner(*args, **kwargs)

    locked._relist_locked = True  # type: ignore[attr-defined]
    cmd.callback = locked
    return cmd


def require_workbook(path: Path | None) -> Path:
    if path is None:
        raise RelistError(
            "No workbook given.", "Pass --workbook PATH or set RELIST_WORKBOOK (make one with: relist init PATH)."
        )
    return path


def _default(o: Any) -> Any:
    if isinstance(o, (datetime, date, time)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if hasattr(o, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(o)
    return str(o)


def dumps(data: Any) -> str:
    return json.dumps(data, default=_default, indent=2, sort_keys=False)


def emit(as_json: bool, data: Any, human: str | Sequence[str]) -> None:
    """Print JSON or the human lines (the last line is the one-line summary)."""
    if as_json:
        click.echo(dumps(data))
        return
    lines = [human] if isinstance(human, str) else list(human)
    for line in lines:
        click.echo(line)


def progress(label: str, length: int, enabled: bool = True) -> Any:
    """A progress bar on stderr for long work (hidden with --json or when not a terminal)."""
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True) if enabled else _NullBar()


class _NullBar:
    def __enter__(self) -> _NullBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


class UserError(click.ClickException):
    """A product error as click shows it: one line, the fix-it hint, exit code 2."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"relist: error: {self.format_message()}", err=True)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn product errors (and OS errors on user paths) into one-line click errors."""
    try:
        yield
    except RelistError as exc:
        raise UserError(exc.one_line(), exc.exit_code) from exc
    except (zipfile.BadZipFile, zlib.error) as exc:  # a part found damaged after opening (e.g. while saving)
        if os.environ.get("RELIST_DEBUG"):
            raise
        raise UserError(f"A file is damaged ({exc}); nothing was changed. Restore the newest copy from the backups folder.") from exc
    except RuntimeError as exc:  # zipfile: a damaged entry whose flag bits claim it is encrypted
        if "encrypted" not in str(exc) or os.environ.get("RELIST_DEBUG"):
            raise
        raise UserError(f"A file is damaged ({exc}); nothing was changed. Restore the newest copy from the backups folder.") from exc
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if os.environ.get("RELIST_DEBUG"):
            raise
        what = {FileNotFoundError: "No such file", PermissionError: "Permission denied",
                IsADirectoryError: "That is a folder, not a file"}[type(exc)]
        raise UserError(f"{what}: {exc.filename}. Check the path.") from exc
