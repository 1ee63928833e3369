"""The main window: assumptions dock, plan view, input tables, menus, files and status bar."""

from __future__ import annotations

import contextlib
import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QTabWidget,
    QWidget,
)

from ..io.baseline import load_article_baseline
from ..model import PlanInputs
from ..optimize import SolveOptions
from . import dialogs
from .analysis_tab import AnalysisTab
from .assumptions_panel import AssumptionsPanel
from .compare_view import CompareView, wait_for_comparisons
from .document import PlanDocument
from .formatting import status_sentence, tooltip_html
from .pin_commands import PinCommand, RenamePinCommand, UnpinCommand
from .pinned_plans import PinnedPlan, PinnedPlans, check_name, suggest_name, time_stamp
from .plan_view import PlanView
from .report_worker import ReportOutcome, ReportWriter
from .settings import PAPER_SIZES, WindowSettings
from .solver_worker import SolveController, SolveOutcome
from .tables_view import InputTablesView
from .workbook_loader import LoadOutcome, WorkbookLoader

log = logging.getLogger(__name__)

APP_TITLE = "Reserve Planner"
WORKBOOK_FILTER = "Excel scenario workbooks (*.xlsx)"
PDF_FILTER = "PDF report (*.pdf)"
DEFAULT_SIZE = (1400, 900)
NEAR_OPTIMAL_TOLERANCE = 0.01  # as the CLI: reserve sizes within 1% of the optimum
RANGE_DELAY_MS = 600  # the near-optimal pass waits for the plan to settle this long

F = TypeVar("F", bound=Callable[..., Any])


def guarded(what: str) -> Callable[[F], F]:
    """Turn an unexpected exception in a user action into a message instead of a crash."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(self: MainWindow, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:
                log.exception("%s failed", what)
                self.statusBar().showMessage(f"{what} failed: {exc}", 10_000)
                dialogs.show_error(self, f"{what} failed",
                                   f"{what} failed: {exc}\n\nYour scenario is unchanged.",
                                   traceback.format_exc())
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


def _report_document(inputs: PlanInputs, result: Any, source_file: str | None) -> Any:
    """The plan report as a QTextDocument (imported lazily: printing is optional)."""
    from ..report import qt_render

    make = getattr(qt_render, "document_for", None)
    if make is not None:
        return make(inputs, result, source_file=source_file)
    return qt_render.build_text_document(inputs, result, source_file=source_file)


@contextlib.contextmanager
def _wait_cursor():
    """The busy cursor while the report is built (it runs on the GUI thread)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _is_workbook(path: str) -> bool:
    return path.lower().endswith(".xlsx")


