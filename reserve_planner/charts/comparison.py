"""Plans side by side, overlaid: each plan's reserve build-up per material and its headline
money figures (:mod:`reserve_planner.analysis.compare`).

* :func:`draw_comparison_reserve`: the planned reserve stock [t] per material, one line per
  plan on the same axes: the starting stock plus the planned purchases (the plan's
  first-stage decision, before any release in a disruption), so where the plans part is
  where their decisions differ.
* :func:`draw_comparison_figures`: grouped bars [$M] of the plan's expected cost, CVaR of
  shortage damage and net benefit against the status quo, one colour per plan (the rows of
  :func:`~reserve_planner.analysis.compare.headline_rows`, the one definition).

Both draw onto a given figure in a :class:`~.style.Theme` (the window); the ``*_figure``
functions make a print-size figure (the report). Plan ``i`` has the ``i``-th colour of the
theme's cycle and the ``i``-th line style of :data:`~.style.MEMBER_STYLES`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..analysis.compare import Comparison, NamedPlan
from .style import (
    MEMBER_STYLES,
    PRINT_THEME,
    Theme,
    legend_columns,
    new_figure,
    plain_text,
    prepare,
    style_axes,
    style_legend,
    thousands,
)

#: Headline rows drawn as bars, in order (labels of ``headline_rows``) and their short names.
FIGURE_BARS = (("Plan: expected cost", "Expected cost"),
               ("Plan: CVaR of shortage damage", "CVaR of shortage damage"),
               ("Plan: net benefit against the status quo", "Net benefit vs status quo"))


def plan_style(theme: Theme, index: int) -> tuple[str, object]:
    """(colour, line style) of the ``index``-th plan of a comparison: the theme's cycle of
    colours and a line style each (solid, dashed, dotted, ...), so lines that coincide
    still show each plan."""
    cycle = theme.series["cycle"]
    return cycle[index % len(cycle)], MEMBER_STYLES[index % len(MEMBER_STYLES)]


def planned_stock_t(plan: NamedPlan, material: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(calendar years [yr], planned stock at the start of each month [t]) of ``material``
    in ``plan``: starting stock plus the cumulated planned purchases. None without a plan
    or without the material."""
    r = plan.result
    if not r.status.has_plan or material not in r.material_names:
        return None
    m = r.material(material)
    try:
        stock0 = plan.inputs.material(material).starting_stock_t
    except KeyError:
        stock0 = 0.0
    fill = np.asarray(m.fill_schedule_t, dtype=float)
    stock = stock0 + np.concatenate([[0.0], np.cumsum(fill)])
    years = r.start_year + np.arange(stock.size) / 12.0
    return years, stock


def _materials(comparison: Comparison) -> list[str]:
    return [d.material for d in comparison.decisions]


def draw_comparison_reserve(fig: Figure, theme: Theme, comparison: Comparison) -> None:
    """The planned reserve stock of every plan per material [t], overlaid, onto ``fig`` in
    ``theme`` (two panels a row); a shared legend of the plans below."""
    prepare(fig, theme)
    names = _materials(comparison)
    if not names:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No plan to draw", ha="center", va="center", color=theme.muted,
                fontsize=theme.font_pt + 1, transform=ax.transAxes)
        return
    cols = 1 if len(names) == 1 else 2
    rows = math.ceil(len(names) / cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[len(names):]:
        ax.set_visible(False)
    handles: dict[str, object] = {}
    for ax, material in zip(axes, names, strict=False):
        style_axes(ax, theme, grid="y")
        top, lo, hi = 0.0, math.inf, -math.inf
        for i, plan in enumerate(comparison.plans):
            path = planned_stock_t(plan, material)
            if path is None:
                continue
            years, stock = path
            colour, dash = plan_style(theme, i)
            # Later plans thinner and dashed, so a plan equal to an earlier one still shows
            width = max(1.0, 2.4 - 0.5 * i)
            (line,) = ax.plot(years, stock, color=colour, linestyle=dash, linewidth=width,
                              solid_joinstyle="round", dash_capstyle="butt")
            handles.setdefault(plan.name, line)
            top = max(top, float(stock.max(initial=0.0)))
            lo, hi = min(lo, float(years[0])), max(hi, float(years[-1]))
        if math.isfinite(lo):
            ax.set_xlim(lo, hi)
        ax.set_ylim(0, top * 1.12 if top > 0 else 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylabel("Planned stock [t]", fontsize=theme.font_pt)
        ax.set_title(plain_text(material), fontsize=theme.font_pt + 1, loc="left",
                     color=theme.text)
    _plan_legend(fig, theme, handles)


def _plan_legend(fig: Figure, theme: Theme, handles: dict[str, object]) -> None:
    if not handles:
        return
    labels = [plain_text(n) for n in handles]
    legend = fig.legend(list(handles.values()), labels, loc="outside lower center",
                        ncols=legend_columns(fig, labels, theme.font_pt - 0.5),
                        fontsize=theme.font_pt - 0.5, frameon=False, handlelength=3.0)
    style_legend(legend, theme)


def draw_comparison_figures(fig: Figure, theme: Theme, comparison: Comparison) -> None:
    """Grouped bars of the headline money figures [$M], one bar per plan in each group,
    value labels on the bars, onto ``fig`` in ``theme``."""
    prepare(fig, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme, grid="y")
    rows = {r.label: r for r in comparison.figures}
    groups = [(short, rows[label]) for label, short in FIGURE_BARS if label in rows]
    n = len(comparison.plans)
    width = 0.8 / max(n, 1)
    x = np.arange(len(groups))
    handles: dict[str, object] = {}
    for i, plan in enumerate(comparison.plans):
        colour, _ = plan_style(theme, i)
        values = [row.values[i] / 1e6 if math.isfinite(row.values[i]) else 0.0
                  for _, row in groups]
        bars = ax.bar(x - 0.4 + width * (i + 0.5), values, width * 0.92, color=colour,
                      linewidth=0)
        handles[plan.name] = bars
        for rect, (_, row) in zip(bars, groups, strict=True):
            v = row.values[i]
            text = "n/a" if not math.isfinite(v) else f"{v / 1e6:,.0f}"
            ax.annotate(text, xy=(rect.get_x() + rect.get_width() / 2, max(rect.get_height(),
                                                                        0.0)),
                        xytext=(0, 1.5), textcoords="offset points", ha="center",
                        va="bottom", fontsize=theme.font_pt - 1.5, color=theme.text)
    ax.axhline(0, color=theme.muted, linewidth=0.8)
    ax.set_xticks(x, [plain_text(short) for short, _ in groups])
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_ylabel(plain_text("Expected, discounted [$M]"), fontsize=theme.font_pt)
    ax.margins(y=0.12)
    _plan_legend(fig, theme, handles)


def comparison_reserve_figure(comparison: Comparison, width_in: float = 6.5) -> Figure:
    """:func:`draw_comparison_reserve` at print size in :data:`~.style.PRINT_THEME`; the
    height follows the number of material panels."""
    rows = math.ceil(max(len(_materials(comparison)), 1) / 2)
    fig = new_figure(width_in, 1.9 * rows + 0.6)
    draw_comparison_reserve(fig, PRINT_THEME, comparison)
    return fig


def comparison_figures_figure(comparison: Comparison, width_in: float = 6.5) -> Figure:
    """:func:`draw_comparison_figures` at print size in :data:`~.style.PRINT_THEME`."""
    fig = new_figure(width_in, 2.8)
    draw_comparison_figures(fig, PRINT_THEME, comparison)
    return fig
