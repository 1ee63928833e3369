"""Does reusing work between the solves of a sweep pay? Measured on the tornado variants.

For every tornado variant (33 on the article baseline) this measures:

* ``solve``: the whole :func:`reserve_planner.optimize.solve` as sweeps call it today
  (validate, build the data and the matrix, branch and bound on scipy's ``linprog``,
  no-plan reference, assemble the result) [ms];
* ``build``: ``build_plan_data`` + ``build_model`` alone [ms], the part a reused matrix
  would save;
* ``LP cold``: the root LP relaxation with scipy ``linprog`` (HiGHS dual simplex), from
  scratch [ms], and the same LP in a fresh ``highspy.Highs`` with its simplex iterations;
* ``LP warm``: the same LP in one persistent ``highspy.Highs`` holding the base model,
  after changing only the costs, bounds and matrix coefficients that differ (the variant
  is *reusable* when its matrix has the base's sparsity pattern), re-solved from the
  previous basis [ms], with its simplex iterations.

Warm starts need the matrix's sparsity pattern to be the same (changed coefficients are
passed with ``changeCoeff``); variants that change the pattern (durations, lead times and
depths move which cells exist) are counted and only solved cold. ``--scenarios N``
repeats the comparison on N sampled scenarios (bigger LPs, where simplex iterations
dominate).

Then the reuse the engine itself does (``optimize/highs_lp.py``): every LP on one built
matrix (the branch-and-bound children, the near-optimal bisection's pinned re-solves, the
floor appraisal) goes to one persistent HiGHS model and starts from the previous basis.
``engine`` times ``solve`` with the near-optimal ranges and release-lag costs both ways:
reusing the model, and with a fresh HiGHS model (a cold start) for every LP.

Run: python benchmarks/reuse_solves.py [--scenarios 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def _highs_model(model):
    import highspy

    A = model.A.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.n_vars, A.shape[0]
    lp.col_cost_ = model.c
    lp.col_lower_, lp.col_upper_ = model.col_lo, model.col_hi
    lp.row_lower_, lp.row_upper_ = model.row_lo, model.row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr
    lp.a_matrix_.index_ = A.indices
    lp.a_matrix_.value_ = A.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 1)  # dual, as scipy's highs-ds
    h.setOptionValue("simplex_dual_edge_weight_strategy", 1)  # devex, as the engine
    h.passModel(lp)
    return h


def _run(h) -> tuple[float, int, float]:
    t0 = time.perf_counter()
    h.run()
    dt = time.perf_counter() - t0
    info = h.getInfo()
    return dt, int(info.simplex_iteration_count), float(info.objective_function_value)


def _changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.nonzero(~((a == b) | (np.isnan(a) & np.isnan(b))))[0].astype(np.int32)


def _same_pattern(a, b) -> tuple[bool, list[tuple[int, int, float]]]:
    """Whether ``b`` has the sparsity pattern of ``a``, and the entries whose values differ
    (row, column, value in ``b``)."""
    a, b = a.tocsr(), b.tocsr()
    a.sort_indices()
    b.sort_indices()
    if (a.shape != b.shape or a.nnz != b.nnz or not np.array_equal(a.indptr, b.indptr)
            or not np.array_equal(a.indices, b.indices)):
        return False, []
    diff = np.nonzero(a.data != b.data)[0]
    rows = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    return True, [(int(rows[k]), int(a.indices[k]), float(b.data[k])) for k in diff]


def bench(base_inputs, label: str, groups: list[str] | None = None) -> None:
    from reserve_planner.analysis import tornado_variants
    from reserve_planner.analysis.outcome import SWEEP_OPTIONS
    from reserve_planner.optimize import solve
    from reserve_planner.optimize.data import build_plan_data
    from reserve_planner.optimize.formulation import MONEY_SCALE, build_model
    from reserve_planner.optimize.solve import _run_lp

    variants = tornado_variants(base_inputs, groups)
    base_model = build_model(build_plan_data(base_inputs))
    warm = _highs_model(base_model)
    _run(warm)  # the base's basis is what the variants start from
    rows = []
    for v in variants:
        t0 = time.perf_counter()
        solve(v.inputs, SWEEP_OPTIONS)
        t_solve = time.perf_counter() - t0
        t0 = time.perf_counter()
        model = build_model(build_plan_data(v.inputs))
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        lp = _run_lp(model, model.col_lo, model.col_hi)
        t_scipy = time.perf_counter() - t0
        cold = _highs_model(model)
        t_cold, it_cold, obj_cold = _run(cold)
        same, coeffs = _same_pattern(base_model.A, model.A)
        if same:
            for r_, c_, v_ in coeffs:
                warm.changeCoeff(r_, c_, v_)
            idx = _changed(model.c, base_model.c)
            if len(idx):
                warm.changeColsCost(len(idx), idx, model.c[idx])
            lo_hi = _changed(model.col_lo, base_model.col_lo).tolist() + _changed(
                model.col_hi, base_model.col_hi).tolist()
            cols = np.array(sorted(set(lo_hi)), dtype=np.int32)
            if len(cols):
                warm.changeColsBounds(len(cols), cols, model.col_lo[cols], model.col_hi[cols])
            rix = np.array(sorted(set(_changed(model.row_lo, base_model.row_lo).tolist()
                                      + _changed(model.row_hi, base_model.row_hi).tolist())),
                           dtype=np.int32)
            if len(rix):
                warm.changeRowsBounds(len(rix), rix, model.row_lo[rix], model.row_hi[rix])
            t_warm, it_warm, obj_warm = _run(warm)
            assert abs(obj_warm - obj_cold) <= 1e-6 * max(1.0, abs(obj_cold)), v.name
            # back to the base for the next variant (its basis stays)
            if len(idx):
                warm.changeColsCost(len(idx), idx, base_model.c[idx])
            if len(cols):
                warm.changeColsBounds(len(cols), cols, base_model.col_lo[cols],
                                      base_model.col_hi[cols])
            if len(rix):
                warm.changeRowsBounds(len(rix), rix, base_model.row_lo[rix],
                                      base_model.row_hi[rix])
            for r_, c_, _ in coeffs:
                warm.changeCoeff(r_, c_, float(base_model.A[r_, c_]))
        else:
            t_warm, it_warm = float("nan"), -1
        same_lp = (obj_cold + model.const) / MONEY_SCALE
        assert lp.ok and abs(lp.fun - same_lp) <= 1e-6 * max(1.0, abs(lp.fun)), v.name
        rows.append((v.name, same, t_solve, t_build, t_scipy, t_cold, it_cold, t_warm,
                     it_warm))

    reuse = [r for r in rows if r[1]]
    med = statistics.median
    print(f"\n{label}: {len(rows)} tornado variants, {base_model.n_vars:,} columns, "
          f"{base_model.A.shape[0]:,} rows; {len(reuse)} keep the base's matrix pattern "
          "(changed costs, bounds and coefficients are passed to the persistent model)")
    print(f"  median solve()            {med(r[2] for r in rows) * 1e3:8.1f} ms")
    print(f"  median build (data+matrix){med(r[3] for r in rows) * 1e3:8.1f} ms "
          f"({med(r[3] / r[2] for r in rows):.0%} of solve)")
    print(f"  median root LP, scipy     {med(r[4] for r in rows) * 1e3:8.1f} ms")
    print(f"  median root LP, highspy   {med(r[5] for r in rows) * 1e3:8.1f} ms cold, "
          f"{med(r[6] for r in rows):,.0f} simplex iterations")
    if reuse:
        cold = med(r[5] for r in reuse)
        warm = med(r[7] for r in reuse)
        print(f"  reusable variants: LP cold {cold * 1e3:.1f} ms "
              f"({med(r[6] for r in reuse):,.0f} it.) vs warm {warm * 1e3:.1f} ms "
              f"({med(r[8] for r in reuse):,.0f} it.): x{cold / warm:.1f} on the LP; "
              f"saving build + LP difference = "
              f"{(med(r[3] for r in reuse) + cold - warm) * 1e3:.1f} ms of a "
              f"{med(r[2] for r in reuse) * 1e3:.1f} ms solve")
    print("  not reusable (matrix pattern changes): "
          + ", ".join(sorted({r[0].rsplit(' ', 1)[0] for r in rows if not r[1]})))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, nargs="*", default=[],
                    help="also on this many sampled scenarios")
    ap.add_argument("--groups", nargs="*", help="input groups for the sampled runs "
                    "(default: storage_cost shortage_cost annual_budget salvage)",
                    default=["storage_cost", "shortage_cost", "annual_budget", "salvage"])
    args = ap.parse_args()
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.model.sampling import sample_scenarios

    base = load_article_baseline()
    bench(base, "Article baseline")
    for n in args.scenarios:
        bench(sample_scenarios(base, n, seed=1), f"{n} sampled scenarios", args.groups)
    print("\nThe engine's own reuse: solve with near-optimal ranges and release-lag costs")
    print(f"{'case':<26}{'reused model':>14}{'cold each LP':>14}{'speedup':>9}")
    engine(base, "Article baseline", repeat=5)
    for n in args.scenarios:
        engine(sample_scenarios(base, n, seed=1), f"{n} sampled scenarios", repeat=1)


def engine(inputs, label: str, repeat: int) -> None:
    import importlib

    from reserve_planner.optimize import SolveOptions, solve
    from reserve_planner.optimize.highs_lp import PersistentLP

    solve_module = importlib.import_module("reserve_planner.optimize.solve")

    opts = SolveOptions(near_optimal_tolerance=0.01, release_lags=(1, 2, 3),
                        time_limit_s=600.0)

    def timed() -> tuple[float, float]:
        times, objective = [], float("nan")
        for _ in range(repeat):
            t0 = time.perf_counter()
            objective = solve(inputs, opts).objective_usd
            times.append(time.perf_counter() - t0)
        return statistics.median(times), objective

    warm, obj_warm = timed()
    reused = solve_module._persistent_lp

    def fresh(model):
        return PersistentLP(model.c, model.A, model.row_lo, model.row_hi, model.col_lo,
                            model.col_hi)

    solve_module._persistent_lp = fresh
    try:
        cold, obj_cold = timed()
    finally:
        solve_module._persistent_lp = reused
    assert abs(obj_warm - obj_cold) <= 1e-6 * abs(obj_cold) + 1.0, (obj_warm, obj_cold)
    print(f"{label:<26}{warm * 1e3:>12.0f}ms{cold * 1e3:>12.0f}ms{cold / warm:>8.1f}x")


if __name__ == "__main__":
    main()
