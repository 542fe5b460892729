"""Message templates: Jinja2 files the agent can edit, merge fields, and refusals that name the missing field.

Templates live in `relist/data/templates/<kind>/<name>.txt.j2` (kind: texts,
letters, door, emails). A folder named by RELIST_TEMPLATES, or given by the
caller (the CLI passes `templates/` beside the workbook), is searched first,
so an agent's copy of a template wins over the shipped one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from relist.errors import TemplateError
from relist.model import Lead
from relist.settings import Settings

Kind = Literal["texts", "letters", "door", "emails"]
KINDS: tuple[Kind, ...] = ("texts", "letters", "door", "emails")
SUFFIX = ".txt.j2"

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
"""The shipped templates (copy them with `relist templates --copy-to DIR` to edit)."""

DEFAULT_TEMPLATE: dict[Kind, str] = {
    "texts": "first-text",
    "letters": "expired-letter",
    "door": "door-hanger",
    "emails": "marketing-plan",
}

FIELD_SOURCES: dict[str, str] = {
    "owner_first_name": "Leads > First name",
    "owner_last_name": "Leads > Last name",
    "owner_name": "Leads > Owner",
    "owner_name2": "Leads > Owner 2",
    "salutation": "Leads > Owner and Owner 2 (people, not companies or trusts)",
    "street": "Leads > Address",
    "unit": "Leads > Unit",
    "city": "Leads > City",
    "state": "Leads > State",
    "zip": "Leads > ZIP",
    "property_address": "Leads > Address, City, State, ZIP",
    "mailing_address": "Leads > Mailing address, Mailing city, Mailing state, Mailing ZIP",
    "list_price": "Leads > List price",
    "original_list_price": "Leads > Original price",
    "days_on_market": "Leads > Days on market",
    "expired_on": "Leads > Expired",
    "listing_id": "Leads > MLS number",
    "bedrooms": "Leads > Beds",
    "bathrooms": "Leads > Baths",
    "living_area": "Leads > Square feet",
    "year_built": "Leads > Year built",
    "agent_name": "Settings > Your name",
    "agent_first_name": "Settings > Your name",
    "brokerage": "Settings > Brokerage",
    "license_number": "Settings > License number",
    "agent_phone": "Settings > Phone",
    "agent_email": "Settings > Email",
    "website": "Settings > Website",
    "postal_address": "Settings > Postal address",
    "today": "the --at date",
    "opt_out": "the channel (texts and letters)",
}
"""Every merge field a template may use, and where its value comes from (used in refusals)."""

OPT_OUT_LINES: dict[Kind, str] = {
    "texts": "Reply STOP to opt out.",
    "letters": "If you would rather not hear from me, call or text {phone} and I will take you off my list.",
    "door": "Rather not hear from me? Call or text {phone} and I will take you off my list.",
    "emails": "Reply with the word unsubscribe and I will not email you again.",
}


def money(value: Any) -> str:
    """$425,000 from 425000 (blank when not a number)."""
    try:
        return f"${float(value):,.0f}"
    except (TypeError, ValueError):
        return ""


def long_date(value: date | datetime | None) -> str:
    """November 25, 2026."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def _num(value: Any, fmt: str = "{:,.0f}") -> str:
    if value is None or value == "":
        return ""
    try:
        return fmt.format(float(value))
    except (TypeError, ValueError):
        return str(value)


def _join(*parts: str) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def city_line(city: str, state: str, postal: str) -> str:
    """Tampa, FL 33602."""
    left = city.strip()
    right = " ".join(p.strip() for p in (state, postal) if p and p.strip())
    return f"{left}, {right}" if left and right else left or right


def owner_first_names(lead: Lead) -> list[str]:
    """The first name of every person named as an owner (empty when an owner is a company, trust or estate)."""
    from relist.intake.owners import first_last, is_entity

    names = [n.strip() for n in (lead.owner_name, lead.owner_name2) if n and n.strip()]
    if not names or any(is_entity(n) for n in names):
        return []
    firsts = []
    for i, n in enumerate(names):
        first = lead.owner_first_name.strip() if i == 0 and lead.owner_first_name.strip() else first_last(n)[0]
        if first and first not in firsts:
            firsts.append(first)
    return firsts


