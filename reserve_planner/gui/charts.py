"""The plan's charts: matplotlib figures embedded with ``FigureCanvasQTAgg``, palette-aware.

No pyplot: each canvas owns one :class:`~matplotlib.figure.Figure`. Colours come from the
widget's palette (background, text, grid) and a colour-blind-safe series palette (Okabe-Ito)
with a lighter variant for dark palettes; a palette change restyles and redraws.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from ..model import PlanInputs
from ..model.adjustments import is_calm, is_full_embargo
from ..optimize import PlanResult

# Okabe-Ito, and lighter versions that read on a dark background.
_LIGHT = {"calm": "#7F7F7F", "embargo": "#D55E00",
          "cycle": ["#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9"],
          "with": "#0072B2", "without": "#C4C4C4", "cost": "#D55E00", "credit": "#009E73"}
_DARK = {"calm": "#A8A8A8", "embargo": "#FF8C42",
         "cycle": ["#56B4E9", "#E39AC4", "#3CC8A0", "#F0C04A", "#9ED7F5"],
         "with": "#56B4E9", "without": "#6A6A6A", "cost": "#FF8C42", "credit": "#3CC8A0"}


@dataclass(frozen=True)
class ChartTheme:
    """Colours for one palette."""

    dark: bool
    background: str
    text: str
    muted: str
    grid: str
    series: dict

    @staticmethod
    def from_palette(palette: QPalette) -> ChartTheme:
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        dark = bg.lightnessF() < 0.5
        mix = QColor.fromRgbF(*(0.8 * a + 0.2 * b for a, b in zip(
            bg.getRgbF()[:3], fg.getRgbF()[:3], strict=True)))
        muted = QColor.fromRgbF(*(0.4 * a + 0.6 * b for a, b in zip(
            bg.getRgbF()[:3], fg.getRgbF()[:3], strict=True)))
        return ChartTheme(dark, bg.name(), fg.name(), muted.name(), mix.name(),
                          _DARK if dark else _LIGHT)


def scenario_family(name: str) -> str:
    """Scenarios named "Full embargo, 6 months, from 2028" group as "Full embargo"."""
    return name.split(",")[0].strip()


def family_colours(inputs: PlanInputs, theme: ChartTheme) -> dict[str, str]:
    """A colour per scenario family: calm grey, embargoes vermillion, others cycled."""
    colours: dict[str, str] = {}
    cycle = iter(theme.series["cycle"] * 4)
    for s in inputs.scenarios:
        fam = scenario_family(s.name)
        if fam in colours:
            continue
        if is_calm(s):
            colours[fam] = theme.series["calm"]
        elif is_full_embargo(s, inputs.material_names):
            colours[fam] = theme.series["embargo"]
        else:
            colours[fam] = next(cycle)
    return colours


def short_label(name: str, width: int = 24) -> str:
    """A chart label for a scenario or cost term: no parentheses, common words shortened."""
    text = re.sub(r"\s*\([^)]*\)", "", name).strip()
    text = text.replace("Full embargo", "Embargo").replace(" months", " mo")
    text = text.replace(", from ", ", ")
    return text if len(text) <= width else text[: width - 1].rstrip(" ,") + "…"


def _thousands(x: float, _pos: int) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 or x == 0 else f"{x:,.1f}"


def _compact(x: float, _pos: int) -> str:
    """Tick labels that stay short: 1,500 -> 1.5k."""
    if abs(x) >= 1000:
        return f"{x / 1000:,.1f}k".replace(".0k", "k")
    return f"{x:,.0f}" if abs(x) >= 10 or x == 0 else f"{x:,.1f}"


class ChartCanvas(FigureCanvasQTAgg):
    """A figure with one axes, redrawn from its last data on palette changes.

    Built for redrawing several times a second while a slider moves: no layout engine
    (margins are fixed in pixels, see :attr:`margins`), the axes are emptied of artists
    instead of cleared (so tick objects survive), and a chart that is not visible only
    remembers its data and draws when shown.
    """

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        self._ready = False
        self.figure = Figure(figsize=(5, 3), dpi=100)
        super().__init__(self.figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 180)
        self.setAccessibleName(title)
        self._title = title
        self._data: tuple | None = None
        self._message = "No plan to show"
        self._stale = False
        self._styled_theme: ChartTheme | None = None
        self._legend_texts: list = []
        #: left, right, top, bottom margins in logical pixels
        self.margins = (56, 14, 30, 40)
        self.ax = self.figure.add_subplot()
        self._message_text = self.ax.text(0.5, 0.5, "", ha="center", va="center",
                                          transform=self.ax.transAxes, fontsize=10)
        self.draw_count = 0
        self.mpl_connect("draw_event", self._count_draw)
        self._ready = True
        self.render_empty()

    def _count_draw(self, _event: object) -> None:
        self.draw_count += 1

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(420, 300)

    def theme(self) -> ChartTheme:
        """Colours from the application palette (matplotlib pins the canvas's own to white)."""
        return ChartTheme.from_palette(QApplication.palette())

    # ------------------------------------------------------------------ layout

    def _apply_margins(self) -> None:
        dpr = self.device_pixel_ratio or 1.0
        width = self.figure.bbox.width / dpr
        height = self.figure.bbox.height / dpr
        if width < 40 or height < 40:
            return
        left, right, top, bottom = self.margins
        lo_x = min(0.55, left / width)
        hi_x = max(lo_x + 0.1, 1 - right / width)
        lo_y = min(0.45, bottom / height)
        hi_y = max(lo_y + 0.1, 1 - top / height)
        self.figure.subplots_adjust(left=lo_x, right=hi_x, bottom=lo_y, top=hi_y)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._apply_margins()

    # ------------------------------------------------------------------ drawing

    def _style(self, theme: ChartTheme) -> None:
        """Apply ``theme`` (only when it changed: restyling every tick is costly)."""
        if theme == self._styled_theme:
            return
        self._styled_theme = theme
        self.figure.set_facecolor(theme.background)
        ax = self.ax
        ax.set_facecolor(theme.background)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        for spine in ("left", "bottom"):
            ax.spines[spine].set_color(theme.muted)
        ax.tick_params(colors=theme.text, labelsize=8)
        ax.xaxis.label.set_color(theme.text)
        ax.yaxis.label.set_color(theme.text)

    def _wipe(self) -> None:
        """Remove what the last render added, keeping the axes and its ticks."""
        for legend in list(self.figure.legends):
            legend.remove()
        for text in self._legend_texts:
            text.remove()
        self._legend_texts = []
        ax = self.ax
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts]:
            if artist is not self._message_text:
                artist.remove()
        ax.containers.clear()
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.grid(False)
        self.figure.suptitle("")
        self._message_text.set_text("")

    def text_legend(self, theme: ChartTheme, entries: list[tuple[str, str]]) -> int:
        """A legend of coloured marks and labels along the bottom of the figure, flowing
        onto more lines as the width requires.

        Plain texts draw several times faster than a matplotlib legend, which matters when
        the chart redraws while a slider moves. Returns the pixels it takes.
        """
        dpr = self.device_pixel_ratio or 1.0
        width = max(1.0, self.figure.bbox.width / dpr)
        height = max(1.0, self.figure.bbox.height / dpr)
        rows: list[list[tuple[float, str, str]]] = [[]]
        x = 8.0
        for label, colour in entries:
            item = 16 + _text_width_px(label, 8.0) + 14
            if rows[-1] and x + item > width - 4:
                rows.append([])
                x = 8.0
            rows[-1].append((x, label, colour))
            x += item
        for r, row in enumerate(rows):
            y = (6 + (len(rows) - 1 - r) * 15) / height
            for x, label, colour in row:
                mark = self.figure.text(x / width, y, "▬", color=colour, fontsize=9,
                                        ha="left", va="bottom")
                text = self.figure.text((x + 16) / width, y, label, color=theme.text,
                                        fontsize=8, ha="left", va="bottom")
                self._legend_texts += [mark, text]
        return 8 + 15 * len(rows)

    def set_title(self, theme: ChartTheme, text: str) -> None:
        """A left-aligned title across the whole figure (never clipped by the axes)."""
        self.figure.suptitle(text, x=8 / max(1.0, self.figure.bbox.width
                                              / (self.device_pixel_ratio or 1.0)),
                             y=0.985, ha="left", va="top", fontsize=10, color=theme.text)

    def render_empty(self, message: str = "No plan to show") -> None:
        """Blank the chart with ``message`` in the middle."""
        self._data = None
        self._message = message
        if not self.isVisible() and self._ready and self.draw_count:
            self._stale = True
            return
        self._stale = False
        theme = self.theme()
        self._wipe()
        self._style(theme)
        self.ax.set_axis_off()
        self._message_text.set_text(message)
        self._message_text.set_color(theme.muted)
        self.draw_idle()

    def set_data(self, *data: object, draw: bool = True) -> bool:
        """Show ``data`` (the subclass's :meth:`_render` arguments).

        A hidden chart only keeps the data and renders when shown. With ``draw=False`` the
        caller draws (``canvas.draw()``) when it suits it. Returns True if rendered.
        """
        self._data = data
        if not self.isVisible():
            self._stale = True
            return False
        self._stale = False
        theme = self.theme()
        self._wipe()
        self.ax.set_axis_on()
        self._style(theme)
        self._render(theme, *data)
        self._apply_margins()
        if draw:
            self.draw_idle()
        return True

    def _render(self, theme: ChartTheme, *data: object) -> None:
        raise NotImplementedError

    def _refresh(self) -> None:
        if self._data is not None:
            self.set_data(*self._data)
        else:
            self.render_empty(self._message)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def restyle(self) -> None:
        """Redraw in the current palette's colours (the parent calls this on a palette change:
        matplotlib pins the canvas's own palette, so the change never reaches the canvas)."""
        if self._ready:
            self._refresh()


