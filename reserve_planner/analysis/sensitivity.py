"""Tornado: each key input group at a low and a high value, re-solved.

:func:`tornado` solves the base and, for every :class:`~.groups.InputGroup`, the base with
the group at its low and at its high value (default: :func:`~.groups.default_range`, half
and one and a half times the base; pass ``ranges`` to edit them). Every bar reports the
objective, the expected cost, the CVaR, the net benefit (:func:`~.outcome.net_benefit_usd`)
and each material's reserve at both ends, and the floor and reserve decisions that flip.
Bars are ranked by the swing of the objective unless another metric is asked for.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import PlanInputs
from ..optimize import SolveOptions
from .executor import Executor
from .groups import GROUP_BY_KEY, INPUT_GROUPS, InputGroup, default_range, group
from .outcome import Outcome
from .sweep import ProgressCallback, SweepResult, Variant, run_sweep

if TYPE_CHECKING:
    import pandas as pd

BASE_VARIANT = "base"


@dataclass(frozen=True)
class DecisionFlip:
    """A decision that differs from the base's at one end of a bar.

    ``kind`` is ``"floor"`` (the floor brings other projects online, or none, or some where
    the base has none; values are floor levels [$/kg], 0 = no floor) or ``"reserve"`` (the
    plan holds a reserve where the base holds none, or the reverse; values are reserve
    targets [t]). ``base_text``/``text`` say the two decisions in words.
    """

    material: str
    kind: str
    side: str  # "low" or "high"
    base_value: float
    value: float
    base_text: str
    text: str

    def sentence(self, group_label: str) -> str:
        return (f"{self.material}: {self.text} instead of {self.base_text} with "
                f"{group_label} {self.side}")

    def to_dict(self) -> dict[str, Any]:
        return {"material": self.material, "kind": self.kind, "side": self.side,
                "base_value": self.base_value, "value": self.value,
                "base_text": self.base_text, "text": self.text}


def reserve_text(outcome: Outcome, material: str) -> str:
    """The reserve decision in words: ``"no reserve"`` or ``"a 875.0 t reserve"``."""
    t = outcome.reserve_t.get(material, 0.0)
    return f"a {t:,.1f} t reserve" if outcome.reserve_held(material) else "no reserve"


def decision_flips(base: Outcome, other: Outcome, side: str) -> tuple[DecisionFlip, ...]:
    """Floors that bring other projects online, and reserves held where the base holds
    none (or the reverse), in ``other`` compared with ``base``."""
    if not other.has_plan:
        return ()
    out = []
    for m in base.floor_usd_per_kg:
        if other.floor_state(m) != base.floor_state(m):
            out.append(DecisionFlip(m, "floor", side, base.floor_usd_per_kg[m],
                                    other.floor_usd_per_kg.get(m, math.nan),
                                    base.floor_text(m), other.floor_text(m)))
    for m, t in base.reserve_t.items():
        if other.reserve_held(m) != base.reserve_held(m):
            out.append(DecisionFlip(m, "reserve", side, t, other.reserve_t.get(m, 0.0),
                                    reserve_text(base, m), reserve_text(other, m)))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class TornadoBar:
    """One input group at its low and high value.

    ``low_value``/``high_value`` are the values reached (a capped or rounded group may not
    reach what was asked); ``range_rule`` says where the range came from (``"+-50%"``,
    ``"given"``).
    """

    group: InputGroup
    base_value: float
    low_value: float
    high_value: float
    range_rule: str
    low: Outcome
    high: Outcome
    flips: tuple[DecisionFlip, ...]

    @property
    def key(self) -> str:
        return self.group.key

    @property
    def label(self) -> str:
        return self.group.label

    def swing(self, metric: str = "objective_usd") -> float:
        """|high - low| of ``metric`` (NaN when either end has no plan)."""
        return abs(self.high.metric(metric) - self.low.metric(metric))

    def to_dict(self, base: Outcome) -> dict[str, Any]:
        def ends(metric: str) -> dict[str, float | None]:
            vals = {"low": self.low.metric(metric), "base": base.metric(metric),
                    "high": self.high.metric(metric)}
            return {k: (v if math.isfinite(v) else None) for k, v in vals.items()}
        return {
            "group": self.key, "label": self.label, "unit": self.group.unit,
            "range_rule": self.range_rule,
            "values": {"low": self.low_value, "base": self.base_value,
                       "high": self.high_value},
            "objective_usd": ends("objective_usd"),
            "expected_cost_usd": ends("expected_cost_usd"),
            "cvar_usd": ends("cvar_usd"),
            "net_benefit_usd": ends("net_benefit_usd"),
            "reserve_t": {m: ends(f"reserve_t:{m}") for m in base.reserve_t},
            "floor_usd_per_kg": {m: ends(f"floor_usd_per_kg:{m}")
                                 for m in base.floor_usd_per_kg},
            "status": {"low": self.low.status, "high": self.high.status},
            "flips": [f.to_dict() for f in self.flips],
        }


@dataclass(frozen=True, eq=False)
class Tornado:
    """A tornado: the base outcome, one bar per input group, and the sweep behind them
    (with the changed inputs of every variant)."""

    base: Outcome
    bars: tuple[TornadoBar, ...]
    sweep: SweepResult

    def ranked(self, metric: str = "objective_usd") -> tuple[TornadoBar, ...]:
        """Bars by decreasing swing of ``metric`` (bars without a plan at an end last)."""
        def key(b: TornadoBar) -> float:
            s = b.swing(metric)
            return -s if math.isfinite(s) else math.inf
        return tuple(sorted(self.bars, key=key))

    def top(self, n: int, metric: str = "objective_usd") -> tuple[TornadoBar, ...]:
        return self.ranked(metric)[:n]

    def bar(self, key: str) -> TornadoBar:
        for b in self.bars:
            if b.key == key:
                return b
        raise KeyError(key)

    @property
    def materials(self) -> tuple[str, ...]:
        return tuple(self.base.reserve_t)

    def to_dict(self, metric: str = "objective_usd") -> dict[str, Any]:
        return {"base": self.base.to_dict(), "ranked_by": metric,
                "bars": [b.to_dict(self.base) for b in self.ranked(metric)],
                "cancelled": self.sweep.cancelled}

    def to_frame(self) -> pd.DataFrame:
        """One row per group and end (low, high): the group's value and the outcome's
        figures, with the base's beside them (``base_objective_usd``...)."""
        import pandas as pd

        rows = []
        for b in self.ranked():
            for side, o, v in (("low", b.low, b.low_value), ("high", b.high, b.high_value)):
                rec: dict[str, Any] = {"group": b.key, "label": b.label, "side": side,
                                       "unit": b.group.unit, "base_value": b.base_value,
                                       "value": v, "status": o.status}
                for m in ("objective_usd", "expected_cost_usd", "cvar_usd",
                          "net_benefit_usd"):
                    rec[m] = o.metric(m)
                    rec[f"base_{m}"] = self.base.metric(m)
                rec.update({f"reserve_t:{m}": t for m, t in o.reserve_t.items()})
                rec.update({f"floor_usd_per_kg:{m}": f for m, f in o.floor_usd_per_kg.items()})
                rec["flips"] = "; ".join(f.sentence(b.label) for f in b.flips
                                         if f.side == side)
                rows.append(rec)
        return pd.DataFrame.from_records(rows)


