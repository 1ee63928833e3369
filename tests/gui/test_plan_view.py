"""The plan view: figures, charts, palettes, and plans that cannot be made."""

from __future__ import annotations

import html
import threading
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from reserve_planner.charts import draw_reserve
from reserve_planner.charts.style import PRINT_THEME
from reserve_planner.gui import formatting as fmt
from reserve_planner.gui.charts import (
    ChartTheme,
    ChartWidget,
    FigureChart,
    RenderRequest,
    ReservePainter,
    UnmetPainter,
    family_colours,
    pixel_size,
    short_label,
    wait_for_chart_renders,
)
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.io.baseline import load_article_baseline

BASE = load_article_baseline()


def test_headline_figures_on_the_baseline(window: MainWindow) -> None:
    texts = window.plan_view.figure_texts()
    assert texts["card/reserve"].startswith("$")
    assert "status quo" in texts["card/shortfall"]
    # dollars of shortage damage, never tonnes of oxide and magnets added together
    result = window.plan_view.result
    assert texts["card/shortfall"].startswith(
        f"{fmt.money(result.costs.shortage_usd)} | ")
    assert " t " not in texts["card/shortfall"] + " "
    result = window.plan_view.result
    bcr = texts["card/bcr"].split(" |")[0]
    # A ratio when the plan adds cost to the status quo; otherwise it says there is none.
    assert bcr.endswith("×") if result.incremental_cost_usd > 0 else bcr == "no net cost"
    assert "status quo" in texts["card/total"]
    result = window.plan_view.result
    assert any(m.floor.has_floor for m in result.materials)
    for m in result.materials:  # a floor, and the projects it brings online, or a dash
        floor = texts[f"{m.material}/Price floor ($/kg)"]
        projects = texts[f"{m.material}/Projects the floor brings online"]
        if m.floor.has_floor:
            assert floor == f"{m.floor.level_usd_per_kg:,.2f}"
            assert projects == "; ".join(p.name for p in m.floor.projects)
        else:
            assert floor == "–" and projects == "–"


def wait_for_charts(window: MainWindow, qtbot, timeout: int = 10_000) -> None:
    view = window.plan_view
    qtbot.waitUntil(lambda: view.has_plan and view.charts_current, timeout=timeout)


def show_each_chart(window: MainWindow, qtbot) -> None:
    """Bring each chart's tab to the front in turn until it shows its current image."""
    view = window.plan_view
    for chart in view.charts:
        view.chart_tabs.setCurrentWidget(chart)
        qtbot.waitUntil(lambda chart=chart: chart.is_current, timeout=10_000)
    view.chart_tabs.setCurrentIndex(0)


