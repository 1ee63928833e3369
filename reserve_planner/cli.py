"""Command line: ``reserve-planner [FILE.xlsx]`` opens the window; ``solve`` and ``template``
work without a display.

Exit codes: 0 done; 1 the inputs cannot give a plan (invalid, infeasible, solver error);
2 bad arguments or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .model import PlanInputs
from .optimize import PlanResult, SolveOptions, month_label, solve

PROG = "reserve-planner"
EXIT_OK, EXIT_NO_PLAN, EXIT_USAGE = 0, 1, 2
MAX_SCENARIOS_FOR_EVPI = 200  # EVPI costs one solve per scenario


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (try '{PROG} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Size a US strategic rare earth reserve and producer "
                "price floors under disruption scenarios.")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("solve", help="solve a scenario (default: the article baseline) and "
                       "print a summary")
    s.add_argument("input", nargs="?", type=Path, metavar="IN.xlsx",
                   help="scenario workbook; omitted: the built-in article baseline")
    s.add_argument("--json", metavar="FILE", help="write the full result as JSON ('-' = stdout)")
    s.add_argument("--out", type=Path, metavar="RESULTS.xlsx", help="write a results workbook")
    s.add_argument("--report", type=Path, metavar="REPORT.pdf", help="write a PDF report")
    s.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="solver time limit (default 60)")
    s.add_argument("--no-diagnostics", action="store_true",
                   help="skip the no-plan comparison, VSS and shadow prices")
    s.add_argument("--quiet", action="store_true", help="do not print the summary table")

    t = sub.add_parser("template", help="write the article baseline as a scenario workbook")
    t.add_argument("output", type=Path, metavar="FILE.xlsx")
    t.add_argument("--force", action="store_true", help="overwrite an existing file")

    g = sub.add_parser("gui", help="open the window (the default command)")
    g.add_argument("file", nargs="?", type=Path, metavar="FILE.xlsx")
    return p


def _load_inputs(path: Path | None, err: TextIO) -> PlanInputs | None:
    if path is None:
        from .io.baseline import load_article_baseline

        return load_article_baseline()
    from .io.workbook import WorkbookError, load_scenario_workbook

    try:
        return load_scenario_workbook(path)
    except WorkbookError as exc:
        print(f"{PROG}: cannot load {path}:", file=err)
        print(str(exc), file=err)
        return None


def _money(usd: float) -> str:
    if usd != usd:  # NaN
        return "n/a"
    return f"${usd / 1e6:,.1f}M"


def format_summary(result: PlanResult) -> str:
    """The plain-text summary table printed by ``solve``."""
    lines = [f"Scenario: {result.inputs_name}", f"Status:   {result.status.value}: "
             f"{result.message}"]
    if not result.status.has_plan:
        lines += [f"  - {p}" for p in result.problems]
        return "\n".join(lines) + "\n"
    head = (f"{'Material':<15}{'Reserve t':>11}{'Days':>7}{'Filled':>9}{'Outlay':>10}"
            f"{'Floor $/kg':>11}{'Payout':>10}{'Worst':>10}{'Unmet t':>10}{'No plan t':>11}")
    lines += ["", head, "-" * len(head)]
    for m in result.materials:
        fill = "-" if m.months_to_fill == 0 else month_label(result.start_year,
                                                             m.months_to_fill - 1)
        floor = f"{m.floor.level_usd_per_kg:,.2f}" if m.floor.has_floor else "none"
        lines.append(
            f"{m.material:<15}{m.reserve_target_t:>11,.1f}{m.days_of_import_cover:>7,.0f}"
            f"{fill:>9}{_money(m.planned_outlay_usd):>10}{floor:>11}"
            f"{_money(m.floor.expected_payout_usd):>10}{_money(m.floor.worst_case_payout_usd):>10}"
            f"{m.expected_unmet_t:>10,.1f}{m.expected_unmet_without_plan_t:>11,.1f}")
    for m in result.materials:
        if m.floor.projects:
            names = ", ".join(f"{p.name} (from {p.first_output})" for p in m.floor.projects)
            lines.append(f"  {m.material} floor brings online: {names}")
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
        lines.append(f"  {label:<32}{_money(usd):>12}")
    lines.append(f"  {'Total (objective)':<32}{_money(result.costs.total_usd):>12}")
    lines += [
        "",
        f"Expected unmet demand: {result.expected_unmet_t:,.0f} t with the plan, "
        f"{result.expected_unmet_without_plan_t:,.0f} t without",
        f"Shortage damage avoided: {_money(result.expected_shortage_avoided_usd)}; "
        f"benefit/cost {result.benefit_cost_ratio:,.1f}",
        f"Value of the stochastic solution: {_money(result.vss_usd)} "
        f"(mean-value plan costs {_money(result.eev_usd)})",
        f"Cost of US tariffs to buyers: {_money(result.tariff_cost_to_buyers_usd)}",
    ]
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
    extended = not args.no_diagnostics
    result = solve(inputs, SolveOptions(
        time_limit_s=args.time_limit, diagnostics=extended, appraise_floors=extended,
        perfect_information=extended and len(inputs.scenarios) <= MAX_SCENARIOS_FOR_EVPI))
    if args.json == "-":
        json.dump(result.to_dict(), out, indent=1)
        out.write("\n")
    elif not args.quiet:
        out.write(format_summary(result))
    from .io.workbook import WorkbookError

    def write_json(path: Path) -> None:
        path.write_text(json.dumps(result.to_dict(), indent=1) + "\n", encoding="utf-8")

    def write_results(path: Path) -> None:
        from .io.results_workbook import export_results_workbook

        export_results_workbook(inputs, result, path)

    def write_report(path: Path) -> None:
        from .report.pdf import write_report_pdf

        write_report_pdf(inputs, result, path,
                         source_file=str(args.input) if args.input else None)

    outputs = [(Path(args.json), write_json) if args.json and args.json != "-" else None,
               (args.out, write_results) if args.out is not None else None,
               (args.report, write_report) if args.report is not None else None]
    for path, write in filter(None, outputs):
        try:
            write(path)
        except WorkbookError as exc:
            print(f"{PROG}: error: {exc}", file=err)
            return EXIT_USAGE
        except OSError as exc:
            print(f"{PROG}: error: cannot write {path}: {exc.strerror or exc}", file=err)
            return EXIT_USAGE
        if write is not write_json:
            print(f"wrote {path}", file=err)
    return EXIT_OK if result.status.has_plan else EXIT_NO_PLAN


def _cmd_template(args: argparse.Namespace, err: TextIO) -> int:
    if args.output.exists() and not args.force:
        print(f"{PROG}: error: {args.output} exists (use --force to overwrite)", file=err)
        return EXIT_USAGE
    from .io.baseline import load_article_baseline
    from .io.workbook import WorkbookError, save_scenario_workbook

    try:
        save_scenario_workbook(load_article_baseline(), args.output)
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
    commands = {"solve", "template", "gui"}
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        argv = ["gui", *argv]
    args = _parser().parse_args(argv)
    if args.command == "solve":
        return _cmd_solve(args, out, err)
    if args.command == "template":
        return _cmd_template(args, err)
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
