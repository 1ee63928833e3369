"""``reserve-planner compare``: plans from workbooks, named variants and the baseline; the
summary, JSON, report and workbook; exit codes 0, 1 and 2 with clear messages."""

from __future__ import annotations

import io
import json
import math
import re
import time
from dataclasses import replace

import openpyxl
import pytest

from reserve_planner.cli import main
from reserve_planner.cli_compare import PlanArgumentError, parse_plan_argument
from reserve_planner.io.baseline import load_article_baseline, load_tariff_threat_variant
from reserve_planner.io.comparison_workbook import COMPARISON_SHEETS
from reserve_planner.io.variants import save_workbook_scenarios
from reserve_planner.io.workbook import save_scenario_workbook

TIME_BOUND_S = 60.0


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A workbook holding the baseline and two variants: the 100% tariff threat, and a
    plan whose probabilities do not add up to 1 is impossible to save as a variant, so the
    second variant doubles the annual budget."""
    base = load_article_baseline()
    threat = replace(load_tariff_threat_variant(), name="Tariff threat")
    budget = replace(base, name="Double budget", policy=replace(
        base.policy, annual_budget_usd=2 * base.policy.annual_budget_usd))
    path = tmp_path_factory.mktemp("book") / "plans.xlsx"
    save_workbook_scenarios(base, {"Tariff threat": threat, "Double budget": budget}, path)
    return path


def test_json_lists_the_differing_inputs_and_the_results_with_differences(book):
    code, out, err = run("compare", str(book), f"{book}#Tariff threat", "--json", "-")
    assert code == 0, err
    data = json.loads(out)
    assert [p["name"] for p in data["plans"]] == ["plans", "Tariff threat"]
    assert [p["source"] for p in data["plans"]] == [str(book), f"{book}#Tariff threat"]
    (tariff,) = data["inputs_that_differ"]
    assert tariff["path"] == "policy/tariff_share"
    assert tariff["label"] == "Tariff on Chinese imports"
    base, threat = load_article_baseline(), load_tariff_threat_variant()
    assert tariff["values"] == [base.policy.tariff_share, threat.policy.tariff_share]
    assert tariff["sources"][1]["kind"] == threat.source("policy/tariff_share").kind.value
    for row in data["results"]:
        a, b = row["values"]
        if a is not None and b is not None:
            assert row["differences"] == [0.0, pytest.approx(b - a)]
    labels = [r["label"] for r in data["results"]]
    assert "Plan: objective" in labels and "Status quo: expected cost" in labels
    # The floor decisions move with the tariff (the projects' tariff-inflated costs)
    dy = next(d for d in data["decisions"] if d["material"] == "Dy oxide")
    assert all(p["near_optimal_low_t"] is not None for p in dy["plans"])


def test_summary_report_and_workbook(book, tmp_path, qapp):
    from pypdf import PdfReader

    report, out_xlsx, js = tmp_path / "c.pdf", tmp_path / "c.xlsx", tmp_path / "c.json"
    t0 = time.perf_counter()
    code, out, err = run("compare", "baseline", f"{book}#Double budget", "--report",
                         str(report), "--out", str(out_xlsx), "--json", str(js),
                         "--paper", "letter")
    assert time.perf_counter() - t0 < TIME_BOUND_S
    assert code == 0, err
    assert "Inputs that differ (1):" in out
    assert re.search(r"Annual purchase budget\s+\$167M/yr\s+\$334M/yr", out), out
    assert "solving" in err  # the progress bar on stderr
    for p in (report, out_xlsx, js):
        assert f"wrote {p}" in err
    reader = PdfReader(str(report))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "Plan comparison: Article baseline and Double budget" in text
    assert "Inputs that differ" in text and "Annual purchase budget" in text
    assert "plans.xlsx" in text and "Double budget" in text
    assert "One Big Beautiful Bill Act" in text  # the budget's source, by title
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # US Letter
    wb = openpyxl.load_workbook(out_xlsx)
    assert tuple(wb.sheetnames) == COMPARISON_SHEETS
    data = json.loads(js.read_text())
    obj = next(r for r in data["results"] if r["label"] == "Plan: objective")
    ws = wb["Results"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True)
               if r[0] == "Plan: objective")
    assert row[3:6] == (pytest.approx(obj["values"][0]), pytest.approx(obj["values"][1]),
                        pytest.approx(obj["differences"][1]))


def test_a_plan_that_cannot_be_solved_exits_1_and_the_rest_are_compared(tmp_path):
    base = load_article_baseline()
    bad = replace(base, name="No money", policy=replace(
        base.policy, annual_budget_usd=0.0, min_cover_days=90.0))
    path = tmp_path / "bad.xlsx"
    save_scenario_workbook(bad, path)
    code, out, err = run("compare", "baseline", str(path), "--no-progress", "--json", "-")
    assert code == 1, err
    data = json.loads(out)
    assert [p["status"] for p in data["plans"]][0] == "optimal"
    assert data["plans"][1]["status"] != "optimal"
    assert "no plan for bad" in err
    assert {d["path"] for d in data["inputs_that_differ"]} == {
        "policy/annual_budget_usd", "policy/min_cover_days"}
    assert all(r["values"][1] is None for r in data["results"])


@pytest.mark.parametrize("argv,words", [
    (["compare", "baseline"], "at least two plans"),
    (["compare", "baseline", "nowhere.xlsx"], "no such file: nowhere.xlsx"),
    (["compare", "baseline", "baseline#nothing"], "variants tariff-threat"),
    (["compare", "baseline", "baseline", "--time-limit", "0"], "must be positive"),
])
def test_usage_errors_exit_2(argv, words):
    code, out, err = run(*argv)
    assert code == 2 and words in err and out == ""


def test_an_unknown_variant_names_the_ones_the_workbook_has(book):
    code, _, err = run("compare", "baseline", f"{book}#Nope")
    assert code == 2
    assert "no variant 'Nope'" in err and "'Tariff threat'" in err


def test_an_unreadable_workbook_exits_2_and_names_the_cell(tmp_path):
    path = tmp_path / "broken.xlsx"
    save_scenario_workbook(load_article_baseline(), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Scenarios"]
    ws["C2"] = 4.0  # No disruption's probability
    wb.save(path)
    t0 = time.perf_counter()
    code, out, err = run("compare", "baseline", str(path))
    assert time.perf_counter() - t0 < TIME_BOUND_S
    assert code == 2 and "Scenarios!C2" in err and "probability" in err and out == ""


def test_a_bad_variants_sheet_warns_and_keeps_the_main_scenario(book, tmp_path):
    path = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Variants"]
    ws["E2"] = "lots"  # the tariff threat's value
    wb.save(path)
    code, _, err = run("compare", "baseline", str(path), "--no-progress")
    assert code == 0, err
    assert "Variants!E2" in err and "not read" in err
    code, _, err = run("compare", "baseline", f"{path}#Tariff threat")
    assert code == 2 and "Variants!E2" in err


def test_same_plan_twice_gets_two_names_and_no_differences():
    code, out, err = run("compare", "baseline", "baseline", "--json", "-")
    assert code == 0, err
    data = json.loads(out)
    assert [p["name"] for p in data["plans"]] == ["Article baseline", "Article baseline (2)"]
    assert data["inputs_that_differ"] == []
    assert all(r["differences"][1] in (0.0, None) for r in data["results"])
    assert all(not math.isnan(r["differences"][1]) for r in data["results"]
               if r["differences"][1] is not None)


def test_plan_arguments(tmp_path):
    f = tmp_path / "a#b.xlsx"
    f.write_bytes(b"")
    assert parse_plan_argument(str(f)).variant == ""  # an existing name with '#'
    assert parse_plan_argument(f"{f}#V 1").variant == "V 1"
    assert parse_plan_argument("baseline").path is None
    assert parse_plan_argument("baseline#tariff-threat").variant == "tariff-threat"
    with pytest.raises(PlanArgumentError, match="no variant name"):
        parse_plan_argument(f"{f}#")
