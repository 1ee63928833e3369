"""The report section "Tested on simulated futures" (a Monte Carlo test of the plan), and
the standalone report of ``reserve-planner simulate``.

:func:`montecarlo_blocks` is the section: what was drawn, the headline in words (how much
the plan saves on average, how often it costs more than the status quo, how often a reserve
runs out), the cost histogram and the shortfall exceedance charts (the Qt-free definitions
in :mod:`reserve_planner.charts.montecarlo`), a table of the money distributions and one
of each material's shortfall, the in-sample against out-of-sample gap of a plan optimised
on a sample, and the distributions drawn from with their sources.
:func:`build_montecarlo_report` wraps it in a :class:`~.document.Report` for
:func:`~reserve_planner.report.pdf.write_document_pdf`.
"""

from __future__ import annotations

import math
from datetime import datetime

from .. import __version__
from ..analysis.montecarlo import Distribution, MonteCarloResult
from ..charts.montecarlo import cost_histogram_figure, shortfall_exceedance_figure
from ..optimize import PlanResult
from . import formatting as fmt
from .document import Block, Bullets, Cell, Heading, Paragraph, Report, Table, number_captions
from .sensitivity_section import _WIDTH_IN, figure_block

SECTION_TITLE = "Tested on simulated futures"
PROGRAM = "Reserve Planner"


def _dist_cells(d: Distribution, money: bool) -> tuple[Cell, ...]:
    f = (lambda v: fmt.money(v)) if money else (lambda v: fmt.tonnes(v))
    return (Cell(f(d.expected), note=f"\u00b1{f(d.std_error)}" if money else
                 f"\u00b1{fmt.tonnes(d.std_error, 1)}"),
            Cell(f(d.p5)), Cell(f(d.p50)), Cell(f(d.p95)), Cell(f(d.worst)))


def _first_sentence(text: str, most: int = 160) -> str:
    """The first sentence of ``text``, cut at a word with an ellipsis beyond ``most``."""
    head = text.split(". ")[0].strip()
    if len(head) <= most:
        return head
    return head[:most].rsplit(" ", 1)[0] + "\u2026"


def _headline(mc: MonteCarloResult) -> str:
    diff = mc.cost_difference()
    saves = -diff.expected
    verb = "saves" if saves >= 0 else "costs"
    return (f"Played on {mc.runs:,} simulated futures that it was not optimised on, the plan "
            f"{verb} {fmt.money(abs(saves))} on average against the status quo on the same "
            f"futures (\u00b1{fmt.money(diff.std_error)}, one standard error). It costs more "
            f"than the status quo in {fmt.share(mc.probability_plan_costs_more())} of them "
            "(futures where the reserve is paid for and not needed); the difference runs from "
            f"{fmt.money(diff.p5)} to {fmt.money(diff.p95)} between its 5th and 95th "
            "percentiles. A reserve runs out (is empty while demand goes unmet) in "
            f"{fmt.share(mc.probability_runs_out())} of the futures.")


def distribution_tables(mc: MonteCarloResult) -> list[Table]:
    """The money distributions and each material's shortfall, plan and status quo: the
    tables of the report section and of the window's Monte Carlo page."""
    blocks: list[Table] = []
    header = ("", "Expected", "5th pct.", "Median", "95th pct.", "Worst")
    widths = (30.0, 16.0, 13.5, 13.5, 13.5, 13.5)
    align = ("left", "right", "right", "right", "right", "right")
    money_rows = [("Total cost, plan", mc.cost()), ("Total cost, status quo", mc.cost(False)),
                  ("Plan minus status quo", mc.cost_difference()),
                  ("Fiscal outlay, plan", mc.outlay()),
                  ("Fiscal outlay, status quo", mc.outlay(False)),
                  ("Shortage damage, plan", mc.shortage_damage()),
                  ("Shortage damage, status quo", mc.shortage_damage(False))]
    blocks.append(Table(header, tuple((Cell(label), *_dist_cells(d, True))
                                      for label, d in money_rows), widths, align,
                        caption="Money over the simulated futures [$M, discounted]; "
                        "\u00b1 one standard error of the mean. Fiscal outlay: purchases, "
                        "storage and floor payouts before sales and salvage."))
    rows = []
    for m in mc.material_names:
        p_out = mc.probability_runs_out(m)
        rows.append((Cell(m, bold=True, note="no reserve held" if math.isnan(p_out) else
                          f"reserve runs out in {fmt.share(p_out, 1)}"),
                     *_dist_cells(mc.shortfall(m), False)))
        rows.append((Cell("status quo", italic=True),
                     *_dist_cells(mc.shortfall(m, False), False)))
    blocks.append(Table(header, tuple(rows), widths, align,
                        caption="Shortfall over the horizon per material [t], with the "
                        "plan and in the status quo; tonnes of different materials are "
                        "never added."))
    return blocks


