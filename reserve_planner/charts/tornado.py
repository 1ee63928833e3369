"""Tornado chart: each input group's low and high end as a bar from the base value.

Bars are ranked by the swing of the charted figure, largest on top. The low end is drawn
in the "low" colour in the upper half of the row and the high end in the "high" colour in
the lower half (so neither hides the other), each labelled with the input's value; an end
that flips a floor or reserve decision carries a diamond, and the row's label names the
materials whose decisions flip.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..analysis.sensitivity import Tornado, TornadoBar
from .style import (
    PRINT_THEME,
    Theme,
    figure_title,
    legend_columns,
    new_figure,
    plain_text,
    prepare,
    style_axes,
    style_legend,
)

#: Figures a tornado can chart, with their axis title and scale to display units.
METRIC_AXES = {
    "objective_usd": ("Objective (expected cost + risk term)", 1e-6),
    "net_benefit_usd": ("Net benefit against the status quo", 1e-6),
    "expected_cost_usd": ("Expected cost", 1e-6),
    "cvar_usd": ("CVaR of shortage damage", 1e-6),
}


def _axis(metric: str) -> tuple[str, float]:
    if metric in METRIC_AXES:
        return METRIC_AXES[metric]
    head, _, material = metric.partition(":")
    if head == "reserve_t":
        return (f"{material} reserve", 1.0)
    raise KeyError(f"no tornado axis for {metric!r}")


def _value_text(bar: TornadoBar, v: float) -> str:
    return bar.group.format(v).replace(" base", "")


def tornado_height_in(tornado: Tornado, metric: str = "objective_usd",
                      n: int | None = 12) -> float:
    """The height a tornado of ``n`` bars needs at print size [in]."""
    return 1.1 + 0.36 * max(len(_bars(tornado, metric, n)), 1)


def _bars(tornado: Tornado, metric: str, n: int | None) -> list[TornadoBar]:
    bars = [b for b in tornado.ranked(metric) if math.isfinite(b.swing(metric))]
    return bars[:n] if n is not None else bars


def tornado_figure(tornado: Tornado, metric: str = "objective_usd", n: int | None = 12,
                   width_in: float = 6.5) -> Figure:
    """The tornado of ``metric`` (an :class:`~reserve_planner.analysis.Outcome` figure or
    ``"reserve_t:<material>"``), the ``n`` largest swings (all when None), at print size
    in :data:`~.style.PRINT_THEME`."""
    _axis(metric)  # an unknown metric fails before a figure is made
    fig = new_figure(width_in, tornado_height_in(tornado, metric, n))
    draw_tornado(fig, PRINT_THEME, tornado, metric, n)
    return fig


def draw_tornado(fig: Figure, theme: Theme, tornado: Tornado, metric: str = "objective_usd",
                 n: int | None = 12) -> None:
    """Draw the tornado of ``metric`` onto ``fig`` in ``theme`` (see :func:`tornado_figure`)."""
    title, scale = _axis(metric)
    bars = _bars(tornado, metric, n)
    base = tornado.base.metric(metric)
    prepare(fig, theme)
    font = theme.font_pt
    flip = theme.text
    ax = fig.add_subplot()
    style_axes(ax, theme)
    ax.axvline(0.0, color=theme.muted, linewidth=0.8)
    labels = []
    span = max((max(abs(b.low.metric(metric) - base), abs(b.high.metric(metric) - base))
                for b in bars), default=0.0) * scale or 1.0
    for i, b in enumerate(bars):
        y = len(bars) - 1 - i
        # the low end in the upper half of the row, the high end in the lower half: when
        # both move the figure the same way, neither bar hides the other
        for side, o, v, dy in (("low", b.low, b.low_value, 0.18),
                               ("high", b.high, b.high_value, -0.18)):
            d = (o.metric(metric) - base) * scale
            ax.barh(y + dy, d, height=0.36, color=theme.series[side], edgecolor="none")
            flips = any(f.side == side for f in b.flips)
            gap = 0.035 if flips else 0.01  # clear of the flip diamond at the bar's end
            ax.text(d + (gap if d >= 0 else -gap) * span, y + dy,
                    plain_text(_value_text(b, v)), va="center",
                    ha="left" if d >= 0 else "right", fontsize=font - 1.5,
                    color=theme.text)
            if flips:
                ax.plot([d], [y + dy], marker="D", color=flip, markersize=3.5,
                        linestyle="none")
        names = sorted({f.material for f in b.flips})
        note = f"  [flips: {', '.join(names)}]" if names else ""
        labels.append(plain_text(b.label + note))
    ax.set_yticks(range(len(bars))[::-1], labels, fontsize=font)
    ax.set_xlim(-1.3 * span, 1.3 * span)
    ax.set_ylim(-0.7, len(bars) - 0.3)
    unit = "t" if metric.startswith("reserve_t:") else "$M"
    ax.set_xlabel(plain_text(f"Change from the base [{unit}]"), fontsize=font)
    figure_title(fig, theme, f"{title}: base {_base_text(metric, base)}")
    handles = [Patch(color=theme.series["low"], label="input at its low value"),
               Patch(color=theme.series["high"], label="input at its high value"),
               Line2D([], [], marker="D", color=flip, linestyle="none",
                      markersize=4, label="a floor or reserve decision flips")]
    legend = fig.legend(handles=handles, fontsize=font - 1, loc="outside lower center",
                        ncol=legend_columns(fig, [h.get_label() for h in handles], font - 1,
                                            handle_in=0.3),
                        frameon=False)
    style_legend(legend, theme)


def _base_text(metric: str, base: float) -> str:
    if metric.startswith("reserve_t:"):
        return f"{base:,.1f} t"
    return f"${base / 1e6:,.1f}M"
