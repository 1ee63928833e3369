"""Plans side by side (analysis/compare.py) against hand-derived expectations."""

import json
import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.analysis.compare import (
    MISSING,
    NamedPlan,
    compare_plans,
    field_label,
    headline_rows,
    source_of,
    value_text,
)
from reserve_planner.analysis.outcome import SWEEP_OPTIONS
from reserve_planner.model import Source, SourceKind
from reserve_planner.optimize import SolveOptions, solve

LICENSING = "Licensing shock (April 2025 repeat)"


def _plan(name, inputs, options=SWEEP_OPTIONS, source=""):
    return NamedPlan(name, inputs, solve(inputs, options), source)


def _tariff_and_probability(small, tariff=0.9, dp=0.01):
    """``small`` with a new tariff and ``dp`` moved from the licensing shock to No
    disruption (two probabilities, so they still add up to 1)."""
    scen = tuple(replace(s, probability=s.probability + dp) if s.name == "No disruption" else
                 replace(s, probability=s.probability - dp) if s.name == LICENSING else s
                 for s in small.scenarios)
    return replace(small, name="Variant", scenarios=scen,
                   policy=replace(small.policy, tariff_share=tariff))


def test_lists_exactly_the_fields_that_differ_with_each_value(small):
    b_inputs = replace(small, policy=replace(small.policy, tariff_share=0.9),
                       scenarios=tuple(replace(s, probability=0.05) if s.name == LICENSING
                                       else s for s in small.scenarios))
    # Only the tariff and one probability: the probabilities no longer add up to 1, so the
    # second plan has no solve; its inputs are compared all the same.
    a, b = _plan("A", small), _plan("B", b_inputs)
    assert not b.has_plan
    c = compare_plans([a, b])
    assert {d.path for d in c.inputs} == {"policy/tariff_share",
                                         f"scenarios/{LICENSING}/probability"}
    tariff = c.difference("policy/tariff_share")
    assert tariff.values == (small.policy.tariff_share, 0.9)
    prob = c.difference(f"scenarios/{LICENSING}/probability")
    old = next(s.probability for s in small.scenarios if s.name == LICENSING)
    assert prob.values == (old, 0.05)
    assert prob.unit == "0-1" and LICENSING in prob.label
    assert tariff.sources == (small.source("policy/tariff_share"),) * 2
    # The unsolved plan's figures are blank, its decisions None
    assert c.unsolved == (b,)
    assert all(math.isnan(r.values[1]) for r in c.figures)
    assert all(d.plans[1] is None for d in c.decisions)


def test_differences_are_b_minus_a_of_the_two_results(small):
    a = _plan("A", small)
    b = _plan("B", _tariff_and_probability(small))
    assert a.has_plan and b.has_plan
    c = compare_plans([a, b])
    assert len(c.inputs) == 3  # the tariff and the two probabilities
    ra, rb = dict((r[0], r[1]) for r in headline_rows(a.result)), dict(
        (r[0], r[1]) for r in headline_rows(b.result))
    assert [r.label for r in c.figures] == list(ra)
    assert not [r for r in c.figures if r.unit == "t"]  # tonnes are never added up
    for row in c.figures:
        assert row.values == (ra[row.label], rb[row.label])
        if math.isfinite(ra[row.label]) and math.isfinite(rb[row.label]):
            assert row.differences == (0.0, rb[row.label] - ra[row.label])
    objective = c.figure("Plan: objective")
    assert objective.values == (a.result.objective_usd, b.result.objective_usd)
    nb = c.figure("Plan: net benefit against the status quo")
    assert nb.values[1] == pytest.approx(b.result.cost_without_plan_usd
                                         - b.result.objective_usd)
    for md in c.decisions:
        ma, mb = a.result.material(md.material), b.result.material(md.material)
        assert md.plans[0].reserve_t == ma.reserve_target_t
        assert md.plans[1].floor_usd_per_kg == mb.floor.level_usd_per_kg
        assert (md.plans[1].expected_unmet_t, md.plans[1].expected_unmet_without_plan_t) == (
            mb.expected_unmet_t, mb.expected_unmet_without_plan_t)
        assert md.reserve_differences_t[1] == pytest.approx(mb.reserve_target_t
                                                            - ma.reserve_target_t)


def test_a_plan_compared_with_itself_has_no_differences(small):
    a = _plan("A", small)
    c = compare_plans([a, NamedPlan("A again", small, a.result)])
    assert c.inputs == ()
    assert all(r.differences[1] == 0 for r in c.figures if math.isfinite(r.values[0]))
    assert all(md.same_decision and md.reserve_differences_t == (0.0, 0.0)
               for md in c.decisions)


