"""``reserve-planner sensitivity [IN.xlsx]``: tornado, break-evens and frontiers of a plan.

Runs on a local process pool (all cores, or ``--workers N``) or on a Dask distributed
cluster (``--scheduler tcp://HOST:PORT``), with a progress bar on stderr. Prints a summary,
or writes everything as JSON (``--json FILE``, ``-`` for stdout): tornado rows,
break-evens and frontiers, with the changed inputs of every variant solved. The same
output flags as ``solve``: ``--report R.pdf`` writes the plan's report with the section
"What drives the answer" (tornado, break-evens, frontiers, size curves), ``--out R.xlsx``
the plan's results workbook with the study's sheets (every variant's changed inputs
included, so each can be solved again); ``--paper letter|a4``.

Exit codes as ``solve``: 0 done; 1 the base inputs give no plan; 2 bad arguments, an
unreadable file, no scheduler at the address, or an output that cannot be written (every
other output is still written).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .cli_args import EXIT_NO_PLAN, EXIT_OK, EXIT_USAGE, PROG, Parser, positive_int

HELP = "tornado, break-evens and frontiers of a scenario (default: the article baseline)"




def _range(text: str) -> tuple[str, tuple[float, float]]:
    from .analysis.groups import GROUP_BY_KEY

    key, sep, span = text.partition("=")
    lo, sep2, hi = span.partition(":")
    if not (sep and sep2):
        raise argparse.ArgumentTypeError(f"expected GROUP=LO:HI, e.g. tariff=0:1 (got {text!r})")
    if key not in GROUP_BY_KEY:
        raise argparse.ArgumentTypeError(
            f"no input group {key!r}; known: {', '.join(GROUP_BY_KEY)}")
    try:
        low, high = float(lo), float(hi)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{key}: LO and HI must be numbers (got {span!r})"
                                         ) from None
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise argparse.ArgumentTypeError(f"{key}: need finite LO <= HI (got {span!r})")
    return key, (low, high)


def configure(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the command's arguments to ``p`` and make it run :func:`run`."""
    p.add_argument("input", nargs="?", type=Path, metavar="IN.xlsx",
                   help="scenario workbook; omitted: the built-in article baseline")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (tcp://HOST:PORT); default: a local pool")
    p.add_argument("--workers", type=positive_int, metavar="N",
                   help="local worker processes (default: all cores; 1 = no pool)")
    p.add_argument("--json", metavar="FILE", help="write the full analysis as JSON "
                   "('-' = stdout)")
    p.add_argument("--report", type=Path, metavar="REPORT.pdf",
                   help="write the plan's PDF report with the analysis")
    p.add_argument("--out", type=Path, metavar="RESULTS.xlsx",
                   help="write the plan's results workbook with the analysis sheets")
    p.add_argument("--paper", choices=("a4", "letter"), default=None,
                   help="paper size of the PDF report (default from the locale)")
    p.add_argument("--range", action="append", default=[], type=_range, metavar="GROUP=LO:HI",
                   dest="ranges", help="tornado range of an input group in its unit, e.g. "
                   "shortage_cost=0.3:2 or tariff=0:1 (repeatable; default: half and one and "
                   "a half times the base value)")
    p.add_argument("--top", type=positive_int, default=8, metavar="N",
                   help="input groups to find break-evens for (largest swings; default 8)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``sensitivity`` on the ``reserve-planner`` sub-command parsers (an entry of
    :data:`reserve_planner.cli.COMMANDS`: the handler is set as ``func``)."""
    configure(subparsers.add_parser("sensitivity", help=HELP, description=HELP))


def _m(usd: float) -> str:
    return "n/a" if not math.isfinite(usd) else f"${usd / 1e6:,.1f}M"


def format_summary(study) -> str:
    """The plain-text summary printed by ``sensitivity``."""
    from .analysis.frontier import Frontier

    t = study.tornado
    lines = [f"Scenario: {study.inputs_name}",
             f"Base plan: objective {_m(t.base.objective_usd)}, net benefit "
             f"{_m(t.base.net_benefit_usd)}",
             f"Assumptions that matter most: {', '.join(study.top_assumptions())}", "",
             f"{'Input group':<30}{'low':>12}{'high':>12}{'objective low':>15}"
             f"{'high':>12}{'net benefit low':>17}{'high':>12}  decisions that flip"]
    lines.append("-" * len(lines[-1]))
    for b in t.ranked():
        flips = "; ".join(f"{f.material} {f.kind} ({f.side})" for f in b.flips) or "-"
        lo, hi = (b.group.format(v).replace(" base", "") for v in (b.low_value, b.high_value))
        lines.append(f"{b.label:<30}{lo:>12}{hi:>12}"
                     f"{_m(b.low.objective_usd):>15}{_m(b.high.objective_usd):>12}"
                     f"{_m(b.low.net_benefit_usd):>17}{_m(b.high.net_benefit_usd):>12}  "
                     f"{flips}")
    lines += ["", "Break-evens (decisions that flip within the search range):"]
    found = [b for b in study.breakevens.results if b.flips]
    lines += [f"  {b.sentence()}" for b in found] or ["  none"]
    quiet = len(study.breakevens.results) - len(found)
    if quiet:
        lines.append(f"  ({quiet} decision and input pairs do not flip within their range)")

    def frontier(f: Frontier, head: str, value) -> list[str]:
        out = ["", head]
        for p in f.points:
            o = p.outcome
            mark = "  <- chosen" if p.chosen else ""
            out.append(f"  {value(p.value):>14}  expected cost {_m(o.expected_cost_usd):>10}"
                       f"  CVaR {_m(o.cvar_usd):>10}  shortage avoided "
                       f"{_m(o.shortage_avoided_usd):>10}{mark}")
        return out

    lines += frontier(study.risk_frontier, "Risk frontier (risk weight):", lambda v: f"{v:g}")
    lines += frontier(study.budget_frontier, "Budget frontier (annual budget):",
                      lambda v: f"${v / 1e6:,.0f}M/yr")
    lines.append("")
    n = (study.tornado.sweep.total + study.risk_frontier.sweep.total
         + study.budget_frontier.sweep.total + study.breakevens.n_solves)
    lines.append(f"{n} solves in {study.elapsed_s:,.1f} s on {study.executor}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``sensitivity`` with parsed ``args``."""
    if args.input is not None and not args.input.exists():
        print(f"{PROG}: error: no such file: {args.input}", file=err)
        return EXIT_USAGE
    if args.scheduler and args.workers:
        print(f"{PROG}: error: --workers is for the local pool; a Dask cluster has its own "
              "workers (drop one of --scheduler and --workers)", file=err)
        return EXIT_USAGE
    from .cli import _load_inputs, plan_options  # here, not at the top: cli imports this

    inputs = _load_inputs(args.input, err)
    if inputs is None:
        return EXIT_USAGE
    from .analysis import make_executor, sensitivity_study, solve_outcome

    result = None
    if args.report is not None or args.out is not None:  # the plan the outputs describe
        from .optimize import solve

        result = solve(inputs, plan_options(inputs))
        status, message, has_plan = (result.status.value, result.message,
                                     result.status.has_plan)
    else:
        base = solve_outcome(inputs)
        status, message, has_plan = base.status, base.message, base.has_plan
    if not has_plan:
        print(f"{PROG}: the base inputs give no plan ({status}): {message}", file=err)
        if result is not None:  # as solve does: the report and workbook say what to fix
            return EXIT_NO_PLAN if _write(args, inputs, result, None, err) else EXIT_USAGE
        return EXIT_NO_PLAN
    try:
        executor = make_executor(args.scheduler, args.workers)
    except (ConnectionError, OSError, ValueError) as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    from tqdm import tqdm

    bar = tqdm(total=0, unit="solve", file=err, disable=args.no_progress,
               desc="sensitivity", dynamic_ncols=True, leave=False)

    def progress(_row, done: int, total: int) -> None:
        if total != bar.total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        with executor:
            study = sensitivity_study(inputs, ranges=dict(args.ranges), n_top=args.top,
                                      executor=executor, on_result=progress)
    finally:
        bar.close()
    if args.json == "-":
        json.dump(study.to_dict(), out, indent=1)
        out.write("\n")
    else:
        out.write(format_summary(study))
    return EXIT_OK if _write(args, inputs, result, study, err) else EXIT_USAGE


def _write(args: argparse.Namespace, inputs, result, study, err: TextIO) -> bool:
    """Write the JSON file, the report and the results workbook asked for (all of them,
    even after one fails); True when every one was written. Without a ``study`` (the base
    has no plan) the report and workbook describe the result alone and no JSON is
    written."""
    from .cli import write_json_file, write_outputs, write_plan_report

    def write_results(path: Path) -> None:
        from .io.results_workbook import export_results_workbook

        export_results_workbook(inputs, result, path, sensitivity=study)

    return write_outputs([
        (Path(args.json), lambda p: write_json_file(p, study.to_dict()), True)
        if args.json and args.json != "-" and study is not None else None,
        (args.out, write_results, True) if args.out is not None else None,
        (args.report, lambda p: write_plan_report(p, inputs, result, args.paper, args.input,
                                                  study), True)
        if args.report is not None else None], err)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """``python -m reserve_planner.cli_sensitivity``: the command on its own."""
    p = configure(Parser(prog=f"{PROG} sensitivity", description=HELP))
    args = p.parse_args(list(sys.argv[1:] if argv is None else argv))
    return args.func(args, out or sys.stdout, err or sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
