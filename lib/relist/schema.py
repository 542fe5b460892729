"""The declared workbook schema: the single source for the template, readers, writers and docs.

Every product sheet is declared here once: its Excel Table (ListObject), its columns
(name, type, number format, width, validation list, help text) and its look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

SCHEMA_VERSION = 4
"""Bumped whenever a column or sheet is added; older workbooks are migrated in place (3: headers show labels; 4: the Settings sheet shows settings by label)."""

META_SHEET = "_Relist"
"""Very hidden sheet holding the schema version and product marker."""

PRODUCT_MARKER = "RelistWorkbook"
"""The `product` value on the meta sheet that makes a workbook a Relist workbook."""

ColumnType = Literal["text", "int", "float", "money", "pct", "date", "datetime", "time", "bool", "link"]

# Validation lists (also written to the hidden Lists sheet, one column each).
LEAD_STATUSES = (
    "New",
    "Working",
    "Nurture",
    "Appointment",
    "Listed",
    "Relisted",
    "Dead",
    "DNC",
    "Not contactable",
)
CHANNELS = ("call", "text", "letter", "door", "email")
OUTCOMES = (
    "no-answer",
    "voicemail",
    "bad-number",
    "wrong-person",
    "not-interested",
    "call-back",
    "appointment",
    "dnc-request",
    "sent",
    "replied",
    "opt-out",
    "no-one-home",
    "spoke",
    "hanger-left",
    "listed-with-me",
    "relisted-other",
)
YES_NO = ("Yes", "No")
PHONE_STATUSES = ("Active", "Verified", "Bad", "Retired", "Not owner")
QUEUE_SECTIONS = ("calls", "texts", "letters", "doors", "emails", "blocked", "overflow")

VALIDATION_LISTS: dict[str, tuple[str, ...]] = {
    "Status": LEAD_STATUSES,
    "Channel": CHANNELS,
    "Outcome": OUTCOMES,
    "YesNo": YES_NO,
    "PhoneStatus": PHONE_STATUSES,
}

FORMATS: dict[str, str] = {
    "text": "@",
    "int": "#,##0",
    "float": "0.00",
    "money": '"$"#,##0',
    "pct": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "time": "hh:mm",
    "bool": "General",
    "link": "General",
}


class LinkText(str):
    """A link cell's text with its own target (a text shows "Text Sofia", its link holds the encoded body)."""

    target: str

    def __new__(cls, text: str, target: str) -> LinkText:
        made = super().__new__(cls, text)
        made.target = target
        return made


@dataclass(frozen=True)
class Column:
    """One column of a product table."""

    name: str
    type: ColumnType = "text"
    width: float = 14.0
    help: str = ""
    validation: str | None = None  # key of VALIDATION_LISTS
    link: Literal["tel", "mailto", "sms", "file", "url"] | None = None
    wrap: bool = False
    """Long text wraps inside the cell (the row grows) instead of running under the next column."""
    label: str = ""
    """The header an agent reads ("Best phone"); blank when the name is already plain words (Today's columns)."""
    us_phone: bool = False
    """Kept as E.164 (+13055550100), shown as (305) 555-0100: the adapters write the one and read back the other."""

    @property
    def number_format(self) -> str:
        return FORMATS[self.type]

    @property
    def header(self) -> str:
        """The header cell's text (and the Excel table column's name)."""
        return self.label or self.name


@dataclass(frozen=True)
class Highlight:
    """Conditional formatting rule on a table: a formula over the first data row."""

    formula: str  # {Column} placeholders become $X2 (first data row, column absolute)
    fill: str  # RGB hex
    font: str = "000000"
    label: str = ""


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding exactly one product table starting at A1."""

    sheet: str
    table: str
    key: str | None
    columns: tuple[Column, ...]
    help: str
    tab_color: str = "1F4E78"
    highlights: tuple[Highlight, ...] = ()
    append_only: bool = False
    landscape: bool = True
    top: int = 1
    """Sheet row of the table's header (Today keeps its summary and legend above)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.table} has no column {name!r}")

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def fields(self, headers: Sequence[str]) -> list[str]:
        """The column names of a table's header cells, in order; a header no column owns is the user's column (kept as is).

        A header matches its column's name (what workbooks before version 3 showed), then its
        label, then either ignoring case, spaces and punctuation ("best phone", "Best_Phone");
        each column is matched once, so an agent's own column that happens to carry a label
        beside the old name stays the agent's.
        """
        names = {c.name: c.name for c in self.columns}
        labels = {c.header: c.name for c in self.columns}
        loose: dict[str, str] = {}
        for c in self.columns:
            loose.setdefault(_loose(c.header), c.name)
            loose.setdefault(_loose(c.name), c.name)
        out: list[str | None] = [None] * len(headers)
        taken: set[str] = set()
        for match in (names.get, labels.get, lambda h: loose.get(_loose(h))):
            for i, h in enumerate(headers):
                if out[i] is None:
                    f = match(h)
                    if f is not None and f not in taken:
                        out[i] = f
                        taken.add(f)
        return [f if f is not None else h for f, h in zip(out, headers, strict=True)]


