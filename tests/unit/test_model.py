"""The domain's small rules on its plain data: which phone is the one to dial first."""

from __future__ import annotations

from relist.model import Lead, Phone, best_phone


def test_best_phone_skips_litigator_and_dnc_numbers_while_a_clean_one_exists() -> None:
    lead = Lead("L000001", phones=[
        Phone("+18135550101", 1, litigator=True), Phone("+18135550102", 2, vendor_dnc=True),
        Phone("+18135550103", 3, status="Bad"), Phone("+18135550104", 4), Phone("+18135550105", 5),
    ])
    best = lead.best_phone()
    assert best is not None and best.number == "+18135550104"


def test_a_verified_number_comes_before_an_earlier_active_one() -> None:
    got = best_phone([Phone("+18135550111", 1), Phone("+18135550112", 2, status="Verified")])
    assert got is not None and got.number == "+18135550112"


def test_no_best_phone_when_every_usable_number_is_flagged() -> None:
    assert best_phone([Phone("+18135550121", 1, litigator=True), Phone("+18135550122", 2, vendor_dnc=True, litigator=True),
                       Phone("+18135550123", 3, status="Retired")]) is None
    assert best_phone([]) is None


def test_a_non_owner_contacts_number_is_never_dialled_as_the_owners() -> None:
    lead = Lead("L000002", phones=[Phone("+18135550131", 1, status="Not owner"), Phone("+18135550132", 2, status="Not owner")])
    assert lead.usable_phones() == [] and lead.best_phone() is None
