"""The report's "What drives the answer" section and the first page's sentence on the three
assumptions that matter most, from a whole study and from a tornado alone."""

from __future__ import annotations

import math
import re

import pytest

from reserve_planner.analysis import SerialExecutor, sensitivity_study, tornado
from reserve_planner.analysis.breakeven import Breakeven, Crossing
from reserve_planner.charts.breakeven import breakeven_table
from reserve_planner.cli import plan_options
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import solve
from reserve_planner.report.charts import CHART_WIDTH_MM
from reserve_planner.report.content import build_report
from reserve_planner.report.document import Bullets, Figure, Heading, Paragraph, Table
from reserve_planner.report.sensitivity_section import (
    SECTION_TITLE,
    breakeven_sentence,
    top_assumptions_sentence,
)


@pytest.fixture(scope="module")
def plan():
    inputs = load_article_baseline()
    return inputs, solve(inputs, plan_options(inputs))


@pytest.fixture(scope="module")
def study(plan):
    with SerialExecutor() as ex:
        return sensitivity_study(plan[0], executor=ex)


@pytest.fixture(scope="module")
def report(plan, study):
    return build_report(*plan, sensitivity=study)


def _summary_text(report) -> str:
    """The text of the Summary section: the blocks before the second heading."""
    blocks = list(report.blocks)
    assert blocks[0] == Heading("Summary")
    end = next(i for i, b in enumerate(blocks[1:], start=1) if isinstance(b, Heading))
    return " ".join(b.text for b in blocks[1:end] if isinstance(b, Paragraph))


def _section(report, title=SECTION_TITLE):
    blocks = list(report.blocks)
    start = blocks.index(Heading(title))
    end = next((i for i, b in enumerate(blocks[start + 1:], start=start + 1)
                if isinstance(b, Heading) and b.level == 1), len(blocks))
    return blocks[start:end]


def _named(text: str, label: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text, flags=re.IGNORECASE) is not None


def test_the_summary_names_exactly_the_three_largest_swings(report, study):
    ranked = sorted(study.tornado.bars, key=lambda b: -abs(b.high.objective_usd
                                                           - b.low.objective_usd))
    top = [b.label for b in ranked[:3]]
    text = _summary_text(report)
    assert all(_named(text, label) for label in top), (top, text)
    others = [b.label for b in ranked[3:]]
    assert not [label for label in others if _named(text, label)]
    # the objective at both ends of each named group is stated
    for b in ranked[:3]:
        assert f"${b.low.objective_usd / 1e6:,.1f}M" in text
        assert f"${b.high.objective_usd / 1e6:,.1f}M" in text


def test_the_sentence_names_flips_of_the_top_groups_only():
    from dataclasses import replace

    inputs = load_article_baseline()
    with SerialExecutor() as ex:
        t = tornado(inputs, groups=["price", "storage_cost"], executor=ex)
    price = t.bar("price")
    assert price.flips, "market prices at half flip the baseline's Dy and Tb floors"
    text = top_assumptions_sentence(t, n=2)
    assert "The two assumptions that matter most" in text
    for f in price.flips:
        assert f"for {f.material} instead of" in text
    quiet = replace(t, bars=tuple(b for b in t.bars if b.key == "storage_cost"))
    one = top_assumptions_sentence(quiet, n=3)
    assert one.startswith("The one assumption that matters most")
    assert "It does not change a floor or reserve decision over this range" in one


def test_the_section_holds_tornado_breakevens_frontiers_and_size_curves(report, study, plan):
    section = _section(report)
    keys = [b.key for b in section if isinstance(b, Figure)]
    assert keys[:2] == ["tornado-objective", "tornado-net-benefit"]
    t = study.tornado
    moving = [m for m in t.materials
              if any(b.swing(f"reserve_t:{m}") > max(0.05, 0.01 * t.base.reserve_t[m])
                     for b in t.bars)]
    assert [k for k in keys if k.startswith("tornado-reserve-")] == \
        [f"tornado-reserve-{m}" for m in moving]
    assert "budget-frontier" in keys
    cvar = [p.outcome.cvar_usd for p in study.risk_frontier.points]
    flat = max(cvar) - min(cvar) <= 5e-4 * max(abs(v) for v in cvar)
    assert ("risk-frontier" in keys) is not flat
    # every bar in the tornado table, largest swing first
    (table,) = [b for b in section if isinstance(b, Table) and "tornado in numbers" in b.caption]
    assert [r[0].text for r in table.rows] == [b.label for b in t.ranked()]
    # one sentence per break-even found, and the table of those that flip
    found = [b for b in study.breakevens.results if b.flips]
    (bullets,) = [b for b in section if isinstance(b, Bullets)]
    assert list(bullets.items) == [breakeven_sentence(b) for b in found]
    (be_table,) = [b for b in section if isinstance(b, Table) and "Break-evens" in b.caption]
    assert len(be_table.rows) == len(breakeven_table(study.breakevens, only_flips=True).rows)
    # decisions with no break-even at all are named as holding
    text = " ".join(b.text for b in section if isinstance(b, Paragraph))
    for m, k in {(b.material, b.kind) for b in study.breakevens.results}:
        if not any(b.flips for b in study.breakevens.for_decision(m, k)):
            assert f"{m} {k}" in text
    # the size curves are referred to, not drawn twice
    assert sum(isinstance(b, Figure) and b.key == "size-curves" for b in report.blocks) == 1
    n = next(i for i, f in enumerate(report.figures, 1) if f.key == "size-curves")
    assert f"The size curves are in Figure {n}." in text
    assert "{ref:" not in text


