"""The drive-by and door-hanger route: ZIPs in drive order, then street, then house number.

ZIPs are visited nearest-first: from the ZIP of the agent's office (the ZIP in Settings >
Postal address) or, without one, from the westernmost ZIP on the route, each next ZIP is the
nearest unvisited one, by straight-line distance between ZIP centroids (the offline `zipcodes`
data). Within a street the odd side comes first going up the numbers, then the even
side coming back down (101, 107, 115, then 110, 102), so each side of the
street is walked together and the walk ends near where it started; this is
the same order as the doors section of Today's queue. Door hangers go on the
door, never in or on the mailbox: 18 U.S.C. 1725 forbids anything without
postage in a mailbox.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relist.channels.printing import (
    PAGE_H,
    PAGE_W,
    draw_logo,
    font,
    logo_file,
    new_pdf,
    output,
    paragraph,
    pdf_text,
    rule,
    text_lines,
    wrap,
)
from relist.channels.templates import merge_fields, render
from relist.model import Lead
from relist.settings import Settings

if TYPE_CHECKING:
    from fpdf import FPDF

MAILBOX_RULE = "Hang it on the door, never in or on the mailbox (18 U.S.C. 1725)."

# Common street suffixes and directionals, USPS Publication 28 appendix C1/B (partial).
SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVN": "AVE", "ROAD": "RD", "DRIVE": "DR",
    "DRV": "DR", "LANE": "LN", "COURT": "CT", "BOULEVARD": "BLVD", "BOUL": "BLVD", "PLACE": "PL",
    "TERRACE": "TER", "TERR": "TER", "CIRCLE": "CIR", "CIRC": "CIR", "PARKWAY": "PKWY", "PKY": "PKWY",
    "HIGHWAY": "HWY", "HIWAY": "HWY", "TRAIL": "TRL", "WAY": "WAY", "SQUARE": "SQ", "LOOP": "LOOP",
    "PIKE": "PIKE", "POINT": "PT", "COVE": "CV", "CROSSING": "XING", "RUN": "RUN", "PATH": "PATH",
    "ALLEY": "ALY", "EXPRESSWAY": "EXPY", "FREEWAY": "FWY", "HEIGHTS": "HTS", "HILL": "HL", "RIDGE": "RDG",
}
DIRECTIONALS = {
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
    "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
}
UNIT_WORDS = {"APT", "APARTMENT", "UNIT", "STE", "SUITE", "#", "LOT", "BLDG", "FL", "FLOOR", "RM", "ROOM", "SPC", "TRLR"}

_NUMBER = re.compile(r"^\s*(\d+)\s*([A-Z])?(?:\s*-\s*\d+[A-Z]?)?(?:\s+1/2)?\s+(.+)$")


def parse_street(address: str) -> tuple[int | None, str, str]:
    """House number, its text (e.g. '12B'), and the normalised street name ('MAIN ST') of an address line."""
    text = " ".join(address.upper().replace(".", " ").replace(",", " ").replace("#", " # ").split())
    m = _NUMBER.match(text)
    number: int | None = None
    number_text = ""
    rest = text
    if m:
        number = int(m.group(1))
        number_text = m.group(1) + (m.group(2) or "")
        rest = m.group(3)
    words: list[str] = []
    for word in rest.split():
        if word in UNIT_WORDS:
            break
        words.append(DIRECTIONALS.get(word, SUFFIXES.get(word, word)))
    return number, number_text, " ".join(words)


def street_as_written(address: str) -> str:
    """The street of an address line as the owner wrote it ('Hill Ct', 'N. Oak Ave'): no house number, unit or comma."""
    text = " ".join(address.replace(",", " ").replace("#", " # ").split())
    m = re.match(r"^\s*\d+\s*[A-Za-z]?(?:\s*-\s*\d+[A-Za-z]?)?(?:\s+1/2)?\s+(.+)$", text)
    rest = m.group(1) if m else text
    words: list[str] = []
    for word in rest.split():
        if word.upper().rstrip(".") in UNIT_WORDS or word == "#":
            break
        words.append(word)
    return " ".join(words).strip(" .") or address.strip()


@dataclass(frozen=True)
class Stop:
    """One house on the route."""

    lead_id: str
    owner: str
    address: str
    city: str
    zip: str
    number: int | None
    number_text: str
    street: str
    note: str = ""
    hanger: bool = True
    street_name: str = ""
    """The street as written in the address ('Hill Ct'); `street` is its normalised key ('HILL CT')."""

    @property
    def side(self) -> str:
        if self.number is None:
            return ""
        return "even" if self.number % 2 == 0 else "odd"


@dataclass(frozen=True)
class StreetRun:
    """The stops on one street of one ZIP: the odd side up the numbers, then the even side back down."""

    zip: str
    street: str
    stops: tuple[Stop, ...]
    name: str = ""
    """The street as written in the addresses (the most common spelling among its stops)."""


def stop_for(lead: Lead, note: str = "") -> Stop:
    """A route stop at the property; absentee owners do not live there, so they get a drive-by and no hanger."""
    number, number_text, street = parse_street(lead.property_address)
    address = lead.property_address.strip()
    if lead.unit.strip():
        address = f"{address} #{lead.unit.strip().lstrip('#')}"
    hanger = not lead.absentee
    notes = [note] if note else []
    if lead.absentee:
        notes.insert(0, "Absentee: drive-by only")
    return Stop(
        lead.lead_id, lead.owner_name or lead.owner_name2, address, lead.city, lead.postal_code.strip()[:5],
        number, number_text, street or address.upper(), "; ".join(notes), hanger,
        street_as_written(lead.property_address),
    )


Point = tuple[float, float]
"""(latitude, longitude) in degrees."""


def zip_centroids(zips: Sequence[str]) -> dict[str, Point]:
    """Each ZIP's centroid from the offline `zipcodes` data; ZIPs it does not know are left out."""
    import zipcodes

    out: dict[str, Point] = {}
    for z in zips:
        try:
            found: list[dict[str, Any]] = zipcodes.matching(z)  # type: ignore[no-untyped-call]
        except (TypeError, ValueError):
            continue
        for entry in found:
            try:
                out[z] = (float(entry["lat"]), float(entry["long"]))
                break
            except (KeyError, TypeError, ValueError):
                continue
    return out


