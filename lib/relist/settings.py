"""The Settings sheet as a typed object."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from relist import schema
from relist.clock import zone
from relist.errors import BadInput, IdentityMissing

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _time(name: str, value: str) -> time:
    try:
        return time.fromisoformat(value.strip()[:5].zfill(5))
    except ValueError as exc:
        raise BadInput(f"{schema.setting_pointer(name)} is {value!r}, not a time.", "Write it as HH:MM, e.g. 09:00.") from exc


def _int(name: str, value: str, low: int = 0) -> int:
    try:
        n = int(float(value))
    except ValueError as exc:
        raise BadInput(f"{schema.setting_pointer(name)} is {value!r}, not a number.", "Write a whole number.") from exc
    if n < low:
        raise BadInput(f"{schema.setting_pointer(name)} is {n}; it must be at least {low}.", "Fix it on the Settings sheet.")
    return n


def _yes(name: str, value: str) -> bool:
    v = value.strip().lower()
    if v in ("", "no", "n", "false", "0"):
        return False
    if v in ("yes", "y", "true", "1"):
        return True
    raise BadInput(f"{schema.setting_pointer(name)} is {value!r}.", "Write Yes or No.")


@dataclass(frozen=True)
class Settings:
    """Who the agent is and how they work."""

    agent_name: str = ""
    brokerage: str = ""
    license_number: str = ""
    postal_address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    daily_dial_capacity: int = 80
    time_zone: str = "America/New_York"
    date_order: str = "MDY"
    backups: int = 5
    caller_name: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    logo_path: str = ""
    marketing_plan: tuple[str, ...] = ()
    comp_months: int = 6
    comp_count: int = 6
    allow_litigator_calls: bool = False
    records_calls: bool = False
    emergencies: tuple[tuple[str, date, date | None], ...] = ()
    """Declared states of emergency: (state, first day, last day or None while in force)."""
    registrations: Mapping[str, str] = field(default_factory=dict)
    """State -> what the agent recorded about registering there ('2026-01-15', 'exempt: ...')."""
    raw: Mapping[str, str] = field(default_factory=dict)
    rows: frozenset[str] | None = None
    """The settings the sheet has a row for (None: not read from a sheet, e.g. built in code)."""

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.time_zone)

    @property
    def who(self) -> str:
        return self.caller_name or self.agent_name

    def require(self, *names: str) -> None:
        """Refuse when a setting needed for the job is blank (e.g. Brokerage on a letter)."""
        missing = [n for n in names if not str(self.raw.get(n, "")).strip()]
        if missing:
            raise BadInput(
                f"{schema.setting_pointer(*missing)} {'is' if len(missing) == 1 else 'are'} blank.",
                "Fill them in on the Settings sheet; they are required here by law or by the document.",
            )


def _state_entries(name: str, text: str) -> list[tuple[str, str]]:
    """'TX 2026-01-15; RI exempt' -> [('TX', '2026-01-15'), ('RI', 'exempt')]; a bad state is refused."""
    out: list[tuple[str, str]] = []
    for part in text.replace("\n", ";").split(";"):
        p = part.strip()
        if not p:
            continue
        code, _, rest = p.partition(" ")
        code = code.strip(":,").upper()
        if len(code) != 2 or not code.isalpha():
            raise BadInput(f"{schema.setting_pointer(name)} has {p!r}: it does not start with a 2-letter state code.",
                           "Write entries like 'LA 2026-08-25..2026-09-24', one per ';'.")
        out.append((code, rest.strip()))
    return out


def _emergencies(text: str) -> tuple[tuple[str, date, date | None], ...]:
    """'LA 2026-08-25..2026-09-24; LA 2027-06-01..' (open end: still in force)."""
    out: list[tuple[str, date, date | None]] = []
    for code, rest in _state_entries("StateEmergencies", text):
        first, _, last = rest.partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last.strip() else None
        except ValueError as exc:
            raise BadInput(f"Settings > States of emergency has {code} {rest!r}, not FIRST..LAST dates.",
                           "Write 'LA 2026-08-25..2026-09-24', or 'LA 2026-08-25..' while it is in force.") from exc
        if end is not None and end < start:
            raise BadInput(f"Settings > States of emergency: {code} ends {end} before it starts {start}.", "Swap the two dates.")
        out.append((code, start, end))
    return tuple(out)


def defaults() -> dict[str, str]:
    return {s.name: s.default for s in schema.SETTINGS_ROWS}


def from_pairs(pairs: Iterable[tuple[str, Any]], *, sheet: bool = False) -> Settings:
    """Settings from (name, value) pairs; unknown names are kept in `raw`; blanks take defaults
    (identity settings have none: they stay blank and `require_identity` refuses them).
    `sheet`: the pairs are the whole Settings sheet, so a setting without a pair has no row (`rows`)."""
    raw = defaults()
    rows: set[str] = set()
    for name, value in pairs:
        if not name:
            continue
        rows.add(schema.setting_name(str(name)))
        text = "" if value is None else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if hasattr(value, "strftime") and not isinstance(value, str):
            text = value.strftime("%H:%M")
        raw[schema.setting_name(str(name))] = text.strip()
    days: list[int] = []
    for part in raw["WorkDays"].replace(";", ",").split(","):
        p = part.strip()[:3].title()
        if not p:
            continue
        if p not in _DAYS:
            raise BadInput(f"Settings > Work days has {part.strip()!r}.", "Use Mon,Tue,Wed,Thu,Fri,Sat,Sun.")
        days.append(_DAYS.index(p))
    order = raw["DateOrder"].upper() or "MDY"
    if order not in ("MDY", "DMY"):
        raise BadInput(f"Settings > Date order is {order!r}.", "Use MDY (US) or DMY.")
    security = (raw["SmtpSecurity"] or "starttls").lower()
    if security not in ("starttls", "tls", "none"):
        raise BadInput(f"Settings > Mail security is {security!r}.", "Use starttls, tls or none.")
    s = Settings(
        agent_name=raw["AgentName"],
        brokerage=raw["Brokerage"],
        license_number=raw["LicenseNumber"],
        postal_address=raw["PostalAddress"],
        phone=raw["Phone"],
        email=raw["Email"],
        website=raw["Website"],
        work_start=_time("WorkStart", raw["WorkStart"] or "09:00"),
        work_end=_time("WorkEnd", raw["WorkEnd"] or "18:00"),
        work_days=tuple(days) or (0, 1, 2, 3, 4, 5),
        daily_dial_capacity=_int("DailyDialCapacity", raw["DailyDialCapacity"] or "80"),
        time_zone=raw["TimeZone"] or "America/New_York",
        date_order=order,
        backups=_int("Backups", raw["Backups"] or "5"),
        caller_name=raw["CallerName"],
        smtp_host=raw["SmtpHost"],
        smtp_port=_int("SmtpPort", raw["SmtpPort"] or "587", 1),
        smtp_security=security,
        smtp_user=raw["SmtpUser"],
        logo_path=raw["LogoPath"],
        marketing_plan=tuple(p.strip() for p in raw["MarketingPlan"].split(";") if p.strip()),
        comp_months=_int("CompMonths", raw["CompMonths"] or "6", 1),
        comp_count=_int("CompCount", raw["CompCount"] or "6", 1),
        allow_litigator_calls=_yes("AllowLitigatorCalls", raw.get("AllowLitigatorCalls", "")),
        records_calls=_yes("RecordsCalls", raw.get("RecordsCalls", "")),
        emergencies=_emergencies(raw.get("StateEmergencies", "")),
        registrations=dict(_state_entries("Registrations", raw.get("Registrations", ""))),
        raw=raw,
        rows=frozenset(rows) if sheet else None,
    )
    zone(s.time_zone)
    return s


def from_records(records: Iterable[Mapping[str, Any]]) -> Settings:
    """Settings from the Settings sheet's rows (Setting, Value)."""
    return from_pairs(((str(r.get("Setting") or ""), r.get("Value")) for r in records), sheet=True)


