"""The decision analysis of a plan as results-workbook sheets, so it can be read and redone.

Sheets (:data:`ANALYSIS_SHEETS`), added by :func:`add_sensitivity_sheets`
to a results workbook (:func:`~.results_workbook.build_results_workbook` with
``sensitivity=``):

* **Tornado**: one row per input group, largest swing of the objective first: the low,
  base and high value, the objective, net benefit, expected cost, CVaR and each material's
  reserve at both ends, and the decisions that flip; the base plan's figures below.
* **Break-evens** (a study only): one row per decision and input group: the value at which
  the decision changes below and above the base, and the finding in words.
* **Frontiers** (a study only): the plans along the risk weight and the annual budget, the
  chosen one marked.
* **Size curves**: the plan's near-optimal reserve ranges and every (reserve, objective)
  point evaluated (``MaterialPlan.near_optimal``).
* **Solved variants**: every variant solved, one row per changed input (field path, base value,
  value, and the value as JSON), so
  :func:`~reserve_planner.analysis.sweep.apply_changes` on the inputs of the workbook
  (its scenario sheets) rebuilds each variant exactly.

Money is expected and discounted to the plan start [$]; reserves in tonnes [t].
"""

from __future__ import annotations

import json
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..analysis.frontier import Frontier
from ..analysis.sensitivity import Tornado
from ..analysis.study import SensitivityStudy
from ..optimize.result import PlanResult
from .scenario_layout import ANALYSIS_SHEETS, MAX_TEXT_CHARS
from .xlsx_writing import (
    NOTE_FONT,
    SheetWriter,
    fit_columns,
    page_setup,
)
from .xlsx_writing import (
    finite_or_blank as _num,
)
from .xlsx_writing import (
    write_table as _table,
)

# The sheets, in order (after the results sheets, before the scenario sheets).
TORNADO, BREAKEVENS, FRONTIERS, SIZE_CURVES, VARIANTS = ANALYSIS_SHEETS

USD = '"$"#,##0'
TONNES = "#,##0.0"
VALUE = "0.0####"

#: Money figures of a tornado bar, as (Outcome metric, heading) [$].
TORNADO_METRICS = (("objective_usd", "Objective"), ("net_benefit_usd", "Net benefit"),
                   ("expected_cost_usd", "Expected cost"), ("cvar_usd", "CVaR of shortage"))

#: Columns of a frontier point, as (Outcome metric, heading, number format). Dollars only:
#: the outcome's tonnes add oxide and magnets together, which means nothing.
FRONTIER_METRICS = (("expected_cost_usd", "Expected cost ($)", USD),
                    ("cvar_usd", "CVaR of shortage damage ($)", USD),
                    ("objective_usd", "Objective ($)", USD),
                    ("shortage_avoided_usd", "Shortage damage avoided ($)", USD),
                    ("net_benefit_usd", "Net benefit ($)", USD))

Analysis = SensitivityStudy | Tornado






def _value_format(unit: str) -> str:
    return {"$/yr": USD, "share": "0.0%", "1/yr": "0.00%"}.get(unit, VALUE)


def tornado_rows(t: Tornado) -> tuple[list[str], list[list[Any]], list[str | None]]:
    """Headings, rows (one per bar, largest objective swing first) and number formats of
    the Tornado sheet."""
    mats = list(t.materials)
    headers = ["Rank", "Input group", "Key", "Unit", "Range rule", "Low value", "Base value",
               "High value"]
    formats: list[str | None] = ["0", None, None, None, None, None, None, None]
    for _, head in TORNADO_METRICS:
        headers += [f"{head} at low ($)", f"{head} at high ($)"]
        formats += [USD, USD]
    headers.append("Swing of the objective ($)")
    formats.append(USD)
    for m in mats:
        headers += [f"{m} reserve at low (t)", f"{m} reserve at high (t)"]
        formats += [TONNES, TONNES]
    headers += ["Status at low", "Status at high", "Decisions that flip"]
    formats += [None, None, None]
    rows = []
    for rank, b in enumerate(t.ranked(), start=1):
        row: list[Any] = [rank, b.label, b.key, b.group.unit, b.range_rule, _num(b.low_value),
                          _num(b.base_value), _num(b.high_value)]
        for metric, _ in TORNADO_METRICS:
            row += [_num(b.low.metric(metric)), _num(b.high.metric(metric))]
        row.append(_num(b.swing()))
        for m in mats:
            row += [_num(b.low.metric(f"reserve_t:{m}")), _num(b.high.metric(f"reserve_t:{m}"))]
        row += [b.low.status, b.high.status,
                "; ".join(f.sentence(b.label) for f in b.flips) or "none"]
        rows.append(row)
    return headers, rows, formats


