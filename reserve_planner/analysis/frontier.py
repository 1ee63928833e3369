"""Efficient frontiers: what one objective gives up for another, by sweeping one setting.

* :func:`risk_frontier` sweeps the risk weight (the CVaR weight in the objective) and
  reports each plan's expected cost against its CVaR. Each point minimises
  E + lambda * CVaR, so along increasing lambda the expected cost never falls and the CVaR
  never rises (the standard weighted-sum argument); the tests check it.
* :func:`budget_frontier` sweeps the annual budget and reports the expected shortage
  damage avoided (and the objective, which more budget never raises).

The base inputs' own setting is always one of the points and is marked ``chosen``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import PlanInputs
from ..optimize import SolveOptions
from .executor import Executor
from .groups import group
from .outcome import Outcome
from .sweep import ProgressCallback, SweepResult, Variant, run_sweep

if TYPE_CHECKING:
    import pandas as pd

#: Default risk weights of the risk frontier [-] (the base's own weight is added).
RISK_WEIGHTS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0)
#: Default annual budgets of the budget frontier, as multiples of the base budget [-].
BUDGET_MULTIPLES: tuple[float, ...] = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


@dataclass(frozen=True, eq=False)
class FrontierPoint:
    """One plan on a frontier: the swept setting's value and the plan's outcome."""

    value: float
    outcome: Outcome
    chosen: bool

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "chosen": self.chosen, "outcome": self.outcome.to_dict()}


@dataclass(frozen=True, eq=False)
class Frontier:
    """Plans along one swept setting, by increasing value.

    ``x_metric`` and ``y_metric`` name the :class:`~.outcome.Outcome` figures the frontier
    trades off (for the chart's axes); ``"setting"`` stands for the swept value itself.
    """

    kind: str  # "risk" or "budget"
    setting: str  # the policy field swept
    setting_label: str
    x_metric: str
    y_metric: str
    points: tuple[FrontierPoint, ...]
    sweep: SweepResult

    @property
    def chosen(self) -> FrontierPoint:
        return next(p for p in self.points if p.chosen)

    def series(self, metric: str) -> np.ndarray:
        """``metric`` of every point (``"setting"``: the swept values)."""
        if metric == "setting":
            return self.values
        return np.array([p.outcome.metric(metric) for p in self.points])

    @property
    def values(self) -> np.ndarray:
        return np.array([p.value for p in self.points])

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "setting": self.setting, "label": self.setting_label,
                "x": self.x_metric, "y": self.y_metric,
                "points": [p.to_dict() for p in self.points],
                "variants": self.sweep.to_dicts()}

    def to_frame(self) -> pd.DataFrame:
        """One row per point: the setting (column named after the policy field), chosen,
        expected cost, CVaR, objective, shortage damage avoided [$], net benefit, and per
        material (``<figure>:<material>``) the reserve, expected unmet demand and shortfall
        avoided [t of that material]."""
        import pandas as pd

        rows = []
        for p in self.points:
            o = p.outcome
            rec: dict[str, Any] = {self.setting: p.value, "chosen": p.chosen,
                                   "status": o.status}
            for m in ("objective_usd", "expected_cost_usd", "cvar_usd",
                      "shortage_avoided_usd", "net_benefit_usd"):
                rec[m] = o.metric(m)
            rec.update({f"reserve_t:{m}": t for m, t in o.reserve_t.items()})
            rec.update({f"expected_unmet_t:{m}": t for m, t in o.expected_unmet_t.items()})
            rec.update({f"shortfall_avoided_t:{m}": o.shortfall_avoided_t(m)
                        for m in o.expected_unmet_t})
            rows.append(rec)
        return pd.DataFrame.from_records(rows)


def _frontier(base: PlanInputs, kind: str, key: str, values: Sequence[float], x: str, y: str,
              options, executor, on_result, cancel) -> Frontier:
    g = group(key)
    v0 = g.base_value(base)
    vals = sorted({float(v) for v in values if math.isfinite(v) and v >= 0} | {v0})
    variants = []
    for v in vals:
        inputs = base if v == v0 else g.apply(base, v)
        variants.append(Variant.of(base, f"{key} = {v:.10g}", inputs, group=key, value=v))
    sweep = run_sweep(variants, options, executor, on_result, cancel)
    points = tuple(FrontierPoint(vals[r.index], r.outcome, vals[r.index] == v0)
                   for r in sweep.rows)
    if not any(p.chosen for p in points):
        raise RuntimeError("the sweep stopped before the base plan was solved")
    field = {"risk_weight": "risk_aversion", "annual_budget": "annual_budget_usd"}[key]
    return Frontier(kind, field, g.label, x, y, points, sweep)


def risk_frontier(base: PlanInputs, weights: Sequence[float] = RISK_WEIGHTS,
                  options: SolveOptions | None = None, executor: Executor | None = None,
                  on_result: ProgressCallback | None = None,
                  cancel: threading.Event | None = None) -> Frontier:
    """Expected cost against CVaR, sweeping the risk weight over ``weights`` [-] (and the
    base's own weight, marked chosen)."""
    return _frontier(base, "risk", "risk_weight", weights, "cvar_usd", "expected_cost_usd",
                     options, executor, on_result, cancel)


def budget_frontier(base: PlanInputs, budgets_usd: Sequence[float] | None = None,
                    options: SolveOptions | None = None, executor: Executor | None = None,
                    on_result: ProgressCallback | None = None,
                    cancel: threading.Event | None = None) -> Frontier:
    """Shortage damage avoided against the annual budget, sweeping ``budgets_usd`` [$/yr]
    (default: :data:`BUDGET_MULTIPLES` times the base budget, or 0-500 $M/yr when the base
    budget is 0) and the base's own budget, marked chosen."""
    if budgets_usd is None:
        b0 = base.policy.annual_budget_usd
        budgets_usd = ([f * b0 for f in BUDGET_MULTIPLES] if b0 > 0
                       else [f * 1e8 for f in (0.0, 0.5, 1.0, 2.0, 3.0, 5.0)])
    return _frontier(base, "budget", "annual_budget", budgets_usd, "setting",
                     "shortage_avoided_usd", options, executor, on_result, cancel)
