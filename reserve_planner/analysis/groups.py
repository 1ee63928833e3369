"""Key input groups: one number that moves a whole family of inputs, for tornadoes and
break-evens.

A group is either a **scale** (value 1.0 is the base; 1.5 multiplies every input of the
family by 1.5) or a **value** (a policy number in its own unit, such as the tariff share).
:meth:`InputGroup.apply` rewrites the base inputs so the group reads a value, and
:meth:`InputGroup.measure` reads the value back from any inputs, so a value that had to be
capped (a disruption probability scale that would push the no-disruption scenario below 0)
or rounded (durations and lead times are whole months) is reported as it was reached.

The window's assumption sliders (:mod:`reserve_planner.model.adjustments`) are used where
they cover a group; the groups they do not cover (all disruption durations, release and
purchase limits, project lead times and failure probabilities, salvage) scale the fields
directly with the same conventions (edited values get the source "changed by the user").

Default tornado range (:func:`default_range`): half and one and a half times the base
value, clipped to the group's limits; a value group whose base is 0 goes from 0 to its
``zero_span``. The inputs' :class:`~reserve_planner.model.Source` records carry no ranges
today, so every range is the ±50% rule unless the caller passes its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ..model import PlanInputs, field_path
from ..model.adjustments import adjustments_from, set_adjustment
from ..model.editing import is_calm, name_for_duration, rename_scenarios, without_clashes
from ..model.sources import USER_EDIT

#: Relative half-width of the default tornado range [-].
DEFAULT_SPAN = 0.5


@dataclass(frozen=True)
class InputGroup:
    """A family of inputs moved by one number.

    Attributes
    ----------
    key : str
        Identifier (``"shortage_cost"``), used in JSON and on the command line.
    label : str
        Plain-text name for charts and tables.
    unit : str
        Unit of the value: ``"x base"`` for scales, else the policy field's unit.
    scale : bool
        True for a scale (base value 1), False for a value group.
    minimum, maximum : float
        Limits of the value (clipping the default range and the break-even search).
    search : tuple of float
        Default break-even search interval for a scale, or the value group's interval as
        multiples of its base value (with ``zero_span`` when the base is 0).
    zero_span : float
        High end of the default range of a value group whose base is 0.
    paths : callable
        Source paths of the fields the group moves, given the inputs.
    """

    key: str
    label: str
    unit: str
    scale: bool
    minimum: float
    maximum: float
    search: tuple[float, float]
    zero_span: float
    paths: Callable[[PlanInputs], list[str]]
    _apply: Callable[[PlanInputs, float], PlanInputs]
    _measure: Callable[[PlanInputs, PlanInputs], float]

    def apply(self, base: PlanInputs, value: float) -> PlanInputs:
        """``base`` with the group moved to ``value`` (clipped to the limits)."""
        if not math.isfinite(value):
            raise ValueError(f"{self.label}: the value must be a finite number (got {value!r})")
        return self._apply(base, min(self.maximum, max(self.minimum, value)))

    def measure(self, inputs: PlanInputs, base: PlanInputs) -> float:
        """The group's value in ``inputs`` (scales compare with ``base``)."""
        return self._measure(inputs, base)

    def format(self, value: float) -> str:
        """``value`` in words and the group's unit: ``"0.69x base"``, ``"$84M/yr"``,
        ``"45%"``, ``"3.0%/yr"``."""
        if self.scale:
            return f"{value:.3g}x base"
        if self.unit == "$/yr":
            return f"${value / 1e6:,.1f}M/yr"
        if self.unit == "share":
            return f"{value:.1%}"
        if self.unit == "1/yr":
            return f"{value:.2%}/yr"
        return f"{value:.3g}"

    def base_value(self, base: PlanInputs) -> float:
        return self.measure(base, base)

    def search_range(self, base: PlanInputs) -> tuple[float, float]:
        """Default interval a break-even is looked for in."""
        if self.scale:
            return self.search
        v = self.base_value(base)
        if v == 0:
            return (self.minimum, self.zero_span * self.search[1])
        lo, hi = self.search[0] * v, self.search[1] * v
        return (max(self.minimum, lo), min(self.maximum, hi))


def default_range(group: InputGroup, base: PlanInputs,
                  span: float = DEFAULT_SPAN) -> tuple[float, float]:
    """(low, high) of ``group`` for a tornado: the base value times 1 -/+ ``span``, clipped
    to the group's limits; from 0 to ``zero_span`` for a value group whose base is 0."""
    v = group.base_value(base)
    if not group.scale and v == 0:
        return (group.minimum, min(group.maximum, group.zero_span))
    lo, hi = sorted((v * (1 - span), v * (1 + span)))
    return (max(group.minimum, lo), min(group.maximum, hi))


