"""Frontier charts: expected cost against CVaR (risk weight swept) and shortage damage
avoided against the annual budget (budget swept), the chosen plan marked."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..analysis.frontier import Frontier
from .style import COLORS, FONT_PT, new_figure, plain_text, style_axes


def _mark_chosen(ax, x: float, y: float, text: str) -> None:
    ax.plot([x], [y], marker="o", markersize=8, markerfacecolor="none",
            markeredgecolor=COLORS["chosen"], markeredgewidth=1.5, linestyle="none",
            label="chosen plan", zorder=5)
    ax.annotate(plain_text(text), (x, y), xytext=(8, 8), textcoords="offset points",
                fontsize=FONT_PT - 1, color=COLORS["chosen"])


def _label_points(ax, x: np.ndarray, y: np.ndarray, values: np.ndarray,
                  min_px: float = 14.0) -> None:
    """Label each point with its swept value, skipping points within ``min_px`` pixels of
    one already labelled (labels never pile up on each other)."""
    ax.autoscale_view()
    xy = ax.transData.transform(np.column_stack([x, y])) if len(x) else np.empty((0, 2))
    placed: list[np.ndarray] = []
    for p, xi, yi, v in zip(xy, x, y, values, strict=True):
        if all(np.hypot(*(p - q)) >= min_px for q in placed):
            ax.annotate(f"{v:g}", (xi, yi), xytext=(4, -10), textcoords="offset points",
                        fontsize=FONT_PT - 2, color=COLORS["muted"])
            placed.append(p)


def risk_frontier_figure(frontier: Frontier, width_in: float = 6.5,
                         height_in: float = 3.6) -> Figure:
    """Expected cost [$M] against CVaR [$M], one point per risk weight, labelled."""
    x = frontier.series("cvar_usd") / 1e6
    y = frontier.series("expected_cost_usd") / 1e6
    ok = np.isfinite(x) & np.isfinite(y)
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    style_axes(ax)
    ax.plot(x[ok], y[ok], color=COLORS["line"], marker="o", markersize=3, linewidth=1.2,
            label="optimal plan at each risk weight")
    _label_points(ax, x[ok], y[ok], frontier.values[ok])
    c = frontier.chosen
    _mark_chosen(ax, c.outcome.cvar_usd / 1e6, c.outcome.expected_cost_usd / 1e6,
                 f"chosen (risk weight {c.value:g})")
    ax.set_xlabel(plain_text("CVaR of shortage damage [$M]"), fontsize=FONT_PT)
    ax.set_ylabel(plain_text("Expected cost [$M]"), fontsize=FONT_PT)
    ax.set_title("Risk against expected cost (labels: risk weight)", fontsize=FONT_PT + 1,
                 loc="left")
    ax.legend(fontsize=FONT_PT - 1, frameon=False, loc="best")
    return fig


def budget_frontier_figure(frontier: Frontier, width_in: float = 6.5,
                           height_in: float = 3.6) -> Figure:
    """Expected shortage damage avoided [$M] against the annual budget [$M/yr]."""
    x = frontier.values / 1e6
    y = frontier.series("shortage_avoided_usd") / 1e6
    ok = np.isfinite(y)
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    style_axes(ax)
    ax.plot(x[ok], y[ok], color=COLORS["line"], marker="o", markersize=3, linewidth=1.2,
            label="optimal plan at each budget")
    c = frontier.chosen
    _mark_chosen(ax, c.value / 1e6, c.outcome.shortage_avoided_usd / 1e6,
                 f"chosen (${c.value / 1e6:,.0f}M/yr)")
    ax.set_xlabel(plain_text("Annual budget for reserve purchases [$M/yr]"),
                  fontsize=FONT_PT)
    ax.set_ylabel(plain_text("Expected shortage damage avoided [$M]"), fontsize=FONT_PT)
    ax.set_title("What more budget buys", fontsize=FONT_PT + 1, loc="left")
    ax.set_xlim(left=0)
    ax.legend(fontsize=FONT_PT - 1, frameon=False, loc="lower right")
    return fig
