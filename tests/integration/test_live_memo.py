"""The session memo over the xlwings fake: what a click takes from memory is what reading the workbook gives.

A trusting click (Log Touch) reads only the rows added to the append-only log
since the last read; it must fall back to a full read whenever the rows it
remembers at the end moved or changed, and a fresh read (every other click)
must always see the workbook as it is, hand edits included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlwings as xw
from tests.fakes import xl_engine as xe
from tests.identity import agent_workbook

from relist import schema
from relist.sequence.touches import TOUCH_COLUMNS
from relist.workbook.live_adapter import LiveWorkbook
from relist.workbook.live_memo import OVERLAP, SessionMemo

DAY = datetime(2026, 6, 2, 10, 0)
NY = ZoneInfo("America/New_York")
COLS = list(TOUCH_COLUMNS)


def _touch(n: int, lead: str, outcome: str = "no-answer", undo: str | None = None) -> dict[str, Any]:
    return {"TouchId": f"T{n:07d}", "LeadId": lead, "At": DAY + timedelta(minutes=n), "Channel": "call", "Step": 1 + n % 8,
            "Outcome": outcome, "UndoOf": undo}


@pytest.fixture(params=xe.FLAVOURS)
def book(tmp_path: Path, request: pytest.FixtureRequest) -> xw.Book:

    path = agent_workbook(tmp_path / "Relist.xlsx")
    fake = xe.load(path, request.param)
    LiveWorkbook(fake).append_rows("tblTouches", [_touch(n, f"L{n % 7}", "dnc-request" if n == 9 else "no-answer") for n in range(1, 41)])
    return fake


def _answers(wb: LiveWorkbook) -> tuple[Any, ...]:
    """What a Log Touch click asks of the log: one lead's rows, DNC requests, undo rows, the last id, a whole column."""
    return (
        wb.records_where("tblTouches", "LeadId", "L3", COLS),
        wb.records_in("tblTouches", "Outcome", {"dnc-request", "opt-out"}, COLS),
        wb.records_if("tblTouches", "UndoOf", bool, ["UndoOf", "TouchId"]),
        wb.tail("tblTouches", "TouchId"),
        wb.column_values("tblTouches", "At"),
    )


def _truth(book: xw.Book) -> tuple[Any, ...]:
    return _answers(LiveWorkbook(book))


def _trusting(book: xw.Book, memo: SessionMemo) -> LiveWorkbook:
    return LiveWorkbook(book, memo, trust=("tblTouches",))


def test_appended_rows_are_read_and_the_rest_comes_from_memory(book: xw.Book) -> None:
    memo = SessionMemo()
    LiveWorkbook(book, memo).read_records("tblTouches", COLS)  # a fresh click (Today's Queue) fills the memo
    for n in range(41, 45):  # other clicks log touches, an undo among them
        LiveWorkbook(book, memo).append_rows("tblTouches", [_touch(n, "L3", undo="T0000009" if n == 44 else None)])
        wb = _trusting(book, memo)
        xe.excel(book).calls = 0
        got = _answers(wb)
        assert xe.excel(book).calls == 1  # one read of the rows added (and the few before them), not the log's columns
        assert got == _truth(book)
    partial = SessionMemo()
    LiveWorkbook(book, partial).read_records("tblTouches", ["LeadId"])  # a click that read one column (and TouchId, whose value makes a row count)
    LiveWorkbook(book).append_rows("tblTouches", [_touch(45, "L3")])
    wb = _trusting(book, partial)
    xe.excel(book).calls = 0
    got = _answers(wb)
    assert xe.excel(book).calls == 1 + len(set(COLS) - {"LeadId", "TouchId"})  # the new rows, and each column never read before, once
    assert got == _truth(book)
    assert partial.table(wb._book_key, "tblTouches", wb.table_columns("tblTouches"), ("Touches", 2, 1)).rows == 45


