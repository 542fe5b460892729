"""Import export files into a workbook: the one call every front makes (CLI, ribbon, notebook).

Reads the workbook's leads, phones, saved mappings and settings through the port, runs
the pipeline, then appends/updates Leads, Phones, Rejects, Imports, Mappings and Comps
and saves once. A dry run does everything but write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

from relist import settings as settings_mod
from relist.errors import BadInput, ImportRefused
from relist.intake import phones as phone_rules
from relist.intake import presets
from relist.intake.aliases import default_aliases, header_key
from relist.intake.layouts import parse_map
from relist.intake.match import LeadIndex
from relist.intake.pipeline import KINDS, Options, Plan, run
from relist.intake.presets import fold_value
from relist.intake.problems import CellError
from relist.intake.sources import read_file
from relist.intake.speed import no_cycle_collection
from relist.intake.summary import ImportSummary, Reject
from relist.workbook.port import WorkbookPort

_ID_NUMBER = re.compile(r"(\d+)$")

MappingArg = str | tuple[str, str]


def next_number(ids: Iterable[Any]) -> int:
    """One more than the largest number at the end of the given ids (1 when there are none)."""
    best = 0
    for value in ids:
        m = _ID_NUMBER.search(str(value or ""))
        if m:
            best = max(best, int(m.group(1)))
    return best + 1


def _own_phones(number: str) -> frozenset[str]:
    if not number.strip():
        return frozenset()
    try:
        return frozenset({phone_rules.normalize_phone(number)[0]})
    except CellError:
        return frozenset()


def _saved_mappings(book: WorkbookPort, vendor: str) -> list[tuple[str, str]]:
    """Mappings saved for every vendor (blank Vendor) first, then those for this vendor."""
    rows = book.read_records("tblMappings", ["Vendor", "Header", "Field"])
    general = [(str(r["Header"]), str(r["Field"])) for r in rows if r.get("Header") and r.get("Field") and not r.get("Vendor")]
    own = [
        (str(r["Header"]), str(r["Field"]))
        for r in rows
        if r.get("Header") and r.get("Field") and r.get("Vendor") and vendor
        and str(r["Vendor"]).strip().lower() == vendor.strip().lower()
    ]
    return [_as_value_map(h, f) for h, f in general + own]


def value_mapping_rows(
    saved: Sequence[dict[str, Any]], values: Sequence[tuple[str, str]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Mappings rows to add for (column, value) pairs an import could not read (Field left for the agent to fill),
    and the 'COLUMN:VALUE' headers a row already covers. Vendor is blank: the row applies to every import."""
    have = {_saved_key(str(r.get("Header") or "")) for r in saved if not r.get("Vendor")}
    new: list[dict[str, Any]] = []
    known: list[str] = []
    added: set[str] = set()
    for column, value in values:
        header = f"{column.strip()}:{value.strip()}"
        key = _saved_key(header)
        if key in added:
            continue
        if key in have:
            if header not in known:
                known.append(header)
            continue
        added.add(key)
        new.append({"Vendor": None, "Header": header, "Field": None})
    return new, known


def _as_value_map(header: str, field: str) -> tuple[str, str]:
    """A Mappings row typed on the sheet: Header 'Status:FAIL' with Field 'Expired' (no '=', which Excel would
    take for a formula) is a value mapping like --map-value; a Field that names a field keeps it a column mapping."""
    f = field.strip()
    if ":" in header and f and not f.startswith("=") and default_aliases().field_named(f) is None:
        return header, "=" + f
    return header, field


def parse_map_value(text: str) -> tuple[str, str, str]:
    """'Status:FAIL=Expired' -> ('Status', 'FAIL', 'Expired'); anything else is refused with the form to use."""
    column, sep, rest = text.partition(":")
    before, eq, after = rest.partition("=")
    if not sep or not eq or not column.strip() or not before.strip():
        raise BadInput(
            f"--map-value {text!r} is not COLUMN:FROM=TO.",
            'Write it like --map-value "Status:FAIL=Expired" (the export\'s header, :, the value in the file, =, what it means).',
        )
    return column.strip(), before.strip(), after.strip()


