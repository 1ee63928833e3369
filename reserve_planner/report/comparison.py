"""The report of a comparison of plans (:class:`~reserve_planner.analysis.compare.Comparison`)
as a :class:`~.document.Report` that reads on its own.

Sections: a title block per plan (name, source file, scenario name, solver status,
horizon), a short summary, the inputs that differ (each plan's value and source, cited by
title and link as the Sources sheet does), the decisions per material, the headline
results with their differences against the first plan, and two overlaid charts
(:mod:`reserve_planner.charts.comparison`). Write it with
:func:`~.pdf.write_document_pdf`.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..analysis.compare import Comparison, FigureRow, InputDifference, NamedPlan, value_text
from ..charts.comparison import comparison_figures_figure, comparison_reserve_figure
from ..model import Source
from . import formatting as fmt
from .charts import CHART_WIDTH_MM, ChartImage, _png
from .document import (
    MAX_FIGURE_WIDTH_MM,
    Block,
    Cell,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    number_captions,
)

PROGRAM = "Reserve Planner"
SUBTITLE = "Plans side by side: US strategic rare earth reserve and producer price floors"
_WIDTH_IN = CHART_WIDTH_MM / 25.4


def _cover_note(days_of_cover: float) -> str:
    """``"147 days of cover"``, or ``"no net imports to cover"`` when nothing is imported."""
    text = fmt.days(days_of_cover)
    return "no net imports to cover" if text == "no imports" else f"{text} days of cover"


def _figure(key: str, image: ChartImage, caption: str) -> Figure:
    return Figure(key=key, png=image.png, pixel_width=image.pixel_width,
                  pixel_height=image.pixel_height,
                  width_mm=min(CHART_WIDTH_MM, MAX_FIGURE_WIDTH_MM), caption=caption)


def _file_text(source: str) -> str:
    if not source:
        return "not saved to a file"
    path, sep, variant = source.partition("#")
    name = Path(path).name
    text = name if name == path else f"{name} ({Path(path).parent})"
    return text + (f", variant \u2018{variant}\u2019" if sep else "")


def _horizon(plan: NamedPlan) -> str:
    pol = plan.inputs.policy
    return (f"{fmt.month_words(pol.start_year, 0)} to "
            f"{fmt.month_words(pol.start_year, pol.horizon_months - 1)}; "
            f"{len(plan.inputs.materials)} materials, {len(plan.inputs.scenarios)} scenarios")


def _plans_table(c: Comparison) -> Table:
    rows = tuple(
        (Cell(f"{i}", bold=True), Cell(p.name, bold=True), Cell(_file_text(p.source)),
         Cell(p.scenario_name), Cell(p.result.status.value, note=p.result.message
                                     if not p.has_plan else ""),
         Cell(_horizon(p)))
        for i, p in enumerate(c.plans, start=1))
    return Table(header=("#", "Plan", "Source file", "Scenario", "Solver status", "Horizon"),
                 rows=rows, widths=(4, 20, 24, 18, 12, 22),
                 align=("right", "left", "left", "left", "left", "left"),
                 caption="The plans compared; differences are against plan 1.", label="plans")


def _source_text(s: Source | None) -> tuple[str, str]:
    """(main line, note) of a source cell: the kind and the document (title and link), or
    the rule or rationale when there is no document."""
    if s is None:
        return "no source recorded", ""
    if s.reference:
        return f"{s.kind.value}: {s.reference}", ""
    return s.kind.value, s.detail


def _sources_cell(c: Comparison, d: InputDifference) -> Cell:
    """One source when every plan has the same, else one line per distinct source with the
    plans (by number) that have it."""
    groups: dict[Source | None, list[int]] = {}
    for i, s in enumerate(d.sources, start=1):
        groups.setdefault(s, []).append(i)
    if len(groups) == 1:
        text, note = _source_text(d.sources[0])
        return Cell(text, note=note)
    lines = []
    for s, numbers in groups.items():
        text, note = _source_text(s)
        who = ("Plan " if len(numbers) == 1 else "Plans ") + ", ".join(map(str, numbers))
        lines.append(f"{who}: {text}" + (f" ({note})" if note else ""))
    return Cell("\n".join(lines))


def _shown(value: object, unit: str) -> str:
    text = value_text(value, unit)
    return text if len(text) <= 160 else text[:157] + "..."


def _value_cell(d: InputDifference, i: int) -> Cell:
    """Plan ``i``'s value, bold where it differs from plan 1; a whole table as its number
    of rows, with the rows added and missing against plan 1 underneath."""
    v, bold = d.values[i], i > 0 and d.differs_from_first(i)
    if d.is_table and isinstance(v, list):
        added, removed = d.row_changes(i)
        note = "; ".join(part for part in (
            "adds " + ", ".join(added) if added else "",
            "lacks " + ", ".join(removed) if removed else "") if part)
        return Cell(f"{len(v)} rows", note=note, bold=bold)
    return Cell(_shown(v, d.unit), bold=bold)


def _inputs_table(c: Comparison) -> Table:
    n = len(c.plans)
    value_w = max(10.0, 48.0 / n)
    rows = []
    for d in c.inputs:
        cells = [Cell(d.label, note=d.path)]
        cells += [_value_cell(d, i) for i in range(n)]
        cells.append(_sources_cell(c, d))
        rows.append(tuple(cells))
    widths = (26.0, *([value_w] * n), max(20.0, 100 - 26 - value_w * n))
    return Table(header=("Input", *(p.name for p in c.plans), "Source"), rows=tuple(rows),
                 widths=widths, align=("left", *(["right"] * n), "left"),
                 caption="Inputs that differ between the plans: each plan's value (in bold "
                 "where it differs from plan 1) and where it comes from.", label="inputs")


def _figure_value(v: float, unit: str) -> str:
    if not math.isfinite(v):
        return "n/a" if not (isinstance(v, float) and math.isinf(v)) else "no added cost"
    if unit == "$":
        return fmt.money(v)
    if unit == "t":
        return f"{fmt.tonnes(v)} t"
    if unit == "x":
        return f"{v:,.2f}x"
    return f"{fmt.number(v, 2)} {unit}".strip()


def _delta(v: float, unit: str) -> str:
    if not math.isfinite(v):
        return ""
    if unit == "$":
        text = fmt.money(abs(v))
    elif unit == "t":
        text = f"{fmt.tonnes(abs(v))} t"
    else:
        text = f"{abs(v):,.2f}{unit}"
    zero = text in ("$0.0M", "0.0 t", "0 t", "0.00x")
    return "no change" if zero else ("+" if v > 0 else "\u2212") + text


def _results_table(c: Comparison) -> Table:
    n = len(c.plans)
    rows = []
    for r in c.figures:
        cells = [Cell(r.label, note=r.note)]
        for i, (v, dv) in enumerate(zip(r.values, r.differences, strict=True)):
            note = "" if i == 0 else (f"{_delta(dv, r.unit)} vs plan 1" if _delta(
                dv, r.unit) else "")
            cells.append(Cell(_figure_value(v, r.unit), note=note))
        rows.append(tuple(cells))
    value_w = (100 - 34) / n
    return Table(header=("Figure", *(p.name for p in c.plans)), rows=tuple(rows),
                 widths=(34.0, *([value_w] * n)), align=("left", *(["right"] * n)),
                 caption="Headline results of each plan and, under each later plan's value, "
                 "its difference against plan 1 (expected and discounted unless the note "
                 "says).", label="results")


def _decision_cells(c: Comparison) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for md in c.decisions:
        reserve, floor, near, unmet = [], [], [], []
        for i, d in enumerate(md.plans):
            if d is None:
                for cells in (reserve, floor, near, unmet):
                    cells.append(Cell(fmt.DASH))
                continue
            unmet.append(Cell(f"{fmt.tonnes(d.expected_unmet_t)} t", note=(
                f"status quo {fmt.tonnes(d.expected_unmet_without_plan_t)} t")))
            dr = md.reserve_differences_t[i]
            reserve.append(Cell(f"{fmt.tonnes(d.reserve_t)} t", note=(
                f"{_delta(dr, 't')} vs plan 1" if i > 0 and _delta(dr, "t") else "")
                + ("" if i > 0 else _cover_note(d.days_of_cover))))
            level = (f"${d.floor_usd_per_kg:,.2f}/kg" if d.has_floor else "no floor")
            floor.append(Cell(level, note=", ".join(d.floor_projects)))
            if math.isfinite(d.near_optimal_low_t):
                high = fmt.tonnes(d.near_optimal_high_t) + ("+" if d.near_optimal_high_is_limit
                                                            else "")
                near.append(Cell(f"{fmt.tonnes(d.near_optimal_low_t)}\u2013{high} t"))
            else:
                near.append(Cell(fmt.DASH))
        rows.append((Cell(md.material, bold=True), Cell("Reserve"), *reserve))
        rows.append((Cell(""), Cell("Price floor"), *floor))
        if any(cell.text != fmt.DASH for cell in near):
            rows.append((Cell(""), Cell("Near-optimal reserve"), *near))
        rows.append((Cell(""), Cell("Expected unmet demand"), *unmet))
    return rows


def _decisions_table(c: Comparison) -> Table:
    n = len(c.plans)
    value_w = (100 - 36) / n
    return Table(header=("Material", "Decision", *(p.name for p in c.plans)),
                 rows=tuple(_decision_cells(c)), widths=(18.0, 18.0, *([value_w] * n)),
                 align=("left", "left", *(["right"] * n)),
                 caption="Each plan's decisions per material: the reserve target, the new "
                 "price floor and the projects it brings online, the range of reserve "
                 "sizes within the tolerance of the optimum where it was computed, and the "
                 "expected unmet demand over the horizon with the plan and in the status "
                 "quo (tonnes of that material).",
                 label="decisions")


def _summary(c: Comparison) -> list[str]:
    first = c.plans[0]
    out = []
    for i, p in enumerate(c.plans[1:], start=1):
        n_inputs = sum(1 for d in c.inputs if d.differs_from_first(i))
        head = (f"{p.name} differs from {first.name} in "
                f"{n_inputs} input{'s' if n_inputs != 1 else ''}" if n_inputs
                else f"{p.name} has the same inputs as {first.name}")
        if not p.has_plan or not first.has_plan:
            out.append(f"{head}; one of the two has no plan ({p.result.status.value}), so "
                       "its results are not compared.")
            continue
        parts = []
        for label, words in (("Plan: objective", "objective"),
                             ("Plan: net benefit against the status quo", "net benefit")):
            try:
                row: FigureRow = c.figure(label)
            except KeyError:
                continue
            d = row.differences[i]
            if math.isfinite(d):
                parts.append(f"its {words} is {_delta(d, '$').lstrip('+').lstrip(chr(8722))} "
                             f"{'higher' if d > 0 else 'lower'}" if _delta(d, "$") !=
                             "no change" else f"its {words} is the same")
        changed = [md.material for md in c.decisions
                   if md.plans[0] is not None and md.plans[i] is not None
                   and (abs(md.plans[i].reserve_t - md.plans[0].reserve_t) > 0.05
                        or md.plans[i].floor_usd_per_kg != md.plans[0].floor_usd_per_kg)]
        parts.append("the decisions for " + fmt.join_words(changed) + " change" if changed
                     else "every reserve and floor decision is the same")
        out.append(f"{head}; " + ", ".join(parts) + ".")
    return out


def build_comparison_report(comparison: Comparison, generated: datetime | None = None
                            ) -> Report:
    """The report of ``comparison``: see the module docstring."""
    c = comparison
    generated = generated or datetime.now().astimezone()
    names = [p.name for p in c.plans]
    title = f"Plan comparison: {names[0]} and " + (
        names[1] if len(names) == 2 else f"{len(names) - 1} other plans")
    blocks: list[Block] = [Heading("Plans compared"), _plans_table(c)]
    blocks.append(Paragraph(" ".join(_summary(c)), "lead"))
    if c.unsolved:
        blocks.append(Paragraph(
            "No plan for " + fmt.join_words([f"{p.name} ({p.result.status.value}: "
                                             f"{p.result.message})" for p in c.unsolved])
            + "; its inputs are compared, its results and decisions are left blank.",
            "warning"))
    blocks += [Heading("Inputs that differ")]
    if c.inputs:
        blocks += [Paragraph(
            "Every input whose value is not the same in all plans, with the plan's source for "
            "it (the document, cited by title and link, or the rule or rationale). Shares "
            "are in percent, money in millions of dollars; a list shows its first and last "
            "values. Inputs not listed are the same in every plan."), _inputs_table(c)]
    else:
        blocks.append(Paragraph("The plans have the same inputs; any difference in their "
                                "results comes from how they were solved."))
    blocks += [Heading("Decisions"), _decisions_table(c)]
    if any(p.has_plan for p in c.plans):
        blocks.append(_figure("comparison_reserve", _png(comparison_reserve_figure(
            c, _WIDTH_IN)), "Planned reserve stock of each plan per material [t]: the "
            "starting stock plus the planned purchases, before any release in a disruption. "
            "Lines that coincide are decisions the plans share."))
    blocks += [Heading("Results"), Paragraph(
        "Money is expected and discounted to the plan start. The status quo is each plan's "
        "own reference: existing commitments, no new reserve, no new floor, under that "
        "plan's inputs. Net benefit is the status quo's objective minus the plan's."),
        _results_table(c)]
    if any(p.has_plan for p in c.plans):
        blocks.append(_figure("comparison_figures", _png(comparison_figures_figure(
            c, _WIDTH_IN)), "Expected cost, CVaR of shortage damage and net benefit against "
            "the status quo of each plan [$M]."))
    facts = (("Plans", "; ".join(f"{i}. {n}" for i, n in enumerate(names, start=1))),
             ("Differences against", names[0]),
             ("Date", generated.strftime("%d %B %Y, %H:%M").lstrip("0")),
             ("Program", f"{PROGRAM} {__version__}"))
    return Report(title=title, subtitle=SUBTITLE, facts=facts,
                  blocks=number_captions(blocks),
                  footer=f"{PROGRAM} {__version__} \u2013 comparison of {len(names)} plans",
                  metadata={"title": title, "subject": SUBTITLE,
                            "creator": f"{PROGRAM} {__version__}",
                            "date": generated.isoformat(timespec="minutes")})
