"""Time of the full tornado on the article baseline (every input group at its low and high
value: 33 solves), on the serial runner and on the local process pool.

Target (issue 12): under 3 s on 2 cores, pool start-up included. Prints one line per
executor: wall time (median of --repeat runs, each with a fresh executor so the pool start
is counted), solves, and solves per second.

Run: python benchmarks/sensitivity_tornado.py [--repeat 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

TARGET_S = 3.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    from reserve_planner.analysis import LocalExecutor, SerialExecutor, solve_outcome, tornado
    from reserve_planner.io.baseline import load_article_baseline

    base = load_article_baseline()
    solve_outcome(base)  # warm-up: imports and first-call costs
    print(f"Full tornado on the article baseline ({os.cpu_count()} cores)")
    for label, make in (("serial", SerialExecutor),
                        (f"process pool x{args.workers}",
                         lambda: LocalExecutor(args.workers))):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            with make() as ex:
                t = tornado(base, executor=ex)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        n = t.sweep.total
        flag = "ok" if med < TARGET_S else "OVER TARGET"
        print(f"  {label:<18} {med:6.2f} s median (min {min(times):.2f}, max "
              f"{max(times):.2f}) for {n} solves = {n / med:5.1f} solves/s  "
              f"[target < {TARGET_S:g} s: {flag}]")
    print("  largest swings of the objective: "
          + ", ".join(f"{b.label} ({b.swing() / 1e6:,.0f} $M)" for b in t.top(3)))


if __name__ == "__main__":
    main()