def _tornado(ws: Worksheet, t: Tornado, w: SheetWriter) -> None:
    headers, rows, formats = tornado_rows(t)
    after = _table(ws, w, "TornadoTable", 1, headers, rows, formats)
    for r, b in enumerate(t.ranked(), start=2):  # each value in its group's own format
        for c in (6, 7, 8):
            ws.cell(r, c).number_format = _value_format(b.group.unit)
    top = after + 2
    w.put(ws, top - 1, 1, "The base plan (every input group at its base value)").font = NOTE_FONT
    base = [[head, _num(t.base.metric(metric)), "$"] for metric, head in TORNADO_METRICS]
    base += [[f"{m} reserve", _num(t.base.reserve_t.get(m)), "t"] for m in t.materials]
    base.append(["Status", t.base.status, ""])
    _table(ws, w, "TornadoBaseTable", top, ["Figure", "Value", "Unit"], base,
           [None, '#,##0.0', None])
    ws.freeze_panes = "C2"
    fit_columns(ws, widths={2: 28})
    page_setup(ws)


def breakeven_rows(study: SensitivityStudy) -> list[list[Any]]:
    """Rows of the Break-evens sheet, one per decision and input group, in the study's
    order."""
    rows = []
    for b in study.breakevens.results:
        rows.append([b.material, b.kind, b.base_text, b.label, b.group, b.unit,
                     _num(b.base_value), _num(b.search_low), _num(b.search_high),
                     _num(b.below.value) if b.below else None,
                     b.below.text if b.below else "no change",
                     _num(b.above.value) if b.above else None,
                     b.above.text if b.above else "no change", b.sentence()])
    return rows


BREAKEVEN_HEADERS = ["Material", "Decision", "Base decision", "Input group", "Key", "Unit",
                     "Base value", "Searched from", "Searched to", "Break-even below",
                     "Decision below it", "Break-even above", "Decision above it", "Finding"]


def _breakevens(ws: Worksheet, study: SensitivityStudy, w: SheetWriter) -> None:
    after = _table(ws, w, "BreakevensTable", 1, BREAKEVEN_HEADERS, breakeven_rows(study),
                   [None, None, None, None, None, None, VALUE, VALUE, VALUE, VALUE, None,
                    VALUE, None, None])
    w.put(ws, after + 1, 1, "Values are in the input group's unit (x base: a multiple of the "
          "base inputs). A blank break-even: the decision does not change on that side "
          "within the searched range.").font = NOTE_FONT
    ws.freeze_panes = "B2"
    fit_columns(ws, widths={3: 40, 14: 80})
    page_setup(ws)


def frontier_rows(f: Frontier, materials: list[str]) -> tuple[list[str], list[list[Any]],
                                                                list[str | None]]:
    """Headings, rows (one per point, by increasing setting) and formats of a frontier."""
    first = ("Risk weight (-)", "0.00") if f.kind == "risk" else ("Annual budget ($/yr)", USD)
    headers = [first[0], "Chosen", "Status", *[h for _, h, _ in FRONTIER_METRICS],
               *[f"{m} reserve (t)" for m in materials]]
    formats = [first[1], None, None, *[fmt for _, _, fmt in FRONTIER_METRICS],
               *[TONNES] * len(materials)]
    rows = []
    for p in f.points:
        o = p.outcome
        rows.append([_num(p.value), "yes" if p.chosen else "", o.status,
                     *[_num(o.metric(m)) for m, _, _ in FRONTIER_METRICS],
                     *[_num(o.reserve_t.get(m)) for m in materials]])
    return headers, rows, formats


def _frontiers(ws: Worksheet, study: SensitivityStudy, w: SheetWriter) -> None:
    mats = list(study.tornado.materials)
    w.put(ws, 1, 1, "Risk frontier: the optimal plan at each risk weight (the weight on the "
          "CVaR of shortage damage in the objective)").font = NOTE_FONT
    headers, rows, formats = frontier_rows(study.risk_frontier, mats)
    after = _table(ws, w, "RiskFrontierTable", 2, headers, rows, formats)
    w.put(ws, after + 1, 1, "Budget frontier: the optimal plan at each annual budget for "
          "reserve purchases").font = NOTE_FONT
    headers, rows, formats = frontier_rows(study.budget_frontier, mats)
    _table(ws, w, "BudgetFrontierTable", after + 2, headers, rows, formats)
    ws.freeze_panes = "A3"
    fit_columns(ws, header_row=2, widths={1: 20})
    page_setup(ws)


