"""The Compare tab: pinned plans and workbooks side by side.

Left, the plans that can be compared: the plans pinned in this scenario (saved with it) and
workbooks opened for comparison only (not saved), each with a check box. **Compare** lines
up the checked ones with :func:`reserve_planner.analysis.compare.compare_plans`, off the GUI
thread (plans without a solve are solved first, with their near-optimal ranges), and shows
the inputs that differ (label, each plan's value, sources), the decisions per material, the
headline figures with their differences against the first checked plan, and the reserve each
plan builds, overlaid in one chart.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..analysis.compare import Comparison, NamedPlan, compare_plans, value_text
from ..charts.comparison import draw_comparison_figures, draw_comparison_reserve
from ..model import PlanInputs
from ..optimize import PlanResult, SolveOptions, solve
from ..report.formatting import days as days_text
from . import formatting as fmt
from .charts import FigureChart
from .pinned_plans import PinnedPlans

Index = QModelIndex | QPersistentModelIndex
_EMPTY = "Compare two or more plans to see them side by side"

#: How plans are solved for a comparison: the plan and its near-optimal ranges (1%).
COMPARE_OPTIONS = SolveOptions(diagnostics=False, near_optimal_tolerance=0.01)

_POOL: QThreadPool | None = None


def compare_pool() -> QThreadPool:
    """The comparisons' own pool: one thread (a comparison is a handful of solves)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("comparePool")
        _POOL.setMaxThreadCount(1)
    return _POOL


def wait_for_comparisons(timeout_ms: int = 60_000) -> bool:
    """Block until no comparison or workbook read for one is running."""
    return _POOL is None or _POOL.waitForDone(timeout_ms)


# ---------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, tooltip, and whether it is set in bold (differs)."""

    text: str
    tip: str = ""
    bold: bool = False


@dataclass(frozen=True)
class TextTable:
    """Headers and rows of :class:`Cell`. ``label_columns`` (the leading columns that name
    a row) fit their text; the others share the width. ``right`` columns are right-aligned
    (numbers)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    label_columns: int = 1
    right: frozenset[int] = frozenset()


class TextTableModel(QAbstractTableModel):
    """A read-only table of :class:`Cell`."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._table = TextTable(())
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def table(self) -> TextTable:
        return self._table

    def set_table(self, table: TextTable) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._table.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self._table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return fmt.tooltip_html(cell.tip or cell.text)
        if role == Qt.ItemDataRole.FontRole and cell.bold:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._table.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._table.headers[section]
        return None


def _source_text(source: Any) -> str:
    if source is None:
        return ""
    label = getattr(source, "label", None)
    return label() if callable(label) else str(source)


def inputs_table(c: Comparison) -> TextTable:
    """Inputs that differ: label, unit, one value per plan (bold where it differs from the
    first plan; its source in the tooltip), and the sources in words."""
    headers = ("Input", "Unit", *c.names, "Sources")
    rows = []
    for d in c.inputs:
        cells = [Cell(d.label, d.path), Cell(d.unit)]
        for i, (v, s) in enumerate(zip(d.values, d.sources, strict=True)):
            src = _source_text(s)
            cells.append(Cell(value_text(v, d.unit),
                              f"{c.names[i]}: {value_text(v, d.unit)}"
                              + (f"\nSource: {src}" if src else ""),
                              bold=i > 0 and d.differs_from_first(i)))
        named = [f"{n}: {_source_text(s)}" for n, s in zip(c.names, d.sources, strict=True)
                 if s is not None]
        distinct = list(dict.fromkeys(_source_text(s) for s in d.sources if s is not None))
        text = distinct[0] if len(distinct) == 1 else "; ".join(named)
        cells.append(Cell(text, "\n".join(named)))
        rows.append(tuple(cells))
    return TextTable(headers, tuple(rows), label_columns=2)


def _floor_text(d: Any) -> str:
    if not d.has_floor:
        return "no floor"
    projects = ", ".join(d.floor_projects)
    return f"${d.floor_usd_per_kg:,.2f}/kg" + (f" ({projects})" if projects else "")


