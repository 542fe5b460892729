"""The single gate: may this lead be contacted on this channel at this moment, and why (or why not).

`evaluate` checks every rule and returns a Verdict holding one Reason per rule, each with its
source; nothing schedules, exports, merges or sends without asking it. `next_allowed` finds the
earliest moment it would say yes. The rules take values only (a ComplianceContext);
`compliance.context.load_context` builds one from a workbook, with its caches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from relist.compliance.numbers import area_code, try_e164
from relist.compliance.registry import Registry
from relist.compliance.rules import RuleBook, default_rules
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
    pass

PHONE_CHANNELS = ("call", "text")
SRC_WINDOW = "47 CFR 64.1200(c)(1) [src]"
SRC_REGISTRY = (
    "47 CFR 64.1200(c)(2); FTC Telemarketing Sales Rule, 16 CFR 310.4(b)(1)(iii)(B); texts since 2024-03-26 (FCC 23-107) [src]"
)
SRC_INTERNAL = "47 CFR 64.1200(d): company-specific do-not-call list, kept 5 years [2nd]"
SRC_OPT_OUT = "FCC 2024 order: STOP/QUIT/END/REVOKE/OPT OUT/CANCEL/UNSUBSCRIBE revoke [src]"
SRC_SOP = "NAR Standard of Practice 16-4 (Code of Ethics, Article 16)"
SRC_TEXT = "TCPA, 47 U.S.C. 227 and 47 CFR 64.1200: texts typed and sent one at a time only, to cold leads [src]"
SRC_VOICE = "TCPA: prerecorded/AI voice and ringless voicemail need written consent [src]"
SRC_LICENSE = "state real-estate license law on ads (e.g. Texas, 22 TAC 535.155): brokerage name on every ad; Texas counts emails and texts"
SRC_CANSPAM = "CAN-SPAM Act, 15 U.S.C. 7704 and FTC 16 CFR 316: postal address, ad identification, working opt-out"
SRC_MAILBOX = "18 U.S.C. 1725: nothing without postage in or on a mailbox"
SRC_LITIGATOR = "intake vendor litigator flag: vendors mark numbers whose owners sue under the TCPA (47 U.S.C. 227); blocked by default"
SRC_LOCAL = "47 CFR 64.1200(c)(1) and state laws: the called party's local time; every candidate zone and state must allow it"

# Rules whose block cannot lift by waiting (next_allowed gives up at once).
_STATIC_RULES = frozenset(
    {
        "lead-status", "listing-status", "internal-dnc", "dnc-request", "vendor-dnc", "national-dnc",
        "registry", "phone", "brokerage-name", "postal-address", "email-address", "email-unsubscribed",
        "address", "local-time", "consent-required",
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
                Reason("postal-address", False, "Settings > Postal address is blank: every email needs a valid postal address", SRC_CANSPAM)
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
        for r in ctx.rules.for_state(st, "consent_required", channel):
            out.append(Reason(f"consent-required:{st}", False, f"{st}: {r.note.rstrip('.')}", r.cite))
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
                              "Settings > Your name and Brokerage must be filled in", r.cite))
    if s.records_calls:
        for r in ctx.rules.for_state(st, "all_party_recording", channel):
            out.append(Reason(f"recording-consent:{st}", True,
                              f"WARNING: you record calls (Settings > You record calls) and {st} needs every party's consent: "
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
                              "allowed by Settings > Call litigator-flagged numbers", SRC_LITIGATOR))
        else:
            out.append(Reason("vendor-litigator", False, f"the list vendor flagged {number}'s owner as a known telemarketing litigator "
                              "(someone who sues over calls and texts): not called or texted (Settings > Call litigator-flagged numbers to allow)",
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
            base.append(Reason("phone", False, "no usable phone number on file (every phone is Bad, Retired or Not owner, or none)", "Relist"))
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


def _is_static(r: Reason) -> bool:
    """A block that waiting cannot lift (state rules count by their name before the ':XX')."""
    return not r.ok and r.rule.split(":")[0] in _STATIC_RULES


def _static_block(base: Sequence[Reason], checks: Sequence[_PhoneCheck], channel: Channel) -> bool:
    if any(_is_static(r) for r in base):
        return True
    if channel in PHONE_CHANNELS:
        return bool(checks) and all(any(_is_static(r) for r in c.reasons) for c in checks)
    return any(_is_static(r) for c in checks for r in c.reasons)


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


# The context is loaded beside the rules (compliance.context); these names stay importable from here.
from relist.compliance.context import KnownLog as KnownLog  # noqa: E402
from relist.compliance.context import load_context as load_context  # noqa: E402
from relist.compliance.context import registry_dir_for as registry_dir_for  # noqa: E402
