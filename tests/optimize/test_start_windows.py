"""The engine solves a scenario's start window as start-month variants, so no purchase can
be timed to a known disruption date (issue 11, part 1)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import SolveStatus, solve


def _schedule(result) -> np.ndarray:
    return np.stack([np.asarray(m.fill_schedule_t) for m in result.materials])


def _window_case(make, **scenario_kw):
    # One material, 100 t/month of demand, all China-exposed; purchases at most 60 t/month.
    # A one-month full cut starts in month 1, 2 or 3 (a uniform window, monthly steps,
    # probability 1). No discounting, stock left over credited at cost, storage $1,000/t
    # per month, damage $100/kg: a tonne unmet costs 100x a month of storage.
    mat = make.material(purchase_limit_t_per_month=60.0, shortage_cost_usd_per_kg=100.0)
    scen = make.scenario("Cut", 1.0, 3, 1, {"X": 1.0}, **scenario_kw)
    return make.replace(make.newsvendor([(0.0, 1.0)]), materials=(mat,), scenarios=(scen,),
                        policy=make.policy(horizon_months=4, start_step_months=1))


def test_a_window_fills_the_reserve_before_its_earliest_start(make):
    # Known start (month 3): the 100 t needed are bought as late as the limit allows,
    # 40 t in month 1 and 60 t in month 2, to save storage.
    known = solve(_window_case(make))
    assert known.status is SolveStatus.OPTIMAL
    assert _schedule(known)[0] == pytest.approx([0, 40, 60, 0], abs=1e-6)
    # Window months 1-3: the variant starting in month 1 can only draw on month 0's
    # purchase, so 60 t (the limit) are bought in month 0 and the 40 t that complete the
    # 100 t in month 1, for the variants starting in months 2 and 3; nothing later.
    window = solve(_window_case(make, earliest_start_month=1, latest_start_month=3))
    assert window.status is SolveStatus.OPTIMAL
    assert _schedule(window)[0] == pytest.approx([60, 40, 0, 0], abs=1e-6)
    assert [s.name for s in window.scenarios] == [
        "Cut (starts 2027-02)", "Cut (starts 2027-03)", "Cut (starts 2027-04)"]
    assert {s.parent for s in window.scenarios} == {"Cut"}
    assert [s.probability for s in window.scenarios] == pytest.approx([1 / 3] * 3)


def test_a_window_solves_as_its_variants_listed_by_hand(make):
    base = _window_case(make, earliest_start_month=1, latest_start_month=3)
    by_hand = replace(base, scenarios=tuple(
        make.scenario(f"Cut {m}", 1 / 3, m, 1, {"X": 1.0}) for m in (1, 2, 3)))
    a, b = solve(base), solve(by_hand)
    assert a.objective_usd == pytest.approx(b.objective_usd, rel=1e-9)
    assert _schedule(a) == pytest.approx(_schedule(b), abs=1e-6)


def test_the_result_merges_variants_back_into_their_scenario(make):
    r = solve(_window_case(make, earliest_start_month=1, latest_start_month=3))
    merged = r.by_input_scenario()
    assert [s.name for s in merged.scenarios] == ["Cut"]
    only = merged.scenarios[0]
    assert only.probability == pytest.approx(1.0)
    assert only.loss_usd == pytest.approx(np.mean([s.loss_usd for s in r.scenarios]))
    assert only.stock_t == pytest.approx(np.mean([s.stock_t for s in r.scenarios], axis=0))
    assert merged.status_quo.scenario_losses_usd == pytest.approx(
        [np.mean(r.status_quo.scenario_losses_usd)])


@pytest.fixture(scope="module")
def baseline():
    return load_article_baseline()


def test_baseline_scenarios_have_sourced_windows(baseline):
    windowed = [s for s in baseline.scenarios if s.has_uncertain_start]
    assert len(windowed) >= 10  # the licensing shock and the nine embargoes
    for s in windowed:
        for field in ("earliest_start_month", "latest_start_month"):
            assert baseline.source(f"scenarios/{s.name}/{field}") is not None, (s.name, field)


def test_shifting_every_start_within_its_window_leaves_the_purchases_unchanged(baseline):
    """The issue's done-when test: a stated start anywhere in its window gives the same
    plan; without the windows, the same shift moves the purchases."""
    def shifted(inputs, to_latest):
        return replace(inputs, scenarios=tuple(
            replace(s, start_month=s.latest_start_month if to_latest else
                    s.earliest_start_month) if s.latest_start_month is not None else s
            for s in inputs.scenarios))

    early, late = solve(shifted(baseline, False)), solve(shifted(baseline, True))
    assert early.status.has_plan and late.status.has_plan
    assert _schedule(early) == pytest.approx(_schedule(late), abs=1e-6)
    assert [m.floor.level_usd_per_kg for m in early.materials] == \
        [m.floor.level_usd_per_kg for m in late.materials]

    def fixed(inputs):
        return replace(inputs, scenarios=tuple(
            replace(s, earliest_start_month=None, latest_start_month=None)
            for s in inputs.scenarios))

    early0, late0 = solve(fixed(shifted(baseline, False))), solve(fixed(shifted(baseline, True)))
    assert np.abs(_schedule(early0) - _schedule(late0)).max() > 1.0  # [t/month]


def test_a_price_warning_names_the_scenario_once_not_each_variant(make):
    # A full cut with a choke price 20x the normal price: the curve's price at the 100%
    # shortfall is the choke, so the stated 1x clashes in every variant.
    from reserve_planner.model import DemandCurve

    base = _window_case(make, earliest_start_month=1, latest_start_month=3)
    mat = replace(base.materials[0], demand_curve=DemandCurve.CONSTANT_ELASTICITY,
                  demand_elasticity=0.3, shortage_cost_usd_per_kg=1000.0)
    r = solve(replace(base, materials=(mat,)))
    assert len(r.warnings) == 1
    assert "in 1 scenario(s)" in r.warnings[0] and "'Cut' states 1" in r.warnings[0]
    assert "(starts" not in r.warnings[0]
