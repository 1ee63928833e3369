"""The plan's charts, defined once: one line per scenario in its family's colour, members of a
family told apart by line style, no line drawn over another, labels inside the figure at
window and print sizes, a dark theme's colours, and no tonnes added across materials."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

from reserve_planner.charts import draw_cost, draw_reserve, draw_unmet, new_figure, png_bytes
from reserve_planner.charts.families import (
    family_colours,
    kinds_from_names,
    scenario_family,
    scenario_styles,
    short_label,
)
from reserve_planner.charts.plan_charts import (
    hidden_note,
    per_input_scenario,
    visible_segments,
)
from reserve_planner.charts.style import DARK_SERIES, MEMBER_STYLES, PRINT_THEME, Theme
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import SolveOptions, solve

DARK = Theme(True, "#1b1b1d", "#e8eaed", "#9a9a9a", "#3a3a3a", DARK_SERIES)


@pytest.fixture(scope="module")
def plan():
    inputs = load_article_baseline()
    result = solve(inputs, SolveOptions(diagnostics=False))
    assert result.status.has_plan
    # one outcome per input scenario, as the definitions chart them
    return inputs, per_input_scenario(result)


def _window_figure(width_px: int, height_px: int) -> Figure:
    """A figure as the window's painter sizes it: 100 dpi per logical pixel."""
    return new_figure(width_px / 100, height_px / 100, dpi=100)


def _inside(fig: Figure) -> None:
    """Everything drawn (titles, tick labels, notes, legend) lies inside the figure; text
    objects outside the view (ticks beyond the axis limits) are not drawn and not counted."""
    png_bytes(fig)
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer)  # inches, drawn artists only
    w, h = fig.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, (tight, w, h)
    assert tight.x1 <= w + 0.01 and tight.y1 <= h + 0.01, (tight, w, h)
    for ax in fig.axes:  # the axes themselves were not squeezed to nothing
        if ax.get_visible():
            box = ax.get_position()
            assert box.width > 0.2 and box.height > 0.1, box


def _scenario_lines(ax):
    return {line.get_gid(): line for line in ax.lines if line.get_gid() not in (None, "target")}


# ------------------------------------------------------------------ pieces, by hand


def test_a_line_is_hidden_only_where_an_earlier_one_already_runs():
    a = np.array([0.0, 1.0, 2.0, 3.0])
    b = np.array([0.0, 1.0, 5.0, 6.0])  # leaves a after point 1
    c = a.copy()  # a everywhere
    out = visible_segments([a, b, c], tol=1e-9)
    assert np.array_equal(out[0], a)
    assert np.isnan(out[1][0]) and list(out[1][1:]) == [1.0, 5.0, 6.0]  # starts where it leaves
    assert np.isnan(out[2]).all()
    assert hidden_note(["Calm", "Shock", "Same as calm"], [a, b, c], 1e-9) == \
        "Same path as Calm: Same as calm."


def test_members_of_a_family_share_its_colour_and_differ_by_style():
    names = ["No disruption", "Full embargo, 6 months, from 2028",
             "Full embargo, 12 months, from 2028", "Full embargo, 24 months, from 2034",
             "Low-price flooding"]
    styles = scenario_styles(names, None, PRINT_THEME)
    embargo = [styles[n] for n in names if scenario_family(n) == "Full embargo"]
    assert {s.colour for s in embargo} == {PRINT_THEME.series["embargo"]}
    assert [s.linestyle for s in embargo] == list(MEMBER_STYLES[:3])
    assert styles["No disruption"].colour == PRINT_THEME.series["calm"]
    assert styles["Low-price flooding"].colour == PRINT_THEME.series["cycle"][0]
    assert kinds_from_names(names)["No disruption"] == "calm"


def test_family_colours_from_the_inputs_and_from_names_agree(plan):
    inputs, result = plan
    by_inputs = family_colours(inputs, PRINT_THEME)
    by_names = family_colours(kinds_from_names(s.name for s in result.scenarios), PRINT_THEME)
    assert by_inputs == by_names
    assert short_label("Full embargo, 24 months, from 2034") == "Embargo, 24 mo, 2034"


# ------------------------------------------------------------------ the reserve chart


def test_one_line_per_scenario_in_its_family_colour_and_member_style(plan):
    inputs, result = plan
    fig = _window_figure(985, 330)
    draw_reserve(fig, PRINT_THEME, result, "Dy oxide", inputs)
    ax = fig.axes[0]
    lines = _scenario_lines(ax)
    assert set(lines) == {s.name for s in result.scenarios}
    assert sum(1 for line in ax.lines if line.get_gid() == "target") == 1
    colours = family_colours(inputs, PRINT_THEME)
    dashes: dict[str, set] = {}
    for name, line in lines.items():
        assert to_hex(line.get_color()) == to_hex(colours[scenario_family(name)])
        dashes.setdefault(scenario_family(name), set()).add(str(line._unscaled_dash_pattern))
    members = {f: sum(1 for s in result.scenarios if scenario_family(s.name) == f)
               for f in dashes}
    for fam, patterns in dashes.items():  # every member of a family its own line style
        assert len(patterns) == min(members[fam], len(MEMBER_STYLES)), fam


