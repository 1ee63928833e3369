"""Command line: ``reserve-planner [FILE.xlsx]`` opens the window; ``solve`` and ``template``
work without a display.

Exit codes: 0 done; 1 no plan (the inputs are readable but contradictory or infeasible, or
the solver failed: the message names what conflicts); 2 bad arguments, or a workbook that
cannot be read or holds invalid values (every problem is printed with its sheet and cell),
or an output that cannot be written.

Subcommands are registered by the functions in :data:`COMMANDS` (one ``add_parser`` each,
with the handler set as ``func``), so a new one is one function and one list entry.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from . import __version__, cli_compare, cli_sensitivity, cli_simulate
from .cli_args import EXIT_NO_PLAN, EXIT_OK, EXIT_USAGE, PROG, Parser, positive_int
from .model import PlanInputs
from .optimize import PlanResult, SolveOptions, month_label, solve

MAX_SCENARIOS_FOR_EVPI = 200  # EVPI costs one solve per scenario
NEAR_OPTIMAL_TOLERANCE = 0.01  # reserve sizes within 1% of the optimal objective
PAYOUT_RUNS = 2000  # price paths for the floors' payout distribution
RELEASE_LAGS = (1, 2, 3)  # release decision lags whose cost is reported [months]



PAPER_SIZES = {"letter": "Letter", "a4": "A4"}
_LETTER_TERRITORIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "SV",
                       "NI", "DO", "BZ"}


def default_paper(environ: dict[str, str] | None = None) -> str:
    """``"letter"`` where the locale's country uses US Letter (the US, Canada, Mexico, ...),
    else ``"a4"``; read from LC_PAPER, LC_ALL or LANG like the C library does."""
    env = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(key, "")
        if value:
            territory = value.split(".")[0].split("@")[0].partition("_")[2].upper()
            return "letter" if territory in _LETTER_TERRITORIES else "a4"
    return "a4"


def _add_solve(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("solve", help="solve a scenario (default: the article baseline) and "
                       "print a summary")
    s.set_defaults(func=lambda args, out, err: _cmd_solve(args, out, err))
    s.add_argument("input", nargs="?", type=Path, metavar="IN.xlsx",
                   help="scenario workbook; omitted: the built-in article baseline")
    s.add_argument("--json", metavar="FILE", help="write the full result as JSON ('-' = stdout)")
    s.add_argument("--out", type=Path, metavar="RESULTS.xlsx", help="write a results workbook")
    s.add_argument("--report", type=Path, metavar="REPORT.pdf", help="write a PDF report")
    s.add_argument("--paper", choices=sorted(PAPER_SIZES), default=None,
                   help="paper size of the PDF report (default from the locale: "
                   f"{default_paper()} here)")
    s.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="solver time limit (default 60)")
    s.add_argument("--no-diagnostics", action="store_true",
                   help="skip the no-plan comparison, VSS, shadow prices, near-optimal "
                   "ranges and the tornado of --report/--out")
    s.add_argument("--quiet", action="store_true", help="do not print the summary table")
    s.add_argument("--sample", type=positive_int, metavar="N",
                   help="optimise on N futures sampled from the Monte Carlo distributions "
                   "(ranges around the scenarios) instead of the scenarios themselves")
    s.add_argument("--seed", type=cli_simulate._seed, default=0, metavar="S",
                   help="seed of the --sample futures (default 0)")


def _add_template(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("template", help="write the article baseline as a scenario workbook")
    t.add_argument("output", type=Path, metavar="FILE.xlsx")
    t.add_argument("--force", action="store_true", help="overwrite an existing file")
    t.add_argument("--variant", choices=("baseline", "tariff-threat"), default="baseline",
                   help="tariff-threat: the baseline with the threatened additional 100%% "
                   "tariff on top of the one in force")
    t.set_defaults(func=lambda args, out, err: _cmd_template(args, err))


def _add_gui(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("gui", help="open the window (the default command)")
    g.add_argument("file", nargs="?", type=Path, metavar="FILE.xlsx")
    g.set_defaults(func=lambda args, out, err: _cmd_gui(args, err))


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_solve, _add_template,
                                                                 _add_gui,
                                                                 cli_sensitivity.add_parser,
                                                                 cli_compare.add_parser,
                                                                 cli_simulate.add_parser]
"""One function per subcommand: adds its parser and sets ``func(args, out, err) -> int``."""


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog=PROG, description="Size a US strategic rare earth reserve and producer "
                "price floors under disruption scenarios.")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for add in COMMANDS:
        add(sub)
    return p


def _load_inputs(path: Path | None, err: TextIO) -> PlanInputs | None:
    if path is None:
        from .io.baseline import load_article_baseline

        return load_article_baseline()
    from .io.workbook import WorkbookError, load_scenario_workbook_with_warnings

    try:
        inputs, warnings = load_scenario_workbook_with_warnings(path)
    except WorkbookError as exc:
        print(f"{PROG}: cannot load {path}:", file=err)
        print(str(exc), file=err)
        return None
    for w in warnings:
        print(f"{PROG}: warning: {w}", file=err)
    return inputs


def _money(usd: float) -> str:
    if usd != usd:  # NaN
        return "n/a"
    return f"${usd / 1e6:,.1f}M"


def _days(value: float) -> str:
    """Whole days of cover; "-" when there are no net imports to cover (infinite)."""
    return f"{value:,.0f}" if math.isfinite(value) else "-"


def _refill_lines(result: PlanResult) -> list[str]:
    """The calm path in one line, and each input scenario's refills between episodes."""
    lines = ["", "Purchases are the calm path: bought while nothing has happened; a scenario "
             "buys on its own only after its first disruption begins."]
    names = result.material_names
    for s in result.by_input_scenario().scenarios:
        if s.refill_t is None or s.refill_t.sum() <= 0.05:
            continue
        parts = [f"{n} {v:,.1f} t" for n, v in zip(names, s.refill_t.sum(axis=1), strict=True)
                 if v > 0.05]
        lines.append(f"  Refills in '{s.name}' ({s.probability:.1%}): " + ", ".join(parts))
    return lines