def test_a_trusting_click_falls_back_to_a_full_read_when_the_end_of_the_log_changed(book: xw.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    sheet = LiveWorkbook(book)._state("tblTouches").sheet
    first = LiveWorkbook(book)._state("tblTouches").first
    sheet.range((first + 40 - OVERLAP, 2)).value = "L6"  # a hand edit among the last rows: seen
    assert _answers(_trusting(book, memo)) == _truth(book)
    # the log sorted newest first: the end no longer holds the rows remembered there
    wb = LiveWorkbook(book)
    rows = wb.read_records("tblTouches")
    wb.replace_rows("tblTouches", list(reversed(rows)))
    assert _answers(_trusting(book, memo)) == _truth(book)
    # rows deleted: the log is shorter than remembered
    LiveWorkbook(book).replace_rows("tblTouches", rows[:10])
    assert _answers(_trusting(book, memo)) == _truth(book)


def test_a_fresh_click_sees_a_hand_edit_in_the_middle_of_the_log_and_teaches_the_memo(book: xw.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    st = LiveWorkbook(book)._state("tblTouches")
    outcome = st.col0 + st.header.index("Outcome")
    st.sheet.range((st.first + 2, outcome)).value = "dnc-request"  # row 3 of 40: far from the end
    fresh = LiveWorkbook(book, memo)
    assert _answers(fresh) == _truth(book)
    assert len(fresh.records_in("tblTouches", "Outcome", {"dnc-request"}, COLS)) == 2
    assert _answers(_trusting(book, memo)) == _truth(book)  # and the next trusting click knows it too


def test_a_changed_table_layout_empties_the_memo(book: xw.Book) -> None:
    memo = SessionMemo()
    _answers(LiveWorkbook(book, memo))
    st = LiveWorkbook(book)._state("tblTouches")
    st.sheet.range((st.top, st.col0 + len(st.header))).value = "My note"  # the user adds a column to the table
    st.table.resize(st.sheet.range((st.top, st.col0), (st.top + st.body_rows, st.col0 + len(st.header))))
    assert _answers(_trusting(book, memo)) == _truth(book)
    assert "My note" in LiveWorkbook(book).table_columns("tblTouches")


def test_only_append_only_tables_are_ever_trusted(book: xw.Book) -> None:
    memo = SessionMemo()
    wb = LiveWorkbook(book, memo)
    wb.append_rows("tblLeads", [{"LeadId": f"L{i}", "Status": "Working"} for i in range(5)])
    LiveWorkbook(book, memo, trust=("tblLeads",)).read_records("tblLeads", ["LeadId", "Status"])
    st = LiveWorkbook(book)._state("tblLeads")
    st.sheet.range((st.first + 1, st.col0 + st.header.index("Status"))).value = "Dead"
    got = LiveWorkbook(book, memo, trust=("tblLeads",)).read_records("tblLeads", ["LeadId", "Status"])
    assert got[1] == {"LeadId": "L1", "Status": "Dead"}


NY_AT = datetime(2026, 11, 25, 9, 30)


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with 40 imported expireds and a week of logged touches (made through the file adapter)."""
    from zoneinfo import ZoneInfo

    from relist import sample_data
    from relist.compliance.registry_files import load_files
    from relist.compliance.verdict import registry_dir_for
    from relist.intake import service as intake
    from relist.sequence import service
    from relist.workbook import open_workbook

    tz = ZoneInfo("America/New_York")
    folder = tmp_path_factory.mktemp("worked")
    path = agent_workbook(folder / "Relist.xlsx")
    t0 = datetime(2026, 11, 18, 8, 0, tzinfo=tz)
    csv = sample_data.write_csv(sample_data.expired_export(40, seed=9, at=t0), folder / "expired.csv")
    book = open_workbook(path)
    intake.import_files(book, [csv], at=t0, kind="expired")
    areas = sorted({str(r["Phone"])[2:5] for r in book.read_records("tblPhones", ["Phone"]) if r["Phone"]})
    (folder / "dnc.txt").write_text("".join(f"{a},5550199\n" for a in areas))
    registry = registry_dir_for(book)
    assert registry is not None
    load_files(registry, [folder / "dnc.txt"], t0, t0.date(), t0.date() - timedelta(days=1), [])
    for day in range(6):
        at = t0 + timedelta(days=day, hours=2)
        queue = service.today(book, at, write=False)
        for n, entry in enumerate(queue.calls[:6]):
            service.log_touch(book, entry.lead_id, "call", ["no-answer", "voicemail", "call-back", "bad-number"][n % 4], at + timedelta(minutes=n),
                              follow_up=at + timedelta(days=2) if n % 4 == 2 else None)
    book.save()
    return path


def _queue(wb: LiveWorkbook, at: datetime) -> list[dict[str, Any]]:
    from relist.sequence import service

    service.today(wb, at)
    return LiveWorkbook(wb.book).read_records("tblToday")


def test_a_session_of_clicks_builds_the_queues_a_fresh_process_builds(worked: Path, tmp_path: Path) -> None:
    """Today's Queue with the session memo (logs grown, rows edited by hand, undo, plan edit) equals it built from nothing."""
    import shutil
    from zoneinfo import ZoneInfo

    from relist.sequence import service

    tz = ZoneInfo("America/New_York")
    at = datetime(2026, 11, 24, 9, 0, tzinfo=tz)
    twins = []
    for name in ("memo", "plain"):
        shutil.copytree(worked.parent, tmp_path / name)  # the registry copy lives next to the workbook
        twins.append(xe.load(tmp_path / name / "Relist.xlsx"))
    memo = SessionMemo()

    def both(action: Any) -> None:
        for fake, m in zip(twins, (memo, None), strict=True):
            action(fake, m)

    def same_queue(when: datetime) -> None:
        with_memo = _queue(LiveWorkbook(twins[0], memo), when)
        assert with_memo == _queue(LiveWorkbook(twins[1]), when)
        assert len([r for r in with_memo if r["Section"] != "summary"]) > 3

    def log(fake: xw.Book, m: SessionMemo | None, lead: str, outcome: str, when: datetime) -> None:
        service.log_touch(LiveWorkbook(fake, m, trust=("tblTouches",)), lead, "call", outcome, when)

    assert len(LiveWorkbook(twins[1]).read_records("tblTouches")) > 20
    same_queue(at)
    leads = [r["LeadId"] for r in LiveWorkbook(twins[1]).read_records("tblToday") if r["Section"] == "calls"]
    assert len(leads) >= 5
    for n, (lead, outcome) in enumerate(zip(leads, ["no-answer", "bad-number", "dnc-request", "appointment", "relisted-other"], strict=False)):
        when = at + timedelta(minutes=5 * n)
        both(lambda f, m, lead=lead, outcome=outcome, when=when: log(f, m, lead, outcome, when) if outcome != "appointment" else
             service.log_touch(LiveWorkbook(f, m, trust=("tblTouches",)), lead, "call", outcome, when, follow_up=when + timedelta(days=1)))
        same_queue(when + timedelta(minutes=1))

    def by_hand(fake: xw.Book, _m: SessionMemo | None) -> None:
        wb = LiveWorkbook(fake)
        first = wb.read_records("tblLeads", ["LeadId"])[-1]["LeadId"]
        wb.update_rows("tblLeads", [{"LeadId": first, "Status": "Dead"}])  # the agent marks a lead dead on the sheet
        phone = wb.read_records("tblPhones", ["PhoneId"])[0]["PhoneId"]
        wb.update_rows("tblPhones", [{"PhoneId": phone, "PhoneStatus": "Bad"}])
        st = wb._state("tblTouches")
        st.sheet.range((st.first + 3, st.col0 + st.header.index("Outcome"))).value = "dnc-request"  # a hand edit deep in the log

    both(by_hand)
    same_queue(at + timedelta(hours=1))
    both(lambda f, m: service.undo(LiveWorkbook(f, m), at=at + timedelta(hours=1, minutes=5)))
    same_queue(at + timedelta(hours=1, minutes=6))

    def undo_by_hand(fake: xw.Book, _m: SessionMemo | None) -> None:  # an undo row typed in, the lead's row left as it was
        wb = LiveWorkbook(fake)
        rows = wb.read_records("tblTouches", ["TouchId", "LeadId", "Outcome", "UndoOf"])
        undone = {r["UndoOf"] for r in rows if r["UndoOf"]}
        target = next(r for r in reversed(rows) if r["Outcome"] == "appointment" and r["TouchId"] not in undone)
        wb.append_rows("tblTouches", [{"TouchId": f"T{len(rows) + 1:07d}", "LeadId": target["LeadId"], "At": NY_AT, "Channel": "call",
                                       "Outcome": "undo", "UndoOf": target["TouchId"]}])

    both(undo_by_hand)
    same_queue(at + timedelta(hours=1, minutes=7))

    def new_plan(fake: xw.Book, _m: SessionMemo | None) -> None:
        wb = LiveWorkbook(fake)
        steps = wb.read_records("tblSequence")
        steps[1]["DayOffset"] = 0
        service.save_plan(wb, steps)

    both(new_plan)
    same_queue(at + timedelta(days=1))


def test_clicks_leave_only_a_little_cyclic_garbage(worked: Path, tmp_path: Path) -> None:
    """Clicks freeze what they leave alive (excel._settle_heap): safe while no cycle holds a click's data (swept every 50 clicks)."""
    import gc
    import shutil

    from relist import excel

    shutil.copytree(worked.parent, tmp_path / "xl")
    fake = xe.load(tmp_path / "xl" / "Relist.xlsx")
    at = datetime(2026, 11, 24, 9, 0)
    excel.todays_queue(fake, at=at.replace(tzinfo=NY))
    gc.unfreeze()  # earlier clicks in this process froze what they left: collect it all before counting
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for n in range(3):
            today = LiveWorkbook(fake).read_records("tblToday", ["Section", "Outcome"])
            row = next(i for i, r in enumerate(today) if r["Section"] == "calls") + schema.TODAY.top + 1
            fake.sheets["Today"].range((row, list(LiveWorkbook(fake).table_columns("tblToday")).index("Outcome") + 1)).value = "no-answer"
            xe.select(fake, "Today", f"C{row}")
            assert str(excel.log_touch(fake, at=(at + timedelta(minutes=n)).replace(tzinfo=NY))).startswith("Logged")
            excel.todays_queue(fake, at=(at + timedelta(minutes=n, seconds=30)).replace(tzinfo=NY))
        gc.unfreeze()
        gc.collect()
        big = [o for o in gc.garbage if isinstance(o, (list, dict, tuple, set)) and len(o) > 100]
        assert not big, [type(o) for o in big[:5]]  # no table, column or index is ever held by a cycle
        assert len(gc.garbage) < 1_000  # a few hundred small objects (template errors' tracebacks): the sweep frees them
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
