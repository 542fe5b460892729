"""One export row -> one clean listing, or a reject saying which cell is wrong and why.

Each field has an explicit error policy (`problems.Policy`): a row without a usable
address, status, identity or expiry date is rejected; a bad optional value (price,
bedrooms, a second phone, a mailing state) leaves the field empty and keeps the raw text
in Extra. Speed: values that repeat down a column (dates, prices, statuses, ZIPs, agents)
are parsed once per file; what only letters and the sheet need (owner names in title
case, the mailing address, Extra) is worked out only for rows that are written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from relist import schema
from relist.intake import addresses, owners, phones, status, values
from relist.intake.layouts import Layout
from relist.intake.phone_groups import FLAG_FIELD, NO_FLAG, NOT_OWNER_STATUS, Flag, merge, read_flag
from relist.intake.problems import CellError, Policy, Problem
from relist.intake.values import DateOrder

Parser = Callable[[str], Any]

_BLANK_WORDS = frozenset({"n/a", "na", "null", "none", "-", "--", "unknown", "#n/a"})
_AGENT_PHONE_FIELDS = (
    "ListAgentDirectPhone", "ListAgentPreferredPhone", "ListAgentMobilePhone", "ListAgentOfficePhone", "ListOfficePhone",
)
_STREET_PARTS = ("StreetNumber", "StreetDirPrefix", "StreetName", "StreetSuffix", "StreetDirSuffix")
_OWNER_FIELDS = ("OwnerName", "OwnerName2", "OwnerFirstName", "OwnerLastName", "Owner2FirstName", "Owner2LastName")
NUMBERED_PHONES = 10
_DETAIL_FIELDS = (
    *_OWNER_FIELDS, "MailingAddress", "MailingCity", "MailingState", "MailingPostalCode",
    "ListAgentFullName", "ListAgentFirstName", "ListAgentLastName",
)

COMPOSITE_FIELDS = frozenset(
    {
        "StandardStatus", "MlsStatus", "StatusChangeTimestamp", "ExpirationDate", "CancellationDate",
        "OffMarketDate", "WithdrawnDate", "UnparsedAddress", *_STREET_PARTS, "UnitNumber", "City",
        "StateOrProvince", "PostalCode", "MailingAddress", "MailingCity", "MailingState", "MailingPostalCode",
        *_OWNER_FIELDS, "OwnerPhone", "OwnerDNC", "OwnerLitigator",
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


_SIMPLE_EMAIL = re.compile(
    r"(?=.{6,254}$)(?=[^@]{1,64}@)[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+([a-z]{2,24})"
)
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test", "example", "internal", "alt"})


def email(cell: str) -> str | None:
    """The first address of an email cell, lower-cased; raises CellError when it is not one.

    Checked by email-validator (syntax only, no DNS; no internationalised local part, which
    many mail servers refuse). Plain addresses that it surely accepts skip it: it costs about
    70 us an address, four times the rest of a row.
    """
    s = cell.strip()
    if not s:
        return None
    first = s.replace(";", ",").split(",")[0].strip().lower()
    m = _SIMPLE_EMAIL.fullmatch(first)
    if m is not None and m.group(1) not in _SPECIAL_USE_TLDS:
        return first
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(first, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        why = str(exc).rstrip(".")
        raise CellError(f"not an email address: {why[:1].lower()}{why[1:]}.") from exc
    return str(checked.ascii_email or checked.normalized).lower()


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
    litigator: bool = False


_tuple_new = tuple.__new__
"""Makes a NamedTuple from all its values at C speed (PhoneHit: one or two per row)."""
_second = itemgetter(1)

_Found = tuple[phones.ParsedPhone, ...] | phones.PhoneCell
"""A phone cell's numbers; or, when some part of it is not a number, the whole PhoneCell."""


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
    notes: tuple[tuple[str, str], ...] = ()
    """(column, text) notes for Extra found after the row was cleaned (a tuple: most rows have none)."""
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


BLOCK_ROWS = 1024
"""Rows cleaned together. The rules run down one block's columns while its cells are still in the
processor's cache; running them down whole 100,000-row columns missed the cache on nearly every cell."""