def distance_miles(a: Point, b: Point) -> float:
    """Great-circle distance between two (lat, long) points (haversine, Earth radius 3,958.8 miles)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def office_zip(settings: Settings) -> str:
    """The office ZIP: the last 5-digit group of Settings > Postal address ('' when there is none)."""
    found = re.findall(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)", settings.postal_address or "")
    return found[-1] if found else ""


def drive_order(zips: Sequence[str], centroids: Mapping[str, Point], start: Point | None = None) -> list[str]:
    """Nearest-neighbour order of the ZIPs from `start` (default: the westernmost ZIP); unknown ZIPs last, sorted."""
    known = sorted(z for z in set(zips) if z in centroids)
    unknown = sorted(z for z in set(zips) if z not in centroids)
    if not known:
        return unknown
    if start is None:
        first = min(known, key=lambda z: (centroids[z][1], z))
        order, here = [first], centroids[first]
        known.remove(first)
    else:
        order, here = [], start
    while known:
        nxt = min(known, key=lambda z: (distance_miles(here, centroids[z]), z))
        order.append(nxt)
        known.remove(nxt)
        here = centroids[nxt]
    return order + unknown


def plan_route(
    stops: Sequence[Stop], start_zip: str = "", centroids: Mapping[str, Point] | None = None
) -> list[StreetRun]:
    """ZIPs in drive order (nearest first from `start_zip`, else from the westernmost), then street, then house
    number: odd side ascending, even side descending, unnumbered last."""
    zips = sorted({s.zip or "~" for s in stops})
    if centroids is None:
        centroids = zip_centroids([*zips, *([start_zip] if start_zip else [])])
    start = centroids.get(start_zip) if start_zip else None
    rank = {z: i for i, z in enumerate(drive_order(zips, centroids, start))}

    def key(s: Stop) -> tuple[int, str, int, int, str, str]:
        if s.number is None:
            side, order = 2, 0
        elif s.number % 2:
            side, order = 0, s.number
        else:
            side, order = 1, -s.number
        return (rank[s.zip or "~"], s.street, side, order, s.number_text, s.lead_id)

    ordered = sorted(stops, key=key)
    runs = []
    for (z, st), group in groupby(ordered, key=lambda s: (s.zip or "~", s.street)):
        members = tuple(group)
        spellings = [s.street_name for s in members if s.street_name]
        name = max(spellings, key=lambda w: (spellings.count(w), -spellings.index(w))) if spellings else st
        runs.append(StreetRun(z, st, members, name))
    return runs


@dataclass(frozen=True)
class ZipStop:
    """One ZIP of the route for the overview: its place in the drive order, where it is, how many stops."""

    order: int
    zip: str
    city: str
    stops: int
    point: Point | None


def zip_overview(runs: Sequence[StreetRun], centroids: Mapping[str, Point] | None = None) -> list[ZipStop]:
    """The route's ZIPs in drive order with their stop counts and centroids."""
    counts: dict[str, int] = {}
    cities: dict[str, str] = {}
    for run in runs:
        counts[run.zip] = counts.get(run.zip, 0) + len(run.stops)
        cities.setdefault(run.zip, next((s.city for s in run.stops if s.city), ""))
    if centroids is None:
        centroids = zip_centroids([z for z in counts if z != "~"])
    return [ZipStop(i, z, cities[z], n, centroids.get(z)) for i, (z, n) in enumerate(counts.items(), start=1)]


