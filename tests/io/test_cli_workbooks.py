"""From the command line: template, load, (edit in LibreOffice: the fixture), load again,
solve, export."""

from __future__ import annotations

import io
import shutil

import openpyxl

from reserve_planner.cli import main
from reserve_planner.io.workbook import load_scenario_workbook


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_template_writes_the_article_baseline(tmp_path, baseline):
    path = tmp_path / "baseline.xlsx"
    assert run("template", str(path)) == (0, "", f"wrote {path}\n")
    loaded = load_scenario_workbook(path)
    assert loaded == baseline and dict(loaded.sources) == dict(baseline.sources)
    code, _, err = run("template", str(path))
    assert code == 2 and "exists (use --force to overwrite)" in err
    assert run("template", str(path), "--force")[0] == 0


def test_solve_a_template_and_export_results(tmp_path):
    scenario = tmp_path / "plan.xlsx"
    results = tmp_path / "results.xlsx"
    assert run("template", str(scenario))[0] == 0
    code, out, err = run("solve", str(scenario), "--out", str(results), "--no-diagnostics")
    assert code == 0, err
    assert "Scenario: Article baseline" in out
    assert err.endswith(f"wrote {results}\n")
    book = openpyxl.load_workbook(results, read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Reserve"]
    book.close()


def test_solve_a_workbook_edited_in_libreoffice(tools, tmp_path):
    edited = tmp_path / "edited in LibreOffice.xlsx"
    shutil.copyfile(tools.fixtures / "libreoffice_edited.xlsx", edited)
    results = tmp_path / "results.xlsx"
    code, out, err = run("solve", str(edited), "--out", str(results), "--no-diagnostics",
                         "--quiet")
    assert code == 0, err
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(results)["Summary"].iter_rows(
        values_only=True)}
    assert summary["Solver status"] == "optimal"
    budget = {r[0]: r[1] for r in openpyxl.load_workbook(results)["Settings"].iter_rows(
        values_only=True)}["Annual purchase budget"]
    assert budget == 200_000_000  # the edit made in LibreOffice


def test_solve_reports_every_problem_of_a_bad_workbook(tools, template, tmp_path):
    def edit(wb):
        wb["Scenarios"]["C7"] = 1.4
        wb["Materials"]["B3"] = -5

    path = tmp_path / "bad.xlsx"
    path.write_bytes(tools.edited(template, edit))
    code, out, err = run("solve", str(path))
    assert code == 2 and out == ""
    assert err == (f"reserve-planner: cannot load {path}:\n"
                   "Materials!B3: demand -5 is below 0\n"
                   "Scenarios!C7: probability 1.4 is above 1\n")


def test_solve_refuses_a_macro_workbook_with_a_sentence(template, tmp_path):
    path = tmp_path / "plan.xlsm"
    path.write_bytes(template)
    code, _, err = run("solve", str(path))
    assert code == 2
    assert "'plan.xlsm' is a macro-enabled workbook (.xlsm)" in err
    assert "Traceback" not in err
