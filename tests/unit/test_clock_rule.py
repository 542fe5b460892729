"""The machine's clock never leaks into a date: no naive `now`, `today` or `fromtimestamp` in the product.

Every date the product derives (file dates, "today", due days, calling windows) comes from an aware
instant in the agent's zone. The rule is checked on the syntax tree, so it cannot be dodged by a line
break; by hand it reads: `grep -rnE "date\\.today\\(|datetime\\.now\\(\\)|fromtimestamp\\([^,]*\\)$|utcnow|localtime" lib`.
Only `relist.clock.machine_now` (file names and log lines) may read the machine's own zone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOTS = [Path(__file__).parents[2] / "lib" / "relist", Path(__file__).parents[2] / "benchmarks"]
ALLOWED = {("clock.py", "machine_now")}

# name of the called attribute -> why it is naive
ALWAYS_NAIVE = {
    "today": "date.today()/datetime.today() is the machine's date",
    "utcnow": "datetime.utcnow() is naive",
    "utcfromtimestamp": "datetime.utcfromtimestamp() is naive",
    "localtime": "time.localtime() is the machine's zone",
    "ctime": "time.ctime() is the machine's zone",
    "mktime": "time.mktime() reads the machine's zone",
}


def _offences(tree: ast.AST, fname: str) -> list[str]:
    found: list[str] = []
    functions: list[tuple[int, int, str]] = [
        (n.lineno, n.end_lineno or n.lineno, n.name) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
    ]

    def inside(line: int) -> str:
        names = [name for a, b, name in functions if a <= line <= b]
        return names[-1] if names else ""

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr = node.func.attr
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
        if (fname, inside(node.lineno)) in ALLOWED:
            continue
        where = f"{fname}:{node.lineno}"
        has_tz = bool(node.args) or any(k.arg == "tz" for k in node.keywords)
        if attr in ALWAYS_NAIVE and owner_name in {"date", "datetime", "time", "dt"}:
            if attr == "ctime" and node.args:
                continue
            found.append(f"{where}: {ALWAYS_NAIVE[attr]}")
        elif attr == "now" and owner_name in {"datetime", "dt"} and not has_tz:
            found.append(f"{where}: datetime.now() without a zone")
        elif attr == "fromtimestamp" and owner_name in {"datetime", "date", "dt"}:
            tz_given = len(node.args) >= 2 or any(k.arg == "tz" for k in node.keywords)
            if owner_name == "date" or not tz_given:
                found.append(f"{where}: {owner_name}.fromtimestamp() without a zone")
        elif attr == "astimezone" and owner_name != "" and not node.args and not node.keywords:
            found.append(f"{where}: astimezone() with no zone converts to the machine's zone")
    return found


def test_the_rule_catches_what_it_is_for() -> None:
    bad = """
import datetime as dt
from datetime import date, datetime
a = date.today()
b = datetime.now()
c = datetime.fromtimestamp(1.0)
d = date.fromtimestamp(1.0)
e = dt.datetime.utcnow()
f = datetime.now(tz)
g = datetime.fromtimestamp(1.0, tz=tz)
h = datetime.fromtimestamp(1.0, tz)
"""
    found = _offences(ast.parse(bad), "x.py")
    assert [f.split(":")[1] for f in found] == ["4", "5", "6", "7", "8"]


@pytest.mark.parametrize("root", ROOTS, ids=lambda p: p.name)
def test_no_naive_clock_in_the_product(root: Path) -> None:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        found += _offences(ast.parse(path.read_text(encoding="utf-8")), path.name)
    assert not found, "naive clock reads (use an aware instant in the agent's zone):\n" + "\n".join(found)
