"""One persistent HiGHS model per built matrix, re-solved from its last basis.

The engine solves many LPs on one matrix that differ only in column bounds: the children of
its branch and bound (a floor level pinned), the near-optimal bisection (a reserve pinned),
the floor appraisal and the shadow-price pass (first stage fixed). Handing each of them to
``scipy.optimize.linprog`` passes the whole matrix to a fresh HiGHS instance that starts
from a slack basis. :class:`PersistentLP` passes the matrix once, changes only the column
bounds that differ from the previous solve (``changeColsBounds``), and lets HiGHS' dual
simplex start from the previous optimal basis, which stays dual feasible after a bound
change. ``benchmarks/reuse_solves.py`` and ``benchmarks/solve_scaling.py`` measure the gain.

Rows are passed as HiGHS' ranged rows ``row_lo <= A x <= row_hi`` (no split into ``<=``
and ``=`` blocks), so the row duals are read directly as d objective / d active bound.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

#: HiGHS' model status -> the status code the engine uses (linprog's convention):
#: 0 optimal, 1 time or iteration limit, 2 infeasible, 3 unbounded, 4 numerical trouble.
_STATUS = {
    highspy.HighsModelStatus.kOptimal: 0,
    highspy.HighsModelStatus.kTimeLimit: 1,
    highspy.HighsModelStatus.kIterationLimit: 1,
    highspy.HighsModelStatus.kInfeasible: 2,
    highspy.HighsModelStatus.kUnbounded: 3,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: 2,
}




def _first_highs_quietly() -> None:
    """Make the process's first ``Highs`` with standard output pointed at the null device:
    HiGHS prints its copyright banner to stdout once per process, on the first instance,
    before any option can switch logging off, and ``solve --json -`` writes JSON there."""
    try:
        sys.stdout.flush()
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):  # no real stdout: nothing to protect
        highspy.Highs()
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            highspy.Highs()
    finally:
        os.dup2(saved, fd)
        os.close(saved)


_first_highs_quietly()


@dataclass(frozen=True)
class LPOutcome:
    """One LP solve in the matrix's own units.

    Attributes
    ----------
    status : int
        0 optimal, 1 limit, 2 infeasible, 3 unbounded, 4 numerical trouble.
    x : ndarray
        Column values (nan when not optimal).
    fun : float
        ``c @ x`` without the model's constant (nan when not optimal).
    row_dual : ndarray
        d objective / d active bound of each row (0 for a slack row).
    upper_dual : ndarray
        d objective / d upper bound of each column: its reduced cost where the column sits
        at its upper bound with a negative reduced cost (raising the bound would lower the
        objective), else 0.
    iterations : int
        Simplex iterations this solve took (small after a warm start).
    """

    status: int
    x: NDArray[np.float64]
    fun: float
    row_dual: NDArray[np.float64]
    upper_dual: NDArray[np.float64]
    iterations: int


#: HiGHS' presolve costs more than it saves on small models and pays on large ones: the
#: baseline (14,500 columns) solves in 30 ms without it against 49 ms with it, 300 sampled
#: scenarios (14,700) in 144 against 156 ms, 1,000 (about 50,000 columns) in 795 against
#: 628 ms (benchmarks/solve_scaling.py, whole solve) [columns].
PRESOLVE_FROM_COLUMNS = 25_000


class PersistentLP:
    """The LP ``min c@x`` s.t. ``row_lo <= A@x <= row_hi``, ``lo <= x <= hi`` held in one
    ``highspy.Highs`` instance; :meth:`solve` takes new column bounds and warm-starts.

    Not thread-safe: one instance is used by one thread at a time (each solve builds its
    own matrix, so concurrent solves never share one).
    """

    def __init__(self, c: NDArray, A, row_lo: NDArray, row_hi: NDArray,
                 col_lo: NDArray, col_hi: NDArray):
        csc = A.tocsc()
        self._h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("simplex_strategy", 1)  # dual simplex, as linprog's "highs-ds"
        # Devex pricing is about a third faster than HiGHS' default steepest edge here
        # (benchmarks/solve_scaling.py), most of all with thousands of scenarios.
        h.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        if len(c) < PRESOLVE_FROM_COLUMNS:
            h.setOptionValue("presolve", "off")
        # The arrays go in whole: filling a HighsLp field by field converts each numpy
        # array element by element (6 ms for the baseline's matrix against 0.9 ms).
        status = h.passModel(
            len(c), csc.shape[0], csc.nnz, int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize), 0.0, np.asarray(c, dtype=float),
            np.asarray(col_lo, dtype=float), np.asarray(col_hi, dtype=float),
            np.asarray(row_lo, dtype=float), np.asarray(row_hi, dtype=float),
            csc.indptr.astype(np.int32), csc.indices.astype(np.int32),
            csc.data.astype(float), np.zeros(len(c), dtype=np.int32))
        if status == highspy.HighsStatus.kError:
            raise ValueError("HiGHS refused the model (its bounds or matrix are not valid)")
        self._lo = np.array(col_lo, dtype=float)
        self._hi = np.array(col_hi, dtype=float)
        self._row_lo = np.array(row_lo, dtype=float)
        self._row_hi = np.array(row_hi, dtype=float)
        self.n_cols, self.n_rows = len(c), csc.shape[0]
        self.solves = 0

    def _set_bounds(self, lo: NDArray, hi: NDArray) -> None:
        changed = np.flatnonzero((lo != self._lo) | (hi != self._hi)).astype(np.int32)
        if changed.size:
            self._h.changeColsBounds(changed.size, changed, lo[changed], hi[changed])
            self._lo[changed] = lo[changed]
            self._hi[changed] = hi[changed]

    def _set_row_bounds(self, lo: NDArray, hi: NDArray) -> None:
        changed = np.flatnonzero((lo != self._row_lo) | (hi != self._row_hi)).astype(np.int32)
        if changed.size:
            self._h.changeRowsBounds(changed.size, changed, lo[changed], hi[changed])
            self._row_lo[changed] = lo[changed]
            self._row_hi[changed] = hi[changed]

    def solve(self, col_lo: NDArray, col_hi: NDArray, time_limit_s: float = 60.0,
              row_lo: NDArray | None = None, row_hi: NDArray | None = None) -> LPOutcome:
        """Re-solve with column bounds ``col_lo``/``col_hi`` (and, when given, row bounds
        ``row_lo``/``row_hi``: a model that relaxes some rows shares this instance), from
        the last basis."""
        lo = np.asarray(col_lo, dtype=float)
        hi = np.asarray(col_hi, dtype=float)
        self._set_bounds(lo, hi)
        if row_lo is not None and row_hi is not None:
            self._set_row_bounds(np.asarray(row_lo, dtype=float),
                                 np.asarray(row_hi, dtype=float))
        h = self._h
        h.setOptionValue("time_limit", float(max(time_limit_s, 1e-3)))
        h.run()
        self.solves += 1
        status = _STATUS.get(h.getModelStatus(), 4)
        info = h.getInfo()
        iterations = int(info.simplex_iteration_count)
        if status != 0:
            # A failed solve can leave a basis that is no use to the next one.
            h.clearSolver()
            return LPOutcome(status, np.full(self.n_cols, np.nan), math.nan,
                             np.zeros(self.n_rows), np.zeros(self.n_cols), iterations)
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        col_dual = np.asarray(sol.col_dual, dtype=float)
        finite = np.isfinite(hi)
        slack = np.where(finite, hi, 0.0) - x
        at_upper = finite & (slack <= 1e-9 * np.maximum(1.0, np.abs(np.where(finite, hi, 0.0))))
        upper_dual = np.where(at_upper & (col_dual < 0.0), col_dual, 0.0)
        return LPOutcome(0, x, float(info.objective_function_value),
                         np.asarray(sol.row_dual, dtype=float), upper_dual, iterations)


def solve_with_fixed_columns(c: NDArray, A, row_lo: NDArray, row_hi: NDArray,
                             col_lo: NDArray, col_hi: NDArray,
                             time_limit_s: float = 60.0) -> LPOutcome:
    """The LP with every column whose bounds meet (``col_lo == col_hi``) substituted out:
    the others and the rows they enter are solved as a smaller LP in a new HiGHS instance,
    the fixed columns' share of each row moved into its bounds. For a plan's recourse with
    the first stage fixed (and, in the status quo, every release fixed at zero) this leaves
    about half the columns and beats a warm start of the whole model. Rows left with no
    free column are checked against their bounds; duals of rows and columns substituted out
    are 0."""
    lo = np.asarray(col_lo, dtype=float)
    hi = np.asarray(col_hi, dtype=float)
    free = lo < hi
    fixed = np.where(free, 0.0, lo)
    csr = A.tocsr()
    shift = csr @ fixed
    sub = csr[:, np.flatnonzero(free)]
    used = np.diff(sub.indptr) > 0
    rl, rh = np.asarray(row_lo, dtype=float), np.asarray(row_hi, dtype=float)
    tol = 1e-7 * np.maximum(1.0, np.abs(shift))
    empty_bad = ~used & ((shift < rl - tol) | (shift > rh + tol))
    n_rows, n_cols = csr.shape
    if empty_bad.any():
        return LPOutcome(2, np.full(n_cols, np.nan), math.nan, np.zeros(n_rows),
                         np.zeros(n_cols), 0)
    rows = np.flatnonzero(used)
    if not free.any():  # nothing left to decide: the fixed columns are the solution
        return LPOutcome(0, fixed, float(np.asarray(c, dtype=float) @ fixed),
                         np.zeros(n_rows), np.zeros(n_cols), 0)
    inner = PersistentLP(np.asarray(c, dtype=float)[free], sub[rows], rl[rows] - shift[rows],
                         rh[rows] - shift[rows], lo[free], hi[free])
    out = inner.solve(lo[free], hi[free], time_limit_s)
    x = fixed.copy()
    row_dual = np.zeros(n_rows)
    upper = np.zeros(n_cols)
    if out.status != 0:
        return LPOutcome(out.status, np.full(n_cols, np.nan), math.nan, row_dual, upper,
                         out.iterations)
    x[free] = out.x
    row_dual[rows] = out.row_dual
    upper[free] = out.upper_dual
    return LPOutcome(0, x, float(np.asarray(c, dtype=float) @ x), row_dual, upper,
                     out.iterations)