@lru_cache(maxsize=512)
def _text_width_px(text: str, font_pt: float) -> float:
    """Width of ``text`` in logical pixels at 100 dpi (the figures' dpi)."""
    width, _h, _d = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=font_pt), ismath=False)
    return width * 100 / 72


def _label_margin(labels: list[str], font_pt: float = 8.0) -> int:
    """Pixels for a column of tick labels: the widest label, the tick and its padding."""
    return int(max((_text_width_px(x, font_pt) for x in labels), default=20.0)) + 14


class ReserveChart(ChartCanvas):
    """Stock of one material over the horizon, one line per scenario, coloured by family."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "Reserve over time by scenario")
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        self.ax.yaxis.set_major_formatter(FuncFormatter(_thousands))

    def _render(self, theme: ChartTheme, inputs: PlanInputs, result: PlanResult,
                material: str) -> None:
        ax = self.ax
        mi = result.material_names.index(material)
        months = np.arange(result.months + 1)
        years = result.start_year + months / 12.0
        colours = family_colours(inputs, theme)
        # Draw the calm scenario last so the build-up shared by all scenarios reads clearly.
        order = sorted(result.scenarios, key=lambda s: scenario_family(s.name) == "No disruption")
        for outcome in order:
            fam = scenario_family(outcome.name)
            ax.plot(years, outcome.stock_t[mi], color=colours.get(fam, theme.text), lw=1.4,
                    alpha=0.9, solid_joinstyle="round")
        plan = result.material(material)
        if plan.reserve_target_t > 0:
            ax.axhline(plan.reserve_target_t, color=theme.muted, lw=0.9, ls="--")
            ax.annotate(f"target {plan.reserve_target_t:,.0f} t",
                        xy=(years[-1], plan.reserve_target_t), xytext=(0, 3),
                        textcoords="offset points", ha="right", va="bottom", fontsize=8,
                        color=theme.muted)
        ax.set_xlim(years[0], years[-1])
        ax.set_ylim(bottom=0, top=max(1.0, plan.reserve_target_t * 1.18,
                                      max(float(o.stock_t[mi].max()) for o in result.scenarios)
                                      * 1.05))
        ax.set_ylabel("Reserve stock (t)", fontsize=9)
        self.set_title(theme, f"{material} in reserve, by scenario (t)")
        ax.grid(True, axis="y", color=theme.grid, lw=0.6)
        legend = self.text_legend(theme, [(short_label(f, 30), c) for f, c in colours.items()])
        ticks = [_thousands(v, 0) for v in ax.get_yticks()]
        self.margins = (_label_margin(ticks) + 22, 14, 30, 24 + legend)


class UnmetChart(ChartCanvas):
    """Unmet demand of one material per scenario, with and without the plan."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "Unmet demand by scenario")
        self.ax.xaxis.set_major_formatter(FuncFormatter(_compact))
        self.ax.xaxis.set_major_locator(MaxNLocator(nbins=4))

    def _render(self, theme: ChartTheme, inputs: PlanInputs, result: PlanResult,
                material: str) -> None:
        ax = self.ax
        mi = result.material_names.index(material)
        rows = [(o.name, float(o.unmet_t[mi].sum()), float(o.unmet_without_plan_t[mi].sum()))
                for o in result.scenarios]
        rows = [r for r in rows if r[1] > 0.05 or r[2] > 0.05] or rows[:1]
        rows.reverse()  # first scenario at the top
        y = np.arange(len(rows))
        h = 0.38
        ax.barh(y + h / 2, [r[2] for r in rows], height=h, color=theme.series["without"],
                label="without the plan")
        ax.barh(y - h / 2, [r[1] for r in rows], height=h, color=theme.series["with"],
                label="with the plan")
        labels = [short_label(r[0]) for r in rows]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(0, max(1.0, max(max(r[1], r[2]) for r in rows) * 1.05))
        ax.set_xlabel(f"t unmet over {result.months // 12} years", fontsize=9)
        self.set_title(theme, f"{material} unmet demand, by scenario (t)")
        ax.grid(True, axis="x", color=theme.grid, lw=0.6)
        ax.set_axisbelow(True)
        legend = self.text_legend(theme, [("with the plan", theme.series["with"]),
                                          ("without the plan", theme.series["without"])])
        self.margins = (_label_margin(labels), 16, 30, 36 + legend)


