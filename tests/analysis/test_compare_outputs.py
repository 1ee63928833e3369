"""The outputs of a comparison: the overlaid charts, the report's blocks and the workbook."""

import math
from dataclasses import replace

import numpy as np
import openpyxl
import pytest

from reserve_planner.analysis.compare import NamedPlan, compare_plans
from reserve_planner.analysis.outcome import SWEEP_OPTIONS
from reserve_planner.charts.comparison import (
    FIGURE_BARS,
    draw_comparison_figures,
    draw_comparison_reserve,
    planned_stock_t,
)
from reserve_planner.charts.style import DARK_SERIES, PRINT_THEME, Theme, new_figure
from reserve_planner.io.comparison_workbook import (
    COMPARISON_SHEETS,
    build_comparison_workbook,
    export_comparison_workbook,
)
from reserve_planner.io.variants import workbook_field_label
from reserve_planner.io.workbook import WorkbookSaveError
from reserve_planner.optimize import solve
from reserve_planner.report.comparison import build_comparison_report
from reserve_planner.report.document import Figure, Paragraph

DARK = Theme(True, "#202020", "#f0f0f0", "#a0a0a0", "#404040", DARK_SERIES)


@pytest.fixture(scope="module")
def pair(small):
    opts = replace(SWEEP_OPTIONS, near_optimal_tolerance=0.01)
    b_inputs = replace(small, name="Tariff 90%",
                       policy=replace(small.policy, tariff_share=0.9))
    a = NamedPlan("Base", small, solve(small, opts), "base.xlsx")
    b = NamedPlan("Tariff 90%", b_inputs, solve(b_inputs, opts), "plans.xlsx#Tariff 90%")
    return compare_plans([a, b], describe=workbook_field_label)


def test_planned_stock_is_the_starting_stock_plus_the_purchases(pair):
    for plan in pair.plans:
        for m in plan.result.materials:
            years, stock = planned_stock_t(plan, m.material)
            assert stock.size == plan.result.months + 1 == years.size
            assert stock[0] == plan.inputs.material(m.material).starting_stock_t
            assert stock[-1] == pytest.approx(m.reserve_target_t, abs=1e-6)
            assert np.all(np.diff(stock) >= -1e-9)
            assert years[0] == plan.result.start_year


@pytest.mark.parametrize("theme", [PRINT_THEME, DARK], ids=["print", "dark"])
def test_reserve_overlay_draws_one_line_per_plan_and_material(pair, theme):
    fig = new_figure(6.5, 4.0)
    draw_comparison_reserve(fig, theme, pair)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == len(pair.decisions)
    for ax, md in zip(axes, pair.decisions, strict=True):
        lines = ax.get_lines()
        assert len(lines) == len(pair.plans)
        for line, plan in zip(lines, pair.plans, strict=True):
            assert line.get_ydata()[-1] == pytest.approx(
                plan.result.material(md.material).reserve_target_t, abs=1e-6)
    assert fig.legends and [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Base", "Tariff 90%"]
    assert fig.get_facecolor()[:3] == pytest.approx(
        tuple(int(theme.background[i:i + 2], 16) / 255 for i in (1, 3, 5)))


def test_bars_are_the_headline_figures_in_millions(pair):
    fig = new_figure(6.5, 3.0)
    draw_comparison_figures(fig, PRINT_THEME, pair)
    (ax,) = fig.axes
    heights = [p.get_height() for p in ax.patches]
    want = []
    for i in range(len(pair.plans)):
        want += [pair.figure(label).values[i] / 1e6 for label, _ in FIGURE_BARS]
    assert heights == pytest.approx(want)


def test_report_reads_on_its_own(pair):
    report = build_comparison_report(pair)
    assert report.section_titles() == ["Plans compared", "Inputs that differ", "Decisions",
                                       "Results"]
    plans, inputs, decisions, results = report.tables
    assert [r[1].text for r in plans.rows] == ["Base", "Tariff 90%"]
    assert [r[2].text for r in plans.rows] == ["base.xlsx", "plans.xlsx, variant \u2018Tariff "
                                               "90%\u2019"]
    (row,) = inputs.rows
    assert row[0].text == "Tariff on Chinese imports" and row[0].note == "policy/tariff_share"
    assert [c.text for c in row[1:3]] == [f"{pair.plans[0].inputs.policy.tariff_share:.0%}",
                                          "90%"]
    assert row[2].bold and not row[1].bold
    assert row[3].text.startswith(pair.plans[0].inputs.source("policy/tariff_share")
                                  .kind.value)
    obj = next(r for r in results.rows if r[0].text == "Plan: objective")
    a, b = (p.result.objective_usd for p in pair.plans)
    sign = "+" if b > a else "\u2212"
    assert obj[2].note == f"{sign}${abs(b - a) / 1e6:,.1f}M vs plan 1"
    assert len(report.figures) == 2 and all(isinstance(f, Figure) for f in report.figures)
    assert {r[0].text for r in decisions.rows if r[0].text} == {d.material
                                                                for d in pair.decisions}
    text = report.to_text()
    assert "Tariff 90% differs from Base in 1 input" in text


def test_report_of_a_plan_with_itself_and_of_an_unsolved_plan(pair, small):
    a = pair.plans[0]
    same = build_comparison_report(compare_plans([a, replace(a, name="Again")]))
    assert "The plans have the same inputs" in same.to_text()
    bad_inputs = replace(small, policy=replace(small.policy, horizon_months=1))
    bad = NamedPlan("Broken", bad_inputs, solve(bad_inputs, SWEEP_OPTIONS))
    assert not bad.has_plan
    report = build_comparison_report(compare_plans([a, bad]))
    warnings = [b for b in report.blocks if isinstance(b, Paragraph) and b.style == "warning"]
    assert warnings and "No plan for Broken" in warnings[0].text
    results = [t for t in report.tables if t.header[0] == "Figure"][0]
    assert all(r[2].text == "n/a" for r in results.rows)


def test_workbook_sheets_and_values(pair, tmp_path):
    path = tmp_path / "c.xlsx"
    export_comparison_workbook(pair, path)
    wb = openpyxl.load_workbook(path)
    assert tuple(wb.sheetnames) == COMPARISON_SHEETS
    inputs = list(wb["Inputs that differ"].iter_rows(min_row=2, values_only=True))
    assert [r[:5] for r in inputs] == [("Tariff on Chinese imports", "policy/tariff_share",
                                        "%", pair.plans[0].inputs.policy.tariff_share, 0.9)]
    decisions = list(wb["Decisions"].iter_rows(min_row=2, values_only=True))
    assert len(decisions) == len(pair.decisions) * 2
    for row in decisions:
        plan = next(p for p in pair.plans if p.name == row[1])
        m = plan.result.material(row[0])
        assert row[2] == pytest.approx(m.reserve_target_t)
        assert row[6] == pytest.approx(m.floor.level_usd_per_kg)
    results = {r[0]: r for r in wb["Results"].iter_rows(min_row=2, values_only=True)}
    for fr in pair.figures:
        if all(math.isfinite(v) for v in fr.values):
            assert results[fr.label][5] == pytest.approx(fr.values[1] - fr.values[0])


def test_workbook_refuses_a_name_that_is_not_xlsx_and_writes_nothing(pair, tmp_path):
    with pytest.raises(WorkbookSaveError, match=".xlsx"):
        export_comparison_workbook(pair, tmp_path / "c.csv")
    assert not list(tmp_path.iterdir())
    assert build_comparison_workbook(pair).sheetnames == list(COMPARISON_SHEETS)
