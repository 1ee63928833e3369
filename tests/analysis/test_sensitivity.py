"""Tornado: ends bracket the base for inputs the objective is monotone in; flips agree with
direct solves; ranges can be edited and bad ones are refused."""

import math

import pytest

from reserve_planner.analysis import (
    GROUP_BY_KEY,
    SerialExecutor,
    decision_state,
    default_range,
    solve_outcome,
    tornado,
)


@pytest.fixture(scope="module")
def small_tornado(small):
    return tornado(small, executor=SerialExecutor())


def test_storage_and_shortage_costs_bracket_the_base_objective(small_tornado):
    # Both costs multiply quantities that are never negative (stock, unmet demand) and
    # leave the feasible set alone, so the optimum cannot fall when they rise.
    base = small_tornado.base.objective_usd
    for key in ("storage_cost", "shortage_cost"):
        bar = small_tornado.bar(key)
        assert bar.low_value == pytest.approx(0.5) and bar.high_value == pytest.approx(1.5)
        assert bar.low.objective_usd <= base * (1 + 1e-9)
        assert bar.high.objective_usd >= base * (1 - 1e-9)
        assert bar.low.objective_usd < bar.high.objective_usd


def test_more_budget_never_raises_the_objective(small_tornado):
    bar = small_tornado.bar("annual_budget")
    assert bar.high.objective_usd <= small_tornado.base.objective_usd * (1 + 1e-9)
    assert small_tornado.base.objective_usd <= bar.low.objective_usd * (1 + 1e-9)


def test_hand_derived_tornado_of_the_floor(floor_economics):
    # Base $50/kg: the floor pays $7.2M and leaves 120 t unmet; at $25/kg (< $40/kg) no
    # floor and 300 t unmet; at $75/kg the floor again (see floor_economics).
    t = tornado(floor_economics(50.0), groups=["shortage_cost"], executor=SerialExecutor())
    bar = t.bar("shortage_cost")
    assert t.base.objective_usd == pytest.approx(7.2e6 + 120_000 * 50.0, rel=1e-9)
    assert bar.low.objective_usd == pytest.approx(300_000 * 25.0, rel=1e-9)
    assert bar.high.objective_usd == pytest.approx(7.2e6 + 120_000 * 75.0, rel=1e-9)
    (flip,) = bar.flips
    assert (flip.material, flip.kind, flip.side) == ("X", "floor", "low")
    assert (flip.base_value, flip.value, flip.text) == (100.0, 0.0, "no floor")
    assert t.base.net_benefit_usd == pytest.approx(300_000 * 50.0 - 13.2e6, rel=1e-9)


def test_flips_agree_with_direct_solves(small, small_tornado):
    base = small_tornado.base
    flipping = [b for b in small_tornado.bars if b.flips]
    for bar in flipping[:3]:
        for f in bar.flips:
            value = bar.low_value if f.side == "low" else bar.high_value
            direct = solve_outcome(bar.group.apply(small, value))
            kind = f.kind
            assert decision_state(direct, f.material, kind) != decision_state(
                base, f.material, kind)
    quiet = [b for b in small_tornado.bars if not b.flips]
    for bar in quiet[:2]:
        for o in (bar.low, bar.high):
            for m in base.reserve_t:
                assert o.floor_state(m) == base.floor_state(m)


def test_ranked_by_swing_and_frames(small_tornado):
    swings = [b.swing() for b in small_tornado.ranked()]
    assert swings == sorted(swings, reverse=True)
    top = small_tornado.top(3, "net_benefit_usd")
    assert len(top) == 3
    frame = small_tornado.to_frame()
    assert len(frame) == 2 * len(small_tornado.bars)
    assert {"group", "side", "value", "objective_usd", "base_objective_usd",
            "net_benefit_usd", "reserve_t:NdFeB magnets", "flips"} <= set(frame.columns)
    d = small_tornado.to_dict()
    assert d["bars"][0]["group"] == small_tornado.ranked()[0].key
    assert set(d["bars"][0]["objective_usd"]) == {"low", "base", "high"}


def test_default_range_is_half_to_one_and_a_half_clipped(small):
    assert default_range(GROUP_BY_KEY["tariff"], small) == pytest.approx(
        (0.5 * small.policy.tariff_share, 1.5 * small.policy.tariff_share))
    lo, hi = default_range(GROUP_BY_KEY["salvage"], small)
    assert lo == pytest.approx(0.45) and hi == 1.0  # a share stops at 1
    zero = GROUP_BY_KEY["risk_weight"]
    from dataclasses import replace
    neutral = replace(small, policy=replace(small.policy, risk_aversion=0.0))
    assert default_range(zero, neutral) == (0.0, zero.zero_span)


def test_ranges_can_be_given_and_bad_ones_are_refused(small):
    t = tornado(small, groups=["tariff"], ranges={"tariff": (0.0, 2.0)},
                executor=SerialExecutor())
    bar = t.bar("tariff")
    assert (bar.low_value, bar.high_value, bar.range_rule) == (0.0, 2.0, "given")
    with pytest.raises(ValueError, match="Tariff on China"):
        tornado(small, groups=["tariff"], ranges={"tariff": (2.0, 1.0)},
                executor=SerialExecutor())
    with pytest.raises(KeyError, match="not in the tornado"):
        tornado(small, groups=["tariff"], ranges={"salvage": (0.1, 0.2)},
                executor=SerialExecutor())
    with pytest.raises(KeyError, match="known: shortage_cost"):
        tornado(small, groups=["nonsense"], executor=SerialExecutor())


def test_every_group_moves_its_fields_and_reads_back_its_value(small):
    for g in GROUP_BY_KEY.values():
        lo, hi = default_range(g, small)
        for v in (lo, hi):
            x = g.apply(small, v)
            assert not x.validate(), g.key
            reached = g.measure(x, small)
            assert math.isfinite(reached)
            if g.key not in ("disruption_probability", "disruption_depth",
                             "disruption_duration", "project_lead_time"):
                assert reached == pytest.approx(v), g.key  # neither capped nor rounded
        assert g.base_value(small) == pytest.approx(1.0 if g.scale else g.base_value(small))
        assert g.paths(small)
