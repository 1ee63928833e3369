"""The report's charts as PNG bytes, drawn with matplotlib's object API on the Agg canvas.

No pyplot state is touched, so the functions are safe to call from a worker thread while a
window runs. Every chart is sized for print: ``width_in`` wide at ``CHART_DPI`` pixels per
inch, with 8-point type, so printed at :data:`CHART_WIDTH_MM` its text is 8 points.

All chart text is set in :data:`FONT_FAMILY` (the DejaVu Sans that ships with matplotlib, the
same family the Qt report renderer loads), named explicitly rather than taken from the
machine's defaults. Names from the inputs pass through :func:`plain_text` so a ``$`` never
starts matplotlib's mathtext.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from PIL import Image

from ..optimize import PlanResult

CHART_DPI = 150
CHART_WIDTH_MM = 165.0
_WIDTH_IN = CHART_WIDTH_MM / 25.4
_FONT = 8.0
#: The charts' typeface: matplotlib's own DejaVu Sans (also the report body's font).
FONT_FAMILY = "DejaVu Sans"
_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31",
            "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363")
_LINESTYLES = ("-", "--", "-.", ":")
_WITH_PLAN, _WITHOUT_PLAN = "#1f77b4", "#bdbdbd"
_COST, _CREDIT, _TOTAL = "#d6604d", "#4393c3", "#404040"


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart: PNG bytes and its size in pixels."""

    png: bytes
    pixel_width: int
    pixel_height: int


def plain_text(text: str) -> str:
    """``text`` as matplotlib should show it literally: every ``$`` escaped, so an even
    number of them never switches on mathtext (``"Cost $5 to $10"`` stays as typed and
    ``"$\\foo$"`` cannot fail to parse). Matplotlib turns ``\\$`` back into ``$`` in
    non-math text."""
    return str(text).replace("$", r"\$")


def _new_figure(height_in: float) -> MplFigure:
    fig = MplFigure(figsize=(_WIDTH_IN, height_in), dpi=CHART_DPI)
    FigureCanvasAgg(fig)
    return fig


def _label_width_in(fig: MplFigure, labels) -> float:
    """Widest of ``labels`` (matplotlib Text objects) in inches."""
    renderer = fig.canvas.get_renderer()
    widths = [t.get_window_extent(renderer).width for t in labels if t.get_text()]
    return max(widths, default=0.0) / fig.dpi


def _margins(fig: MplFigure, left: float, right: float, top: float, bottom: float,
             hspace: float = 0.0, wspace: float = 0.0, nrows: int = 1, ncols: int = 1
             ) -> dict[str, float]:
    """Subplot parameters from margins and gaps in inches (no layout engine: fast)."""
    w, h = fig.get_size_inches()
    axes_w = (w - left - right - wspace * (ncols - 1)) / ncols
    axes_h = (h - top - bottom - hspace * (nrows - 1)) / nrows
    return {"left": left / w, "right": 1 - right / w, "top": 1 - top / h,
            "bottom": bottom / h, "wspace": wspace / axes_w if ncols > 1 else 0.0,
            "hspace": hspace / axes_h if nrows > 1 else 0.0}


def _style(ax) -> None:
    ax.tick_params(labelsize=_FONT, labelfontfamily=FONT_FAMILY)
    ax.grid(True, color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _png(fig: MplFigure) -> ChartImage:
    """Draw ``fig`` and encode it as PNG (fast zlib level: the PDF recompresses it)."""
    canvas = fig.canvas
    for text in fig.findobj(Text):
        text.set_fontfamily(FONT_FAMILY)
    canvas.draw()
    width, height = (int(v) for v in canvas.get_width_height(physical=True))
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
        .convert("RGB").save(buf, format="png", compress_level=1)
    return ChartImage(buf.getvalue(), width, height)


def _thousands(value: float, _pos: object = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.1f}"


def scenario_label(number: int, name: str, probability: float) -> str:
    """``"S2 Name (20%)"`` as used in legends and axis labels; S2 is the scenario's number
    in the report's tables."""
    pct = probability * 100
    text = f"{pct:.2f}" if pct < 1 else f"{pct:.1f}" if pct < 10 else f"{pct:.0f}"
    return f"S{number} {name} ({text}%)"


def reserve_chart(result: PlanResult, materials: tuple[str, ...] | None = None) -> ChartImage:
    """Reserve stock at the start of each month in every scenario, one panel per material.

    ``materials`` picks the panels (default all, at most four fit a page). The y axis is
    tonnes of material [t]; the x axis calendar years.
    """
    names = list(materials if materials is not None else result.material_names)
    index = {n: i for i, n in enumerate(result.material_names)}
    n = max(len(names), 1)
    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    legend_rows = math.ceil(len(result.scenarios) / 2)
    legend_in = 0.27 + 0.15 * legend_rows
    fig = _new_figure(1.75 * nrows + 0.55 * (nrows - 1) + 0.3 + 0.45 + legend_in)
    grid = _margins(fig, left=0.62, right=0.12, top=0.3, bottom=0.45 + legend_in,
                    hspace=0.55, wspace=0.78, nrows=nrows, ncols=ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False,
                                      gridspec_kw=grid).ravel())
    months = result.months
    years = result.start_year + np.arange(months + 1) / 12.0
    handles, labels = [], []
    for k, name in enumerate(names):
        ax = axes[k]
        mi = index[name]
        top = 0.0
        for s, sc in enumerate(result.scenarios):
            stock = sc.stock_t[mi]
            top = max(top, float(np.max(stock)) if stock.size else 0.0)
            (line,) = ax.plot(years[: stock.size], stock, color=_PALETTE[s % len(_PALETTE)],
                              linestyle=_LINESTYLES[(s // len(_PALETTE)) % 4], linewidth=1.1,
                              alpha=0.9)
            if k == 0:
                handles.append(line)
                labels.append(plain_text(scenario_label(s + 1, sc.name, sc.probability)))
        _style(ax)
        ax.set_title(plain_text(name), fontsize=_FONT + 1, loc="left")
        ax.set_ylabel("Reserve stock [t]", fontsize=_FONT)
        ax.set_xlabel("Year", fontsize=_FONT)
        ax.set_xlim(result.start_year, result.start_year + months / 12.0)
        ax.set_ylim(0, top * 1.08 if top > 0 else 1.0)
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
        if top <= 0:
            ax.text(0.5, 0.5, "No reserve held", transform=ax.transAxes, ha="center",
                    va="center", fontsize=_FONT + 1, color="#606060")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    if handles:
        fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0),
                   ncols=2, fontsize=_FONT - 0.5, frameon=False,
                   title="Scenario (probability)", title_fontsize=_FONT,
                   borderaxespad=0.2, labelspacing=0.3)
    return _png(fig)


