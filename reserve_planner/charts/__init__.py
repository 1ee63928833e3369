"""Qt-free chart definitions: results in, matplotlib figures (or table rows) out.

Every chart is a ``draw_*(fig, theme, *data)`` function that draws onto a given figure in a
:class:`~.style.Theme`; the window renders them on its chart thread (``gui.charts``), the
report at print size (``report.charts``). One palette and type size (:mod:`.style`); labels
from user data go through :func:`~.style.plain_text` so a ``$`` never starts mathtext.
"""

from .breakeven import Table, breakeven_table
from .families import family_colours, scenario_family, scenario_styles, short_label
from .frontier import (
    budget_frontier_figure,
    draw_budget_frontier,
    draw_risk_frontier,
    risk_frontier_figure,
)
from .plan_charts import draw_cost, draw_reserve, draw_unmet
from .size_curve import draw_size_curves, size_curves_figure
from .style import COLORS, PRINT_THEME, Theme, new_figure, plain_text, png_bytes
from .tornado import draw_tornado, tornado_figure

__all__ = ["COLORS", "PRINT_THEME", "Table", "Theme", "breakeven_table",
           "budget_frontier_figure", "draw_budget_frontier", "draw_cost", "draw_reserve",
           "draw_risk_frontier", "draw_size_curves", "draw_tornado", "draw_unmet",
           "family_colours", "new_figure", "plain_text", "png_bytes", "risk_frontier_figure",
           "scenario_family", "scenario_styles", "short_label", "size_curves_figure",
           "tornado_figure"]
