"""Plans side by side: the inputs that differ, the decisions and the headline figures.

A :class:`NamedPlan` is a plan's name, its inputs, its solved result and where it came from
(a workbook, a named variant inside one, the built-in baseline, a plan pinned in the
window). :func:`compare_plans` lines two or more of them up into a :class:`Comparison`:

* the **inputs that differ** (:class:`InputDifference`): every field that differs between
  the first plan and any other, found by :func:`~.sweep.input_changes` (the one differ),
  with a readable label, its unit, and each plan's value and source;
* the **decisions** per material (:class:`MaterialDecisions`): reserve size, floor level
  and whether a floor is set, the projects it brings online, the near-optimal reserve
  range when the solve computed one, and the expected unmet demand with the plan and in
  the status quo (in tonnes of that material);
* the **headline figures** (:class:`FigureRow`): objective and net benefit
  (:func:`~.outcome.net_benefit_usd`) and the status-quo and plan rows of
  :meth:`~reserve_planner.optimize.PlanResult.comparison_rows` (the one definition every
  output uses), each with its difference against the first plan (``value - first``).

Qt-free and file-free. Labels come from a ``describe(path) -> (label, unit)`` function;
the default, :func:`field_label`, reads them from the model's field names (units are in
the names); the workbook layer has one with the workbook's own column titles
(:func:`reserve_planner.io.variants.workbook_field_label`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import PlanInputs, Source, inputs_to_dict
from ..optimize import PlanResult
from .outcome import RESERVE_HELD_T, net_benefit_usd
from .sweep import input_changes

if TYPE_CHECKING:  # pandas is imported when a frame is asked for
    import pandas as pd

#: ``describe(path) -> (label, unit)``: how a field path reads, e.g.
#: ``("NdPr oxide: price", "$/kg")``.
Describe = Callable[[str], tuple[str, str]]


class _Missing:
    """A value a plan does not have (its table has no row of that name)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: The value of a field in a plan that does not have it (e.g. a scenario another plan added).
MISSING: Any = _Missing()

# Field-name endings and the unit they mean, longest first (the model names carry units).
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_usd_per_t_yr", "$/t/yr"), ("_usd_per_kg", "$/kg"), ("_t_per_month", "t/month"),
    ("_t_per_yr", "t/yr"), ("_per_yr", "per yr"), ("_usd", "$"), ("_months", "months"),
    ("_month", "month"), ("_share", "0-1"), ("_days", "days"), ("_yr", "years"), ("_t", "t"),
)
_UNIT_BY_NAME = {"probability": "0-1", "failure_probability": "0-1",
                 "price_multiplier_during": "x", "price_multiplier_after": "x",
                 "price_log_volatility": "log s.d.", "cvar_level": "0-1",
                 "risk_aversion": "weight", "depth_by_material": "0-1",
                 "start_year": "", "hits_allied_supply": "yes/no"}
_TABLE_WORDS = {"materials": "Materials", "projects": "Projects", "scenarios": "Scenarios",
                "policy": "Policy", "contracted_floors": "Contracted floors"}


def _field_words(name: str) -> tuple[str, str]:
    """``"price_usd_per_kg"`` -> ``("price", "$/kg")``."""
    if name in _UNIT_BY_NAME:
        unit = _UNIT_BY_NAME[name]
        stem = name.removesuffix("_by_material")
    else:
        unit, stem = "", name
        for suffix, u in _UNIT_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                unit, stem = u, name[: -len(suffix)]
                break
    return stem.replace("_", " "), unit


def field_label(path: str) -> tuple[str, str]:
    """A field path in words and its unit, read from the model's field names.

    >>> field_label("materials/NdPr oxide/price_usd_per_kg")
    ('NdPr oxide: price', '$/kg')
    >>> field_label("policy/tariff_share")
    ('Policy: tariff', '0-1')
    >>> field_label("scenarios/Licensing shock/depth_by_material/Dy oxide")
    ('Licensing shock: depth, Dy oxide', '0-1')
    >>> field_label("scenarios")
    ('Scenarios (rows added, removed or renamed)', '')
    """
    parts = path.split("/")
    table = parts[0]
    if len(parts) == 1:
        return f"{_TABLE_WORDS.get(table, table)} (rows added, removed or renamed)", ""
    if table == "policy":
        words, unit = _field_words(parts[1])
        rest = parts[2:]
        head = "Policy"
    elif len(parts) == 2:  # a table's field without a row (not made by input_changes)
        words, unit = _field_words(parts[1])
        rest, head = [], _TABLE_WORDS.get(table, table)
    else:
        words, unit = _field_words(parts[2])
        rest, head = parts[3:], parts[1]
    label = f"{head}: {words}" + (", " + ", ".join(rest) if rest else "")
    return label, unit


