"""Time of a Monte Carlo test of the article baseline's plan: N paths (default 10,000)
played with the plan held fixed and the status quo on the same paths.

Target (issue 11): 10,000 paths in under 5 s on 2 cores. Prints the wall time (median of
``--repeat`` runs after a warm-up), paths per second, the batch size, and the figures the
run gives (so a change in speed can be read beside a change in numbers).

Run: python benchmarks/montecarlo.py [--runs 10000] [--seed 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

TARGET_S = 5.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from reserve_planner.analysis.montecarlo import simulate_plan
    from reserve_planner.analysis.montecarlo_paths import BATCH_PATHS
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.optimize import solve

    base = load_article_baseline()
    result = solve(base)
    simulate_plan(base, result, runs=BATCH_PATHS, seed=args.seed)  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        mc = simulate_plan(base, result, runs=args.runs, seed=args.seed)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"{args.runs:,} paths in {median:.2f} s median of {args.repeat} "
          f"({args.runs / median:,.0f} paths/s, batches of {BATCH_PATHS:,}); target "
          f"{TARGET_S:.0f} s: {'met' if median < TARGET_S else 'NOT met'} (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    c, q, diff = mc.cost(), mc.cost(False), mc.cost_difference()
    print(f"total cost, plan:       expected ${c.expected / 1e6:,.1f}M "
          f"(+-{c.std_error / 1e6:,.1f}M)  P95 ${c.p95 / 1e6:,.1f}M  worst ${c.worst / 1e6:,.1f}M")
    print(f"total cost, status quo: expected ${q.expected / 1e6:,.1f}M  P95 ${q.p95 / 1e6:,.1f}M"
          f"  worst ${q.worst / 1e6:,.1f}M")
    print(f"plan minus status quo:  expected ${diff.expected / 1e6:,.1f}M  "
          f"P(plan costs more) {mc.probability_plan_costs_more():.1%}  "
          f"P(reserve runs out) {mc.probability_runs_out():.1%}")
    print(f"in-sample expected cost of the plan (its scenarios): "
          f"${result.expected_cost_usd / 1e6:,.1f}M")


if __name__ == "__main__":
    main()
