"""Qt-free chart definitions: analysis results in, matplotlib figures (or table rows) out.

One palette and type size (:mod:`.style`); labels from user data go through
:func:`~.style.plain_text` so a ``$`` never starts mathtext.
"""

from .breakeven import Table, breakeven_table
from .frontier import budget_frontier_figure, risk_frontier_figure
from .style import COLORS, plain_text, png_bytes
from .tornado import tornado_figure

__all__ = ["COLORS", "Table", "breakeven_table", "budget_frontier_figure", "plain_text",
           "png_bytes", "risk_frontier_figure", "tornado_figure"]
