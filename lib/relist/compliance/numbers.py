"""US phone numbers as the compliance code compares them: E.164 text and 10-digit integers."""

from __future__ import annotations

from relist.errors import BadInput

TOLL_FREE_AREAS = frozenset({"800", "833", "844", "855", "866", "877", "888"})
"""NANP toll-free area codes: they carry no location (phonenumbers gives dozens of zones)."""


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def ten_digits(number: str) -> str | None:
    """The 10-digit NANP number (area code + 7 digits), or None when it is not one."""
    d = digits(number)
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    if len(d) != 10 or d[0] in "01" or d[3] in "01":
        return None
    if number.strip().startswith("+") and not number.strip().startswith("+1"):
        return None
    return d


def e164(number: str) -> str:
    """A US number as E.164 (+1AAANNNNNNN); anything else is refused with a clear error."""
    ten = ten_digits(number)
    if ten is None:
        raise BadInput(
            f"{number!r} is not a US phone number.",
            "Give the 10-digit number, e.g. 813-555-0100 or +18135550100.",
        )
    return "+1" + ten


def try_e164(number: str) -> str | None:
    """E.164 for a US number, or None (used where a bad cell must not stop the whole run)."""
    ten = ten_digits(number)
    return None if ten is None else "+1" + ten


def us_form(number: str) -> str:
    """+13055550100 as a US agent writes it, (305) 555-0100: how every sheet's Phone column, the
    calendar and the messages show a number; any other text as given (so the sheets' reader,
    `workbook.port.stored_phone`, gives back exactly what was shown)."""
    if len(number) == 12 and number.startswith("+1") and number[1:].isdigit() and number.isascii() and number[2] not in "01":
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number


def area_code(number: str) -> str | None:
    ten = ten_digits(number)
    return None if ten is None else ten[:3]