def test_three_plans_include_a_field_only_the_later_two_disagree_on(small):
    b = replace(small, policy=replace(small.policy, tariff_share=0.9))
    c3 = replace(small, policy=replace(small.policy, tariff_share=0.9, risk_aversion=0.7))
    plans = [_plan("A", small), _plan("B", b), _plan("C", c3)]
    c = compare_plans(plans)
    assert [d.path for d in c.inputs] == ["policy/tariff_share", "policy/risk_aversion"]
    assert c.difference("policy/risk_aversion").values == (small.policy.risk_aversion,
                                                           small.policy.risk_aversion, 0.7)
    assert len(c.figures[0].values) == 3


def test_a_scenario_only_one_plan_has(small):
    extra = replace(small.scenarios[-1], name="New shock", probability=0.0)
    b = replace(small, scenarios=(*small.scenarios, extra))
    c = compare_plans([_plan("A", small), _plan("B", b)])
    (d,) = c.inputs
    assert d.path == "scenarios"  # rows added: the whole table
    assert [r["name"] for r in d.values[0]] == [s.name for s in small.scenarios]
    assert "New shock" in value_text(d.values[1], d.unit)
    assert "New shock" not in value_text(d.values[0], d.unit)


def test_near_optimal_range_is_carried_when_solved(small):
    opts = replace(SWEEP_OPTIONS, near_optimal_tolerance=0.01)
    a = _plan("A", small, opts)
    c = compare_plans([a, NamedPlan("B", small, a.result)])
    for md in c.decisions:
        near = a.result.material(md.material).near_optimal
        assert near is not None
        assert (md.plans[0].near_optimal_low_t, md.plans[0].near_optimal_high_t) == (
            near.low_t, near.high_t)


def test_json_and_frames(small):
    a = _plan("A", small)
    b = _plan("B", _tariff_and_probability(small))
    c = compare_plans([a, b])
    d = json.loads(json.dumps(c.to_dict(), allow_nan=False))
    assert [p["name"] for p in d["plans"]] == ["A", "B"]
    assert {x["path"] for x in d["inputs_that_differ"]} == {d_.path for d_ in c.inputs}
    tariff = next(x for x in d["inputs_that_differ"] if x["path"] == "policy/tariff_share")
    assert tariff["values"] == [small.policy.tariff_share, 0.9]
    assert tariff["label"] == field_label("policy/tariff_share")[0]
    obj = next(x for x in d["results"] if x["label"] == "Plan: objective")
    assert obj["differences"][1] == pytest.approx(b.result.objective_usd
                                                  - a.result.objective_usd)
    frames = c.to_frames()
    assert set(frames) == {"plans", "inputs", "results", "decisions"}
    assert list(frames["results"].columns) == ["label", "unit", "note", "A", "A - A", "B",
                                               "B - A"]
    assert frames["decisions"].shape == (2 * len(small.materials), 12)
    assert frames["inputs"].shape == (3, 3 + 2 * 2)


def test_needs_two_plans_with_distinct_names(small):
    a = _plan("A", small)
    with pytest.raises(ValueError, match="at least two"):
        compare_plans([a])
    with pytest.raises(ValueError, match="'A'"):
        compare_plans([a, a])


def test_labels_units_and_sources():
    assert field_label("materials/NdPr oxide/storage_cost_usd_per_t_yr") == (
        "NdPr oxide: storage cost", "$/t/yr")
    assert field_label("policy/annual_budget_usd") == ("Policy: annual budget", "$")
    assert field_label("projects/P/earliest_online_month") == ("P: earliest online", "month")
    assert value_text(0.25, "0-1") == "25%"
    assert value_text(MISSING, "t") == "(none)"
    assert value_text(None, "$") == "none"


def test_source_of_falls_back_to_the_enclosing_field(small):
    src = Source(SourceKind.ASSUMPTION, "", "depth rule")
    x = replace(small, sources={**small.sources, f"scenarios/{LICENSING}/depth": src})
    assert source_of(x, f"scenarios/{LICENSING}/depth_by_material/Dy oxide") is src
    assert source_of(x, "policy/nothing_here") is None


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tariff=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
       risk=st.sampled_from([0.0, 0.3, 1.0]))
def test_property_differing_fields_are_exactly_the_changed_ones(small, tariff, risk):
    """Whatever is changed, the comparison lists exactly the changed fields, the first
    plan's values are the base's and every difference of a plan with itself is 0."""
    b = replace(small, policy=replace(small.policy, tariff_share=tariff, risk_aversion=risk))
    ra = solve(small, SolveOptions(diagnostics=False, appraise_floors=False,
                                   perfect_information=False))
    c = compare_plans([NamedPlan("A", small, ra), NamedPlan("B", b, ra)])
    expected = {p for p, old, new in (("policy/tariff_share", small.policy.tariff_share,
                                       tariff),
                                      ("policy/risk_aversion", small.policy.risk_aversion,
                                       risk)) if old != new}
    assert {d.path for d in c.inputs} == expected
    for d in c.inputs:
        assert d.differs_from_first(1) and not d.differs_from_first(0)
    assert all(r.differences[1] == 0 for r in c.figures if math.isfinite(r.values[0]))
