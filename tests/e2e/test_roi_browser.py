"""The ROI notebook served by JupyterLab on 127.0.0.1 (as `relist notebook roi` serves it), driven in
headless Chromium with Playwright: run it, move a slider, see the outputs and the chart change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import require_tool, stop_server, wait_for_server

from relist.cli.roi import NOTEBOOKS, free_port, notebooks_dir, server_command
from relist.roi.model import FIELD_BY_NAME, RoiInputs, compute
from relist.roi.text import format_value

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """JupyterLab serving a copy of the ROI notebook (so autosave never touches the repository)."""
    from relist.workbook import template

    require_tool("chromium")
    work = tmp_path / "nb"
    work.mkdir()
    nb = work / NOTEBOOKS["roi"]
    shutil.copy(notebooks_dir() / NOTEBOOKS["roi"], nb)
    book = template.build(tmp_path / "agent.xlsx")
    port = free_port()
    argv, url = server_command(nb, port, "e2e-" + os.urandom(8).hex(), voila=False, browser=False)
    jupyter = tmp_path / "jupyter"
    env = dict(os.environ, RELIST_WORKBOOK=str(book), JUPYTER_CONFIG_DIR=str(jupyter / "config"),
               JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(jupyter / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(jupyter / "workspaces"), JUPYTER_PLATFORM_DIRS="1")
    log = open(tmp_path / "jupyterlab.log", "wb")  # noqa: SIM115 - closed in teardown
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status = url.split("/lab/")[0] + "/api/status?token=" + url.split("token=")[1]
        wait_for_server(status, proc, tmp_path / "jupyterlab.log", "JupyterLab")
        yield url
    finally:
        stop_server(proc)
        log.close()


def test_move_a_slider_and_the_outputs_and_chart_follow(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_tool("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(served)
            page.locator(".jp-Notebook").first.wait_for(timeout=90_000)
            # the kernel is up when the status bar says so; run the notebook only then
            page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\|\s*Idle")).first.wait_for(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            gci = page.locator(".relist-out-gci_per_month").first
            expect(gci).to_have_text(format_value("gci_per_month", compute(RoiInputs()).gci_per_month),
                                     timeout=120_000)
            funnel = page.locator(".relist-roi-funnel").first
            png = re.compile(r"^(data:image/png|blob:)")
            expect(funnel).to_have_attribute("src", png, timeout=30_000)
            before_src = funnel.get_attribute("src")
            page.screenshot(path=str(tmp_path / "roi-before.png"), full_page=True)

            handle = page.locator(".relist-slider-dials_per_day .noUi-handle").first
            handle.scroll_into_view_if_needed()
            handle.focus()
            for _ in range(6):
                handle.press("ArrowRight")
            dials = RoiInputs().dials_per_day + 6 * FIELD_BY_NAME["dials_per_day"].step  # six steps right
            box = page.locator(".relist-box-dials_per_day input").first
            expect(box).to_have_value(f"{dials:g}", timeout=30_000)  # the box follows the slider
            want = format_value("gci_per_month", compute(RoiInputs(dials_per_day=dials)).gci_per_month)
            expect(gci).to_have_text(want, timeout=30_000)
            expect(funnel).not_to_have_attribute("src", before_src or "", timeout=30_000)
            assert png.search(funnel.get_attribute("src") or "")
            gci.scroll_into_view_if_needed()
            shot = tmp_path / "roi-after-slider.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()