def _range_text(d: Any) -> str:
    lo, hi = d.near_optimal_low_t, d.near_optimal_high_t
    if lo != lo or hi != hi:  # NaN: not computed
        return "–"
    return f"{fmt.tonnes(lo)} to {fmt.tonnes(hi)}{'+' if d.near_optimal_high_is_limit else ''}"


def decisions_table(c: Comparison) -> TextTable:
    """Per material: the reserve (with the change against the first plan), its days of
    cover, the near-optimal range, the floor and the expected unmet demand, one column per
    plan."""
    headers = ("Material", "Decision", *c.names)
    rows = []
    for md in c.decisions:
        first = md.plans[0]
        rows_here: dict[str, list[Cell]] = {"Reserve": [], "Days of import cover": [],
                                            "Near-optimal reserve": [], "Price floor": [],
                                            "Expected unmet demand": []}
        for i, (d, dr) in enumerate(zip(md.plans, md.reserve_differences_t, strict=True)):
            if d is None:
                for cells in rows_here.values():
                    cells.append(Cell("no plan"))
                continue
            change = "" if i == 0 or dr != dr or abs(dr) < 0.05 else \
                f" ({'+' if dr > 0 else '−'}{fmt.tonnes(abs(dr))})"
            differs = i > 0 and first is not None
            rows_here["Reserve"].append(Cell(
                fmt.tonnes(d.reserve_t) + change,
                bold=differs and abs(d.reserve_t - first.reserve_t) >= 0.05))
            cover = days_text(d.days_of_cover)  # "no imports" when nothing is imported
            rows_here["Days of import cover"].append(Cell(
                cover if cover == "no imports" else f"{cover} days",
                bold=differs and cover != days_text(first.days_of_cover)))
            rows_here["Near-optimal reserve"].append(Cell(
                _range_text(d), bold=differs and _range_text(d) != _range_text(first)))
            rows_here["Price floor"].append(Cell(
                _floor_text(d), bold=differs and _floor_text(d) != _floor_text(first)))
            unmet = f"{fmt.tonnes(d.expected_unmet_t)} (status quo " \
                f"{fmt.tonnes(d.expected_unmet_without_plan_t)})"
            rows_here["Expected unmet demand"].append(Cell(
                unmet, "over the horizon, with the plan and in the status quo [t]",
                bold=differs and abs(d.expected_unmet_t - first.expected_unmet_t) >= 0.05))
        for label, cells in rows_here.items():
            rows.append((Cell(md.material), Cell(label), *cells))
    return TextTable(headers, tuple(rows), label_columns=2)


#: A difference smaller than this is no difference (rounding in the solver), by unit.
_NO_DIFFERENCE = {"$": 0.5, "t": 0.05}


def _figure_text(value: float, unit: str, signed: bool = False) -> str:
    if value == float("inf"):
        return "∞"  # e.g. benefit per dollar when the plan costs nothing net
    if unit == "$":
        return fmt.money(value, signed=signed)
    if unit == "t":
        text = fmt.tonnes(abs(value) if signed else value)
        if signed and value == value and value != 0:
            return ("+" if value > 0 else "−") + text
        return text
    if value != value:
        return fmt.DASH
    return f"{value:+,.3g}" if signed else f"{value:,.3g}" + (f" {unit}" if unit else "")


def figures_table(c: Comparison) -> TextTable:
    """Headline figures, one column per plan, then each later plan's difference against the
    first (``plan - first``)."""
    first = c.names[0]
    headers = ("Figure", *c.names, *(f"{n}\n− {first}" for n in c.names[1:]))
    rows = []
    for r in c.figures:
        cells = [Cell(r.label, r.note)]
        for v in r.values:
            cells.append(Cell(_figure_text(v, r.unit), r.note))
        for n, dv in zip(c.names[1:], r.differences[1:], strict=True):
            same = dv == dv and abs(dv) < _NO_DIFFERENCE.get(r.unit, 1e-9)
            cells.append(Cell("no change" if same else _figure_text(dv, r.unit, signed=True),
                              f"{n} minus {first}", bold=dv == dv and not same))
        rows.append(tuple(cells))
    return TextTable(headers, tuple(rows), right=frozenset(range(1, len(headers))))


