"""The planning inputs: materials, supply projects, disruption scenarios and policy.

All classes are frozen dataclasses with units in their field names: ``_t`` tonnes of the
material (oxide or magnet mass), ``_t_per_yr`` tonnes per year, ``_t_per_month`` tonnes per
month, ``_usd`` US dollars, ``_usd_per_kg`` dollars per kilogram, ``_month`` months counted
from the plan start (month 0 is January of ``Policy.start_year``), ``_share`` a fraction in
[0, 1]. Edit them with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .sources import Source


class ProjectKind(StrEnum):
    DOMESTIC = "domestic"
    ALLIED = "allied"


class DemandCurve(StrEnum):
    """Shape of a material's short-run inverse demand curve (docs/model.md, "Shortage
    damage")."""

    FLAT = "flat"  # every kg unmet costs the shortage cost: the model before demand curves
    CONSTANT_ELASTICITY = "constant elasticity"  # P = P0 (q/Q0)^(-1/e), up to the choke price
    LINEAR = "linear"  # P = P0 (1 + (Q0 - q)/(e Q0)), up to the choke price


@dataclass(frozen=True)
class Material:
    """One rare earth material the reserve may hold.

    Attributes
    ----------
    name : str
        Unique name, e.g. ``"NdPr oxide"``.
    demand_t_per_yr : float
        US demand in the first plan year [t/yr]. For a material that is a
        :class:`Component` of another, the demand of its other uses: what US plants making
        the product consume is added from their output.
    demand_growth_per_yr : float
        Growth of demand [fraction per year], compounded yearly.
    domestic_supply_t_per_yr : tuple of float
        Baseline US supply that exists without any new project, one value per plan year
        [t/yr]; a short series repeats its last value.
    allied_supply_t_per_yr : tuple of float
        Non-China (allied) imports available per plan year [t/yr]; repeats its last value.
    china_exposed_share : float
        Share of the remaining imports (demand less domestic and allied supply) that passes
        through Chinese mining or processing [0-1].
    allied_exposed_share : float
        Share of allied supply caught by China's extraterritorial rules (0.1% content and
        Chinese technology) in scenarios that apply them [0-1].
    price_usd_per_kg : float
        World market price in normal times [$/kg].
    price_log_volatility : float
        Standard deviation of the log price in any month around its scenario mean [-].
    storage_cost_usd_per_t_yr : float
        Cost of holding one tonne for a year, warehousing and insurance [$/t/yr].
    shortage_cost_usd_per_kg : float
        With a flat demand curve, the economic damage of one kilogram of demand left unmet
        [$/kg]. With a demand curve, its **choke price**: the value of a missing kilogram when
        the downstream line idles, the most any user pays; the curve's price never exceeds it
        [$/kg].
    purchase_limit_t_per_month : float
        Largest reserve purchase the market absorbs in a month [t/month].
    release_limit_t_per_month : float
        Largest release from the reserve in a month [t/month].
    starting_stock_t : float
        Usable stock already held at the plan start [t].
    demand_curve : DemandCurve
        Shape of the short-run inverse demand curve, calibrated at the normal US price and
        demand; ``flat`` keeps one shortage cost per kg.
    demand_elasticity : float
        Short-run price elasticity of demand at the normal price and quantity, as a positive
        magnitude [-]; unused by a flat curve. Smaller is more inelastic.
    spot_limit_t_per_month : float
        Non-Chinese material that can be bought on the spot market in a month while a
        disruption lasts, at the scenario's price [t/month]; 0 for none.
    spot_china_licensed : bool
        Whether material of Chinese origin can be bought under licence on the spot market.
        When it cannot, in scenarios that apply China's extraterritorial rules the spot
        volume is cut by the allied exposed share, like allied supply.
    """

    name: str
    demand_t_per_yr: float
    demand_growth_per_yr: float
    domestic_supply_t_per_yr: tuple[float, ...]
    allied_supply_t_per_yr: tuple[float, ...]
    china_exposed_share: float
    allied_exposed_share: float
    price_usd_per_kg: float
    price_log_volatility: float
    storage_cost_usd_per_t_yr: float
    shortage_cost_usd_per_kg: float
    purchase_limit_t_per_month: float
    release_limit_t_per_month: float
    starting_stock_t: float = 0.0
    demand_curve: DemandCurve = DemandCurve.FLAT
    demand_elasticity: float = 0.0
    spot_limit_t_per_month: float = 0.0
    spot_china_licensed: bool = False


