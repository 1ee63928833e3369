"""The decision analysis in the results workbook: every sheet's rows are the study's bars,
break-evens and points, and every solved variant can be rebuilt from the workbook alone."""

from __future__ import annotations

import json
import math

import openpyxl
import pytest

from reserve_planner.analysis import SerialExecutor, sensitivity_study, tornado
from reserve_planner.analysis.sweep import apply_changes, input_changes
from reserve_planner.io.results_workbook import export_results_workbook
from reserve_planner.io.sensitivity_workbook import (
    ANALYSIS_SHEETS,
    BREAKEVEN_HEADERS,
    VARIANT_HEADERS,
)
from reserve_planner.io.workbook import (
    WorkbookSaveError,
    load_scenario_workbook,
    load_scenario_workbook_with_warnings,
)
from reserve_planner.optimize import SolveOptions, solve

PLAN_SHEETS = ["Summary", "Reserve", "Fill schedule", "Floor decisions", "Floor projects",
               "Floor appraisal", "Scenario outcomes", "Monthly outcomes", "Problems", "About"]


@pytest.fixture(scope="module")
def plan(baseline):
    return baseline, solve(baseline, SolveOptions(near_optimal_tolerance=0.01))


@pytest.fixture(scope="module")
def study(baseline):
    with SerialExecutor() as ex:
        return sensitivity_study(baseline, executor=ex)


@pytest.fixture(scope="module")
def path(plan, study, tmp_path_factory):
    target = tmp_path_factory.mktemp("sens") / "results.xlsx"
    export_results_workbook(*plan, target, sensitivity=study)
    return target


@pytest.fixture(scope="module")
def book(path):
    return openpyxl.load_workbook(path)


def _rows(ws, top: int = 1):
    """(headings, rows as dicts) of the table whose headings are on row ``top``, up to the
    first empty row."""
    headers = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for values in ws.iter_rows(min_row=top + 1, max_col=len(headers), values_only=True):
        if all(v is None for v in values):
            break
        rows.append(dict(zip(headers, values, strict=True)))
    return headers, rows


def _same(cell, value) -> bool:
    """A cell against a study figure: blank for NaN, else the same float."""
    if isinstance(value, float) and not math.isfinite(value):
        return cell is None
    return cell == value


def test_sheets_follow_the_plan_sheets_and_precede_the_inputs(book):
    names = book.sheetnames
    assert names[:len(PLAN_SHEETS)] == PLAN_SHEETS
    assert names[len(PLAN_SHEETS):len(PLAN_SHEETS) + len(ANALYSIS_SHEETS)] == \
        list(ANALYSIS_SHEETS)
    assert names[len(PLAN_SHEETS) + len(ANALYSIS_SHEETS)] == "Settings"
    for name in ANALYSIS_SHEETS:
        assert book[name].tables, name


def test_tornado_rows_are_the_bars(book, study):
    headers, rows = _rows(book["Tornado"])
    assert all("(" in h for h in headers if h.startswith(("Objective", "Net benefit", "CVaR"))), \
        "money headings carry their unit"
    bars = study.tornado.ranked()
    assert [r["Input group"] for r in rows] == [b.label for b in bars]
    for r, b in zip(rows, bars, strict=True):
        assert r["Key"] == b.key and r["Unit"] == b.group.unit
        assert (r["Low value"], r["Base value"], r["High value"]) == \
            (b.low_value, b.base_value, b.high_value)
        for metric, head in (("objective_usd", "Objective"), ("net_benefit_usd", "Net benefit"),
                             ("expected_cost_usd", "Expected cost"),
                             ("cvar_usd", "CVaR of shortage")):
            assert _same(r[f"{head} at low ($)"], b.low.metric(metric))
            assert _same(r[f"{head} at high ($)"], b.high.metric(metric))
        for m in study.tornado.materials:
            assert _same(r[f"{m} reserve at low (t)"], b.low.reserve_t[m])
            assert _same(r[f"{m} reserve at high (t)"], b.high.reserve_t[m])
        assert (r["Decisions that flip"] == "none") == (not b.flips)


def test_breakeven_rows_are_the_breakevens(book, study):
    headers, rows = _rows(book["Break-evens"])
    assert headers == BREAKEVEN_HEADERS
    results = study.breakevens.results
    assert len(rows) == len(results)
    for r, b in zip(rows, results, strict=True):
        assert (r["Material"], r["Decision"], r["Key"]) == (b.material, b.kind, b.group)
        assert r["Base value"] == b.base_value
        assert (r["Searched from"], r["Searched to"]) == (b.search_low, b.search_high)
        assert r["Break-even below"] == (b.below.value if b.below else None)
        assert r["Break-even above"] == (b.above.value if b.above else None)
        assert r["Finding"] == b.sentence()
    assert any(r["Break-even below"] is not None or r["Break-even above"] is not None
               for r in rows), "the baseline has break-evens"


