"""Reading the National DNC Registry download files into the registry folder, fast and all-or-nothing.

Full lists (`AAA,NNNNNNN`, plain 10-digit, or one number a line; text or zip) replace the area
codes they contain. Change lists (several comma-separated fields a line: a number, a date/time and
an add/delete flag, column order not assumed) are applied to area codes already loaded. Every file
is parsed before anything is written; a bad line is named by file and line number and nothing
changes. Parsing works on the raw bytes with numpy (no Python loop per line for full lists).
"""

from __future__ import annotations

import os
import re
import time as _time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from relist.compliance.registry import (
    SUBSCRIBER_SPAN,
    AreaInfo,
    Registry,
    area_file,
    checksum,
    read_manifest,
    write_manifest,
)
from relist.durable import fsync_dir
from relist.errors import BadInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    U64 = npt.NDArray[np.uint64]
    U32 = npt.NDArray[np.uint32]

CHUNK = 1 << 24
_ADD = frozenset({"A", "ADD", "ADDED", "ADDITION", "ADDITIONS", "I", "INS", "INSERT", "INSERTED", "NEW", "+"})
_DELETE = frozenset({"D", "DEL", "DELETE", "DELETED", "DELETION", "DELETIONS", "R", "REMOVE", "REMOVED", "-"})
_PHONE = re.compile(r"^\+?(?:1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})$")
_SEPARATORS = b", \t\r-\"'().+"


