"""Fiscal exposure of price floors as a distribution, by Monte Carlo on price paths.

The optimiser prices a floor by its expected payout (closed form, :mod:`.pricing`). A
budget office also asks how bad it can get. Here each run draws one future: a disruption
scenario by its probability, whether each covered project fails, and a monthly log-price
path per material that reverts to the scenario's mean (the same process as
:func:`.pricing.log_price_sd`: Ornstein-Uhlenbeck with the material's volatility as the
stationary dispersion and ``Policy.price_half_life_yr`` as the half-life; with half-life 0,
independent monthly draws of that dispersion). Every floor, new and contracted, is paid on
the same runs, so the figures add up across floors. Payouts are discounted [$], net of the
upside share.

Each floor is valued twice: at the US price (tariff pass-through included, as the plan is
priced) and at the world price without the tariff. A tariff raises the US price and so
lowers floor payouts; that "saving" is shown beside the tariff's cost to US buyers so it is
never read alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import PlanInputs
from .data import KG_PER_T, PlanData, build_plan_data, project_output, tariff_cost_to_buyers
from .pricing import log_price_sd

#: Default number of price paths; the 95th percentile's sampling error is about 1-2% here.
DEFAULT_RUNS = 4000
DEFAULT_SEED = 20251


@dataclass(frozen=True)
class PayoutDistribution:
    """One floor's discounted payout over the runs [$].

    Attributes
    ----------
    name : str
        "New floor: <material>" or the contracted floor's name.
    material : str
    level_usd_per_kg : float
    contracted : bool
        True for a floor already agreed (status quo).
    expected_usd, p95_usd, worst_usd : float
        Mean, 95th percentile and largest payout over the runs, at US prices.
    expected_no_tariff_usd, p95_no_tariff_usd : float
        The same at world prices, without the tariff's pass-through.
    """

    name: str
    material: str
    level_usd_per_kg: float
    contracted: bool
    expected_usd: float
    p95_usd: float
    worst_usd: float
    expected_no_tariff_usd: float
    p95_no_tariff_usd: float


@dataclass(frozen=True)
class FiscalExposure:
    """All floors' payout distributions on the same runs, and the tariff beside them."""

    floors: tuple[PayoutDistribution, ...]
    total_expected_usd: float
    total_p95_usd: float
    total_worst_usd: float
    total_expected_no_tariff_usd: float
    tariff_cost_to_buyers_usd: float  # expected, discounted, of the plan's China imports
    runs: int
    seed: int

    @property
    def tariff_payout_saving_usd(self) -> float:
        """How much the tariff lowers expected floor payouts [$] (>= 0 when it raises
        prices): to be read beside ``tariff_cost_to_buyers_usd``."""
        return self.total_expected_no_tariff_usd - self.total_expected_usd


def simulate_log_deviation(sigma: NDArray, half_life_yr: float, months: int, runs: int,
                           rng: np.random.Generator) -> NDArray[np.float64]:
    """Log-price deviations from the scenario mean, (runs, M, T) [-], zero-mean in log with
    sd(t) as :func:`.pricing.log_price_sd` gives."""
    sigma = np.asarray(sigma, dtype=float)
    shocks = rng.standard_normal((runs, len(sigma), months))
    if half_life_yr <= 0:
        return shocks * sigma[None, :, None]
    a = np.exp(-np.log(2.0) / half_life_yr / 12.0)  # monthly persistence
    innov = sigma[None, :, None] * np.sqrt(1.0 - a * a) * shocks
    # x_t = a x_{t-1} + e_t from x_{-1} = 0, as a weighted cumulative sum (no loop in t).
    powers = a ** np.arange(months)
    scaled = innov / powers[None, None, :]
    return np.cumsum(scaled, axis=2) * powers[None, None, :]


def _level_indices(d: PlanData, levels_usd_per_kg: dict[str, float]) -> list[int]:
    """The candidate index nearest each material's chosen level (0: no floor)."""
    return [int(np.argmin(np.abs(fl.levels_usd_per_kg
                                 - float(levels_usd_per_kg.get(name, 0.0)))))
            for name, fl in zip(d.inputs.material_names, d.floors, strict=True)]


def _floor_payouts(level: float, upside: float, price: NDArray, volume: NDArray,
                   disc: NDArray) -> NDArray[np.float64]:
    """Discounted payout per run [$]: price (runs, T) [$/kg], volume (runs, T) [t/month]."""
    per_kg = np.maximum(level - price, 0.0) - upside * np.maximum(price - level, 0.0)
    return (per_kg * volume * KG_PER_T) @ disc


