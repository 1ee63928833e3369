"""The reserve size curve chart, drawn from hand-made curves."""

import pytest

from reserve_planner.charts.size_curve import size_curves_figure
from reserve_planner.charts.style import png_bytes
from reserve_planner.optimize.near_optimal import size_curve


def _curve(name: str):
    return size_curve(name, 50.0, 100.0, 200.0, lambda r: 100.0 + (r - 50.0) ** 2 / 100.0)


def test_one_panel_per_material_with_band_and_optimum():
    fig = size_curves_figure([_curve("NdPr oxide"), _curve("Cost $5 to $10"), _curve(r"$\foo$")])
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 3
    # Dollar signs escaped, so they are drawn literally and never start mathtext.
    assert axes[1].get_title().startswith(r"Cost \$5 to \$10")
    assert axes[0].get_xlabel() == "Reserve [t]"
    assert any("optimum 50 t" in t.get_text() for t in axes[0].get_legend().get_texts())
    assert axes[1].get_legend() is None  # one legend, on the first panel
    assert png_bytes(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_odd_number_hides_the_spare_panel():
    fig = size_curves_figure([_curve("A"), _curve("B"), _curve("C")])
    assert sum(ax.get_visible() for ax in fig.axes) == 3


def test_no_curves_is_refused():
    with pytest.raises(ValueError, match="near_optimal_tolerance"):
        size_curves_figure([])
