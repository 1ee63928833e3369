"""The window reads well: screen fit, redo keys, preview, paper, refusals, big tables,
no-plan charts and reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog

from reserve_planner.gui.charts import _LIGHT, ChartTheme, RenderRequest, ReservePainter
from reserve_planner.gui.main_window import DEFAULT_SIZE, MainWindow
from reserve_planner.gui.settings import WindowSettings, default_paper
from reserve_planner.gui.table_models import Column, in_column_units
from reserve_planner.io.baseline import load_article_baseline

BASE = load_article_baseline()
THEME = ChartTheme(False, "#ffffff", "#000000", "#777777", "#dddddd", _LIGHT)


def test_first_start_fits_the_available_screen(qtbot) -> None:
    """The offscreen screen is 800 x 800, smaller than the 1400 x 900 default: the window
    must fit inside it (it once opened at 1400 x 900 on a 1366 x 768 screen)."""
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        area = window.screen().availableGeometry()
        assert area.width() < DEFAULT_SIZE[0]
        frame = window.frameGeometry()
        assert window.width() <= area.width() or window.width() == window.minimumWidth()
        assert window.height() <= area.height()
        assert frame.top() >= area.top() and frame.left() >= area.left()
    finally:
        window.solver.wait()


def test_ctrl_y_redoes_beside_the_platform_keys(window: MainWindow, qtbot) -> None:
    keys = window.act_redo.shortcuts()
    assert QKeySequence("Ctrl+Y") in keys
    assert all(k in keys for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["tariff_share"].spin.setValue(50)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.act_undo.trigger()
    assert window.document.inputs == BASE
    window.activateWindow()
    window.setFocus()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.inputs.policy.tariff_share == pytest.approx(0.5)


def test_print_preview_opens_large_and_fit_to_width(window: MainWindow, monkeypatch) -> None:
    seen: dict[str, object] = {}

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        preview = dialog.findChild(QPrintPreviewWidget)
        seen["size"] = (dialog.width(), dialog.height())
        seen["zoom"] = preview.zoomMode()
        seen["paper"] = dialog.printer().pageLayout().pageSize().id()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.set_paper_size("Letter")
    window.act_preview.trigger()
    area = window.screen().availableGeometry()
    width, height = seen["size"]
    assert width >= min(900, area.width() - 40) and height >= min(480, area.height() - 60)
    assert width > 707 or area.width() < 760  # it opened at 707 x 512
    assert seen["zoom"] == QPrintPreviewWidget.ZoomMode.FitToWidth
    from PySide6.QtGui import QPageSize

    assert seen["paper"] == QPageSize.PageSizeId.Letter


@pytest.mark.parametrize(("language", "country", "paper"), [
    (QLocale.Language.English, QLocale.Country.UnitedStates, "Letter"),
    (QLocale.Language.French, QLocale.Country.Canada, "Letter"),
    (QLocale.Language.Spanish, QLocale.Country.Mexico, "Letter"),
    (QLocale.Language.German, QLocale.Country.Germany, "A4"),
    (QLocale.Language.English, QLocale.Country.UnitedKingdom, "A4"),
    (QLocale.Language.Japanese, QLocale.Country.Japan, "A4"),
])
def test_default_paper_follows_the_locale(language, country, paper) -> None:
    assert default_paper(QLocale(language, country)) == paper


def test_the_paper_setting_is_kept_and_used_for_pdf(window: MainWindow, monkeypatch,
                                                    tmp_path: Path, read_pdf) -> None:
    other = "A4" if default_paper() == "Letter" else "Letter"
    assert window.settings.paper_size() == default_paper()
    checked = [a.data() for a in window.paper_actions.actions() if a.isChecked()]
    assert checked == [default_paper()]
    next(a for a in window.paper_actions.actions() if a.data() == other).trigger()
    assert WindowSettings(QSettings(window.settings._s.fileName(),
                                    QSettings.Format.IniFormat)).paper_size() == other
    target = tmp_path / "paper.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF report (*.pdf)"))
    window.act_pdf.trigger()
    assert window.wait_for_report()  # written off the GUI thread
    box = read_pdf(target).reader.pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    assert size == ((612, 792) if other == "Letter" else (595, 842))
    with pytest.raises(ValueError, match="paper"):
        window.settings.set_paper_size("B5")


def test_a_no_plan_report_can_be_exported(window: MainWindow, qtbot, monkeypatch,
                                          tmp_path: Path, read_pdf) -> None:
    bad = replace(BASE, policy=replace(BASE.policy, min_cover_days=5000.0))
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.document.edit(bad, "impossible cover")
    assert not window.plan_view.has_plan and window.act_pdf.isEnabled()
    target = tmp_path / "noplan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF report (*.pdf)"))
    window.act_pdf.trigger()
    assert window.wait_for_report()  # written off the GUI thread
    text = read_pdf(target).text
    assert "What has to change" in text and "Reserve by material" not in text


def test_the_no_plan_message_fits_a_narrow_chart() -> None:
    painter = ReservePainter()
    message = "No plan: see the message above"
    painter.render(RenderRequest(1, 180, 180, 1.0, THEME, None, message))
    text = painter._message_text
    renderer = painter.canvas.get_renderer()
    box = text.get_window_extent(renderer)
    fig = painter.figure.bbox
    assert box.x0 >= fig.x0 - 0.5 and box.x1 <= fig.x1 + 0.5, (box, fig)
    assert painter.summary().message == message


def test_a_refused_percentage_speaks_percent_under_the_table(window: MainWindow,
                                                            qtbot) -> None:
    """170 in "Probability (%)" once said "must be between 0 and 1 (got 1.7)", in the
    status bar only."""
    window.central_tabs.setCurrentWidget(window.tables)
    window.tables.setCurrentIndex(2)
    model = window.tables.models["Scenarios"]
    view = window.tables.views["Scenarios"]
    col = next(c for c in range(model.columnCount()) if model.column(c).field == "probability")
    index = model.index(1, col)
    view.setCurrentIndex(index)
    with qtbot.waitSignal(model.edit_rejected, timeout=2000) as blocker:
        assert not model.setData(index, "170")
    message = blocker.args[0]
    assert "between 0 and 100 %" in message and "170 %" in message
    assert "0 and 1 " not in message and "1.7" not in message
    label = window.tables.refusals["Scenarios"]
    assert label.isVisible() and label.text() == message
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert message in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):  # an accepted edit clears it
        assert model.setData(index, "10")
    assert not label.isVisible()


def test_refusals_in_money_and_share_columns() -> None:
    budget = Column("Value", "annual_budget_usd", decimals=1, factor=1e-6)
    assert in_column_units("annual budget must be at least 0", budget,
                           "Annual budget ($M/yr)") == "annual budget must be at least 0 $M/yr"
    share = Column("Processed in\nChina (%)", "china_exposed_share", decimals=1, factor=100)
    assert in_column_units("share must be at most 1", share) == "share must be at most 100 %"
    price = Column("Price\n($/kg)", "price_usd_per_kg")
    assert in_column_units("price must be above 0", price) == "price must be above 0 $/kg"


def test_a_huge_horizon_does_not_take_the_series_table_down(window: MainWindow, qtbot) -> None:
    """A horizon of 2,000,000,000 months once raised MemoryError on the GUI thread."""
    model = window.tables.models["Yearly supply"]
    notices: list[str] = []
    model.notice.connect(notices.append)
    huge = replace(BASE, policy=replace(BASE.policy, horizon_months=2_000_000_000))
    window.document.edit(huge, "huge horizon")
    assert model.rowCount() == model.MAX_YEARS
    assert notices and f"{model.MAX_YEARS:,}" in notices[0]
    assert model.data(model.index(model.MAX_YEARS - 1, 0)) is not None
    window.solver.wait()


def test_a_memory_error_laying_out_a_table_is_caught(window: MainWindow, monkeypatch) -> None:
    model = window.tables.models["Yearly supply"]
    refusals: list[str] = []
    model.edit_rejected.connect(refusals.append)

    def no_memory(inputs):
        raise MemoryError

    monkeypatch.setattr(model, "_shape_of", no_memory)
    window.document.edit(replace(BASE, name="x"), "rename")
    assert model.rowCount() == 0 and model.columnCount() == 0
    assert refusals and "too large" in refusals[0]
    window.solver.wait()


def test_a_long_no_plan_message_keeps_the_window_on_the_screen(window: MainWindow,
                                                               qtbot) -> None:
    """Thirteen conflicts once made the window taller than a 768-pixel screen."""
    area = window.screen().availableGeometry()
    tight = replace(BASE, policy=replace(BASE.policy, min_cover_days=365,
                                         annual_budget_usd=10e6))
    with qtbot.waitSignal(window.plan_shown, timeout=30_000):
        window.document.edit(tight, "Tight limits")
    qtbot.wait(50)
    view = window.plan_view
    assert view.banner.isVisible() and view.banner.text().count("<li>") >= 5
    assert view.banner_box.height() <= view.fontMetrics().lineSpacing() * 10 + 16
    assert not view.table.isVisible()
    assert window.minimumSizeHint().height() <= area.height()
    assert window.frameGeometry().height() <= area.height()
