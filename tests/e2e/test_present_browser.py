"""In a real browser: JupyterLab serves the presentation notebook, a comp filter is changed, the comp count follows."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import require_tool, stop_server
from tests.data.comps.fixture import file_book

pytestmark = pytest.mark.e2e

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "listing_presentation.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"JupyterLab exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer at {url}: {log.read_text()[-2000:]}")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 serving a copy of the notebook with a fixture workbook; yields the notebook URL."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    wb = file_book(tmp_path / "Relist.xlsx")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, RELIST_WORKBOOK=str(wb), RELIST_AT="2026-03-10T09:00",
               JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "run"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"))
    log = tmp_path / "lab.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/api/status?token={token}", proc, log)
        yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}"
    finally:
        stop_server(proc)


def test_changing_a_comp_filter_changes_the_comp_count(lab: str) -> None:
    chromium = require_tool("chromium")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(lab, timeout=120_000)
            page.locator(".jp-Notebook").wait_for(timeout=120_000)
            select = page.get_by_role("button", name="Select Kernel")
            with contextlib.suppress(PlaywrightTimeout):  # JupyterLab may ask which kernel to start
                select.click(timeout=15_000)
            # The kernel must be idle before running the notebook.
            page.get_by_role("button", name=re.compile(r"Python 3.*\| Idle")).wait_for(timeout=120_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            count = page.locator(".relist-comp-count")
            expect(count).to_contain_text("6 comps used (of 6 matching", timeout=120_000)
            field = page.locator(".relist-filter-area-pct input")
            field.fill("5")
            field.press("Enter")
            expect(count).to_contain_text("3 comps used (of 3 matching", timeout=60_000)
            expect(count).to_contain_text("Closed within widened from 6 months to 12 months")
        finally:
            browser.close()