def salutation(lead: Lead) -> str:
    """'Matthew and Grace': every owner the letter is addressed to, by first name (blank for a company or trust)."""
    firsts = owner_first_names(lead)
    return " and ".join(firsts) if len(firsts) <= 2 else ", ".join(firsts[:-1]) + " and " + firsts[-1]


_UNITS = r"(?:days|weeks|months|years|sq\.? ?ft|square feet|bedrooms|bathrooms|photos|homes|sales)"
_NO_NUMBER = (
    re.compile(r"\b(?:last|past|next|after|within|over)\s+(?:the\s+)?(?:days|weeks|months|years)\b", re.IGNORECASE),
    re.compile(r"\S\s{2,}" + _UNITS + r"\b", re.IGNORECASE),
    re.compile(r"\$(?!\d)"),
    re.compile(r"(?<![\d ])\s*%|(?<=\s)%"),
)
"""Phrases that need a number and have none: 'in the last months', 'after  days' (an empty field), '$ ', ' %'."""


def missing_number(text: str) -> str:
    """The first phrase that needs a number and has none, or ''."""
    for rule in _NO_NUMBER:
        m = rule.search(text)
        if m:
            start = text.rfind(" ", 0, max(0, m.start() - 8)) + 1
            return " ".join(text[start:m.end()].split())
    return ""


def merge_fields(lead: Lead, settings: Settings, kind: Kind, at: datetime | None = None) -> dict[str, str]:
    """The merge fields for one lead; blank values are left out so a template that uses one is refused."""
    street = lead.property_address.strip().rstrip(".")  # "Ct." would end a sentence with ".."
    street_unit = f"{street} #{lead.unit.strip()}" if lead.unit.strip() and street else street
    mailing = _join(lead.mailing_address, city_line(lead.mailing_city, lead.mailing_state, lead.mailing_postal_code))
    f = lead.fields
    expired = lead.expired_at.astimezone(settings.tz) if lead.expired_at is not None else None
    at_local = at.astimezone(settings.tz) if at is not None else None
    phone = settings.phone.strip()
    values: dict[str, str] = {
        "owner_first_name": lead.owner_first_name,
        "owner_last_name": lead.owner_last_name,
        "owner_name": lead.owner_name,
        "owner_name2": lead.owner_name2,
        "salutation": salutation(lead),
        "street": street,
        "unit": lead.unit,
        "city": lead.city,
        "state": lead.state,
        "zip": lead.postal_code,
        "property_address": _join(street_unit, city_line(lead.city, lead.state, lead.postal_code)),
        "mailing_address": mailing,
        "list_price": money(lead.list_price),
        "original_list_price": money(f.get("OriginalListPrice")),
        "days_on_market": _num(f.get("DaysOnMarket")),
        "expired_on": long_date(expired),
        "listing_id": lead.listing_id,
        "bedrooms": _num(f.get("BedroomsTotal")),
        "bathrooms": _num(f.get("BathroomsTotal"), "{:g}"),
        "living_area": _num(f.get("LivingArea")),
        "year_built": _num(f.get("YearBuilt"), "{:.0f}"),
        "agent_name": settings.agent_name,
        "agent_first_name": settings.agent_name.split()[0] if settings.agent_name.strip() else "",
        "brokerage": settings.brokerage,
        "license_number": settings.license_number,
        "agent_phone": phone,
        "agent_email": settings.email,
        "website": settings.website,
        "postal_address": settings.postal_address,
        "today": long_date(at_local),
        "opt_out": OPT_OUT_LINES[kind].format(phone=phone) if phone or "{phone}" not in OPT_OUT_LINES[kind] else "",
    }
    return {k: v.strip() for k, v in values.items() if v and str(v).strip()}