def montecarlo_blocks(mc: MonteCarloResult, result: PlanResult | None = None,
                      level: int = 1) -> list[Block]:
    """The section's blocks (heading at ``level``)."""
    blocks: list[Block] = [Heading(SECTION_TITLE, level), Paragraph(_headline(mc))]
    calm = float((mc.kind < 0).mean()) if mc.runs else 0.0
    blocks.append(Paragraph(
        f"Each future draws at most one disruption from the distributions below (seed "
        f"{mc.seed}; {fmt.share(calm)} of the futures are calm), with the later episodes "
        "its kind may go on to: its start month within a "
        "window, so no purchase can be timed to a known date, its duration, depth and "
        "price multipliers, whether each project fails, and a monthly price path. The plan's "
        "purchases and floors are held fixed; releases in each future are the model's own "
        "recourse for that future, after the release decision lag. Money is discounted to "
        "the plan start; shortfalls are tonnes of each material over the horizon.",
        "note"))
    if mc.cancelled:
        blocks.append(Paragraph(f"The run was stopped after {mc.runs:,} of "
                                f"{mc.requested_runs:,} futures.", "warning"))
    blocks.append(figure_block(cost_histogram_figure(mc, _WIDTH_IN), "mc_cost",
                               "Total cost of each simulated future, plan and status quo "
                               "(dashed: the means)."))
    blocks.append(figure_block(shortfall_exceedance_figure(mc, _WIDTH_IN), "mc_shortfall",
                               "Share of futures whose shortfall exceeds a level, per "
                               "material (log scale)."))
    blocks += distribution_tables(mc)
    gap = mc.sample_gap
    if gap is not None:
        blocks.append(Paragraph(
            f"The plan was optimised on a sample of {gap.sample_paths:,} futures drawn from "
            f"the same distributions (seed {gap.sample_seed}). Its expected cost on that "
            f"sample is {fmt.money(gap.in_sample_usd)} (\u00b1"
            f"{fmt.money(gap.in_sample_std_error_usd)}); on the {mc.runs:,} fresh futures it "
            f"is {fmt.money(gap.out_of_sample_usd)} (\u00b1{fmt.money(gap.std_error_usd)}), "
            f"a gap of {fmt.money(gap.gap_usd)}. "
            + ("The gap is within two standard errors: the sample was large enough."
               if abs(gap.gap_usd) <= 2 * gap.combined_std_error_usd else
               "The gap is beyond two standard errors: a larger sample would give a plan "
               "that holds up better out of sample.")))
    kinds = mc.spec.kinds
    if kinds:
        blocks.append(Table(
            ("Disruption", "Probability", "Start [month]", "Duration [months]",
             "Price during [x normal]"),
            tuple((Cell(k.name, note=_first_sentence(k.source)),
                   Cell(fmt.share(k.probability, 1)),
                   Cell(f"{k.earliest_month}-{k.latest_month}"
                        + (f", hazard {k.start_hazard_per_yr:g}/yr"
                           if k.start_hazard_per_yr > 0 else "")),
                   Cell("{}-{}".format(*k.duration_months)),
                   Cell("{:.2f}-{:.2f}".format(*k.price_multiplier_during)))
                  for k in kinds),
            (42.0, 13.0, 15.0, 15.0, 15.0), ("left", "right", "right", "right", "right"),
            caption="The distributions the futures are drawn from: start uniform over the "
            "window (or the first arrival of a yearly hazard in it), duration, depth factor "
            "and multipliers uniform over their ranges."))
    if mc.spec.source:
        blocks.append(Paragraph(mc.spec.source, "note"))
    if mc.notes:
        blocks.append(Bullets(tuple(mc.notes)))
    return blocks


def build_montecarlo_report(mc: MonteCarloResult, result: PlanResult | None = None,
                            source_file: str | None = None,
                            generated: datetime | None = None) -> Report:
    """The standalone report of a Monte Carlo test (``simulate --report``)."""
    generated = generated or datetime.now()
    title = f"Monte Carlo test: {mc.inputs_name}"
    subtitle = "The optimised plan played on simulated disruption futures"
    facts = [("Scenario", mc.inputs_name),
             ("Futures", f"{mc.runs:,} (seed {mc.seed})")]
    if source_file:
        facts.append(("Input file", source_file))
    if result is not None and result.status.has_plan:
        facts.append(("Plan", "; ".join(
            f"{m.material} {fmt.tonnes(m.reserve_target_t)} t" for m in result.materials)))
    facts += [("Date", generated.strftime("%d %B %Y, %H:%M").lstrip("0")),
              ("Program", f"{PROGRAM} {__version__}")]
    return Report(title=title, subtitle=subtitle, facts=tuple(facts),
                  blocks=number_captions(montecarlo_blocks(mc, result)),
                  footer=f"{PROGRAM} {__version__} \u2013 Monte Carlo test",
                  metadata={"title": title, "subject": subtitle,
                            "creator": f"{PROGRAM} {__version__}",
                            "date": generated.isoformat(timespec="minutes")})
