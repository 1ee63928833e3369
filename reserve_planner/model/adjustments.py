"""Slider values over the full input tables: pure functions, no Qt.

The window's assumption sliders do not hold state of their own. Every slider value is
*measured* from the current :class:`PlanInputs` (:func:`adjustments_from`), and moving a slider
*rewrites* the full tables so that the measure takes the new value (:func:`set_adjustment`).
A table edit therefore moves the slider, a slider move changes the tables, and the inputs stay
the one truth.

Two kinds of slider:

* **absolute** sliders show a number in the tables' own units, measured across the tables
  (embargo length, China's shares, discount rate, budget, tariff, cover, risk aversion);
* **relative** sliders (``*_scale`` and ``project_delay_months``) compare the current tables
  with a *reference*, the scenario as it was opened (its baseline): ``price_scale = 1.2``
  means prices are on average 20% above the opened file's.

Rules, one per slider (``reference`` defaults to the inputs themselves):

``probability_scale``
    Sum of the probabilities of the disruption scenarios divided by the reference's sum. A
    scenario is *calm* (no disruption) when it lasts 0 months, or changes neither supply nor
    price; every other scenario (supply cuts and the low-price flooding) is a disruption.
    Moving it multiplies every disruption probability by one factor and gives the remainder
    to the calm scenario(s), in proportion to their probabilities; the factor is capped so
    the calm remainder never goes below 0. Without a calm scenario it cannot move.
``embargo_duration_months``
    Probability-weighted mean length of the *full embargo* scenarios (name contains
    "embargo", or every material's depth is 1). Moving it stretches all of them by one
    factor, keeping their relative lengths (6/12/24 months at a mean of 10.4 become
    10/21/42 at 18), rounded to whole months, at least 1. A name that states the old length
    ("Full embargo, 6 months, from 2028") is renamed to state the new one ("Full embargo,
    10 months, from 2028"), its sources moving with it
    (:func:`~reserve_planner.model.editing.rename_scenarios`); a name that would clash gets
    a " (2)" suffix.
``depth_scale``
    Mean over (scenario, material) cells of current depth / reference depth, over cells
    whose reference depth is above 0. Moving it multiplies every depth by one factor,
    clipped to 1; the factor is fitted so the mean hits the target where clipping allows.
``china_processing_share`` / ``china_mining_share``
    Mean over materials of ``china_exposed_share`` (imports that pass through Chinese
    processing) / of ``allied_exposed_share`` (allied supply that relies on Chinese-mined
    feed, metal or technology and is caught by China's 0.1% and technology rules). The
    inputs carry no separate world mining share, so the upstream (mining and feed) reach of
    China is the allied exposure. Moving either multiplies the shares by one factor,
    clipped to 1 and fitted to the target.
``price_scale``, ``volatility_scale``, ``shortage_cost_scale``, ``storage_cost_scale``
    Mean over materials of current / reference value; moving multiplies every material.
``allied_supply_scale``
    Mean over materials of (sum of the current allied series) / (sum of the reference
    series); moving multiplies every year of every material's allied supply.
``project_delay_months``
    Mean over projects of current minus reference earliest online month; moving shifts
    every project by the same whole number of months, never before month 0.
``discount_rate_per_yr``, ``annual_budget_usd``, ``tariff_share``, ``min_cover_days``,
``risk_aversion``
    The policy fields themselves.

Scenarios are matched with the reference's by name, allowing for the renames above: names
that differ only in the length they state (:func:`~reserve_planner.model.editing.duration_key`)
pair up in table order when both tables have as many of them.

A slider that does not move leaves its tables exactly as they were, so
``apply_adjustments(x, adjustments_from(x)) == x``. Values a slider writes get the source
:data:`~reserve_planner.model.sources.USER_EDIT`; :func:`reset_adjustment` copies the
reference's values and sources back.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace

from .editing import duration_key, is_calm, name_for_duration, rename_scenarios, without_clashes
from .inputs import DisruptionScenario, Material, PlanInputs, Policy, SupplyProject
from .sources import USER_EDIT, Source, field_path

#: Slider values closer than this (relative) to the measured value count as unchanged.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Adjustments:
    """One value per assumption slider, in the units of the field names."""

    probability_scale: float = 1.0
    embargo_duration_months: float = 0.0
    depth_scale: float = 1.0
    china_mining_share: float = 0.0
    china_processing_share: float = 0.0
    price_scale: float = 1.0
    volatility_scale: float = 1.0
    shortage_cost_scale: float = 1.0
    storage_cost_scale: float = 1.0
    discount_rate_per_yr: float = 0.0
    annual_budget_usd: float = 0.0
    tariff_share: float = 0.0
    min_cover_days: float = 0.0
    risk_aversion: float = 0.0
    project_delay_months: float = 0.0
    allied_supply_scale: float = 1.0


ADJUSTMENT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Adjustments))


@dataclass(frozen=True)
class SliderSpec:
    """How the window shows one slider.

    ``display_factor`` converts the :class:`Adjustments` value into the displayed unit
    (``1e-6`` for $ shown as $M, ``100`` for shares shown as %). ``minimum``, ``maximum`` and
    ``step`` are in displayed units.
    """

    key: str
    group: str
    label: str
    unit: str
    minimum: float
    maximum: float
    step: float
    decimals: int
    help: str
    display_factor: float = 1.0

    def to_display(self, value: float) -> float:
        return value * self.display_factor

    def from_display(self, value: float) -> float:
        return value / self.display_factor


SLIDERS: tuple[SliderSpec, ...] = (
    SliderSpec("probability_scale", "Disruption", "Disruption likelihood", "× baseline",
               0.0, 2.0, 0.05, 2,
               "Multiplies the probability of every disruption scenario; the no-disruption "
               "scenario takes the rest (it cannot go below 0)."),
    SliderSpec("embargo_duration_months", "Disruption", "Embargo length", "months",
               1.0, 48.0, 1.0, 0,
               "Probability-weighted mean length of the full-embargo scenarios. Moving it "
               "stretches all of them, keeping their relative lengths."),
    SliderSpec("depth_scale", "Disruption", "Depth of supply cuts", "× baseline",
               0.0, 1.5, 0.05, 2,
               "Multiplies the share of China-exposed supply each scenario cuts (at most "
               "100%)."),
    SliderSpec("china_processing_share", "Disruption", "China's processing share", "%",
               0.0, 100.0, 1.0, 0,
               "Mean share of US imports that pass through Chinese separation and refining "
               "(materials table, 'China-exposed share').", 100.0),
    SliderSpec("china_mining_share", "Disruption", "China's mining & feed share", "%",
               0.0, 100.0, 1.0, 0,
               "Mean share of allied supply that relies on Chinese-mined feed, metal or "
               "technology and is caught by China's 0.1% and technology rules (materials "
               "table, 'allied exposed share').", 100.0),
    SliderSpec("price_scale", "Market", "Market prices", "× baseline", 0.25, 3.0, 0.05, 2,
               "Multiplies every material's normal market price."),
    SliderSpec("volatility_scale", "Market", "Price volatility", "× baseline",
               0.0, 3.0, 0.05, 2,
               "Multiplies every material's log-price volatility (drives the worst-case "
               "floor payout)."),
    SliderSpec("shortage_cost_scale", "Costs", "Shortage cost", "× baseline",
               0.1, 5.0, 0.1, 1,
               "Multiplies each material's shortage cost: the damage of a kilogram left "
               "unmet (flat curve) or the demand curve's choke price."),
    SliderSpec("storage_cost_scale", "Costs", "Storage cost", "× baseline", 0.0, 5.0, 0.1, 1,
               "Multiplies the yearly cost of holding a tonne (warehousing and insurance)."),
    SliderSpec("discount_rate_per_yr", "Costs", "Discount rate", "%/yr", 0.0, 10.0, 0.5, 1,
               "Real discount rate applied to future costs.", 100.0),
    SliderSpec("annual_budget_usd", "Policy", "Annual budget", "$M/yr",
               0.0, 1000.0, 5.0, 0,
               "Most that may be spent on reserve purchases in one plan year.", 1e-6),
    SliderSpec("tariff_share", "Policy", "Tariff on China", "%", 0.0, 200.0, 5.0, 0,
               "Additional US tariff on Chinese rare earths, as a share of their value.",
               100.0),
    SliderSpec("min_cover_days", "Policy", "Minimum cover", "days", 0.0, 365.0, 5.0, 0,
               "Reserve that must be held, in days of net imports, from the cover month on "
               "(0: the optimiser decides)."),
    SliderSpec("risk_aversion", "Policy", "Risk aversion", "", 0.0, 2.0, 0.05, 2,
               "Weight on the mean of the worst 10% of outcomes (CVaR) on top of the "
               "expected cost."),
    SliderSpec("project_delay_months", "Supply", "Project delays", "months",
               -12.0, 48.0, 1.0, 0,
               "Shifts every supply project's first output later (or earlier, never before "
               "the plan start)."),
    SliderSpec("allied_supply_scale", "Supply", "Allied supply", "× baseline",
               0.0, 3.0, 0.05, 2,
               "Multiplies every year of non-Chinese (allied) imports."),
)

SLIDER_BY_KEY: Mapping[str, SliderSpec] = {s.key: s for s in SLIDERS}


# --------------------------------------------------------------------------- classification


# ``is_calm`` (a no-disruption scenario) lives in :mod:`.editing`, which needs it too.


def is_full_embargo(s: DisruptionScenario, materials: Iterable[str]) -> bool:
    """A full embargo: its name says so, or it cuts every material completely."""
    if "embargo" in s.name.lower():
        return True
    names = list(materials)
    return s.duration_months > 0 and bool(names) and all(s.depth(m) >= 0.999 for m in names)


# --------------------------------------------------------------------------- helpers


def _mean(values: Iterable[float], default: float) -> float:
    vals = list(values)
    return math.fsum(vals) / len(vals) if vals else default


def _by_name(items: Iterable, name_attr: str = "name") -> dict:
    return {getattr(x, name_attr): x for x in items}


def _mark(sources: dict[str, Source], paths: Iterable[str]) -> None:
    for p in paths:
        sources[p] = USER_EDIT


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _fit_factor(measure: Callable[[float], float], target: float, f0: float,
                f_max: float) -> float:
    """The factor f >= f0 at which the (non-decreasing, clipped) ``measure`` hits ``target``.

    ``measure(f0)`` is at most ``target`` because clipping only lowers it; bisection finds the
    smallest factor reaching the target, or ``f_max`` when the target is out of reach.
    """
    if measure(f0) >= target - TOLERANCE * max(1.0, abs(target)):
        return f0
    if measure(f_max) < target:
        return f_max
    lo, hi = f0, f_max
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if measure(mid) < target:
            lo = mid
        else:
            hi = mid
    return hi


def _reference_scenarios(inputs: PlanInputs,
                         reference: PlanInputs) -> dict[str, DisruptionScenario]:
    """The reference scenario of each scenario of ``inputs`` that has one, by current name.

    Names with the same :func:`duration_key` (equal but for the length they state, as after
    the embargo slider renamed them) pair up in table order when both tables have as many;
    other scenarios match by exact name.
    """
    ref_groups: dict[str, list[DisruptionScenario]] = defaultdict(list)
    for r in reference.scenarios:
        ref_groups[duration_key(r.name)].append(r)
    groups: dict[str, list[str]] = defaultdict(list)
    for s in inputs.scenarios:
        groups[duration_key(s.name)].append(s.name)
    by_name = _by_name(reference.scenarios)
    out: dict[str, DisruptionScenario] = {}
    for key, names in groups.items():
        refs = ref_groups.get(key, [])
        if len(refs) == len(names):
            out.update(zip(names, refs, strict=True))
        else:
            out.update({n: by_name[n] for n in names if n in by_name})
    return out


def _material_ratio(inputs: PlanInputs, reference: PlanInputs, attr: str) -> float:
    ref = _by_name(reference.materials)
    ratios = [getattr(m, attr) / getattr(ref[m.name], attr) for m in inputs.materials
              if m.name in ref and getattr(ref[m.name], attr) > 0]
    return _mean(ratios, 1.0)


def _series_ratio(inputs: PlanInputs, reference: PlanInputs, attr: str) -> float:
    ref = _by_name(reference.materials)
    ratios = []
    for m in inputs.materials:
        if m.name not in ref:
            continue
        cur, base = getattr(m, attr), getattr(ref[m.name], attr)
        n = max(len(cur), len(base))
        total_cur = math.fsum(cur[min(i, len(cur) - 1)] for i in range(n)) if cur else 0.0
        total_ref = math.fsum(base[min(i, len(base) - 1)] for i in range(n)) if base else 0.0
        if total_ref > 0:
            ratios.append(total_cur / total_ref)
    return _mean(ratios, 1.0)


def _depth_cells(inputs: PlanInputs, reference: PlanInputs) -> list[tuple[float, float]]:
    """(current, reference) depth pairs for cells whose reference depth is above 0."""
    ref = _reference_scenarios(inputs, reference)
    cells = []
    for s in inputs.scenarios:
        if s.name not in ref:
            continue
        for material, depth in s.depth_by_material:
            base = ref[s.name].depth(material)
            if base > 0:
                cells.append((depth, base))
    return cells


def _embargo_weights(inputs: PlanInputs) -> list[tuple[int, float]]:
    """(scenario index, weight) of the full embargoes that last at least a month."""
    idx = [i for i, s in enumerate(inputs.scenarios)
           if is_full_embargo(s, inputs.material_names) and s.duration_months > 0]
    total = math.fsum(inputs.scenarios[i].probability for i in idx)
    if total > 0:
        return [(i, inputs.scenarios[i].probability / total) for i in idx]
    return [(i, 1.0 / len(idx)) for i in idx]


def _embargo_mean(inputs: PlanInputs, durations: Mapping[int, int] | None = None) -> float:
    weights = _embargo_weights(inputs)
    if not weights:
        return 0.0
    d = durations or {i: inputs.scenarios[i].duration_months for i, _ in weights}
    return math.fsum(w * d[i] for i, w in weights)


def _disruption_sum(inputs: PlanInputs) -> float:
    return math.fsum(s.probability for s in inputs.scenarios if not is_calm(s))


# --------------------------------------------------------------------------- measuring


def adjustments_from(inputs: PlanInputs, reference: PlanInputs | None = None) -> Adjustments:
    """The slider values that describe ``inputs``; relative ones compare with ``reference``."""
    ref = inputs if reference is None else reference
    ref_dis = _disruption_sum(ref)
    cells = _depth_cells(inputs, ref)
    refp = _by_name(ref.projects)
    delays = [j.earliest_online_month - refp[j.name].earliest_online_month
              for j in inputs.projects if j.name in refp]
    pol = inputs.policy
    return Adjustments(
        probability_scale=_disruption_sum(inputs) / ref_dis if ref_dis > 0 else 1.0,
        embargo_duration_months=_embargo_mean(inputs),
        depth_scale=_mean((cur / base for cur, base in cells), 1.0),
        china_mining_share=_mean((m.allied_exposed_share for m in inputs.materials), 0.0),
        china_processing_share=_mean((m.china_exposed_share for m in inputs.materials), 0.0),
        price_scale=_material_ratio(inputs, ref, "price_usd_per_kg"),
        volatility_scale=_material_ratio(inputs, ref, "price_log_volatility"),
        shortage_cost_scale=_material_ratio(inputs, ref, "shortage_cost_usd_per_kg"),
        storage_cost_scale=_material_ratio(inputs, ref, "storage_cost_usd_per_t_yr"),
        discount_rate_per_yr=pol.discount_rate_per_yr,
        annual_budget_usd=pol.annual_budget_usd,
        tariff_share=pol.tariff_share,
        min_cover_days=pol.min_cover_days,
        risk_aversion=pol.risk_aversion,
        project_delay_months=_mean(delays, 0.0),
        allied_supply_scale=_series_ratio(inputs, ref, "allied_supply_t_per_yr"),
    )


# --------------------------------------------------------------------------- setting


def _set_probability_scale(x: PlanInputs, ref: PlanInputs, target: float) -> PlanInputs:
    ref_sum = _disruption_sum(ref)
    scen = list(x.scenarios)
    dis = [i for i, s in enumerate(scen) if not is_calm(s)]
    pool = [i for i, s in enumerate(scen) if is_calm(s)]
    if ref_sum <= 0 or not dis or not pool:
        return x
    target_sum = min(max(target, 0.0) * ref_sum, 1.0)
    cur_sum = math.fsum(scen[i].probability for i in dis)
    if cur_sum > 0:
        f = target_sum / cur_sum
        new = {i: scen[i].probability * f for i in dis}
    else:  # every disruption at 0: restart from the reference's shares
        refs = _reference_scenarios(x, ref)
        weights = {i: refs[scen[i].name].probability if scen[i].name in refs else 0.0
                   for i in dis}
        total = math.fsum(weights.values())
        if total <= 0:
            weights, total = dict.fromkeys(dis, 1.0), float(len(dis))
        new = {i: target_sum * weights[i] / total for i in dis}
    remainder = max(0.0, 1.0 - math.fsum(new.values()))
    pool_total = math.fsum(scen[i].probability for i in pool)
    given = 0.0
    for k, i in enumerate(pool):
        if k == len(pool) - 1:
            share = max(0.0, remainder - given)
        elif pool_total > 0:
            share = remainder * scen[i].probability / pool_total
        else:
            share = remainder / len(pool)
        given += share
        new[i] = share
    sources = dict(x.sources)
    for i, p in new.items():
        if p != scen[i].probability:
            scen[i] = replace(scen[i], probability=p)
            _mark(sources, [field_path("scenarios", scen[i].name, "probability")])
    return replace(x, scenarios=tuple(scen), sources=sources)


def _set_embargo_duration(x: PlanInputs, target: float) -> PlanInputs:
    weights = _embargo_weights(x)
    if not weights:
        return x
    target = max(1.0, target)
    cur = {i: x.scenarios[i].duration_months for i, _ in weights}
    current = _embargo_mean(x)

    def durations(f: float) -> dict[int, int]:
        return {i: max(1, round(d * f)) for i, d in cur.items()}

    f0 = target / current
    best = durations(f0)
    best_err = abs(_embargo_mean(x, best) - target)
    for k in range(-100, 101):  # the factor near f0 whose rounded lengths hit the mean best
        cand = durations(f0 * (1.0 + k * 0.002))
        err = abs(_embargo_mean(x, cand) - target)
        if err < best_err - 1e-12:
            best, best_err = cand, err
    scen = list(x.scenarios)
    sources = dict(x.sources)
    for i, d in best.items():
        if d != scen[i].duration_months:
            scen[i] = replace(scen[i], duration_months=d)
            _mark(sources, [field_path("scenarios", scen[i].name, "duration_months")])
    return _names_follow_durations(x, replace(x, scenarios=tuple(scen), sources=sources))


def _names_follow_durations(before: PlanInputs, after: PlanInputs) -> PlanInputs:
    """``after`` with the scenarios whose names stated their ``before`` length renamed to
    state their new one; clashing names get a " (2)" suffix."""
    renames = {}
    for old, new in zip(before.scenarios, after.scenarios, strict=True):
        name = name_for_duration(new.name, old.duration_months, new.duration_months)
        if name is not None and name != new.name:
            renames[new.name] = name
    if not renames:
        return after
    return rename_scenarios(after, without_clashes([s.name for s in after.scenarios],
                                                   renames))


def _set_depth_scale(x: PlanInputs, ref: PlanInputs, target: float) -> PlanInputs:
    target = max(0.0, target)
    cells = _depth_cells(x, ref)
    if not cells:
        return x
    current = _mean((c / b for c, b in cells), 1.0)
    refs = _reference_scenarios(x, ref)
    if current > 0:
        positive = [c for c, _ in cells if c > 0]

        def measure(f: float) -> float:
            return _mean((min(1.0, c * f) / b for c, b in cells), 1.0)

        f = _fit_factor(measure, target, target / current, 1.0 / min(positive))

        def new_depth(_s: DisruptionScenario, _m: str, d: float) -> float:
            return min(1.0, d * f)
    else:  # every depth at 0: restart from the reference's depths

        def new_depth(s: DisruptionScenario, m: str, d: float) -> float:
            base = refs[s.name].depth(m) if s.name in refs else 0.0
            return min(1.0, base * target)

    scen = list(x.scenarios)
    sources = dict(x.sources)
    for i, s in enumerate(scen):
        depths = tuple((m, new_depth(s, m, d)) for m, d in s.depth_by_material)
        if depths != s.depth_by_material:
            scen[i] = replace(s, depth_by_material=depths)
            _mark(sources, [field_path("scenarios", s.name, "depth")])
    return replace(x, scenarios=tuple(scen), sources=sources)


def _set_share(x: PlanInputs, attr: str, target: float) -> PlanInputs:
    target = min(1.0, max(0.0, target))
    values = [getattr(m, attr) for m in x.materials]
    if not values:
        return x
    current = _mean(values, 0.0)
    if current > 0:
        positive = [v for v in values if v > 0]

        def measure(f: float) -> float:
            return _mean((min(1.0, v * f) for v in values), 0.0)

        f = _fit_factor(measure, target, target / current, 1.0 / min(positive))
        new = [min(1.0, v * f) for v in values]
    else:
        new = [target] * len(values)
    return _set_material_values(x, attr, new)


def _set_material_values(x: PlanInputs, attr: str, values: list) -> PlanInputs:
    mats = list(x.materials)
    sources = dict(x.sources)
    for i, (m, v) in enumerate(zip(mats, values, strict=True)):
        if v != getattr(m, attr):
            mats[i] = replace(m, **{attr: v})
            _mark(sources, [field_path("materials", m.name, attr)])
    return replace(x, materials=tuple(mats), sources=sources)


def _scale_materials(x: PlanInputs, ref: PlanInputs, attr: str, target: float) -> PlanInputs:
    target = max(0.0, target)
    current = _material_ratio(x, ref, attr)
    refs = _by_name(ref.materials)
    if current > 0:
        f = target / current
        new = [getattr(m, attr) * f for m in x.materials]
    else:
        new = [getattr(refs[m.name], attr) * target if m.name in refs else getattr(m, attr)
               for m in x.materials]
    return _set_material_values(x, attr, new)


def _scale_allied(x: PlanInputs, ref: PlanInputs, target: float) -> PlanInputs:
    attr = "allied_supply_t_per_yr"
    target = max(0.0, target)
    current = _series_ratio(x, ref, attr)
    refs = _by_name(ref.materials)
    if current > 0:
        f = target / current
        new = [tuple(v * f for v in getattr(m, attr)) for m in x.materials]
    else:
        new = [tuple(v * target for v in getattr(refs[m.name], attr)) if m.name in refs
               else getattr(m, attr) for m in x.materials]
    return _set_material_values(x, attr, new)


def _set_project_delay(x: PlanInputs, ref: PlanInputs, target: float) -> PlanInputs:
    current = adjustments_from(x, ref).project_delay_months
    shift = round(target - current)
    if shift == 0:
        return x
    projects = list(x.projects)
    sources = dict(x.sources)
    for i, j in enumerate(projects):
        month = max(0, j.earliest_online_month + shift)
        if month != j.earliest_online_month:
            projects[i] = replace(j, earliest_online_month=month)
            _mark(sources, [field_path("projects", j.name, "earliest_online_month")])
    return replace(x, projects=tuple(projects), sources=sources)


_POLICY_FIELDS = ("discount_rate_per_yr", "annual_budget_usd", "tariff_share", "min_cover_days",
                  "risk_aversion")
_MATERIAL_SCALES = {
    "price_scale": "price_usd_per_kg",
    "volatility_scale": "price_log_volatility",
    "shortage_cost_scale": "shortage_cost_usd_per_kg",
    "storage_cost_scale": "storage_cost_usd_per_t_yr",
}
_SHARES = {"china_mining_share": "allied_exposed_share",
           "china_processing_share": "china_exposed_share"}


def set_adjustment(inputs: PlanInputs, key: str, value: float,
                   reference: PlanInputs | None = None) -> PlanInputs:
    """``inputs`` with the tables rewritten so that slider ``key`` reads ``value``.

    Returns ``inputs`` itself when the slider already reads ``value``. Relative sliders
    compare with ``reference`` (default: ``inputs``). Values out of reach (a probability
    scale that would push the calm scenario below 0, a depth above 100%) stop at the limit.
    """
    if key not in ADJUSTMENT_KEYS:
        raise KeyError(key)
    if not math.isfinite(value):
        raise ValueError(f"{key} must be a finite number (got {value!r})")
    ref = inputs if reference is None else reference
    if _close(getattr(adjustments_from(inputs, ref), key), value):
        return inputs
    if key in _POLICY_FIELDS:
        sources = dict(inputs.sources)
        _mark(sources, [field_path("policy", key)])
        policy: Policy = replace(inputs.policy, **{key: max(0.0, value)})
        return replace(inputs, policy=policy, sources=sources)
    if key == "probability_scale":
        return _set_probability_scale(inputs, ref, value)
    if key == "embargo_duration_months":
        return _set_embargo_duration(inputs, value)
    if key == "depth_scale":
        return _set_depth_scale(inputs, ref, value)
    if key in _SHARES:
        return _set_share(inputs, _SHARES[key], value)
    if key in _MATERIAL_SCALES:
        return _scale_materials(inputs, ref, _MATERIAL_SCALES[key], value)
    if key == "allied_supply_scale":
        return _scale_allied(inputs, ref, value)
    return _set_project_delay(inputs, ref, value)


def apply_adjustments(base: PlanInputs, adj: Adjustments,
                      reference: PlanInputs | None = None) -> PlanInputs:
    """``base`` rewritten so that every slider reads its value in ``adj``.

    Sliders whose value already matches are left alone, so the identity
    (``adj == adjustments_from(base, reference)``) returns ``base`` unchanged. Relative
    sliders compare with ``reference`` (default: ``base``, so a scale of 1 changes nothing).
    """
    ref = base if reference is None else reference
    out = base
    for key in ADJUSTMENT_KEYS:
        out = set_adjustment(out, key, getattr(adj, key), ref)
    return out


# --------------------------------------------------------------------------- reset


def slider_fields(inputs: PlanInputs, key: str) -> list[str]:
    """Source paths of the table cells that slider ``key`` governs (for tooltips, resets)."""
    if key in _POLICY_FIELDS:
        return [field_path("policy", key)]
    if key == "probability_scale":
        return [field_path("scenarios", s.name, "probability") for s in inputs.scenarios]
    if key == "embargo_duration_months":
        return [field_path("scenarios", s.name, "duration_months") for s in inputs.scenarios
                if is_full_embargo(s, inputs.material_names)]
    if key == "depth_scale":
        return [field_path("scenarios", s.name, "depth") for s in inputs.scenarios
                if not is_calm(s)]
    if key == "project_delay_months":
        return [field_path("projects", j.name, "earliest_online_month") for j in inputs.projects]
    attr = {**_SHARES, **_MATERIAL_SCALES, "allied_supply_scale": "allied_supply_t_per_yr"}[key]
    return [field_path("materials", m.name, attr) for m in inputs.materials]


def reset_adjustment(inputs: PlanInputs, key: str, reference: PlanInputs) -> PlanInputs:
    """``inputs`` with the cells slider ``key`` governs copied back from ``reference``.

    Rows are matched by name (scenarios also across the embargo slider's renames, whose
    names come back too); rows the reference lacks keep their values. Sources of the
    copied cells come back too. Probabilities are rebalanced through the calm scenario if
    unmatched rows would leave them not adding up to 1.
    """
    if key not in ADJUSTMENT_KEYS:
        raise KeyError(key)
    sources = dict(inputs.sources)

    def restore(paths: Iterable[str]) -> None:
        for p in paths:
            if p in reference.sources:
                sources[p] = reference.sources[p]
            else:
                sources.pop(p, None)

    if key in _POLICY_FIELDS:
        restore([field_path("policy", key)])
        policy = replace(inputs.policy, **{key: getattr(reference.policy, key)})
        return replace(inputs, policy=policy, sources=sources)
    if key in ("probability_scale", "embargo_duration_months", "depth_scale"):
        out = _reset_scenarios(inputs, key, reference)
        if key == "probability_scale" and abs(
                math.fsum(s.probability for s in out.scenarios) - 1.0) > 1e-9:
            out = _set_probability_scale(out, reference, adjustments_from(out, reference)
                                         .probability_scale)
        return out
    if key == "project_delay_months":
        refs = _by_name(reference.projects)
        projects: list[SupplyProject] = [
            replace(j, earliest_online_month=refs[j.name].earliest_online_month)
            if j.name in refs else j for j in inputs.projects]
        restore(field_path("projects", j.name, "earliest_online_month") for j in projects
                if j.name in refs)
        return replace(inputs, projects=tuple(projects), sources=sources)
    attr = {**_SHARES, **_MATERIAL_SCALES, "allied_supply_scale": "allied_supply_t_per_yr"}[key]
    refm = _by_name(reference.materials)
    mats: list[Material] = [replace(m, **{attr: getattr(refm[m.name], attr)})
                            if m.name in refm else m for m in inputs.materials]
    restore(field_path("materials", m.name, attr) for m in mats if m.name in refm)
    return replace(inputs, materials=tuple(mats), sources=sources)


def _reset_scenarios(inputs: PlanInputs, key: str, reference: PlanInputs) -> PlanInputs:
    """:func:`reset_adjustment` for the scenario sliders: values and sources come back from
    the matching reference scenarios and, for the embargo length, the names too."""
    attr = {"probability_scale": "probability", "embargo_duration_months": "duration_months",
            "depth_scale": "depth_by_material"}[key]
    refs = _reference_scenarios(inputs, reference)
    out = replace(inputs, scenarios=tuple(
        replace(s, **{attr: getattr(refs[s.name], attr)}) if s.name in refs else s
        for s in inputs.scenarios))
    if key == "embargo_duration_months":
        out = _restore_reference_names(out, refs)
    sources = dict(out.sources)
    src_attr = "depth" if attr == "depth_by_material" else attr
    for before, after in zip(inputs.scenarios, out.scenarios, strict=True):
        if before.name not in refs:
            continue
        path = field_path("scenarios", after.name, src_attr)
        ref_path = field_path("scenarios", refs[before.name].name, src_attr)
        if ref_path in reference.sources:
            sources[path] = reference.sources[ref_path]
        else:
            sources.pop(path, None)
    return replace(out, sources=sources)


def _restore_reference_names(x: PlanInputs, refs: Mapping[str, DisruptionScenario]) -> PlanInputs:
    """``x`` with the scenarios that were renamed for their length (same
    :func:`duration_key` as their reference scenario in ``refs``) called as in the reference
    again, unless that name is taken by another scenario."""
    renames = {name: r.name for name, r in refs.items()
               if name != r.name and duration_key(name) == duration_key(r.name)}
    final = [renames.get(s.name, s.name) for s in x.scenarios]
    renames = {old: new for old, new in renames.items() if final.count(new) == 1}
    return rename_scenarios(x, renames) if renames else x


# --------------------------------------------------------------------------- table helpers


def set_scenario_probability(inputs: PlanInputs, name: str, probability: float) -> PlanInputs:
    """``inputs`` with scenario ``name`` at ``probability``, the others rebalanced.

    Editing a disruption scenario moves the difference to the calm (no-disruption)
    scenario(s); editing a calm scenario scales the disruption scenarios to take up the rest.
    Raises :class:`ValueError` with a readable reason when that is impossible.
    """
    if not (math.isfinite(probability) and 0.0 <= probability <= 1.0):
        raise ValueError(f"a probability must be between 0 and 1 (got {probability:g})")
    scen = list(inputs.scenarios)
    try:
        k = next(i for i, s in enumerate(scen) if s.name == name)
    except StopIteration:
        raise KeyError(name) from None
    target = scen[k]
    if is_calm(target):
        others = [i for i, s in enumerate(scen) if i != k and not is_calm(s)]
        fixed = [i for i, s in enumerate(scen) if i != k and is_calm(s)]
    else:
        others = [i for i, s in enumerate(scen) if i != k and is_calm(s)]
        fixed = [i for i, s in enumerate(scen) if i != k and not is_calm(s)]
    room = 1.0 - probability - math.fsum(scen[i].probability for i in fixed)
    if room < -1e-12:
        raise ValueError(f"the other scenarios already take {1 - room - probability:.3g}; "
                         f"{name!r} can be at most {max(0.0, 1 - (1 - room - probability)):.3g}")
    if not others:
        if abs(room) > 1e-9:
            kind = "no-disruption" if not is_calm(target) else "disruption"
            raise ValueError(f"there is no {kind} scenario to take up the difference, so "
                             "the probabilities would not add up to 1")
        room = 0.0
    room = max(0.0, room)
    sources = dict(inputs.sources)
    scen[k] = replace(target, probability=probability)
    _mark(sources, [field_path("scenarios", name, "probability")])
    total = math.fsum(scen[i].probability for i in others)
    given = 0.0
    for n, i in enumerate(others):
        if n == len(others) - 1:
            p = max(0.0, room - given)
        else:
            p = room * scen[i].probability / total if total > 0 else room / len(others)
        given += p
        if p != scen[i].probability:
            scen[i] = replace(scen[i], probability=p)
            _mark(sources, [field_path("scenarios", scen[i].name, "probability")])
    return replace(inputs, scenarios=tuple(scen), sources=sources)