def _loose(header: str) -> str:
    """A header as compared when not exact: letters and digits only, lower case."""
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def pointer(table_name: str, column: str) -> str:
    """Where an agent finds a column: "Leads > First name"."""
    spec = table(table_name)
    return f"{spec.sheet} > {spec.column(column).header}"


@dataclass(frozen=True)
class FreeSheet:
    """A sheet laid out by its own builder (Dashboard, ROI)."""

    sheet: str
    help: str
    tab_color: str = "548235"


C = Column

_DUE_RED = "FFC7CE"
_DUE_AMBER = "FFEB9C"
_FRESH_GREEN = "C6EFCE"

AS_OF_CELL = "R1"
"""Cell of the Today sheet holding the moment the queue was built (your time); Leads' colours count from it."""
AS_OF_NAME = "RelistAsOf"
"""Defined name: that moment, or the clock's while no queue was ever built."""
TODAY_HOWTO_CELL = "E2"
TODAY_HOWTO = "Every call: say first your name, your brokerage and why you are calling. Then pick an Outcome and click Log Touch."
"""Today's legend line (rewritten by every queue build): the opening each call starts with is said here once,
so each row shows only its talking point (RCW 80.36.390(3), R.I. Gen. Laws 5-61-3.3 and others ask for it)."""

INTERNAL_LEADS = ("AddressKey", "ParcelNumber", "Latitude", "Longitude", "PhotosCount", "RemarksLength", "Vendor", "FirstImportedAt", "UpdatedAt")
"""Leads columns an agent never acts on: grouped and collapsed at the sheet's right edge."""

