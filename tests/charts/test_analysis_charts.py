"""Analysis charts: figures draw, every label stays inside the figure, a `$` in a user's name
never starts mathtext, the chosen plan is marked, neither end of a tornado bar hides the
other."""

from dataclasses import replace

import pytest
from matplotlib.text import Text

from reserve_planner.analysis import (
    SerialExecutor,
    breakevens,
    budget_frontier,
    risk_frontier,
    tornado,
)
from reserve_planner.charts import (
    budget_frontier_figure,
    plain_text,
    png_bytes,
    risk_frontier_figure,
    tornado_figure,
)
from reserve_planner.model.editing import rename_material

NASTY = "Mag $5 to $10 $\\foo$"


@pytest.fixture(scope="module")
def nasty_inputs(small):
    return replace(rename_material(small, "NdFeB magnets", NASTY), name="Plan $1")


@pytest.fixture(scope="module")
def analyses(nasty_inputs):
    ex = SerialExecutor()
    t = tornado(nasty_inputs, groups=["shortage_cost", "storage_cost", "tariff",
                                      "disruption_depth"], executor=ex)
    return (t, risk_frontier(nasty_inputs, weights=(0.0, 0.5, 1.0), executor=ex),
            budget_frontier(nasty_inputs, executor=ex))


def _texts_inside(fig) -> None:
    """Draw ``fig``; everything drawn (tick labels, titles, value labels, legend) lies
    inside the figure."""
    png = png_bytes(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer)  # inches, drawn artists only
    w, h = fig.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, tight
    assert tight.x1 <= w + 0.01 and tight.y1 <= h + 0.01, (tight, w, h)


def test_plain_text_escapes_every_dollar():
    assert plain_text("a $1 b $2") == r"a \$1 b \$2"
    assert plain_text(3) == "3"


def test_tornado_charts_draw_with_labels_inside(analyses):
    t, _, _ = analyses
    for metric in ("objective_usd", "net_benefit_usd", f"reserve_t:{NASTY}"):
        fig = tornado_figure(t, metric)
        _texts_inside(fig)
    fig = tornado_figure(t, f"reserve_t:{NASTY}")
    title = fig._suptitle.get_text()
    assert title.startswith(plain_text(NASTY))
    with pytest.raises(KeyError):
        tornado_figure(t, "nonsense")


def test_tornado_low_and_high_ends_never_overlap(analyses):
    t, _, _ = analyses
    fig = tornado_figure(t)
    bars = [p for p in fig.axes[0].patches]
    assert len(bars) == 2 * len(t.bars)
    rows = {}
    for p in bars:
        rows.setdefault(round(p.get_y() + p.get_height() / 2), []).append(p)
    for pair in rows.values():
        a, b = sorted(pair, key=lambda p: p.get_y())
        assert a.get_y() + a.get_height() <= b.get_y() + 1e-9  # stacked, not on top


def test_frontier_charts_mark_the_chosen_plan(analyses):
    _, rf, bf = analyses
    for fig, f in ((risk_frontier_figure(rf), rf), (budget_frontier_figure(bf), bf)):
        _texts_inside(fig)
        labels = [line.get_label() for line in fig.axes[0].get_lines()]
        assert "chosen plan" in labels
        texts = " ".join(t.get_text() for t in fig.findobj(Text))
        assert "chosen" in texts
        assert f.chosen is not None


@pytest.mark.parametrize("size", [(640, 300), (985, 330), (1170, 520)])
def test_analysis_definitions_fit_window_sizes_in_a_dark_theme(analyses, size):
    """The definitions the window draws (FigureChart): every label inside at window sizes
    (100 dpi per logical pixel), every text in the theme's colours."""
    from matplotlib.colors import to_hex

    from reserve_planner.charts import draw_budget_frontier, draw_risk_frontier, draw_tornado
    from reserve_planner.charts.style import DARK_SERIES, Theme, new_figure

    dark = Theme(True, "#1b1b1d", "#e8eaed", "#9a9a9a", "#3a3a3a", DARK_SERIES)
    t, rf, bf = analyses
    for draw, data in ((draw_tornado, (t, "objective_usd", 8)), (draw_risk_frontier, (rf,)),
                       (draw_budget_frontier, (bf,))):
        fig = new_figure(size[0] / 100, size[1] / 100, dpi=100)
        draw(fig, dark, *data)
        _texts_inside(fig)
        for text in fig.findobj(Text):
            if text.get_text():
                assert to_hex(text.get_color()) in (dark.text, dark.muted,
                                                    to_hex(dark.series["chosen"])), text.get_text()


def test_breakeven_table_through_names_with_dollars(nasty_inputs):
    from reserve_planner.charts import breakeven_table

    s = breakevens(nasty_inputs, groups=["storage_cost"], materials=[NASTY],
                   search={"storage_cost": (0.9, 1.1)}, executor=SerialExecutor())
    table = breakeven_table(s)
    assert table.rows[0][0] == NASTY  # table cells are plain strings, not mathtext


def test_a_frontier_of_coinciding_points_has_plain_tick_labels(small):
    """Risk weights that all give the same plan put every point in one place; the axes still
    read in plain $M, never as an offset such as "1e-9+1.59e3"."""
    f = risk_frontier(small, weights=(0.0, 0.2, 0.5), executor=SerialExecutor())
    o = f.chosen.outcome
    # every plan the same up to a thousandth of a dollar, as when the risk weight moves nothing
    same = tuple(replace(p, outcome=replace(o, expected_cost_usd=1_589_907_094.0 + i * 1e-3,
                                            cvar_usd=512_300_000.0 + i * 1e-3))
                 for i, p in enumerate(f.points))
    fig = risk_frontier_figure(replace(f, points=same))
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.xaxis.get_offset_text().get_text() == ""
    assert ax.yaxis.get_offset_text().get_text() == ""
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all("e" not in t for t in labels)
