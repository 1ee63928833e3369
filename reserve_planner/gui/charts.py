"""The window's charts: chart definitions from :mod:`reserve_planner.charts` rendered off the
GUI thread and shown as images.

Every chart is defined once, Qt-free, as a function ``draw(fig, theme, *data)`` that draws
onto a matplotlib figure (see :mod:`reserve_planner.charts`); the report draws the same
functions at print size. Here a :class:`ChartPainter` owns one
:class:`~matplotlib.figure.Figure` on matplotlib's Agg canvas (no pyplot), sizes it to the
widget in pixels, and turns a :class:`RenderRequest` (pixel size, device pixel ratio, colours
as a :class:`ChartTheme`, and the data) into RGBA pixels by calling its definition. Renders
run on one dedicated thread (a ``QThreadPool`` with one thread, so a figure is never drawn by
two threads at once and matplotlib's font caches are only used there); the image comes back
to the GUI thread with its request id, and a widget shows only the image for its newest
request at its current size. While a resize settles the widget scales its last image.

Colours come from the widget's palette (background, text, grid), read on the GUI thread, and
the charts' colour-blind-safe series palette (Okabe-Ito) with a lighter variant for dark
palettes; a palette change renders again. A chart that is not visible only remembers its
data and renders when shown.

Any definition can be shown with :class:`FigureChart`::

    from reserve_planner.charts import draw_tornado
    from reserve_planner.gui.charts import FigureChart

    chart = FigureChart(draw_tornado, "Tornado of the objective")
    chart.set_data(tornado, "objective_usd", 12)   # draws draw_tornado(fig, theme, tornado, ...)
    chart.render_empty("Run a sensitivity study to see its tornado")
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shiboken6
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
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

from ..charts.families import family_colours, scenario_family, short_label
from ..charts.plan_charts import draw_cost, draw_reserve, draw_unmet
from ..charts.style import DARK_SERIES, LIGHT_SERIES, Theme, plain_text, prepare, shown_text
from ..model import PlanInputs
from ..optimize import PlanResult

log = logging.getLogger(__name__)

__all__ = ["ChartPainter", "ChartSummary", "ChartTheme", "ChartWidget", "CostChart",
           "CostPainter", "DrawFunction", "FigureChart", "RenderRequest", "RenderedImage",
           "ReserveChart", "ReservePainter", "UnmetChart", "UnmetPainter", "family_colours",
           "pixel_size", "render_pool", "scenario_family", "short_label",
           "wait_for_chart_renders"]

# The charts' palette (reserve_planner.charts.style), by the names the window used.
_LIGHT = LIGHT_SERIES
_DARK = DARK_SERIES

#: A chart definition: draws ``*data`` onto the figure in the theme's colours.
DrawFunction = Callable[..., None]


@dataclass(frozen=True)
class ChartTheme(Theme):
    """A :class:`~reserve_planner.charts.style.Theme` read from a widget's palette."""

    @staticmethod
    def from_palette(palette: QPalette) -> ChartTheme:
        """Background and text from the palette's Base and Text roles; the grid a 20% and
        muted text a 60% mix of text into background; the dark series on a dark Base."""
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        dark = bg.lightnessF() < 0.5
        mix = QColor.fromRgbF(*(0.8 * a + 0.2 * b for a, b in zip(
            bg.getRgbF()[:3], fg.getRgbF()[:3], strict=True)))
        muted = QColor.fromRgbF(*(0.4 * a + 0.6 * b for a, b in zip(
            bg.getRgbF()[:3], fg.getRgbF()[:3], strict=True)))
        return ChartTheme(dark, bg.name(), fg.name(), muted.name(), mix.name(),
                          _DARK if dark else _LIGHT)


# ---------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class RenderRequest:
    """Everything a painter needs, as plain data: it never looks at a widget."""

    request_id: int
    width: int  # logical pixels
    height: int
    dpr: float  # device pixel ratio
    theme: Theme
    data: tuple | None  # the definition's arguments after (fig, theme); None: ``message``
    message: str = "No plan to show"

    @property
    def pixel_size(self) -> tuple[int, int]:
        return pixel_size(self.width, self.height, self.dpr)


def pixel_size(width: int, height: int, dpr: float) -> tuple[int, int]:
    """Device pixels of a widget ``width`` x ``height`` logical pixels at ratio ``dpr``."""
    return max(1, round(width * dpr)), max(1, round(height * dpr))


