"""Results workbook (.xlsx): what a solve produced, with the inputs it was solved from.

Sheets: Summary (the key figures a planner quotes, with units), Reserve (by material),
Fill schedule (purchases by month, with a chart), Floor decisions (floor, payouts,
projects brought online), Floor projects (the projects each floor brings online), Floor
appraisal (the best plan with each candidate level pinned), Scenario outcomes (releases and
unmet demand per scenario),
Monthly outcomes (stock, releases and unmet demand per scenario, material and month; at
most ``MAX_MONTHLY_ROWS`` rows, the sheet says when scenarios were left out),
Problems (limits in conflict, input problems), About (program version, date, solver status),
then, with a decision analysis (``sensitivity=``), its sheets (Tornado, Break-evens,
Frontiers, Size curves, Solved variants: :mod:`.sensitivity_workbook`), then the scenario
sheets of the inputs, so a results file is self-describing and can be loaded again as a
scenario. A result without a plan gets Summary, Problems, About and the
inputs. Money is expected and discounted to the plan start [$] unless a heading says
otherwise; quantities are tonnes of material [t].
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..model import PlanInputs
from ..optimize.result import PlanResult
from .atomic_save import atomic_write, save_workbook
from .scenario_layout import RESULTS_SHEETS, WORKBOOK_SCHEMA_VERSION
from .scenario_writer import add_scenario_sheets
from .workbook_problems import WorkbookSaveError, file_problem
from .xlsx_writing import (
    NOTE_FONT,
    SheetWriter,
    add_table,
    fit_columns,
    page_setup,
    write_header,
)
from .xlsx_writing import (
    finite_or_blank as _num,
)
from .xlsx_writing import (
    write_table as _table,
)

if TYPE_CHECKING:
    from .sensitivity_workbook import Analysis

(SUMMARY, RESERVE, FILL, FLOOR_DECISIONS, FLOOR_PROJECTS, FLOOR_APPRAISAL, SCENARIO_OUTCOMES,
 MONTHLY, PROBLEMS, ABOUT) = RESULTS_SHEETS

MAX_MONTHLY_ROWS = 200_000
"""Most rows written to Monthly outcomes: Excel holds 1,048,576 rows, and openpyxl needs
about 2.5 kB per row while building, so 200,000 rows keep the writer well under 1 GB. Whole
scenarios are written in order; the sheet says which were left out (every scenario's
totals are on Scenario outcomes)."""

USD = '"$"#,##0'
USD_KG = '"$"#,##0.00'
TONNES = "#,##0.0"
MONTH = "yyyy-mm"


def export_results_workbook(inputs: PlanInputs, result: PlanResult,
                            path: str | os.PathLike[str],
                            sensitivity: Analysis | None = None) -> None:
    """Write ``result`` (solved from ``inputs``) to ``path`` as a results workbook, atomically,
    with the sheets of ``sensitivity`` (a study or a tornado of the plan) when given.

    Works for results without a plan too: then the workbook holds the status, message,
    conflicting limits and input problems, and the inputs. Raises :class:`WorkbookSaveError`
    (a :class:`WorkbookError`) with a sentence when the file cannot be written; an existing
    file is then left untouched.
    """
    target = os.fspath(path)
    if not target.casefold().endswith(".xlsx"):
        raise WorkbookSaveError([file_problem(
            f"Could not save '{target}': a results workbook must have the extension .xlsx. "
            "Nothing was written.", target)])
    wb = build_results_workbook(inputs, result, sensitivity)
    atomic_write(target, lambda f: save_workbook(wb, f))


def build_results_workbook(inputs: PlanInputs, result: PlanResult,
                           sensitivity: Analysis | None = None) -> Workbook:
    """The results workbook for ``result`` as an openpyxl workbook (not yet saved); with
    ``sensitivity`` (a :class:`~reserve_planner.analysis.SensitivityStudy` or
    :class:`~reserve_planner.analysis.Tornado` of the plan) its sheets follow About."""
    wb = Workbook()
    wb.remove(wb.active)
    w = SheetWriter()
    _summary(wb.create_sheet(SUMMARY), inputs, result, w)
    if result.status.has_plan:
        _reserve(wb.create_sheet(RESERVE), result, w)
        _fill(wb.create_sheet(FILL), result, w)
        _floors(wb.create_sheet(FLOOR_DECISIONS), wb.create_sheet(FLOOR_PROJECTS),
                wb.create_sheet(FLOOR_APPRAISAL), result, w)
        _scenarios(wb.create_sheet(SCENARIO_OUTCOMES), result, w)
        _monthly(wb.create_sheet(MONTHLY), result, w)
    _problems(wb.create_sheet(PROBLEMS), result, w)
    _about(wb.create_sheet(ABOUT), inputs, result, w)
    if sensitivity is not None:
        from .sensitivity_workbook import add_sensitivity_sheets

        add_sensitivity_sheets(wb, sensitivity, result if result.status.has_plan else None, w)
    for ws in wb.worksheets:  # the results sheets: print what they hold, one page wide
        if not ws.print_area and ws.max_row > 0:
            ws.print_area = ws.dimensions
    add_scenario_sheets(wb, inputs, w, kind="results")
    if w.problems:
        raise WorkbookSaveError(w.problems)
    wb.properties.title = f"Results: {inputs.name}"[:255]
    wb.active = 0
    return wb




def _month(result: PlanResult, t: int) -> date:
    return date(result.start_year + t // 12, t % 12 + 1, 1)


def _month_text(result: PlanResult, months_to_fill: int) -> str:
    if months_to_fill <= 0:
        return "-"
    d = _month(result, months_to_fill - 1)
    return f"{d.year}-{d.month:02d}"




_SUMMARY_FORMATS = {USD: "#,##0", USD_KG: "#,##0.00"}
"""On Summary the unit has its own column, so the values carry no "$" (not "$5 $")."""


def _summary(ws: Worksheet, inputs: PlanInputs, result: PlanResult, w: SheetWriter) -> None:
    rows: list[tuple[str, object, str, str | None, str]] = [
        ("Plan", inputs.name, "", None, ""),
        ("Solver status", result.status.value, "", None, ""),
        ("Message", result.message, "", None, ""),
    ]
    if result.status.has_plan:
        for m in result.materials:
            rows.append((f"Reserve target: {m.material}", _num(m.reserve_target_t), "t",
                         TONNES, f"{m.days_of_import_cover:,.0f} days of net imports, "
                         f"filled by {_month_text(result, m.months_to_fill)}"))
        for m in result.materials:
            floor = m.floor.level_usd_per_kg if m.floor.has_floor else None
            rows.append((f"Price floor: {m.material}", _num(floor), "$/kg", USD_KG,
                         "no floor" if floor is None else
                         f"{len(m.floor.projects)} project(s) brought online"))
        payout = sum(m.floor.expected_payout_usd for m in result.materials)
        worst = sum(m.floor.worst_case_payout_usd for m in result.materials)
        outlay = sum(m.planned_outlay_usd for m in result.materials)
        rows += [
            ("Planned purchase outlay", _num(outlay), "$", USD, "undiscounted, normal prices"),
            ("Expected floor payouts", _num(payout), "$", USD, "discounted, net of upside"),
            ("Worst-case floor payouts", _num(worst), "$", USD,
             "prices at their 5% quantile, no project failures"),
            # per material: tonnes of oxide and of magnets do not add up
            *((f"Expected unmet demand with the plan: {m.material}",
               _num(m.expected_unmet_t), "t", TONNES, "over the horizon")
              for m in result.materials),
            *((f"Expected unmet demand in the status quo: {m.material}",
               _num(m.expected_unmet_without_plan_t), "t", TONNES,
               "existing commitments, no new reserve, no new floor")
              for m in result.materials),
            ("Expected shortage damage avoided", _num(result.expected_shortage_avoided_usd),
             "$", USD, ""),
            ("Benefit/cost ratio", _num(result.benefit_cost_ratio), "-", "0.0",
             "damage avoided against the status quo per dollar the plan adds"),
            ("Value of the stochastic solution", _num(result.vss_usd), "$", USD,
             "saving over planning for the average scenario"),
            ("Expected value of perfect information", _num(result.evpi_usd), "$", USD,
             "most it is worth paying to know the future in advance"),
            ("Cost of US tariffs to buyers", _num(result.tariff_cost_to_buyers_usd), "$", USD,
             ""),
            ("CVaR of scenario cost", _num(result.cvar_usd), "$", USD,
             f"mean of the worst {1 - inputs.policy.cvar_level:.0%} of outcomes (for "
             "information; the risk term uses the CVaR of shortage damage)"),
            ("Objective (expected cost + risk premium)", _num(result.objective_usd), "$", USD,
             ""),
        ]
        for label, value, unit, note in result.comparison_rows():
            rows.append((label, _num(value), unit if unit == "$" else "-",
                         USD if unit == "$" else "0.0", note))
        for m in result.materials:
            if m.near_optimal is not None:
                rows.append((f"Near-optimal reserve: {m.material}", m.near_optimal.label(), "t",
                             None, f"objective within {m.near_optimal.tolerance:.0%} of the "
                             "optimum"))
        if result.costs is not None:
            for label, usd in result.costs.items():
                rows.append((f"Cost: {label}", _num(usd), "$", USD, "expected, discounted"))
            rows.append(("Cost: total", _num(result.costs.total_usd), "$", USD, ""))
        for i, v in enumerate(result.budget_value_usd_per_usd):
            rows.append((f"Value of $1 more budget in {result.start_year + i}", _num(v),
                         "$/$", "0.00", "shadow price of the annual budget"))
    write_header(ws, w, 1, ["Figure", "Value", "Unit", "Note"])
    for r, (label, value, unit, fmt, text) in enumerate(rows, start=2):
        w.put(ws, r, 1, label)
        cell = w.put(ws, r, 2, value, _SUMMARY_FORMATS.get(fmt, fmt))  # unit in column C
        if isinstance(value, str):
            cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        elif value is None and fmt is not None:
            w.put(ws, r, 2, "n/a").alignment = Alignment(horizontal="right")
        w.put(ws, r, 3, unit)
        w.put(ws, r, 4, text).font = NOTE_FONT
    add_table(ws, "SummaryTable", 1, len(rows) + 1, 4)
    ws.freeze_panes = "A2"
    fit_columns(ws, widths={2: 40, 4: 50})
    page_setup(ws, landscape=False)


def _reserve(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    headers = ["Material", "Reserve target (t)", "Days of import cover (IEA)",
               "Net imports, previous year (t/yr)", "Filled by", "Months to fill",
               "Planned outlay ($)",
               "Net reserve cost ($)", "Expected unmet (t)", "Expected unmet, status quo (t)",
               "Value of release capacity ($/t-month)"]
    rows = [[m.material, _num(m.reserve_target_t), _num(m.days_of_import_cover),
             _num(m.net_imports_t_per_yr), _month_text(result, m.months_to_fill),
             m.months_to_fill, _num(m.planned_outlay_usd), _num(m.net_reserve_cost_usd),
             _num(m.expected_unmet_t), _num(m.expected_unmet_without_plan_t),
             _num(m.release_capacity_value_usd_per_t_month)] for m in result.materials]
    formats = [None, TONNES, "#,##0", TONNES, None, "0", USD, USD, TONNES, TONNES, USD_KG]
    _table(ws, w, "ReserveTable", 1, headers, rows, formats)
    if rows:
        chart = BarChart()
        chart.title = "Reserve target by material"
        chart.y_axis.title = "t"
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(rows) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        chart.legend = None
        ws.add_chart(chart, f"A{len(rows) + 4}")
    ws.freeze_panes = "B2"
    fit_columns(ws)
    page_setup(ws)


def _fill(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    names = [m.material for m in result.materials]
    headers = ["Month", "Plan month", *[f"{n} (t)" for n in names], "Total (t)"]
    rows = []
    for t in range(result.months):
        buys = [_num(m.fill_schedule_t[t]) if t < len(m.fill_schedule_t) else None
                for m in result.materials]
        rows.append([_month(result, t), t, *buys, sum(b or 0.0 for b in buys)])
    _table(ws, w, "FillScheduleTable", 1, headers, rows,
           [MONTH, "0", *[TONNES] * len(names), TONNES])
    if rows and names:
        chart = LineChart()
        chart.title = "Planned reserve purchases by month"
        chart.y_axis.title = "t/month"
        chart.x_axis.number_format = MONTH
        chart.add_data(Reference(ws, min_col=3, max_col=2 + len(names), min_row=1,
                                 max_row=len(rows) + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        chart.width, chart.height = 24, 10
        ws.add_chart(chart, f"{_col(len(headers) + 2)}2")
    ws.freeze_panes = "C2"
    fit_columns(ws)
    page_setup(ws)


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _floors(ws: Worksheet, ws_projects: Worksheet, ws_appraisal: Worksheet,
            result: PlanResult, w: SheetWriter) -> None:
    """Three sheets, one table each (their columns differ too much to share widths)."""
    headers = ["Material", "Floor ($/kg)", "Candidates ($/kg)", "Expected payout ($)",
               "Worst-case payout ($)", "Equity at risk ($)", "Expected equity loss ($)",
               "Expected added supply (t)", "Projects brought online"]
    rows = []
    for m in result.materials:
        f = m.floor
        rows.append([m.material, _num(f.level_usd_per_kg) if f.has_floor else "none",
                     ", ".join(f"{c:,.2f}" for c in f.candidates_usd_per_kg),
                     _num(f.expected_payout_usd), _num(f.worst_case_payout_usd),
                     _num(f.equity_at_risk_usd), _num(f.expected_equity_loss_usd),
                     _num(f.expected_added_supply_t),
                     ", ".join(p.name for p in f.projects) or "none"])
    _table(ws, w, "FloorsDecisionTable", 1, headers, rows,
           [None, USD_KG, None, USD, USD, USD, USD, TONNES, None])
    ws.freeze_panes = "B2"
    fit_columns(ws)
    page_setup(ws)
    projects = [[m.material, p.name, p.kind, _num(p.capacity_t_per_yr), p.first_output,
                 p.full_output, _num(p.failure_probability)]
                for m in result.materials for p in m.floor.projects]
    _table(ws_projects, w, "SupportedProjectsTable", 1,
           ["Material", "Project", "Kind", "Capacity (t/yr)", "First output", "Full output",
            "Failure probability"], projects,
           [None, None, None, TONNES, None, None, "0.0%"])
    ws_projects.freeze_panes = "C2"
    fit_columns(ws_projects)
    page_setup(ws_projects)
    appraisal = [[m.material, _num(o.level_usd_per_kg) if o.level_usd_per_kg else "none",
                  "yes" if o.level_usd_per_kg == m.floor.level_usd_per_kg else "",
                  ", ".join(o.projects) or "none", _num(o.expected_payout_usd),
                  _num(o.objective_change_usd)]
                 for m in result.materials for o in m.floor.appraisal]
    after = _table(ws_appraisal, w, "FloorAppraisalTable", 1,
                   ["Material", "Level ($/kg)", "Chosen", "Projects brought online",
                    "Expected payout ($)", "Extra cost over the best plan ($)"],
                   appraisal or [["not appraised", None, "", "", None, None]],
                   [None, USD_KG, None, None, USD, USD])
    w.put(ws_appraisal, after + 1, 1, "The best plan with each floor level pinned; the extra "
          "cost is what choosing that level instead costs in expectation.").font = NOTE_FONT
    ws_appraisal.freeze_panes = "B2"
    fit_columns(ws_appraisal, widths={1: 16})
    page_setup(ws_appraisal)


def _scenarios(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    # All materials together in dollars (tonnes of different materials do not add up);
    # each material's tonnes are in the table below.
    sq = result.status_quo.scenario_shortage_usd if result.status_quo is not None else ()
    headers = ["Scenario", "Probability", "Discounted cost ($)", "Shortage damage ($)",
               "Shortage damage without plan ($)"]
    rows = [[s.name, _num(s.probability), _num(s.loss_usd), _num(s.shortage_usd),
             _num(sq[k]) if k < len(sq) else None]
            for k, s in enumerate(result.scenarios)]
    after = _table(ws, w, "ScenarioOutcomesTable", 1, headers, rows,
                   [None, "0.0%", USD, USD, USD])
    if rows:
        chart = BarChart()
        chart.title = "Shortage damage by scenario, with and without the plan"
        chart.y_axis.title = "$"
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=1, max_row=len(rows) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        chart.width, chart.height = 24, 10
        ws.add_chart(chart, f"{_col(len(headers) + 2)}2")
    detail = []
    for s in result.scenarios:
        for i, name in enumerate(result.material_names):
            detail.append([s.name, name, _num(s.releases_t[i].sum()), _num(s.unmet_t[i].sum()),
                           _num(s.unmet_without_plan_t[i].sum()), _total(s.refill_t, i),
                           _total(s.spot_t, i)])
    top = after + 2
    w.put(ws, top - 1, 1, "By scenario and material").font = NOTE_FONT
    _table(ws, w, "ScenarioMaterialTable", top,
           ["Scenario", "Material", "Releases (t)", "Unmet demand (t)",
            "Unmet without plan (t)", "Refills after the disruption began (t)",
            "Emergency spot purchases (t)"], detail,
           [None, None, TONNES, TONNES, TONNES, TONNES, TONNES])
    _own_purchases(ws, w, result, top + len(detail) + 3)
    ws.freeze_panes = "B2"
    fit_columns(ws)
    page_setup(ws)


def _total(path, i: int) -> float | None:
    """Sum over the horizon of row ``i`` of an optional (M, T) path [t]; 0 when absent."""
    return 0.0 if path is None else _num(path[i].sum())


def _own_purchases(ws: Worksheet, w: SheetWriter, result: PlanResult, top: int) -> None:
    """The months in which a scenario bought on its own — refills after its first episode
    began, emergency spot purchases — one row per scenario, material and month with either
    (they are few, so listed apart rather than as mostly-empty columns of the monthly
    sheet)."""
    rows = []
    for s in result.scenarios:
        refill = s.refill_t if s.refill_t is not None else np.zeros_like(s.releases_t)
        spot = s.spot_t if s.spot_t is not None else np.zeros_like(s.releases_t)
        for i, t in zip(*np.nonzero((refill > 1e-9) | (spot > 1e-9)), strict=True):
            rows.append([s.name, result.material_names[i], _month(result, int(t)),
                         _num(refill[i, t]), _num(spot[i, t])])
    w.put(ws, top - 1, 1, "Refills and spot purchases by month (months with either)"
          ).font = NOTE_FONT
    _table(ws, w, "OwnPurchasesTable", top,
           ["Scenario", "Material", "Month", "Refill (t)", "Spot purchase (t)"],
           rows or [["none", "", None, None, None]], [None, None, MONTH, TONNES, TONNES])


def _monthly(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    headers = ["Scenario", "Material", "Month", "Stock at start (t)", "Release (t)",
               "Unmet demand (t)", "Unmet without plan (t)"]
    formats = [None, None, MONTH, TONNES, TONNES, TONNES, TONNES]
    write_header(ws, w, 1, headers)
    r = 2
    per_scenario = max(1, len(result.material_names) * result.months)
    fit = max(1, MAX_MONTHLY_ROWS // per_scenario)
    if len(result.scenarios) > fit:
        left_out = len(result.scenarios) - fit
        w.put(ws, 1, len(headers) + 2, f"Only the first {fit:,} of {len(result.scenarios):,} "
              f"scenarios are listed here ({fit * per_scenario:,} rows; {left_out:,} scenarios "
              f"left out to keep the file at most {MAX_MONTHLY_ROWS:,} rows on this sheet). "
              "Every scenario's totals are on the Scenario outcomes sheet.").font = NOTE_FONT
    for s in result.scenarios[:fit]:
        for i, name in enumerate(result.material_names):
            for t in range(result.months):
                values = [s.name, name, _month(result, t), _num(s.stock_t[i, t]),
                          _num(s.releases_t[i, t]), _num(s.unmet_t[i, t]),
                          _num(s.unmet_without_plan_t[i, t])]
                for c, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
                    w.put(ws, r, c, value, fmt)
                r += 1
    add_table(ws, "MonthlyOutcomesTable", 1, r - 1, len(headers))
    ws.freeze_panes = "D2"
    for c, width in enumerate([36, 16, 10, 18, 14, 18, 22], start=1):
        ws.column_dimensions[_col(c)].width = width
    page_setup(ws)


def _problems(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    rows = [[c.group, c.where, _num(c.shortfall), c.unit, c.sentence]
            for c in result.conflicts]
    after = _table(ws, w, "ConflictsTable", 1,
                   ["Limit in conflict", "Where", "Shortfall", "Unit", "Explanation"],
                   rows or [["none", "", None, "", ""]], [None, None, "#,##0.0", None, None])
    top = after + 2
    w.put(ws, top - 1, 1, "Problems with the inputs").font = NOTE_FONT
    _table(ws, w, "InputProblemsTable", top, ["Problem"],
           [[p] for p in result.problems] or [["none"]], [None])
    fit_columns(ws, widths={1: 60, 5: 80})
    page_setup(ws)


def _about(ws: Worksheet, inputs: PlanInputs, result: PlanResult, w: SheetWriter) -> None:
    rows: list[tuple[str, object, str | None]] = [
        ("Program", "Reserve Planner", None),
        ("Program version", __version__, None),
        ("Date", datetime.now().astimezone().isoformat(timespec="seconds"), None),
        ("Plan", inputs.name, None),
        ("Solver status", result.status.value, None),
        ("Message", result.message, None),
        ("Start year", result.start_year or inputs.policy.start_year, "0"),
        ("Horizon (months)", result.months or inputs.policy.horizon_months, "0"),
        ("Solve time (s)", _num(result.solve_time_s), "0.000"),
        ("Model build time (s)", _num(result.build_time_s), "0.000"),
        ("HiGHS time (s)", _num(result.highs_time_s), "0.000"),
        ("Variables", result.n_variables, "#,##0"),
        ("Constraints", result.n_constraints, "#,##0"),
        ("Binary variables", result.n_binaries, "#,##0"),
        ("Scenario schema version", WORKBOOK_SCHEMA_VERSION, "0"),
        ("Inputs", "the scenario sheets after this one (Settings to Metadata) hold the inputs "
         "this was solved from; load this file as a scenario to solve it again", None),
    ]
    write_header(ws, w, 1, ["Item", "Value"])
    for r, (key, value, fmt) in enumerate(rows, start=2):
        w.put(ws, r, 1, key)
        w.put(ws, r, 2, value, fmt).alignment = Alignment(horizontal="left", wrap_text=True,
                                                          vertical="top")
    add_table(ws, "AboutTable", 1, len(rows) + 1, 2)
    fit_columns(ws, widths={2: 70})
    page_setup(ws, landscape=False)
