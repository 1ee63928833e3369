"""Every input number of a plan with a readable label, its unit, its formatted value and the
source path it is filed under in :attr:`PlanInputs.sources`.

The report's assumption tables and its sources section are both built from
:func:`input_entries`, so each number printed in one can be found in the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import DisruptionScenario, Material, PlanInputs, Policy, Source, SupplyProject
from ..model.sources import field_path
from . import formatting as fmt

ASSUMPTION_MARK = "\u2020"  # dagger after a value whose source is an assumption


@dataclass(frozen=True)
class InputEntry:
    """One input number: ``table`` is materials/projects/scenarios/policy, ``row`` the
    material, project or scenario name (empty for policy), ``field`` the source-path field."""

    table: str
    row: str
    field: str
    label: str
    value: str
    source: Source | None
    code: str = ""  # short reference of the row: material name, "P1" project, "S1" scenario

    @property
    def path(self) -> str:
        return field_path(self.table, self.row, self.field) if self.row else field_path(
            self.table, self.field)

    @property
    def is_assumption(self) -> bool:
        return self.source is not None and self.source.is_assumption

    @property
    def marked_value(self) -> str:
        """The value with the assumption mark when its source is an assumption."""
        return self.value + ASSUMPTION_MARK if self.is_assumption else self.value


def project_code(number: int) -> str:
    """Short reference of the ``number``-th project (from 1), e.g. ``"P2"``."""
    return f"P{number}"


def scenario_code(number: int) -> str:
    """Short reference of the ``number``-th scenario (from 1), e.g. ``"S4"``."""
    return f"S{number}"


def _num(decimals: int = 0) -> Callable[[float], str]:
    return lambda v: fmt.number(v, decimals)


MATERIAL_FIELDS: tuple[tuple[str, str, Callable[[Material], str]], ...] = (
    ("demand_t_per_yr", "Demand, first plan year [t/yr]",
     lambda m: fmt.number(m.demand_t_per_yr, 1)),
    ("demand_growth_per_yr", "Demand growth [%/yr]",
     lambda m: fmt.share(m.demand_growth_per_yr, 1)),
    ("domestic_supply_t_per_yr", "US supply without new projects [t/yr]",
     lambda m: fmt.series(m.domestic_supply_t_per_yr)),
    ("allied_supply_t_per_yr", "Allied (non-China) imports [t/yr]",
     lambda m: fmt.series(m.allied_supply_t_per_yr)),
    ("china_exposed_share", "China-exposed share of other imports [%]",
     lambda m: fmt.share(m.china_exposed_share)),
    ("allied_exposed_share", "Allied supply caught by China's rules [%]",
     lambda m: fmt.share(m.allied_exposed_share)),
    ("price_usd_per_kg", "Normal market price [$/kg]", lambda m: fmt.number(
        m.price_usd_per_kg, 0 if m.price_usd_per_kg >= 100 else 2)),
    ("price_log_volatility", "Price volatility (s.d. of log price) [-]",
     lambda m: fmt.number(m.price_log_volatility, 3)),
    ("storage_cost_usd_per_t_yr", "Storage cost [$/t/yr]",
     lambda m: fmt.number(m.storage_cost_usd_per_t_yr)),
    ("shortage_cost_usd_per_kg", "Shortage cost (flat) or choke price [$/kg]",
     lambda m: fmt.number(m.shortage_cost_usd_per_kg)),
    ("purchase_limit_t_per_month", "Purchase limit [t/month]",
     lambda m: fmt.number(m.purchase_limit_t_per_month, 1)),
    ("release_limit_t_per_month", "Release limit [t/month]",
     lambda m: fmt.number(m.release_limit_t_per_month, 1)),
    ("starting_stock_t", "Stock held at the start [t]",
     lambda m: fmt.number(m.starting_stock_t, 1)),
    ("demand_curve", "Demand curve", lambda m: str(m.demand_curve)),
    ("demand_elasticity", "Short-run demand elasticity [-]",
     lambda m: fmt.number(m.demand_elasticity, 2)),
    ("spot_limit_t_per_month", "Spot market in a disruption [t/month]",
     lambda m: fmt.number(m.spot_limit_t_per_month, 2)),
    ("spot_china_licensed", "China-origin spot material under licence",
     lambda m: "yes" if m.spot_china_licensed else "no"),
)


def _project_fields(start_year: int) -> tuple[tuple[str, str, Callable[[SupplyProject], str]],
                                               ...]:
    return (
        ("capacity_t_per_yr", "Capacity [t/yr]", lambda p: fmt.number(p.capacity_t_per_yr)),
        ("unit_cost_usd_per_kg", "Unit cost before tariffs [$/kg]",
         lambda p: fmt.number(p.unit_cost_usd_per_kg, 0 if p.unit_cost_usd_per_kg >= 100
                              else 2)),
        ("earliest_online_month", "First output [year-month]",
         lambda p: fmt.month_label(start_year, p.earliest_online_month)),
        ("ramp_up_months", "Ramp-up [months]", lambda p: fmt.number(p.ramp_up_months)),
        ("failure_probability", "Chance of failure [%]",
         lambda p: fmt.share(p.failure_probability)),
        ("government_equity_usd", "Government equity at risk [$M]",
         lambda p: fmt.musd(p.government_equity_usd, 0)),
    )


def depth_text(scenario: DisruptionScenario, materials: tuple[str, ...]) -> str:
    """The scenario's cut per material in a few words, e.g. ``"100% of all"``."""
    depths = [(n, scenario.depth(n)) for n in materials]
    if scenario.duration_months <= 0 or all(d == 0 for _, d in depths):
        return "none"
    if len({d for _, d in depths}) == 1:
        return f"{fmt.share(depths[0][1])} of all"
    return "; ".join(f"{n} {fmt.share(d)}" for n, d in depths)


