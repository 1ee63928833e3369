"""Checks on :class:`PlanInputs` that return every problem at once, never raise."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from .inputs import (
    ContractedFloor,
    DemandCurve,
    DisruptionScenario,
    Material,
    PlanInputs,
    Policy,
    Problem,
    SupplyProject,
)

PROBABILITY_TOLERANCE = 1e-6
MAX_RELEASE_LAG = 24
"""Longest release decision lag [months]: two years, beyond any drawdown procedure."""


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_number(
    problems: list[Problem],
    where: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    what: str = "value",
) -> None:
    if not _finite(value):
        problems.append(Problem(where, value, f"{what} must be a finite number"))
        return
    assert isinstance(value, int | float)
    if low is not None and (value <= low if low_open else value < low):
        bound = "above" if low_open else "at least"
        problems.append(Problem(where, value, f"{what} must be {bound} {low:g}"))
    if high is not None and (value >= high if high_open else value > high):
        bound = "below" if high_open else "at most"
        problems.append(Problem(where, value, f"{what} must be {bound} {high:g}"))


def _check_int(problems: list[Problem], where: str, value: object, low: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem(where, value, f"{what} must be a whole number of months"))
    elif value < low:
        problems.append(Problem(where, value, f"{what} must be at least {low}"))


def _duplicates(names: Iterable[str]) -> list[str]:
    return [name for name, n in Counter(names).items() if n > 1]


def _validate_material(m: Material, problems: list[Problem]) -> None:
    p = f"materials/{m.name}"
    if not m.name.strip():
        problems.append(Problem(f"{p}/name", m.name, "a material needs a name"))
    _check_number(problems, f"{p}/demand_t_per_yr", m.demand_t_per_yr, low=0, what="demand")
    _check_number(
        problems, f"{p}/demand_growth_per_yr", m.demand_growth_per_yr, low=-1, high=1,
        low_open=True, what="demand growth",
    )
    for series_name in ("domestic_supply_t_per_yr", "allied_supply_t_per_yr"):
        series = getattr(m, series_name)
        if len(series) == 0:
            problems.append(Problem(f"{p}/{series_name}", series, "needs at least one year"))
        for i, v in enumerate(series):
            _check_number(problems, f"{p}/{series_name}[{i}]", v, low=0, what="supply")
    for share in ("china_exposed_share", "allied_exposed_share"):
        _check_number(problems, f"{p}/{share}", getattr(m, share), low=0, high=1, what="share")
    _check_number(problems, f"{p}/price_usd_per_kg", m.price_usd_per_kg, low=0, low_open=True,
                  what="price")
    _check_number(problems, f"{p}/price_log_volatility", m.price_log_volatility, low=0, high=5,
                  what="volatility")
    for name in ("storage_cost_usd_per_t_yr", "shortage_cost_usd_per_kg",
                 "purchase_limit_t_per_month", "release_limit_t_per_month", "starting_stock_t",
                 "spot_limit_t_per_month"):
        _check_number(problems, f"{p}/{name}", getattr(m, name), low=0)
    if m.demand_curve not in tuple(DemandCurve):
        problems.append(Problem(f"{p}/demand_curve", m.demand_curve, "must be one of: "
                                + ", ".join(c.value for c in DemandCurve)))
    elif m.demand_curve != DemandCurve.FLAT:
        _check_number(problems, f"{p}/demand_elasticity", m.demand_elasticity, low=0,
                      low_open=True, high=10, what="demand elasticity")
        if _finite(m.shortage_cost_usd_per_kg) and _finite(m.price_usd_per_kg) and (
                m.shortage_cost_usd_per_kg <= m.price_usd_per_kg):
            problems.append(Problem(
                f"{p}/shortage_cost_usd_per_kg", m.shortage_cost_usd_per_kg,
                "with a demand curve the shortage cost is the choke price, the most a user "
                f"pays, and must be above the normal price ({m.price_usd_per_kg:g} $/kg)"))


def _validate_project(j: SupplyProject, materials: set[str], problems: list[Problem]) -> None:
    p = f"projects/{j.name}"
    if j.material not in materials:
        problems.append(Problem(f"{p}/material", j.material,
                                "names a material that is not in the materials table"))
    _check_number(problems, f"{p}/capacity_t_per_yr", j.capacity_t_per_yr, low=0)
    _check_number(problems, f"{p}/unit_cost_usd_per_kg", j.unit_cost_usd_per_kg, low=0,
                  low_open=True, what="unit cost")
    _check_int(problems, f"{p}/earliest_online_month", j.earliest_online_month, 0, "online month")
    _check_int(problems, f"{p}/ramp_up_months", j.ramp_up_months, 0, "ramp-up")
    _check_number(problems, f"{p}/failure_probability", j.failure_probability, low=0, high=1,
                  what="probability")
    _check_number(problems, f"{p}/government_equity_usd", j.government_equity_usd, low=0)
    _check_number(problems, f"{p}/government_loan_usd", j.government_loan_usd, low=0)
    _check_number(problems, f"{p}/loan_loss_given_default_share",
                  j.loan_loss_given_default_share, low=0, high=1, what="share")


def _validate_contracted_floor(f: ContractedFloor, inputs: PlanInputs,
                               problems: list[Problem]) -> None:
    p = f"contracted_floors/{f.name}"
    if not f.name.strip():
        problems.append(Problem(f"{p}/name", f.name, "a contracted floor needs a name"))
    if f.material not in inputs.material_names:
        problems.append(Problem(f"{p}/material", f.material,
                                "names a material that is not in the materials table"))
    project = next((j for j in inputs.projects if j.name == f.project), None)
    if not f.project.strip():
        pass  # covers output already in production
    elif project is None:
        problems.append(Problem(f"{p}/project", f.project,
                                "names a project that is not in the projects table"))
    elif project.material != f.material and project.material in inputs.material_names:
        problems.append(Problem(f"{p}/project", f.project,
                                f"produces {project.material}, not {f.material}"))
    _check_number(problems, f"{p}/level_usd_per_kg", f.level_usd_per_kg, low=0,
                  low_open=True, what="floor level")
    _check_number(problems, f"{p}/covered_t_per_yr", f.covered_t_per_yr, low=0,
                  what="covered volume")
    _check_int(problems, f"{p}/first_month", f.first_month, 0, "first month")
    _check_int(problems, f"{p}/last_month", f.last_month, 0, "last month")
    if (isinstance(f.first_month, int) and isinstance(f.last_month, int)
            and f.last_month < f.first_month):
        problems.append(Problem(f"{p}/last_month", f.last_month,
                                f"must not be before the first month ({f.first_month})"))
    _check_number(problems, f"{p}/upside_share", f.upside_share, low=0, high=1, what="share")


def _validate_episode(p: str, e, materials: set[str], problems: list[Problem],
                      min_duration: int) -> None:
    """The fields a scenario and each of its later episodes share: duration, after-period,
    depths and price multipliers, under path ``p``."""
    _check_int(problems, f"{p}/duration_months", e.duration_months, min_duration, "duration")
    _check_int(problems, f"{p}/after_months", e.after_months, 0, "after-period")
    for name, depth in e.depth_by_material:
        if name not in materials:
            problems.append(Problem(f"{p}/depth/{name}", name,
                                    "names a material that is not in the materials table"))
        _check_number(problems, f"{p}/depth/{name}", depth, low=0, high=1, what="depth")
    for mult in ("price_multiplier_during", "price_multiplier_after"):
        _check_number(problems, f"{p}/{mult}", getattr(e, mult), low=0, low_open=True,
                      what="price multiplier")


def _validate_scenario(s: DisruptionScenario, materials: set[str], problems: list[Problem]) -> None:
    p = f"scenarios/{s.name}"
    _check_number(problems, f"{p}/probability", s.probability, low=0, high=1, what="probability")
    _check_int(problems, f"{p}/start_month", s.start_month, 0, "start month")
    _validate_episode(p, s, materials, problems, min_duration=0)
    for i, e in enumerate(s.later_episodes, start=2):
        q = f"{p}/episode {i}"
        _check_int(problems, f"{q}/gap_months", e.gap_months, 0, "gap after the previous episode")
        _validate_episode(q, e, materials, problems, min_duration=1)
    if s.later_episodes and isinstance(s.duration_months, int) and s.duration_months < 1:
        problems.append(Problem(f"{p}/duration_months", s.duration_months,
                                "a scenario with later episodes needs a first episode of at "
                                "least one month"))


def _validate_start_window(s: DisruptionScenario, problems: list[Problem]) -> None:
    """The start window has whole months with earliest <= latest, and the hazard is a rate
    of at least 0. A window may reach past the horizon (its later starts disrupt nothing
    inside it), as a start month may. The stated ``start_month`` is not checked against the
    window: with a window it is only an example and the solve ignores it."""
    p = f"scenarios/{s.name}"
    _check_number(problems, f"{p}/start_hazard_per_yr", s.start_hazard_per_yr, low=0,
                  high=100, what="start hazard")
    first, last = s.earliest_start_month, s.latest_start_month
    if first is None and last is None:
        return
    before = len(problems)
    for name, value in (("earliest", first), ("latest", last)):
        if value is not None:
            _check_int(problems, f"{p}/{name}_start_month", value, 0, f"{name} start")
    if first is None or last is None:
        missing = "earliest" if first is None else "latest"
        problems.append(Problem(f"{p}/{missing}_start_month", None,
                                f"a start window needs both its earliest and latest month; "
                                f"give the {missing} start or clear both"))
    elif len(problems) == before and last < first:
        problems.append(Problem(f"{p}/latest_start_month", last,
                                f"the latest start must not be before the earliest ({first})"))


def _validate_policy(pol: Policy, materials: set[str], problems: list[Problem]) -> None:
    p = "policy"
    _check_int(problems, f"{p}/horizon_months", pol.horizon_months, 2, "horizon")
    _check_number(problems, f"{p}/annual_budget_usd", pol.annual_budget_usd, low=0)
    if pol.total_budget_usd is not None:
        _check_number(problems, f"{p}/total_budget_usd", pol.total_budget_usd, low=0)
    _check_number(problems, f"{p}/tariff_share", pol.tariff_share, low=0, high=10, what="tariff")
    for share in ("tariff_price_passthrough", "tariff_input_cost_share", "salvage_share",
                  "floor_upside_share"):
        _check_number(problems, f"{p}/{share}", getattr(pol, share), low=0, high=1, what="share")
    _check_number(problems, f"{p}/min_cover_days", pol.min_cover_days, low=0, high=3650,
                  what="cover")
    _check_int(problems, f"{p}/min_cover_by_month", pol.min_cover_by_month, 0, "cover month")
    _check_number(problems, f"{p}/risk_aversion", pol.risk_aversion, low=0, what="risk aversion")
    _check_number(problems, f"{p}/cvar_level", pol.cvar_level, low=0, high=1, high_open=True,
                  what="CVaR level")
    _check_number(problems, f"{p}/discount_rate_per_yr", pol.discount_rate_per_yr, low=-0.5,
                  high=1, low_open=True, what="discount rate")
    _check_number(problems, f"{p}/price_half_life_yr", pol.price_half_life_yr, low=0, high=100,
                  what="half-life")
    _check_int(problems, f"{p}/release_lag_months", pol.release_lag_months, 0, "release lag")
    _check_int(problems, f"{p}/start_step_months", pol.start_step_months, 1, "start step")
    if isinstance(pol.start_step_months, int) and pol.start_step_months > 12:
        problems.append(Problem(f"{p}/start_step_months", pol.start_step_months,
                                "start step must be at most 12 months"))
    if isinstance(pol.release_lag_months, int) and pol.release_lag_months > MAX_RELEASE_LAG:
        problems.append(Problem(f"{p}/release_lag_months", pol.release_lag_months,
                                f"release lag must be at most {MAX_RELEASE_LAG} months"))
    for name, levels in pol.floor_candidates_usd_per_kg:
        if name not in materials:
            problems.append(Problem(f"{p}/floor_candidates/{name}", name,
                                    "names a material that is not in the materials table"))
        if len(levels) == 0:
            problems.append(Problem(f"{p}/floor_candidates/{name}", levels,
                                    "list at least one level (0 allows no floor)"))
        for v in levels:
            _check_number(problems, f"{p}/floor_candidates/{name}", v, low=0, what="floor level")


MAX_COMPONENT_T_PER_T = 10.0
"""Largest content of a component [t per t of product]: an oxide's metal yield or a magnet's
NdPr is below 1.2; ten allows any real recipe and catches a kg-for-t slip."""


def _validate_components(inputs: PlanInputs, problems: list[Problem]) -> None:
    """The bill of materials: known, distinct materials, one level deep, each line once."""
    names = set(inputs.material_names)
    products = {c.product for c in inputs.components}
    used = {c.material for c in inputs.components}
    seen: set[tuple[str, str]] = set()
    for c in inputs.components:
        p = f"components/{c.product}/{c.material}"
        for fld, value in (("product", c.product), ("material", c.material)):
            if value not in names:
                problems.append(Problem(f"{p}/{fld}", value,
                                        "names a material that is not in the materials table"))
        if c.product == c.material:
            problems.append(Problem(f"{p}/material", c.material,
                                    "a material cannot be a component of itself"))
        elif c.material in products:
            problems.append(Problem(f"{p}/material", c.material,
                                    f"is made from components itself; the bill of materials "
                                    f"has one level (list {c.product}'s components directly)"))
        elif c.product in used:
            problems.append(Problem(f"{p}/product", c.product,
                                    "is itself a component of another material; the bill of "
                                    "materials has one level"))
        if (c.product, c.material) in seen:
            problems.append(Problem(p, c.material, f"is listed twice as a component of "
                                    f"{c.product}"))
        seen.add((c.product, c.material))
        _check_number(problems, f"{p}/t_per_t", c.t_per_t, low=0, high=MAX_COMPONENT_T_PER_T,
                      low_open=True, what="content")


def validate_inputs(inputs: PlanInputs) -> list[Problem]:
    """Every problem with ``inputs`` as (field path, value, why); empty when solvable."""
    problems: list[Problem] = []
    if not inputs.materials:
        problems.append(Problem("materials", (), "at least one material is needed"))
    if not inputs.scenarios:
        problems.append(Problem("scenarios", (), "at least one scenario is needed"))
    for table, names in (
        ("materials", [m.name for m in inputs.materials]),
        ("projects", [j.name for j in inputs.projects]),
        ("scenarios", [s.name for s in inputs.scenarios]),
        ("contracted_floors", [f.name for f in inputs.contracted_floors]),
    ):
        for dup in _duplicates(names):
            problems.append(Problem(f"{table}/{dup}", dup, f"the name appears twice in {table}"))
    material_names = set(inputs.material_names)
    for m in inputs.materials:
        _validate_material(m, problems)
    for j in inputs.projects:
        _validate_project(j, material_names, problems)
    for s in inputs.scenarios:
        _validate_scenario(s, material_names, problems)
        _validate_start_window(s, problems)
    for f in inputs.contracted_floors:
        _validate_contracted_floor(f, inputs, problems)
    _validate_components(inputs, problems)
    if inputs.scenarios and all(_finite(s.probability) for s in inputs.scenarios):
        total = math.fsum(s.probability for s in inputs.scenarios)
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            problems.append(Problem("scenarios/probability", round(total, 9),
                                    "scenario probabilities must add up to 1"))
    _validate_policy(inputs.policy, material_names, problems)
    check_ranges(inputs, problems)
    return problems


# ==== Range checks: calendar bounds and magnitudes =======================================
# Owned by the workbook/CLI work of issue 10; the io layout (io/scenario_layout.py) uses the
# same bounds so a workbook's cell is named. Each bound is far beyond any real input and
# keeps every number the engine computes finite and every array it allocates small.

MIN_START_YEAR = 1900
"""Earliest plan start year; earlier is a typo (and dates before 1900 trip Excel)."""
MAX_START_YEAR = 2200
"""Latest plan start year; a plan ends at most 50 years later, within 4-digit years."""
MAX_HORIZON_MONTHS = 600
"""Longest plan [months] (50 years): 600 months x 10,000 scenarios x 4 materials is the
largest model the solver handles in memory; 200,000 months would need 2 GB+."""
MAX_MONTH_INDEX = 6000
"""Largest month count in a project or scenario [months]: ten times the longest plan;
anything later has no effect (a disruption after the horizon never happens in the plan)."""
MAX_PRICE_USD_PER_KG = 1e6
MAX_SHORTAGE_COST_USD_PER_KG = 1e8
"""Largest shortage cost or choke price [$/kg]: the value of downstream output a missing kg
of a minor magnet constituent idles can be far above any market price."""
"""Largest price, cost or floor per kilogram [$/kg]: $1,000 a gram, 300 times the dearest
rare earth oxide (terbium, about $3,000/kg) and ten times gold."""
MAX_QUANTITY_T = 1e8
"""Largest tonnage [t, t/yr or t/month]: 250 times world rare earth mine output
(about 390,000 t/yr in 2024)."""
MAX_MONEY_USD = 1e14
"""Largest sum of money [$ or $/yr]: three times US GDP."""
MAX_STORAGE_COST_USD_PER_T_YR = 1e9
"""Largest storage cost [$/t/yr] ($1,000 per kg and year)."""
MAX_PRICE_MULTIPLIER = 1000.0
"""Largest price multiplier in a scenario [x]."""
MAX_RISK_AVERSION = 1000.0
"""Largest weight on CVaR [-]; beyond it the expectation no longer counts at all."""


def _at_most(problems: list[Problem], where: str, value: object, high: float,
             what: str, unit: str) -> None:
    if _finite(value) and value > high:  # type: ignore[operator]
        problems.append(Problem(where, value, f"{what} must be at most {high:,.0f} {unit}"
                                .rstrip()))


def check_ranges(inputs: PlanInputs, problems: list[Problem]) -> None:
    """Append a problem for every value beyond the bounds above (start year, horizon,
    months, prices, tonnages, money)."""
    pol = inputs.policy
    y = pol.start_year
    if isinstance(y, bool) or not isinstance(y, int):
        problems.append(Problem("policy/start_year", y, "start year must be a whole number"))
    elif not MIN_START_YEAR <= y <= MAX_START_YEAR:
        problems.append(Problem("policy/start_year", y, f"start year must be between "
                                f"{MIN_START_YEAR} and {MAX_START_YEAR}"))
    if isinstance(pol.horizon_months, int) and pol.horizon_months > MAX_HORIZON_MONTHS:
        problems.append(Problem("policy/horizon_months", pol.horizon_months,
                                f"horizon must be at most {MAX_HORIZON_MONTHS} months "
                                f"({MAX_HORIZON_MONTHS // 12} years)"))
    _at_most(problems, "policy/annual_budget_usd", pol.annual_budget_usd, MAX_MONEY_USD,
             "annual budget", "$/yr")
    if pol.total_budget_usd is not None:
        _at_most(problems, "policy/total_budget_usd", pol.total_budget_usd, MAX_MONEY_USD,
                 "total budget", "$")
    _at_most(problems, "policy/min_cover_by_month", pol.min_cover_by_month, MAX_MONTH_INDEX,
             "cover month", "months")
    _at_most(problems, "policy/risk_aversion", pol.risk_aversion, MAX_RISK_AVERSION,
             "risk aversion", "")
    for name, levels in pol.floor_candidates_usd_per_kg:
        for v in levels:
            _at_most(problems, f"policy/floor_candidates/{name}", v, MAX_PRICE_USD_PER_KG,
                     "floor level", "$/kg")
    for m in inputs.materials:
        p = f"materials/{m.name}"
        for name, high, what, unit in (
                ("demand_t_per_yr", MAX_QUANTITY_T, "demand", "t/yr"),
                ("price_usd_per_kg", MAX_PRICE_USD_PER_KG, "price", "$/kg"),
                ("storage_cost_usd_per_t_yr", MAX_STORAGE_COST_USD_PER_T_YR, "storage cost",
                 "$/t/yr"),
                ("shortage_cost_usd_per_kg", MAX_SHORTAGE_COST_USD_PER_KG, "shortage cost",
                 "$/kg"),
                ("purchase_limit_t_per_month", MAX_QUANTITY_T, "purchase limit", "t/month"),
                ("release_limit_t_per_month", MAX_QUANTITY_T, "release limit", "t/month"),
                ("starting_stock_t", MAX_QUANTITY_T, "starting stock", "t"),
                ("spot_limit_t_per_month", MAX_QUANTITY_T, "spot market", "t/month")):
            _at_most(problems, f"{p}/{name}", getattr(m, name), high, what, unit)
        for series in ("domestic_supply_t_per_yr", "allied_supply_t_per_yr"):
            for i, v in enumerate(getattr(m, series)):
                _at_most(problems, f"{p}/{series}[{i}]", v, MAX_QUANTITY_T, "supply", "t/yr")
    for j in inputs.projects:
        p = f"projects/{j.name}"
        _at_most(problems, f"{p}/capacity_t_per_yr", j.capacity_t_per_yr, MAX_QUANTITY_T,
                 "capacity", "t/yr")
        _at_most(problems, f"{p}/unit_cost_usd_per_kg", j.unit_cost_usd_per_kg,
                 MAX_PRICE_USD_PER_KG, "unit cost", "$/kg")
        _at_most(problems, f"{p}/government_equity_usd", j.government_equity_usd,
                 MAX_MONEY_USD, "government equity", "$")
        for name, what in (("earliest_online_month", "online month"),
                           ("ramp_up_months", "ramp-up")):
            _at_most(problems, f"{p}/{name}", getattr(j, name), MAX_MONTH_INDEX, what,
                     "months")
    for s in inputs.scenarios:
        p = f"scenarios/{s.name}"
        for name, what in (("start_month", "start month"), ("duration_months", "duration"),
                           ("after_months", "after-period"),
                           ("earliest_start_month", "earliest start"),
                           ("latest_start_month", "latest start")):
            _at_most(problems, f"{p}/{name}", getattr(s, name), MAX_MONTH_INDEX, what,
                     "months")
        for name in ("price_multiplier_during", "price_multiplier_after"):
            _at_most(problems, f"{p}/{name}", getattr(s, name), MAX_PRICE_MULTIPLIER,
                     "price multiplier", "x")
# ==== end of range checks ===============================================================
