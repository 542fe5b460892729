"""Outreach channels benchmark: 500 letters merged into one PDF, and 100 marketing-plan PDFs.

Targets (issue 6): 500 letters < 10 s; 100 marketing plans < 20 s. Baseline: the same 500
letters laid out with fpdf2's own multi_cell (what a first version would write), which is
why the letters wrap text with the font's widths instead. The service figure adds reading the
workbook, building today's queue and asking compliance about every lead.
Run: .venv/bin/python benchmarks/bench_channels.py [--letters N] [--plans N] [--skip-service]
Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from relist.channels.labels import labels_pdf
from relist.channels.letters import letter_for, letters_pdf
from relist.channels.marketing_plan import marketing_plan_pdf
from relist.model import Lead
from relist.settings import SAMPLE_IDENTITY, from_pairs

NY = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 25, 10, 0, tzinfo=NY)
STREETS = ("Main St", "Palm Ave", "Bayshore Blvd", "Oak Ct", "Harbor View Rd", "Magnolia Dr")


def make_leads(n: int) -> list[Lead]:
    out = []
    for i in range(n):
        out.append(Lead(
            f"L{i:05d}", owner_name=f"Owner Number{i}", owner_first_name="Pat", owner_last_name=f"Number{i}",
            property_address=f"{100 + i} {STREETS[i % len(STREETS)]}", city="Tampa", state="FL", postal_code="33602",
            absentee=i % 4 == 0, mailing_address=f"{i} Far Rd", mailing_city="Sarasota", mailing_state="FL",
            mailing_postal_code="34236", list_price=350000 + 1000 * i, expired_at=AT - timedelta(days=2),
            fields={"DaysOnMarket": 60 + i % 90, "PhotosCount": 8 + i % 30, "RemarksLength": 200 + i * 3 % 700,
                    "PriceHistory": "2026-05-01:450000;2026-07-01:430000;2026-09-01:415000",
                    "BedroomsTotal": 3, "BathroomsTotal": 2, "LivingArea": 1800, "YearBuilt": 1990, "Cycle": 1 + i % 2},
        ))
    return out


def timed(label: str, fn, target: float | None = None) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    took = time.perf_counter() - t0
    goal = f"  (target < {target:g} s: {'met' if took < target else 'MISSED'})" if target else ""
    print(f"{label:<58} {took:7.2f} s{goal}")
    return took


def baseline_multicell(leads: list[Lead]) -> bytes:
    """The naive layout: fpdf2 multi_cell for every paragraph."""
    from fpdf import FPDF

    s = from_pairs(SAMPLE_IDENTITY.items())
    pdf = FPDF(unit="in", format="letter")
    pdf.set_auto_page_break(False)
    for lead in leads:
        letter = letter_for(lead, s, AT)
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(0.5, 2.042)
        pdf.multi_cell(3.5, 0.17, "\n".join(letter.address))
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(1.0, 3.375)
        pdf.multi_cell(6.5, 0.2, letter.body.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def service_letters(n: int) -> None:
    """Letters through the service on a real .xlsx: queue, compliance, templates, PDF."""
    from relist.channels import service
    from relist.demo import sample_agent
    from relist.workbook import open_workbook, template

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        template.build(path)
        book = open_workbook(path)
        sample_agent(book)  # the demo's agent and mark: a new workbook sends nothing
        start = (AT - timedelta(days=2)).replace(tzinfo=None)
        book.append_rows("tblLeads", [
            {"LeadId": f"L{i:05d}", "Status": "New", "ListingStatus": "Expired", "Contactable": True,
             "OwnerName": f"Owner {i}", "OwnerFirstName": "Pat", "PropertyAddress": f"{100 + i} Main St", "City": "Tampa",
             "State": "FL", "PostalCode": "33602", "ExpiredAt": start, "SequenceStart": start.date()}
            for i in range(n)
        ])
        book.save()
        book = open_workbook(path)
        result: list[int] = []
        took = timed(f"service: workbook + queue + compliance + {n} letters", lambda: result.append(
            len(service.letters(book, AT).letters)))
        print(f"{'':<58} {result[0]} letters made, {took / max(result[0], 1) * 1000:.1f} ms a letter")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=500)
    ap.add_argument("--plans", type=int, default=100)
    ap.add_argument("--skip-service", action="store_true", help="skip the end-to-end service figure")
    args = ap.parse_args()
    s = from_pairs(SAMPLE_IDENTITY.items())
    leads = make_leads(max(args.letters, args.plans))
    out: dict[str, bytes] = {}

    def letters() -> None:
        merged = [letter_for(x, s, AT) for x in leads[: args.letters]]
        out["letters"] = letters_pdf(merged, s, AT)
        out["labels"] = labels_pdf([m.address for m in merged], s, AT)

    took = timed(f"{args.letters} letters merged into one PDF (+ Avery 5160 labels)", letters, 10)
    print(f"{'':<58} {len(out['letters']) / 1e6:.1f} MB, {took / args.letters * 1000:.1f} ms a letter")
    base = timed(f"baseline: the same {args.letters} letters with fpdf2 multi_cell", lambda: baseline_multicell(leads[: args.letters]))
    print(f"{'':<58} speed-up over baseline: {base / took:.1f}x")

    def plans() -> None:
        out["plans"] = b"".join(marketing_plan_pdf(x, s, AT) for x in leads[: args.plans])

    took = timed(f"{args.plans} marketing-plan PDFs (one file each)", plans, 20)
    print(f"{'':<58} {took / args.plans * 1000:.1f} ms a plan")
    if not args.skip_service:
        service_letters(args.letters)


if __name__ == "__main__":
    main()