def test_no_line_runs_on_top_of_another(plan):
    _, result = plan
    fig = _window_figure(985, 330)
    draw_reserve(fig, PRINT_THEME, result, "NdPr oxide")
    lines = list(_scenario_lines(fig.axes[0]).values())
    ys = [np.asarray(line.get_ydata(), dtype=float) for line in lines]
    for j in range(len(ys)):
        for k in range(j):
            both = np.isfinite(ys[j][:-1]) & np.isfinite(ys[j][1:]) \
                & np.isfinite(ys[k][:-1]) & np.isfinite(ys[k][1:])
            same = (np.abs(ys[j] - ys[k])[:-1] < 1e-6) & (np.abs(ys[j] - ys[k])[1:] < 1e-6)
            assert not (both & same).any(), (lines[j].get_gid(), lines[k].get_gid())
    # a line at zero (a reserve drawn down to nothing) runs above the axis, not on it
    drawn = [np.nanmin(y) for y in ys if np.isfinite(y).any()]
    assert fig.axes[0].get_ylim()[0] < 0 < min(drawn) + 1e-9
    # a line drawn nowhere is named under the panel, with the line it follows
    hidden = [line.get_gid() for line in lines if np.isnan(line.get_ydata()).all()]
    note = fig.axes[0].get_xlabel().replace("\n", " ")
    for name in hidden:
        assert short_label(name, 30).split(", ")[-1] in note


@pytest.mark.parametrize("size", [(420, 300), (640, 260), (985, 330), (1170, 520)])
def test_window_sizes_keep_every_label_inside(plan, size):
    inputs, result = plan
    for draw in (draw_reserve, draw_unmet, draw_cost):
        fig = _window_figure(*size)
        draw(fig, PRINT_THEME, result, "NdFeB magnets", inputs)
        _inside(fig)


def test_print_size_panels_keep_every_label_inside(plan):
    _, result = plan
    for draw, height in ((draw_reserve, 6.0), (draw_unmet, 6.2)):
        fig = new_figure(6.5, height)
        draw(fig, PRINT_THEME, result, None)
        assert sum(ax.get_visible() for ax in fig.axes) == len(result.material_names)
        _inside(fig)


def test_a_dark_theme_colours_every_text(plan):
    inputs, result = plan
    for draw in (draw_reserve, draw_unmet, draw_cost):
        fig = _window_figure(985, 330)
        draw(fig, DARK, result, "Tb oxide", inputs)
        png_bytes(fig)
        assert to_hex(fig.get_facecolor()) == DARK.background
        for text in fig.findobj(Text):
            if text.get_text():
                assert to_hex(text.get_color()) in (DARK.text, DARK.muted), text.get_text()


# ------------------------------------------------------------------ tonnes per material


def test_unmet_panels_are_each_in_their_own_materials_tonnes(plan):
    _, result = plan
    fig = new_figure(6.5, 6.0)
    draw_unmet(fig, PRINT_THEME, result, None)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title("left") for ax in axes] == list(result.material_names)
    for mi, ax in enumerate(axes):
        widths = sorted(round(p.get_width(), 6) for p in ax.patches)
        expected = sorted(round(float(v), 6) for s in result.scenarios
                          for v in (s.unmet_t[mi].sum(), s.unmet_without_plan_t[mi].sum()))
        # every bar is one scenario's unmet demand of this material, none a sum of several
        assert set(widths) <= set(expected)
        assert "all materials" not in ax.get_xlabel()


def test_cost_chart_is_in_dollars_and_ends_with_the_total(plan):
    _, result = plan
    fig = _window_figure(985, 330)
    draw_cost(fig, PRINT_THEME, result)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == len(result.costs.items()) + 1
    top_to_bottom = sorted(bars, key=lambda p: -p.get_y())
    assert math.isclose(top_to_bottom[-1].get_width(), result.costs.total_usd / 1e6)
    assert ax.get_xlabel().startswith("\\$M")


def test_no_figure_adds_tonnes_across_materials():
    """No result, outcome, frame, display or file sums tonnes over materials: the result
    types hold no all-material tonne total, and the analyses' tonne figures are per
    material."""
    import dataclasses
    from pathlib import Path

    import reserve_planner
    from reserve_planner.analysis.outcome import METRICS, Outcome
    from reserve_planner.optimize import PlanResult
    from reserve_planner.optimize.result import ScenarioOutcome, StatusQuo

    for cls in (PlanResult, StatusQuo, ScenarioOutcome):
        names = {f.name for f in dataclasses.fields(cls)} | set(vars(cls))
        assert not names & {"expected_unmet_t", "expected_unmet_without_plan_t",
                            "total_unmet_t", "total_unmet_without_plan_t"}, cls
    assert all(m.endswith("_usd") for m in METRICS)
    assert Outcome.__dataclass_fields__["expected_unmet_t"].type == "dict[str, float]"
    root = Path(reserve_planner.__file__).parent
    files = list(root.rglob("*.py"))
    sums = ("total_unmet_t", "total_unmet_without_plan_t", "result.expected_unmet_t",
            "unmet_t.sum()")
    found = [f"{path.relative_to(root)}: {name}" for path in files
             for name in sums if name in path.read_text(encoding="utf-8")]
    assert found == []
