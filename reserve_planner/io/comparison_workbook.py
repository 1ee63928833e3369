"""A comparison of plans as a results workbook (.xlsx).

Sheets: Plans (name, source file, scenario name, solver status), Inputs that differ (one
row per input: label, path, unit, each plan's value and source), Results (the headline
figures of each plan and each later plan's difference against plan 1), Decisions (one row
per material and plan: reserve, its change, days of cover, floor, the projects it brings
online, the near-optimal range, expected unmet demand with the plan and in the status quo)
and About. Money is expected and discounted to the plan
start [$]; quantities are tonnes of material [t]. Written atomically, like the results
workbook (:mod:`.results_workbook`).
"""

from __future__ import annotations

import json
import math
import os
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..analysis.compare import MISSING, Comparison
from .atomic_save import atomic_write, save_workbook
from .variants_sheet import layout_field
from .workbook_problems import WorkbookSaveError, file_problem
from .xlsx_writing import (
    FONT_NAME,
    NOTE_FONT,
    SheetWriter,
    add_table,
    fit_columns,
    page_setup,
    write_header,
)

PLANS, INPUTS, RESULTS, DECISIONS, ABOUT = ("Plans", "Inputs that differ", "Results",
                                            "Decisions", "About")
COMPARISON_SHEETS = (PLANS, INPUTS, RESULTS, DECISIONS, ABOUT)

USD = '"$"#,##0'
USD_KG = '"$"#,##0.00'
TONNES = "#,##0.0"
_FORMATS = {"$": USD, "t": TONNES, "x": "0.00", "$/kg": USD_KG}


def export_comparison_workbook(comparison: Comparison, path: str | os.PathLike[str]) -> None:
    """Write ``comparison`` to ``path`` as a workbook, atomically (a failure leaves an
    existing file untouched). Raises :class:`WorkbookSaveError` with a sentence when the
    file cannot be written."""
    target = os.fspath(path)
    if not target.casefold().endswith(".xlsx"):
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': a comparison workbook must have the extension "
            ".xlsx. Nothing was written.", target)])
    wb = build_comparison_workbook(comparison)
    atomic_write(target, lambda f: save_workbook(wb, f))


def build_comparison_workbook(comparison: Comparison) -> Workbook:
    """The comparison as an openpyxl workbook (not yet saved)."""
    wb = Workbook()
    wb.remove(wb.active)
    w = SheetWriter()
    _plans(wb.create_sheet(PLANS), comparison, w)
    _inputs(wb.create_sheet(INPUTS), comparison, w)
    _results(wb.create_sheet(RESULTS), comparison, w)
    _decisions(wb.create_sheet(DECISIONS), comparison, w)
    _about(wb.create_sheet(ABOUT), comparison, w)
    if w.problems:
        raise WorkbookSaveError(w.problems)
    wb.properties.creator = f"Reserve Planner {__version__}"
    wb.properties.title = f"Comparison of {len(comparison.plans)} plans"[:255]
    wb.active = 0
    return wb


def _finish(ws: Worksheet, name: str, n_rows: int, n_cols: int, freeze: str,
            widths: dict[int, float] | None = None) -> None:
    add_table(ws, name, 1, 1 + n_rows, n_cols)
    ws.freeze_panes = freeze
    fit_columns(ws, widths=widths)
    page_setup(ws)


def _plans(ws: Worksheet, c: Comparison, w: SheetWriter) -> None:
    headers = ["#", "Plan", "Source file", "Scenario", "Solver status", "Message",
               "Start year", "Horizon (months)"]
    write_header(ws, w, 1, headers, ["Plan number; differences are against plan 1."])
    for r, p in enumerate(c.plans, start=2):
        pol = p.inputs.policy
        for col, value in enumerate((r - 1, p.name, p.source, p.scenario_name,
                                     p.result.status.value, p.result.message,
                                     pol.start_year, pol.horizon_months), start=1):
            w.put(ws, r, col, value)
    _finish(ws, "PlansTable", len(c.plans), len(headers), "C2", {6: 50})


def _cell_value(value: object) -> object:
    if value is MISSING:
        return "(none)"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _source_text(source) -> str:
    return source.label() if source is not None else ""