class _Rule:
    """One cell rule, run once per distinct cell text of the file (values repeat down a column).

    A column whose texts hardly repeat (street lines, MLS numbers) is parsed cell by cell instead:
    remembering 100,000 different texts costs more than it saves. The rules are pure functions
    of the text, so both ways give the same values.
    """

    __slots__ = ("parse", "known", "bad", "seen", "direct")

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.known: dict[str, Any] = {}
        self.bad: dict[str, CellError] = {}
        """Bad raw value -> its error."""
        self.seen = 0
        self.direct = False

    def column(self, col: Sequence[str]) -> list[Any]:
        """The value of every cell (blanks and bad cells -> None)."""
        if self.direct:
            return self._each(col)
        known = self.known
        try:
            return list(map(known.__getitem__, col))  # every text met before: the usual case once a file is under way
        except KeyError:
            pass
        for v in set(col).difference(known):
            if not v or v.isspace():
                known[v] = None
                continue
            try:
                known[v] = self.parse(v)
            except CellError as exc:
                known[v] = None
                self.bad[v] = exc
        self.seen += len(col)
        if self.seen >= _DIRECT_AFTER and len(known) * 10 > self.seen * 9:
            self.direct = True
            self.known = {}
        return list(map(known.__getitem__, col))

    def _each(self, col: Sequence[str]) -> list[Any]:
        parse, bad = self.parse, self.bad
        out: list[Any] = []
        add = out.append
        for v in col:
            if not v or v.isspace():
                add(None)
                continue
            try:
                add(parse(v))
            except CellError as exc:
                add(None)
                bad[v] = exc
        return out