def value_at(data: dict[str, Any], path: str) -> Any:
    """The value at ``path`` in an :func:`inputs_to_dict` form, or :data:`MISSING`."""
    node: Any = data
    for part in path.split("/"):
        if isinstance(node, list):
            rows = {r.get("name"): r for r in node if isinstance(r, dict)}
            if part not in rows:
                return MISSING
            node = rows[part]
        elif isinstance(node, dict):
            if part not in node:
                return MISSING
            node = node[part]
        else:
            return MISSING
    return node


def source_of(inputs: PlanInputs, path: str) -> Source | None:
    """The source of the value at ``path``: its own, else the nearest enclosing field's
    (``scenarios/S/depth_by_material/Dy oxide`` is filed under ``scenarios/S/depth``,
    ``policy/floor_candidates_usd_per_kg/NdPr oxide`` under the whole setting)."""
    parts = path.replace("/depth_by_material", "/depth").split("/")
    for n in range(len(parts), 1, -1):
        source = inputs.sources.get("/".join(parts[:n]))
        if source is not None:
            return source
    return None


@dataclass(frozen=True)
class NamedPlan:
    """One plan to compare.

    Attributes
    ----------
    name : str
        What the plan is called in the comparison (unique within it).
    inputs : PlanInputs
    result : PlanResult
        Its solve; a result without a plan (``result.status.has_plan`` false) is compared
        too, its figures and decisions then blank (NaN).
    source : str
        Where it came from: a workbook path, ``"PATH.xlsx#Variant"``, ``"built-in
        baseline"``, ``"pinned in the window"``; empty when unknown.
    """

    name: str
    inputs: PlanInputs
    result: PlanResult
    source: str = ""

    @property
    def scenario_name(self) -> str:
        """The name the inputs carry (the workbook's plan name)."""
        return self.inputs.name

    @property
    def has_plan(self) -> bool:
        return self.result.status.has_plan


@dataclass(frozen=True)
class InputDifference:
    """One input whose value is not the same in every plan.

    ``values`` and ``sources`` hold one entry per plan, in the comparison's order; a value
    is :data:`MISSING` when that plan has no such field (a row another plan added). Values
    are as in :func:`~reserve_planner.model.inputs_to_dict` (numbers, lists, dicts).
    """

    path: str
    label: str
    unit: str
    values: tuple[Any, ...]
    sources: tuple[Source | None, ...]

    def differs_from_first(self, index: int) -> bool:
        """Whether plan ``index`` has another value than the first plan."""
        return self.values[index] != self.values[0]

    @property
    def is_table(self) -> bool:
        """Whether this is a whole table whose rows were added, removed or renamed."""
        return "/" not in self.path

    def row_changes(self, index: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """For a whole table (:attr:`is_table`): the names of the rows plan ``index`` has
        that the first plan has not, and of those it lacks; empty otherwise."""
        def names(v: Any) -> list[str]:
            if not isinstance(v, list):
                return []
            return [str(r["name"]) for r in v if isinstance(r, dict) and "name" in r]

        mine, first = names(self.values[index]), names(self.values[0])
        return (tuple(n for n in mine if n not in first),
                tuple(n for n in first if n not in mine))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "unit": self.unit,
                "values": [_json_value(v) for v in self.values],
                "sources": [_source_dict(s) for s in self.sources]}


