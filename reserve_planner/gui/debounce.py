"""Debounce on a single-shot :class:`QTimer`: trailing edge, optional leading edge and
maximum wait.

Like superqt's ``qdebounced``: while calls keep coming, the timer restarts and only the
last value is delivered, ``delay_ms`` after the calls stop (trailing edge). Options:

* ``leading``: the first call after a quiet spell is delivered at once, so a single change
  (a typed value, an undo) does not wait for the delay; the rest of its burst is trailing;
* ``max_wait_ms``: a value is also delivered when a burst has gone on that long, so a long
  slider drag keeps the figures moving instead of waiting for the hand to pause.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal


class Debouncer(QObject):
    """Deliver the last of a burst of calls through :attr:`triggered`."""

    triggered = Signal(object)

    def __init__(self, delay_ms: int = 70, max_wait_ms: int | None = 200,
                 leading: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._delay_ms = delay_ms
        self._max_wait_ms = max_wait_ms
        self._leading = leading
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._pending: tuple[Any] | None = None
        self._first_call: float | None = None

    @property
    def delay_ms(self) -> int:
        return self._delay_ms

    def is_pending(self) -> bool:
        """A value waits to be delivered."""
        return self._pending is not None

    def call(self, value: Any) -> None:
        """Deliver ``value`` now (leading edge of a burst) or after the burst settles."""
        now = time.perf_counter()
        quiet = not self._timer.isActive()
        if quiet and self._leading:
            self._first_call = None
            self._timer.start(self._delay_ms)  # the burst's quiet window starts now
            self.triggered.emit(value)
            return
        if self._first_call is None:
            self._first_call = now
        self._pending = (value,)
        delay = self._delay_ms
        if self._max_wait_ms is not None:
            left = self._max_wait_ms - (now - self._first_call) * 1000.0
            delay = max(0, min(delay, int(left)))
        self._timer.start(delay)

    def _on_timeout(self) -> None:
        if self._pending is None:
            self._first_call = None
            return
        self.flush()
        if self._leading:  # keep the burst open: the next call within delay is trailing
            self._timer.start(self._delay_ms)

    def flush(self) -> None:
        """Deliver the pending value now (nothing happens if there is none)."""
        self._timer.stop()
        pending, self._pending, self._first_call = self._pending, None, None
        if pending is not None:
            self.triggered.emit(pending[0])

    def cancel(self) -> None:
        """Drop the pending value."""
        self._timer.stop()
        self._pending = None
        self._first_call = None
