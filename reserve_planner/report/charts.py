"""The report's charts as PNG bytes: the shared definitions of :mod:`reserve_planner.charts`
drawn at print size.

Each function makes a figure ``CHART_WIDTH_MM`` wide at ``CHART_DPI`` pixels per inch, has
the same definition the window draws (:mod:`reserve_planner.charts.plan_charts`) draw onto
it in :data:`~reserve_planner.charts.style.PRINT_THEME` (8-point type, so printed at
:data:`CHART_WIDTH_MM` its text is 8 points), and encodes it. No pyplot state is touched,
so the functions are safe to call from a worker thread while a window runs.

All chart text is set in :data:`FONT_FAMILY` (the DejaVu Sans that ships with matplotlib,
the same family the Qt report renderer loads), named explicitly rather than taken from the
machine's defaults. Names from the inputs pass through :func:`plain_text` so a ``$`` never
starts matplotlib's mathtext.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure as MplFigure
from matplotlib.text import Text
from PIL import Image

from ..charts.plan_charts import (
    draw_cost,
    draw_reserve,
    draw_unmet,
    per_input_scenario,
    probability_text,
    unmet_rows,
)
from ..charts.style import FONT_FAMILY, PRINT_THEME, new_figure, plain_text
from ..model import PlanInputs
from ..optimize import PlanResult

__all__ = ["CHART_DPI", "CHART_WIDTH_MM", "ChartImage", "FONT_FAMILY", "cost_chart",
           "plain_text", "reserve_chart", "scenario_label", "unmet_chart"]

CHART_DPI = 150
CHART_WIDTH_MM = 165.0
_WIDTH_IN = CHART_WIDTH_MM / 25.4


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart: PNG bytes and its size in pixels."""

    png: bytes
    pixel_width: int
    pixel_height: int


def _new_figure(height_in: float) -> MplFigure:
    return new_figure(_WIDTH_IN, height_in, dpi=CHART_DPI)


def _png(fig: MplFigure) -> ChartImage:
    """Draw ``fig`` and encode it as PNG (fast zlib level: the PDF recompresses it)."""
    canvas = fig.canvas
    for text in fig.findobj(Text):
        text.set_fontfamily(FONT_FAMILY)
    canvas.draw()
    width, height = (int(v) for v in canvas.get_width_height(physical=True))
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
        .convert("RGB").save(buf, format="png", compress_level=1)
    return ChartImage(buf.getvalue(), width, height)


def scenario_label(number: int, name: str, probability: float) -> str:
    """``"S2 Name (20%)"``: S2 is the scenario's number in the report's tables."""
    return f"S{number} {name} ({probability_text(probability)})"


def _panel_rows(n: int) -> int:
    return math.ceil(n / (1 if n == 1 else 2))


def reserve_chart(result: PlanResult, materials: Sequence[str] | None = None,
                  inputs: PlanInputs | None = None) -> ChartImage:
    """Reserve stock at the start of each month in every scenario, one panel per material
    in tonnes of that material [t] (:func:`~reserve_planner.charts.plan_charts.draw_reserve`).

    ``materials`` picks the panels (default all, at most four fit a page); ``inputs``, when
    given, classifies the scenarios for their colours (else their names do).
    """
    names = list(materials if materials is not None else result.material_names)
    rows = _panel_rows(max(len(names), 1))
    legend_rows = math.ceil(len(per_input_scenario(result).scenarios) / 2)
    fig = _new_figure(2.3 * rows + 0.35 + 0.15 * legend_rows)  # a note under each panel
    draw_reserve(fig, PRINT_THEME, result, names, inputs)
    return _png(fig)


def unmet_chart(result: PlanResult, materials: Sequence[str] | None = None) -> ChartImage:
    """Unmet demand over the horizon in each scenario with and without the plan, one panel
    per material in tonnes of that material [t] (never added across materials), as
    horizontal bars (:func:`~reserve_planner.charts.plan_charts.draw_unmet`)."""
    names = list(materials if materials is not None else result.material_names)
    bars = len(unmet_rows(per_input_scenario(result), names))
    rows = _panel_rows(max(len(names), 1))
    fig = _new_figure(rows * (0.75 + 0.2 * bars) + 0.35)
    draw_unmet(fig, PRINT_THEME, result, names)
    return _png(fig)


def cost_chart(result: PlanResult) -> ChartImage:
    """Expected discounted cost by term and the total [$M]; credits point left
    (:func:`~reserve_planner.charts.plan_charts.draw_cost`)."""
    if result.costs is None:
        raise ValueError("cost_chart needs a result with a plan")
    fig = _new_figure(0.75 + 0.27 * (len(result.costs.items()) + 1))
    draw_cost(fig, PRINT_THEME, result)
    return _png(fig)
