"""Seller-facing wording: one date format, money, $/sq ft, and the words a seller must never read."""

from __future__ import annotations

import re
from datetime import date, datetime

INTERNAL_WORDS: tuple[str, ...] = (
    "LotSizeArea", "PhotosCount", "RemarksLength", "LivingArea", "BedroomsTotal", "BathroomsTotal", "YearBuilt",
    "ListPrice", "OriginalListPrice", "PriceHistory", "DaysOnMarket", "CumulativeDaysOnMarket", "ListingContractDate",
    "PostalCode", "Latitude", "Longitude", "AddressKey", "ListingId", "LeadId", "CompId", "ClosePrice", "CloseDate",
    "PropertyType", "tblComps", "tblLeads", "Settings >", "Leads >", "None", "nan", "subject", "DOM",
)
"""Field names and internal words that must not appear on anything a seller reads."""

_INTERNAL = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in INTERNAL_WORDS if w[-1].isalnum()) + r")\b|Settings >|Leads >")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def human_date(day: date | datetime) -> str:
    """November 25, 2026: the one date format a seller reads."""
    return f"{day:%B} {day.day}, {day.year}"


def money(value: float) -> str:
    """$454,500"""
    return f"${value:,.0f}"


def per_sqft(value: float) -> str:
    """$253/sq ft, or $252.50/sq ft when the cents matter (so median x area checks out on the slide)."""
    cents = round(value * 100)
    return f"${value:,.0f}/sq ft" if cents % 100 == 0 else f"${value:,.2f}/sq ft"


def price_range(low: float, high: float) -> str:
    """$430,000 to $480,000"""
    return f"{money(low)} to {money(high)}"


def internal_words(text: str) -> list[str]:
    """Field names, internal words and ISO dates found in seller-facing text (empty when clean)."""
    return sorted({m.group(0) for m in _INTERNAL.finditer(text)} | set(_ISO.findall(text)))
