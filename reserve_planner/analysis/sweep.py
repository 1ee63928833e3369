"""Sweeps: named variants of one plan's inputs, solved independently on an executor.

A :class:`Variant` carries its inputs and the list of :class:`InputChange` that turn the
base inputs into them (field path, base value, variant value), so every result row says
what was changed and :func:`apply_changes` reproduces the variant from the base. Results
stream back as they finish (:func:`iter_sweep`), or are collected (:func:`run_sweep`) into
a :class:`SweepResult` that gives JSON-ready dicts and pandas DataFrames.

Field paths follow :func:`~reserve_planner.model.sources.field_path`:
``"policy/tariff_share"``, ``"materials/NdPr oxide/price_usd_per_kg"``,
``"scenarios/Licensing shock/depth_by_material/Dy oxide"``. When a variant adds, removes
or renames rows of a table, the change is recorded for the whole table (``"scenarios"``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import PlanInputs, inputs_from_dict, inputs_to_dict
from ..optimize import SolveOptions
from .executor import Executor, make_executor
from .outcome import SWEEP_OPTIONS, Outcome, solve_outcome

if TYPE_CHECKING:  # pandas is imported when a frame is asked for
    import pandas as pd

#: Top-level entries of the dict form that are not inputs of the solve.
_NOT_COMPARED = frozenset({"schema_version", "name", "notes", "sources"})


@dataclass(frozen=True)
class InputChange:
    """One input that differs from the base: where, the base's value and the variant's."""

    path: str
    base_value: Any
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "base_value": self.base_value, "value": self.value}

    def __str__(self) -> str:
        return f"{self.path}: {_short(self.base_value)} -> {_short(self.value)}"


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list) and len(v) > 4:
        return f"[{len(v)} items]"
    return repr(v)


def _rows_by_name(rows: list) -> dict[str, dict]:
    return {r["name"]: r for r in rows}


def _diff_values(path: str, a: Any, b: Any, out: list[InputChange]) -> None:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        for k in a:
            _diff_values(f"{path}/{k}", a[k], b[k], out)
    elif a != b:
        out.append(InputChange(path, a, b))


def input_changes(base: PlanInputs, variant: PlanInputs) -> tuple[InputChange, ...]:
    """Every input of ``variant`` that differs from ``base``, in table order (names, notes
    and sources are not compared)."""
    a, b = inputs_to_dict(base), inputs_to_dict(variant)
    out: list[InputChange] = []
    for key in [k for k in a if k not in _NOT_COMPARED] + [
            k for k in b if k not in a and k not in _NOT_COMPARED]:
        va, vb = a.get(key), b.get(key)
        if (isinstance(va, list) and isinstance(vb, list) and va and vb
                and all(isinstance(r, dict) and "name" in r for r in va + vb)):
            if [r["name"] for r in va] != [r["name"] for r in vb]:
                out.append(InputChange(key, va, vb))
                continue
            for ra, rb in zip(va, vb, strict=True):
                for f in ra.keys() | rb.keys():
                    if f != "name" and ra.get(f) != rb.get(f):
                        _diff_values(f"{key}/{ra['name']}/{f}", ra.get(f), rb.get(f), out)
        else:
            _diff_values(key, va, vb, out)
    return tuple(sorted(out, key=lambda c: _order(a, c.path)))


def _order(base: dict, path: str) -> tuple:
    """Sort key keeping the dict form's table and row order."""
    parts = path.split("/")
    keys = [k for k in base if k not in _NOT_COMPARED]
    top = keys.index(parts[0]) if parts[0] in keys else len(keys)
    row = 0
    if len(parts) > 1 and isinstance(base.get(parts[0]), list):
        names = [r.get("name") for r in base[parts[0]] if isinstance(r, dict)]
        row = names.index(parts[1]) if parts[1] in names else len(names)
    return (top, row, path)


def apply_changes(base: PlanInputs, changes: Iterable[InputChange | Mapping[str, Any]],
                  name: str | None = None) -> PlanInputs:
    """``base`` with ``changes`` applied: the variant they were taken from.

    ``changes`` may be :class:`InputChange` objects or their dicts (as in a sweep's JSON).
    Raises :class:`KeyError` naming a path that ``base`` does not have.
    """
    data = inputs_to_dict(base)
    for ch in changes:
        path, value = ((ch.path, ch.value) if isinstance(ch, InputChange)
                       else (ch["path"], ch["value"]))
        parts = path.split("/")
        node: Any = data
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                rows = _rows_by_name(node)
                if part not in rows:
                    raise KeyError(f"{path}: no row named {part!r} in {'/'.join(parts[:i])}")
                node = rows[part]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise KeyError(f"{path}: {'/'.join(parts[:i + 1])} does not exist")
        if not isinstance(node, dict):
            raise KeyError(f"{path}: cannot set a field of {type(node).__name__}")
        node[parts[-1]] = value
    if name is not None:
        data["name"] = name
    return inputs_from_dict(data)


@dataclass(frozen=True, eq=False)
class Variant:
    """One set of inputs in a sweep.

    ``tags`` hold what the analysis that made the variant wants to remember (the input
    group, low or high, the group's value); they are copied into result rows and frames.
    """

    name: str
    inputs: PlanInputs
    changes: tuple[InputChange, ...]
    tags: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, base: PlanInputs, name: str, inputs: PlanInputs, **tags: Any) -> Variant:
        """A variant of ``base`` with its changes measured."""
        return cls(name, inputs, input_changes(base, inputs), dict(tags))