@dataclass(frozen=True)
class PlanDecision:
    """One plan's decision for one material: reserve [t], floor [$/kg] (0 = none), the
    projects the floor brings online, the near-optimal reserve range [t] (NaN when the
    solve did not compute one) and the expected unmet demand of the material over the
    horizon with the plan and in the status quo [t]."""

    reserve_t: float
    days_of_cover: float
    floor_usd_per_kg: float
    floor_projects: tuple[str, ...]
    near_optimal_low_t: float = math.nan
    near_optimal_high_t: float = math.nan
    near_optimal_high_is_limit: bool = False
    expected_unmet_t: float = math.nan  # over the horizon, with the plan [t]
    expected_unmet_without_plan_t: float = math.nan  # in the status quo [t]

    @property
    def holds_reserve(self) -> bool:
        """Whether the plan holds a reserve of the material (more than a kilogram)."""
        return self.reserve_t > RESERVE_HELD_T

    @property
    def has_floor(self) -> bool:
        return self.floor_usd_per_kg > 0

    def to_dict(self) -> dict[str, Any]:
        return {"reserve_t": _json_value(self.reserve_t),
                "days_of_cover": _json_value(self.days_of_cover),
                "floor": self.has_floor,
                "floor_usd_per_kg": _json_value(self.floor_usd_per_kg),
                "floor_projects": list(self.floor_projects),
                "near_optimal_low_t": _json_value(self.near_optimal_low_t),
                "near_optimal_high_t": _json_value(self.near_optimal_high_t),
                "near_optimal_high_is_limit": self.near_optimal_high_is_limit,
                "expected_unmet_t": _json_value(self.expected_unmet_t),
                "expected_unmet_without_plan_t": _json_value(
                    self.expected_unmet_without_plan_t)}


@dataclass(frozen=True)
class MaterialDecisions:
    """The decisions of every plan for one material; ``plans[i]`` is None when plan ``i``
    has no plan (no solve, or no such material)."""

    material: str
    plans: tuple[PlanDecision | None, ...]

    @property
    def reserve_differences_t(self) -> tuple[float, ...]:
        """Each plan's reserve minus the first plan's [t] (NaN where either has none)."""
        first = self.plans[0].reserve_t if self.plans[0] is not None else math.nan
        return tuple(difference(d.reserve_t if d is not None else math.nan, first)
                     for d in self.plans)

    @property
    def same_decision(self) -> bool:
        """Whether every plan holds a reserve or not alike and sets the same floor."""
        known = [d for d in self.plans if d is not None]
        return len(known) == len(self.plans) and len(
            {(d.holds_reserve, d.floor_usd_per_kg, d.floor_projects) for d in known}) == 1

    def to_dict(self) -> dict[str, Any]:
        return {"material": self.material,
                "plans": [d.to_dict() if d is not None else None for d in self.plans],
                "reserve_differences_t": [_json_value(v) for v in self.reserve_differences_t]}


@dataclass(frozen=True)
class FigureRow:
    """One headline figure in every plan and its difference against the first plan
    (``values[i] - values[0]``; 0 for the first, NaN where either is not finite)."""

    label: str
    unit: str
    note: str
    values: tuple[float, ...]

    @property
    def differences(self) -> tuple[float, ...]:
        return tuple(difference(v, self.values[0]) for v in self.values)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "unit": self.unit, "note": self.note,
                "values": [_json_value(v) for v in self.values],
                "differences": [_json_value(v) for v in self.differences]}


def difference(value: float, first: float) -> float:
    """``value - first`` when both are finite, else NaN."""
    if math.isfinite(value) and math.isfinite(first):
        return value - first
    return math.nan


def headline_rows(result: PlanResult) -> list[tuple[str, float, str, str]]:
    """The headline figures of one result as (label, value, unit, note): objective, net
    benefit and the rows of :meth:`PlanResult.comparison_rows`. Empty without a plan.
    (Unmet demand is per material, in :class:`PlanDecision`: tonnes of different
    materials are never added.)"""
    if not result.status.has_plan:
        return []
    return [
        ("Plan: objective", result.objective_usd, "$",
         "expected cost + risk weight x CVaR of shortage damage"),
        ("Plan: net benefit against the status quo", net_benefit_usd(result), "$",
         "status quo's objective minus the plan's"),
        *result.comparison_rows(),
    ]


