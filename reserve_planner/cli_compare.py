"""``reserve-planner compare A.xlsx B.xlsx [...]``: two or more plans side by side.

Each plan argument is one of

* ``PATH.xlsx``: the main scenario of a scenario (or results) workbook;
* ``PATH.xlsx#Variant name``: a named variant saved in that workbook (its Variants sheet);
* ``baseline``: the built-in article baseline; ``baseline#tariff-threat``: its variant with
  the threatened additional 100% tariff (as ``template --variant tariff-threat``).
  A file called ``baseline`` is named as ``./baseline``.

Every plan is solved (a progress bar on stderr when there are several), then the inputs
that differ, the decisions and the headline results with their differences against the
first plan are printed, or written as JSON (``--json FILE``, ``-`` for stdout), as a PDF
report (``--report``) and as a workbook (``--out``).

Exit codes as ``solve``: 0 done; 1 a plan could not be solved (the others are still
compared and written; the message says which); 2 bad arguments, fewer than two plans, an
unreadable file or variant, or an output that cannot be written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .cli_args import EXIT_NO_PLAN, EXIT_OK, EXIT_USAGE, PROG, Parser

HELP = "compare two or more plans: inputs that differ, decisions and results side by side"
BASELINE = "baseline"
BASELINE_VARIANTS = ("tariff-threat",)
NEAR_OPTIMAL_TOLERANCE = 0.01  # as solve: reserve sizes within 1% of the optimum
PAYOUT_RUNS = 2000  # as solve: price paths for the floors' payout distribution



def configure(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the command's arguments to ``p`` and make it run :func:`run`."""
    from .cli import PAPER_SIZES, default_paper

    p.add_argument("plans", nargs="+", metavar="PLAN",
                   help="a scenario workbook (PATH.xlsx), a named variant in one "
                   "(PATH.xlsx#Variant name), or 'baseline' (the built-in article baseline; "
                   "'baseline#tariff-threat' for its 100%% tariff variant); at least two")
    p.add_argument("--json", metavar="FILE", help="write the comparison as JSON ('-' = "
                   "stdout)")
    p.add_argument("--report", type=Path, metavar="C.pdf", help="write a PDF report")
    p.add_argument("--out", type=Path, metavar="C.xlsx", help="write a comparison workbook")
    p.add_argument("--paper", choices=sorted(PAPER_SIZES), default=None,
                   help="paper size of the PDF report (default from the locale: "
                   f"{default_paper()} here)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="solver time limit per plan (default 60)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``compare`` on the ``reserve-planner`` sub-command parsers (an entry of
    :data:`reserve_planner.cli.COMMANDS`)."""
    configure(subparsers.add_parser("compare", help=HELP, description=HELP))


@dataclass(frozen=True)
class PlanArgument:
    """A plan named on the command line: the workbook (None: built-in baseline) and the
    variant (empty: the main scenario)."""

    text: str
    path: Path | None
    variant: str = ""


class PlanArgumentError(ValueError):
    """A plan argument that names no file or variant."""


def parse_plan_argument(text: str) -> PlanArgument:
    """``PATH.xlsx``, ``PATH.xlsx#Variant``, ``baseline`` or ``baseline#tariff-threat``.

    A path that exists as written is a file even if it contains ``#``; otherwise the text
    after the last ``#`` is the variant. Raises :class:`PlanArgumentError`.
    """
    head, sep, variant = text.rpartition("#")
    if text == BASELINE or (sep and head == BASELINE):
        if sep and variant not in BASELINE_VARIANTS:
            raise PlanArgumentError(f"{text!r}: the built-in baseline has the variants "
                                  f"{', '.join(BASELINE_VARIANTS)} (got {variant!r})")
        return PlanArgument(text, None, variant if sep else "")
    if Path(text).is_file():
        return PlanArgument(text, Path(text))
    if sep and Path(head).is_file():
        if not variant.strip():
            raise PlanArgumentError(f"{text!r}: no variant name after '#'")
        return PlanArgument(text, Path(head), variant.strip())
    missing = head if sep and head else text
    raise PlanArgumentError(f"no such file: {missing}" + (
        f" (for the built-in baseline write '{BASELINE}')" if missing.casefold() in (
            "baseline.xlsx", "article baseline") else ""))


def _plan_names(args: list[PlanArgument], inputs_names: list[str]) -> list[str]:
    """One unique name per plan: the variant's, the file's stem, or the baseline's."""
    names = []
    for a, scenario in zip(args, inputs_names, strict=True):
        if a.path is None:
            names.append(scenario)
        elif a.variant:
            names.append(a.variant)
        else:
            names.append(a.path.stem)
    out: list[str] = []
    for n in names:
        name, k = n, 2
        while name in out:
            name, k = f"{n} ({k})", k + 1
        out.append(name)
    return out


def _m(usd: float) -> str:
    if not math.isfinite(usd):
        return "n/a"
    return f"${usd / 1e6:,.1f}M"


def _figure_text(v: float, unit: str) -> str:
    if math.isinf(v) and unit == "x":
        return "no net cost"
    if not math.isfinite(v):
        return "n/a"
    if unit == "$":
        return ("-" if v < 0 else "") + _m(abs(v))
    if unit == "t":
        return f"{v:,.1f} t"
    return f"{v:,.2f}{unit}"


def _delta_text(v: float, unit: str) -> str:
    if not math.isfinite(v):
        return "-"
    text = _figure_text(abs(v), unit)
    return ("+" if v > 0 else "-" if v < 0 else "") + text


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def format_summary(comparison) -> str:
    """The plain-text summary printed by ``compare``."""
    from .analysis.compare import value_text

    c = comparison
    longest = max(len(n) for n in c.names)
    w = max(12, min(22, longest + 2))
    # Column headings: the plans' names, or "Plan 1", "Plan 2", ... when a name is too long
    names = c.names if longest + 2 <= w else tuple(f"Plan {i}" for i in
                                                    range(1, len(c.names) + 1))
    lines = ["Plans (differences against plan 1):"]
    for i, p in enumerate(c.plans, start=1):
        lines.append(f"  {i}. {p.name}: {p.source or 'no file'}; scenario "
                     f"{p.scenario_name!r}; {p.result.status.value}"
                     + ("" if p.has_plan else f": {p.result.message}"))
    lines += ["", f"Inputs that differ ({len(c.inputs)}):"]
    if c.inputs:
        head = f"  {'Input':<44}" + "".join(f"{_short(n, w - 1):>{w}}" for n in names)
        lines += [head, "  " + "-" * (len(head) - 2)]
        for d in c.inputs:
            lines.append(f"  {_short(d.label, 43):<44}" + "".join(
                f"{_short(value_text(v, d.unit), w - 1):>{w}}" for v in d.values))
        for d in c.inputs:
            for i, p in enumerate(c.plans[1:], start=1):
                added, removed = d.row_changes(i) if d.is_table else ((), ())
                if added or removed:
                    lines.append(f"  {d.label.split(':')[0]} in {p.name}: " + "; ".join(
                        part for part in (
                            "adds " + ", ".join(repr(n) for n in added) if added else "",
                            "lacks " + ", ".join(repr(n) for n in removed) if removed
                            else "") if part))
    else:
        lines.append("  none: the plans have the same inputs")
    lines += ["", "Decisions:"]
    head = f"  {'Material':<16}{'Decision':<12}" + "".join(f"{_short(n, w - 1):>{w}}"
                                                          for n in names)
    lines += [head, "  " + "-" * (len(head) - 2)]
    blank = ["no plan" if not p.has_plan else "-" for p in c.plans]  # "-": no such material
    for md in c.decisions:
        reserve = [f"{d.reserve_t:,.1f} t" if d is not None else b
                   for d, b in zip(md.plans, blank, strict=True)]
        floor = [("none" if not d.has_floor else f"${d.floor_usd_per_kg:,.2f}/kg")
                 if d is not None else b for d, b in zip(md.plans, blank, strict=True)]
        lines.append(f"  {_short(md.material, 15):<16}{'reserve':<12}" + "".join(
            f"{r:>{w}}" for r in reserve))
        lines.append(f"  {'':<16}{'floor':<12}" + "".join(f"{f:>{w}}" for f in floor))
    lines += ["", "Results (money expected and discounted; each later plan: value and "
              "difference against plan 1):"]
    head = f"  {'Figure':<50}{_short(names[0], w - 1):>{w}}" + "".join(
        f"{_short(n, w - 1):>{w}}{'difference':>{w}}" for n in names[1:])
    lines += [head, "  " + "-" * (len(head) - 2)]
    for r in c.figures:
        cells = [f"{_figure_text(r.values[0], r.unit):>{w}}"]
        for v, dv in zip(r.values[1:], r.differences[1:], strict=True):
            cells.append(f"{_figure_text(v, r.unit):>{w}}{_delta_text(dv, r.unit):>{w}}")
        lines.append(f"  {_short(r.label, 49):<50}" + "".join(cells))
    return "\n".join(lines) + "\n"


def _load(args: list[PlanArgument], err: TextIO):
    """(inputs, source text) per argument, or None after printing why not."""
    from .io.baseline import load_article_baseline, load_tariff_threat_variant
    from .io.variants import load_workbook_scenarios
    from .io.workbook import WorkbookError

    books: dict[Path, object] = {}
    out = []
    for a in args:
        if a.path is None:
            inputs = load_tariff_threat_variant() if a.variant else load_article_baseline()
            out.append((inputs, "built-in baseline" + (f"#{a.variant}" if a.variant else "")))
            continue
        key = a.path.resolve()
        if key not in books:
            try:
                books[key] = load_workbook_scenarios(a.path)
            except WorkbookError as exc:
                print(f"{PROG}: cannot load {a.path}:", file=err)
                print(str(exc), file=err)
                return None
            book = books[key]
            for warning in book.warnings:  # type: ignore[attr-defined]
                print(f"{PROG}: warning: {a.path}: {warning}", file=err)
            if book.problems and not a.variant:  # type: ignore[attr-defined]
                for p in book.problems:  # type: ignore[attr-defined]
                    print(f"{PROG}: warning: {a.path}: {p} (that variant was not read)",
                          file=err)
        try:
            inputs = books[key].plan(a.variant)  # type: ignore[attr-defined]
        except KeyError as exc:
            print(f"{PROG}: error: {a.path}: {exc.args[0]}", file=err)
            return None
        out.append((inputs, a.text))
    return out


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``compare`` with parsed ``args``."""
    if len(args.plans) < 2:
        print(f"{PROG}: error: compare needs at least two plans (got {len(args.plans)}); "
              "e.g. 'compare baseline plan.xlsx'", file=err)
        return EXIT_USAGE
    if not args.time_limit > 0:
        print(f"{PROG}: error: --time-limit must be positive", file=err)
        return EXIT_USAGE
    try:
        parsed = [parse_plan_argument(t) for t in args.plans]
    except PlanArgumentError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    loaded = _load(parsed, err)
    if loaded is None:
        return EXIT_USAGE
    from tqdm import tqdm

    from .analysis.compare import NamedPlan, compare_plans
    from .io.variants import workbook_field_label
    from .optimize import SolveOptions, solve

    options = SolveOptions(time_limit_s=args.time_limit, diagnostics=False,
                           appraise_floors=False, perfect_information=False,
                           near_optimal_tolerance=NEAR_OPTIMAL_TOLERANCE,
                           payout_runs=PAYOUT_RUNS)
    names = _plan_names(parsed, [i.name for i, _ in loaded])
    plans = []
    with tqdm(total=len(loaded), unit="plan", file=err, desc="solving",
              disable=args.no_progress or len(loaded) < 2, leave=False,
              dynamic_ncols=True) as bar:
        for name, (inputs, source) in zip(names, loaded, strict=True):
            bar.set_postfix_str(name[:30])
            plans.append(NamedPlan(name, inputs, solve(inputs, options), source))
            bar.update(1)
    comparison = compare_plans(plans, describe=workbook_field_label)
    if args.json == "-":
        json.dump(comparison.to_dict(), out, indent=1)
        out.write("\n")
    else:
        out.write(format_summary(comparison))
    status = _write_outputs(args, comparison, err)
    if status != EXIT_OK:
        return status
    for p in comparison.unsolved:
        print(f"{PROG}: no plan for {p.name} ({p.source}): {p.result.status.value}: "
              f"{p.result.message}", file=err)
        for problem in p.result.problems:
            print(f"  - {problem}", file=err)
    return EXIT_NO_PLAN if comparison.unsolved else EXIT_OK


def _write_outputs(args: argparse.Namespace, comparison, err: TextIO) -> int:
    from .cli import PAPER_SIZES, default_paper
    from .io.workbook import WorkbookError

    def write_json(path: Path) -> None:
        from .io.atomic_save import atomic_write

        text = (json.dumps(comparison.to_dict(), indent=1) + "\n").encode("utf-8")
        atomic_write(path, lambda f: f.write(text))

    def write_workbook(path: Path) -> None:
        from .io.comparison_workbook import export_comparison_workbook

        export_comparison_workbook(comparison, path)

    def write_report(path: Path) -> None:
        from .report.comparison import build_comparison_report
        from .report.pdf import write_document_pdf

        write_document_pdf(build_comparison_report(comparison), path,
                           PAPER_SIZES[args.paper or default_paper()])

    outputs = [(Path(args.json), write_json) if args.json and args.json != "-" else None,
               (args.out, write_workbook) if args.out is not None else None,
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
        print(f"wrote {path}", file=err)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """``python -m reserve_planner.cli_compare``: the command on its own."""
    p = configure(Parser(prog=f"{PROG} compare", description=HELP))
    args = p.parse_args(list(sys.argv[1:] if argv is None else argv))
    return args.func(args, out or sys.stdout, err or sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
