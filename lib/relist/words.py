"""Counts in plain words: "1 touch", "2 touches" (no "1 touches" anywhere a person reads)."""

from __future__ import annotations

_IRREGULAR = {
    "touch": "touches",
    "reply": "replies",
    "copy": "copies",
    "is": "are",
    "was": "were",
    "has": "have",
    "knock": "knocks",
    "address": "addresses",
    "box": "boxes",
    "match": "matches",
    "entity": "entities",
    "city": "cities",
    "county": "counties",
    "property": "properties",
}


def plural(word: str) -> str:
    """The plural of an English noun as Relist uses them."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: int | float, word: str, many: str | None = None) -> str:
    """'1 touch', '0 touches', '2,300 calls'; `many` overrides the plural."""
    shown = f"{n:,}" if isinstance(n, int) or float(n).is_integer() else f"{n:,.1f}"
    if isinstance(n, float) and n.is_integer():
        shown = f"{int(n):,}"
    return f"{shown} {word if n == 1 else (many or plural(word))}"


def article(word: str) -> str:
    """'a call', 'an outcome'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word
