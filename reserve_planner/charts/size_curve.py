"""The reserve size curve: a material's objective against its pinned reserve size, with the
near-optimal range shaded (:mod:`reserve_planner.optimize.near_optimal`).

One small panel per material, the y axis the extra cost over the optimum [$M], so a flat
curve reads as flat: any size in the shaded band costs within the tolerance of the best.
``draw_size_curves`` draws onto a given figure in a theme (the window);
``size_curves_figure`` makes a print-size figure (the report).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure

from ..optimize.near_optimal import SizeCurve
from .style import PRINT_THEME, Theme, new_figure, plain_text, prepare, style_axes, style_legend

#: The near-optimal band in print: a light tint of the line colour.
BAND = PRINT_THEME.series["band"]


def _check(curves: Sequence[SizeCurve]) -> None:
    if not curves:
        raise ValueError("no size curves to draw: solve with near_optimal_tolerance set")


def draw_size_curves(fig: Figure, theme: Theme, curves: Sequence[SizeCurve]) -> None:
    """Objective against reserve size per material, near-optimal band shaded, onto ``fig``
    in ``theme`` (two panels a row)."""
    _check(curves)
    prepare(fig, theme)
    font = theme.font_pt
    cols = min(2, len(curves))
    rows = math.ceil(len(curves) / cols)
    axes = fig.subplots(rows, cols, squeeze=False)
    for i, curve in enumerate(curves):
        ax = axes[i // cols][i % cols]
        style_axes(ax, theme)
        xs = [p[0] for p in curve.points]
        ys = [(p[1] - curve.objective_usd) / 1e6 for p in curve.points]
        band = curve.tolerance * max(abs(curve.objective_usd), 1.0) / 1e6
        # An opaque tint, not alpha: some PNG consumers mishandle translucent fills.
        ax.axvspan(curve.low_t, curve.high_t, color=theme.series["band"], linewidth=0,
                   label=f"within {curve.tolerance:.0%} of the optimum")
        ax.axhline(band, color=theme.muted, linewidth=0.8, linestyle="--")
        ax.plot(xs, ys, color=theme.series["line"], linewidth=1.4, marker="o",
                markersize=2.5)
        ax.plot([curve.optimum_t], [0.0], marker="D", color=theme.series["chosen"],
                markersize=5, linestyle="none",
                label=plain_text(f"optimum {curve.optimum_t:,.0f} t"))
        ax.set_title(plain_text(curve.label()), fontsize=font, color=theme.text)
        ax.set_xlabel("Reserve [t]", fontsize=font)
        ax.set_ylabel(plain_text("Extra cost [$M]"), fontsize=font)
        top = max(max(ys, default=0.0), 2.0 * band)
        ax.set_ylim(-0.05 * top, min(top, 6.0 * band) * 1.05)
        if i == 0:
            legend = ax.legend(fontsize=font - 1, frameon=True, framealpha=1.0,
                               edgecolor="none", facecolor=theme.background, loc="best")
            style_legend(legend, theme)
    for j in range(len(curves), rows * cols):
        axes[j // cols][j % cols].set_visible(False)


def size_curves_figure(curves: Sequence[SizeCurve], width_in: float = 6.5) -> Figure:
    """Objective against reserve size per material, near-optimal band shaded, at print
    size in :data:`~.style.PRINT_THEME`.

    Parameters
    ----------
    curves : sequence of SizeCurve
        One per material (``MaterialPlan.near_optimal``); at least one.
    width_in : float
        Figure width [in]; the height follows the number of panels.
    """
    _check(curves)
    rows = math.ceil(len(curves) / min(2, len(curves)))
    fig = new_figure(width_in, 2.0 * rows + 0.3)
    draw_size_curves(fig, PRINT_THEME, curves)
    return fig
