"""The Monte Carlo distributions as a workbook sheet ("Monte Carlo"), to read and edit.

Layout: the settings at the top (whether project failures are drawn, the price volatility
scale, the source of the distributions), then one row per episode kind under the heading
row that starts with "Disruption": probability, start window and hazard, duration, depth
factor, price multipliers during and after, months after, chance of hitting allied supply,
one "Depth <material>" column per material, and the kind's source.

:func:`read_montecarlo_sheet` reads it with the hostile-file-safe reader
(:func:`~.raw_workbook.read_workbook`) from any workbook that has it (a scenario workbook
or a file of its own) and names the cell of every problem; :func:`write_spec_workbook`
writes a workbook holding the sheet (``simulate --write-spec``), atomically.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..model import PlanInputs
from ..model.montecarlo_spec import EpisodeKind, MonteCarloSpec
from .atomic_save import atomic_write, save_workbook
from .raw_workbook import RawCell, RawSheet, cell_name, read_workbook
from .workbook_problems import WorkbookSaveError, file_problem
from .xlsx_writing import NOTE_FONT, SheetWriter, add_table, fit_columns, page_setup, write_header

SHEET = "Monte Carlo"
FAILURES, VOLATILITY, SOURCE = ("Draw project failures", "Price volatility scale",
                                "Source of the distributions")
FIRST_HEADING = "Disruption"
#: The kinds table's columns before the depth columns: (heading, EpisodeKind field, kind).
COLUMNS = (
    ("Probability", "probability", float),
    ("Earliest start [month]", "earliest_month", int),
    ("Latest start [month]", "latest_month", int),
    ("Start hazard [1/yr]", "start_hazard_per_yr", float),
    ("Duration low [months]", "duration_months.0", int),
    ("Duration high [months]", "duration_months.1", int),
    ("Depth factor low", "depth_scale.0", float),
    ("Depth factor high", "depth_scale.1", float),
    ("Price x during low", "price_multiplier_during.0", float),
    ("Price x during high", "price_multiplier_during.1", float),
    ("Price x after low", "price_multiplier_after.0", float),
    ("Price x after high", "price_multiplier_after.1", float),
    ("After [months]", "after_months", int),
    ("P(allied hit)", "hits_allied_probability", float),
    ("Price from curve", "price_from_curve", bool),
)
DEPTH_PREFIX = "Depth "
SOURCE_HEADING = "Source"
#: Optional columns after the depths: the chance that a future of the kind goes on to
#: later episodes [0-1] (blank or absent: 1), and the scenario of the inputs whose later
#: episodes (Episodes sheet) it goes on to (blank or absent: none).
LATER_P_HEADING = "P(later episodes)"
LATER_FROM_HEADING = "Later episodes as in scenario"


class MonteCarloSheetError(ValueError):
    """The Monte Carlo sheet cannot be read; ``problems`` name the cells."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _value(kind: EpisodeKind, field: str):
    name, _, index = field.partition(".")
    value = getattr(kind, name)
    return value[int(index)] if index else value


def write_spec_workbook(spec: MonteCarloSpec, inputs: PlanInputs,
                        path: str | os.PathLike[str]) -> None:
    """A workbook holding the Monte Carlo sheet of ``spec``, written atomically."""
    target = os.fspath(path)
    if not target.casefold().endswith(".xlsx"):
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': the Monte Carlo sheet goes in an .xlsx workbook. "
            "Nothing was written.", target)])
    wb = Workbook()
    wb.remove(wb.active)
    w = SheetWriter()
    add_spec_sheet(wb, spec, inputs, w)
    if w.problems:
        raise WorkbookSaveError(w.problems)
    wb.properties.title = f"Monte Carlo distributions: {inputs.name}"[:255]
    atomic_write(target, lambda f: save_workbook(wb, f))


