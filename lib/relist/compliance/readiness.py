"""Compliance readiness: what the states of the agent's leads require before the first call, and
what Settings says the agent has done (`relist check --setup`).

Pure: rules, settings and a list of states in; one item per duty out, each with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from relist import schema
from relist.compliance.rules import FEDERAL, RuleBook
from relist.settings import FILL_IN, IDENTITY, Settings, identity_problems, identity_value

DUTY_KINDS = (
    "registration", "emergency_ban", "identify_at_start", "all_party_recording", "own_dnc_list", "no_holidays",
    "consent_required",
)


@dataclass(frozen=True)
class Duty:
    """One thing a state asks of the agent, and where the agent stands."""

    state: str
    kind: str
    what: str
    status: str  # "done", "to do", "check" (Relist cannot see it), "warning"
    said: str  # what Settings says, or what Relist does about it
    source: str


_ID_WHAT: dict[str, tuple[str, str]] = {
    "AgentName": ("who is calling or writing, on every call, letter, text and email",
                  "47 CFR 64.1200(d)(4): the caller's name, for whom, and a number or address"),
    "Brokerage": ("the brokerage you work for, on every letter, text, email and slide",
                  "state real-estate license law on ads (e.g. Texas, 22 TAC 535.155); 47 CFR 64.1200(d)(4)"),
    "LicenseNumber": ("your license number, printed on letters, emails and door hangers",
                      "state real-estate license law on ads (some states ask for the license number)"),
    "Phone": ("a number owners reach you at to ask you to stop, printed on letters and hangers",
              "47 CFR 64.1200(d)(4); 47 CFR 64.1601(e): caller ID must take do-not-call requests"),
    "PostalAddress": ("a valid postal address in every email; the letters' return address",
                      "CAN-SPAM Act, 15 U.S.C. 7704(a)(5)"),
    "Email": ("the address your emails come from (true headers)", "CAN-SPAM Act, 15 U.S.C. 7704(a)(1)"),
}
_ID_SAID = {"empty": "is empty", "no row": "has no row on the Settings sheet (renamed or deleted?)",
            "sample": "is {value!r}, the sample from a new workbook, not yours"}


def identity_duties(settings: Settings, *, demo: bool = False) -> list[Duty]:
    """Who you are, first: one duty per identity setting, 'to do' while it is empty, missing or the sample.
    Until they are done Relist makes no letter, text, email, hanger, slide or queue."""
    problems = dict(identity_problems(settings, demo=demo))
    out: list[Duty] = []
    for name in IDENTITY:
        what, source = _ID_WHAT[name]
        label = schema.setting_label(name)
        if name in problems:
            said = f"Settings > {label} {_ID_SAID[problems[name]].format(value=identity_value(settings, name))}: {FILL_IN[name]}"
            out.append(Duty("", "identity", what, "to do", said, source))
        else:
            out.append(Duty("", "identity", what, "done", f"Settings > {label} is filled in", source))
    return out


def _duty(book: RuleBook, st: str, kind: str, settings: Settings) -> list[Duty]:
    out: list[Duty] = []
    for r in book.for_state(st, kind):
        what = r.note or r.rule
        if kind == "registration":
            done = settings.registrations.get(st, "")
            status = "done" if done else "to do"
            said = f"Settings > Registrations: {done}" if done else "Settings > Registrations says nothing for this state"
        elif kind == "emergency_ban":
            spans = [f"{a}..{b or ''}" for s, a, b in settings.emergencies if s == st]
            status = "check"
            said = ("declared: " + ", ".join(spans)) if spans else "no declaration in Settings > States of emergency; Relist blocks the declared days you enter"
        elif kind == "identify_at_start":
            ok = bool(settings.who.strip() and settings.brokerage.strip())
            status = "done" if ok else "to do"
            said = f"call scripts open with {settings.who} of {settings.brokerage}" if ok else "fill in Settings > Your name and Brokerage"
        elif kind == "all_party_recording":
            status = "warning" if settings.records_calls else "done"
            said = "you record calls (Settings > You record calls): ask every party's consent first" if settings.records_calls else "Settings > You record calls is no"
        elif kind == "consent_required":
            status = "done"
            said = f"Relist blocks these {' and '.join(sorted(r.channels))}s to {st} leads: there is no record of prior consent"
        elif kind == "own_dnc_list":
            status = "check"
            said = "Relist cannot see state lists: register and scrub against it; put the numbers on your DNC sheet"
        else:
            status = "done"
            days = [h.name for h in book.holidays if h.state == st]
            said = f"Relist blocks them: {', '.join(days)}" if days else "Relist blocks these days"
        out.append(Duty(st, kind, what, status, said, r.cite))
    return out


def readiness(book: RuleBook, settings: Settings, states: Iterable[str], *, demo: bool = False) -> list[Duty]:
    """Who you are first (identity_duties), then every duty of the given states (registration first), in state order."""
    wanted = sorted({s.strip().upper() for s in states if s and s.strip().upper() != FEDERAL})
    out: list[Duty] = identity_duties(settings, demo=demo)
    for st in wanted:
        for kind in DUTY_KINDS:
            out += _duty(book, st, kind, settings)
    return out


def readiness_lines(duties: Iterable[Duty], states: Iterable[str]) -> list[str]:
    """The report as the agent reads it: one block per state, one line per duty, a summary last."""
    duties = list(duties)
    states = sorted(set(states))
    lines = [f"Compliance readiness for the states of your leads: {', '.join(states) or 'none'}"]
    mine = [d for d in duties if d.kind == "identity"]
    missing = [d for d in mine if d.status != "done"]
    if missing:
        lines.append("Who you are (Settings): nothing goes out until these are filled in:")
        lines += [f"  [to do] {d.said}  [{d.source}]" for d in missing]
    elif mine:
        lines.append("Who you are (Settings): your name, brokerage, license number, phone, postal address and email are filled in.")
    current = ""
    for d in duties:
        if d.kind == "identity":
            continue
        if d.state != current:
            current = d.state
            lines.append(f"{d.state}:")
        lines.append(f"  [{d.status}] {d.kind.replace('_', ' ')}: {d.what} -> {d.said}  [{d.source}]")
    quiet = [s for s in states if s not in {d.state for d in duties if d.kind != "identity"}]
    if quiet:
        lines.append(f"No state duties on file for: {', '.join(quiet)} (the federal rules still apply).")
    todo = sum(d.status == "to do" for d in duties)
    warn = sum(d.status == "warning" for d in duties)
    lines.append(f"{todo} to do, {warn} warning(s), {sum(d.status == 'check' for d in duties)} to check yourself.")
    return lines
