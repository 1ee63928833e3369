"""A reduced baseline for the analysis tests: three years, four scenarios, all materials and
projects, so a solve takes a few milliseconds and the decisions still depend on the inputs."""

from dataclasses import replace

import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import (
    DisruptionScenario,
    Material,
    PlanInputs,
    Policy,
    ProjectKind,
    SupplyProject,
)

KEEP = ("No disruption", "Licensing shock (April 2025 repeat)",
        "Full embargo, 12 months, from 2028", "Low-price flooding")


def small_baseline():
    base = load_article_baseline()
    scen = [s for s in base.scenarios if s.name in KEEP]
    total = sum(s.probability for s in scen)
    scen = [replace(s, probability=s.probability / total) for s in scen]
    scen[0] = replace(scen[0], probability=1.0 - sum(s.probability for s in scen[1:]))
    return replace(base, name="Small baseline", scenarios=tuple(scen),
                   policy=replace(base.policy, horizon_months=36))


@pytest.fixture(scope="session")
def small():
    inputs = small_baseline()
    assert not inputs.validate()
    return inputs


def _floor_economics(shortage_usd_per_kg: float) -> PlanInputs:
    """Demand 100 t/month, all China-exposed; a 6-month full cut from month 6 with p = .5.
    One project of 60 t/month costing $100/kg; the price is a certain $90/kg, so a $100/kg
    floor pays $10/kg x 60 t x 12 months = $7.2M and avoids .5 x 6 x 60 t = 180 t of
    shortfall: it pays off when 180,000 kg x s > $7.2M, i.e. s > $40/kg. Nothing can be
    bought for a reserve (purchase limit 0)."""
    x = Material("X", 1200.0, 0.0, (0.0,), (0.0,), 1.0, 0.0, 90.0, 0.0, 12_000.0,
                 shortage_usd_per_kg, 0.0, 1e6)
    p = SupplyProject("P", "X", ProjectKind.DOMESTIC, 720.0, 100.0, 0, 0, 0.0)
    scen = (DisruptionScenario("calm", 0.5, 0, 0, (("X", 0.0),)),
            DisruptionScenario("cut", 0.5, 6, 6, (("X", 1.0),)))
    pol = Policy(start_year=2027, horizon_months=12, annual_budget_usd=1e13)
    return PlanInputs("floor economics", (x,), (p,), scen, pol)


@pytest.fixture(scope="session")
def floor_economics():
    """Builder of the hand-derived floor instance: floor chosen exactly when the shortage
    cost exceeds $40/kg."""
    return _floor_economics
