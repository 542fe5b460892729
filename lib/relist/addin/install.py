"""Where Excel loads the add-in from, and the xlwings settings the add-in reads, per platform.

The add-in goes into Excel's user start-up folder (XLSTART on Windows, the
Office group container's Startup/Excel folder on macOS), which Excel opens at
every start and trusts. The runtime's PROJECT_NAME is "relist", so xlwings
reads its settings from `%USERPROFILE%\\.relist\\relist.conf` (Windows) or the
Excel sandbox's `relist.conf` (macOS): interpreter, PYTHONPATH and, on Windows,
a persistent Python process (USE UDF SERVER) so a click costs no start-up.

The file is written as xlwings writes its own config (`xlwings config
create`, `update_user_config`: text mode, the locale's encoding), which is
what the add-in's VBA reads it with (`Input #`, the ANSI code page on
Windows): a user folder with accented letters reads back as written.
"""

from __future__ import annotations

import locale
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from relist.addin.sources import PROJECT_NAME
from relist.errors import BadInput

ADDIN_NAME = "relist.xlam"
MAC_GROUP_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SANDBOX = "Library/Containers/com.microsoft.Excel/Data"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"


@dataclass(frozen=True)
class Plan:
    """Where each file goes on this machine."""

    platform: str  # "windows" or "mac"
    addin: Path
    config: Path
    scripts_dir: Path | None  # macOS: where xlwings' AppleScript must be for RunPython


def platform_kind(platform: str) -> str | None:
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "mac"
    return None


def plan(platform: str, home: Path, env: Mapping[str, str]) -> Plan:
    """The install locations for `platform` (sys.platform) and a user's home folder."""
    kind = platform_kind(platform)
    if kind == "windows":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        profile = Path(env.get("USERPROFILE") or home)
        return Plan("windows", appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_NAME,
                    profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf", None)
    if kind == "mac":
        return Plan("mac", home / MAC_GROUP_STARTUP / ADDIN_NAME, home / MAC_SANDBOX / f"{PROJECT_NAME}.conf",
                    home / MAC_SCRIPTS)
    raise BadInput(
        f"Excel add-ins install on Windows or macOS; this machine is {platform}.",
        "Build the add-in here (relist addin build), then on the Windows or Mac machine with Excel run: "
        "pip install relist, then relist addin install. Or copy addin/relist.xlam into Excel's XLSTART folder "
        "and put the xlwings settings (INTERPRETER_WIN, PYTHONPATH) in %USERPROFILE%\\.relist\\relist.conf.",
    )


def settings_for(kind: str, python: str, pythonpath: str) -> dict[str, str]:
    """The xlwings settings Relist needs (the keys the runtime's GetConfig reads)."""
    out = {"PYTHONPATH": pythonpath, "ADD_WORKBOOK_TO_PYTHONPATH": "False"}
    if kind == "windows":
        out["INTERPRETER_WIN"] = python
        out["USE UDF SERVER"] = "True"
        out["SHOW CONSOLE"] = "False"
    else:
        out["INTERPRETER_MAC"] = python
    return out


def read_conf(text: str) -> dict[str, str]:
    """An xlwings .conf file: one "KEY","VALUE" line per setting, as VBA's Write # makes them."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition('","')
        if not sep or not key.startswith('"') or not value.endswith('"'):
            raise BadInput(f"This line of the xlwings settings file is not \"KEY\",\"VALUE\": {line!r}.",
                           "Fix or delete the line in relist.conf, then run relist addin install again.")
        out[key[1:]] = value[:-1]
    return out


def write_conf(values: Mapping[str, str], kind: str) -> str:
    end = "\r\n" if kind == "windows" else "\n"
    for k, v in values.items():
        if '"' in k or '"' in v:
            raise BadInput(f"The setting {k} = {v!r} contains a double quote, which xlwings' settings file cannot hold.",
                           "Move Python to a path without double quotes.")
    return "".join(f'"{k}","{v}"{end}' for k, v in values.items())


def conf_encoding() -> str:
    """The encoding xlwings writes its config in: Python's default for text files, the locale's code page."""
    return locale.getpreferredencoding(False)


def encode_conf(text: str, encoding: str) -> bytes:
    """The settings file's bytes; a path the code page cannot hold is refused in plain words (VBA could not read it)."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        line = next((ln for ln in text.splitlines() if bad in ln), "")
        raise BadInput(
            f"The xlwings settings line {line.strip()} has {bad!r}, which this computer's code page ({encoding}) "
            "cannot hold, so Excel's VBA could not read it back.",
            "Install Python (and Relist) in a folder whose path has only letters of your system language, then run "
            "relist addin install again.",
        ) from None


def decode_conf(data: bytes, encoding: str) -> str:
    """An existing settings file: in the code page, or UTF-8 as Relist wrote it before it matched xlwings."""
    if encoding.replace("-", "").lower() != "utf8" and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return data.decode(encoding, errors="replace")


def pythonpath_for(package_dir: Path) -> str:
    """The folder that holds the `relist` package (the source checkout's lib/ or site-packages)."""
    return str(package_dir.parent)


def _native(path: str, kind: str) -> str:
    return str(PureWindowsPath(path)) if kind == "windows" else path


def install(p: Plan, xlam: bytes, python: str, pythonpath: str, applescript: Path | None = None,
            encoding: str | None = None) -> list[str]:
    """Write the add-in and merge the settings into the config file; returns what was done, one line each.

    `encoding`: the settings file's (default: the locale's, as xlwings writes it).
    """
    encoding = encoding or conf_encoding()
    done: list[str] = []
    existing = read_conf(decode_conf(p.config.read_bytes(), encoding)) if p.config.exists() else {}
    merged = {**existing, **settings_for(p.platform, _native(python, p.platform), _native(pythonpath, p.platform))}
    data = encode_conf(write_conf(merged, p.platform), encoding)  # refused before anything is written
    p.addin.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.addin.with_name(f".{p.addin.name}.tmp")
    tmp.write_bytes(xlam)
    os.replace(tmp, p.addin)
    done.append(f"Add-in: {p.addin}")
    p.config.parent.mkdir(parents=True, exist_ok=True)
    p.config.write_bytes(data)
    done.append(f"xlwings settings: {p.config}")
    if p.scripts_dir is not None:
        if applescript is None or not applescript.exists():
            raise BadInput("The installed xlwings has no AppleScript file for RunPython on macOS.",
                           "Reinstall xlwings: pip install --force-reinstall xlwings")
        p.scripts_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(applescript, p.scripts_dir / applescript.name)
        done.append(f"RunPython script: {p.scripts_dir / applescript.name}")
    return done
