"""Reference docs generated from the schema (docs/workbook.md); a test keeps the file current."""

from __future__ import annotations

from relist import schema


def workbook_markdown() -> str:
    """The workbook reference: every sheet, table and column with its type and help."""
    out = [
        "# The Relist workbook",
        "",
        "Generated from `lib/relist/schema.py` by `python -m relist.docs > docs/workbook.md`; do not edit by hand.",
        "",
        f"Schema version {schema.SCHEMA_VERSION}. Sheets in order: {', '.join(schema.SHEET_ORDER)}.",
        "",
        "Each table's header cells show the Header (plain words, with the help text as the cell's comment);",
        "Relist's code, its JSON output and its CSV files name the Column. Reading, Relist accepts either,",
        "whatever the case, spaces or punctuation (`best phone`, `BestPhone`); a workbook from before",
        "version 3 showed the Column names and is relabelled when Relist first opens it (formulas that name",
        "a column in a structured reference, such as `tblLeads[NextDue]`, follow). A product header renamed to",
        "something else is refused in one line naming the header to restore; a column you add is yours and kept.",
        "",
    ]
    for spec in schema.TABLE_SHEETS:
        out += [f"## {spec.sheet} (`{spec.table}`)", "", spec.help, ""]
        if spec.key:
            out += [f"Key: `{spec.key}`." + (" Append-only." if spec.append_only else ""), ""]
        elif spec.append_only:
            out += ["Append-only.", ""]
        out += ["| Header | Column | Type | Format | Dropdown | What it holds |", "|---|---|---|---|---|---|"]
        for c in spec.columns:
            drop = c.validation or ""
            link = f" ({c.link}: link)" if c.link else ""
            shown = " (shown as (305) 555-0100)" if c.us_phone else ""
            out.append(f"| {c.header} | `{c.name}` | {c.type}{link}{shown} | `{c.number_format}` | {drop} | {c.help} |")
        if spec.highlights:
            out += ["", "Highlights: " + "; ".join(f"{h.label} (`{h.formula}`)" for h in spec.highlights) + "."]
        out.append("")
    for free in schema.FREE_SHEETS:
        out += [f"## {free.sheet}", "", free.help, ""]
    out += ["## Settings", "", "| Setting | Name (older workbooks) | Default | What it is for |", "|---|---|---|---|"]
    for s in schema.SETTINGS_ROWS:
        out.append(f"| {s.shown} | `{s.name}` | {s.default} | {s.help}{' (required)' if s.required else ''} |")
    out += ["", "## Dropdown lists", ""]
    for name, values in schema.VALIDATION_LISTS.items():
        out.append(f"- **{name}**: {', '.join(values)}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(workbook_markdown(), end="")