def test_frontier_rows_are_the_points_with_the_chosen_marked(book, study):
    ws = book["Frontiers"]
    _, risk = _rows(ws, 2)
    top = 2 + len(risk) + 3  # heading row, rows, blank, note
    _, budget = _rows(ws, top)
    for rows, f, key in ((risk, study.risk_frontier, "Risk weight (-)"),
                         (budget, study.budget_frontier, "Annual budget ($/yr)")):
        assert [r[key] for r in rows] == [p.value for p in f.points]
        assert [r["Chosen"] == "yes" for r in rows] == [p.chosen for p in f.points]
        assert sum(r["Chosen"] == "yes" for r in rows) == 1
        for r, p in zip(rows, f.points, strict=True):
            assert _same(r["Expected cost ($)"], p.outcome.expected_cost_usd)
            assert _same(r["CVaR of shortage damage ($)"], p.outcome.cvar_usd)
            assert _same(r["Shortage damage avoided ($)"], p.outcome.shortage_avoided_usd)


def test_size_curve_rows_are_the_plans_curves(book, plan):
    ws = book["Size curves"]
    _, summary = _rows(ws)
    curves = [m.near_optimal for m in plan[1].materials if m.near_optimal is not None]
    assert [r["Material"] for r in summary] == [c.material for c in curves]
    for r, c in zip(summary, curves, strict=True):
        assert (r["Optimum (t)"], r["Near-optimal from (t)"], r["Near-optimal to (t)"]) == \
            (c.optimum_t, c.low_t, c.high_t)
    _, points = _rows(ws, len(summary) + 4)  # headings, rows, blank, note
    expected = [(c.material, t, obj) for c in curves for t, obj in c.points]
    assert [(r["Material"], r["Reserve (t)"], r["Objective ($)"]) for r in points] == expected
    for r in points:
        c = next(c for c in curves if c.material == r["Material"])
        assert r["Extra cost over the optimum ($)"] == pytest.approx(
            r["Objective ($)"] - c.objective_usd)


def test_every_variant_is_rebuilt_from_the_workbook(path, book, study):
    """The scenario sheets plus the Solved variants rows give back each variant's inputs."""
    headers, rows = _rows(book["Solved variants"])
    assert headers == VARIANT_HEADERS
    base = load_scenario_workbook(path)
    by_variant: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        changes = by_variant.setdefault((r["Analysis"], r["Variant"]), [])
        if r["Field path"]:
            changes.append({"path": r["Field path"], "value": json.loads(r["Value (JSON)"])})
    stages = (("tornado", study.tornado.sweep), ("risk frontier", study.risk_frontier.sweep),
              ("budget frontier", study.budget_frontier.sweep))
    n = 0
    for stage, sweep in stages:
        for row in sweep.rows:
            rebuilt = apply_changes(base, by_variant[(stage, row.variant.name)])
            assert input_changes(row.variant.inputs, rebuilt) == (), (stage, row.variant.name)
            n += 1
    assert n == sum(s.total for _, s in stages)
    assert len({k for k in by_variant if k[0] == "break-evens"}) == \
        len(study.breakevens.variants)


def test_a_tornado_alone_adds_its_sheets(plan, tmp_path):
    inputs, result = plan
    with SerialExecutor() as ex:
        t = tornado(inputs, groups=["tariff", "price"], executor=ex)
    target = tmp_path / "t.xlsx"
    export_results_workbook(inputs, result, target, sensitivity=t)
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert [n for n in names if n in ANALYSIS_SHEETS] == ["Tornado", "Size curves",
                                                          "Solved variants"]
    # and a results workbook still loads as the scenario it was solved from
    assert input_changes(inputs, load_scenario_workbook(target)) == ()


def test_a_bad_target_leaves_nothing_behind(plan, study, tmp_path):
    target = tmp_path / "r.txt"
    with pytest.raises(WorkbookSaveError, match="extension .xlsx"):
        export_results_workbook(*plan, target, sensitivity=study)
    assert list(tmp_path.iterdir()) == []


def test_the_results_workbook_reloads_without_warning_about_its_analysis_sheets(path):
    """A results workbook is also a scenario workbook: its analysis sheets are read as the
    results' own, quietly, not reported as foreign sheets."""
    _, warnings = load_scenario_workbook_with_warnings(path)
    named = [w for w in warnings if any(f"'{s}'" in w for s in ANALYSIS_SHEETS)]
    assert named == []
