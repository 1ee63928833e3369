"""Start-up, About, printing and PDF export, and unexpected errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from reserve_planner import __version__
from reserve_planner.gui import app as app_module
from reserve_planner.gui import main_window as main_window_module
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.io.baseline import load_article_baseline

BASE = load_article_baseline()


class Boxes:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.shown: list[str] = []

        def exec_box(box: QMessageBox) -> int:
            self.shown.append(f"{box.text()}\n{box.informativeText()}")
            return int(QMessageBox.StandardButton.Ok.value)

        monkeypatch.setattr(QMessageBox, "exec", exec_box)


def test_run_app_opens_the_solved_baseline(qtbot, monkeypatch) -> None:
    seen: dict[str, object] = {}

    def fake_exec(app: QApplication) -> int:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible()]
        window = windows[-1]
        qtbot.waitUntil(lambda: window.plan_view.has_plan, timeout=20_000)
        seen["title"] = window.windowTitle()
        seen["app"] = (app.organizationName(), app.applicationName())
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app_module.run_app(None) == 0
    assert seen["title"] == "Article baseline[*] — Reserve Planner"
    assert seen["app"] == ("Reserve Planner", "Reserve Planner")


def test_startup_with_a_bad_file_falls_back_to_the_baseline(qtbot, monkeypatch,
                                                            tmp_path: Path) -> None:
    pytest.importorskip("reserve_planner.io.workbook")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("garbage")
    boxes = Boxes(monkeypatch)
    window = app_module.create_window(str(bad))
    try:
        qtbot.waitUntil(lambda: bool(boxes.shown), timeout=10_000)
        assert "bad.xlsx" in boxes.shown[0] and "not an Excel workbook" in boxes.shown[0]
        assert window.document.inputs == BASE and window.document.path is None
    finally:
        window.solver.wait()
        window.close()


def test_startup_with_a_good_file(qtbot, tmp_path: Path) -> None:
    workbook = pytest.importorskip("reserve_planner.io.workbook")
    good = tmp_path / "good.xlsx"
    workbook.save_scenario_workbook(BASE, good)
    window = app_module.create_window(str(good))
    try:
        assert window.is_loading  # read off the GUI thread
        qtbot.waitUntil(lambda: window.document.path == good, timeout=30_000)
        assert not window.is_loading
        assert window.document.path == good
        assert window.windowTitle().startswith("good.xlsx")
        assert window.settings.recent_files() == [str(good)]
    finally:
        window.solver.wait()
        window.close()


def test_about_names_version_and_sources(window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.act_about.trigger()
    assert __version__ in shown[0]
    assert "USGS Mineral Commodity Summaries 2025" in shown[0]


def test_an_unexpected_error_becomes_a_message(window: MainWindow, monkeypatch) -> None:
    boxes = Boxes(monkeypatch)

    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(main_window_module, "load_article_baseline", broken)
    window.act_new.trigger()
    assert "New scenario failed: disk on fire" in boxes.shown[0]
    assert window.document.inputs == BASE  # nothing lost


def test_export_pdf(window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    pytest.importorskip("reserve_planner.report.pdf")
    target = tmp_path / "plan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF report (*.pdf)"))
    window.act_pdf.trigger()
    assert window.wait_for_report()  # written off the GUI thread
    pdf = tmp_path / "plan.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert "Wrote" in window.statusBar().currentMessage()


def _to_pdf(printer: QPrinter, path: Path) -> None:
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))


def test_print_through_the_print_dialog(window: MainWindow, monkeypatch,
                                        tmp_path: Path) -> None:
    pytest.importorskip("reserve_planner.report.qt_render")
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        _to_pdf(dialog.printer(), out)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window.act_print.trigger()
    assert out.exists() and out.stat().st_size > 1000


def test_print_preview_paints_the_report(window: MainWindow, monkeypatch,
                                         tmp_path: Path) -> None:
    pytest.importorskip("reserve_planner.report.qt_render")
    out = tmp_path / "preview.pdf"

    def paint(dialog: QPrintPreviewDialog) -> int:
        printer = dialog.printer()
        _to_pdf(printer, out)
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", paint)
    window.act_preview.trigger()
    assert out.exists() and out.stat().st_size > 1000


def test_a_cancelled_print_prints_nothing(window: MainWindow, monkeypatch,
                                          tmp_path: Path) -> None:
    pytest.importorskip("reserve_planner.report.qt_render")
    monkeypatch.setattr(QPrintDialog, "exec",
                        lambda dialog: int(QDialog.DialogCode.Rejected.value))
    window.act_print.trigger()
    assert "printer" not in window.statusBar().currentMessage()
