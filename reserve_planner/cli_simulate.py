"""``reserve-planner simulate [IN.xlsx]``: a Monte Carlo test of the optimised plan.

Solves the plan (of the workbook, default the article baseline), draws ``--runs`` disruption
futures from the Monte Carlo distributions (default: ranges around the inputs' scenarios;
``--spec FILE.json`` for others, in the format of ``MonteCarloSpec.to_dict``), holds the
plan fixed and plays every future with the model's own recourse, beside the status quo on
the same futures. The same ``--seed`` gives the same numbers. A workbook's own "Monte Carlo"
sheet holds distributions to draw from (``--write-spec SPEC.xlsx`` writes the ones in use,
to edit and add to a scenario workbook or pass as ``--spec SPEC.xlsx``). With ``--sample N``
the plan is optimised on N futures drawn from the same distributions (sample-average approximation,
``--sample-seed``) and the output shows its in-sample against out-of-sample expected cost.

Prints a summary, or the whole test as JSON (``--json FILE``, ``-`` for stdout). The same
output flags as ``solve``: ``--report R.pdf`` writes the Monte Carlo report (``--paper``),
``--out R.xlsx`` the plan's results workbook with a "Monte Carlo test" sheet. A progress bar on
stderr (``--no-progress`` to hide it).

Exit codes as ``solve``: 0 done; 1 the inputs give no plan; 2 bad arguments, an unreadable
file or spec, or an output that cannot be written (every other output is still written).
Nothing is written when the arguments are bad.
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

HELP = "Monte Carlo test of the optimised plan on simulated futures, against the status quo"
DEFAULT_RUNS = 10_000
DEFAULT_SEED = 1




def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed (a whole number >= 0): {text!r}"
                                         ) from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"a seed is a whole number >= 0 (got {n})")
    return n


def configure(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the command's arguments to ``p`` and make it run :func:`run`."""
    p.add_argument("input", nargs="?", type=Path, metavar="IN.xlsx",
                   help="scenario workbook; omitted: the built-in article baseline")
    p.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS, metavar="N",
                   help=f"simulated futures (default {DEFAULT_RUNS:,})")
    p.add_argument("--seed", type=_seed, default=DEFAULT_SEED, metavar="S",
                   help=f"random seed; the same seed gives the same numbers (default "
                   f"{DEFAULT_SEED})")
    p.add_argument("--spec", type=Path, metavar="SPEC.json|SPEC.xlsx",
                   help="the distributions to draw from: JSON, or a workbook with a Monte "
                   "Carlo sheet (default: the Monte Carlo sheet of IN.xlsx if it has one, "
                   "else ranges around the inputs' scenarios)")
    p.add_argument("--write-spec", type=Path, metavar="SPEC.xlsx|SPEC.json",
                   help="also write the distributions used, to edit and pass to --spec")
    p.add_argument("--sample", type=positive_int, metavar="N",
                   help="optimise the plan on N futures drawn from the same distributions "
                   "and report the in-sample against out-of-sample gap")
    p.add_argument("--sample-seed", type=_seed, default=0, metavar="S",
                   help="seed of the --sample futures (default 0; never the same futures "
                   "as the test's)")
    p.add_argument("--json", metavar="FILE", help="write the test as JSON ('-' = stdout)")
    p.add_argument("--report", type=Path, metavar="REPORT.pdf",
                   help="write the Monte Carlo report as a PDF")
    p.add_argument("--out", type=Path, metavar="RESULTS.xlsx",
                   help="write the plan's results workbook with a 'Monte Carlo test' sheet")
    p.add_argument("--paper", choices=("a4", "letter"), default=None,
                   help="paper size of the PDF report (default from the locale)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``simulate`` on the ``reserve-planner`` sub-command parsers (an entry of
    :data:`reserve_planner.cli.COMMANDS`)."""
    configure(subparsers.add_parser("simulate", help=HELP, description=HELP))


def _m(usd: float) -> str:
    if not math.isfinite(usd):
        return "n/a"
    return f"{'-' if usd < 0 else ''}${abs(usd) / 1e6:,.1f}M"


def format_summary(mc) -> str:
    """The plain-text summary printed by ``simulate``."""
    lines = [f"Scenario: {mc.inputs_name}",
             f"{mc.runs:,} simulated futures (seed {mc.seed}), {mc.elapsed_s:,.1f} s", ""]
    head = f"{'':<30}{'expected':>12}{'+-':>9}{'P5':>12}{'P50':>12}{'P95':>12}{'worst':>12}"
    lines += [head, "-" * len(head)]

    def row(label: str, d, f) -> str:
        return (f"{label:<30}{f(d.expected):>12}{f(d.std_error):>9}{f(d.p5):>12}"
                f"{f(d.p50):>12}{f(d.p95):>12}{f(d.worst):>12}")

    for label, d in (("Total cost, plan", mc.cost()),
                     ("Total cost, status quo", mc.cost(False)),
                     ("Plan minus status quo", mc.cost_difference()),
                     ("Fiscal outlay, plan", mc.outlay()),
                     ("Fiscal outlay, status quo", mc.outlay(False))):
        lines.append(row(label, d, _m))
    lines.append("")

    def t(v: float) -> str:
        return f"{v:,.1f} t"

    for m in mc.material_names:
        lines.append(row(f"Shortfall {m}, plan"[:30], mc.shortfall(m), t))
        lines.append(row("  status quo", mc.shortfall(m, False), t))
        p_out = mc.probability_runs_out(m)
        lines.append("  no reserve held" if math.isnan(p_out) else
                     f"  reserve runs out in {p_out:.1%} of futures")
    lines += ["", f"The plan costs more than the status quo in "
              f"{mc.probability_plan_costs_more():.1%} of futures; a reserve runs out in "
              f"{mc.probability_runs_out():.1%}."]
    g = mc.sample_gap
    if g is not None:
        lines.append(f"Sample-average approximation ({g.sample_paths:,} futures, seed "
                     f"{g.sample_seed}): expected cost in sample {_m(g.in_sample_usd)} "
                     f"(+-{_m(g.in_sample_std_error_usd)}), out of sample "
                     f"{_m(g.out_of_sample_usd)} (+-{_m(g.std_error_usd)}), gap "
                     f"{_m(g.gap_usd)} (+-{_m(g.combined_std_error_usd)})")
    return "\n".join(lines) + "\n"


def _load_spec(path: Path | None, input_path: Path | None, inputs, err: TextIO):
    """The spec (from ``path``, else the Monte Carlo sheet of the input workbook, else
    around the inputs' scenarios), or None after printing why not."""
    from .io.montecarlo_sheet import MonteCarloSheetError, read_montecarlo_sheet
    from .io.workbook import WorkbookError
    from .model.montecarlo_spec import spec_around_scenarios, spec_from_dict

    spec = None
    try:
        if path is not None and path.suffix.casefold() == ".xlsx":
            spec = read_montecarlo_sheet(path, inputs)
            if spec is None:
                print(f"{PROG}: error: {path} has no 'Monte Carlo' sheet", file=err)
                return None
        elif path is not None:
            spec = spec_from_dict(json.loads(path.read_text(encoding="utf-8")))
        elif input_path is not None:
            spec = read_montecarlo_sheet(input_path, inputs)
            if spec is not None:
                print(f"{PROG}: the futures are drawn from the Monte Carlo sheet of "
                      f"{input_path}", file=err)
    except OSError as exc:
        print(f"{PROG}: error: cannot read {path}: {exc.strerror or exc}", file=err)
        return None
    except json.JSONDecodeError as exc:
        print(f"{PROG}: error: {path} is not JSON: {exc}", file=err)
        return None
    except MonteCarloSheetError as exc:
        print(f"{PROG}: error: the Monte Carlo sheet cannot be used:", file=err)
        for p in exc.problems:
            print(f"  {p}", file=err)
        return None
    except WorkbookError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return None
    except ValueError as exc:
        print(f"{PROG}: error: {path}: {exc}", file=err)
        return None
    spec = spec or spec_around_scenarios(inputs)
    problems = spec.validate(inputs)
    if problems:
        print(f"{PROG}: error: the Monte Carlo distributions are not valid"
              + (f" ({path})" if path else "") + ":", file=err)
        for p in problems:
            print(f"  {p}", file=err)
        return None
    return spec


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``simulate`` with parsed ``args``."""
    for given in (args.input, args.spec):
        if given is not None and not given.exists():
            print(f"{PROG}: error: no such file: {given}", file=err)
            return EXIT_USAGE
    if args.out is not None and not str(args.out).casefold().endswith(".xlsx"):
        print(f"{PROG}: error: --out must name an .xlsx file (got {args.out})", file=err)
        return EXIT_USAGE
    if args.write_spec is not None and args.write_spec.suffix.casefold() not in (".xlsx",
                                                                                 ".json"):
        print(f"{PROG}: error: --write-spec must name an .xlsx or .json file (got "
              f"{args.write_spec})", file=err)
        return EXIT_USAGE
    from .cli import _load_inputs, plan_options  # here, not at the top: cli imports this

    inputs = _load_inputs(args.input, err)
    if inputs is None:
        return EXIT_USAGE
    spec = _load_spec(args.spec, args.input, inputs, err)
    if spec is None:
        return EXIT_USAGE
    from .analysis.montecarlo import simulate_plan
    from .analysis.montecarlo_paths import sample_inputs
    from .optimize import solve

    plan_inputs = inputs if args.sample is None else sample_inputs(inputs, spec, args.sample,
                                                                   args.sample_seed)
    extended = args.out is not None and args.sample is None
    result = solve(plan_inputs, plan_options(plan_inputs, extended))
    if not result.status.has_plan:
        print(f"{PROG}: the inputs give no plan ({result.status.value}): {result.message}",
              file=err)
        return EXIT_NO_PLAN
    from tqdm import tqdm

    bar = tqdm(total=args.runs, unit="future", file=err, disable=args.no_progress,
               desc="simulate", dynamic_ncols=True, leave=False)
    try:
        mc = simulate_plan(inputs, result, spec, args.runs, args.seed,
                           on_progress=lambda done, _total: bar.update(done - bar.n),
                           sample=(args.sample, args.sample_seed) if args.sample else None)
    finally:
        bar.close()
    if args.json == "-":
        json.dump(mc.to_dict(), out, indent=1)
        out.write("\n")
    else:
        out.write(format_summary(mc))
    return EXIT_OK if _write(args, plan_inputs, result, mc, err) else EXIT_USAGE


def _write(args: argparse.Namespace, inputs, result, mc, err: TextIO) -> bool:
    """Write the JSON file, the report and the results workbook asked for (all of them,
    even after one fails); True when every one was written."""
    from .cli import PAPER_SIZES, default_paper, write_json_file, write_outputs

    def write_results(path: Path) -> None:
        from .io.montecarlo_workbook import export_montecarlo_workbook

        export_montecarlo_workbook(inputs, result, mc, path)

    def write_report(path: Path) -> None:
        from .report import pdf
        from .report.montecarlo_section import build_montecarlo_report

        report = build_montecarlo_report(mc, result, str(args.input) if args.input else None)
        pdf.write_document_pdf(report, path, PAPER_SIZES[args.paper or default_paper()])

    def write_spec(path: Path) -> None:
        if path.suffix.casefold() == ".json":
            write_json_file(path, mc.spec.to_dict())
        else:
            from .io.montecarlo_sheet import write_spec_workbook

            write_spec_workbook(mc.spec, inputs, path)

    return write_outputs([
        (args.write_spec, write_spec, True) if args.write_spec is not None else None,
        (Path(args.json), lambda p: write_json_file(p, mc.to_dict()), True)
        if args.json and args.json != "-" else None,
        (args.out, write_results, True) if args.out is not None else None,
        (args.report, write_report, True) if args.report is not None else None], err)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """``python -m reserve_planner.cli_simulate``: the command on its own."""
    p = configure(Parser(prog=f"{PROG} simulate", description=HELP))
    args = p.parse_args(list(sys.argv[1:] if argv is None else argv))
    return args.func(args, out or sys.stdout, err or sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