@dataclass(frozen=True, eq=False)
class SweepRow:
    """A solved variant: its position in the sweep, the variant and the outcome."""

    index: int
    variant: Variant
    outcome: Outcome

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.variant.name,
                "tags": {k: _json_scalar(v) for k, v in self.variant.tags.items()},
                "changes": [c.to_dict() for c in self.variant.changes],
                "outcome": self.outcome.to_dict()}


def _json_scalar(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The solved variants of a sweep, in the order they were given.

    ``cancelled`` is True when the sweep was stopped before every variant was solved; the
    rows then hold the variants that finished.
    """

    rows: tuple[SweepRow, ...]
    total: int
    cancelled: bool = False
    elapsed_s: float = 0.0
    executor: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, name: str) -> SweepRow:
        for r in self.rows:
            if r.variant.name == name:
                return r
        raise KeyError(name)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per solved variant, with its changes and outcome."""
        return [r.to_dict() for r in self.rows]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "solved": len(self.rows), "cancelled": self.cancelled,
                "elapsed_s": self.elapsed_s, "executor": self.executor,
                "variants": self.to_dicts()}

    def to_frame(self) -> pd.DataFrame:
        """One row per variant: its tags, the outcome's figures, each material's reserve
        (``reserve_t:<material>``) and floor (``floor_usd_per_kg:<material>``), and the
        changes in words (``changes``)."""
        import pandas as pd

        records = []
        for r in self.rows:
            o = r.outcome
            rec: dict[str, Any] = {"variant": r.variant.name, **dict(r.variant.tags)}
            rec.update({k: getattr(o, k) for k in (
                "status", "objective_usd", "expected_cost_usd", "cvar_usd",
                "net_benefit_usd", "shortage_avoided_usd", "solve_time_s")})
            rec.update({f"reserve_t:{m}": v for m, v in o.reserve_t.items()})
            rec.update({f"expected_unmet_t:{m}": v for m, v in o.expected_unmet_t.items()})
            rec.update({f"expected_unmet_without_plan_t:{m}": v
                        for m, v in o.expected_unmet_without_plan_t.items()})
            rec.update({f"floor_usd_per_kg:{m}": v for m, v in o.floor_usd_per_kg.items()})
            rec["changes"] = "; ".join(str(c) for c in r.variant.changes)
            records.append(rec)
        return pd.DataFrame.from_records(records)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Tidy tables: ``"variants"`` (as :meth:`to_frame`), ``"materials"`` (one row per
        variant and material) and ``"changes"`` (one row per variant and changed input)."""
        import pandas as pd

        mats, changes = [], []
        for r in self.rows:
            o = r.outcome
            for m, t in o.reserve_t.items():
                mats.append({"variant": r.variant.name, "material": m, "reserve_t": t,
                             "floor_usd_per_kg": o.floor_usd_per_kg.get(m, math.nan),
                             "reserve_held": o.reserve_held(m)})
            for c in r.variant.changes:
                changes.append({"variant": r.variant.name, "path": c.path,
                                "base_value": c.base_value, "value": c.value})
        return {"variants": self.to_frame(),
                "materials": pd.DataFrame(mats, columns=["variant", "material", "reserve_t",
                                                         "floor_usd_per_kg", "reserve_held"]),
                "changes": pd.DataFrame(changes, columns=["variant", "path", "base_value",
                                                          "value"])}


ProgressCallback = Callable[[SweepRow, int, int], None]


def iter_sweep(variants: Sequence[Variant], options: SolveOptions | None = None,
               executor: Executor | None = None, cancel: threading.Event | None = None
               ) -> Iterator[SweepRow]:
    """Solve every variant; yield a :class:`SweepRow` as each finishes.

    ``executor`` defaults to a local process pool on all cores (closed at the end). Setting
    ``cancel`` stops the sweep after the variants already finished.
    """
    own = executor is None
    ex = executor or make_executor()
    opts = options or SWEEP_OPTIONS
    try:
        jobs = [(v.inputs, opts) for v in variants]
        for i, outcome in ex.map_unordered(solve_outcome, jobs, cancel):
            yield SweepRow(i, variants[i], outcome)
    finally:
        if own:
            ex.close()


def run_sweep(variants: Sequence[Variant], options: SolveOptions | None = None,
              executor: Executor | None = None, on_result: ProgressCallback | None = None,
              cancel: threading.Event | None = None) -> SweepResult:
    """Solve every variant and collect the rows in the variants' order.

    ``on_result(row, done, total)`` is called as each variant finishes (for a progress bar).
    """
    t0 = time.perf_counter()
    own = executor is None
    ex = executor or make_executor()
    rows: list[SweepRow] = []
    try:
        for row in iter_sweep(variants, options, ex, cancel):
            rows.append(row)
            if on_result is not None:
                on_result(row, len(rows), len(variants))
        desc = ex.description
    finally:
        if own:
            ex.close()
    rows.sort(key=lambda r: r.index)
    return SweepResult(tuple(rows), len(variants), cancelled=len(rows) < len(variants),
                       elapsed_s=time.perf_counter() - t0, executor=desc)
