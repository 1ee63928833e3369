"""Pinned plans: named snapshots of the inputs (and their plan) kept beside the open scenario.

Qt-free. :class:`PinnedPlans` is an ordered list of uniquely named :class:`PinnedPlan`;
widgets subscribe with :meth:`PinnedPlans.subscribe` and are called after every change.
The window changes it only through undo commands (:mod:`.pin_commands`), and it is saved
inside the scenario workbook as named variants, so one file holds a baseline and its
variants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..analysis.compare import NamedPlan, value_text
from ..analysis.sweep import input_changes
from ..io.variants import workbook_field_label
from ..model import PlanInputs
from ..optimize import PlanResult

#: Longest name a pinned plan may have [characters].
MAX_NAME = 80
PINNED_SOURCE = "pinned in the window"


@dataclass(frozen=True, eq=False)
class PinnedPlan:
    """One pinned plan.

    ``result`` is the plan that was on screen for exactly these inputs when it was pinned
    (None when it was pinned before its solve ended, or read back from a workbook: it is
    solved again when compared). ``pinned_at`` is a local time stamp (ISO 8601, minutes).
    """

    name: str
    inputs: PlanInputs
    result: PlanResult | None = None
    pinned_at: str = ""
    source: str = PINNED_SOURCE

    def named_plan(self, result: PlanResult | None = None) -> NamedPlan:
        """This plan for :func:`~reserve_planner.analysis.compare.compare_plans`."""
        r = result if result is not None else self.result
        if r is None:
            raise ValueError(f"the pinned plan {self.name!r} has not been solved yet")
        return NamedPlan(self.name, self.inputs, r, self.source)


def check_name(name: str, taken: Iterable[str] = ()) -> str:
    """``name`` stripped, or :class:`ValueError` saying why it cannot name a plan."""
    text = " ".join(name.split())
    if not text:
        raise ValueError("a pinned plan needs a name")
    if len(text) > MAX_NAME:
        raise ValueError(f"a plan name can have at most {MAX_NAME} characters "
                         f"(this one has {len(text)})")
    if text.casefold() in {t.casefold() for t in taken}:
        raise ValueError(f"a plan called “{text}” is already pinned; choose another name")
    return text


def _unique(stem: str, taken: Sequence[str]) -> str:
    folded = {t.casefold() for t in taken}
    if stem.casefold() not in folded:
        return stem
    n = 2
    while f"{stem} ({n})".casefold() in folded:
        n += 1
    return f"{stem} ({n})"


def suggest_name(inputs: PlanInputs, baseline: PlanInputs, taken: Sequence[str] = ()) -> str:
    """A name that says what the plan is: the scenario's name when it is the baseline, the
    one input that differs and its value (``"Annual purchase budget $250M/yr"``), or the first
    of several (``"... and 2 more changes"``); unique among ``taken``."""
    changes = input_changes(baseline, inputs)
    base_name = inputs.name.strip() or "Plan"
    if not changes:
        stem = base_name
    else:
        first = changes[0]
        label, unit = workbook_field_label(first.path)  # as the workbook and Compare say
        stem = f"{label} {value_text(first.value, unit)}"
        if len(changes) > 1:
            more = len(changes) - 1
            stem += f" and {more} more change{'s' if more != 1 else ''}"
    stem = " ".join(stem.split())
    if len(stem) > MAX_NAME - 5:
        stem = stem[: MAX_NAME - 6].rstrip() + "…"
    return _unique(stem, taken)


def time_stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).isoformat(timespec="minutes")


class PinnedPlans:
    """The pinned plans of the open scenario, in the order they were pinned."""

    def __init__(self, plans: Iterable[PinnedPlan] = ()):
        self._plans: list[PinnedPlan] = []
        self._listeners: list[Callable[[], None]] = []
        for p in plans:
            self._plans.append(replace(p, name=check_name(p.name, self.names)))

    # ------------------------------------------------------------------ reading

    @property
    def plans(self) -> tuple[PinnedPlan, ...]:
        return tuple(self._plans)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self._plans)

    def __len__(self) -> int:
        return len(self._plans)

    def __iter__(self):
        return iter(tuple(self._plans))

    def index(self, name: str) -> int:
        for i, p in enumerate(self._plans):
            if p.name == name:
                return i
        raise KeyError(f"no pinned plan called {name!r}")

    def get(self, name: str) -> PinnedPlan:
        return self._plans[self.index(name)]

    # ------------------------------------------------------------------ listening

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # ------------------------------------------------------------------ changing

    def insert(self, plan: PinnedPlan, index: int | None = None) -> PinnedPlan:
        """Add ``plan`` at ``index`` (default: last); :class:`ValueError` if its name is
        empty, too long or taken. Returns the plan as stored (name tidied)."""
        plan = replace(plan, name=check_name(plan.name, self.names))
        i = len(self._plans) if index is None else max(0, min(index, len(self._plans)))
        self._plans.insert(i, plan)
        self._changed()
        return plan

    def remove(self, name: str) -> tuple[int, PinnedPlan]:
        """Remove the plan called ``name``; its place and the plan (to put it back)."""
        i = self.index(name)
        plan = self._plans.pop(i)
        self._changed()
        return i, plan

    def rename(self, old: str, new: str) -> str:
        """Rename ``old`` to ``new`` (tidied and checked); the new name."""
        i = self.index(old)
        text = check_name(new, [n for n in self.names if n != old])
        self._plans[i] = replace(self._plans[i], name=text)
        self._changed()
        return text

    def set_result(self, name: str, result: PlanResult) -> None:
        """Keep the solve of a plan that had none (no change a listener must show)."""
        i = self.index(name)
        if self._plans[i].result is None:
            self._plans[i] = replace(self._plans[i], result=result)

    def reset(self, plans: Iterable[PinnedPlan] = ()) -> None:
        """Replace every plan (a scenario was opened)."""
        fresh = PinnedPlans(plans)
        self._plans = list(fresh._plans)
        self._changed()
