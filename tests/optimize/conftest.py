"""Small hand-checkable instances for the optimiser tests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reserve_planner.model import (
    DisruptionScenario,
    Material,
    PlanInputs,
    Policy,
    ProjectKind,
    SupplyProject,
)


def material(name: str = "X", **kw) -> Material:
    base = dict(
        name=name, demand_t_per_yr=1200.0, demand_growth_per_yr=0.0,
        domestic_supply_t_per_yr=(0.0,), allied_supply_t_per_yr=(0.0,),
        china_exposed_share=1.0, allied_exposed_share=0.0, price_usd_per_kg=50.0,
        price_log_volatility=0.0, storage_cost_usd_per_t_yr=12_000.0,
        shortage_cost_usd_per_kg=10.0, purchase_limit_t_per_month=1e6,
        release_limit_t_per_month=1e6, starting_stock_t=0.0,
    )
    base.update(kw)
    return Material(**base)


def scenario(name: str, p: float, start: int, dur: int, depth: dict[str, float], **kw):
    return DisruptionScenario(name=name, probability=p, start_month=start, duration_months=dur,
                              depth_by_material=tuple(depth.items()), **kw)


def policy(**kw) -> Policy:
    base = dict(start_year=2027, horizon_months=2, annual_budget_usd=1e13,
                discount_rate_per_yr=0.0, salvage_share=1.0, tariff_share=0.0,
                risk_aversion=0.0, floor_upside_share=0.0)
    base.update(kw)
    return Policy(**base)


def newsvendor(depths_probs: list[tuple[float, float]], **material_kw) -> PlanInputs:
    """One material, buy in month 0, a shortfall X = depth * 100 t in month 1."""
    scen = tuple(scenario(f"s{i}", p, 1, 1, {"X": d}) for i, (d, p) in enumerate(depths_probs))
    return PlanInputs("newsvendor", (material(**material_kw),), (), scen, policy())


@pytest.fixture
def make():
    """Builders: ``make.material``, ``make.scenario``, ``make.policy``, ``make.newsvendor``,
    ``make.project``, ``make.replace``."""

    class _Make:
        pass

    m = _Make()
    m.material = material
    m.scenario = scenario
    m.policy = policy
    m.newsvendor = newsvendor
    m.replace = replace
    m.project = lambda **kw: SupplyProject(**{
        "name": "P", "material": "X", "kind": ProjectKind.DOMESTIC, "capacity_t_per_yr": 120.0,
        "unit_cost_usd_per_kg": 100.0, "earliest_online_month": 0, "ramp_up_months": 0,
        "failure_probability": 0.0, **kw})
    return m
