"""The Monte Carlo sheet: written and read back unchanged, bad cells named, read from a
scenario workbook by ``simulate`` (and not warned about by the scenario reader)."""

import io

import pytest
from openpyxl import load_workbook

from reserve_planner import cli
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.io.montecarlo_sheet import (
    SHEET,
    MonteCarloSheetError,
    read_montecarlo_sheet,
    write_spec_workbook,
)
from reserve_planner.io.workbook import load_scenario_workbook_with_warnings
from reserve_planner.model.montecarlo_spec import spec_around_scenarios, with_kind


@pytest.fixture(scope="module")
def base():
    return load_article_baseline()


def test_round_trip(base, tmp_path):
    spec = with_kind(spec_around_scenarios(base), 0, start_hazard_per_yr=0.5)
    path = tmp_path / "spec.xlsx"
    write_spec_workbook(spec, base, path)
    again = read_montecarlo_sheet(path, base)
    assert again.to_dict() == spec.to_dict()  # depths compared as dicts (order aside)


def _workbook_with_sheet(base, tmp_path, edit=None):
    spec_path = tmp_path / "spec.xlsx"
    write_spec_workbook(spec_around_scenarios(base), base, spec_path)
    wb = load_workbook(spec_path)
    if edit:
        edit(wb[SHEET])
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def test_bad_cells_are_named(base, tmp_path):
    def edit(ws):
        ws["C8"] = "soon"  # earliest start of the first kind
        ws["G9"] = 2.5  # a duration that is not whole

    path = _workbook_with_sheet(base, tmp_path, edit)
    with pytest.raises(MonteCarloSheetError) as err:
        read_montecarlo_sheet(path, base)
    text = str(err.value)
    assert "Monte Carlo!C8: earliest start [month] must be a number (got 'soon')" in text
    assert "Monte Carlo!G9: duration high [months] must be a whole number (got 2.5)" in text


def test_invalid_values_name_their_row(base, tmp_path):
    def edit(ws):
        ws["B8"] = 0.6  # the licensing shock from 20% to 60%: the kinds add up to 1.1
        ws["D9"] = 500  # a start window beyond the horizon

    path = _workbook_with_sheet(base, tmp_path, edit)
    with pytest.raises(MonteCarloSheetError) as err:
        read_montecarlo_sheet(path, base)
    text = str(err.value)
    assert "add up to more than 1" in text
    assert "Monte Carlo row 9: kinds[1] (October 2025 regime returns).earliest_month" in text


def test_unknown_material_column(base, tmp_path):
    path = _workbook_with_sheet(base, tmp_path,
                                lambda ws: ws.cell(7, 16, "Depth Unobtainium oxide"))
    with pytest.raises(MonteCarloSheetError, match="no material 'Unobtainium oxide'"):
        read_montecarlo_sheet(path, base)


def test_a_workbook_without_the_sheet_has_no_spec(base, tmp_path):
    path = tmp_path / "in.xlsx"
    assert cli.main(["template", str(path)], io.StringIO(), io.StringIO()) == 0
    assert read_montecarlo_sheet(path, base) is None


def test_simulate_reads_the_sheet_of_its_workbook(base, tmp_path):
    scenario = tmp_path / "in.xlsx"
    assert cli.main(["template", str(scenario)], io.StringIO(), io.StringIO()) == 0
    spec_path = tmp_path / "spec.xlsx"
    write_spec_workbook(spec_around_scenarios(base), base, spec_path)
    src = load_workbook(spec_path)[SHEET]
    wb = load_workbook(scenario)
    ws = wb.create_sheet(SHEET)
    for row in src.iter_rows():
        for c in row:
            ws.cell(c.row, c.column, c.value)
    ws["B8"] = 0.0  # no licensing shock at all
    wb.save(scenario)
    _, warnings = load_scenario_workbook_with_warnings(scenario)
    assert not any(SHEET in w for w in warnings)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["simulate", str(scenario), "--runs", "200", "--json", "-",
                     "--no-progress", "--write-spec", str(tmp_path / "used.json")],
                    out, err) == 0, err.getvalue()
    assert "drawn from the Monte Carlo sheet" in err.getvalue()
    import json

    kinds = json.loads(out.getvalue())["spec"]["kinds"]
    assert kinds[0]["probability"] == 0.0
    assert json.loads((tmp_path / "used.json").read_text())["kinds"] == kinds


def test_price_from_curve_round_trips_and_reaches_the_paths(base, tmp_path):
    from reserve_planner.analysis.montecarlo_paths import batch_rng, draw_scenarios

    spec = with_kind(spec_around_scenarios(base), 3, price_from_curve=True)
    path = tmp_path / "spec.xlsx"
    write_spec_workbook(spec, base, path)
    again = read_montecarlo_sheet(path, base)
    assert [k.price_from_curve for k in again.kinds] == [k.price_from_curve
                                                          for k in spec.kinds]
    scen, kind = draw_scenarios(base, spec, 3000, batch_rng(1, 0))
    assert all(s.price_from_curve == (k == 3) for s, k in zip(scen, kind, strict=True))


def test_a_sheet_without_the_flag_column_reads(base, tmp_path):
    path = _workbook_with_sheet(base, tmp_path, lambda ws: ws.delete_cols(16))
    spec = read_montecarlo_sheet(path, base)
    assert not any(k.price_from_curve for k in spec.kinds)