def format_summary(result: PlanResult) -> str:
    """The plain-text summary table printed by ``solve``."""
    lines = [f"Scenario: {result.inputs_name}", f"Status:   {result.status.value}: "
             f"{result.message}"]
    if not result.status.has_plan:
        lines += [f"  - {p}" for p in result.problems]
        return "\n".join(lines) + "\n"
    lines += [f"Warning:  {w}" for w in result.warnings]
    head = (f"{'Material':<15}{'Reserve t':>11}{'Days':>7}{'Filled':>9}{'Outlay':>10}"
            f"{'Floor $/kg':>11}{'Payout':>10}{'Worst':>10}{'Unmet t':>10}{'Status quo t':>13}")
    lines += ["", head, "-" * len(head)]
    for m in result.materials:
        fill = "-" if m.months_to_fill == 0 else month_label(result.start_year,
                                                             m.months_to_fill - 1)
        floor = f"{m.floor.level_usd_per_kg:,.2f}" if m.floor.has_floor else "none"
        lines.append(
            f"{m.material:<15}{m.reserve_target_t:>11,.1f}{_days(m.days_of_import_cover):>7}"
            f"{fill:>9}{_money(m.planned_outlay_usd):>10}{floor:>11}"
            f"{_money(m.floor.expected_payout_usd):>10}{_money(m.floor.worst_case_payout_usd):>10}"
            f"{m.expected_unmet_t:>10,.1f}{m.expected_unmet_without_plan_t:>13,.1f}")
    for m in result.materials:
        if m.floor.projects:
            names = ", ".join(f"{p.name} (from {p.first_output})" for p in m.floor.projects)
            lines.append(f"  {m.material} floor brings online: {names}")
    lines += ["", "Days: IEA convention, 90% of the reserve over the previous year's net "
              "imports per day. Of the imports of the year the reserve is reached:",
              "  " + "; ".join(f"{m.material} {_days(m.days_of_cover_year_reached)} days "
                               f"({m.year_reached})" for m in result.materials)]
    if any(not math.isfinite(m.days_of_import_cover)
           or not math.isfinite(m.days_of_cover_year_reached) for m in result.materials):
        lines.append("  (-: no net imports that year, as domestic output covers demand)")
    lines += _refill_lines(result)
    ranges = [m.near_optimal for m in result.materials if m.near_optimal is not None]
    if ranges:
        tol = ranges[0].tolerance
        lines += ["", f"Near-optimal reserve (objective within {tol:.0%} of the optimum):"]
        lines += [f"  {r.label()}" for r in ranges]
    if any(m.floor.appraisal for m in result.materials):
        lines += ["", "Floor levels appraised (extra cost of the best plan with that floor):"]
        for m in result.materials:
            parts = []
            for o in m.floor.appraisal:
                level = "none" if o.level_usd_per_kg == 0 else f"${o.level_usd_per_kg:,.2f}"
                tag = "chosen" if o.level_usd_per_kg == m.floor.level_usd_per_kg else \
                    f"+{_money(o.objective_change_usd)}"
                parts.append(f"{level} {tag}")
            lines.append(f"  {m.material:<15}" + "; ".join(parts))
    assert result.costs is not None
    lines += ["", "Expected discounted cost by term:"]
    for label, usd in result.costs.items():
        lines.append(f"  {label:<50}{_money(usd):>12}")
    lines.append(f"  {'Total (objective)':<50}{_money(result.costs.total_usd):>12}")
    sq = result.status_quo
    if sq is not None:
        lines += ["", "Against the status quo (existing commitments, no new reserve or floor):"]
        for label, value, unit, note in result.comparison_rows():
            shown = _money(value) if unit == "$" else (
                "n/a" if not np.isfinite(value) else f"{value:,.1f}x")
            lines.append(f"  {label:<50}{shown:>12}" + (f"  {note}" if note else ""))
        for name, contract in sq.committed_projects:
            lines.append(f"  Committed: {name} ({contract})")
    if result.fiscal_exposure is not None:
        fe = result.fiscal_exposure
        lines += ["", f"Floor payouts over {fe.runs:,} price paths (seed {fe.seed}), with the "
                  "tariff and without it:"]
        lines.append(f"  {'Floor':<44}{'Expected':>10}{'95th pct':>10}{'Worst':>10}"
                     f"{'No tariff':>11}")
        for f in fe.floors:
            lines.append(f"  {f.name:<44}{_money(f.expected_usd):>10}{_money(f.p95_usd):>10}"
                         f"{_money(f.worst_usd):>10}{_money(f.expected_no_tariff_usd):>11}")
        lines.append(f"  The tariff lowers expected payouts by "
                     f"{_money(fe.tariff_payout_saving_usd)} and costs US buyers "
                     f"{_money(fe.tariff_cost_to_buyers_usd)}.")
    lines += [
        "",
        # dollars: tonnes of oxide and magnets do not add up (tonnes by material above)
        f"Expected shortage damage: {_money(result.costs.shortage_usd)} with the plan, "
        f"{_money(sq.shortage_usd) if sq is not None else 'n/a'} in the status quo",
        f"Value of the stochastic solution: {_money(result.vss_usd)} "
        f"(mean-value plan costs {_money(result.eev_usd)})",
        f"Cost of US tariffs to buyers: {_money(result.tariff_cost_to_buyers_usd)}",
    ]
    if result.release_lag_costs_usd:
        lines.append("Cost of a release decision lag: " + "; ".join(
            f"{lag} month{'s' if lag != 1 else ''} {'+' if cost >= 0 else ''}{_money(cost)}"
            for lag, cost in result.release_lag_costs_usd))
    if result.evpi_usd == result.evpi_usd:
        lines.append(f"Expected value of perfect information: {_money(result.evpi_usd)} "
                     f"(wait-and-see cost {_money(result.wait_and_see_usd)})")
    if result.budget_value_usd_per_usd:
        binding = [f"{result.start_year + i}: {v:.2f}"
                   for i, v in enumerate(result.budget_value_usd_per_usd) if v > 1e-6]
        lines.append("Value of $1 more budget: " + (", ".join(binding) if binding else
                                                     "none (budget not binding)"))
    lines.append(f"Solved in {result.solve_time_s * 1000:,.0f} ms "
                 f"({result.n_variables:,} variables, {result.n_constraints:,} constraints, "
                 f"{result.n_binaries} binaries)")
    return "\n".join(lines) + "\n"


