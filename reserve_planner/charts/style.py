"""One look for every chart: the palette, the themes, type sizes, figure making, formatters.

Charts are matplotlib :class:`~matplotlib.figure.Figure` objects on the Agg canvas, made
without pyplot (no global state, safe on a worker thread). A chart definition draws onto a
figure it is given, in the colours of a :class:`Theme`: the window passes a theme read from
its palette (light or dark), the report passes :data:`PRINT_THEME`. Both render the same
definitions.

The series palette is Okabe-Ito (colour-blind safe), with a lighter variant that reads on a
dark background. Members of one scenario family share the family's colour and differ by
line style (:data:`MEMBER_STYLES`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Base type size [pt]: tick labels and legends; titles are a point or two larger.
FONT_PT = 8.0
#: Pixels per inch of the standalone (report, export) figures [px/in].
DPI = 150
#: The charts' typeface: matplotlib's own DejaVu Sans (also the report body's font).
FONT_FAMILY = "DejaVu Sans"

#: Series colours on a light background: Okabe-Ito.
LIGHT_SERIES = MappingProxyType({
    "calm": "#7F7F7F",  # the no-disruption family
    "embargo": "#D55E00",  # full embargoes
    "cycle": ["#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9"],  # other families
    "with": "#0072B2",  # with the plan
    "without": "#BDBDBD",  # the status quo
    "cost": "#D55E00",  # a cost term
    "credit": "#009E73",  # a credit (negative cost)
    "total": "#404040",  # a total bar
    "low": "#0072B2",  # an input at its low value
    "high": "#D55E00",  # an input at its high value
    "line": "#0072B2",  # a frontier or curve
    "chosen": "#CC79A7",  # the chosen plan
    "band": "#D6E6F4",  # the near-optimal band: an opaque tint of the line colour
})
#: The same roles, lighter, for a dark background.
DARK_SERIES = MappingProxyType({
    "calm": "#A8A8A8",
    "embargo": "#FF8C42",
    "cycle": ["#56B4E9", "#E39AC4", "#3CC8A0", "#F0C04A", "#9ED7F5"],
    "with": "#56B4E9",
    "without": "#6A6A6A",
    "cost": "#FF8C42",
    "credit": "#3CC8A0",
    "total": "#C8C8C8",
    "low": "#56B4E9",
    "high": "#FF8C42",
    "line": "#56B4E9",
    "chosen": "#E39AC4",
    "band": "#24405A",
})

#: Line styles for the members of one scenario family, in order: solid first, then dash
#: patterns that stay distinct at 1 to 1.5 points (matplotlib's (offset, on-off) form).
MEMBER_STYLES = ("-", (0, (5, 1.6)), (0, (1.2, 1.4)), (0, (6, 1.6, 1.2, 1.6)),
                 (0, (2.6, 1.4)), (0, (9, 2)), (0, (6, 1.6, 1.2, 1.6, 1.2, 1.6)),
                 (0, (1.2, 3)), (0, (12, 2, 3, 2)), (0, (3, 3)))


@dataclass(frozen=True)
class Theme:
    """A chart's colours and type: background, text, muted text, grid, series roles.

    ``series`` maps a role ("calm", "embargo", "cycle", "with", "without", "cost",
    "credit", "total", "low", "high", "line", "chosen", "band") to a colour
    (:data:`LIGHT_SERIES` or :data:`DARK_SERIES`). ``font_pt`` is the base type size [pt].
    """

    dark: bool
    background: str
    text: str
    muted: str
    grid: str
    series: Mapping = field(default_factory=lambda: LIGHT_SERIES)
    font_pt: float = FONT_PT

    def colour(self, role: str) -> str:
        """The colour of ``role``: a series role, or "text", "muted", "grid"."""
        if role in ("text", "muted", "grid", "background"):
            return getattr(self, role)
        return self.series[role]


#: Print: black on white, 8 pt type (the report and exported images).
PRINT_THEME = Theme(False, "#ffffff", "#1a1a1a", "#606060", "#e0e0e0", LIGHT_SERIES)

#: Colour by role in print (kept for callers that want a colour without a theme).
COLORS = {
    "low": LIGHT_SERIES["low"],
    "high": LIGHT_SERIES["high"],
    "line": LIGHT_SERIES["line"],
    "chosen": LIGHT_SERIES["chosen"],
    "base": "#404040",  # the base value / reference lines
    "grid": PRINT_THEME.grid,
    "flip": "#000000",  # a decision that flips
    "muted": "#9e9e9e",
}


def plain_text(text: object) -> str:
    """``text`` as matplotlib shows it literally: every ``$`` escaped, so a name such as
    ``"Cost $5 to $10"`` never switches on mathtext (matplotlib shows ``\\$`` as ``$``)."""
    return str(text).replace("$", r"\$")


def shown_text(text: str) -> str:
    """A label as it appears on screen: :func:`plain_text`'s ``\\$`` is a ``$``."""
    return text.replace("\\$", "$")


