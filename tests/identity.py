"""The test agent: the explicit identity every test that makes letters, texts, emails or slides gives
its workbook or Settings (a new workbook has none; Relist refuses to send without one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relist.settings import Settings, from_pairs, write_identity

AGENT: dict[str, str] = {
    "AgentName": "Jordan Ellis",
    "Brokerage": "Gulfview Realty",
    "LicenseNumber": "SL7001234",
    "Phone": "+1 727-555-0142",
    "PostalAddress": "250 Bay St, Suite 4, Clearwater, FL 33755",
    "Email": "jordan@gulfview.example",
}
"""Fictional like the demo's agent, but not it: the sample agent is refused outside the demo."""


def agent_settings(*pairs: tuple[str, Any]) -> Settings:
    """Settings with the test agent's identity, then `pairs` (e.g. ("Brokerage", "") to blank one)."""
    return from_pairs([*AGENT.items(), *pairs])


def give_identity(book: Any, save: bool = True, **values: str) -> Any:
    """Fill in the test agent on a workbook port (or an .xlsx path) and save it; returns the port."""
    if isinstance(book, (str, Path)):
        from relist.workbook import open_workbook

        book = open_workbook(book)
    write_identity(book, {**AGENT, **values})
    if save:
        book.save()
    return book


def agent_workbook(path: Path) -> Path:
    """A new Relist workbook at `path` (the template) with the test agent filled in."""
    from relist.workbook import template

    template.build(path)
    give_identity(path)
    return path
