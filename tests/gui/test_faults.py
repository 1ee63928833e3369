"""Markup in names, faults in workers, workbook loads off the GUI thread, many families."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox

from reserve_planner.gui import dialogs, solver_worker
from reserve_planner.gui.charts import (
    _LIGHT,
    ChartTheme,
    CostPainter,
    RenderRequest,
    ReservePainter,
    UnmetPainter,
    family_colours,
)
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.solver_worker import SolveController
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import editing
from reserve_planner.optimize import SolveOptions, SolveStatus, solve

BASE = load_article_baseline()
IMG = '<img src="/some/file.png">'
THEME = ChartTheme(False, "#ffffff", "#000000", "#777777", "#dddddd", _LIGHT)


def rendered(rich: str) -> str:
    """What Qt shows for a tooltip string (it treats it as HTML when it looks like HTML)."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


# ------------------------------------------------------------------ markup in names


def test_table_tooltips_show_names_as_typed(window: MainWindow, qtbot) -> None:
    """A scenario or material named like HTML is shown literally in every tooltip (Qt
    used to render it, loading /some/file.png)."""
    odd = editing.rename_scenario(BASE, BASE.scenarios[1].name, IMG)
    odd = editing.rename_material(odd, BASE.materials[-1].name, "<b>bold</b> & co")
    window.document.edit(odd, "markup names")
    seen = 0
    for title, model in window.tables.models.items():
        for c in range(model.columnCount()):
            head = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            assert not head or head.startswith("<qt>"), (title, head)
            if head and "<b>bold</b>" in rendered(head):
                seen += 1
            for r in range(model.rowCount()):
                tip = model.data(model.index(r, c), Qt.ItemDataRole.ToolTipRole)
                assert tip is None or tip.startswith("<qt>"), (title, tip)
                shown = rendered(tip or "")
                assert "<img" not in (tip or "").replace("&lt;img", "")
                seen += IMG in shown or "<b>bold</b> & co" in shown
    assert seen >= 3
    name_tip = window.tables.models["Scenarios"].data(
        window.tables.models["Scenarios"].index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert rendered(name_tip).startswith(IMG)


def test_labels_and_status_are_plain_text(window: MainWindow) -> None:
    for card in window.plan_view.cards.values():
        for label in (card.caption, card.value, card.detail):
            assert label.textFormat() == Qt.TextFormat.PlainText
    for label in (window.status_label, window.time_label, window.load_label,
                  window.plan_view.summary):
        assert label.textFormat() == Qt.TextFormat.PlainText
    for row in window.assumptions.rows.values():
        assert row.label.textFormat() == Qt.TextFormat.PlainText


def test_every_message_box_is_plain_text(qtbot, monkeypatch) -> None:
    boxes: list[QMessageBox] = []

    def exec_box(box: QMessageBox) -> int:
        boxes.append(box)
        labels = [w for w in box.findChildren(QLabel) if w.text()]
        assert any(IMG in w.text() for w in labels)
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    dialogs.show_problems(None, "t", f"“{IMG}.xlsx” was not opened", [f"Scenarios!A3: {IMG}"])
    dialogs.show_error(None, "t", f"{IMG} failed", "detail")
    dialogs.show_warnings(None, "t", "opened", [f"{IMG} heading unknown"])
    assert dialogs.ask_save_changes(None, IMG) == QMessageBox.StandardButton.Cancel
    assert len(boxes) == 4
    for box in boxes:
        assert box.textFormat() == Qt.TextFormat.PlainText
        for label in box.findChildren(QLabel):
            if label.text() and label.objectName() != "qt_msgboxex_icon_label":
                assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_plan_table_tooltip_with_a_markup_project_name(window: MainWindow, qtbot) -> None:
    contracts = repr(getattr(BASE, "contracted_floors", ()))  # rows that name projects
    name = next(j.name for j in BASE.projects if j.name not in contracts)
    odd = editing.rename_project(BASE, name, IMG)
    assert odd.validate() == []
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.document.edit(odd, "markup project")
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    table = window.plan_view.table
    tips = [table.item(r, 6).toolTip() for r in range(table.rowCount())]
    assert all(t.startswith("<qt>") for t in tips)
    if any(IMG in rendered(t) for t in tips):  # the project is brought online by a floor
        assert not any("<img" in t for t in tips)


# ------------------------------------------------------------------ solver faults


@pytest.mark.parametrize("fault", [SystemExit(3), KeyboardInterrupt(), MemoryError()])
def test_a_base_exception_in_a_solve_ends_solving_and_later_moves_replan(
        qtbot, monkeypatch, fault: BaseException) -> None:
    calls: list[int] = []

    def flaky(inputs, options):
        calls.append(1)
        if len(calls) == 1:
            raise fault
        return solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", flaky)
    c = SolveController(SolveOptions(diagnostics=False), delay_ms=0)
    busy: list[bool] = []
    c.busy_changed.connect(busy.append)
    with qtbot.waitSignal(c.result_ready, timeout=10_000) as blocker:
        c.solve_now(BASE)
    failed = blocker.args[0].result
    assert failed.status is SolveStatus.ERROR
    assert type(fault).__name__ in failed.message
    qtbot.waitUntil(lambda: not c.is_busy, timeout=5000)
    assert busy[-1] is False
    with qtbot.waitSignal(c.result_ready, timeout=20_000) as blocker:
        c.request(replace(BASE, policy=replace(BASE.policy, tariff_share=0.2)))
    assert blocker.args[0].result.status.has_plan
    c.wait()


def test_the_window_recovers_from_a_system_exit_in_a_solve(window: MainWindow, qtbot,
                                                          monkeypatch) -> None:
    calls: list[int] = []

    def flaky(inputs, options):
        calls.append(1)
        if len(calls) == 1:
            raise SystemExit("stop")
        return solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", flaky)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["tariff_share"].spin.setValue(30)
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    assert window.status_label.text() != "Solving…"
    assert "failed" in window.status_label.text()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):  # a later move re-plans
        window.assumptions.rows["tariff_share"].spin.setValue(40)
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    assert window.plan_view.has_plan


