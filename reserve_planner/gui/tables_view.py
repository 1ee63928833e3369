"""The input tables: one editable :class:`QTableView` per table of the inputs, in tabs.

The materials, projects and scenarios tabs also add, duplicate and remove rows: buttons
above the table, the same actions in the table's context menu, and Insert / Ctrl+D / Delete
while the table has the focus. Each is one undo step (see :mod:`.table_models`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from .document import PlanDocument
from .formatting import tooltip_html
from .table_models import MODEL_FACTORIES, InputsTableModel

#: (key, label, shortcut, what it does) of the row actions; the label gets the row noun.
_ROW_ACTIONS = (
    ("add", "Add {}", QKeySequence(Qt.Key.Key_Insert), "Add a new {} (Insert)"),
    ("duplicate", "Duplicate {}", QKeySequence("Ctrl+D"),
     "Copy the selected {}(s) (Ctrl+D)"),
    ("remove", "Remove {}", QKeySequence(Qt.Key.Key_Delete), "Remove the selected {}(s) (Delete)"),
)


def _slug(title: str) -> str:
    return title.lower().replace(" ", "_")


class InputTablesView(QTabWidget):
    """Materials, projects, scenarios, yearly supply and policy, each editable in place."""

    #: A message for the status bar (an edit refused and why, or what a row edit did).
    message = Signal(str)

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inputTables")
        self.setDocumentMode(True)
        self.models: dict[str, InputsTableModel] = {}
        self.views: dict[str, QTableView] = {}
        #: Per table with row edits: its "add", "duplicate" and "remove" actions.
        self.row_actions: dict[str, dict[str, QAction]] = {}
        #: Per table: the line under it that says why the last edit was refused.
        self.refusals: dict[str, QLabel] = {}
        for title, factory in MODEL_FACTORIES:
            model = factory(document)
            model.setParent(self)
            model.edit_rejected.connect(self.message)
            model.edit_rejected.connect(lambda text, t=title: self.show_refusal(t, text))
            model.notice.connect(self.message)
            view = self._make_view(title, model)
            self.models[title] = model
            self.views[title] = view
            if model.can_edit_rows:
                self.row_actions[title] = self._make_row_actions(title, view, model)
            self.addTab(self._page(title, view), title)
            if model.can_edit_rows:
                self._update_row_actions(title)
        document.inputs_changed.connect(self._clear_refusals)

    # ------------------------------------------------------------------ construction

    @staticmethod
    def _make_view(title: str, model: InputsTableModel) -> QTableView:
        view = QTableView()
        view.setObjectName(f"table_{_slug(title)}")
        view.setAccessibleName(f"{title} table")
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection
                              if model.can_edit_rows
                              else QAbstractItemView.SelectionMode.SingleSelection)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        # Rows that name themselves in their first column need no row header.
        named = model.columnCount() > 0 and model.column(0).field == "name"
        view.verticalHeader().setVisible(not named)
        _fit_columns(view)
        model.modelReset.connect(lambda: _fit_columns(view))
        return view

    def _make_row_actions(self, title: str, view: QTableView,
                          model: InputsTableModel) -> dict[str, QAction]:
        """Add / Duplicate / Remove: in the context menu, and on keys while ``view`` has the
        focus (not while a cell is being edited)."""
        slots = {"add": self.add_row, "duplicate": self.duplicate_rows,
                 "remove": self.remove_rows}
        actions: dict[str, QAction] = {}
        for key, label, shortcut, tip in _ROW_ACTIONS:
            action = QAction(label.format(model.row_noun), view)
            action.setObjectName(f"{key}_{_slug(title)}")
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setToolTip(tip.format(model.row_noun))
            action.setStatusTip(tip.format(model.row_noun))
            action.triggered.connect(lambda _checked=False, f=slots[key], t=title: f(t))
            view.addAction(action)
            actions[key] = action
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.selectionModel().selectionChanged.connect(
            lambda *_args, t=title: self._update_row_actions(t))
        view.selectionModel().currentChanged.connect(
            lambda *_args, t=title: self._update_row_actions(t))
        model.modelReset.connect(lambda t=title: self._update_row_actions(t))
        return actions

    def _page(self, title: str, view: QTableView) -> QWidget:
        """``view`` (under a row of Add / Duplicate / Remove buttons if its rows can be
        edited) above the line that says why an edit was refused."""
        page = QWidget()
        page.setObjectName(f"page_{_slug(title)}")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if title in self.row_actions:
            buttons = QHBoxLayout()
            buttons.setContentsMargins(4, 4, 4, 0)
            for key, action in self.row_actions[title].items():
                button = QToolButton()
                button.setObjectName(f"{key}_{_slug(title)}_button")
                button.setDefaultAction(action)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                buttons.addWidget(button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        layout.addWidget(view)
        refusal = QLabel("")
        refusal.setObjectName(f"refusal_{_slug(title)}")
        refusal.setTextFormat(Qt.TextFormat.PlainText)
        refusal.setWordWrap(True)
        refusal.setAccessibleName(f"Why the last edit of the {title.lower()} table was refused")
        refusal.setStyleSheet("QLabel { border: 1px solid #D55E00; border-radius: 3px; "
                              "padding: 3px 6px; }")
        refusal.hide()
        layout.addWidget(refusal)
        self.refusals[title] = refusal
        return page

    def show_refusal(self, title: str, text: str) -> None:
        """Say why an edit of table ``title`` was refused where the user is looking: in a
        line under the table (until the next accepted change) and in a tooltip at the
        cell being edited."""
        label = self.refusals[title]
        label.setText(text)
        label.show()
        view = self.views[title]
        index = view.currentIndex()
        if index.isValid() and view.isVisible():
            rect = view.visualRect(index)
            QToolTip.showText(view.viewport().mapToGlobal(rect.bottomLeft()),
                              tooltip_html(text), view.viewport(), rect, 8000)

    def _clear_refusals(self, *_args: object) -> None:
        for label in self.refusals.values():
            label.hide()
            label.clear()

    # ------------------------------------------------------------------ row edits

    def selected_rows(self, title: str) -> list[int]:
        """Rows with a selected cell in table ``title``, else the current cell's row."""
        view = self.views[title]
        rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()})
        if not rows and view.currentIndex().isValid():
            rows = [view.currentIndex().row()]
        return rows

    def _update_row_actions(self, title: str) -> None:
        has_rows = bool(self.selected_rows(title))
        actions = self.row_actions[title]
        actions["duplicate"].setEnabled(has_rows)
        actions["remove"].setEnabled(has_rows)

    def _select_row(self, title: str, row: int) -> None:
        """Make ``row``'s name cell current and selected, and show it."""
        view = self.views[title]
        model = self.models[title]
        if model.rowCount() == 0:
            return
        index = model.index(min(max(row, 0), model.rowCount() - 1), 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        self._update_row_actions(title)

    def add_row(self, title: str) -> int | None:
        """Add a row to table ``title`` and select it (its name cell, ready to type)."""
        row = self.models[title].add_row(self.selected_rows(title))
        if row is not None:
            self._select_row(title, row)
        return row

    def duplicate_rows(self, title: str) -> int | None:
        """Copy the selected rows of table ``title``; the first copy is selected."""
        row = self.models[title].duplicate_rows(self.selected_rows(title))
        if row is not None:
            self._select_row(title, row)
        return row

    def remove_rows(self, title: str) -> bool:
        """Remove the selected rows of table ``title``; the row after them is selected."""
        rows = self.selected_rows(title)
        if not rows or not self.models[title].remove_rows(rows):
            return False
        self._select_row(title, rows[0])
        return True


#: Widest a column is fitted to [px]: a long note or episode text is cut off with an
#: ellipsis (its tooltip shows the whole text) rather than pushing the numbers off screen.
MAX_FITTED_COLUMN_PX = 320


def _fit_columns(view: QTableView) -> None:
    """Columns fitted to their contents, none wider than :data:`MAX_FITTED_COLUMN_PX`
    (the user can still drag a column wider)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for col in range(header.count()):
        if header.sectionSize(col) > MAX_FITTED_COLUMN_PX:
            header.resizeSection(col, MAX_FITTED_COLUMN_PX)
