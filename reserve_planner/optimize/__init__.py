"""The optimiser: a two-stage stochastic MILP solved with scipy.optimize.milp (HiGHS)."""

from .result import (
    Conflict,
    CostBreakdown,
    FloorDecision,
    FloorOption,
    MaterialPlan,
    PlanResult,
    ScenarioOutcome,
    SolveStatus,
    SupportedProject,
    month_label,
)
from .solve import SolveOptions, solve

__all__ = [
    "Conflict",
    "CostBreakdown",
    "FloorDecision",
    "FloorOption",
    "MaterialPlan",
    "PlanResult",
    "ScenarioOutcome",
    "SolveOptions",
    "SolveStatus",
    "SupportedProject",
    "month_label",
    "solve",
]
