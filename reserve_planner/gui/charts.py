"""The plan's charts: matplotlib figures rendered off the GUI thread, shown as images.

Each chart is a plain :class:`ChartWidget` that paints a ``QImage``. The drawing is done by a
:class:`ChartPainter`, which touches no Qt: it owns one :class:`~matplotlib.figure.Figure` on
matplotlib's Agg canvas (no pyplot) and turns a :class:`RenderRequest` (pixel size, device
pixel ratio, colours as a :class:`ChartTheme`, and the data) into RGBA pixels. Renders run on
one dedicated thread (a ``QThreadPool`` with one thread, so a figure is never drawn by two
threads at once and matplotlib's font caches are only used there); the image comes back to
the GUI thread with its request id, and a widget shows only the image for its newest request
at its current size. While a resize settles the widget scales its last image.

Colours come from the widget's palette (background, text, grid), read on the GUI thread, and a
colour-blind-safe series palette (Okabe-Ito) with a lighter variant for dark palettes; a
palette change renders again. A chart that is not visible only remembers its data and renders
when shown.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
import weakref
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shiboken6
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..model import PlanInputs
from ..model.adjustments import is_calm, is_full_embargo
from ..optimize import PlanResult
from ..report.charts import plain_text

log = logging.getLogger(__name__)

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
    """A colour per scenario family: calm grey, embargoes vermillion, others cycled (the
    palette repeats for as many families as there are)."""
    colours: dict[str, str] = {}
    cycle = itertools.cycle(theme.series["cycle"])
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


# ---------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class RenderRequest:
    """Everything a painter needs, as plain data: it never looks at a widget."""

    request_id: int
    width: int  # logical pixels
    height: int
    dpr: float  # device pixel ratio
    theme: ChartTheme
    data: tuple | None  # the painter's ``_render`` arguments; None shows ``message``
    message: str = "No plan to show"

    @property
    def pixel_size(self) -> tuple[int, int]:
        return pixel_size(self.width, self.height, self.dpr)


def pixel_size(width: int, height: int, dpr: float) -> tuple[int, int]:
    """Device pixels of a widget ``width`` x ``height`` logical pixels at ratio ``dpr``."""
    return max(1, round(width * dpr)), max(1, round(height * dpr))


@dataclass(frozen=True)
class ChartSummary:
    """What the last render put in the figure, as text (for tests and accessibility)."""

    title: str
    xlabel: str
    ylabel: str
    message: str
    lines: int
    thread_id: int  # the thread that drew it


# ---------------------------------------------------------------------------------- painters


class ChartPainter:
    """Draws one chart into RGBA pixels with matplotlib's Agg canvas: no Qt, no pyplot.

    Built for rendering several times a second while a slider moves: no layout engine
    (margins are fixed in pixels, see :attr:`margins`), the axes are emptied of artists
    instead of cleared (so tick objects survive). Not thread-safe: only one thread at a time
    may call :meth:`render` (the charts' render pool has a single thread).
    """

    #: The chart's accessible name.
    title = ""

    def __init__(self) -> None:
        self.figure = Figure(figsize=(5, 3), dpi=100)
        self.canvas = FigureCanvasAgg(self.figure)
        self._dpr = 1.0
        self._size: tuple[int, int, float] | None = None
        self._styled_theme: ChartTheme | None = None
        self._legend_texts: list = []
        #: left, right, top, bottom margins in logical pixels
        self.margins = (56, 14, 30, 40)
        self.ax = self.figure.add_subplot()
        # The no-plan message sits in the middle of the figure and wraps at its edges, so
        # a narrow chart never cuts it off.
        self._message_text = self.figure.text(0.5, 0.5, "", ha="center", va="center",
                                              fontsize=10, wrap=True,
                                              multialignment="center")
        self.render_count = 0
        self.last_thread_id: int | None = None

    # ------------------------------------------------------------------ layout

    def _resize(self, width: int, height: int, dpr: float) -> None:
        """Size the figure to ``width`` x ``height`` logical pixels at ratio ``dpr``: 100 dpi
        per logical pixel, as ``FigureCanvasQTAgg`` does, so text and lines scale with it."""
        if self._size == (width, height, dpr):
            return
        self._size = (width, height, dpr)
        self._dpr = dpr
        dpi = 100.0 * dpr
        px_w, px_h = pixel_size(width, height, dpr)
        # A hair over the exact size, so the canvas's int() never loses the last pixel.
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches((px_w + 0.01) / dpi, (px_h + 0.01) / dpi, forward=False)
        self._apply_margins()

    def _logical_size(self) -> tuple[float, float]:
        return self.figure.bbox.width / self._dpr, self.figure.bbox.height / self._dpr

    def _apply_margins(self) -> None:
        width, height = self._logical_size()
        if width < 40 or height < 40:
            return
        left, right, top, bottom = self.margins
        lo_x = min(0.55, left / width)
        hi_x = max(lo_x + 0.1, 1 - right / width)
        lo_y = min(0.45, bottom / height)
        hi_y = max(lo_y + 0.1, 1 - top / height)
        self.figure.subplots_adjust(left=lo_x, right=hi_x, bottom=lo_y, top=hi_y)

    # ------------------------------------------------------------------ drawing

    def render(self, request: RenderRequest) -> np.ndarray:
        """Draw ``request`` and return its pixels, an (height, width, 4) RGBA array (a copy)."""
        self.last_thread_id = threading.get_ident()
        self._resize(request.width, request.height, request.dpr)
        theme = request.theme
        self._wipe()
        self._style(theme)
        if request.data is None:
            self.ax.set_axis_off()
            self._message_text.set_text(plain_text(request.message))
            self._message_text.set_color(theme.muted)
        else:
            self.ax.set_axis_on()
            self._render(theme, *request.data)
            self._apply_margins()
        self.canvas.draw()
        self.render_count += 1
        return np.array(self.canvas.buffer_rgba(), dtype=np.uint8, copy=True)

    def summary(self) -> ChartSummary:
        """The texts of the last render (call on the thread that rendered, or when idle)."""
        suptitle = self.figure._suptitle

        def shown(text: str) -> str:  # as drawn: plain_text's "\\$" is a "$" on screen
            return text.replace("\\$", "$")

        return ChartSummary(shown(suptitle.get_text()) if suptitle is not None else "",
                            shown(self.ax.get_xlabel()), shown(self.ax.get_ylabel()),
                            shown(self._message_text.get_text()), len(self.ax.lines),
                            self.last_thread_id or 0)

    def _style(self, theme: ChartTheme) -> None:
        """Apply ``theme`` (only when it changed: restyling every render is costly)."""
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
        the chart renders while a slider moves. Returns the pixels it takes.
        """
        width, height = (max(1.0, v) for v in self._logical_size())
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
                text = self.figure.text((x + 16) / width, y, plain_text(label), color=theme.text,
                                        fontsize=8, ha="left", va="bottom")
                self._legend_texts += [mark, text]
        return 8 + 15 * len(rows)

    def set_title(self, theme: ChartTheme, text: str) -> None:
        """A left-aligned title across the whole figure (never clipped by the axes)."""
        self.figure.suptitle(plain_text(text), x=8 / max(1.0, self._logical_size()[0]),
                             y=0.985, ha="left", va="top", fontsize=10, color=theme.text)

    def _render(self, theme: ChartTheme, *data: object) -> None:
        raise NotImplementedError


@lru_cache(maxsize=512)
def _text_width_px(text: str, font_pt: float) -> float:
    """Width of ``text`` in logical pixels at 100 dpi (the figures' dpi).

    Called on the render thread only; ``lru_cache`` is thread-safe and matplotlib keeps its
    FreeType fonts per thread, so a caller on another thread would be safe too.
    """
    width, _h, _d = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=font_pt), ismath=False)
    return width * 100 / 72


