"""A workbook LibreOffice Calc wrote loads, and the edits made in LibreOffice show.

The fixture was made by tests/io/make_libreoffice_fixture.py (template written by this
program, edited and saved by headless LibreOffice 7.4 over UNO). LibreOffice is not needed
to run this test.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace

import pytest

from reserve_planner.io.workbook import load_scenario_workbook_with_warnings, read_workbook


@pytest.fixture(scope="module")
def fixture(tools):
    path = tools.fixtures / "libreoffice_edited.xlsx"
    assert path.exists(), "run: python tests/io/make_libreoffice_fixture.py"
    return path


def test_the_fixture_was_written_by_libreoffice(fixture):
    with zipfile.ZipFile(fixture) as z:
        app = z.read("docProps/app.xml").decode()
    assert "LibreOffice" in app


def test_a_libreoffice_workbook_loads_with_its_edits(fixture, baseline):
    # The fixture was written from an older baseline (before contracted floors, commitments
    # and loans): compare the tables it holds, edits applied, with today's baseline.
    inputs, warnings = load_scenario_workbook_with_warnings(fixture)
    ndpr = baseline.materials[0]
    domestic = list(ndpr.domestic_supply_t_per_yr)
    domestic[1] = 1250.0  # typed as the text "1,250"
    expected_ndpr = replace(ndpr, price_usd_per_kg=85.0,  # the formula =80+5
                            domestic_supply_t_per_yr=tuple(domestic))
    no_disruption, shock = baseline.scenarios[:2]
    assert inputs.policy.annual_budget_usd == 200_000_000.0
    assert inputs.materials[0].price_usd_per_kg == expected_ndpr.price_usd_per_kg
    assert inputs.materials[0].domestic_supply_t_per_yr[:2] == (
        expected_ndpr.domestic_supply_t_per_yr[:2])
    assert inputs.scenarios[0].note == "=not a formula, just a note"
    assert inputs.scenarios[1].price_multiplier_during == 3.5  # typed as "3,5"
    assert inputs.material_names == baseline.material_names
    # the baseline's scenario of two episodes was added after the fixture was written; an
    # old workbook has no Episodes sheet, and every scenario it holds has one episode
    assert [s.name for s in inputs.scenarios] == [s.name for s in baseline.scenarios
                                                  if not s.later_episodes]
    assert all(not s.later_episodes for s in inputs.scenarios)
    assert [p.name for p in inputs.projects] == [p.name for p in baseline.projects]
    # An older workbook has no Contracted floors sheet, no commitment columns and no demand
    # curve, spot or start-window columns: none are read (a flat shortage cost, no spot
    # market, known starts), and the missing columns are named.
    assert inputs.contracted_floors == ()
    assert warnings == [
        "sheet 'My notes' is not part of a scenario workbook and was not read",
        "Materials!N1: column 'Comment' is not part of the Materials table and was not read",
        "Materials: no 'Demand curve' column; every row uses 'flat'",
        "Materials: no 'Demand elasticity (-)' column; every row uses 0",
        "Materials: no 'Spot market (t/month)' column; every row uses 0",
        "Materials: no 'Spot China licensed' column; every row uses FALSE",
        "Projects: no 'Committed by' column; every row is left blank",
        "Projects: no 'Government loan ($)' column; every row uses 0",
        "Projects: no 'Loan loss given default (%)' column; every row uses 0.45",
        "Scenarios: no 'Earliest start (month)' column; every row is left blank",
        "Scenarios: no 'Latest start (month)' column; every row is left blank",
        "Scenarios: no 'Start hazard (per yr)' column; every row uses 0",
        "Scenarios: no 'Price from curve' column; every row uses FALSE",
    ]


def test_libreoffice_keeps_the_formula_and_its_result(fixture):
    cell = read_workbook(fixture).sheet("Materials").cell(2, 6)
    assert (cell.value, cell.formula) == (85, "=80+5")
    demand = read_workbook(fixture).sheet("Series").cell(2, 5)
    # the program's own demand formula, computed by LibreOffice on open
    assert demand.formula.startswith("=IFERROR(INDEX(Materials!$B:$B,MATCH($A2,")
    assert demand.value == pytest.approx(2568.7)
