"""One look for every analysis chart: palette, type size, figure making, plain-text labels.

Charts are matplotlib :class:`~matplotlib.figure.Figure` objects on the Agg canvas, made
without pyplot (no global state, safe on a worker thread). The window and the report render
the same figures.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FONT_PT = 8.0
DPI = 150

#: Colour by role: the same meaning has the same colour in every analysis chart.
COLORS = {
    "low": "#4393c3",  # an input at its low value
    "high": "#d6604d",  # an input at its high value
    "line": "#1f77b4",  # a frontier
    "chosen": "#d62728",  # the chosen plan
    "base": "#404040",  # the base value / reference lines
    "grid": "#e0e0e0",
    "flip": "#000000",  # a decision that flips
    "muted": "#9e9e9e",
}


def plain_text(text: object) -> str:
    """``text`` as matplotlib shows it literally: every ``$`` escaped, so a name such as
    ``"Cost $5 to $10"`` never switches on mathtext."""
    return str(text).replace("$", r"\$")


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure with an Agg canvas and a constrained layout (labels are never cut)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def style_axes(ax) -> None:
    """Light grid behind the data, no top and right spines, the common type size."""
    ax.tick_params(labelsize=FONT_PT)
    ax.grid(True, color=COLORS["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def money_m(usd: float) -> str:
    """Dollars as millions with a thousands separator, e.g. ``"$1,234.5M"`` (escaped)."""
    return plain_text(f"${usd / 1e6:,.1f}M")


def png_bytes(fig: Figure) -> bytes:
    """``fig`` drawn and encoded as PNG."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()
