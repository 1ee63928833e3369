"""The command line, run in-process and as a real subprocess."""

import io
import json
import os
import subprocess
import sys

import pytest

from reserve_planner.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_solve_prints_a_summary_table():
    code, out, _ = run("solve")
    assert code == 0
    assert "Status:   optimal" in out
    assert "NdPr oxide" in out and "Reserve t" in out and "Floor $/kg" in out
    assert "Value of the stochastic solution" in out


def test_solve_shows_the_status_quo_and_the_increments():
    from reserve_planner.io.baseline import load_article_baseline

    code, out, _ = run("solve")
    assert code == 0
    assert "Against the status quo" in out
    for label in ("Status quo: expected cost", "Status quo: contracted floor payouts",
                  "Plan adds: reserve cost", "Plan avoids: shortage damage"):
        assert label in out
    # The baseline's commitments: DoD's $110/kg NdPr floor and the 10X plant.
    assert "DoD NdPr floor: Mountain Pass output" in out
    assert "Committed: MP 10X magnet plant" in out
    assert "Near-optimal reserve" in out and "(optimum " in out
    assert "The tariff lowers expected payouts by" in out
    # No new floor is offered for committed output, and none undercuts the contract.
    code, text, _ = run("solve", "--json", "-")
    data = json.loads(text)
    base = load_article_baseline()
    for m in data["materials"]:
        for level in m["floor"]["candidates_usd_per_kg"]:
            assert level == 0 or level >= base.contracted_floor_level(m["material"])
    assert data["status_quo"]["contracted_payout_usd"] > 0
    assert data["materials"][0]["near_optimal"]["low_t"] <= \
        data["materials"][0]["reserve_target_t"]


def test_solve_json_to_stdout_and_file(tmp_path):
    code, out, _ = run("solve", "--json", "-")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["materials"][0]["reserve_target_t"] > 0
    target = tmp_path / "r.json"
    assert run("solve", "--json", str(target), "--quiet")[0] == 0
    assert json.loads(target.read_text())["inputs_name"] == "Article baseline"


@pytest.mark.parametrize(("argv", "needle"), [
    (["solve", "--bogus"], "unrecognized arguments: --bogus"),
    (["solve", "--time-limit", "soon"], "invalid float value: 'soon'"),
    (["frobnicate", "x", "y"], "unrecognized arguments: x y"),
])
def test_bad_arguments_give_one_line_and_exit_2(argv, needle):
    proc = subprocess.run([sys.executable, "-m", "reserve_planner", *argv],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("reserve-planner: error")


def test_missing_input_file_exits_2(tmp_path):
    code, _, err = run("solve", str(tmp_path / "nope.xlsx"))
    assert code == 2
    assert "no such file" in err


def test_negative_time_limit_exits_2():
    code, _, err = run("solve", "--time-limit", "-1")
    assert code == 2 and "--time-limit must be positive" in err


def test_python_dash_m_solves_the_baseline():
    proc = subprocess.run([sys.executable, "-m", "reserve_planner", "solve", "--json", "-"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] == "optimal"


@pytest.mark.parametrize("option", ["--out", "--report", "--json"])
def test_unwritable_outputs_exit_2_with_a_sentence(tmp_path, option):
    suffix = {"--out": "r.xlsx", "--report": "r.pdf", "--json": "r.json"}[option]
    target = tmp_path / "no such folder" / suffix
    code, _, err = run("solve", "--quiet", option, str(target))
    assert code == 2
    assert err.startswith("reserve-planner: error:")
    assert "Traceback" not in err


def test_template_into_a_missing_folder_exits_2(tmp_path):
    code, _, err = run("template", str(tmp_path / "missing" / "t.xlsx"))
    assert code == 2 and err.startswith("reserve-planner: error:")


def test_template_refuses_to_overwrite(tmp_path):
    target = tmp_path / "t.xlsx"
    assert run("template", str(target))[0] == 0
    code, _, err = run("template", str(target))
    assert code == 2 and "exists" in err
    assert run("template", str(target), "--force")[0] == 0


def test_template_writes_the_tariff_threat_variant(tmp_path):
    from reserve_planner.io.workbook import load_scenario_workbook

    target = tmp_path / "threat.xlsx"
    code, _, err = run("template", "--variant", "tariff-threat", str(target))
    assert code == 0 and "wrote" in err
    inputs = load_scenario_workbook(target)
    assert inputs.name == "Article baseline, 100% tariff threat"
    assert inputs.policy.tariff_share == pytest.approx(1.2)
