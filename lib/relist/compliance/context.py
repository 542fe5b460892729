"""The context the verdict's rules take, loaded from a workbook: settings, the DNC sheet, past calls
and texts, DNC requests, the rule tables and the registry copy beside the workbook, with the
caches that make a year's touch log cheap to read. The rules themselves (`compliance.verdict`)
take values only and never read a workbook.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from relist.bulk import paused_gc
from relist.compliance.registry import Registry
from relist.compliance.rules import load_rules

if TYPE_CHECKING:
    from relist.compliance.verdict import ComplianceContext
    from relist.workbook.port import WorkbookPort

_PHONE_CHANNELS = ("call", "text")  # verdict.PHONE_CHANNELS: the channels whose past contacts the caps count


def registry_dir_for(book: object) -> Path | None:
    """`<workbook stem>.dnc/` beside the workbook file, or None for a book without a path."""
    path = getattr(book, "path", None)
    if not path:
        return None
    p = Path(path)
    return p.with_name(p.stem + ".dnc")


_TOUCH_COLUMNS = ("TouchId", "LeadId", "At", "Channel", "Outcome", "UndoOf")
_INDEX_COLUMNS = ("TouchId", "LeadId", "At", "Channel", "UndoOf")
_INDEX_CELLS = itemgetter(*_INDEX_COLUMNS)


class _RequestTouches:
    """The workbook as `read_dnc_state` sees it, with the touch log cut to the rows that decide DNC requests.

    Those are undo rows and do-not-contact outcomes (which stand for good,
    however old); past calls and texts are indexed by `_ContactLog` instead,
    so the per-row time-zone work is done only for leads the rules ask about.
    """

    def __init__(self, book: WorkbookPort, touches: list[dict[str, Any]]) -> None:
        self._book = book
        self._touches = touches

    def read_records(self, table: str, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        if table != "tblTouches" or columns is None or not set(columns) <= set(_TOUCH_COLUMNS):
            return self._book.read_records(table, columns)
        from relist.compliance.internal_dnc import REQUEST_OUTCOMES

        def matters(r: dict[str, Any]) -> bool:
            outcome = r["Outcome"]
            return bool(r["UndoOf"]) or (outcome if outcome.__class__ is str else str(outcome or "")) in REQUEST_OUTCOMES

        return [r for r in self._touches if matters(r)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


@dataclass(frozen=True)
class KnownLog:
    """The touch log as the caller already holds it, so building the context does not read and index it again.

    `by_lead`: lead -> its touch rows that are not undo rows, each indexable as
    (TouchId, LeadId, At, Channel, ...) with At naive in the agent's zone (the
    sequence's TouchRow); `undone`: TouchIds an undo row cancels;
    `request_rows`: the undo rows and do-not-contact requests as tblTouches
    records (_TOUCH_COLUMNS).
    """

    by_lead: Mapping[str, Sequence[Sequence[Any]]]
    undone: Collection[str]
    request_rows: list[dict[str, Any]]


class _KnownContacts:
    """Lead -> (At, channel) of its calls and texts not before `margin`, taken from a KnownLog's rows when first asked."""

    def __init__(self, by_lead: Mapping[str, Sequence[Sequence[Any]]], undone: Collection[str], margin: datetime) -> None:
        self._by_lead = by_lead
        self._undone = undone
        self._margin = margin

    def get(self, lead: str, default: Any = ()) -> Any:
        rows = self._by_lead.get(lead)
        if rows is None:
            return default
        undone, margin = self._undone, self._margin
        return [
            (r[2], r[3])
            for r in rows
            if (r[3] == "call" or r[3] == "text")
            and not (r[2].__class__ is datetime and r[2].tzinfo is None and r[2] < margin)
            and r[0] not in undone
        ]

    def __contains__(self, lead: object) -> bool:
        return lead in self._by_lead

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_lead)


