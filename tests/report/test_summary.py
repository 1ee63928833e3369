"""The executive summary in words for plans with and without floors, reserves and plans."""

from __future__ import annotations

from reserve_planner.report import formatting as fmt
from reserve_planner.report.analysis import FloorAlternative, floor_alternatives
from reserve_planner.report.summary import (
    executive_summary,
    horizon_span,
    horizon_words,
    no_floor_reason,
)


def test_baseline_summary_names_reserve_floor_and_shortfall(baseline):
    inputs, result = baseline
    text = executive_summary(inputs, result, floor_alternatives(inputs, result))
    assert text.startswith("Hold ")
    first = result.materials[0]
    assert f"{fmt.tonnes(first.reserve_target_t)} t of {first.material}" in text
    assert "days of net imports" in text
    assert "ten-year horizon" in text
    for m in result.materials:
        if m.floor.has_floor:
            assert fmt.usd_per_kg(m.floor.level_usd_per_kg) in text
            for p in m.floor.projects:
                assert p.name in text
    without = [m.material for m in result.materials if not m.floor.has_floor]
    if without:
        assert f"Set no floor for {fmt.join_words(without)}" in text
    for m in result.materials:  # tonnes per material, never added across materials
        if m.expected_unmet_without_plan_t > 0.05:
            assert (f"{m.material} from {fmt.tonnes(m.expected_unmet_without_plan_t)} t to "
                    f"{fmt.tonnes(m.expected_unmet_t)} t") in text
    total = sum(m.expected_unmet_t for m in result.materials)
    assert f"{fmt.tonnes(total)} t" not in text


def test_no_floor_reasons_in_words():
    alt = FloorAlternative("Tb oxide", 1155.0, ("Plant",), 6.2e6, 4.4e6, 48.0)
    assert no_floor_reason("Tb oxide", alt) == (
        "the cheapest candidate floor, $1,155/kg, would pay out an expected $6.2M but avoid "
        "only $4.4M of shortage damage")
    better = FloorAlternative("Tb oxide", 1155.0, ("Plant",), 4.0e6, 9.0e6, 48.0)
    assert "does not lower the total cost" in no_floor_reason("Tb oxide", better)
    assert "no project supplies Tb oxide" in no_floor_reason("Tb oxide", None)
    empty = FloorAlternative("Tb oxide", 50.0, (), 0.0, 0.0, 0.0)
    assert "no project supplies" in no_floor_reason("Tb oxide", empty)
    assert "no candidate floor pays" in no_floor_reason("Tb oxide", None, known=False)


def test_summary_without_any_floor_explains_each(baseline):
    from dataclasses import replace

    inputs, result = baseline
    no_floor = tuple(replace(m, floor=replace(m.floor, level_usd_per_kg=0.0, projects=()))
                     for m in result.materials)
    plain = replace(result, materials=no_floor)
    text = executive_summary(inputs, plain, None)
    assert "Set no price floor for " in text
    assert text.count("no candidate floor pays for itself") == len(result.materials)


def test_zero_reserve_and_no_shortfall(baseline):
    from dataclasses import replace

    inputs, result = baseline
    empty = tuple(replace(m, reserve_target_t=0.0, expected_unmet_without_plan_t=0.0)
                  for m in result.materials)
    calm = replace(result, materials=empty)
    text = executive_summary(inputs, calm, {})
    assert text.startswith("Hold no strategic reserve: in these scenarios buying and storing")
    assert "No scenario leaves demand unmet, even without the plan." in text


def test_some_materials_without_reserve(baseline):
    from dataclasses import replace

    inputs, result = baseline
    mats = (replace(result.materials[0], reserve_target_t=0.0),) + result.materials[1:]
    text = executive_summary(inputs, replace(result, materials=mats), {})
    assert f"hold no {result.materials[0].material}" in text


def test_no_plan_summaries(invalid, infeasible):
    text = executive_summary(*invalid)
    assert text.startswith("No plan could be made for \u201cBroken inputs\u201d")
    assert "problem(s), listed below" in text
    text = executive_summary(*infeasible)
    assert "cannot all be met at once" in text


def test_no_plan_without_details(baseline):
    from reserve_planner.optimize import PlanResult, SolveStatus

    inputs, _ = baseline
    error = PlanResult(status=SolveStatus.ERROR, message="HiGHS crashed.", inputs_name="X")
    text = executive_summary(inputs, error)
    assert "\u201cerror\u201d. HiGHS crashed." in text


def test_horizon_words():
    assert horizon_words(120) == "ten-year"
    assert horizon_words(18) == "18-month"
    assert horizon_span(12) == "one year"
    assert horizon_span(120) == "ten years"
    assert horizon_span(30) == "30 months"
