"""The in-memory import: raw rows -> layout -> clean listings -> matched leads, no I/O.

`run` decides where every input row goes (added, updated, duplicate, not contactable,
relisted or rejected) and what to write; the service reads and writes the workbook
around it. Kept free of the workbook so it can be measured and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from relist.clock import to_local_naive
from relist.errors import ImportRefused
from relist.intake import addresses, presets
from relist.intake import phones as phone_rules
from relist.intake.aliases import AliasTable, header_key
from relist.intake.clean import CleanContext, Listing, PhoneHit, RowReject, TableCleaner, parcel_key
from relist.intake.layouts import Layout, build_layout, check_layout, find_header
from relist.intake.match import (
    BUCKETS,
    FILL_COLUMNS,
    LISTING_COLUMNS,
    Bucket,
    LeadIndex,
    LeadState,
    contactable_step,
)
from relist.intake.sources import EXCEL_CELL_CHARS, RawTable
from relist.intake.speed import no_cycle_collection
from relist.intake.values import DateOrder
from relist.model import USABLE_PHONE_STATUSES, best_phone

KINDS = ("expired", "active", "comps")
KEEP_STATUSES = frozenset({"DNC", "Listed", "Dead"})
"""Lead statuses an import never changes: a do-not-call request, the agent's own listing, a lead given up."""