LEADS = TableSheet(
    sheet="Leads",
    table="tblLeads",
    key="LeadId",
    help="One row per property owner: the listing, the owner, the phones, and where the sequence stands.",
    columns=(
        C("LeadId", width=10, help="Relist's own id for the lead; never reused.", label="Lead"),
        C("OwnerName", width=21, help="Owner 1 as printed on letters.", label="Owner"),
        C("BestPhone", "link", 17, link="tel", help="The phone to dial first (click to dial).", label="Best phone", us_phone=True),
        C("PropertyAddress", width=24, label="Address"),
        C("City", width=16),
        C("Status", width=12, validation="Status", help="Where the lead stands."),
        C("NextChannel", width=11, validation="Channel", help="Channel of the next step.", label="Next channel"),
        C("NextDue", "datetime", 17, help="When the next step is due (your time).", label="Next due"),
        C("TouchCount", "int", 10, help="Touches logged so far (undone touches excluded).", label="Touches"),
        C("LastOutcome", width=13, help="Outcome of the last touch.", label="Last outcome"),
        C("Outcome", width=14, validation="Outcome", help="Pick the outcome of the touch you just made, then Log Touch."),
        C("Notes", width=15),
        # The rest of the listing and the owner; Relist's own bookkeeping last, grouped and collapsed (INTERNAL_LEADS).
        C("NextStep", "int", 8, help="Number of the next step of the sequence.", label="Next step"),
        C("NextDueLeadLocal", width=20, help="The same moment in the owner's local time.", label="Next due (owner's time)"),
        C("LastTouchAt", "datetime", 17, help="When the last touch was logged (your time).", label="Last touch"),
        C("OwnerName2", width=20, help="Owner 2, when there are two.", label="Owner 2"),
        C("OwnerFirstName", width=12, help="First name used in greetings.", label="First name"),
        C("OwnerLastName", width=14, label="Last name"),
        C("EntityOwner", "bool", 8, validation="YesNo", help="Yes when the owner is an LLC, trust, estate or bank.", label="Company or trust"),
        C("Email", "link", 24, link="mailto"),
        C("Unit", width=6),
        C("State", width=6),
        C("PostalCode", width=8, label="ZIP"),
        C("MailingAddress", width=28, label="Mailing address"),
        C("MailingCity", width=14, label="Mailing city"),
        C("MailingState", width=6, label="Mailing state"),
        C("MailingPostalCode", width=8, label="Mailing ZIP"),
        C("Absentee", "bool", 8, validation="YesNo", help="Yes when the owner's mailing address differs from the property.", label="Absentee owner"),
        C("ListingId", width=12, help="MLS number of the latest listing cycle.", label="MLS number"),
        C("ListingStatus", width=11, help="RESO StandardStatus of the latest cycle.", label="Listing status"),
        C("Contactable", "bool", 8, validation="YesNo", help="No when the listing status may not be solicited.", label="May contact"),
        C("NotContactableReason", width=30, label="Why not contactable"),
        C("ExpiredAt", "datetime", 17, help="Expiration / status change (your time).", label="Expired"),
        C("SequenceStart", "date", 11, help="Day 0 of the sequence: expiry, or import if later.", label="Sequence start"),
        C("ListPrice", "money", 12, label="List price"),
        C("OriginalListPrice", "money", 12, label="Original price"),
        C("PriceHistory", width=20, help="date:price;date:price ... oldest first.", label="Price history"),
        C("DaysOnMarket", "int", 8, label="Days on market"),
        C("CumulativeDaysOnMarket", "int", 8, label="Total days on market"),
        C("ListingContractDate", "date", 11, label="Listed on"),
        C("BedroomsTotal", "int", 6, label="Beds"),
        C("BathroomsTotal", "float", 6, label="Baths"),
        C("LivingArea", "int", 8, label="Square feet"),
        C("LotSizeArea", "float", 9, label="Lot size"),
        C("YearBuilt", "int", 7, label="Year built"),
        C("PropertyType", width=14, label="Property type"),
        C("ListAgentName", width=18, label="Listing agent"),
        C("ListAgentPhone", width=14, label="Agent's phone"),
        C("ListOfficeName", width=18, label="Listing office"),
        C("Cycle", "int", 6, help="Listing cycle: 2 and up means the home expired again after a relist."),
        C("ReExpired", "bool", 8, validation="YesNo", label="Expired again"),
        C("AppointmentAt", "datetime", 17, label="Appointment"),
        C("CallBackAt", "datetime", 17, label="Call back"),
        C("Presentation", "link", 18, link="file", help="The listing presentation made for this lead."),
        C("ClosedAt", "datetime", 17, help="When a listing you took closed (your time); the Dashboard counts closings from it.", label="Closed"),
        C("Extra", width=30, help="Columns of the export Relist could not place, kept as name=value."),
        C("AddressKey", width=24, help="Normalised address used for matching.", label="Matching key"),
        C("ParcelNumber", width=14, label="Parcel number"),
        C("Latitude", "float", 9),
        C("Longitude", "float", 9),
        C("PhotosCount", "int", 7, label="Photos"),
        C("RemarksLength", "int", 7, label="Remarks length"),
        C("Vendor", width=12),
        C("FirstImportedAt", "datetime", 17, label="First imported"),
        C("UpdatedAt", "datetime", 17, label="Updated"),
    ),
    highlights=(
        # Relative to the moment of the last Today's Queue (AS_OF_NAME), not the clock: a workbook opened a week later keeps its colours.
        Highlight('AND({NextDue}<>"",INT({NextDue})<INT(RelistAsOf))', _DUE_RED, "9C0006", "overdue"),
        Highlight('AND({NextDue}<>"",INT({NextDue})=INT(RelistAsOf))', _DUE_AMBER, "9C5700", "due today"),
        Highlight('AND({ExpiredAt}<>"",{NextDue}<>"",RelistAsOf-{ExpiredAt}<=1,{TouchCount}=0)', _FRESH_GREEN, "006100", "inside the 24-hour window"),
    ),
)

