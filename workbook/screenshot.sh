#!/usr/bin/env bash
# Render the demo workbook's Today sheet to docs/img/today.png with LibreOffice headless (for the README).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
.venv/bin/relist demo "$tmp/demo" >/dev/null
cp "$tmp/demo/Relist.xlsx" "$tmp/Relist.xlsx"
soffice -env:UserInstallation=file://$tmp/profile --headless --convert-to pdf --outdir "$tmp" "$tmp/Relist.xlsx" >/dev/null 2>&1
pdftoppm -png -r 200 -f 1 -l 1 -x 0 -y 50 -W 1150 -H 420 "$tmp/Relist.pdf" "$tmp/today"
cp "$tmp"/today*.png docs/img/today.png
rm -rf "$tmp"
echo docs/img/today.png
