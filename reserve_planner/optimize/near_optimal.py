"""Near-optimal reserve sizes: how far a material's reserve can move before the plan costs
noticeably more.

The objective as a function of one material's reserve target R (every other decision
re-optimised) is flat near its optimum: in the baseline any NdPr reserve across hundreds of
tonnes costs within a fraction of a percent of the best. Reporting a single tonnage would be
false precision, so the result states the **near-optimal range**: the reserve sizes whose
objective is within a tolerance (1% by default) of the optimum.

The range is found by bisection on re-solves with the reserve pinned (``stock0 + cum[m, T-1]
= R``), on each side of the optimum. For fixed floor levels the objective is convex in R (the
value function of an LP in a right-hand side), so each side is one interval; with the floor
choice re-optimised at every R it is the lower envelope of convex curves, and bisection
finds the boundary nearest the optimum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Default tolerance: sizes costing at most 1% more than the optimum are near-optimal.
DEFAULT_TOLERANCE = 0.01
#: Bisection stops when the bracket is narrower than this share of the optimum [-].
_RELATIVE_PRECISION = 0.01
_MAX_BISECTIONS = 40


@dataclass(frozen=True)
class SizeCurve:
    """One material's reserve size against the objective, and its near-optimal range.

    Attributes
    ----------
    material : str
    optimum_t : float
        The optimal reserve target [t].
    low_t, high_t : float
        Smallest and largest reserve whose objective is within ``tolerance`` of the
        optimum [t].
    high_is_limit : bool
        True when ``high_t`` is the largest reserve that can be bought at all (the purchase
        limits over the horizon), not where the tolerance is crossed.
    tolerance : float
        Relative tolerance on the objective [-].
    objective_usd : float
        The optimum [$].
    points : tuple of (float, float)
        Every (reserve [t], objective [$]) evaluated, sorted by reserve; infeasible sizes
        are left out.
    """

    material: str
    optimum_t: float
    low_t: float
    high_t: float
    high_is_limit: bool
    tolerance: float
    objective_usd: float
    points: tuple[tuple[float, float], ...]

    def label(self) -> str:
        """"NdPr oxide 500-1,250 t (optimum 875 t)"."""
        high = f"{self.high_t:,.0f}{'+' if self.high_is_limit else ''}"
        return (f"{self.material} {self.low_t:,.0f}-{high} t "
                f"(optimum {self.optimum_t:,.0f} t)")


def size_curve(material: str, optimum_t: float, objective_usd: float, largest_t: float,
               pinned_objective: Callable[[float], float],
               tolerance: float = DEFAULT_TOLERANCE, grid: int = 6) -> SizeCurve:
    """The near-optimal range of one material's reserve.

    Parameters
    ----------
    material : str
    optimum_t : float
        Optimal reserve target [t].
    objective_usd : float
        Optimal objective [$].
    largest_t : float
        Largest reserve that can be bought at all [t].
    pinned_objective : callable
        Objective [$] of the best plan with the reserve pinned at a size [t]; ``inf`` or
        ``nan`` when no plan holds that size.
    tolerance : float
        Relative tolerance [-], > 0.
    grid : int
        Extra evenly spaced sizes evaluated for the curve's shape.
    """
    if not tolerance > 0:
        raise ValueError(f"the tolerance must be above 0 (got {tolerance!r})")
    threshold = objective_usd + tolerance * max(abs(objective_usd), 1.0)
    seen: dict[float, float] = {float(optimum_t): float(objective_usd)}

    def f(size: float) -> float:
        size = float(size)
        if size not in seen:
            value = pinned_objective(size)
            seen[size] = value if math.isfinite(value) else math.inf
        return seen[size]

    cap = float(min(largest_t, max(3.0 * optimum_t, optimum_t + 1.0)))
    while cap < largest_t and f(cap) <= threshold:  # still flat: look further out
        cap = float(min(largest_t, 2.0 * cap))
    step = _RELATIVE_PRECISION * max(optimum_t, 1.0)

    def boundary(inside: float, outside: float) -> float:
        """The size nearest ``outside`` still within the threshold, by bisection."""
        for _ in range(_MAX_BISECTIONS):
            if abs(outside - inside) <= step:
                break
            mid = 0.5 * (inside + outside)
            if f(mid) <= threshold:
                inside = mid
            else:
                outside = mid
        return inside

    low = 0.0 if optimum_t <= 0 or f(0.0) <= threshold else boundary(optimum_t, 0.0)
    high_is_limit = cap <= optimum_t or f(cap) <= threshold
    high = cap if high_is_limit else boundary(optimum_t, cap)
    for size in np.linspace(0.0, max(cap, high), grid + 2)[1:-1]:
        f(size)
    points = tuple(sorted((s, v) for s, v in seen.items() if math.isfinite(v)))
    return SizeCurve(material, float(optimum_t), float(min(low, optimum_t)),
                     float(max(high, optimum_t)), bool(high_is_limit), float(tolerance),
                     float(objective_usd), points)