def test_charts_are_drawn_with_units(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    wait_for_charts(window, qtbot)
    show_each_chart(window, qtbot)
    for chart in view.charts:
        image = chart.shown.image
        # An image of the widget's size in device pixels, drawn for the newest request.
        assert not image.isNull()
        assert (image.width(), image.height()) == chart.target_size() == pixel_size(
            chart.width(), chart.height(), chart.devicePixelRatioF())
        assert image.devicePixelRatio() == chart.devicePixelRatioF()
        assert chart.shown.request.data is not None
        assert chart.accessibleDescription() == chart.shown.summary.title
    assert view.reserve_chart.shown.summary.ylabel == "Reserve stock [t]"
    assert view.unmet_chart.shown.summary.title.endswith("[t]")
    assert view.cost_chart.shown.summary.xlabel.startswith("$M")
    assert view.reserve_chart.shown.summary.lines == len(BASE.scenarios) + 1  # + target line
    # Not a blank image: the plot has many colours, the background is the palette's.
    image = view.reserve_chart.shown.image
    assert image.pixelColor(2, 2).name() == view.reserve_chart.theme().background
    colours = {image.pixelColor(x, y).rgb() for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert len(colours) > 20


def test_charts_render_off_the_gui_thread(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    wait_for_charts(window, qtbot)
    show_each_chart(window, qtbot)
    gui = threading.get_ident()
    assert {c.shown.summary.thread_id for c in view.charts} - {gui}
    assert gui not in {c.shown.summary.thread_id for c in view.charts}
    seen: list[int] = []
    for chart in view.charts:
        real = chart.painter.render

        def recording(request, real=real):
            seen.append(threading.get_ident())
            return real(request)

        chart.painter.render = recording
    view.material_box.setCurrentText("Dy oxide")
    show_each_chart(window, qtbot)
    assert len(seen) >= 3 and gui not in seen


def test_switching_material_redraws_the_charts(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    wait_for_charts(window, qtbot)
    count = view.reserve_chart.image_count
    with qtbot.waitSignal(view.reserve_chart.rendered, timeout=10_000):
        view.material_box.setCurrentText("NdFeB magnets")
    assert view.reserve_chart.image_count > count
    assert view.reserve_chart.shown.summary.title.startswith("NdFeB magnets")


def test_hidden_charts_wait_until_shown(window: MainWindow, qtbot) -> None:
    wait_for_charts(window, qtbot)
    window.central_tabs.setCurrentWidget(window.tables)
    chart = window.plan_view.reserve_chart
    qtbot.waitUntil(lambda: not chart.isVisible(), timeout=2000)
    images, renders = chart.image_count, chart.painter.render_count
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["tariff_share"].spin.setValue(50)
    qtbot.wait(100)
    assert wait_for_chart_renders(10_000)
    assert chart.painter.render_count == renders and chart.image_count == images
    assert not chart.is_current
    window.central_tabs.setCurrentWidget(window.plan_view)
    qtbot.waitUntil(lambda: chart.is_current, timeout=10_000)
    assert chart.image_count == images + 1
    assert chart.shown.request.data[1] is window.plan_view.result


def test_a_resize_scales_the_old_image_then_renders_at_the_new_size(
        window: MainWindow, qtbot) -> None:
    wait_for_charts(window, qtbot)
    chart = window.plan_view.reserve_chart
    chart.RESIZE_DELAY_MS = 600  # long enough to see the stretched image on a busy machine
    old = chart.shown
    window.resize(window.width() + 160, window.height() + 90)
    qtbot.waitUntil(lambda: chart.target_size() != old.request.pixel_size, timeout=2000)
    assert chart.shown is old and not chart.is_current  # stretched until the new render
    chart.grab()  # paints the stretched image without error
    qtbot.waitUntil(lambda: chart.is_current, timeout=10_000)
    assert (chart.shown.image.width(), chart.shown.image.height()) == chart.target_size()


class Gate:
    """Holds a painter's renders until released, to make races happen on purpose."""

    def __init__(self, chart: ChartWidget):
        self.entered = threading.Event()
        self.release = threading.Event()
        self.requests: list[RenderRequest] = []
        real = chart.painter.render

        def gated(request: RenderRequest):
            self.requests.append(request)
            self.entered.set()
            assert self.release.wait(20)
            return real(request)

        chart.painter.render = gated


def test_stale_renders_are_dropped(window: MainWindow, qtbot) -> None:
    view = window.plan_view
    wait_for_charts(window, qtbot)
    chart = view.unmet_chart
    view.chart_tabs.setCurrentWidget(chart)
    qtbot.waitUntil(lambda: chart.is_current, timeout=10_000)
    gate = Gate(chart)
    shown, dropped = chart.image_count, chart.dropped
    view.material_box.setCurrentText("Dy oxide")  # starts rendering, held by the gate
    assert gate.entered.wait(10)
    view.material_box.setCurrentText("Tb oxide")  # waits in the mailbox ...
    view.material_box.setCurrentText("NdFeB magnets")  # ... and is replaced by this one
    gate.release.set()
    qtbot.waitUntil(lambda: chart.is_current, timeout=10_000)
    assert wait_for_chart_renders(10_000)
    qtbot.wait(50)
    # Dy oxide was rendered but superseded, Tb oxide never rendered, NdFeB magnets shown.
    assert [r.data[2] for r in gate.requests] == ["Dy oxide", "NdFeB magnets"]
    assert chart.dropped == dropped + 1 and chart.image_count == shown + 1
    assert chart.shown.summary.title.startswith("NdFeB magnets")


def test_an_image_of_the_wrong_size_is_dropped(window: MainWindow, qtbot) -> None:
    wait_for_charts(window, qtbot)
    chart = window.plan_view.reserve_chart
    current = chart.shown
    wrong = replace(current, request=replace(current.request, width=current.request.width + 7))
    count = chart.image_count
    chart._on_rendered(wrong)
    assert chart.shown is current and chart.image_count == count


def test_closing_the_window_while_a_chart_renders(qtbot) -> None:
    w = MainWindow(solve_delay_ms=20)
    with qtbot.waitSignal(w.plan_shown, timeout=20_000):
        w.show()
    qtbot.waitUntil(lambda: w.plan_view.charts_current, timeout=10_000)
    gate = Gate(w.plan_view.reserve_chart)
    w.plan_view.material_box.setCurrentText("Dy oxide")
    assert gate.entered.wait(10)
    w.document.undo_stack.setClean()
    w.close()
    w.solver.shutdown()
    w.deleteLater()
    qtbot.wait(20)  # the window is gone while the render still runs
    gate.release.set()
    assert wait_for_chart_renders(10_000)
    qtbot.wait(20)  # its image is delivered to nobody


def test_painter_renders_device_pixels_without_qt_widgets(window: MainWindow) -> None:
    theme = ChartTheme.from_palette(QPalette(QColor("#ffffff")))
    outcome = window.plan_view.outcome
    painter = ReservePainter()
    for dpr in (1.0, 1.25, 2.0):
        rgba = painter.render(RenderRequest(1, 301, 203, dpr, theme,
                                            (outcome.inputs, outcome.result, "Tb oxide")))
        assert rgba.shape == (*pixel_size(301, 203, dpr)[::-1], 4) and rgba.dtype == np.uint8
    assert painter.summary().title.startswith("Tb oxide")
    empty = UnmetPainter().render(RenderRequest(1, 200, 150, 1.0, theme, None, "Nothing"))
    assert tuple(empty[0, 0, :3]) == (255, 255, 255)
    assert len(np.unique(empty.reshape(-1, 4), axis=0)) > 2  # the message is drawn


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
    view = window.plan_view
    wait_for_charts(window, qtbot)
    show_each_chart(window, qtbot)
    counts = [c.image_count for c in view.charts]
    try:
        app.setPalette(dark_palette())  # reaches the widgets through posted events
        for chart in view.charts:  # a hidden chart renders in the new colours when shown
            view.chart_tabs.setCurrentWidget(chart)
            qtbot.waitUntil(lambda chart=chart: chart.is_current
                            and chart.shown.request.theme.dark, timeout=10_000)
        view.chart_tabs.setCurrentIndex(0)
        for chart, count in zip(view.charts, counts, strict=True):
            assert chart.image_count > count  # a palette change renders again
            theme = chart.shown.request.theme
            assert theme.dark and theme.text == "#e8eaed" and theme == chart.theme()
            assert chart.shown.image.pixelColor(2, 2).name() == "#1b1b1d"
    finally:
        app.setPalette(old)
    qtbot.waitUntil(lambda: view.charts_current and not view.reserve_chart.shown.request.theme.dark,
                    timeout=10_000)
    assert view.reserve_chart.shown.image.pixelColor(2, 2).name() != "#1b1b1d"


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
    # The report of why there is no plan can still be printed and exported (as the CLI).
    assert window.act_pdf.isEnabled() and window.act_print.isEnabled()
    assert window.act_preview.isEnabled()
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


def test_near_optimal_ranges_arrive_after_the_plan(window: MainWindow, qtbot) -> None:
    # A slower background pass fills the column for the plan on screen.
    view = window.plan_view
    qtbot.waitUntil(lambda: view.has_plan, timeout=10_000)
    qtbot.waitUntil(lambda: all(
        "…" not in view.figure_texts()[f"{m.material}/Near- optimal (t)"]
        for m in view.result.materials), timeout=30_000)
    window.range_solver.wait()
    texts = view.figure_texts()
    for m in view.result.materials:
        low, high = texts[f"{m.material}/Near- optimal (t)"].rstrip("+").split("–")
        assert float(low.replace(",", "")) <= m.reserve_target_t + 1.0
        assert float(high.replace(",", "")) >= m.reserve_target_t - 1.0


def test_the_window_and_the_report_draw_the_same_definition(window: MainWindow) -> None:
    """The painter's figure and the shared definition at print size: the same lines in
    the same colours and styles, the same titles and legend."""
    outcome = window.plan_view.outcome
    light = ChartTheme.from_palette(QPalette(QColor("#ffffff")))
    painter = ReservePainter()
    painter.render(RenderRequest(1, 1170, 520, 1.0, light,
                                 (outcome.inputs, outcome.result, "Dy oxide")))
    from reserve_planner.charts.style import new_figure

    fig = new_figure(6.5, 3.4)
    draw_reserve(fig, PRINT_THEME, outcome.result, "Dy oxide", outcome.inputs)

    def lines(f):
        # the target line is in each theme's muted text colour; the scenarios' colours
        # come from the one palette
        return sorted((line.get_gid(), "" if line.get_gid() == "target" else line.get_color(),
                       str(line._unscaled_dash_pattern)) for line in f.axes[0].lines)

    def texts(f):
        legend = f.legends[0]
        return (f._suptitle.get_text(), f.axes[0].get_ylabel(),
                [t.get_text() for t in legend.get_texts()])

    assert lines(painter.figure) == lines(fig)
    assert texts(painter.figure) == texts(fig)
    assert len(lines(fig)) == len(BASE.scenarios) + 1


def test_a_figure_chart_shows_any_definition(qtbot) -> None:
    calls = []

    def draw_bars(fig, theme, values, title="Bars"):
        calls.append(threading.get_ident())
        from reserve_planner.charts.style import prepare, style_axes

        prepare(fig, theme)
        ax = fig.add_subplot()
        style_axes(ax, theme)
        ax.bar(range(len(values)), values, color=theme.series["line"])
        ax.set_title(title, loc="left", color=theme.text)
        ax.set_xlabel("Item [-]")

    def draw_line(fig, theme, ys):
        fig.clear()
        ax = fig.add_subplot()
        ax.plot(ys)
        ax.set_title("A line")

    chart = FigureChart(draw_bars, "Test bars", message="Nothing yet")
    qtbot.addWidget(chart)
    chart.resize(400, 260)
    assert chart.accessibleName() == "Test bars"
    chart.show()
    qtbot.waitUntil(lambda: chart.is_current, timeout=10_000)
    assert chart.shown.summary.message == "Nothing yet"
    with qtbot.waitSignal(chart.rendered, timeout=10_000):
        chart.set_data([3, 1, 2], "Three bars")
    assert chart.shown.summary.title == "Three bars"
    assert chart.shown.summary.xlabel == "Item [-]"
    assert threading.get_ident() not in calls  # drawn on the chart thread
    with qtbot.waitSignal(chart.rendered, timeout=10_000):
        chart.show_chart(draw_line, [1, 2, 3])
    assert chart.shown.summary.title == "A line" and chart.shown.summary.lines == 1
    assert chart.draw is draw_line
    def draw_nothing(fig, theme, curves):
        raise ValueError(f"no size curves among {len(curves)}")

    with qtbot.waitSignal(chart.rendered, timeout=10_000):  # said in the chart, not lost
        chart.show_chart(draw_nothing, [])
    assert chart.shown.summary.message == "This chart could not be drawn: no size curves among 0"
    with pytest.raises(ValueError, match="no chart definition"):
        FigureChart().set_data(1)
    assert wait_for_chart_renders(10_000)


def test_the_solves_input_warnings_are_shown(window: MainWindow) -> None:
    """Inputs that solve but look inconsistent (the solve's warnings) are counted beside the
    plan and readable in full on hover; a plan without warnings says nothing of them."""
    result = window.plan_view.result
    summary = window.plan_view.summary
    if result.warnings:
        n = len(result.warnings)
        assert f"{n} input warning" in summary.text()
        assert all(html.escape(w.split()[0], quote=False) in summary.toolTip()
                   for w in result.warnings)
    else:
        assert "warning" not in summary.text() and "warning" not in summary.toolTip()
    clean = replace(result, warnings=())
    window.plan_view._show_plan(window.plan_view.outcome.inputs, clean)
    # without warnings the tooltip only explains the calm path and lists the refills
    assert "warning" not in summary.text() and "4x" not in summary.toolTip()
    assert "calm-path target" in summary.toolTip()
    staged = [s for s in result.by_input_scenario().scenarios
              if s.refill_t is not None and s.refill_t.sum() > 0.05]
    assert staged and all(html.escape(f"Refills in '{s.name}'", quote=False)
                          in summary.toolTip() for s in staged)
    window.plan_view._show_plan(window.plan_view.outcome.inputs,
                                replace(result, warnings=("Tb oxide: 4x <is> not 100x",)))
    assert "1 input warning (hover" in summary.text()
    assert "4x &lt;is&gt; not 100x" in summary.toolTip()
