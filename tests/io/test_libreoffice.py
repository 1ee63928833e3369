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
    inputs, warnings = load_scenario_workbook_with_warnings(fixture)
    ndpr = baseline.materials[0]
    domestic = list(ndpr.domestic_supply_t_per_yr)
    domestic[1] = 1250.0  # typed as the text "1,250"
    expected_ndpr = replace(ndpr, price_usd_per_kg=85.0,  # the formula =80+5
                            domestic_supply_t_per_yr=tuple(domestic))
    no_disruption, shock = baseline.scenarios[:2]
    expected = replace(
        baseline,
        policy=replace(baseline.policy, annual_budget_usd=200_000_000.0),
        materials=(expected_ndpr, *baseline.materials[1:]),
        scenarios=(replace(no_disruption, note="=not a formula, just a note"),
                   replace(shock, price_multiplier_during=3.5),  # typed as "3,5"
                   *baseline.scenarios[2:]),
    )
    assert inputs == expected
    assert dict(inputs.sources) == dict(baseline.sources)
    assert warnings == [
        "sheet 'My notes' is not part of a scenario workbook and was not read",
        "Materials!N1: column 'Comment' is not part of the Materials table and was not read",
    ]


def test_libreoffice_keeps_the_formula_and_its_result(fixture):
    cell = read_workbook(fixture).sheet("Materials").cell(2, 6)
    assert (cell.value, cell.formula) == (85, "=80+5")
    demand = read_workbook(fixture).sheet("Series").cell(2, 5)
    # the program's own demand formula, computed by LibreOffice on open
    assert demand.formula.startswith("=IFERROR(INDEX(Materials!$B:$B,MATCH($A2,")
    assert demand.value == pytest.approx(2568.7)
