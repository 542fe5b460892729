"""The import app for notebooks: a traitlets model (testable headless) and an ipywidgets view.

`ImportModel` holds what `relist import` takes: the files, the vendor, the kind, `--map`
lines (`HEADER=FIELD`) and `--map-value` lines (`COLUMN:FROM=TO`), dry run; `run()` calls
the same service as the CLI and the ribbon (`relist.intake.service.import_files`, which
saves the mappings per vendor in the Mappings sheet) and keeps the summary lines, or the
refusal in one line with its fix. `ImportApp` is the view: text boxes, an Import button, the
summary below.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from relist.errors import RelistError


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


class ImportModel(traitlets.HasTraits):
    """One import's settings and its outcome."""

    files = traitlets.Unicode("")
    """Export files, one path per line."""
    vendor = traitlets.Unicode("")
    kind = traitlets.Enum(("expired", "active", "comps"), default_value="expired")
    maps = traitlets.Unicode("")
    """`HEADER=FIELD`, one per line (the CLI's --map)."""
    value_maps = traitlets.Unicode("")
    """`COLUMN:FROM=TO`, one per line (the CLI's --map-value)."""
    dry_run = traitlets.Bool(False)
    summary = traitlets.Unicode("")
    error = traitlets.Unicode("")

    def __init__(self, book: Any, *, at: datetime | str | None = None) -> None:
        super().__init__()
        self.book = book
        self._at = at

    def run(self) -> Any:
        """Import with the current settings; the summary (or the refusal) is kept in `summary` / `error`."""
        from relist import settings as settings_mod
        from relist.clock import parse_at
        from relist.intake.service import import_files

        self.summary = self.error = ""
        try:
            tz = settings_mod.load(self.book).tz
            at = self._at if isinstance(self._at, datetime) else parse_at(self._at, tz)
            if at.tzinfo is None:
                at = at.replace(tzinfo=tz)
            result = import_files(self.book, [Path(p) for p in _lines(self.files)], at=at, vendor=self.vendor.strip() or None,
                                  mappings=_lines(self.maps), value_maps=_lines(self.value_maps), dry_run=self.dry_run,
                                  kind=self.kind)
        except RelistError as exc:
            self.error = exc.one_line()
            return None
        self.summary = "\n".join(result.lines(max_rejects=20 if self.dry_run else 10))
        return result


class ImportApp(widgets.VBox):  # type: ignore[misc]
    """The notebook front of `relist import`: files, vendor, kind, column and value mappings, dry run, Import."""

    def __init__(self, workbook: Any, *, at: datetime | str | None = None) -> None:
        if isinstance(workbook, (str, Path)):
            from relist.workbook import open_workbook

            if not str(workbook):
                raise RelistError("No workbook given.", "Set RELIST_WORKBOOK to your Relist workbook (.xlsx).")
            workbook = open_workbook(workbook)
        self.model = m = ImportModel(workbook, at=at)
        wide = widgets.Layout(width="640px")
        style = {"description_width": "150px"}
        self.fields: dict[str, widgets.Widget] = {
            "files": widgets.Textarea(description="Export files", placeholder="one path per line", layout=wide, style=style),
            "vendor": widgets.Text(description="Vendor", placeholder="REDX, Landvoice... (optional)", style=style,
                                   layout=widgets.Layout(width="420px")),
            "kind": widgets.Dropdown(options=[("Expired listings", "expired"), ("Active listings", "active"),
                                              ("Sold comps", "comps")], description="The file holds", style=style),
            "maps": widgets.Textarea(description="Column means", placeholder="Seller Phone=OwnerPhone (one per line)",
                                     layout=wide, style=style),
            "value_maps": widgets.Textarea(description="Value means", placeholder="Status:FAIL=Expired (one per line)",
                                           layout=wide, style=style),
            "dry_run": widgets.Checkbox(description="Dry run: show what would happen, write nothing", indent=False,
                                        layout=widgets.Layout(width="auto")),
        }
        for name, w in self.fields.items():
            w.add_class(f"relist-import-{name.replace('_', '-')}")
            widgets.link((m, name), (w, "value"))
        self.button = widgets.Button(description="Import", button_style="primary", icon="upload")
        self.button.add_class("relist-import-run")
        self.button.on_click(lambda _b: self.run())
        self.output = widgets.HTML()
        self.output.add_class("relist-import-summary")
        super().__init__([*self.fields.values(), self.button, self.output])

    def run(self) -> Any:
        self.output.value = "Working…"
        result = self.model.run()
        m = self.model
        self.output.value = (f"<p style='color:#C00000'>{html.escape(m.error)}</p>" if m.error
                             else f"<pre>{html.escape(m.summary)}</pre>")
        return result
