"""Saving a scenario and loading it back gives identical inputs, sources included."""

from __future__ import annotations

import io
import math
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.io.workbook import (
    load_scenario_workbook,
    load_scenario_workbook_with_warnings,
    save_scenario_workbook,
)
from reserve_planner.model import (
    DisruptionScenario,
    Material,
    PlanInputs,
    Policy,
    ProjectKind,
    Source,
    SourceKind,
    SupplyProject,
)


def test_template_round_trip_keeps_values_and_sources(baseline, tmp_path):
    path = tmp_path / "baseline.xlsx"
    save_scenario_workbook(baseline, path)
    loaded, warnings = load_scenario_workbook_with_warnings(path)
    assert loaded == baseline
    assert dict(loaded.sources) == dict(baseline.sources)
    assert loaded.notes == baseline.notes
    assert warnings == []


def test_template_is_laid_out_as_excel_tables(template):
    wb = openpyxl.load_workbook(io.BytesIO(template))
    assert wb.sheetnames == ["Settings", "Materials", "Projects", "Scenarios", "Episodes",
                             "Series", "Floors", "Contracted floors", "Sources", "Metadata"]
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.tables, f"{name} has no Excel table"
        assert ws.freeze_panes is not None, name
        assert all(ws.column_dimensions[c].width for c in "AB"), name
    scenarios = wb["Scenarios"]
    assert [scenarios.cell(1, c).value for c in range(1, 4)] == [
        "Scenario", "Note", "Probability (%)"]
    assert scenarios["C2"].number_format == "0.0%"
    probability = [dv for dv in scenarios.data_validations.dataValidation if "C2" in dv.sqref]
    assert len(probability) == 1
    assert (probability[0].type, probability[0].operator, probability[0].formula1,
            probability[0].formula2) == ("decimal", "between", "0", "1")
    materials = wb["Materials"]
    assert materials["F1"].value == "Price ($/kg)"
    assert materials["F2"].number_format == '"$"#,##0.00'
    from reserve_planner.io.baseline import load_article_baseline

    price_source = load_article_baseline().sources["materials/NdPr oxide/price_usd_per_kg"].label()
    assert "SMM" in price_source
    assert materials["F2"].comment.text == f"Source: {price_source}"
    assert f"Price: {price_source}" in materials.cell(2, materials.max_column).value
    settings_ws = wb["Settings"]
    assert [c.value for c in settings_ws[1]] == ["Setting", "Value", "Unit", "Description",
                                                 "Source"]
    metadata = {r[0].value: r[1].value for r in wb["Metadata"].iter_rows(max_row=6)}
    assert metadata["Schema version"] == 1
    assert metadata["Program version"]


def test_every_source_is_on_the_sources_sheet_with_its_cell(baseline, template):
    ws = openpyxl.load_workbook(io.BytesIO(template))["Sources"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert set(rows) == set(baseline.sources)
    kind, reference, detail, cell = rows["materials/NdPr oxide/price_usd_per_kg"]
    source = baseline.sources["materials/NdPr oxide/price_usd_per_kg"]
    assert (kind, reference, detail) == (source.kind.value, source.reference, source.detail)
    assert cell == "Materials!F2"


def test_text_that_looks_like_a_formula_is_stored_as_text(baseline, tmp_path):
    from dataclasses import replace

    tricky = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "#N/A", "TRUE",
              "0012"]
    scenarios = tuple(replace(s, name=f"{tricky[i % len(tricky)]} {i}" if i else tricky[0],
                              note=tricky[(i + 1) % len(tricky)])
                      for i, s in enumerate(baseline.scenarios))
    inputs = replace(baseline, scenarios=scenarios, notes="=1+1", name="@plan")
    sources = dict(baseline.sources)
    sources["scenarios/x/probability"] = Source(SourceKind.USER, "=cmd|' /C calc'!A0", "-1")
    inputs = replace(inputs, sources=sources)
    path = tmp_path / "tricky.xlsx"
    save_scenario_workbook(inputs, path)
    wb = openpyxl.load_workbook(path)
    formulas = [(ws.title, c.column, c.value) for ws in wb for row in ws.iter_rows()
                for c in row if c.data_type == "f"]
    # the only formulas are the program's own: demand on the Series sheet, from Materials
    assert formulas and all(sheet == "Series" and col == 5 and
                            text.startswith("=IFERROR(INDEX(Materials!$B:$B,MATCH($A")
                            for sheet, col, text in formulas)
    with zipfile.ZipFile(path) as z:
        scenarios_xml = z.read("xl/worksheets/sheet4.xml")
    assert b"<f>" not in scenarios_xml and b"HYPERLINK" in scenarios_xml
    cell = wb["Scenarios"]["A2"]
    assert cell.value == tricky[0] and cell.data_type == "s" and cell.quotePrefix
    loaded = load_scenario_workbook(path)
    assert loaded == inputs and dict(loaded.sources) == sources
    assert loaded.notes == "=1+1" and loaded.name == "@plan"


def test_floats_keep_every_digit(baseline, tools):
    from dataclasses import replace

    m = replace(baseline.materials[0], price_usd_per_kg=0.1 + 0.2,
                demand_t_per_yr=2568.7000000000003, domestic_supply_t_per_yr=(1 / 3, 2 / 3))
    inputs = replace(baseline, materials=(m, *baseline.materials[1:]))
    loaded, _ = tools.load(tools.workbook_bytes(inputs))
    assert loaded.materials[0].price_usd_per_kg == 0.30000000000000004
    assert loaded == inputs


