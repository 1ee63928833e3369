"""The report's "Purchases that adapt" blocks: the calm path in words, each scenario's
refills, the expected spot purchases."""

from __future__ import annotations

from reserve_planner.model import DisruptionScenario, LaterEpisode, Material, PlanInputs, Policy
from reserve_planner.optimize import SolveOptions, solve
from reserve_planner.report.document import Paragraph, Table
from reserve_planner.report.refills_section import refill_blocks


def _inputs(later: tuple[LaterEpisode, ...]) -> PlanInputs:
    # 100 t/month of fully exposed demand, 100 t/month purchasable, no storage, no salvage:
    # a cut in month 1 and (with ``later``) another in month 3; half the futures are calm.
    mat = Material(name="X", demand_t_per_yr=1200.0, demand_growth_per_yr=0.0,
                   domestic_supply_t_per_yr=(0.0,), allied_supply_t_per_yr=(0.0,),
                   china_exposed_share=1.0, allied_exposed_share=0.0, price_usd_per_kg=50.0,
                   price_log_volatility=0.0, storage_cost_usd_per_t_yr=0.0,
                   shortage_cost_usd_per_kg=200.0, purchase_limit_t_per_month=100.0,
                   release_limit_t_per_month=1e6)
    twin = DisruptionScenario("twin", 0.5, 1, 1, (("X", 1.0),), later_episodes=later)
    calm = DisruptionScenario("calm", 0.5, 0, 0, ())
    pol = Policy(start_year=2027, horizon_months=6, annual_budget_usd=1e13,
                 discount_rate_per_yr=0.0, salvage_share=0.0, tariff_share=0.0,
                 risk_aversion=0.0, floor_upside_share=0.0)
    return PlanInputs("refills", (mat,), (), (twin, calm), pol)


def test_a_refilling_scenario_is_listed_with_its_tonnes_and_months():
    result = solve(_inputs((LaterEpisode(1, 1, (("X", 1.0),)),)),
                   SolveOptions(diagnostics=False))
    blocks = refill_blocks(result)
    assert isinstance(blocks[0], Paragraph) and "calm path" in blocks[0].text
    table = next(b for b in blocks if isinstance(b, Table))
    assert [r[0].text for r in table.rows] == ["twin"]
    row = table.rows[0]
    # 100 t refilled in month 2 (March 2027), the only refill month
    assert row[1].text == "50%" and row[2].text == "100"
    assert row[0].note == "March 2027"


def test_no_second_episode_means_no_refill_table():
    result = solve(_inputs(()), SolveOptions(diagnostics=False))
    blocks = refill_blocks(result)
    assert not any(isinstance(b, Table) for b in blocks)
    assert any("No scenario refills" in b.text for b in blocks if isinstance(b, Paragraph))
