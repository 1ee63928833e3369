"""The HiGHS helpers of optimize/highs_lp.py on hand-solved LPs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from reserve_planner.optimize.highs_lp import solve_with_fixed_columns


def test_fixed_columns_are_substituted_out():
    # min x + 2y + 3w  s.t.  x + y >= 3,  w - x <= 0,  x in [1, 1] (fixed), y, w in [0, 10]:
    # with x = 1 the first row needs y >= 2, the second w <= 1; optimum y = 2, w = 0,
    # objective 1 + 4 = 5.
    A = sp.csr_array(np.array([[1.0, 1.0, 0.0], [-1.0, 0.0, 1.0]]))
    out = solve_with_fixed_columns(np.array([1.0, 2.0, 3.0]), A, np.array([3.0, -np.inf]),
                                   np.array([np.inf, 0.0]), np.array([1.0, 0.0, 0.0]),
                                   np.array([1.0, 10.0, 10.0]))
    assert out.status == 0
    np.testing.assert_allclose(out.x, [1.0, 2.0, 0.0], atol=1e-9)
    assert out.fun == pytest.approx(5.0)
    # a row left with fixed columns only that they break: infeasible, not a wrong answer
    B = sp.csr_array(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]))
    bad = solve_with_fixed_columns(np.ones(3), B, np.array([-np.inf, 0.0]),
                                   np.array([0.5, np.inf]), np.array([1.0, 0.0, 0.0]),
                                   np.array([1.0, 10.0, 10.0]))
    assert bad.status == 2 and np.isnan(bad.x).all()