# ---------------------------------------------------------------------------------- worker


@dataclass(frozen=True)
class CompareEntry:
    """One plan offered for comparison: a pinned plan, or a workbook opened for it."""

    name: str
    inputs: PlanInputs
    result: PlanResult | None
    source: str
    pinned: bool


@dataclass(frozen=True)
class CompareOutcome:
    """A finished comparison (or why not); ``results`` are the solves it made, by name."""

    request_id: int
    comparison: Comparison | None
    error: str = ""
    trace: str = ""
    results: dict[str, PlanResult] = field(default_factory=dict)


class _Signals(QObject):
    done = Signal(object)
    opened = Signal(object)


def run_comparison(request_id: int, entries: Sequence[CompareEntry],
                   describe: Callable[[str], tuple[str, str]] | None = None) -> CompareOutcome:
    """Solve the entries without a result and compare them; never raises."""
    solved: dict[str, PlanResult] = {}
    try:
        plans = []
        for e in entries:
            result = e.result
            if result is None or (result.status.has_plan
                                  and all(m.near_optimal is None for m in result.materials)):
                # not solved, or pinned before the near-optimal pass ended
                result = solve(e.inputs, COMPARE_OPTIONS)
                solved[e.name] = result
            plans.append(NamedPlan(e.name, e.inputs, result, e.source))
        return CompareOutcome(request_id, compare_plans(plans, describe), results=solved)
    except Exception as exc:  # shown in the tab; the window stays as it is
        return CompareOutcome(request_id, None, f"{type(exc).__name__}: {exc}",
                              traceback.format_exc(), solved)


class _CompareTask(QRunnable):
    def __init__(self, request_id: int, entries: Sequence[CompareEntry], describe: Any,
                 signals: _Signals):
        super().__init__()
        self._args = (request_id, tuple(entries), describe)
        self._signals = signals

    def run(self) -> None:
        outcome = run_comparison(*self._args)
        if shiboken6.isValid(self._signals):
            self._signals.done.emit(outcome)


class _OpenTask(QRunnable):
    """Read a workbook for comparison (the window's reader, off the GUI thread)."""

    def __init__(self, path: Path, signals: _Signals):
        super().__init__()
        self._path = path
        self._signals = signals

    def run(self) -> None:
        from .workbook_loader import read_workbook_file

        outcome = read_workbook_file(self._path)
        if shiboken6.isValid(self._signals):
            self._signals.opened.emit(outcome)


_KEEP: list[_Signals] = []  # reporters outlive their view, so a late report reaches nothing


def _workbook_describe() -> Callable[[str], tuple[str, str]] | None:
    """The workbook's own column titles for input labels, when the io layer has them."""
    try:
        from ..io.variants import workbook_field_label
    except ImportError:
        return None
    return workbook_field_label


# ---------------------------------------------------------------------------------- view


