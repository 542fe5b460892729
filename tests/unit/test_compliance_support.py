"""Builders shared by the compliance tests (a registry folder, a context, a lead), and their own checks."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from tests.identity import agent_settings

from relist.compliance.registry import AreaInfo, Registry, area_file, checksum, write_manifest
from relist.compliance.verdict import ComplianceContext
from relist.compliance.zones import phone_place, zip_place
from relist.model import Lead, Phone
from relist.settings import Settings

NY = ZoneInfo("America/New_York")
_PROBE = datetime(2026, 7, 1, 12, 0)
SETTINGS = agent_settings()


def write_registry(folder: Path, areas: Mapping[str, Iterable[int]], downloaded: date) -> Registry:
    """A registry folder holding the given 7-digit numbers per area code (written directly)."""
    folder.mkdir(parents=True, exist_ok=True)
    infos: dict[str, AreaInfo] = {}
    for area, subs in areas.items():
        arr = np.unique(np.array(sorted(subs), dtype=np.uint32))
        data = arr.astype("<u4")
        data.tofile(area_file(folder, area))
        infos[area] = AreaInfo(area, downloaded, int(arr.shape[0]), "test", "", "full", checksum(data))
    write_manifest(folder, infos)
    return Registry.open(folder)


def make_ctx(
    registry: Registry | None = None,
    internal_phones: Iterable[str] = (),
    internal_emails: Iterable[str] = (),
    contact_log: Mapping[str, Sequence[tuple[datetime, str]]] | None = None,
    dnc_requests: Mapping[str, datetime] | None = None,
    settings: Settings | None = None,
) -> ComplianceContext:
    return ComplianceContext(
        settings=settings or SETTINGS,
        registry=registry if registry is not None else Registry.empty(),
        internal_phones=frozenset(internal_phones),
        internal_emails=frozenset(internal_emails),
        contact_log=contact_log or {},
        dnc_requests=dnc_requests or {},
    )


def make_lead(
    lead_id: str = "L1",
    phones: Sequence[str | Phone] = ("+18135550142",),
    state: str = "FL",
    postal_code: str = "33602",
    **kw: Any,
) -> Lead:
    ps = tuple(p if isinstance(p, Phone) else Phone(p, position=i + 1) for i, p in enumerate(phones))
    kw.setdefault("property_address", "1 Main St")
    kw.setdefault("email", "owner@example.com")
    return Lead(lead_id, phones=ps, state=state, postal_code=postal_code, **kw)


@functools.lru_cache(maxsize=128)
def place_for_state(state: str) -> tuple[str, str, ZoneInfo]:
    """A (ZIP, phone, zone) of `state` whose ZIP and phone exchange agree on one single zone."""
    import zipcodes
    from phonenumbers.tzdata import TIMEZONE_DATA

    for z in zipcodes.filter_by(state=state):
        tz = z.get("timezone")
        if not tz or z.get("zip_code_type") != "STANDARD":
            continue
        for area in z.get("area_codes") or []:
            for prefix in ["1" + area] + [k for k in TIMEZONE_DATA if len(k) == 7 and k.startswith("1" + area)]:
                if len(TIMEZONE_DATA.get(prefix, ())) != 1:
                    continue
                phone = "+" + prefix + ("5550142" if len(prefix) == 4 else "0142")
                p = phone_place(phone)
                # America/Detroit and America/New_York are distinct names for the same clock
                same_clock = len(p.zones) == 1 and ZoneInfo(p.zones[0]).utcoffset(_PROBE) == ZoneInfo(tz).utcoffset(_PROBE)
                if same_clock and p.state == state and zip_place(z["zip_code"]).zones == (tz,):
                    return z["zip_code"], phone, ZoneInfo(tz)
    raise LookupError(f"no single-zone ZIP and phone for {state}")


def local(day: date, hh: int, mm: int, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=zone)


def first_day(start: date, ok: Any) -> date:
    d = start
    while not ok(d):
        d += timedelta(days=1)
    return d


# ---------------------------------------------------------------- the builders themselves


def test_write_registry_round_trips(tmp_path: Path) -> None:
    reg = write_registry(tmp_path / "r", {"813": [5550142, 5550143], "727": []}, date(2026, 11, 1))
    assert reg.is_listed("+18135550142") and not reg.is_listed("+18135550144")
    assert reg.status("727", date(2026, 11, 2)).state == "fresh"
    assert reg.status("305", date(2026, 11, 2)).state == "missing"


def test_place_for_state_agrees_on_one_zone() -> None:
    zip_code, phone, zone = place_for_state("TX")
    assert zip_place(zip_code).state == "TX" and phone_place(phone).zones == (zone.key,)
