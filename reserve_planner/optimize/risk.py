"""Risk measures of a discrete loss distribution."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray


def cvar(losses: NDArray, prob: NDArray, beta: float) -> float:
    """CVaR at level ``beta`` of a discrete loss distribution [$] (Rockafellar-Uryasev).

    The probability-weighted mean of the worst ``1 - beta`` of outcomes, splitting the
    scenario at the quantile. Scenarios with probability 0 carry no weight, wherever they
    fall in the order; with ``beta`` = 1 (no tail) it is the worst loss of positive
    probability.
    """
    losses = np.asarray(losses, dtype=float)
    prob = np.asarray(prob, dtype=float)
    tail = 1.0 - beta
    live = prob > 0
    if tail <= 0 or not np.any(live):
        return float(losses[live].max()) if np.any(live) else math.nan
    order = np.argsort(-losses[live], kind="stable")
    p, x = prob[live][order], losses[live][order]
    before = np.concatenate([[0.0], np.cumsum(p)[:-1]])
    take = np.clip(np.minimum(p, tail - before), 0.0, None)
    return float(take @ x / tail)
