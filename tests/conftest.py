"""Shared test helpers: e2e tools skip locally with a reason and fail when RELIST_REQUIRE_E2E=1."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

# No timing assertions in tests: Hypothesis' per-example deadline is one, and shared machines are noisy.
# On CI (CI=true) the examples are derandomized: a fuzz test that finds something new fails on a developer's
# run, where it can be fixed, not at random on the landing run of an unrelated change.
settings.register_profile("relist", deadline=None, print_blob=True, derandomize=os.environ.get("CI") == "true")
settings.load_profile("relist")

REQUIRE_E2E = os.environ.get("RELIST_REQUIRE_E2E") == "1"


def _travel_to_agent_time() -> None:
    """RELIST_TEST_NOW="23:30 America/New_York": the whole run's clock starts at that wall-clock time
    of the zone's current date and ticks on (the clock matrix in `make test`; see test_clock_rule)."""
    spec = os.environ.get("RELIST_TEST_NOW", "").strip()
    if not spec:
        return
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    clock, _, zone_name = spec.partition(" ")
    zone = ZoneInfo(zone_name or "America/New_York")
    hour, minute = (int(x) for x in clock.split(":"))
    start = datetime.combine(datetime.now(zone).date(), time(hour, minute), tzinfo=zone)
    # an instant, not a ZoneInfo datetime: time-machine would otherwise also change the process zone
    time_machine.travel(start.timestamp(), tick=True).start()


_travel_to_agent_time()
DATA = Path(__file__).parent / "data"

_TOOLS = {
    "soffice": ("soffice", "LibreOffice (apt install libreoffice-calc libreoffice-impress)"),
    "chromium": ("chromium", "Chromium (apt install chromium)"),
    "pdftoppm": ("pdftoppm", "poppler-utils (apt install poppler-utils)"),
    "faketime": ("faketime", "faketime (apt install faketime)"),
}


def require_tool(name: str) -> str:
    """Path of a system tool; skip (or fail when RELIST_REQUIRE_E2E=1) when it is missing."""
    exe, what = _TOOLS.get(name, (name, name))
    path = shutil.which(exe) or (f"/usr/bin/{exe}" if Path(f"/usr/bin/{exe}").exists() else None)
    if path is None:
        msg = f"{what} is not installed"
        if REQUIRE_E2E:
            pytest.fail(f"{msg}, and RELIST_REQUIRE_E2E=1 requires end-to-end tests to run")
        pytest.skip(msg)
    return path


RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def lo_profile() -> Path:
    """A fresh private LibreOffice profile that recalculates every formula on load (as Excel does on fullCalcOnLoad)."""
    profile = Path("/tmp") / f"lo-relist-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    return profile


def soffice_convert(src: Path, fmt: str, outdir: Path, timeout: int = 180) -> Path:
    """Convert a document headless with a private, recalculating LibreOffice profile; returns the output path."""
    exe = require_tool("soffice")
    profile = lo_profile()
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        exe,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(src),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = fmt.split(":")[0]
    out = outdir / f"{src.stem}.{ext}"
    if not out.exists():
        several = sorted(outdir.glob(f"{src.stem}-*.{ext}"))
        if several:
            return several[0]
        raise AssertionError(f"LibreOffice did not convert {src.name} to {fmt}: {proc.stdout} {proc.stderr}")
    return out


@pytest.fixture
def tool() -> object:
    return require_tool


def wait_for_server(url: str, proc: subprocess.Popen[bytes], log_path: Path, what: str, *, any_answer: bool = False) -> None:
    """Poll `url` until it answers 200 (or, with `any_answer`, any HTTP status) within 90 s; fail with the
    server's log tail when it exits or never answers."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except urllib.error.HTTPError:
            if any_answer:
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.5)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """End a test server started in its own process group: SIGTERM, then SIGKILL after 20 s."""
    import signal

    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
