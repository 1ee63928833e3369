"""The plan's three charts, defined once: reserve stock over time, unmet demand, costs.

Each ``draw_*`` function draws onto a matplotlib figure it is given, in a :class:`~.style.
Theme`'s colours, from a :class:`~reserve_planner.optimize.PlanResult`. The window's painters
(:mod:`reserve_planner.gui.charts`) call them on a figure sized to the widget, in colours read
from its palette; the report (:mod:`reserve_planner.report.charts`) calls them on a figure of
print size in :data:`~.style.PRINT_THEME`. Every figure uses matplotlib's constrained layout,
so no label is cut at any size.

Tonnes are never added across materials: the reserve and unmet-demand charts draw one panel
per material, each in tonnes of that material [t]; the cost chart is in dollars [$M].
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..model import PlanInputs
from ..optimize import PlanResult
from .families import scenario_family, scenario_styles, short_label
from .style import (
    Theme,
    compact,
    figure_title,
    legend_columns,
    plain_text,
    prepare,
    style_axes,
    style_legend,
    thousands,
    wrap_text,
)

#: Characters of a scenario's label in legends and axes.
LABEL_CHARS = 30


def probability_text(probability: float) -> str:
    """A scenario probability as a short percentage: 20%, 2.7%, 0.67%."""
    pct = probability * 100
    return f"{pct:.2f}%" if pct < 1 else f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def scenario_text(name: str, probability: float) -> str:
    """A scenario's label on a chart: its short name and probability."""
    return f"{short_label(name, LABEL_CHARS)} ({probability_text(probability)})"


def per_input_scenario(result: PlanResult) -> PlanResult:
    """``result`` with one outcome per scenario of the inputs (the start-month variants of
    a scenario with a start window merged, ``PlanResult.by_input_scenario``), so the window
    and the report chart the same scenarios; a result without that method is as it is."""
    merge = getattr(result, "by_input_scenario", None)
    return merge() if callable(merge) else result


def _materials(result: PlanResult, materials: str | Sequence[str] | None) -> list[str]:
    if materials is None:
        return list(result.material_names)
    names = [materials] if isinstance(materials, str) else list(materials)
    unknown = [m for m in names if m not in result.material_names]
    if unknown:
        raise KeyError(f"no material {unknown[0]!r} in the result "
                       f"(materials: {', '.join(result.material_names)})")
    return names


def _panels(fig: Figure, theme: Theme, n: int, sharey: bool = False) -> list:
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    axes = fig.subplots(rows, cols, squeeze=False, sharey=sharey).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return list(axes[:n])


def visible_segments(paths: Sequence[np.ndarray], tol: float) -> list[np.ndarray]:
    """Each path with NaN where it runs on top of a path drawn before it.

    A segment between points ``t`` and ``t+1`` is hidden when both ends lie within ``tol``
    of the same earlier path: the earlier line already shows it, and a line drawn over it
    would hide that line. A point stays when a visible segment touches it, so each line
    starts where it leaves the shared path.
    """
    out = []
    for j, y in enumerate(paths):
        y = np.asarray(y, dtype=float)
        if y.size < 2:
            out.append(y.copy())
            continue
        covered = np.zeros(y.size - 1, dtype=bool)
        for k in range(j):
            near = np.abs(y - np.asarray(paths[k], dtype=float)) <= tol
            covered |= near[:-1] & near[1:]
        keep = np.zeros(y.size, dtype=bool)
        keep[:-1] |= ~covered
        keep[1:] |= ~covered
        out.append(np.where(keep, y, np.nan))
    return out


def hidden_note(names: Sequence[str], paths: Sequence[np.ndarray], tol: float) -> str:
    """Which scenarios' lines lie wholly on a line drawn before them, in words:
    "Same path as No disruption: Licensing shock, Low-price flooding." (empty if none)."""
    groups: dict[str, list[str]] = {}
    for j in range(1, len(paths)):
        y = np.asarray(paths[j], dtype=float)
        for k in range(j):
            if y.shape == np.shape(paths[k]) and np.all(np.abs(y - paths[k]) <= tol):
                member = short_label(names[j], LABEL_CHARS)
                fam = short_label(scenario_family(names[j]), LABEL_CHARS) + ", "
                if scenario_family(names[j]) == scenario_family(names[k]) and \
                        member.startswith(fam):
                    member = member[len(fam):]  # "12 mo, 2034" under "Embargo, 6 mo, 2034"
                groups.setdefault(short_label(names[k], LABEL_CHARS), []).append(member)
                break
    return " ".join(f"Same path as {k}: {'; '.join(v)}." for k, v in groups.items())


