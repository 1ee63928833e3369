"""The report's content, built from :class:`PlanInputs` and :class:`PlanResult`, Qt-free.

:func:`build_report` returns a :class:`~reserve_planner.report.document.Report`: title
block, executive summary, key figures, price floors, the day-count comparison, costs,
charts, scenarios, assumptions, sources and limitations. It touches no Qt and no pyplot
state, so a window can run it in a worker thread and render the result on the GUI thread
with :func:`reserve_planner.report.qt_render.build_text_document`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import __version__
from ..model import PlanInputs
from ..model.start_windows import start_window
from ..optimize import PlanResult
from ..optimize.data import build_plan_data
from . import charts
from . import formatting as fmt
from .analysis import FloorAlternative, RuleOutcome, day_count_rules, floor_alternatives
from .document import (
    MAX_FIGURE_WIDTH_MM,
    Block,
    Bullets,
    Cell,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    number_captions,
)
from .input_catalogue import (
    ASSUMPTION_MARK,
    MATERIAL_FIELDS,
    depth_text,
    input_entries,
    later_episodes_text,
    project_code,
    scenario_code,
)
from .limitations import limitations
from .refills_section import refill_blocks
from .sources_section import sources_blocks
from .status_quo_section import status_quo_blocks
from .summary import executive_summary, horizon_span, no_floor_reason

if TYPE_CHECKING:
    from .sensitivity_section import Analysis

PROGRAM = "Reserve Planner"
SUBTITLE = "US strategic rare earth reserve and producer price floors"


def _c(text: str, **kw) -> Cell:
    return Cell(text, **kw)


def _figure(key: str, image: charts.ChartImage, caption: str) -> Figure:
    return Figure(key=key, png=image.png, pixel_width=image.pixel_width,
                  pixel_height=image.pixel_height,
                  width_mm=min(charts.CHART_WIDTH_MM, MAX_FIGURE_WIDTH_MM), caption=caption)


def _money_note(inputs: PlanInputs) -> str:
    pol = inputs.policy
    return (f"How to read the figures: money is in millions of US dollars ($M), expected over "
            f"the scenarios and discounted at {fmt.share(pol.discount_rate_per_yr, 1)} a year "
            f"(real) to January {pol.start_year}, unless labelled \u201cat normal prices\u201d "
            "(undiscounted purchases at today's US price). Tonnes (t) are of the material "
            "itself (oxide or magnet mass). Days of cover are the reserve divided by one "
            "day of first-year net imports (demand less US supply). Input values marked "
            f"{ASSUMPTION_MARK} are assumptions rather than published figures; the Sources "
            "section says where every input comes from.")


def _title_facts(inputs: PlanInputs, result: PlanResult, source_file: str | None,
                 generated: datetime) -> tuple[tuple[str, str], ...]:
    pol = inputs.policy
    file_text = str(source_file) if source_file else "built-in article baseline (no file)"
    if source_file and Path(source_file).name != str(source_file):
        file_text = f"{Path(source_file).name} ({Path(source_file).parent})"
    horizon = (f"{fmt.month_words(pol.start_year, 0)} to "
               f"{fmt.month_words(pol.start_year, pol.horizon_months - 1)} "
               f"({fmt.number(pol.horizon_months)} months); {len(inputs.materials)} materials, "
               f"{len(inputs.projects)} supply projects, {len(inputs.scenarios)} disruption "
               "scenarios")
    return (
        ("Scenario", inputs.name),
        ("File", file_text),
        ("Date", generated.strftime("%d %B %Y, %H:%M").lstrip("0")),
        ("Program", f"{PROGRAM} {__version__}"),
        ("Solver status", f"{result.status.value}: {result.message}"),
        ("Horizon", horizon),
    )


def _fill_label(result: PlanResult, months_to_fill: int) -> str:
    return fmt.month_label(result.start_year, months_to_fill - 1) if months_to_fill else "none"


def _key_figures(result: PlanResult) -> list[Block]:
    rows = []
    for m in result.materials:
        rows.append((
            _c(m.material), _c(fmt.tonnes(m.reserve_target_t)),
            _c(fmt.days(m.days_of_import_cover)), _c(fmt.tonnes(m.net_imports_t_per_yr)),
            _c(_fill_label(result, m.months_to_fill)), _c(fmt.musd(m.planned_outlay_usd)),
            _c(fmt.musd(m.net_reserve_cost_usd)), _c(fmt.tonnes(m.expected_unmet_t)),
            _c(fmt.tonnes(m.expected_unmet_without_plan_t)),
        ))
    mats = result.materials
    rows.append((
        # dollars add up across materials; tonnes of oxide and of magnets do not
        _c("All materials", bold=True), _c(""),
        _c(""), _c(""), _c(""), _c(fmt.musd(sum(m.planned_outlay_usd for m in mats))),
        _c(fmt.musd(sum(m.net_reserve_cost_usd for m in mats))),
        _c(""), _c(""),
    ))
    table = Table(
        header=("Material", "Reserve [t]", "Cover [days]", "Net imports, year before filled [t/yr]",
                "Filled by", "Outlay at normal prices [$M]", "Expected net cost [$M]",
                "Expected unmet, with plan [t]", "Expected unmet, no plan [t]"),
        rows=tuple(rows), widths=(17, 10, 8, 11, 9, 11, 11, 11.5, 11.5),
        align=("left",) + ("right",) * 8, total_row=True,
        caption="Reserve by material.")
    note = Paragraph(
        "Expected net cost is purchases plus storage, less sales of stock released in "
        "disruptions and the value of the stock left at the end, discounted. Unmet demand is "
        "summed over the horizon and weighted by scenario probability.", "note")
    return [table, note]


def _purchases_by_year(inputs: PlanInputs, result: PlanResult) -> Table:
    names = result.material_names
    years = int(math.ceil(result.months / 12))
    rows = []
    budget = inputs.policy.annual_budget_usd
    prices = {m.material: (m.planned_outlay_usd / float(np.sum(m.fill_schedule_t))
                           if np.sum(m.fill_schedule_t) > 0 else 0.0) for m in result.materials}
    totals = np.zeros(len(names))
    for y in range(years):
        cells = [_c(str(result.start_year + y))]
        spend = 0.0
        for k, n in enumerate(names):
            buy = float(np.sum(result.material(n).fill_schedule_t[12 * y:12 * (y + 1)]))
            totals[k] += buy
            spend += buy * prices[n]
            cells.append(_c(fmt.tonnes(buy) if buy > 0.005 else "\u2013"))
        cells.append(_c(fmt.musd(spend)))
        rows.append(tuple(cells))
    rows.append(tuple([_c("Total", bold=True)] + [_c(fmt.tonnes(t)) for t in totals]
                      + [_c(fmt.musd(sum(m.planned_outlay_usd for m in result.materials)))]))
    n = len(names)
    name_w = 14.0
    spend_w = 16.0
    col = (100.0 - name_w - spend_w) / max(n, 1)
    return Table(
        header=("Year",) + tuple(f"{n} [t]" for n in names)
        + ("Spend at normal prices [$M]",),
        rows=tuple(rows), widths=(name_w,) + (col,) * n + (spend_w,),
        align=("left",) + ("right",) * (n + 1), total_row=True,
        caption=f"Reserve purchases by plan year (budget "
                f"{fmt.money(budget)} a year at normal prices).")


def _floor_blocks(result: PlanResult, alternatives: dict[str, FloorAlternative] | None
                  ) -> list[Block]:
    rows = []
    for m in result.materials:
        f = m.floor
        levels = [v for v in f.candidates_usd_per_kg if v > 0]
        places = fmt.common_decimals(levels)
        cands = ", ".join(fmt.number(v, places) for v in levels) or "none"
        rows.append((
            _c(m.material), _c(fmt.number(f.level_usd_per_kg, 2) if f.has_floor else "none",
                               bold=f.has_floor),
            _c(cands), _c(fmt.musd(f.expected_payout_usd)),
            _c(fmt.musd(f.worst_case_payout_usd)), _c(fmt.musd(f.equity_at_risk_usd)),
            _c(fmt.musd(f.expected_equity_loss_usd)), _c(fmt.tonnes(f.expected_added_supply_t)),
        ))
    table = Table(
        header=("Material", "Floor [$/kg]", "Candidates [$/kg]", "Expected payout [$M]",
                "Worst-case payout [$M]", "Equity at risk [$M]", "Expected equity loss [$M]",
                "Added supply [t]"),
        rows=tuple(rows), widths=(17, 10, 15, 11, 12, 11, 12, 12),
        align=("left", "right", "left", "right", "right", "right", "right", "right"),
        caption="Price floor decision by material.")
    blocks: list[Block] = [table, Paragraph(
        "A floor guarantees producers the floor price; it pays the gap when the market is "
        "lower and producers return a share of the upside when it is higher. Expected "
        "payout is discounted and net of that upside. Worst case: prices at their lowest "
        "5% in every month and no supported project failing. Equity at risk is taxpayer "
        "money in the supported projects; the expected loss weights it by each project's "
        "chance of failure. Added supply is the expected output of the supported projects "
        "over the horizon.", "note")]
    projects = [(m, p) for m in result.materials for p in m.floor.projects]
    if projects:
        blocks.append(Table(
            header=("Project brought online", "Material", "Kind", "Capacity [t/yr]",
                    "First output", "Full output", "Chance of failure"),
            rows=tuple((_c(p.name), _c(m.material), _c(p.kind),
                        _c(fmt.number(p.capacity_t_per_yr)), _c(p.first_output),
                        _c(p.full_output), _c(fmt.share(p.failure_probability)))
                       for m, p in projects),
            widths=(31, 15, 10, 11, 11, 11, 11),
            align=("left", "left", "left", "right", "right", "right", "right"),
            caption="Projects the floors make bankable."))
    without = [m for m in result.materials if not m.floor.has_floor]
    if without:
        known = alternatives is not None
        items = tuple(
            f"No floor for {m.material}: "
            f"{no_floor_reason(m.material, (alternatives or {}).get(m.material), known)}."
            for m in without)
        blocks.append(Bullets(items))
    return blocks


def _rules_blocks(rules: list[RuleOutcome] | None, error: str) -> list[Block]:
    intro = Paragraph(
        "Fixed rules size a reserve by days of net imports: Japan holds about 60 days of its "
        "rare metals consumption and the IEA asks oil importers for 90 days. The rows below "
        "put the optimised reserve beside such rules in the same scenarios, with the same "
        "floors. A rule reserve is bought as fast as the purchase limit allows from the first "
        "month, without the budget limit.")
    if rules is None:
        return [intro, Paragraph(f"The comparison could not be computed: {error}", "warning")]
    rows = []
    for r in rules:
        plan = r.rule == "Optimised plan"
        rows.append((_c(r.material if plan else ""), _c(r.rule, bold=plan),
                     _c(fmt.tonnes(r.reserve_t)), _c(fmt.days(r.cover_days)),
                     _c(fmt.musd(r.outlay_usd)), _c(fmt.number(r.months_to_fill)),
                     _c(fmt.tonnes(r.expected_unmet_t))))
    return [intro, Table(
        header=("Material", "Sizing", "Reserve [t]", "Cover [days]",
                "Outlay at normal prices [$M]", "Buying time [months]", "Expected unmet [t]"),
        rows=tuple(rows), widths=(19, 17, 12, 11, 15, 12, 14),
        align=("left", "left", "right", "right", "right", "right", "right"),
        caption="The optimised reserve against 60- and 90-day rules.")]


def _cost_blocks(result: PlanResult) -> list[Block]:
    assert result.costs is not None
    rows = [(_c(label), _c(fmt.musd(v))) for label, v in result.costs.items()]
    rows.append((_c("Total expected cost (the objective)", bold=True),
                 _c(fmt.musd(result.costs.total_usd))))
    table = Table(header=("Cost term", "Expected discounted [$M]"), rows=tuple(rows),
                  widths=(70, 30), align=("left", "right"), total_row=True,
                  caption="Expected discounted cost by term (credits negative).")
    ratio = result.benefit_cost_ratio
    binding = [f"{result.start_year + i}: {v:.2f}"
               for i, v in enumerate(result.budget_value_usd_per_usd) if v > 1e-6]
    budget_text = ", ".join(binding) if binding else (
        "budget not binding" if result.budget_value_usd_per_usd else "not computed")
    indicators = (
        ("Expected shortage damage avoided", fmt.money(result.expected_shortage_avoided_usd),
         "shortage damage in the status quo less with the plan"),
        ("Benefit per dollar of cost", f"${ratio:,.2f}" if math.isfinite(ratio) else "n/a",
         "damage avoided per dollar the plan adds to the status quo"),
        ("Expected cost in the status quo", fmt.money(result.cost_without_plan_usd),
         "existing commitments, no new reserve or floor, risk weight included"),
        ("Value of the stochastic solution", fmt.money(result.vss_usd),
         "how much worse a plan made for the average scenario does ("
         f"it costs {fmt.money(result.eev_usd)})"),
        ("CVaR of scenario cost", fmt.money(result.cvar_usd),
         "mean cost of the worst outcomes at the CVaR level (information)"),
        ("CVaR of shortage damage", fmt.money(result.shortage_cvar_usd),
         "what the risk weight applies to: the harm the reserve insures against"),
        ("Cost of US tariffs to buyers", fmt.money(result.tariff_cost_to_buyers_usd),
         "tariff on the China-exposed imports left, discounted"),
        ("Value of $1 more budget", budget_text,
         "extra cost saved per extra budget dollar, by plan year"),
    )
    other = Table(header=("Indicator", "Value", "Meaning"),
                  rows=tuple((_c(a), _c(b), _c(c)) for a, b, c in indicators),
                  widths=(30, 18, 52), align=("left", "right", "left"),
                  caption="Other indicators.")
    return [table, _figure("costs", charts.cost_chart(result),
                           "Expected discounted cost by term [$M]."), other]


def _start_text(s, start_year: int, horizon_months: int) -> str:
    """When a disruption starts, in words: a month, or a start window ("any month Jan
    2027-Dec 2029"), with its hazard when it has one."""
    window = start_window(s, horizon_months)
    if window is None:
        return fmt.month_label(start_year, s.start_month)
    text = (f"any month {fmt.month_label(start_year, window[0])}–"
            f"{fmt.month_label(start_year, window[1])}")
    if s.start_hazard_per_yr > 0:
        text += f" (hazard {s.start_hazard_per_yr:g}/yr)"
    return text


def _scenario_table(inputs: PlanInputs) -> Table:
    names = inputs.material_names
    y = inputs.policy.start_year
    rows = []
    for i, s in enumerate(inputs.scenarios, start=1):
        if s.duration_months > 0:
            when = (f"{_start_text(s, y, inputs.policy.horizon_months)}, "
                    f"{fmt.number(s.duration_months)} months")
        else:
            when = "none"
        if s.later_episodes:
            when += f"; then {later_episodes_text(s, names)}"
        price = f"{s.price_multiplier_during:g}\u00d7"
        if s.after_months > 0:
            price += f", then {s.price_multiplier_after:g}\u00d7 for {s.after_months} months"
        rows.append((_c(f"{scenario_code(i)}  {s.name}", note=s.note),
                     _c(fmt.probability(s.probability)), _c(when),
                     _c(depth_text(s, names)), _c("yes" if s.hits_allied_supply else "no"),
                     _c(price)))
    return Table(
        header=("Scenario", "Probability", "Disruption", "China-exposed supply cut",
                "Allied supply hit", "Price (times normal)"),
        rows=tuple(rows), widths=(29, 11, 21, 15, 9, 15),
        align=("left", "right", "left", "left", "left", "left"),
        caption="Disruption scenarios.", label="scenarios")


def _scenario_outcomes(result: PlanResult) -> Table:
    sq = result.status_quo.scenario_shortage_usd if result.status_quo is not None else ()
    rows = tuple((_c(f"{scenario_code(i)}  {s.name}"), _c(fmt.probability(s.probability)),
                  _c(fmt.musd(s.shortage_usd)),
                  _c(fmt.musd(sq[i - 1]) if i <= len(sq) else ""),
                  _c(fmt.musd(s.loss_usd))) for i, s in enumerate(result.scenarios, start=1))
    return Table(
        header=("Scenario", "Probability", "Shortage damage with plan [$M]",
                "Shortage damage, status quo [$M]", "Scenario cost [$M]"),
        rows=rows, widths=(44, 12, 15, 15, 14), align=("left",) + ("right",) * 4,
        caption="Outcome in each scenario, discounted, all materials in dollars (the "
                "unmet tonnes of each material are in the figure above).")


def _assumption_bullets(inputs: PlanInputs, result: PlanResult | None) -> Bullets:
    pol = inputs.policy
    mats = inputs.materials
    growth = fmt.join_words(sorted({fmt.share(m.demand_growth_per_yr, 1) for m in mats}))
    items = [
        f"The plan covers {horizon_span(pol.horizon_months)} from January {pol.start_year} "
        f"in monthly steps; reserve purchases may spend at most {fmt.money(pol.annual_budget_usd)}"
        " a year at normal prices"
        + ("" if pol.total_budget_usd is None
           else f" and {fmt.money(pol.total_budget_usd)} in all") + ".",
        f"Demand grows {growth} a year; US supply stays at today's level unless a floor "
        "brings a project online.",
        "In a disruption China cuts the stated share of the imports that pass through Chinese "
        "mining or processing; the reserve can release only the stock it held when the "
        "disruption began, plus what it refilled between episodes, up to its monthly "
        "release limit.",
        _shortage_sentence(mats),
        f"An added {fmt.share(pol.tariff_share)} tariff on Chinese imports raises US prices by "
        f"{fmt.share(pol.tariff_price_passthrough)} of the tariff on the China-exposed part "
        f"and project costs by {fmt.share(pol.tariff_share * pol.tariff_input_cost_share)}.",
        f"Producers under a floor return {fmt.share(pol.floor_upside_share)} of the price "
        "above the floor; prices are lognormal around each scenario's mean.",
        f"Money is discounted at {fmt.share(pol.discount_rate_per_yr, 1)} a year; stock left "
        f"at the end is worth {fmt.share(pol.salvage_share)} of its normal price.",
        f"The plan minimises expected cost plus {fmt.number(pol.risk_aversion, 2)} times the "
        f"average cost of the worst {fmt.share(1 - pol.cvar_level)} of outcomes (CVaR).",
    ]
    if pol.min_cover_days > 0:
        items.append(f"The reserve must hold at least {fmt.number(pol.min_cover_days)} days of "
                     f"net imports from {fmt.month_words(pol.start_year, pol.min_cover_by_month)}.")
    n_all = sum(1 for e in input_entries(inputs) if e.source is not None)
    n_ass = sum(1 for e in input_entries(inputs) if e.is_assumption)
    items.append(f"{n_ass} of the {n_all} sourced input numbers are assumptions (marked "
                 f"{ASSUMPTION_MARK} in the tables below); the rest come from the article, "
                 "public figures or stated derivations.")
    return Bullets(tuple(items))


def _input_tables(inputs: PlanInputs) -> list[Block]:
    entries = input_entries(inputs)
    by_key = {(e.table, e.row, e.field): e for e in entries}
    blocks: list[Block] = []
    pol_rows = tuple((_c(e.label), _c(e.marked_value)) for e in entries if e.table == "policy")
    blocks.append(Table(header=("Policy setting", "Value"), rows=pol_rows, widths=(65, 35),
                        align=("left", "right"), caption="Policy settings."))
    names = inputs.material_names
    for start in range(0, len(names), 4):
        chunk = names[start:start + 4]
        rows = tuple((_c(label),) + tuple(_c(by_key[("materials", n, f)].marked_value)
                                          for n in chunk)
                     for f, label, _ in MATERIAL_FIELDS)
        w = 64.0 / max(len(chunk), 1)
        blocks.append(Table(header=("Material input",) + tuple(chunk), rows=rows,
                            widths=(36.0,) + (w,) * len(chunk),
                            align=("left",) + ("right",) * len(chunk),
                            caption="Material inputs." if start == 0 else
                            "Material inputs (continued)."))
    if inputs.projects:
        fields = [e for e in entries if e.table == "projects"]
        labels = [e.label for e in fields[: len(fields) // len(inputs.projects)]]
        rows = []
        for i, p in enumerate(inputs.projects, start=1):
            rows.append((_c(f"{project_code(i)}  {p.name}", note=f"{p.material}, {p.kind.value}"),)
                        + tuple(_c(e.marked_value) for e in fields if e.row == p.name))
        blocks.append(Table(header=("Supply project",) + tuple(labels), rows=tuple(rows),
                            widths=(30, 10, 12, 12, 10, 12, 14),
                            align=("left",) + ("right",) * len(labels),
                            caption="Supply projects a floor can support.",
                            label="projects"))
    return blocks


def _no_plan_blocks(result: PlanResult) -> list[Block]:
    blocks: list[Block] = [Heading("What has to change")]
    if result.conflicts:
        blocks.append(Paragraph("These limits cannot all hold at once; the figures say how "
                                "far each would have to give way:"))
        blocks.append(Bullets(tuple(f"{c.group}, {c.where}: {c.sentence}."
                                    for c in result.conflicts)))
    if result.problems:
        blocks.append(Paragraph("These inputs are not valid:"))
        blocks.append(Bullets(tuple(result.problems)))
    if not result.conflicts and not result.problems:
        blocks.append(Paragraph(f"The solver gave no details beyond: {result.message}"))
    return blocks


def _labelled_size_curves(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """``blocks`` with the size-curve figure labelled for cross-references, and the label
    (None when there is no such figure)."""
    label = "size-curves"
    out, found = [], None
    for b in blocks:
        if isinstance(b, Figure) and b.key == label:
            b, found = replace(b, label=b.label or label), b.label or label
        out.append(b)
    return out, found


def build_report(inputs: PlanInputs, result: PlanResult, source_file: str | None = None,
                 generated: datetime | None = None,
                 sensitivity: Analysis | None = None) -> Report:
    """The whole report for ``inputs`` solved into ``result``.

    Parameters
    ----------
    inputs, result : PlanInputs, PlanResult
        What was solved and what came out; a result without a plan (invalid input,
        infeasible, error) gives a report of the status, the conflicts or problems and the
        inputs.
    source_file : str, optional
        The workbook the inputs came from, shown in the title block.
    generated : datetime, optional
        Date shown in the title block (default now).
    sensitivity : SensitivityStudy or Tornado, optional
        The decision analysis of the plan: adds the section "What drives the answer" and, on
        the first page, a sentence naming the three assumptions that matter most
        (:mod:`~reserve_planner.report.sensitivity_section`).

    Qt-free and safe to call off the GUI thread. Charts are PNG bytes in the figures.
    """
    generated = generated or datetime.now()
    has_plan = result.status.has_plan and result.costs is not None
    alternatives: dict[str, FloorAlternative] | None = None
    rules: list[RuleOutcome] | None = None
    rules_error = ""
    if has_plan:
        try:
            data = build_plan_data(inputs)
            alternatives = floor_alternatives(inputs, result, data)
            rules = day_count_rules(inputs, result, data=data)
        except Exception as exc:  # noqa: BLE001 - side figures must not cost the report
            rules_error = f"{type(exc).__name__}: {exc}"
    drivers = sensitivity is not None and has_plan
    blocks: list[Block] = [
        Heading("Summary"),
        Paragraph(executive_summary(inputs, result, alternatives),
                  "lead" if has_plan else "warning"),
    ]
    if drivers:
        from .sensitivity_section import top_assumptions_sentence

        blocks.append(Paragraph(top_assumptions_sentence(sensitivity)))
    blocks.append(Paragraph(_money_note(inputs), "note"))
    if has_plan:
        blocks += [Heading("Reserve by material"), *_key_figures(result)]
        if any(m.reserve_target_t > 0.05 for m in result.materials):
            blocks += [_purchases_by_year(inputs, result),
                       _figure("reserve", charts.reserve_chart(result, inputs=inputs),
                               "Reserve stock over time in each scenario [t]. The stock "
                               "grows while the reserve is bought and falls when it is "
                               "released in a disruption; a scenario with a start window "
                               "shows the mean over its start months.")]
        else:
            blocks.append(Paragraph("The plan buys no reserve, so there is no purchase "
                                    "schedule or stock to show."))
        blocks += [Heading("Price floors"), *_floor_blocks(result, alternatives)]
        status_quo, size_curves = _labelled_size_curves(status_quo_blocks(result))
        blocks += [Heading("Against the status quo"), *status_quo]
        blocks += [Heading("Comparison with day-count rules"),
                   *_rules_blocks(rules, rules_error)]
        blocks += [Heading("Costs"), *_cost_blocks(result)]
        if drivers:
            from .sensitivity_section import sensitivity_blocks

            blocks += sensitivity_blocks(sensitivity, result, size_curves_ref=size_curves)
    else:
        blocks += _no_plan_blocks(result)
    blocks += [Heading("Disruption scenarios"),
               Paragraph("Each scenario is one possible course of China's export controls "
                         "over the horizon; the probabilities add up to one. The plan is "
                         "chosen before anyone knows which one happens. A scenario with "
                         "a start window is solved for a start in every step of the window "
                         f"(every {inputs.policy.start_step_months} months), sharing its "
                         "probability, so no purchase can be timed to a known date."),
               _scenario_table(inputs)]
    if has_plan:
        by_scenario = result.by_input_scenario()
        blocks += [_figure("unmet", charts.unmet_chart(result),
                           "Unmet demand of each material in each scenario with the plan and "
                           "in the status quo [t of that material]; a scenario with a start "
                           "window shows the mean over its start months."),
                   _scenario_outcomes(by_scenario),
                   Heading("Purchases that adapt", level=2), *refill_blocks(result)]
    blocks += [Heading("Main assumptions"), _assumption_bullets(inputs, result)]
    if result.warnings:  # stated price multipliers the demand curves contradict
        blocks += [Paragraph("The inputs solve, but these look inconsistent:"),
                   Bullets(tuple(result.warnings))]
    blocks += [*_input_tables(inputs)]
    blocks += sources_blocks(inputs)
    blocks += [Heading("Limitations"), Bullets(limitations(inputs))]
    title = f"Reserve plan: {inputs.name}"
    return Report(
        title=title, subtitle=SUBTITLE,
        facts=_title_facts(inputs, result, source_file, generated),
        blocks=number_captions(blocks),
        footer=f"{PROGRAM} {__version__} \u2013 {inputs.name}",
        metadata={"title": title, "subject": SUBTITLE, "creator": f"{PROGRAM} {__version__}",
                  "date": generated.isoformat(timespec="minutes")},
    )


def _shortage_sentence(mats) -> str:
    """How unmet demand is valued, in words: a flat cost per kg, or the surplus lost under
    each material's demand curve up to its choke price (docs/model.md, "Shortage damage")."""
    flat = [m for m in mats if m.demand_curve == "flat"]
    curved = [m for m in mats if m.demand_curve != "flat"]
    parts = []
    if flat:
        parts.append("Demand left unmet costs " + fmt.join_words(
            [f"${fmt.number(m.shortage_cost_usd_per_kg)}/kg of {m.name}" for m in flat])
            + " in lost output.")
    if curved:
        parts.append(
            "Unmet demand costs the consumer surplus lost under each material's short-run "
            "demand curve (" + fmt.join_words(
                [f"{m.name}: {m.demand_curve}, elasticity {fmt.number(m.demand_elasticity, 2)}"
                 f", choke price ${fmt.number(m.shortage_cost_usd_per_kg)}/kg"
                 for m in curved]) + "); while a disruption lasts, "
            + ("spot purchases at the scenario's price can cover part of it."
               if any(m.spot_limit_t_per_month > 0 for m in mats)
               else "no spot market is assumed."))
    return " ".join(parts)