def unmet_chart(result: PlanResult) -> ChartImage:
    """Unmet demand over the horizon in each scenario with and without the plan, all
    materials added up [t], as horizontal bars."""
    scenarios = result.scenarios
    n = len(scenarios)
    fig = _new_figure(0.75 + 0.3 * max(n, 1))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    with_plan = np.array([s.total_unmet_t for s in scenarios])
    without = np.array([s.total_unmet_without_plan_t for s in scenarios])
    h = 0.38
    ax.barh(y + h / 2, without, height=h, color=_WITHOUT_PLAN,
            label="Status quo (no new reserve or floor)")
    ax.barh(y - h / 2, with_plan, height=h, color=_WITH_PLAN, label="With the plan")
    ax.set_yticks(y, [plain_text(scenario_label(i, s.name, s.probability))
                      for i, s in enumerate(scenarios, start=1)], fontsize=_FONT)
    _style(ax)
    ax.grid(False, axis="y")
    ax.set_xlabel("Unmet demand over the horizon, all materials [t]", fontsize=_FONT)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    top = float(max(with_plan.max(initial=0.0), without.max(initial=0.0)))
    ax.set_xlim(0, top * 1.15 if top > 0 else 1.0)
    ax.set_ylim(-0.7, n - 0.3)
    for yy, v in zip(y, with_plan, strict=True):
        if v > 0 or top > 0:
            ax.text(v + top * 0.01, yy - h / 2, _thousands(v), va="center",
                    fontsize=_FONT - 1, color="#303030")
    ax.legend(fontsize=_FONT, frameon=False, loc="lower right")
    left = _label_width_in(fig, ax.get_yticklabels()) + 0.15
    fig.subplots_adjust(**_margins(fig, left=left, right=0.15, top=0.1, bottom=0.5))
    return _png(fig)


def cost_chart(result: PlanResult) -> ChartImage:
    """Expected discounted cost by term and the total [$M]; credits point left."""
    assert result.costs is not None, "cost_chart needs a result with a plan"
    items = list(result.costs.items()) + [("Total (objective)", result.costs.total_usd)]
    n = len(items)
    fig = _new_figure(0.65 + 0.27 * n)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    values = np.array([v / 1e6 for _, v in items])
    colors = [_COST if v >= 0 else _CREDIT for v in values[:-1]] + [_TOTAL]
    ax.barh(y, values, height=0.6, color=colors)
    ax.set_yticks(y, [plain_text(label) for label, _ in items], fontsize=_FONT)
    _style(ax)
    ax.grid(False, axis="y")
    ax.axvline(0, color="#404040", linewidth=0.8)
    ax.set_xlabel(plain_text("Expected discounted cost [$M] (credits are negative)"),
                  fontsize=_FONT)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - (0.2 * span if lo < 0 else 0.0), hi + 0.2 * span)
    for yy, v in zip(y, values, strict=True):
        text = f"{v:,.1f}"
        if v >= 0:
            ax.text(v + span * 0.01, yy, text, va="center", ha="left", fontsize=_FONT - 1)
        else:
            ax.text(v - span * 0.01, yy, text, va="center", ha="right", fontsize=_FONT - 1)
    left = _label_width_in(fig, ax.get_yticklabels()) + 0.15
    fig.subplots_adjust(**_margins(fig, left=left, right=0.15, top=0.1, bottom=0.45))
    return _png(fig)