@dataclass
class Options:
    """What an import was asked to do, and the facts it depends on."""

    at: datetime
    tz: ZoneInfo
    kind: str = "expired"
    vendor: str = ""
    import_id: str = "I000001"
    date_order: DateOrder = "MDY"
    own_phones: frozenset[str] = frozenset()
    mapping: Mapping[str, str] = field(default_factory=dict)
    """Header key -> field (saved vendor mappings and --map, already merged)."""
    value_maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Header key -> {folded cell text -> replacement} (saved and --map-value)."""
    preset: str = ""
    """The vendor preset --vendor forced ('' = recognise each file's from its header)."""


@dataclass
class FileReport:
    """How one file was read."""

    name: str
    rows: int
    layout: Layout
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Where every row went, and what to write."""

    counts: dict[Bucket, int]
    rejects: list[RowReject]
    index: LeadIndex
    new_leads: list[LeadState]
    comps: list[dict[str, Any]]
    files: list[FileReport]
    importer: Importer

    @property
    def read(self) -> int:
        return sum(f.rows for f in self.files)

    def updated_leads(self) -> list[LeadState]:
        return [st for st in self.index.leads.values() if not st.is_new and (st.changes or st.new_phones)]

    def lead_records(self) -> list[dict[str, Any]]:
        """The full tblLeads rows of the new leads (owners, mailing, Extra worked out now)."""
        with no_cycle_collection():
            for st in self.new_leads:
                self.importer.materialize(st)
        return [st.record for st in self.new_leads]


def layout_for(table: RawTable, aliases: AliasTable, opts: Options) -> tuple[Layout, Sequence[tuple[int, Sequence[Any]]]]:
    """The file's layout (refused when unusable) and its data rows."""
    rows = table.rows
    if not rows:
        raise ImportRefused(
            f"{table.name} is empty: it has no header row and no listings.",
            "Check that the export finished downloading, then import it again.",
        )
    h = find_header(rows, aliases, {**dict.fromkeys(presets.preset_keys(), ""), **opts.mapping})
    header_row, header_cells = rows[h] if rows else (1, [])
    data = rows[h + 1 :]
    header_text = [str(c) for c in header_cells]
    preset, said = presets.detect(header_text)
    forced = presets.preset_named(opts.preset) if opts.preset else None
    if forced is not None and forced is not preset:
        if presets.signature_hits(forced, header_text) >= 2:
            preset, said = forced, f"layout read as {forced.name}'s export, as --vendor asked"
        else:
            said = (f"the file does not look like {forced.name}'s export layout: "
                    f"its columns were read by their headers{'; ' + said if said else ''}")
    mapping = {**preset.columns, **opts.mapping} if preset else opts.mapping
    value_maps = {**preset.values, **opts.value_maps} if preset else opts.value_maps
    layout = build_layout(header_cells, header_row, aliases, mapping, [r for _, r in data[:50]], opts.kind)
    if said:
        layout = replace(layout, notes=(said, *layout.notes))
    if value_maps:
        data = _map_values(layout, data, value_maps)
    check_layout(layout, opts.kind, table.name, [r for _, r in data[:50]])
    return layout, data


def _map_values(layout: Layout, data: Sequence[tuple[int, Sequence[Any]]], value_maps: Mapping[str, Mapping[str, str]]
                ) -> list[tuple[int, Sequence[Any]]]:
    """Rows with each mapped column's values translated (--map-value "Status:FAIL=Expired", a preset's status words)."""
    out = list(data)
    for i, name in enumerate(layout.header):
        table = value_maps.get(header_key(name))
        if not table:
            continue
        for r, (n, cells) in enumerate(out):
            if i < len(cells):
                to = table.get(presets.fold_value(str(cells[i])))
                if to is not None:
                    new = list(cells)
                    new[i] = to
                    out[r] = (n, new)
    return out


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


def extra_text(pairs: Iterable[tuple[str, str]], existing: str = "") -> str:
    """name=value pairs joined with '; ' (existing pairs kept, same names replaced)."""
    merged: dict[str, str] = {}
    for part in existing.split("; ") if existing else ():
        name, sep, value = part.partition("=")
        if sep:
            merged[name] = value
    for name, value in pairs:
        merged[name] = " ".join(value.split())
    return "; ".join(f"{k}={v}" for k, v in merged.items())


def _position(p: PhoneHit) -> int:
    return p.position


_number_position = itemgetter(0, 1)
"""PhoneHit -> (number, position), for a lead's phones dict."""
_number = itemgetter(0)
"""PhoneHit -> number."""


_NAME_COLUMNS = frozenset({"OwnerName", "OwnerName2", "OwnerFirstName", "OwnerLastName", "MailingAddress", "MailingCity"})
_UNICODE = frozenset({"", "utf-8", "utf-8-sig", "utf-16"})
"""Encodings read for certain (a spreadsheet has none: its text is Unicode)."""


def _note(rec: Mapping[str, Any], text: str) -> str:
    old = str(rec.get("Notes") or "")
    return f"{old} | {text}" if old else text


class Importer:
    """Applies clean listings to the lead index, counting where each row goes."""

    def __init__(self, index: LeadIndex, opts: Options, next_lead: int, next_comp: int = 1,
                 comp_keys: Iterable[tuple[str, Any]] = ()) -> None:
        self.index = index
        self.opts = opts
        self.next_lead = next_lead
        self.next_comp = next_comp
        self.comp_keys = set(comp_keys)
        self.counts: dict[Bucket, int] = dict.fromkeys(BUCKETS, 0)
        self.rejects: list[RowReject] = []
        self.new_leads: list[LeadState] = []
        self.comps: list[dict[str, Any]] = []
        self._local_cache: dict[datetime | None, datetime | None] = {}
        self._display: dict[str, str] = {}
        self._vendor = opts.vendor or None
        self.trust_names = True
        """False while applying a file decoded from a guessed (non-Unicode) encoding: its names never fill an existing lead."""
        at_local = _local(opts.at, opts.tz)
        assert at_local is not None
        self.at_local: datetime = at_local
        self.today: date = at_local.date()
        self.today_text = str(self.today)

    # ------------------------------------------------------------ one row

    def apply(self, item: Listing | RowReject) -> Bucket:
        bucket = self._apply(item)
        self.counts[bucket] += 1
        return bucket

    def apply_all(self, items: Iterable[Listing | RowReject]) -> None:
        """apply() every item, in order."""
        counts, place = self.counts, self._apply
        for item in items:
            counts[place(item)] += 1

    def _apply(self, item: Listing | RowReject) -> Bucket:
        if isinstance(item, RowReject):
            self.rejects.append(item)
            return "rejected"
        kind = self.opts.kind
        if kind == "comps":
            return self._comp(item)
        st, _how = self.index.find(item)
        if st is None:
            if not item.contactable and kind == "active":
                return "not_contactable"  # someone else's current listing: nothing of ours to stop
            self._add(item)
            return "added" if item.contactable else "not_contactable"
        if st.listing is not None:
            self.materialize(st)
        rec = st.record
        if item.contactable:
            expired_local = _local(item.expired_at, self.opts.tz)
            step = contactable_step(rec, item, expired_local)
            if step == "stale":
                return "duplicates"
            if step in ("new_cycle", "reopen"):
                self._reopen(st, item, expired_local, new_cycle=step == "new_cycle")
                return "updated"
            return "updated" if self._merge(st, item, expired_local) else "duplicates"
        if rec.get("Contactable") is not False:
            self._stop(st, item)
            return "relisted" if item.status not in ("Closed", "Delete", "Incomplete") else "not_contactable"
        return "updated" if self._merge(st, item, None, listing_data=False) else "duplicates"

    # ------------------------------------------------------------ actions

    def _local(self, value: datetime | None) -> datetime | None:
        """An (aware) expiry as the agent's wall-clock time, remembered per moment (many rows share one)."""
        got = self._local_cache.get(value)
        if got is None and value is not None:
            got = self._local_cache[value] = to_local_naive(value, self.opts.tz)
        return got

    def _add(self, item: Listing) -> None:
        """A new lead: indexed for matching now; its row is built from the listing when first needed (materialize)."""
        lead_id = f"L{self.next_lead:06d}"
        self.next_lead += 1
        # positional, changes and new_phones given: the quickest way to make one per new lead
        st = LeadState(lead_id, {}, dict(map(_number_position, item.phones)), True, item, {}, [], item.house_number)
        self.index.register(st, item.parcel_key, item.keys)
        self.new_leads.append(st)

    def materialize(self, st: LeadState) -> None:
        """Build a new lead's full tblLeads row (owners, mailing, Extra...) from its listing.

        The row is the one `relist.leads.lead_to_record` gives for the Lead these values
        make (same columns, same order, '' as None), written out directly: building a Lead
        and converting it back cost more than the rest of the row for 100,000 new leads.
        Kept equal to it by tests/unit/test_intake_records.py.
        """
        item = st.listing
        if item is None:
            return
        d = item.details()
        cols = item.fresh_columns()
        o = d.owners
        expired_at = item.expired_at
        contactable = item.contactable
        today = self.today
        expired_local = self._local_cache.get(expired_at) if expired_at is not None else None
        if expired_local is None:
            expired_local = self._local(expired_at)
        start = (max(expired_local.date(), today) if expired_local else today) if contactable else None
        price = cols.pop("ListPrice", None)
        original = cols.get("OriginalListPrice")
        history = []
        if original and cols.get("ListingContractDate"):
            history.append(f"{cols['ListingContractDate']}:{int(original)}")
        if price and (not original or price != original):
            history.append(f"{self.today_text}:{int(price)}")
        email = cols.pop("Email", None) or None
        mail = d.mailing
        lead_id = st.lead_id
        at_local = self.at_local
        phones = item.phones
        best = None
        for p in phones:  # positions ascend along the tuple: the first clean usable one is the lowest (model.best_phone)
            if p.status in USABLE_PHONE_STATUSES and not p.vendor_dnc and not p.litigator:
                best = p.number
                break
        extra = d.extra
        record = cols  # a new dict: the row's own values first, then the rest in this order
        record.update({
            "AddressKey": item.address_key,
            "ListAgentName": d.agent_name or None,
            "ListAgentPhone": d.agent_phone or None,
            "PriceHistory": ";".join(history) or None,
            "Vendor": self._vendor,
            "Cycle": 1,
            "ReExpired": False,
            "FirstImportedAt": at_local,
            "UpdatedAt": at_local,
            "Extra": (f"{extra[0][0]}={' '.join(extra[0][1].split())}" if len(extra) == 1 else extra_text(extra) or None)
            if extra else None,
            # the Lead columns, in relist.leads._FIELD_MAP order
            "LeadId": lead_id,
            "Status": "New" if contactable else "Not contactable",
            "ListingStatus": item.status,
            "Contactable": contactable,
            "NotContactableReason": item.reason or None,
            "OwnerName": o.name or None,
            "OwnerName2": o.name2 or None,
            "OwnerFirstName": o.first or None,
            "OwnerLastName": o.last or None,
            "EntityOwner": o.entity,
            "Email": email,
            "PropertyAddress": d.street or None,
            "Unit": item.unit or None,
            "City": d.city or None,
            "State": item.state or None,
            "PostalCode": item.postal_code or None,
            "MailingAddress": (mail.line or None) if mail else None,
            "MailingCity": (mail.city or None) if mail else None,
            "MailingState": (mail.state or None) if mail else None,
            "MailingPostalCode": (mail.postal_code or None) if mail else None,
            "Absentee": d.absentee,
            "ListingId": item.listing_id or None,
            "ExpiredAt": expired_local,
            "SequenceStart": start,
            "TouchCount": 0,
            "LastTouchAt": None,
            "NextStep": None,
            "NextChannel": None,
            "NextDue": None,
            "AppointmentAt": None,
            "CallBackAt": None,
            "ListPrice": price,
            "BestPhone": best,
        })
        if st.record:
            record.update(st.record)
        st.record = record
        if phones:
            shown = self._display
            st.new_phones[:0] = [
                {
                    "PhoneId": f"{lead_id}-{p.position}", "LeadId": lead_id, "Position": p.position, "Phone": p.number,
                    "Extension": p.extension or None, "VendorDNC": p.vendor_dnc, "PhoneStatus": p.status, "Kind": p.kind,
                    "Display": shown.get(p.number) or self._display_of(p.number), "AddedAt": at_local, "Litigator": p.litigator,
                }
                for p in phones
            ]
        st.listing = None

    def _display_of(self, number: str) -> str:
        """phone_rules.display, remembered per number (owner numbers repeat across an export)."""
        got = self._display[number] = phone_rules.display(number)
        return got

    def _merge(self, st: LeadState, item: Listing, expired_local: datetime | None, *, listing_data: bool = True) -> bool:
        """Fold a newer export of the same listing into the lead; True when anything changed.

        Rows of a current (not contactable) listing only change its status: the lead keeps
        the data of the listing that expired.
        """
        rec = st.record
        cols = item.columns
        changed = False
        old_id = rec.get("ListingId")
        for c in LISTING_COLUMNS if listing_data else ():
            v = cols.get(c)
            if v is not None and v != "" and rec.get(c) != v:
                if c == "ParcelNumber" and parcel_key(str(rec.get(c) or "")) == item.parcel_key:
                    continue  # the same parcel written another way
                if c == "ListPrice":
                    st.set("PriceHistory", f"{rec.get('PriceHistory') or ''};{self.today}:{int(v)}".lstrip(";"))
                st.set(c, v)
                changed = True
        if listing_data and cols.get("ListingId") and old_id and cols["ListingId"] != old_id:
            st.set("Notes", _note(rec, f"{self.today} {self.opts.import_id}: MLS# {old_id} -> {cols['ListingId']}"))
        if item.status and rec.get("ListingStatus") != item.status:
            st.set("ListingStatus", item.status)
            if not item.contactable:
                st.set("NotContactableReason", item.reason)
            changed = True
        if expired_local is not None and rec.get("ExpiredAt") != expired_local:
            st.set("ExpiredAt", expired_local)
            changed = True
        changed |= self._add_phones(st, item.phones)
        if listing_data:
            changed |= self._fill(st, item)
        if changed:
            st.set("UpdatedAt", self.at_local)
        return changed

    def _fill(self, st: LeadState, item: Listing) -> bool:
        """Fill empty owner/mailing/agent cells and merge Extra (never overwrite what the agent typed)."""
        rec = st.record
        d = item.details()
        o = d.owners
        mail = d.mailing
        given: dict[str, Any] = {
            "OwnerName": o.name, "OwnerName2": o.name2, "OwnerFirstName": o.first, "OwnerLastName": o.last,
            "Email": item.columns.get("Email"), "MailingAddress": mail.line if mail else None,
            "MailingCity": mail.city if mail else None, "MailingState": mail.state if mail else None,
            "MailingPostalCode": mail.postal_code if mail else None, "City": d.city, "State": item.state,
            "PostalCode": item.postal_code, "ListAgentName": d.agent_name, "ListAgentPhone": d.agent_phone,
        }
        changed = False
        for c in FILL_COLUMNS:
            if not self.trust_names and c in _NAME_COLUMNS:
                continue
            v = given.get(c)
            if v and not rec.get(c):
                st.set(c, v)
                changed = True
                if c == "OwnerName":
                    st.set("EntityOwner", o.entity)
                if c == "MailingAddress":
                    st.set("Absentee", d.absentee)
        if d.extra:
            merged = extra_text(d.extra, str(rec.get("Extra") or ""))
            if merged != (rec.get("Extra") or ""):
                st.set("Extra", merged)
                changed = True
        return changed

    def _add_phones(self, st: LeadState, phones: Sequence[PhoneHit]) -> bool:
        new = [p for p in phones if p.number not in st.phones]
        if not new:
            return False
        position = max(st.phones.values(), default=0)
        for p in new:
            position += 1
            st.phones[p.number] = position
            self.index.add_phone(st, p.number)
            st.new_phones.append({
                "PhoneId": f"{st.lead_id}-{position}", "LeadId": st.lead_id, "Position": position, "Phone": p.number,
                "Display": phone_rules.display(p.number), "Extension": p.extension or None, "VendorDNC": p.vendor_dnc,
                "PhoneStatus": p.status, "Kind": p.kind, "AddedAt": self.at_local, "Litigator": p.litigator,
            })
        if not st.record.get("BestPhone"):
            best = best_phone(new)
            if best is not None:
                st.set("BestPhone", best.number)
        return True

    def _reopen(self, st: LeadState, item: Listing, expired_local: datetime | None, *, new_cycle: bool) -> None:
        """The home's listing expired: work the lead again; after a relist it is the next listing cycle."""
        rec = st.record
        cycle = int(rec.get("Cycle") or 1) + (1 if new_cycle else 0)
        self._merge(st, item, expired_local)
        start = max(expired_local.date(), self.today) if expired_local else self.today
        keep = rec.get("Status") == "DNC"  # a new cycle revives Dead and Listed leads, never a DNC request
        for c, v in (
            ("Cycle", cycle), ("ReExpired", new_cycle or bool(rec.get("ReExpired"))),
            ("Status", "DNC" if keep else "New"), ("ListingStatus", item.status), ("Contactable", True),
            ("NotContactableReason", None), ("ExpiredAt", expired_local), ("SequenceStart", start),
            ("NextStep", None), ("NextChannel", None), ("NextDue", None), ("NextDueLeadLocal", None),
            ("UpdatedAt", self.at_local),
        ):
            st.set(c, v)
        what = f"expired again, cycle {cycle}" if new_cycle else f"now {item.status}"
        st.set("Notes", _note(rec, f"{self.today} {self.opts.import_id}: {what} (MLS# {item.listing_id or '?'})"))

    def _stop(self, st: LeadState, item: Listing) -> None:
        """A current listing (or a sale) for the lead's home: not contactable, sequence stopped."""
        rec = st.record
        status = "Not contactable" if item.status in ("Closed", "Delete", "Incomplete") else "Relisted"
        if rec.get("Status") in KEEP_STATUSES:
            status = str(rec["Status"])
        mls = f" as MLS# {item.listing_id}" if item.listing_id else ""
        st.set("Notes", _note(rec, f"{self.today} {self.opts.import_id}: {item.status}{mls}; sequence stopped"))
        for c, v in (
            ("Status", status), ("ListingStatus", item.status), ("Contactable", False),
            ("NotContactableReason", item.reason), ("NextStep", None), ("NextChannel", None), ("NextDue", None),
            ("NextDueLeadLocal", None), ("UpdatedAt", self.at_local),
        ):
            st.set(c, v)

    def _comp(self, item: Listing) -> Bucket:
        key = (item.address_key, item.close_date)
        if key in self.comp_keys:
            return "duplicates"
        self.comp_keys.add(key)
        row = {k: v for k, v in item.columns.items() if v is not None}
        street = addresses.tidy(item.street)
        row.update({
            "CompId": f"C{self.next_comp:06d}", "PropertyAddress": f"{street} #{item.unit}" if item.unit else street,
            "City": addresses.tidy(item.city) or None, "State": item.state or None,
            "PostalCode": item.postal_code or None, "AddressKey": item.address_key, "ImportedAt": self.at_local,
        })
        self.next_comp += 1
        self.comps.append(row)
        return "added"


def strip_numbers(listings: list[Listing | RowReject], numbers: set[str]) -> None:
    """Take agent numbers seen anywhere in the file out of every owner's phones (positions renumbered)."""
    if not numbers:
        return
    for item in listings:
        if isinstance(item, RowReject) or not item.phones or numbers.isdisjoint(map(_number, item.phones)):
            continue
        kept: list[PhoneHit] = []
        for p in item.phones:
            if p.number in numbers:
                item.notes = (*item.notes, ("OwnerPhone", f"{phone_rules.display(p.number)} (the listing agent's number, not the owner's)"))
            else:
                kept.append(p._replace(position=len(kept) + 1))
        item.phones = tuple(kept)


def clean_table(layout: Layout, rows: Sequence[tuple[int, Sequence[Any]]], name: str, ctx: CleanContext) -> list[Listing | RowReject]:
    """Every data row of one file, cleaned (agent numbers removed file-wide)."""
    cleaner = TableCleaner(layout, name, ctx)
    out = cleaner.clean_rows(rows)
    numbers = cleaner.agent_numbers - set(ctx.own_phones)
    if not numbers.isdisjoint(cleaner.owner_numbers):  # an owner's number was found to be an agent's in a later row
        strip_numbers(out, numbers)
    return out


def run(
    tables: Sequence[RawTable],
    aliases: AliasTable,
    index: LeadIndex,
    opts: Options,
    next_lead: int = 1,
    next_comp: int = 1,
    comp_keys: Iterable[tuple[str, Any]] = (),
) -> Plan:
    """Read layouts, clean and match every row of every table; nothing is written."""
    if opts.kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    prepared = [(t, *layout_for(t, aliases, opts)) for t in tables]  # refuse a bad layout before any work
    ctx = CleanContext(opts.kind, opts.at, opts.tz, opts.date_order, opts.own_phones)
    importer = Importer(index, opts, next_lead, next_comp, comp_keys)
    reports: list[FileReport] = []
    with no_cycle_collection():
        for table, layout, data in prepared:
            importer.trust_names = table.encoding in _UNICODE
            rows: Sequence[tuple[int, Sequence[Any]]] = data
            if table.long_cells:
                too_long = table.long_cells
                importer.apply_all(
                    RowReject(table.name, n, layout.header[too_long[n]] if too_long[n] < len(layout.header) else "",
                              f"{len(cells[too_long[n]]):,} characters",
                              f"a cell holds at most {EXCEL_CELL_CHARS:,} characters (Excel's limit); shorten it in the file.")
                    for n, cells in data if n in too_long
                )
                rows = [r for r in data if r[0] not in too_long]
            importer.apply_all(clean_table(layout, rows, table.name, ctx))
            notes = [*table.notes, *layout.notes]
            reports.append(FileReport(table.name, len(data), layout, table.encoding, table.delimiter, notes))
    plan = Plan(importer.counts, importer.rejects, index, importer.new_leads, importer.comps, reports, importer)
    total = sum(plan.counts.values())
    if total != plan.read:
        raise AssertionError(f"import lost track of rows: {plan.read} read, {total} placed {plan.counts}")
    return plan
