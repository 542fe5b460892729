"""`relist addin build` and `relist addin install`: the Excel ribbon add-in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from relist.cli.common import emit, json_option


@click.group()
def addin() -> None:
    """Build or install the Relist ribbon add-in for Excel (xlwings)."""


def default_out() -> Path:
    from relist.addin.sources import default_dir

    return default_dir().parent / "relist.xlam"


@addin.command()
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the add-in (default: addin/relist.xlam of the source checkout).")
@click.option("--src", "src", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="The add-in sources (default: addin/src of the source checkout).")
@click.option("--runtime", type=click.Choice(["bundled", "installed"]), default="bundled", show_default=True,
              help="xlwings VBA runtime: the copy in addin/src, or the installed xlwings package's.")
@json_option
def build(out: Path | None, src: Path | None, runtime: str, as_json: bool) -> None:
    """Compile addin/src (ribbon XML and VBA text) into relist.xlam; same sources, same bytes."""
    from relist.addin import package, sources

    srcs = sources.load(src, runtime=runtime)
    target = package.write(srcs, out or default_out())
    data = {"addin": str(target.resolve()), "modules": [m.name for m in srcs.modules],
            "bytes": target.stat().st_size}
    emit(as_json, data, f"Built {target} ({len(srcs.modules)} VBA modules, {data['bytes']:,} bytes).")


@addin.command()
@click.option("--dry-run", is_flag=True, help="Only say where the files would go.")
@json_option
def install(dry_run: bool, as_json: bool) -> None:
    """Install the add-in where Excel loads it and write the xlwings settings (Windows and macOS)."""
    import relist
    from relist.addin import install as inst
    from relist.addin import package, sources

    where = inst.plan(sys.platform, Path.home(), os.environ)
    pythonpath = inst.pythonpath_for(Path(relist.__file__).resolve().parent)
    if dry_run:
        data = {"addin": str(where.addin), "config": str(where.config),
                "settings": inst.settings_for(where.platform, sys.executable, pythonpath)}
        emit(as_json, data, [f"Add-in would go to {where.addin}", f"Settings would go to {where.config}"])
        return
    # Built from the installed xlwings' runtime: its DLL and AppleScript names carry xlwings' version.
    xlam = package.xlam_bytes(sources.load(runtime="installed"))
    applescript = None
    if where.scripts_dir is not None:
        import xlwings

        applescript = sources.xlwings_dir() / f"xlwings-{xlwings.__version__}.applescript"
    done = inst.install(where, xlam, sys.executable, pythonpath, applescript)
    emit(as_json, {"done": done}, [*done, "Restart Excel: the Relist tab appears on the ribbon."])
