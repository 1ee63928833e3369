"""Sweeps: a variant identical to the base solves to the base's numbers; the recorded input
changes reproduce every variant; frames carry units in their column names."""

import json
import math
from dataclasses import replace

import pytest

from reserve_planner.analysis import (
    INPUT_GROUPS,
    InputChange,
    SerialExecutor,
    Variant,
    apply_changes,
    input_changes,
    net_benefit_usd,
    outcome_from_result,
    run_sweep,
    tornado_variants,
)
from reserve_planner.analysis.outcome import SWEEP_OPTIONS
from reserve_planner.optimize import solve


def test_variant_identical_to_the_base_gives_the_base_objective(small):
    direct = solve(small, SWEEP_OPTIONS)
    copy = replace(small, name="a copy")
    sweep = run_sweep([Variant.of(small, "base", small), Variant.of(small, "copy", copy)],
                      executor=SerialExecutor())
    assert sweep.row("copy").variant.changes == ()
    for row in sweep.rows:
        assert row.outcome.objective_usd == pytest.approx(direct.objective_usd, rel=1e-12)
        assert row.outcome.net_benefit_usd == pytest.approx(net_benefit_usd(direct),
                                                            rel=1e-12)


def test_net_benefit_is_the_no_plan_cost_minus_the_objective(small):
    r = solve(small, SWEEP_OPTIONS)
    o = outcome_from_result(r)
    assert o.net_benefit_usd == pytest.approx(r.cost_without_plan_usd - r.objective_usd)
    assert o.net_benefit_usd > 0  # the plan never costs more than doing nothing
    assert o.expected_cost_usd == pytest.approx(r.objective_usd - r.costs.risk_premium_usd)


def test_changes_name_the_fields_and_reproduce_every_variant(small):
    variants = tornado_variants(small)
    assert len(variants) == 1 + 2 * len(INPUT_GROUPS)
    tariff_low = next(v for v in variants if v.name == "tariff low")
    assert tariff_low.changes == (InputChange("policy/tariff_share",
                                              small.policy.tariff_share,
                                              small.policy.tariff_share * 0.5),)
    storage = next(v for v in variants if v.name == "storage_cost high")
    assert {c.path for c in storage.changes} == {
        f"materials/{m.name}/storage_cost_usd_per_t_yr" for m in small.materials}
    for v in variants:
        assert v.changes or v.name == "base"
        # through JSON, as a reader of the sweep's output would do it
        changes = json.loads(json.dumps([c.to_dict() for c in v.changes]))
        assert apply_changes(small, changes) == v.inputs, v.name


def test_a_renamed_table_is_recorded_whole(small):
    v = next(x for x in tornado_variants(small, ["disruption_duration"])
             if x.name == "disruption_duration high")
    assert [c.path for c in v.changes] == ["scenarios"]
    assert any("18 months" in s.name for s in v.inputs.scenarios)
    assert apply_changes(small, v.changes) == v.inputs


def test_apply_changes_names_a_path_that_does_not_exist(small):
    with pytest.raises(KeyError, match="no row named 'Unobtainium'"):
        apply_changes(small, [InputChange("materials/Unobtainium/price_usd_per_kg", 1, 2)])
    with pytest.raises(KeyError, match="policy/nonsense"):
        apply_changes(small, [InputChange("policy/nonsense/x", 1, 2)])
    assert input_changes(small, small) == ()


def test_sweep_frames_and_dicts(small):
    variants = tornado_variants(small, ["storage_cost", "annual_budget"])
    sweep = run_sweep(variants, executor=SerialExecutor())
    frame = sweep.to_frame()
    assert list(frame["variant"]) == [v.name for v in variants]
    for col in ("objective_usd", "net_benefit_usd", "cvar_usd", "reserve_t:NdPr oxide",
                "floor_usd_per_kg:Dy oxide", "changes"):
        assert col in frame.columns
    assert "policy/annual_budget_usd" in frame.loc[frame.variant == "annual_budget low",
                                                   "changes"].item()
    frames = sweep.to_frames()
    assert len(frames["materials"]) == len(variants) * len(small.materials)
    assert len(frames["changes"]) == sum(len(v.changes) for v in variants)
    data = json.loads(json.dumps(sweep.to_dict()))
    assert data["solved"] == data["total"] == len(variants)
    assert not data["cancelled"]
    row = data["variants"][1]
    assert row["tags"]["group"] == "storage_cost" and row["changes"]
    assert math.isclose(row["outcome"]["objective_usd"], sweep.rows[1].outcome.objective_usd)


def test_a_cancelled_sweep_keeps_what_finished(small):
    import threading

    cancel = threading.Event()
    variants = tornado_variants(small, ["storage_cost", "tariff", "salvage"])

    def stop_after_two(row, done, total):
        assert total == len(variants)
        if done == 2:
            cancel.set()

    sweep = run_sweep(variants, executor=SerialExecutor(), on_result=stop_after_two,
                      cancel=cancel)
    assert sweep.cancelled and len(sweep) == 2 and sweep.total == len(variants)
    assert [r.variant.name for r in sweep.rows] == [v.name for v in variants[:2]]


def test_recorded_changes_reproduce_any_group_value(small):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    groups = st.sampled_from(INPUT_GROUPS)

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(groups, st.floats(0.0, 3.0))
    def check(g, factor):
        lo, hi = g.search_range(small)
        value = lo + (hi - lo) * factor / 3.0
        x = g.apply(small, value)
        assert apply_changes(small, input_changes(small, x)) == x
        assert all(c.base_value != c.value for c in input_changes(small, x))

    check()