def load(book: Any) -> Settings:
    """Settings read through a workbook port."""
    return from_records(book.read_records("tblSettings", ["Setting", "Value"]))


# ---------------------------------------------------------------- who the agent is

IDENTITY: tuple[str, ...] = ("AgentName", "Brokerage", "LicenseNumber", "Phone", "PostalAddress", "Email")
"""The settings that say who sends: printed or said on every letter, text, email, hanger and slide."""

NEEDS: dict[str, tuple[str, ...]] = {
    "today": ("AgentName", "Brokerage"),  # its texts are signed with both; a call opens with who calls and for whom
    "texts": ("AgentName", "Brokerage"),
    "letters": ("AgentName", "Brokerage", "LicenseNumber", "Phone", "PostalAddress"),  # opt-out line, return address
    "door hangers": ("AgentName", "Brokerage", "LicenseNumber", "Phone"),
    "marketing plan": ("AgentName", "Brokerage", "LicenseNumber", "Phone"),
    "emails": IDENTITY,  # CAN-SPAM postal address, the From address, and the marketing plan attached
    "presentation": ("AgentName", "Brokerage"),
}
"""What each outbound job needs filled in, besides no sample value anywhere in IDENTITY."""

FILL_IN: dict[str, str] = {
    "AgentName": "type your name as it should appear on letters, texts and emails",
    "Brokerage": "type your brokerage's name as licensed; it goes on every letter, text and email",
    "LicenseNumber": "type your real-estate license number; letters, emails and door hangers print it",
    "Phone": "type the number you call from; owners use it to ask you to stop",
    "PostalAddress": "type your office's postal address; every email and letter carries it",
    "Email": "type the address your emails are sent from",
}