def template_dirs(extra: Sequence[Path | str] = ()) -> list[Path]:
    """Where templates are looked up, first match wins: `extra`, then RELIST_TEMPLATES, then the shipped set."""
    dirs = [Path(p) for p in extra]
    env = os.environ.get("RELIST_TEMPLATES", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    dirs.append(PACKAGE_DIR)
    return dirs


class _Missing(Exception):
    """A merge field the template used but the lead or Settings does not have."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...]) -> Any:
    import jinja2

    class Strict(jinja2.StrictUndefined):
        """StrictUndefined that says which field was missing."""

        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            raise _Missing(self._undefined_name or "?")

    # Undefined binds its dunders (__str__, __add__, ...) to the base method; point them at ours.
    base = jinja2.Undefined._fail_with_undefined_error
    for cls in (jinja2.Undefined, jinja2.StrictUndefined):
        for attr, value in vars(cls).items():
            if value is base and attr != "_fail_with_undefined_error":
                setattr(Strict, attr, Strict._fail_with_undefined_error)

    loader = jinja2.FileSystemLoader([d for d in dirs if Path(d).is_dir()])
    return jinja2.Environment(
        loader=loader,
        undefined=Strict,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def template_path(kind: Kind, name: str) -> str:
    """The loader name of a template: texts/first-text.txt.j2."""
    clean = name.strip()
    if not clean or "/" in clean or "\\" in clean or clean.startswith("."):
        raise TemplateError(f"{clean!r} is not a template name.", f"Use a file name from the {kind} folder, e.g. {DEFAULT_TEMPLATE[kind]}.")
    if clean.endswith(SUFFIX):
        clean = clean[: -len(SUFFIX)]
    return f"{kind}/{clean}{SUFFIX}"


def render(
    kind: Kind,
    name: str,
    fields: Mapping[str, str],
    *,
    lead_id: str = "",
    dirs: Sequence[Path | str] = (),
) -> str:
    """Render a template with merge fields; a field the template uses but the lead lacks is refused by name."""
    import jinja2

    name = name.strip() or DEFAULT_TEMPLATE[kind]
    where = template_dirs(dirs)
    env = _environment(tuple(str(d) for d in where))
    path = template_path(kind, name)
    try:
        template = env.get_template(path)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"There is no {kind[:-1] if kind.endswith('s') else kind} template named {name!r} ({path}).",
            "Check the Template column of the Sequence sheet, or add the file to your templates folder "
            f"(looked in: {', '.join(str(d) for d in where)}).",
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"Template {path} has a mistake on line {exc.lineno}: {exc.message}.",
            "Fix the template file (Jinja2 syntax: {{ field }}, {% if field is defined %}...{% endif %}).",
        ) from exc
    try:
        text = template.render(**fields)
    except _Missing as exc:
        source = FIELD_SOURCES.get(exc.name)
        who = f"lead {lead_id}" if lead_id else "this lead"
        if source is None:
            raise TemplateError(
                f"Template {path} uses {{{{ {exc.name} }}}}, which is not a merge field.",
                f"Use one of: {', '.join(sorted(FIELD_SOURCES))}.",
            ) from exc
        raise TemplateError(
            f"Template {path} needs {exc.name}, but {who} has none ({source} is blank).",
            f"Fill in {source}, or write {{{{ {exc.name} | default('...') }}}} in the template.",
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Template {path} cannot be rendered: {exc}.", "Fix the template file.") from exc
    text = tidy(text)
    gap = missing_number(text)
    if gap:
        raise TemplateError(
            f"Template {path} would print {gap!r} with no number in it.",
            "Write the number into the template, or use a merge field that has one (e.g. {{ days_on_market }} days).",
        )
    return text


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank lines at the ends."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def list_templates(kind: Kind, dirs: Sequence[Path | str] = ()) -> list[str]:
    """Names of the templates of one kind visible from the lookup folders."""
    names: set[str] = set()
    for d in template_dirs(dirs):
        folder = d / kind
        if folder.is_dir():
            names.update(p.name[: -len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}"))
    return sorted(names)


def copy_defaults(dest: Path, overwrite: bool = False) -> list[Path]:
    """Copy the shipped templates to `dest` for editing; existing files are kept unless `overwrite`."""
    written: list[Path] = []
    for src in sorted(PACKAGE_DIR.rglob(f"*{SUFFIX}")):
        target = dest / src.relative_to(PACKAGE_DIR)
        if target.exists() and not overwrite:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)
    return written