@dataclass(frozen=True)
class SupplyProject:
    """A domestic or allied project that a price floor can make bankable.

    Attributes
    ----------
    name : str
        Unique name.
    material : str
        Name of the :class:`Material` it produces.
    kind : ProjectKind
        Domestic or allied; both add non-Chinese supply.
    capacity_t_per_yr : float
        Output at full ramp [t/yr].
    unit_cost_usd_per_kg : float
        All-in unit cost including a return on capital, before tariff inflation [$/kg].
        A floor at or above this cost makes the project bankable.
    earliest_online_month : int
        First month of output counted from the plan start, lead time and permitting
        included [months].
    ramp_up_months : int
        Months from first output to full capacity, linear [months].
    failure_probability : float
        Chance the project never produces; output is weighted by 1 minus this [0-1].
    government_equity_usd : float
        Taxpayer equity in the project, lost if it fails [$].
    committed_by : str
        The contract that already commits the project (e.g. an offtake agreement), so it
        comes online without a new floor and belongs to the status quo; empty when a new
        floor has to make it bankable. A project covered by a :class:`ContractedFloor` is
        committed whatever this says.
    government_loan_usd : float
        Taxpayer loan to the project [$]; lost, at ``loan_loss_given_default_share``, if the
        project fails.
    loan_loss_given_default_share : float
        Share of the loan lost if the project fails [0-1]. Default 0.45: the Basel II
        foundation-IRB loss given default of a senior unsecured corporate claim (an
        assumption; 0.25-0.75 spans secured project loans to subordinated ones).
    """

    name: str
    material: str
    kind: ProjectKind
    capacity_t_per_yr: float
    unit_cost_usd_per_kg: float
    earliest_online_month: int
    ramp_up_months: int
    failure_probability: float
    government_equity_usd: float = 0.0
    committed_by: str = ""
    government_loan_usd: float = 0.0
    loan_loss_given_default_share: float = 0.45

    @property
    def expected_public_loss_usd(self) -> float:
        """Expected loss of public money in the project [$]: equity and the loss-given-
        default share of the loan, both at the failure probability."""
        return self.failure_probability * (
            self.government_equity_usd
            + self.loan_loss_given_default_share * self.government_loan_usd)


@dataclass(frozen=True)
class ContractedFloor:
    """A price floor already agreed with a producer: part of the status quo.

    The government pays the producer the gap between the floor and the market price on the
    covered volume, and receives ``upside_share`` of the market price above the floor.

    Attributes
    ----------
    name : str
        Unique name, e.g. ``"DoD NdPr floor: Mountain Pass"``.
    material : str
        Name of the :class:`Material` the floor is on.
    project : str
        Name of the :class:`SupplyProject` whose output it covers; the project is then
        committed, and the covered volume follows its ramp and its failure probability.
        Empty: the floor covers output already in production (the material's domestic
        supply series).
    level_usd_per_kg : float
        The guaranteed price [$/kg].
    covered_t_per_yr : float
        Most output the floor pays on in a year [t/yr].
    first_month, last_month : int
        First and last plan month the floor pays in [months]; months outside the horizon
        are ignored.
    upside_share : float
        Share of market price above the floor that the producer returns [0-1].
    contract : str
        The agreement, in words (who signed what, when).
    """

    name: str
    material: str
    project: str
    level_usd_per_kg: float
    covered_t_per_yr: float
    first_month: int
    last_month: int
    upside_share: float = 0.0
    contract: str = ""


@dataclass(frozen=True)
class Component:
    """A line of the bill of materials: US plants making ``product`` consume ``t_per_t``
    tonnes of ``material`` per tonne they make (docs/model.md, "Bill of materials").

    The product's US output (its domestic supply series and committed domestic projects)
    then adds ``t_per_t`` x that output to the material's demand, and a shortfall of the
    material idles the same share of the product's US output.

    Attributes
    ----------
    product : str
        The :class:`Material` made, e.g. ``"NdFeB magnets"``.
    material : str
        The :class:`Material` consumed, e.g. ``"NdPr oxide"``; it has no components itself.
    t_per_t : float
        Tonnes of ``material`` per tonne of ``product`` [t/t], e.g. 0.31 for the NdPr in
        sintered NdFeB.
    """

    product: str
    material: str
    t_per_t: float


@dataclass(frozen=True)
class LaterEpisode:
    """A further episode of a scenario's disruption, after the one the scenario states.

    Attributes
    ----------
    gap_months : int
        Months from the end of the previous episode to the start of this one [months];
        0 for one that follows at once.
    duration_months : int
        Length of this episode [months].
    depth_by_material : tuple of (str, float)
        Share of China-exposed supply lost in this episode, per material name [0-1]; a
        material left out is not disrupted by it.
    hits_allied_supply : bool
        Whether this episode's extraterritorial rules also cut the exposed allied supply.
    price_multiplier_during, price_multiplier_after : float
        Market price during this episode and after it, relative to normal [-].
    after_months : int
        How long the after-price lasts [months].
    """

    gap_months: int
    duration_months: int
    depth_by_material: tuple[tuple[str, float], ...]
    hits_allied_supply: bool = False
    price_multiplier_during: float = 1.0
    price_multiplier_after: float = 1.0
    after_months: int = 0

    def depth(self, material: str) -> float:
        """Share of China-exposed supply of ``material`` lost in this episode [0-1]."""
        return dict(self.depth_by_material).get(material, 0.0)