def draw_reserve(fig: Figure, theme: Theme, result: PlanResult,
                 materials: str | Sequence[str] | None = None,
                 inputs: PlanInputs | None = None) -> None:
    """Reserve stock at the start of each month in every scenario [t], one panel per
    material (one material: a titled single chart).

    One line per scenario: a family's colour, a line style per member. A scenario's line
    is drawn only where it differs from the lines before it (the calm scenario first), so
    the path every scenario shares until a disruption begins is drawn once and no line
    hides another. The reserve target is a dashed line. ``inputs`` classifies the
    scenarios (calm, embargo) for their colours; without it the names decide.
    """
    prepare(fig, theme)
    result = per_input_scenario(result)
    names = _materials(result, materials)
    order = sorted(range(len(result.scenarios)),
                   key=lambda i: scenario_family(result.scenarios[i].name) != "No disruption")
    styles = scenario_styles([s.name for s in result.scenarios], inputs, theme)
    years = result.start_year + np.arange(result.months + 1) / 12.0
    axes = _panels(fig, theme, len(names))
    for ax, material in zip(axes, names, strict=True):
        mi = result.material_names.index(material)
        stocks = [result.scenarios[i].stock_t[mi] for i in order]
        top = max((float(np.max(s)) for s in stocks if s.size), default=0.0)
        target = result.materials[mi].reserve_target_t if mi < len(result.materials) else 0.0
        top = max(top, target)
        style_axes(ax, theme, grid="y")
        tol = 1e-6 * max(1.0, top)
        for i, y in zip(order, visible_segments(stocks, tol), strict=True):
            st = styles[result.scenarios[i].name]
            ax.plot(years[: y.size], y, color=st.colour, linestyle=st.linestyle,
                    linewidth=1.3, solid_joinstyle="round", dash_capstyle="butt",
                    gid=st.name)  # the scenario, for tests and tools
        note = hidden_note([result.scenarios[i].name for i in order], stocks, tol)
        if note and fig.get_size_inches()[1] >= 2.6:  # a small chart keeps room for the plot
            # the axes' width (the figure's or half of it, less the y labels) in characters
            axes_in = fig.get_size_inches()[0] / (1 if len(names) == 1 else 2) - 0.9
            chars = int(axes_in / (0.6 * (theme.font_pt - 1) / 72))
            ax.set_xlabel("\n".join(textwrap.wrap(plain_text(note), max(20, chars - 4))),
                          fontsize=theme.font_pt - 1, color=theme.muted)
        if target > 0:
            ax.axhline(target, color=theme.muted, linewidth=0.9,
                       linestyle=(0, (3, 2)), gid="target")
            ax.annotate(plain_text(f"target {target:,.0f} t"),
                        xy=(1.0, target), xycoords=("axes fraction", "data"),
                        xytext=(0, 2), textcoords="offset points", ha="right", va="bottom",
                        fontsize=theme.font_pt - 0.5, color=theme.muted)
        else:
            ax.text(0.5, 0.5, "No reserve held", transform=ax.transAxes, ha="center",
                    va="center", fontsize=theme.font_pt + 1, color=theme.muted)
        ax.set_xlim(years[0], years[-1])
        # a little below zero, so a line at zero runs above the axis, not hidden by it
        ax.set_ylim(-0.03 * top if top > 0 else 0.0, top * 1.12 if top > 0 else 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylabel("Reserve stock [t]", fontsize=theme.font_pt)
        if len(names) == 1:
            figure_title(fig, theme, f"{material} in reserve, by scenario [t]")
        else:
            ax.set_title(plain_text(material), fontsize=theme.font_pt + 1, loc="left",
                         color=theme.text)
    cols = 1 if len(names) == 1 else 2
    rows = math.ceil(len(names) / cols)
    title_in = (theme.font_pt + 1) * 1.6 / 72 + theme.font_pt * 2.2 / 72
    note_in = max((ax.xaxis.label.get_text().count("\n") + 1 if ax.get_xlabel() else 0)
                  for ax in axes) * (theme.font_pt - 1) * 1.3 / 72
    _scenario_legend(fig, theme, result, styles,
                     (0.7 * cols, rows * (title_in + note_in) + 0.1))


def _legend_box(labels: Sequence[str], font_pt: float, ncols: int) -> tuple[float, float]:
    """Estimated width and height of a legend of line handles [in]: about 0.58 em per
    character, a 3.2 em handle, 1.35 em per row."""
    em = font_pt / 72
    rows = math.ceil(len(labels) / ncols)
    cols = [labels[c * rows:(c + 1) * rows] for c in range(ncols)]
    width = sum(max((len(t) for t in col), default=0) * 0.58 * em + 4.6 * em
                for col in cols if col)
    return width, rows * 1.35 * em + 0.6 * em


def _scenario_legend(fig: Figure, theme: Theme, result: PlanResult, styles: dict,
                     overhead_in: tuple[float, float] = (0.7, 0.6)) -> None:
    """One legend entry per scenario (colour and line style), below the chart or to its
    right, whichever leaves the plot more area; when neither leaves the plot 30% of the
    figure, one entry per family (its members told apart by line style) if that leaves
    more. ``overhead_in`` is the width and height the axes' labels and titles take [in]."""
    font = theme.font_pt - 0.5
    w, h = fig.get_size_inches()
    ow, oh = overhead_in
    entries = [(styles[s.name].colour, styles[s.name].linestyle,
                scenario_text(s.name, s.probability)) for s in result.scenarios]
    families: dict[str, list] = {}
    for s in result.scenarios:
        families.setdefault(styles[s.name].family, []).append(s)
    family_entries = []
    for fam, members in families.items():
        note = (f"{len(members)} scenarios, one line style each" if len(members) > 1
                else probability_text(members[0].probability))
        family_entries.append((styles[members[0].name].colour, "-",
                               f"{short_label(fam, LABEL_CHARS)} ({note})"))

    def best_for(items: list) -> tuple[float, str, int] | None:
        labels = [t for _, _, t in items]
        best = None
        for where in ("lower center", "right"):
            for ncols in range(1, len(labels) + 1):
                lw, lh = _legend_box(labels, font, ncols)
                if lw > w * 0.98:
                    break
                pw = w - ow - (lw if where == "right" else 0.0)
                ph = h - oh - (lh if where != "right" else 0.0)
                area = max(pw, 0.0) * max(ph, 0.0) / (w * h)
                if best is None or area > best[0] + 1e-9:
                    best = (area, where, ncols)
        return best

    choice = best_for(entries)
    items = entries
    if choice is None or choice[0] < 0.3:
        alt = best_for(family_entries)
        if alt is not None and (choice is None or alt[0] > choice[0]):
            choice, items = alt, family_entries
    if choice is None or choice[0] < 0.15:
        # too small for any legend: the plot keeps the room, the title says so
        title = fig._suptitle
        if title is not None and title.get_text():
            title.set_text(title.get_text() + " (enlarge for the legend)")
        return
    _area, where, ncols = choice
    handles = [Line2D([], [], color=c, linestyle=ls, linewidth=1.3) for c, ls, _ in items]
    legend = fig.legend(handles, [plain_text(t) for _, _, t in items],
                        loc="outside right upper" if where == "right" else
                        "outside lower center", ncols=ncols, fontsize=font, frameon=False,
                        handlelength=3.2, columnspacing=1.2, labelspacing=0.35)
    style_legend(legend, theme)


def unmet_rows(result: PlanResult, materials: Sequence[str]) -> list[int]:
    """Scenarios with unmet demand (with or without the plan, above 0.05 t) in any of
    ``materials``, in scenario order; the first scenario when none has any."""
    idx = [result.material_names.index(m) for m in materials]
    rows = [i for i, s in enumerate(result.scenarios)
            if any(s.unmet_t[m].sum() > 0.05 or s.unmet_without_plan_t[m].sum() > 0.05
                   for m in idx)]
    return rows or [0][: len(result.scenarios)]


def draw_unmet(fig: Figure, theme: Theme, result: PlanResult,
               materials: str | Sequence[str] | None = None,
               inputs: PlanInputs | None = None) -> None:
    """Unmet demand over the horizon per scenario, with the plan and in the status quo,
    one panel per material in tonnes of that material [t]; only scenarios with unmet
    demand somewhere are listed. ``inputs`` is accepted for a common signature."""
    del inputs
    prepare(fig, theme)
    result = per_input_scenario(result)
    names = _materials(result, materials)
    rows = unmet_rows(result, names)
    axes = _panels(fig, theme, len(names), sharey=True)
    y = np.arange(len(rows))[::-1]  # the first scenario at the top
    h = 0.38
    # scenario labels small enough that neighbouring rows never overlap: about 1.3 lines
    # of type a row in the height a panel gets (less its title, axis and legend)
    panel_in = fig.get_size_inches()[1] / math.ceil(len(names) / (1 if len(names) == 1
                                                                  else 2)) - 0.95
    label_pt = max(4.5, min(theme.font_pt - 0.5, panel_in * 72 / (1.3 * max(len(rows), 1))))
    years = result.months / 12
    for k, (ax, material) in enumerate(zip(axes, names, strict=True)):
        mi = result.material_names.index(material)
        with_plan = np.array([result.scenarios[i].unmet_t[mi].sum() for i in rows])
        without = np.array([result.scenarios[i].unmet_without_plan_t[mi].sum()
                            for i in rows])
        style_axes(ax, theme, grid="x")
        ax.barh(y + h / 2, without, height=h, color=theme.series["without"])
        ax.barh(y - h / 2, with_plan, height=h, color=theme.series["with"])
        top = float(max(with_plan.max(initial=0.0), without.max(initial=0.0)))
        for yy, v in zip(y, with_plan, strict=True):
            if top > 0:
                ax.text(v + top * 0.02, yy - h / 2, thousands(v), va="center", ha="left",
                        fontsize=theme.font_pt - 1.5, color=theme.text)
        ax.set_xlim(0, top * 1.2 if top > 0 else 1.0)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.xaxis.set_major_formatter(FuncFormatter(compact))
        if k % 2 == 0:
            ax.set_yticks(y, [plain_text(scenario_text(result.scenarios[i].name,
                                                       result.scenarios[i].probability))
                              for i in rows], fontsize=label_pt)
        else:
            ax.tick_params(labelleft=False)
        ax.set_xlabel(plain_text(f"Unmet over {years:g} years [t]"), fontsize=theme.font_pt)
        if len(names) == 1:
            figure_title(fig, theme, f"{material} unmet demand, by scenario [t]")
        else:
            ax.set_title(plain_text(material), fontsize=theme.font_pt + 1, loc="left",
                         color=theme.text)
    legend = fig.legend(
        [Patch(color=theme.series["with"]), Patch(color=theme.series["without"])],
        ["with the plan", "status quo (no new reserve or floor)"],
        loc="outside lower center",
        ncols=legend_columns(fig, ["with the plan", "status quo (no new reserve or floor)"],
                             theme.font_pt - 0.5, handle_in=0.25),
        fontsize=theme.font_pt - 0.5, frameon=False,
        handlelength=1.2, columnspacing=1.2)
    style_legend(legend, theme)


def draw_cost(fig: Figure, theme: Theme, result: PlanResult, *_ignored: object,
              total: bool = True) -> None:
    """Expected discounted cost by term [$M], all materials together (dollars add up),
    credits to the left of zero, and the total (the objective) as the last bar.

    Extra positional arguments (a material, the inputs) are ignored, so the window can
    give every plan chart the same data.
    """
    if result.costs is None:
        raise ValueError("the cost chart needs a result with a plan")
    prepare(fig, theme)
    items = list(result.costs.items())
    if total:
        items.append(("Total (objective)", result.costs.total_usd))
    values = np.array([v / 1e6 for _, v in items])
    colours = [theme.series["credit"] if v < 0 else theme.series["cost"] for v in values]
    if total:
        colours[-1] = theme.series["total"]
    ax = fig.add_subplot()
    style_axes(ax, theme, grid="x")
    y = np.arange(len(items))[::-1]
    ax.barh(y, values, height=0.6, color=colours)
    ax.set_yticks(y, [plain_text(short_label(label, 28)) for label, _ in items],
                  fontsize=theme.font_pt)
    ax.axvline(0, color=theme.muted, linewidth=0.8)
    lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
    span = (hi - lo) or 1.0
    for yy, v in zip(y, values, strict=True):
        right = v >= 0
        ax.text(v + (0.015 if right else -0.015) * span, yy, f"{v:,.0f}", va="center",
                ha="left" if right else "right", fontsize=theme.font_pt - 1,
                color=theme.text)
    ax.set_xlim(lo - (0.22 * span if lo < 0 else 0.0), hi + 0.22 * span)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(compact))
    ax.set_xlabel(wrap_text(plain_text("$M, expected and discounted; credits negative"),
                            fig.get_size_inches()[0] * 0.55, theme.font_pt),
                  fontsize=theme.font_pt)
    figure_title(fig, theme, f"Cost by term: ${result.costs.total_usd / 1e6:,.0f}M in all")
