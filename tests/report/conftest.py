"""Shared plans and PDFs for the report tests (built once per session: solving and rendering
take a fraction of a second each). PDF fixtures ask for pytest-qt's ``qapp`` first so the
session's Qt application is a QApplication that the preview tests can also use."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import USER_EDIT, PlanInputs
from reserve_planner.optimize import PlanResult, solve


def embargo_risk_tripled(base: PlanInputs) -> PlanInputs:
    """The baseline with three times the embargo probabilities, marked as user edits."""
    scenarios = tuple(replace(s, probability=s.probability * 3)
                      if s.name.startswith("Full embargo") else s for s in base.scenarios)
    total = sum(s.probability for s in scenarios)
    scenarios = tuple(replace(s, probability=s.probability / total) for s in scenarios)
    sources = dict(base.sources)
    for s in scenarios:
        sources[f"scenarios/{s.name}/probability"] = USER_EDIT
    return replace(base, name="Embargo risk tripled", scenarios=scenarios, sources=sources)


@dataclass(frozen=True)
class Pdf:
    """A rendered PDF: its path, page texts (whitespace collapsed) and reader."""

    path: Path
    pages: list[str]
    reader: object

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def read_pdf(path: Path) -> Pdf:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
    return Pdf(path, pages, reader)


@pytest.fixture(name="read_pdf")
def read_pdf_fixture():
    """:func:`read_pdf`, for tests (test modules cannot import the conftest)."""
    return read_pdf


@pytest.fixture(scope="session")
def baseline() -> tuple[PlanInputs, PlanResult]:
    inputs = load_article_baseline()
    result = solve(inputs)
    assert result.status.has_plan
    return inputs, result


@pytest.fixture(scope="session")
def edited() -> tuple[PlanInputs, PlanResult]:
    inputs = embargo_risk_tripled(load_article_baseline())
    result = solve(inputs)
    assert result.status.has_plan
    return inputs, result


@pytest.fixture(scope="session")
def zero_budget() -> tuple[PlanInputs, PlanResult]:
    base = load_article_baseline()
    inputs = replace(base, name="No reserve budget",
                     policy=replace(base.policy, annual_budget_usd=0.0))
    return inputs, solve(inputs)


@pytest.fixture(scope="session")
def invalid() -> tuple[PlanInputs, PlanResult]:
    base = load_article_baseline()
    inputs = replace(base, name="Broken inputs",
                     policy=replace(base.policy, min_cover_days=5000.0))
    result = solve(inputs)
    assert result.status.value == "invalid input"
    return inputs, result


@pytest.fixture(scope="session")
def infeasible() -> tuple[PlanInputs, PlanResult]:
    base = load_article_baseline()
    inputs = replace(base, name="Impossible cover",
                     policy=replace(base.policy, min_cover_days=300.0, min_cover_by_month=6))
    result = solve(inputs)
    assert result.status.value == "infeasible"
    return inputs, result


@pytest.fixture(scope="session")
def baseline_report(baseline):
    from reserve_planner.report.content import build_report

    return build_report(*baseline)


@pytest.fixture(scope="session")
def baseline_pdf(qapp, baseline, tmp_path_factory) -> Pdf:
    from reserve_planner.report.pdf import write_report_pdf

    path = tmp_path_factory.mktemp("pdf") / "baseline.pdf"
    write_report_pdf(*baseline, path)
    return read_pdf(path)


@pytest.fixture(scope="session")
def edited_pdf(qapp, edited, tmp_path_factory) -> Pdf:
    from reserve_planner.report.pdf import write_report_pdf

    path = tmp_path_factory.mktemp("pdf") / "edited.pdf"
    write_report_pdf(*edited, path, source_file="/data/scenarios/embargo x3.xlsx",
                     page_size="Letter")
    return read_pdf(path)