class _ContactLog(Mapping[str, Sequence[tuple[datetime, str]]]):
    """Lead -> its calls and texts since `since` (aware, oldest first): what `read_dnc_state` gives, built per lead on demand.

    Rows are grouped by lead with their cells as the workbook holds them
    (naive agent-local times); rows older than `since` by more than a day
    are dropped at once, and each lead's rows are converted and cut exactly
    when first asked for.
    """

    def __init__(
        self,
        touches: Iterable[dict[str, Any]],
        tz: ZoneInfo,
        since: datetime,
        undone: set[str] | None = None,
        *,
        columns: Mapping[str, Sequence[Any]] | None = None,
        known: KnownLog | None = None,
    ) -> None:
        """`columns`: the log read column by column (_TOUCH_COLUMNS), used instead of `touches` (no dict per row);
        `known`: the log as the caller already holds it, indexed by lead (no pass over the log at all)."""
        self._tz = tz
        self._since = since
        margin = since.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
        self._done: dict[str, tuple[tuple[datetime, str], ...]] = {}
        self._raw: dict[str, list[tuple[Any, str]]] | _KnownContacts
        if known is not None:
            self._raw = _KnownContacts(known.by_lead, known.undone, margin)
            return
        with paused_gc():
            if columns is not None:
                if undone is None:
                    undone = {str(u) for u in columns["UndoOf"] if u}
                cells: Iterable[tuple[Any, ...]] = zip(*(columns[c] for c in _INDEX_COLUMNS), strict=True)
            else:
                rows = list(touches)
                if undone is None:
                    undone = {str(r["UndoOf"]) for r in rows if r["UndoOf"]}
                cells = map(_INDEX_CELLS, rows)
            self._raw = self._index(cells, undone, margin)

    @staticmethod
    def _index(rows: Iterable[tuple[Any, ...]], undone: set[str], margin: datetime) -> dict[str, list[tuple[Any, str]]]:
        """Lead -> (At, channel) of its calls and texts not before `margin`, from (TouchId, LeadId, At, Channel, UndoOf) cells."""
        raw: dict[str, list[tuple[Any, str]]] = {}
        for tid, lead, at, channel, undo_of in rows:
            if channel != "call" and channel != "text":
                if channel.__class__ is str or str(channel or "") not in _PHONE_CHANNELS:
                    continue
                channel = str(channel)
            if at.__class__ is datetime and at.tzinfo is None and at < margin:
                continue
            if not lead or undo_of:
                continue
            if undone and str(tid or "") in undone:
                continue
            raw.setdefault(lead if lead.__class__ is str else str(lead), []).append((at, channel))
        return raw

    def _build(self, lead: str) -> tuple[tuple[datetime, str], ...]:
        got = self._done.get(lead)
        if got is None:
            from relist.clock import from_local_naive

            tz, since = self._tz, self._since
            out: list[tuple[datetime, str]] = []
            for at, channel in self._raw.get(lead, ()):
                if isinstance(at, (datetime, date)):
                    aware = from_local_naive(at, tz)
                    if aware is not None and aware >= since:
                        out.append((aware, channel))
            got = self._done[lead] = tuple(sorted(out))
        return got

    def __getitem__(self, lead: str) -> Sequence[tuple[datetime, str]]:
        if lead not in self._raw:
            raise KeyError(lead)
        got = self._build(lead)
        if not got:
            raise KeyError(lead)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter([k for k in self._raw if self._build(k)])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, lead: object) -> bool:
        return isinstance(lead, str) and lead in self._raw and bool(self._build(lead))


