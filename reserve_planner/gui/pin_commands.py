"""Undo commands for pinned plans: pin, unpin and rename are steps on the document's undo
stack, beside the edits of the inputs.

Pinned plans are saved inside the scenario workbook, so pinning changes what Save writes:
as undo commands they mark the document modified (the stack's clean state is the saved
state), and an unpinned plan is one Ctrl+Z away instead of lost. Opening a scenario clears
the stack and reads its pinned plans afresh.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from .pinned_plans import PinnedPlan, PinnedPlans


class PinCommand(QUndoCommand):
    """Add ``plan`` to ``plans`` (at ``index``, default last)."""

    def __init__(self, plans: PinnedPlans, plan: PinnedPlan, index: int | None = None):
        super().__init__(f"Pin plan “{plan.name}”")
        self._plans = plans
        self.plan = plan
        self._index = len(plans) if index is None else index

    def redo(self) -> None:
        self.plan = self._plans.insert(self.plan, self._index)

    def undo(self) -> None:
        self._plans.remove(self.plan.name)


class UnpinCommand(QUndoCommand):
    """Remove the plan called ``name``; undo puts it back in its place."""

    def __init__(self, plans: PinnedPlans, name: str):
        super().__init__(f"Remove pinned plan “{name}”")
        self._plans = plans
        self._name = name
        self._index = plans.index(name)
        self._plan = plans.get(name)

    def redo(self) -> None:
        self._index, self._plan = self._plans.remove(self._name)

    def undo(self) -> None:
        self._plans.insert(self._plan, self._index)


class RenamePinCommand(QUndoCommand):
    """Rename a pinned plan (the new name checked by :func:`~.pinned_plans.check_name`
    before the command is made)."""

    def __init__(self, plans: PinnedPlans, old: str, new: str):
        super().__init__(f"Rename pinned plan “{old}” to “{new}”")
        self._plans = plans
        self._old = old
        self._new = new

    def redo(self) -> None:
        self._new = self._plans.rename(self._old, self._new)

    def undo(self) -> None:
        self._plans.rename(self._new, self._old)
