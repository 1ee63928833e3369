"""Reading scenario workbooks off the GUI thread, with Cancel.

:class:`WorkbookLoader` runs the io loader (``load_scenario_workbook_with_warnings``)
on its own small thread pool and reports a :class:`LoadOutcome` on the GUI thread. A load
cannot be interrupted inside the reader, so :meth:`WorkbookLoader.cancel` abandons it: the
window is free at once, and whatever the reader returns later is dropped. Only the newest
load reports; starting another abandons the one before.
"""

from __future__ import annotations

import contextlib
import traceback
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..model import PlanInputs

_POOL: QThreadPool | None = None


def load_pool() -> QThreadPool:
    """The loads' own pool (not the solver's), with room for an abandoned load or two
    still running while a new one starts."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("workbookLoadPool")
        _POOL.setMaxThreadCount(3)
    return _POOL


def wait_for_loads(timeout_ms: int = 60_000) -> bool:
    """Block until no workbook is being read (application exit and test teardown)."""
    return _POOL is None or _POOL.waitForDone(timeout_ms)


@dataclass(frozen=True)
class LoadOutcome:
    """What reading ``path`` gave: the inputs, its named variants (name, inputs) and the
    reader's warnings, or the exception (any :class:`BaseException`) and its traceback."""

    path: Path
    inputs: PlanInputs | None = None
    warnings: tuple[str, ...] = ()
    variants: tuple[tuple[str, PlanInputs], ...] = ()
    error: BaseException | None = None
    trace: str = ""
    seconds: float = 0.0  # time the reader took [s]

    @property
    def ok(self) -> bool:
        return self.error is None and self.inputs is not None


def read_workbook_file(path: Path) -> LoadOutcome:
    """Read ``path`` with the io loader; never raises (the error is in the outcome)."""
    import time

    t0 = time.perf_counter()
    try:
        from ..io.workbook import load_scenario_workbook_with_warnings

        inputs, warnings = load_scenario_workbook_with_warnings(path)
        variants, more = _read_variants(path)
        return LoadOutcome(path, inputs, tuple(str(w) for w in warnings) + more, variants,
                           seconds=time.perf_counter() - t0)
    except BaseException as exc:  # noqa: BLE001 - reported to the window, never lost
        return LoadOutcome(path, error=exc, trace=traceback.format_exc(),
                           seconds=time.perf_counter() - t0)


def _read_variants(path: Path) -> tuple[tuple[tuple[str, PlanInputs], ...], tuple[str, ...]]:
    """The named variants stored in the workbook (the window's pinned plans) and what was
    wrong with any left out. Read after the main scenario was read."""
    if not path.is_file():
        return (), ()
    try:
        from ..io.variants import read_variants

        variants, problems = read_variants(path)
    except Exception as exc:  # noqa: BLE001 - the main scenario is read; say what is missing
        return (), (f"The pinned plans stored in the workbook (its Variants sheet) could not "
                    f"be read ({type(exc).__name__}: {exc}); saving will write the scenario "
                    "without them",)
    return tuple(variants.items()), tuple(f"Pinned plan left out: {p}" for p in problems)


class _LoadSignals(QObject):
    """Lives in the GUI thread; the worker emits through it (queued to the GUI thread)."""

    done = Signal(int, object)


class _LoadTask(QRunnable):
    def __init__(self, load_id: int, path: Path, signals: _LoadSignals):
        super().__init__()
        self._load_id = load_id
        self._path = path
        self._signals = signals

    def run(self) -> None:
        outcome = read_workbook_file(self._path)
        if shiboken6.isValid(self._signals):
            self._signals.done.emit(self._load_id, outcome)


class WorkbookLoader(QObject):
    """Starts loads and reports the newest one's :class:`LoadOutcome` through
    :attr:`finished`; :attr:`busy_changed` says when a load starts and stops."""

    #: The newest load finished (a :class:`LoadOutcome`); abandoned loads never report.
    finished = Signal(object)
    #: A load started (True) or finished or was cancelled (False).
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        # Kept alive by the module list too, so a late report from an abandoned load
        # never reaches a deleted object.
        self._signals = _LoadSignals()
        _KEEP.append(self._signals)
        self._signals.done.connect(self._on_done)
        self._current = 0
        self._busy_path: Path | None = None
        self.abandoned = 0  # loads given up on (cancelled or replaced)

    @property
    def is_busy(self) -> bool:
        return self._busy_path is not None

    @property
    def path(self) -> Path | None:
        """The file being read, if any."""
        return self._busy_path

    def start(self, path: str | Path) -> int:
        """Read ``path`` in the background (abandoning a load still running); its id."""
        if self.is_busy:
            self.abandoned += 1
        self._current += 1
        self._busy_path = Path(path)
        load_pool().start(_LoadTask(self._current, self._busy_path, self._signals))
        self.busy_changed.emit(True)
        return self._current

    def cancel(self) -> bool:
        """Abandon the running load (its result will be dropped); False if none ran."""
        if not self.is_busy:
            return False
        self._current += 1  # the running load's id is no longer current
        self._busy_path = None
        self.abandoned += 1
        self.busy_changed.emit(False)
        return True

    def _on_done(self, load_id: int, outcome: LoadOutcome) -> None:
        if load_id != self._current or not shiboken6.isValid(self):
            return
        self._busy_path = None
        self.busy_changed.emit(False)
        self.finished.emit(outcome)

    def detach(self) -> None:
        """Stop reporting (the window is closing)."""
        self.cancel()
        with contextlib.suppress(RuntimeError, TypeError):
            self._signals.done.disconnect(self._on_done)


_KEEP: list[_LoadSignals] = []