# --- generated inputs --------------------------------------------------------------------

_letters = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"))
_word = st.text(_letters, min_size=1, max_size=12).filter(lambda s: s == s.strip())
names = st.builds(lambda prefix, word: prefix + word,
                  st.sampled_from(["", "", "=", "+", "-", "@", "Depth: "]), _word).filter(
    lambda s: s == s.strip())
free_text = st.lists(st.text(_letters, max_size=30), max_size=3).map("\n".join)


def unit(lo=0.0, hi=1.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def big(lo=0.0, hi=1e6):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def plan_inputs(draw) -> PlanInputs:
    material_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    series = st.lists(big(0, 1e6), min_size=1, max_size=6).map(tuple)
    materials = tuple(Material(
        name=n, demand_t_per_yr=draw(big(0, 1e7)), demand_growth_per_yr=draw(unit(-0.99, 1)),
        domestic_supply_t_per_yr=draw(series), allied_supply_t_per_yr=draw(series),
        china_exposed_share=draw(unit()), allied_exposed_share=draw(unit()),
        price_usd_per_kg=draw(big(1e-3, 1e5)), price_log_volatility=draw(unit(0, 5)),
        storage_cost_usd_per_t_yr=draw(big()), shortage_cost_usd_per_kg=draw(big()),
        purchase_limit_t_per_month=draw(big()), release_limit_t_per_month=draw(big()),
        starting_stock_t=draw(big()),
    ) for n in material_names)
    projects = tuple(SupplyProject(
        name=n, material=draw(st.sampled_from(material_names)),
        kind=draw(st.sampled_from(list(ProjectKind))), capacity_t_per_yr=draw(big()),
        unit_cost_usd_per_kg=draw(big(1e-3, 1e4)),
        earliest_online_month=draw(st.integers(0, 240)),
        ramp_up_months=draw(st.integers(0, 120)), failure_probability=draw(unit()),
        government_equity_usd=draw(big()),
    ) for n in draw(st.lists(names, max_size=3, unique=True)))
    scenario_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    weights = draw(st.lists(unit(0.01, 1), min_size=len(scenario_names),
                            max_size=len(scenario_names)))
    total = math.fsum(weights)
    scenarios = tuple(DisruptionScenario(
        name=n, probability=w / total, start_month=draw(st.integers(0, 240)),
        duration_months=draw(st.integers(0, 60)),
        depth_by_material=tuple((m, draw(unit())) for m in material_names
                                if draw(st.booleans())),
        hits_allied_supply=draw(st.booleans()), price_multiplier_during=draw(big(1e-3, 20)),
        price_multiplier_after=draw(big(1e-3, 20)), after_months=draw(st.integers(0, 60)),
        note=draw(free_text),
    ) for n, w in zip(scenario_names, weights, strict=True))
    floors = tuple((m, tuple(draw(st.lists(big(0, 1e4), min_size=1, max_size=3))))
                   for m in material_names if draw(st.booleans()))
    policy = Policy(
        start_year=draw(st.integers(1990, 2100)), horizon_months=draw(st.integers(2, 360)),
        annual_budget_usd=draw(big(0, 1e12)),
        total_budget_usd=draw(st.none() | big(0, 1e12)), tariff_share=draw(unit(0, 10)),
        tariff_price_passthrough=draw(unit()), tariff_input_cost_share=draw(unit()),
        min_cover_days=draw(unit(0, 3650)), min_cover_by_month=draw(st.integers(0, 240)),
        risk_aversion=draw(big(0, 10)), cvar_level=draw(unit(0, 0.999)),
        discount_rate_per_yr=draw(unit(-0.49, 1)), salvage_share=draw(unit()),
        floor_upside_share=draw(unit()), floor_candidates_usd_per_kg=floors,
    )
    paths = [f"materials/{material_names[0]}/price_usd_per_kg", "policy/tariff_share",
             f"scenarios/{scenario_names[0]}/depth", f"materials/{material_names[0]}/"
             "domestic_supply_t_per_yr", "policy/floor_candidates_usd_per_kg",
             "some/other/path"]
    sources = {p: Source(draw(st.sampled_from(list(SourceKind))), draw(free_text),
                         draw(free_text)) for p in paths if draw(st.booleans())}
    return PlanInputs(name=draw(st.text(_letters, max_size=20)), materials=materials,
                      projects=projects, scenarios=scenarios, policy=policy,
                      sources=sources, notes=draw(free_text))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs())
def test_generated_inputs_round_trip(tools, inputs):
    assert inputs.validate() == []
    loaded, warnings = tools.load(tools.workbook_bytes(inputs))
    assert loaded == inputs
    assert dict(loaded.sources) == dict(inputs.sources)
    assert loaded.notes == inputs.notes
    late = [s for s in inputs.scenarios
            if s.duration_months > 0 and s.start_month >= inputs.policy.horizon_months]
    assert len(warnings) == len(late)  # only: a disruption after the horizon has no effect
    assert all("-month horizon" in w and "has no effect" in w for w in warnings)