def _label_margin(labels: list[str], font_pt: float = 8.0) -> int:
    """Pixels for a column of tick labels: the widest label, the tick and its padding."""
    return int(max((_text_width_px(x, font_pt) for x in labels), default=20.0)) + 14


class ReservePainter(ChartPainter):
    """Stock of one material over the horizon, one line per scenario, coloured by family."""

    title = "Reserve over time by scenario"

    def __init__(self) -> None:
        super().__init__()
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


class UnmetPainter(ChartPainter):
    """Unmet demand of one material per scenario, with and without the plan."""

    title = "Unmet demand by scenario"

    def __init__(self) -> None:
        super().__init__()
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
                label="status quo (no new reserve or floor)")
        ax.barh(y - h / 2, [r[1] for r in rows], height=h, color=theme.series["with"],
                label="with the plan")
        labels = [short_label(r[0]) for r in rows]
        ax.set_yticks(y, [plain_text(x) for x in labels])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(0, max(1.0, max(max(r[1], r[2]) for r in rows) * 1.05))
        ax.set_xlabel(f"t unmet over {result.months // 12} years", fontsize=9)
        self.set_title(theme, f"{material} unmet demand, by scenario (t)")
        ax.grid(True, axis="x", color=theme.grid, lw=0.6)
        ax.set_axisbelow(True)
        legend = self.text_legend(theme, [("with the plan", theme.series["with"]),
                                          ("status quo", theme.series["without"])])
        self.margins = (_label_margin(labels), 16, 30, 36 + legend)


