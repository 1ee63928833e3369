"""Editable table models over the document's inputs, with validation.

Each model is a :class:`QAbstractTableModel` over one table of :class:`PlanInputs` (materials,
projects, scenarios, policy, yearly supply series). An edit is parsed, applied to a copy of
the inputs and validated with :meth:`PlanInputs.validate`; a value that would add a problem is
refused and :attr:`InputsTableModel.edit_rejected` says why (the window shows it in the status
bar). Accepted edits go through :meth:`PlanDocument.edit`, so they are undoable and every view
updates from the document's signal.

The materials, projects and scenarios models also add, duplicate, remove and rename rows
(:meth:`InputsTableModel.add_row`, :meth:`~InputsTableModel.duplicate_rows`,
:meth:`~InputsTableModel.remove_rows`, and editing a name cell), each as one undo step, by the
pure rules of :mod:`reserve_planner.model.editing`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ..model import (
    USER_EDIT,
    PlanInputs,
    Policy,
    Problem,
    ProjectKind,
    SourceKind,
    editing,
    field_path,
)
from ..model.adjustments import set_scenario_probability
from ..model.editing import EditError
from ..report.input_catalogue import later_episodes_text
from .document import PlanDocument
from .formatting import tooltip_html

Index = QModelIndex | QPersistentModelIndex


class EditRefusedError(ValueError):
    """A cell value that cannot be accepted; the message says why, in words."""


@dataclass(frozen=True)
class Column:
    """One column: header with unit, the field it shows and how to show and parse it.

    ``kind`` is ``"float"``, ``"int"``, ``"bool"``, ``"text"``, ``"kind"`` (domestic/allied)
    or ``"optional"`` (a float or "none"). Shown values are ``value * factor``.
    """

    header: str
    field: str
    kind: str = "float"
    tip: str = ""
    editable: bool = True
    decimals: int = 2
    factor: float = 1.0


def parse_cell(text: Any, column: Column) -> Any:
    """The model value for what the user typed in ``column``; raises :class:`EditRefusedError`."""
    if column.kind == "bool":
        if isinstance(text, bool):
            return text
        s = str(text).strip().lower()
        if s in ("yes", "true", "1", "y"):
            return True
        if s in ("no", "false", "0", "n"):
            return False
        raise EditRefusedError(f"'{text}' is not yes or no")
    if column.kind == "text":
        return str(text).strip()
    if column.kind == "kind":
        try:
            return ProjectKind(str(text).strip().lower())
        except ValueError:
            raise EditRefusedError(f"'{text}' is not 'domestic' or 'allied'") from None
    s = str(text).strip().replace(",", "").replace("_", "").replace("$", "").rstrip("%").strip()
    if column.kind == "optional" and s.lower() in ("", "none", "no cap", "-", "–"):
        return None
    try:
        value = float(s)
    except ValueError:
        raise EditRefusedError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise EditRefusedError(f"'{text}' is not a finite number")
    value /= column.factor
    if column.kind == "int":
        if not float(value).is_integer():
            raise EditRefusedError(f"'{text}' is not a whole number of months")
        return int(value)
    return value


def column_unit(header: str) -> str:
    """The unit in a column heading's last brackets: ``"Probability\n(%)"`` -> ``"%"``,
    ``"Total budget ($M, or none)"`` -> ``"$M"``; empty if none."""
    match = re.search(r"\(([^()]*)\)\s*$", header.replace("\n", " "))
    return match.group(1).split(",")[0].strip() if match else ""


_BOUND_NUMBER = re.compile(
    r"(?P<word>between|and|at least|at most|above|below|take|takes|be at most|got)"
    r"(?P<space>\s+)(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.%])")


def in_column_units(message: str, column: Column, header: str | None = None) -> str:
    """``message`` (a model rule, in the model's units: shares as 0-1, money in dollars)
    with its bounds and the refused value in the unit the column shows: for a
    "Probability (%)" cell, "must be between 0 and 1 (got 1.7)" becomes "must be between
    0 and 100 % (got 170 %)"."""
    unit = column_unit(header if header is not None else column.header)
    factor = column.factor
    if factor == 1.0 and not unit:
        return message

    def shown(match: re.Match) -> str:
        value = float(match.group("num")) * factor
        text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
        # "between 0 and 100 %": the unit once, after the second bound.
        suffix = f" {unit}" if unit and match.group("word") != "between" else ""
        return f"{match.group('word')}{match.group('space')}{text}{suffix}"

    return _BOUND_NUMBER.sub(shown, message)


def shown_value(value: Any, column: Column, header: str | None = None) -> str:
    """A cell value as the table shows it, with the column's unit: ``"170.00 %"``."""
    unit = column_unit(header if header is not None else column.header)
    text = format_cell(value, column)
    return f"{text} {unit}" if unit and column.kind in ("float", "int", "optional") else text


def format_cell(value: Any, column: Column, for_edit: bool = False) -> str:
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "kind":
        return str(value.value if isinstance(value, ProjectKind) else value)
    if column.kind == "text":
        return str(value)
    if value is None:
        return "none"
    shown = value * column.factor
    if column.kind == "int":
        return f"{int(round(shown))}"
    if for_edit:
        return f"{shown:.10g}"
    return f"{shown:,.{column.decimals}f}"


@dataclass(frozen=True)
class RowEdits:
    """The pure row edits of one table (from :mod:`reserve_planner.model.editing`)."""

    add: Callable[[PlanInputs], PlanInputs]
    duplicate: Callable[[PlanInputs, str], PlanInputs]
    remove: Callable[[PlanInputs, Sequence[str]], PlanInputs]
    rename: Callable[[PlanInputs, str, str], PlanInputs]


def _new_problem(before: PlanInputs, candidate: PlanInputs) -> Problem | None:
    """The first validation problem ``candidate`` has that ``before`` did not."""
    known = {str(p) for p in before.validate()}
    return next((p for p in candidate.validate() if str(p) not in known), None)


class InputsTableModel(QAbstractTableModel):
    """Base: rows of one input table, columns from :meth:`columns`."""

    #: Why an edit was refused, in words.
    edit_rejected = Signal(str)
    #: What a row edit did, in words ("Removed scenario 'X'; ...").
    notice = Signal(str)
    table_name = ""
    #: What one row is called in messages and undo texts ("project").
    row_noun = ""

    def __init__(self, document: PlanDocument, parent: Any = None):
        super().__init__(parent)
        self.document = document
        self._shape = self._safe_shape(document.inputs)
        document.inputs_changed.connect(self._on_inputs_changed)

    # ------------------------------------------------- override where a table differs

    #: Row edits for tables whose rows can be added, duplicated, removed and renamed.
    row_edits: RowEdits | None = None
    _COLUMNS: list[Column] = []

    def rows(self, inputs: PlanInputs) -> Sequence[Any]:
        """The table's rows: by default the inputs' tuple named :attr:`table_name`."""
        return getattr(inputs, self.table_name)

    def columns(self, inputs: PlanInputs) -> list[Column]:
        return self._COLUMNS

    def row_name(self, inputs: PlanInputs, row: int) -> str:
        return str(getattr(self.rows(inputs)[row], "name", row))

    def value(self, inputs: PlanInputs, row: int, column: Column) -> Any:
        return getattr(self.rows(inputs)[row], column.field)

    def with_value(self, inputs: PlanInputs, row: int, column: Column, value: Any) -> PlanInputs:
        return replace(inputs, **{self.table_name: _replace_row(
            getattr(inputs, self.table_name), row, **{column.field: value})})

    def source_path(self, inputs: PlanInputs, row: int, column: Column) -> str:
        return field_path(self.table_name, self.row_name(inputs, row), column.field)

    def removal_notice(self, before: PlanInputs, after: PlanInputs,
                       names: Sequence[str]) -> str:
        """What the status bar says after ``names`` were removed."""
        return f"Removed {self._rows_phrase(names)}"

    # -------------------------------------------------------------- row edits

    @property
    def can_edit_rows(self) -> bool:
        """Whether rows can be added, duplicated, removed and renamed."""
        return self.row_edits is not None

    def _rows_phrase(self, names: Sequence[str]) -> str:
        """"project 'X'" for one row, "3 projects" for several."""
        if len(names) == 1:
            return f"{self.row_noun} '{names[0]}'"
        return f"{len(names)} {self.row_noun}s"

    def _names_of(self, rows: Sequence[int]) -> list[str]:
        inputs = self.document.inputs
        count = len(self.rows(inputs))
        return [self.row_name(inputs, r) for r in sorted(set(rows)) if 0 <= r < count]

    def _commit(self, candidate: PlanInputs, text: str, refused: str) -> bool:
        """Push ``candidate`` as one undo step unless it adds a validation problem."""
        problem = _new_problem(self.document.inputs, candidate)
        if problem is not None:
            self.edit_rejected.emit(f"{refused}: {problem}")
            return False
        self.document.edit(candidate, text)
        return True

    def _row_edit(self, edit: Callable[[PlanInputs], PlanInputs], text: str,
                  refused: str) -> PlanInputs | None:
        """Apply ``edit`` to the inputs as one undo step; the new inputs, or None (and the
        reason on :attr:`edit_rejected`) if it was refused."""
        inputs = self.document.inputs
        try:
            candidate = edit(inputs)
        except EditError as exc:
            self.edit_rejected.emit(f"{refused}: {exc}")
            return None
        return candidate if self._commit(candidate, text, refused) else None

    def _first_new_row(self, before: PlanInputs, after: PlanInputs) -> int | None:
        old = {self.row_name(before, r) for r in range(len(self.rows(before)))}
        return next((r for r in range(len(self.rows(after)))
                     if self.row_name(after, r) not in old), None)

    def add_row(self, near: Sequence[int] = ()) -> int | None:
        """Add a row with default values as one undo step; its index, or None if refused.
        ``near`` are the selected rows (a table whose new row belongs to one of them, the
        Episodes table, reads it)."""
        if not self.can_edit_rows:
            return None
        before = self.document.inputs
        assert self.row_edits is not None
        after = self._row_edit(self.row_edits.add, f"Add {self.row_noun}",
                               f"Cannot add a {self.row_noun}")
        if after is None:
            return None
        row = self._first_new_row(before, after)
        if row is not None:
            self.notice.emit(f"Added {self.row_noun} '{self.row_name(after, row)}'")
        return row

    def duplicate_rows(self, rows: Sequence[int]) -> int | None:
        """Copy the given rows (each right after itself) as one undo step; the index of the
        first copy, or None if refused."""
        names = self._names_of(rows)
        if not names or not self.can_edit_rows:
            return None

        duplicate = self.row_edits.duplicate  # type: ignore[union-attr]

        def edit(inputs: PlanInputs) -> PlanInputs:
            for name in names:
                inputs = duplicate(inputs, name)
            return inputs

        before = self.document.inputs
        phrase = self._rows_phrase(names)
        after = self._row_edit(edit, f"Duplicate {phrase}", f"Cannot duplicate {phrase}")
        return None if after is None else self._first_new_row(before, after)

    def remove_rows(self, rows: Sequence[int]) -> bool:
        """Remove the given rows as one undo step; False (and why) if refused."""
        names = self._names_of(rows)
        if not names or not self.can_edit_rows:
            return False
        before = self.document.inputs
        phrase = self._rows_phrase(names)
        remove = self.row_edits.remove  # type: ignore[union-attr]
        after = self._row_edit(lambda inputs: remove(inputs, names), f"Remove {phrase}",
                               f"Cannot remove {phrase}")
        if after is None:
            return False
        self.notice.emit(self.removal_notice(before, after, names))
        return True

    def _rename(self, row: int, new: str, where: str) -> bool:
        """Rename the row through :attr:`row_edits`, as one undo step."""
        inputs = self.document.inputs
        old = self.row_name(inputs, row)
        if new == old:
            return True
        rename = self.row_edits.rename  # type: ignore[union-attr]
        after = self._row_edit(lambda x: rename(x, old, new),
                               f"Rename {self.row_noun} '{old}' to '{new}'", f"Refused {where}")
        return after is not None

    # -------------------------------------------------------------- Qt model

    def _shape_of(self, inputs: PlanInputs) -> tuple:
        return (len(self.rows(inputs)), tuple(c.header for c in self.columns(inputs)))

    def _safe_shape(self, inputs: PlanInputs) -> tuple:
        """:meth:`_shape_of`, or an empty table (and why, on :attr:`edit_rejected`) when
        the inputs are too large to lay out: a MemoryError here must not take the window
        down with it."""
        try:
            return self._shape_of(inputs)
        except (MemoryError, OverflowError) as exc:
            self.edit_rejected.emit(
                f"The {self.table_name or 'input'} table is too large to show "
                f"({type(exc).__name__}); fix the horizon or the table sizes in the "
                "Policy table or the file")
            return (0, ())

    def _on_inputs_changed(self, inputs: PlanInputs) -> None:
        shape = self._safe_shape(inputs)
        if shape != self._shape:
            self.beginResetModel()
            self._shape = shape
            self.endResetModel()
        elif shape[0] and shape[1]:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(shape[0] - 1, len(shape[1]) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, shape[0] - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._shape[0]

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._shape[1])

    def column(self, col: int) -> Column:
        return self.columns(self.document.inputs)[col]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        inputs = self.document.inputs
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._shape[1]):
                return None
            column = self.column(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip_html(column.tip or column.header.replace("\n", " "))
            return None
        if role == Qt.ItemDataRole.DisplayRole and section < self._shape[0]:
            return self.row_name(inputs, section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.column(index.column())
        if not column.editable:
            return base
        if column.kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        inputs = self.document.inputs
        row, column = index.row(), self.column(index.column())
        value = self.value(inputs, row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.kind == "bool" else format_cell(value, column)
        if role == Qt.ItemDataRole.EditRole:
            return value if column.kind == "bool" else format_cell(value, column, for_edit=True)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in ("float", "int", "optional"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            source = inputs.source(self.source_path(inputs, row, column))
            text = column.tip or column.header.replace("\n", " ")
            if column.kind == "text" and value:
                text = f"{value}"
            return tooltip_html(f"{text}\nSource: {source.label()}" if source else text)
        if role == Qt.ItemDataRole.FontRole:
            source = inputs.source(self.source_path(inputs, row, column))
            if source is not None and source.kind is SourceKind.USER:
                font = QFont()
                font.setItalic(True)
                return font
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column = self.column(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            value = Qt.CheckState(value) == Qt.CheckState.Checked \
                if not isinstance(value, bool) else value
        elif role != Qt.ItemDataRole.EditRole:
            return False
        inputs = self.document.inputs
        row = index.row()
        where = f"{self.row_name(inputs, row)}, {column.header.replace(chr(10), ' ')}"
        try:
            parsed = parse_cell(value, column)
            if parsed == self.value(inputs, row, column):
                return True
            if column.field == "name" and self.can_edit_rows:
                return self._rename(row, parsed, where)
            candidate = self.with_value(inputs, row, column, parsed)
        except (EditRefusedError, ValueError, KeyError) as exc:
            self.edit_rejected.emit(f"Refused {where}: {in_column_units(str(exc), column)}")
            return False
        problem = _new_problem(inputs, candidate)
        if problem is not None:
            # The rule's numbers are in this column's unit only if it is about this cell.
            here = problem.field.startswith(self.source_path(inputs, row, column))
            reason = in_column_units(problem.message, column) if here else str(problem)
            self.edit_rejected.emit(f"Refused {where}: {reason} "
                                    f"(got {shown_value(parsed, column)})")
            return False
        sources = dict(candidate.sources)
        sources[self.source_path(inputs, row, column)] = USER_EDIT
        candidate = replace(candidate, sources=sources)
        self.document.edit(candidate, f"Edit {where}")
        return True


def _replace_row(items: tuple, row: int, **changes: Any) -> tuple:
    out = list(items)
    out[row] = replace(out[row], **changes)
    return tuple(out)


class MaterialsModel(InputsTableModel):
    """Materials; renaming one renames it in the projects, scenarios and floor candidates."""

    table_name = "materials"
    row_noun = "material"
    row_edits = RowEdits(editing.add_material, editing.duplicate_material,
                         editing.remove_materials, editing.rename_material)
    _COLUMNS = [
        Column("Material", "name", "text",
               "Material name; renaming it also renames it in the projects, the scenarios' "
               "cuts and the floor candidates"),
        Column("Demand\n(t/yr)", "demand_t_per_yr", decimals=1,
               tip="US demand in the first plan year"),
        Column("Demand growth\n(%/yr)", "demand_growth_per_yr", decimals=1, factor=100,
               tip="Yearly growth of demand, compounded"),
        Column("Processed in\nChina (%)", "china_exposed_share", decimals=1, factor=100,
               tip="Share of remaining imports passing through Chinese mining or processing"),
        Column("Allied on Chinese\nfeed (%)", "allied_exposed_share", decimals=1, factor=100,
               tip="Share of allied supply caught by China's 0.1% and technology rules"),
        Column("Price\n($/kg)", "price_usd_per_kg", tip="World market price in normal times"),
        Column("Volatility\n(log s.d.)", "price_log_volatility", decimals=3,
               tip="Standard deviation of the log price in any month"),
        Column("Storage\n($/t/yr)", "storage_cost_usd_per_t_yr", decimals=0,
               tip="Warehousing and insurance per tonne per year"),
        Column("Shortage or\nchoke ($/kg)", "shortage_cost_usd_per_kg", decimals=0,
               tip="Flat curve: damage of one kilogram of demand left unmet; with a demand "
               "curve, its choke price (the value of a missing kg when the line idles)"),
        Column("Purchase limit\n(t/month)", "purchase_limit_t_per_month", decimals=1,
               tip="Largest reserve purchase the market absorbs in a month"),
        Column("Release limit\n(t/month)", "release_limit_t_per_month", decimals=1,
               tip="Largest release from the reserve in a month"),
        Column("Starting stock\n(t)", "starting_stock_t", decimals=1,
               tip="Usable stock already held at the plan start"),
        Column("Demand curve", "demand_curve", "text",
               tip="flat, constant elasticity or linear: the short-run demand curve the "
               "shortage damage is measured under"),
        Column("Demand\nelasticity", "demand_elasticity", decimals=2,
               tip="Short-run price elasticity of demand (positive; smaller is more "
               "inelastic); unused by a flat curve"),
        Column("Spot market\n(t/month)", "spot_limit_t_per_month", decimals=1,
               tip="Non-Chinese material that can be bought on the spot market in a month of "
               "disruption, at the scenario's price"),
        Column("Spot China\nlicensed", "spot_china_licensed", "bool",
               tip="Whether China-origin material can be bought under licence on the spot "
               "market"),
    ]


class ProjectsModel(InputsTableModel):
    """Supply projects."""

    table_name = "projects"
    row_noun = "project"
    row_edits = RowEdits(editing.add_project, editing.duplicate_project, editing.remove_projects,
                         editing.rename_project)
    _COLUMNS = [
        Column("Project", "name", "text", "Project name"),
        Column("Material", "material", "text", "Name of the material it produces"),
        Column("Kind", "kind", "kind", "domestic or allied"),
        Column("Capacity\n(t/yr)", "capacity_t_per_yr", decimals=0, tip="Output at full ramp"),
        Column("Unit cost\n($/kg)", "unit_cost_usd_per_kg",
               tip="All-in unit cost; a floor at or above it makes the project bankable"),
        Column("First output\n(month)", "earliest_online_month", "int",
               "First month of output counted from the plan start (0 = January of the "
               "start year)"),
        Column("Ramp-up\n(months)", "ramp_up_months", "int", "Months to full capacity"),
        Column("Failure\nchance (%)", "failure_probability", decimals=0, factor=100,
               tip="Chance the project never produces"),
        Column("Government\nequity ($M)", "government_equity_usd", decimals=0, factor=1e-6,
               tip="Taxpayer equity at risk if it fails"),
    ]


def _episode_columns(inputs: PlanInputs, during: str) -> list[Column]:
    """The columns a scenario's first episode and its later ones share: cut per material,
    allied hit, prices and after-months; ``during`` names the episode in the tips."""
    return [
        *(Column(f"Cut: {m}\n(%)", f"depth:{m}", decimals=0, factor=100,
                 tip=f"Share of China-exposed {m} supply lost during {during}")
          for m in inputs.material_names),
        Column("Hits allied\nsupply", "hits_allied_supply", "bool",
               f"Whether China's extraterritorial rules in {during} also cut exposed allied "
               "supply"),
        Column("Price ×\nduring", "price_multiplier_during",
               tip=f"Market price during {during} relative to normal"),
        Column("Price ×\nafter", "price_multiplier_after",
               tip=f"Market price after {during} relative to normal"),
        Column("After\n(months)", "after_months", "int", "How long the after-price lasts"),
    ]


def _with_depth(inputs: PlanInputs, depth_by_material: tuple[tuple[str, float], ...],
                material: str, value: float) -> tuple[tuple[str, float], ...]:
    """``depth_by_material`` with ``material``'s depth set to ``value``, in Materials order."""
    depths = dict(depth_by_material)
    depths[material] = value
    order = [m for m in inputs.material_names if m in depths]
    order += [m for m in depths if m not in order]
    return tuple((m, depths[m]) for m in order)


class ScenariosModel(InputsTableModel):
    """Disruption scenarios; depth gets one column per material.

    Editing a probability rebalances through the no-disruption scenario
    (:func:`~reserve_planner.model.adjustments.set_scenario_probability`) so the total stays 1.
    A new scenario starts at probability 0, a duplicate shares its original's probability,
    and a removed scenario's probability goes to the no-disruption scenario.
    """

    table_name = "scenarios"
    row_noun = "scenario"
    row_edits = RowEdits(editing.add_scenario, editing.duplicate_scenario, editing.remove_scenarios,
                         editing.rename_scenario)

    def columns(self, inputs: PlanInputs) -> list[Column]:
        cols = [
            Column("Scenario", "name", "text", "Scenario name"),
            Column("Probability\n(%)", "probability", decimals=2, factor=100,
                   tip="Chance of this scenario; the no-disruption scenario takes up the "
                   "difference"),
            Column("Start\n(month)", "start_month", "int", "First month of the disruption"),
            Column("Duration\n(months)", "duration_months", "int", "Length; 0 for none"),
            Column("Earliest start\n(month)", "earliest_start_month", "optional", decimals=0,
                   tip="Start window: the first month the disruption may start in; none = "
                   "it starts in the Start month"),
            Column("Latest start\n(month)", "latest_start_month", "optional", decimals=0,
                   tip="Start window: the last month it may start in; the plan is solved for "
                   "every start step of the window, sharing the probability"),
            Column("Start hazard\n(per yr)", "start_hazard_per_yr",
                   tip="Yearly hazard of the start: later months of the window are less "
                   "likely; 0 = uniform; with no window, the whole horizon"),
        ]
        cols += _episode_columns(inputs, "the disruption")
        cols += [
            Column("Price from\ncurve", "price_from_curve", "bool",
                   "Checked: the price during the disruption follows each material's demand "
                   "curve at the scenario's shortfall instead of Price × during (a material "
                   "with a flat curve keeps the multiplier)"),
            Column("Later\nepisodes", "later_episodes", "text",
                   "Episodes after the first (an embargo two years after a licensing shock), "
                   "each placed after the previous one ends; they move with a start window. "
                   "Edit them on the Episodes table (next tab) or the Episodes sheet of the "
                   "scenario workbook",
                   editable=False),
            Column("Note", "note", "text", "What the scenario stands for"),
        ]
        return cols

    def value(self, inputs: PlanInputs, row: int, column: Column) -> Any:
        s = inputs.scenarios[row]
        if column.field.startswith("depth:"):
            return s.depth(column.field.split(":", 1)[1])
        if column.field == "later_episodes":
            return later_episodes_text(s, inputs.material_names) or "none"
        return getattr(s, column.field)

    def source_path(self, inputs: PlanInputs, row: int, column: Column) -> str:
        name = inputs.scenarios[row].name
        field = "depth" if column.field.startswith("depth:") else column.field
        return field_path("scenarios", name, field)

    def with_value(self, inputs: PlanInputs, row: int, column: Column, value: Any) -> PlanInputs:
        s = inputs.scenarios[row]
        if column.field == "probability":
            try:
                return set_scenario_probability(inputs, s.name, value)
            except ValueError as exc:
                raise EditRefusedError(str(exc)) from None
        if column.field.startswith("depth:"):
            changes: dict[str, Any] = {"depth_by_material": _with_depth(
                inputs, s.depth_by_material, column.field.split(":", 1)[1], value)}
        elif column.field in ("earliest_start_month", "latest_start_month"):
            if value is not None and not float(value).is_integer():
                raise EditRefusedError(f"'{value:g}' is not a whole number of months")
            changes = {column.field: None if value is None else int(value)}
        else:
            changes = {column.field: value}
        return replace(inputs, scenarios=_replace_row(inputs.scenarios, row, **changes))


    def removal_notice(self, before: PlanInputs, after: PlanInputs,
                       names: Sequence[str]) -> str:
        """Says where the removed scenarios' probability went."""
        freed = math.fsum(s.probability for s in before.scenarios if s.name in names)
        text = f"Removed {self._rows_phrase(names)}"
        k = editing.no_disruption_scenario(after)
        if freed > 0 and k is not None:
            text += (f"; {'its' if len(names) == 1 else 'their'} probability of "
                     f"{freed * 100:.2f}% went to '{after.scenarios[k].name}'")
        return text


_POLICY_ROWS: list[tuple[str, Column]] = [
    ("Start year", Column("Value", "start_year", "int", "Calendar year of plan month 0")),
    ("Horizon (months)", Column("Value", "horizon_months", "int", "Number of monthly periods")),
    ("Annual budget ($M/yr)", Column("Value", "annual_budget_usd", decimals=1, factor=1e-6,
                                     tip="Most spent on reserve purchases in one plan year")),
    ("Total budget ($M, or none)", Column("Value", "total_budget_usd", "optional", decimals=1,
                                          factor=1e-6, tip="Cap over the horizon; none for "
                                          "no cap")),
    ("Tariff on Chinese imports (%)", Column("Value", "tariff_share", decimals=0, factor=100)),
    ("Tariff pass-through to price (%)", Column("Value", "tariff_price_passthrough",
                                                decimals=0, factor=100)),
    ("Tariffed share of project cost (%)", Column("Value", "tariff_input_cost_share",
                                                  decimals=0, factor=100)),
    ("Minimum cover (days)", Column("Value", "min_cover_days", decimals=0)),
    ("Cover reached by (month)", Column("Value", "min_cover_by_month", "int")),
    ("Start step (months)", Column("Value", "start_step_months", "int",
                                   "Spacing of the start months solved for a scenario with a "
                                   "start window: 1 every month, 3 quarterly")),
    ("Risk aversion (CVaR weight)", Column("Value", "risk_aversion")),
    ("CVaR level (%)", Column("Value", "cvar_level", decimals=0, factor=100,
                              tip="The risk premium weighs the worst 100 − level % of outcomes")),
    ("Discount rate (%/yr)", Column("Value", "discount_rate_per_yr", decimals=1, factor=100)),
    ("Salvage value at horizon (%)", Column("Value", "salvage_share", decimals=0, factor=100)),
    ("Upside returned by producers (%)", Column("Value", "floor_upside_share", decimals=0,
                                                factor=100)),
]


#: Between a scenario's name and an episode's number in an Episodes row's name.
EPISODE_SEPARATOR = " · episode "


def _episode_key(row_name: str) -> tuple[str, int]:
    """(scenario, number) of an Episodes row named ``"<scenario> · episode <n>"``."""
    scenario, _, number = row_name.rpartition(EPISODE_SEPARATOR)
    return scenario, int(number)


def _remove_episodes(inputs: PlanInputs, names: Sequence[str]) -> PlanInputs:
    by_scenario: dict[str, list[int]] = {}
    for name in names:
        scenario, number = _episode_key(name)
        by_scenario.setdefault(scenario, []).append(number)
    for scenario, numbers in by_scenario.items():
        inputs = editing.remove_later_episodes(inputs, scenario, numbers)
    return inputs


def _no_episode_rename(inputs: PlanInputs, old: str, new: str) -> PlanInputs:
    raise EditError("episodes are numbered in order; rename the scenario on the Scenarios "
                    "table")


class EpisodesModel(InputsTableModel):
    """The scenarios' later episodes (2, 3, ...), one row each, named by scenario and
    number. **Add** adds an episode after the last one of the selected row's scenario (the
    last scenario with a disruption when none is selected); duplicate and remove work on
    the selected episodes. Every edit marks the scenario's episodes as the user's."""

    table_name = "episodes"
    row_noun = "episode"
    row_edits = RowEdits(
        lambda inputs: editing.add_later_episode(inputs, _default_scenario(inputs)),
        lambda inputs, name: editing.duplicate_later_episode(inputs, *_episode_key(name)),
        _remove_episodes, _no_episode_rename)

    def rows(self, inputs: PlanInputs) -> Sequence[Any]:
        return [(s, n, e) for s in inputs.scenarios
                for n, e in enumerate(s.later_episodes, start=2)]

    def row_name(self, inputs: PlanInputs, row: int) -> str:
        s, n, _ = self.rows(inputs)[row]
        return f"{s.name}{EPISODE_SEPARATOR}{n}"

    def columns(self, inputs: PlanInputs) -> list[Column]:
        cols = [
            Column("Gap\n(months)", "gap_months", "int",
                   "Months from the end of the previous episode to the start of this one; "
                   "0 = it follows at once"),
            Column("Duration\n(months)", "duration_months", "int", "Length of this episode"),
        ]
        return cols + _episode_columns(inputs, "this episode")

    def value(self, inputs: PlanInputs, row: int, column: Column) -> Any:
        _, _, e = self.rows(inputs)[row]
        if column.field.startswith("depth:"):
            return e.depth(column.field.split(":", 1)[1])
        return getattr(e, column.field)

    def with_value(self, inputs: PlanInputs, row: int, column: Column, value: Any) -> PlanInputs:
        s, n, e = self.rows(inputs)[row]
        if column.field.startswith("depth:"):
            changes: dict[str, Any] = {"depth_by_material": _with_depth(
                inputs, e.depth_by_material, column.field.split(":", 1)[1], value)}
        else:
            changes = {column.field: value}
        try:
            return editing.replace_later_episode(inputs, s.name, n, **changes)
        except EditError as exc:
            raise EditRefusedError(str(exc)) from None

    def source_path(self, inputs: PlanInputs, row: int, column: Column) -> str:
        s, _, _ = self.rows(inputs)[row]
        return editing.episode_path(s.name)

    def add_row(self, near: Sequence[int] = ()) -> int | None:
        """Add an episode to the scenario of the first of rows ``near`` (the last scenario
        with a disruption when ``near`` is empty), as one undo step."""
        inputs = self.document.inputs
        rows = self.rows(inputs)
        picked = [r for r in near if 0 <= r < len(rows)]
        scenario = rows[picked[0]][0].name if picked else _default_scenario(inputs)
        after = self._row_edit(lambda x: editing.add_later_episode(x, scenario),
                               f"Add an episode to scenario '{scenario}'",
                               f"Cannot add an episode to scenario '{scenario}'")
        if after is None:
            return None
        row = self._first_new_row(inputs, after)  # its number is new to its scenario
        assert row is not None
        self.notice.emit(f"Added {self.row_name(after, row)}: edit its gap, length and cut")
        return row


def _default_scenario(inputs: PlanInputs) -> str:
    """The scenario an episode is added to when none is selected: the last one with a
    disruption."""
    disrupted = [s.name for s in inputs.scenarios if s.duration_months > 0]
    if not disrupted:
        raise EditError("no scenario has a disruption for an episode to follow")
    return disrupted[-1]


class PolicyModel(InputsTableModel):
    """Policy settings as a two-column list: setting and value."""

    table_name = "policy"

    def rows(self, inputs: PlanInputs) -> Sequence[tuple[str, Column]]:
        return _POLICY_ROWS

    def columns(self, inputs: PlanInputs) -> list[Column]:
        return [Column("Value", "value")]

    def row_name(self, inputs: PlanInputs, row: int) -> str:
        return _POLICY_ROWS[row][0]

    def column(self, col: int) -> Column:  # the column spec differs per row; see _row_column
        return Column("Value", "value")

    def _row_column(self, row: int) -> Column:
        return _POLICY_ROWS[row][1]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        inputs = self.document.inputs
        column = self._row_column(index.row())
        value = getattr(inputs.policy, column.field)
        if role == Qt.ItemDataRole.DisplayRole:
            return format_cell(value, column)
        if role == Qt.ItemDataRole.EditRole:
            return format_cell(value, column, for_edit=True)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            source = inputs.source(field_path("policy", column.field))
            text = column.tip or self.row_name(inputs, index.row())
            return tooltip_html(f"{text}\nSource: {source.label()}" if source else text)
        if role == Qt.ItemDataRole.FontRole:
            source = inputs.source(field_path("policy", column.field))
            if source is not None and source.kind is SourceKind.USER:
                font = QFont()
                font.setItalic(True)
                return font
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        inputs = self.document.inputs
        column = self._row_column(index.row())
        where = self.row_name(inputs, index.row())
        try:
            parsed = parse_cell(value, column)
        except EditRefusedError as exc:
            self.edit_rejected.emit(f"Refused {where}: {exc}")
            return False
        if parsed == getattr(inputs.policy, column.field):
            return True
        policy: Policy = replace(inputs.policy, **{column.field: parsed})
        sources = dict(inputs.sources)
        sources[field_path("policy", column.field)] = USER_EDIT
        candidate = replace(inputs, policy=policy, sources=sources)
        problem = _new_problem(inputs, candidate)
        if problem is not None:
            here = problem.field.startswith(field_path("policy", column.field))
            reason = in_column_units(problem.message, column, where) if here else str(problem)
            self.edit_rejected.emit(f"Refused {where}: {reason} "
                                    f"(got {shown_value(parsed, column, where)})")
            return False
        self.document.edit(candidate, f"Edit {where}")
        return True


class SeriesModel(InputsTableModel):
    """Yearly supply series: one row per plan year, domestic and allied per material.

    A series shorter than the horizon repeats its last value; editing a later year extends
    it, so the years before keep their values.
    """

    table_name = "materials"
    _SERIES = (("domestic_supply_t_per_yr", "domestic"), ("allied_supply_t_per_yr", "allied"))
    #: Most plan years shown (a horizon of millions of months would not fit in memory).
    MAX_YEARS = 1000

    def rows(self, inputs: PlanInputs) -> Sequence[int]:
        longest = max((len(getattr(m, f)) for m in inputs.materials for f, _ in self._SERIES),
                      default=1)
        n = min(max(inputs.policy.horizon_years, longest), self.MAX_YEARS)
        return range(inputs.policy.start_year, inputs.policy.start_year + n)

    def _on_inputs_changed(self, inputs: PlanInputs) -> None:
        if inputs.policy.horizon_years > self.MAX_YEARS and \
                self.document.inputs.policy.horizon_years != getattr(self, "_warned", None):
            self._warned = inputs.policy.horizon_years
            self.notice.emit(f"The yearly supply table shows the first {self.MAX_YEARS:,} of "
                             f"{inputs.policy.horizon_years:,} plan years")
        super()._on_inputs_changed(inputs)

    def columns(self, inputs: PlanInputs) -> list[Column]:
        return [Column(f"{m}\n{label} (t/yr)", f"{i}:{f}", decimals=1,
                       tip=f"{label.capitalize()} supply of {m} in each plan year")
                for i, m in enumerate(inputs.material_names) for f, label in self._SERIES]

    def row_name(self, inputs: PlanInputs, row: int) -> str:
        return str(inputs.policy.start_year + row)

    @staticmethod
    def _split(column: Column) -> tuple[int, str]:
        i, field = column.field.split(":", 1)
        return int(i), field

    def value(self, inputs: PlanInputs, row: int, column: Column) -> Any:
        i, field = self._split(column)
        series = getattr(inputs.materials[i], field)
        return series[min(row, len(series) - 1)] if series else 0.0

    def source_path(self, inputs: PlanInputs, row: int, column: Column) -> str:
        i, field = self._split(column)
        return field_path("materials", inputs.materials[i].name, field)

    def with_value(self, inputs: PlanInputs, row: int, column: Column, value: Any) -> PlanInputs:
        i, field = self._split(column)
        series = list(getattr(inputs.materials[i], field)) or [0.0]
        while len(series) <= row:
            series.append(series[-1])
        series[row] = value
        return replace(inputs, materials=_replace_row(inputs.materials, i,
                                                      **{field: tuple(series)}))


MODEL_FACTORIES: list[tuple[str, Callable[[PlanDocument], InputsTableModel]]] = [
    ("Materials", MaterialsModel),
    ("Projects", ProjectsModel),
    ("Scenarios", ScenariosModel),
    ("Episodes", EpisodesModel),
    ("Yearly supply", SeriesModel),
    ("Policy", PolicyModel),
]
