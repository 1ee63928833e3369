"""Save a picture of the main window on the solved baseline (for the README and docs).

``python -m reserve_planner.gui.screenshot docs/screenshots/window-1366x768.png --size 1366x768``
(also ``--dark``; the default size is 1400x900). ``--tab analysis`` shows the Analysis tab
after running the sensitivity study (``--page tornado|breakevens|frontiers|sizes`` picks its
page; ``--page montecarlo`` runs the Monte Carlo test instead); ``--tab compare`` pins
the plan, a variant with a higher budget, and shows their comparison.

Without a display it renders offscreen on a virtual screen large enough for the window.
Settings are kept in a temporary folder, so the picture never depends on (or changes) the
user's saved window layout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def _virtual_screen(width: int, height: int) -> None:
    """Use the offscreen platform with a screen of exactly the given size (so the picture
    shows what fits on such a screen), unless a platform is chosen."""
    if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") \
            or os.environ.get("WAYLAND_DISPLAY"):
        return
    config = Path(tempfile.mkdtemp(prefix="rp-screen-")) / "offscreen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "virtual", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def save_screenshot(path: str | Path, width: int = 1400, height: int = 900,
                    dark: bool = False, tab: str = "plan", page: str = "tornado") -> Path:
    """Open the window on the article baseline, wait for the plan and charts, grab it."""
    _virtual_screen(width, height)
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
    from PySide6.QtGui import QColor, QPalette

    from .app import make_application
    from .charts import wait_for_chart_renders
    from .main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="rp-settings-"))
    app = make_application()
    if dark:
        palette = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2e"),
                             (QPalette.ColorRole.WindowText, "#e8eaed"),
                             (QPalette.ColorRole.Base, "#1e1e20"),
                             (QPalette.ColorRole.AlternateBase, "#28282b"),
                             (QPalette.ColorRole.Text, "#e8eaed"),
                             (QPalette.ColorRole.Button, "#3a3a3e"),
                             (QPalette.ColorRole.ButtonText, "#e8eaed"),
                             (QPalette.ColorRole.Highlight, "#3d7bd9")):
            palette.setColor(role, QColor(colour))
        app.setPalette(palette)
    window = MainWindow()
    window.resize(width, height)
    window.show()

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for_charts() -> None:
        """Until the plan is shown and every chart shows its image for it (charts render
        on their own thread, at the size the window has settled to)."""
        clock = QElapsedTimer()
        clock.start()
        view = window.plan_view
        while not (view.has_plan and view.charts_current) and clock.elapsed() < 30_000:
            settle(20)
        if not (view.has_plan and view.charts_current):
            raise TimeoutError("the plan or its charts did not appear within 30 s")

    wait_for_charts()
    settle(300)  # late layout changes (the dock fitting itself) may resize the charts
    wait_for_charts()
    clock = QElapsedTimer()
    clock.start()  # the near-optimal ranges come from a slower background pass
    while window.range_solver.is_busy and clock.elapsed() < 30_000:
        settle(50)
    settle(100)
    if tab == "analysis":
        _show_analysis(window, page, settle)
    elif tab == "compare":
        _show_compare(window, page, settle)
    elif tab == "tables":
        window.central_tabs.setCurrentWidget(window.tables)
        if page:  # a table by its tab title
            titles = [window.tables.tabText(i).lower() for i in range(window.tables.count())]
            title = next(t for t in window.tables.views if t.lower() == page)
            window.tables.setCurrentIndex(titles.index(page))
            settle(100)
            if page == "scenarios":  # past the start columns, to the episodes and notes
                bar = window.tables.views[title].horizontalScrollBar()
                bar.setValue(bar.maximum())
        settle(200)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise OSError(f"could not write {target}")
    window.document.undo_stack.setClean()
    window.close()
    window.solver.wait()
    window.range_solver.wait()
    wait_for_chart_renders()
    return target


def _wait(what, settle, timeout_ms: int = 120_000) -> None:
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    while not what() and clock.elapsed() < timeout_ms:
        settle(50)
    if not what():
        raise TimeoutError("the window did not get ready in time")


def _charts_current(charts) -> bool:
    return all(c.is_current for c in charts)


def _show_analysis(window, page: str, settle) -> None:
    """Run the study (one worker per core) and show ``page`` of the Analysis tab."""
    tab = window.analysis
    window.central_tabs.setCurrentWidget(tab)
    if page == "montecarlo":  # the Monte Carlo test alone: 2,000 futures
        sim = tab.simulation
        tab.pages.setCurrentWidget(sim)
        sim.run()
        _wait(lambda: sim.outcome is not None, settle)
        settle(300)
        _wait(lambda: _charts_current([sim.cost_chart, sim.shortfall_chart]), settle)
        settle(100)
        return
    tab.run()
    _wait(lambda: not tab.is_running and tab.study is not None, settle)
    pages = {"tornado": 0, "breakevens": 1, "frontiers": 2, "sizes": 3}
    tab.pages.setCurrentIndex(pages[page])
    settle(300)
    charts = {0: [tab.tornado_chart], 1: [], 2: [tab.risk_chart, tab.budget_chart],
              3: [tab.size_chart]}[pages[page]]
    _wait(lambda: _charts_current(charts), settle)
    settle(100)


def _show_compare(window, page: str, settle) -> None:
    """Pin the plan and the article's threatened 100% tariff, compare them, show ``page``
    (inputs, decisions, figures or chart)."""
    from dataclasses import replace

    doc = window.document
    window.pin_plan("Baseline")
    policy = doc.inputs.policy
    doc.edit(replace(doc.inputs, policy=replace(policy, tariff_share=1.0)),
             "Tariff threat")
    _wait(lambda: window.plan_view.outcome is not None
          and window.plan_view.outcome.inputs == doc.inputs, settle)
    window.pin_plan("100% tariff threat")
    view = window.compare_view
    window.central_tabs.setCurrentWidget(view)
    view.select_all()
    view.compare()
    _wait(lambda: view.comparison is not None, settle)
    pages = {"inputs": 0, "decisions": 1, "figures": 2, "chart": 3, "figchart": 4}
    view.pages.setCurrentIndex(pages.get(page, 0))
    settle(300)
    shown = view.pages.currentWidget()
    if shown in view.charts():
        _wait(lambda: _charts_current([shown]), settle)
    settle(100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="1400x900", help="WIDTHxHEIGHT (default 1400x900)")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--tab", choices=("plan", "tables", "analysis", "compare"),
                        default="plan", help="the tab to show (analysis: runs the study "
                        "first; compare: pins two plans and compares them)")
    parser.add_argument("--page", default="", choices=(
        "", "tornado", "breakevens", "frontiers", "sizes", "montecarlo", "inputs", "decisions",
        "figures", "chart", "figchart", "materials", "projects", "scenarios", "episodes"),
        help="the page of the Analysis tab (tornado, breakevens, frontiers, sizes, "
        "montecarlo), the Compare tab (inputs, decisions, figures, chart, figchart) or the "
        "Input tables tab (materials, projects, scenarios: scrolled to its last columns, "
        "episodes)")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    page = args.page or {"analysis": "tornado", "compare": "inputs"}.get(args.tab, "")
    print(save_screenshot(args.output, width, height, args.dark, args.tab, page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