class _LineError(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line = line
        self.what = what


@dataclass
class ParsedFile:
    """One input file (or zip member) after parsing."""

    name: str
    kind: Literal["full", "changes"]
    downloaded: date
    lines: int
    full: FullList | None = None  # full list: area codes and subscriber numbers
    adds: U64 | None = None  # change list: numbers added
    deletes: U64 | None = None  # change list: numbers deleted


@dataclass(frozen=True)
class AreaLoad:
    """What a load did to one area code."""

    area: str
    kind: str
    downloaded: date
    before: int
    after: int
    added: int
    deleted: int


@dataclass(frozen=True)
class LoadReport:
    """The result of `load_files`: files read, lines, and every area code changed."""

    directory: Path
    files: tuple[str, ...]
    lines: int
    areas: tuple[AreaLoad, ...]
    seconds: float

    @property
    def oldest_download(self) -> date | None:
        return min((a.downloaded for a in self.areas), default=None)

    @property
    def numbers(self) -> int:
        return sum(a.after for a in self.areas)


# ---------------------------------------------------------------- full lists (numpy)


def _lut() -> npt.NDArray[np.uint8]:
    import numpy as np

    t = np.zeros(256, dtype=np.uint8)  # 0 bad, 1 digit, 2 newline, 3 separator
    t[48:58] = 1
    t[10] = 2
    t[list(_SEPARATORS)] = 3
    return t


@dataclass
class FullList:
    """A parsed full list: area code and 7-digit subscriber number of every line, and the line count."""

    area: npt.NDArray[np.uint16]
    sub: U32
    lines: int


def _first_bad(mask: npt.NDArray[np.bool_]) -> int | None:
    import numpy as np

    return int(np.flatnonzero(mask)[0]) if mask.any() else None


def _fixed_width(
    b: npt.NDArray[np.uint8], width: int, lut: npt.NDArray[np.uint8], first_line: int
) -> tuple[npt.NDArray[np.uint16], U32] | None:
    """Fast path: every line has the same layout (e.g. '814,9652488\\n'); None when they do not."""
    import numpy as np

    if width < 11 or b.shape[0] % width:
        return None
    rows = b.reshape(-1, width)
    first = rows[0]
    kinds = lut[first]
    if kinds[-1] != 2 or (kinds[:-1] == 0).any() or (kinds[:-1] == 2).any():
        return None
    digit_cols = [j for j in range(width - 1) if kinds[j] == 1]
    if len(digit_cols) == 11 and first[digit_cols[0]] == 49:
        digit_cols = digit_cols[1:]  # a leading 1: then checked as a fixed character
    if len(digit_cols) != 10:
        return None
    # every digit column holds digits (checked a block of adjacent columns at a time) ...
    run_start = digit_cols[0]
    for k, j in enumerate(digit_cols):
        last = k + 1 == len(digit_cols) or digit_cols[k + 1] != j + 1
        if last:
            if not bool(((rows[:, run_start : j + 1] - np.uint8(48)) < 10).all()):
                return None
            if k + 1 < len(digit_cols):
                run_start = digit_cols[k + 1]
    # ... and every other column (separators, newline, a leading 1) is the first line's character
    for j in range(width):
        if j not in digit_cols and not bool((rows[:, j] == first[j]).all()):
            return None
    bad = (rows[:, digit_cols[0]] < 50) | (rows[:, digit_cols[3]] < 50)
    i = _first_bad(bad)
    if i is not None:
        raise _LineError(first_line + i, "not a valid US number (area code and exchange start with 2-9)")
    # weighted sums of the ASCII codes, then one subtraction of the '0' offsets (no overflow)
    area = np.zeros(rows.shape[0], dtype=np.uint16)
    for j, w in zip(digit_cols[:3], (100, 10, 1), strict=True):
        area += rows[:, j].astype(np.uint16) * np.uint16(w)
    area -= np.uint16(48 * 111)
    sub = np.zeros(rows.shape[0], dtype=np.uint32)
    for j, w in zip(digit_cols[3:], (1_000_000, 100_000, 10_000, 1000, 100, 10, 1), strict=True):
        sub += rows[:, j].astype(np.uint32) * np.uint32(w)
    sub -= np.uint32(48 * 1_111_111)
    return area, sub


def _generic(b: npt.NDArray[np.uint8], lut: npt.NDArray[np.uint8], first_line: int) -> tuple[npt.NDArray[np.uint16], U32, int]:
    """Any mix of line layouts; every non-blank line must hold one 10-digit number."""
    import numpy as np

    kinds = lut[b]
    i = _first_bad(kinds == 0)
    if i is not None:
        line = first_line + int(np.count_nonzero(b[:i] == 10))
        ch = bytes(b[i : i + 1]).decode("latin-1")
        raise _LineError(line, f"unexpected character {ch!r}: expected AAA,NNNNNNN or a 10-digit number a line")
    c = b[kinds < 3]
    nlpos = np.flatnonzero(c == 10)
    prev = np.concatenate(([-1], nlpos[:-1]))
    lens = nlpos - prev - 1
    starts = prev + 1
    ok10 = lens == 10
    ok11 = (lens == 11) & (c[np.minimum(starts, c.shape[0] - 1)] == 49)
    i = _first_bad(~(ok10 | ok11 | (lens == 0)))
    if i is not None:
        raise _LineError(first_line + i, f"{int(lens[i])} digits: expected a 10-digit number (AAA,NNNNNNN or AAANNNNNNN)")
    keep = np.flatnonzero(lens > 0)
    s = starts[keep] + ok11[keep]
    i = _first_bad((c[s] < 50) | (c[s + 3] < 50))
    if i is not None:
        raise _LineError(first_line + int(keep[i]), "not a valid US number (area code and exchange start with 2-9)")
    area = np.zeros(keep.shape[0], dtype=np.uint16)
    for k in range(3):
        area *= np.uint16(10)
        area += c[s + k] - np.uint8(48)
    sub = np.zeros(keep.shape[0], dtype=np.uint32)
    for k in range(3, 10):
        sub *= np.uint32(10)
        sub += c[s + k] - np.uint8(48)
    return area, sub, int(nlpos.shape[0])


def parse_full(data: bytes) -> FullList:
    """Every number of a full registry list (raises _LineError naming the first bad line).

    Works through the bytes in pieces of about CHUNK bytes ending at a newline, so memory stays
    a small multiple of the piece size whatever the file size.
    """
    import numpy as np

    lut = _lut()
    areas: list[npt.NDArray[np.uint16]] = []
    subs: list[U32] = []
    line = 1
    pos = 0
    n = len(data)
    while pos < n:
        end = min(pos + CHUNK, n)
        if end < n:
            cut = data.rfind(b"\n", pos, end)
            end = cut + 1 if cut >= pos else (data.find(b"\n", end) + 1 or n)
        piece = data[pos:end]
        if not piece.endswith(b"\n"):
            piece += b"\n"
        b = np.frombuffer(piece, dtype=np.uint8)
        width = piece.find(b"\n") + 1
        fast = _fixed_width(b, width, lut, line)
        if fast is not None:
            areas.append(fast[0])
            subs.append(fast[1])
            line += fast[0].shape[0]
        else:
            a, sb, lines = _generic(b, lut, line)
            areas.append(a)
            subs.append(sb)
            line += lines
        pos = end
    if not areas:
        return FullList(np.zeros(0, dtype=np.uint16), np.zeros(0, dtype=np.uint32), 0)
    return FullList(np.concatenate(areas), np.concatenate(subs), line - 1)


# ---------------------------------------------------------------- change lists (defensive, per line)


def _flag(field_: str) -> str | None:
    f = field_.strip().strip("\"'").upper()
    if f in _ADD:
        return "add"
    if f in _DELETE:
        return "delete"
    return None


def _number_in(fields: Sequence[str]) -> list[int]:
    found: list[int] = []
    cleaned = [f.strip().strip("\"'") for f in fields]
    i = 0
    while i < len(cleaned):
        f = cleaned[i]
        m = _PHONE.match(f)
        if m:
            found.append(int("".join(m.groups())))
        elif re.fullmatch(r"\d{3}", f) and i + 1 < len(cleaned) and re.fullmatch(r"\d{7}", cleaned[i + 1]):
            found.append(int(f + cleaned[i + 1]))
            i += 1
        i += 1
    return found


def is_change_line(line: str) -> bool:
    return any(_flag(f) for f in line.split(","))


def parse_changes(text: str) -> tuple[list[int], list[str], int]:
    """A change list: (numbers, 'add'/'delete' flags, lines) in file order; raises _LineError."""
    numbers: list[int] = []
    flags: list[str] = []
    lines = 0
    for i, raw in enumerate(text.splitlines(), start=1):
        lines = i
        line = raw.strip()
        if not line:
            continue
        fields = line.split(",")
        if i == 1 and not any(ch.isdigit() for ch in line):
            continue  # a header line
        found = [f for f in (_flag(x) for x in fields) if f]
        nums = _number_in(fields)
        if len(found) != 1:
            raise _LineError(i, f"expected one add/delete flag (A/D, ADD/DELETE), found {len(found)} in {line!r}")
        if len(nums) != 1:
            raise _LineError(i, f"expected one 10-digit phone number, found {len(nums)} in {line!r}")
        n = nums[0]
        if n // SUBSCRIBER_SPAN < 200 or (n // 10_000) % 1000 < 200:
            raise _LineError(i, f"{n:010d} is not a valid US number")
        numbers.append(n)
        flags.append(found[0])
    return numbers, flags, lines


# ---------------------------------------------------------------- files and zips


@dataclass(frozen=True)
class _Source:
    name: str
    data: bytes
    stamp: date


def _zip_member_date(stamp: tuple[int, int, int, int, int, int], today: date) -> date:
    """A zip member's date: its maker's wall clock, in a zone the zip does not record.

    A member dated the agent's tomorrow is a zone apart (a zip made in UTC during a US evening),
    so it counts as today; anything later is left as it is and refused as a date in the future.
    """
    member = date(*stamp[:3])
    return today if member == today + timedelta(days=1) else member


def _sources(path: Path, at: datetime, today: date) -> list[_Source]:
    """The files in `path` with their dates; `at` is aware and in the agent's zone, `today` the agent's date."""
    if not path.exists():
        raise BadInput(f"{path}: no such file.", "Check the path of the registry download.")
    if path.is_dir():
        raise BadInput(f"{path} is a folder.", "Give the downloaded .zip or .txt files themselves.")
    # The file's modification time is an instant: its date is the agent's, never the machine's zone.
    if at.tzinfo is None:
        raise ValueError("registry dates need an aware instant in the agent's zone")
    mdate = datetime.fromtimestamp(path.stat().st_mtime, tz=at.tzinfo).date()
    if zipfile.is_zipfile(path):
        out: list[_Source] = []
        try:
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if info.is_dir() or info.filename.startswith("__MACOSX/") or Path(info.filename).name.startswith("."):
                        continue
                    member_date = _zip_member_date(info.date_time, today)
                    out.append(_Source(f"{path.name}:{info.filename}", z.read(info), min(member_date, mdate)))
        except (zipfile.BadZipFile, OSError) as exc:
            raise BadInput(f"{path}: the zip file cannot be read ({exc}).", "Download it again.") from exc
        if not out:
            raise BadInput(f"{path}: the zip file holds no files.", "Download the area-code files again.")
        return out
    if path.suffix.lower() == ".zip":
        raise BadInput(f"{path}: not a valid zip file.", "Download it again (or unzip it and give the text files).")
    return [_Source(path.name, path.read_bytes(), mdate)]


def _first_data_line(data: bytes) -> tuple[str, bytes]:
    """The first non-blank line, and the data with a leading header line removed (kept line count)."""
    head = data[:4096].decode("latin-1")
    lines = head.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    header = lines[0] if lines else ""
    if header.isprintable() and any(ch.isalpha() for ch in header) and not any(ch.isdigit() for ch in header):
        cut = data.find(b"\n")
        data = b"\n" + data[cut + 1 :] if cut >= 0 else b""
        first = next((ln for ln in lines[1:] if ln.strip()), "")
    return first, data


def parse_source(src: _Source, downloaded: date | None) -> ParsedFile:
    """Parse one file as a full list or a change list (decided by its first data line)."""
    import numpy as np

    first, data = _first_data_line(src.data)
    when = downloaded or src.stamp
    try:
        if first and is_change_line(first):
            nums, flags, lines = parse_changes(data.decode("utf-8-sig", errors="replace"))
            last: dict[int, str] = {}
            for n, f in zip(nums, flags, strict=True):
                last[n] = f
            adds = np.array(sorted(n for n, f in last.items() if f == "add"), dtype=np.uint64)
            dels = np.array(sorted(n for n, f in last.items() if f == "delete"), dtype=np.uint64)
            return ParsedFile(src.name, "changes", when, lines, adds=adds, deletes=dels)
        full = parse_full(data)
        if full.lines == 0 or full.area.shape[0] == 0:
            raise _LineError(1, "no phone numbers in the file")
    except _LineError as exc:
        raise BadInput(
            f"{src.name} line {exc.line}: {exc.what}.",
            "Fix or re-download that file; nothing was loaded (a load is all-or-nothing).",
        ) from exc
    return ParsedFile(src.name, "full", when, full.lines, full=full)


def _split_by_area(full: FullList) -> dict[int, U32]:
    """Area code -> sorted unique 7-digit subscriber numbers (uint32); no sort when lines come grouped."""
    import numpy as np

    area, sub = full.area, full.sub
    out: dict[int, U32] = {}
    if area.shape[0] == 0:
        return out
    if int(area.min()) != int(area.max()) and not bool((area[1:] >= area[:-1]).all()):
        order = np.argsort(area, kind="stable")  # 16-bit keys: numpy radix-sorts them
        area, sub = area[order], sub[order]
    cuts = (np.flatnonzero(area[1:] != area[:-1]) + 1).tolist()
    for s0, e0 in zip([0, *cuts], [*cuts, area.shape[0]], strict=True):
        out[int(area[s0])] = _sorted_unique(sub[s0:e0])
    return out


def _sorted_unique(a: U32) -> U32:
    import numpy as np

    if a.shape[0] > 1 and not bool((a[1:] >= a[:-1]).all()):
        a = np.sort(a)
    if a.shape[0] > 1:
        keep = np.empty(a.shape[0], dtype=bool)
        keep[0] = True
        np.not_equal(a[1:], a[:-1], out=keep[1:])
        if not keep.all():
            a = a[keep]
    return a


def _remove_leftovers(directory: Path) -> None:
    """Temp files an interrupted load left in the registry folder."""
    if directory.is_dir():
        for stale in directory.glob(".*.tmp"):
            stale.unlink(missing_ok=True)


def _write_areas(directory: Path, work: dict[str, U32]) -> dict[str, str]:
    """Write each area file durably (temp, fsync, folder fsync, rename); returns their checksums.

    The manifest with these checksums is written after, so a crash in between leaves files
    that fail their check: blocked as damaged, never trusted.
    """
    import numpy as np

    sums: dict[str, str] = {}
    tmp_files: list[tuple[Path, Path]] = []
    try:
        for key, arr in work.items():
            final = area_file(directory, key)
            tmp = final.with_name(f".{final.name}.tmp")
            data = np.ascontiguousarray(arr, dtype="<u4")
            tmp_files.append((tmp, final))
            with open(tmp, "wb") as fh:
                data.tofile(fh)
                fh.flush()
                os.fsync(fh.fileno())
            sums[key] = checksum(data)
        fsync_dir(directory)
    except OSError:
        for tmp, _ in tmp_files:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in tmp_files:
        tmp.replace(final)
    fsync_dir(directory)
    return sums


def load_files(
    directory: Path,
    paths: Sequence[Path],
    at: datetime,
    today: date,
    downloaded: date | None = None,
    covers: Sequence[str] = (),
) -> LoadReport:
    """Load full lists and change lists into the registry folder; nothing changes unless all parse."""
    import numpy as np

    if not paths:
        raise BadInput("No registry files given.", "Pass the downloaded area-code files: relist dnc load FILE...")
    if downloaded is not None and downloaded > today:
        raise BadInput(f"--downloaded {downloaded} is in the future.", "Give the day you downloaded the files.")
    t0 = _time.perf_counter()
    parsed: list[ParsedFile] = []
    for p in paths:
        for src in _sources(p, at, today):
            pf = parse_source(src, downloaded)
            if pf.downloaded > today:
                raise BadInput(
                    f"{pf.name}: its date {pf.downloaded} is in the future.",
                    "Pass --downloaded YYYY-MM-DD with the day you downloaded it.",
                )
            parsed.append(pf)

    _remove_leftovers(directory)
    try:
        manifest = read_manifest(directory)
    except BadInput:
        manifest = {}  # a damaged manifest: start afresh (every area code not loaded now stays blocked)
    existing = Registry(directory, manifest)
    work: dict[str, U32] = {}
    dates: dict[str, date] = {}
    kinds: dict[str, str] = {}
    before: dict[str, int] = {}
    added: dict[str, int] = {}
    deleted: dict[str, int] = {}
    sources: dict[str, list[str]] = {}

    full_parts: dict[str, list[U32]] = {}
    for pf in parsed:
        if pf.kind == "full" and pf.full is not None:
            for area, subs in _split_by_area(pf.full).items():
                key = f"{area:03d}"
                full_parts.setdefault(key, []).append(subs)
                dates[key] = min(pf.downloaded, dates.get(key, pf.downloaded))
                sources.setdefault(key, []).append(pf.name)
    for key, parts in full_parts.items():
        work[key] = parts[0] if len(parts) == 1 else _sorted_unique(np.concatenate(parts))
        kinds[key] = "full"
        before[key] = manifest[key].count if key in manifest else 0

    def current(key: str, pf: ParsedFile) -> U32:
        if key in work:
            return work[key]
        arr = existing._array(key)
        if arr is None:
            raise BadInput(
                f"{pf.name}: change list for area code {key}, but no full list of {key} is loaded.",
                "Load the full area-code file first (relist dnc load FULL.zip CHANGES.txt); nothing was loaded.",
            )
        if pf.downloaded < manifest[key].downloaded:
            raise BadInput(
                f"{pf.name}: dated {pf.downloaded}, older than the copy of area code {key} ({manifest[key].downloaded}).",
                "It is already included; load only newer change lists. Nothing was loaded.",
            )
        before.setdefault(key, manifest[key].count)
        return np.array(arr, dtype=np.uint32)

    span = np.uint64(SUBSCRIBER_SPAN)
    for pf in parsed:
        if pf.kind != "changes" or pf.adds is None or pf.deletes is None:
            continue
        touched = sorted({f"{int(a):03d}" for a in np.concatenate((pf.adds, pf.deletes)) // span})
        for key in touched:
            arr = current(key, pf)
            base = np.uint64(int(key) * SUBSCRIBER_SPAN)
            adds = pf.adds[(pf.adds // span) == np.uint64(int(key))]
            dels = pf.deletes[(pf.deletes // span) == np.uint64(int(key))]
            add_sub = (adds - base).astype(np.uint32)
            del_sub = (dels - base).astype(np.uint32)
            n0 = arr.shape[0]
            merged = _sorted_unique(np.concatenate((arr, add_sub))) if add_sub.shape[0] else arr
            added[key] = added.get(key, 0) + merged.shape[0] - n0
            if del_sub.shape[0]:
                present = np.isin(merged, del_sub, assume_unique=True)
                deleted[key] = deleted.get(key, 0) + int(present.sum())
                merged = merged[~present]
            work[key] = merged
            kinds.setdefault(key, "changes")
            dates[key] = max(pf.downloaded, dates.get(key, manifest[key].downloaded if key in manifest else pf.downloaded))
            sources.setdefault(key, []).append(pf.name)

    change_dates = [pf.downloaded for pf in parsed if pf.kind == "changes"]
    for key in covers:
        key = key.strip()
        if not key:
            continue
        if not change_dates:
            raise BadInput("--covers applies to change lists, and none was given.", "Drop --covers, or add the change list file.")
        if key not in work and key not in manifest:
            raise BadInput(f"--covers names area code {key}, which is not loaded.", "Load its full list first.")
        if key not in work:
            kept = existing._array(key)
            if kept is None:
                raise BadInput(f"The registry index of area code {key} is damaged.", "Load its full list again.")
            work[key] = np.array(kept, dtype=np.uint32)
            before[key] = manifest[key].count
            kinds[key] = "changes"
            sources.setdefault(key, []).append("--covers")
        dates[key] = max(max(change_dates), dates.get(key, manifest[key].downloaded))

    directory.mkdir(parents=True, exist_ok=True)
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S%z")
    sums = _write_areas(directory, work)
    new_manifest = dict(manifest)
    for key, arr in work.items():
        new_manifest[key] = AreaInfo(
            key, dates[key], int(arr.shape[0]), "; ".join(dict.fromkeys(sources.get(key, []))), stamp, kinds[key], sums[key]
        )
    write_manifest(directory, new_manifest)
    report = tuple(
        AreaLoad(k, kinds[k], dates[k], before.get(k, 0), int(work[k].shape[0]), added.get(k, 0), deleted.get(k, 0))
        for k in sorted(work)
    )
    return LoadReport(directory, tuple(pf.name for pf in parsed), sum(pf.lines for pf in parsed), report, _time.perf_counter() - t0)