@dataclass(frozen=True)
class Episode:
    """One episode of a scenario placed on the calendar (see
    :meth:`DisruptionScenario.episodes`): its first month and the fields it carries."""

    start_month: int
    duration_months: int
    depth_by_material: tuple[tuple[str, float], ...]
    hits_allied_supply: bool
    price_multiplier_during: float
    price_multiplier_after: float
    after_months: int

    @property
    def end_month(self) -> int:
        """First month after the episode [months]."""
        return self.start_month + self.duration_months

    def depth(self, material: str) -> float:
        return dict(self.depth_by_material).get(material, 0.0)


@dataclass(frozen=True)
class DisruptionScenario:
    """One possible future of China's supply, with its probability.

    Attributes
    ----------
    name : str
        Unique name.
    probability : float
        Probability of this scenario over the horizon; all scenarios sum to 1 [0-1].
    start_month : int
        First month of the disruption from the plan start [months].
    duration_months : int
        Length of the disruption [months]; 0 for none.
    depth_by_material : tuple of (str, float)
        Share of China-exposed supply lost, per material name [0-1]; a material left out
        is not disrupted.
    hits_allied_supply : bool
        Whether the extraterritorial rules also cut the exposed share of allied supply.
    price_multiplier_during : float
        Market price during the disruption relative to normal [-].
    price_multiplier_after : float
        Market price after the disruption, for ``after_months`` [-].
    after_months : int
        How long the after-price lasts [months].
    note : str
        What the scenario stands for, in words.
    price_from_curve : bool
        Whether the price during the disruption follows each material's demand curve at the
        scenario's shortfall instead of ``price_multiplier_during`` (a material with a flat
        curve keeps the stated multiplier).
    earliest_start_month, latest_start_month : int or None
        The **start window** [months]: the disruption starts in a month between the two,
        both included; None (both) for a start known to the month (``start_month``). With a
        window the engine solves one variant per start step (``Policy.start_step_months``)
        sharing the scenario's probability, and ``start_month`` is only the stated example.
    start_hazard_per_yr : float
        Yearly hazard rate of the start [1/yr]: the chance of starting in a month of the
        window falls as exp(-hazard * months / 12), a first arrival of a Poisson process.
        0 is a uniform window. Above 0 with no window, the window is the whole horizon.
    later_episodes : tuple of LaterEpisode
        Further episodes after the first (for instance a licensing shock followed two
        years later by an embargo), each timed from the end of the one before, so a start
        window moves them all. Empty for a single episode.
    """

    name: str
    probability: float
    start_month: int
    duration_months: int
    depth_by_material: tuple[tuple[str, float], ...]
    hits_allied_supply: bool = False
    price_multiplier_during: float = 1.0
    price_multiplier_after: float = 1.0
    after_months: int = 0
    note: str = ""
    price_from_curve: bool = False
    earliest_start_month: int | None = None
    latest_start_month: int | None = None
    start_hazard_per_yr: float = 0.0
    later_episodes: tuple[LaterEpisode, ...] = ()

    def episodes(self) -> tuple[Episode, ...]:
        """Every episode on the calendar, the first being the scenario's own fields; each
        later one starts ``gap_months`` after the previous one ends [months]."""
        first = Episode(self.start_month, self.duration_months, self.depth_by_material,
                        self.hits_allied_supply, self.price_multiplier_during,
                        self.price_multiplier_after, self.after_months)
        out = [first]
        for e in self.later_episodes:
            out.append(Episode(out[-1].end_month + e.gap_months, e.duration_months,
                               e.depth_by_material, e.hits_allied_supply,
                               e.price_multiplier_during, e.price_multiplier_after,
                               e.after_months))
        return tuple(out)

    @property
    def has_uncertain_start(self) -> bool:
        """Whether the start is a window or a hazard rather than a known month."""
        return self.earliest_start_month is not None or self.latest_start_month is not None \
            or self.start_hazard_per_yr > 0

    def depth(self, material: str) -> float:
        """Share of China-exposed supply of ``material`` lost while the disruption lasts [0-1]."""
        for name, value in self.depth_by_material:
            if name == material:
                return value
        return 0.0