# ------------------------------------------------------------------ loading off the GUI thread


@pytest.fixture
def workbook_module():
    return pytest.importorskip("reserve_planner.io.workbook")


def _boxes(monkeypatch) -> list[tuple[str, str, str]]:
    shown: list[tuple[str, str, str]] = []

    def exec_box(box: QMessageBox) -> int:
        assert box.textFormat() == Qt.TextFormat.PlainText
        shown.append((box.objectName(), box.text(), box.informativeText()))
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return shown


def test_a_slow_load_keeps_the_window_alive_and_can_be_cancelled(
        window: MainWindow, qtbot, monkeypatch, workbook_module, tmp_path: Path) -> None:
    gate = threading.Event()
    threads: list[threading.Thread] = []
    other = replace(BASE, name="Slow file")

    def slow(path):
        threads.append(threading.current_thread())
        gate.wait(20)
        return other, []

    monkeypatch.setattr(workbook_module, "load_scenario_workbook_with_warnings", slow)
    boxes = _boxes(monkeypatch)
    before = window.document.inputs
    path = tmp_path / "slow.xlsx"
    assert window.open_path(path)
    assert window.is_loading
    assert window.load_bar.isVisibleTo(window) and window.load_cancel.isVisibleTo(window)
    assert "slow.xlsx" in window.load_label.text()
    # The event loop runs while the file is read: a timer fires on time.
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    clock = QElapsedTimer()
    clock.start()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=2000)
    timer.stop()
    assert clock.elapsed() < 1500
    assert threads and threads[0] is not threading.main_thread()
    with qtbot.waitSignal(window.load_finished, timeout=5000) as blocker:
        window.load_cancel.click()
    assert blocker.args == [False]
    assert not window.is_loading and not window.load_bar.isVisibleTo(window)
    assert "cancelled" in window.statusBar().currentMessage()
    gate.set()  # the abandoned read finishes now: its result is dropped
    from reserve_planner.gui.workbook_loader import wait_for_loads

    assert wait_for_loads(10_000)
    qtbot.wait(50)
    assert window.document.inputs is before and window.document.path is None
    assert boxes == []


@pytest.mark.parametrize("fault", [RuntimeError("reader bug"), MemoryError(),
                                   SystemExit(2), OSError(5, "Input/output error")])
def test_a_failed_load_says_so_and_keeps_the_scenario(window: MainWindow, qtbot, monkeypatch,
                                                     workbook_module, tmp_path: Path,
                                                     fault: BaseException) -> None:
    def broken(path):
        raise fault

    monkeypatch.setattr(workbook_module, "load_scenario_workbook_with_warnings", broken)
    boxes = _boxes(monkeypatch)
    before = window.document.inputs
    with qtbot.waitSignal(window.load_finished, timeout=10_000) as blocker:
        window.open_path(tmp_path / "bad.xlsx")
    assert blocker.args == [False]
    assert len(boxes) == 1 and "bad.xlsx" in boxes[0][1] and "unchanged" in boxes[0][1]
    assert window.document.inputs is before
    assert not window.load_bar.isVisibleTo(window)