PHONES = TableSheet(
    sheet="Phones",
    table="tblPhones",
    key="PhoneId",
    help="Every phone number of every owner, in the vendor's order, with its DNC flag.",
    tab_color="2F5597",
    columns=(
        C("PhoneId", width=12, label="Phone id"),
        C("LeadId", width=10, label="Lead"),
        C("Position", "int", 8, help="1 = the vendor's first phone.", label="Order"),
        C("Phone", "link", 17, link="tel", help="The number (click to dial); type it any US way, e.g. (305) 555-0100.", us_phone=True),
        C("Display", width=16, label="Written as"),
        C("Extension", width=10),
        C("VendorDNC", "bool", 9, validation="YesNo", help="The vendor flagged this number as on a DNC list.", label="Vendor DNC"),
        C("PhoneStatus", width=10, validation="PhoneStatus", help="Bad and Retired numbers are never dialled; nor is a Not owner number (a resident or relative the vendor found).", label="Status"),
        C("Kind", width=9, help="mobile, landline, voip, unknown"),
        C("AddedAt", "datetime", 17, label="Added"),
        C("Litigator", "bool", 9, validation="YesNo",
          help="The vendor flagged this number's owner as a telemarketing litigator: not called or texted (Settings > Call litigator-flagged numbers)."),
    ),
)

TOUCHES = TableSheet(
    sheet="Touches",
    table="tblTouches",
    key="TouchId",
    append_only=True,
    help="Append-only log of every touch; an undo is a new row pointing at the touch it undoes.",
    tab_color="7030A0",
    columns=(
        C("TouchId", width=11, label="Touch"),
        C("LeadId", width=10, label="Lead"),
        C("At", "datetime", 17, help="When the touch happened (your time).", label="When"),
        C("AtUtc", width=23, help="The same instant in UTC (ISO 8601).", label="When (UTC)"),
        C("Channel", width=9, validation="Channel"),
        C("Step", "int", 6),
        C("Outcome", width=15, validation="Outcome"),
        C("Phone", width=15, help="Number called or texted.", us_phone=True),
        C("Note", width=30),
        C("DurationSec", "int", 9, label="Seconds"),
        C("Who", width=14, help="Who placed the call or sent the message."),
        C("Subject", width=22, help="What the touch was about (record keeping)."),
        C("FollowUpAt", "datetime", 17, help="Call-back or appointment moment (your time).", label="Follow up"),
        C("UndoOf", width=11, help="Which touch this row undoes (its number in the Touch column).", label="Undoes"),
        C("LoggedAt", "datetime", 17, label="Logged"),
    ),
)

SEQUENCE = TableSheet(
    sheet="Sequence",
    table="tblSequence",
    key="Step",
    help="The touch plan. Edit freely: a bad row is refused by name and the old plan stays in force.",
    tab_color="C55A11",
    landscape=False,
    columns=(
        C("Step", "int", 6),
        C("Channel", width=9, validation="Channel"),
        C("DayOffset", "int", 9, help="Days after the sequence starts.", label="Day"),
        C("TimeOfDay", "time", 9, help="Preferred time, owner's local time.", label="Time"),
        C("RepeatEveryDays", "int", 10, help="Nurture steps only: repeat every N days.", label="Repeat every (days)"),
        C("Template", width=18, help="Message template name (texts, letters, emails)."),
        C("Name", width=26),
        C("TalkingPoint", width=50, help="What to say or send at this step.", label="Talking point"),
    ),
)

SETTINGS = TableSheet(
    sheet="Settings",
    table="tblSettings",
    key="Setting",
    help="Who you are and how you work. Relist reads these on every run.",
    tab_color="404040",
    landscape=False,
    columns=(
        C("Setting", width=28),
        C("Value", width=40),
        C("Help", width=70),
    ),
    highlights=(Highlight('AND({Value}="",LEFT({Help},8)="Required")', _DUE_AMBER, "9C5700", "required and still empty: fill it in"),),
)

DNC = TableSheet(
    sheet="DNC",
    table="tblDNC",
    key="DncId",
    append_only=True,
    help="Internal do-not-call list. Kept at least 5 years; removals are logged, never silent.",
    tab_color="C00000",
    columns=(
        C("DncId", width=12, label="Entry"),
        C("Phone", width=15, help="The number not to call or text; type it any US way, e.g. (305) 555-0100 (blank for an email-only entry).", us_phone=True),
        C("Email", width=24),
        C("LeadId", width=10, label="Lead"),
        C("Channel", width=9, validation="Channel", help="Channel the request came by."),
        C("Source", width=18, help="Call outcome, text reply, email unsubscribe, door note, manual."),
        C("Reason", width=30),
        C("AddedAt", "datetime", 17, label="Added"),
        C("RemovedAt", "datetime", 17, label="Removed"),
        C("RemovedReason", width=30, label="Why removed"),
        C("KeepUntil", "date", 11, help="At least 5 years after the request.", label="Keep until"),
    ),
    # A lifted entry stays (the record is kept) but must not read as still in force.
    highlights=(Highlight('{RemovedAt}<>""', "EDEDED", "808080", "removed: no longer blocks the number"),),
)

