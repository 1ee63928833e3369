"""The open scenario: current inputs, the baseline it was opened as, its file and undo history.

Widgets receive a :class:`PlanDocument`, read :attr:`PlanDocument.inputs`, subscribe to its
signals, and change it only through its methods, which push undo commands. Nothing else
writes the inputs, so the sliders, the tables and the plan always show the same scenario.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..model import PlanInputs
from ..model.adjustments import SLIDER_BY_KEY, reset_adjustment, set_adjustment
from .undo_commands import ReplaceInputsCommand


def action_phrase(label: str) -> str:
    """A slider label inside a sentence: "Embargo length" -> "embargo length", but proper
    names keep their capital ("China's processing share")."""
    if label.startswith("China") or label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def display_name(path: Path | None, inputs: PlanInputs) -> str:
    """The name shown in the title bar: the file name, else the scenario's own name."""
    if path is not None:
        return path.name
    return inputs.name.strip() or "Untitled"


class PlanDocument(QObject):
    """State of one open scenario.

    Attributes
    ----------
    inputs : PlanInputs
        The current inputs, the one truth the window shows.
    baseline : PlanInputs
        The scenario as opened (or created); relative sliders compare with it and "reset to
        baseline" restores from it. Saving does not change it.
    path : Path or None
        The workbook the scenario was opened from or last saved to.
    undo_stack : QUndoStack
        Every edit, in order; its clean state is the "saved" state.
    """

    #: The current inputs changed (edit, undo, redo, or a newly opened scenario).
    inputs_changed = Signal(object)
    #: A different scenario was loaded or the file path changed.
    file_changed = Signal()
    #: The unsaved-changes state flipped.
    modified_changed = Signal(bool)

    def __init__(self, inputs: PlanInputs, path: str | Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._inputs = inputs
        self._baseline = inputs
        self._path = Path(path) if path is not None else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._gesture_before: PlanInputs | None = None

    # ------------------------------------------------------------------ state

    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    @property
    def inputs(self) -> PlanInputs:
        return self._inputs

    @property
    def baseline(self) -> PlanInputs:
        return self._baseline

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        return display_name(self._path, self._baseline)

    def _apply_inputs(self, inputs: PlanInputs) -> None:
        """Set the inputs and tell everyone; only undo commands call this."""
        self._inputs = inputs
        self.inputs_changed.emit(inputs)

    # ------------------------------------------------------------------ edits

    def edit(self, inputs: PlanInputs, text: str, merge_key: Hashable | None = None) -> bool:
        """Replace the inputs through an undo command; False if nothing changed."""
        if inputs is self._inputs or (merge_key is None and inputs == self._inputs
                                      and inputs.sources == self._inputs.sources):
            return False
        self.undo_stack.push(ReplaceInputsCommand(self, self._inputs, inputs, text, merge_key))
        return True

    def _top_merge_key(self) -> Hashable | None:
        index = self.undo_stack.index()
        if index == 0:
            return None
        return getattr(self.undo_stack.command(index - 1), "merge_key", None)

    def adjust(self, key: str, value: float, gesture: Hashable | None = None) -> bool:
        """Move slider ``key`` to ``value`` (in :class:`Adjustments` units).

        Calls with the same ``gesture`` (one drag) merge into one undo step, each computed
        from the inputs as they were when the gesture began, so a drag does not accumulate
        rounding and returning to the start leaves nothing to undo.
        """
        spec = SLIDER_BY_KEY[key]
        merge_key = (key, gesture) if gesture is not None else None
        if merge_key is not None and merge_key == self._top_merge_key() \
                and self._gesture_before is not None:
            before = self._gesture_before
        else:
            before = self._inputs
            self._gesture_before = before if merge_key is not None else None
        after = set_adjustment(before, key, value, self._baseline)
        if after is before and after is self._inputs:
            return False
        return self.edit(after, f"Change {action_phrase(spec.label)}", merge_key)

    def reset_slider(self, key: str) -> bool:
        """Put the cells slider ``key`` governs back to their baseline values."""
        after = reset_adjustment(self._inputs, key, self._baseline)
        if after == self._inputs and after.sources == self._inputs.sources:
            return False
        return self.edit(after, f"Reset {action_phrase(SLIDER_BY_KEY[key].label)}")

    def revert_to_baseline(self) -> bool:
        """Undoably replace every input by the baseline's."""
        return self.edit(self._baseline, "Revert to baseline")

    # ------------------------------------------------------------------ files

    def load(self, inputs: PlanInputs, path: str | Path | None) -> None:
        """Make ``inputs`` the new scenario and baseline; the history starts afresh."""
        self._gesture_before = None
        self.undo_stack.clear()
        self._baseline = inputs
        self._path = Path(path) if path is not None else None
        self.undo_stack.setClean()
        self._apply_inputs(inputs)
        self.file_changed.emit()
        self.modified_changed.emit(False)

    def mark_saved(self, path: str | Path) -> None:
        """The current inputs are now in ``path``."""
        self._path = Path(path)
        self.undo_stack.setClean()
        self.file_changed.emit()