_DIRECT_AFTER = 2 * BLOCK_ROWS
"""Cells a rule remembers before it checks whether they repeat at all."""


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
        self.owner_numbers: set[str] = set()
        """Every number kept as an owner's phone."""
        self.cells: list[Sequence[str]] = []
        self.value_cols: list[tuple[str, list[Any]]] = []
        self._distinct_values = False
        self._agent_cache: dict[str, tuple[str, ...]] = {}
        used = {sf.field for sf in simple_fields(ctx.kind)} | COMPOSITE_FIELDS
        cols = layout.columns
        self.kept_fields = sorted((i, layout.header[i]) for f, ix in cols.items()
                                  if f not in used and not FLAG_FIELD.match(f) for i in ix)
        self.extra_cols = [(i, layout.header[i]) for i in layout.extra]
        self.agent_cols = [self._idx[f] for f in _AGENT_PHONE_FIELDS if f in self._idx]
        self._place_memo: dict[str, str] = {}
        self._detail_cells = _stripped_cells([self._idx.get(f, -1) for f in _DETAIL_FIELDS])
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

    def _mapped(self, rule: _Rule, i: int, column: Sequence[str], policy: Policy, start: int,
                blocking: dict[int, list[Problem]]) -> list[Any]:
        """A rule's values for one block's column; each bad cell noted on its row (`start`: the block's first row)."""
        vals = rule.column(column)
        bad = rule.bad
        if bad:
            head = self.header[i]
            for j, v in enumerate(column):
                if v in bad:
                    p = Problem(head, v.strip(), bad[v].reason, policy)
                    (blocking if policy == "reject" else self.kept).setdefault(start + j, []).append(p)
        return vals

    def clean_rows(self, rows: Sequence[tuple[int, Sequence[str]]]) -> list[Listing | RowReject]:
        """Every row cleaned: a Listing, or a RowReject naming the first blocking problem."""
        n, width, header = len(rows), self.width, self.header
        if n == 0:
            return []
        cells: list[Sequence[str]] = list(map(_second, rows))
        if min(map(len, cells)) < width:  # short rows are padded with blank cells
            cells = [r if len(r) >= width else [*r, *([""] * (width - len(r)))] for r in cells]
        self.cells = cells
        blocking: dict[int, list[Problem]] = {}
        kept: dict[int, list[Problem]] = {}
        self.kept = kept
        comps = self.comps
        mapped = self._mapped
        none_block: list[Any] = [None] * BLOCK_ROWS

        def note(k: int, p: Problem) -> None:
            (blocking if p.policy == "reject" else kept).setdefault(k, []).append(p)

        # the rules, each remembering its answers for the whole file
        i_std, i_mls = self._i("StandardStatus"), self._i("MlsStatus")
        status_rule = _Rule(status.standard_status)
        target = schema.COMPS if comps else schema.LEADS
        value_rules = [(sf.column, i, _Rule(sf.parse), sf.policy) for sf in simple_fields(self.ctx.kind)
                       if (i := self._i(sf.field)) >= 0 and sf.column in target.names]
        full_i, half_i = self._i("BathroomsFull"), self._i("BathroomsHalf")
        has_baths = full_i >= 0 or half_i >= 0
        full_rule, half_rule = _Rule(_blankish(values.number)), _Rule(_blankish(values.number))
        date_column = "CloseDate" if comps else "ListingContractDate"
        date_i = self._i(date_column)
        date_rule = _Rule(self._date_parser(False))
        date_policy: Policy = "reject" if comps else "keep"
        value_cols: list[tuple[str, list[Any]]] = [(column, []) for column, *_ in value_rules]
        if has_baths:
            value_cols.append(("BathroomsTotal", []))
        if comps or date_i >= 0:
            value_cols.append((date_column, []))
        self.value_cols = value_cols
        names = [c for c, _ in value_cols]
        self._distinct_values = len(set(names)) == len(names)

        # expiry: the status change moment, else the day after ExpirationDate
        expiry_fields = ("StatusChangeTimestamp", "ExpirationDate", "CancellationDate", "OffMarketDate", "WithdrawnDate")
        expiry_rules = {f: (self._i(f), _Rule(self._date_parser(f == "ExpirationDate")))
                        for f in expiry_fields if self._i(f) >= 0 and not comps}
        expired_fields = [f for f in expiry_fields if f in expiry_rules]
        canceled_fields = [f for f in ("StatusChangeTimestamp", "CancellationDate", "ExpirationDate",
                                       "OffMarketDate", "WithdrawnDate") if f in expiry_rules]

        # address
        addr_i = self._i("UnparsedAddress")
        addr_rule = _Rule(_street_parse)
        name_i = self._i("StreetName")
        part_is = [self._i(f) for f in _STREET_PARTS] if name_i >= 0 else []
        unit_i, city_i, state_i, zip_i = self._i("UnitNumber"), self._i("City"), self._i("StateOrProvince"), self._i("PostalCode")
        unit_rule, city_rule = _Rule(addresses.unit_text), _Rule(_plain_text)
        state_rule, zip_rule = _Rule(addresses.state_code), _Rule(addresses.postal_code)

        # identity
        id_i, key_i, parcel_i = self._i("ListingId"), self._i("ListingKey"), self._i("ParcelNumber")
        owner_is = [self._i(f) for f in _OWNER_FIELDS if self._i(f) >= 0]
        need_identity = self.ctx.kind == "expired"
        id_header = self.layout.header_of("ListingId")

        # phones: each phone column with its own flag columns; the row's DNC and litigator columns flag every number
        groups = self.layout.phone_groups
        phone_is = [(g.phone, header[g.phone]) for g in groups]
        flag_is = [[(what, i) for what, ix in (("dnc", g.dnc), ("status", g.status), ("type", g.type),
                                               ("litigator", g.litigator), ("relation", g.relation)) for i in ix] for g in groups]
        row_flag_is = [(what, i) for what, i in (("dnc", self._i("OwnerDNC")), ("litigator", self._i("OwnerLitigator"))) if i >= 0]
        flag_memo: dict[str, dict[str, Flag]] = {w: {"": NO_FLAG} for w in ("dnc", "status", "type", "litigator", "relation")}

        def flag_column(what: str, col: Sequence[str]) -> list[Flag]:
            memo = flag_memo[what]
            try:
                return list(map(memo.__getitem__, col))
            except KeyError:
                for raw in set(col).difference(memo):
                    memo[raw] = read_flag(what, raw)
                return list(map(memo.__getitem__, col))

        agent_is = self.agent_cols
        agents = self.agent_numbers
        owner_numbers = self.owner_numbers
        upper_of: dict[str, str] = {}
        phone_memo: dict[str, _Found | None] = {"": None}  # phone cell -> what it holds (None: nothing)
        at = self.ctx.at
        reason_of = _Reasons({s: "" if s in ("Expired", "Canceled") else status.not_contactable_reason(s) for s in STATUS_WORDS})
        agent_cache = self._agent_cache
        street_key = addresses.street_key
        default_status = self.default_status
        file = self.file
        # only the columns read here are turned into block columns (owners and ListingKey are rarely
        # needed: they are read from the row); the rest wait in `cells` for the written rows
        used = sorted({i_std, i_mls, full_i, half_i, date_i, addr_i, *part_is, unit_i, city_i, state_i, zip_i, id_i,
                       parcel_i, *agent_is, *(i for _, i, _, _ in value_rules), *(i for i, _ in expiry_rules.values()),
                       *(i for i, _ in phone_is), *(i for fs in flag_is for _, i in fs), *(i for _, i in row_flag_is)} - {-1}) or [0]
        pick = itemgetter(*used, *used) if len(used) == 1 else itemgetter(*used)  # itemgetter of one index gives no tuple

        out: list[Listing | RowReject] = []
        for start in range(0, n, BLOCK_ROWS):
            block = rows[start:start + BLOCK_ROWS]
            size = len(block)
            blank: Sequence[str] = ("",) * size
            columns: list[Sequence[str]] = [blank] * width
            for i, cells_of in zip(used, zip(*map(pick, cells[start:start + size]), strict=True), strict=False):
                columns[i] = cells_of
            none: list[Any] = none_block if size == BLOCK_ROWS else [None] * size

            # status
            std = columns[i_std] if i_std >= 0 else blank
            mls = columns[i_mls] if i_mls >= 0 else blank
            status_cells = std if i_mls < 0 else [a if a.strip() else b for a, b in zip(std, mls, strict=True)]
            statuses: list[str] = [v or default_status for v in status_rule.column(status_cells)]
            st_bad = status_rule.bad
            if st_bad and not st_bad.keys().isdisjoint(status_cells):
                for j, raw in enumerate(status_cells):
                    if raw in st_bad:
                        i = i_std if std[j].strip() else i_mls
                        note(start + j, Problem(header[i], raw.strip(), st_bad[raw].reason, "reject"))
                        statuses[j] = ""

            # one-cell values
            block_values: dict[str, list[Any]] = {}
            for (column, i, rule, policy), (_, acc) in zip(value_rules, value_cols, strict=False):
                vals = mapped(rule, i, columns[i], policy, start, blocking)
                acc.extend(vals)
                block_values[column] = vals
            if has_baths:
                full = mapped(full_rule, full_i, columns[full_i], "keep", start, blocking) if full_i >= 0 else none
                half = mapped(half_rule, half_i, columns[half_i], "keep", start, blocking) if half_i >= 0 else none
                value_cols[len(value_rules)][1].extend(
                    None if f is None and h is None else (f or 0) + 0.5 * (h or 0) for f, h in zip(full, half, strict=True)
                )
            if comps or date_i >= 0:
                got = mapped(date_rule, date_i, columns[date_i], date_policy, start, blocking) if date_i >= 0 else none
                dates = [d.date() if d else None for d in got]
                value_cols[-1][1].extend(dates)
                block_values[date_column] = dates
            close_dates = block_values.get("CloseDate", none)
            close_prices = block_values.get("ClosePrice", none)

            expiry = {f: mapped(rule, i, columns[i], "reject", start, blocking) for f, (i, rule) in expiry_rules.items()}
            expired_col = _first_moment([expiry[f] for f in expired_fields], at, none)
            expiry_of = {"Expired": expired_col, "Canceled": expired_col if canceled_fields == expired_fields
                         else _first_moment([expiry[f] for f in canceled_fields], at, none)}

            # address
            addr_col = columns[addr_i] if addr_i >= 0 else blank
            parsed_addr = addr_rule.column(addr_col) if addr_i >= 0 else none
            addr_bad = addr_rule.bad
            parts = [columns[i] if i >= 0 else blank for i in part_is]
            units = unit_rule.column(columns[unit_i]) if unit_i >= 0 else none
            cities = city_rule.column(columns[city_i]) if city_i >= 0 else none
            states = mapped(state_rule, state_i, columns[state_i], "keep", start, blocking) if state_i >= 0 else none
            zips = mapped(zip_rule, zip_i, columns[zip_i], "keep", start, blocking) if zip_i >= 0 else none

            # identity
            ids: Sequence[str | None] = list(map(str.strip, columns[id_i])) if id_i >= 0 else none
            parcels = columns[parcel_i] if parcel_i >= 0 else blank

            # phones: each distinct cell parsed once for the file
            phone_cols: list[tuple[list[_Found | None], list[Flag] | None, str]] = []
            row_flags = [flag_column(what, columns[i]) for what, i in row_flag_is]
            for (i, head), own_flags in zip(phone_is, flag_is, strict=True):
                col = columns[i]
                try:
                    parsed = list(map(phone_memo.__getitem__, col))
                except KeyError:
                    for cell in set(col).difference(phone_memo):
                        fast = phones.fast_nanp(cell)
                        if fast is not None:
                            phone_memo[cell] = (_tuple_new(phones.ParsedPhone, (fast[0], "", fast[1], False)),)
                        else:
                            cell_phones = phones.parse_phone_cell(cell)
                            phone_memo[cell] = cell_phones if cell_phones.bad else cell_phones.phones or None
                    parsed = list(map(phone_memo.__getitem__, col))
                flag_cols = row_flags + [flag_column(what, columns[d]) for what, d in own_flags]
                flags = None if not flag_cols else flag_cols[0] if len(flag_cols) == 1 else _merge_columns(flag_cols)
                phone_cols.append((parsed, flags, head))
            agent_cols = [columns[i] for i in agent_is]
            # most blocks bring no listing-agent number not met before: their rows need not look
            new_agents = not comps and any(set(ac).difference(agent_cache, ("",)) for ac in agent_cols)

            for j, k, (row_number, _), st, a, unit_cell, city_cell, state_cell, zip_cell, listing_id, parcel, close_date in zip(
                range(size), range(start, start + size), block, statuses, parsed_addr, units, cities, states, zips, ids, parcels,
                close_dates, strict=True,
            ):
                ok = st == "Expired" or st == "Canceled"
                # address
                base: str | None  # the street key, when the address cell gave it
                if a is None:
                    street = unit = city = state = zip5 = house = ""
                    base = None
                    line_city = False
                    if parts and parts[2][j].strip():
                        street, unit = addresses.split_unit(" ".join(p[j].strip() for p in parts if p[j].strip()))
                elif len(a) == 4:  # a bare street line: (street, unit, street key, house number)
                    street, unit, base, house = a
                    city = state = zip5 = ""
                    line_city = True  # the line may end with the city
                else:  # a full address: (street, unit, city, state, zip)
                    street, unit, city, state, zip5 = a
                    base, house = None, ""
                    line_city = not city
                if not street:
                    raw = addr_col[j]
                    if raw in addr_bad:
                        note(k, Problem(header[addr_i], raw.strip(), addr_bad[raw].reason, "reject"))
                    else:
                        i = addr_i if addr_i >= 0 else name_i
                        note(k, Problem(header[i] if i >= 0 else "", "", "the property address is empty.", "reject"))
                if unit_cell:
                    unit, base = unit_cell, None
                if city_cell:
                    city = city_cell
                if state_cell:
                    state = state_cell
                if zip_cell:
                    zip5 = zip_cell
                if zip5 and (not city or not state):
                    place = addresses.place_for_zip(zip5)
                    if place:
                        city, state = city or place[0], state or place[1]
                cu = upper_of.get(city)
                if cu is None:
                    cu = upper_of[city] = city.upper()  # (cities repeat down a file)
                if line_city and city and street.upper().endswith(" " + cu):
                    street = street[: -len(city)].rstrip(" ,")  # '123 Main St Tampa FL 33602': the city was in the line
                    base = None
                expired_at = expiry_of[st][j] if ok else None  # (comps read no expiry)
                listing_id = listing_id or (cells[k][key_i].strip() if key_i >= 0 else "")
                if need_identity and not listing_id and not parcel.strip() and not any(cells[k][i].strip() for i in owner_is):
                    note(k, Problem(id_header, "", "no MLS number, parcel or owner name to tell this listing apart.", "reject"))
                if comps:
                    if st and st != "Closed":
                        i = i_std if std[j].strip() else i_mls
                        blocking.setdefault(k, []).insert(0, Problem(
                            header[i] if i >= 0 else "", status_cells[j].strip(),
                            f"status {st} is not a sale; only Closed listings are comps.", "reject"))
                    elif k not in blocking:
                        if close_date is None:
                            note(k, Problem(self.layout.header_of("CloseDate"), "", "a comp needs its sale date.", "reject"))
                        elif close_prices[j] is None:
                            note(k, Problem(self.layout.header_of("ClosePrice"), "", "a comp needs its sale price.", "reject"))
                if k in blocking:
                    problems = blocking[k]
                    first, more = problems[0], len(problems) - 1
                    reason = first.reason + (f" (and {more} more problem{'s' if more > 1 else ''} in this row)" if more > 0 else "")
                    out.append(RowReject(file, row_number, first.column, first.value, reason))
                    continue
                # phones
                hits: list[PhoneHit] = []
                if new_agents:
                    for ac in agent_cols:  # the row's listing-agent numbers join `agents` before its owner numbers are read
                        cell = ac[j]
                        if cell and cell not in agent_cache:
                            self._agent_phones(cell)
                if phone_cols and not comps:
                    seen: list[str] = []  # (a row has a few numbers)
                    for found_in, flags, head in phone_cols:
                        cell_got = found_in[j]
                        if cell_got is None:
                            continue
                        if isinstance(cell_got, phones.PhoneCell):
                            for bad in cell_got.bad:
                                note(k, Problem(head, bad, "not a phone number.", "keep"))
                            found = cell_got.phones
                            if not found:
                                continue
                        else:
                            found = cell_got
                        f = flags[j] if flags is not None else NO_FLAG
                        for p in found:
                            number = p.e164
                            if number in seen:
                                continue
                            seen.append(number)
                            if number in agents:
                                note(k, Problem(head, phones.display(number), "the listing agent's or your own number, not the owner's.", "keep"))
                                continue
                            if f is NO_FLAG:
                                hits.append(_tuple_new(PhoneHit, (number, len(hits) + 1, p.dnc, p.extension, p.kind, "Active", False)))
                            else:
                                hits.append(_tuple_new(PhoneHit, (number, len(hits) + 1, f.dnc or p.dnc, p.extension, f.kind or p.kind,
                                                                  NOT_OWNER_STATUS if f.not_owner else "Bad" if f.bad else "Active",
                                                                  f.litigator)))
                            owner_numbers.add(number)
                if base is None:
                    base = street_key(street, unit)
                    house = base.split(" ", 1)[0] if base[:1].isdigit() else ""
                akey = f"{base}|{zip5 or cu}"
                out.append(Listing(
                    file, row_number, st, ok, reason_of[st], listing_id, parcel_key(parcel) if parcel else "", akey,
                    (akey, f"{base}|{cu}") if zip5 and cu else (akey,),
                    house, tuple(hits), expired_at, street, unit, city, state, zip5, k, self, (), close_date,
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
         agent_full, agent_first, agent_last) = self._detail_cells(cells)
        kept = self.kept.get(item.k)
        problems = list(kept) if kept else []
        own = owners.owners(name, name2, first, last, first2, last2)
        mailing: addresses.Address | None = None
        street_tidied = ""  # the property street line tidied, when the mailing line is the same
        mail_key: str | None = None  # the mailing street key, when already known
        if raw:
            try:
                if "," not in raw and not raw[-1].isdigit() and raw.isascii():
                    # a bare street line: parse_address would only split off the unit and tidy it; its street
                    # key is the untidied line's (tidying changes only case, spaces and end commas in ASCII)
                    split_street, unit, mail_key, _ = addresses.street_line(" ".join(raw.split()))
                    street = addresses.tidy(split_street)
                    if split_street == item.street:
                        street_tidied = street
                    city = state = zip5 = ""
                else:
                    a = addresses.parse_address(raw)
                    street, unit, city, state, zip5 = a
                if mail_city:
                    city = mail_city
                if mail_state:
                    got = self._state_memo.get(mail_state) or self._mailing_part(self._state_memo, addresses.state_code, mail_state)
                    if got[1]:
                        problems.append(Problem(self.layout.header_of("MailingState"), mail_state, got[1], "keep"))
                    else:
                        state = got[0]
                if mail_zip:
                    got = self._zip_memo.get(mail_zip) or self._mailing_part(self._zip_memo, addresses.postal_code, mail_zip)
                    if got[1]:
                        problems.append(Problem(self.layout.header_of("MailingPostalCode"), mail_zip, got[1], "keep"))
                    else:
                        zip5 = got[0]
                if street[:1] == "," or street[-1:] == ",":  # already tidied: tidy again only where a comma was left at an end
                    street = addresses.tidy(street)
                mailing = _tuple_new(addresses.Address, (street, unit, self._place_memo.get(city) or self._tidy_place(city), state, zip5))
            except CellError as exc:
                problems.append(Problem(self.layout.header_of("MailingAddress"), raw, exc.reason, "keep"))
        elif mail_city or mail_state or mail_zip:  # mailing city/state/ZIP without a street line: kept, and enough for absentee
            m_state = (self._state_memo.get(mail_state) or self._mailing_part(self._state_memo, addresses.state_code, mail_state)
                       if mail_state else ("", ""))
            m_zip = (self._zip_memo.get(mail_zip) or self._mailing_part(self._zip_memo, addresses.postal_code, mail_zip)
                     if mail_zip else ("", ""))
            for field, text, got in (("MailingState", mail_state, m_state), ("MailingPostalCode", mail_zip, m_zip)):
                if got[1]:
                    problems.append(Problem(self.layout.header_of(field), text, got[1], "keep"))
            mailing = _tuple_new(addresses.Address, ("", "", self._place_memo.get(mail_city) or self._tidy_place(mail_city),
                                                     m_state[0], m_zip[0]))
        absentee = False
        if mailing is not None and not mailing.street:
            if mailing.postal_code and item.postal_code:
                absentee = mailing.postal_code != item.postal_code
            elif mailing.city and item.city:
                absentee = mailing.city.upper() != item.city.upper()
            if mailing.state and item.state and mailing.state != item.state:
                absentee = True
        elif mailing is not None:
            if mail_key is None:
                mail_key = addresses.street_key(mailing.street, mailing.unit)
            # the address key starts with the property's street key (which has no '|')
            same_street = mail_key == item.address_key.partition("|")[0]
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
        return _tuple_new(Details, (  # (owners, street, city, mailing, absentee, agent_name, agent_phone, extra)
            own,
            street_tidied or addresses.tidy(item.street),
            self._place_memo.get(item.city) or self._tidy_place(item.city),
            mailing,
            absentee,
            owners.tidy_name(agent) if agent else "",
            agent_phone,
            extra,
        ))


STATUS_WORDS = status.STANDARD_STATUSES


class _Reasons(dict[str, str]):
    """Status -> why it may not be contacted ('' for Expired and Canceled), worked out once per status."""

    def __missing__(self, st: str) -> str:
        return status.not_contactable_reason(st)


def _merge_row(*flags: Flag) -> Flag:
    return merge(flags)


def _merge_columns(cols: list[list[Flag]]) -> list[Flag]:
    """Several flag columns of one phone, row by row (most cells say nothing: those rows cost one comparison)."""
    if len(cols) == 2:
        return [b if a is NO_FLAG else a if b is NO_FLAG else merge((a, b)) for a, b in zip(cols[0], cols[1], strict=True)]
    return list(map(_merge_row, *cols))


def _stripped_cells(indexes: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """A function giving a row's cells at these indexes, stripped ('' for index -1), mostly at C speed."""
    present = [i for i in indexes if i >= 0]
    if len(present) < 2:
        return lambda row: tuple(row[i].strip() if i >= 0 else "" for i in indexes)
    take = itemgetter(*present)
    order = itemgetter(*[present.index(i) if i >= 0 else len(present) for i in indexes])
    return lambda row: order((*map(str.strip, take(row)), ""))


def _first_moment(cols: list[list[Any]], at: datetime, none: list[Any]) -> list[Any]:
    """Per row, the first of these expiry columns that has a moment, moved back to `at` when later."""
    if not cols:
        return none
    first = cols[0] if len(cols) == 1 else [next((v for v in vs if v is not None), None) for vs in zip(*cols, strict=True)]
    capped = {v: (v if v is None or v <= at else at) for v in set(first)}
    return list(map(capped.__getitem__, first))


def _plain_text(cell: str) -> str:
    return " ".join(cell.split())


def _street_parse(raw: str) -> tuple[str, str, str, str] | addresses.Address:
    """An address cell -> a full address (street, unit, city, state, zip), or for a bare street
    line what addresses.street_line gives (street, unit, street key, house number)."""
    if "," in raw or raw.rstrip()[-5:].isdigit():
        return addresses.parse_address(raw)
    return addresses.street_line(" ".join(raw.split()))

