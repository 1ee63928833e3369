"""Shared helpers for the workbook tests: the baseline template in memory, and small tools to
edit a workbook the way a planner would (through openpyxl, as a spreadsheet program would
store the cells) before loading it again."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.io.workbook import (
    WorkbookError,
    build_scenario_workbook,
    load_scenario_workbook_bytes,
)
from reserve_planner.model import PlanInputs

FIXTURES = Path(__file__).parent / "fixtures"


def workbook_bytes(inputs: PlanInputs) -> bytes:
    buf = io.BytesIO()
    build_scenario_workbook(inputs).save(buf)
    return buf.getvalue()


def edited(data: bytes, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    """``data`` opened with openpyxl, changed by ``edit``, saved again."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load(data: bytes, name: str = "plan.xlsx") -> tuple[PlanInputs, list[str]]:
    return load_scenario_workbook_bytes(data, name)


def problems_of(data: bytes) -> list[str]:
    """The problem lines a load of ``data`` reports (fails the test if it loads)."""
    with pytest.raises(WorkbookError) as info:
        load(data)
    lines = str(info.value).splitlines()
    assert lines == [str(p) for p in info.value.problems]
    return lines


def find_row(ws, label: str, column: int = 1) -> int:
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == label:
            return row[0].row
    raise KeyError(label)


def find_col(ws, heading: str, row: int = 1) -> int:
    for cell in ws[row]:
        if cell.value == heading:
            return cell.column
    raise KeyError(heading)


def set_cell(wb, sheet: str, row_label, heading: str, value) -> str:
    """Set the cell of ``row_label`` (text in column A) under ``heading``; returns its name."""
    ws = wb[sheet]
    r = find_row(ws, row_label) if isinstance(row_label, str) else row_label
    cell = ws.cell(r, find_col(ws, heading))
    cell.value = value
    return cell.coordinate


@pytest.fixture(scope="session")
def baseline() -> PlanInputs:
    return load_article_baseline()


@pytest.fixture(scope="session")
def template(baseline) -> bytes:
    """The article baseline as a scenario workbook, in memory."""
    return workbook_bytes(baseline)


@pytest.fixture(scope="session")
def tools():
    """The helpers above, for test modules (which cannot import conftest under
    ``--import-mode=importlib``)."""
    import types

    return types.SimpleNamespace(
        workbook_bytes=workbook_bytes, edited=edited, load=load, problems_of=problems_of,
        find_row=find_row, find_col=find_col, set_cell=set_cell, fixtures=FIXTURES)