def later_episodes_text(scenario: DisruptionScenario, materials: tuple[str, ...]) -> str:
    """The scenario's episodes after its first, in words, e.g. ``"24 months later: 6
    months, 100% of all, allied supply hit, 4x (1.5x for 12 months after)"``; ``""`` when it
    has none."""
    parts = []
    for e in scenario.later_episodes:
        gap = "at once" if e.gap_months == 0 else f"{fmt.number(e.gap_months)} months later"
        text = f"{gap}: {fmt.number(e.duration_months)} months, {depth_text(e, materials)}"
        if e.hits_allied_supply:
            text += ", allied supply hit"
        text += f", {e.price_multiplier_during:g}\u00d7"
        if e.after_months > 0:
            text += f" ({e.price_multiplier_after:g}\u00d7 for {e.after_months} months after)"
        parts.append(text)
    return "; then ".join(parts)


def _scenario_fields(inputs: PlanInputs) -> tuple[
        tuple[str, str, Callable[[DisruptionScenario], str]], ...]:
    y = inputs.policy.start_year
    names = inputs.material_names
    return (
        ("probability", "Probability over the horizon [%]", lambda s: fmt.probability(
            s.probability)),
        ("start_month", "Start [year-month]", lambda s: fmt.month_label(y, s.start_month)),
        ("earliest_start_month", "Start window opens [year-month]",
         lambda s: "none" if s.earliest_start_month is None
         else fmt.month_label(y, s.earliest_start_month)),
        ("latest_start_month", "Start window closes [year-month]",
         lambda s: "none" if s.latest_start_month is None
         else fmt.month_label(y, s.latest_start_month)),
        ("start_hazard_per_yr", "Start hazard [per yr]",
         lambda s: fmt.number(s.start_hazard_per_yr, 2)),
        ("duration_months", "Duration [months]", lambda s: fmt.number(s.duration_months)),
        ("depth", "Share of China-exposed supply cut [%]", lambda s: depth_text(s, names)),
        ("hits_allied_supply", "Also cuts exposed allied supply",
         lambda s: "yes" if s.hits_allied_supply else "no"),
        ("price_multiplier_during", "Price during, times normal [-]",
         lambda s: fmt.number(s.price_multiplier_during, 2)),
        ("price_multiplier_after", "Price after, times normal [-]",
         lambda s: fmt.number(s.price_multiplier_after, 2)),
        ("after_months", "Months of after-price [months]",
         lambda s: fmt.number(s.after_months)),
        ("later_episodes", "Later episodes (after the first)",
         lambda s: later_episodes_text(s, names)),
    )


def _scenario_field_used(s: DisruptionScenario, field: str) -> bool:
    """Whether the model reads ``field`` of ``s``: a scenario without a disruption has no
    start, depth or price during it, and no after-price when it lasts no months."""
    if s.duration_months <= 0 and field in (
            "start_month", "duration_months", "depth", "hits_allied_supply",
            "price_multiplier_during", "earliest_start_month", "latest_start_month",
            "start_hazard_per_yr"):
        return False
    if field == "later_episodes":
        return bool(s.later_episodes)
    if field in ("earliest_start_month", "latest_start_month"):
        return getattr(s, field) is not None
    if field == "start_hazard_per_yr":
        return s.start_hazard_per_yr > 0
    return not (s.after_months <= 0 and field in ("price_multiplier_after", "after_months"))


