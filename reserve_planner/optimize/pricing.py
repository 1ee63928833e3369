"""Closed-form expected payouts of a price floor on a lognormal market price (Black-76).

A floor ``F`` paid on the gap to the market price ``P`` is a put held by the producer:
``E[(F - P)+] = F*Phi(-d2) - m*Phi(-d1)`` with ``d1 = (ln(m/F) + sigma^2/2)/sigma`` and
``d2 = d1 - sigma``, where ``m = E[P]`` and ``sigma`` is the log-volatility. An upside share
``theta`` above the floor returns ``theta*E[(P - F)+] = theta*(m*Phi(d1) - F*Phi(d2))``.
All prices in $/kg; results in $/kg, undiscounted.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri


def _d1_d2(floor: NDArray, mean: NDArray, sigma: NDArray) -> tuple[NDArray, NDArray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(mean / floor) + 0.5 * sigma**2) / sigma
    return d1, d1 - sigma


def expected_put(floor: ArrayLike, mean: ArrayLike, sigma: ArrayLike) -> NDArray[np.float64]:
    """Expected floor payout ``E[(F - P)+]`` per kg [$/kg].

    Parameters
    ----------
    floor : array_like
        Floor level F [$/kg]; 0 pays nothing.
    mean : array_like
        Mean market price m [$/kg], > 0.
    sigma : array_like
        Log-volatility of the price [-]; 0 gives the intrinsic value ``max(F - m, 0)``.
    """
    f, m, s = (np.array(a, dtype=float, ndmin=1) for a in np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (floor, mean, sigma))))
    out = np.maximum(f - m, 0.0)
    live = (f > 0) & (s > 0)
    if np.any(live):
        d1, d2 = _d1_d2(f[live], m[live], s[live])
        out[live] = f[live] * ndtr(-d2) - m[live] * ndtr(-d1)
    out = np.maximum(out, 0.0)
    return out.reshape(np.broadcast_shapes(np.shape(floor), np.shape(mean), np.shape(sigma)))


def expected_call(floor: ArrayLike, mean: ArrayLike, sigma: ArrayLike) -> NDArray[np.float64]:
    """Expected excess of price over floor ``E[(P - F)+]`` per kg [$/kg] (put-call parity)."""
    f, m, _ = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (floor, mean, sigma)))
    return expected_put(floor, mean, sigma) - (f - m)


def net_floor_cost(
    floor: ArrayLike, mean: ArrayLike, sigma: ArrayLike, upside_share: float
) -> NDArray[np.float64]:
    """Expected government cost per kg of a floor with upside sharing [$/kg].

    ``E[(F-P)+] - theta * E[(P-F)+]``; negative when the shared upside outweighs the payout.
    A floor of 0 costs nothing (no agreement, no upside).
    """
    put = expected_put(floor, mean, sigma)
    call = expected_call(floor, mean, sigma)
    f = np.broadcast_to(np.asarray(floor, dtype=float), put.shape)
    return np.where(f > 0, put - upside_share * call, 0.0)


def price_quantile(mean: ArrayLike, sigma: ArrayLike, q: float) -> NDArray[np.float64]:
    """The ``q`` quantile of a lognormal price with mean ``mean`` [$/kg] and log-vol ``sigma``."""
    m = np.asarray(mean, dtype=float)
    s = np.asarray(sigma, dtype=float)
    return m * np.exp(-0.5 * s**2 + s * float(ndtri(q)))


def log_price_sd(sigma: ArrayLike, half_life_yr: float, months: int) -> NDArray[np.float64]:
    """Standard deviation of the log price in each plan month [-], shape (M, T).

    With ``half_life_yr`` 0, ``sigma`` in every month (a fixed dispersion around the
    scenario's mean). Otherwise the log price is mean-reverting (Ornstein-Uhlenbeck) from a
    price known at the plan start, with stationary dispersion ``sigma`` and shocks that halve
    every ``half_life_yr`` years: sd(t) = sigma * sqrt(1 - exp(-2 k (t+1)/12)),
    k = ln 2 / half-life; uncertainty grows with the time from today.
    """
    s = np.asarray(sigma, dtype=float).reshape(-1, 1)
    if half_life_yr <= 0:
        return np.broadcast_to(s, (s.shape[0], months)).copy()
    kappa = np.log(2.0) / half_life_yr
    years = (np.arange(months) + 1.0) / 12.0
    return s * np.sqrt(1.0 - np.exp(-2.0 * kappa * years))[None, :]