def fiscal_exposure(inputs: PlanInputs, levels_usd_per_kg: dict[str, float],
                    runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED,
                    data: PlanData | None = None) -> FiscalExposure:
    """Payout distributions of the chosen new floors and the contracted ones.

    Parameters
    ----------
    inputs : PlanInputs
    levels_usd_per_kg : dict
        The new floor chosen per material [$/kg]; 0 or absent for none (take
        ``{m.material: m.floor.level_usd_per_kg for m in result.materials}``).
    runs, seed : int
        Number of runs and the random seed: the same seed gives the same figures.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1 (got {runs})")
    d = data or build_plan_data(inputs)
    pol = inputs.policy
    rng = np.random.default_rng(seed)
    T = d.T
    disc = d.disc[:T]
    scen = rng.choice(d.S, size=runs, p=d.prob / d.prob.sum())
    sigma = np.array([m.price_log_volatility for m in inputs.materials])
    x = simulate_log_deviation(sigma, pol.price_half_life_yr, T, runs, rng)  # (R, M, T)
    # Centre each month's lognormal on the scenario mean with the process's own variance.
    sd = log_price_sd(sigma, pol.price_half_life_yr, T)
    factor = np.exp(x - 0.5 * sd[None, :, :] ** 2)  # mean 1
    mult = d.mult[scen]  # (R, M, T)
    world = np.array([m.price_usd_per_kg for m in inputs.materials])
    us = d.price_dom / KG_PER_T  # $/kg with pass-through
    t = np.arange(T)
    names = inputs.material_names

    rows: list[tuple[str, str, float, bool, NDArray, NDArray]] = []
    for mi, mat in enumerate(inputs.materials):
        level = float(levels_usd_per_kg.get(mat.name, 0.0))
        if level <= 0:
            continue
        fl = d.floors[mi]
        k = _level_indices(d, levels_usd_per_kg)[mi]
        volume = np.zeros((runs, T))
        for jj, j in enumerate(fl.project_indices):
            if not fl.supported[k, jj]:
                continue
            p = inputs.projects[int(j)]
            alive = rng.random(runs) >= p.failure_probability
            volume += alive[:, None] * project_output(p, t)[None, :]
        price = mult[:, mi, :] * factor[:, mi, :]
        rows.append((f"New floor: {mat.name}", mat.name, level, False,
                     _floor_payouts(level, pol.floor_upside_share, us[mi] * price, volume, disc),
                     _floor_payouts(level, pol.floor_upside_share, world[mi] * price, volume,
                                    disc)))
    for i, f in enumerate(inputs.contracted_floors):
        mi = names.index(f.material)
        project = next((j for j in inputs.projects if j.name == f.project), None)
        fail = project.failure_probability if project is not None else 0.0
        alive = rng.random(runs) >= fail
        survive = 1.0 - fail
        full = d.contracted_volume[i] / survive if survive > 0 else d.contracted_volume[i] * 0
        volume = alive[:, None] * full[None, :]
        price = mult[:, mi, :] * factor[:, mi, :]
        rows.append((f.name, f.material, f.level_usd_per_kg, True,
                     _floor_payouts(f.level_usd_per_kg, f.upside_share, us[mi] * price, volume,
                                    disc),
                     _floor_payouts(f.level_usd_per_kg, f.upside_share, world[mi] * price,
                                    volume, disc)))

    floors = tuple(
        PayoutDistribution(name, mat, level, contracted, float(pay.mean()),
                           float(np.quantile(pay, 0.95)), float(pay.max()),
                           float(free.mean()), float(np.quantile(free, 0.95)))
        for name, mat, level, contracted, pay, free in rows)
    total = sum((r[4] for r in rows), np.zeros(runs))
    total_free = sum((r[5] for r in rows), np.zeros(runs))
    return FiscalExposure(
        floors=floors, total_expected_usd=float(total.mean()),
        total_p95_usd=float(np.quantile(total, 0.95)), total_worst_usd=float(total.max()),
        total_expected_no_tariff_usd=float(total_free.mean()),
        tariff_cost_to_buyers_usd=tariff_cost_to_buyers(d, _level_indices(d, levels_usd_per_kg)),
        runs=runs, seed=seed)
