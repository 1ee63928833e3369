"""Monte Carlo paths with more than one episode: a kind's later episodes follow with its
``later_probability``, in the spec's JSON form and in the workbook's Monte Carlo sheet."""

from __future__ import annotations

import numpy as np
import pytest

from reserve_planner.analysis.montecarlo_paths import batch_rng, draw_scenarios
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.io.montecarlo_sheet import read_montecarlo_sheet, write_spec_workbook
from reserve_planner.model import LaterEpisode
from reserve_planner.model.montecarlo_spec import (
    EpisodeKind,
    MonteCarloSpec,
    spec_around_scenarios,
    spec_from_dict,
)

LATER = (LaterEpisode(24, 6, (("NdPr oxide", 1.0),), True, 4.0, 1.5, 12),)


def _spec(p_later: float) -> MonteCarloSpec:
    kind = EpisodeKind("shock", 1.0, 0, 11, (2, 2), (("Dy oxide", 0.5),),
                       later_episodes=LATER, later_probability=p_later)
    return MonteCarloSpec(kinds=(kind,), project_failures=False)


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_the_share_of_paths_that_go_on_is_the_later_probability(p):
    inputs = load_article_baseline()
    n = 4000
    paths, kind = draw_scenarios(inputs, _spec(p), n, batch_rng(5, 0, 0))
    two = np.array([len(s.later_episodes) == 1 for s in paths])
    assert (kind == 0).all()
    # binomial: within 4 standard deviations of p
    assert abs(two.mean() - p) <= 4 * np.sqrt(p * (1 - p) / n) + 1e-12
    for s in paths:
        if s.later_episodes:
            first, second = s.episodes()
            assert second.start_month == first.end_month + 24  # timed from the first's end
            assert second.depth("NdPr oxide") == 1.0 and second.hits_allied_supply


def test_json_round_trip_and_default_spec_keep_the_baseline_episodes():
    inputs = load_article_baseline()
    spec = _spec(0.4)
    assert spec_from_dict(spec.to_dict()) == spec
    default = spec_around_scenarios(inputs)
    staged = [s for s in inputs.scenarios if s.later_episodes]
    assert staged, "the baseline has a scenario with a later episode"
    kinds = {k.name: k for k in default.kinds}
    for s in staged:
        assert kinds[s.name].later_episodes == s.later_episodes
        assert kinds[s.name].later_probability == 1.0
    assert default.validate(inputs) == []


def test_sheet_round_trip_names_the_scenario_and_refuses_an_unknown_one(tmp_path):
    from openpyxl import load_workbook

    inputs = load_article_baseline()
    spec = spec_around_scenarios(inputs)
    path = tmp_path / "mc.xlsx"
    write_spec_workbook(spec, inputs, path)
    back = read_montecarlo_sheet(path, inputs)
    assert back == spec
    # point one row at a scenario that does not exist
    wb = load_workbook(path)
    ws = wb["Monte Carlo"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Disruption")
    col = next(c for c in range(1, ws.max_column + 1)
               if ws.cell(header, c).value == "Later episodes as in scenario")
    ws.cell(header + 1, col).value = "No such scenario"
    wb.save(path)
    with pytest.raises(ValueError) as err:
        read_montecarlo_sheet(path, inputs)
    assert "no scenario 'No such scenario'" in str(err.value)