IMPORTS = TableSheet(
    sheet="Imports",
    table="tblImports",
    key="ImportId",
    append_only=True,
    help="One row per import: file, vendor, and where every row went.",
    tab_color="806000",
    columns=(
        C("ImportId", width=10, label="Import"),
        C("At", "datetime", 17, label="When"),
        C("Kind", width=9, help="expired, active, comps"),
        C("Files", width=40),
        C("Vendor", width=12),
        C("Read", "int", 7),
        C("Added", "int", 7),
        C("Updated", "int", 8),
        C("Duplicates", "int", 10),
        C("NotContactable", "int", 13, label="Not contactable"),
        C("Relisted", "int", 8),
        C("Rejected", "int", 8),
    ),
)

REJECTS = TableSheet(
    sheet="Rejects",
    table="tblRejects",
    key=None,
    append_only=True,
    help="Input rows Relist could not use, with the reason. Fix the file and import again.",
    tab_color="806000",
    columns=(
        C("ImportId", width=10, label="Import"),
        C("File", width=30),
        C("Row", "int", 6),
        C("Column", width=18),
        C("Value", width=24),
        C("Reason", width=50),
    ),
)

MAPPINGS = TableSheet(
    sheet="Mappings",
    table="tblMappings",
    key=None,
    help="Saved column mappings per vendor (from relist import --map).",
    tab_color="806000",
    landscape=False,
    columns=(
        C("Vendor", width=14),
        C("Header", width=28, help="The column header as it appears in the export."),
        C("Field", width=28, help="The RESO field it means."),
    ),
)

COMPS = TableSheet(
    sheet="Comps",
    table="tblComps",
    key="CompId",
    help="Sold listings used as comparables for listing presentations.",
    tab_color="375623",
    columns=(
        C("CompId", width=10, label="Comp"),
        C("ListingId", width=12, label="MLS number"),
        C("PropertyAddress", width=28, label="Address"),
        C("City", width=14),
        C("State", width=6),
        C("PostalCode", width=8, label="ZIP"),
        C("AddressKey", width=24, label="Matching key"),
        C("ClosePrice", "money", 12, label="Sold price"),
        C("CloseDate", "date", 11, label="Sold on"),
        C("ListPrice", "money", 12, label="List price"),
        C("OriginalListPrice", "money", 12, label="Original price"),
        C("LivingArea", "int", 8, label="Square feet"),
        C("BedroomsTotal", "int", 6, label="Beds"),
        C("BathroomsTotal", "float", 6, label="Baths"),
        C("YearBuilt", "int", 7, label="Year built"),
        C("LotSizeArea", "float", 9, label="Lot size"),
        C("DaysOnMarket", "int", 8, label="Days on market"),
        C("Latitude", "float", 9),
        C("Longitude", "float", 9),
        C("ImportedAt", "datetime", 17, label="Imported"),
        C("PropertyType", width=14, help="Comps of another type (condo, townhouse, land) are not compared with a house.", label="Property type"),
    ),
)

SCRUBS = TableSheet(
    sheet="Scrubs",
    table="tblScrubs",
    key=None,
    append_only=True,
    help="Record of every DNC scrub and registry load (kept 5 years).",
    tab_color="C00000",
    columns=(
        C("At", "datetime", 17, label="When"),
        C("Event", width=14, help="scrub, registry-load, dnc-add, dnc-remove"),
        C("RegistryDate", "date", 12, label="Registry date"),
        C("Checked", "int", 9),
        C("Blocked", "int", 9),
        C("Detail", width=60),
    ),
)

