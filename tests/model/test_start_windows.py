"""Start windows and hazards expand into start-month variants (hand-derived shares)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.model import DisruptionScenario, PlanInputs, Policy
from reserve_planner.model.serialize import inputs_from_dict, inputs_to_dict
from reserve_planner.model.start_windows import (
    expand_start_windows,
    start_variants,
    start_window,
)
from tests.optimize.conftest import material


def _scenario(name="Embargo", p=1.0, start=12, **kw) -> DisruptionScenario:
    return DisruptionScenario(name=name, probability=p, start_month=start, duration_months=6,
                              depth_by_material=(("X", 1.0),), **kw)


def _inputs(*scenarios, **policy) -> PlanInputs:
    return PlanInputs("w", (material(),), (), scenarios,
                      Policy(start_year=2027, horizon_months=48, **policy))


def test_a_uniform_window_splits_evenly_by_quarter():
    s = _scenario(earliest_start_month=12, latest_start_month=23)
    months, share = start_variants(s, 48, 3)
    assert months.tolist() == [12, 15, 18, 21]
    assert share == pytest.approx([0.25] * 4)


def test_a_short_last_step_carries_only_its_months():
    # months 12..22 are 11 months: three full quarters (3/11 each) and one of two (2/11)
    s = _scenario(earliest_start_month=12, latest_start_month=22)
    months, share = start_variants(s, 48, 3)
    assert months.tolist() == [12, 15, 18, 21]
    assert share == pytest.approx([3 / 11, 3 / 11, 3 / 11, 2 / 11])


def test_a_hazard_makes_later_months_less_likely():
    # 12 per year is a factor e^-1 per month: months 0 and 1 in the ratio 1 : 1/e
    s = _scenario(start=0, earliest_start_month=0, latest_start_month=1,
                  start_hazard_per_yr=12.0)
    months, share = start_variants(s, 48, 1)
    e = math.exp(-1.0)
    assert months.tolist() == [0, 1]
    assert share == pytest.approx([1 / (1 + e), e / (1 + e)])


def test_a_hazard_without_a_window_spans_the_horizon():
    s = _scenario(start_hazard_per_yr=0.5)
    assert start_window(s, 48) == (0, 47)
    months, share = start_variants(s, 48, 12)
    assert months.tolist() == [0, 12, 24, 36]
    w = np.exp(-0.5 * np.arange(48) / 12)
    assert share == pytest.approx([w[i:i + 12].sum() / w.sum() for i in (0, 12, 24, 36)])


def test_expansion_keeps_probability_names_the_month_and_maps_back():
    calm = replace(_scenario("Calm", 0.6, 0), duration_months=0)
    win = _scenario("Embargo", 0.4, 14, earliest_start_month=12, latest_start_month=17)
    out = expand_start_windows(_inputs(calm, win))
    names = [s.name for s in out.inputs.scenarios]
    assert names == ["Calm", "Embargo (starts 2028-01)", "Embargo (starts 2028-04)"]
    assert out.parents == ("Calm", "Embargo", "Embargo")
    assert [s.probability for s in out.inputs.scenarios] == pytest.approx([0.6, 0.2, 0.2])
    assert [s.start_month for s in out.inputs.scenarios] == [0, 12, 15]
    assert not any(s.has_uncertain_start for s in out.inputs.scenarios)
    assert out.inputs.validate() == []
    # expanding again changes nothing: the engine may be handed expanded inputs
    again = expand_start_windows(out.inputs)
    assert again.inputs is out.inputs


def test_the_stated_start_inside_the_window_does_not_matter():
    a = _scenario(start=12, earliest_start_month=12, latest_start_month=23)
    b = replace(a, start_month=20)
    ea, eb = expand_start_windows(_inputs(a)), expand_start_windows(_inputs(b))
    assert ea.inputs.scenarios == eb.inputs.scenarios


def test_starts_after_the_horizon_are_one_variant_that_disrupts_nothing():
    # horizon 48, window 40..55 (16 months), quarterly: steps from 40, 43 and 46 start inside
    # the horizon (3 months each); the steps from 49 on (7 months) are one variant at 48
    s = _scenario(start=40, earliest_start_month=40, latest_start_month=55)
    months, share = start_variants(s, 48, 3)
    assert months.tolist() == [40, 43, 46, 48]
    assert share == pytest.approx([3 / 16, 3 / 16, 3 / 16, 7 / 16])
    out = expand_start_windows(_inputs(s))
    assert out.inputs.scenarios[-1].name == "Embargo (starts after the horizon)"
    assert out.inputs.validate() == []
    # a window wholly after the horizon is one such variant
    late = _scenario(start=60, earliest_start_month=60, latest_start_month=70)
    assert start_variants(late, 48, 3)[0].tolist() == [48]


def test_monthly_steps_give_one_variant_per_month():
    s = _scenario(earliest_start_month=12, latest_start_month=23)
    out = expand_start_windows(_inputs(s, start_step_months=1))
    assert [v.start_month for v in out.inputs.scenarios] == list(range(12, 24))
    assert math.fsum(v.probability for v in out.inputs.scenarios) == pytest.approx(1.0)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"earliest_start_month": 12}, "latest_start_month", "needs both"),
    ({"earliest_start_month": 20, "latest_start_month": 15}, "latest_start_month",
     "must not be before the earliest (20)"),
    ({"earliest_start_month": -1, "latest_start_month": 5}, "earliest_start_month",
     "at least 0"),
    ({"earliest_start_month": 1.5, "latest_start_month": 5}, "earliest_start_month",
     "whole number"),
    ({"start_hazard_per_yr": -0.1}, "start_hazard_per_yr", "at least 0"),
])
def test_a_bad_window_says_what_and_where(changes, field, words):
    problems = _inputs(_scenario(**changes)).validate()
    assert any(p.field == f"scenarios/Embargo/{field}" and words in p.message
               for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("step", [0, 13])
def test_the_start_step_is_one_to_twelve_months(step):
    problems = _inputs(_scenario(), start_step_months=step).validate()
    assert [p.field for p in problems] == ["policy/start_step_months"]


def test_windows_survive_the_json_form_and_old_json_loads_without_them():
    s = _scenario(earliest_start_month=12, latest_start_month=23, start_hazard_per_yr=0.3)
    inputs = _inputs(s, start_step_months=1)
    assert inputs_from_dict(inputs_to_dict(inputs)) == inputs
    old = inputs_to_dict(_inputs(_scenario()))
    for key in ("earliest_start_month", "latest_start_month", "start_hazard_per_yr"):
        del old["scenarios"][0][key]
    del old["policy"]["start_step_months"]
    loaded = inputs_from_dict(old)
    assert not loaded.scenarios[0].has_uncertain_start
    assert loaded.policy.start_step_months == 3
