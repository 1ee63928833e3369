"""A Monte Carlo test of a plan as a results-workbook sheet ("Monte Carlo test").

:func:`export_montecarlo_workbook` writes the plan's results workbook
(:func:`~.results_workbook.build_results_workbook`) with the sheet after About: the run
(paths, seed, time), the distributions of total cost, fiscal outlay and shortage damage
(plan, status quo, plan minus status quo), each material's shortfall (plan, status quo,
avoided) and the probability its reserve runs out, the in-sample against out-of-sample
gap of a plan optimised on a sample, and the episode kinds the paths were drawn from with
their sources. Money is discounted to the plan start [$]; shortfalls are tonnes of each
material over the horizon [t], never added across materials.
"""

from __future__ import annotations

import math
import os

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..analysis.montecarlo import Distribution, MonteCarloResult
from ..model import PlanInputs
from ..optimize.result import PlanResult
from .atomic_save import atomic_write, save_workbook
from .results_workbook import ABOUT, build_results_workbook
from .scenario_layout import MONTE_CARLO_RESULTS_SHEET
from .workbook_problems import WorkbookSaveError, file_problem
from .xlsx_writing import NOTE_FONT, SheetWriter, add_table, fit_columns, page_setup, write_header

MONTE_CARLO = MONTE_CARLO_RESULTS_SHEET  # the inputs' distributions sheet is "Monte Carlo"
USD = '"$"#,##0'
TONNES = "#,##0.0"
SHARE = "0.0%"
STATS = ("expected", "std_error", "p5", "p50", "p95", "worst")
STAT_HEADINGS = ("Expected", "Standard error", "5th percentile", "Median", "95th percentile",
                 "Worst")


def export_montecarlo_workbook(inputs: PlanInputs, result: PlanResult, mc: MonteCarloResult,
                               path: str | os.PathLike[str]) -> None:
    """Write the results workbook of ``result`` with the Monte Carlo sheet to ``path``,
    atomically. Raises :class:`WorkbookSaveError` with a sentence when it cannot be written
    (an existing file is then left untouched)."""
    target = os.fspath(path)
    if not target.casefold().endswith(".xlsx"):
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': a results workbook must have the extension .xlsx. "
            "Nothing was written.", target)])
    wb = build_results_workbook(inputs, result)
    w = SheetWriter()
    add_montecarlo_sheet(wb, mc, w)
    if w.problems:
        raise WorkbookSaveError(w.problems)
    atomic_write(target, lambda f: save_workbook(wb, f))


def add_montecarlo_sheet(wb: Workbook, mc: MonteCarloResult, w: SheetWriter) -> Worksheet:
    """Insert the Monte Carlo sheet after About (or at the end) and return it."""
    index = wb.sheetnames.index(ABOUT) + 1 if ABOUT in wb.sheetnames else len(wb.sheetnames)
    ws = wb.create_sheet(MONTE_CARLO, index)
    row = _run(ws, mc, w)
    row = _money(ws, mc, w, row + 1)
    row = _shortfalls(ws, mc, w, row + 1)
    row = _gap(ws, mc, w, row + 1)
    _kinds(ws, mc, w, row + 1)
    ws.freeze_panes = "A2"
    fit_columns(ws, widths={1: 34, 2: 22})
    page_setup(ws)
    return ws


def _finite(value: float) -> float | None:
    """``value``, or None (a blank cell) for NaN."""
    return None if math.isnan(value) else value


def _stat_cells(ws: Worksheet, w: SheetWriter, row: int, col: int, d: Distribution,
                fmt: str) -> None:
    for i, name in enumerate(STATS):
        w.put(ws, row, col + i, float(getattr(d, name)), fmt)


def _run(ws: Worksheet, mc: MonteCarloResult, w: SheetWriter) -> int:
    write_header(ws, w, 1, ["Monte Carlo test of the plan", "Value"])
    rows = [("Scenario", mc.inputs_name), ("Paths played", mc.runs),
            ("Paths asked for", mc.requested_runs), ("Seed", mc.seed),
            ("Share of calm paths", float((mc.kind < 0).mean()) if mc.runs else None),
            ("P(plan costs more than the status quo)", mc.probability_plan_costs_more()),
            ("P(a reserve runs out)", _finite(mc.probability_runs_out())),
            ("Time [s]", round(mc.elapsed_s, 2))]
    for r, (label, value) in enumerate(rows, start=2):
        w.put(ws, r, 1, label)
        fmt = SHARE if label.startswith(("P(", "Share")) else None
        w.put(ws, r, 2, value, fmt)
    r = len(rows) + 2
    for text in mc.notes:
        w.put(ws, r, 1, text).font = NOTE_FONT
        r += 1
    return r


