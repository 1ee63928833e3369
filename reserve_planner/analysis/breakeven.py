"""Break-evens: the value of an input group at which a decision flips, by bisection.

The decisions are each material's **floor** (which projects it brings online; none is "no
floor") and each material's **reserve** (held or not). For each decision and each chosen
input group, :func:`breakevens` looks below and above the base value, within the group's
search interval (:meth:`~.groups.InputGroup.search_range`, editable), for a value where the
decision differs from the base's:

1. The outcomes already known (the base, the tornado's low and high ends if a tornado is
   given) and the two ends of the search interval are checked.
2. On each side, the known point nearest the base whose decision differs starts a bracket
   [base side, flipped side]; bisection on re-solves halves it until it is narrower than
   ``rel_tol`` times the search interval.
3. A side with no differing point reports that the decision does not flip there. A
   decision can flip and flip back between two checked points; bisection finds one flip
   within the bracket, not every one.

All brackets advance together: each round solves the midpoints of every open bracket as
one batch on the executor, and brackets of different decisions that share a midpoint share
its solve.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import PlanInputs
from ..optimize import SolveOptions
from .executor import Executor, make_executor
from .groups import GROUP_BY_KEY, InputGroup, group
from .outcome import Outcome
from .sensitivity import Tornado, reserve_text
from .sweep import ProgressCallback, SweepRow, Variant, run_sweep

if TYPE_CHECKING:
    import pandas as pd

#: Default bracket width at which bisection stops, relative to the search interval [-].
REL_TOL = 1e-3
#: Default number of input groups (the largest objective swings of the tornado).
N_TOP = 8

DECISION_KINDS = ("floor", "reserve")


def decision_state(outcome: Outcome, material: str, kind: str) -> Any:
    """The decision of ``kind`` (``"floor"`` or ``"reserve"``) for ``material``: the set of
    projects the floor brings online, or whether a reserve is held."""
    if kind == "floor":
        return outcome.floor_state(material)
    if kind == "reserve":
        return outcome.reserve_held(material)
    raise ValueError(f"a decision is 'floor' or 'reserve' (got {kind!r})")


def decision_text(outcome: Outcome, material: str, kind: str) -> str:
    return outcome.floor_text(material) if kind == "floor" else reserve_text(outcome,
                                                                             material)


@dataclass(frozen=True)
class Crossing:
    """Where a decision flips on one side of the base value.

    ``value`` is the break-even (the middle of the final bracket); at ``inner`` (base side)
    the decision is the base's, at ``outer`` it is ``text``. ``outer_objective_usd`` is the
    objective there.
    """

    value: float
    inner: float
    outer: float
    text: str
    outer_objective_usd: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "inner": self.inner, "outer": self.outer,
                "text": self.text, "outer_objective_usd": _finite(self.outer_objective_usd)}


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class Breakeven:
    """The break-evens of one decision against one input group.

    ``below``/``above`` are None when the decision does not flip in
    [``search_low``, ``base_value``] / [``base_value``, ``search_high``].
    """

    material: str
    kind: str
    group: str
    label: str
    unit: str
    base_value: float
    search_low: float
    search_high: float
    base_text: str
    below: Crossing | None
    above: Crossing | None

    @property
    def flips(self) -> bool:
        return self.below is not None or self.above is not None

    def sentence(self) -> str:
        """The finding in words, e.g. ``"Dy oxide floor ($330.00/kg floor (...)) against
        Shortage cost (base 1x base): no floor below 0.519x base"`` or ``"...: does not
        flip within [0.1x base, 3x base]"``."""
        g = GROUP_BY_KEY.get(self.group)
        fmt = g.format if g is not None else (lambda v: f"{v:.4g}")
        head = f"{self.material} {self.kind} ({self.base_text}) against {self.label}"
        if not self.flips:
            return (f"{head}: does not flip within [{fmt(self.search_low)}, "
                    f"{fmt(self.search_high)}]")
        parts = []
        if self.below is not None:
            parts.append(f"{self.below.text} below {fmt(self.below.value)}")
        if self.above is not None:
            parts.append(f"{self.above.text} above {fmt(self.above.value)}")
        return f"{head} (base {fmt(self.base_value)}): " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"material": self.material, "decision": self.kind, "group": self.group,
                "label": self.label, "unit": self.unit, "base_value": self.base_value,
                "search": [self.search_low, self.search_high], "base_text": self.base_text,
                "below": self.below.to_dict() if self.below else None,
                "above": self.above.to_dict() if self.above else None,
                "flips": self.flips, "sentence": self.sentence()}


