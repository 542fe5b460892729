"""One export row -> one clean listing, or a reject saying which cell is wrong and why.

Each field has an explicit error policy (`problems.Policy`): a row without a usable
address, status, identity or expiry date is rejected; a bad optional value (price,
bedrooms, a second phone, a mailing state) leaves the field empty and keeps the raw text
in Extra. Speed: values that repeat down a column (dates, prices, statuses, ZIPs, agents)
are parsed once per file; what only letters and the sheet need (owner names in title
case, the mailing address, Extra) is worked out only for rows that are written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from relist import schema
from relist.intake import addresses, owners, phones, status, values
from relist.intake.layouts import Layout
from relist.intake.problems import CellError, Policy, Problem
from relist.intake.values import DateOrder

Parser = Callable[[str], Any]

_BLANK_WORDS = frozenset({"n/a", "na", "null", "none", "-", "--", "unknown", "#n/a"})
_DNC_CLEAN = frozenset({"", "n", "no", "false", "f", "0", "clean", "ok", "callable", "not dnc", "none", "-"})
_AGENT_PHONE_FIELDS = (
    "ListAgentDirectPhone", "ListAgentPreferredPhone", "ListAgentMobilePhone", "ListAgentOfficePhone", "ListOfficePhone",
)
_STREET_PARTS = ("StreetNumber", "StreetDirPrefix", "StreetName", "StreetSuffix", "StreetDirSuffix")
_OWNER_FIELDS = ("OwnerName", "OwnerName2", "OwnerFirstName", "OwnerLastName", "Owner2FirstName", "Owner2LastName")
NUMBERED_PHONES = 6
_DETAIL_FIELDS = (
    *_OWNER_FIELDS, "MailingAddress", "MailingCity", "MailingState", "MailingPostalCode",
    "ListAgentFullName", "ListAgentFirstName", "ListAgentLastName",
)

COMPOSITE_FIELDS = frozenset(
    {
        "StandardStatus", "MlsStatus", "StatusChangeTimestamp", "ExpirationDate", "CancellationDate",
        "OffMarketDate", "WithdrawnDate", "UnparsedAddress", *_STREET_PARTS, "UnitNumber", "City",
        "StateOrProvince", "PostalCode", "MailingAddress", "MailingCity", "MailingState", "MailingPostalCode",
        *_OWNER_FIELDS, "OwnerPhone", "OwnerDNC",
        *(f"OwnerPhone{i}" for i in range(1, NUMBERED_PHONES + 1)),
        *(f"OwnerPhone{i}DNC" for i in range(1, NUMBERED_PHONES + 1)),
        "ListAgentFullName", "ListAgentFirstName", "ListAgentLastName", *_AGENT_PHONE_FIELDS,
        "BathroomsFull", "BathroomsHalf",
        "ListingId", "ListingKey", "ListingContractDate", "CloseDate",
    }
)
"""Fields read by their own rule below (several columns make one value)."""


def _blankish(parser: Parser) -> Parser:
    def run(cell: str) -> Any:
        if cell.strip().lower() in _BLANK_WORDS:
            return None
        return parser(cell)

    return run


def _rounded(cell: str) -> int | None:
    v = values.number(cell)
    return None if v is None else int(round(v))


def _year(cell: str) -> int | None:
    v = values.whole(cell)
    if v is not None and not 1600 <= v <= 2100:
        raise CellError(f"{v} is not a year built.")
    return v


def _lat(cell: str) -> float | None:
    v = values.number(cell)
    if v is not None and not -90 <= v <= 90:
        raise CellError(f"{v} is not a latitude.")
    return v


def _lon(cell: str) -> float | None:
    v = values.number(cell)
    if v is not None and not -180 <= v <= 180:
        raise CellError(f"{v} is not a longitude.")
    return v


def email(cell: str) -> str | None:
    """The first address of an email cell, lower-cased; raises CellError when it is not one."""
    s = cell.strip()
    if not s:
        return None
    first = s.replace(";", ",").split(",")[0].strip().lower()
    if "@" not in first or "." not in first.rpartition("@")[2] or " " in first:
        raise CellError(f"{s!r} is not an email address.")
    return first


def _plain(cell: str) -> str | None:
    s = " ".join(cell.split())
    return s or None


def _remarks_length(cell: str) -> int | None:
    s = cell.strip()
    return len(s) if s else None


def baths(cell: str) -> float | None:
    """'2.5', '3', or '2/1' (2 full, 1 half) -> bathrooms."""
    if "/" in cell:
        full, _, half = cell.partition("/")
        f, h = values.whole(full), values.whole(half)
        return float((f or 0) + 0.5 * (h or 0))
    return values.number(cell)


def _acres(cell: str) -> float | None:
    v = values.number(cell)
    return None if v is None else round(v * 43560, 1)


@dataclass(frozen=True)
class SimpleField:
    """A field that maps one cell to one table column."""

    field: str
    column: str
    parse: Parser
    policy: Policy = "keep"


def simple_fields(kind: str) -> tuple[SimpleField, ...]:
    """The one-cell fields and their rules; comps must have a sale price."""
    sale: Policy = "reject" if kind == "comps" else "keep"
    return (
        SimpleField("ParcelNumber", "ParcelNumber", _plain),
        SimpleField("ListPrice", "ListPrice", _blankish(values.money)),
        SimpleField("OriginalListPrice", "OriginalListPrice", _blankish(values.money)),
        SimpleField("DaysOnMarket", "DaysOnMarket", _blankish(values.whole)),
        SimpleField("CumulativeDaysOnMarket", "CumulativeDaysOnMarket", _blankish(values.whole)),
        SimpleField("BedroomsTotal", "BedroomsTotal", _blankish(values.whole)),
        SimpleField("LivingArea", "LivingArea", _blankish(_rounded)),
        SimpleField("YearBuilt", "YearBuilt", _blankish(_year)),
        SimpleField("PropertyType", "PropertyType", _plain),
        SimpleField("Latitude", "Latitude", _blankish(_lat)),
        SimpleField("Longitude", "Longitude", _blankish(_lon)),
        SimpleField("PhotosCount", "PhotosCount", _blankish(values.whole)),
        SimpleField("PublicRemarks", "RemarksLength", _remarks_length),
        SimpleField("ListOfficeName", "ListOfficeName", _plain),
        SimpleField("OwnerEmail", "Email", email),
        SimpleField("ClosePrice", "ClosePrice", _blankish(values.money), sale),
        SimpleField("BathroomsTotal", "BathroomsTotal", _blankish(baths)),
        SimpleField("BathroomsTotalInteger", "BathroomsTotal", _blankish(values.number)),
        SimpleField("LotSizeSquareFeet", "LotSizeArea", _blankish(values.number)),
        SimpleField("LotSizeArea", "LotSizeArea", _blankish(values.number)),
        SimpleField("LotSizeAcres", "LotSizeArea", _blankish(_acres)),
    )


class PhoneHit(NamedTuple):
    """An owner phone found in a row (the model's Phone fields, cheap to make)."""

    number: str
    position: int
    vendor_dnc: bool
    extension: str
    kind: str
    status: str = "Active"


class Details(NamedTuple):
    """What only the written lead needs: owners, mailing address, agent, display forms, Extra."""

    owners: owners.Owners
    street: str
    city: str
    mailing: addresses.Address | None
    absentee: bool
    agent_name: str
    agent_phone: str
    extra: list[tuple[str, str]]


@dataclass(slots=True)
class Listing:
    """A clean export row: what the matcher needs; values and details are worked out when asked."""

    file: str
    row: int
    status: str
    contactable: bool
    reason: str
    listing_id: str
    parcel_key: str
    address_key: str
    keys: tuple[str, ...]
    house_number: str
    phones: tuple[PhoneHit, ...]
    expired_at: datetime | None
    street: str
    unit: str
    city: str
    state: str
    postal_code: str
    k: int = -1
    table: TableCleaner | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    close_date: date | None = None
    _columns: dict[str, Any] | None = None
    _details: Details | None = None

    @property
    def columns(self) -> dict[str, Any]:
        """Typed table values of the row by column name (ListPrice, BedroomsTotal, ...)."""
        if self._columns is None:
            self._columns = self.table.values(self.k) if self.table is not None else {}
            if self.listing_id:
                self._columns["ListingId"] = self.listing_id
        return self._columns

    def fresh_columns(self) -> dict[str, Any]:
        """A new dict of `columns` without ListingId, for the row being written (no cached copy made)."""
        if self._columns is not None:
            out = dict(self._columns)
            out.pop("ListingId", None)
            return out
        return self.table.values(self.k) if self.table is not None else {}

    def details(self) -> Details:
        """Owners, mailing address and Extra, worked out once when first asked."""
        if self._details is None:
            assert self.table is not None
            self._details = self.table.details(self)
        return self._details

    def hours_since_expiry(self, at: datetime) -> float | None:
        """Freshness: hours from expiry to `at` (None when the expiry is unknown)."""
        if self.expired_at is None:
            return None
        return round((at - self.expired_at).total_seconds() / 3600, 1)


@dataclass(frozen=True)
class RowReject:
    """A row that cannot be used, with its first blocking problem (and how many more)."""

    file: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class CleanContext:
    """Everything a row's rules depend on besides the row."""

    kind: str
    at: datetime
    tz: ZoneInfo
    date_order: DateOrder = "MDY"
    own_phones: frozenset[str] = frozenset()


def parcel_key(text: str) -> str:
    """A parcel number folded for matching ('12-34-56.000' -> '123456000')."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _column_map(col: Sequence[str], parse: Callable[[str], Any]) -> tuple[list[Any], dict[str, CellError]]:
    """Parse every distinct value of a column once: (values, bad raw value -> error); blanks -> None."""
    parsed: dict[str, Any] = {}
    bad: dict[str, CellError] = {}
    for v in set(col):
        if not v or v.isspace():
            parsed[v] = None
            continue
        try:
            parsed[v] = parse(v)
        except CellError as exc:
            parsed[v] = None
            bad[v] = exc
    return list(map(parsed.__getitem__, col)), bad


class TableCleaner:
    """The cleaning rules compiled for one file's layout, applied a column at a time."""

    def __init__(self, layout: Layout, file: str, ctx: CleanContext) -> None:
        self.layout = layout
        self.file = file
        self.ctx = ctx
        self.header = layout.header
        self.width = len(layout.header)
        self.comps = ctx.kind == "comps"
        self._idx = {f: ix[0] for f, ix in layout.columns.items()}
        self.default_status = {"expired": "Expired", "active": "Active", "comps": "Closed"}[ctx.kind]
        self.agent_numbers: set[str] = set(ctx.own_phones)
        self.cells: list[Sequence[str]] = []
        self.value_cols: list[tuple[str, list[Any]]] = []
        self._distinct_values = False
        self._agent_cache: dict[str, tuple[str, ...]] = {}
        used = {sf.field for sf in simple_fields(ctx.kind)} | COMPOSITE_FIELDS
        cols = layout.columns
        self.kept_fields = sorted((i, layout.header[i]) for f, ix in cols.items() if f not in used for i in ix)
        self.extra_cols = [(i, layout.header[i]) for i in layout.extra]
        self.agent_cols = [self._idx[f] for f in _AGENT_PHONE_FIELDS if f in self._idx]
        self._place_memo: dict[str, str] = {}
        self._detail_at = [self._idx.get(f, -1) for f in _DETAIL_FIELDS]
        self._extra_at = (*self.kept_fields, *self.extra_cols)
        self._state_memo: dict[str, tuple[str, str]] = {}
        self._zip_memo: dict[str, tuple[str, str]] = {}
        self._display_memo: dict[str, str] = {}

    # ---------------------------------------------------------------- helpers

    def _i(self, f: str) -> int:
        return self._idx.get(f, -1)

    def _agent_phones(self, raw: str) -> tuple[str, ...]:
        got = self._agent_cache.get(raw)
        if got is None:
            got = tuple(p.e164 for p in phones.parse_phone_cell(raw).phones)
            self._agent_cache[raw] = got
            self.agent_numbers.update(got)
        return got

    def _date_parser(self, add_day: bool) -> Callable[[str], datetime | None]:
        order, tz = self.ctx.date_order, self.ctx.tz

        def parse(s: str) -> datetime | None:
            if s.strip().lower() in _BLANK_WORDS:
                return None
            got = values.datetime_value(s, order)
            if got is None:
                return None
            moment, has_time = got
            if add_day and not has_time:
                moment += timedelta(days=1)  # the agreement runs to the end of that day
            return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment

        return parse

    # ---------------------------------------------------------------- the whole table

    def clean_rows(self, rows: Sequence[tuple[int, Sequence[str]]]) -> list[Listing | RowReject]:
        """Every row cleaned: a Listing, or a RowReject naming the first blocking problem."""
        n, width, header = len(rows), self.width, self.header
        if n == 0:
            return []
        cells = [r if len(r) == width else [*r, *([""] * (width - len(r)))] if len(r) < width else r for _, r in rows]
        self.cells = cells
        columns: list[Sequence[str]] = list(zip(*[c[:width] if len(c) > width else c for c in cells], strict=True))
        blank: Sequence[str] = ("",) * n
        blocking: dict[int, list[Problem]] = {}
        self.kept: dict[int, list[Problem]] = {}

        def col(f: str) -> Sequence[str]:
            i = self._idx.get(f, -1)
            return columns[i] if i >= 0 else blank

        def note(k: int, p: Problem) -> None:
            (blocking if p.policy == "reject" else self.kept).setdefault(k, []).append(p)

        def mapped(i: int, parse: Callable[[str], Any], policy: Policy) -> list[Any]:
            vals, bad = _column_map(columns[i], parse)
            if bad:
                for k, v in enumerate(columns[i]):
                    if v in bad:
                        note(k, Problem(header[i], v.strip(), bad[v].reason, policy))
            return vals

        # status
        std, mls = col("StandardStatus"), col("MlsStatus")
        status_cells = [a if a.strip() else b for a, b in zip(std, mls, strict=True)]
        i_status = [self._i("StandardStatus") if a.strip() else self._i("MlsStatus") for a in std]
        st_vals, st_bad = _column_map(status_cells, status.standard_status)
        statuses: list[str] = []
        for k, raw in enumerate(status_cells):
            if raw in st_bad:
                note(k, Problem(header[i_status[k]], raw.strip(), st_bad[raw].reason, "reject"))
                statuses.append("")
            else:
                statuses.append(st_vals[k] or self.default_status)

        # one-cell values
        self.value_cols = []
        for sf in simple_fields(self.ctx.kind):
            i = self._i(sf.field)
            target = schema.COMPS if self.comps else schema.LEADS
            if i >= 0 and sf.column in target.names:
                self.value_cols.append((sf.column, mapped(i, sf.parse, sf.policy)))
        full_i, half_i = self._i("BathroomsFull"), self._i("BathroomsHalf")
        if full_i >= 0 or half_i >= 0:
            full = mapped(full_i, _blankish(values.number), "keep") if full_i >= 0 else [None] * n
            half = mapped(half_i, _blankish(values.number), "keep") if half_i >= 0 else [None] * n
            self.value_cols.append(("BathroomsTotal", [
                None if f is None and h is None else (f or 0) + 0.5 * (h or 0) for f, h in zip(full, half, strict=True)
            ]))
        date_parse = self._date_parser(False)
        if self.comps:
            i = self._i("CloseDate")
            close = mapped(i, date_parse, "reject") if i >= 0 else [None] * n
            self.value_cols.append(("CloseDate", [d.date() if d else None for d in close]))
        elif self._i("ListingContractDate") >= 0:
            contract = mapped(self._i("ListingContractDate"), date_parse, "keep")
            self.value_cols.append(("ListingContractDate", [d.date() if d else None for d in contract]))
        names = [c for c, _ in self.value_cols]
        self._distinct_values = len(set(names)) == len(names)

        # expiry: the status change moment, else the day after ExpirationDate
        expiry_fields = ("StatusChangeTimestamp", "ExpirationDate", "CancellationDate", "OffMarketDate", "WithdrawnDate")
        expiry = {f: mapped(self._i(f), self._date_parser(f == "ExpirationDate"), "reject")
                  for f in expiry_fields if self._i(f) >= 0 and not self.comps}
        expired_order = [expiry[f] for f in expiry_fields if f in expiry]
        canceled_order = [expiry[f] for f in ("StatusChangeTimestamp", "CancellationDate", "ExpirationDate",
                                             "OffMarketDate", "WithdrawnDate") if f in expiry]

        # address
        addr_i = self._i("UnparsedAddress")
        parsed_addr: list[Any] = [None] * n
        addr_bad: dict[str, CellError] = {}
        if addr_i >= 0:
            parsed_addr, addr_bad = _column_map(columns[addr_i], _street_parse)
        name_i = self._i("StreetName")
        parts = [col(f) for f in _STREET_PARTS] if name_i >= 0 else []
        none: list[Any] = [None] * n
        units: list[Any] = _column_map(col("UnitNumber"), addresses.unit_text)[0] if self._i("UnitNumber") >= 0 else none
        cities: list[Any] = _column_map(col("City"), lambda v: " ".join(v.split()))[0] if self._i("City") >= 0 else none
        states: list[Any] = mapped(self._i("StateOrProvince"), addresses.state_code, "keep") if self._i("StateOrProvince") >= 0 else none
        zips: list[Any] = mapped(self._i("PostalCode"), addresses.postal_code, "keep") if self._i("PostalCode") >= 0 else none

        # identity
        ids: list[str | None] = list(map(str.strip, col("ListingId"))) if self._i("ListingId") >= 0 else [None] * n
        keys_col = col("ListingKey")
        parcels = col("ParcelNumber")
        owner_cols = [col(f) for f in _OWNER_FIELDS if self._i(f) >= 0]
        need_identity = self.ctx.kind == "expired"

        # phones
        phone_cols: list[tuple[Sequence[str], Sequence[str] | None, str]] = []
        for i in self.layout.columns.get("OwnerPhone", ()):
            phone_cols.append((columns[i], None, header[i]))
        for m in range(1, NUMBERED_PHONES + 1):
            i = self._i(f"OwnerPhone{m}")
            if i >= 0:
                d = self._i(f"OwnerPhone{m}DNC")
                phone_cols.append((columns[i], columns[d] if d >= 0 else None, header[i]))
        row_dnc = [v.strip().lower() not in _DNC_CLEAN for v in col("OwnerDNC")] if self._i("OwnerDNC") >= 0 else None
        agent_cols = [columns[i] for i in self.agent_cols]
        agents = self.agent_numbers
        dnc_memo: dict[str, bool] = {}
        phone_memo: dict[str, phones.PhoneCell] = {}
        comps = self.comps
        at = self.ctx.at
        by_column = dict(self.value_cols)
        close_dates = by_column.get("CloseDate", [None] * n)
        close_prices = by_column.get("ClosePrice", [None] * n)
        not_contactable = {s: status.not_contactable_reason(s) for s in STATUS_WORDS}
        fast_nanp = phones.fast_nanp
        agent_cache = self._agent_cache
        street_key = addresses.street_key

        out: list[Listing | RowReject] = []
        for k in range(n):
            st = statuses[k]
            ok = st == "Expired" or st == "Canceled"
            # address
            a = parsed_addr[k]
            street = unit = city = state = zip5 = ""
            if a is not None:
                street, unit, city, state, zip5 = a
            elif parts and parts[2][k].strip():
                street, unit = addresses.split_unit(" ".join(p[k].strip() for p in parts if p[k].strip()))
            if not street:
                raw = columns[addr_i][k] if addr_i >= 0 else ""
                if raw in addr_bad:
                    note(k, Problem(header[addr_i], raw.strip(), addr_bad[raw].reason, "reject"))
                else:
                    i = addr_i if addr_i >= 0 else name_i
                    note(k, Problem(header[i] if i >= 0 else "", "", "the property address is empty.", "reject"))
            if units[k]:
                unit = units[k]
            if cities[k]:
                city = cities[k]
            if states[k]:
                state = states[k]
            if zips[k]:
                zip5 = zips[k]
            if zip5 and (not city or not state):
                place = addresses.place_for_zip(zip5)
                if place:
                    city, state = city or place[0], state or place[1]
            if a is not None and not a[2] and city and street.upper().endswith(" " + city.upper()):
                street = street[: -len(city)].rstrip(" ,")  # '123 Main St Tampa FL 33602': the city was in the line
            # expiry
            expired_at = None
            if ok and not comps:
                for vals in expired_order if st == "Expired" else canceled_order:
                    if vals[k] is not None:
                        expired_at = vals[k] if vals[k] <= at else at
                        break
            listing_id = ids[k] or keys_col[k].strip()
            if need_identity and not listing_id and not parcels[k].strip() and not any(c[k].strip() for c in owner_cols):
                note(k, Problem(self.layout.header_of("ListingId"), "", "no MLS number, parcel or owner name to tell this listing apart.", "reject"))
            if comps:
                if st and st != "Closed":
                    blocking.setdefault(k, []).insert(0, Problem(
                        header[i_status[k]] if i_status[k] >= 0 else "", status_cells[k].strip(),
                        f"status {st} is not a sale; only Closed listings are comps.", "reject"))
                elif k not in blocking:
                    if close_dates[k] is None:
                        note(k, Problem(self.layout.header_of("CloseDate"), "", "a comp needs its sale date.", "reject"))
                    elif close_prices[k] is None:
                        note(k, Problem(self.layout.header_of("ClosePrice"), "", "a comp needs its sale price.", "reject"))
            if k in blocking:
                problems = blocking[k]
                first, more = problems[0], len(problems) - 1
                reason = first.reason + (f" (and {more} more problem{'s' if more > 1 else ''} in this row)" if more > 0 else "")
                out.append(RowReject(self.file, rows[k][0], first.column, first.value, reason))
                continue
            # phones
            hits: list[PhoneHit] = []
            if phone_cols and not comps:
                row_agent: tuple[str, ...] = ()
                for ac in agent_cols:
                    cell = ac[k]
                    if cell:
                        got = agent_cache.get(cell)
                        row_agent += got if got is not None else self._agent_phones(cell)
                seen: set[str] = set()
                base_dnc = row_dnc[k] if row_dnc is not None else False
                for pcol, dcol, head in phone_cols:
                    cell = pcol[k]
                    if not cell:
                        continue
                    cell_got = phone_memo.get(cell)
                    if cell_got is None:  # phone cells repeat down an export: each is parsed once
                        fast = fast_nanp(cell)
                        if fast is not None:
                            cell_got = phone_memo[cell] = phones.PhoneCell((phones.ParsedPhone(fast[0], "", fast[1]),))
                        else:
                            cell_got = phone_memo[cell] = phones.parse_phone_cell(cell)
                    found, bad_parts = cell_got
                    for bad in bad_parts:
                        note(k, Problem(head, bad, "not a phone number.", "keep"))
                    if not found:
                        continue
                    dnc = base_dnc
                    if dcol is not None and not dnc:
                        raw = dcol[k]
                        flag = dnc_memo.get(raw)
                        if flag is None:
                            flag = dnc_memo[raw] = raw.strip().lower() not in _DNC_CLEAN
                        dnc = flag
                    for p in found:
                        number = p.e164
                        if number in seen:
                            continue
                        seen.add(number)
                        if number in row_agent or number in agents:
                            note(k, Problem(head, phones.display(number), "the listing agent's or your own number, not the owner's.", "keep"))
                            continue
                        hits.append(PhoneHit(number, len(hits) + 1, dnc or p.dnc, p.extension, p.kind))
            elif agent_cols and not comps:
                for ac in agent_cols:
                    if ac[k]:
                        self._agent_phones(ac[k])
            base = street_key(street, unit)
            cu = city.upper()
            akey = f"{base}|{zip5 or cu}"
            parcel = parcels[k]
            out.append(Listing(
                self.file, rows[k][0], st, ok, "" if ok else not_contactable.get(st) or status.not_contactable_reason(st),
                listing_id, parcel_key(parcel) if parcel else "", akey,
                (akey, f"{base}|{cu}") if zip5 and cu else (akey,),
                base.split(" ", 1)[0] if base[:1].isdigit() else "",
                tuple(hits), expired_at, street, unit, city, state, zip5, k, self, close_date=close_dates[k],
            ))
        return out

    def values(self, k: int) -> dict[str, Any]:
        """The typed one-cell values of row k by table column (the first column feeding a value wins)."""
        if self._distinct_values:
            return {column: v for column, vals in self.value_cols if (v := vals[k]) is not None}
        out: dict[str, Any] = {}
        for column, vals in self.value_cols:
            v = vals[k]
            if v is not None and column not in out:
                out[column] = v
        return out

    # ---------------------------------------------------------------- details of written rows

    def _tidy_place(self, city: str) -> str:
        """addresses.tidy of a city name, once per name in the file (cities repeat down a column)."""
        got = self._place_memo.get(city)
        if got is None:
            got = self._place_memo[city] = addresses.tidy(city)
        return got

    def _mailing_part(self, memo: dict[str, tuple[str, str]], rule: Callable[[str], str], text: str) -> tuple[str, str]:
        """(value, '' or the reason it is not one) of a mailing state or ZIP cell, once per distinct text."""
        got = memo.get(text)
        if got is None:
            try:
                got = (rule(text), "")
            except CellError as exc:
                got = ("", exc.reason)
            memo[text] = got
        return got

    def _agent_display(self, cell: str) -> str:
        """The listing agent's first number of a phone cell as displayed, once per distinct cell."""
        got = self._display_memo.get(cell)
        if got is None:
            found = self._agent_phones(cell)
            got = self._display_memo[cell] = phones.display(found[0]) if found else ""
        return got

    def details(self, item: Listing) -> Details:
        """Owners, mailing address, agent name and Extra of a listing that will be written."""
        cells = self.cells[item.k]
        (name, name2, first, last, first2, last2, raw, mail_city, mail_state, mail_zip,
         agent_full, agent_first, agent_last) = [cells[i].strip() if i >= 0 else "" for i in self._detail_at]
        kept = self.kept.get(item.k)
        problems = list(kept) if kept else []
        own = owners.owners(name, name2, first, last, first2, last2)
        mailing: addresses.Address | None = None
        if raw:
            try:
                a = addresses.parse_address(raw)
                city, state, zip5 = a.city, a.state, a.postal_code
                if mail_city:
                    city = mail_city
                if mail_state:
                    code, why = self._mailing_part(self._state_memo, addresses.state_code, mail_state)
                    if why:
                        problems.append(Problem(self.layout.header_of("MailingState"), mail_state, why, "keep"))
                    else:
                        state = code
                if mail_zip:
                    code, why = self._mailing_part(self._zip_memo, addresses.postal_code, mail_zip)
                    if why:
                        problems.append(Problem(self.layout.header_of("MailingPostalCode"), mail_zip, why, "keep"))
                    else:
                        zip5 = code
                street = a.street  # already tidied: tidy again only where a comma was left at an end
                if street[:1] == "," or street[-1:] == ",":
                    street = addresses.tidy(street)
                mailing = addresses.Address(street, a.unit, self._tidy_place(city), state, zip5)
            except CellError as exc:
                problems.append(Problem(self.layout.header_of("MailingAddress"), raw, exc.reason, "keep"))
        absentee = False
        if mailing is not None:
            # the address key starts with the property's street key (which has no '|')
            same_street = addresses.street_key(mailing.street, mailing.unit) == item.address_key.partition("|")[0]
            same_place = not mailing.postal_code or not item.postal_code or mailing.postal_code == item.postal_code
            absentee = not (same_street and same_place)
        agent = agent_full or " ".join(x for x in (agent_first, agent_last) if x)
        agent_phone = ""
        for i in self.agent_cols:
            cell = cells[i]
            if cell:
                agent_phone = self._display_memo.get(cell) or self._agent_display(cell)
                if agent_phone:
                    break
        extra: list[tuple[str, str]] = []
        for i, head in self._extra_at:
            v = cells[i]
            if v and not v.isspace():
                extra.append((head, v.strip()))
        for j in range(self.width, len(cells)):
            if cells[j].strip():
                extra.append((f"Column {j + 1}", cells[j].strip()))
        for p in problems:
            if p.value:
                extra.append((p.column, f"{p.value} ({p.reason.rstrip('.')})"))
        extra.extend(item.notes)
        return Details(
            owners=own,
            street=addresses.tidy(item.street),
            city=self._place_memo.get(item.city) or self._tidy_place(item.city),
            mailing=mailing,
            absentee=absentee,
            agent_name=owners.tidy_name(agent) if agent else "",
            agent_phone=agent_phone,
            extra=extra,
        )


STATUS_WORDS = status.STANDARD_STATUSES


def _street_parse(raw: str) -> tuple[str, str, str, str, str]:
    """An address cell -> (street, unit, city, state, zip); a bare street line is split from its unit only."""
    if "," in raw or raw.rstrip()[-5:].isdigit():
        a = addresses.parse_address(raw)
        return a.street, a.unit, a.city, a.state, a.postal_code
    street, unit = addresses.split_unit(" ".join(raw.split()))
    return street, unit, "", "", ""