def plan_options(inputs: PlanInputs, extended: bool = True,
                 time_limit_s: float = 60.0) -> SolveOptions:
    """The options of ``solve`` (and of the plan ``sensitivity`` reports on): with
    ``extended``, diagnostics, floor appraisal, EVPI (up to :data:`MAX_SCENARIOS_FOR_EVPI`
    scenarios), near-optimal ranges, payout distribution and release-lag costs."""
    return SolveOptions(
        time_limit_s=time_limit_s, diagnostics=extended, appraise_floors=extended,
        perfect_information=extended and len(inputs.scenarios) <= MAX_SCENARIOS_FOR_EVPI,
        near_optimal_tolerance=NEAR_OPTIMAL_TOLERANCE if extended else None,
        payout_runs=PAYOUT_RUNS if extended else 0,
        release_lags=RELEASE_LAGS if extended else ())


Output = tuple[Path, Callable[[Path], None], bool]
"""An output file: its path, the function that writes it, and whether to say "wrote"."""


def write_outputs(outputs: Sequence[Output | None], err: TextIO) -> bool:
    """Write every output, even after one fails; print each failure (which file, why) and a
    "wrote" line for each file written. True when all were written."""
    from .io.workbook import WorkbookError

    ok = True
    for item in filter(None, outputs):
        path, write, announce = item
        try:
            write(path)
        except WorkbookError as exc:
            print(f"{PROG}: error: {exc}", file=err)
            ok = False
            continue
        except OSError as exc:
            print(f"{PROG}: error: cannot write {path}: {exc.strerror or exc}", file=err)
            ok = False
            continue
        if announce:
            print(f"wrote {path}", file=err)
    return ok