class CostPainter(ChartPainter):
    """Expected discounted cost by term; credits to the left of zero."""

    title = "Cost breakdown"

    def __init__(self) -> None:
        super().__init__()
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
        ax.set_yticks(y, [plain_text(x) for x in labels])
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
        # Right-aligned with the axes: centred, it ran off a narrow chart.
        ax.set_xlabel(plain_text("$M, expected, discounted"), fontsize=9, loc="right")
        self.set_title(theme, f"Cost by term, all materials: ${result.costs.total_usd / 1e6:,.0f}M")
        ax.grid(True, axis="x", color=theme.grid, lw=0.6)
        ax.set_axisbelow(True)
        self.margins = (_label_margin(labels), 16, 30, 42)


# ---------------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class RenderedImage:
    """A finished render: the request, its image (device pixels, ratio set) and its texts."""

    request: RenderRequest
    image: QImage
    summary: ChartSummary
    seconds: float  # wall time on the render thread
    cpu_seconds: float  # CPU time of the render thread


_POOL: QThreadPool | None = None
_HUB: _RenderHub | None = None
_KEYS = itertools.count(1)


def render_pool() -> QThreadPool:
    """The charts' own pool: one thread, so each figure is drawn by one thread at a time."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("chartRenderPool")
        _POOL.setMaxThreadCount(1)
    return _POOL


def wait_for_chart_renders(timeout_ms: int = 30_000) -> bool:
    """Block until no chart is rendering (application exit and test teardown)."""
    return _POOL is None or _POOL.waitForDone(timeout_ms)


class _RenderHub(QObject):
    """Lives in the GUI thread for the whole run; renders report through it, and it hands
    each image to its chart if the chart still exists (a closed window's are ignored)."""

    done = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.charts: weakref.WeakValueDictionary[int, ChartWidget] = \
            weakref.WeakValueDictionary()
        self.done.connect(self._deliver)

    @Slot(int, object)
    def _deliver(self, key: int, rendered: RenderedImage) -> None:
        chart = self.charts.get(key)
        if chart is not None and shiboken6.isValid(chart):
            chart._on_rendered(rendered)


def _hub() -> _RenderHub:
    global _HUB
    if _HUB is None:
        _HUB = _RenderHub()
    return _HUB


class _RenderSlot:
    """One chart's mailbox: the newest request waits here, older ones are never rendered.

    At most one task per chart is queued on the pool; when it runs it takes whatever request
    is newest at that moment.
    """

    def __init__(self, key: int, painter: ChartPainter, hub: _RenderHub):
        self.key = key
        self.painter = painter
        self._hub = hub  # a reference, so the hub outlives every render
        self._lock = threading.Lock()
        self._request: RenderRequest | None = None
        self._queued = False

    def post(self, request: RenderRequest) -> None:
        with self._lock:
            self._request = request
            if self._queued:
                return
            self._queued = True
        render_pool().start(self._run)

    def _run(self) -> None:
        """On the render thread."""
        with self._lock:
            request, self._request = self._request, None
            self._queued = False
        if request is None:
            return
        w0, c0 = time.perf_counter(), time.thread_time()
        try:
            rgba = self.painter.render(request)
            summary = self.painter.summary()
            height, width = rgba.shape[:2]
            image = QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888)
            # A deep copy in the format the raster engine paints fastest.
            image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(request.dpr)
        except Exception:  # never let a chart kill the render thread; the old image stays
            log.exception("rendering the chart %r failed", self.painter.title)
            return
        rendered = RenderedImage(request, image, summary, time.perf_counter() - w0,
                                 time.thread_time() - c0)
        self._hub.done.emit(self.key, rendered)


# ---------------------------------------------------------------------------------- widgets


