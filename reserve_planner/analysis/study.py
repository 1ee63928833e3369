"""The whole decision analysis of one plan on one executor: tornado, break-evens and both
frontiers, as the CLI's ``sensitivity`` command, the window and the report use it."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import PlanInputs
from ..optimize import SolveOptions
from .breakeven import N_TOP, BreakevenStudy, breakevens
from .executor import Executor, make_executor
from .frontier import BUDGET_MULTIPLES, RISK_WEIGHTS, Frontier, budget_frontier, risk_frontier
from .groups import INPUT_GROUPS
from .sensitivity import Tornado, tornado
from .sweep import ProgressCallback


@dataclass(frozen=True, eq=False)
class SensitivityStudy:
    """A tornado, the break-evens of its top groups, and the risk and budget frontiers."""

    inputs_name: str
    tornado: Tornado
    breakevens: BreakevenStudy
    risk_frontier: Frontier
    budget_frontier: Frontier
    executor: str
    elapsed_s: float

    def top_assumptions(self, n: int = 3) -> tuple[str, ...]:
        """Labels of the ``n`` input groups that move the objective most."""
        return tuple(b.label for b in self.tornado.top(n))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tornado rows, break-evens, frontiers, each with its variants'
        changed inputs."""
        return {"inputs_name": self.inputs_name, "executor": self.executor,
                "elapsed_s": self.elapsed_s,
                "top_assumptions": list(self.top_assumptions()),
                "tornado": {**self.tornado.to_dict(),
                            "variants": self.tornado.sweep.to_dicts()},
                "breakevens": self.breakevens.to_dict(),
                "frontiers": {"risk": self.risk_frontier.to_dict(),
                              "budget": self.budget_frontier.to_dict()}}


def sensitivity_study(base: PlanInputs, ranges: Mapping[str, tuple[float, float]] | None = None,
                      n_top: int = N_TOP, options: SolveOptions | None = None,
                      executor: Executor | None = None,
                      on_result: ProgressCallback | None = None,
                      cancel: threading.Event | None = None) -> SensitivityStudy:
    """Run every analysis of ``base`` on one executor (default: a local pool on all cores,
    closed at the end). ``on_result(row, done, total)`` sees every solve of every stage;
    ``total`` grows as the break-even rounds are added. Raises :class:`RuntimeError` when
    cancelled before a stage's base plan was solved."""
    t0 = time.perf_counter()
    own = executor is None
    ex = executor or make_executor()
    # solves planned and done per stage; a stage's plan is known from its first report
    # (break-even rounds add solves as they go), later stages are estimated until then
    planned = {"tornado": 1 + 2 * len(INPUT_GROUPS), "risk": 1 + len(RISK_WEIGHTS),
               "budget": 1 + len(BUDGET_MULTIPLES), "breakevens": 2 * n_top}
    finished = dict.fromkeys(planned, 0)

    def stage(name: str) -> ProgressCallback:
        def seen(row, n: int, stage_total: int) -> None:
            finished[name] = n
            planned[name] = max(stage_total, n)
            if on_result is not None:
                on_result(row, sum(finished.values()), sum(planned.values()))
        return seen

    try:
        t = tornado(base, ranges=ranges, options=options, executor=ex,
                    on_result=stage("tornado"), cancel=cancel)
        rf = risk_frontier(base, options=options, executor=ex, on_result=stage("risk"),
                           cancel=cancel)
        bf = budget_frontier(base, options=options, executor=ex, on_result=stage("budget"),
                             cancel=cancel)
        be = breakevens(base, tornado=t, n_top=n_top, options=options, executor=ex,
                        on_result=stage("breakevens"), cancel=cancel)
        desc = ex.description
    finally:
        if own:
            ex.close()
    return SensitivityStudy(base.name, t, be, rf, bf, desc, time.perf_counter() - t0)
