"""Which clock is "local" for a lead: candidate time zones and states from the phone and the ZIP codes.

The phone's zones come from phonenumbers per exchange. When phonenumbers only knows the area
code (it fell back), the zones of every exchange of that area code are added, because the
fallback can be wrong (219 falls back to New_York though Gary/Hammond are Central; 423 falls back
to Chicago though it is mostly Eastern: compliance.md "Which clock is local"). Toll-free numbers
give dozens of zones. ZIP zones come from the offline `zipcodes` data (military ZIPs have none).
The phone's state and every ZIP are read from the compact tables `zone_table` generates from those
same sources; when the tables do not match the installed sources, the sources are asked directly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relist.compliance import zone_table
from relist.compliance.numbers import TOLL_FREE_AREAS, ten_digits

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

US_STATES: dict[str, str] = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Washington D.C.": "DC", "Washington DC": "DC", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI",
    "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY",
    "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE",
    "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    "Puerto Rico": "PR", "Guam": "GU", "Northern Mariana Islands": "MP", "American Samoa": "AS",
    "U.S. Virgin Islands": "VI", "US Virgin Islands": "VI",
}
_CODES = frozenset(US_STATES.values())


@dataclass(frozen=True)
class Place:
    """Where one source (phone exchange, property ZIP, mailing ZIP) puts the owner."""

    source: str  # "phone +1...", "property ZIP 33602", "mailing ZIP 09001"
    zones: tuple[str, ...]
    state: str = ""
    note: str = ""  # why no zone resolved, or a caveat (fallback, toll-free)

    @property
    def resolved(self) -> bool:
        return bool(self.zones)


@functools.lru_cache(maxsize=1)
def _area_exchange_zones() -> dict[str, frozenset[str]]:
    """Area code -> every zone phonenumbers knows for any of its exchanges."""
    from phonenumbers.tzdata import TIMEZONE_DATA

    out: dict[str, set[str]] = {}
    for prefix, zones in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            out.setdefault(prefix[1:4], set()).update(zones)
    return {k: frozenset(v) for k, v in out.items()}


def _matched_prefix_len(ten: str) -> int:
    """Length of the longest phonenumbers time-zone prefix matching +1<ten> (4 = area code only)."""
    from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

    full = "1" + ten
    for n in range(min(TIMEZONE_LONGEST_PREFIX, len(full)), 0, -1):
        if full[:n] in TIMEZONE_DATA:
            return n
    return 0


def state_from_description(text: str) -> str:
    """The state code a geocoder description names ('Tampa, FL', 'Florida'), or ''."""
    t = text.strip()
    if not t:
        return ""
    if "," in t:
        code = t.rsplit(",", 1)[1].strip().upper()
        if code in _CODES:
            return code
    return US_STATES.get(t, "")


@functools.lru_cache(maxsize=65536)
def phone_place(number: str) -> Place:
    """Candidate zones and state of a phone number, with the caveat when the exchange is not known."""
    ten = ten_digits(number)
    label = f"phone {number}"
    if ten is None:
        return Place(label, (), "", "not a US number")
    import phonenumbers
    from phonenumbers import timezone

    parsed = phonenumbers.parse("+1" + ten)
    zones = set(timezone.time_zones_for_number(parsed))
    zones.discard("Etc/Unknown")
    area = ten[:3]
    note = ""
    if not zones:
        return Place(label, (), "", f"no time zone known for area code {area} (unassigned or not geographic)")
    if area in TOLL_FREE_AREAS or len(zones) > 12:
        kind = "toll-free" if area in TOLL_FREE_AREAS else "non-geographic"
        return Place(label, tuple(sorted(zones)), "", f"{kind} number: no location, {len(zones)} candidate zones")
    if _matched_prefix_len(ten) <= 4:
        extra = _area_exchange_zones().get(area, frozenset()) - zones
        if extra:
            zones |= extra
            note = f"exchange not in the data: every zone of area code {area} counts ({', '.join(sorted(zones))})"
    return Place(label, tuple(sorted(zones)), _phone_state(parsed), note)


def _phone_state(parsed: PhoneNumber) -> str:
    """The state in the geocoder's English description of a +1 number, read from the compact table.

    The same steps as `phonenumbers.geocoder.description_for_number`: no description for an
    unknown number type, the longest described prefix for a geographic one, else the name of the
    one NANP region where the number is valid (none when it is valid in several).
    """
    from phonenumbers import (
        PhoneNumberType,
        is_number_type_geographical,
        is_valid_number_for_region,
        number_type,
        region_codes_for_country_code,
    )

    table = zone_table.phone_table()
    if table is None:
        from phonenumbers import geocoder

        return state_from_description(geocoder.description_for_number(parsed, "en"))
    kind = number_type(parsed)
    if kind == PhoneNumberType.UNKNOWN:
        return ""
    if is_number_type_geographical(kind, 1):
        digits = f"1{parsed.national_number}"
        for n in range(min(table.longest, len(digits)), 0, -1):
            found = table.prefixes.get(digits[:n])
            if found is not None:
                return found
    valid_in = [r for r in region_codes_for_country_code(1) if is_valid_number_for_region(parsed, r)]
    return table.regions.get(valid_in[0], "") if len(valid_in) == 1 else ""


def _zip_lookup(z: str) -> tuple[str, str, str] | None:
    """A ZIP's (time zone, state, "MILITARY" or ""), from the compact table, or None when not in the data."""
    table = zone_table.zip_table()
    if table is not None:
        return table.get(z)
    return _zip_source().get(z)


@functools.lru_cache(maxsize=1)
def _zip_source() -> dict[str, tuple[str, str, str]]:
    """The whole zipcodes table (about 0.5 s and 140 MB): only when the compact table cannot be used."""
    return zone_table.zip_entries_from_source()


def zip5(text: str) -> str:
    d = "".join(ch for ch in str(text) if ch.isdigit())
    if len(d) in (3, 4, 7, 8):  # ZIPs that lost their leading zero in a spreadsheet
        d = d.zfill(5 if len(d) < 5 else 9)
    return d[:5] if len(d) >= 5 else ""


@functools.lru_cache(maxsize=65536)
def zip_place(code: str, role: str = "property") -> Place:
    """Candidate zone and state of a ZIP code; military and unknown ZIPs resolve to no zone."""
    z = zip5(code)
    label = f"{role} ZIP {code}"
    if not z:
        return Place(label, (), "", "not a ZIP code")
    found = _zip_lookup(z)
    if found is None:
        return Place(label, (), "", "ZIP not in the offline ZIP data")
    tz, state, kind = found
    state = state if state in _CODES else ""
    if not tz:
        why = "military ZIP: no time zone" if kind == "MILITARY" else "ZIP has no time zone in the data"
        return Place(label, (), state, why)
    return Place(label, (tz,), state)


def state_code(text: str) -> str:
    """A 2-letter US state code from a cell ('FL', 'fl', 'Florida'), or ''."""
    t = str(text or "").strip()
    if t.upper() in _CODES:
        return t.upper()
    return US_STATES.get(t.title(), "")
