"""The Analysis tab: the sensitivity study of the scenario on screen, run in the background.

A row of controls (Run, the number of local workers, a Dask scheduler address, a progress
bar with Cancel) over five pages: the **tornado** (objective, net benefit, expected cost,
CVaR or one material's reserve), the **break-evens** of every floor and reserve decision, the
**risk and budget frontiers**, the **size curves** of the plan on screen (from the
window's near-optimal pass), and the **Monte Carlo** test of the plan on simulated futures
(:mod:`.simulation_page`, with its own Run, progress and Cancel). The study runs on a
:class:`~.study_worker.StudyRunner`, so the window keeps working; results that no longer
match the inputs on screen are marked out of date. Opening another scenario cancels a
running study and clears the pages.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..analysis import SensitivityStudy
from ..charts.breakeven import HEADERS, Table, breakeven_table
from ..charts.frontier import draw_budget_frontier, draw_risk_frontier
from ..charts.size_curve import draw_size_curves
from ..charts.tornado import draw_tornado
from ..model import PlanInputs
from .charts import FigureChart
from .document import PlanDocument
from .formatting import tooltip_html
from .settings import WindowSettings
from .simulation_page import SimulationPage
from .study_worker import StudyOutcome, StudyRunner, StudySettings

Index = QModelIndex | QPersistentModelIndex
#: Break-even columns holding decisions in words: base decision, flips below, flips above.
_WORDY_COLUMNS = frozenset({2, 5, 6})

#: Tornado figures offered in the selector, before one entry per material's reserve.
TORNADO_METRICS = (("objective_usd", "Objective (expected cost + risk term)"),
                   ("net_benefit_usd", "Net benefit against the status quo"),
                   ("expected_cost_usd", "Expected cost"),
                   ("cvar_usd", "CVaR of shortage damage"))


class BreakevenTableModel(QAbstractTableModel):
    """The break-even table (:func:`reserve_planner.charts.breakeven.breakeven_table`),
    read-only; every cell's tooltip is its full text."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._table = Table(HEADERS, ())

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    @property
    def table(self) -> Table:
        return self._table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._table.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self._table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(text)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._table.headers[section]
        return None


def _size_curves(outcome: Any) -> list:
    """The near-optimal size curves of a solve outcome's plan (empty if it has none)."""
    result = getattr(outcome, "result", None)
    if result is None or not result.status.has_plan:
        return []
    return [m.near_optimal for m in result.materials if m.near_optimal is not None]


