"""Outputs of a Monte Carlo test: charts (drawn data against the per-path arrays), report
blocks, the results-workbook sheet (values against the result) and the JSON form."""

import json
import math

import numpy as np
import pytest
from openpyxl import load_workbook

from reserve_planner.analysis.montecarlo import simulate_plan
from reserve_planner.charts.montecarlo import (
    cost_histogram_figure,
    exceedance,
    shortfall_exceedance_figure,
    shortfall_materials,
)
from reserve_planner.io.montecarlo_workbook import MONTE_CARLO, export_montecarlo_workbook
from reserve_planner.optimize import solve
from reserve_planner.report import formatting as fmt
from reserve_planner.report.document import Figure, Table
from reserve_planner.report.montecarlo_section import (
    SECTION_TITLE,
    build_montecarlo_report,
    montecarlo_blocks,
)

from .conftest import small_baseline


@pytest.fixture(scope="module")
def tested():
    inputs = small_baseline()
    result = solve(inputs)
    return inputs, result, simulate_plan(inputs, result, runs=1500, seed=8)


def test_exceedance_is_the_share_above_each_value():
    values = np.array([5.0, 0.0, 10.0, 0.0])
    x, p = exceedance(values)
    assert list(x) == [0.0, 5.0, 10.0]
    assert list(p) == [0.5, 0.25, 0.0]  # P(X > x) by hand


def test_histogram_bars_are_shares_of_paths(tested):
    _, _, mc = tested
    fig = cost_histogram_figure(mc)
    ax = fig.axes[0]
    heights = np.array([patch.get_height() for patch in ax.patches])
    # two series of 40 bars, each adding up to every path (the extremes in the end bins)
    assert heights.size == 80
    assert heights[:40].sum() == pytest.approx(1.0)
    assert heights[40:].sum() == pytest.approx(1.0)
    means = sorted(line.get_xdata()[0] for line in ax.lines)
    assert means == pytest.approx(sorted([mc.plan_cost_usd.mean() / 1e6,
                                          mc.status_quo_cost_usd.mean() / 1e6]))


def test_exceedance_one_panel_per_material_with_a_shortfall(tested):
    _, _, mc = tested
    names = shortfall_materials(mc)
    fig = shortfall_exceedance_figure(mc)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in shown] == names
    for ax, name in zip(shown, names, strict=True):
        i = mc.material_names.index(name)
        sq, plan = ax.lines  # status quo first, then the plan
        assert max(plan.get_xdata()) <= mc.plan_shortfall_t[:, i].max() + 1e-9
        assert np.all(np.diff(plan.get_ydata()) <= 1e-12)  # an exceedance curve falls
        # the status quo's curve is the share of paths above each drawn value
        x, y = sq.get_xdata(), sq.get_ydata()
        for j in (0, len(x) // 2, len(x) - 1):
            assert y[j] == pytest.approx((mc.status_quo_shortfall_t[:, i] > x[j]).mean())


def test_report_section_states_the_figures(tested):
    _, result, mc = tested
    blocks = montecarlo_blocks(mc, result)
    assert blocks[0].text == SECTION_TITLE
    headline = blocks[1].text
    assert fmt.money(abs(mc.cost_difference().expected)) in headline
    assert fmt.share(mc.probability_plan_costs_more()) in headline
    assert sum(isinstance(b, Figure) for b in blocks) == 2
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables[0].rows) == 7
    assert len(tables[1].rows) == 2 * len(mc.material_names)
    assert tables[0].rows[0][1].text == fmt.money(mc.cost().expected)
    report = build_montecarlo_report(mc, result)
    assert report.section_titles() == [SECTION_TITLE]
    assert "Table 1." in tables[0].caption or report.tables[0].caption.startswith("Table 1.")


def test_workbook_sheet_holds_the_figures(tested, tmp_path):
    inputs, result, mc = tested
    path = tmp_path / "r.xlsx"
    export_montecarlo_workbook(inputs, result, mc, path)
    ws = load_workbook(path)[MONTE_CARLO]
    cells = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    assert ws.cell(cells["Paths played"], 2).value == mc.runs
    assert ws.cell(cells["Seed"], 2).value == 8
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Total cost"]
    plan = next(r for r in rows if ws.cell(r, 2).value == "plan")
    assert ws.cell(plan, 3).value == pytest.approx(mc.cost().expected)
    assert ws.cell(plan, 8).value == pytest.approx(mc.cost().worst)
    m = mc.material_names[0]
    row = next(r for r in range(1, ws.max_row + 1)
               if ws.cell(r, 1).value == m and ws.cell(r, 2).value == "plan")
    assert ws.cell(row, 3).value == pytest.approx(mc.shortfall(m).expected)
    p_out = mc.probability_runs_out(m)
    if math.isnan(p_out):  # the plan holds none of it: nothing to run out of
        assert ws.cell(row, 9).value == "no reserve held"
    else:
        assert ws.cell(row, 9).value == pytest.approx(p_out)


def test_workbook_needs_xlsx(tested, tmp_path):
    from reserve_planner.io.workbook import WorkbookError

    inputs, result, mc = tested
    with pytest.raises(WorkbookError, match="extension .xlsx"):
        export_montecarlo_workbook(inputs, result, mc, tmp_path / "r.csv")
    assert list(tmp_path.iterdir()) == []


def test_json_is_plain_and_complete(tested):
    _, _, mc = tested
    data = json.loads(json.dumps(mc.to_dict()))
    assert data["runs"] == 1500
    assert data["total_cost_usd"]["plan"]["expected"] == pytest.approx(mc.cost().expected)
    assert data["probability_reserve_runs_out"] == pytest.approx(mc.probability_runs_out())
    assert len(data["spec"]["kinds"]) == len(mc.spec.kinds)
