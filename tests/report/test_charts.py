"""Charts: PNG bytes of print size, Agg only, no pyplot, safe in a worker thread."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from reserve_planner.charts.plan_charts import per_input_scenario
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


def test_plain_text_never_starts_mathtext():
    from matplotlib import cbook

    for name in ["$\\foo$", "Cost $5 to $10", "a\\$b$", "$", "plain"]:
        escaped = charts.plain_text(name)
        assert not cbook.is_math_text(escaped), name
        # Non-math text: matplotlib shows "\$" as "$", so the name reads as typed.
        assert escaped.replace("\\$", "$") == name


def test_charts_draw_names_with_dollars_literally(baseline, monkeypatch):
    from matplotlib.text import Text

    _, result = baseline
    result = per_input_scenario(result)  # one outcome per input scenario, as charted
    material = "$\\foo$"
    scenarios = tuple(replace(s, name="Cost $5 to $10" if i == 1 else s.name)
                      for i, s in enumerate(result.scenarios))
    names = (material, *result.material_names[1:])
    odd = replace(result, scenarios=scenarios, material_names=names)
    # Each used to raise ValueError from mathtext ("$\foo$") or draw math italics.
    _check(charts.reserve_chart(odd), 600)
    _check(charts.unmet_chart(odd))
    drawn, families = [], set()
    orig = charts._png

    def spy(fig):
        image = orig(fig)  # drawn: every text, tick labels included, now exists
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        drawn.extend(t.get_text() for t in texts)
        families.update(t.get_fontfamily()[0] for t in texts)
        return image

    monkeypatch.setattr(charts, "_png", spy)
    charts.reserve_chart(odd)
    charts.unmet_chart(odd)
    assert families == {charts.FONT_FAMILY}
    assert charts.plain_text(material) in drawn
    assert any(charts.plain_text("Cost $5 to $10") in t for t in drawn)
