"""`relist addin build/install`: locations per platform, the xlwings settings file, the CLI."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from relist.addin import install as inst
from relist.cli import cli
from relist.errors import BadInput


def test_windows_plan_uses_xlstart_and_the_relist_conf(tmp_path: Path) -> None:
    env = {"APPDATA": str(tmp_path / "Roaming"), "USERPROFILE": str(tmp_path / "me")}
    p = inst.plan("win32", tmp_path, env)
    assert p.platform == "windows"
    assert p.addin == tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "relist.xlam"
    assert p.config == tmp_path / "me" / ".relist" / "relist.conf"
    assert p.scripts_dir is None


def test_mac_plan_uses_the_office_startup_folder_and_sandbox(tmp_path: Path) -> None:
    p = inst.plan("darwin", tmp_path, {})
    assert p.addin.parent == tmp_path / inst.MAC_GROUP_STARTUP
    assert p.config == tmp_path / "Library/Containers/com.microsoft.Excel/Data/relist.conf"
    assert p.scripts_dir == tmp_path / "Library/Application Scripts/com.microsoft.Excel"


def test_linux_explains_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as err:
        inst.plan("linux", tmp_path, {})
    assert "Windows or macOS" in err.value.message and "relist addin install" in err.value.hint


def test_install_writes_addin_and_merges_settings(tmp_path: Path) -> None:
    p = inst.plan("win32", tmp_path, {"APPDATA": str(tmp_path / "a"), "USERPROFILE": str(tmp_path / "u")})
    p.config.parent.mkdir(parents=True)
    p.config.write_text('"LICENSE_KEY","abc"\r\n"INTERPRETER_WIN","old.exe"\r\n', encoding="utf-8")
    done = inst.install(p, b"PK-xlam", r"C:\Py\python.exe", r"C:\src\relist\lib")
    assert p.addin.read_bytes() == b"PK-xlam" and len(done) == 2
    raw = p.config.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    conf = inst.read_conf(raw.decode())
    assert conf == {
        "LICENSE_KEY": "abc",
        "INTERPRETER_WIN": r"C:\Py\python.exe",
        "PYTHONPATH": r"C:\src\relist\lib",
        "ADD_WORKBOOK_TO_PYTHONPATH": "False",
        "USE UDF SERVER": "True",
        "SHOW CONSOLE": "False",
    }


def test_mac_install_copies_the_runpython_script(tmp_path: Path) -> None:
    p = inst.plan("darwin", tmp_path, {})
    script = tmp_path / "xlwings-9.9.applescript"
    script.write_text("on run\nend run\n")
    done = inst.install(p, b"x", "/usr/bin/python3", "/src/lib", script)
    assert (p.scripts_dir / script.name).exists() if p.scripts_dir else False
    assert inst.read_conf(p.config.read_text())["INTERPRETER_MAC"] == "/usr/bin/python3"
    assert len(done) == 3
    with pytest.raises(BadInput, match="AppleScript"):
        inst.install(p, b"x", "/usr/bin/python3", "/src/lib", tmp_path / "missing.applescript")


def test_conf_round_trip_and_bad_lines() -> None:
    text = inst.write_conf({"A": "1", "B B": r"C:\x"}, "mac")
    assert inst.read_conf(text) == {"A": "1", "B B": r"C:\x"}
    with pytest.raises(BadInput, match="KEY"):
        inst.read_conf("INTERPRETER_WIN=python\n")
    with pytest.raises(BadInput, match="double quote"):
        inst.write_conf({"A": 'x"y'}, "windows")


def test_cli_build_writes_a_reproducible_addin(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "relist.xlam"
    res = runner.invoke(cli, ["addin", "build", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["addin"] == str(out.resolve()) and data["modules"] == ["Relist", "Dictionary", "xlwings"]
    first = out.read_bytes()
    res = runner.invoke(cli, ["addin", "build", "--out", str(out)])
    assert res.exit_code == 0 and res.output.startswith("Built ")
    assert out.read_bytes() == first
    assert zipfile.ZipFile(out).read("customUI/customUI14.xml").startswith(b"<?xml")


def test_cli_build_refuses_a_folder_without_sources(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["addin", "build", "--src", str(tmp_path), "--out", str(tmp_path / "x.xlam")])
    assert res.exit_code == 2
    assert "relist: error: No add-in sources" in res.output and "Traceback" not in res.output


def test_cli_install_on_this_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys, "platform", "linux")
    res = CliRunner().invoke(cli, ["addin", "install"])
    assert res.exit_code == 2 and "Windows or macOS" in res.output
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "profile"))
    res = CliRunner().invoke(cli, ["addin", "install", "--dry-run", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["addin"].endswith("relist.xlam") and data["settings"]["USE UDF SERVER"] == "True"
    res = CliRunner().invoke(cli, ["addin", "install"])
    assert res.exit_code == 0, res.output
    xlam = tmp_path / "roaming" / "Microsoft" / "Excel" / "XLSTART" / "relist.xlam"
    assert zipfile.ZipFile(xlam).read("xl/vbaProject.bin")[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    conf = inst.read_conf((tmp_path / "profile" / ".relist" / "relist.conf").read_text())
    assert conf["INTERPRETER_WIN"] == str(Path(sys.executable)).replace("/", "\\")
    assert Path(conf["PYTHONPATH"].replace("\\", "/")).joinpath("relist", "excel.py").exists()


def _script(tmp_path: Path) -> Path:
    script = tmp_path / "xlwings-9.9.applescript"
    script.write_text("on run\nend run\n")
    return script


def test_settings_are_written_as_xlwings_writes_and_reads_its_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings' own reader (text mode, the locale's encoding) gets back every value, accents included."""
    import xlwings
    from xlwings import utils

    p = inst.plan("darwin", tmp_path, {})
    python = "/Users/José Núñez/relist/.venv/bin/python"
    inst.install(p, b"x", python, "/Users/José Núñez/relist/lib", _script(tmp_path))
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(p.config))
    got = utils.read_user_config()
    assert got["interpreter_mac"] == python and got["pythonpath"] == "/Users/José Núñez/relist/lib"
    assert p.config.read_bytes() == inst.write_conf(inst.read_conf(p.config.read_text()), "mac").encode(inst.conf_encoding())