def overview_png(zips: Sequence[ZipStop], office: Point | None = None) -> bytes:
    """A picture of the route: each ZIP at its centroid, numbered in drive order, sized by its stops, joined in
    order from the office; a key beside it names each number's ZIP, city and stop count (labels on a crowded map
    would overlap)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    placed = [z for z in zips if z.point is not None]
    fig = Figure(figsize=(7.5, 3.4), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.02, 0.62, 0.88))
    key = fig.add_axes((0.65, 0.02, 0.34, 0.88))
    key.axis("off")
    xs = [z.point[1] for z in placed if z.point]
    ys = [z.point[0] for z in placed if z.point]
    path_x, path_y = ([office[1]], [office[0]]) if office else ([], [])
    ax.plot(path_x + xs, path_y + ys, color="#8a8a8a", lw=1.2, ls="--", zorder=1)
    if office:
        ax.scatter([office[1]], [office[0]], marker="s", s=40, color="#222222", zorder=1.5, label="Your office")
    most = max((z.stops for z in placed), default=1)
    ax.scatter(xs, ys, s=[70 + 230 * z.stops / most for z in placed], color="#2b6cb0", alpha=0.8,
               edgecolor="white", zorder=2)
    for z in placed:
        assert z.point is not None
        ax.annotate(str(z.order), (z.point[1], z.point[0]), ha="center", va="center", color="white",
                    fontsize=8, fontweight="bold", zorder=4)
    every_x, every_y = xs + path_x, ys + path_y
    if every_x:
        pad_x = max(0.02, (max(every_x) - min(every_x)) * 0.08)
        pad_y = max(0.02, (max(every_y) - min(every_y)) * 0.08)
        ax.update_datalim([(min(every_x) - pad_x, min(every_y) - pad_y), (max(every_x) + pad_x, max(every_y) + pad_y)])
        ax.autoscale_view()
        mid = math.radians(sum(every_y) / len(every_y))
        ax.set_aspect(1 / max(math.cos(mid), 0.2), adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("ZIPs in drive order (west left, north up; dot size = stops)", fontsize=8)
    if office:
        ax.legend(loc="lower left", fontsize=7, frameon=False)
    lines = [f"{z.order}. {z.zip}  {z.city}".rstrip() + f" - {z.stops} stop{'s' if z.stops != 1 else ''}"
             + ("" if z.point else " (not on the map: ZIP unknown)") for z in zips]
    size = 8 if len(lines) <= 18 else max(4.5, 8 * 18 / len(lines))
    key.text(0.0, 1.0, "Drive order", fontsize=8.5, fontweight="bold", va="top", transform=key.transAxes)
    key.text(0.0, 0.93, "\n".join(lines), fontsize=size, va="top", linespacing=1.35, transform=key.transAxes)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


_COLS = (("", 0.25), ("#", 0.3), ("Address", 2.0), ("Side", 0.45), ("Owner", 1.85), ("Note", 1.65), ("Outcome", 1.0))
OVERVIEW_H = 3.4
"""Height of the overview picture on page 1, inches (7.5 wide)."""


def route_sheet_pdf(
    runs: Sequence[StreetRun], skipped: Sequence[tuple[str, str, str]], settings: Settings, at: datetime,
    centroids: Mapping[str, Point] | None = None,
) -> bytes:
    """The printable route: an overview picture of the ZIPs in drive order, then one section per ZIP and street,
    a box to tick and a line for the outcome. Owner names and notes wrap; nothing is cut.

    `skipped` rows are (lead id, owner, reason) for leads due a visit that compliance refused.
    """
    local = at.astimezone(settings.tz)
    pdf = new_pdf(f"Door-knock route {local:%Y-%m-%d}", settings, at)
    stops = sum(len(r.stops) for r in runs)
    bottom = PAGE_H - 0.6
    size, step = 9, 9 / 72 * 1.25

    def page(first: bool = False) -> float:
        pdf.add_page()
        font(pdf, 15, "B")
        text_lines(pdf, 0.5, 0.45, [pdf_text(f"Drive-by and door-hanger route - {local:%A %B} {local.day}, {local.year}")], 15)
        y = 0.78
        if first:
            intro = (f"{stops} stop{'s' if stops != 1 else ''}. {MAILBOX_RULE} "
                     "ZIPs in drive order, nearest first (numbered on the picture); then street; "
                     "each street's odd side going up, then its even side coming back.")
            y = paragraph(pdf, 0.5, y, PAGE_W - 1.0, intro, 9) + 0.05
            if runs:
                zips = zip_overview(runs, centroids)
                start = office_zip(settings)
                office = (centroids or zip_centroids([start])).get(start) if start else None
                pdf.image(io.BytesIO(overview_png(zips, office)), x=0.5, y=y, w=PAGE_W - 1.0, h=OVERVIEW_H)
                y += OVERVIEW_H + 0.08
        font(pdf, 8, "B")
        x = 0.5
        for name, w in _COLS:
            text_lines(pdf, x, y, [name], 8)
            x += w
        rule(pdf, 0.5, y + 0.17, PAGE_W - 0.5, gray=90)
        return y + 0.22

    y = page(first=True)
    n = 0
    zip_no = 0
    current_zip = None
    zip_counts: dict[str, int] = {}
    for r in runs:
        zip_counts[r.zip] = zip_counts.get(r.zip, 0) + len(r.stops)
    for run in runs:
        if y + 0.55 > bottom:
            y = page()
        if run.zip != current_zip:
            current_zip = run.zip
            zip_no += 1
            font(pdf, 11, "B")
            city = next((s.city for s in run.stops if s.city), "")
            count = zip_counts[run.zip]
            head = f"{zip_no}. ZIP {run.zip if run.zip != '~' else '(none)'}  {city}".rstrip()
            y = text_lines(pdf, 0.5, y + 0.05, [pdf_text(f"{head} - {count} stop{'s' if count != 1 else ''}")], 11)
        font(pdf, 10, "B")
        y = text_lines(pdf, 0.6, y + 0.02, [pdf_text(run.name or run.street)], 10)
        for stop in run.stops:
            n += 1
            font(pdf, size)
            cells = [str(n), stop.address, stop.side, f"{stop.owner} ({stop.lead_id})".lstrip(), stop.note]
            wrapped = [wrap(pdf, pdf_text(value), w - 0.08) for (_, w), value in zip(_COLS[1:6], cells, strict=True)]
            height = max(0.27, max(len(lines) for lines in wrapped) * step + 0.08)
            if y + height > bottom:
                y = page()
                font(pdf, size)
            pdf.set_line_width(0.01)
            pdf.rect(0.52, y + 0.03, 0.13, 0.13)
            x = 0.5 + _COLS[0][1]
            for (_, w), lines in zip(_COLS[1:6], wrapped, strict=True):
                text_lines(pdf, x, y + 0.02, lines, size, step)
                x += w
            rule(pdf, x, y + 0.19, x + _COLS[6][1] - 0.05, gray=120)
            y += height
    if skipped:
        if y + 0.6 > bottom:
            y = page()
        font(pdf, 11, "B")
        y = text_lines(pdf, 0.5, y + 0.15, ["Not on today's route (compliance)"], 11)
        for lead_id, owner, reason in skipped:
            if y + 0.25 > bottom:
                y = page()
            y = paragraph(pdf, 0.6, y, PAGE_W - 1.1, f"{lead_id}  {owner}: {reason}", 9, bottom=bottom, new_page=page)
    return output(pdf)


# ------------------------------------------------------------------ door hangers

HANGER_W, HANGER_H = PAGE_W / 2, PAGE_H
"""Two 4.25 x 11 in hangers per US Letter sheet, cut down the middle."""
KNOB_RADIUS = 0.75
KNOB_CENTER_Y = 1.15


@dataclass(frozen=True)
class Hanger:
    """One door hanger's words."""

    lead_id: str
    headline: str
    body: str


