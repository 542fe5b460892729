"""Listing status words and MLS codes -> RESO StandardStatus, and whether it may be solicited.

Only Expired and Canceled listings may be contacted: every other status means a listing
contract still exists, or there is no listing to win (NAR Code of Ethics, Standard of
Practice 16-4: do not solicit a listing that is currently exclusive with another broker;
shared/reference/compliance.md). StandardStatus values: RESO Data Dictionary 2.0.
One-letter codes: Matrix MLS exports (shared/reference/market.md); a code can mean
something else in another MLS, so an unknown code is refused, never guessed.
"""

from __future__ import annotations

import re

from relist.intake.problems import CellError
from relist.model import CONTACTABLE_STATUSES

STANDARD_STATUSES = (
    "Active", "ActiveUnderContract", "Canceled", "Closed", "ComingSoon", "Delete",
    "Expired", "Hold", "Incomplete", "Pending", "Withdrawn",
)

_WORDS: dict[str, str] = {s.lower(): s for s in STANDARD_STATUSES}
_WORDS.update({
    # spelled-out variants of the RESO words and common MLS status names
    "cancelled": "Canceled", "cancel": "Canceled", "canceled listing": "Canceled", "terminated": "Canceled",
    "expired listing": "Expired", "exp": "Expired", "expd": "Expired", "expired-relist": "Expired",
    "active under contract": "ActiveUnderContract", "contingent": "ActiveUnderContract",
    "active contingent": "ActiveUnderContract", "backup": "ActiveUnderContract", "backup offer": "ActiveUnderContract",
    "active with contract": "ActiveUnderContract", "under contract": "Pending", "pending sale": "Pending",
    "sold": "Closed", "closed sale": "Closed", "leased": "Closed", "rented": "Closed",
    "coming soon": "ComingSoon", "temporarily off market": "Hold", "temp off market": "Hold",
    "off market": "Hold", "on hold": "Hold", "tom": "Hold", "withdrawn sublisting": "Withdrawn",
    "new": "Active", "new listing": "Active", "back on market": "Active", "price change": "Active",
    "price decrease": "Active", "relisted": "Active", "reactivated": "Active", "extended": "Active",
    "deleted": "Delete", "incomplete listing": "Incomplete",
    # skip-trace and data-vendor words (BatchLeads/PropStream "Mls Status"): a failed listing is one that expired
    "fail": "Expired", "failed": "Expired", "failed listing": "Expired", "expired listing fail": "Expired",
    "off market listing": "Hold", "offmarket": "Hold",
})
_CODES: dict[str, str] = {
    "X": "Expired", "XP": "Expired", "EXP": "Expired",
    "W": "Withdrawn", "WD": "Withdrawn",
    "C": "Canceled", "CX": "Canceled", "CAN": "Canceled",
    "A": "Active", "ACT": "Active", "N": "Active", "NEW": "Active", "BOM": "Active", "PC": "Active",
    "B": "ActiveUnderContract", "CT": "ActiveUnderContract", "AC": "ActiveUnderContract", "I": "ActiveUnderContract",
    "P": "Pending", "PND": "Pending", "U": "Pending", "UC": "Pending", "PS": "Pending",
    "S": "Closed", "SLD": "Closed", "CS": "Closed", "CSL": "Closed", "CL": "Closed", "R": "Closed", "L": "Closed",
    "T": "Hold", "TOM": "Hold", "H": "Hold",
    "CSN": "ComingSoon", "CMS": "ComingSoon",
    "FAIL": "Expired",
}
_FOLD = re.compile(r"[^a-z]+")

_REASONS: dict[str, str] = {
    "Active": "the home is listed again (Active)",
    "ActiveUnderContract": "the home is under contract (ActiveUnderContract)",
    "Pending": "the home is under contract (Pending)",
    "ComingSoon": "a listing contract exists (ComingSoon)",
    "Hold": "a listing contract still exists (Hold)",
    "Withdrawn": "a listing contract still exists (Withdrawn)",
    "Closed": "the home has sold (Closed)",
    "Delete": "the listing was deleted from the MLS (Delete)",
    "Incomplete": "the listing is not published (Incomplete)",
}

SOP = "NAR Standard of Practice 16-4"


def standard_status(text: str) -> str:
    """'X', 'Expired', 'cancelled', 'Temp Off Market' -> the RESO StandardStatus; raises CellError."""
    s = text.strip()
    if not s:
        raise CellError("the status is empty.")
    code = _CODES.get(s.upper().replace(".", ""))
    if code is not None and (len(s) <= 4 or s.isupper()):
        return code
    key = _FOLD.sub(" ", s.lower()).strip()
    got = _WORDS.get(key) or _WORDS.get(key.replace(" ", ""))
    if got is None:
        raise CellError(
            f"{s!r} is not a listing status Relist knows "
            "(use a RESO StandardStatus such as Expired, Canceled, Withdrawn, Active, or a code like X, W, A)."
        )
    return got


def contactable(status: str) -> bool:
    """Only Expired and Canceled listings may be solicited."""
    return status in CONTACTABLE_STATUSES


def not_contactable_reason(status: str) -> str:
    """Why a listing in this status may not be solicited, citing the rule."""
    what = _REASONS.get(status, f"status {status}")
    return f"Not contactable: {what}; only Expired or Canceled listings may be solicited ({SOP})."


def looks_like_status(values: list[str]) -> float:
    """Share of non-blank sample values that read as a status (decides an ambiguous 'St' column)."""
    seen = [v for v in values if v.strip()]
    if not seen:
        return 0.0
    ok = 0
    for v in seen:
        try:
            standard_status(v)
            ok += 1
        except CellError:
            pass
    return ok / len(seen)
