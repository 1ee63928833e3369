"""Solving off the GUI thread: debounced requests, one solve at a time, stale results dropped.

:class:`SolveController` takes every new version of the inputs through :meth:`request`.
Requests are debounced (trailing edge, with a maximum wait so long drags still update), each
gets an increasing id, and at most one solve runs at a time on a :class:`QThreadPool`; a
request that arrives while a solve runs waits in a single pending slot, where a newer request
replaces it. A result whose id is not the latest is dropped, so the window never shows a plan
for inputs it no longer has.
"""

from __future__ import annotations

import time
import traceback
import weakref
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..model import PlanInputs
from ..optimize import PlanResult, SolveOptions, SolveStatus, solve
from .debounce import Debouncer

_CONTROLLERS: weakref.WeakSet[SolveController] = weakref.WeakSet()
_ORPHANED_SIGNALS: list[QObject] = []  # reporters of solves still running at shutdown


@dataclass(frozen=True)
class SolveOutcome:
    """A finished solve: which request, for which inputs, the result, and its timing."""

    request_id: int
    inputs: PlanInputs
    result: PlanResult
    requested_at: float  # time.perf_counter() when the inputs were requested
    worker_s: float  # time spent in the worker [s]


class _TaskSignals(QObject):
    """Lives in the GUI thread; the worker emits through it (queued to the GUI thread)."""

    done = Signal(object)


class _SolveTask(QRunnable):
    def __init__(self, request_id: int, inputs: PlanInputs, options: SolveOptions,
                 requested_at: float, signals: _TaskSignals):
        super().__init__()
        self.setAutoDelete(False)
        self._args = (request_id, inputs, options, requested_at)
        self._signals = signals

    def run(self) -> None:
        request_id, inputs, options, requested_at = self._args
        t0 = time.perf_counter()
        try:
            result = solve(inputs, options)
        except BaseException as exc:  # noqa: BLE001 - even SystemExit or KeyboardInterrupt:
            # the controller must hear back, or it stays "Solving..." and never re-plans.
            result = PlanResult(status=SolveStatus.ERROR,
                                message=f"The solver failed unexpectedly: "
                                        f"{type(exc).__name__}: {exc}",
                                inputs_name=inputs.name,
                                problems=tuple(traceback.format_exception_only(exc)))
        outcome = SolveOutcome(request_id, inputs, result, requested_at,
                               time.perf_counter() - t0)
        self._signals.done.emit(outcome)


class SolveController(QObject):
    """Turns a stream of inputs into a stream of up-to-date results.

    With ``leading`` (the default) a change after a quiet spell is solved at once and only
    the rest of a burst (a slider drag) waits for the debounce.
    """

    #: A solve started or the last one finished with nothing pending.
    busy_changed = Signal(bool)
    #: The newest request has a result (:class:`SolveOutcome`).
    result_ready = Signal(object)

    def __init__(self, options: SolveOptions | None = None, delay_ms: int = 60,
                 max_wait_ms: int | None = 200, leading: bool = True,
                 pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.options = options or SolveOptions(diagnostics=True)
        self._pool = pool or QThreadPool.globalInstance()
        self._signals = _TaskSignals(self)
        self._signals.done.connect(self._on_done)
        self._debouncer = Debouncer(delay_ms, max_wait_ms, leading, self)
        self._debouncer.triggered.connect(self._submit)
        self._latest_id = 0
        self._running: _SolveTask | None = None
        self._pending: tuple[int, PlanInputs, float] | None = None
        self.dropped = 0  # results thrown away because newer inputs existed
        self.completed = 0  # results delivered
        _CONTROLLERS.add(self)

    @property
    def is_busy(self) -> bool:
        return self._running is not None or self._pending is not None \
            or self._debouncer.is_pending()

    @property
    def latest_id(self) -> int:
        return self._latest_id

    def request(self, inputs: PlanInputs) -> None:
        """Solve ``inputs`` once the burst of requests it belongs to has settled."""
        was_busy = self.is_busy
        self._debouncer.call((inputs, time.perf_counter()))
        if not was_busy:
            self.busy_changed.emit(True)

    def solve_now(self, inputs: PlanInputs) -> None:
        """Solve ``inputs`` without waiting for the debounce."""
        self.request(inputs)
        self._debouncer.flush()

    def _submit(self, item: tuple[PlanInputs, float]) -> None:
        inputs, requested_at = item
        self._latest_id += 1
        if self._running is not None:
            if self._pending is not None:
                self.dropped += 1  # superseded before it started
            self._pending = (self._latest_id, inputs, requested_at)
            return
        self._start(self._latest_id, inputs, requested_at)

    def _start(self, request_id: int, inputs: PlanInputs, requested_at: float) -> None:
        task = _SolveTask(request_id, inputs, self.options, requested_at, self._signals)
        self._running = task
        self._pool.start(task)

    def _on_done(self, outcome: SolveOutcome) -> None:
        self._running = None
        if self._pending is not None:
            self._start(*self._pending)
            self._pending = None
        if outcome.request_id == self._latest_id:
            self.completed += 1
            self.result_ready.emit(outcome)
        else:
            self.dropped += 1
        if not self.is_busy:
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until running solves finish (for shutdown and tests); pending ones are dropped."""
        self._debouncer.cancel()
        self._pending = None
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Stop accepting work and wait for the running solve to finish.

        If it does not finish in time, the object it reports through is detached from this
        controller and kept alive, so the late report cannot reach a deleted object.
        """
        if not self.wait(timeout_ms) and self._running is not None:
            self._signals.done.disconnect(self._on_done)
            self._signals.setParent(None)
            _ORPHANED_SIGNALS.append(self._signals)
        self._running = None


def wait_for_all_solvers(timeout_ms: int = 30_000) -> None:
    """Wait for every controller's worker (test teardown and application exit)."""
    for controller in list(_CONTROLLERS):
        if shiboken6.isValid(controller):
            controller.wait(timeout_ms)
    QThreadPool.globalInstance().waitForDone(timeout_ms)