@dataclass(frozen=True)
class ChartSummary:
    """What the last render put in the figure, as text (for tests and accessibility):
    the first panel's title and axis labels and its number of lines."""

    title: str
    xlabel: str
    ylabel: str
    message: str
    lines: int
    thread_id: int  # the thread that drew it


# ---------------------------------------------------------------------------------- painters


class ChartPainter:
    """Draws one chart definition into RGBA pixels with matplotlib's Agg canvas: no Qt, no
    pyplot.

    ``draw(fig, theme, *data)`` is the definition (a subclass may set it as a class
    attribute instead). The painter sizes its one figure to the request at 100 dpi per
    logical pixel (as ``FigureCanvasQTAgg`` does, so type scales with the screen) and lets
    the definition draw; the definitions use constrained layout, so nothing is cut at any
    size. Not thread-safe: only one thread at a time may call :meth:`render` (the charts'
    render pool has a single thread).
    """

    #: The chart's accessible name.
    title = ""
    #: The definition, when a subclass fixes it.
    draw: DrawFunction | None = None

    def __init__(self, draw: DrawFunction | None = None, title: str | None = None) -> None:
        # a class attribute holds a staticmethod: read through the class, a plain function
        self._draw = draw if draw is not None else type(self).draw
        if title is not None:
            self.title = title
        self.figure = Figure(figsize=(5, 3), dpi=100)
        self.canvas = FigureCanvasAgg(self.figure)
        self._dpr = 1.0
        self._size: tuple[int, int, float] | None = None
        self._message_text = self.figure.text(0.5, 0.5, "")
        self._message = ""
        self.render_count = 0
        self.last_thread_id: int | None = None

    def _resize(self, width: int, height: int, dpr: float) -> None:
        """Size the figure to ``width`` x ``height`` logical pixels at ratio ``dpr``."""
        if self._size == (width, height, dpr):
            return
        self._size = (width, height, dpr)
        self._dpr = dpr
        dpi = 100.0 * dpr
        px_w, px_h = pixel_size(width, height, dpr)
        # A hair over the exact size, so the canvas's int() never loses the last pixel.
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches((px_w + 0.01) / dpi, (px_h + 0.01) / dpi, forward=False)

    def render(self, request: RenderRequest) -> np.ndarray:
        """Draw ``request`` and return its pixels, an (height, width, 4) RGBA array (a copy)."""
        self.last_thread_id = threading.get_ident()
        self._resize(request.width, request.height, request.dpr)
        theme = request.theme
        if request.data is None:
            self._draw_message(theme, request.message)
        else:
            try:
                self._render(theme, *request.data)
            except Exception as exc:  # a bad definition or data: say so in the chart
                log.exception("drawing the chart %r failed", self.title)
                self._draw_message(theme, f"This chart could not be drawn: {exc}")
        self.canvas.draw()
        self.render_count += 1
        return np.array(self.canvas.buffer_rgba(), dtype=np.uint8, copy=True)

    def _render(self, theme: Theme, *data: object) -> None:
        if self._draw is None:  # a message-only painter was handed data to draw
            raise TypeError(f"{type(self).__name__} was given data but no chart definition "
                            "to draw it with (pass draw=...)")
        self._message = ""
        self._draw(self.figure, theme, *data)

    def _draw_message(self, theme: Theme, message: str) -> None:
        """A blank figure with ``message`` in the middle, wrapping at the figure's edges
        so a narrow chart never cuts it off."""
        prepare(self.figure, theme)
        self.figure.set_layout_engine("none")
        self._message = message
        self._message_text = self.figure.text(0.5, 0.5, plain_text(message), ha="center",
                                              va="center", fontsize=theme.font_pt + 2,
                                              wrap=True, multialignment="center",
                                              color=theme.muted)

    def summary(self) -> ChartSummary:
        """The texts of the last render (call on the thread that rendered, or when idle)."""
        fig = self.figure
        axes = [ax for ax in fig.axes if ax.get_visible()]
        title = xlabel = ylabel = ""
        lines = 0
        if axes:
            ax = axes[0]
            title = ax.get_title("left") or ax.get_title()
            xlabel, ylabel, lines = ax.get_xlabel(), ax.get_ylabel(), len(ax.lines)
        if fig._suptitle is not None and fig._suptitle.get_text():
            title = fig._suptitle.get_text()
        return ChartSummary(shown_text(title), shown_text(xlabel), shown_text(ylabel),
                            self._message, lines, self.last_thread_id or 0)