class CostChart(ChartCanvas):
    """Expected discounted cost by term; credits to the left of zero."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "Cost breakdown")
        self.ax.xaxis.set_major_formatter(FuncFormatter(_compact))
        self.ax.xaxis.set_major_locator(MaxNLocator(nbins=4))

    def _render(self, theme: ChartTheme, inputs: PlanInputs, result: PlanResult,
                material: str) -> None:
        ax = self.ax
        assert result.costs is not None
        items = list(result.costs.items())
        items.reverse()
        y = np.arange(len(items))
        values = [v / 1e6 for _, v in items]
        colours = [theme.series["credit"] if v < 0 else theme.series["cost"] for v in values]
        ax.barh(y, values, height=0.6, color=colours)
        labels = [short_label(label, 26) for label, _ in items]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(items) - 0.4)
        ax.axvline(0, color=theme.muted, lw=0.8)
        span = max(abs(v) for v in values) or 1.0
        for yi, v in zip(y, values, strict=True):
            # Labels sit right of the bar end, or right of zero for credits.
            ax.text(max(v, 0.0) + 0.02 * span, yi, f"{v:,.0f}", va="center", ha="left",
                    fontsize=7.5, color=theme.text)
        lo = min(0.0, min(values)) - 0.04 * span
        hi = max(0.0, max(values)) + 0.25 * span
        ax.set_xlim(lo, hi)
        ax.set_xlabel("$M, expected, discounted", fontsize=9)
        self.set_title(theme, f"Cost by term, all materials: ${result.costs.total_usd / 1e6:,.0f}M")
        ax.grid(True, axis="x", color=theme.grid, lw=0.6)
        ax.set_axisbelow(True)
        self.margins = (_label_margin(labels), 16, 30, 42)
