"""The Episodes sheet: a scenario's later episodes round-trip, a workbook written before
episodes existed loads as scenarios of one episode, and bad rows are named by cell."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from reserve_planner.model import LaterEpisode

ESCALATION = "Licensing shock escalating to a six-month cut-off"


def _two_episode_inputs(baseline):
    """The baseline with a third episode on the escalation scenario and a second one, for
    NdPr only and in another row order, on the licensing shock."""
    shock = next(s for s in baseline.scenarios if s.name == "Licensing shock (April 2025 repeat)")
    third = LaterEpisode(gap_months=0, duration_months=3, depth_by_material=(("Dy oxide", 0.5),),
                         price_multiplier_during=2.0)
    ndpr_only = LaterEpisode(gap_months=60, duration_months=9,
                             depth_by_material=(("NdPr oxide", 0.25),), hits_allied_supply=True)
    scenarios = tuple(
        replace(s, later_episodes=(*s.later_episodes, third)) if s.name == ESCALATION else
        replace(s, later_episodes=(ndpr_only,)) if s is shock else s
        for s in baseline.scenarios)
    return replace(baseline, scenarios=scenarios)


def test_the_baseline_escalation_round_trips_with_its_source(tools, template, baseline):
    loaded, warnings = tools.load(template)
    assert warnings == []
    escalation = next(s for s in loaded.scenarios if s.name == ESCALATION)
    assert escalation.later_episodes == next(
        s for s in baseline.scenarios if s.name == ESCALATION).later_episodes
    assert len(escalation.later_episodes) == 1
    path = f"scenarios/{ESCALATION}/later_episodes"
    assert dict(loaded.sources)[path] == dict(baseline.sources)[path]


def test_several_episodes_per_scenario_round_trip(tools, baseline):
    inputs = _two_episode_inputs(baseline)
    loaded, warnings = tools.load(tools.workbook_bytes(inputs))
    assert warnings == []
    assert loaded.scenarios == inputs.scenarios


def test_rows_in_any_order_are_put_in_episode_order(tools, baseline):
    inputs = _two_episode_inputs(baseline)

    def reverse_rows(wb):
        ws = wb["Episodes"]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        for r, values in enumerate(reversed(rows), start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(r, c).value = v

    loaded, _ = tools.load(tools.edited(tools.workbook_bytes(inputs), reverse_rows))
    assert loaded.scenarios == inputs.scenarios


def test_a_workbook_without_the_sheet_loads_every_scenario_with_one_episode(tools, template):
    def drop(wb):
        del wb["Episodes"]

    loaded, warnings = tools.load(tools.edited(template, drop))
    assert warnings == []  # a workbook written before episodes existed is not at fault
    assert all(s.later_episodes == () for s in loaded.scenarios)


def test_an_empty_sheet_means_no_later_episodes(tools, template):
    def clear(wb):
        ws = wb["Episodes"]
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.value = None

    loaded, warnings = tools.load(tools.edited(template, clear))
    assert warnings == []
    assert all(s.later_episodes == () for s in loaded.scenarios)


@pytest.mark.parametrize(("heading", "value", "expected"), [
    ("Scenario", "Licensing shok escalating to a six-month cut-off",
     "Episodes!A2: scenario 'Licensing shok escalating to a six-month cut-off' is not on the "
     f"Scenarios sheet (did you mean '{ESCALATION}'?); an episode belongs to a scenario "
     "there"),
    ("Episode", 3, f"Episodes!B2: scenario '{ESCALATION}' has episode 3 but no episode 2; "
     "number its episodes 2, 3, ... with none missing"),
    ("Duration (months)", 0, "Episodes!D2: "),
    ("Depth: Dy oxide", 1.7, "Episodes!J2: "),
    ("Price multiplier during (x)", "lots", "Episodes!F2: "),
])
def test_a_bad_row_is_named_by_its_cell(tools, template, heading, value, expected):
    def edit(wb):
        tools.set_cell(wb, "Episodes", 2, heading, value)

    data = tools.edited(template, edit)
    started = time.perf_counter()
    problems = tools.problems_of(data)
    assert time.perf_counter() - started < 10
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_an_episode_listed_twice_is_a_problem(tools, template):
    def repeat(wb):
        ws = wb["Episodes"]
        for c in range(1, ws.max_column + 1):
            ws.cell(3, c).value = ws.cell(2, c).value

    problems = tools.problems_of(tools.edited(template, repeat))
    assert problems == [f"Episodes!B3: episode 2 of scenario '{ESCALATION}' appears twice "
                        "(also in row 2)"]


def test_a_first_episode_of_no_months_before_later_ones_names_its_cell(tools, template):
    def edit(wb):
        tools.set_cell(wb, "Scenarios", ESCALATION, "Duration (months)", 0)

    problems = tools.problems_of(tools.edited(template, edit))
    assert len(problems) == 1, problems
    assert problems == ["Scenarios!E15: a scenario with later episodes needs a first episode "
                        "of at least one month (got 0)"]


def test_price_from_curve_round_trips(tools, baseline):
    scenarios = tuple(replace(s, price_from_curve=True) if s.name.startswith("Full embargo")
                      else s for s in baseline.scenarios)
    inputs = replace(baseline, scenarios=scenarios)
    loaded, warnings = tools.load(tools.workbook_bytes(inputs))
    assert warnings == []
    assert [s.price_from_curve for s in loaded.scenarios] == [
        s.price_from_curve for s in scenarios]
    assert any(s.price_from_curve for s in loaded.scenarios)