def write_json_file(path: Path, data: dict) -> None:
    """``data`` as indented JSON in ``path``, atomically."""
    from .io.atomic_save import atomic_write

    text = (json.dumps(data, indent=1) + "\n").encode("utf-8")
    atomic_write(path, lambda f: f.write(text))


def write_plan_report(path: Path, inputs: PlanInputs, result: PlanResult, paper: str | None,
                      source: Path | None, sensitivity=None) -> None:
    """The plan's PDF report on ``paper`` (``"letter"``/``"a4"``, default from the locale),
    with the section on ``sensitivity`` (a study or a tornado) when given."""
    from .report import pdf

    page_size = PAPER_SIZES[paper or default_paper()]
    source_file = str(source) if source else None
    if sensitivity is None:
        pdf.write_report_pdf(inputs, result, path, source_file=source_file,
                             page_size=page_size)
        return
    from .report.content import build_report

    report = build_report(inputs, result, source_file=source_file, sensitivity=sensitivity)
    pdf.write_document_pdf(report, path, page_size)


def plan_tornado(inputs: PlanInputs, err: TextIO):
    """The tornado of the plan, solved serially (about 33 solves), for the report's first
    page and the results workbook; None (with a warning) if it cannot be computed."""
    from .analysis import SerialExecutor, tornado

    try:
        with SerialExecutor() as ex:
            return tornado(inputs, executor=ex)
    except Exception as exc:  # noqa: BLE001 - the plan's outputs must not depend on it
        print(f"{PROG}: warning: the tornado could not be computed ({exc}); the outputs "
              "leave it out", file=err)
        return None


def _cmd_solve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.input is not None and not args.input.exists():
        print(f"{PROG}: error: no such file: {args.input}", file=err)
        return EXIT_USAGE
    if args.time_limit <= 0:
        print(f"{PROG}: error: --time-limit must be positive", file=err)
        return EXIT_USAGE
    inputs = _load_inputs(args.input, err)
    if inputs is None:
        return EXIT_USAGE
    if args.sample is not None:  # sample-average approximation (see `simulate --sample`)
        from .analysis.montecarlo_paths import sample_inputs
        from .model.montecarlo_spec import spec_around_scenarios

        inputs = sample_inputs(inputs, spec_around_scenarios(inputs), args.sample, args.seed)
    extended = not args.no_diagnostics
    result = solve(inputs, plan_options(inputs, extended, args.time_limit))
    if args.json == "-":
        json.dump(result.to_dict(), out, indent=1)
        out.write("\n")
    elif not args.quiet:
        out.write(format_summary(result))
    # the tornado names the assumptions that matter most (report) and fills the results
    # workbook's Tornado sheet
    tornado = plan_tornado(inputs, err) if (
        extended and result.status.has_plan and (args.report or args.out)) else None

    def write_results(path: Path) -> None:
        from .io.results_workbook import export_results_workbook

        export_results_workbook(inputs, result, path, sensitivity=tornado)

    ok = write_outputs([
        (Path(args.json), lambda p: write_json_file(p, result.to_dict()), False)
        if args.json and args.json != "-" else None,
        (args.out, write_results, True) if args.out is not None else None,
        (args.report, lambda p: write_plan_report(p, inputs, result, args.paper, args.input,
                                                  tornado), True)
        if args.report is not None else None], err)
    if not ok:
        return EXIT_USAGE
    return EXIT_OK if result.status.has_plan else EXIT_NO_PLAN


def _cmd_template(args: argparse.Namespace, err: TextIO) -> int:
    if args.output.exists() and not args.force:
        print(f"{PROG}: error: {args.output} exists (use --force to overwrite)", file=err)
        return EXIT_USAGE
    from .io.baseline import load_article_baseline, load_tariff_threat_variant
    from .io.workbook import WorkbookError, save_scenario_workbook

    inputs = load_tariff_threat_variant() if getattr(args, "variant", "baseline") == \
        "tariff-threat" else load_article_baseline()
    try:
        save_scenario_workbook(inputs, args.output)
    except WorkbookError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    print(f"wrote {args.output}", file=err)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Entry point of ``reserve-planner`` and ``python -m reserve_planner``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    commands = set(next(a for a in parser._actions
                        if isinstance(a, argparse._SubParsersAction)).choices)
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        argv = ["gui", *argv]
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(err)
        return EXIT_USAGE
    return func(args, out, err)


def _cmd_gui(args: argparse.Namespace, err: TextIO) -> int:
    if args.file is not None and not args.file.exists():
        print(f"{PROG}: error: no such file: {args.file}", file=err)
        return EXIT_USAGE
    from .gui.platform_check import window_problem

    problem = window_problem()
    if problem is not None:
        print(f"{PROG}: error: the window cannot open: {problem}", file=err)
        return EXIT_USAGE
    from .gui.app import run_app

    return run_app(str(args.file) if args.file else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
