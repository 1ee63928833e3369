"""Decision analysis on batches of solves: sweeps, tornadoes, break-evens and frontiers.

Qt-free and file-free: everything here takes :class:`~reserve_planner.model.PlanInputs` and
returns typed results with ``to_dict()`` (JSON-ready) and ``to_frame()`` (pandas). Batches
run on one :class:`~.executor.Executor`: a local process pool by default, or a Dask
distributed cluster (:func:`~.executor.make_executor`).
"""

from .breakeven import Breakeven, BreakevenStudy, Crossing, breakevens, decision_state
from .executor import DaskExecutor, Executor, LocalExecutor, SerialExecutor, make_executor
from .frames import to_frame, to_frames
from .frontier import Frontier, FrontierPoint, budget_frontier, risk_frontier
from .groups import GROUP_BY_KEY, INPUT_GROUPS, InputGroup, default_range, group
from .outcome import (
    Outcome,
    cvar_usd,
    expected_cost_usd,
    net_benefit_usd,
    outcome_from_result,
    solve_outcome,
)
from .sensitivity import DecisionFlip, Tornado, TornadoBar, tornado, tornado_variants
from .study import SensitivityStudy, sensitivity_study
from .sweep import (
    InputChange,
    SweepResult,
    SweepRow,
    Variant,
    apply_changes,
    input_changes,
    iter_sweep,
    run_sweep,
)

__all__ = [
    "GROUP_BY_KEY", "INPUT_GROUPS", "Breakeven", "BreakevenStudy", "Crossing", "DaskExecutor",
    "DecisionFlip", "Executor", "Frontier", "FrontierPoint", "InputChange", "InputGroup",
    "LocalExecutor", "Outcome", "SensitivityStudy", "SerialExecutor", "SweepResult", "SweepRow",
    "Tornado", "TornadoBar", "Variant", "apply_changes", "breakevens", "budget_frontier",
    "cvar_usd", "decision_state", "default_range", "expected_cost_usd", "group",
    "input_changes", "iter_sweep", "make_executor", "net_benefit_usd", "outcome_from_result",
    "risk_frontier", "run_sweep", "sensitivity_study", "solve_outcome", "to_frame", "to_frames",
    "tornado", "tornado_variants",
]
