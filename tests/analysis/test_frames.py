"""PlanResult as DataFrames: one row per material, scenario, month; units in column names;
figures equal the result's."""

import numpy as np
import pytest

from reserve_planner.analysis import to_frame, to_frames
from reserve_planner.optimize import SolveOptions, solve


@pytest.fixture(scope="module")
def result(small):
    return solve(small, SolveOptions(appraise_floors=True))


def test_one_row_per_material_with_the_results_figures(result):
    df = to_frame(result)
    assert list(df["material"]) == [m.material for m in result.materials]
    assert all(c in ("material", "floor_projects", "months_to_fill", "year_reached")
               or c.endswith(("_t", "_usd", "_usd_per_kg", "_days", "_t_per_yr",
                              "_usd_per_t_month")) for c in df.columns), list(df.columns)
    for m, row in zip(result.materials, df.itertuples(), strict=True):
        assert row.reserve_target_t == m.reserve_target_t
        assert row.floor_level_usd_per_kg == m.floor.level_usd_per_kg
        assert row.expected_unmet_t == m.expected_unmet_t


def test_every_table(small, result):
    frames = to_frames(result)
    S, M, T = len(result.scenarios), len(result.materials), result.months
    scen = frames["scenarios"]
    assert len(scen) == S * M  # one row per scenario and material, never an all-material sum
    assert scen.groupby("material")["probability"].sum().to_numpy() == pytest.approx(
        np.ones(M))
    assert len(frames["months"]) == M * T and len(frames["scenario_months"]) == S * M * T
    months = frames["months"]
    for m in result.materials:
        bought = months.loc[months.material == m.material, "purchases_t"].sum()
        start = small.material(m.material).starting_stock_t
        assert bought + start == pytest.approx(m.reserve_target_t)
    assert months["month_label"].iloc[0] == f"{small.policy.start_year}-01"
    # each material's expected unmet demand over scenarios and months is the material's own
    sm = frames["scenario_months"]
    prob = dict(zip(result_names := [s.name for s in result.scenarios],
                    [s.probability for s in result.scenarios], strict=True))
    assert set(result_names) == set(scen["scenario"])
    for m in result.materials:
        mine = sm[sm.material == m.material]
        weighted = (mine["unmet_t"] * mine["scenario"].map(prob)).sum()
        assert weighted == pytest.approx(m.expected_unmet_t, rel=1e-9, abs=1e-9)
        rows = scen[scen.material == m.material]
        assert (rows["unmet_t"] * rows["probability"]).sum() == pytest.approx(
            m.expected_unmet_t, rel=1e-9, abs=1e-9)
        assert (rows["unmet_without_plan_t"] * rows["probability"]).sum() == pytest.approx(
            m.expected_unmet_without_plan_t, rel=1e-9, abs=1e-9)
    assert not any(f.endswith("_t") for f in frames["headline"]["figure"])
    costs = frames["costs"]
    assert costs["usd"].sum() == pytest.approx(result.costs.total_usd)
    options = frames["floor_options"]
    assert len(options) == sum(len(m.floor.candidates_usd_per_kg) for m in result.materials)
    assert options.groupby("material")["chosen"].sum().eq(1).all()
    assert np.isfinite(frames["headline"].set_index("figure").loc["objective_usd", "value"])


def test_no_plan_is_refused_with_the_reason(small):
    from dataclasses import replace

    bad = replace(small, policy=replace(small.policy, horizon_months=0))
    r = solve(bad)
    assert not r.status.has_plan
    with pytest.raises(ValueError, match="no plan to tabulate"):
        to_frame(r)
