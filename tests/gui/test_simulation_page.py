"""The Analysis tab's Monte Carlo page: the run is off the GUI thread with progress and
Cancel, shows the same numbers as the library with the same seed, marks a result whose
inputs changed, says why when there is no plan, and never outlives the window."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reserve_planner.analysis.montecarlo import simulate_plan
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.simulation_page import wait_for_simulations
from reserve_planner.optimize import SolveOptions, solve
from reserve_planner.report import formatting as fmt

from .test_analysis_tab import small_inputs


@pytest.fixture(autouse=True)
def join_simulations():
    yield
    assert wait_for_simulations(60_000)


@pytest.fixture
def page(qtbot):
    w = MainWindow(small_inputs(), solve_delay_ms=20)
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.show()
    w.central_tabs.setCurrentWidget(w.analysis)
    w.analysis.pages.setCurrentWidget(w.analysis.simulation)
    yield w.analysis.simulation
    w.document.undo_stack.setClean()
    w.close()
    w.deleteLater()
    qtbot.wait(1)


def _run(qtbot, page, runs: int, seed: int, timeout: int = 60_000):
    page.runs.setValue(runs)
    page.seed.setValue(seed)
    with qtbot.waitSignal(page.shown, timeout=timeout) as blocker:
        page.run_button.click()
    return blocker.args[0]


def test_the_page_shows_the_librarys_numbers_for_the_same_seed(qtbot, page):
    outcome = _run(qtbot, page, 300, 11)
    assert outcome.result is not None and outcome.error == ""
    inputs = outcome.inputs
    direct = simulate_plan(inputs, solve(inputs, SolveOptions(diagnostics=False)),
                           runs=300, seed=11)
    texts = page.table_texts()
    row = texts["Total cost, plan"]
    assert row[1].startswith(fmt.money(direct.cost().expected))
    assert row[5] == fmt.money(direct.cost().worst)
    assert texts["Plan minus status quo"][3] == fmt.money(direct.cost_difference().p50)
    m = direct.material_names[0]
    first = next(k for k in texts if k.startswith(m))
    assert texts[first][1].startswith(fmt.tonnes(direct.shortfall(m).expected))
    assert "300 futures (seed 11)" in page.status.text()
    assert page.run_button.isEnabled() and not page.progress.isVisible()


def test_cancel_stops_a_long_run_and_says_so(qtbot, page):
    page.runs.setValue(100_000)
    with qtbot.waitSignal(page.shown, timeout=120_000) as blocker:
        page.run_button.click()
        qtbot.waitUntil(lambda: page.progress.value() >= 1_000, timeout=60_000)
        page.cancel_button.click()
        assert "Cancelling" in page.status.text()
    mc = blocker.args[0].result
    assert mc is not None and mc.cancelled and mc.runs < 100_000
    assert page.status.text().startswith(f"Stopped after {mc.runs:,} of 100,000 futures")


def test_a_changed_input_marks_the_result_out_of_date(qtbot, page):
    _run(qtbot, page, 200, 3)
    doc = page.window().document
    pol = doc.inputs.policy
    doc.edit(replace(doc.inputs, policy=replace(pol, risk_aversion=pol.risk_aversion
                                                      + 0.1)), "risk")
    assert page.status.text().startswith("Out of date")


def test_inputs_without_a_plan_get_a_sentence_not_a_crash(qtbot, page):
    doc = page.window().document
    mats = tuple(replace(m, purchase_limit_t_per_month=-1.0) for m in doc.inputs.materials)
    doc.edit(replace(doc.inputs, materials=mats), "bad")
    outcome = _run(qtbot, page, 200, 1)
    assert outcome.result is None
    assert page.status.text().startswith("There is no plan to test")
    assert page.money_table.rowCount() == 0