def _decision(result: PlanResult, material: str) -> PlanDecision | None:
    if not result.status.has_plan or material not in result.material_names:
        return None
    try:
        m = result.material(material)
    except KeyError:
        return None
    near = m.near_optimal
    return PlanDecision(
        reserve_t=float(m.reserve_target_t), days_of_cover=float(m.days_of_import_cover),
        floor_usd_per_kg=float(m.floor.level_usd_per_kg),
        floor_projects=tuple(p.name for p in m.floor.projects),
        near_optimal_low_t=float(near.low_t) if near is not None else math.nan,
        near_optimal_high_t=float(near.high_t) if near is not None else math.nan,
        near_optimal_high_is_limit=bool(near.high_is_limit) if near is not None else False,
        expected_unmet_t=float(m.expected_unmet_t),
        expected_unmet_without_plan_t=float(m.expected_unmet_without_plan_t))


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two or more plans side by side (see the module docstring)."""

    plans: tuple[NamedPlan, ...]
    inputs: tuple[InputDifference, ...]
    decisions: tuple[MaterialDecisions, ...]
    figures: tuple[FigureRow, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.plans)

    @property
    def unsolved(self) -> tuple[NamedPlan, ...]:
        """The plans whose solve gave no plan."""
        return tuple(p for p in self.plans if not p.has_plan)

    def figure(self, label: str) -> FigureRow:
        for row in self.figures:
            if row.label == label:
                return row
        raise KeyError(label)

    def difference(self, path: str) -> InputDifference:
        for d in self.inputs:
            if d.path == path:
                return d
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the plans (name, source, scenario name, status), the inputs that
        differ (path, label, unit, values, sources), the decisions and the results with
        their differences against the first plan. NaN and infinity become None."""
        return {
            "plans": [{"name": p.name, "source": p.source, "scenario": p.scenario_name,
                       "status": p.result.status.value, "message": p.result.message}
                      for p in self.plans],
            "baseline_plan": self.plans[0].name,
            "inputs_that_differ": [d.to_dict() for d in self.inputs],
            "decisions": [d.to_dict() for d in self.decisions],
            "results": [r.to_dict() for r in self.figures],
        }

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """pandas tables by name:

        * ``"plans"``: name, source, scenario, status, message;
        * ``"inputs"``: path, label, unit, then ``<plan>`` (value) and ``<plan> source``
          per plan;
        * ``"results"``: label, unit, note, then ``<plan>`` and ``<plan> - <first>`` per
          plan (in the row's unit);
        * ``"decisions"``: one row per material and plan, units in the column names
          (``reserve_t``, ``reserve_change_t``, ``floor_usd_per_kg``, ...).
        """
        import pandas as pd

        names = self.names
        plans = pd.DataFrame(
            [(p.name, p.source, p.scenario_name, p.result.status.value, p.result.message)
             for p in self.plans], columns=["plan", "source", "scenario", "status", "message"])
        in_cols = ["path", "label", "unit"]
        for n in names:
            in_cols += [n, f"{n} source"]
        in_rows = []
        for d in self.inputs:
            row: list[Any] = [d.path, d.label, d.unit]
            for v, s in zip(d.values, d.sources, strict=True):
                row += [None if v is MISSING else v, s.label() if s is not None else ""]
            in_rows.append(row)
        res_cols = ["label", "unit", "note"]
        for n in names:
            res_cols += [n, f"{n} - {names[0]}"]
        res_rows = []
        for r in self.figures:
            row = [r.label, r.unit, r.note]
            for v, dv in zip(r.values, r.differences, strict=True):
                row += [v, dv]
            res_rows.append(row)
        dec_cols = ["material", "plan", "reserve_t", "reserve_change_t", "days_of_cover_days",
                    "floor", "floor_usd_per_kg", "floor_projects", "near_optimal_low_t",
                    "near_optimal_high_t", "expected_unmet_t", "expected_unmet_without_plan_t"]
        dec_rows = []
        for md in self.decisions:
            for n, d, dr in zip(names, md.plans, md.reserve_differences_t, strict=True):
                if d is None:
                    dec_rows.append([md.material, n, math.nan, math.nan, math.nan, None,
                                     math.nan, "", math.nan, math.nan, math.nan, math.nan])
                else:
                    dec_rows.append([md.material, n, d.reserve_t, dr, d.days_of_cover,
                                     d.has_floor, d.floor_usd_per_kg,
                                     ", ".join(d.floor_projects), d.near_optimal_low_t,
                                     d.near_optimal_high_t, d.expected_unmet_t,
                                     d.expected_unmet_without_plan_t])
        return {"plans": plans,
                "inputs": pd.DataFrame(in_rows, columns=in_cols),
                "results": pd.DataFrame(res_rows, columns=res_cols),
                "decisions": pd.DataFrame(dec_rows, columns=dec_cols)}


