"""The `relist` command line: each command is one service call; errors become one line and exit 2.

Commands are loaded lazily (a name -> "module:function" table) so `relist --version`
and every command import only what they use.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from relist import __version__

COMMANDS: dict[str, str] = {
    "init": "relist.cli.core:init",
    "demo": "relist.cli.core:demo",
    "roi": "relist.cli.roi:roi",
    "notebook": "relist.cli.roi:notebook",
    "dnc": "relist.cli.compliance:dnc",
    "check": "relist.cli.compliance:check",
    "audit": "relist.cli.compliance:audit",
    "present": "relist.cli.present:present",
    "export": "relist.cli.channels:export",
    "letters": "relist.cli.channels:letters",
    "route": "relist.cli.channels:route",
    "email": "relist.cli.channels:email",
    "calendar": "relist.cli.channels:calendar",
    "marketing-plan": "relist.cli.channels:marketing_plan",
    "templates": "relist.cli.channels:templates",
    "today": "relist.cli.sequence:today",
    "log": "relist.cli.sequence:log",
    "undo": "relist.cli.sequence:undo",
    "addin": "relist.cli.addin:addin",
    "import": "relist.cli.intake:import_cmd",
}
"""Command name -> "module:attribute" of its click command. Each area adds its own line."""


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        cmd = getattr(importlib.import_module(module), attr)
        assert isinstance(cmd, click.Command)
        from relist.cli.common import hold_writer_lock

        return hold_writer_lock(cmd)

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Like click's main, but every error, usage errors included, is one line on stderr."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            message = exc.format_message()
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                message += f" (see: {exc.ctx.command_path} --help)"
            click.echo(f"relist: error: {message}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("relist: aborted; nothing was saved.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from relist.cli.common import translate_errors

        with translate_errors():
            return super().invoke(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="relist")
def cli() -> None:
    """Relist: load today's expireds, work the sequence, stay compliant."""


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: product errors print one line, never a traceback.

    Read-cache writes wait until the command has answered and are done by a child process
    (`cache_later`), so a command after Excel re-saved the workbook costs what a full read does.
    """
    from relist.workbook import cache_later

    cache_later.begin()
    try:
        return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="relist")
    except SystemExit as done:  # how click ends every command: a process that forked the writer ends here
        cache_later.finish(done.code)
        raise
    finally:
        cache_later.finish()
