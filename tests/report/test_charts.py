"""Charts: PNG bytes of print size, Agg only, no pyplot, safe in a worker thread."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from reserve_planner.report import charts


def _check(img: charts.ChartImage, min_height: int = 200):
    assert img.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(img.png[16:20], "big") == img.pixel_width
    assert int.from_bytes(img.png[20:24], "big") == img.pixel_height
    assert img.pixel_width == round(charts.CHART_WIDTH_MM / 25.4 * charts.CHART_DPI)
    assert min_height <= img.pixel_height <= 1400


def test_three_charts(baseline):
    _, result = baseline
    _check(charts.reserve_chart(result), 600)
    _check(charts.unmet_chart(result))
    _check(charts.cost_chart(result))


def test_reserve_chart_subsets_and_empty_stock(baseline):
    _, result = baseline
    _check(charts.reserve_chart(result, materials=(result.material_names[0],)))
    zero = tuple(replace(s, stock_t=np.zeros_like(s.stock_t)) for s in result.scenarios)
    _check(charts.reserve_chart(replace(result, scenarios=zero)))


def test_charts_in_worker_threads(baseline):
    _, result = baseline
    with ThreadPoolExecutor(max_workers=2) as pool:
        images = list(pool.map(lambda f: f(result), [charts.cost_chart, charts.unmet_chart]))
    assert all(img.png for img in images)


def test_scenario_label():
    assert charts.scenario_label(2, "Shock", 0.2) == "S2 Shock (20%)"
    assert charts.scenario_label(10, "Embargo", 0.0066667) == "S10 Embargo (0.67%)"
    assert charts.scenario_label(4, "Embargo", 0.0266667) == "S4 Embargo (2.7%)"


def test_no_pyplot_and_agg_only():
    code = (
        "import sys\n"
        "import reserve_planner.report.charts\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