def add_spec_sheet(wb: Workbook, spec: MonteCarloSpec, inputs: PlanInputs,
                   w: SheetWriter) -> Worksheet:
    """Append the Monte Carlo sheet of ``spec`` to ``wb`` and return it."""
    ws = wb.create_sheet(SHEET)
    w.put(ws, 1, 1, "Monte Carlo distributions of the disruption futures").font = NOTE_FONT
    write_header(ws, w, 2, ["Setting", "Value"])
    w.put(ws, 3, 1, FAILURES)
    w.put(ws, 3, 2, bool(spec.project_failures))
    w.put(ws, 4, 1, VOLATILITY)
    w.put(ws, 4, 2, float(spec.price_volatility_scale))
    w.put(ws, 5, 1, SOURCE)
    w.put(ws, 5, 2, spec.source)
    top = 7
    names = inputs.material_names
    headers = [FIRST_HEADING, *(h for h, _, _ in COLUMNS),
               *(DEPTH_PREFIX + m for m in names), LATER_P_HEADING, LATER_FROM_HEADING,
               SOURCE_HEADING]
    write_header(ws, w, top, headers, notes=[
        "One row per kind of disruption: a future starts at most one, of kind k with its "
        "probability (the rest of the futures are calm), and goes on to the later episodes "
        "of the scenario named in 'Later episodes as in scenario' with P(later episodes)."])
    for r, kind in enumerate(spec.kinds, start=top + 1):
        w.put(ws, r, 1, kind.name)
        for c, (_, field, cast) in enumerate(COLUMNS, start=2):
            value = _value(kind, field)
            w.put(ws, r, c, cast(value))
        for c, m in enumerate(names, start=2 + len(COLUMNS)):
            w.put(ws, r, c, float(kind.depth(m)))
        w.put(ws, r, len(headers) - 2, float(kind.later_probability))
        w.put(ws, r, len(headers) - 1, _later_source(inputs, kind))
        w.put(ws, r, len(headers), kind.source)
    last = top + len(spec.kinds)
    add_table(ws, "MonteCarloKinds", top, last, len(headers))
    w.put(ws, last + 2, 1, "Starts are uniform over the window, or the first arrival of the "
          "yearly hazard in it; durations, depth factors and multipliers are uniform over "
          "low-high; a depth factor scales every material's depth of the episode (clipped "
          "to 0-1).").font = NOTE_FONT
    ws.freeze_panes = ws.cell(top + 1, 2)
    fit_columns(ws, header_row=top, widths={1: 34, len(headers): 60})
    page_setup(ws)
    return ws


def _later_source(inputs: PlanInputs, kind: EpisodeKind) -> str:
    """The scenario of ``inputs`` whose later episodes ``kind`` goes on to ("" for none):
    the one of the kind's name if it matches, else the first that does."""
    if not kind.later_episodes:
        return ""
    matches = [s.name for s in inputs.scenarios if s.later_episodes == kind.later_episodes]
    return kind.name if kind.name in matches else (matches[0] if matches else "")


def read_montecarlo_sheet(path: str | os.PathLike[str], inputs: PlanInputs
                          ) -> MonteCarloSpec | None:
    """The spec on the Monte Carlo sheet of the workbook at ``path``; None when it has no
    such sheet. Raises :class:`MonteCarloSheetError` naming every bad cell, and the
    :class:`~.workbook_problems.WorkbookError` of the reader for a file it refuses."""
    raw = read_workbook(path, sheets=[SHEET])
    sheet = raw.sheet(SHEET)
    if sheet is None or not sheet.loaded:
        return None
    return parse_montecarlo_sheet(sheet, inputs, Path(path).name)


