"""Named variants on the Variants sheet of a scenario workbook: round trips, old workbooks,
and hostile sheets (each a clear message naming sheet, row and column, the main scenario
kept, within a time bound)."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from dataclasses import replace

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.analysis.sweep import input_changes
from reserve_planner.io.baseline import load_tariff_threat_variant
from reserve_planner.io.scenario_layout import VARIANTS
from reserve_planner.io.variants import (
    load_workbook_scenarios,
    load_workbook_scenarios_bytes,
    read_variants,
    save_workbook_scenarios,
    workbook_field_label,
)
from reserve_planner.io.workbook import (
    WorkbookError,
    WorkbookSaveError,
    build_scenario_workbook,
    load_scenario_workbook_with_warnings,
    save_scenario_workbook,
)
from reserve_planner.model import Source, SourceKind

from .conftest import edited, find_col

TIME_BOUND_S = 10.0
LICENSING = "Licensing shock (April 2025 repeat)"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _variants(baseline):
    threat = replace(load_tariff_threat_variant(), name="Tariff threat",
                     notes="The threatened 100% tariff on top of the one in force")
    scen = tuple(replace(s, probability=round(s.probability + 0.01, 3))
                 if s.name == "No disruption" else
                 replace(s, probability=round(s.probability - 0.01, 3), depth_by_material=tuple(
                     (m, 0.5 if m == "Dy oxide" else d) for m, d in s.depth_by_material))
                 if s.name == LICENSING else s for s in baseline.scenarios)
    ndpr = replace(baseline.materials[0], domestic_supply_t_per_yr=(100.0, 200.0, 300.0))
    shock = replace(baseline, name="Milder shock", scenarios=scen,
                    materials=(ndpr, *baseline.materials[1:]),
                    policy=replace(baseline.policy, total_budget_usd=2e9,
                                   floor_candidates_usd_per_kg=(("NdPr oxide", (0.0, 110.0)),)),
                    sources={**{k: v for k, v in baseline.sources.items()
                                if k != f"scenarios/{LICENSING}/depth"},
                             "policy/total_budget_usd": Source(
                                 SourceKind.ASSUMPTION, "", "no cap, for the comparison")})
    same = replace(baseline, name="Unchanged", notes="")
    return {"Tariff threat": threat, "Milder shock": shock, "Unchanged": same}


def _bytes(main, variants) -> bytes:
    buf = io.BytesIO()
    build_scenario_workbook(main, variants).save(buf)
    return buf.getvalue()


def test_round_trip_main_and_variants(tmp_path, baseline):
    variants = _variants(baseline)
    path = tmp_path / "plan.xlsx"
    save_workbook_scenarios(baseline, variants, path)
    got = load_workbook_scenarios(path)
    assert got.problems == ()
    assert got.main == baseline
    assert list(got.variants) == list(variants)
    for name, want in variants.items():
        v = got.variants[name]
        assert input_changes(want, v) == (), name
        assert v.name == name and v.notes == want.notes
    threat = got.variants["Tariff threat"]
    assert threat.source("policy/tariff_share") == variants["Tariff threat"].source(
        "policy/tariff_share")
    shock = got.variants["Milder shock"]
    assert shock.policy.total_budget_usd == 2e9
    assert shock.source("policy/total_budget_usd").detail == "no cap, for the comparison"
    # An unsourced change reads back as the user's
    assert shock.source(f"scenarios/{LICENSING}/depth").kind is SourceKind.USER
    assert read_variants(path)[0].keys() == variants.keys()
    # The plain loader reads the main scenario and says nothing about the sheet
    inputs, warnings = load_scenario_workbook_with_warnings(path)
    assert inputs == baseline
    assert not [w for w in warnings if VARIANTS in w]


def test_the_sheet_reads_as_a_person_would_expect(baseline):
    data = _bytes(baseline, _variants(baseline))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames.index(VARIANTS) == wb.sheetnames.index("Contracted floors") + 1
    ws = wb[VARIANTS]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    tariff = next(r for r in rows if r[2] == "policy/tariff_share")
    assert tariff[0] == "Tariff threat"
    assert tariff[3] == "Tariff on Chinese imports"
    assert tariff[4] == load_tariff_threat_variant().policy.tariff_share
    assert tariff[5] == "%" and tariff[6] == baseline.policy.tariff_share
    assert ws.cell(rows.index(tariff) + 2, 5).number_format.endswith("%")
    series = next(r for r in rows if r[2] and r[2].endswith("domestic_supply_t_per_yr"))
    assert series[4] == "[100.0, 200.0, 300.0]"
    unchanged = [r for r in rows if r[0] == "Unchanged"]
    assert len(unchanged) == 1 and unchanged[0][2] is None


def test_a_blank_value_of_an_optional_number_is_none(tmp_path, baseline):
    main = replace(baseline, policy=replace(baseline.policy, total_budget_usd=2e9))
    path = tmp_path / "plan.xlsx"
    save_workbook_scenarios(main, {"No cap": baseline}, path)
    got = load_workbook_scenarios(path)
    assert got.problems == () and got.main == main
    assert got.variants["No cap"].policy.total_budget_usd is None


def test_a_workbook_without_variants_has_no_sheet_and_loads_unchanged(tmp_path, baseline):
    path = tmp_path / "plain.xlsx"
    save_scenario_workbook(baseline, path)
    assert VARIANTS not in openpyxl.load_workbook(path).sheetnames
    got = load_workbook_scenarios(path)
    assert got.main == baseline and dict(got.variants) == {} and got.problems == ()
    save_workbook_scenarios(baseline, {}, tmp_path / "none.xlsx")
    assert VARIANTS not in openpyxl.load_workbook(tmp_path / "none.xlsx").sheetnames


def test_labels_follow_the_workbook():
    assert workbook_field_label("materials/NdPr oxide/price_usd_per_kg") == (
        "NdPr oxide: Price", "$/kg")
    assert workbook_field_label("policy/tariff_share") == ("Tariff on Chinese imports", "0-1")
    assert workbook_field_label(f"scenarios/{LICENSING}/depth_by_material/Dy oxide") == (
        f"{LICENSING}: Depth, Dy oxide", "0-1")
    assert workbook_field_label("scenarios")[0] == "Scenarios: rows added, removed or renamed"


def _edit_rows(data: bytes, rows: list[list]) -> bytes:
    """``data`` with the Variants sheet's data rows replaced by ``rows`` (from column A)."""
    def edit(wb):
        ws = wb[VARIANTS]
        for t in list(ws.tables):
            del ws.tables[t]
        ws.delete_rows(2, ws.max_row)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c).value = value
    return edited(data, edit)


