"""Files: open, save, save as, recent files, drag and drop, unsaved-changes guard, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reserve_planner.gui.main_window import MainWindow
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.adjustments import adjustments_from

workbook = pytest.importorskip("reserve_planner.io.workbook")

BASE = load_article_baseline()
Button = QMessageBox.StandardButton


@pytest.fixture
def saved_baseline(tmp_path: Path) -> Path:
    path = tmp_path / "baseline.xlsx"
    workbook.save_scenario_workbook(BASE, path)
    return path


@pytest.fixture
def broken_workbook(saved_baseline: Path, tmp_path: Path) -> Path:
    """A real workbook with a probability of 1.4 in the Scenarios sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(saved_baseline)
    ws = wb["Scenarios"]
    header = [str(c.value or "") for c in ws[1]]
    col = next(i for i, h in enumerate(header, start=1) if h.startswith("Probability"))
    ws.cell(row=3, column=col, value=1.4)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


class Dialogs:
    """Records the message boxes a test expects, answering questions with ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Button = Button.Cancel):
        self.shown: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.answer = answer

        def exec_box(box: QMessageBox) -> int:
            assert box.textFormat() == Qt.TextFormat.PlainText  # names are never markup
            if box.icon() == QMessageBox.Icon.Question:
                self.questions.append(box.text())
                return int(self.answer.value)
            self.shown.append((box.text(), box.informativeText()))
            return int(Button.Ok.value)

        monkeypatch.setattr(QMessageBox, "exec", exec_box)


def set_file_dialogs(monkeypatch: pytest.MonkeyPatch, open_path: Path | None = None,
                     save_path: Path | None = None) -> None:
    if open_path is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *a, **k: (str(open_path), "Excel (*.xlsx)"))
    if save_path is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, **k: (str(save_path), "Excel (*.xlsx)"))


def opened(window: MainWindow, qtbot, action) -> bool:
    """Run ``action`` (which starts a workbook load) and wait for the load to end; whether
    the file was opened."""
    with qtbot.waitSignal(window.load_finished, timeout=30_000) as blocker:
        action()
    return bool(blocker.args[0])


def make_edit(window: MainWindow, qtbot) -> None:
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["embargo_duration_months"].spin.setValue(18)
    assert window.document.is_modified


def test_save_as_then_reopen_round_trips(window: MainWindow, qtbot, monkeypatch,
                                         tmp_path: Path) -> None:
    make_edit(window, qtbot)
    edited = window.document.inputs
    target = tmp_path / "my scenario"  # no extension typed: .xlsx is added
    set_file_dialogs(monkeypatch, save_path=target)
    assert window.save_as()
    saved = tmp_path / "my scenario.xlsx"
    assert saved.exists()
    assert not window.document.is_modified
    assert window.windowTitle() == "my scenario.xlsx[*] — Reserve Planner"
    assert not window.isWindowModified()

    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.new_scenario()
    assert window.document.inputs == BASE and window.document.path is None

    set_file_dialogs(monkeypatch, open_path=saved)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.open_file()
    assert window.document.inputs == edited
    assert window.document.path == saved
    assert round(adjustments_from(window.document.inputs).embargo_duration_months) == 18
    assert window.document.undo_stack.count() == 0
    assert window.settings.recent_files()[0] == str(saved)


def test_the_done_when_story(window: MainWindow, qtbot, monkeypatch, tmp_path: Path) -> None:
    """Drag the embargo slider, see the reserve grow, save, reopen, undo."""
    row = window.assumptions.rows["embargo_duration_months"]
    first = window.plan_view.figure_texts()["NdPr oxide/Reserve (t)"]
    row.slider.setSliderDown(True)
    for months in (11, 12, 13):
        row.slider.setValue(months - 1)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        row.slider.setSliderDown(False)
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    grown = window.plan_view.figure_texts()["NdPr oxide/Reserve (t)"]
    assert float(grown.replace(",", "")) > float(first.replace(",", ""))
    path = tmp_path / "embargo20.xlsx"
    set_file_dialogs(monkeypatch, save_path=path)
    assert window.save()  # untitled: Save asks for a name
    set_file_dialogs(monkeypatch, open_path=path)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.open_file()
    assert window.plan_view.figure_texts()["NdPr oxide/Reserve (t)"] == grown
    assert "undo history kept" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):  # undo the drag
        window.act_undo.trigger()
    assert window.plan_view.figure_texts()["NdPr oxide/Reserve (t)"] == first
    assert window.document.is_modified  # the file still holds the 20-month embargo


def test_save_writes_to_the_open_file_without_asking(window: MainWindow, qtbot,
                                                     saved_baseline: Path) -> None:
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        assert window.open_path(saved_baseline)
    make_edit(window, qtbot)
    assert window.windowTitle() == "baseline.xlsx[*] — Reserve Planner"
    assert window.isWindowModified()
    assert window.save()  # QFileDialog is not patched: it must not be asked
    assert not window.document.is_modified
    reread = workbook.load_scenario_workbook(saved_baseline)
    assert reread == window.document.inputs


@pytest.mark.parametrize("answer", [Button.Cancel, Button.Discard, Button.Save])
def test_unsaved_changes_guard(window: MainWindow, qtbot, monkeypatch, tmp_path: Path,
                               saved_baseline: Path, answer: Button) -> None:
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.open_path(saved_baseline)
    make_edit(window, qtbot)
    edited = window.document.inputs
    dialogs = Dialogs(monkeypatch, answer)
    other = tmp_path / "other.xlsx"
    workbook.save_scenario_workbook(BASE, other)
    set_file_dialogs(monkeypatch, open_path=other)
    if answer == Button.Cancel:
        window.open_file()
        assert not window.is_loading  # nothing was read
    else:
        assert opened(window, qtbot, window.open_file)
    assert len(dialogs.questions) == 1 and "baseline.xlsx" in dialogs.questions[0]
    if answer == Button.Cancel:
        assert window.document.inputs is edited and window.document.path == saved_baseline
        assert window.document.is_modified
    else:
        assert window.document.path == other and not window.document.is_modified
    if answer == Button.Save:
        assert workbook.load_scenario_workbook(saved_baseline) == edited
    if answer == Button.Discard:
        assert workbook.load_scenario_workbook(saved_baseline) == BASE
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)


def test_closing_with_unsaved_changes_asks(window: MainWindow, qtbot, monkeypatch) -> None:
    make_edit(window, qtbot)
    dialogs = Dialogs(monkeypatch, Button.Cancel)
    assert not window.close()
    assert window.isVisible() and dialogs.questions
    dialogs.answer = Button.Discard
    assert window.close()


def test_a_file_with_errors_shows_the_problems_and_keeps_the_scenario(
        window: MainWindow, qtbot, monkeypatch, broken_workbook: Path) -> None:
    make_edit(window, qtbot)
    before = window.document.inputs
    dialogs = Dialogs(monkeypatch, Button.Discard)
    set_file_dialogs(monkeypatch, open_path=broken_workbook)
    assert not opened(window, qtbot, window.open_file)
    assert len(dialogs.shown) == 1
    text, problems = dialogs.shown[0]
    assert "broken.xlsx" in text and "unchanged" in text
    assert "Scenarios!" in problems and "1.4" in problems
    assert window.document.inputs is before
    assert window.document.is_modified  # the edits were kept, not discarded


def test_a_file_that_is_not_a_workbook(window: MainWindow, qtbot, monkeypatch,
                                       tmp_path: Path) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    dialogs = Dialogs(monkeypatch)
    assert not opened(window, qtbot, lambda: window.open_path(bad))
    assert "not an Excel workbook" in dialogs.shown[0][1]
    assert window.document.inputs == BASE


def test_save_failure_says_why_and_keeps_changes(window: MainWindow, qtbot, monkeypatch,
                                                 tmp_path: Path) -> None:
    make_edit(window, qtbot)
    dialogs = Dialogs(monkeypatch)
    set_file_dialogs(monkeypatch, save_path=tmp_path / "no such folder" / "x.xlsx")
    assert not window.save_as()
    assert "folder does not exist" in dialogs.shown[0][0]
    assert window.document.is_modified and window.document.path is None


def test_an_os_error_on_save_is_shown(window: MainWindow, qtbot, monkeypatch,
                                      tmp_path: Path) -> None:
    def disk_full(inputs, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook, "save_scenario_workbook", disk_full)
    dialogs = Dialogs(monkeypatch)
    set_file_dialogs(monkeypatch, save_path=tmp_path / "x.xlsx")
    assert not window.save_as()
    assert "No space left on device" in dialogs.shown[0][0]


def test_recent_files_menu_and_a_vanished_file(window: MainWindow, qtbot, tmp_path: Path,
                                               saved_baseline: Path) -> None:
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.open_path(saved_baseline)
    window._fill_recent_menu()
    entries = [a.text() for a in window.recent_menu.actions() if not a.isSeparator()]
    assert entries[0] == "&1 baseline.xlsx" and entries[-1] == "&Clear List"
    gone = tmp_path / "gone.xlsx"
    window.settings.add_recent(gone)
    window.open_recent(str(gone))
    assert "no longer exists" in window.statusBar().currentMessage()
    assert str(gone) not in window.settings.recent_files()


def test_recent_files_and_geometry_persist(qtbot, saved_baseline: Path) -> None:
    first = MainWindow()
    with qtbot.waitSignal(first.plan_shown, timeout=20_000):
        first.show()
    first.settings.add_recent(saved_baseline)
    first.resize(first.width(), 640)  # the offscreen screen is 800 x 800
    first.assumptions_dock.hide()
    assert first.close()
    second = MainWindow()
    try:
        assert second.settings.recent_files() == [str(saved_baseline)]
        assert second.size().height() == 640
        assert second.assumptions_dock.isHidden()  # the dock layout came back too
    finally:
        second.solver.wait()
        second.close()


_KEEP_ALIVE: list[QMimeData] = []  # events do not own their mime data


def drop_event(path: Path, kind=QDropEvent) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    _KEEP_ALIVE.append(mime)
    if kind is QDragEnterEvent:
        return QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    return QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_drag_and_drop_a_workbook(window: MainWindow, qtbot, tmp_path: Path,
                                  saved_baseline: Path) -> None:
    other = tmp_path / "dropped.xlsx"
    workbook.save_scenario_workbook(BASE, other)
    enter = drop_event(other, QDragEnterEvent)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    text = tmp_path / "notes.txt"
    text.write_text("x")
    refused = drop_event(text, QDragEnterEvent)
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.dropEvent(drop_event(other))
    assert window.document.path == other


def test_settings_are_isolated_in_the_test_folder(isolated_settings: Path) -> None:
    from reserve_planner.gui.settings import app_settings

    assert Path(app_settings().fileName()).is_relative_to(isolated_settings)