TODAY = TableSheet(
    sheet="Today",
    table="tblToday",
    key=None,
    help="Today's work, rebuilt by Today's Queue: calls first, then texts, letters, doors, emails; what was skipped and why.",
    tab_color="00B050",
    top=3,
    columns=(
        # What an agent acts on, left to right, all on a 1,366-px screen (see tests/unit/test_today_layout.py).
        C("Section", width=9, help="calls, texts, letters, doors, emails; blocked = skipped today (the reason is in What to do); overflow = over your daily call limit."),
        C("Owner", width=18, help="The owner to ask for.", wrap=True),
        C("Phone", "link", 15, link="tel", help="Click to dial."),
        C("Address", width=24, help="The property (for letters: where to mail).", wrap=True),
        C("What to do", width=42, help="The step and its talking point, the text to send, what to print, or why the lead is skipped today.", wrap=True),
        C("Owner's hours", width=14, help="When you may still call or text today, in the owner's time zone."),
        C("Your hours", width=11, help="The same hours in your time zone."),
        C("First day", width=9, help="Fresh expireds: hours left of the first day after expiry, when a first call matters most."),
        C("Send", "link", 7, link="url", help="Opens the text (or email) ready to send."),
        C("Outcome", width=13, validation="Outcome", help="Pick the outcome, then Log Touch."),
        C("Note", width=11, help="Anything to remember; saved with the touch."),
        # Bookkeeping, right of the first screen.
        C("Rank", "int", 6, help="Order within the section."),
        C("Channel", width=8, help="call, text, letter, door or email."),
        C("Step", "int", 6, help="Step of your sequence."),
        C("Touches", "int", 8, help="Touches logged so far."),
        C("Hours since expiry", "int", 11, help="Hours since the listing expired."),
        C("Closes", "datetime", 17, help="When today's calling hours end (your time)."),
        C("LeadId", width=16, help="Relist's id for the lead.", label="Lead"),  # R1 above it holds the queue's moment, 2026-11-25 09:15
    ),
    highlights=(
        Highlight('AND({Section}="calls",{First day}<>"")', _FRESH_GREEN, "006100", "first day after expiry: call first"),
        Highlight('{Section}="blocked"', _DUE_RED, "9C0006", "skipped today: the reason is in What to do"),
        Highlight('{Section}="overflow"', _DUE_AMBER, "9C5700", "over your daily call limit"),
    ),
)

DASHBOARD = FreeSheet("Dashboard", "Your funnel from your own touch log, refreshed by Refresh Dashboard.")
ROI = FreeSheet("ROI", "What expireds are worth to you: change the yellow cells.")
LISTS = FreeSheet("Lists", "Validation lists (hidden).", tab_color="808080")

TABLE_SHEETS: tuple[TableSheet, ...] = (
    TODAY,
    LEADS,
    PHONES,
    TOUCHES,
    SEQUENCE,
    SETTINGS,
    DNC,
    IMPORTS,
    REJECTS,
    MAPPINGS,
    COMPS,
    SCRUBS,
)
FREE_SHEETS: tuple[FreeSheet, ...] = (DASHBOARD, ROI, LISTS)

SHEET_ORDER: tuple[str, ...] = (
    "Today",
    "Leads",
    "Touches",
    "Sequence",
    "Dashboard",
    "ROI",
    "Settings",
    "DNC",
    "Phones",
    "Imports",
    "Rejects",
    "Mappings",
    "Comps",
    "Scrubs",
    "Lists",
)

_BY_TABLE = {t.table: t for t in TABLE_SHEETS}
_BY_SHEET = {t.sheet: t for t in TABLE_SHEETS}


def table(name: str) -> TableSheet:
    """The declared table by table name (tblLeads) or sheet name (Leads)."""
    found = _BY_TABLE.get(name) or _BY_SHEET.get(name)
    if found is None:
        raise KeyError(f"no product table {name!r}")
    return found


@dataclass(frozen=True)
class SettingSpec:
    """One row of the Settings table."""

    name: str
    default: str
    help: str
    required: bool = False
    label: str = ""
    """What the Setting column shows (plain words); the name is what Relist's code and older workbooks use."""

    @property
    def shown(self) -> str:
        return self.label or self.name