def test_load_warnings_are_shown_in_a_dialog(window: MainWindow, qtbot, monkeypatch,
                                            workbook_module, tmp_path: Path) -> None:
    other = replace(BASE, name="With warnings")
    warnings = ["Materials!H1: unknown heading 'Startng stock (t)'; every starting stock "
                "is 0", f"Scenarios: hidden rows 4-5 were read ({IMG})"]
    monkeypatch.setattr(workbook_module, "load_scenario_workbook_with_warnings",
                        lambda path: (other, list(warnings)))
    boxes = _boxes(monkeypatch)
    path = tmp_path / "warned.xlsx"
    with qtbot.waitSignal(window.load_finished, timeout=10_000) as blocker:
        window.open_path(path)
    assert blocker.args == [True]
    assert window.document.inputs is other and window.document.path == path
    assert len(boxes) == 1
    name, text, info = boxes[0]
    assert name == "warningsDialog" and "warned.xlsx" in text and "2 things" in text
    assert "Startng stock" in info and IMG in info


def test_edits_made_while_a_file_loads_are_not_lost(window: MainWindow, qtbot, monkeypatch,
                                                   workbook_module, tmp_path: Path) -> None:
    gate = threading.Event()
    monkeypatch.setattr(workbook_module, "load_scenario_workbook_with_warnings",
                        lambda path: (gate.wait(20), (replace(BASE, name="Other"), []))[1])
    questions: list[str] = []

    def exec_box(box: QMessageBox) -> int:
        questions.append(box.text())
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    window.open_path(tmp_path / "other.xlsx")
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["tariff_share"].spin.setValue(35)
    edited = window.document.inputs
    with qtbot.waitSignal(window.load_finished, timeout=10_000) as blocker:
        gate.set()
    assert blocker.args == [False]
    assert len(questions) == 1 and "not saved" in questions[0]
    assert window.document.inputs is edited and window.document.is_modified


def test_a_real_workbook_loads_in_the_background(window: MainWindow, qtbot, tmp_path: Path,
                                                 workbook_module) -> None:
    path = tmp_path / "real.xlsx"
    workbook_module.save_scenario_workbook(BASE, path)
    t0 = time.perf_counter()
    with qtbot.waitSignal(window.load_finished, timeout=30_000) as blocker:
        window.open_path(path)
    assert blocker.args == [True] and window.document.path == path
    assert time.perf_counter() - t0 < 30


# ------------------------------------------------------------------ charts


def _many_families(n: int):
    base = BASE.scenarios[1]
    scenarios = [BASE.scenarios[0]] + [
        replace(base, name=f"Family {i}, variant", probability=0.5 / n) for i in range(n)]
    total = sum(s.probability for s in scenarios)
    scenarios[0] = replace(scenarios[0], probability=scenarios[0].probability + 1 - total)
    return replace(BASE, scenarios=tuple(scenarios), sources={})


def test_more_than_twenty_scenario_families_cycle_the_palette() -> None:
    inputs = _many_families(45)
    colours = family_colours(inputs, THEME)
    assert len(colours) == 46  # used to raise StopIteration after 20
    cycle = _LIGHT["cycle"]
    others = [colours[f"Family {i}"] for i in range(45)]
    assert others[:len(cycle)] == cycle and others[len(cycle):2 * len(cycle)] == cycle


def test_the_reserve_chart_draws_many_families(qtbot) -> None:
    inputs = _many_families(24)
    result = solve(inputs, SolveOptions(diagnostics=False))
    assert result.status.has_plan
    painter = ReservePainter()
    pixels = painter.render(RenderRequest(1, 500, 320, 1.0, THEME,
                                          (inputs, result, inputs.material_names[0])))
    assert pixels.shape == (320, 500, 4)
    assert painter.summary().lines == len(inputs.scenarios) + (
        1 if result.material(inputs.material_names[0]).reserve_target_t > 0 else 0)


def test_gui_charts_show_dollar_names_literally() -> None:
    material = "$\\foo$"
    inputs = editing.rename_material(BASE, BASE.materials[-1].name, material)
    inputs = editing.rename_scenario(inputs, BASE.scenarios[1].name, "Cost $5 to $10")
    result = solve(inputs, SolveOptions(diagnostics=False))
    assert result.status.has_plan
    for painter in (ReservePainter(), UnmetPainter(), CostPainter()):
        painter.render(RenderRequest(1, 480, 300, 1.0, THEME, (inputs, result, material)))
        summary = painter.summary()
        if not isinstance(painter, CostPainter):
            assert summary.title.startswith(material), summary.title