def test_windows_settings_are_in_the_ansi_code_page(tmp_path: Path) -> None:
    p = inst.plan("win32", tmp_path, {"APPDATA": str(tmp_path / "a"), "USERPROFILE": str(tmp_path / "u")})
    p.config.parent.mkdir(parents=True)
    p.config.write_bytes('"ONEDRIVE_CONSUMER_WIN","C:\\Users\\José\\OneDrive"\r\n'.encode())  # as an older Relist wrote it
    inst.install(p, b"x", r"C:\Users\José\AppData\Local\Programs\Python\python.exe", r"C:\Users\José\relist\lib",
                 encoding="cp1252")
    raw = p.config.read_bytes()
    assert b"C:\\Users\\Jos\xe9\\AppData" in raw and "é".encode() not in raw  # one byte per letter, as VBA's Input # reads
    conf = inst.read_conf(raw.decode("cp1252"))
    assert conf["ONEDRIVE_CONSUMER_WIN"] == r"C:\Users\José\OneDrive"  # the old UTF-8 line kept, re-encoded
    assert conf["INTERPRETER_WIN"] == r"C:\Users\José\AppData\Local\Programs\Python\python.exe"


def test_a_path_the_code_page_cannot_hold_is_refused(tmp_path: Path) -> None:
    p = inst.plan("win32", tmp_path, {"APPDATA": str(tmp_path / "a"), "USERPROFILE": str(tmp_path / "u")})
    with pytest.raises(BadInput, match="code page") as err:
        inst.install(p, b"x", r"C:\Users\Łukasz\python.exe", r"C:\src\lib", encoding="cp1252")
    assert "relist addin install again" in err.value.hint and not p.config.exists() and not p.addin.exists()
