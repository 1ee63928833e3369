"""Shortage damage and shortage prices from a material's short-run demand curve.

The inverse demand curve is calibrated at the normal US price P0 and demand Q0, with a
short-run elasticity e (a positive magnitude) and a choke price Pc (the value of a missing
kilogram when the downstream line idles; the curve's price never exceeds it). With x the
share of demand left unmet in a month (q = Q0 (1 - x)):

* constant elasticity: P(x) = min(P0 (1 - x)^(-1/e), Pc);
* linear:              P(x) = min(P0 (1 + x/e), Pc).

The damage of a shortfall x is the consumer surplus lost on the missing units, the area
between the curve and the normal price: Q0 F(x) with F(x) = integral_0^x (P(y) - P0) dy
[$ per t of demand]. F is zero at zero, increasing and convex (P rises with x). It enters
the model as the piecewise-linear interpolation of F at a handful of breakpoints (tiers):
convex, so a minimising LP fills the tiers in order without binaries. A flat curve is one
tier whose slope is the material's shortage cost per kg (the model before demand curves).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import DemandCurve, Material

#: Price levels between the normal price and the choke price at which the tiers break:
#: the curve's price reaches P0 + (Pc - P0) j / TIER_PRICE_STEPS, j = 1..TIER_PRICE_STEPS
#: (the last is the choke price); a final tier runs from there to a shortfall of 100%.
#: Four steps give at most five tiers and six breakpoints.
TIER_PRICE_STEPS = 4


@dataclass(frozen=True)
class DamageTiers:
    """Piecewise-linear shortage damage of one material.

    ``breaks`` are shortfall shares of monthly demand, from 0 to 1 [0-1]; tier k covers
    breaks[k]..breaks[k+1] and costs ``slopes[k]`` per tonne unmet [$/t], non-decreasing.
    """

    breaks: NDArray[np.float64]  # (n+1,)
    slopes: NDArray[np.float64]  # (n,)

    def damage(self, unmet_t, demand_t):
        """Damage of ``unmet_t`` tonnes unmet in a month of demand ``demand_t`` [$]
        (arrays broadcast)."""
        unmet = np.asarray(unmet_t, dtype=float)
        demand = np.asarray(demand_t, dtype=float)
        widths = np.diff(self.breaks)
        total = np.zeros(np.broadcast(unmet, demand).shape)
        for lo, w, s in zip(self.breaks[:-1], widths, self.slopes, strict=True):
            if w == np.inf:  # a flat curve's single tier has no upper end
                total = total + s * unmet
            else:
                total = total + s * np.clip(unmet - lo * demand, 0.0, w * demand)
        return total


def curve_price(kind: DemandCurve, price: float, choke: float, elasticity: float, share):
    """Price on the demand curve when ``share`` of demand is unmet [same unit as ``price``]:
    at most ``choke``, ``price`` at zero shortfall. A flat curve has no price response and
    returns ``price``."""
    x = np.clip(np.asarray(share, dtype=float), 0.0, 1.0)
    if kind == DemandCurve.FLAT:
        return np.full(x.shape, float(price))
    choke = max(choke, price)
    if kind == DemandCurve.LINEAR:
        p = price * (1.0 + x / elasticity)
    else:
        with np.errstate(divide="ignore"):
            p = price * np.power(np.maximum(1.0 - x, 0.0), -1.0 / elasticity)
    return np.minimum(p, choke)


def choke_share(kind: DemandCurve, price: float, choke: float, elasticity: float) -> float:
    """Shortfall share at which the curve's price reaches the choke price [0-1]."""
    if choke <= price:
        return 0.0
    if kind == DemandCurve.LINEAR:
        return float(min(elasticity * (choke / price - 1.0), 1.0))
    return float(1.0 - (price / choke) ** elasticity)


def _share_at_price(kind: DemandCurve, price: float, elasticity: float, level):
    level = np.asarray(level, dtype=float)
    if kind == DemandCurve.LINEAR:
        return np.minimum(elasticity * (level / price - 1.0), 1.0)
    return 1.0 - (price / level) ** elasticity


def surplus_loss(kind: DemandCurve, price: float, choke: float, elasticity: float, share):
    """Exact consumer surplus lost when ``share`` of demand is unmet, per tonne of demand
    [$/t of demand when prices are in $/t]: integral_0^x (P(y) - P0) dy."""
    x = np.clip(np.asarray(share, dtype=float), 0.0, 1.0)
    if kind == DemandCurve.FLAT:
        raise ValueError("a flat curve has no surplus function; its damage is one slope")
    choke = max(choke, price)
    xs = choke_share(kind, price, choke, elasticity)
    u = np.minimum(x, xs)
    if kind == DemandCurve.LINEAR:
        below = price * u * u / (2.0 * elasticity)
    else:
        a = 1.0 / elasticity
        if abs(a - 1.0) < 1e-12:
            area = -np.log1p(-u)
        else:
            area = (np.power(1.0 - u, 1.0 - a) - 1.0) / (a - 1.0)
        below = price * area - price * u
    return below + (choke - price) * np.maximum(x - xs, 0.0)


def damage_tiers(kind: DemandCurve, price: float, choke: float, elasticity: float,
                 flat_cost: float) -> DamageTiers:
    """The tiers of one material: for a flat curve one tier at ``flat_cost`` [$/t]; for a
    curve the chords of :func:`surplus_loss` between the shares where the price reaches
    P0 + (Pc - P0) j / TIER_PRICE_STEPS, and a last tier to 100% at Pc - P0."""
    if kind == DemandCurve.FLAT:
        return DamageTiers(np.array([0.0, np.inf]), np.array([float(flat_cost)]))
    choke = max(choke, price)
    levels = price + (choke - price) * np.arange(1, TIER_PRICE_STEPS + 1) / TIER_PRICE_STEPS
    inner = _share_at_price(kind, price, elasticity, levels) if choke > price else np.zeros(0)
    breaks = np.unique(np.concatenate([[0.0], np.clip(inner, 0.0, 1.0), [1.0]]))
    values = surplus_loss(kind, price, choke, elasticity, breaks)
    slopes = np.diff(values) / np.diff(breaks)
    slopes = np.maximum.accumulate(np.maximum(slopes, 0.0))  # round-off never breaks convexity
    return DamageTiers(breaks, slopes)


def material_tiers(material: Material, price_usd_per_t: float) -> DamageTiers:
    """The damage tiers of ``material`` at its normal US price [$/t]."""
    choke = material.shortage_cost_usd_per_kg * 1000.0
    return damage_tiers(DemandCurve(material.demand_curve), price_usd_per_t, choke,
                        material.demand_elasticity, choke)


def tier_error(kind: DemandCurve, price: float, choke: float, elasticity: float,
               points: int = 401) -> float:
    """Largest overstatement of the tiers against the exact surplus loss over shortfalls
    0..100%, per tonne of demand [$/t]: the approximation error the tiers carry, sampled at
    ``points`` (odd: the midpoint included) evenly spaced shares inside each tier."""
    tiers = damage_tiers(kind, price, choke, elasticity, choke)
    u = np.linspace(0.0, 1.0, points | 1)
    lo, hi = tiers.breaks[:-1], tiers.breaks[1:]
    x = (lo[:, None] + (hi - lo)[:, None] * u[None, :]).ravel()
    return float(np.max(tiers.damage(x, 1.0) - surplus_loss(kind, price, choke, elasticity, x)))