# --------------------------------------------------------------------------- builders


def _slider(key: str) -> tuple[Callable, Callable]:
    def apply(base: PlanInputs, value: float) -> PlanInputs:
        return set_adjustment(base, key, value, reference=base)

    def measure(x: PlanInputs, base: PlanInputs) -> float:
        return float(getattr(adjustments_from(x, base), key))

    return apply, measure


def _ratio(values: list[tuple[float, float]]) -> float:
    """Mean of current / base over pairs whose base is not 0 (1 when there are none)."""
    r = [c / b for c, b in values if b != 0]
    return math.fsum(r) / len(r) if r else 1.0


def _row_scale(table: str, attr: str, whole: bool = False,
               upper: float | None = None) -> tuple[Callable, Callable]:
    """Scale field ``attr`` of every row of ``table`` ("materials" or "projects"), rounded
    to whole numbers (at least 0) when ``whole``, capped at ``upper``; edited cells are
    marked as the user's."""
    def apply(base: PlanInputs, f: float) -> PlanInputs:
        sources = dict(base.sources)
        rows = []
        for row in getattr(base, table):
            v = getattr(row, attr) * f
            v = max(0, round(v)) if whole else v
            v = min(upper, v) if upper is not None else v
            if v != getattr(row, attr):
                sources[field_path(table, row.name, attr)] = USER_EDIT
            rows.append(replace(row, **{attr: v}))
        return replace(base, **{table: tuple(rows)}, sources=sources)

    def measure(x: PlanInputs, base: PlanInputs) -> float:
        ref = {row.name: getattr(row, attr) for row in getattr(base, table)}
        return _ratio([(getattr(row, attr), ref[row.name]) for row in getattr(x, table)
                       if row.name in ref])

    return apply, measure


def _material_scale(attr: str, upper: float | None = None) -> tuple[Callable, Callable]:
    return _row_scale("materials", attr, upper=upper)


def _project_scale(attr: str, whole: bool, upper: float | None) -> tuple[Callable, Callable]:
    return _row_scale("projects", attr, whole, upper)


def _disruptions(x: PlanInputs) -> list[int]:
    return [i for i, s in enumerate(x.scenarios) if not is_calm(s)]


def _mean_duration(x: PlanInputs) -> float:
    idx = _disruptions(x)
    w = math.fsum(x.scenarios[i].probability for i in idx)
    if not idx:
        return 0.0
    if w <= 0:
        return math.fsum(x.scenarios[i].duration_months for i in idx) / len(idx)
    return math.fsum(x.scenarios[i].probability * x.scenarios[i].duration_months
                     for i in idx) / w


def _apply_duration(base: PlanInputs, f: float) -> PlanInputs:
    """Every disruption lasts ``f`` times as long (whole months, at least 1); names that
    state the length are renamed to state the new one, as the embargo slider does."""
    scen = list(base.scenarios)
    sources = dict(base.sources)
    renames: dict[str, str] = {}
    for i in _disruptions(base):
        s = scen[i]
        months = max(1, round(s.duration_months * f))
        if months != s.duration_months:
            scen[i] = replace(s, duration_months=months)
            sources[field_path("scenarios", s.name, "duration_months")] = USER_EDIT
            new = name_for_duration(s.name, s.duration_months, months)
            if new is not None:
                renames[s.name] = new
    out = replace(base, scenarios=tuple(scen), sources=sources)
    if renames:
        out = rename_scenarios(out, without_clashes([s.name for s in scen], renames))
    return out


def _measure_duration(x: PlanInputs, base: PlanInputs) -> float:
    b = _mean_duration(base)
    return _mean_duration(x) / b if b > 0 else 1.0


def _policy_value(attr: str) -> tuple[Callable, Callable]:
    def apply(base: PlanInputs, value: float) -> PlanInputs:
        if getattr(base.policy, attr) == value:
            return base
        sources = dict(base.sources)
        sources[field_path("policy", attr)] = USER_EDIT
        return replace(base, policy=replace(base.policy, **{attr: value}), sources=sources)

    def measure(x: PlanInputs, _base: PlanInputs) -> float:
        return float(getattr(x.policy, attr))

    return apply, measure


def _material_paths(attr: str) -> Callable[[PlanInputs], list[str]]:
    return lambda x: [field_path("materials", m.name, attr) for m in x.materials]


