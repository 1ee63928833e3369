"""The sensitivity study off the GUI thread: one run at a time, progress streamed, Cancel.

:class:`StudyRunner` runs :func:`~reserve_planner.analysis.sensitivity_study` in a
``QRunnable`` on its own one-thread pool. The study's solves run on an executor made on that
thread: a local process pool (worker processes started by *forkserver*, as
:mod:`reserve_planner.analysis.executor` asks of a program that runs threads), this process
alone for one worker, or a Dask scheduler given by its address. Every finished solve is
reported to the GUI thread through a queued signal (:attr:`StudyRunner.progress`); the end
comes as one :class:`StudyOutcome` (a study, a cancellation or an error in words), never as
an exception, so the tab never stays at "Running…".

:meth:`StudyRunner.cancel` sets the study's ``threading.Event``: jobs not yet started are
dropped and the run ends after the solves in flight. :meth:`StudyRunner.shutdown` cancels
and waits (window close, another workbook opened, test teardown).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
import weakref
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..analysis import SensitivityStudy, sensitivity_study
from ..analysis.executor import DaskExecutor, Executor, LocalExecutor, SerialExecutor
from ..model import PlanInputs

_RUNNERS: weakref.WeakSet[StudyRunner] = weakref.WeakSet()
_ORPHANED: list[QObject] = []  # reporters of runs still going when their runner shut down


@dataclass(frozen=True)
class StudySettings:
    """Where the study's solves run.

    ``workers``: local worker processes (0 = one per core, 1 = this process only);
    ``scheduler``: a Dask scheduler address (``tcp://HOST:PORT``); when set it wins over
    ``workers``.
    """

    workers: int = 0
    scheduler: str = ""

    def describe(self) -> str:
        if self.scheduler.strip():
            return f"the Dask scheduler at {self.scheduler.strip()}"
        n = self.workers or (os.cpu_count() or 1)
        return "this process (1 worker)" if n == 1 else f"a local pool of {n} processes"


def make_study_executor(settings: StudySettings) -> Executor:
    """The executor for ``settings``; raises :class:`ConnectionError` (naming the address)
    when no Dask scheduler answers, :class:`ValueError` for a bad worker count."""
    address = settings.scheduler.strip()
    if address:
        return DaskExecutor(address)
    if settings.workers < 0:
        raise ValueError(f"the number of workers must be 0 (all cores) or more "
                         f"(got {settings.workers})")
    n = settings.workers or (os.cpu_count() or 1)
    if n == 1:
        return SerialExecutor()
    return LocalExecutor(n, mp_context=_forkserver())


def _forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server preloaded with the solver (workers fork from it
    with numpy, scipy and the engine already imported) and never with ``__main__`` (the
    program that opened the window must not run again in the server)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["reserve_planner.analysis.sweep"])
    return ctx


@dataclass(frozen=True)
class StudyOutcome:
    """The end of one run: the study, or why there is none.

    ``cancelled`` when Cancel stopped it; ``error`` says in a sentence what went wrong
    (``trace`` has the details); ``elapsed_s`` [s] is the wall time of the run.
    """

    run_id: int
    inputs: PlanInputs
    study: SensitivityStudy | None
    cancelled: bool
    error: str
    trace: str
    elapsed_s: float
    done: int  # solves finished
    where: str  # where the solves ran, in words


class _RunSignals(QObject):
    """Lives in the GUI thread; the worker emits through it (queued)."""

    progress = Signal(int, int, int)  # run id, solves done, solves planned
    done = Signal(object)


class _StudyTask(QRunnable):
    def __init__(self, run_id: int, inputs: PlanInputs, settings: StudySettings,
                 cancel: threading.Event, signals: _RunSignals):
        super().__init__()
        self.setAutoDelete(False)
        self._args = (run_id, inputs, settings)
        self._cancel = cancel
        self._signals = signals

    def run(self) -> None:
        run_id, inputs, settings = self._args
        t0 = time.perf_counter()
        done = [0]
        study = None
        error = trace = ""
        where = settings.describe()

        def seen(_row: object, n: int, total: int) -> None:
            done[0] = n
            self._signals.progress.emit(run_id, n, total)

        try:
            executor = make_study_executor(settings)
            where = executor.description
            try:
                study = sensitivity_study(inputs, executor=executor, on_result=seen,
                                          cancel=self._cancel)
            finally:
                executor.close()
        except BaseException as exc:  # noqa: BLE001 - the tab must always hear back
            if not self._cancel.is_set():
                error = _error_sentence(exc, settings)
                trace = traceback.format_exc()
        cancelled = self._cancel.is_set()
        if cancelled:
            study = None  # a study cut short is not shown as if it were complete
        self._signals.done.emit(StudyOutcome(run_id, inputs, study, cancelled, error, trace,
                                             time.perf_counter() - t0, done[0], where))


def _error_sentence(exc: BaseException, settings: StudySettings) -> str:
    if isinstance(exc, ConnectionError):
        return (f"{exc}. Check the scheduler address in the settings above, or clear it to "
                "run on this machine.")
    if isinstance(exc, ImportError) and settings.scheduler.strip():
        return ("Running on a Dask cluster needs the 'distributed' package, which is not "
                f"installed ({exc}). Clear the scheduler address to run on this machine.")
    if isinstance(exc, RuntimeError) and "base plan" in str(exc):
        return f"The study stopped before the base plan was solved: {exc}."
    return f"The study failed: {type(exc).__name__}: {exc}"


class StudyRunner(QObject):
    """Runs one sensitivity study at a time and reports it to the GUI thread.

    Starting a new run cancels the running one; only the newest run's progress and outcome
    are passed on (:attr:`progress`, :attr:`finished`).
    """

    #: Solves done and planned of the newest run (planned grows with the break-evens).
    progress = Signal(int, int)
    #: The newest run ended (:class:`StudyOutcome`).
    finished = Signal(object)
    #: A run started (True) or the last one ended (False).
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setObjectName("studyPool")
        self._pool.setMaxThreadCount(1)
        self._signals = _RunSignals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._run_id = 0
        self._cancel: threading.Event | None = None
        self._running = 0  # runs started and not yet reported back
        _RUNNERS.add(self)

    @property
    def is_busy(self) -> bool:
        return self._running > 0

    @property
    def is_cancelling(self) -> bool:
        """Cancel was asked for and the running study has not ended yet."""
        return self.is_busy and self._cancel is not None and self._cancel.is_set()

    @property
    def run_id(self) -> int:
        return self._run_id

    def start(self, inputs: PlanInputs, settings: StudySettings | None = None) -> int:
        """Run the study of ``inputs``; cancels a run in progress. Returns the run's id."""
        self.cancel()
        self._run_id += 1
        self._cancel = threading.Event()
        was_busy = self.is_busy
        self._running += 1
        task = _StudyTask(self._run_id, inputs, settings or StudySettings(), self._cancel,
                          self._signals)
        self._task = task  # kept alive until it has run (auto-delete is off)
        self._pool.start(task)
        if not was_busy:
            self.busy_changed.emit(True)
        return self._run_id

    def cancel(self) -> bool:
        """Ask the running study to stop; True if one was running."""
        if self._cancel is None or self._cancel.is_set() or not self.is_busy:
            return False
        self._cancel.set()
        return True

    def _on_progress(self, run_id: int, done: int, total: int) -> None:
        if run_id == self._run_id:
            self.progress.emit(done, total)

    def _on_done(self, outcome: StudyOutcome) -> None:
        self._running = max(0, self._running - 1)
        if outcome.run_id == self._run_id:
            self.finished.emit(outcome)
        if not self.is_busy:
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the running study has ended (it is not cancelled)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel the running study and wait for its thread. If it does not end in time,
        its reporter is detached and kept alive so a late report reaches nothing deleted.
        True if no run is left."""
        self.cancel()
        if self._pool.waitForDone(timeout_ms):
            return True
        self._signals.progress.disconnect(self._on_progress)
        self._signals.done.disconnect(self._on_done)
        self._signals.setParent(None)
        _ORPHANED.append(self._signals)
        return False


def wait_for_studies(timeout_ms: int = 60_000) -> bool:
    """Cancel and wait for every runner's study (application exit and test teardown)."""
    ok = True
    for runner in list(_RUNNERS):
        if shiboken6.isValid(runner):
            ok = runner.shutdown(timeout_ms) and ok
    return ok