def _value_maps(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Saved value mappings (Header 'COLUMN:FROM', Field '=TO') -> header key -> {folded FROM -> TO}."""
    out: dict[str, dict[str, str]] = {}
    for header, field in pairs:
        column, _, before = header.rpartition(":")
        out.setdefault(header_key(column), {})[fold_value(before)] = field[1:]
    return out


def _parse_mappings(mappings: Sequence[MappingArg]) -> list[tuple[str, str]]:
    aliases = default_aliases()
    out: list[tuple[str, str]] = []
    for m in mappings:
        out.append(parse_map(m if isinstance(m, str) else f"{m[0]}={m[1]}", aliases))
    return out


def _saved_key(header: str) -> str:
    """What makes two saved mappings the same: the header, and for a value mapping the value too."""
    column, sep, before = header.rpartition(":")
    return f"{header_key(column)}:{fold_value(before)}" if sep else header_key(header)


def _save_mappings(book: WorkbookPort, vendor: str, given: list[tuple[str, str]]) -> None:
    """Store --map pairs for the vendor (blank vendor = every import), replacing older ones for the same header."""
    rows = book.read_records("tblMappings", ["Vendor", "Header", "Field"])
    replaced = {(vendor.strip().lower(), _saved_key(h)) for h, _ in given}
    kept = [
        r for r in rows
        if (str(r.get("Vendor") or "").strip().lower(), _saved_key(str(r.get("Header") or ""))) not in replaced
    ]
    kept.extend({"Vendor": vendor or None, "Header": h, "Field": f} for h, f in given)
    book.replace_rows("tblMappings", kept)


def import_files(
    book: WorkbookPort,
    paths: Sequence[str | PathLike[str]],
    *,
    at: datetime,
    vendor: str | None = None,
    mappings: Sequence[MappingArg] = (),
    dry_run: bool = False,
    kind: str = "expired",
    value_maps: Sequence[str] = (),
) -> ImportSummary:
    """Import export files (CSV/XLSX/XLS) of expired listings, current active listings or sold comps."""
    if kind not in KINDS:
        raise BadInput(f"--kind {kind!r} is not one of {', '.join(KINDS)}.", "Use expired (the default), active or comps.")
    if at.tzinfo is None:
        raise ValueError("import_files needs an aware datetime `at`")
    if not paths:
        raise BadInput("No files to import.", "Name one or more CSV or Excel export files.")
    conf = settings_mod.load(book)
    vendor_name = (vendor or "").strip()
    given = _parse_mappings(mappings)
    given += [(f"{c}:{a}", f"={b}") for c, a, b in map(parse_map_value, value_maps)]
    pairs = _saved_mappings(book, vendor_name) + given
    mapping = {header_key(h): f for h, f in pairs if not f.startswith("=")}
    values = _value_maps((h, f) for h, f in pairs if f.startswith("="))
    preset = presets.preset_named(vendor_name) if vendor_name else None

    with no_cycle_collection():
        return _import(book, paths, at, vendor_name, given, mapping, conf, kind, dry_run, values, preset.name if preset else "")


def _import(
    book: WorkbookPort,
    paths: Sequence[str | PathLike[str]],
    at: datetime,
    vendor_name: str,
    given: list[tuple[str, str]],
    mapping: dict[str, str],
    conf: settings_mod.Settings,
    kind: str,
    dry_run: bool,
    values: dict[str, dict[str, str]] | None = None,
    preset: str = "",
) -> ImportSummary:
    tz = conf.tz
    tables = [read_file(Path(p)) for p in paths]
    import_id = f"I{next_number(r.get('ImportId') for r in book.read_records('tblImports', ['ImportId'])):06d}"
    opts = Options(
        at=at, tz=tz, kind=kind, vendor=vendor_name, import_id=import_id,
        date_order="DMY" if conf.date_order == "DMY" else "MDY", own_phones=_own_phones(conf.phone), mapping=mapping,
        value_maps=values or {}, preset=preset,
    )
    if kind == "comps":
        comps = book.read_records("tblComps", ["CompId", "AddressKey", "CloseDate"])
        index = LeadIndex()
        plan = run(
            tables, default_aliases(), index, opts,
            next_comp=next_number(c.get("CompId") for c in comps),
            comp_keys=[(str(c.get("AddressKey") or ""), c.get("CloseDate")) for c in comps],
        )
    else:
        leads = book.read_records("tblLeads")
        phone_rows = book.read_records("tblPhones", ["LeadId", "Position", "Phone"])
        index = LeadIndex.from_records(leads, phone_rows)
        plan = run(tables, default_aliases(), index, opts, next_lead=next_number(r.get("LeadId") for r in leads))

    if plan.read == 0:
        names = ", ".join(f.name for f in plan.files) or ", ".join(Path(p).name for p in paths)
        raise ImportRefused(
            f"{names}: only a header row, no listings; nothing was imported.",
            "Export again with the listings included (check the export's date range or filters).",
        )
    summary = _summary(plan, opts, dry_run)
    if not dry_run:
        _write(book, plan, summary, opts, given)
        book.save()
    return summary


def _summary(plan: Plan, opts: Options, dry_run: bool) -> ImportSummary:
    c = plan.counts
    summary = ImportSummary(
        import_id=opts.import_id,
        kind=opts.kind,
        vendor=opts.vendor,
        files=[f.name for f in plan.files],
        read=plan.read,
        added=c["added"],
        updated=c["updated"],
        duplicates=c["duplicates"],
        not_contactable=c["not_contactable"],
        relisted=c["relisted"],
        rejected=c["rejected"],
        rejects=[Reject(r.file, r.row, r.column, r.value, r.reason[:1].upper() + r.reason[1:]) for r in plan.rejects],
        dry_run=dry_run,
        unplaced={f.name: list(f.layout.unplaced) for f in plan.files},
    )
    for f in plan.files:
        summary.notes.extend(f"{f.name}: {n}" for n in f.notes)
        if f.rows == 0:
            summary.notes.append(f"{f.name}: no data rows.")
    if summary.placed != summary.read:
        raise AssertionError(f"import summary does not add up: {summary.placed} placed of {summary.read} read")
    return summary


def _write(book: WorkbookPort, plan: Plan, summary: ImportSummary, opts: Options, given: list[tuple[str, str]]) -> None:
    at_local = opts.at.astimezone(opts.tz).replace(tzinfo=None, microsecond=0)
    if plan.new_leads:
        book.append_rows("tblLeads", plan.lead_records())
    updated = plan.updated_leads()
    changes = [{"LeadId": st.lead_id, **st.changes} for st in updated if st.changes]
    if changes:
        book.update_rows("tblLeads", changes, key="LeadId")
    phone_rows = [p for st in plan.new_leads for p in st.new_phones] + [p for st in updated for p in st.new_phones]
    if phone_rows:
        book.append_rows("tblPhones", phone_rows)
    if plan.comps:
        book.append_rows("tblComps", plan.comps)
    if summary.rejects:
        book.append_rows(
            "tblRejects",
            [
                {"ImportId": opts.import_id, "File": r.file, "Row": r.row, "Column": r.column or None,
                 "Value": r.value or None, "Reason": r.reason}
                for r in summary.rejects
            ],
        )
    book.append_rows(
        "tblImports",
        [{
            "ImportId": opts.import_id, "At": at_local, "Kind": opts.kind, "Files": ", ".join(summary.files),
            "Vendor": opts.vendor or None, "Read": summary.read, "Added": summary.added, "Updated": summary.updated,
            "Duplicates": summary.duplicates, "NotContactable": summary.not_contactable, "Relisted": summary.relisted,
            "Rejected": summary.rejected,
        }],
    )
    if given:
        _save_mappings(book, opts.vendor, given)