def _size_curves(ws: Worksheet, result: PlanResult, w: SheetWriter) -> None:
    curves = [m.near_optimal for m in result.materials if m.near_optimal is not None]
    summary = [[c.material, _num(c.optimum_t), _num(c.low_t), _num(c.high_t),
                "yes" if c.high_is_limit else "no", _num(c.tolerance), _num(c.objective_usd)]
               for c in curves]
    after = _table(ws, w, "NearOptimalTable", 1,
                   ["Material", "Optimum (t)", "Near-optimal from (t)", "Near-optimal to (t)",
                    "To is the purchase limit", "Tolerance (share of the objective)",
                    "Objective at the optimum ($)"],
                   summary or [["not computed: solve with near-optimal ranges", None, None,
                                None, "", None, None]],
                   [None, TONNES, TONNES, TONNES, None, "0.0%", USD])
    points = [[c.material, _num(t), _num(obj), _num(obj - c.objective_usd)]
              for c in curves for t, obj in c.points]
    top = after + 2
    w.put(ws, top - 1, 1, "Every reserve size evaluated (every other decision "
          "re-optimised)").font = NOTE_FONT
    _table(ws, w, "SizeCurveTable", top,
           ["Material", "Reserve (t)", "Objective ($)", "Extra cost over the optimum ($)"],
           points or [["none", None, None, None]], [None, TONNES, USD, USD])
    ws.freeze_panes = "B2"
    fit_columns(ws, widths={1: 18})
    page_setup(ws)


def variant_records(analysis: Analysis) -> list[tuple[str, dict[str, Any]]]:
    """Every variant solved, as (analysis, the variant's JSON dict with ``name``, ``tags``,
    ``changes`` and ``outcome``), in the order the study ran them."""
    if isinstance(analysis, Tornado):
        return [("tornado", v) for v in analysis.sweep.to_dicts()]
    return ([("tornado", v) for v in analysis.tornado.sweep.to_dicts()]
            + [("risk frontier", v) for v in analysis.risk_frontier.sweep.to_dicts()]
            + [("budget frontier", v) for v in analysis.budget_frontier.sweep.to_dicts()]
            + [("break-evens", v) for v in analysis.breakevens.variants])


def _shown(value: Any) -> Any:
    """A value for a cell: numbers, text and booleans as they are, lists and tables as
    "(see JSON)"."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return "(a table: see the JSON column)"


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_TEXT_CHARS:
        return (f"(too long for one cell: {len(text):,} characters; the JSON output "
                "of 'reserve-planner sensitivity --json' holds it)")
    return text


VARIANT_HEADERS = ["Analysis", "Variant", "Input group", "Side", "Group value", "Status",
                   "Objective ($)", "Field path", "Base value", "Value", "Value (JSON)"]


def variant_rows(analysis: Analysis) -> list[list[Any]]:
    """Rows of the Variants sheet: one per variant and changed input (a variant that
    changes nothing, the base, gets one row with an empty field path)."""
    rows = []
    for stage, v in variant_records(analysis):
        tags = v.get("tags", {})
        head = [stage, v["name"], tags.get("group") or "", tags.get("side") or "",
                _num(tags.get("value")) if isinstance(tags.get("value"), int | float) else None,
                v["outcome"]["status"], _num(v["outcome"]["objective_usd"])]
        changes = v.get("changes") or []
        if not changes:
            rows.append(head + ["", None, None, "(no change: the base inputs)"])
        for ch in changes:
            rows.append(head + [ch["path"], _shown(ch["base_value"]), _shown(ch["value"]),
                                _json(ch["value"])])
    return rows


def _variants(ws: Worksheet, analysis: Analysis, w: SheetWriter) -> None:
    rows = variant_rows(analysis)
    after = _table(ws, w, "VariantsTable", 1, VARIANT_HEADERS, rows,
                   [None, None, None, None, VALUE, None, USD, None, VALUE, VALUE, None])
    w.put(ws, after + 1, 1, "Each variant is the inputs of this workbook (its scenario "
          "sheets) with the listed fields set to their JSON values; "
          "reserve_planner.analysis.apply_changes rebuilds it.").font = NOTE_FONT
    ws.freeze_panes = "C2"
    fit_columns(ws, widths={8: 48, 11: 40})
    page_setup(ws)


def add_sensitivity_sheets(wb: Workbook, analysis: Analysis, result: PlanResult | None,
                           w: SheetWriter) -> list[str]:
    """Append the analysis sheets to ``wb`` (Tornado, and for a study Break-evens and
    Frontiers; Size curves when ``result`` has near-optimal ranges; Variants) and return
    their names."""
    tornado = analysis.tornado if isinstance(analysis, SensitivityStudy) else analysis
    _tornado(wb.create_sheet(TORNADO), tornado, w)
    if isinstance(analysis, SensitivityStudy):
        _breakevens(wb.create_sheet(BREAKEVENS), analysis, w)
        _frontiers(wb.create_sheet(FRONTIERS), analysis, w)
    if result is not None and any(m.near_optimal is not None for m in result.materials):
        _size_curves(wb.create_sheet(SIZE_CURVES), result, w)
    _variants(wb.create_sheet(VARIANTS), analysis, w)
    return [n for n in ANALYSIS_SHEETS if n in wb.sheetnames]
