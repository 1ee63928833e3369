"""The Qt-free report content: sections, numbers, sources, and the awkward cases."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime

from reserve_planner.report import formatting as fmt
from reserve_planner.report.content import build_report
from reserve_planner.report.document import Bullets, Figure, Paragraph, Table
from reserve_planner.report.input_catalogue import ASSUMPTION_MARK, input_entries

SECTIONS = ["Summary", "Reserve by material", "Price floors", "Against the status quo",
            "Comparison with day-count rules",
            "Costs", "Disruption scenarios", "Main assumptions", "Sources", "Limitations"]


def test_sections_in_order(baseline_report):
    assert baseline_report.section_titles() == SECTIONS


def test_title_block_facts(baseline):
    report = build_report(*baseline, source_file="/x/y/plan.xlsx",
                          generated=datetime(2027, 3, 4, 9, 5))
    facts = dict(report.facts)
    assert facts["Scenario"] == "Article baseline"
    assert facts["File"] == "plan.xlsx (/x/y)"
    assert facts["Date"] == "4 March 2027, 09:05"
    assert facts["Program"].startswith("Reserve Planner ")
    assert facts["Solver status"].startswith("optimal")
    assert report.metadata["title"] == report.title == "Reserve plan: Article baseline"


def test_three_charts_as_png(baseline_report):
    figures = baseline_report.figures
    assert [f.key for f in figures] == ["reserve", "costs", "unmet"]
    for f in figures:
        assert f.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert f.width_mm <= 170
        assert f.height_mm < 230  # fits a Letter page body
        assert f.caption.startswith("Figure ")


def test_tables_are_numbered_and_cross_references_resolved(baseline_report):
    captions = [t.caption for t in baseline_report.tables if t.caption]
    assert [c.split(".")[0] for c in captions] == [f"Table {i}"
                                                     for i in range(1, len(captions) + 1)]
    text = baseline_report.to_text()
    assert "{ref:" not in text
    scenarios = next(t for t in baseline_report.tables if t.label == "scenarios")
    assert f"scenarios of {scenarios.caption.split('.')[0]}" in text


def test_key_figures_match_the_result(baseline, baseline_report):
    _, result = baseline
    table = baseline_report.tables[0]
    assert table.header[1] == "Reserve [t]"
    for row, m in zip(table.rows, result.materials, strict=False):
        assert row[0].text == m.material
        assert row[1].text == fmt.tonnes(m.reserve_target_t)
        assert row[2].text == fmt.days(m.days_of_import_cover)
    assert table.rows[-1][0].text == "All materials"


def test_cost_breakdown_and_total(baseline, baseline_report):
    _, result = baseline
    table = next(t for t in baseline_report.tables if t.header[0] == "Cost term")
    labels = [r[0].text for r in table.rows]
    assert labels[:-1] == [label for label, _ in result.costs.items()]
    assert table.rows[-1][1].text == fmt.musd(result.costs.total_usd)


def test_every_input_number_has_a_sources_row(baseline, baseline_report):
    inputs, _ = baseline
    text = baseline_report.to_text()
    entries = input_entries(inputs)
    assert len(entries) > 150
    for e in entries:
        if e.source is not None and e.source.detail:
            assert e.source.detail in text, e.path
    n_ass = sum(e.is_assumption for e in entries)
    assert f"{n_ass} of the" in text
    assert ASSUMPTION_MARK in text


def test_numeric_columns_carry_units(baseline_report):
    words = ("Probability", "First output", "Full output", "Chance of failure", "Year",
             "Filled by", "Disruption", "Applies to: value", "Value", "Sizing")
    for table in baseline_report.tables:
        if sum("[" in row[0].text for row in table.rows) > len(table.rows) / 2:
            continue  # units are in the row labels
        for j, head in enumerate(table.header[1:], start=1):
            cells = [row[j].text for row in table.rows]
            bare = sum(bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", c)) for c in cells)
            numeric = bare > len(cells) / 2  # bare numbers: the header must give the unit
            if numeric:
                assert "[" in head or "%" in head or head in words, (table.caption, head)


def test_edited_scenario_marks_user_edits(edited):
    report = build_report(*edited)
    text = report.to_text()
    assert "Embargo risk tripled" in report.title
    assert "changed by the user" in text
    assert "were changed by the user" in text


def test_zero_reserve_report_says_so(zero_budget):
    report = build_report(*zero_budget)
    summary = next(b for b in report.blocks if isinstance(b, Paragraph) and b.style == "lead")
    assert summary.text.startswith("Hold no strategic reserve: the purchase budget is zero.")
    assert "reserve" not in [f.key for f in report.figures]
    assert any("buys no reserve" in b.text for b in report.blocks if isinstance(b, Paragraph))


def test_invalid_input_report(invalid):
    inputs, result = invalid
    report = build_report(inputs, result)
    assert "Reserve by material" not in report.section_titles()
    assert {"What has to change", "Disruption scenarios", "Main assumptions", "Sources",
            "Limitations"} <= set(report.section_titles())
    warning = next(b for b in report.blocks if isinstance(b, Paragraph)
                   and b.style == "warning")
    assert "No plan could be made" in warning.text and "1 problem(s)" in warning.text
    bullets = [b for b in report.blocks if isinstance(b, Bullets)]
    assert any(result.problems[0] in item for b in bullets for item in b.items)
    assert not report.figures


def test_infeasible_report_lists_conflicts(infeasible):
    inputs, result = infeasible
    report = build_report(inputs, result)
    text = report.to_text()
    assert "cannot all be met at once" in text
    for c in result.conflicts:
        assert c.sentence in text
    assert "infeasible" in dict(report.facts)["Solver status"]


def test_report_content_is_qt_free():
    code = (
        "import sys\n"
        "from reserve_planner.io.baseline import load_article_baseline\n"
        "from reserve_planner.optimize import solve\n"
        "from reserve_planner.report.content import build_report\n"
        "b = load_article_baseline()\n"
        "r = build_report(b, solve(b))\n"
        "assert r.figures\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "assert not bad, bad\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_table_model_rejects_ragged_rows():
    import pytest

    from reserve_planner.report.document import Cell

    with pytest.raises(ValueError):
        Table(header=("a", "b"), rows=((Cell("1"),),), widths=(50, 50), align=("left", "left"))
    with pytest.raises(ValueError):
        Table(header=("a", "b"), rows=(), widths=(100,), align=("left", "left"))


def test_figure_height(baseline_report):
    f: Figure = baseline_report.figures[0]
    assert abs(f.height_mm - f.width_mm * f.pixel_height / f.pixel_width) < 1e-9


def test_the_status_quo_section_lays_out_the_comparison_rows(baseline):
    from reserve_planner.optimize import SolveOptions, solve
    from reserve_planner.report.content import build_report

    inputs, _ = baseline
    result = solve(inputs, SolveOptions(near_optimal_tolerance=0.01, payout_runs=300))
    report = build_report(inputs, result)
    text = report.to_text()
    for label, _, _, _ in result.comparison_rows():
        assert label in text
    for name, _ in result.status_quo.committed_projects:
        assert name in text
    for m in result.materials:
        assert f"{m.near_optimal.low_t:,.0f} to {m.near_optimal.high_t:,.0f}" in text
    for f in result.fiscal_exposure.floors:
        assert f.name in text
    assert "costs US buyers" in text


def test_the_scenario_table_says_each_later_episode(baseline, baseline_report):
    scenarios = next(t for t in baseline_report.tables if t.label == "scenarios")
    for s, row in zip(baseline[0].scenarios, scenarios.rows, strict=True):
        when = row[2].text
        if not s.later_episodes:
            assert "then" not in when, when
            continue
        e = s.later_episodes[0]
        assert (f"then {e.gap_months} months later: {e.duration_months} months, 100% of all, "
                f"allied supply hit, {e.price_multiplier_during:g}\u00d7 "
                f"({e.price_multiplier_after:g}\u00d7 for {e.after_months} months after)"
                ) in when, when


def test_source_rows_cite_the_numbered_documents(baseline, baseline_report):
    import re

    inputs, _ = baseline
    text = baseline_report.to_text()
    listed = re.findall(r"\[(\d+)\] (.+?) \u2013 (\d+) inputs?", text)
    references = {s.reference for s in inputs.sources.values() if s.reference}
    assert [int(n) for n, _, _ in listed] == list(range(1, len(references) + 1))
    assert {ref for _, ref, _ in listed} == references
    counts = [int(c) for _, _, c in listed]
    assert counts == sorted(counts, reverse=True)  # most cited first
    sources_tables = [t for t in baseline_report.tables if t.header[-1] == "Source and detail"]
    cited = {int(m) for t in sources_tables for row in t.rows
             for m in re.findall(r"^\[(\d+)\]$", row[-1].text)}
    assert cited == set(range(1, len(references) + 1))  # every document is cited somewhere
    # start windows are listed as inputs, not as raw paths
    assert "earliest_start_month" not in text