def _inputs(ws: Worksheet, c: Comparison, w: SheetWriter) -> None:
    names = c.names
    headers = ["Input", "Path", "Unit", *names, *(f"Source: {n}" for n in names)]
    write_header(ws, w, 1, headers, ["The input in words.", "Where it is: table/row/field "
                                     "as on a scenario workbook's Sources sheet.",
                                     "Unit; % for a share (0.3 shows as 30%)."])
    for r, d in enumerate(c.inputs, start=2):
        fld = layout_field(d.path)
        w.put(ws, r, 1, d.label)
        w.put(ws, r, 2, d.path).font = NOTE_FONT
        w.put(ws, r, 3, "%" if d.unit == "0-1" else d.unit)
        for i, (v, s) in enumerate(zip(d.values, d.sources, strict=True)):
            structured = isinstance(v, list | dict)
            fmt = fld.number_format if fld is not None and not structured else None
            cell = w.put(ws, r, 4 + i, _cell_value(v), fmt)
            if i > 0 and d.differs_from_first(i):
                cell.font = Font(name=FONT_NAME, bold=True)
            src = w.put(ws, r, 4 + len(names) + i, _source_text(s))
            src.font = NOTE_FONT
            src.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {1: 34, 2: 30, **{4 + len(names) + i: 50 for i in range(len(names))}}
    _finish(ws, "InputsTable", len(c.inputs), len(headers), "D2", widths)


def _num(v: float) -> float | None:
    return v if math.isfinite(v) else None


def _results(ws: Worksheet, c: Comparison, w: SheetWriter) -> None:
    names = c.names
    headers = ["Figure", "Unit", "Note", names[0]]
    for n in names[1:]:
        headers += [n, f"{n} - {names[0]}"]
    write_header(ws, w, 1, headers, ["", "$: expected and discounted to the plan start; "
                                     "t: tonnes of material; x: a ratio."])
    for r, row in enumerate(c.figures, start=2):
        fmt = _FORMATS.get(row.unit)
        w.put(ws, r, 1, row.label)
        w.put(ws, r, 2, row.unit)
        w.put(ws, r, 3, row.note).font = NOTE_FONT
        w.put(ws, r, 4, _num(row.values[0]), fmt)
        for i in range(1, len(names)):
            w.put(ws, r, 3 + 2 * i, _num(row.values[i]), fmt)
            w.put(ws, r, 4 + 2 * i, _num(row.differences[i]), fmt)
    _finish(ws, "ResultsTable", len(c.figures), len(headers), "D2", {1: 44, 3: 40})


def _decisions(ws: Worksheet, c: Comparison, w: SheetWriter) -> None:
    headers = ["Material", "Plan", "Reserve (t)", "Change vs plan 1 (t)", "Days of cover",
               "Floor", "Floor level ($/kg)", "Projects the floor brings online",
               "Near-optimal low (t)", "Near-optimal high (t)", "Expected unmet demand (t)",
               "Expected unmet demand, status quo (t)"]
    write_header(ws, w, 1, headers)
    r = 2
    for md in c.decisions:
        for p, d, dr in zip(c.plans, md.plans, md.reserve_differences_t, strict=True):
            w.put(ws, r, 1, md.material)
            w.put(ws, r, 2, p.name)
            if d is None:
                w.put(ws, r, 3, "no plan")
            else:
                values = (d.reserve_t, _num(dr), _num(d.days_of_cover),
                          "yes" if d.has_floor else "no", d.floor_usd_per_kg,
                          ", ".join(d.floor_projects), _num(d.near_optimal_low_t),
                          _num(d.near_optimal_high_t), _num(d.expected_unmet_t),
                          _num(d.expected_unmet_without_plan_t))
                formats = (TONNES, TONNES, "0", None, USD_KG, None, TONNES, TONNES, TONNES,
                           TONNES)
                for col, (v, fmt) in enumerate(zip(values, formats, strict=True), start=3):
                    w.put(ws, r, col, v, fmt)
            r += 1
    _finish(ws, "DecisionsTable", r - 2, len(headers), "C2", {8: 50})


def _about(ws: Worksheet, c: Comparison, w: SheetWriter) -> None:
    rows = [("Program", f"Reserve Planner {__version__}"),
            ("Written", datetime.now().astimezone().isoformat(timespec="seconds")),
            ("Plans", len(c.plans)), ("Differences against", c.plans[0].name),
            ("Inputs that differ", len(c.inputs)),
            ("Money", "expected and discounted to the plan start [$]"),
            ("Status quo", "each plan's own: existing commitments, no new reserve, no new "
                           "floor, under that plan's inputs")]
    write_header(ws, w, 1, ("Key", "Value"))
    for r, (k, v) in enumerate(rows, start=2):
        w.put(ws, r, 1, k)
        w.put(ws, r, 2, v).alignment = Alignment(horizontal="left")
    _finish(ws, "AboutTable", len(rows), 2, "A2", {2: 70})