def compare_plans(plans: Sequence[NamedPlan], describe: Describe | None = None) -> Comparison:
    """Line up ``plans`` (two or more, unique names; the first is the one differences are
    measured against).

    ``describe(path) -> (label, unit)`` names the inputs; default :func:`field_label`.
    Raises :class:`ValueError` for fewer than two plans or a repeated name.
    """
    plans = tuple(plans)
    if len(plans) < 2:
        raise ValueError(f"a comparison needs at least two plans (got {len(plans)})")
    seen: set[str] = set()
    for p in plans:
        if p.name in seen:
            raise ValueError(f"two plans are called {p.name!r}; give each plan its own name")
        seen.add(p.name)
    describe = describe or field_label
    first = plans[0].inputs
    paths: dict[str, None] = {}
    for p in plans[1:]:
        for change in input_changes(first, p.inputs):
            paths.setdefault(change.path, None)
    # A row only some later plans have is reported per field by input_changes against the
    # first plan; between two later plans it can still differ, so check those pairs too.
    for i, a in enumerate(plans[1:], start=1):
        for b in plans[i + 1:]:
            for change in input_changes(a.inputs, b.inputs):
                paths.setdefault(change.path, None)
    forms = [inputs_to_dict(p.inputs) for p in plans]
    differences = []
    for path in paths:
        values = tuple(value_at(f, path) for f in forms)
        if all(v == values[0] for v in values[1:]):
            continue
        label, unit = describe(path)
        differences.append(InputDifference(
            path, label, unit, values, tuple(source_of(p.inputs, path) for p in plans)))
    materials: dict[str, None] = {}
    for p in plans:
        for name in (p.result.material_names or p.inputs.material_names):
            materials.setdefault(name, None)
    decisions = tuple(MaterialDecisions(m, tuple(_decision(p.result, m) for p in plans))
                      for m in materials)
    rows: dict[str, tuple[str, str]] = {}
    values: list[dict[str, float]] = []
    for p in plans:
        mine = {}
        for label, value, unit, note in headline_rows(p.result):
            rows.setdefault(label, (unit, note))
            mine[label] = float(value)
        values.append(mine)
    figures = tuple(FigureRow(label, unit, note, tuple(v.get(label, math.nan) for v in values))
                    for label, (unit, note) in rows.items())
    return Comparison(plans, tuple(differences), decisions, figures)


def _json_value(v: Any) -> Any:
    if v is MISSING:
        return None
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    return v


def _source_dict(s: Source | None) -> dict[str, str] | None:
    if s is None:
        return None
    return {"kind": s.kind.value, "reference": s.reference, "detail": s.detail}


def value_text(value: Any, unit: str) -> str:
    """An input value in words with its unit: shares as percentages, dollars in millions,
    series and lists shortened, a missing value as ``"(none)"``.

    >>> value_text(0.2, "0-1"), value_text(250e6, "$"), value_text(84.5, "$/kg")
    ('20%', '$250M', '84.5 $/kg')
    """
    if value is MISSING:
        return "(none)"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        v = float(value)
        if unit == "0-1":
            return f"{v * 100:.4g}%"
        if unit in ("$", "$/yr"):
            return f"${v / 1e6:,.4g}M" + ("/yr" if unit == "$/yr" else "")
        text = f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
        if unit == "x":
            return f"{text}x"
        return f"{text} {unit}" if unit and unit not in ("weight", "log s.d.", "-") else text
    if isinstance(value, list | tuple):
        if value and all(isinstance(x, dict) and "name" in x for x in value):
            return f"{len(value)} rows: " + ", ".join(str(x["name"]) for x in value)
        items = [value_text(x, unit).removesuffix(f" {unit}") for x in value]
        if len(items) > 6:
            items = [*items[:3], "...", items[-1]]
        return ", ".join(items) + (f" {unit}" if unit and unit not in ("0-1", "$") else "")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v, unit)}" for k, v in value.items())
    return str(value)
