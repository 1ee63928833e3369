"""The named variant of the article baseline: the threatened 100% tariff."""

import dataclasses
import json

import pytest

from reserve_planner.io.baseline import (
    TARIFF_THREAT_PATH,
    load_article_baseline,
    load_tariff_threat_variant,
)
from reserve_planner.model import SourceKind, inputs_to_dict
from reserve_planner.optimize import solve
from reserve_planner.optimize.data import project_unit_cost


def test_variant_is_valid_and_named():
    threat = load_tariff_threat_variant()
    assert threat.validate() == []
    assert threat.name == "Article baseline, 100% tariff threat"
    assert json.loads(TARIFF_THREAT_PATH.read_text(encoding="utf-8"))["name"] == threat.name


def test_variant_differs_from_the_baseline_only_in_the_tariff():
    base, threat = load_article_baseline(), load_tariff_threat_variant()
    # the threatened additional 100% comes on top of the 20% in force
    assert base.policy.tariff_share < threat.policy.tariff_share == pytest.approx(1.2)
    same_policy = dataclasses.replace(threat.policy, tariff_share=base.policy.tariff_share)
    assert dataclasses.replace(threat, policy=same_policy, name=base.name,
                               notes=base.notes) == base
    changed = {p for p in set(base.sources) | set(threat.sources)
               if base.source(p) != threat.source(p)}
    assert changed == {"policy/tariff_share"}


def test_variant_tariff_is_the_article_threat_and_baseline_says_it_was_not_imposed():
    threat = load_tariff_threat_variant().source("policy/tariff_share")
    assert threat.kind is SourceKind.ARTICLE
    assert "threatened" in threat.detail and "never imposed" in threat.detail
    base = load_article_baseline().source("policy/tariff_share")
    assert base.kind is SourceKind.ASSUMPTION
    assert "never imposed" in base.detail and "range 0-0.45" in base.detail


def test_variant_loader_is_cached_and_round_trips():
    assert load_tariff_threat_variant() is load_tariff_threat_variant()
    data = inputs_to_dict(load_tariff_threat_variant())
    assert data["policy"]["tariff_share"] == pytest.approx(1.2)


def test_threat_inflates_project_costs_by_the_tariffed_input_share():
    base, threat = load_article_baseline(), load_tariff_threat_variant()
    share = base.policy.tariff_input_cost_share
    for p in base.projects:
        assert project_unit_cost(threat, p.unit_cost_usd_per_kg) == round(
            p.unit_cost_usd_per_kg * (1 + 1.2 * share), 2)
        assert project_unit_cost(base, p.unit_cost_usd_per_kg) == round(
            p.unit_cost_usd_per_kg * (1 + 0.2 * share), 2)


def test_variant_solves():
    result = solve(load_tariff_threat_variant())
    assert result.status == "optimal"
    assert result.inputs_name == "Article baseline, 100% tariff threat"
