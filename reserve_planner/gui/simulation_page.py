"""The Analysis tab's Monte Carlo page: the plan of the inputs on screen tested out of sample.

Run solves the plan of the document's inputs and plays it, held fixed, on N simulated
futures beside the status quo (:func:`reserve_planner.analysis.montecarlo.simulate_plan`,
the defaults around the scenarios or the workbook's Monte Carlo sheet), on a worker thread:
a progress bar counts the futures and Cancel stops after the batch in progress (at most
1,000 futures, well under a second). The page draws the Qt-free chart definitions of
:mod:`reserve_planner.charts.montecarlo` and the report's own distribution tables
(:func:`reserve_planner.report.montecarlo_section.distribution_tables`). A result whose
inputs are no longer on screen is marked out of date; opening another scenario stops the
run and clears the page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..analysis.montecarlo import DEFAULT_SEED, MonteCarloResult, simulate_plan
from ..charts.montecarlo import draw_cost_histogram, draw_shortfall_exceedance
from ..io.montecarlo_sheet import read_montecarlo_sheet
from ..model import PlanInputs
from ..model.montecarlo_spec import MonteCarloSpec
from ..optimize import SolveOptions, solve
from ..report.document import Table
from ..report.montecarlo_section import distribution_tables
from .charts import FigureChart

#: Futures per run by default, and the spin box's range.
DEFAULT_RUNS = 2_000
RUNS_RANGE = (100, 100_000)


@dataclass(frozen=True)
class SimulationOutcome:
    """What one run produced: the result and its tables, or the sentence saying why not."""

    run_id: int
    inputs: PlanInputs
    result: MonteCarloResult | None
    tables: tuple[Table, ...] = ()
    error: str = ""


class _Signals(QObject):
    progress = Signal(int, int, int)  # run id, futures played, futures requested
    done = Signal(object)  # SimulationOutcome


class _Task(QRunnable):
    def __init__(self, run_id: int, inputs: PlanInputs, spec_path: Path | None,
                 runs: int, seed: int, cancel: threading.Event, signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self.args = (run_id, inputs, spec_path, runs, seed, cancel)
        self.signals = signals

    def run(self) -> None:
        run_id, inputs, spec_path, runs, seed, cancel = self.args
        try:
            spec = _workbook_spec(spec_path, inputs)
            plan = solve(inputs, SolveOptions(diagnostics=False))
            if not plan.status.has_plan:
                self.signals.done.emit(SimulationOutcome(
                    run_id, inputs, None, error="There is no plan to test: "
                    f"{plan.message} Fix the inputs, then run again."))
                return
            mc = simulate_plan(inputs, plan, spec, runs=runs, seed=seed, cancel=cancel,
                               on_progress=lambda d, t: self.signals.progress.emit(run_id, d, t))
            self.signals.done.emit(SimulationOutcome(run_id, inputs, mc,
                                                     tuple(distribution_tables(mc))))
        except Exception as exc:  # noqa: BLE001 - any failure is shown on the page
            self.signals.done.emit(SimulationOutcome(
                run_id, inputs, None, error=f"The Monte Carlo test could not run: {exc}"))


def _workbook_spec(path: Path | None, inputs: PlanInputs) -> MonteCarloSpec | None:
    """The Monte Carlo sheet of the workbook on screen, if it has one (None: the defaults
    around the scenarios). A bad sheet raises with its cells named."""
    if path is None or path.suffix.lower() != ".xlsx" or not path.exists():
        return None
    return read_montecarlo_sheet(path, inputs)


_POOL: QThreadPool | None = None


def simulation_pool() -> QThreadPool:
    """The one thread Monte Carlo runs use (a run uses the whole engine; two at once would
    only share the cores)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
    return _POOL


def wait_for_simulations(timeout_ms: int = 60_000) -> bool:
    """Wait for every run to end (tests' teardown, window close)."""
    return _POOL.waitForDone(timeout_ms) if _POOL is not None else True


