"""The few figures of one solve that batch analyses compare, and the one definition of each.

A sweep solves hundreds of variants, so workers send back an :class:`Outcome` (a few dozen
numbers) instead of a whole :class:`~reserve_planner.optimize.PlanResult` with its
scenario-by-month arrays. Every analysis reads "net benefit", "expected cost" and "risk"
through :func:`net_benefit_usd`, :func:`expected_cost_usd` and :func:`cvar_usd` only, so a
change of definition (for instance, net benefit against the status quo) is made here once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..model import PlanInputs
from ..optimize import PlanResult, SolveOptions, solve

#: A reserve below this counts as "no reserve" when deciding whether a reserve flips [t].
RESERVE_HELD_T = 1e-3

#: Options of the solves inside sweeps: no VSS or shadow prices (one extra solve each) and
#: no floor appraisal; the status-quo reference is computed by every solve anyway.
SWEEP_OPTIONS = SolveOptions(diagnostics=False, appraise_floors=False,
                             perfect_information=False)


def net_benefit_usd(result: PlanResult) -> float:
    """What the plan saves against the status quo [$]: the status quo's objective (existing
    commitments, no new reserve, no new floor: ``cost_without_plan_usd``) minus the plan's
    objective, both expected, discounted and with the same risk weight. NaN without a
    plan."""
    if not result.status.has_plan:
        return math.nan
    return result.cost_without_plan_usd - result.objective_usd


def cvar_usd(result: PlanResult) -> float:
    """The risk measure the objective weights by the risk aversion [$]: CVaR at the
    policy's level of each scenario's shortage damage (``shortage_cvar_usd``). NaN without
    a plan."""
    return result.shortage_cvar_usd if result.status.has_plan else math.nan


def expected_cost_usd(result: PlanResult) -> float:
    """The expected discounted cost of the plan without the risk term [$]: the objective
    minus the risk premium. NaN without a plan."""
    if not result.status.has_plan or result.costs is None:
        return math.nan
    return result.objective_usd - result.costs.risk_premium_usd


@dataclass(frozen=True)
class Outcome:
    """The figures of one solve that sweeps compare.

    Money is expected and discounted to the plan start [$]; per-material figures are dicts
    keyed by material name. ``status`` is the :class:`~reserve_planner.optimize.SolveStatus`
    value; without a plan the money figures are NaN and the dicts empty.
    """

    status: str
    message: str
    objective_usd: float
    expected_cost_usd: float
    cvar_usd: float
    net_benefit_usd: float
    shortage_avoided_usd: float
    expected_unmet_t: dict[str, float]  # per material, over the horizon [t of it]
    expected_unmet_without_plan_t: dict[str, float]  # the same in the status quo [t]
    reserve_t: dict[str, float]
    floor_usd_per_kg: dict[str, float]
    floor_projects: dict[str, tuple[str, ...]]
    solve_time_s: float

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "time limit")

    def shortfall_avoided_t(self, material: str) -> float:
        """Expected unmet demand of ``material`` the plan avoids [t of that material]; NaN
        for a material the outcome does not hold. Tonnes of different materials are not
        added: there is no all-materials figure."""
        without = self.expected_unmet_without_plan_t.get(material, math.nan)
        return without - self.expected_unmet_t.get(material, math.nan)

    def reserve_held(self, material: str) -> bool:
        """Whether the plan holds a reserve of ``material`` (more than a kilogram)."""
        return self.reserve_t.get(material, 0.0) > RESERVE_HELD_T

    def floor_state(self, material: str) -> frozenset[str]:
        """What the floor decision of ``material`` does: the projects it brings online
        (empty: no floor). A level that only follows a project's tariff-inflated cost is the
        same decision."""
        return frozenset(self.floor_projects.get(material, ()))

    def floor_text(self, material: str) -> str:
        """The floor decision in words: ``"no floor"`` or ``"$104.50/kg (Iluka ...)"``."""
        level = self.floor_usd_per_kg.get(material, 0.0)
        if not level > 0:
            return "no floor"
        names = ", ".join(self.floor_projects.get(material, ()))
        return f"${level:,.2f}/kg floor" + (f" ({names})" if names else "")

    def metric(self, name: str) -> float:
        """A figure by name: a money field (``"objective_usd"``), or a material's figure
        ``"<field>:<material>"`` for one of :data:`MATERIAL_METRICS`. Raises
        :class:`KeyError` for an unknown name."""
        head, sep, material = name.partition(":")
        if sep:
            if head == "shortfall_avoided_t":
                return float(self.shortfall_avoided_t(material))
            table = {"reserve_t": self.reserve_t, "floor_usd_per_kg": self.floor_usd_per_kg,
                     "expected_unmet_t": self.expected_unmet_t,
                     "expected_unmet_without_plan_t": self.expected_unmet_without_plan_t}
            if head not in table:
                raise KeyError(name)
            return float(table[head].get(material, math.nan))
        if name not in METRICS:
            raise KeyError(name)
        return float(getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN becomes None)."""
        def plain(v: Any) -> Any:
            if isinstance(v, float):
                return v if math.isfinite(v) else None
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            if isinstance(v, tuple):
                return list(v)
            return v
        return {k: plain(getattr(self, k)) for k in self.__dataclass_fields__}


#: Scalar figures of an :class:`Outcome` that analyses can rank and chart, all in dollars:
#: tonnes of different materials do not add up, so tonne figures are per material
#: (:data:`MATERIAL_METRICS`) [$].
METRICS: tuple[str, ...] = ("objective_usd", "expected_cost_usd", "cvar_usd",
                            "net_benefit_usd", "shortage_avoided_usd")

#: Per-material figures of an :class:`Outcome`, named ``"<field>:<material>"`` in
#: :meth:`Outcome.metric` [t, or $/kg for the floor].
MATERIAL_METRICS: tuple[str, ...] = ("reserve_t", "floor_usd_per_kg", "expected_unmet_t",
                                     "expected_unmet_without_plan_t", "shortfall_avoided_t")


def outcome_from_result(result: PlanResult) -> Outcome:
    """The :class:`Outcome` of a solved :class:`PlanResult`."""
    has = result.status.has_plan
    return Outcome(
        status=result.status.value, message=result.message,
        objective_usd=result.objective_usd if has else math.nan,
        expected_cost_usd=expected_cost_usd(result), cvar_usd=cvar_usd(result),
        net_benefit_usd=net_benefit_usd(result),
        shortage_avoided_usd=result.expected_shortage_avoided_usd if has else math.nan,
        expected_unmet_t={m.material: float(m.expected_unmet_t) for m in result.materials},
        expected_unmet_without_plan_t={m.material: float(m.expected_unmet_without_plan_t)
                                       for m in result.materials},
        reserve_t={m.material: float(m.reserve_target_t) for m in result.materials},
        floor_usd_per_kg={m.material: float(m.floor.level_usd_per_kg)
                          for m in result.materials},
        floor_projects={m.material: tuple(p.name for p in m.floor.projects)
                        for m in result.materials},
        solve_time_s=result.solve_time_s,
    )


def solve_outcome(inputs: PlanInputs, options: SolveOptions | None = None) -> Outcome:
    """Solve ``inputs`` and keep the :class:`Outcome` (the job every sweep runs)."""
    return outcome_from_result(solve(inputs, options or SWEEP_OPTIONS))
