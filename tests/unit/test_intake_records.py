"""The new-lead rows the importer writes equal the ones relist.leads.lead_to_record gives for the same Lead."""

from __future__ import annotations

from typing import Any

import pytest

from relist import sample_data
from relist.intake import phones as phone_rules
from relist.intake.aliases import default_aliases
from relist.intake.match import LeadIndex, LeadState
from relist.intake.pipeline import Importer, Options, extra_text, run
from relist.intake.sources import RawTable
from relist.leads import lead_to_record, phone_records
from relist.model import Lead, Phone


def _reference(importer: Importer, st: LeadState) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The row and phone rows by way of a Lead object (how the importer first built them)."""
    item = st.listing
    assert item is not None
    d = item.details()
    cols = dict(item.columns)
    o = d.owners
    expired_local = importer._local(item.expired_at)
    start = (max(expired_local.date(), importer.today) if expired_local else importer.today) if item.contactable else None
    price = cols.pop("ListPrice", None)
    history = []
    if cols.get("OriginalListPrice") and cols.get("ListingContractDate"):
        history.append(f"{cols['ListingContractDate']}:{int(cols['OriginalListPrice'])}")
    if price and (not cols.get("OriginalListPrice") or price != cols.get("OriginalListPrice")):
        history.append(f"{importer.today}:{int(price)}")
    for c in ("Email", "ListingId"):
        cols.pop(c, None)
    mail = d.mailing
    lead = Lead(
        lead_id=st.lead_id, status="New" if item.contactable else "Not contactable", listing_status=item.status,
        contactable=item.contactable, not_contactable_reason=item.reason, owner_name=o.name, owner_name2=o.name2,
        owner_first_name=o.first, owner_last_name=o.last, entity_owner=o.entity,
        phones=tuple(Phone(p.number, p.position, p.vendor_dnc, p.status, p.extension, p.kind, p.litigator) for p in item.phones),
        email=item.columns.get("Email") or "", property_address=d.street, unit=item.unit, city=d.city, state=item.state,
        postal_code=item.postal_code, mailing_address=mail.line if mail else "", mailing_city=mail.city if mail else "",
        mailing_state=mail.state if mail else "", mailing_postal_code=mail.postal_code if mail else "",
        absentee=d.absentee, listing_id=item.listing_id, expired_at=item.expired_at, sequence_start=start, list_price=price,
        fields={
            **cols, "AddressKey": item.address_key, "ListAgentName": d.agent_name or None,
            "ListAgentPhone": d.agent_phone or None, "PriceHistory": ";".join(history) or None,
            "Vendor": importer.opts.vendor or None, "Cycle": 1, "ReExpired": False,
            "FirstImportedAt": importer.at_local, "UpdatedAt": importer.at_local, "Extra": extra_text(d.extra) or None,
        },
    )
    record = lead_to_record(lead, importer.opts.tz)
    record["TouchCount"] = 0
    record.update(st.record)
    rows = phone_records(lead)
    for p in rows:
        p["Display"] = phone_rules.display(p["Phone"])
        p["AddedAt"] = importer.at_local
    return record, rows


@pytest.mark.parametrize("layout", ["vendor", "matrix", "reso"])
def test_new_lead_rows_match_lead_to_record(layout: str) -> None:
    at = sample_data.DEFAULT_AT
    rows = sample_data.expired_export(300, seed=5, layout=layout, state=None)
    header = list(rows[0])
    table = RawTable("x.csv", [(1, header), *((n, [r[h] for h in header]) for n, r in enumerate(rows, start=2))])
    plan = run([table], default_aliases(), LeadIndex(), Options(at=at, tz=at.tzinfo, vendor="REDX"))  # type: ignore[arg-type]
    assert len(plan.new_leads) > 250
    for st in plan.new_leads:
        expected, expected_phones = _reference(plan.importer, st)
        plan.importer.materialize(st)
        assert list(st.record.items()) == list(expected.items())  # same values, same column order
        assert st.new_phones[: len(expected_phones)] == expected_phones
        assert st.listing is None