def _project_paths(attr: str) -> Callable[[PlanInputs], list[str]]:
    return lambda x: [field_path("projects", j.name, attr) for j in x.projects]


def _scenario_paths(attr: str) -> Callable[[PlanInputs], list[str]]:
    return lambda x: [field_path("scenarios", x.scenarios[i].name, attr)
                      for i in _disruptions(x)]


def _policy_paths(attr: str) -> Callable[[PlanInputs], list[str]]:
    return lambda _x: [field_path("policy", attr)]


_SCALE = "x base"
_INF = math.inf


def _scale_group(key: str, label: str, rules: tuple[Callable, Callable],
                 paths: Callable, maximum: float = _INF,
                 search: tuple[float, float] = (0.1, 3.0)) -> InputGroup:
    return InputGroup(key, label, _SCALE, True, 0.0, maximum, search, 0.0, paths, *rules)


def _value_group(key: str, label: str, unit: str, attr: str, maximum: float,
                 zero_span: float, search: tuple[float, float] = (0.0, 3.0)) -> InputGroup:
    return InputGroup(key, label, unit, False, 0.0, maximum, search, zero_span,
                      _policy_paths(attr), *_policy_value(attr))


#: The key input groups, in the order tornado tables list them before sorting.
INPUT_GROUPS: tuple[InputGroup, ...] = (
    _scale_group("shortage_cost", "Shortage cost", _slider("shortage_cost_scale"),
                 _material_paths("shortage_cost_usd_per_kg")),
    # With a demand curve the shortage cost is the choke price (docs/model.md, "Shortage
    # damage"); the elasticity sets how fast the curve climbs to it. Scaling it moves the
    # materials that have a curve; a flat curve has no elasticity and does not move.
    _scale_group("demand_elasticity", "Demand elasticity",
                 _material_scale("demand_elasticity"), _material_paths("demand_elasticity")),
    _scale_group("disruption_probability", "Disruption probabilities",
                 _slider("probability_scale"), _scenario_paths("probability"),
                 search=(0.0, 3.0)),
    _scale_group("disruption_duration", "Disruption durations",
                 (_apply_duration, _measure_duration), _scenario_paths("duration_months")),
    _scale_group("disruption_depth", "Disruption depths", _slider("depth_scale"),
                 _scenario_paths("depth"), search=(0.0, 3.0)),
    _scale_group("price", "Market prices", _slider("price_scale"),
                 _material_paths("price_usd_per_kg")),
    _scale_group("volatility", "Price volatility", _slider("volatility_scale"),
                 _material_paths("price_log_volatility"), search=(0.0, 3.0)),
    _scale_group("storage_cost", "Storage cost", _slider("storage_cost_scale"),
                 _material_paths("storage_cost_usd_per_t_yr"), search=(0.0, 5.0)),
    _value_group("discount_rate", "Discount rate", "1/yr", "discount_rate_per_yr",
                 maximum=1.0, zero_span=0.05),
    _value_group("annual_budget", "Annual budget", "$/yr", "annual_budget_usd",
                 maximum=_INF, zero_span=1e8),
    _value_group("salvage", "Salvage share", "share", "salvage_share", maximum=1.0,
                 zero_span=0.5),
    _scale_group("release_limit", "Release limits",
                 _material_scale("release_limit_t_per_month"),
                 _material_paths("release_limit_t_per_month")),
    _scale_group("purchase_limit", "Purchase limits",
                 _material_scale("purchase_limit_t_per_month"),
                 _material_paths("purchase_limit_t_per_month")),
    _scale_group("project_lead_time", "Project lead times",
                 _project_scale("earliest_online_month", whole=True, upper=None),
                 _project_paths("earliest_online_month"), search=(0.0, 3.0)),
    _scale_group("project_failure", "Project failure probability",
                 _project_scale("failure_probability", whole=False, upper=1.0),
                 _project_paths("failure_probability"), search=(0.0, 4.0)),
    _value_group("tariff", "Tariff on China", "share", "tariff_share", maximum=_INF,
                 zero_span=1.0),
    _value_group("risk_weight", "Risk weight (CVaR)", "weight", "risk_aversion", maximum=_INF,
                 zero_span=0.5, search=(0.0, 5.0)),
)

GROUP_BY_KEY: Mapping[str, InputGroup] = {g.key: g for g in INPUT_GROUPS}


def group(key: str) -> InputGroup:
    """The input group called ``key``; :class:`KeyError` lists the known keys."""
    try:
        return GROUP_BY_KEY[key]
    except KeyError:
        raise KeyError(f"no input group {key!r}; known: {', '.join(GROUP_BY_KEY)}") from None
