"""Compliance readiness: what the states of the agent's leads require before the first call, and
what Settings says the agent has done (`relist check --setup`).

Pure: rules, settings and a list of states in; one item per duty out, each with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from relist.compliance.rules import FEDERAL, RuleBook
from relist.settings import Settings

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


def readiness(book: RuleBook, settings: Settings, states: Iterable[str]) -> list[Duty]:
    """Every duty of the given states (registration first), in state order."""
    wanted = sorted({s.strip().upper() for s in states if s and s.strip().upper() != FEDERAL})
    out: list[Duty] = []
    for st in wanted:
        for kind in DUTY_KINDS:
            out += _duty(book, st, kind, settings)
    return out


def readiness_lines(duties: Iterable[Duty], states: Iterable[str]) -> list[str]:
    """The report as the agent reads it: one block per state, one line per duty, a summary last."""
    duties = list(duties)
    states = sorted(set(states))
    lines = [f"Compliance readiness for the states of your leads: {', '.join(states) or 'none'}"]
    current = ""
    for d in duties:
        if d.state != current:
            current = d.state
            lines.append(f"{d.state}:")
        lines.append(f"  [{d.status}] {d.kind.replace('_', ' ')}: {d.what} -> {d.said}  [{d.source}]")
    quiet = [s for s in states if s not in {d.state for d in duties}]
    if quiet:
        lines.append(f"No state duties on file for: {', '.join(quiet)} (the federal rules still apply).")
    todo = sum(d.status == "to do" for d in duties)
    warn = sum(d.status == "warning" for d in duties)
    lines.append(f"{todo} to do, {warn} warning(s), {sum(d.status == 'check' for d in duties)} to check yourself.")
    return lines