SAMPLE_IDENTITY: dict[str, str] = {
    "AgentName": "Alex Morgan",
    "Brokerage": "Harbor Realty Group",
    "LicenseNumber": "SL3456789",
    "Phone": "+1 813-555-0100",
    "PostalAddress": "100 Main St, Suite 200, Tampa, FL 33602",
    "Email": "alex@example.com",
}
"""The fictional agent of the demo, which new workbooks of Relist before 0.x also held as their defaults."""

_FIELD = {"AgentName": "agent_name", "Brokerage": "brokerage", "LicenseNumber": "license_number", "Phone": "phone",
          "PostalAddress": "postal_address", "Email": "email"}


def identity_value(s: Settings, name: str) -> str:
    """An identity setting's value as the outputs will print it."""
    return str(getattr(s, _FIELD[name])).strip()


_FICTIONAL = ("Phone", "Email")
"""Sample values no real agent can hold (a 555-01xx number, an example.com address): the sample wherever they appear."""

DEMO_CELLS = ("A11", "B11")
"""Hidden meta-sheet cells `relist demo` writes ('demo', 'sample agent'): the one workbook where the sample agent may send."""
DEMO_MARK = ("demo", "sample agent")


def _same(name: str, value: str, sample: str) -> bool:
    if name == "Phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits[-10:] == "8135550100"
    return " ".join(value.casefold().split()) == " ".join(sample.casefold().split())


def sample_values(s: Settings) -> list[str]:
    """The identity settings still holding the sample agent: each one equal to its sample value, when
    two or more are (or a fictional one is); one coincidence (a real Alex Morgan) is not the sample."""
    same = [n for n in IDENTITY if _same(n, identity_value(s, n), SAMPLE_IDENTITY[n])]
    if len(same) >= 2 or any(n in _FICTIONAL for n in same):
        return same
    return []


def is_demo(book: Any) -> bool:
    """True for a workbook `relist demo` made (its hidden mark); False for any other, or when it cannot be read."""
    from relist.errors import RelistError

    try:
        cells = book.read_cells(schema.META_SHEET, list(DEMO_CELLS))
    except (KeyError, ValueError, RelistError, AttributeError):
        return False
    return (cells.get(DEMO_CELLS[0]), cells.get(DEMO_CELLS[1])) == DEMO_MARK


