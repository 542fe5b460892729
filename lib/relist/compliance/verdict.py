"""The single gate: may this lead be contacted on this channel at this moment, and why (or why not).

`evaluate` checks every rule and returns a Verdict holding one Reason per rule, each with its
source; nothing schedules, exports, merges or sends without asking it. `next_allowed` finds the
earliest moment it would say yes. `load_context` gathers what the rules need from a workbook.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from relist.bulk import paused_gc
from relist.compliance.numbers import area_code, try_e164
from relist.compliance.registry import Registry
from relist.compliance.rules import RuleBook, default_rules, load_rules
from relist.compliance.windows import (
    UTC,
    Constraint,
    Interval,
    allowed_intervals,
    door_constraint,
    federal,
    is_open,
    state_constraints,
)
from relist.compliance.zones import Place, phone_place, state_code, zip_place
from relist.model import (
    CLOSED_LEAD_STATUSES,
    CONTACTABLE_STATUSES,
    Channel,
    Lead,
    Phone,
    Reason,
    Verdict,
)
from relist.settings import Settings

if TYPE_CHECKING:
    from relist.workbook.port import WorkbookPort

PHONE_CHANNELS = ("call", "text")
SRC_WINDOW = "47 CFR 64.1200(c)(1) [src]"
SRC_REGISTRY = "47 CFR 64.1200(c)(2); texts since 2024-03-26 (FCC 23-107) [src]"
SRC_INTERNAL = "47 CFR 64.1200(d): company-specific do-not-call list, kept 5 years [2nd]"
SRC_OPT_OUT = "FCC 2024 order: STOP/QUIT/END/REVOKE/OPT OUT/CANCEL/UNSUBSCRIBE revoke [src]"
SRC_SOP = "NAR Standard of Practice 16-4 (compliance.md Real-estate rules)"
SRC_TEXT = "TCPA: manual one-by-one texts only to cold leads (compliance.md Texting cold leads) [src]"
SRC_VOICE = "TCPA: prerecorded/AI voice and ringless voicemail need written consent [src]"
SRC_LICENSE = "state license law: brokerage name on every ad; Texas counts emails and texts (compliance.md)"
SRC_CANSPAM = "CAN-SPAM: postal address, ad identification, working opt-out (compliance.md)"
SRC_MAILBOX = "18 U.S.C. 1725: nothing without postage in or on a mailbox (compliance.md)"
SRC_LITIGATOR = "intake vendor litigator flag: vendors mark numbers whose owners sue under the TCPA (47 U.S.C. 227); blocked by default"
SRC_LOCAL = "compliance.md 'Which clock is local': every candidate zone and state must allow it"

# Rules whose block cannot lift by waiting (next_allowed gives up at once).
_STATIC_RULES = frozenset(
    {
        "lead-status", "listing-status", "internal-dnc", "dnc-request", "vendor-dnc", "national-dnc",
        "registry", "phone", "brokerage-name", "postal-address", "email-address", "email-unsubscribed",
        "address", "local-time",
    }
)


@dataclass(frozen=True)
class ComplianceContext:
    """Everything the rules need besides the lead: settings, DNC lists, past contacts, the rule tables."""

    settings: Settings
    registry: Registry
    internal_phones: frozenset[str]
    internal_emails: frozenset[str]
    contact_log: Mapping[str, Sequence[tuple[datetime, str]]]
    dnc_requests: Mapping[str, datetime]
    rules: RuleBook = field(default_factory=default_rules)


@dataclass(frozen=True)
class _PhoneCheck:
    phone: str
    reasons: tuple[Reason, ...]
    constraints: tuple[Constraint, ...] = ()
    zones: tuple[ZoneInfo, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reasons)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("compliance needs an aware datetime (with a time zone)")
    return at


def _fmt(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M %Z")


# ---------------------------------------------------------------- lead-level rules


def _lead_reasons(lead: Lead, channel: Channel, at: datetime, ctx: ComplianceContext) -> list[Reason]:
    out: list[Reason] = []
    if lead.status in CLOSED_LEAD_STATUSES:
        out.append(Reason("lead-status", False, f"lead status is {lead.status}: no more touches", "Relist lead status"))
    else:
        out.append(Reason("lead-status", True, f"lead status is {lead.status}", "Relist lead status"))
    if lead.listing_status not in CONTACTABLE_STATUSES:
        out.append(
            Reason(
                "listing-status",
                False,
                f"listing status is {lead.listing_status or 'blank'}: only Expired or Canceled listings may be solicited",
                SRC_SOP,
            )
        )
    elif not lead.contactable:
        why = lead.not_contactable_reason or "marked not contactable (e.g. relisted with another broker)"
        out.append(Reason("listing-status", False, f"not contactable: {why}", SRC_SOP))
    else:
        out.append(Reason("listing-status", True, f"listing {lead.listing_status}, not relisted", SRC_SOP))

    s = ctx.settings
    if channel == "call":
        out.append(
            Reason(
                "channel",
                True,
                "a live call you dial yourself; never prerecorded or AI voice, never ringless voicemail",
                SRC_VOICE,
            )
        )
    elif channel == "text":
        out.append(
            Reason(
                "channel",
                True,
                "send it yourself, one message at a time, from the prepared text; never bulk or scheduled automated texts",
                SRC_TEXT,
            )
        )
    if channel in ("text", "letter", "email"):
        if s.brokerage.strip():
            out.append(Reason("brokerage-name", True, f"brokerage name '{s.brokerage}' goes on the {channel}", SRC_LICENSE))
        else:
            out.append(
                Reason("brokerage-name", False, f"Settings > Brokerage is blank: it must appear on every {channel}", SRC_LICENSE)
            )
    if channel in PHONE_CHANNELS:
        req = ctx.dnc_requests.get(lead.lead_id)
        if req is not None and req <= at:
            out.append(
                Reason(
                    "dnc-request",
                    False,
                    f"the owner asked not to be contacted on {_fmt(req)}: no calls or texts to any of their numbers",
                    SRC_INTERNAL,
                )
            )
        else:
            out.append(Reason("dnc-request", True, "the owner has made no do-not-call request", SRC_INTERNAL))
    if channel == "email":
        email = lead.email.strip()
        if "@" not in email:
            out.append(Reason("email-address", False, "no email address on file", "Relist"))
        elif email.lower() in ctx.internal_emails:
            out.append(
                Reason("email-unsubscribed", False, f"{email} unsubscribed: no more email", SRC_OPT_OUT)
            )
        else:
            out.append(Reason("email-unsubscribed", True, f"{email} has not unsubscribed", SRC_OPT_OUT))
        if s.postal_address.strip():
            out.append(
                Reason("postal-address", True, f"your postal address '{s.postal_address}' goes in the email", SRC_CANSPAM)
            )
        else:
            out.append(
                Reason("postal-address", False, "Settings > PostalAddress is blank: every email needs a valid postal address", SRC_CANSPAM)
            )
        out.append(
            Reason(
                "email-opt-out",
                True,
                "the email says it is an ad, has an honest subject and a working opt-out; an opt-out stops email at once",
                SRC_CANSPAM,
            )
        )
    if channel == "letter":
        if lead.mailing_address.strip() or lead.property_address.strip():
            out.append(Reason("address", True, "mailed to the owner's mailing (or property) address", "Relist"))
        else:
            out.append(Reason("address", False, "no mailing or property address on file", "Relist"))
    if channel == "door":
        if lead.property_address.strip():
            out.append(Reason("address", True, f"door knock at {lead.property_address}", "Relist"))
        else:
            out.append(Reason("address", False, "no property address on file", "Relist"))
        out.append(
            Reason("door-hanger", True, "leave the door hanger on the door, never in or on the mailbox", SRC_MAILBOX)
        )
    return out


def _zip_places(lead: Lead) -> list[Place]:
    out: list[Place] = []
    if lead.postal_code:
        out.append(zip_place(lead.postal_code, "property"))
    if lead.mailing_postal_code and lead.mailing_postal_code != lead.postal_code:
        out.append(zip_place(lead.mailing_postal_code, "mailing"))
    return out


def _states(lead: Lead, places: Iterable[Place]) -> list[str]:
    found = [p.state for p in places] + [state_code(lead.state), state_code(lead.mailing_state)]
    return sorted({s for s in found if s})


def _local_time_reason(places: Sequence[Place], label: str = "owner") -> tuple[Reason, tuple[ZoneInfo, ...]]:
    zones = sorted({z for p in places for z in p.zones})
    notes = [f"{p.source}: {p.note}" for p in places if p.note]
    if not zones:
        tried = "; ".join(notes) or "no phone exchange or ZIP code to go by"
        return Reason("local-time", False, f"cannot tell the {label}'s local time ({tried})", SRC_LOCAL), ()
    found = ", ".join(f"{p.source} -> {'/'.join(p.zones)}" for p in places if p.zones and len(p.zones) <= 3)
    many = [p for p in places if len(p.zones) > 3]
    parts = [found] if found else []
    parts += [f"{p.source} -> {len(p.zones)} zones" for p in many]
    parts += [f"{p.source}: {p.note}" for p in places if p.note and p.zones and p not in many]
    parts += [f"{p.source}: {p.note} (not used)" for p in places if not p.zones]
    msg = f"candidate zones {', '.join(zones[:6])}{' ...' if len(zones) > 6 else ''} ({'; '.join(parts)})"
    return Reason("local-time", True, msg, SRC_LOCAL), tuple(ZoneInfo(z) for z in zones)


def _window_reasons(constraints: Sequence[Constraint], zones: Sequence[ZoneInfo], at: datetime) -> list[Reason]:
    out: list[Reason] = []
    for c in constraints:
        closed: list[str] = []
        opened: list[str] = []
        for z in zones:
            ok, local, w = is_open(c, z, at)
            stamp = f"{local:%a %H:%M} {c.clock}" if c.clock else f"{local:%a %H:%M} in {z.key}"
            if ok:
                opened.append(stamp)
            elif w is None:
                closed.append(f"it is {stamp}: {c.describe(local.date())}")
            else:
                closed.append(f"it is {stamp}, outside {c.describe(local.date())}")
        if closed:
            more = f" (and {len(closed) - 3} more of {len(zones)} candidate zones)" if len(closed) > 3 else ""
            out.append(Reason(c.rule, False, f"{c.label}: {'; '.join(closed[:3])}{more}", c.source))
        else:
            day = at.astimezone(zones[0]).date()
            shown = ", ".join(opened[:3]) + (f" and {len(opened) - 3} more" if len(opened) > 3 else "")
            out.append(Reason(c.rule, True, f"{c.label} {c.describe(day)}: {shown}", c.source))
    return out


def _contacts(ctx: ComplianceContext, lead_id: str, channels: frozenset[str], since: datetime, at: datetime) -> list[datetime]:
    return sorted(t for t, ch in ctx.contact_log.get(lead_id, ()) if ch in channels and since < t <= at)


def _cap_reasons(lead: Lead, states: Sequence[str], channel: Channel, at: datetime, ctx: ComplianceContext) -> list[Reason]:
    out: list[Reason] = []
    for st in states:
        for r in ctx.rules.for_state(st, "cap", channel):
            assert r.limit is not None and r.period is not None
            hits = _contacts(ctx, lead.lead_id, r.channels, at - r.period, at)
            hours = int(r.period.total_seconds() // 3600)
            what = "/".join(sorted(r.channels))
            if len(hits) >= r.limit:
                free = hits[len(hits) - r.limit] + r.period
                out.append(
                    Reason(
                        f"frequency-cap:{st}",
                        False,
                        f"{st} allows {r.limit} {what} contacts per {hours} h; {len(hits)} already made: next after {_fmt(free.astimezone(ctx.settings.tz))}",
                        r.cite,
                    )
                )
            else:
                out.append(
                    Reason(f"frequency-cap:{st}", True, f"{st} cap {r.limit} per {hours} h: {len(hits)} made", r.cite)
                )
        for r in ctx.rules.for_state(st, "quiet_after_request", channel):
            assert r.period is not None
            req = ctx.dnc_requests.get(lead.lead_id)
            if req is not None and req <= at < req + r.period:
                out.append(
                    Reason(
                        f"quiet-after-request:{st}",
                        False,
                        f"{st}: once asked not to call, not again for {r.period.days} days (asked {_fmt(req)})",
                        r.cite,
                    )
                )
            else:
                out.append(Reason(f"quiet-after-request:{st}", True, f"{st}: no do-not-call request in the last {r.period.days} days", r.cite))
        out += _duty_reasons(st, channel, ctx)
        for r in ctx.rules.for_state(st, "own_dnc_list", channel):
            out.append(
                Reason(
                    f"state-dnc-list:{st}",
                    True,
                    f"{st} keeps its own do-not-call list, which Relist cannot see: scrub against it where you are registered "
                    "(Relist checks the national registry copy, vendor flags and your DNC sheet)",
                    r.cite,
                )
            )
    return out


def _duty_reasons(st: str, channel: Channel, ctx: ComplianceContext) -> list[Reason]:
    """What the state asks of the caller on the call itself, and the registration it requires."""
    out: list[Reason] = []
    s = ctx.settings
    for r in ctx.rules.for_state(st, "identify_at_start", channel):
        if s.who.strip() and s.brokerage.strip():
            out.append(Reason(f"caller-identification:{st}", True,
                              f"{st}: open the call with who you are ({s.who}), for whom ({s.brokerage}) and why (the listing): "
                              "the call script starts with it", r.cite))
        else:
            out.append(Reason(f"caller-identification:{st}", False,
                              f"{st} requires saying who calls and for which business at the start of the call: "
                              "Settings > AgentName and Brokerage must be filled in", r.cite))
    if s.records_calls:
        for r in ctx.rules.for_state(st, "all_party_recording", channel):
            out.append(Reason(f"recording-consent:{st}", True,
                              f"WARNING: you record calls (Settings > RecordsCalls) and {st} needs every party's consent: "
                              "ask before recording, or turn recording off for this call", r.cite))
    for r in ctx.rules.for_state(st, "registration", channel):
        done = s.registrations.get(st, "")
        said = f"Settings > Registrations says '{done}'" if done else "Settings > Registrations says nothing for it"
        out.append(Reason(f"registration:{st}", True, f"{st}: {r.note.rstrip('.')}; {said} (relist check --setup)", r.cite))
    return out


def _registry_reasons(number: str, phone: Phone, at: datetime, ctx: ComplianceContext) -> list[Reason]:
    out: list[Reason] = []
    if number in ctx.internal_phones:
        out.append(Reason("internal-dnc", False, f"{number} is on your DNC sheet (internal do-not-call list)", SRC_INTERNAL))
    else:
        out.append(Reason("internal-dnc", True, f"{number} is not on your DNC sheet", SRC_INTERNAL))
    if phone.vendor_dnc:
        out.append(Reason("vendor-dnc", False, f"the list vendor flagged {number} as do-not-call", "intake vendor DNC flag (stricter source wins)"))
    if phone.litigator:
        if ctx.settings.allow_litigator_calls:
            out.append(Reason("vendor-litigator", True, f"the list vendor flagged {number}'s owner as a telemarketing litigator; "
                              "allowed by Settings > AllowLitigatorCalls", SRC_LITIGATOR))
        else:
            out.append(Reason("vendor-litigator", False, f"the list vendor flagged {number}'s owner as a known telemarketing litigator "
                              "(someone who sues over calls and texts): not called or texted (Settings > AllowLitigatorCalls to allow)",
                              SRC_LITIGATOR))
    area = area_code(number)
    assert area is not None
    today = at.astimezone(ctx.settings.tz).date()
    st = ctx.registry.status(area, today)
    if not st.usable:
        out.append(Reason("registry", False, st.message(), SRC_REGISTRY))
        return out
    out.append(Reason("registry", True, st.message(), SRC_REGISTRY))
    if ctx.registry.is_listed(number):
        out.append(
            Reason("national-dnc", False, f"{number} is on the National DNC Registry (copy of {st.downloaded})", SRC_REGISTRY)
        )
    else:
        out.append(Reason("national-dnc", True, f"{number} is not on the National DNC Registry (copy of {st.downloaded})", SRC_REGISTRY))
    return out


def _phone_check(lead: Lead, phone: Phone, channel: Channel, at: datetime, ctx: ComplianceContext) -> _PhoneCheck:
    number = try_e164(phone.number)
    if number is None:
        return _PhoneCheck(
            phone.number,
            (Reason("phone", False, f"{phone.number} is not a US phone number: Relist checks only US numbers", "Relist"),),
        )
    if not phone.usable:
        return _PhoneCheck(number, (Reason("phone", False, f"{number} is marked {phone.status}", "Relist phone status"),))
    reasons = [Reason("phone", True, f"{number} ({phone.kind}, phone {phone.position})", "Relist")]
    reasons += _registry_reasons(number, phone, at, ctx)
    places = [phone_place(number), *_zip_places(lead)]
    local, zones = _local_time_reason(places)
    reasons.append(local)
    states = _states(lead, places)
    constraints: list[Constraint] = [federal(ctx.rules, channel)]
    for st in states:
        constraints += state_constraints(ctx.rules, st, channel, ctx.settings.emergencies)
    if zones:
        reasons += _window_reasons(constraints, zones, at)
    reasons += _cap_reasons(lead, states, channel, at, ctx)
    return _PhoneCheck(number, tuple(reasons), tuple(constraints), zones)


_DOOR_MEMO: dict[tuple[str, datetime, Any], tuple[_PhoneCheck, tuple[datetime | None, datetime | None]]] = {}
"""(ZIP, moment) -> the door check and its window: a queue asks about hundreds of doors in a few ZIPs at one moment."""
_DOOR_MEMO_SIZE = 4096


def _door_check(lead: Lead, at: datetime) -> _PhoneCheck:
    return _door(lead.postal_code, at)[0]


def _door(postal_code: str, at: datetime) -> tuple[_PhoneCheck, tuple[datetime | None, datetime | None]]:
    """The door check and its window for a property ZIP at a moment (pure in both: memoized, bounded)."""
    key = (postal_code, at, at.tzinfo)  # equal instants in other zones give windows in their own zone
    got = _DOOR_MEMO.get(key)
    if got is None:
        chk = _door_check_uncached(postal_code, at)
        if len(_DOOR_MEMO) >= _DOOR_MEMO_SIZE:
            _DOOR_MEMO.clear()
        got = _DOOR_MEMO[key] = (chk, _window(chk, at))
    return got


def _door_check_uncached(postal_code: str, at: datetime) -> _PhoneCheck:
    places = [zip_place(postal_code, "property")] if postal_code else []
    local, zones = _local_time_reason(places, "property")
    reasons = [local]
    constraints = (door_constraint(),)
    if zones:
        reasons += _window_reasons(constraints, zones, at)
    return _PhoneCheck("", tuple(reasons), constraints, zones)


def _window(check: _PhoneCheck, at: datetime) -> tuple[datetime | None, datetime | None]:
    """The legal window on the day of `at` (owner's first candidate zone) as aware datetimes."""
    if not check.zones or not check.constraints:
        return None, None
    zone = check.zones[0]
    local = at.astimezone(zone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)
    spans = allowed_intervals(check.constraints, check.zones, day_start - timedelta(hours=14), day_end + timedelta(hours=14))
    tz = at.tzinfo
    pick: Interval | None = None
    for s, e in spans:
        if s <= at < e:
            pick = (s, e)
            break
    if pick is None:
        same_day = [(s, e) for s, e in spans if s.astimezone(zone).date() == local.date()]
        later = [iv for iv in same_day if iv[0] > at]
        pick = later[0] if later else (same_day[-1] if same_day else None)
    if pick is None:
        return None, None
    return pick[0].astimezone(tz), pick[1].astimezone(tz)


def _candidates(lead: Lead, channel: Channel, phone: str | None) -> list[Phone]:
    if phone is not None:
        want = try_e164(phone) or phone
        for p in lead.phones:
            if (try_e164(p.number) or p.number) == want:
                return [p]
        return [Phone(number=phone, position=0)]
    return lead.usable_phones()


def _evaluate(
    lead: Lead, channel: Channel, at: datetime, ctx: ComplianceContext, phone: str | None
) -> tuple[Verdict, list[Reason], list[_PhoneCheck]]:
    at = _aware(at)
    base = _lead_reasons(lead, channel, at, ctx)
    checks: list[_PhoneCheck] = []
    if channel in PHONE_CHANNELS:
        cands = _candidates(lead, channel, phone)
        if not cands:
            base.append(Reason("phone", False, "no usable phone number on file (every phone is Bad or Retired, or none)", "Relist"))
            return Verdict(False, tuple(base)), base, checks
        chosen: _PhoneCheck | None = None
        for p in cands:
            chk = _phone_check(lead, p, channel, at, ctx)
            checks.append(chk)
            if chk.ok:
                chosen = chk
                break
        if chosen is not None:
            skipped = [
                Reason("phone-skipped", True, f"{c.phone} not used: {'; '.join(r.message for r in c.reasons if not r.ok)}", "Relist")
                for c in checks[:-1]
            ]
            reasons = [*base, *skipped, *chosen.reasons]
            start, end = _window(chosen, at)
            return Verdict(all(r.ok for r in reasons), tuple(reasons), start, end, chosen.phone), base, checks
        reasons = list(base)
        for c in checks:
            many = len(checks) > 1
            reasons += [
                Reason(r.rule, r.ok, f"{c.phone}: {r.message}" if many and c.phone not in r.message else r.message, r.source)
                for r in c.reasons
            ]
        start, end = _window(checks[0], at)
        return Verdict(False, tuple(reasons), start, end, ""), base, checks
    if channel == "door":
        chk, (start, end) = _door(lead.postal_code, at)
        checks.append(chk)
        reasons = [*base, *chk.reasons]
        return Verdict(all(r.ok for r in reasons), tuple(reasons), start, end), base, checks
    return Verdict(all(r.ok for r in base), tuple(base)), base, checks


def evaluate(lead: Lead, channel: Channel, at: datetime, ctx: ComplianceContext, phone: str | None = None) -> Verdict:
    """Every rule for this lead, channel and moment; allowed only when every reason is ok.

    For calls and texts the first usable phone (by position) that passes every phone rule is
    chosen (`Verdict.phone`); `phone` restricts the check to one number. window_start/window_end
    are the legal window (not the agent's work hours) on that day, in `at`'s time zone.
    """
    return _evaluate(lead, channel, at, ctx, phone)[0]


def _static_block(base: Sequence[Reason], checks: Sequence[_PhoneCheck], channel: Channel) -> bool:
    if any(not r.ok and r.rule in _STATIC_RULES for r in base):
        return True
    if channel in PHONE_CHANNELS:
        return bool(checks) and all(any(not r.ok and r.rule in _STATIC_RULES for r in c.reasons) for c in checks)
    return any(not r.ok and r.rule in _STATIC_RULES for c in checks for r in c.reasons)


def next_allowed(
    lead: Lead, channel: Channel, after: datetime, ctx: ComplianceContext, horizon_days: int = 14
) -> datetime | None:
    """The earliest moment >= `after` (within the horizon) at which `evaluate` allows the contact, or None."""
    after = _aware(after)
    verdict, base, checks = _evaluate(lead, channel, after, ctx, None)
    if verdict.allowed:
        return after
    if _static_block(base, checks, channel):
        return None
    end = after + timedelta(days=horizon_days)
    moments: set[datetime] = set()
    for chk in _all_checks(lead, channel, after, ctx):
        if chk.constraints and chk.zones:
            for s, _e in allowed_intervals(chk.constraints, chk.zones, after, end):
                moments.add(max(s, after.astimezone(UTC)))
    periods = {r.period for r in ctx.rules.rules if r.period is not None}
    for t, _ch in ctx.contact_log.get(lead.lead_id, ()):
        moments.update(t + p for p in periods)
    req = ctx.dnc_requests.get(lead.lead_id)
    if req is not None:
        moments.update(req + p for p in periods)
    tz = after.tzinfo
    for m in sorted(x for x in moments if after <= x <= end):
        if evaluate(lead, channel, m, ctx).allowed:
            return m.astimezone(tz)
    return None


def _all_checks(lead: Lead, channel: Channel, at: datetime, ctx: ComplianceContext) -> list[_PhoneCheck]:
    if channel in PHONE_CHANNELS:
        return [_phone_check(lead, p, channel, at, ctx) for p in lead.usable_phones()]
    if channel == "door":
        return [_door_check(lead, at)]
    return []


# ---------------------------------------------------------------- context from a workbook


def registry_dir_for(book: object) -> Path | None:
    """`<workbook stem>.dnc/` beside the workbook file, or None for a book without a path."""
    path = getattr(book, "path", None)
    if not path:
        return None
    p = Path(path)
    return p.with_name(p.stem + ".dnc")


_TOUCH_COLUMNS = ("TouchId", "LeadId", "At", "Channel", "Outcome", "UndoOf")
_INDEX_COLUMNS = ("TouchId", "LeadId", "At", "Channel", "UndoOf")
_INDEX_CELLS = itemgetter(*_INDEX_COLUMNS)


class _RequestTouches:
    """The workbook as `read_dnc_state` sees it, with the touch log cut to the rows that decide DNC requests.

    Those are undo rows and do-not-contact outcomes (which stand for good,
    however old); past calls and texts are indexed by `_ContactLog` instead,
    so the per-row time-zone work is done only for leads the rules ask about.
    """

    def __init__(self, book: WorkbookPort, touches: list[dict[str, Any]]) -> None:
        self._book = book
        self._touches = touches

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        if table != "tblTouches" or columns is None or not set(columns) <= set(_TOUCH_COLUMNS):
            return self._book.read_records(table, columns)
        from relist.compliance.internal_dnc import REQUEST_OUTCOMES

        def matters(r: dict[str, Any]) -> bool:
            outcome = r["Outcome"]
            return bool(r["UndoOf"]) or (outcome if outcome.__class__ is str else str(outcome or "")) in REQUEST_OUTCOMES

        return [r for r in self._touches if matters(r)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


@dataclass(frozen=True)
class KnownLog:
    """The touch log as the caller already holds it, so building the context does not read and index it again.

    `by_lead`: lead -> its touch rows that are not undo rows, each indexable as
    (TouchId, LeadId, At, Channel, ...) with At naive in the agent's zone (the
    sequence's TouchRow); `undone`: TouchIds an undo row cancels;
    `request_rows`: the undo rows and do-not-contact requests as tblTouches
    records (_TOUCH_COLUMNS).
    """

    by_lead: Mapping[str, Sequence[Sequence[Any]]]
    undone: Collection[str]
    request_rows: list[dict[str, Any]]


class _KnownContacts:
    """Lead -> (At, channel) of its calls and texts not before `margin`, taken from a KnownLog's rows when first asked."""

    def __init__(self, by_lead: Mapping[str, Sequence[Sequence[Any]]], undone: Collection[str], margin: datetime) -> None:
        self._by_lead = by_lead
        self._undone = undone
        self._margin = margin

    def get(self, lead: str, default: Any = ()) -> Any:
        rows = self._by_lead.get(lead)
        if rows is None:
            return default
        undone, margin = self._undone, self._margin
        return [
            (r[2], r[3])
            for r in rows
            if (r[3] == "call" or r[3] == "text")
            and not (r[2].__class__ is datetime and r[2].tzinfo is None and r[2] < margin)
            and r[0] not in undone
        ]

    def __contains__(self, lead: object) -> bool:
        return lead in self._by_lead

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_lead)


class _ContactLog(Mapping[str, Sequence[tuple[datetime, str]]]):
    """Lead -> its calls and texts since `since` (aware, oldest first): what `read_dnc_state` gives, built per lead on demand.

    Rows are grouped by lead with their cells as the workbook holds them
    (naive agent-local times); rows older than `since` by more than a day
    are dropped at once, and each lead's rows are converted and cut exactly
    when first asked for.
    """

    def __init__(
        self,
        touches: Iterable[dict[str, Any]],
        tz: ZoneInfo,
        since: datetime,
        undone: set[str] | None = None,
        *,
        columns: Mapping[str, Sequence[Any]] | None = None,
        known: KnownLog | None = None,
    ) -> None:
        """`columns`: the log read column by column (_TOUCH_COLUMNS), used instead of `touches` (no dict per row);
        `known`: the log as the caller already holds it, indexed by lead (no pass over the log at all)."""
        self._tz = tz
        self._since = since
        margin = since.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
        self._done: dict[str, tuple[tuple[datetime, str], ...]] = {}
        self._raw: dict[str, list[tuple[Any, str]]] | _KnownContacts
        if known is not None:
            self._raw = _KnownContacts(known.by_lead, known.undone, margin)
            return
        with paused_gc():
            if columns is not None:
                if undone is None:
                    undone = {str(u) for u in columns["UndoOf"] if u}
                cells: Iterable[tuple[Any, ...]] = zip(*(columns[c] for c in _INDEX_COLUMNS), strict=True)
            else:
                rows = list(touches)
                if undone is None:
                    undone = {str(r["UndoOf"]) for r in rows if r["UndoOf"]}
                cells = map(_INDEX_CELLS, rows)
            self._raw = self._index(cells, undone, margin)

    @staticmethod
    def _index(rows: Iterable[tuple[Any, ...]], undone: set[str], margin: datetime) -> dict[str, list[tuple[Any, str]]]:
        """Lead -> (At, channel) of its calls and texts not before `margin`, from (TouchId, LeadId, At, Channel, UndoOf) cells."""
        raw: dict[str, list[tuple[Any, str]]] = {}
        for tid, lead, at, channel, undo_of in rows:
            if channel != "call" and channel != "text":
                if channel.__class__ is str or str(channel or "") not in PHONE_CHANNELS:
                    continue
                channel = str(channel)
            if at.__class__ is datetime and at.tzinfo is None and at < margin:
                continue
            if not lead or undo_of:
                continue
            if undone and str(tid or "") in undone:
                continue
            raw.setdefault(lead if lead.__class__ is str else str(lead), []).append((at, channel))
        return raw

    def _build(self, lead: str) -> tuple[tuple[datetime, str], ...]:
        got = self._done.get(lead)
        if got is None:
            from relist.clock import from_local_naive

            tz, since = self._tz, self._since
            out: list[tuple[datetime, str]] = []
            for at, channel in self._raw.get(lead, ()):
                if isinstance(at, (datetime, date)):
                    aware = from_local_naive(at, tz)
                    if aware is not None and aware >= since:
                        out.append((aware, channel))
            got = self._done[lead] = tuple(sorted(out))
        return got

    def __getitem__(self, lead: str) -> Sequence[tuple[datetime, str]]:
        if lead not in self._raw:
            raise KeyError(lead)
        got = self._build(lead)
        if not got:
            raise KeyError(lead)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter([k for k in self._raw if self._build(k)])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, lead: object) -> bool:
        return isinstance(lead, str) and lead in self._raw and bool(self._build(lead))


