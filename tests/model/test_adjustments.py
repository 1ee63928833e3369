"""The slider scalers: pure functions over the full input tables."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import USER_EDIT, SourceKind
from reserve_planner.model.adjustments import (
    ADJUSTMENT_KEYS,
    SLIDER_BY_KEY,
    SLIDERS,
    Adjustments,
    adjustments_from,
    apply_adjustments,
    is_calm,
    is_full_embargo,
    reset_adjustment,
    set_adjustment,
    set_scenario_probability,
)

BASE = load_article_baseline()
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def in_range(key: str) -> st.SearchStrategy[float]:
    spec = SLIDER_BY_KEY[key]
    return st.floats(spec.minimum, spec.maximum, allow_nan=False).map(spec.from_display)


def sliders() -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({key: in_range(key) for key in ADJUSTMENT_KEYS})


def test_baseline_reads_as_identity() -> None:
    adj = adjustments_from(BASE)
    assert adj.probability_scale == 1.0 and adj.price_scale == 1.0
    assert adj.project_delay_months == 0.0
    assert adj.annual_budget_usd == BASE.policy.annual_budget_usd
    assert math.isclose(adj.embargo_duration_months, (0.08 * 6 + 0.05 * 12 + 0.02 * 24) / 0.15,
                        rel_tol=1e-6)
    assert apply_adjustments(BASE, adj) is BASE


def test_every_slider_has_a_spec_and_a_field() -> None:
    assert sorted(s.key for s in SLIDERS) == sorted(ADJUSTMENT_KEYS)
    for spec in SLIDERS:
        assert spec.minimum < spec.maximum and spec.step > 0 and spec.help


def test_classification_of_the_baseline() -> None:
    calm = [s.name for s in BASE.scenarios if is_calm(s)]
    embargoes = [s.name for s in BASE.scenarios if is_full_embargo(s, BASE.material_names)]
    assert calm == ["No disruption"]
    assert len(embargoes) == 9 and all("Full embargo" in n for n in embargoes)


@FAST
@given(values=sliders())
def test_any_slider_values_give_valid_inputs(values: dict[str, float]) -> None:
    out = apply_adjustments(BASE, Adjustments(**values))
    assert out.validate() == []
    probs = [s.probability for s in out.scenarios]
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert math.isclose(math.fsum(probs), 1.0, abs_tol=1e-9)
    for s in out.scenarios:
        assert all(0.0 <= d <= 1.0 for _, d in s.depth_by_material)
        assert isinstance(s.duration_months, int)
    assert all(j.earliest_online_month >= 0 for j in out.projects)
    assert all(0.0 <= m.china_exposed_share <= 1.0 for m in out.materials)


@FAST
@given(scale=st.floats(0.0, 5.0, allow_nan=False))
def test_probability_scale_keeps_a_distribution(scale: float) -> None:
    out = set_adjustment(BASE, "probability_scale", scale)
    probs = {s.name: s.probability for s in out.scenarios}
    assert math.isclose(math.fsum(probs.values()), 1.0, abs_tol=1e-9)
    assert all(0.0 <= p <= 1.0 for p in probs.values())
    ratio = [probs[s.name] / s.probability for s in BASE.scenarios
             if not is_calm(s) and s.probability > 0]
    assert max(ratio) - min(ratio) < 1e-9  # one factor for every disruption
    reached = adjustments_from(out, BASE).probability_scale
    assert math.isclose(reached, min(scale, 1 / 0.7), rel_tol=1e-6, abs_tol=1e-9)


@FAST
@given(key=st.sampled_from(["price_scale", "volatility_scale", "shortage_cost_scale",
                            "storage_cost_scale", "allied_supply_scale", "annual_budget_usd",
                            "tariff_share", "discount_rate_per_yr", "min_cover_days",
                            "risk_aversion", "china_processing_share",
                            "china_mining_share"]),
       data=st.data())
def test_unclipped_sliders_read_back_what_was_set(key: str, data: st.DataObject) -> None:
    value = data.draw(in_range(key))
    if key == "china_processing_share":
        value = min(value, 0.9)  # 0.99 shares clip above ~0.95 mean
    out = set_adjustment(BASE, key, value, BASE)
    assert math.isclose(getattr(adjustments_from(out, BASE), key), value,
                        rel_tol=1e-7, abs_tol=1e-9)


@FAST
@given(first=in_range("price_scale"), second=in_range("price_scale"))
def test_scales_compose_from_the_reference(first: float, second: float) -> None:
    once = set_adjustment(BASE, "price_scale", second, BASE)
    twice = set_adjustment(set_adjustment(BASE, "price_scale", first, BASE),
                           "price_scale", second, BASE)
    for a, b in zip(once.materials, twice.materials, strict=True):
        assert math.isclose(a.price_usd_per_kg, b.price_usd_per_kg, rel_tol=1e-9)


def test_embargo_length_stretches_all_embargoes_keeping_their_order() -> None:
    out = set_adjustment(BASE, "embargo_duration_months", 18.0)
    lengths = {s.name: s.duration_months for s in out.scenarios}
    assert lengths["Full embargo, 10 months, from 2028"] == 10
    assert lengths["Full embargo, 21 months, from 2028"] == 21
    assert lengths["Full embargo, 42 months, from 2034"] == 42
    assert lengths["Licensing shock (April 2025 repeat)"] == 2  # not an embargo
    assert round(adjustments_from(out).embargo_duration_months) == 18
    assert out.source("scenarios/Full embargo, 10 months, from 2028/duration_months") \
        == USER_EDIT


def stated_months(name: str) -> int | None:
    found = re.findall(r"(\d+) months?\b", name)
    return int(found[0]) if len(found) == 1 else None


def test_embargo_names_follow_their_length_and_take_their_sources() -> None:
    out = set_adjustment(BASE, "embargo_duration_months", 18.0)
    old = "scenarios/Full embargo, 6 months, from 2031"
    new = "scenarios/Full embargo, 10 months, from 2031"
    assert out.source(f"{old}/start_month") is None
    assert out.source(f"{new}/start_month") == BASE.source(f"{old}/start_month")
    assert out.source(f"{new}/probability") == BASE.source(f"{old}/probability")
    assert [s.name for s in out.scenarios[:3]] == [s.name for s in BASE.scenarios[:3]]
    assert {p for p in out.sources if not p.startswith("scenarios/Full embargo")} \
        == {p for p in BASE.sources if not p.startswith("scenarios/Full embargo")}
    assert len(out.sources) == len(BASE.sources)


def test_names_may_swap_when_lengths_double() -> None:
    mean = adjustments_from(BASE).embargo_duration_months
    out = set_adjustment(BASE, "embargo_duration_months", 2 * mean)
    by_start = [(s.name, s.duration_months) for s in out.scenarios
                if s.name.endswith("from 2028")]
    assert by_start == [("Full embargo, 12 months, from 2028", 12),
                        ("Full embargo, 24 months, from 2028", 24),
                        ("Full embargo, 48 months, from 2028", 48)]
    # the scenario that was 6 months now holds the old 6-month scenario's probability
    assert out.scenarios[3].probability == BASE.scenarios[3].probability
    assert reset_adjustment(out, "embargo_duration_months", BASE) == BASE


def test_only_a_name_stating_the_old_length_is_renamed() -> None:
    scen = list(BASE.scenarios)
    scen[3] = replace(scen[3], name="Full embargo, 9 months, from 2028")  # lasts 6
    scen[4] = replace(scen[4], name="Full embargo from 2031")
    scen[5] = replace(scen[5], name="Embargo of 6 months after 6 months of talks")
    odd = replace(BASE, scenarios=tuple(scen))
    out = set_adjustment(odd, "embargo_duration_months", 18.0)
    names = [s.name for s in out.scenarios]
    assert names[3:6] == [s.name for s in scen[3:6]]
    assert out.scenarios[3].duration_months == 10
    assert names[6] == "Full embargo, 21 months, from 2028"


def test_lengths_that_round_together_keep_names_unique() -> None:
    out = set_adjustment(BASE, "embargo_duration_months", 1.0)
    names = [s.name for s in out.scenarios]
    assert len(set(names)) == len(names) and out.validate() == []
    assert "Full embargo, 1 month, from 2028" in names
    assert any(n.endswith(" (2)") for n in names)
    assert reset_adjustment(out, "embargo_duration_months", BASE) == BASE
    back = set_adjustment(out, "embargo_duration_months",
                          adjustments_from(BASE).embargo_duration_months, BASE)
    assert all(stated_months(s.name) == s.duration_months for s in back.scenarios
               if stated_months(s.name) is not None)


@FAST
@given(first=in_range("embargo_duration_months"), second=in_range("embargo_duration_months"))
def test_embargo_names_always_state_their_length(first: float, second: float) -> None:
    out = set_adjustment(set_adjustment(BASE, "embargo_duration_months", first, BASE),
                         "embargo_duration_months", second, BASE)
    names = [s.name for s in out.scenarios]
    assert len(set(names)) == len(names) and out.validate() == []
    for s in out.scenarios:
        if s.name.startswith("Full embargo"):
            assert stated_months(s.name) == s.duration_months
            for field in ("probability", "start_month", "duration_months", "depth"):
                assert out.source(f"scenarios/{s.name}/{field}") is not None
    assert not [p for p in out.sources if p.startswith("scenarios/")
                and p.rsplit("/", 1)[0].split("/", 1)[1] not in names]
    back = reset_adjustment(out, "embargo_duration_months", BASE)
    assert back == BASE and dict(back.sources) == dict(BASE.sources)


def test_renamed_embargoes_still_count_for_the_relative_sliders() -> None:
    deeper = set_adjustment(BASE, "depth_scale", 1.1, BASE)
    longer = set_adjustment(deeper, "embargo_duration_months", 30.0, BASE)
    assert math.isclose(adjustments_from(longer, BASE).depth_scale, 1.1, rel_tol=1e-6)
    assert math.isclose(adjustments_from(longer, BASE).probability_scale, 1.0)
    less = set_adjustment(longer, "probability_scale", 0.0, BASE)
    again = set_adjustment(less, "probability_scale", 1.0, BASE)  # restarts from the reference
    assert [s.probability for s in again.scenarios] == \
        pytest.approx([s.probability for s in longer.scenarios], abs=1e-12)
    reset = reset_adjustment(longer, "depth_scale", BASE)
    assert [s.depth_by_material for s in reset.scenarios] == \
        [s.depth_by_material for s in BASE.scenarios]


def test_depth_scale_clips_at_one_and_fits_the_mean() -> None:
    out = set_adjustment(BASE, "depth_scale", 1.1, BASE)
    assert all(d <= 1.0 for s in out.scenarios for _, d in s.depth_by_material)
    assert math.isclose(adjustments_from(out, BASE).depth_scale, 1.1, rel_tol=1e-6)
    licensing = next(s for s in out.scenarios if s.name.startswith("Licensing"))
    assert licensing.depth("NdPr oxide") == 0.0  # a material not cut stays not cut
    zero = set_adjustment(BASE, "depth_scale", 0.0, BASE)
    assert adjustments_from(zero, BASE).depth_scale == 0.0
    back = set_adjustment(zero, "depth_scale", 1.0, BASE)  # restarts from the reference
    assert back.scenarios == BASE.scenarios


def test_project_delay_never_before_month_zero() -> None:
    out = set_adjustment(BASE, "project_delay_months", -24.0, BASE)
    assert min(j.earliest_online_month for j in out.projects) == 0
    later = set_adjustment(BASE, "project_delay_months", 12.0, BASE)
    assert [j.earliest_online_month for j in later.projects] == \
        [j.earliest_online_month + 12 for j in BASE.projects]


@pytest.mark.parametrize("key", ADJUSTMENT_KEYS)
def test_reset_restores_the_reference_cells_and_sources(key: str) -> None:
    spec = SLIDER_BY_KEY[key]
    moved = set_adjustment(BASE, key, spec.from_display(spec.maximum * 0.9), BASE)
    back = reset_adjustment(moved, key, BASE)
    assert back == BASE
    assert {k: v for k, v in back.sources.items()} == dict(BASE.sources)


def test_slider_edits_mark_sources_as_user() -> None:
    out = set_adjustment(BASE, "price_scale", 1.5, BASE)
    assert out.source("materials/NdPr oxide/price_usd_per_kg").kind is SourceKind.USER
    assert BASE.source("materials/NdPr oxide/price_usd_per_kg").kind is SourceKind.DERIVED


def test_set_adjustment_rejects_unknown_and_non_finite() -> None:
    with pytest.raises(KeyError):
        set_adjustment(BASE, "no_such_slider", 1.0)
    with pytest.raises(ValueError):
        set_adjustment(BASE, "price_scale", float("nan"))


@FAST
@given(index=st.integers(0, len(BASE.scenarios) - 1), p=st.floats(0.0, 1.0))
def test_scenario_probability_edit_rebalances_or_refuses(index: int, p: float) -> None:
    name = BASE.scenarios[index].name
    try:
        out = set_scenario_probability(BASE, name, p)
    except ValueError as exc:
        assert "at most" in str(exc) or "no" in str(exc)
        return
    probs = [s.probability for s in out.scenarios]
    assert math.isclose(math.fsum(probs), 1.0, abs_tol=1e-9)
    assert all(0.0 <= q <= 1.0 for q in probs)
    assert out.scenarios[index].probability == p
    assert out.validate() == []


def test_scenario_probability_too_high_is_refused_with_the_limit() -> None:
    with pytest.raises(ValueError, match="at most 0.5"):
        set_scenario_probability(BASE, "Low-price flooding", 0.9)


def test_no_calm_scenario_means_probability_cannot_move() -> None:
    no_calm = replace(BASE, scenarios=tuple(
        replace(s, probability=s.probability + 0.3) if s.name == "Low-price flooding" else s
        for s in BASE.scenarios if not is_calm(s)))
    assert set_adjustment(no_calm, "probability_scale", 0.5) is no_calm
