"""The comparison's overlaid chart: each plan's reserve as it is built, one line per plan.

Qt-free (a chart definition ``draw(fig, theme, comparison)`` in the manner of
:mod:`reserve_planner.charts`, drawn by :class:`~.charts.FigureChart` off the GUI thread).
One panel per material, in tonnes of that material [t] (tonnes are never added across
materials): the starting stock plus the planned purchases month by month, before any
disruption, so where plans differ in size or pace the lines part.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..analysis.compare import Comparison
from ..charts.style import Theme, plain_text, prepare, style_axes, style_legend, thousands

#: Line styles that tell plans apart without colour (for print and colour-blind readers).
_DASHES = ("-", "--", "-.", ":")


def reserve_paths(comparison: Comparison) -> dict[str, list[tuple[str, np.ndarray, int]]]:
    """Per material, each plan's (name, stock [t] at the start of each month, start year):
    starting stock plus cumulative planned purchases. Plans without a plan are left out."""
    out: dict[str, list[tuple[str, np.ndarray, int]]] = {}
    for md in comparison.decisions:
        out[md.material] = []
    for plan in comparison.plans:
        r = plan.result
        if not r.status.has_plan:
            continue
        starting = {m.name: m.starting_stock_t for m in plan.inputs.materials}
        for m in r.materials:
            fill = np.asarray(m.fill_schedule_t, dtype=float)
            stock = starting.get(m.material, 0.0) + np.concatenate([[0.0], np.cumsum(fill)])
            out.setdefault(m.material, []).append((plan.name, stock, r.start_year))
    return out


def draw_reserve_built(fig: Figure, theme: Theme, comparison: Comparison) -> None:
    """The reserve each plan builds, per material (two panels a row), onto ``fig``."""
    prepare(fig, theme)
    paths = {m: p for m, p in reserve_paths(comparison).items() if p}
    font = theme.font_pt
    if not paths:
        fig.text(0.5, 0.5, "None of these plans could be made", ha="center", va="center",
                 color=theme.muted, fontsize=font + 1)
        return
    names = list(comparison.names)
    cycle = theme.series["cycle"]
    style = {n: (cycle[i % len(cycle)], _DASHES[i % len(_DASHES)]) for i, n in enumerate(names)}
    cols = min(2, len(paths))
    rows = -(-len(paths) // cols)
    axes = fig.subplots(rows, cols, squeeze=False)
    for i, (material, lines) in enumerate(paths.items()):
        ax = axes[i // cols][i % cols]
        style_axes(ax, theme)
        for name, stock, start_year in lines:
            years = start_year + np.arange(len(stock)) / 12.0
            colour, dash = style[name]
            ax.plot(years, stock, color=colour, linestyle=dash, linewidth=1.6,
                    label=plain_text(name))
        ax.set_title(plain_text(material), fontsize=font, color=theme.text, loc="left")
        ax.set_ylabel("Reserve [t]", fontsize=font)
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_ylim(bottom=0)
    for j in range(len(paths), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside lower center",
                        ncol=min(len(labels), 4), fontsize=font, frameon=False)
    style_legend(legend, theme)
    fig.suptitle("Reserve built by each plan (starting stock plus planned purchases, "
                 "before any disruption)", fontsize=font + 1, color=theme.text, x=0.01,
                 ha="left")
