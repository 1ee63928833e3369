"""A chart widget for any Qt-free figure of :mod:`reserve_planner.charts`.

``chart.set_figure(tornado_figure, tornado, "objective_usd")`` asks the charts' render thread
(:mod:`.charts`) to call the figure function there, size the figure to the widget (100 dpi
per logical pixel, times the device pixel ratio) and draw it on its Agg canvas; the image
comes back as for every other chart, so only the newest request at the current size shows.
The figure functions are the ones the report draws, so the window and the report show the
same charts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from .charts import ChartPainter, ChartSummary, ChartTheme, ChartWidget, RenderRequest, pixel_size


class FigurePainter(ChartPainter):
    """Draws the figure a :mod:`reserve_planner.charts` function makes from the request's
    data ``(make, *args)``; a request without data shows its message, as every painter."""

    title = "Analysis chart"

    def __init__(self) -> None:
        super().__init__()
        self._last: Figure | None = None

    def render(self, request: RenderRequest) -> np.ndarray:
        if request.data is None:
            self._last = None
            return super().render(request)
        import threading

        self.last_thread_id = threading.get_ident()
        make, *args = request.data
        fig = make(*args)
        dpi = 100.0 * request.dpr
        px_w, px_h = pixel_size(request.width, request.height, request.dpr)
        fig.set_dpi(dpi)
        fig.set_size_inches((px_w + 0.01) / dpi, (px_h + 0.01) / dpi, forward=False)
        canvas = fig.canvas
        canvas.draw()
        self._last = fig
        self.render_count += 1
        return np.array(canvas.buffer_rgba(), dtype=np.uint8, copy=True)

    def summary(self) -> ChartSummary:
        fig = self._last
        if fig is None or not fig.axes:
            return super().summary()
        ax = fig.axes[0]
        title = ax.get_title(loc="left") or ax.get_title()
        return ChartSummary(title.replace("\\$", "$"), ax.get_xlabel().replace("\\$", "$"),
                            ax.get_ylabel().replace("\\$", "$"), "",
                            sum(len(a.lines) for a in fig.axes), self.last_thread_id or 0)

    def _render(self, theme: ChartTheme, *data: object) -> None:  # pragma: no cover
        raise NotImplementedError("FigurePainter draws through render()")


class FigureChart(ChartWidget):
    """Shows one :mod:`reserve_planner.charts` figure, rendered off the GUI thread."""

    painter_class = FigurePainter

    def set_figure(self, make: Callable[..., Figure], *args: object) -> bool:
        """Show ``make(*args)`` (called on the render thread). True if a render started."""
        return self.set_data(make, *args)