def mark_demo(book: Any) -> None:
    """Mark the demo's workbook as the demo (only `relist demo` does this); the caller saves."""
    book.write_cells(schema.META_SHEET, dict(zip(DEMO_CELLS, DEMO_MARK, strict=True)))


def identity_problems(s: Settings, purpose: str = "", *, demo: bool = False) -> list[tuple[str, str]]:
    """(setting, what is wrong) for each identity setting the job cannot go out with, in sheet order:
    'no row' (renamed or deleted), 'empty', 'sample'. `purpose`: a key of NEEDS ('' = every identity setting)."""
    needed = NEEDS[purpose] if purpose else IDENTITY
    samples = set(sample_values(s))
    if demo and samples == set(IDENTITY):  # the demo's own workbook, its sample agent intact
        samples = set()
    out: list[tuple[str, str]] = []
    for name in IDENTITY:
        value = identity_value(s, name)
        if s.rows is not None and name not in s.rows and (name in needed or value):
            out.append((name, "no row"))
        elif name in samples:
            out.append((name, "sample"))
        elif name in needed and not value:
            out.append((name, "empty"))
    return out


def _renamed_rows(s: Settings) -> list[str]:
    """Setting cells Relist does not know (a label the agent changed, e.g. 'Name' for 'Your name')."""
    known = {x.name for x in schema.SETTINGS_ROWS}
    return [n for n in (s.rows or ()) if n not in known]


def identity_sentence(s: Settings, problems: list[tuple[str, str]]) -> tuple[str, str]:
    """The refusal for the first problem, (message, hint), naming the setting as the sheet shows it."""
    name, what = problems[0]
    label = schema.setting_label(name)
    others = [schema.setting_label(n) for n, _ in problems[1:]]
    also = f" (also to fix: {', '.join(others)})" if others else ""
    if what == "no row":
        strays = sorted(_renamed_rows(s))
        guess = f" ({', '.join(repr(x) for x in strays)} is not a setting Relist knows: renamed?)" if strays else ""
        return (f"The Settings sheet has no {label!r} row{guess}{also}:",
                f"type {label!r} back in its Setting cell (or restore a backup), with your value beside it, then run this again.")
    if what == "sample":
        value = identity_value(s, name)
        return (f"Settings > {label} is {value!r}, the sample from a new workbook, not yours{also}:",
                f"{FILL_IN[name]}, then run this again.")
    return f"Settings > {label} is empty{also}:", f"{FILL_IN[name]}, then run this again."


def identity_refusal(s: Settings, purpose: str, book: Any = None) -> IdentityMissing | None:
    """The refusal `require_identity` raises, or None (for a front that says it before the agent asks)."""
    problems = identity_problems(s, purpose)
    if problems and book is not None and any(w == "sample" for _, w in problems) and is_demo(book):
        problems = identity_problems(s, purpose, demo=True)
    return IdentityMissing(*identity_sentence(s, problems)) if problems else None


def require_identity(s: Settings, purpose: str, book: Any = None) -> None:
    """Refuse (IdentityMissing, before anything is written or sent) an outbound job whose sender is not
    filled in: a needed identity setting empty or its row gone, or any identity setting still the sample
    agent (allowed only in the demo's own workbook, `book` marked by `mark_demo`)."""
    refusal = identity_refusal(s, purpose, book)
    if refusal is not None:
        raise refusal


def write_identity(book: Any, values: Mapping[str, str]) -> None:
    """Set identity (or other) settings by name on the Settings sheet, adding a row a setting lacks; the caller saves."""
    records = book.read_records("tblSettings")
    left = dict(values)
    for r in records:
        name = schema.setting_name(str(r.get("Setting") or ""))
        if name in left:
            r["Value"] = left.pop(name)
    helps = {s.name: s.help for s in schema.SETTINGS_ROWS}
    records += [{"Setting": schema.setting_label(n), "Value": v, "Help": helps.get(n)} for n, v in left.items()]
    book.replace_rows("tblSettings", records)
