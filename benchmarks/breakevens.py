"""Time of the break-evens of every floor and reserve decision on the article baseline,
against the top input groups of the tornado (default 8), on the local process pool.

Target (issue 12): under 10 s on 2 cores. Prints the wall time of the tornado and of the
break-evens (one fresh pool for both), the number of solves, and how many decision and
input pairs flip.

Run: python benchmarks/breakevens.py [--top 8] [--workers 2] [--all-groups]
"""

from __future__ import annotations

import argparse
import os
import time

TARGET_S = 10.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--all-groups", action="store_true",
                    help="every input group, not only the top ones")
    args = ap.parse_args()

    from reserve_planner.analysis import (
        INPUT_GROUPS,
        LocalExecutor,
        breakevens,
        solve_outcome,
        tornado,
    )
    from reserve_planner.io.baseline import load_article_baseline

    base = load_article_baseline()
    solve_outcome(base)  # warm-up
    t0 = time.perf_counter()
    with LocalExecutor(args.workers) as ex:
        t = tornado(base, executor=ex)
        t1 = time.perf_counter()
        groups = list(INPUT_GROUPS) if args.all_groups else None
        s = breakevens(base, groups=groups, tornado=t, n_top=args.top, executor=ex)
    t2 = time.perf_counter()
    n_groups = len({b.group for b in s.results})
    flips = sum(b.flips for b in s.results)
    floors = sum(b.flips for b in s.results if b.kind == "floor")
    flag = "ok" if t2 - t1 < TARGET_S else "OVER TARGET"
    print(f"Break-evens on the article baseline, {args.workers} workers")
    print(f"  tornado            {t1 - t0:6.2f} s ({t.sweep.total} solves, pool start "
          "included)")
    print(f"  break-evens        {t2 - t1:6.2f} s ({s.n_solves} solves) for "
          f"{len(s.results)} decision x group pairs ({n_groups} groups, "
          f"{len(t.base.reserve_t)} floors and {len(t.base.reserve_t)} reserves)  "
          f"[target < {TARGET_S:g} s: {flag}]")
    print(f"  {flips} pairs flip within their search range ({floors} of them floors)")
    for b in [b for b in s.results if b.flips and b.kind == "floor"][:4]:
        print(f"    {b.sentence()}")


if __name__ == "__main__":
    main()
