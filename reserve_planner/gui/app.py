"""Entry point of the window: ``run_app(path_or_None) -> exit code``."""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from .. import __version__
from . import dialogs
from .charts import wait_for_chart_renders
from .main_window import MainWindow
from .settings import APPLICATION, ORGANIZATION
from .solver_worker import wait_for_all_solvers
from .workbook_loader import wait_for_loads

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with the names QSettings files its values under."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("reserve-planner")
    return app


def freeze_startup_objects() -> None:
    """Exempt everything that exists now (modules, the window) from garbage collection.

    A full collection holds the GIL, so it stops the GUI thread wherever it runs (often on
    the chart render thread, which makes the most garbage): on the ~125,000 objects of the
    running program that is 40-60 ms. Once they are frozen it scans only newer ones (~2 ms).
    """
    gc.collect()
    gc.freeze()


def _install_excepthook(window: MainWindow) -> None:
    """Unexpected exceptions in Qt callbacks become a dialog, not a silent failure."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error:\n%s", text)
        try:
            dialogs.show_error(window, "Unexpected error",
                               f"Something went wrong: {exc}\n\nYour scenario is still open; "
                               "save it under a new name if in doubt.", text)
        except Exception:  # never raise from the hook
            sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


def create_window(path: str | None = None) -> MainWindow:
    """A main window on the article baseline that opens the scenario at ``path``, if
    given, off the GUI thread (a busy bar with Cancel in the status bar meanwhile).

    A file that fails to load leaves the baseline open; the loader's problems are shown
    once the event loop runs.
    """
    window = MainWindow()
    if path is not None:
        window.open_path(Path(path))
    return window


def run_app(path: str | None = None) -> int:
    """Open the window on ``path`` (or the article baseline), solve it, run the event loop."""
    app = make_application()
    window = create_window(path)
    _install_excepthook(window)
    window.show()
    freeze_startup_objects()
    try:
        return int(app.exec())
    finally:
        sys.excepthook = sys.__excepthook__
        wait_for_all_solvers()
        wait_for_chart_renders()
        wait_for_loads()