def _load_bad(data: bytes):
    t0 = time.perf_counter()
    got = load_workbook_scenarios_bytes(data, "plan.xlsx")
    assert time.perf_counter() - t0 < TIME_BOUND_S
    return got


@pytest.fixture(scope="module")
def with_variants(baseline) -> bytes:
    return _bytes(baseline, {"Threat": _variants(baseline)["Tariff threat"]})


HOSTILE = [
    # (rows, the variant that should survive or None, cell, words in the message)
    ([["Bad", "", "policy/no_such_setting", "", 1.0],
      ["Good", "", "policy/risk_aversion", "", 0.5]], "Good", "C2",
     ["no input 'policy/no_such_setting'"]),
    ([["Bad", "", "policy/risk_aversion", "", "lots"]], None, "E2",
     ["risk aversion 'lots' is not a number"]),
    ([["Bad", "", "policy/tariff_share", "", 12.0]], None, "E2",
     ["tariff 12 is above 10"]),
    ([["Dup", "", "policy/risk_aversion", "", 0.5],
      ["Other", "", "policy/tariff_share", "", 0.5],
      ["Dup", "", "policy/cvar_level", "", 0.8]], "Other", "A4",
     ["variant 'Dup' appears again", "row 2"]),
    ([["Twice", "", "policy/risk_aversion", "", 0.5],
      ["Twice", "", "policy/risk_aversion", "", 0.7]], None, "C3",
     ["changes policy/risk_aversion twice"]),
    ([["Bad", "", f"scenarios/{LICENSING}/probability", "", 0.9]], None, "E2",
     ["variant 'Bad'", "probabilit"]),
    ([["Bad", "", "materials/NdPr oxide/domestic_supply_t_per_yr", "", "100, 200"]], None,
     "E2", ["JSON", "a list"]),
    ([["Bad", "", "policy/floor_candidates_usd_per_kg", "", "[1, 2]"]], None, "E2",
     ["an object"]),
    ([[None, "", "policy/risk_aversion", "", 0.5]], None, "A2", ["variant name is empty"]),
    ([["Bad", "", "policy", "", "{}"]], None, "C2", ["write one row per setting"]),
    ([["Bad", "", "materials", "", "[]"]], None, "E2", ["at least one material",
                                                        "more problems like these"]),
    ([["Bad", "", "scenarios", "", "[1, 2]"]], None, "C2", ["cannot be built",
                                                            "expected a table of fields"]),
    ([["Bad", "", "", "", 0.5]], None, "C2", ["the Path is blank but a Value is given"]),
    ([["Bad", "", "policy/risk_aversion", "", 0.5, "", "", "rumour"]], None, "H2",
     ["source kind 'rumour'"]),
]


@pytest.mark.parametrize("rows,survivor,cell,words", HOSTILE,
                         ids=[c[3][0][:30] for c in HOSTILE])
def test_bad_rows_name_sheet_row_and_column_and_keep_the_main(with_variants, baseline, rows,
                                                              survivor, cell, words):
    got = _load_bad(_edit_rows(with_variants, rows))
    assert got.main == baseline
    assert got.problems, "a bad row must be reported"
    text = "\n".join(str(p) for p in got.problems)
    assert any(p.sheet == VARIANTS and p.cell == cell for p in got.problems), text
    for w in words:
        assert w in text, text
    assert all(p.column for p in got.problems), text
    assert list(got.variants) == ([survivor] if survivor else [])
    bad = next(n for n in ("Bad", "Dup", "Twice") if any(r[0] == n for r in rows)) if any(
        r[0] for r in rows) else None
    if bad is not None:
        with pytest.raises(KeyError, match="problems on the Variants sheet"):
            got.plan(bad)


