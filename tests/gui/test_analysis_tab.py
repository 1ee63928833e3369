"""The Analysis tab: the sensitivity study runs off the GUI thread, streams progress, can be
cancelled, marks results that no longer match the inputs, and never outlives the window."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from reserve_planner.analysis.breakeven import DECISION_KINDS, N_TOP
from reserve_planner.analysis.groups import INPUT_GROUPS
from reserve_planner.gui import study_worker
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.settings import WindowSettings
from reserve_planner.gui.study_worker import StudySettings, wait_for_studies
from reserve_planner.io.baseline import load_article_baseline

KEEP = ("No disruption", "Licensing shock (April 2025 repeat)",
        "Full embargo, 12 months, from 2028", "Low-price flooding")


def small_inputs():
    """Three years, four scenarios: a study takes about a second in one process."""
    base = load_article_baseline()
    scen = [s for s in base.scenarios if s.name in KEEP]
    total = sum(s.probability for s in scen)
    scen = [replace(s, probability=s.probability / total) for s in scen]
    scen[0] = replace(scen[0], probability=1.0 - sum(s.probability for s in scen[1:]))
    return replace(base, name="Small baseline", scenarios=tuple(scen),
                   policy=replace(base.policy, horizon_months=36))


@pytest.fixture(autouse=True)
def join_studies():
    yield
    assert wait_for_studies(60_000)


@pytest.fixture
def small_window(qtbot):
    w = MainWindow(small_inputs(), solve_delay_ms=20)
    w.analysis.workers.setValue(1)  # this process: no pool start-up in tests
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.show()
    w.central_tabs.setCurrentWidget(w.analysis)
    yield w
    w.document.undo_stack.setClean()
    w.close()
    w.deleteLater()
    qtbot.wait(1)


def run_to_end(qtbot, w, timeout=60_000):
    with qtbot.waitSignal(w.analysis.study_shown, timeout=timeout) as blocker:
        w.analysis.run_button.click()
    return blocker.args[0]


def test_study_streams_progress_and_fills_every_page(qtbot, small_window):
    w = small_window
    tab = w.analysis
    seen: list[tuple[int, int]] = []
    tab.runner.progress.connect(lambda d, t: seen.append((d, t)))
    study = run_to_end(qtbot, w)
    assert study is not None and tab.study is study
    # progress came solve by solve, counting up, and ended at the total
    assert len(seen) >= 10
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and dones[-1] == seen[-1][1]
    assert tab.progress.value() == tab.progress.maximum() == dones[-1]
    assert tab.last_outcome.done == dones[-1]
    # the tornado has every input group; the selector offers each material's reserve
    assert len(study.tornado.bars) == len(INPUT_GROUPS)
    options = [tab.metric.itemData(i) for i in range(tab.metric.count())]
    assert options[:2] == ["objective_usd", "net_benefit_usd"]
    assert [o for o in options if o.startswith("reserve_t:")] == \
        [f"reserve_t:{m.name}" for m in w.document.inputs.materials]
    # break-evens: every floor and reserve decision of every material against the top groups
    n_materials = len(w.document.inputs.materials)
    assert tab.breakeven_model.rowCount() == n_materials * len(DECISION_KINDS) * N_TOP
    tab.only_flips.setChecked(True)
    assert tab.breakeven_model.rowCount() == sum(1 for b in study.breakevens.results
                                                 if b.flips)
    # the charts render the study's figures
    qtbot.waitUntil(lambda: tab.tornado_chart.is_current, timeout=20_000)
    assert tab.tornado_chart.shown.summary.title.startswith("Objective")
    tab.metric.setCurrentIndex(tab.metric.findData("net_benefit_usd"))
    qtbot.waitUntil(lambda: tab.tornado_chart.is_current
                    and tab.tornado_chart.shown.summary.title.startswith("Net benefit"),
                    timeout=20_000)
    tab.pages.setCurrentIndex(2)
    qtbot.waitUntil(lambda: tab.risk_chart.is_current and tab.budget_chart.is_current,
                    timeout=20_000)
    assert "Risk" in tab.risk_chart.shown.summary.title
    assert tab.run_button.isEnabled() and not tab.cancel_button.isVisible()


def test_event_loop_keeps_running_during_the_study(qtbot, small_window):
    w = small_window
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    run_to_end(qtbot, w)
    timer.stop()
    elapsed = w.analysis.last_outcome.elapsed_s
    assert elapsed > 0.2  # long enough to say something about the loop
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    # On this project's 2-core machine the largest gap is about 25 ms. On CI's, with the
    # study's solver thread running beside it, one tick has come 251 ms late (3 December):
    # a single scheduling hiccup is allowed, not a freeze or repeated stalls.
    assert max(gaps) < 1.0, f"the event loop froze {max(gaps):.2f} s during the study"
    stalls = [g for g in gaps if g >= 0.25]
    assert len(stalls) <= 1, f"the event loop stalled {len(stalls)} times: {stalls}"
    assert len(ticks) >= elapsed / 0.05


def test_cancel_stops_the_study_and_keeps_the_window_working(qtbot, small_window):
    w = small_window
    tab = w.analysis
    with qtbot.waitSignal(tab.runner.progress, timeout=20_000):
        tab.run_button.click()
    assert tab.cancel_button.isVisible() and not tab.run_button.isEnabled()
    clock = QElapsedTimer()
    clock.start()
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000) as blocker:
        tab.cancel_button.click()
    outcome = blocker.args[0]
    assert clock.elapsed() < 5_000
    assert outcome.cancelled and outcome.study is None and not outcome.error
    planned = 1 + 2 * len(INPUT_GROUPS)
    assert outcome.done < planned  # stopped inside the tornado
    assert tab.study is None and "Cancelled" in tab.status.text()
    assert tab.run_button.isEnabled() and not tab.cancel_button.isVisible()
    # the window still re-solves
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.document.adjust("risk_aversion", 0.5)


def test_results_are_marked_out_of_date_when_the_inputs_change(qtbot, small_window):
    w = small_window
    tab = w.analysis
    run_to_end(qtbot, w)
    assert not tab.is_stale and tab.banner.isHidden()
    policy = w.document.inputs.policy
    w.document.edit(replace(w.document.inputs, policy=replace(policy, risk_aversion=0.5)),
                    "Change tariff")
    assert tab.is_stale and not tab.banner.isHidden()
    assert "Out of date" in tab.banner.text()
    w.document.undo_stack.undo()
    assert not tab.is_stale and tab.banner.isHidden()


def test_an_error_is_shown_in_the_tab(qtbot, small_window, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ValueError("the case has no materials")

    monkeypatch.setattr(study_worker, "sensitivity_study", broken)
    w = small_window
    tab = w.analysis
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000) as blocker:
        tab.run_button.click()
    assert blocker.args[0].error
    assert not tab.error.isHidden()
    assert "ValueError: the case has no materials" in tab.error.text()
    assert tab.run_button.isEnabled()


def test_inputs_with_problems_are_not_studied(qtbot, small_window):
    w = small_window
    tab = w.analysis
    material = w.document.inputs.materials[0]
    bad = replace(w.document.inputs, materials=(replace(material, price_usd_per_kg=-5.0),
                                                *w.document.inputs.materials[1:]))
    assert bad.validate()
    w.document.edit(bad, "Negative price")
    assert tab.run() == 0
    assert not tab.is_running and tab.run_button.isEnabled()
    assert "1 problem" in tab.error.text() and material.name in tab.error.text()


def test_inputs_without_a_plan_are_explained(qtbot, small_window):
    w = small_window
    tab = w.analysis
    policy = w.document.inputs.policy
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.document.edit(replace(w.document.inputs, policy=replace(policy,
                                                                  min_cover_days=1000.0)),
                        "Impossible cover")
    assert not w.plan_view.has_plan
    with qtbot.waitSignal(tab.runner.finished, timeout=60_000):
        tab.run_button.click()
    assert tab.study is None
    assert "give no plan" in tab.error.text() and "minimum cover" in tab.error.text()


def test_a_dask_scheduler_that_does_not_answer_is_explained(qtbot, small_window,
                                                            monkeypatch):
    def refuse(address, timeout_s=10.0):
        raise ConnectionError(f"no Dask scheduler answered at {address!r} within 10 s")

    monkeypatch.setattr(study_worker, "DaskExecutor", refuse)
    tab = small_window.analysis
    tab.scheduler.setText("tcp://10.0.0.5:8786")
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.run_button.click()
    text = tab.error.text()
    assert "tcp://10.0.0.5:8786" in text and "scheduler address" in text


def test_closing_the_window_cancels_and_waits_for_the_study(qtbot):
    w = MainWindow(small_inputs(), solve_delay_ms=20)
    w.analysis.workers.setValue(1)
    w.show()
    runner = w.analysis.runner
    with qtbot.waitSignal(runner.progress, timeout=20_000):
        w.analysis.run()
    w.document.undo_stack.setClean()
    clock = QElapsedTimer()
    clock.start()
    assert w.close()
    assert clock.elapsed() < 10_000
    assert runner._pool.activeThreadCount() == 0  # the worker thread has ended
    assert runner._cancel.is_set()
    w.deleteLater()
    qtbot.wait(10)


def test_opening_another_scenario_cancels_and_clears(qtbot, small_window):
    w = small_window
    tab = w.analysis
    run_to_end(qtbot, w)
    with qtbot.waitSignal(tab.runner.progress, timeout=20_000):
        tab.run()
    w.document.load(replace(small_inputs(), name="Another"), None)
    assert not tab.is_running or tab.runner._cancel.is_set()
    assert tab.runner._pool.activeThreadCount() == 0
    assert tab.study is None and tab.breakeven_model.rowCount() == 0
    qtbot.wait(50)  # the cancelled run's report arrives and changes nothing
    assert tab.study is None


def test_worker_settings_are_remembered(qtbot, small_window):
    tab = small_window.analysis
    tab.workers.setValue(3)
    tab.scheduler.setText("  tcp://10.0.0.5:8786 ")
    tab.scheduler.editingFinished.emit()
    again = WindowSettings()
    assert again.study_workers() == 3
    assert again.study_scheduler() == "tcp://10.0.0.5:8786"
    assert tab.study_settings() == StudySettings(3, "tcp://10.0.0.5:8786")
    assert "Dask scheduler at tcp://10.0.0.5:8786" in tab.study_settings().describe()


def test_size_curves_of_the_plan_on_screen(qtbot, small_window):
    w = small_window
    tab = w.analysis
    ranges = []
    w.range_solver.result_ready.connect(ranges.append)
    qtbot.waitUntil(lambda: tab._curves_inputs == w.document.inputs and bool(ranges),
                    timeout=60_000)
    tab.pages.setCurrentWidget(tab.size_chart)
    qtbot.waitUntil(lambda: tab.size_chart.is_current, timeout=20_000)
    curves = [m.near_optimal for m in ranges[-1].result.materials
              if m.near_optimal is not None]
    assert curves  # the small baseline holds reserves
    _draw, shown = tab.size_chart._data
    assert list(shown) == curves
    assert tab.size_chart.shown.summary.title  # a drawn figure, not the empty message
    assert not tab.size_chart.shown.summary.message


def test_the_study_runs_on_a_local_process_pool(qtbot, small_window):
    """The default: worker processes started by a forkserver preloaded with the engine."""
    w = small_window
    w.analysis.workers.setValue(2)
    study = run_to_end(qtbot, w, timeout=120_000)
    assert study is not None
    assert w.analysis.last_outcome.where == "local process pool (2 worker(s))"
    assert len(study.tornado.bars) == len(INPUT_GROUPS)
