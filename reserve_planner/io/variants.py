"""A scenario workbook with its named variants: one file holds a baseline and its variants.

The main scenario is on the usual sheets; each named variant is stored on the optional
Variants sheet as its changes against it (:mod:`.variants_sheet`). Workbooks without the
sheet load as before, and :func:`~.workbook.load_scenario_workbook` still reads only the
main scenario.

* :func:`load_workbook_scenarios` reads the main scenario and the variants. A problem on
  the Variants sheet never costs the main scenario: the variant with the problem is left
  out and the problem (sheet, cell, column) is in :attr:`WorkbookScenarios.problems`. A
  main scenario that cannot be read raises :class:`~.workbook_problems.WorkbookError`
  as :func:`~.workbook.load_scenario_workbook` does.
* :func:`save_workbook_scenarios` writes the main scenario and the variants atomically.
* :func:`read_variants` gives only the variants of a workbook.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model import PlanInputs
from .atomic_save import atomic_write, save_workbook
from .raw_workbook import RawWorkbook, read_workbook, read_workbook_bytes
from .scenario_layout import SCENARIO_SHEETS, VARIANTS
from .scenario_reader import parse_scenario_with_warnings
from .scenario_writer import build_scenario_workbook
from .variants_sheet import parse_variants, workbook_field_label
from .workbook_problems import WorkbookError, WorkbookProblem, WorkbookSaveError, file_problem

__all__ = ["WorkbookScenarios", "load_workbook_scenarios", "load_workbook_scenarios_bytes",
           "read_variants", "save_workbook_scenarios", "workbook_field_label"]

_READ_SHEETS = (*SCENARIO_SHEETS, VARIANTS)
_INTERNAL = "Reserve Planner could not read this workbook because of an internal error"


@dataclass(frozen=True)
class WorkbookScenarios:
    """What a scenario workbook holds: the main scenario and its named variants.

    Attributes
    ----------
    main : PlanInputs
        The scenario on the main sheets.
    variants : Mapping[str, PlanInputs]
        Named variants in sheet order; each variant's ``name`` is its name and ``notes``
        its note.
    problems : tuple of WorkbookProblem
        What is wrong on the Variants sheet; the variants concerned are not in
        ``variants``.
    warnings : tuple of str
        What was noticed on the main sheets and the Variants sheet but did not stop the
        load.
    """

    main: PlanInputs
    variants: Mapping[str, PlanInputs] = field(default_factory=dict)
    problems: tuple[WorkbookProblem, ...] = ()
    warnings: tuple[str, ...] = ()

    def plan(self, name: str | None = None) -> PlanInputs:
        """The main scenario (``name`` None or empty) or the variant called ``name``.

        Raises :class:`KeyError` whose message lists the variants the workbook has (and
        says why, when the variant was left out for a problem)."""
        if not name:
            return self.main
        if name in self.variants:
            return self.variants[name]
        bad = [str(p) for p in self.problems if p.sheet == VARIANTS]
        known = ", ".join(repr(n) for n in self.variants) or "none"
        why = (" It was not read because of problems on the Variants sheet:\n"
               + "\n".join(bad)) if bad else ""
        raise KeyError(f"no variant {name!r} in the workbook (variants: {known}).{why}")


def _parse(raw: RawWorkbook) -> WorkbookScenarios:
    try:
        main, warnings = parse_scenario_with_warnings(raw)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - a user's file must never give a traceback
        raise WorkbookError([file_problem(f"{_INTERNAL} ({type(exc).__name__}: {exc}). "
                                          "Please report it with the file.", raw.name)]
                            ) from exc
    try:
        variants, problems, more = parse_variants(raw, main)
    except Exception as exc:  # noqa: BLE001 - keep the main scenario whatever happens
        variants, problems, more = {}, [WorkbookProblem(
            VARIANTS, "", None, f"the variants could not be read because of an internal "
            f"error ({type(exc).__name__}: {exc}); the main scenario was read")], []
    return WorkbookScenarios(main, variants, tuple(problems), tuple(warnings + more))


def load_workbook_scenarios(path: str | os.PathLike[str]) -> WorkbookScenarios:
    """The main scenario and the named variants of the workbook at ``path``.

    Raises :class:`WorkbookError` only when the main scenario cannot be read."""
    return _parse(read_workbook(path, _READ_SHEETS))


def load_workbook_scenarios_bytes(data: bytes, name: str = "workbook.xlsx"
                                  ) -> WorkbookScenarios:
    """Like :func:`load_workbook_scenarios` for a workbook held in memory."""
    return _parse(read_workbook_bytes(data, name, _READ_SHEETS))


def read_variants(path: str | os.PathLike[str]
                  ) -> tuple[dict[str, PlanInputs], tuple[WorkbookProblem, ...]]:
    """The named variants of the workbook at ``path`` and the Variants sheet's problems."""
    scenarios = load_workbook_scenarios(path)
    return dict(scenarios.variants), scenarios.problems


def _check_names(variants: Mapping[str, PlanInputs]) -> None:
    seen: dict[str, str] = {}
    for name in variants:
        key = name.strip()
        if not key:
            raise WorkbookSaveError([file_problem(
                "Could not save: a variant has a blank name; give every variant a name. "
                "Nothing was written.")])
        if key in seen:
            raise WorkbookSaveError([file_problem(
                f"Could not save: the variants {seen[key]!r} and {name!r} have the same "
                "name once spaces are trimmed; rename one. Nothing was written.")])
        seen[key] = name


def save_workbook_scenarios(main: PlanInputs, variants: Mapping[str, PlanInputs],
                            path: str | os.PathLike[str]) -> None:
    """Write ``main`` and its named ``variants`` (name -> inputs, in the order given) to
    ``path`` as one scenario workbook, atomically (a failure leaves any existing file
    untouched). Without variants the file is the plain scenario workbook.

    Raises :class:`WorkbookSaveError` as
    :func:`~reserve_planner.io.workbook.save_scenario_workbook` does, and for a blank or
    repeated variant name.
    """
    target = Path(path)
    if target.suffix.casefold() != ".xlsx":
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': a scenario workbook must have the extension .xlsx "
            f"(got '{target.suffix or 'none'}'). Nothing was written.", str(target))])
    _check_names(variants)
    wb = build_scenario_workbook(main, {k.strip(): v for k, v in variants.items()})
    atomic_write(target, lambda f: save_workbook(wb, f))