def tornado_variants(base: PlanInputs, groups: Sequence[InputGroup | str] | None = None,
                     ranges: Mapping[str, tuple[float, float]] | None = None
                     ) -> list[Variant]:
    """The base and each group's low and high variant (tagged ``group``, ``side``,
    ``value``, ``range_rule``)."""
    chosen = [group(g) if isinstance(g, str) else g for g in (groups or INPUT_GROUPS)]
    ranges = dict(ranges or {})
    unknown = sorted(set(ranges) - {g.key for g in chosen})
    if unknown:
        raise KeyError(f"ranges given for groups not in the tornado: {', '.join(unknown)}")
    variants = [Variant(BASE_VARIANT, base, (), {"group": "", "side": "base"})]
    for g in chosen:
        if g.key in ranges:
            lo, hi = (float(v) for v in ranges[g.key])
            rule = "given"
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
                raise ValueError(f"{g.label}: the range must be two finite numbers, low <= "
                                 f"high (got {lo!r}, {hi!r})")
        else:
            lo, hi = default_range(g, base)
            rule = "+-50%" if g.scale or g.base_value(base) != 0 else f"0 to {g.zero_span:g}"
        for side, v in (("low", lo), ("high", hi)):
            x = g.apply(base, v)
            variants.append(Variant.of(base, f"{g.key} {side}", x, group=g.key, side=side,
                                       value=g.measure(x, base), range_rule=rule))
    return variants


def tornado(base: PlanInputs, groups: Sequence[InputGroup | str] | None = None,
            ranges: Mapping[str, tuple[float, float]] | None = None,
            options: SolveOptions | None = None, executor: Executor | None = None,
            on_result: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> Tornado:
    """Solve the base and every group at its low and high value; see the module docstring.

    ``groups`` (default: all of :data:`~.groups.INPUT_GROUPS`) are groups or their keys;
    ``ranges`` maps a group key to its (low, high) in the group's unit. Raises
    :class:`RuntimeError` when the sweep was cancelled before the base was solved.
    """
    variants = tornado_variants(base, groups, ranges)
    sweep = run_sweep(variants, options, executor, on_result, cancel)
    custom = [g for g in (groups or ()) if isinstance(g, InputGroup)]
    return tornado_from_sweep(base, sweep, custom)


def tornado_from_sweep(base: PlanInputs, sweep: SweepResult,
                       groups: Sequence[InputGroup] = ()) -> Tornado:
    """Bars from a sweep of :func:`tornado_variants` (groups with both ends solved);
    ``groups`` are the groups that are not among :data:`~.groups.INPUT_GROUPS`."""
    known = {**GROUP_BY_KEY, **{g.key: g for g in groups}}
    by_name = {r.variant.name: r for r in sweep.rows}
    if BASE_VARIANT not in by_name:
        raise RuntimeError("the sweep stopped before the base plan was solved")
    b = by_name[BASE_VARIANT].outcome
    bars = []
    keys = list(dict.fromkeys(r.variant.tags["group"] for r in sweep.rows
                              if r.variant.tags.get("group")))
    for key in keys:
        lo, hi = by_name.get(f"{key} low"), by_name.get(f"{key} high")
        if lo is None or hi is None:
            continue
        g = known[key]
        flips = decision_flips(b, lo.outcome, "low") + decision_flips(b, hi.outcome, "high")
        bars.append(TornadoBar(g, g.base_value(base), float(lo.variant.tags["value"]),
                               float(hi.variant.tags["value"]),
                               str(lo.variant.tags["range_rule"]), lo.outcome, hi.outcome,
                               flips))
    return Tornado(b, tuple(bars), sweep)