def test_section_figures_print_at_the_reports_chart_width(report):
    costs = next(f for f in report.figures if f.key == "costs")
    for f in _section(report):
        if isinstance(f, Figure):
            assert f.width_mm == costs.width_mm == pytest.approx(min(CHART_WIDTH_MM, 170.0))
            # drawn at the same pixels per printed millimetre as the report's own charts
            assert f.pixel_width == pytest.approx(costs.pixel_width, abs=2)
            assert f.png.startswith(b"\x89PNG")


def test_a_tornado_alone_gives_the_tornado_part(plan):
    inputs, result = plan
    with SerialExecutor() as ex:
        t = tornado(inputs, executor=ex)
    r = build_report(inputs, result, sensitivity=t)
    section = _section(r)
    assert Heading("Break-evens", 2) not in section
    assert not any(isinstance(b, Figure) and "frontier" in b.key for b in section)
    assert any("reserve-planner sensitivity --report" in b.text for b in section
               if isinstance(b, Paragraph))
    assert all(_named(_summary_text(r), b.label) for b in t.top(3))


def test_no_analysis_no_section(plan, report):
    plain = build_report(*plan)
    assert SECTION_TITLE not in plain.section_titles()
    assert SECTION_TITLE in report.section_titles()
    assert "matter most" not in _summary_text(plain)
    # everything else is the same report
    assert [t for t in report.section_titles() if t != SECTION_TITLE] == \
        plain.section_titles()


def test_a_result_without_a_plan_gets_no_section(study):
    from dataclasses import replace

    base = load_article_baseline()
    bad = replace(base, policy=replace(base.policy, min_cover_days=5000.0))
    r = build_report(bad, solve(bad), sensitivity=study)
    assert SECTION_TITLE not in r.section_titles()


def _be(kind, base_text, below=None, above=None, group="price", label="Market prices"):
    return Breakeven("Tb oxide", kind, group, label, "x base", 1.0, 0.1, 3.0, base_text,
                     below, above)


def test_breakeven_sentences():
    floor = "$1,071.00/kg floor (MP heavy (Tb))"
    cut = Crossing(0.622, 0.6225, 0.6215, "no floor", math.nan)
    assert breakeven_sentence(_be("floor", floor, below=cut)) == (
        f"The Tb oxide floor ({floor}) pays off only if market prices are above 0.622x "
        "base; below it the plan has no floor.")
    hi = Crossing(2.93, 2.929, 2.931, "no floor", math.nan)
    assert breakeven_sentence(_be("floor", floor, below=cut, above=hi)) == (
        f"The Tb oxide floor ({floor}) pays off only if market prices are between 0.622x "
        "base and 2.93x base; outside that range the plan has no floor.")
    new = Crossing(1.72, 1.7195, 1.7205, "$110.00/kg floor (Iluka)", math.nan)
    assert breakeven_sentence(_be("floor", "no floor", above=new)) == (
        "The plan has no floor for Tb oxide, but a $110.00/kg floor (Iluka) pays off if "
        "market prices are above 1.72x base.")
    other = Crossing(0.681, 0.6815, 0.6805, "$306.00/kg floor (MP)", math.nan)
    assert breakeven_sentence(_be("floor", floor, below=other)) == (
        f"The Tb oxide floor ({floor}) changes to a $306.00/kg floor (MP) if market prices "
        "are below 0.681x base.")
    held = "a 5.4 t reserve"
    gone = Crossing(0.151, 0.1515, 0.1505, "no reserve", math.nan)
    assert breakeven_sentence(_be("reserve", held, below=gone, group="shortage_cost",
                                  label="Shortage cost")) == (
        "The Tb oxide reserve (5.4 t) pays off only if shortage cost is above 0.151x "
        "base; below it the plan has no reserve.")
    assert breakeven_sentence(_be("reserve", held)) == (
        "The Tb oxide reserve (5.4 t) does not change for market prices between 0.1x "
        "base and 3x base.")
    some = Crossing(0.2, 0.21, 0.19, "a 3.0 t reserve", math.nan)
    assert breakeven_sentence(_be("reserve", "no reserve", below=some)) == (
        "The plan has no reserve for Tb oxide, but a 3.0 t reserve pays off if market "
        "prices are below 0.2x base.")


def test_the_first_pdf_page_names_the_three(qapp, report, study, tmp_path, read_pdf):
    from reserve_planner.report.pdf import write_document_pdf

    path = tmp_path / "r.pdf"
    write_document_pdf(report, path, "Letter")
    pdf = read_pdf(path)
    first = pdf.pages[0]
    for label in study.top_assumptions():
        assert label in first
    assert SECTION_TITLE in pdf.text
