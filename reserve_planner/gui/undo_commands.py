"""Undo commands: each replaces the document's immutable :class:`PlanInputs` by another.

Because inputs are frozen dataclasses, a command only needs the value before and after;
undo puts back ``before``, redo puts back ``after``. Commands that carry the same
``merge_key`` (one slider drag) merge into one undo step, and a drag that ends where it
started leaves no step at all.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..model import PlanInputs

if TYPE_CHECKING:
    from .document import PlanDocument

#: ``QUndoCommand.id()`` of commands that may merge; others return -1 and never merge.
MERGEABLE_ID = 1001


class ReplaceInputsCommand(QUndoCommand):
    """Replace the document's inputs ``before`` by ``after``."""

    def __init__(self, document: PlanDocument, before: PlanInputs, after: PlanInputs,
                 text: str, merge_key: Hashable | None = None):
        super().__init__(text)
        self._document = document
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._document._apply_inputs(self.after)

    def undo(self) -> None:
        self._document._apply_inputs(self.before)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return MERGEABLE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, ReplaceInputsCommand) or other.merge_key is None:
            return False
        if other.merge_key != self.merge_key:
            return False
        self.after = other.after
        self.setText(other.text())
        if self.after == self.before:
            self.setObsolete(True)
        return True