def _candidates_text(p: Policy) -> str:
    if not p.floor_candidates_usd_per_kg:
        return "tariff-inflated project unit costs"
    return "; ".join(f"{name}: " + ", ".join(fmt.number(v, 2) for v in levels)
                     for name, levels in p.floor_candidates_usd_per_kg)


POLICY_FIELDS: tuple[tuple[str, str, Callable[[Policy], str]], ...] = (
    ("start_year", "First plan year", lambda p: str(p.start_year)),
    ("horizon_months", "Horizon [months]", lambda p: fmt.number(p.horizon_months)),
    ("annual_budget_usd", "Purchase budget per year [$M/yr]",
     lambda p: fmt.musd(p.annual_budget_usd)),
    ("total_budget_usd", "Purchase budget over the horizon [$M]",
     lambda p: "no cap" if p.total_budget_usd is None else fmt.musd(p.total_budget_usd)),
    ("tariff_share", "Added US tariff on Chinese imports [%]", lambda p: fmt.share(
        p.tariff_share)),
    ("tariff_price_passthrough", "Tariff passed into the US price [%]",
     lambda p: fmt.share(p.tariff_price_passthrough)),
    ("tariff_input_cost_share", "Tariffed share of project costs [%]",
     lambda p: fmt.share(p.tariff_input_cost_share)),
    ("min_cover_days", "Required minimum cover [days]", lambda p: fmt.number(
        p.min_cover_days)),
    ("min_cover_by_month", "Minimum cover reached by [months]",
     lambda p: fmt.number(p.min_cover_by_month)),
    ("risk_aversion", "Weight on the worst outcomes (CVaR) [-]",
     lambda p: fmt.number(p.risk_aversion, 2)),
    ("cvar_level", "CVaR level β, averaging the worst 100 − β [%]",
     lambda p: fmt.share(p.cvar_level)),
    ("discount_rate_per_yr", "Real discount rate [%/yr]",
     lambda p: fmt.share(p.discount_rate_per_yr, 1)),
    ("salvage_share", "Value of stock left at the end [% of price]",
     lambda p: fmt.share(p.salvage_share)),
    ("floor_upside_share", "Upside above a floor returned to government [%]",
     lambda p: fmt.share(p.floor_upside_share)),
    ("floor_candidates_usd_per_kg", "Candidate floor levels [$/kg]", _candidates_text),
)


def input_entries(inputs: PlanInputs) -> list[InputEntry]:
    """Every input number of ``inputs`` in table order, with its source (None if none).

    Scenario fields the model does not read (the start of a scenario without a disruption,
    the after-price of one without an after-period) are left out unless they have a source.
    """
    src = inputs.sources.get
    out: list[InputEntry] = []
    # One number of decimals per field, so the rows of one field read alike (84 next to
    # 225, or 84.50 next to 225.00).
    price_places = fmt.common_decimals([m.price_usd_per_kg for m in inputs.materials])
    cost_places = fmt.common_decimals([p.unit_cost_usd_per_kg for p in inputs.projects])
    same_places = {
        "price_usd_per_kg": lambda m: fmt.number(m.price_usd_per_kg, price_places),
        "unit_cost_usd_per_kg": lambda p: fmt.number(p.unit_cost_usd_per_kg, cost_places),
    }
    for m in inputs.materials:
        for f, label, get in MATERIAL_FIELDS:
            get = same_places.get(f, get)
            out.append(InputEntry("materials", m.name, f, label, get(m),
                                  src(field_path("materials", m.name, f)), m.name))
    for i, p in enumerate(inputs.projects, start=1):
        for f, label, get in _project_fields(inputs.policy.start_year):
            get = same_places.get(f, get)
            out.append(InputEntry("projects", p.name, f, label, get(p),
                                  src(field_path("projects", p.name, f)), project_code(i)))
    for i, s in enumerate(inputs.scenarios, start=1):
        for f, label, get in _scenario_fields(inputs):
            source = src(field_path("scenarios", s.name, f))
            if source is None and not _scenario_field_used(s, f):
                continue
            out.append(InputEntry("scenarios", s.name, f, label, get(s), source,
                                  scenario_code(i)))
    for f, label, get in POLICY_FIELDS:
        out.append(InputEntry("policy", "", f, label, get(inputs.policy),
                              src(field_path("policy", f))))
    return out
