#!/usr/bin/env bash
# Refresh docs/img/*.png: the demo workbook's Today, Leads, Phones, Touches, Dashboard and ROI sheets as a 1,366 x 768
# screen shows them at 100% zoom (LibreOffice headless; see lib/relist/workbook/screens.py).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/relist demo "$tmp/demo" >/dev/null
.venv/bin/python -m relist.workbook.screens "$tmp/demo/Relist.xlsx" docs/img Today Leads Phones Touches Dashboard ROI
# The two notebook apps (Voila in headless Chromium, 1,366 x 768).
RELIST_SCREENSHOTS=docs/img RELIST_REQUIRE_E2E=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e/test_notebook_apps_browser.py
