"""The results workbook: key figures with units, reserve, fill schedule, floors, scenario
outcomes, the inputs it was solved from, and an About sheet; also for results without a plan."""

from __future__ import annotations

import math
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from reserve_planner import __version__
from reserve_planner.io.results_workbook import export_results_workbook
from reserve_planner.io.workbook import WorkbookSaveError, load_scenario_workbook
from reserve_planner.optimize import SolveOptions, SolveStatus, solve

PLAN_SHEETS = ["Summary", "Reserve", "Fill schedule", "Floor decisions", "Floor projects",
               "Floor appraisal", "Scenario outcomes", "Monthly outcomes", "Problems", "About"]
INPUT_SHEETS = ["Settings", "Materials", "Projects", "Scenarios", "Episodes", "Series", "Floors",
                "Contracted floors", "Sources", "Metadata"]


@pytest.fixture(scope="module")
def solved(baseline):
    return solve(baseline, SolveOptions(appraise_floors=True, near_optimal_tolerance=0.01,
                                        payout_runs=500))


@pytest.fixture(scope="module")
def results(baseline, solved, tmp_path_factory):
    path = tmp_path_factory.mktemp("results") / "results.xlsx"
    export_results_workbook(baseline, solved, path)
    return path


@pytest.fixture(scope="module")
def book(results):
    return openpyxl.load_workbook(results)


def _figures(ws) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def test_sheets_and_tables(book):
    assert book.sheetnames == PLAN_SHEETS + INPUT_SHEETS
    for name in PLAN_SHEETS:
        assert book[name].tables, name


def test_summary_has_the_key_figures_with_units(book, solved):
    figures = _figures(book["Summary"])
    assert figures["Solver status"][0] == "optimal"
    ndpr = solved.material("NdPr oxide")
    value, unit, note = figures["Reserve target: NdPr oxide"]
    assert value == pytest.approx(ndpr.reserve_target_t) and unit == "t"
    assert note.startswith(f"{ndpr.days_of_import_cover:,.0f} days of net imports, filled by ")
    for m in solved.materials:
        value, unit, note = figures[f"Price floor: {m.material}"]
        assert unit == "$/kg"
        if m.floor.has_floor:
            assert value == pytest.approx(m.floor.level_usd_per_kg)
        else:
            assert (value, note) == ("n/a", "no floor")
    for m in solved.materials:  # tonnes per material; no row adds materials' tonnes
        assert figures[f"Expected unmet demand with the plan: {m.material}"][:2] == (
            pytest.approx(m.expected_unmet_t), "t")
    assert "Expected unmet demand with the plan" not in figures
    assert figures["Cost: total"][:2] == (pytest.approx(solved.costs.total_usd), "$")
    ratio = solved.benefit_cost_ratio  # n/a when the plan adds no net cost
    assert figures["Benefit/cost ratio"][0] == (
        pytest.approx(ratio) if math.isfinite(ratio) else "n/a")
    for label, value, unit, _ in solved.comparison_rows():
        assert label in figures
        if unit == "$":
            assert figures[label][:2] == (pytest.approx(value), "$")
    for m in solved.materials:
        if m.near_optimal is not None:
            assert figures[f"Near-optimal reserve: {m.material}"][0] == m.near_optimal.label()
    assert figures["Value of the stochastic solution"][0] == pytest.approx(solved.vss_usd)