def _touch_rows(book: WorkbookPort, lead_ids: Collection[str] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str] | None]:
    """Touch rows for the contact log, rows for DNC requests, and the undone TouchIds (None: work them out from the rows).

    With `lead_ids` and a port that can read rows by a column's value (the live
    adapter), only those leads' touches, the request rows and the undo rows
    of requests are read, plus the UndoOf and Outcome columns: a click about
    one lead does not type the whole log.
    """
    pick = getattr(book, "records_if", None)
    column = getattr(book, "column_values", None)
    if lead_ids is None or pick is None or column is None:
        rows = book.read_records("tblTouches", list(_TOUCH_COLUMNS))
        return rows, rows, None
    from relist.compliance.internal_dnc import REQUEST_OUTCOMES

    wanted = set(lead_ids)
    cols = list(_TOUCH_COLUMNS)
    undone = {str(r["UndoOf"]) for r in pick("tblTouches", "UndoOf", bool, ["UndoOf"])}
    among = getattr(book, "records_in", None)  # the same rows without a call per cell, when the port can
    mine: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    if among is not None:
        mine = among("tblTouches", "LeadId", wanted, cols)
        requests = among("tblTouches", "Outcome", REQUEST_OUTCOMES, cols)
    else:
        mine = pick("tblTouches", "LeadId", lambda v: (v if v.__class__ is str else str(v or "")) in wanted, cols)
        requests = pick("tblTouches", "Outcome", lambda v: (v if v.__class__ is str else str(v or "")) in REQUEST_OUTCOMES, cols)
    ids = {str(r["TouchId"] or "") for r in requests} & undone
    if ids:
        requests += pick("tblTouches", "UndoOf", lambda v: bool(v) and str(v) in ids, cols)
    return mine, requests, undone