def parse_montecarlo_sheet(sheet: RawSheet, inputs: PlanInputs, file: str = "") -> MonteCarloSpec:
    """The spec on ``sheet`` (see the module's layout)."""
    where = f"{file}: " if file else ""
    problems: list[str] = []

    def bad(r: int, c: int, cell: RawCell, what: str) -> None:
        problems.append(f"{where}{SHEET}!{cell_name(r, c)}: {what} (got {cell.value!r})")

    def number(r: int, c: int, label: str, cast):
        cell = sheet.cell(r, c)
        v = cell.value
        if cast is bool:
            return flag(r, c, cell, label)
        if cell.problem:
            problems.append(f"{where}{SHEET}!{cell_name(r, c)}: {cell.problem}")
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            bad(r, c, cell, f"{label} must be a number")
            return None
        if cast is int:
            if float(v) != int(v):
                bad(r, c, cell, f"{label} must be a whole number")
                return None
            return int(v)
        return float(v)

    def flag(r: int, c: int, cell: RawCell, label: str) -> bool | None:
        if isinstance(cell.value, bool):
            return cell.value
        text = str(cell.value if cell.value is not None else "").strip().casefold()
        if text in ("yes", "no", "true", "false", ""):
            return text in ("yes", "true")
        bad(r, c, cell, f"{label} must be TRUE or FALSE (yes or no)")
        return None

    header_row = next((r for r in range(1, sheet.max_row + 1)
                       if str(sheet.cell(r, 1).value or "").strip() == FIRST_HEADING), None)
    if header_row is None:
        raise MonteCarloSheetError([f"{where}{SHEET}: no heading '{FIRST_HEADING}' in "
                                    "column A above the table of disruption kinds"])
    settings = {str(sheet.cell(r, 1).value or "").strip(): r for r in range(1, header_row)}
    failures, volatility, source = True, 1.0, ""
    if FAILURES in settings:
        r = settings[FAILURES]
        value = flag(r, 2, sheet.cell(r, 2), "draw project failures")
        failures = True if value is None else value
    if VOLATILITY in settings:
        volatility = number(settings[VOLATILITY], 2, "the price volatility scale", float)
    if SOURCE in settings:
        source = str(sheet.cell(settings[SOURCE], 2).value or "")
    headings = {str(sheet.cell(header_row, c).value or "").strip(): c
                for c in range(1, sheet.max_column + 1)}
    for heading, _, cast in COLUMNS:
        if heading not in headings and cast is not bool:  # a flag column may be left out
            problems.append(f"{where}{SHEET}: the table has no column '{heading}' (row "
                            f"{header_row})")
    depth_cols = {h[len(DEPTH_PREFIX):].strip(): c for h, c in headings.items()
                  if h.startswith(DEPTH_PREFIX) and h not in {x for x, _, _ in COLUMNS}}
    for m in depth_cols:
        if m not in inputs.material_names:
            problems.append(f"{where}{SHEET}!{cell_name(header_row, depth_cols[m])}: no "
                            f"material '{m}' in the inputs; known: "
                            f"{', '.join(inputs.material_names)}")
    if problems:
        raise MonteCarloSheetError(problems)
    kinds, kind_rows = [], {}
    for r in range(header_row + 1, sheet.max_row + 1):
        name = sheet.cell(r, 1).value
        if name is None or str(name).strip() == "":
            break  # the table ends at its first row without a name
        values = {}
        for heading, field, cast in COLUMNS:
            values[field] = (number(r, headings[heading], heading.lower(), cast)
                             if heading in headings else False)
        depth = []
        for m, c in depth_cols.items():
            cell = sheet.cell(r, c)
            if cell.value is None:
                continue
            d = number(r, c, f"the depth of {m}", float)
            if d is not None:
                depth.append((m, d))
        if any(v is None for v in values.values()):
            continue
        src = sheet.cell(r, headings[SOURCE_HEADING]).value if SOURCE_HEADING in headings \
            else ""
        later_p = 1.0
        if LATER_P_HEADING in headings and sheet.cell(r, headings[LATER_P_HEADING]).value \
                is not None:
            later_p = number(r, headings[LATER_P_HEADING], "the chance of later episodes",
                             float)
        later: tuple = ()
        if LATER_FROM_HEADING in headings:
            c = headings[LATER_FROM_HEADING]
            named = str(sheet.cell(r, c).value or "").strip()
            if named:
                found = next((x for x in inputs.scenarios if x.name == named), None)
                if found is None:
                    problems.append(f"{where}{SHEET}!{cell_name(r, c)}: no scenario '{named}' "
                                    "in the inputs to take later episodes from")
                else:
                    later = found.later_episodes
        if later_p is None:
            continue
        kinds.append(EpisodeKind(
            name=str(name).strip(), probability=values["probability"],
            earliest_month=values["earliest_month"], latest_month=values["latest_month"],
            duration_months=(values["duration_months.0"], values["duration_months.1"]),
            depth_by_material=tuple(depth),
            depth_scale=(values["depth_scale.0"], values["depth_scale.1"]),
            price_multiplier_during=(values["price_multiplier_during.0"],
                                     values["price_multiplier_during.1"]),
            price_multiplier_after=(values["price_multiplier_after.0"],
                                    values["price_multiplier_after.1"]),
            after_months=values["after_months"],
            hits_allied_probability=values["hits_allied_probability"],
            start_hazard_per_yr=values["start_hazard_per_yr"], source=str(src or ""),
            price_from_curve=values["price_from_curve"], later_episodes=later,
            later_probability=later_p))
        kind_rows.setdefault(kinds[-1].name, r)
    if problems:
        raise MonteCarloSheetError(problems)
    spec = MonteCarloSpec(kinds=tuple(kinds), project_failures=failures,
                          price_volatility_scale=volatility if volatility is not None else 1.0,
                          source=source)
    invalid = spec.validate(inputs)
    if invalid:
        def row_of(field: str) -> str:
            name = field.partition("(")[2].rpartition(")")[0]
            return f" row {kind_rows[name]}" if name in kind_rows else ""

        raise MonteCarloSheetError([f"{where}{SHEET}{row_of(p.field)}: {p}" for p in invalid])
    return spec