def new_figure(width_in: float, height_in: float, dpi: float = DPI) -> Figure:
    """A figure with an Agg canvas and a constrained layout (labels are never cut)."""
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def prepare(fig: Figure, theme: Theme) -> None:
    """Empty ``fig`` for a new drawing in ``theme``: cleared, background set, constrained
    layout on (every definition starts with this, so labels are never cut)."""
    fig.clear()
    fig.set_facecolor(theme.background)
    fig.set_layout_engine("constrained", h_pad=4 / 72, w_pad=4 / 72)


def style_axes(ax, theme: Theme | None = None, grid: str = "both") -> None:
    """Grid behind the data on ``grid`` ("both", "x", "y" or "none"), no top and right
    spines, the theme's type size and colours."""
    theme = theme or PRINT_THEME
    ax.set_facecolor(theme.background)
    ax.tick_params(labelsize=theme.font_pt, colors=theme.text)
    ax.tick_params(color=theme.muted)
    if grid != "none":
        ax.grid(True, axis=grid, color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.muted)
    ax.xaxis.label.set_color(theme.text)
    ax.yaxis.label.set_color(theme.text)
    ax.title.set_color(theme.text)


def style_legend(legend, theme: Theme) -> None:
    """A legend's texts in the theme's text colour, no frame."""
    if legend is None:
        return
    for text in legend.get_texts():
        text.set_color(theme.text)
    title = legend.get_title()
    if title is not None:
        title.set_color(theme.text)


def legend_columns(fig: Figure, labels: Sequence[str], font_pt: float,
                   handle_in: float = 0.45) -> int:
    """As many legend columns as fit the figure's width, each as wide as the longest label
    (about 0.6 em per character) plus its handle [in]."""
    width_in = fig.get_size_inches()[0]
    longest = max((len(t) for t in labels), default=10)
    item_in = longest * 0.6 * font_pt / 72 + handle_in + 0.25
    return max(1, min(len(labels), int(0.96 * width_in // item_in)))


def wrap_text(text: str, width_in: float, font_pt: float) -> str:
    """``text`` broken into lines of at most ``width_in`` inches at ``font_pt`` points
    (about 0.6 em a character), so a long label never runs past a narrow figure."""
    chars = max(12, int(width_in / (0.6 * font_pt / 72)))
    return "\n".join(textwrap.wrap(text, chars)) or text


def figure_title(fig: Figure, theme: Theme, text: str) -> None:
    """A left-aligned title across the whole figure, wrapped to its width (a title over the
    axes alone would start right of the tick labels and run off a narrow chart)."""
    w = fig.get_size_inches()[0]
    fig.suptitle(wrap_text(plain_text(text), w - 0.2, theme.font_pt + 1), x=0.08 / w,
                 ha="left", fontsize=theme.font_pt + 1, color=theme.text)


def thousands(x: float, _pos: object = None) -> str:
    """A tick or value label with a thousands separator: 1,500; 12; 2.5."""
    return f"{x:,.0f}" if abs(x) >= 10 or x == 0 else f"{x:,.1f}"


def compact(x: float, _pos: object = None) -> str:
    """Tick labels that stay short: 1,500 -> 1.5k."""
    if abs(x) >= 1000:
        return f"{x / 1000:,.1f}k".replace(".0k", "k")
    return thousands(x)


def money_m(usd: float) -> str:
    """Dollars as millions with a thousands separator, e.g. ``"$1,234.5M"`` (escaped)."""
    return plain_text(f"${usd / 1e6:,.1f}M")


def png_bytes(fig: Figure) -> bytes:
    """``fig`` drawn and encoded as PNG."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()
