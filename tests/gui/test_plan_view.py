"""The plan view: figures, charts, palettes, and plans that cannot be made."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.colors import to_hex
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from reserve_planner.gui.charts import ChartTheme, family_colours, short_label
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.io.baseline import load_article_baseline

BASE = load_article_baseline()


def test_headline_figures_on_the_baseline(window: MainWindow) -> None:
    texts = window.plan_view.figure_texts()
    assert texts["card/reserve"].startswith("$")
    assert "without" in texts["card/shortfall"]
    assert texts["card/bcr"].split(" |")[0].endswith("×")
    assert texts["NdPr oxide/Price floor ($/kg)"] != "–"
    assert texts["NdPr oxide/Projects the floor brings online"] != "–"
    assert texts["Tb oxide/Projects the floor brings online"] == "–"


def test_charts_are_drawn_with_units(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    qtbot.waitUntil(lambda: all(c._data is not None and not c._stale for c in view.charts)
                    and not view._chart_queue, timeout=10_000)
    assert view.reserve_chart.ax.get_ylabel() == "Reserve stock (t)"
    assert "(t)" in view.unmet_chart.figure._suptitle.get_text()
    assert view.cost_chart.ax.get_xlabel().startswith("$M")
    assert len(view.reserve_chart.ax.lines) == len(BASE.scenarios) + 1  # + the target line


def test_switching_material_redraws_the_charts(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    count = view.reserve_chart.draw_count
    view.material_box.setCurrentText("NdFeB magnets")
    qtbot.waitUntil(lambda: view.reserve_chart.draw_count > count, timeout=10_000)
    assert view.reserve_chart.figure._suptitle.get_text().startswith("NdFeB magnets")


def test_hidden_charts_wait_until_shown(window: MainWindow, qtbot) -> None:
    window.central_tabs.setCurrentWidget(window.tables)
    chart = window.plan_view.reserve_chart
    qtbot.waitUntil(lambda: not chart.isVisible(), timeout=2000)
    count = chart.draw_count
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["tariff_share"].spin.setValue(50)
    qtbot.wait(100)
    assert chart.draw_count == count and chart._stale
    window.central_tabs.setCurrentWidget(window.plan_view)
    qtbot.waitUntil(lambda: chart.draw_count > count, timeout=10_000)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.Text, "#e8eaed"),
                         (QPalette.ColorRole.WindowText, "#e8eaed")):
        palette.setColor(role, QColor(colour))
    return palette


def test_charts_follow_a_dark_palette(window: MainWindow, qtbot) -> None:
    app = QApplication.instance()
    old = app.palette()
    chart = window.plan_view.reserve_chart
    try:
        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: to_hex(chart.figure.get_facecolor()) == "#1b1b1d",
                        timeout=5000)
        theme = chart.theme()
        assert theme.dark and theme.text == "#e8eaed"
        assert to_hex(chart.ax.yaxis.label.get_color()) == "#e8eaed"
    finally:
        app.setPalette(old)
    qtbot.waitUntil(lambda: not chart.theme().dark, timeout=5000)


def test_theme_and_colours() -> None:
    light = ChartTheme.from_palette(QPalette(QColor("#ffffff")))
    assert not light.dark
    colours = family_colours(BASE, light)
    assert colours["Full embargo"] == light.series["embargo"]
    assert colours["No disruption"] == light.series["calm"]
    assert len(set(colours.values())) == len(colours)  # every family its own colour
    assert short_label("Full embargo, 24 months, from 2034") == "Embargo, 24 mo, 2034"
    assert short_label("Floor payouts (net of upside)") == "Floor payouts"


def test_an_infeasible_plan_says_which_limits_conflict(window: MainWindow, qtbot) -> None:
    tight = replace(BASE, policy=replace(BASE.policy, min_cover_days=365,
                                         annual_budget_usd=10e6))
    with qtbot.waitSignal(window.plan_shown, timeout=30_000):
        window.document.edit(tight, "Tight limits")
    banner = window.plan_view.banner
    assert banner.isVisible()
    assert "These limits conflict" in banner.text() and "budget would need" in banner.text()
    assert window.status_label.text().startswith("No plan meets all the limits")
    assert "annual budget" in window.status_label.text()
    assert window.plan_view.figure_texts()["card/reserve"].startswith("– |")
    assert not window.act_pdf.isEnabled() and not window.act_print.isEnabled()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.act_undo.trigger()
    assert not banner.isVisible() and window.act_pdf.isEnabled()


def test_invalid_inputs_are_listed_not_raised(window: MainWindow, qtbot) -> None:
    bad = replace(BASE, policy=replace(BASE.policy, horizon_months=1))
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.document.edit(bad, "Bad horizon")
    assert "horizon must be at least 2" in window.plan_view.banner.text()
    assert window.status_label.text().startswith("The inputs have problems")


@pytest.mark.parametrize("key", ["probability_scale", "depth_scale"])
def test_slider_rows_are_keyboard_reachable(window: MainWindow, key: str) -> None:
    row = window.assumptions.rows[key]
    assert row.label.buddy() is row.slider
    assert row.slider.focusPolicy() & row.slider.focusPolicy().TabFocus
    assert row.slider.accessibleName() and row.spin.accessibleName()


def test_a_slow_solve_shows_the_busy_indicator(window: MainWindow, qtbot,
                                               monkeypatch) -> None:
    import time

    from reserve_planner.gui import solver_worker

    real_solve = solver_worker.solve

    def slow(inputs, options):
        time.sleep(0.6)
        return real_solve(inputs, options)

    monkeypatch.setattr(solver_worker, "solve", slow)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["risk_aversion"].spin.setValue(0.5)
        qtbot.waitUntil(window.busy.isVisible, timeout=5000)
        assert window.status_label.text() == "Solving…"
    assert not window.busy.isVisible()
    assert window.status_label.text() == "Optimal plan found"
