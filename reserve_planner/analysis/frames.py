"""A :class:`~reserve_planner.optimize.PlanResult` as tidy pandas DataFrames.

Free functions, so the result type stays free of pandas: :func:`to_frame` gives one row per
material; :func:`to_frames` gives every table by name. Column names carry their units
(``_t`` tonnes, ``_t_per_month``, ``_usd`` expected discounted dollars unless the name
says otherwise, ``_usd_per_kg``, ``_days``). Figures "without plan" are the status quo's
(existing commitments, no new reserve, no new floor).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..optimize import PlanResult, month_label

if TYPE_CHECKING:
    import pandas as pd

MATERIAL_COLUMNS = (
    "material", "reserve_target_t", "near_optimal_low_t", "near_optimal_high_t",
    "days_of_cover_iea_days", "days_of_cover_year_reached_days",
    "year_reached", "net_imports_t_per_yr", "planned_outlay_undiscounted_usd",
    "net_reserve_cost_usd", "incremental_reserve_cost_usd", "months_to_fill",
    "floor_level_usd_per_kg", "floor_projects", "floor_expected_payout_usd",
    "floor_worst_case_payout_usd", "equity_at_risk_usd", "expected_equity_loss_usd",
    "expected_added_supply_t", "expected_unmet_t", "expected_unmet_without_plan_t",
    "release_capacity_value_usd_per_t_month")


def _require_plan(result: PlanResult) -> None:
    if not result.status.has_plan:
        raise ValueError(f"the result has no plan to tabulate (status "
                         f"{result.status.value}: {result.message})")


def to_frame(result: PlanResult) -> pd.DataFrame:
    """One row per material: reserve (with its near-optimal range when the solve computed
    one, else NaN), cover two ways (IEA and the year reached), cost, floor and unmet demand.

    Raises :class:`ValueError` when the result has no plan.
    """
    import pandas as pd

    _require_plan(result)
    rows = []
    for m in result.materials:
        f = m.floor
        near = ((m.near_optimal.low_t, m.near_optimal.high_t) if m.near_optimal is not None
                else (math.nan, math.nan))
        rows.append((m.material, m.reserve_target_t, near[0], near[1],
                     m.days_of_import_cover,
                     m.days_of_cover_year_reached, m.year_reached, m.net_imports_t_per_yr,
                     m.planned_outlay_usd, m.net_reserve_cost_usd,
                     m.incremental_reserve_cost_usd, m.months_to_fill, f.level_usd_per_kg,
                     ", ".join(p.name for p in f.projects), f.expected_payout_usd,
                     f.worst_case_payout_usd, f.equity_at_risk_usd,
                     f.expected_equity_loss_usd, f.expected_added_supply_t,
                     m.expected_unmet_t, m.expected_unmet_without_plan_t,
                     m.release_capacity_value_usd_per_t_month))
    return pd.DataFrame.from_records(rows, columns=list(MATERIAL_COLUMNS))


def _scenarios(result: PlanResult) -> pd.DataFrame:
    """One row per scenario (start-month variants apart, ``input_scenario`` naming the
    scenario they came from) and material; tonnes of different materials are never added."""
    import pandas as pd

    names = [m.material for m in result.materials]
    return pd.DataFrame.from_records(
        [(s.name, s.parent or s.name, m, s.probability, s.loss_usd, s.shortage_usd,
          float(s.unmet_by_material_t[i]), float(s.unmet_without_plan_by_material_t[i]))
         for s in result.scenarios for i, m in enumerate(names)],
        columns=["scenario", "input_scenario", "material", "probability", "loss_usd",
                 "shortage_usd", "unmet_t", "unmet_without_plan_t"])


def _months(result: PlanResult) -> pd.DataFrame:
    """One row per material and month: planned purchases and the expected stock, releases
    and unmet demand over the scenarios."""
    import pandas as pd

    names = [m.material for m in result.materials]
    T = result.months
    prob = np.array([s.probability for s in result.scenarios])
    stock = np.einsum("s,smt->mt", prob, np.stack([s.stock_t for s in result.scenarios]))
    rel = np.einsum("s,smt->mt", prob, np.stack([s.releases_t for s in result.scenarios]))
    un = np.einsum("s,smt->mt", prob, np.stack([s.unmet_t for s in result.scenarios]))
    buy = np.stack([m.fill_schedule_t for m in result.materials])
    M = len(names)
    return pd.DataFrame({
        "material": np.repeat(names, T),
        "month": np.tile(np.arange(T), M),
        "month_label": [month_label(result.start_year, t) for t in range(T)] * M,
        "purchases_t": buy.ravel(),
        "expected_stock_t": stock[:, :T].ravel(),
        "expected_releases_t": rel.ravel(),
        "expected_unmet_t": un.ravel(),
    })


def _scenario_months(result: PlanResult) -> pd.DataFrame:
    """One row per scenario, material and month: stock at the start of the month, releases
    and unmet demand with and without the plan."""
    import pandas as pd

    names = [m.material for m in result.materials]
    S, M, T = len(result.scenarios), len(names), result.months
    stock = np.stack([s.stock_t[:, :T] for s in result.scenarios])
    rel = np.stack([s.releases_t for s in result.scenarios])
    un = np.stack([s.unmet_t for s in result.scenarios])
    un0 = np.stack([s.unmet_without_plan_t for s in result.scenarios])
    return pd.DataFrame({
        "scenario": np.repeat([s.name for s in result.scenarios], M * T),
        "material": np.tile(np.repeat(names, T), S),
        "month": np.tile(np.arange(T), S * M),
        "stock_t": stock.ravel(), "releases_t": rel.ravel(), "unmet_t": un.ravel(),
        "unmet_without_plan_t": un0.ravel(),
    })


def _costs(result: PlanResult) -> pd.DataFrame:
    import pandas as pd

    assert result.costs is not None
    return pd.DataFrame.from_records(result.costs.items(), columns=["term", "usd"])


def _floor_options(result: PlanResult) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for m in result.materials:
        for o in m.floor.appraisal:
            rows.append((m.material, o.level_usd_per_kg, ", ".join(o.projects),
                         o.expected_payout_usd, o.objective_change_usd,
                         o.level_usd_per_kg == m.floor.level_usd_per_kg))
    return pd.DataFrame.from_records(rows, columns=[
        "material", "level_usd_per_kg", "projects", "expected_payout_usd",
        "objective_change_usd", "chosen"])


def _headline(result: PlanResult) -> pd.DataFrame:
    import pandas as pd

    items = [
        ("objective_usd", result.objective_usd),
        ("shortage_cvar_usd", result.shortage_cvar_usd),
        ("loss_cvar_usd", result.cvar_usd),
        ("status_quo_objective_usd", result.cost_without_plan_usd),
        ("expected_shortage_avoided_usd", result.expected_shortage_avoided_usd),
        ("benefit_cost_ratio", result.benefit_cost_ratio),
        ("eev_usd", result.eev_usd), ("vss_usd", result.vss_usd),
        ("wait_and_see_usd", result.wait_and_see_usd), ("evpi_usd", result.evpi_usd),
        ("tariff_cost_to_buyers_usd", result.tariff_cost_to_buyers_usd),
        ("solve_time_s", result.solve_time_s),
    ]
    return pd.DataFrame.from_records(items, columns=["figure", "value"])


def to_frames(result: PlanResult) -> dict[str, pd.DataFrame]:
    """Every table of a result: ``"materials"`` (:func:`to_frame`), ``"headline"`` (one
    row per figure), ``"costs"`` (one row per cost term), ``"scenarios"`` (one row per
    scenario and material: probability, loss and shortage damage [$] of the scenario, unmet
    demand of the material with the plan and in the status quo [t of it]), ``"months"``
    (material x month, expected over scenarios),
    ``"scenario_months"`` (scenario x material x month) and ``"floor_options"`` (one row
    per appraised candidate level; empty unless the solve appraised floors).

    Raises :class:`ValueError` when the result has no plan.
    """
    _require_plan(result)
    return {"materials": to_frame(result), "headline": _headline(result),
            "costs": _costs(result), "scenarios": _scenarios(result),
            "months": _months(result), "scenario_months": _scenario_months(result),
            "floor_options": _floor_options(result)}
