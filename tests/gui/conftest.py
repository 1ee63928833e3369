"""GUI test fixtures: isolated settings, no unexpected modal dialogs, workers joined.

Every test gets QSettings in its own temporary folder, and every modal entry point
(``QMessageBox`` statics and ``exec``, ``QDialog.exec``, ``QFileDialog`` statics, print
dialogs) raises instead of blocking: a test that expects a dialog patches it explicitly
with ``monkeypatch``. Teardown waits for solver, chart-render and workbook-load threads so no
worker outlives its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

import reserve_planner.gui  # noqa: F401 - applies the PySide6/None work-around first
from reserve_planner.gui.charts import wait_for_chart_renders
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.solver_worker import wait_for_all_solvers
from reserve_planner.gui.workbook_loader import wait_for_loads

_MODAL_ENTRY_POINTS = [
    (QMessageBox, "question"), (QMessageBox, "warning"), (QMessageBox, "critical"),
    (QMessageBox, "information"), (QMessageBox, "about"), (QMessageBox, "aboutQt"),
    (QMessageBox, "exec"), (QDialog, "exec"), (QFileDialog, "exec"),
    (QFileDialog, "getOpenFileName"), (QFileDialog, "getOpenFileNames"),
    (QFileDialog, "getSaveFileName"), (QFileDialog, "getExistingDirectory"),
    (QInputDialog, "getText"), (QInputDialog, "getDouble"), (QInputDialog, "getInt"),
    (QInputDialog, "getItem"), (QPrintDialog, "exec"), (QPrintPreviewDialog, "exec"),
]


class UnexpectedDialogError(AssertionError):
    """A modal dialog opened that the test did not ask for."""


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Any modal dialog the test did not patch fails the test instead of hanging it."""
    opened: list[str] = []

    def refuse(name: str):
        def fail(*args: object, **kwargs: object) -> None:
            detail = ""
            box = args[0] if args and isinstance(args[0], QMessageBox) else None
            if box is not None:
                detail = f": {box.text()} {box.informativeText()}"
            opened.append(name + detail)
            raise UnexpectedDialogError(f"unexpected modal dialog {name}{detail}")

        return fail

    for cls, method in _MODAL_ENTRY_POINTS:
        if hasattr(cls, method):
            monkeypatch.setattr(cls, method, refuse(f"{cls.__name__}.{method}"))
    yield opened
    assert not opened, f"unexpected modal dialogs: {opened}"


@pytest.fixture(autouse=True)
def join_workers() -> Iterator[None]:
    yield
    wait_for_all_solvers()
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert wait_for_chart_renders(30_000)
    assert wait_for_loads(60_000)


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    """A main window on the article baseline, shown, with its first plan on screen."""
    w = MainWindow(solve_delay_ms=20)
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.show()
    yield w
    w.document.undo_stack.setClean()  # tests leave edits behind; no Save question on close
    w.close()
    w.solver.shutdown()
    w.deleteLater()
    qtbot.wait(1)


class _Pdf:
    """A PDF's reader and its text (whitespace collapsed)."""

    def __init__(self, path: Path):
        import re

        from pypdf import PdfReader

        self.reader = PdfReader(str(path))
        self.text = " ".join(re.sub(r"\s+", " ", p.extract_text() or "")
                             for p in self.reader.pages)


@pytest.fixture
def read_pdf():
    """Read a PDF the window wrote: ``read_pdf(path).text`` and ``.reader``."""
    return _Pdf