class CompareView(QWidget):
    """Pinned plans and workbooks, and their comparison."""

    #: "Pin current plan…" was pressed.
    pin_requested = Signal()
    #: Rename (old name) or remove (name) of a pinned plan was asked for.
    rename_requested = Signal(str)
    remove_requested = Signal(str)
    #: "Add workbook…" was pressed.
    open_requested = Signal()
    #: A comparison (or None after an error) is on screen.
    compared = Signal(object)

    def __init__(self, pinned: PinnedPlans, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self.pinned = pinned
        self.opened: list[CompareEntry] = []  # workbooks opened for comparison
        self.comparison: Comparison | None = None
        self._request_id = 0
        self._busy = False
        self._signals = _Signals()
        _KEEP.append(self._signals)
        self._signals.done.connect(self._on_done)
        self._signals.opened.connect(self._on_opened)
        self._checked: set[str] = set()

        # --- left: the plans
        self.plan_list = QListWidget()
        self.plan_list.setObjectName("comparePlans")
        self.plan_list.setAccessibleName("Plans to compare")
        self.plan_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_list.itemChanged.connect(self._on_item_changed)
        self.plan_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.pin_button = QPushButton("P&in current plan…")
        self.pin_button.setObjectName("pinPlan")
        self.pin_button.setToolTip("Keep the plan on screen under a name; pinned plans are "
                                   "saved inside the scenario workbook")
        self.pin_button.clicked.connect(self.pin_requested)
        self.rename_button = QPushButton("Re&name…")
        self.rename_button.setObjectName("renamePin")
        self.rename_button.clicked.connect(self._rename_current)
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setObjectName("removePin")
        self.remove_button.clicked.connect(self._remove_current)
        self.open_button = QPushButton("Add &workbook…")
        self.open_button.setObjectName("addWorkbook")
        self.open_button.setToolTip("Open a scenario workbook for comparison only (it is not "
                                    "pinned and not saved with this scenario)")
        self.open_button.clicked.connect(self.open_requested)
        self.compare_button = QPushButton("C&ompare checked plans")
        self.compare_button.setObjectName("comparePlansButton")
        self.compare_button.setToolTip("Compare the checked plans; differences are against "
                                       "the first checked plan")
        self.compare_button.clicked.connect(self.compare)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.remove_button)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Check two or more plans:")
        caption.setBuddy(self.plan_list)
        lay.addWidget(caption)
        lay.addWidget(self.plan_list, 1)
        lay.addWidget(self.pin_button)
        lay.addLayout(buttons)
        lay.addWidget(self.open_button)
        lay.addWidget(self.compare_button)

        # --- right: the comparison
        self.title = QLabel("Pin plans (or add workbooks), check two or more, and press "
                            "Compare.")
        self.title.setObjectName("compareTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("compareError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel#compareError { background: #fde7e9; color: #5c0011; "
                                 "border: 1px solid #e6a1a8; padding: 4px; }")
        self.error.hide()
        self.pages = QTabWidget()
        self.pages.setObjectName("comparePages")
        self.pages.setDocumentMode(True)
        self.inputs_model = TextTableModel(self)
        self.decisions_model = TextTableModel(self)
        self.figures_model = TextTableModel(self)
        self.inputs_view = self._table_view(self.inputs_model, "compareInputs")
        self.decisions_view = self._table_view(self.decisions_model, "compareDecisions")
        self.figures_view = self._table_view(self.figures_model, "compareFigures")
        self.pages.addTab(self.inputs_view, "Inputs that differ")
        self.pages.addTab(self.decisions_view, "Decisions")
        self.pages.addTab(self.figures_view, "Headline figures")
        self.chart = FigureChart(draw_comparison_reserve, "Reserve built by each plan",
                                 min_size=(320, 240))
        self.chart.setObjectName("compareChart")
        self.figures_chart = FigureChart(draw_comparison_figures, "Headline figures by plan",
                                         min_size=(320, 240))
        self.figures_chart.setObjectName("compareFiguresChart")
        for chart in self.charts():
            chart.render_empty(_EMPTY)
        self.pages.addTab(self.chart, "Reserve built")
        self.pages.addTab(self.figures_chart, "Figures chart")
        right = QWidget()
        lay = QVBoxLayout(right)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.error)
        lay.addWidget(self.pages, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("compareSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        left.setMinimumWidth(220)
        left.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        pinned.subscribe(self._on_pinned_changed)
        self._refresh_list()

    @staticmethod
    def _table_view(model: TextTableModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return view

    def charts(self) -> list:
        return [self.chart, self.figures_chart]

    # ------------------------------------------------------------------ the list

    def entries(self) -> list[CompareEntry]:
        """Every plan on offer, pinned first, then the workbooks opened for comparison."""
        return [CompareEntry(p.name, p.inputs, p.result, p.source, True)
                for p in self.pinned] + list(self.opened)

    def checked_names(self) -> list[str]:
        return [e.name for e in self.entries() if e.name in self._checked]

    def set_checked(self, names: Sequence[str]) -> None:
        self._checked = set(names)
        self._refresh_list()

    def select_all(self) -> None:
        self.set_checked([e.name for e in self.entries()])

    def _refresh_list(self) -> None:
        names = {e.name for e in self.entries()}
        self._checked &= names
        current = self.plan_list.currentItem()
        current_name = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.plan_list.blockSignals(True)
        self.plan_list.clear()
        for e in self.entries():
            item = QListWidgetItem(e.name if e.pinned else f"{e.name} (workbook)")
            item.setData(Qt.ItemDataRole.UserRole, e.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if e.name in self._checked
                               else Qt.CheckState.Unchecked)
            where = "pinned in this scenario, saved with it" if e.pinned else \
                f"opened for comparison from {e.source}"
            item.setToolTip(fmt.tooltip_html(f"{e.name}\n{where}"))
            if not e.pinned:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.plan_list.addItem(item)
            if e.name == current_name:
                self.plan_list.setCurrentItem(item)
        self.plan_list.blockSignals(False)
        self._update_buttons()

    def _on_pinned_changed(self) -> None:
        self._refresh_list()
        self._mark_stale()

    @property
    def is_stale(self) -> bool:
        """A comparison is shown of plans that are no longer all on offer as they were
        (one was removed or renamed, or pinned again under its name with other inputs)."""
        if self.comparison is None:
            return False
        by_name = {e.name: e for e in self.entries()}
        return any(p.name not in by_name or by_name[p.name].inputs is not p.inputs
                   for p in self.comparison.plans)

    def _mark_stale(self) -> None:
        c = self.comparison
        if c is None:
            return
        if self.is_stale:
            self.title.setText(f"{' vs '.join(c.names)}: out of date, the plans have been "
                               "renamed or removed since; check the plans and compare again.")
        else:
            self.title.setText(_title(c))

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self._checked.add(name)
        else:
            self._checked.discard(name)
        self._update_buttons()

    def _current_entry(self) -> CompareEntry | None:
        item = self.plan_list.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries() if e.name == name), None)

    def _update_buttons(self) -> None:
        entry = self._current_entry()
        self.rename_button.setEnabled(entry is not None and entry.pinned)
        self.remove_button.setEnabled(entry is not None)
        self.compare_button.setEnabled(len(self.checked_names()) >= 2 and not self._busy)

    def _rename_current(self) -> None:
        entry = self._current_entry()
        if entry is not None and entry.pinned:
            self.rename_requested.emit(entry.name)

    def _remove_current(self) -> None:
        entry = self._current_entry()
        if entry is None:
            return
        if entry.pinned:
            self.remove_requested.emit(entry.name)
        else:
            self.opened = [e for e in self.opened if e.name != entry.name]
            self._refresh_list()

    # ------------------------------------------------------------------ workbooks

    def open_workbook(self, path: str | Path) -> None:
        """Read ``path`` in the background and offer it for comparison."""
        self.title.setText(f"Reading {Path(path).name}…")
        compare_pool().start(_OpenTask(Path(path), self._signals))

    def _on_opened(self, outcome: Any) -> None:
        if not outcome.ok:
            exc = outcome.error
            problems = list(getattr(exc, "problems", None) or [str(exc)])
            self._show_error(f"“{outcome.path.name}” cannot be compared: "
                             + "; ".join(str(p) for p in problems[:5]))
            return
        taken = {e.name.casefold() for e in self.entries()}

        def unique(stem: str) -> str:
            name, n = stem, 2
            while name.casefold() in taken:
                name, n = f"{stem} ({n})", n + 1
            taken.add(name.casefold())
            return name

        name = unique(outcome.path.stem)
        self.opened.append(CompareEntry(name, outcome.inputs, None, str(outcome.path), False))
        self._checked.add(name)
        # the workbook's own named variants (its pinned plans) are offered too, unchecked
        for variant, inputs in outcome.variants:
            self.opened.append(CompareEntry(unique(f"{outcome.path.stem}: {variant}"), inputs,
                                            None, f"{outcome.path}, variant {variant}",
                                            False))
        self._refresh_list()
        n = len(outcome.variants)
        more = f" with its {n} pinned plan{'s' if n != 1 else ''}" if n else ""
        self.title.setText(f"Added {outcome.path.name}{more} for comparison.")

    # ------------------------------------------------------------------ comparing

    @property
    def is_busy(self) -> bool:
        return self._busy

    def compare(self, names: Sequence[str] | None = None) -> bool:
        """Compare ``names`` (default: the checked plans, in list order) in the background;
        False if fewer than two."""
        chosen = list(names) if names is not None else self.checked_names()
        by_name = {e.name: e for e in self.entries()}
        entries = [by_name[n] for n in chosen if n in by_name]
        if len(entries) < 2:
            self._show_error("Check at least two plans to compare.")
            return False
        self._request_id += 1
        self._busy = True
        self.error.hide()
        self.title.setText(f"Comparing {', '.join(e.name for e in entries)}…")
        self._update_buttons()
        compare_pool().start(_CompareTask(self._request_id, entries, _workbook_describe(),
                                          self._signals))
        return True

    def _on_done(self, outcome: CompareOutcome) -> None:
        if not shiboken6.isValid(self) or outcome.request_id != self._request_id:
            return
        self._busy = False
        for name, result in outcome.results.items():
            if name in self.pinned.names:
                self.pinned.set_result(name, result)
            else:
                self.opened = [e if e.name != name else
                               CompareEntry(e.name, e.inputs, result, e.source, e.pinned)
                               for e in self.opened]
        self._update_buttons()
        if outcome.comparison is None:
            self._show_error(f"The plans could not be compared: {outcome.error}")
            self.compared.emit(None)
            return
        self.show_comparison(outcome.comparison)
        self.compared.emit(outcome.comparison)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def show_comparison(self, c: Comparison) -> None:
        self.comparison = c
        self.error.hide()
        self.title.setText(_title(c))
        for model, view, table in ((self.inputs_model, self.inputs_view, inputs_table(c)),
                                   (self.decisions_model, self.decisions_view,
                                    decisions_table(c)),
                                   (self.figures_model, self.figures_view, figures_table(c))):
            model.set_table(table)
            _fit_columns(view)
        for chart in self.charts():
            chart.set_data(c)

    def clear(self) -> None:
        """Forget the workbooks opened for comparison and the comparison (a new scenario)."""
        self.opened = []
        self.comparison = None
        self._request_id += 1
        self._busy = False
        for model in (self.inputs_model, self.decisions_model, self.figures_model):
            model.set_table(TextTable(()))
        for chart in self.charts():
            chart.render_empty(_EMPTY)
        self.error.hide()
        self._refresh_list()

    def detach(self) -> None:
        """Stop listening to the pinned plans (the window is closing)."""
        self.pinned.unsubscribe(self._on_pinned_changed)
        self._request_id += 1


def _title(c: Comparison) -> str:
    n = len(c.inputs)
    unsolved = [p.name for p in c.unsolved]
    note = f" No plan could be made for {', '.join(unsolved)}." if unsolved else ""
    return (f"{' vs '.join(c.names)}: {n} input{'s' if n != 1 else ''} differ"
            f"{'s' if n == 1 else ''}; differences are against {c.names[0]}.{note}")


def _fit_columns(view: QTableView) -> None:
    """Label columns as wide as their text; the plans' columns share the rest (a cut text
    is whole in its tooltip), so no table needs scrolling sideways."""
    model = view.model()
    table = model.table
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for col in range(model.columnCount()):
        mode = QHeaderView.ResizeMode.ResizeToContents if col < table.label_columns \
            else QHeaderView.ResizeMode.Stretch
        header.setSectionResizeMode(col, mode)

