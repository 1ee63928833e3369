"""Break-evens: re-solving on either side of a break-even shows the decision flip; a
decision that does not flip within the range says so."""

import pytest

from reserve_planner.analysis import (
    GROUP_BY_KEY,
    SerialExecutor,
    breakevens,
    decision_state,
    solve_outcome,
)
from reserve_planner.charts import breakeven_table


@pytest.fixture(scope="module")
def study(small):
    return breakevens(small, groups=["shortage_cost", "disruption_depth", "storage_cost"],
                      executor=SerialExecutor())


def test_a_breakeven_flips_the_decision_on_either_side(small, study):
    found = [b for b in study.results if b.flips]
    assert any(b.kind == "floor" for b in found)
    checked = 0
    for b in found:
        g = GROUP_BY_KEY[b.group]
        span = b.search_high - b.search_low
        for side in ("below", "above"):
            c = getattr(b, side)
            if c is None:
                continue
            assert abs(c.outer - c.inner) <= 1e-3 * span + 1e-12
            assert (c.outer < c.inner) == (side == "below")
            assert c.inner <= c.value <= c.outer or c.outer <= c.value <= c.inner
            base_state = decision_state(study.base, b.material, b.kind)
            at_inner = decision_state(solve_outcome(g.apply(small, c.inner)), b.material,
                                      b.kind)
            at_outer = decision_state(solve_outcome(g.apply(small, c.outer)), b.material,
                                      b.kind)
            assert at_inner == base_state
            assert at_outer != base_state
            checked += 1
    assert checked >= 2


def test_the_dy_floor_needs_enough_shortage_damage(study):
    (b,) = [x for x in study.for_decision("Dy oxide", "floor") if x.group == "shortage_cost"]
    assert b.base_text.startswith("$330.00/kg floor")
    assert b.below is not None and b.below.text == "no floor"
    assert 0.1 < b.below.value < 1.0
    assert "no floor below" in b.sentence()


def test_no_flip_within_the_range_is_reported_as_such(small):
    s = breakevens(small, groups=["storage_cost"], search={"storage_cost": (0.95, 1.05)},
                   materials=["NdPr oxide"], executor=SerialExecutor())
    assert len(s.results) == 2  # floor and reserve of one material
    for b in s.results:
        assert not b.flips
        assert b.below is None and b.above is None
        assert "does not flip within [0.95x base, 1.05x base]" in b.sentence()
    assert s.n_solves == 3  # the base and the two ends of the interval; no bisection


def test_table_rows_and_frame(study):
    table = breakeven_table(study)
    assert len(table.rows) == len(study.results)
    assert all(len(r) == len(table.headers) for r in table.rows)
    kinds = [r[1] for r in table.rows]
    assert kinds == sorted(kinds)  # floors first, then reserves
    only = breakeven_table(study, only_flips=True)
    assert len(only.rows) == sum(b.flips for b in study.results)
    frame = study.to_frame()
    assert {"breakeven_below", "breakeven_above", "sentence"} <= set(frame.columns)
    d = study.to_dict()
    assert d["n_solves"] == study.n_solves and len(d["variants"]) == study.n_solves