class ChartWidget(QWidget):
    """Shows its painter's chart as an image rendered on the chart thread.

    :meth:`set_data` and :meth:`render_empty` ask for a render (only while visible; a
    hidden chart remembers and renders when shown). Images arrive with the id of their
    request; one that is not for the newest request, or not at the widget's current size,
    is dropped. A resize scales the last image until a render at the new size arrives.
    """

    #: A new image is on screen (its request id).
    rendered = Signal(int)

    painter_class: type[ChartPainter] = ChartPainter
    #: Quiet time after a resize before rendering at the new size [ms].
    RESIZE_DELAY_MS = 80

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.painter = self.painter_class()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 180)
        self.setAccessibleName(self.painter.title)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # every pixel is painted
        self._data: tuple | None = None
        self._message = "No plan to show"
        self._stale = True  # the data changed since the last request
        self._latest: RenderRequest | None = None
        self._next_id = 0
        #: The image on screen and what it shows.
        self.shown: RenderedImage | None = None
        self.image_count = 0  # images shown
        self.dropped = 0  # images thrown away: superseded, or the wrong size
        hub = _hub()
        key = next(_KEYS)
        hub.charts[key] = self
        self._slot = _RenderSlot(key, self.painter, hub)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._request)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(420, 300)

    def theme(self) -> ChartTheme:
        """Colours from the widget's palette (read on the GUI thread)."""
        return ChartTheme.from_palette(self.palette())

    def target_size(self) -> tuple[int, int]:
        """The image size that fits the widget now, in device pixels."""
        return pixel_size(self.width(), self.height(), self.devicePixelRatioF())

    @property
    def is_current(self) -> bool:
        """The image on screen is for the newest data, palette and size."""
        return (not self._stale and self.shown is not None and self._latest is not None
                and self.shown.request.request_id == self._latest.request_id
                and self.shown.request.pixel_size == self.target_size()
                and self.shown.request.theme == self.theme())

    # ------------------------------------------------------------------ requests

    def render_empty(self, message: str = "No plan to show") -> bool:
        """Blank the chart with ``message`` in the middle. Returns True if a render started."""
        self._data = None
        self._message = message
        return self._refresh()

    def set_data(self, *data: object) -> bool:
        """Show ``data`` (the painter's ``_render`` arguments). A hidden chart only keeps the
        data and renders when shown. Returns True if a render was requested."""
        self._data = data
        return self._refresh()

    def restyle(self) -> None:
        """Render again in the current palette's colours."""
        self._refresh()

    def _refresh(self) -> bool:
        self._stale = True
        if not self.isVisible():
            return False
        self._request()
        return True

    def _request(self) -> None:
        """Ask the render thread for the current data at the current size, now."""
        self._timer.stop()
        if not self.isVisible():
            return
        self._stale = False
        self._next_id += 1
        request = RenderRequest(self._next_id, max(1, self.width()), max(1, self.height()),
                                self.devicePixelRatioF(), self.theme(), self._data,
                                self._message)
        self._latest = request
        self._slot.post(request)

    def _request_soon(self, delay_ms: int = 0) -> None:
        self._timer.start(delay_ms)

    def _on_rendered(self, rendered: RenderedImage) -> None:
        request = rendered.request
        if self._latest is None or request.request_id != self._latest.request_id \
                or request.pixel_size != self.target_size():
            self.dropped += 1
            return
        self.shown = rendered
        self.image_count += 1
        title = rendered.summary.title or rendered.summary.message
        self.setAccessibleDescription(title)
        self.update()
        self.rendered.emit(request.request_id)

    # ------------------------------------------------------------------ events

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            if self.shown is None:
                painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
                return
            image = self.shown.image
            if self.shown.request.pixel_size == self.target_size():
                painter.drawImage(QPoint(0, 0), image)
            else:  # resizing: stretch the last image until the new one arrives
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(QRectF(self.rect()), image)
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.isVisible():
            self._request_soon(0 if self.shown is None else self.RESIZE_DELAY_MS)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.is_current:
            self._request_soon(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange and self.isVisible():
            self._request_soon(0)
        return super().event(event)


class ReserveChart(ChartWidget):
    """Stock of one material over the horizon, one line per scenario, coloured by family."""

    painter_class = ReservePainter


class UnmetChart(ChartWidget):
    """Unmet demand of one material per scenario, with and without the plan."""

    painter_class = UnmetPainter


class CostChart(ChartWidget):
    """Expected discounted cost by term; credits to the left of zero."""

    painter_class = CostPainter