@dataclass(frozen=True, eq=False)
class BreakevenStudy:
    """Every break-even found, with the number of solves it took."""

    base: Outcome
    results: tuple[Breakeven, ...]
    n_solves: int
    elapsed_s: float
    cancelled: bool = False
    variants: tuple[dict[str, Any], ...] = ()

    def for_decision(self, material: str, kind: str) -> tuple[Breakeven, ...]:
        return tuple(b for b in self.results if b.material == material and b.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {"n_solves": self.n_solves, "elapsed_s": self.elapsed_s,
                "cancelled": self.cancelled,
                "breakevens": [b.to_dict() for b in self.results],
                "variants": list(self.variants)}

    def to_frame(self) -> pd.DataFrame:
        """One row per decision and group: base value, the break-evens below and above
        (NaN: no flip on that side) and the sentence."""
        import pandas as pd

        rows = []
        for b in self.results:
            rows.append({"material": b.material, "decision": b.kind, "group": b.group,
                         "label": b.label, "unit": b.unit, "base_value": b.base_value,
                         "search_low": b.search_low, "search_high": b.search_high,
                         "breakeven_below": b.below.value if b.below else math.nan,
                         "decision_below": b.below.text if b.below else "",
                         "breakeven_above": b.above.value if b.above else math.nan,
                         "decision_above": b.above.text if b.above else "",
                         "sentence": b.sentence()})
        return pd.DataFrame.from_records(rows)


@dataclass
class _Bracket:
    material: str
    kind: str
    group: InputGroup
    side: str
    inner: float  # decision as the base's
    outer: float  # decision differs
    outer_outcome: Outcome

    def width(self) -> float:
        return abs(self.outer - self.inner)


def breakevens(base: PlanInputs, groups: Sequence[InputGroup | str] | None = None,
               tornado: Tornado | None = None, n_top: int = N_TOP,
               search: Mapping[str, tuple[float, float]] | None = None,
               materials: Sequence[str] | None = None,
               kinds: Sequence[str] = DECISION_KINDS, rel_tol: float = REL_TOL,
               options: SolveOptions | None = None, executor: Executor | None = None,
               on_result: ProgressCallback | None = None,
               cancel: threading.Event | None = None) -> BreakevenStudy:
    """Break-evens of every floor and reserve decision against the top input groups.

    ``groups`` default to the ``n_top`` largest objective swings of ``tornado`` (all
    groups when no tornado is given). ``search`` maps a group key to its search interval
    in the group's unit. ``on_result(row, done, total)`` sees every solve; ``total`` grows
    as rounds are added. See the module docstring for the method.
    """
    import time

    t0 = time.perf_counter()
    if groups is not None:
        chosen = [group(g) if isinstance(g, str) else g for g in groups]
    elif tornado is not None:
        chosen = [b.group for b in tornado.top(n_top)]
    else:
        chosen = list(GROUP_BY_KEY.values())
    search = dict(search or {})
    own = executor is None
    ex = executor or make_executor()
    cache: dict[tuple[str, float], Outcome] = {}
    log: list[dict[str, Any]] = []
    n_done = 0
    expected = 0
    stopped = False

    def solve_variants(variants: list[Variant]) -> list[SweepRow]:
        nonlocal n_done, expected, stopped
        if not variants or stopped:
            return []
        expected += len(variants)

        def seen(row: SweepRow, _done: int, _total: int) -> None:
            nonlocal n_done
            n_done += 1
            if on_result is not None:
                on_result(row, n_done, expected)

        sweep = run_sweep(variants, options, ex, seen, cancel)
        log.extend(row.to_dict() for row in sweep.rows)
        stopped = sweep.cancelled
        return list(sweep.rows)

    def solve_points(points: list[tuple[InputGroup, float]]) -> None:
        """Solve the group values not yet in the cache, as one batch."""
        todo = list(dict.fromkeys((g.key, v) for g, v in points if (g.key, v) not in cache))
        by_key = {g.key: g for g, _ in points}
        variants = [Variant.of(base, f"{key} = {v:.10g}", by_key[key].apply(base, v),
                               group=key, value=v) for key, v in todo]
        for row in solve_variants(variants):
            cache[todo[row.index]] = row.outcome

    try:
        if tornado is not None:
            b_out = tornado.base
        else:
            rows = solve_variants([Variant("base", base, (), {"group": "", "value": None})])
            if not rows:
                raise RuntimeError("cancelled before the base plan was solved")
            b_out = rows[0].outcome
        names = list(materials or b_out.reserve_t)
        ranges = {}
        for g in chosen:
            v0 = g.base_value(base)
            lo, hi = search.get(g.key, g.search_range(base))
            lo, hi = min(lo, v0), max(hi, v0)
            ranges[g.key] = (v0, lo, hi)
            cache[(g.key, v0)] = b_out
            if tornado is not None:
                bar = next((b for b in tornado.bars if b.key == g.key), None)
                if bar is not None:
                    cache.setdefault((g.key, bar.low_value), bar.low)
                    cache.setdefault((g.key, bar.high_value), bar.high)
        solve_points([(g, v) for g in chosen for v in ranges[g.key][1:]])

        brackets: list[_Bracket] = []
        results: dict[tuple[str, str, str], dict[str, Any]] = {}
        for g in chosen:
            v0, lo, hi = ranges[g.key]
            known = sorted(v for (k, v) in cache if k == g.key)
            for m in names:
                for kind in kinds:
                    state0 = decision_state(b_out, m, kind)
                    results[(m, kind, g.key)] = {"below": None, "above": None}
                    for side, pts in (("below", [v for v in known if lo <= v < v0][::-1]),
                                      ("above", [v for v in known if v0 < v <= hi])):
                        inner = v0
                        for v in pts:  # nearest the base first
                            o = cache[(g.key, v)]
                            if not o.has_plan:
                                continue
                            if decision_state(o, m, kind) != state0:
                                brackets.append(_Bracket(m, kind, g, side, inner, v, o))
                                break
                            inner = v
        span = {k: max(hi - lo, 1e-12) for k, (_, lo, hi) in ranges.items()}
        open_ = [b for b in brackets if b.width() > rel_tol * span[b.group.key]]
        while open_ and not stopped:
            solve_points([(b.group, 0.5 * (b.inner + b.outer)) for b in open_])
            for b in open_:
                mid = 0.5 * (b.inner + b.outer)
                o = cache.get((b.group.key, mid))
                if o is None:
                    continue
                state0 = decision_state(b_out, b.material, b.kind)
                if o.has_plan and decision_state(o, b.material, b.kind) == state0:
                    b.inner = mid
                else:
                    b.outer, b.outer_outcome = mid, o
            open_ = [b for b in open_ if b.width() > rel_tol * span[b.group.key]]
        for b in brackets:
            results[(b.material, b.kind, b.group.key)][b.side] = Crossing(
                0.5 * (b.inner + b.outer), b.inner, b.outer,
                decision_text(b.outer_outcome, b.material, b.kind),
                b.outer_outcome.objective_usd)
    finally:
        if own:
            ex.close()
    out = []
    for g in chosen:
        v0, lo, hi = ranges[g.key]
        for m in names:
            for kind in kinds:
                r = results[(m, kind, g.key)]
                out.append(Breakeven(m, kind, g.key, g.label, g.unit, v0, lo, hi,
                                     decision_text(b_out, m, kind), r["below"], r["above"]))
    return BreakevenStudy(b_out, tuple(out), n_done, time.perf_counter() - t0,
                          cancelled=stopped, variants=tuple(log))


def check_crossing(base: PlanInputs, b: Breakeven, side: str,
                   solve: Callable[[PlanInputs], Outcome]) -> tuple[Any, Any, Any]:
    """Re-solve at the base value and at a crossing's inner and outer points: the decision
    states (for tests and for readers who want to see a break-even hold)."""
    g = GROUP_BY_KEY[b.group]
    c = getattr(b, side)
    states = []
    for v in (b.base_value, c.inner, c.outer):
        states.append(decision_state(solve(g.apply(base, v)), b.material, b.kind))
    return tuple(states)