class AnalysisTab(QWidget):
    """Runs the sensitivity study of the document's inputs and shows it."""

    #: A study (or its absence after an error or Cancel) is on screen.
    study_shown = Signal(object)

    def __init__(self, document: PlanDocument, settings: WindowSettings,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("analysisTab")
        self.document = document
        self.settings = settings
        self.runner = StudyRunner(self)
        self.study: SensitivityStudy | None = None
        self.study_inputs: PlanInputs | None = None
        self.last_outcome: StudyOutcome | None = None
        self._baseline = document.baseline
        self._started_at = 0.0
        self._curves_inputs: PlanInputs | None = None

        self.run_button = QPushButton("&Run study")
        self.run_button.setObjectName("runStudy")
        self.run_button.setToolTip("Re-solve the plan with every key input at a low and a "
                                   "high value, find where floor and reserve decisions flip, "
                                   "and trace the risk and budget frontiers")
        self.run_button.clicked.connect(self.run)
        self.workers = QSpinBox()
        self.workers.setObjectName("studyWorkers")
        self.workers.setRange(0, 256)
        self.workers.setSpecialValueText("all cores")
        self.workers.setValue(settings.study_workers())
        self.workers.setToolTip("Worker processes on this machine (1: no pool, solves run "
                                "one after the other in this program)")
        self.workers.setAccessibleName("Workers")
        self.workers.valueChanged.connect(self._on_workers_changed)
        self.scheduler = QLineEdit(settings.study_scheduler())
        self.scheduler.setObjectName("studyScheduler")
        self.scheduler.setPlaceholderText("none: local process pool")
        self.scheduler.setToolTip("Address of a Dask scheduler (tcp://HOST:PORT) to run the "
                                  "solves on a cluster; empty: on this machine. The cluster's "
                                  "workers need the same Reserve Planner installed.")
        self.scheduler.setAccessibleName("Dask scheduler address")
        self.scheduler.setMinimumWidth(200)
        self.scheduler.editingFinished.connect(self._on_scheduler_changed)
        self.progress = QProgressBar()
        self.progress.setObjectName("studyProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m solves")
        self.progress.setMinimumWidth(160)
        self.progress.setAccessibleName("Study progress")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelStudy")
        self.cancel_button.setToolTip("Stop the study; the solves already running finish")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.status = QLabel("Run the study to see which assumptions matter.")
        self.status.setObjectName("studyStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        controls = QHBoxLayout()
        controls.addWidget(self.run_button)
        workers_label = QLabel("&Workers:")
        workers_label.setBuddy(self.workers)
        controls.addWidget(workers_label)
        controls.addWidget(self.workers)
        scheduler_label = QLabel("&Dask scheduler:")
        scheduler_label.setBuddy(self.scheduler)
        controls.addWidget(scheduler_label)
        controls.addWidget(self.scheduler)
        controls.addWidget(self.progress)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.status, 1)

        self.banner = QLabel("")
        self.banner.setObjectName("studyBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#studyBanner { background: #fff4ce; color: #3b2f00; "
                                  "border: 1px solid #e0c36a; padding: 4px; }")
        self.banner.hide()
        self.error = QLabel("")
        self.error.setObjectName("studyError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("QLabel#studyError { background: #fde7e9; color: #5c0011; "
                                 "border: 1px solid #e6a1a8; padding: 4px; }")
        self.error.hide()

        # --- pages
        self.pages = QTabWidget()
        self.pages.setObjectName("analysisPages")
        self.pages.setDocumentMode(True)

        tornado_page = QWidget()
        self.metric = QComboBox()
        self.metric.setObjectName("tornadoMetric")
        self.metric.setAccessibleName("Tornado figure")
        self.metric.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, label in TORNADO_METRICS:
            self.metric.addItem(label, key)
        self.metric.currentIndexChanged.connect(self._show_tornado)
        self.tornado_chart = FigureChart(draw_tornado, "Tornado", min_size=(320, 240))
        self.tornado_chart.setObjectName("tornadoChart")
        row = QHBoxLayout()
        chart_label = QLabel("Fi&gure:")
        chart_label.setBuddy(self.metric)
        row.addWidget(chart_label)
        row.addWidget(self.metric)
        row.addStretch(1)
        lay = QVBoxLayout(tornado_page)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row)
        lay.addWidget(self.tornado_chart, 1)
        self.pages.addTab(tornado_page, "Tornado")

        breakeven_page = QWidget()
        self.only_flips = QCheckBox("Only decisions that f&lip")
        self.only_flips.setObjectName("onlyFlips")
        self.only_flips.toggled.connect(self._show_breakevens)
        self.breakeven_summary = QLabel("")
        self.breakeven_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.breakeven_model = BreakevenTableModel(self)
        self.breakeven_view = QTableView()
        self.breakeven_view.setObjectName("breakevenTable")
        self.breakeven_view.setModel(self.breakeven_model)
        self.breakeven_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.breakeven_view.setAlternatingRowColors(True)
        self.breakeven_view.setWordWrap(False)
        # a break-even's value ends its sentence: cut long ones in the middle, not the end
        self.breakeven_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.breakeven_view.verticalHeader().hide()
        header = self.breakeven_view.horizontalHeader()
        # names and values as wide as their text; the decisions in words share the rest
        # (a cut text is whole in its tooltip), so the table never scrolls sideways
        for col in range(len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch
                                        if col in _WORDY_COLUMNS
                                        else QHeaderView.ResizeMode.ResizeToContents)
        row = QHBoxLayout()
        row.addWidget(self.only_flips)
        row.addWidget(self.breakeven_summary, 1)
        lay = QVBoxLayout(breakeven_page)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row)
        lay.addWidget(self.breakeven_view, 1)
        self.pages.addTab(breakeven_page, "Break-evens")

        self.risk_chart = FigureChart(draw_risk_frontier, "Risk frontier", min_size=(300, 240))
        self.risk_chart.setObjectName("riskFrontierChart")
        self.budget_chart = FigureChart(draw_budget_frontier, "Budget frontier",
                                        min_size=(300, 240))
        self.budget_chart.setObjectName("budgetFrontierChart")
        frontiers = QSplitter(Qt.Orientation.Horizontal)
        frontiers.setObjectName("frontierSplitter")
        frontiers.setChildrenCollapsible(False)
        frontiers.addWidget(self.risk_chart)
        frontiers.addWidget(self.budget_chart)
        self.pages.addTab(frontiers, "Frontiers")

        self.size_chart = FigureChart(draw_size_curves, "Size curves", min_size=(320, 240))
        self.size_chart.setObjectName("sizeCurveChart")
        self.pages.addTab(self.size_chart, "Size curves")

        self.simulation = SimulationPage(lambda: self.document.inputs,
                                         lambda: self.document.path)
        self.pages.addTab(self.simulation, "Monte Carlo")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.banner)
        layout.addWidget(self.error)
        layout.addWidget(self.pages, 1)

        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.busy_changed.connect(self._on_busy)
        document.inputs_changed.connect(self._update_stale)
        document.file_changed.connect(self._on_file_changed)
        for chart in (self.tornado_chart, self.risk_chart, self.budget_chart):
            chart.render_empty("Run the study to see this chart")
        self.size_chart.render_empty("The size curves appear once the plan's near-optimal "
                                     "ranges are computed")

    # ------------------------------------------------------------------ settings

    def study_settings(self) -> StudySettings:
        return StudySettings(self.workers.value(), self.scheduler.text().strip())

    def _on_workers_changed(self, n: int) -> None:
        self.settings.set_study_workers(n)

    def _on_scheduler_changed(self) -> None:
        self.settings.set_study_scheduler(self.scheduler.text())

    # ------------------------------------------------------------------ running

    @property
    def is_running(self) -> bool:
        return self.runner.is_busy

    @property
    def is_stale(self) -> bool:
        """Results are on screen for inputs other than the document's."""
        return self.study_inputs is not None and self.study_inputs != self.document.inputs

    def run(self) -> int:
        """Start the study of the inputs on screen (cancelling one in progress); 0 when the
        inputs have problems (they are listed in the tab instead)."""
        self._on_scheduler_changed()
        settings = self.study_settings()
        self.error.hide()
        problems = self.document.inputs.validate()
        if problems:
            n = len(problems)
            shown = "; ".join(str(p) for p in problems[:3]) + ("; …" if n > 3 else "")
            self.error.setText(f"The inputs have {n} problem{'s' if n != 1 else ''}, so there "
                               f"is no plan to study: {shown}. Fix them in the input tables "
                               "and run the study again.")
            self.error.show()
            return 0
        self._started_at = time.perf_counter()
        self.progress.setRange(0, 0)  # busy until the first solve reports its total
        run_id = self.runner.start(self.document.inputs, settings)
        self.status.setText(f"Running on {settings.describe()}…")
        return run_id

    def cancel(self) -> bool:
        """Stop the running study (the results on screen, if any, stay)."""
        if not self.runner.cancel():
            return False
        self.status.setText("Cancelling: waiting for the solves in progress…")
        self.cancel_button.setEnabled(False)
        return True

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel a running study and Monte Carlo test and wait for their threads (window
        close)."""
        done = self.runner.shutdown(timeout_ms)
        return self.simulation.shutdown(timeout_ms) and done

    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.run_button.setEnabled(not busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, done, 1))
        self.progress.setValue(done)
        if not self.runner.is_cancelling:
            self.status.setText(f"Running: {done} of {total} solves…")

    def _on_finished(self, outcome: StudyOutcome) -> None:
        self.last_outcome = outcome
        if outcome.cancelled:
            kept = " The results on screen are from the last complete run." \
                if self.study is not None else ""
            self.status.setText(f"Cancelled after {outcome.done} solves.{kept}")
        elif outcome.error:
            self.error.setText(outcome.error)
            self.error.setToolTip(tooltip_html(outcome.trace[-3000:]))
            self.error.show()
            self.status.setText("The study did not finish; see the message below.")
        elif outcome.study is not None and not outcome.study.tornado.base.has_plan:
            base = outcome.study.tornado.base
            self.error.setText(f"These inputs give no plan ({base.status}), so nothing can be "
                               f"measured against it: {base.message} Change the inputs until "
                               "the Plan tab shows a plan, then run the study again.")
            self.error.setToolTip("")
            self.error.show()
            self.status.setText("The study found no base plan; see the message below.")
        elif outcome.study is not None:
            self.show_study(outcome.study, outcome.inputs)
            n = outcome.done
            self.status.setText(f"{n} solves in {outcome.elapsed_s:,.1f} s on {outcome.where}")
        self.study_shown.emit(self.study)

    # ------------------------------------------------------------------ showing

    def show_study(self, study: SensitivityStudy, inputs: PlanInputs) -> None:
        """Put ``study`` (of ``inputs``) on every page."""
        self.study = study
        self.study_inputs = inputs
        current = self.metric.currentData()
        self.metric.blockSignals(True)
        self.metric.clear()
        for key, label in TORNADO_METRICS:
            self.metric.addItem(label, key)
        for m in study.tornado.materials:
            self.metric.addItem(f"{m} reserve", f"reserve_t:{m}")
        i = self.metric.findData(current)
        self.metric.setCurrentIndex(max(0, i))
        self.metric.blockSignals(False)
        self._show_tornado()
        self._show_breakevens()
        self.risk_chart.set_data(study.risk_frontier)
        self.budget_chart.set_data(study.budget_frontier)
        self._update_stale()

    def _show_tornado(self, *_args: object) -> None:
        if self.study is None:
            return
        metric = self.metric.currentData() or "objective_usd"
        self.tornado_chart.set_data(self.study.tornado, metric)

    def _show_breakevens(self, *_args: object) -> None:
        if self.study is None:
            return
        table = breakeven_table(self.study.breakevens, only_flips=self.only_flips.isChecked())
        self.breakeven_model.set_table(table)
        results = self.study.breakevens.results
        flips = sum(1 for b in results if b.flips)
        decisions = len({(b.material, b.kind) for b in results})
        groups = len({b.group for b in results})
        self.breakeven_summary.setText(
            f"{flips} of {len(results)} decision and input pairs flip ({decisions} floor and "
            f"reserve decisions against the {groups} inputs that move the objective most)")

    def show_size_curves(self, outcome: Any) -> None:
        """The size curves of a near-optimal pass (a :class:`SolveOutcome` of the window's
        range solver), if it is for the inputs on screen."""
        if outcome.inputs != self.document.inputs:
            return
        curves = _size_curves(outcome)
        self._curves_inputs = outcome.inputs
        if curves:
            self.size_chart.set_data(curves)
        else:
            self.size_chart.render_empty("This plan has no size curves (no plan could be "
                                         "made, or no material can hold a reserve)")

    def _update_stale(self, *_args: object) -> None:
        self.simulation.mark_stale(self.document.inputs)
        if self.is_stale:
            self.banner.setText("Out of date: the inputs have changed since this study was "
                                "run. The charts and the table show the earlier inputs; "
                                "Run study again to bring them up to date.")
            self.banner.show()
        else:
            self.banner.hide()

    def _on_file_changed(self) -> None:
        """Another scenario was opened (not just saved): stop and forget the study."""
        if self.document.baseline is self._baseline:
            return
        self._baseline = self.document.baseline
        self.runner.shutdown()
        self.clear()
        self.simulation.clear()

    def clear(self) -> None:
        """Empty every page (a new scenario is on screen)."""
        self.study = None
        self.study_inputs = None
        self.breakeven_model.set_table(Table(HEADERS, ()))
        self.breakeven_summary.setText("")
        for chart in (self.tornado_chart, self.risk_chart, self.budget_chart):
            chart.render_empty("Run the study to see this chart")
        self.error.hide()
        self.banner.hide()
        self.status.setText("Run the study to see which assumptions matter.")