def test_reserve_fill_schedule_and_floors(book, solved):
    reserve = list(book["Reserve"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in reserve] == list(solved.material_names)
    assert reserve[0][1] == pytest.approx(solved.materials[0].reserve_target_t)
    fill = list(book["Fill schedule"].iter_rows(min_row=2, values_only=True))
    assert len(fill) == solved.months
    assert fill[0][0].year == 2027 and fill[0][0].month == 1
    for i, m in enumerate(solved.materials):
        assert sum(r[2 + i] for r in fill) == pytest.approx(m.fill_schedule_t.sum())
    floors = list(book["Floor decisions"].iter_rows(min_row=2, max_row=5, values_only=True))
    assert floors[0][0] == "NdPr oxide"
    assert floors[0][3] == pytest.approx(solved.materials[0].floor.expected_payout_usd)
    texts = [c for row in book["Floor appraisal"].iter_rows(values_only=True) for c in row]
    assert any(str(t).startswith("The best plan with each floor level pinned") for t in texts)


def test_scenario_outcomes(book, solved):
    rows = list(book["Scenario outcomes"].iter_rows(min_row=2, max_row=1 + len(
        solved.scenarios), values_only=True))
    assert [r[0] for r in rows] == [s.name for s in solved.scenarios]
    s = solved.scenarios[-1]
    # all materials together only in dollars; tonnes by scenario and material below
    assert rows[-1][3] == pytest.approx(s.shortage_usd)
    assert rows[-1][4] == pytest.approx(solved.status_quo.scenario_shortage_usd[-1])
    assert len(rows[-1]) == 5 or all(v is None for v in rows[-1][5:])
    monthly = book["Monthly outcomes"]
    assert monthly.max_row == 1 + len(solved.scenarios) * len(solved.material_names) * \
        solved.months


def test_charts_where_excel_users_expect_them(results):
    with zipfile.ZipFile(results) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # reserve by material, fill schedule, unmet by scenario


def test_about_sheet(book):
    about = _figures(book["About"])
    assert about["Program version"][0] == __version__
    assert about["Solver status"][0] == "optimal"
    assert about["Date"][0][:2] == "20"


def test_the_results_file_holds_its_inputs(results, baseline):
    inputs = load_scenario_workbook(results)
    assert inputs == baseline and dict(inputs.sources) == dict(baseline.sources)


def test_results_without_a_plan_hold_status_problems_and_inputs(baseline, tmp_path):
    bad = replace(baseline, scenarios=(replace(baseline.scenarios[0], probability=1.4),
                                       *baseline.scenarios[1:]))
    result = solve(bad)
    assert result.status is SolveStatus.INVALID_INPUT
    path = tmp_path / "invalid.xlsx"
    export_results_workbook(bad, result, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Problems", "About"] + INPUT_SHEETS
    figures = _figures(book["Summary"])
    assert figures["Solver status"][0] == "invalid input"
    assert figures["Message"][0] == result.message
    problems = [r[0] for r in book["Problems"].iter_rows(values_only=True) if r[0]]
    assert set(result.problems) <= set(problems)


def test_an_infeasible_result_lists_the_conflicting_limits(baseline, tmp_path):
    tight = replace(baseline, policy=replace(baseline.policy, min_cover_days=365,
                                             min_cover_by_month=6, annual_budget_usd=1e6))
    result = solve(tight, SolveOptions(diagnostics=False))
    assert result.status is SolveStatus.INFEASIBLE and result.conflicts
    path = tmp_path / "infeasible.xlsx"
    export_results_workbook(tight, result, path)
    rows = list(openpyxl.load_workbook(path)["Problems"].iter_rows(min_row=2,
                                                                   values_only=True))
    first = result.conflicts[0]
    assert rows[0] == (first.group, first.where, pytest.approx(first.shortfall), first.unit,
                       first.sentence)


def test_missing_figures_are_shown_as_n_a(baseline, tmp_path):
    result = solve(baseline, SolveOptions(diagnostics=False))  # no VSS, no shadow prices
    path = tmp_path / "lean.xlsx"
    export_results_workbook(baseline, result, path)
    figures = _figures(openpyxl.load_workbook(path)["Summary"])
    assert figures["Value of the stochastic solution"][0] == "n/a"


def test_names_that_look_like_formulas_stay_text(baseline, tmp_path):
    scenario = replace(baseline.scenarios[0], name="=HYPERLINK(\"http://x\")")
    inputs = replace(baseline, name="@SUM(1)", scenarios=(scenario, *baseline.scenarios[1:]))
    path = tmp_path / "tricky.xlsx"
    export_results_workbook(inputs, solve(inputs, SolveOptions(diagnostics=False)), path)
    book = openpyxl.load_workbook(path)
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert ws.title == "Series", (ws.title, cell.coordinate, cell.value)
    assert book["Scenario outcomes"]["A2"].value == scenario.name


def test_export_is_atomic(baseline, solved, tmp_path, monkeypatch):
    from reserve_planner.io import atomic_save

    path = tmp_path / "results.xlsx"
    path.write_bytes(b"old results")

    def locked(src, dst):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(atomic_save.os, "replace", locked)
    with pytest.raises(WorkbookSaveError) as info:
        export_results_workbook(baseline, solved, path)
    assert "The existing file was not changed." in str(info.value)
    assert path.read_bytes() == b"old results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx"]
    with pytest.raises(WorkbookSaveError):
        export_results_workbook(baseline, solved, tmp_path / "results.xlsm")