def _request_rows(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The log rows `read_dnc_state` can use (undo rows and do-not-contact requests), from the log read column by column."""
    from relist.compliance.internal_dnc import REQUEST_OUTCOMES

    keep = [i for i, u in enumerate(columns["UndoOf"]) if u]
    keep += [
        i
        for i, o in enumerate(columns["Outcome"])
        if o in REQUEST_OUTCOMES or (o is not None and o.__class__ is not str and str(o) in REQUEST_OUTCOMES)
    ]
    cols = [columns[c] for c in _TOUCH_COLUMNS]
    return [dict(zip(_TOUCH_COLUMNS, (col[i] for col in cols), strict=True)) for i in sorted(set(keep))]


def load_context(
    book: WorkbookPort,
    at: datetime,
    registry_dir: Path | None = None,
    *,
    lead_ids: Collection[str] | None = None,
    known: KnownLog | None = None,
) -> ComplianceContext:
    """Settings, the DNC sheet, past calls/texts and DNC requests from the workbook; the registry from its folder.

    The touch log is read once (six columns); DNC requests come from its undo
    and request rows, and past calls/texts are indexed per lead and converted
    only for the leads the rules look at (a year's log is 200,000 rows).
    `lead_ids` promises that only those leads will be asked about (logging
    one touch): the context then holds their past contacts only, and on the
    live adapter reads just their rows of the log. `known`: the log as the
    caller has already read and grouped it (building the queue): it is not
    read again.
    """
    from relist import settings as settings_mod
    from relist.compliance.internal_dnc import read_dnc_state

    _aware(at)
    s = settings_mod.load(book)
    folder = registry_dir if registry_dir is not None else registry_dir_for(book)
    registry = Registry.open(folder) if folder is not None else Registry.empty()
    rules = load_rules(folder)
    longest = max((r.period for r in rules.rules if r.period is not None), default=timedelta(days=1))
    since = at - longest - timedelta(days=1)
    by_column = getattr(book, "read_columns", None)
    if known is not None:
        request_rows = known.request_rows
        contact_log = _ContactLog((), s.tz, since, known=known)
    elif lead_ids is None and by_column is not None:  # the whole log, column by column: no dict per row
        columns = by_column("tblTouches", list(_TOUCH_COLUMNS))
        request_rows = _request_rows(columns)
        contact_log = _ContactLog((), s.tz, since, columns=columns)
    else:
        contacts, request_rows, undone = _touch_rows(book, lead_ids)
        contact_log = _ContactLog(contacts, s.tz, since, undone)
    state = read_dnc_state(cast("WorkbookPort", _RequestTouches(book, request_rows)), s.tz, since=at)
    return ComplianceContext(
        settings=s,
        registry=registry,
        internal_phones=state.phones,
        internal_emails=state.emails,
        contact_log=contact_log,
        dnc_requests=state.requests,
        rules=rules,
    )
