"""Issue 10 §5 and §2: the results workbook reads and prints well, and a 2,200-scenario
result stays within Excel's rows and 1 GB while it is written."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import openpyxl
import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.io.results_workbook import MAX_MONTHLY_ROWS, build_results_workbook
from reserve_planner.optimize import SolveOptions, solve


@pytest.fixture(scope="module")
def book():
    inputs = load_article_baseline()
    result = solve(inputs, SolveOptions(diagnostics=False))
    buf = io.BytesIO()
    build_results_workbook(inputs, result).save(buf)
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


RESULTS = ["Summary", "Reserve", "Fill schedule", "Floor decisions", "Floor projects",
           "Floor appraisal", "Scenario outcomes", "Monthly outcomes", "Problems", "About"]


def test_summary_shows_each_unit_once(book):
    ws = book["Summary"]
    for value, unit in ((r[1].number_format, r[2].value) for r in ws.iter_rows(min_row=2)):
        if unit in ("$", "$/kg", "$/yr"):
            assert "$" not in value, (value, unit)


def test_floor_decisions_one_table_per_sheet(book):
    for name in ("Floor decisions", "Floor projects", "Floor appraisal"):
        assert len(book[name].tables) == 1, (name, list(book[name].tables))


def test_every_results_sheet_prints_one_page_wide_within_its_print_area(book):
    for name in RESULTS:
        ws = book[name]
        assert ws.print_area, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, name


def test_template_share_headings_say_percent(tmp_path):
    from reserve_planner.cli import main

    path = tmp_path / "plan.xlsx"
    assert main(["template", str(path)], out=io.StringIO(), err=io.StringIO()) == 0
    ws = openpyxl.load_workbook(path)["Scenarios"]
    headings = [c.value for c in ws[1]]
    assert "Probability (%)" in headings and "Probability (0-1)" not in headings
    col = headings.index("Probability (%)") + 1
    assert "%" in ws.cell(2, col).number_format  # the cells show percentages too


def test_many_scenarios_fit_excel_rows_and_1_gb():
    """2,200 scenarios x 4 materials x 120 months would be 1,056,000 rows; the sheet keeps
    whole scenarios up to MAX_MONTHLY_ROWS and says so; the writer peaks under 1 GB."""
    code = textwrap.dedent("""
        import io, resource, json
        import numpy as np
        from dataclasses import replace
        from reserve_planner.io.baseline import load_article_baseline
        from reserve_planner.io.results_workbook import export_results_workbook
        from reserve_planner.model.sampling import sample_scenarios
        from reserve_planner.optimize import SolveOptions, solve
        inputs = sample_scenarios(load_article_baseline(), 2200, seed=1)
        result = solve(inputs, SolveOptions(diagnostics=False, appraise_floors=False,
                                            perfect_information=False, time_limit_s=300))
        def hwm():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        before = hwm()
        export_results_workbook(inputs, result, OUT)
        print(json.dumps({"status": result.status.value, "before": before, "after": hwm(),
                          "n": len(result.scenarios)}))
    """)
    pytest.importorskip("reserve_planner.model.sampling")
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.xlsx"
        proc = subprocess.run([sys.executable, "-c", code.replace("OUT", repr(str(out)))],
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-2000:]
        info = json.loads(proc.stdout.strip().splitlines()[-1])
        if info["status"] not in ("optimal", "feasible"):
            pytest.skip(f"no plan for the sample: {info['status']}")
        assert info["after"] < 1024, info
        ws = openpyxl.load_workbook(out, read_only=True)["Monthly outcomes"]
        rows = sum(1 for _ in ws.iter_rows(values_only=True))
        assert rows - 1 <= MAX_MONTHLY_ROWS < 1_048_576
        note = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
        assert any(isinstance(v, str) and v.startswith("Only the first ") and
                   f"of {info['n']:,} scenarios" in v for v in note)


def test_share_validation_speaks_percent(tmp_path):
    from reserve_planner.io.scenario_layout import SCENARIO_FIELDS
    from reserve_planner.io.xlsx_writing import validation_for

    dv = validation_for(SCENARIO_FIELDS[2])  # Probability
    assert (dv.formula1, dv.formula2) == ("0", "1")
    assert dv.error == "Probability must be between 0% and 100%."