@dataclass(frozen=True)
class Policy:
    """Budget, tariff, risk and horizon settings.

    Attributes
    ----------
    start_year : int
        Calendar year of plan month 0.
    horizon_months : int
        Number of monthly periods [months].
    annual_budget_usd : float
        Most that may be spent on reserve purchases in one plan year, at normal prices [$/yr].
    total_budget_usd : float or None
        Most that may be spent on purchases over the horizon [$]; None for no cap.
    tariff_share : float
        Additional tariff on Chinese imports [fraction of value; 1.0 is 100%].
    tariff_price_passthrough : float
        Share of the tariff on the China-exposed part of supply that reaches the US market
        price [0-1].
    tariff_input_cost_share : float
        Share of a project's unit cost spent on tariffed inputs (equipment, reagents) [0-1].
    min_cover_days : float
        Minimum reserve in days of net imports, held from ``min_cover_by_month`` on [days];
        0 for none.
    min_cover_by_month : int
        Month by which the minimum cover must be reached [months].
    risk_aversion : float
        Weight of CVaR of scenario cost in the objective, on top of the expectation [-].
    cvar_level : float
        CVaR confidence level beta: the mean of the worst 1 - beta of outcomes [0-1).
    discount_rate_per_yr : float
        Real discount rate [fraction per year].
    salvage_share : float
        Value of stock left at the horizon as a share of its normal price [0-1].
    floor_upside_share : float
        Share of market price above the floor that producers return to the government [0-1].
    start_step_months : int
        Spacing of the start-month variants of a scenario with a start window or hazard
        [months]: 1 solves every month of the window, 3 one variant per quarter (each carrying
        the probability of its three months).
    release_lag_months : int
        Months between a disruption's start and the first release from the reserve, the
        time to decide and authorise a drawdown [months]; 0 releases at once.
    price_half_life_yr : float
        Half-life of price shocks [years]. 0: each material's price volatility is the same
        dispersion around the scenario mean in every month. Above 0: the log price reverts
        to the scenario mean from a price known at the plan start, so its dispersion grows
        from 0 towards the material's volatility with this half-life.
    floor_candidates_usd_per_kg : tuple of (str, tuple of float)
        Candidate floor levels per material [$/kg]. A material left out chooses among 0 (no
        floor) and the tariff-inflated unit costs of its projects. A material listed chooses
        among exactly the levels given: list 0 to allow no floor, or a single level to fix the
        floor (e.g. the contracted $110/kg for NdPr) and see what it costs.
    """

    start_year: int = 2027
    horizon_months: int = 120
    annual_budget_usd: float = 0.0
    total_budget_usd: float | None = None
    tariff_share: float = 0.0
    tariff_price_passthrough: float = 0.5
    tariff_input_cost_share: float = 0.0
    min_cover_days: float = 0.0
    min_cover_by_month: int = 36
    risk_aversion: float = 0.0
    cvar_level: float = 0.9
    discount_rate_per_yr: float = 0.0
    salvage_share: float = 1.0
    floor_upside_share: float = 0.0
    price_half_life_yr: float = 0.0
    release_lag_months: int = 0
    start_step_months: int = 3
    floor_candidates_usd_per_kg: tuple[tuple[str, tuple[float, ...]], ...] = ()

    @property
    def horizon_years(self) -> int:
        """Number of plan years touched by the horizon [years]."""
        return -(-self.horizon_months // 12)

    def floor_candidates(self, material: str) -> tuple[float, ...] | None:
        for name, levels in self.floor_candidates_usd_per_kg:
            if name == material:
                return levels
        return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs: where, what value, and why."""

    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


@dataclass(frozen=True)
class PlanInputs:
    """Everything one plan is solved from.

    ``sources`` maps a field path (:func:`reserve_planner.model.sources.field_path`) to the
    :class:`Source` of its value.
    """

    name: str
    materials: tuple[Material, ...]
    projects: tuple[SupplyProject, ...]
    scenarios: tuple[DisruptionScenario, ...]
    policy: Policy
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, hash=False)
    notes: str = ""
    contracted_floors: tuple[ContractedFloor, ...] = ()
    components: tuple[Component, ...] = ()

    def material(self, name: str) -> Material:
        for m in self.materials:
            if m.name == name:
                return m
        raise KeyError(name)

    @property
    def material_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.materials)

    def is_committed(self, project: SupplyProject) -> bool:
        """Whether ``project`` comes online in the status quo, without a new floor."""
        return bool(project.committed_by.strip()) or any(
            f.project == project.name for f in self.contracted_floors)

    def contracted_floor_level(self, material: str) -> float:
        """The highest contracted floor on ``material`` [$/kg]; 0 when it has none."""
        return max((f.level_usd_per_kg for f in self.contracted_floors
                    if f.material == material), default=0.0)

    def source(self, path: str) -> Source | None:
        """The source of the value at ``path``, or None if it has none."""
        return self.sources.get(path)

    def validate(self) -> list[Problem]:
        """Every problem with these inputs at once; an empty list means they can be solved."""
        from .validation import validate_inputs

        return validate_inputs(self)
