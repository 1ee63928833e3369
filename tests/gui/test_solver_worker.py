"""Solving off the GUI thread: debounce, supersede, stale results dropped, errors contained."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from PySide6.QtCore import QElapsedTimer

from reserve_planner.gui import solver_worker
from reserve_planner.gui.debounce import Debouncer
from reserve_planner.gui.solver_worker import SolveController, SolveOutcome
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import SolveOptions, SolveStatus

BASE = load_article_baseline()


def variant(tariff: float):
    return replace(BASE, policy=replace(BASE.policy, tariff_share=tariff))


def test_debouncer_delivers_only_the_last_value(qtbot) -> None:
    d = Debouncer(delay_ms=30, max_wait_ms=None)
    got: list[int] = []
    d.triggered.connect(got.append)
    for i in range(5):
        d.call(i)
    assert got == [] and d.is_pending()
    qtbot.waitUntil(lambda: got == [4], timeout=2000)
    assert not d.is_pending()


def test_debouncer_fires_during_a_long_burst_after_max_wait(qtbot) -> None:
    d = Debouncer(delay_ms=50, max_wait_ms=80)
    got: list[int] = []
    d.triggered.connect(got.append)
    clock = QElapsedTimer()
    clock.start()
    i = 0
    while clock.elapsed() < 300:  # calls every ~10 ms, never a 50 ms pause
        d.call(i)
        i += 1
        qtbot.wait(10)
    assert got, "a continuous stream of calls must still deliver something"
    d.cancel()


def test_debouncer_flush_and_cancel(qtbot) -> None:
    d = Debouncer(delay_ms=1000)
    got: list[str] = []
    d.triggered.connect(got.append)
    d.call("a")
    d.flush()
    assert got == ["a"]
    d.call("b")
    d.cancel()
    qtbot.wait(20)
    assert got == ["a"] and not d.is_pending()


def test_a_request_gives_one_result(qtbot) -> None:
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=10)
    with qtbot.waitSignal(c.result_ready, timeout=20_000) as blocker:
        c.request(BASE)
    outcome: SolveOutcome = blocker.args[0]
    assert outcome.inputs is BASE
    assert outcome.result.status is SolveStatus.OPTIMAL
    assert outcome.request_id == c.latest_id == 1
    qtbot.waitUntil(lambda: not c.is_busy, timeout=5000)


def test_a_burst_of_requests_is_solved_once(qtbot) -> None:
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=40, max_wait_ms=None,
                        leading=False)
    results: list[SolveOutcome] = []
    c.result_ready.connect(results.append)
    for t in (0.1, 0.2, 0.3, 0.4):
        c.request(variant(t))
    qtbot.waitUntil(lambda: bool(results) and not c.is_busy, timeout=20_000)
    assert len(results) == 1 and c.latest_id == 1
    assert results[0].inputs.policy.tariff_share == 0.4


def test_leading_edge_solves_a_single_change_at_once(qtbot) -> None:
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=10_000, leading=True)
    with qtbot.waitSignal(c.result_ready, timeout=5000):  # far sooner than the 10 s delay
        c.request(BASE)
    results: list[SolveOutcome] = []
    c.result_ready.connect(results.append)
    c.request(variant(0.2))  # inside the quiet window: waits for the trailing edge
    qtbot.wait(100)
    assert results == [] and c.is_busy
    c._debouncer.flush()
    qtbot.waitUntil(lambda: len(results) == 1, timeout=20_000)


def test_debouncer_leading_edge_then_trailing(qtbot) -> None:
    d = Debouncer(delay_ms=40, max_wait_ms=None, leading=True)
    got: list[int] = []
    d.triggered.connect(got.append)
    d.call(1)
    assert got == [1]
    d.call(2)
    d.call(3)
    assert got == [1]
    qtbot.waitUntil(lambda: got == [1, 3], timeout=2000)
    qtbot.wait(100)
    d.call(4)  # after a quiet spell: at once again
    assert got == [1, 3, 4]


def test_newer_requests_supersede_and_stale_results_are_dropped(qtbot, monkeypatch) -> None:
    gate = threading.Event()
    real_solve = solver_worker.solve

    def slow_solve(inputs, options):
        if inputs.policy.tariff_share == 0.1:
            gate.wait(10)  # the first solve is still running when newer requests arrive
        return real_solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", slow_solve)
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=0, max_wait_ms=None)
    shown: list[SolveOutcome] = []
    c.result_ready.connect(shown.append)
    busy: list[bool] = []
    c.busy_changed.connect(busy.append)
    c.solve_now(variant(0.1))
    c.solve_now(variant(0.2))  # waits in the pending slot ...
    c.solve_now(variant(0.3))  # ... and is replaced by this one before it starts
    gate.set()
    qtbot.waitUntil(lambda: not c.is_busy, timeout=20_000)
    assert [o.inputs.policy.tariff_share for o in shown] == [0.3]
    assert c.dropped == 2  # 0.1 finished stale, 0.2 never started
    assert busy[0] is True and busy[-1] is False


def test_a_solver_exception_becomes_an_error_result(qtbot, monkeypatch) -> None:
    def broken(inputs, options):
        raise RuntimeError("boom")

    monkeypatch.setattr(solver_worker, "solve", broken)
    c = SolveController(delay_ms=0)
    with qtbot.waitSignal(c.result_ready, timeout=5000) as blocker:
        c.solve_now(BASE)
    result = blocker.args[0].result
    assert result.status is SolveStatus.ERROR and "boom" in result.message


def test_solving_runs_off_the_gui_thread(qtbot, monkeypatch) -> None:
    threads: list[threading.Thread] = []
    real_solve = solver_worker.solve

    def spy(inputs, options):
        threads.append(threading.current_thread())
        return real_solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", spy)
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=0)
    with qtbot.waitSignal(c.result_ready, timeout=20_000):
        c.solve_now(BASE)
    assert threads and threads[0] is not threading.main_thread()


@pytest.mark.parametrize("wait_ms", [0, 5])
def test_wait_joins_the_worker(qtbot, wait_ms: int) -> None:
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=wait_ms)
    c.solve_now(BASE)
    t0 = time.perf_counter()
    assert c.wait(20_000)
    assert time.perf_counter() - t0 < 20


def test_shutdown_survives_a_solve_that_outlives_it(qtbot, monkeypatch) -> None:
    gate = threading.Event()
    real_solve = solver_worker.solve

    def stuck(inputs, options):
        gate.wait(10)
        return real_solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", stuck)
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=0)
    c.solve_now(BASE)
    c.shutdown(timeout_ms=50)  # gives up waiting
    c.deleteLater()
    qtbot.wait(10)
    gate.set()  # the worker now reports to the detached object: no crash
    assert c.wait(20_000) if shiboken_valid(c) else True
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().waitForDone(20_000)


def shiboken_valid(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
