"""Charts of a Monte Carlo test of a plan (Qt-free; drawn by the report, and the window).

* :func:`draw_cost_histogram`: the distribution of total discounted cost over the paths,
  the plan against the status quo on the same paths, with each one's mean marked.
* :func:`draw_shortfall_exceedance`: per material, the share of paths whose shortfall over
  the horizon exceeds x tonnes (plan and status quo), one panel per material: tonnes of
  different materials are never put on one axis.

``*_figure`` wrappers make a print-size figure in :data:`~.style.PRINT_THEME`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from ..analysis.montecarlo import MonteCarloResult
from .style import (
    PRINT_THEME,
    Theme,
    compact,
    figure_title,
    new_figure,
    plain_text,
    prepare,
    style_axes,
    style_legend,
)

#: Bars of the cost histogram.
HISTOGRAM_BINS = 40


def cost_bins(mc: MonteCarloResult, bins: int = HISTOGRAM_BINS) -> np.ndarray:
    """Common bin edges of the plan's and the status quo's total cost [$M]: from the lower
    1st to the upper 99.5th percentile of both, so one extreme path does not squash the
    rest (the paths beyond fall into the end bins)."""
    both = np.concatenate([mc.plan_cost_usd, mc.status_quo_cost_usd]) / 1e6
    lo, hi = np.percentile(both, [1.0, 99.5]) if both.size else (0.0, 1.0)
    if not hi > lo:
        lo, hi = lo - 1.0, hi + 1.0
    return np.linspace(lo, hi, bins + 1)


def draw_cost_histogram(fig: Figure, theme: Theme, mc: MonteCarloResult) -> None:
    """Histogram of total cost [$M] per path, plan and status quo, with their means."""
    prepare(fig, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme, grid="y")
    edges = cost_bins(mc)
    for values, role, label in ((mc.status_quo_cost_usd, "without", "Status quo"),
                                (mc.plan_cost_usd, "with", "Plan")):
        x = np.clip(values / 1e6, edges[0], edges[-1])
        ax.hist(x, bins=edges, weights=np.full(x.size, 1.0 / max(x.size, 1)),
                color=theme.series[role], alpha=0.75 if role == "with" else 1.0,
                label=f"{label}: mean {plain_text(f'${values.mean() / 1e6:,.0f}M')}")
        ax.axvline(values.mean() / 1e6, color=theme.series[role], linewidth=1.2,
                   linestyle=(0, (4, 2)))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
    ax.set_xlabel(plain_text("Total cost of a path [$M], discounted"), fontsize=theme.font_pt)
    ax.set_ylabel("Share of paths", fontsize=theme.font_pt)
    legend = ax.legend(fontsize=theme.font_pt - 0.5, frameon=False, loc="upper right")
    style_legend(legend, theme)
    figure_title(fig, theme, f"Total cost over {mc.runs:,} paths: plan and status quo on "
                 "the same paths")


def share_label(p: float, _pos: object = None) -> str:
    """A share on a log axis as a percentage with the digits it needs: 100%, 1%, 0.01%."""
    return f"{p * 100:.4g}%"


def exceedance(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, ascending, and the share of paths above each, P(X > x) [0-1]
    (drawn as steps: the curve starts at the share of paths above the smallest value)."""
    v = np.asarray(values, dtype=float)
    x, counts = np.unique(v, return_counts=True)
    return x, 1.0 - np.cumsum(counts) / max(v.size, 1)


def shortfall_materials(mc: MonteCarloResult) -> list[str]:
    """Materials with some shortfall in some path (plan or status quo)."""
    return [m for i, m in enumerate(mc.material_names)
            if mc.status_quo_shortfall_t[:, i].max(initial=0.0) > 0
            or mc.plan_shortfall_t[:, i].max(initial=0.0) > 0]


def draw_shortfall_exceedance(fig: Figure, theme: Theme, mc: MonteCarloResult) -> None:
    """P(shortfall over the horizon > x) against x [t], per material, plan and status quo
    (log scale of the share, so the rare deep shortfalls stay visible)."""
    prepare(fig, theme)
    names = shortfall_materials(mc) or list(mc.material_names[:1])
    cols = 2 if len(names) > 1 else 1
    rows = math.ceil(len(names) / cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    floor = 1.0 / max(mc.runs, 1)
    for ax, name in zip(axes, names, strict=False):
        i = mc.material_names.index(name)
        style_axes(ax, theme, grid="both")
        for values, role, label in ((mc.status_quo_shortfall_t[:, i], "without", "Status quo"),
                                    (mc.plan_shortfall_t[:, i], "with", "Plan")):
            x, p = exceedance(values)
            keep = p > 0
            ax.step(x[keep], p[keep], where="post", color=theme.series[role], linewidth=1.4,
                    label=label)
        ax.set_yscale("log")
        ax.set_ylim(floor * 0.8, 1.05)
        ax.yaxis.set_major_formatter(FuncFormatter(share_label))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.xaxis.set_major_formatter(FuncFormatter(compact))
        # the panel's title names the material; a long label would run into the next panel
        ax.set_xlabel("Shortfall over the horizon [t]", fontsize=theme.font_pt)
        ax.set_title(plain_text(name), fontsize=theme.font_pt + 1, loc="left",
                     color=theme.text)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].set_ylabel("Share of paths above", fontsize=theme.font_pt)
    legend = axes[0].legend(fontsize=theme.font_pt - 0.5, frameon=False, loc="upper right")
    style_legend(legend, theme)
    figure_title(fig, theme, "How often the shortfall exceeds a level, per material")


def cost_histogram_figure(mc: MonteCarloResult, width_in: float = 6.5) -> Figure:
    """:func:`draw_cost_histogram` at print size."""
    fig = new_figure(width_in, 3.0)
    draw_cost_histogram(fig, PRINT_THEME, mc)
    return fig


def shortfall_exceedance_figure(mc: MonteCarloResult, width_in: float = 6.5) -> Figure:
    """:func:`draw_shortfall_exceedance` at print size (2.4 in per row of panels)."""
    n = max(1, len(shortfall_materials(mc)))
    rows = math.ceil(n / (2 if n > 1 else 1))
    fig = new_figure(width_in, 0.6 + 2.4 * rows)
    draw_shortfall_exceedance(fig, PRINT_THEME, mc)
    return fig