def _money(ws: Worksheet, mc: MonteCarloResult, w: SheetWriter, top: int) -> int:
    headers = ["Quantity [$]", "Case", *STAT_HEADINGS]
    write_header(ws, w, top, headers)
    rows = [("Total cost", "plan", mc.cost()), ("Total cost", "status quo", mc.cost(False)),
            ("Total cost", "plan minus status quo", mc.cost_difference()),
            ("Fiscal outlay", "plan", mc.outlay()),
            ("Fiscal outlay", "status quo", mc.outlay(False)),
            ("Shortage damage", "plan", mc.shortage_damage()),
            ("Shortage damage", "status quo", mc.shortage_damage(False))]
    for i, (label, case, d) in enumerate(rows, start=top + 1):
        w.put(ws, i, 1, label)
        w.put(ws, i, 2, case)
        _stat_cells(ws, w, i, 3, d, USD)
    last = top + len(rows)
    add_table(ws, "MonteCarloMoney", top, last, len(headers))
    w.put(ws, last + 1, 1, "Discounted to the plan start. Fiscal outlay: purchases, storage "
          "and floor payouts (new and contracted), before sales of released stock and "
          "salvage.").font = NOTE_FONT
    return last + 2


def _shortfalls(ws: Worksheet, mc: MonteCarloResult, w: SheetWriter, top: int) -> int:
    headers = ["Material: shortfall over the horizon [t]", "Case", *STAT_HEADINGS,
               "P(reserve runs out)"]
    write_header(ws, w, top, headers)
    r = top
    for m in mc.material_names:
        for case, d in (("plan", mc.shortfall(m)), ("status quo", mc.shortfall(m, False)),
                        ("avoided", mc.shortfall_avoided(m))):
            r += 1
            w.put(ws, r, 1, m)
            w.put(ws, r, 2, case)
            _stat_cells(ws, w, r, 3, d, TONNES)
            if case == "plan":
                p_out = mc.probability_runs_out(m)
                w.put(ws, r, 9, "no reserve held" if math.isnan(p_out) else p_out, SHARE)
    add_table(ws, "MonteCarloShortfall", top, r, len(headers))
    w.put(ws, r + 1, 1, "Tonnes of each material; materials are never added together. The "
          "reserve runs out in a path when it is empty in a month with demand "
          "unmet.").font = NOTE_FONT
    return r + 2


def _gap(ws: Worksheet, mc: MonteCarloResult, w: SheetWriter, top: int) -> int:
    g = mc.sample_gap
    if g is None:
        return top - 1
    write_header(ws, w, top, ["Sample-average approximation", "Value"])
    rows = [("Paths in the optimisation's sample", g.sample_paths, None),
            ("Sample seed", g.sample_seed, None),
            ("Expected cost in sample [$]", g.in_sample_usd, USD),
            ("Expected cost out of sample [$]", g.out_of_sample_usd, USD),
            ("Its standard error [$]", g.std_error_usd, USD),
            ("Standard error in sample [$]", g.in_sample_std_error_usd, USD),
            ("Gap, out minus in [$]", g.gap_usd, USD),
            ("Standard error of the gap [$]", g.combined_std_error_usd, USD)]
    for i, (label, value, fmt) in enumerate(rows, start=top + 1):
        w.put(ws, i, 1, label)
        w.put(ws, i, 2, value, fmt)
    return top + len(rows) + 1


def _kinds(ws: Worksheet, mc: MonteCarloResult, w: SheetWriter, top: int) -> int:
    headers = ["Episode kind", "Probability", "Start window [months]", "Hazard [1/yr]",
               "Duration [months]", "Depth factor", "Price x during", "Price x after",
               "After [months]", "P(allied hit)", "Source"]
    write_header(ws, w, top, headers)
    r = top
    for k in mc.spec.kinds:
        r += 1
        values = [k.name, k.probability, f"{k.earliest_month}-{k.latest_month}",
                  k.start_hazard_per_yr, "{}-{}".format(*k.duration_months),
                  "{:g}-{:g}".format(*k.depth_scale),
                  "{:g}-{:g}".format(*k.price_multiplier_during),
                  "{:g}-{:g}".format(*k.price_multiplier_after), k.after_months,
                  k.hits_allied_probability, k.source]
        for c, v in enumerate(values, start=1):
            w.put(ws, r, c, v, SHARE if c in (2, 10) else None)
    add_table(ws, "MonteCarloKinds", top, r, len(headers))
    w.put(ws, r + 1, 1, mc.spec.source).font = NOTE_FONT
    return r + 2
