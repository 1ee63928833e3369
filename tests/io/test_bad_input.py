"""Bad input gets a clear error naming sheet, cell, value and what was expected; every
problem is listed at once, and nothing is loaded."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from reserve_planner.io.workbook import WorkbookError, WorkbookProblem, load_scenario_workbook

MISSING = ("the sheet is missing; a scenario workbook needs the sheets Settings, Materials, "
           "Projects, Scenarios, Series")


def _problems(tools, template, edit):
    return tools.problems_of(tools.edited(template, edit))


def test_probability_above_one(tools, template):
    def edit(wb):
        wb["Scenarios"]["C7"] = 1.4

    assert _problems(tools, template, edit) == ["Scenarios!C7: probability 1.4 is above 1"]


def test_probabilities_that_do_not_add_up_to_one(tools, template, baseline):
    def edit(wb):
        wb["Scenarios"]["C2"] = 0.25

    last = len(baseline.scenarios) + 1
    assert _problems(tools, template, edit) == [
        f"Scenarios!C2:C{last}: the scenario probabilities add up to 0.95; they must add up to 1"]


def test_duplicate_names(tools, template):
    def edit(wb):
        wb["Scenarios"]["A9"] = wb["Scenarios"]["A4"].value
        wb["Materials"]["A5"] = "Dy oxide"

    problems = _problems(tools, template, edit)
    assert problems[0] == ("Materials!A5: material name 'Dy oxide' appears twice (also in "
                           "row 3); names must be unique")
    assert ("Scenarios!A9: scenario name 'October 2025 regime returns' appears twice (also "
            "in row 4); names must be unique") in problems
    # NdFeB magnets, renamed, leaves its Series, Scenarios and Projects references dangling
    assert "Projects!B4: material 'NdFeB magnets' is not on the Materials sheet" in problems
    assert "Series!A32: material 'NdFeB magnets' is not on the Materials sheet" in problems


def test_unknown_material_in_a_project(tools, template):
    def edit(wb):
        wb["Projects"]["B3"] = "NdPr oxyde"

    assert _problems(tools, template, edit) == [
        "Projects!B3: material 'NdPr oxyde' is not on the Materials sheet (did you mean "
        "'NdPr oxide'?)"]


def test_negative_tonnages(tools, template):
    def edit(wb):
        wb["Materials"]["B3"] = -5
        wb["Projects"]["D2"] = -100
        wb["Series"]["C4"] = "-3"

    assert _problems(tools, template, edit) == [
        "Materials!B3: demand -5 is below 0",
        "Projects!D2: capacity -100 is below 0",
        "Series!C4: domestic supply -3 is below 0",
    ]


def test_missing_required_sheets(tools, template):
    def edit(wb):
        del wb["Scenarios"]
        del wb["Series"]

    assert _problems(tools, template, edit) == [f"Scenarios: {MISSING}", f"Series: {MISSING}"]


def test_missing_column_and_wrong_unit_in_a_heading(tools, template):
    def edit(wb):
        ws = wb["Materials"]
        for r in range(1, ws.max_row + 1):
            ws.cell(r, 6).value = None  # clear the price column
        ws["B1"] = "Demand (kt/yr)"

    assert _problems(tools, template, edit) == [
        "Materials: the column 'Price ($/kg)' is missing (the headings are in row 1)",
        "Materials!B1: column 'Demand (kt/yr)' is in kt/yr; this program reads demand in "
        "t/yr. Convert the values and write the heading as 'Demand (t/yr)'",
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("eighty", "price 'eighty' is not a number; expected a number in $/kg"),
    ("=80+5", "price is a formula (=80+5) with no saved result; open the file in Excel or "
              "LibreOffice, recalculate, save it, and load it again"),
    ("#DIV/0!", "price shows the error #DIV/0!; expected a number in $/kg"),
    (datetime(2025, 1, 2), "price 2025-01-02 is a date, not a number; expected a number in "
                           "$/kg (format the cell as a number)"),
    (None, "price is empty; expected a number in $/kg"),
    (0, "price 0 must be more than 0"),
    (True, "price TRUE is not a number; expected a number in $/kg"),
    ("1,2,3", "price '1,2,3' is not a number; expected a number in $/kg"),
])
def test_a_cell_that_is_not_a_valid_number(tools, template, value, message):
    def edit(wb):
        wb["Materials"]["F2"] = value

    assert _problems(tools, template, edit) == [f"Materials!F2: {message}"]


@pytest.mark.parametrize(("sheet", "cell", "value", "message"), [
    ("Materials", "D2", 90, "China-exposed share 90 is above 1 (for 90% write 90% or 0.9)"),
    ("Materials", "C2", -1, "demand growth -1 must be more than -1"),
    ("Projects", "F2", 12.5, "online month 12.5 is not a whole number"),
    ("Projects", "C2", "foreign", "kind 'foreign' is not domestic or allied"),
    ("Scenarios", "F2", "maybe", "hits allied supply 'maybe' is not TRUE or FALSE"),
    ("Scenarios", "D3", "soon", "start month 'soon' is not a number; expected a whole number "
                                "of months"),
    ("Scenarios", "N2", 1.5, "depth 1.5 is above 1"),  # after the three start-window columns
    ("Settings", "B5", 1, "horizon 1 is below 2"),
    ("Settings", "B14", 1, "CVaR level 1 must be less than 1"),
    ("Settings", "B4", 2027.5, "start year 2027.5 is not a whole number"),
    ("Sources", "B2", "rumour", "kind 'rumour' is not one of: article, public figure, derived, "
                                "assumption, user"),
    ("Floors", "B2", -1, "floor level -1 is below 0"),
])
def test_values_out_of_range_or_of_the_wrong_kind(tools, template, sheet, cell, value,
                                                  message):
    def edit(wb):
        if sheet == "Floors":
            wb["Floors"]["A2"] = "NdPr oxide"
        wb[sheet][cell] = value

    assert _problems(tools, template, edit) == [f"{sheet}!{cell}: {message}"]


def test_settings_rows_are_checked(tools, template):
    def edit(wb):
        ws = wb["Settings"]
        ws["C7"] = "M$"
        ws["A5"] = "Horizon length"  # the Horizon row is no longer recognised

    problems = _problems(tools, template, edit)
    assert problems == [
        "Settings: the setting 'Horizon' is missing; add a row with 'Horizon' in the Setting "
        "column",
        "Settings!C7: total budget is given in M$; this program reads $. Convert the value "
        "and set the unit back to $",
    ]


def test_series_problems(tools, template):
    def edit(wb):
        ws = wb["Series"]
        ws["B11"] = 2038  # NdPr: 2027, ..., 2035, 2038
        ws["D13"] = None  # Dy allied supply, 2028, with later years filled
        ws["A22"] = "Ce oxide"  # first Tb row
        for r in range(23, 32):
            ws.cell(r, 1).value = None  # the other Tb rows are cleared ...
            ws.cell(r, 2).value = None
            ws.cell(r, 3).value = None
            ws.cell(r, 4).value = None

    problems = _problems(tools, template, edit)
    assert problems == [
        "Series: there are no rows for material 'Tb oxide'; each material needs its domestic "
        "and allied supply for at least the first plan year",
        "Series!B11: year 2038 follows 2035 for 'NdPr oxide'; the years of a material must "
        "follow one another",
        "Series!D13: allied supply is empty, but a later year of 'Dy oxide' has a value; "
        "expected a number in t/yr",
        "Series!A22: material 'Ce oxide' is not on the Materials sheet (did you mean "
        "'Tb oxide'?)",
    ]


def test_depth_column_for_an_unknown_material(tools, template):
    def edit(wb):
        wb["Scenarios"]["L1"] = "Depth: Ce oxide"

    assert _problems(tools, template, edit) == [
        "Scenarios!L1: column 'Depth: Ce oxide' is for material 'Ce oxide', which is not on "
        "the Materials sheet (did you mean 'Tb oxide'?); delete the column or add the material"]


def test_empty_tables(tools, template):
    def edit(wb):
        for name in ("Materials", "Scenarios"):
            ws = wb[name]
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.value = None

    problems = _problems(tools, template, edit)
    assert "Materials: there are no materials; at least one is needed" in problems
    assert "Scenarios: there are no scenarios; at least one is needed" in problems
    assert "Projects!B2: material 'NdPr oxide' is not on the Materials sheet" in problems


def test_every_problem_is_listed_at_once_in_sheet_order(tools, template):
    def edit(wb):
        wb["Scenarios"]["C7"] = 1.4
        wb["Materials"]["B3"] = -5
        wb["Projects"]["B3"] = "Unobtainium"
        wb["Settings"]["B5"] = "ten years"
        wb["Series"]["C2"] = "lots"

    with pytest.raises(WorkbookError) as info:
        tools.load(tools.edited(template, edit))
    exc = info.value
    assert str(exc).splitlines() == [
        "Settings!B5: horizon 'ten years' is not a number; expected a whole number of months",
        "Materials!B3: demand -5 is below 0",
        "Projects!B3: material 'Unobtainium' is not on the Materials sheet",
        "Scenarios!C7: probability 1.4 is above 1",
        "Series!C2: domestic supply 'lots' is not a number; expected a number in t/yr",
    ]
    p = exc.problems[3]
    assert p == WorkbookProblem("Scenarios", "C7", 1.4, "probability 1.4 is above 1", 7,
                                "Probability (%)")
    assert str(p) == "Scenarios!C7: probability 1.4 is above 1"


def test_a_failed_load_changes_nothing(tools, template, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(tools.edited(template, lambda wb: wb["Scenarios"].__setitem__("C7", 2)))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    stat = path.stat()
    with pytest.raises(WorkbookError):
        load_scenario_workbook(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_problem_without_a_cell_reads_as_a_sentence():
    assert str(WorkbookProblem("", "", None, "'x.xlsm' is a macro-enabled workbook.")) == \
        "'x.xlsm' is a macro-enabled workbook."
    assert str(WorkbookProblem("Series", "", None, "no rows")) == "Series: no rows"


def test_domain_problems_found_only_by_validate_name_their_cell(tools, template, monkeypatch):
    """validate() is the backstop: a rule the reader does not check itself still reaches the
    user with the cell its field came from."""
    from reserve_planner.model import PlanInputs, Problem

    def validate(self):
        return [Problem("materials/NdPr oxide/price_usd_per_kg", 84.0, "price is too round"),
                Problem("materials/Dy oxide/allied_supply_t_per_yr[3]", 15.2, "odd"),
                Problem("elsewhere/thing", 1, "something else")]

    monkeypatch.setattr(PlanInputs, "validate", validate)
    assert tools.problems_of(template) == [
        "elsewhere/thing: something else (got 1)",
        "Materials!F2: price is too round (got 84)",
        "Series!D15: odd (got 15.2)",
    ]