SETTINGS_ROWS: tuple[SettingSpec, ...] = (
    SettingSpec("AgentName", "", "Required: your name as it should appear on letters, texts and emails.", True, label="Your name"),
    SettingSpec("Brokerage", "", "Required: your brokerage's name as licensed; it goes on every letter, text and email (license law).", True, label="Brokerage"),
    SettingSpec("LicenseNumber", "", "Required for letters, emails and door hangers: your real-estate license number.", True, label="License number"),
    SettingSpec("PostalAddress", "", "Required for letters and emails: your office's postal address (CAN-SPAM; the letters' return address).", True, label="Postal address"),
    SettingSpec("Phone", "", "Required for letters and door hangers: the number you call from; it must take do-not-call requests.", True, label="Phone"),
    SettingSpec("Email", "", "Required for emails: the address they are sent from.", True, label="Email"),
    SettingSpec("Website", "", "Optional, printed on letters and slides.", label="Website"),
    SettingSpec("WorkStart", "09:00", "Your working day starts (your time).", label="Work starts"),
    SettingSpec("WorkEnd", "18:00", "Your working day ends (your time).", label="Work ends"),
    SettingSpec("WorkDays", "Mon,Tue,Wed,Thu,Fri,Sat", "Days you prospect.", label="Work days"),
    SettingSpec("DailyDialCapacity", "80", "Most calls you will make in a day; the rest shows as overflow.", label="Calls per day"),
    SettingSpec("TimeZone", "America/New_York", "Your time zone (IANA name, e.g. America/Chicago).", label="Time zone"),
    SettingSpec("DateOrder", "MDY", "How to read an ambiguous date like 03/04/2026: MDY (US) or DMY.", label="Date order"),
    SettingSpec("Backups", "5", "How many backup copies of this workbook to keep.", label="Backups"),
    SettingSpec("CallerName", "", "Who places the calls, if not you (record keeping).", label="Caller's name"),
    SettingSpec("AllowLitigatorCalls", "No", "Yes lets Relist call and text numbers a vendor flags as a known telemarketing litigator (default No: they are blocked).", label="Call litigator-flagged numbers"),
    SettingSpec("SmtpHost", "", "Outgoing mail server; blank writes .eml drafts instead.", label="Mail server"),
    SettingSpec("SmtpPort", "587", "587 for STARTTLS, 465 for TLS.", label="Mail server port"),
    SettingSpec("SmtpSecurity", "starttls", "starttls, tls or none.", label="Mail security"),
    SettingSpec("SmtpUser", "", "Mail login; the password comes from the OS keyring or RELIST_SMTP_PASSWORD, never this sheet.", label="Mail login"),
    SettingSpec("LogoPath", "", "Optional logo image for letters and slides.", label="Logo file"),
    SettingSpec("MarketingPlan", "Professional photos and a 3D tour; a price set from the new comp set; a rewritten description; targeted buyer-agent outreach; weekly feedback reports.", "Your marketing plan, one item per ';'. Used in emails and presentations.", label="Marketing plan"),
    SettingSpec("CompMonths", "6", "Comps: closed within this many months.", label="Comps: months back"),
    SettingSpec("CompCount", "6", "Comps: how many to show.", label="Comps: how many"),
    SettingSpec("RecordsCalls", "No", "Yes if you record your calls: some states need every party's consent first.", label="You record calls"),
    SettingSpec("StateEmergencies", "", "Declared states of emergency that ban solicitation, e.g. 'LA 2026-08-25..2026-09-24' (open end: 'LA 2026-08-25..').", label="States of emergency"),
    SettingSpec("Registrations", "", "Telemarketing registrations you hold, e.g. 'TX 2026-01-15; RI exempt: ...' (see relist check --setup).", label="Registrations"),
)

def _setting_names() -> dict[str, str]:
    """Every accepted spelling of a setting -> its name: the name, the label, and either one loosely (as headers)."""
    out: dict[str, str] = {}
    for s in SETTINGS_ROWS:
        out.setdefault(_loose(s.name), s.name)
        out.setdefault(_loose(s.shown), s.name)
    return out


_SETTING_NAMES = _setting_names()
_SETTING_LABELS = {s.name: s.shown for s in SETTINGS_ROWS}


def setting_name(text: str) -> str:
    """The setting a Setting cell means: 'Your name', 'AgentName', 'your name ' -> 'AgentName'; other text as is."""
    t = str(text).strip()
    return _SETTING_NAMES.get(_loose(t), t) if t else t


def setting_label(name: str) -> str:
    """What the Setting column shows for a setting name ('AgentName' -> 'Your name')."""
    return _SETTING_LABELS.get(name, name)


def setting_pointer(*names: str) -> str:
    """Where an agent finds settings: 'Settings > Your name, Brokerage'."""
    return "Settings > " + ", ".join(setting_label(n) for n in names)


__all__ = [
    "SCHEMA_VERSION",
    "Column",
    "TableSheet",
    "FreeSheet",
    "table",
    "TABLE_SHEETS",
    "FREE_SHEETS",
    "SHEET_ORDER",
    "SETTINGS_ROWS",
    "VALIDATION_LISTS",
]