def hanger_for(
    lead: Lead, settings: Settings, at: datetime, template: str = "", *, dirs: Sequence[Path | str] = ()
) -> Hanger:
    """Render the door-hanger template: its first line is the headline, the rest the message."""
    text = render("door", template, merge_fields(lead, settings, "door", at), lead_id=lead.lead_id, dirs=dirs)
    head, _, body = text.partition("\n")
    return Hanger(lead.lead_id, head.strip(), body.strip())


def _draw_hanger(pdf: FPDF, x0: float, hanger: Hanger, settings: Settings, logo: Path | None) -> None:
    cx = x0 + HANGER_W / 2
    pdf.set_draw_color(160)
    pdf.set_line_width(0.01)
    pdf.set_dash_pattern(dash=0.06, gap=0.05)
    pdf.rect(x0 + 0.1, 0.1, HANGER_W - 0.2, HANGER_H - 0.2)
    pdf.ellipse(cx - KNOB_RADIUS, KNOB_CENTER_Y - KNOB_RADIUS, 2 * KNOB_RADIUS, 2 * KNOB_RADIUS)
    pdf.line(cx, 0.1, cx, KNOB_CENTER_Y - KNOB_RADIUS)  # the slit that lets it slip over the knob
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)
    inner_x, inner_w = x0 + 0.4, HANGER_W - 0.8
    y = KNOB_CENTER_Y + KNOB_RADIUS + 0.35
    if logo is not None:
        draw_logo(pdf, logo, inner_x, y, inner_w, 0.7)
        y += 0.85
    y = paragraph(pdf, inner_x, y, inner_w, hanger.headline, 20, "B", align="C", leading=0.34)
    y += 0.2
    for para in hanger.body.split("\n\n"):
        y = paragraph(pdf, inner_x, y, inner_w, para, 12, leading=0.21)
        y += 0.14
    foot = HANGER_H - 2.2
    rule(pdf, inner_x, foot - 0.1, inner_x + inner_w, gray=120)
    y = paragraph(pdf, inner_x, foot, inner_w, settings.agent_name, 14, "B", align="C")
    details = [settings.brokerage, f"License No. {settings.license_number}", settings.phone, settings.email, settings.website]
    for d in details:
        if d.strip():
            y = paragraph(pdf, inner_x, y, inner_w, d, 10, align="C")
    font(pdf, 7)
    text_lines(pdf, inner_x, HANGER_H - 0.45, [pdf_text("Left on your door - never in your mailbox.")], 7, align="C", width=inner_w)


def door_hangers_pdf(hangers: Sequence[Hanger], settings: Settings, at: datetime) -> bytes:
    """Two hangers per sheet with cut lines and the knob hole marked."""
    settings.require("AgentName", "Brokerage", "LicenseNumber")
    logo = logo_file(settings)
    pdf = new_pdf(f"Door hangers {at.astimezone(settings.tz):%Y-%m-%d}", settings, at)
    for i, hanger in enumerate(hangers):
        if i % 2 == 0:
            pdf.add_page()
        _draw_hanger(pdf, (i % 2) * HANGER_W, hanger, settings, logo)
    if not hangers:
        pdf.add_page()
        paragraph(pdf, 0.5, 0.5, PAGE_W - 1, "No door hangers today.", 12)
    return output(pdf)

