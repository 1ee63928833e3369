"""Solve time and memory of the optimiser, from the article baseline to 10,000 scenarios.

Prints a table: model-build time, HiGHS time, total, build share, peak memory (resident set
of a fresh process per size, so sizes do not inherit each other's peak). Targets on a 2-core
machine: baseline median under 50 ms, build at most a fifth of the total at every size,
10,000 scenarios under 60 s and 2 GB.

Run: python benchmarks/solve_scaling.py [--sizes 100 1000 10000] [--repeat 21]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def run_one(size: int, repeat: int) -> dict:
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.model.sampling import sample_scenarios
    from reserve_planner.optimize import SolveOptions, solve

    inputs = load_article_baseline()
    opts = SolveOptions(time_limit_s=600.0)
    solve(inputs, opts)  # warm-up: imports and first-call costs, on the small baseline
    if size > 0:
        inputs = sample_scenarios(inputs, size, seed=1)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = solve(inputs, opts)
        runs.append((time.perf_counter() - t0, r.build_time_s, r.highs_time_s))
    total, build, highs = (statistics.median(x) for x in zip(*runs, strict=True))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scenarios": len(inputs.scenarios), "status": r.status.value, "build_s": build,
            "highs_s": highs, "total_s": total, "peak_mb": peak_mb, "vars": r.n_variables,
            "rows": r.n_constraints, "repeat": repeat}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=21, help="runs of the baseline (median)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        repeat = args.repeat if args.one == 0 else (3 if args.one <= 1000 else 1)
        print(json.dumps(run_one(args.one, repeat)))
        return
    print(f"{'scenarios':>14}{'variables':>11}{'rows':>10}{'build':>10}{'HiGHS':>10}"
          f"{'total':>10}{'build %':>9}{'peak MB':>9}  status")
    for size in [0, *args.sizes]:
        proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--repeat",
                               str(args.repeat)], capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        label = f"{r['scenarios']}" + (" (baseline)" if size == 0 else "")
        print(f"{label:>14}{r['vars']:>11,}{r['rows']:>10,}{r['build_s'] * 1e3:>8.1f}ms"
              f"{r['highs_s'] * 1e3:>8.1f}ms{r['total_s'] * 1e3:>8.1f}ms"
              f"{100 * r['build_s'] / r['total_s']:>8.0f}%{r['peak_mb']:>9.0f}  {r['status']}"
              + (f" (median of {r['repeat']})" if r["repeat"] > 1 else ""))


if __name__ == "__main__":
    main()