def _plan_chart(draw: DrawFunction) -> DrawFunction:
    """A plan definition with the window's data order: (inputs, result, material)."""

    def window_draw(fig: Figure, theme: Theme, inputs: PlanInputs, result: PlanResult,
                    material: str) -> None:
        draw(fig, theme, result, material, inputs)

    window_draw.__doc__ = draw.__doc__
    return window_draw


class ReservePainter(ChartPainter):
    """Stock of one material over the horizon, one line per scenario
    (:func:`~reserve_planner.charts.plan_charts.draw_reserve`)."""

    title = "Reserve over time by scenario"
    draw = staticmethod(_plan_chart(draw_reserve))


class UnmetPainter(ChartPainter):
    """Unmet demand of one material per scenario, with and without the plan
    (:func:`~reserve_planner.charts.plan_charts.draw_unmet`)."""

    title = "Unmet demand by scenario"
    draw = staticmethod(_plan_chart(draw_unmet))


class CostPainter(ChartPainter):
    """Expected discounted cost by term, credits left of zero
    (:func:`~reserve_planner.charts.plan_charts.draw_cost`)."""

    title = "Cost breakdown"
    draw = staticmethod(_plan_chart(draw_cost))


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

    def __init__(self, parent: QWidget | None = None, painter: ChartPainter | None = None):
        super().__init__(parent)
        self.painter = painter if painter is not None else self.painter_class()
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
        """Show ``data`` (the definition's arguments after the figure and theme). A hidden
        chart only keeps the data and renders when shown. Returns True if a render was
        requested."""
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


class _FigurePainter(ChartPainter):
    """Draws the definition that comes with each request's data: ``(draw, *data)``."""

    title = "Chart"

    def _render(self, theme: Theme, *data: object) -> None:
        draw, *rest = data
        self._message = ""
        draw(self.figure, theme, *rest)


class FigureChart(ChartWidget):
    """Shows any chart definition ``draw(fig, theme, *data)`` from :mod:`reserve_planner.charts`.

    The definition runs on the chart thread with the widget's figure (sized to the widget),
    its palette's :class:`ChartTheme` (dark mode included) and the arguments given to
    :meth:`set_data`; it must draw only onto that figure (no pyplot, no Qt) and start with
    :func:`reserve_planner.charts.style.prepare` (as every definition there does). Usage::

        from functools import partial
        from reserve_planner.charts import (draw_budget_frontier, draw_size_curves,
                                            draw_tornado)

        tornado_chart = FigureChart(draw_tornado, "Tornado", parent=tab)
        tornado_chart.set_data(study.tornado, "objective_usd", 12)   # metric, bars
        frontier_chart = FigureChart(draw_budget_frontier, "Budget frontier")
        frontier_chart.set_data(frontier)
        curves = FigureChart(draw_size_curves, "Reserve size curves")
        curves.set_data([m.near_optimal for m in result.materials if m.near_optimal])
        curves.render_empty("Solve with a near-optimal tolerance to see size curves")
        top5 = FigureChart(partial(draw_tornado, n=5), "Five largest swings")  # keywords
        chart = FigureChart(title="Analysis chart")   # no definition yet:
        chart.show_chart(draw_risk_frontier, frontier)  # definition and data together
        tornado_chart.rendered.connect(on_image)  # a new image is on screen (request id)

    ``set_data`` while hidden only keeps the data; the chart renders when shown, at its
    size, and again on resize or palette change. A definition that raises is logged and
    the chart says it could not be drawn, with the error's message. ``min_size`` is the
    smallest size in logical pixels (w, h).
    ``shown.summary`` holds the first panel's title, axis labels and line count.
    """

    def __init__(self, draw: DrawFunction | None = None, title: str = "",
                 parent: QWidget | None = None, message: str = "Nothing to show yet",
                 min_size: tuple[int, int] = (180, 180)):
        super().__init__(parent, painter=_FigurePainter(title=title or "Chart"))
        self.draw = draw
        self._message = message
        self.setMinimumSize(*min_size)

    def set_data(self, *data: object) -> bool:
        """Show ``draw(fig, theme, *data)`` with the chart's definition. Returns True if a
        render was requested (False while hidden: it renders when shown)."""
        if self.draw is None:
            raise ValueError("this FigureChart has no chart definition: use show_chart("
                             "draw, *data) or FigureChart(draw)")
        return super().set_data(self.draw, *data)

    def show_chart(self, draw: DrawFunction, *data: object) -> bool:
        """Switch to the definition ``draw`` and show ``data`` with it."""
        self.draw = draw
        return self.set_data(*data)