class TableView(QTableWidget):
    """A report :class:`~reserve_planner.report.document.Table` shown read-only, its
    cells' second lines on hover."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 0, parent)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_table(self, table: Table | None) -> None:
        self.clear()
        if table is None:
            self.setRowCount(0)
            self.setColumnCount(0)
            return
        self.setColumnCount(len(table.header))
        self.setHorizontalHeaderLabels(list(table.header))
        self.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                text = cell.text + (f" ({cell.note})" if cell.note and c == 0 else "")
                item = QTableWidgetItem(text)
                if cell.note:
                    item.setToolTip(cell.note)
                align = Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignLeft if table.align[c] == "left"
                    else Qt.AlignmentFlag.AlignRight)
                item.setTextAlignment(align)
                self.setItem(r, c, item)
        self.setToolTip(table.caption)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


class SimulationPage(QWidget):
    """Controls, progress, the two charts and the distribution tables of a Monte Carlo
    test of the plan of ``inputs_source()`` (a callable giving the inputs on screen), with
    the distributions of the Monte Carlo sheet of ``path_source()`` (the workbook opened)
    when it has one."""

    #: A run ended and its outcome is on the page (tests and the window listen).
    shown = Signal(object)

    def __init__(self, inputs_source, path_source=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("simulationPage")
        self._inputs_source = inputs_source
        self._path_source = path_source or (lambda: None)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._run_id = 0
        self._cancel: threading.Event | None = None
        self.outcome: SimulationOutcome | None = None

        self.runs = QSpinBox()
        self.runs.setObjectName("simulationRuns")
        self.runs.setRange(*RUNS_RANGE)
        self.runs.setSingleStep(1_000)
        self.runs.setValue(DEFAULT_RUNS)
        self.runs.setGroupSeparatorShown(True)
        self.runs.setAccessibleName("Simulated futures")
        self.runs.setToolTip("Number of simulated futures: 10,000 take about 3 s")
        self.seed = QSpinBox()
        self.seed.setObjectName("simulationSeed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(DEFAULT_SEED)
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("The same seed gives the same futures and the same numbers")
        self.run_button = QPushButton("Run &Monte Carlo")
        self.run_button.setObjectName("runSimulation")
        self.run_button.setToolTip("Solve the plan of the inputs on screen and play it, held "
                                   "fixed, on simulated futures beside the status quo")
        self.run_button.clicked.connect(self.run)
        self.progress = QProgressBar()
        self.progress.setObjectName("simulationProgress")
        self.progress.setFormat("%v of %m futures")
        self.progress.setMinimumWidth(170)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelSimulation")
        self.cancel_button.setToolTip("Stop after the batch of futures in progress")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.status = QLabel("Run the Monte Carlo test to see how the plan does on futures "
                             "it was not optimised on.")
        self.status.setObjectName("simulationStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        controls = QHBoxLayout()
        runs_label = QLabel("&Futures:")
        runs_label.setBuddy(self.runs)
        seed_label = QLabel("S&eed:")
        seed_label.setBuddy(self.seed)
        for w in (self.run_button, runs_label, self.runs, seed_label, self.seed,
                  self.progress, self.cancel_button):
            controls.addWidget(w)
        controls.addWidget(self.status, 1)

        self.cost_chart = FigureChart(draw_cost_histogram, "Total cost, plan and status quo",
                                      min_size=(300, 200))
        self.cost_chart.setObjectName("simulationCostChart")
        self.shortfall_chart = FigureChart(draw_shortfall_exceedance,
                                           "Shortfall exceedance by material",
                                           min_size=(300, 200))
        self.shortfall_chart.setObjectName("simulationShortfallChart")
        self.money_table = TableView()
        self.money_table.setObjectName("simulationMoneyTable")
        self.shortfall_table = TableView()
        self.shortfall_table.setObjectName("simulationShortfallTable")

        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.cost_chart)
        charts.addWidget(self.shortfall_chart)
        tables = QTabWidget()
        tables.setObjectName("simulationTables")
        tables.addTab(self.money_table, "Money [$M, discounted]")
        tables.addTab(self.shortfall_table, "Shortfall by material [t]")
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(charts)
        body.addWidget(tables)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(body, 1)
        self.clear()

    # ------------------------------------------------------------------ running

    @property
    def is_busy(self) -> bool:
        return self._cancel is not None

    def run(self) -> int:
        """Start a run on the inputs on screen (cancelling one in progress); its id."""
        self.cancel()
        self._run_id += 1
        self._cancel = threading.Event()
        inputs = self._inputs_source()
        self.progress.setRange(0, self.runs.value())
        self.progress.setValue(0)
        self._set_busy(True)
        self.status.setText("Solving the plan, then playing it on the simulated futures…")
        simulation_pool().start(_Task(self._run_id, inputs, self._path_source(),
                                      self.runs.value(), self.seed.value(), self._cancel,
                                      self._signals))
        return self._run_id

    def cancel(self) -> None:
        """Stop the run in progress after its current batch; the futures played so far are
        shown."""
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText("Cancelling after the batch in progress…")
            self.cancel_button.setEnabled(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.run_button.setEnabled(not busy)

    def _on_progress(self, run_id: int, done: int, total: int) -> None:
        if run_id != self._run_id:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if self._cancel is not None and not self._cancel.is_set():
            self.status.setText(f"Playing the plan: {done:,} of {total:,} futures…")

    def _on_done(self, outcome: SimulationOutcome) -> None:
        if outcome.run_id != self._run_id:
            return  # a run superseded by a later one or by a new scenario
        self._cancel = None
        self._set_busy(False)
        self.outcome = outcome
        mc = outcome.result
        if mc is None:
            self.status.setText(outcome.error)
            self._empty_charts("No Monte Carlo result")
            self.money_table.show_table(None)
            self.shortfall_table.show_table(None)
        else:
            self.cost_chart.set_data(mc)
            self.shortfall_chart.set_data(mc)
            money, shortfall = (outcome.tables + (None, None))[:2]
            self.money_table.show_table(money)
            self.shortfall_table.show_table(shortfall)
            self.status.setText(self.summary(mc))
        self.shown.emit(outcome)

    @staticmethod
    def summary(mc: MonteCarloResult) -> str:
        diff = mc.cost_difference()
        verb = "saves" if diff.expected <= 0 else "costs"
        stopped = (f"Stopped after {mc.runs:,} of {mc.requested_runs:,} futures. "
                   if mc.cancelled else "")
        return (f"{stopped}On {mc.runs:,} futures (seed {mc.seed}) the plan {verb} "
                f"${abs(diff.expected) / 1e6:,.1f}M on average against the status quo; "
                f"it costs more in {mc.probability_plan_costs_more():.1%} of them, and a "
                f"reserve runs out in {mc.probability_runs_out():.1%}.")

    # ------------------------------------------------------------------ state

    def mark_stale(self, inputs: PlanInputs) -> None:
        """Say so when the result on the page is for other inputs than ``inputs``."""
        if self.outcome is None or self.outcome.result is None or self.is_busy:
            return
        if self.outcome.inputs != inputs:
            self.status.setText("Out of date: the inputs have changed since this run. "
                                + self.summary(self.outcome.result)
                                + " Run again to bring it up to date.")
        else:
            self.status.setText(self.summary(self.outcome.result))

    def _empty_charts(self, text: str) -> None:
        for chart in (self.cost_chart, self.shortfall_chart):
            chart.render_empty(text)

    def clear(self) -> None:
        """Stop any run and empty the page (another scenario is on screen)."""
        self.cancel()
        self._run_id += 1
        self._cancel = None
        self._set_busy(False)
        self.outcome = None
        self._empty_charts("Run the Monte Carlo test to see this chart")
        self.money_table.show_table(None)
        self.shortfall_table.show_table(None)
        self.status.setText("Run the Monte Carlo test to see how the plan does on futures "
                            "it was not optimised on.")

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel a run and wait for its thread (window close)."""
        if self._cancel is not None:
            self._cancel.set()
        return wait_for_simulations(timeout_ms)

    def table_texts(self) -> dict[str, Any]:
        """The tables' texts by row label (tests)."""
        out: dict[str, Any] = {}
        for view in (self.money_table, self.shortfall_table):
            for r in range(view.rowCount()):
                out.setdefault(view.cell_text(r, 0), [view.cell_text(r, c)
                                                      for c in range(view.columnCount())])
        return out