class MainWindow(QMainWindow):
    """One scenario on screen: sliders left, plan in the middle, tables a tab away."""

    #: A new plan (or no-plan explanation) is on screen.
    plan_shown = Signal(object)
    #: A workbook load ended: True if the file is now open, False if it failed or was
    #: cancelled (the scenario on screen is then unchanged).
    load_finished = Signal(bool)

    def __init__(self, inputs: PlanInputs | None = None, path: str | Path | None = None,
                 settings: QSettings | None = None, solve_options: SolveOptions | None = None,
                 solve_delay_ms: int = 60, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = WindowSettings(settings)
        self.document = PlanDocument(inputs or load_article_baseline(), path, self)
        self.solver = SolveController(solve_options or SolveOptions(diagnostics=True),
                                      delay_ms=solve_delay_ms, parent=self)
        # Near-optimal ranges take tens of re-solves: a second, slower pass in its own
        # one-thread pool once the plan on screen has settled, so sliders stay live.
        self._range_pool = QThreadPool(self)
        self._range_pool.setMaxThreadCount(1)
        self.range_solver = SolveController(
            SolveOptions(diagnostics=False, near_optimal_tolerance=NEAR_OPTIMAL_TOLERANCE),
            delay_ms=RANGE_DELAY_MS, max_wait_ms=None, leading=False, pool=self._range_pool,
            parent=self)
        self.loader = WorkbookLoader(self)
        self.reports = ReportWriter(self)
        self.last_preview: Any = None
        self._fit_frame_on_show = False
        self._load_inputs_before: PlanInputs | None = None

        self.plan_view = PlanView()
        self.tables = InputTablesView(self.document)
        self.central_tabs = QTabWidget()
        self.central_tabs.setObjectName("centralTabs")
        self.central_tabs.addTab(self.plan_view, "&Plan")
        self.central_tabs.addTab(self.tables, "Input &tables")
        self.analysis = AnalysisTab(self.document, self.settings)
        self.central_tabs.addTab(self.analysis, "&Analysis")
        #: Plans pinned in this scenario (saved in its workbook as named variants).
        self.pinned = PinnedPlans()
        self._range_outcome: SolveOutcome | None = None
        self.compare_view = CompareView(self.pinned)
        self.central_tabs.addTab(self.compare_view, "&Compare")
        self.setCentralWidget(self.central_tabs)

        self.assumptions = AssumptionsPanel(self.document)
        self.assumptions_dock = QDockWidget("Assumptions", self)
        self.assumptions_dock.setObjectName("assumptionsDock")
        self.assumptions_dock.setWidget(self.assumptions)
        self.assumptions_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                          | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                          | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.assumptions_dock)

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        self.document.inputs_changed.connect(self._on_inputs_changed)
        self.document.modified_changed.connect(self._update_title)
        self.document.file_changed.connect(self._update_title)
        self.solver.result_ready.connect(self._on_result)
        self.range_solver.result_ready.connect(self.plan_view.show_near_optimal)
        self.range_solver.result_ready.connect(self.analysis.show_size_curves)
        self.range_solver.result_ready.connect(self._keep_range_outcome)
        self.compare_view.pin_requested.connect(self.pin_plan)
        self.compare_view.rename_requested.connect(self.rename_pinned)
        self.compare_view.remove_requested.connect(self.unpin)
        self.compare_view.open_requested.connect(self.open_for_comparison)
        self.solver.busy_changed.connect(self._on_busy_changed)
        self.reports.busy_changed.connect(self._on_report_busy)
        self.reports.finished.connect(self._on_report_written)
        self.loader.finished.connect(self._on_loaded)
        self.loader.busy_changed.connect(self._on_load_busy)
        self.plan_view.updated.connect(self.plan_shown)
        self.tables.message.connect(self._show_refusal)

        self.setAcceptDrops(True)
        self._restore_window()
        self._update_title()
        self._update_actions()
        self.solver.solve_now(self.document.inputs)

    # ------------------------------------------------------------------ construction

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel("Solving…")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setObjectName("solverStatus")
        self.time_label = QLabel("")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label.setObjectName("solveTime")
        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Solving")
        self.busy.hide()
        self.load_label = QLabel("")
        self.load_label.setObjectName("loadStatus")
        self.load_label.setTextFormat(Qt.TextFormat.PlainText)
        self.load_bar = QProgressBar()
        self.load_bar.setObjectName("loadIndicator")
        self.load_bar.setRange(0, 0)
        self.load_bar.setMaximumWidth(90)
        self.load_bar.setMaximumHeight(14)
        self.load_bar.setTextVisible(False)
        self.load_bar.setAccessibleName("Opening a workbook")
        self.load_cancel = QPushButton("Cancel")
        self.load_cancel.setObjectName("cancelOpen")
        self.load_cancel.setToolTip("Stop opening the workbook; the current scenario stays")
        self.load_cancel.clicked.connect(self.cancel_open)
        for w in (self.load_label, self.load_bar, self.load_cancel):
            w.hide()
        self.report_label = QLabel("Writing the report…")
        self.report_label.setObjectName("reportStatus")
        self.report_bar = QProgressBar()
        self.report_bar.setObjectName("reportIndicator")
        self.report_bar.setRange(0, 0)
        self.report_bar.setMaximumWidth(90)
        self.report_bar.setMaximumHeight(14)
        self.report_bar.setTextVisible(False)
        self.report_bar.setAccessibleName("Writing the report")
        for w in (self.report_label, self.report_bar):
            w.hide()
            bar.addPermanentWidget(w)
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.load_label)
        bar.addPermanentWidget(self.load_bar)
        bar.addPermanentWidget(self.load_cancel)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.time_label)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(150)
        self._busy_timer.timeout.connect(self._show_busy)

    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "", icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_new = self._action("&New", self.new_scenario, QKeySequence.StandardKey.New,
                                    "Start a new scenario from the article baseline",
                                    sp.SP_FileIcon)
        self.act_open = self._action("&Open…", self.open_file, QKeySequence.StandardKey.Open,
                                     "Open a scenario workbook (.xlsx)", sp.SP_DialogOpenButton)
        self.act_save = self._action("&Save", self.save, QKeySequence.StandardKey.Save,
                                     "Save the scenario as an Excel workbook",
                                     sp.SP_DialogSaveButton)
        self.act_save_as = self._action("Save &As…", self.save_as,
                                        QKeySequence.StandardKey.SaveAs,
                                        "Save the scenario under a new name")
        self.act_print = self._action("&Print…", self.print_plan, QKeySequence.StandardKey.Print,
                                      "Print the plan report")
        self.act_preview = self._action("Print Pre&view…", self.print_preview, None,
                                        "Preview the printed plan report")
        self.act_pdf = self._action("&Export PDF…", self.export_pdf, "Ctrl+E",
                                    "Write the plan report as a PDF file")
        self.act_quit = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit,
                                     "Close the window")
        stack = self.document.undo_stack
        self.act_undo = stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.act_undo.setIcon(self.style().standardIcon(sp.SP_ArrowBack))
        self.act_redo = stack.createRedoAction(self, "&Redo")
        redo_keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        if QKeySequence("Ctrl+Y") not in redo_keys:  # Linux and macOS bind only Ctrl+Shift+Z
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(self.style().standardIcon(sp.SP_ArrowForward))
        # The menu shows "Undo Change embargo length"; the toolbar keeps a steady label.
        self.act_undo.setIconText("Undo")
        self.act_redo.setIconText("Redo")
        self.act_revert = self._action("Re&vert All to Baseline", self.revert_to_baseline, None,
                                       "Undoably put every input back as it was opened")
        self.act_solve = self._action("&Solve Again", self.solve_again, "F5",
                                      "Solve the current inputs again")
        self.act_show_plan = self._action(
            "&Plan", lambda: self.central_tabs.setCurrentWidget(self.plan_view), "Ctrl+1")
        self.act_show_tables = self._action(
            "Input &Tables", lambda: self.central_tabs.setCurrentWidget(self.tables), "Ctrl+2")
        self.act_show_analysis = self._action(
            "&Analysis", lambda: self.central_tabs.setCurrentWidget(self.analysis), "Ctrl+3")
        self.act_show_compare = self._action(
            "&Compare", lambda: self.central_tabs.setCurrentWidget(self.compare_view), "Ctrl+4")
        self.act_pin = self._action("&Pin Plan…", self.pin_plan, "Ctrl+Shift+P",
                                    "Keep the plan on screen under a name, to compare with "
                                    "others; saved inside the scenario workbook")
        self.act_pin.setIconText("Pin plan")
        self.act_open_compare = self._action(
            "Open Workbook for &Comparison…", self.open_for_comparison, None,
            "Read another scenario workbook to compare with (it is not opened for editing)")
        self.act_about = self._action("&About Reserve Planner", self.about, None,
                                      "Version and data sources")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        self._fill_recent_menu()
        file_menu.addAction(self.act_open_compare)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.act_print, self.act_preview, self.act_pdf])
        self.paper_menu = file_menu.addMenu("Paper Si&ze")
        self.paper_menu.setObjectName("paperMenu")
        self.paper_actions = QActionGroup(self)
        self.paper_actions.setExclusive(True)
        current = self.settings.paper_size()
        for name in PAPER_SIZES:
            action = self.paper_menu.addAction(name)
            action.setCheckable(True)
            action.setData(name)
            action.setChecked(name == current)
            action.setStatusTip(f"Print and export the report on {name} paper")
            action.triggered.connect(lambda _checked=False, n=name: self.set_paper_size(n))
            self.paper_actions.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.act_undo, self.act_redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_revert)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_pin)
        view_menu = bar.addMenu("&View")
        dock_action = self.assumptions_dock.toggleViewAction()
        dock_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        view_menu.addAction(dock_action)
        view_menu.addSeparator()
        view_menu.addActions([self.act_show_plan, self.act_show_tables,
                              self.act_show_analysis, self.act_show_compare])
        view_menu.addSeparator()
        view_menu.addAction(self.act_solve)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = self.addToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addActions([self.act_new, self.act_open, self.act_save])
        tb.addSeparator()
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addAction(self.act_pin)
        tb.addAction(self.act_pdf)

    def _restore_window(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_to_screen()
        state = self.settings.state()
        self._fit_dock_on_show = state is None or not self.restoreState(state)

    def _fit_to_screen(self) -> None:
        """First start: :data:`DEFAULT_SIZE`, or less to fit the screen's available area
        (the desktop minus task bars and docks), placed inside it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        # The frame (title bar, borders) comes on top of the client size.
        frame_w = max(0, self.frameGeometry().width() - self.geometry().width())
        frame_h = max(0, self.frameGeometry().height() - self.geometry().height())
        width = min(DEFAULT_SIZE[0], area.width() - frame_w)
        height = min(DEFAULT_SIZE[1], area.height() - frame_h)
        self.resize(max(width, 640), max(height, 480))
        x = area.left() + max(0, (area.width() - width - frame_w) // 2)
        y = area.top() + max(0, (area.height() - height - frame_h) // 2)
        self.move(x, y)
        self._fit_frame_on_show = True  # the frame is known only once the window is shown

    def _fit_frame(self) -> None:
        """Shrink and move the shown window so its frame (title bar included) lies inside
        the screen's available area."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - area.width())
        extra_h = max(0, frame.height() - area.height())
        if extra_w or extra_h:
            self.resize(max(self.minimumWidth(), self.width() - extra_w),
                        max(self.minimumHeight(), self.height() - extra_h))
            frame = self.frameGeometry()
        x = min(max(frame.left(), area.left()), max(area.left(), area.right() - frame.width() + 1))
        y = min(max(frame.top(), area.top()), max(area.top(), area.bottom() - frame.height() + 1))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    # ------------------------------------------------------------------ state display

    def _update_title(self, *_args: object) -> None:
        self.setWindowTitle(f"{self.document.display_name}[*] — {APP_TITLE}")
        self.setWindowModified(self.document.is_modified)
        path = self.document.path
        self.setWindowFilePath(str(path) if path else "")

    def _update_actions(self) -> None:
        # A report exists for any finished solve: without a plan it says why.
        solved = self.plan_view.outcome is not None
        for action in (self.act_print, self.act_preview):
            action.setEnabled(solved)
        self.act_pdf.setEnabled(solved and not self.reports.is_busy)

    def _on_inputs_changed(self, inputs: PlanInputs) -> None:
        self.solver.request(inputs)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def _show_busy(self) -> None:
        if self.solver.is_busy:
            self.busy.show()
            self.status_label.setText("Solving…")

    def _on_result(self, outcome: SolveOutcome) -> None:
        result = outcome.result
        self.plan_view.show_outcome(outcome)
        if result.status.has_plan:
            self.range_solver.request(outcome.inputs)
        self.status_label.setText(status_sentence(result))
        self.status_label.setToolTip(tooltip_html(result.message))
        self.time_label.setText(f"solved in {result.solve_time_s * 1000:,.0f} ms"
                                if result.solve_time_s else "")
        self._update_actions()

    def _show_refusal(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    # ------------------------------------------------------------------ files

    def maybe_save(self) -> bool:
        """True if it is fine to replace the scenario (saved, discarded, or unchanged)."""
        if not self.document.is_modified:
            return True
        answer = dialogs.ask_save_changes(self, self.document.display_name)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    @guarded("New scenario")
    def new_scenario(self) -> None:
        if not self.maybe_save():
            return
        self.document.load(load_article_baseline(), None)
        self._reset_pinned(())
        self.statusBar().showMessage("New scenario from the article baseline", 5000)

    @guarded("Open")
    def open_file(self) -> None:
        if not self.maybe_save():
            return
        start = self.settings.last_directory()
        name, _ = QFileDialog.getOpenFileName(self, "Open scenario workbook", start,
                                              WORKBOOK_FILTER)
        if name:
            self.open_path(name)

    def open_path(self, path: str | Path) -> bool:
        """Start reading ``path`` off the GUI thread (a busy bar and Cancel show in the
        status bar); True if the read started. When it finishes, :meth:`_on_loaded` shows
        the scenario, or says why not and keeps the current one; :attr:`load_finished`
        then tells whether the file was opened."""
        path = Path(path)
        self._load_inputs_before = self.document.inputs
        self.loader.start(path)
        self.load_label.setText(f"Opening {path.name}…")
        self.load_label.setToolTip(tooltip_html(str(path)))
        return True

    def cancel_open(self) -> bool:
        """Stop waiting for the workbook being read; the current scenario stays."""
        path = self.loader.path
        if not self.loader.cancel():
            return False
        name = path.name if path is not None else "the file"
        self.statusBar().showMessage(f"Opening {name} was cancelled; the current scenario "
                                     "is unchanged", 10_000)
        self.load_finished.emit(False)
        return True

    @property
    def is_loading(self) -> bool:
        return self.loader.is_busy

    def _on_load_busy(self, busy: bool) -> None:
        for w in (self.load_bar, self.load_label, self.load_cancel):
            w.setVisible(busy)

    def _on_loaded(self, outcome: LoadOutcome) -> None:
        try:
            opened = self._show_loaded(outcome)
        except Exception as exc:  # never lose the open scenario to a bug here
            log.exception("showing %s failed", outcome.path)
            dialogs.show_error(self, "Cannot open scenario",
                               f"“{outcome.path.name}” could not be opened: {exc}. "
                               "The current scenario is unchanged.", traceback.format_exc())
            opened = False
        self.load_finished.emit(opened)

    def _show_loaded(self, outcome: LoadOutcome) -> bool:
        path = outcome.path
        exc = outcome.error
        if exc is not None:
            if isinstance(exc, ImportError):
                dialogs.show_error(self, "Cannot open scenario",
                                   "Excel workbooks cannot be read by this installation.",
                                   str(exc))
                return False
            from ..io.workbook import WorkbookError

            if isinstance(exc, WorkbookError):
                problems = list(getattr(exc, "problems", None) or [str(exc)])
                dialogs.show_problems(
                    self, "Cannot open scenario",
                    f"“{path.name}” was not opened because it has "
                    f"{len(problems)} problem{'s' if len(problems) != 1 else ''}. "
                    "The current scenario is unchanged.", problems)
            elif isinstance(exc, OSError):
                dialogs.show_error(self, "Cannot open scenario",
                                   f"“{path.name}” could not be read: {exc.strerror or exc}. "
                                   "The current scenario is unchanged.", str(exc))
            elif isinstance(exc, MemoryError):
                dialogs.show_error(self, "Cannot open scenario",
                                   f"“{path.name}” needs more memory than is available. "
                                   "The current scenario is unchanged.", outcome.trace)
            else:  # a loader bug must not lose the open scenario
                log.error("loading %s failed:\n%s", path, outcome.trace)
                dialogs.show_error(self, "Cannot open scenario",
                                   f"“{path.name}” could not be read as a scenario workbook. "
                                   "The current scenario is unchanged.", outcome.trace)
            return False
        inputs = outcome.inputs
        assert inputs is not None
        if self.document.inputs is not self._load_inputs_before and not self.maybe_save():
            # Edited while the file was read, and the user kept the edits.
            self.statusBar().showMessage(f"{path.name} was not opened; your changes are kept",
                                         10_000)
            return False
        self.settings.add_recent(path)
        self.settings.set_last_directory(path)
        current = self.document.path
        if current is not None and current.resolve() == path.resolve() \
                and not self.document.is_modified and inputs == self.document.inputs:
            # Reopening the file on screen, unchanged: keep the undo history and baseline.
            self.statusBar().showMessage(f"Reopened {path}; undo history kept", 5000)
        else:
            self.document.load(inputs, path)
            self._reset_pinned(PinnedPlan(name, variant, source=f"{path.name}, variant {name}")
                               for name, variant in outcome.variants)
            self.statusBar().showMessage(f"Opened {path}", 5000)
        self.solver.solve_now(self.document.inputs)
        if outcome.warnings:
            n = len(outcome.warnings)
            dialogs.show_warnings(
                self, "Opened with warnings",
                f"“{path.name}” was opened, but {n} thing{'s' if n != 1 else ''} in it "
                f"{'were' if n != 1 else 'was'} not as expected. Check the values they "
                "name before relying on the plan.", outcome.warnings)
        return True

    @guarded("Open recent file")
    def open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.remove_recent(path)
            self.statusBar().showMessage(f"{path} no longer exists; removed from the list",
                                         10_000)
            return
        if self.maybe_save():
            self.open_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.settings.recent_files()
        for i, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(tooltip_html(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
        if paths:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("&Clear List")
            clear.triggered.connect(lambda _checked=False: self.settings.set_recent_files([]))
        else:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)

    @guarded("Save")
    def save(self) -> bool:
        path = self.document.path
        if path is None:
            return bool(self.save_as())
        return self._write(path)

    @guarded("Save As")
    def save_as(self) -> bool:
        current = self.document.path
        start = str(current) if current else str(
            Path(self.settings.last_directory() or Path.home())
            / f"{self.document.display_name}.xlsx")
        name, _ = QFileDialog.getSaveFileName(self, "Save scenario as", start, WORKBOOK_FILTER)
        if not name:
            return False
        if not _is_workbook(name):
            name += ".xlsx"
        return self._write(Path(name))

    def _write(self, path: Path) -> bool:
        try:
            from ..io.variants import save_workbook_scenarios
            from ..io.workbook import WorkbookError, save_scenario_workbook
        except ImportError as exc:
            dialogs.show_error(self, "Cannot save scenario",
                               "Excel workbooks cannot be written by this installation.",
                               str(exc))
            return False
        keep = "Your changes are still open; try another folder or file name."
        try:
            if len(self.pinned):  # the pinned plans go on the Variants sheet
                save_workbook_scenarios(self.document.inputs,
                                        {p.name: p.inputs for p in self.pinned}, path)
            else:
                save_scenario_workbook(self.document.inputs, path)
        except WorkbookError as exc:  # says why in a sentence that names the file
            dialogs.show_error(self, "Cannot save scenario", f"{exc}\n\n{keep}")
            return False
        except OSError as exc:
            dialogs.show_error(self, "Cannot save scenario",
                               f"“{path.name}” was not saved: {exc.strerror or exc}.\n\n{keep}",
                               str(exc))
            return False
        self.document.mark_saved(path)
        self.settings.add_recent(path)
        self.settings.set_last_directory(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # ------------------------------------------------------------------ pinned plans

    def _keep_range_outcome(self, outcome: SolveOutcome) -> None:
        self._range_outcome = outcome

    def _result_on_screen(self) -> Any:
        """The solve of exactly the inputs on screen, with its near-optimal ranges when the
        slower pass has finished; None while the plan is being solved."""
        inputs = self.document.inputs
        for outcome in (self._range_outcome, self.plan_view.outcome):
            if outcome is not None and outcome.inputs == inputs:
                return outcome.result
        return None

    def _reset_pinned(self, plans: Any) -> None:
        """The pinned plans of a newly opened scenario (not an undo step: the history
        starts afresh with the scenario)."""
        self._range_outcome = None
        try:
            self.pinned.reset(plans)
        except ValueError as exc:  # two variants whose names differ only in case
            log.warning("pinned plans not all kept: %s", exc)
            kept: list[PinnedPlan] = []
            for p in plans:
                try:
                    check_name(p.name, [k.name for k in kept])
                except ValueError:
                    continue
                kept.append(p)
            self.pinned.reset(kept)
        self.compare_view.clear()

    def pin_plan(self, name: str | None = None) -> bool:
        """Pin the inputs on screen (and their plan, if solved) under ``name``; without a
        name, ask for one (a name that says what differs from the baseline is offered).
        One undo step. True if pinned."""
        inputs = self.document.inputs
        if name is None:
            default = suggest_name(inputs, self.document.baseline, self.pinned.names)
            name, ok = QInputDialog.getText(self, "Pin plan", "Name of the pinned plan:",
                                            text=default)
            if not ok:
                return False
        try:
            name = check_name(name, self.pinned.names)
        except ValueError as exc:
            dialogs.show_error(self, "Cannot pin the plan", f"{exc}.")
            return False
        plan = PinnedPlan(name, inputs, self._result_on_screen(), time_stamp())
        self.document.undo_stack.push(PinCommand(self.pinned, plan))
        self.statusBar().showMessage(f"Pinned “{name}”; compare it in the Compare tab "
                                     "(Ctrl+4). It is saved with the workbook.", 8000)
        return True

    def rename_pinned(self, old: str, new: str | None = None) -> bool:
        """Rename a pinned plan (asking for the name when ``new`` is None); one undo step."""
        if new is None:
            new, ok = QInputDialog.getText(self, "Rename pinned plan", "New name:", text=old)
            if not ok:
                return False
        try:
            new = check_name(new, [n for n in self.pinned.names if n != old])
        except ValueError as exc:
            dialogs.show_error(self, "Cannot rename the plan", f"{exc}.")
            return False
        if new == old:
            return False
        self.document.undo_stack.push(RenamePinCommand(self.pinned, old, new))
        return True

    def unpin(self, name: str) -> bool:
        """Remove a pinned plan; one undo step (Ctrl+Z puts it back)."""
        if name not in self.pinned.names:
            return False
        self.document.undo_stack.push(UnpinCommand(self.pinned, name))
        self.statusBar().showMessage(f"Removed the pinned plan “{name}” (Undo puts it "
                                     "back)", 8000)
        return True

    @guarded("Open for comparison")
    def open_for_comparison(self) -> None:
        start = self.settings.last_directory()
        name, _ = QFileDialog.getOpenFileName(self, "Open a workbook to compare", start,
                                              WORKBOOK_FILTER)
        if name:
            self.compare_view.open_workbook(name)
            self.central_tabs.setCurrentWidget(self.compare_view)

    # ------------------------------------------------------------------ report

    def _plan_for_report(self) -> tuple[PlanInputs, Any, str | None] | None:
        """What the report shows: the plan on screen, or, when no plan could be made, the
        report of why (as ``solve --report`` writes it). None until a first solve ends."""
        outcome = self.plan_view.outcome
        if outcome is None:
            self.statusBar().showMessage("The plan is still being solved; try again in a "
                                         "moment", 5000)
            return None
        path = self.document.path
        return outcome.inputs, outcome.result, str(path) if path else None

    def set_paper_size(self, name: str) -> None:
        """Use ``name`` ("A4" or "Letter") for printing, the preview and PDF export."""
        self.settings.set_paper_size(name)
        for action in self.paper_actions.actions():
            action.setChecked(action.data() == name)
        self.statusBar().showMessage(f"Reports now use {name} paper", 5000)

    def _printer(self, document: Any) -> Any:
        from ..report.qt_render import new_printer

        return new_printer(self.settings.paper_size(), doc=document)

    @guarded("Print")
    def print_plan(self) -> None:
        plan = self._plan_for_report()
        if plan is None:
            return
        from ..report.qt_render import print_with_dialog

        with _wait_cursor():
            document = _report_document(*plan)
        if print_with_dialog(document, parent=self, printer=self._printer(document)):
            self.statusBar().showMessage("Sent the plan to the printer", 5000)

    @guarded("Print preview")
    def print_preview(self) -> None:
        plan = self._plan_for_report()
        if plan is None:
            return
        from ..report.qt_render import print_preview_dialog

        with _wait_cursor():
            document = _report_document(*plan)
        preview = print_preview_dialog(document, parent=self, printer=self._printer(document))
        self.last_preview = preview  # for tests; replaced by the next preview
        preview.exec()

    @guarded("Export PDF")
    def export_pdf(self) -> None:
        plan = self._plan_for_report()
        if plan is None:
            return
        stem = self.document.path.stem if self.document.path else self.document.display_name
        start = str(Path(self.settings.last_directory() or Path.home()) / f"{stem} plan.pdf")
        name, _ = QFileDialog.getSaveFileName(self, "Export plan report", start, PDF_FILTER)
        if not name:
            return
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        # a few seconds (charts drawn, pages laid out): written off the GUI thread
        # the Analysis tab's study goes in too when it is of exactly these inputs
        study = self.analysis.study if self.analysis.study_inputs == plan[0] else None
        if not self.reports.start(plan[0], plan[1], name, plan[2], self.settings.paper_size(),
                                  study):
            self.statusBar().showMessage("A report is being written; try again when it is "
                                         "done", 5000)
            return
        self.report_label.setText(f"Writing {Path(name).name}…")

    def _on_report_busy(self, busy: bool) -> None:
        for w in (self.report_label, self.report_bar):
            w.setVisible(busy)
        self._update_actions()

    def _on_report_written(self, outcome: ReportOutcome) -> None:
        name = outcome.path.name
        if outcome.os_error:
            dialogs.show_error(self, "Cannot export PDF",
                               f"“{name}” was not written: {outcome.error}.", outcome.trace)
        elif outcome.error:
            log.error("writing %s failed:\n%s", outcome.path, outcome.trace)
            self.statusBar().showMessage(f"Export PDF failed: {outcome.error}", 10_000)
            dialogs.show_error(self, "Export PDF failed",
                               f"Export PDF failed: {outcome.error}\n\nYour scenario is "
                               "unchanged.", outcome.trace)
        else:
            study = ", with the sensitivity study" if outcome.with_study else ""
            self.statusBar().showMessage(f"Wrote {outcome.path} ({outcome.paper}){study}",
                                         5000)

    def wait_for_report(self, timeout_ms: int = 60_000) -> bool:
        """Block until the report being written is done and its end is shown (tests,
        scripts); True if it ended in time."""
        clock = QElapsedTimer()
        clock.start()
        while self.reports.is_busy and clock.elapsed() < timeout_ms:
            self.reports.wait(50)
            QApplication.processEvents()
        return not self.reports.is_busy

    # ------------------------------------------------------------------ other actions

    @guarded("Revert to baseline")
    def revert_to_baseline(self) -> None:
        self.document.revert_to_baseline()

    def solve_again(self) -> None:
        self.solver.solve_now(self.document.inputs)

    @guarded("About")
    def about(self) -> None:
        dialogs.show_about(self, self.document.baseline)

    # ------------------------------------------------------------------ events

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_workbook(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self._dropped_workbook(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Let the drag finish before any dialog opens.
        QTimer.singleShot(0, lambda: self._open_dropped(path))

    @guarded("Open dropped file")
    def _open_dropped(self, path: str) -> None:
        if self.maybe_save():
            self.open_path(path)

    @staticmethod
    def _dropped_workbook(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and _is_workbook(url.toLocalFile()):
                return url.toLocalFile()
        return None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._fit_dock_on_show:  # no saved layout: the dock only as wide as it needs
            self._fit_dock_on_show = False
            QTimer.singleShot(0, self._fit_dock)
        if self._fit_frame_on_show:
            self._fit_frame_on_show = False
            QTimer.singleShot(0, self._fit_frame)

    def _fit_dock(self) -> None:
        self.resizeDocks([self.assumptions_dock], [self.assumptions.minimumWidth()],
                         Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.loader.detach()
        self.reports.wait()  # written atomically: let it finish rather than lose it
        self.analysis.shutdown()
        self.compare_view.detach()
        wait_for_comparisons(30_000)
        self.solver.shutdown()
        self.range_solver.shutdown()
        event.accept()
