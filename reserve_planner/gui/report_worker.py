"""Writing the plan report as a PDF off the GUI thread.

:func:`reserve_planner.report.pdf.write_report_pdf` takes a few seconds (the charts drawn,
the pages laid out): :class:`ReportWriter` runs it on its own one-thread pool, so the window
keeps working, and reports the end on the GUI thread. Qt paints the PDF there through
``QPainter`` on a ``QPdfWriter``, which Qt allows outside the GUI thread; the report's font
is registered on the GUI thread before the first write. The PDF is written atomically, so
a window closed while it is written waits for it rather than leave half a file.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..model import PlanInputs
from ..optimize import PlanResult


@dataclass(frozen=True)
class ReportOutcome:
    """A finished write: the file, the paper, and what went wrong (empty when it worked;
    ``os_error`` for a file system refusal) with the traceback, and the time it took [s]."""

    path: Path
    paper: str
    with_study: bool = False
    error: str = ""
    os_error: bool = False
    trace: str = ""
    seconds: float = 0.0


class _Signals(QObject):
    done = Signal(object)


class _WriteTask(QRunnable):
    def __init__(self, args: tuple, signals: _Signals):
        super().__init__()
        self._args = args
        self._signals = signals

    def run(self) -> None:
        inputs, result, path, source_file, paper, study = self._args
        t0 = time.perf_counter()
        with_study = study is not None
        try:
            from ..report import pdf

            if study is None:
                pdf.write_report_pdf(inputs, result, path, source_file=source_file,
                                     page_size=paper)
            else:  # the plan's report with its "What drives the answer" section
                from ..report.content import build_report
                from ..report.qt_render import page_size_id

                page_size_id(paper)
                pdf.write_document_pdf(build_report(inputs, result, source_file=source_file,
                                                    sensitivity=study), path, paper)
            outcome = ReportOutcome(path, paper, with_study,
                                    seconds=time.perf_counter() - t0)
        except OSError as exc:
            outcome = ReportOutcome(path, paper, with_study, exc.strerror or str(exc), True,
                                    str(exc), time.perf_counter() - t0)
        except BaseException as exc:  # noqa: BLE001 - the window must hear back
            outcome = ReportOutcome(path, paper, with_study, f"{type(exc).__name__}: {exc}",
                                    False, traceback.format_exc(), time.perf_counter() - t0)
        if shiboken6.isValid(self._signals):
            self._signals.done.emit(outcome)


class ReportWriter(QObject):
    """Writes one report at a time in the background."""

    #: A write started (True) or ended (False).
    busy_changed = Signal(bool)
    #: A write ended (:class:`ReportOutcome`).
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setObjectName("reportPool")
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._busy = False

    @property
    def is_busy(self) -> bool:
        return self._busy

    def start(self, inputs: PlanInputs, result: PlanResult, path: str | Path,
              source_file: str | None, paper: str, study: Any = None) -> bool:
        """Write the report of ``inputs`` and ``result`` to ``path``, with the sensitivity
        ``study`` of the same inputs when given; False if one is already being written."""
        if self._busy:
            return False
        from ..report.qt_render import report_font_family

        report_font_family()  # fonts are registered on the GUI thread
        self._busy = True
        self.busy_changed.emit(True)
        self._pool.start(_WriteTask((inputs, result, Path(path), source_file, paper, study),
                                    self._signals))
        return True

    def _on_done(self, outcome: ReportOutcome) -> None:
        self._busy = False
        self.busy_changed.emit(False)
        self.finished.emit(outcome)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the report being written is done (window close, tests)."""
        return self._pool.waitForDone(timeout_ms)
