"""``reserve-planner simulate`` and ``solve --sample``: outputs, reproducibility, bad
arguments (a message, exit 2, no file written)."""

import io
import json

import pytest
from openpyxl import load_workbook

from reserve_planner import cli
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.montecarlo_spec import spec_around_scenarios


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_json_to_stdout_same_seed_same_numbers():
    code, out, _ = run("simulate", "--runs", "400", "--seed", "3", "--json", "-",
                       "--no-progress")
    assert code == 0
    a = json.loads(out)
    assert a["runs"] == 400 and a["seed"] == 3 and not a["cancelled"]
    _, again, _ = run("simulate", "--runs", "400", "--seed", "3", "--json", "-", "--no-progress")
    _, other, _ = run("simulate", "--runs", "400", "--seed", "4", "--json", "-", "--no-progress")
    assert json.loads(again)["total_cost_usd"] == a["total_cost_usd"]
    assert json.loads(other)["total_cost_usd"] != a["total_cost_usd"]
    names = [m["material"] for m in a["materials"]]
    assert names == list(load_article_baseline().material_names)
    for m in a["materials"]:
        d = m["shortfall_t"]["plan"]
        assert d["p5"] <= d["p50"] <= d["p95"] <= d["worst"]


def test_summary_and_every_output_written(tmp_path):
    j, x, r = tmp_path / "mc.json", tmp_path / "mc.xlsx", tmp_path / "mc.pdf"
    code, out, err = run("simulate", "--runs", "300", "--json", str(j), "--out", str(x),
                         "--report", str(r), "--paper", "letter", "--no-progress")
    assert code == 0, err
    assert "Total cost, plan" in out and "Plan minus status quo" in out
    for p in (j, x, r):
        assert f"wrote {p}" in err
    assert json.loads(j.read_text())["runs"] == 300
    wb = load_workbook(x, read_only=True)
    assert "Monte Carlo test" in wb.sheetnames
    assert wb.sheetnames.index("Monte Carlo test") == wb.sheetnames.index("About") + 1
    assert r.read_bytes().startswith(b"%PDF")


def test_progress_bar_on_stderr():
    code, _, err = run("simulate", "--runs", "1200", "--json", "-")
    assert code == 0
    assert "simulate" in err and "future" in err


def test_sample_average_approximation(tmp_path):
    code, out, err = run("simulate", "--runs", "500", "--sample", "40", "--sample-seed", "2",
                         "--json", "-", "--no-progress")
    assert code == 0, err
    gap = json.loads(out)["sample_gap"]
    assert gap["sample_paths"] == 40 and gap["sample_seed"] == 2
    assert gap["gap_usd"] == pytest.approx(gap["out_of_sample_usd"] - gap["in_sample_usd"])
    code, out, err = run("solve", "--sample", "30", "--seed", "5", "--no-diagnostics",
                         "--json", "-")
    assert code == 0, err
    assert len(json.loads(out)["scenarios"]) == 30


def test_spec_file(tmp_path):
    spec = spec_around_scenarios(load_article_baseline())
    path = tmp_path / "spec.json"
    data = spec.to_dict()
    data["kinds"] = data["kinds"][:1]  # only the first kind: the rest of the paths are calm
    path.write_text(json.dumps(data))
    code, out, err = run("simulate", "--runs", "300", "--spec", str(path), "--json", "-",
                         "--no-progress")
    assert code == 0, err
    result = json.loads(out)
    assert [k["name"] for k in result["spec"]["kinds"]] == [spec.kinds[0].name]
    assert result["calm_share"] == pytest.approx(1 - spec.kinds[0].probability, abs=0.08)


@pytest.mark.parametrize(("argv", "message"), [
    (["--runs", "0"], "must be at least 1"),
    (["--runs", "many"], "invalid whole number"),
    (["--seed", "-1"], "a seed is a whole number >= 0"),
    (["--sample", "0"], "must be at least 1"),
    (["--spec", "missing.json"], "no such file: missing.json"),
    (["--out", "{tmp}/r.txt"], "--out must name an .xlsx file"),
    (["missing.xlsx"], "no such file: missing.xlsx"),
    (["--paper", "a5"], "invalid choice"),
])
def test_bad_arguments_exit_2_and_write_nothing(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    outputs = ["--json", str(tmp_path / "a.json"), "--report", str(tmp_path / "a.pdf")]
    if "--out" not in argv:
        outputs += ["--out", str(tmp_path / "a.xlsx")]
    err = io.StringIO()
    try:  # argparse's own errors exit through SystemExit, printing on sys.stderr
        code = cli.main(["simulate", *argv, *outputs, "--no-progress"], io.StringIO(), err)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert message in err.getvalue() + capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "is not JSON"),
    ('{"kinds": 3}', "an object with a list 'kinds'"),
    ('{"kinds": [{"name": "x"}]}', "missing 'probability'"),
    ('{"kinds": [{"name": "x", "probability": 2, "earliest_month": 0, "latest_month": 500, '
     '"duration_months": [3, 1], "depth_by_material": {"Nothing": 1}}]}',
     "not valid"),
])
def test_bad_spec_exit_2_and_write_nothing(tmp_path, content, message):
    spec = tmp_path / "spec.json"
    spec.write_text(content)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run("simulate", "--spec", str(spec), "--json", str(out_dir / "a.json"),
                       "--out", str(out_dir / "a.xlsx"), "--no-progress")
    assert code == 2
    assert message in err
    if message == "not valid":  # every problem named, with its field
        for part in ("probability", "latest", "duration_months", "no such material"):
            assert part in err
    assert list(out_dir.iterdir()) == []


def test_no_plan_exits_1_and_writes_nothing(tmp_path):
    from dataclasses import replace

    from reserve_planner.io.workbook import save_scenario_workbook

    base = load_article_baseline()
    infeasible = replace(base, policy=replace(base.policy, min_cover_days=60,
                                              min_cover_by_month=24))
    path = tmp_path / "in.xlsx"
    save_scenario_workbook(infeasible, path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run("simulate", str(path), "--runs", "100", "--json",
                       str(out_dir / "a.json"), "--report", str(out_dir / "a.pdf"),
                       "--no-progress")
    assert code == 1
    assert "the inputs give no plan (infeasible)" in err and "minimum cover" in err
    assert list(out_dir.iterdir()) == []
