"""The Settings sheet as a typed object."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from relist import schema
from relist.clock import zone
from relist.errors import BadInput

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


def from_pairs(pairs: Iterable[tuple[str, Any]]) -> Settings:
    """Settings from (name, value) pairs; unknown names are kept in `raw`; blanks take defaults."""
    raw = defaults()
    for name, value in pairs:
        if not name:
            continue
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
    )
    zone(s.time_zone)
    return s


def from_records(records: Iterable[Mapping[str, Any]]) -> Settings:
    return from_pairs((str(r.get("Setting") or ""), r.get("Value")) for r in records)


def load(book: Any) -> Settings:
    """Settings read through a workbook port."""
    return from_records(book.read_records("tblSettings", ["Setting", "Value"]))