def test_a_variant_sheet_with_no_heading_row_is_reported(with_variants, baseline):
    def edit(wb):
        ws = wb[VARIANTS]
        for t in list(ws.tables):
            del ws.tables[t]
        ws.delete_rows(1, ws.max_row)
        ws["A1"] = "what is this"
    got = _load_bad(edited(with_variants, edit))
    assert got.main == baseline and not got.variants
    assert any("no heading row" in str(p) for p in got.problems)


def test_a_huge_variants_sheet_is_refused_and_the_main_kept(with_variants, baseline):
    from reserve_planner.io.raw_workbook import MAX_ROWS

    def edit(wb):
        wb[VARIANTS].cell(MAX_ROWS + 10, 1).value = "far away"
    got = _load_bad(edited(with_variants, edit))
    assert got.main == baseline and not got.variants
    assert any(p.sheet == VARIANTS and "beyond row" in p.message for p in got.problems)


def test_a_bad_main_scenario_still_raises(with_variants):
    from .conftest import set_cell

    data = edited(with_variants, lambda wb: set_cell(wb, "Scenarios", "No disruption",
                                                      "Probability (%)", 3.0))
    with pytest.raises(WorkbookError, match="probability"):
        load_workbook_scenarios_bytes(data, "plan.xlsx")


def test_an_edited_value_in_excel_is_read(with_variants, baseline):
    def edit(wb):
        ws = wb[VARIANTS]
        ws.cell(2, find_col(ws, "Value")).value = "45%"
    got = load_workbook_scenarios_bytes(edited(with_variants, edit))
    assert got.problems == ()
    assert got.variants["Threat"].policy.tariff_share == pytest.approx(0.45)


def test_save_refuses_blank_or_clashing_names_and_writes_nothing(tmp_path, baseline):
    path = tmp_path / "plan.xlsx"
    for variants, words in (({" ": baseline}, "blank name"),
                            ({"A": baseline, "A ": baseline}, "same name")):
        with pytest.raises(WorkbookSaveError, match=words):
            save_workbook_scenarios(baseline, variants, path)
        assert not path.exists()
    with pytest.raises(WorkbookSaveError, match=".xlsx"):
        save_workbook_scenarios(baseline, {}, tmp_path / "plan.xls")


def test_a_failed_save_leaves_the_old_file(tmp_path, baseline):
    path = tmp_path / "plan.xlsx"
    save_workbook_scenarios(baseline, {"Threat": _variants(baseline)["Tariff threat"]}, path)
    before = path.read_bytes()
    bad = replace(baseline, notes="bad \x01 control character")
    with pytest.raises(WorkbookSaveError):
        save_workbook_scenarios(baseline, {"Bad": bad}, path)
    assert path.read_bytes() == before


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_variants_survive_a_libreoffice_save(tmp_path, baseline):
    src = tmp_path / "in" / "plan.xlsx"
    src.parent.mkdir()
    variants = _variants(baseline)
    save_workbook_scenarios(baseline, variants, src)
    out_dir = tmp_path / "out"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
         str(out_dir), str(src)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    got = load_workbook_scenarios(out_dir / "plan.xlsx")
    assert got.problems == () and list(got.variants) == list(variants)
    for name, want in variants.items():
        assert input_changes(want, got.variants[name]) == (), name

_finite = dict(allow_nan=False, allow_infinity=False)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tariff=st.floats(0, 10, **_finite), risk=st.floats(0, 5, **_finite),
       price=st.floats(0.01, 5000, **_finite), failure=st.floats(0, 1, **_finite),
       duration=st.integers(0, 60), hits=st.booleans(),
       committed=st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                         max_size=20))
def test_property_any_scalar_variant_round_trips(baseline, tariff, risk, price, failure,
                                                 duration, hits, committed):
    p0, s1 = baseline.projects[0], baseline.scenarios[1]
    variant = replace(
        baseline, name="V",
        policy=replace(baseline.policy, tariff_share=tariff, risk_aversion=risk),
        materials=(replace(baseline.materials[0], price_usd_per_kg=price),
                   *baseline.materials[1:]),
        projects=(replace(p0, failure_probability=failure, committed_by=committed),
                  *baseline.projects[1:]),
        scenarios=(baseline.scenarios[0], replace(s1, duration_months=duration,
                                                  hits_allied_supply=hits),
                   *baseline.scenarios[2:]))
    assert not variant.validate()
    got = load_workbook_scenarios_bytes(_bytes(baseline, {"V": variant}))
    assert got.problems == ()
    assert input_changes(variant, got.variants["V"]) == ()
