"""Scenario workbooks (.xlsx): the program's file format for :class:`PlanInputs`.

``load_scenario_workbook(path)`` reads a workbook written by this program, Excel or
LibreOffice; ``save_scenario_workbook(inputs, path)`` writes one atomically. Problems with a
file raise :class:`WorkbookError`, whose ``problems`` name sheet, cell, value and what was
expected, one per line in ``str(exc)``, e.g. ``Scenarios!C7: probability 1.4 is above 1``.

Reading is split in two steps that can be used alone: :func:`read_workbook` (file to raw
cells, with the safety checks) and :func:`parse_scenario` (raw cells to inputs).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import PlanInputs
from .atomic_save import atomic_write, save_workbook
from .raw_workbook import RawCell, RawSheet, RawWorkbook, read_workbook, read_workbook_bytes
from .scenario_layout import SCENARIO_SHEETS, WORKBOOK_SCHEMA_VERSION
from .scenario_reader import parse_scenario, parse_scenario_with_warnings
from .scenario_writer import build_scenario_workbook
from .workbook_problems import WorkbookError, WorkbookProblem, WorkbookSaveError, file_problem

__all__ = [
    "WORKBOOK_SCHEMA_VERSION",
    "RawCell",
    "RawSheet",
    "RawWorkbook",
    "WorkbookError",
    "WorkbookProblem",
    "WorkbookSaveError",
    "build_scenario_workbook",
    "load_scenario_workbook",
    "load_scenario_workbook_bytes",
    "load_scenario_workbook_with_warnings",
    "parse_scenario",
    "parse_scenario_with_warnings",
    "read_workbook",
    "read_workbook_bytes",
    "save_scenario_workbook",
]

READ_SHEETS = SCENARIO_SHEETS
"""The sheets whose cells a load reads; other sheets (a results workbook's, a planner's
own) are only listed, so their size costs nothing."""

INTERNAL_ERROR = "Reserve Planner could not read this workbook because of an internal error"


def load_scenario_workbook(path: str | os.PathLike[str]) -> PlanInputs:
    """Plan inputs from the scenario workbook at ``path``.

    Raises :class:`WorkbookError` listing every problem found; never another exception for
    the contents of a file.
    """
    return load_scenario_workbook_with_warnings(path)[0]


def load_scenario_workbook_with_warnings(path: str | os.PathLike[str]
                                         ) -> tuple[PlanInputs, list[str]]:
    """Plan inputs and the warnings (one sentence each: extra sheets and columns ignored,
    read-only cells edited) from the scenario workbook at ``path``."""
    return _parse(read_workbook(path, READ_SHEETS))


def load_scenario_workbook_bytes(data: bytes, name: str = "workbook.xlsx"
                                 ) -> tuple[PlanInputs, list[str]]:
    """Like :func:`load_scenario_workbook_with_warnings` for a workbook held in memory."""
    return _parse(read_workbook_bytes(data, name, READ_SHEETS))


def _parse(raw: RawWorkbook) -> tuple[PlanInputs, list[str]]:
    try:
        return parse_scenario_with_warnings(raw)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - a user's file must never give a traceback
        raise WorkbookError([file_problem(
            f"{INTERNAL_ERROR} ({type(exc).__name__}: {exc}). Please report it with the "
            "file.", raw.name)]) from exc


def save_scenario_workbook(inputs: PlanInputs, path: str | os.PathLike[str]) -> None:
    """Write ``inputs`` to ``path`` as a scenario workbook, atomically.

    The file is written next to ``path`` and then renamed over it, so a failure leaves any
    existing file untouched. Raises :class:`WorkbookSaveError` (a :class:`WorkbookError`)
    with a sentence saying why: not a ``.xlsx`` name, text Excel cannot hold, disk full,
    permission denied (on Windows also: the file is open in Excel).
    """
    target = Path(path)
    if target.suffix.casefold() != ".xlsx":
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': a scenario workbook must have the extension .xlsx "
            f"(got '{target.suffix or 'none'}'). Nothing was written.", str(target))])
    wb = build_scenario_workbook(inputs)
    atomic_write(target, lambda f: save_workbook(wb, f))
