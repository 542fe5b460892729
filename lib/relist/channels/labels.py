"""Avery 5160 address labels: 30 per US Letter sheet, 3 across and 10 down, each 2 5/8 x 1 inch.

Geometry: left and right margins 3/16", top and bottom 1/2", 1/8" between
columns, no gap between rows. Source: Paper::Specs (CPAN), Avery 5960 module,
which is the same sheet layout as 5160 (2.625 x 1 in, 10 rows x 3 columns,
margin_left 0.1875, margin_top 0.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from relist.channels.printing import PT, clip, fit_lines, new_pdf, output, text_lines
from relist.errors import BadInput
from relist.settings import Settings


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of address labels, inches."""

    name: str
    cols: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    col_gap: float
    row_gap: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """Top-left corner of label `index` (0-based, across then down) on its sheet."""
        i = index % self.per_sheet
        row, col = divmod(i, self.cols)
        return self.left + col * (self.width + self.col_gap), self.top + row * (self.height + self.row_gap)


AVERY_5160 = LabelSheet("Avery 5160", 3, 10, 2.625, 1.0, 0.1875, 0.5, 0.125, 0.0)

INSET_X, INSET_Y = 0.15, 0.08
"""Keep text off the die-cut edge."""


def labels_pdf(
    blocks: Sequence[Sequence[str]], settings: Settings, at: datetime, sheet: LabelSheet = AVERY_5160, skip: int = 0
) -> bytes:
    """One label per address block; `skip` leaves the first labels of a partly used sheet blank."""
    if not blocks:
        raise BadInput("There are no addresses to put on labels.", "Print labels together with letters that are due.")
    if not 0 <= skip < sheet.per_sheet:
        raise BadInput(f"--skip-labels {skip} is out of range.", f"Use 0 to {sheet.per_sheet - 1}.")
    pdf = new_pdf(f"{sheet.name} labels {at.astimezone(settings.tz):%Y-%m-%d}", settings, at)
    inner_w, inner_h = sheet.width - 2 * INSET_X, sheet.height - 2 * INSET_Y
    for n, block in enumerate(blocks):
        index = n + skip
        if index % sheet.per_sheet == 0 or n == 0:
            pdf.add_page()
        x, y = sheet.origin(index)
        lines = list(block)[-5:]
        size = fit_lines(pdf, lines, inner_w, inner_h, 10, 6.5)
        lines = [clip(pdf, line, inner_w) for line in lines]
        used = len(lines) * size * PT * 1.2
        top = y + INSET_Y + max(0.0, (inner_h - used) / 2)
        text_lines(pdf, x + INSET_X, top, lines, size, size * PT * 1.2)
    return output(pdf)
