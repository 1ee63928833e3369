"""The reserve size curve: a material's objective against its pinned reserve size, with the
near-optimal range shaded (:mod:`reserve_planner.optimize.near_optimal`).

One small panel per material, the y axis the extra cost over the optimum [$M], so a flat
curve reads as flat: any size in the shaded band costs within the tolerance of the best.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure

from ..optimize.near_optimal import SizeCurve
from .style import COLORS, FONT_PT, new_figure, plain_text, style_axes

BAND = "#dbe8f5"  # the near-optimal band: a light tint of the "low" blue


def size_curves_figure(curves: Sequence[SizeCurve], width_in: float = 6.5) -> Figure:
    """Objective against reserve size per material, near-optimal band shaded.

    Parameters
    ----------
    curves : sequence of SizeCurve
        One per material (``MaterialPlan.near_optimal``); at least one.
    width_in : float
        Figure width [in]; the height follows the number of panels.
    """
    if not curves:
        raise ValueError("no size curves to draw: solve with near_optimal_tolerance set")
    cols = min(2, len(curves))
    rows = math.ceil(len(curves) / cols)
    fig = new_figure(width_in, 2.0 * rows + 0.3)
    axes = fig.subplots(rows, cols, squeeze=False)
    for i, curve in enumerate(curves):
        ax = axes[i // cols][i % cols]
        style_axes(ax)
        xs = [p[0] for p in curve.points]
        ys = [(p[1] - curve.objective_usd) / 1e6 for p in curve.points]
        band = curve.tolerance * max(abs(curve.objective_usd), 1.0) / 1e6
        # An opaque tint, not alpha: some PNG consumers mishandle translucent fills.
        ax.axvspan(curve.low_t, curve.high_t, color=BAND, linewidth=0,
                   label=f"within {curve.tolerance:.0%} of the optimum")
        ax.axhline(band, color=COLORS["muted"], linewidth=0.8, linestyle="--")
        ax.plot(xs, ys, color=COLORS["line"], linewidth=1.4, marker="o", markersize=2.5)
        ax.plot([curve.optimum_t], [0.0], marker="D", color=COLORS["chosen"], markersize=5,
                linestyle="none", label=plain_text(f"optimum {curve.optimum_t:,.0f} t"))
        ax.set_title(plain_text(curve.label()), fontsize=FONT_PT)
        ax.set_xlabel("Reserve [t]", fontsize=FONT_PT)
        ax.set_ylabel(plain_text("Extra cost [$M]"), fontsize=FONT_PT)
        top = max(max(ys, default=0.0), 2.0 * band)
        ax.set_ylim(-0.05 * top, min(top, 6.0 * band) * 1.05)
        if i == 0:
            ax.legend(fontsize=FONT_PT - 1, frameon=True, framealpha=1.0, edgecolor="none",
                      loc="best")
    for j in range(len(curves), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    return fig
