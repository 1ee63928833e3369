"""Break-evens: a hand-derived break-even is found; re-solving on either side of every
break-even shows the decision flip; a decision that does not flip within the range says so.
"""

import pytest

from reserve_planner.analysis import (
    GROUP_BY_KEY,
    INPUT_GROUPS,
    SerialExecutor,
    breakevens,
    decision_state,
    solve_outcome,
)
from reserve_planner.charts import breakeven_table


def test_hand_derived_breakeven_of_the_floor(floor_economics):
    base = floor_economics(50.0)  # the floor pays off: $50/kg > $40/kg
    s = breakevens(base, groups=["shortage_cost"], kinds=("floor",), rel_tol=1e-5,
                   executor=SerialExecutor())
    (b,) = s.results
    assert b.base_text.startswith("$100.00/kg floor (P)")
    assert b.below is not None and b.below.text == "no floor"
    assert b.below.value == pytest.approx(40.0 / 50.0, abs=1e-4)  # $40/kg as a scale
    assert b.above is None  # more damage only makes the floor more worth having
    assert "no floor below 0.8x base" in b.sentence()


@pytest.fixture(scope="module")
def study(small):
    return breakevens(small, groups=list(INPUT_GROUPS), executor=SerialExecutor())


def test_every_breakeven_flips_the_decision_on_either_side(small, study):
    found = [b for b in study.results if b.flips]
    assert found, "the reduced baseline has decisions that flip somewhere"
    checked = 0
    for b in found[:6]:
        g = GROUP_BY_KEY[b.group]
        span = b.search_high - b.search_low
        for side in ("below", "above"):
            c = getattr(b, side)
            if c is None:
                continue
            assert abs(c.outer - c.inner) <= 1e-3 * span + 1e-12
            assert (c.outer < c.inner) == (side == "below")
            assert min(c.inner, c.outer) <= c.value <= max(c.inner, c.outer)
            base_state = decision_state(study.base, b.material, b.kind)
            at_inner = solve_outcome(g.apply(small, c.inner))
            at_outer = solve_outcome(g.apply(small, c.outer))
            assert decision_state(at_inner, b.material, b.kind) == base_state
            assert decision_state(at_outer, b.material, b.kind) != base_state
            checked += 1
    assert checked >= 1


def test_no_flip_within_the_range_is_reported_as_such(small):
    s = breakevens(small, groups=["storage_cost"], search={"storage_cost": (0.98, 1.01)},
                   materials=["NdPr oxide"], executor=SerialExecutor())
    assert len(s.results) == 2  # floor and reserve of one material
    for b in s.results:
        assert not b.flips
        assert b.below is None and b.above is None
        assert "does not flip within [0.98x base, 1.01x base]" in b.sentence()
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
