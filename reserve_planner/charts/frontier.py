"""Frontier charts: expected cost against CVaR (risk weight swept) and shortage damage
avoided against the annual budget (budget swept), the chosen plan marked.

``draw_risk_frontier`` and ``draw_budget_frontier`` draw onto a given figure in a theme's
colours (the window); ``risk_frontier_figure`` and ``budget_frontier_figure`` make a figure
of print size and draw it in :data:`~.style.PRINT_THEME` (the report).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..analysis.frontier import Frontier
from .style import (
    PRINT_THEME,
    Theme,
    figure_title,
    new_figure,
    plain_text,
    prepare,
    style_axes,
    style_legend,
)


def _mark_chosen(ax, theme: Theme, x: float, y: float, text: str) -> None:
    colour = theme.series["chosen"]
    ax.plot([x], [y], marker="o", markersize=8, markerfacecolor="none",
            markeredgecolor=colour, markeredgewidth=1.5, linestyle="none",
            label="chosen plan", zorder=5)
    ax.annotate(plain_text(text), (x, y), xytext=(8, 8), textcoords="offset points",
                fontsize=theme.font_pt - 1, color=colour, annotation_clip=False)


def _label_points(ax, theme: Theme, x: np.ndarray, y: np.ndarray, values: np.ndarray,
                  min_px: float = 14.0) -> None:
    """Label each point with its swept value, skipping points within ``min_px`` pixels of
    one already labelled (labels never pile up on each other)."""
    ax.autoscale_view()
    xy = ax.transData.transform(np.column_stack([x, y])) if len(x) else np.empty((0, 2))
    placed: list[np.ndarray] = []
    for p, xi, yi, v in zip(xy, x, y, values, strict=True):
        if all(np.hypot(*(p - q)) >= min_px for q in placed):
            ax.annotate(f"{v:g}", (xi, yi), xytext=(4, -10), textcoords="offset points",
                        fontsize=theme.font_pt - 2, color=theme.muted)
            placed.append(p)


def _finish(ax, theme: Theme, xlabel: str, ylabel: str, title: str, loc: str) -> None:
    ax.set_xlabel(plain_text(xlabel), fontsize=theme.font_pt)
    ax.set_ylabel(plain_text(ylabel), fontsize=theme.font_pt)
    figure_title(ax.figure, theme, title)
    # room above and to the right of the points for the chosen plan's note
    ax.margins(x=0.08, y=0.12)
    # Points that (nearly) coincide would otherwise get an offset label like "1e-9+1.59e3".
    ax.ticklabel_format(axis="both", style="plain", useOffset=False)
    style_legend(ax.legend(fontsize=theme.font_pt - 1, frameon=False, loc=loc), theme)


def draw_risk_frontier(fig: Figure, theme: Theme, frontier: Frontier) -> None:
    """Expected cost [$M] against CVaR [$M], one point per risk weight, labelled, onto
    ``fig`` in ``theme``."""
    prepare(fig, theme)
    x = frontier.series("cvar_usd") / 1e6
    y = frontier.series("expected_cost_usd") / 1e6
    ok = np.isfinite(x) & np.isfinite(y)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    ax.plot(x[ok], y[ok], color=theme.series["line"], marker="o", markersize=3,
            linewidth=1.2, label="optimal plan at each risk weight")
    _label_points(ax, theme, x[ok], y[ok], frontier.values[ok])
    c = frontier.chosen
    _mark_chosen(ax, theme, c.outcome.cvar_usd / 1e6, c.outcome.expected_cost_usd / 1e6,
                 f"chosen (risk weight {c.value:g})")
    _finish(ax, theme, "CVaR of shortage damage [$M]", "Expected cost [$M]",
            "Risk against expected cost (labels: risk weight)", "best")


def draw_budget_frontier(fig: Figure, theme: Theme, frontier: Frontier) -> None:
    """Expected shortage damage avoided [$M] against the annual budget [$M/yr], onto
    ``fig`` in ``theme``."""
    prepare(fig, theme)
    x = frontier.values / 1e6
    y = frontier.series("shortage_avoided_usd") / 1e6
    ok = np.isfinite(y)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    ax.plot(x[ok], y[ok], color=theme.series["line"], marker="o", markersize=3,
            linewidth=1.2, label="optimal plan at each budget")
    c = frontier.chosen
    _mark_chosen(ax, theme, c.value / 1e6, c.outcome.shortage_avoided_usd / 1e6,
                 f"chosen (${c.value / 1e6:,.0f}M/yr)")
    _finish(ax, theme, "Annual budget for reserve purchases [$M/yr]",
            "Expected shortage damage avoided [$M]", "What more budget buys", "lower right")
    ax.set_xlim(left=0)


def risk_frontier_figure(frontier: Frontier, width_in: float = 6.5,
                         height_in: float = 3.6) -> Figure:
    """The risk frontier at print size (see :func:`draw_risk_frontier`)."""
    fig = new_figure(width_in, height_in)
    draw_risk_frontier(fig, PRINT_THEME, frontier)
    return fig


def budget_frontier_figure(frontier: Frontier, width_in: float = 6.5,
                           height_in: float = 3.6) -> Figure:
    """The budget frontier at print size (see :func:`draw_budget_frontier`)."""
    fig = new_figure(width_in, height_in)
    draw_budget_frontier(fig, PRINT_THEME, frontier)
    return fig
