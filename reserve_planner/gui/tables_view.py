"""The input tables: one editable :class:`QTableView` per table of the inputs, in tabs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTabWidget, QWidget

from .document import PlanDocument
from .table_models import MODEL_FACTORIES, InputsTableModel


class InputTablesView(QTabWidget):
    """Materials, projects, scenarios, yearly supply and policy, each editable in place."""

    #: A message for the status bar (an edit refused, and why).
    message = Signal(str)

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inputTables")
        self.setDocumentMode(True)
        self.models: dict[str, InputsTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for title, factory in MODEL_FACTORIES:
            model = factory(document)
            model.setParent(self)
            model.edit_rejected.connect(self.message)
            view = QTableView()
            view.setObjectName(f"table_{title.lower().replace(' ', '_')}")
            view.setAccessibleName(f"{title} table")
            view.setModel(model)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                 | QAbstractItemView.EditTrigger.EditKeyPressed
                                 | QAbstractItemView.EditTrigger.AnyKeyPressed)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setMinimumSectionSize(60)
            # Rows that name themselves in their first column need no row header.
            named = model.columnCount() > 0 and model.column(0).field == "name"
            view.verticalHeader().setVisible(not named)
            view.resizeColumnsToContents()
            model.modelReset.connect(view.resizeColumnsToContents)
            self.models[title] = model
            self.views[title] = view
            self.addTab(view, title)
