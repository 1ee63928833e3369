"""The workbook layout's ranges agree with PlanInputs.validate(), so the reader's cell-level
messages and the domain rules can never drift apart."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reserve_planner.io.field_values import range_problem
from reserve_planner.io.scenario_layout import (
    DEPTH_FIELD,
    FLOOR_FIELDS,
    MATERIAL_FIELDS,
    PROJECT_FIELDS,
    SCENARIO_FIELDS,
    SERIES_FIELDS,
    SETTING_FIELDS,
    Field,
    ValueKind,
)
from reserve_planner.io.xlsx_writing import validation_for

NUMERIC = (ValueKind.NUMBER, ValueKind.OPTIONAL_NUMBER, ValueKind.WHOLE)


def _with(baseline, table: str, fld: Field, value):
    """``baseline`` with ``fld`` of the first row of ``table`` set to ``value``, and the
    field path validate() reports it under."""
    m, j, s = baseline.materials[0], baseline.projects[0], baseline.scenarios[0]
    if table == "materials":
        return replace(baseline, materials=(replace(m, **{fld.name: value}),
                                            *baseline.materials[1:])), \
            f"materials/{m.name}/{fld.name}"
    if table == "series":
        return replace(baseline, materials=(replace(m, **{fld.name: (value,)}),
                                            *baseline.materials[1:])), \
            f"materials/{m.name}/{fld.name}[0]"
    if table == "projects":
        return replace(baseline, projects=(replace(j, **{fld.name: value}),
                                           *baseline.projects[1:])), \
            f"projects/{j.name}/{fld.name}"
    if table == "scenarios":
        # keep probabilities adding up to 1 by moving the difference to the last scenario
        other = {}
        if fld.name == "probability":
            last = baseline.scenarios[-1]
            other = {"last": replace(last, probability=last.probability + s.probability
                                     - value)}
        changed = replace(s, **{fld.name: value})
        rest = list(baseline.scenarios[1:])
        if other:
            rest[-1] = other["last"]
        return replace(baseline, scenarios=(changed, *rest)), f"scenarios/{s.name}/{fld.name}"
    if table == "depth":
        depth = ((m.name, value),)
        return replace(baseline, scenarios=(replace(s, depth_by_material=depth),
                                            *baseline.scenarios[1:])), \
            f"scenarios/{s.name}/depth/{m.name}"
    if table == "floors":
        floors = ((m.name, (value,)),)
        return replace(baseline, policy=replace(baseline.policy,
                                                floor_candidates_usd_per_kg=floors)), \
            f"policy/floor_candidates/{m.name}"
    return replace(baseline, policy=replace(baseline.policy, **{fld.name: value})), \
        f"policy/{fld.name}"


CASES = [("materials", f) for f in MATERIAL_FIELDS[1:] if f.kind in NUMERIC] + \
    [("series", f) for f in SERIES_FIELDS[2:]] + \
    [("projects", f) for f in PROJECT_FIELDS if f.kind in NUMERIC] + \
    [("scenarios", f) for f in SCENARIO_FIELDS if f.kind in NUMERIC] + \
    [("depth", DEPTH_FIELD), ("floors", FLOOR_FIELDS[1])] + \
    [("policy", f) for f in SETTING_FIELDS if f.kind in NUMERIC]


@pytest.mark.parametrize(("table", "fld"), CASES, ids=[f"{t}-{f.name}" for t, f in CASES])
def test_layout_ranges_match_validation(baseline, table, fld):
    if fld.name == "shortage_cost_usd_per_kg":
        # the layout's range is the flat curve's; with a demand curve the shortage cost is a
        # choke price that must also exceed the price (tests/optimize/test_demand_curve.py)
        baseline = replace(baseline, materials=tuple(
            replace(m, demand_curve="flat") for m in baseline.materials))
    probes = [-1e9, 1e9, -0.5, 0.5, 1.0, 1.5, 2.0, 3650.0, 3650.5, -1.0]
    for bound in (fld.low, fld.high):
        if bound is not None:
            probes += [bound - 1e-9, bound, bound + 1e-9]
    for value in probes:
        if fld.kind is ValueKind.WHOLE or fld.name.endswith("_start_month"):
            # start-window months are optional (blank = none) but whole, like WHOLE fields
            if value != int(value):
                continue
            value = int(value)
        if table == "scenarios" and fld.name == "probability" and not 0 <= value <= 1:
            continue  # the sum rule would fire too; the range alone is checked below
        if fld.name == "demand_elasticity" and value == 0:
            continue  # valid for a flat curve, refused with a curve: tests/model checks it
        inputs, path = _with(baseline, table, fld, value)
        flagged = any(p.field == path for p in inputs.validate())
        assert flagged == bool(range_problem(fld, value)), (fld.name, value)


def test_probability_range_matches_validation(baseline):
    fld = SCENARIO_FIELDS[2]
    s = baseline.scenarios[0]
    for value in (-0.1, 1.1):
        inputs = replace(baseline, scenarios=(replace(s, probability=value),
                                              *baseline.scenarios[1:]))
        assert any(p.field == f"scenarios/{s.name}/probability" for p in inputs.validate())
        assert range_problem(fld, value)


def test_every_bounded_column_gets_excel_data_validation():
    for _, fld in CASES:
        if fld.low is not None or fld.high is not None:
            dv = validation_for(fld)
            assert dv is not None and dv.error and fld.title in dv.error
