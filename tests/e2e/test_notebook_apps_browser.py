"""`relist notebook roi|presentation` as apps: Voila on 127.0.0.1, driven in headless Chromium at 1,366 x 768.

No code cell, no JupyterLab chrome, no pop-up; the app shows its answer without Run All.
Set RELIST_SCREENSHOTS=DIR to keep the screens (workbook/screenshot.sh puts them in docs/img).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import require_tool, stop_server, wait_for_server

from relist.cli.roi import NOTEBOOKS, free_port, notebooks_dir, server_command, voila_installed
from relist.roi.model import RoiInputs, compute
from relist.roi.text import format_value

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREEN = {"width": 1366, "height": 768}


@contextmanager
def voila(app: str, tmp_path: Path, workbook: Path) -> Iterator[str]:
    """Voila serving a copy of the app's notebook, as `relist notebook APP` does when Voila is installed."""
    if not voila_installed():
        pytest.fail("Voila is a dependency of relist (pyproject.toml): pip install -e .")
    work = tmp_path / app
    work.mkdir()
    nb = work / NOTEBOOKS[app]
    shutil.copy(notebooks_dir() / NOTEBOOKS[app], nb)
    argv, url = server_command(nb, free_port(), "e2e-" + os.urandom(8).hex(), voila=True, browser=False)
    jupyter = tmp_path / f"jupyter-{app}"
    env = dict(os.environ, RELIST_WORKBOOK=str(workbook), RELIST_AT="2026-11-25T10:15", JUPYTER_CONFIG_DIR=str(jupyter / "config"),
               JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), JUPYTER_PLATFORM_DIRS="1")
    log_path = tmp_path / f"voila-{app}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        probe = url.split("?")[0] + "static/does-not-exist"  # any answer means the server listens
        wait_for_server(probe, proc, log_path, "Voila", any_answer=True)
        yield url
    finally:
        stop_server(proc)
        log.close()


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relist.demo import run_demo

    require_tool("chromium")
    return run_demo(tmp_path_factory.mktemp("demo") / "demo").files["workbook"]


def _shot(page: object, name: str, tmp_path: Path) -> None:
    keep = os.environ.get("RELIST_SCREENSHOTS")
    target = Path(keep) / f"{name}.png" if keep else tmp_path / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))  # type: ignore[attr-defined]
    assert target.stat().st_size > 10_000


def _title_once(page: object, title: str) -> None:
    """The notebook's heading is the app's only title (the widget used to repeat it)."""
    assert page.inner_text("body").count(title) == 1  # type: ignore[attr-defined]


def _on_first_screen(page: object, selector: str) -> None:
    """The element is wholly inside the 1,366 x 768 viewport as the app opens: no scrolling to reach it."""
    box = page.locator(selector).first.bounding_box()  # type: ignore[attr-defined]
    assert box is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= SCREEN["width"] and box["y"] + box["height"] <= SCREEN["height"], (selector, box)


def _no_code_no_popups(page: object) -> None:
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "import os" not in text and "PresentationBuilder(" not in text and "RoiCalculator(" not in text
    assert "ImportApp(" not in text
    assert page.locator(".jp-InputArea-editor:visible, .jp-Notification:visible").count() == 0  # type: ignore[attr-defined]


def test_roi_app_opens_with_its_answer_and_no_code(demo_book: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with voila("roi", tmp_path, demo_book) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_tool("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SCREEN)
            page.goto(url)
            gci = page.locator(".relist-out-gci_per_month").first
            expect(gci).to_have_text(format_value("gci_per_month", compute(RoiInputs()).gci_per_month), timeout=120_000)
            _no_code_no_popups(page)
            box = page.locator(".relist-box-dialer_cost input").first
            expect(box).to_have_value("124", timeout=30_000)  # the slider's $10 step does not round the default
            page.wait_for_timeout(1500)
            expect(gci).to_have_text(format_value("gci_per_month", compute(RoiInputs()).gci_per_month))
            _title_once(page, "ROI calculator: what your expired math is worth")
            assert page.evaluate("window.scrollY") == 0
            for answer in ("net_per_month", "listings_per_month", "gci_per_hour", "gci_per_month"):
                _on_first_screen(page, f".relist-out-{answer}")
            _on_first_screen(page, ".relist-preset-solo-agent")
            for first in ("dials_per_day", "days_per_week", "minutes_per_dial", "pickup_rate"):
                _on_first_screen(page, f".relist-slider-{first}")
                _on_first_screen(page, f".relist-box-{first} input")
            _on_first_screen(page, ".relist-roi-funnel")
            _shot(page, "notebook-roi", tmp_path)
        finally:
            browser.close()


def test_presentation_app_opens_on_a_lead_with_no_code(demo_book: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with voila("presentation", tmp_path, demo_book) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_tool("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SCREEN)
            page.goto(url)
            expect(page.locator(".relist-comp-count").first).to_be_visible(timeout=120_000)
            expect(page.locator(".relist-export").first).to_be_visible()
            _no_code_no_popups(page)
            page.wait_for_timeout(1500)
            _title_once(page, "Listing presentation")
            assert page.evaluate("window.scrollY") == 0
            for selector in (".relist-export", ".relist-comp-count", ".relist-filter-months input",
                             ".relist-filter-count input", ".relist-filter-widen input"):
                _on_first_screen(page, selector)
            _shot(page, "notebook-presentation", tmp_path)
        finally:
            browser.close()


def test_import_app_reads_a_value_it_is_told_the_meaning_of(demo_book: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    export = tmp_path / "gone.csv"
    export.write_text("MLS #,Status,Owner Name,Property Address,City,State,Zip\n"
                      "T9400001,Gone,Ann Lee,12 Oak St,Tampa,FL,33602\n")
    with voila("import", tmp_path, demo_book) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_tool("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SCREEN)
            page.goto(url)
            expect(page.locator(".relist-import-run").first).to_be_visible(timeout=120_000)
            _no_code_no_popups(page)
            _title_once(page, "Import exports")
            for selector in (".relist-import-files textarea", ".relist-import-value-maps textarea", ".relist-import-run"):
                _on_first_screen(page, selector)
            page.locator(".relist-import-files textarea").first.fill(str(export))
            page.locator(".relist-import-value-maps textarea").first.fill("Status:Gone=Expired")
            page.locator(".relist-import-dry-run input").first.check()
            page.locator(".relist-import-run").first.click()
            expect(page.locator(".relist-import-summary").first).to_contain_text("1 added", timeout=60_000)
            _shot(page, "notebook-import", tmp_path)
        finally:
            browser.close()