def _touch_rows(book: WorkbookPort, lead_ids: Collection[str] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str] | None]:
    """Touch rows for the contact log, rows for DNC requests, and the undone TouchIds (None: work them out from the rows).

    With `lead_ids` and a port that can read rows by a column's value (the live
    adapter), only those leads' touches, the request rows and the undo rows
    of requests are read, plus the UndoOf and Outcome columns: a click about
    one lead does not type the whole log.
    """
    pick = getattr(book, "records_if", None)
    column = getattr(book, "column_values", None)
    if lead_ids is None or pick is None or column is None:
        rows = book.read_records("tblTouches", list(_TOUCH_COLUMNS))
        return rows, rows, None
    from relist.compliance.internal_dnc import REQUEST_OUTCOMES

    wanted = set(lead_ids)
    cols = list(_TOUCH_COLUMNS)
    undone = {str(r["UndoOf"]) for r in pick("tblTouches", "UndoOf", bool, ["UndoOf"])}
    among = getattr(book, "records_in", None)  # the same rows without a call per cell, when the port can
    mine: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    if among is not None:
        mine = among("tblTouches", "LeadId", wanted, cols)
        requests = among("tblTouches", "Outcome", REQUEST_OUTCOMES, cols)
    else:
        mine = pick("tblTouches", "LeadId", lambda v: (v if v.__class__ is str else str(v or "")) in wanted, cols)
        requests = pick("tblTouches", "Outcome", lambda v: (v if v.__class__ is str else str(v or "")) in REQUEST_OUTCOMES, cols)
    ids = {str(r["TouchId"] or "") for r in requests} & undone
    if ids:
        requests += pick("tblTouches", "UndoOf", lambda v: bool(v) and str(v) in ids, cols)
    return mine, requests, undone


def _request_rows(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The log rows `read_dnc_state` can use (undo rows and do-not-contact requests), from the log read column by column."""
    from relist.compliance.internal_dnc import REQUEST_OUTCOMES

    keep = [i for i, u in enumerate(columns["UndoOf"]) if u]
    keep += [
        i
        for i, o in enumerate(columns["Outcome"])
        if o in REQUEST_OUTCOMES or (o is not None and o.__class__ is not str and str(o) in REQUEST_OUTCOMES)
    ]
    cols = [columns[c] for c in _TOUCH_COLUMNS]
    return [dict(zip(_TOUCH_COLUMNS, (col[i] for col in cols), strict=True)) for i in sorted(set(keep))]


def load_context(
    book: WorkbookPort,
    at: datetime,
    registry_dir: Path | None = None,
    *,
    lead_ids: Collection[str] | None = None,
    known: KnownLog | None = None,
) -> ComplianceContext:
    """Settings, the DNC sheet, past calls/texts and DNC requests from the workbook; the registry from its folder.

    The touch log is read once (six columns); DNC requests come from its undo
    and request rows, and past calls/texts are indexed per lead and converted
    only for the leads the rules look at (a year's log is 200,000 rows).
    `lead_ids` promises that only those leads will be asked about (logging
    one touch): the context then holds their past contacts only, and on the
    live adapter reads just their rows of the log. `known`: the log as the
    caller has already read and grouped it (building the queue): it is not
    read again.
    """
    from relist import settings as settings_mod
    from relist.compliance.internal_dnc import read_dnc_state
    from relist.compliance.verdict import ComplianceContext, _aware

    _aware(at)
    s = settings_mod.load(book)
    folder = registry_dir if registry_dir is not None else registry_dir_for(book)
    registry = Registry.open(folder) if folder is not None else Registry.empty()
    rules = load_rules(folder)
    longest = max((r.period for r in rules.rules if r.period is not None), default=timedelta(days=1))
    since = at - longest - timedelta(days=1)
    by_column = getattr(book, "read_columns", None)
    if known is not None:
        request_rows = known.request_rows
        contact_log = _ContactLog((), s.tz, since, known=known)
    elif lead_ids is None and by_column is not None:  # the whole log, column by column: no dict per row
        columns = by_column("tblTouches", list(_TOUCH_COLUMNS))
        request_rows = _request_rows(columns)
        contact_log = _ContactLog((), s.tz, since, columns=columns)
    else:
        contacts, request_rows, undone = _touch_rows(book, lead_ids)
        contact_log = _ContactLog(contacts, s.tz, since, undone)
    state = read_dnc_state(cast("WorkbookPort", _RequestTouches(book, request_rows)), s.tz, since=at)
    return ComplianceContext(
        settings=s,
        registry=registry,
        internal_phones=state.phones,
        internal_emails=state.emails,
        contact_log=contact_log,
        dnc_requests=state.requests,
        rules=rules,
    )
