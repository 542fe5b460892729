"""`relist roi` and `relist notebook` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relist.cli import COMMANDS, cli
from relist.cli.roi import parse_value, server_command
from relist.roi.model import RoiInputs, compute
from relist.roi.text import format_value


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args), env=env)
    return res.exit_code, res.stdout, res.stderr


def test_registered() -> None:
    assert COMMANDS["roi"] == "relist.cli.roi:roi" and COMMANDS["notebook"] == "relist.cli.roi:notebook"


def test_roi_prints_the_model_at_the_defaults() -> None:
    code, out, _ = run("roi")
    assert code == 0
    at = compute(RoiInputs())
    gci, net = format_value("gci_per_month", at.gci_per_month), format_value("net_per_month", at.net_per_month)
    assert "GCI per month" in out and gci in out and gci == "$24,172"  # listing-to-close 70% by default
    assert out.strip().splitlines()[-1] == f"GCI {gci}/month, net {net}/month."


def test_every_input_has_an_option() -> None:
    code, out, _ = run("roi", "--help")
    assert code == 0
    for name in RoiInputs().as_dict():
        assert f"--{name.replace('_', '-')}" in out


def test_options_and_ranges_reach_the_model_as_json() -> None:
    code, out, _ = run("roi", "--dials-per-day", "90", "--pickup-rate", "25%-35%", "--median-price", "$500,000",
                       "--chain", "contacts", "--listings-per-contact", "0.05", "--touches-per-lead", "3", "--json")
    assert code == 0
    data = json.loads(out)
    want = RoiInputs(dials_per_day=90, pickup_rate=0.30, median_price=500_000, chain="contacts",
                     listings_per_contact=0.05, touches_per_lead=3)
    assert data["inputs"]["pickup_rate"] == pytest.approx(0.30)
    assert data["outputs"]["gci_per_month"] == pytest.approx(compute(want).gci_per_month)
    low, high = data["output_ranges"]["contacts_per_day"]
    assert (low, high) == (pytest.approx(22.5), pytest.approx(31.5))
    assert data["ranges"] == {"pickup_rate": [0.25, 0.35]}


def test_a_preset_and_an_override() -> None:
    code, out, _ = run("roi", "--preset", "by-skill", "--listings-per-contact", "0.1", "--json")
    data = json.loads(out)
    assert code == 0 and data["inputs"]["chain"] == "contacts"
    assert data["inputs"]["listings_per_contact"] == 0.1 and data["ranges"] == {}


@pytest.mark.parametrize(("args", "words"), [
    (["--pickup-rate", "1.4"], ["pickup_rate", "above 100%", "Write rates as fractions"]),
    (["--median-price", "0"], ["median_price", "at least"]),
    (["--dials-per-day", "lots"], ["--dials-per-day 'lots' is not a number"]),
    (["--pickup-rate", "0.4-0.2"], ["low above high"]),
    (["--from-workbook"], ["No workbook given"]),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], words: list[str]) -> None:
    code, _, err = run("roi", *args, env={"RELIST_WORKBOOK": ""})
    assert code == 2
    assert err.startswith("relist: error: ") and err.count("\n") == 1
    for w in words:
        assert w in err


def test_parse_value() -> None:
    assert parse_value("pickup_rate", "30%") == pytest.approx(0.3)
    assert parse_value("pickup_rate", "0.25-0.35") == (0.25, 0.35)
    assert parse_value("median_price", "$400,000 to $450,000") == (400_000, 450_000)
    assert parse_value("dials_per_day", "60..80") == (60, 80)


def test_server_commands_bind_to_loopback_with_a_token(tmp_path: Path) -> None:
    nb = tmp_path / "roi_calculator.ipynb"
    argv, url = server_command(nb, 8899, "tok", voila=False, browser=False)
    assert "--ip=127.0.0.1" in argv and "--port=8899" in argv and "--no-browser" in argv
    assert "--IdentityProvider.token=tok" in argv and f"--ServerApp.root_dir={tmp_path}" in argv
    assert url == "http://127.0.0.1:8899/lab/tree/roi_calculator.ipynb?token=tok"
    argv, url = server_command(nb, 8899, "tok", voila=True, browser=True)
    assert argv[1:4] == ["-m", "voila", str(nb)] and "--Voila.ip=127.0.0.1" in argv and "--no-browser" not in argv
    assert url == "http://127.0.0.1:8899/?token=tok"


def test_notebook_refuses_a_missing_notebook_or_workbook(tmp_path: Path) -> None:
    code, _, err = run("notebook", "presentation", env={"RELIST_NOTEBOOKS": str(tmp_path)})
    assert code == 2 and "presentation notebook is not at" in err and "RELIST_NOTEBOOKS" in err
    (tmp_path / "roi_calculator.ipynb").write_text("{}")
    code, _, err = run("notebook", "roi", "--workbook", str(tmp_path / "gone.xlsx"),
                       env={"RELIST_NOTEBOOKS": str(tmp_path)})
    assert code == 2 and "No workbook at" in err


def test_the_repository_ships_the_roi_notebook() -> None:
    from relist.cli.roi import NOTEBOOKS, notebooks_dir

    assert (notebooks_dir() / NOTEBOOKS["roi"]).exists()
