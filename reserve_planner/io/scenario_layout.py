"""The layout of a scenario workbook: sheet names, columns, units, formats and valid ranges.

The writer and the reader both work from these specs, so what is written is what is read.
Ranges mirror :mod:`reserve_planner.model.validation` (a test checks they agree); the reader
checks them itself so that its messages can say ``probability 1.4 is above 1``.

Layout version 1 (``WORKBOOK_SCHEMA_VERSION``):

========  ===============================================================================
Sheet     Contents
========  ===============================================================================
Settings  one row per policy setting: Setting | Value | Unit | Description | Source
Materials one row per material; per-year supply is on Series
Projects  one row per supply project
Scenarios one row per disruption scenario; a "Depth: <material>" column per material
Episodes  one row per later episode of a scenario (2, 3, ...); depth columns as Scenarios
Series    one row per material and plan year: domestic and allied supply (demand shown)
Floors    optional candidate floor levels: one row per material and level
Contracted floors  optional: price floors already agreed (status quo), one row each
Sources   where every default comes from: Path | Kind | Reference | Detail | Cell
Variants  optional: named variants of the plan, one row per input a variant changes
Metadata  schema version, program version, time saved
========  ===============================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..model import Source
from ..model.validation import (
    MAX_HORIZON_MONTHS,
    MAX_MONEY_USD,
    MAX_MONTH_INDEX,
    MAX_PRICE_MULTIPLIER,
    MAX_PRICE_USD_PER_KG,
    MAX_QUANTITY_T,
    MAX_RISK_AVERSION,
    MAX_SHORTAGE_COST_USD_PER_KG,
    MAX_START_YEAR,
    MAX_STORAGE_COST_USD_PER_T_YR,
    MIN_START_YEAR,
)

_Q, _P, _M, _MO = MAX_QUANTITY_T, MAX_PRICE_USD_PER_KG, MAX_MONEY_USD, MAX_MONTH_INDEX

WORKBOOK_SCHEMA_VERSION = 1
"""Version of this sheet layout. Version 1 is the first; older ones do not exist yet."""

OLDEST_READABLE_SCHEMA_VERSION = 1

WORKBOOK_FORMAT = "Reserve Planner scenario workbook"

SETTINGS = "Settings"
MATERIALS = "Materials"
PROJECTS = "Projects"
SCENARIOS = "Scenarios"
EPISODES = "Episodes"
"""Later episodes of the scenarios, one row each; a workbook without it (written before
episodes existed) reads as scenarios of one episode."""
SERIES = "Series"
FLOORS = "Floors"
CONTRACTED_FLOORS = "Contracted floors"
SOURCES = "Sources"
METADATA = "Metadata"
VARIANTS = "Variants"
"""Optional sheet of named variants of the workbook's plan (:mod:`.variants_sheet`); not
in :data:`SCENARIO_SHEETS` because a workbook without variants does not have it."""

SCENARIO_SHEETS = (SETTINGS, MATERIALS, PROJECTS, SCENARIOS, EPISODES, SERIES, FLOORS,
                   CONTRACTED_FLOORS, SOURCES, METADATA)
REQUIRED_SHEETS = (SETTINGS, MATERIALS, PROJECTS, SCENARIOS, SERIES)

RESULTS_SHEETS = ("Summary", "Reserve", "Fill schedule", "Floor decisions", "Floor projects",
                  "Floor appraisal", "Scenario outcomes", "Monthly outcomes", "Problems", "About")
"""Sheets a results workbook adds in front of the scenario sheets (read as extra, quietly)."""
ANALYSIS_SHEETS = ("Tornado", "Break-evens", "Frontiers", "Size curves", "Solved variants")
"""Sheets a results workbook holds after About when a sensitivity study was run."""
MONTE_CARLO_RESULTS_SHEET = "Monte Carlo test"
"""The results workbook's Monte Carlo sheet (the inputs' distributions sheet is "Monte
Carlo")."""

SOURCE_COLUMN = "Sources"
DEPTH_PREFIX = "Depth: "

MAX_TEXT_CHARS = 32_767
"""Excel's limit on the characters in one cell."""


SHARE_UNIT = "0-1"
"""The unit of a share; shown as ``%`` because its cells are formatted as percentages."""


class ValueKind(Enum):
    """What a column holds."""

    TEXT = "text"
    NUMBER = "number"
    OPTIONAL_NUMBER = "number or blank"
    WHOLE = "whole number"
    BOOL = "yes/no"
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    """One column of a table, or one row of the Settings sheet.

    Attributes
    ----------
    name : str
        Attribute of the model class (``"price_usd_per_kg"``).
    title : str
        Heading without unit (``"Price"``).
    label : str
        Noun used in messages (``"price"``).
    kind : ValueKind
        What the cells hold.
    unit : str
        Unit shown in the heading and the Unit column (``"$/kg"``); ``"0-1"`` for shares.
    number_format : str
        Excel number format of the values, unit included where it reads well.
    low, high : float or None
        Valid range; ``low_open``/``high_open`` exclude the bound itself.
    default : object
        Value used when the cell is blank; ``None`` means a blank is a problem (except for
        ``OPTIONAL_NUMBER``, where blank means "none").
    description : str
        One line for a planner: what the value means.
    choices : tuple of str
        Allowed texts for ``CHOICE`` columns.
    """

    name: str
    title: str
    label: str
    kind: ValueKind = ValueKind.NUMBER
    unit: str = ""
    number_format: str = "General"
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    default: object = None
    description: str = ""
    choices: tuple[str, ...] = ()

    @property
    def shown_unit(self) -> str:
        """The unit as the workbook shows it: ``"%"`` for a share (``unit == "0-1"``), whose
        cells are formatted as percentages (0.3 shows as 30%), else ``unit``."""
        return "%" if self.unit == SHARE_UNIT else self.unit

    @property
    def header(self) -> str:
        """Column heading with unit, e.g. ``"Price ($/kg)"``, ``"Probability (%)"``."""
        return f"{self.title} ({self.shown_unit})" if self.unit else self.title

    @property
    def legacy_headers(self) -> tuple[str, ...]:
        """Headings earlier versions wrote (``"Probability (0-1)"``), still read."""
        return (f"{self.title} ({SHARE_UNIT})",) if self.unit == SHARE_UNIT else ()

    @property
    def is_share(self) -> bool:
        return self.low == 0 and self.high == 1 and self.kind is ValueKind.NUMBER

    def range_text(self) -> str:
        """The valid range in words, e.g. ``"between 0 and 1"``; empty when unbounded."""
        lo, hi = self.low, self.high
        lo = bound_text(lo) if lo is not None else None  # type: ignore[assignment]
        hi = bound_text(hi) if hi is not None else None  # type: ignore[assignment]
        if lo is not None and hi is not None:
            if self.low_open or self.high_open:
                return (f"more than {lo}" if self.low_open else f"at least {lo}") + (
                    f" and less than {hi}" if self.high_open else f" and at most {hi}")
            return f"between {lo} and {hi}"
        if lo is not None:
            return f"more than {lo}" if self.low_open else f"at least {lo}"
        if hi is not None:
            return f"less than {hi}" if self.high_open else f"at most {hi}"
        return ""


def bound_text(value: float) -> str:
    """A range bound in words: ``1`` and ``0.5`` as they are, ``1,000,000`` with
    separators rather than ``1e+06``."""
    if value == int(value) and abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:g}"


_T = '#,##0.0'
_USD = '"$"#,##0'
_USD_KG = '"$"#,##0.00'
_PCT = "0.0%"
_MONTHS = "0"

NAME_FIELD = Field("name", "Name", "name", ValueKind.TEXT)

MATERIAL_FIELDS = (
    Field("name", "Material", "material name", ValueKind.TEXT,
          description="Unique name, used by Projects, Scenarios, Series and Floors."),
    Field("demand_t_per_yr", "Demand", "demand", unit="t/yr", number_format=_T, low=0, high=_Q,
          description="US demand in the first plan year."),
    Field("demand_growth_per_yr", "Demand growth", "demand growth", unit="per yr",
          number_format=_PCT, low=-1, high=1, low_open=True,
          description="Yearly growth of demand, compounded."),
    Field("china_exposed_share", "China-exposed share", "China-exposed share", unit="0-1",
          number_format=_PCT, low=0, high=1,
          description="Share of imports that passes through Chinese mining or processing."),
    Field("allied_exposed_share", "Allied exposed share", "allied exposed share", unit="0-1",
          number_format=_PCT, low=0, high=1,
          description="Share of allied supply caught by China's extraterritorial rules."),
    Field("price_usd_per_kg", "Price", "price", unit="$/kg", number_format=_USD_KG, low=0,
          low_open=True, high=_P, description="World market price in normal times."),
    Field("price_log_volatility", "Price volatility", "price volatility", unit="log s.d.",
          number_format="0.000", low=0, high=5,
          description="Standard deviation of the log price in any month."),
    Field("storage_cost_usd_per_t_yr", "Storage cost", "storage cost", unit="$/t/yr",
          number_format=_USD, low=0, high=MAX_STORAGE_COST_USD_PER_T_YR,
          description="Warehousing and insurance per tonne-year."),
    Field("shortage_cost_usd_per_kg", "Shortage cost", "shortage cost", unit="$/kg",
          number_format=_USD_KG, low=0, high=MAX_SHORTAGE_COST_USD_PER_KG,
          description="Flat curve: damage of one kilogram of demand left unmet. Demand "
          "curve: the choke price, the value of a missing kg when the downstream line idles."),
    Field("purchase_limit_t_per_month", "Purchase limit", "purchase limit", unit="t/month",
          number_format=_T, low=0, high=_Q,
          description="Largest reserve purchase the market absorbs in a month."),
    Field("release_limit_t_per_month", "Release limit", "release limit", unit="t/month",
          number_format=_T, low=0, high=_Q,
          description="Largest release from the reserve in a month."),
    Field("starting_stock_t", "Starting stock", "starting stock", unit="t", number_format=_T,
          low=0, high=_Q, default=0.0, description="Usable stock already held at the plan start."),
    Field("demand_curve", "Demand curve", "demand curve", ValueKind.CHOICE,
          choices=("flat", "constant elasticity", "linear"), default="flat",
          description="Short-run demand curve behind the shortage damage; flat: every kg "
          "unmet costs the shortage cost, otherwise the shortage cost is the choke price."),
    Field("demand_elasticity", "Demand elasticity", "demand elasticity", unit="-",
          number_format="0.00", low=0, high=10, default=0.0,
          description="Short-run price elasticity of demand (a positive number; smaller is "
          "more inelastic); unused by a flat curve."),
    Field("spot_limit_t_per_month", "Spot market", "spot market", unit="t/month",
          number_format=_T, low=0, high=_Q, default=0.0,
          description="Non-Chinese material that can be bought on the spot market in a month "
          "of disruption, at the scenario's price."),
    Field("spot_china_licensed", "Spot China licensed", "spot China licensed", ValueKind.BOOL,
          default=False, description="Whether China-origin material can be bought under "
          "licence on the spot market (otherwise the extraterritorial rules cut the spot "
          "volume by the allied exposed share)."),
)

PROJECT_FIELDS = (
    Field("name", "Project", "project name", ValueKind.TEXT, description="Unique name."),
    Field("material", "Material", "material", ValueKind.TEXT,
          description="Material it produces; must be on the Materials sheet."),
    Field("kind", "Kind", "kind", ValueKind.CHOICE, choices=("domestic", "allied"),
          description="domestic or allied; both add non-Chinese supply."),
    Field("capacity_t_per_yr", "Capacity", "capacity", unit="t/yr", number_format=_T, low=0,
          high=_Q, description="Output at full ramp."),
    Field("unit_cost_usd_per_kg", "Unit cost", "unit cost", unit="$/kg",
          number_format=_USD_KG, low=0, low_open=True, high=_P,
          description="All-in unit cost with a return on capital, before tariffs."),
    Field("earliest_online_month", "Earliest online", "online month", ValueKind.WHOLE,
          unit="month", number_format=_MONTHS, low=0, high=_MO,
          description="First month of output, counted from the plan start (0 = January)."),
    Field("ramp_up_months", "Ramp-up", "ramp-up", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=0, high=_MO, description="Months from first to full output."),
    Field("failure_probability", "Failure probability", "failure probability", unit="0-1",
          number_format=_PCT, low=0, high=1, description="Chance it never produces."),
    Field("government_equity_usd", "Government equity", "government equity", unit="$",
          number_format=_USD, low=0, high=_M, default=0.0,
          description="Taxpayer equity at risk if the project fails."),
    Field("committed_by", "Committed by", "commitment", ValueKind.TEXT, default="",
          description="The contract that already commits it (status quo, no new floor "
          "needed); blank if a new floor must make it bankable."),
    Field("government_loan_usd", "Government loan", "government loan", unit="$",
          number_format=_USD, low=0, high=_M, default=0.0,
          description="Taxpayer loan; lost at the loss-given-default share if it fails."),
    Field("loan_loss_given_default_share", "Loan loss given default", "loss given default",
          unit="0-1", number_format=_PCT, low=0, high=1, default=0.45,
          description="Share of the loan lost if the project fails (Basel II: 45%)."),
)

CONTRACTED_FLOOR_FIELDS = (
    Field("name", "Contracted floor", "contracted floor name", ValueKind.TEXT,
          description="Unique name of a price floor already agreed (status quo)."),
    Field("material", "Material", "material", ValueKind.TEXT,
          description="Material on the Materials sheet."),
    Field("project", "Project", "project", ValueKind.TEXT, default="",
          description="Project on the Projects sheet whose output it covers (it is then "
          "committed); blank for output already in production (domestic supply)."),
    Field("level_usd_per_kg", "Floor level", "floor level", unit="$/kg",
          number_format=_USD_KG, low=0, low_open=True, high=_P,
          description="The guaranteed price."),
    Field("covered_t_per_yr", "Covered volume", "covered volume", unit="t/yr",
          number_format=_T, low=0, high=_Q, description="Most output it pays on in a year."),
    Field("first_month", "First month", "first month", ValueKind.WHOLE, unit="month",
          number_format=_MONTHS, low=0, high=_MO, description="First plan month it pays in."),
    Field("last_month", "Last month", "last month", ValueKind.WHOLE, unit="month",
          number_format=_MONTHS, low=0, high=_MO, description="Last plan month it pays in."),
    Field("upside_share", "Upside share", "upside share", unit="0-1", number_format=_PCT,
          low=0, high=1, default=0.0,
          description="Share of market price above the floor returned to the government."),
    Field("contract", "Contract", "contract", ValueKind.TEXT, default="",
          description="The agreement, in words."),
)

SCENARIO_FIELDS = (
    Field("name", "Scenario", "scenario name", ValueKind.TEXT, description="Unique name."),
    Field("note", "Note", "note", ValueKind.TEXT, default="",
          description="What the scenario stands for."),
    Field("probability", "Probability", "probability", unit="0-1", number_format=_PCT, low=0,
          high=1, description="Probability of this future; all scenarios add up to 1."),
    Field("start_month", "Start", "start month", ValueKind.WHOLE, unit="month",
          number_format=_MONTHS, low=0, high=_MO,
          description="First month of the disruption from the plan start."),
    Field("duration_months", "Duration", "duration", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=0, high=_MO,
          description="Length of the disruption; 0 for none."),
    Field("hits_allied_supply", "Hits allied supply", "hits allied supply", ValueKind.BOOL,
          number_format='"TRUE";"TRUE";"FALSE"', default=False,
          description="TRUE if China's rules also cut exposed allied supply."),
    Field("price_multiplier_during", "Price multiplier during", "price multiplier",
          unit="x", number_format='0.00"x"', low=0, low_open=True, high=MAX_PRICE_MULTIPLIER,
          default=1.0,
          description="Market price during the disruption relative to normal."),
    Field("price_multiplier_after", "Price multiplier after", "price multiplier",
          unit="x", number_format='0.00"x"', low=0, low_open=True, high=MAX_PRICE_MULTIPLIER,
          default=1.0,
          description="Market price after the disruption relative to normal."),
    Field("after_months", "After-period", "after-period", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=0, high=_MO, default=0,
          description="How long the after-price lasts."),
    Field("earliest_start_month", "Earliest start", "earliest start",
          ValueKind.OPTIONAL_NUMBER, unit="month", number_format=_MONTHS, low=0, high=_MO,
          description="First month the disruption may start in; blank with Latest start "
          "blank = it starts in the Start month."),
    Field("latest_start_month", "Latest start", "latest start", ValueKind.OPTIONAL_NUMBER,
          unit="month", number_format=_MONTHS, low=0, high=_MO,
          description="Last month the disruption may start in; the plan is solved for a "
          "start in every step of the window, sharing the probability."),
    Field("start_hazard_per_yr", "Start hazard", "start hazard", unit="per yr",
          number_format="0.00", low=0, high=100, default=0.0,
          description="Yearly hazard rate of the start: later months of the window are "
          "less likely, exp(-rate x years); 0 = uniform; with no window, the whole horizon."),
    Field("price_from_curve", "Price from curve", "price from curve", ValueKind.BOOL,
          number_format='"TRUE";"TRUE";"FALSE"', default=False,
          description="TRUE: the price during the disruption follows each material's demand "
          "curve at the scenario's shortfall instead of Price multiplier during (a material "
          "with a flat curve keeps the multiplier)."),
)

DEPTH_FIELD = Field("depth", "Depth", "depth", unit="0-1", number_format=_PCT, low=0, high=1,
                    description="Share of China-exposed supply of this material lost during "
                    "the disruption; blank = not disrupted.")

EPISODE_FIELDS = (
    Field("scenario", "Scenario", "scenario name", ValueKind.TEXT,
          description="Scenario on the Scenarios sheet the episode belongs to; its first "
          "episode is the Scenarios row itself."),
    Field("episode", "Episode", "episode number", ValueKind.WHOLE, number_format="0", low=2,
          high=_MO, description="2 for the episode after the scenario's own, then 3, 4, ... "
          "in order."),
    Field("gap_months", "Gap after previous episode", "gap", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=0, high=_MO,
          description="Months from the end of the previous episode to the start of this "
          "one; 0 = it follows at once. A start window moves every episode with the first."),
    Field("duration_months", "Duration", "duration", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=1, high=_MO, description="Length of this episode."),
    Field("hits_allied_supply", "Hits allied supply", "hits allied supply", ValueKind.BOOL,
          number_format='"TRUE";"TRUE";"FALSE"', default=False,
          description="TRUE if this episode's rules also cut exposed allied supply."),
    Field("price_multiplier_during", "Price multiplier during", "price multiplier",
          unit="x", number_format='0.00"x"', low=0, low_open=True, high=MAX_PRICE_MULTIPLIER,
          default=1.0, description="Market price during this episode relative to normal."),
    Field("price_multiplier_after", "Price multiplier after", "price multiplier",
          unit="x", number_format='0.00"x"', low=0, low_open=True, high=MAX_PRICE_MULTIPLIER,
          default=1.0, description="Market price after this episode relative to normal."),
    Field("after_months", "After-price months", "after-price months", ValueKind.WHOLE,
          unit="months", number_format=_MONTHS, low=0, high=_MO, default=0,
          description="How long the after-price of this episode lasts."),
)
"""Columns of the Episodes sheet before its ``Depth: <material>`` columns."""

EPISODE_DEPTH_FIELD = Field("depth", "Depth", "depth", unit="0-1", number_format=_PCT, low=0,
                            high=1, description="Share of China-exposed supply of this "
                            "material lost during this episode; blank = not disrupted.")

SERIES_FIELDS = (
    Field("material", "Material", "material", ValueKind.TEXT,
          description="Material on the Materials sheet."),
    Field("year", "Year", "year", ValueKind.WHOLE, number_format="0",
          description="Calendar year; the first row of a material is the first plan year."),
    Field("domestic_supply_t_per_yr", "Domestic supply", "domestic supply", unit="t/yr",
          number_format=_T, low=0, high=_Q, description="US supply without any new project; "
          "the last year repeats to the horizon."),
    Field("allied_supply_t_per_yr", "Allied supply", "allied supply", unit="t/yr",
          number_format=_T, low=0, high=_Q, description="Non-China imports available; "
          "the last year repeats to the horizon."),
)

SERIES_DEMAND = Field("demand", "Demand", "demand", unit="t/yr, computed", number_format=_T,
                      description="Demand grown from the Materials sheet; shown, not read.")

FLOOR_FIELDS = (
    Field("material", "Material", "material", ValueKind.TEXT,
          description="Material on the Materials sheet."),
    Field("level", "Floor level", "floor level", unit="$/kg", number_format=_USD_KG, low=0,
          high=_P,
          description="A candidate price floor; list 0 to allow no floor. A material with no "
          "rows chooses among no floor and its projects' unit costs."),
)

SOURCE_FIELDS = (
    Field("path", "Path", "path", ValueKind.TEXT,
          description="Which value: table/name/field, e.g. materials/NdPr oxide/price_usd_per_kg."),
    Field("kind", "Kind", "kind", ValueKind.CHOICE,
          choices=("article", "public figure", "derived", "assumption", "user"),
          description="article, public figure, derived, assumption or user."),
    Field("reference", "Reference", "reference", ValueKind.TEXT, default="",
          description="Short name of the document."),
    Field("detail", "Detail", "detail", ValueKind.TEXT, default="",
          description="What exactly was taken, or the rationale of an assumption."),
)
SOURCE_CELL_COLUMN = "Cell"

SETTING_FIELDS = (
    Field("name", "Plan name", "plan name", ValueKind.TEXT, default="",
          description="Name of this scenario workbook's plan."),
    Field("notes", "Notes", "notes", ValueKind.TEXT, default="",
          description="Free text kept with the plan."),
    Field("start_year", "Start year", "start year", ValueKind.WHOLE, number_format="0",
          low=MIN_START_YEAR, high=MAX_START_YEAR,
          description="Calendar year of plan month 0 (January)."),
    Field("horizon_months", "Horizon", "horizon", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=2, high=MAX_HORIZON_MONTHS,
          description="Number of monthly periods planned."),
    Field("annual_budget_usd", "Annual purchase budget", "annual budget", unit="$/yr",
          number_format=_USD, low=0, high=_M,
          description="Most spent on reserve purchases in one plan year, at normal prices."),
    Field("total_budget_usd", "Total purchase budget", "total budget",
          ValueKind.OPTIONAL_NUMBER, unit="$", number_format=_USD, low=0, high=_M,
          description="Most spent on purchases over the horizon; blank = no cap."),
    Field("tariff_share", "Tariff on Chinese imports", "tariff", unit="share of value",
          number_format="0%", low=0, high=10,
          description="Additional US tariff; 100% doubles the landed price."),
    Field("tariff_price_passthrough", "Tariff pass-through", "share", unit="0-1",
          number_format=_PCT, low=0, high=1,
          description="Share of the tariff on China-exposed supply that reaches US prices."),
    Field("tariff_input_cost_share", "Tariffed input share", "share", unit="0-1",
          number_format=_PCT, low=0, high=1,
          description="Share of a project's unit cost spent on tariffed inputs."),
    Field("min_cover_days", "Minimum cover", "cover", unit="days", number_format="0.0",
          low=0, high=3650,
          description="Minimum reserve in days of net imports; 0 for none."),
    Field("min_cover_by_month", "Minimum cover by", "cover month", ValueKind.WHOLE,
          unit="month", number_format=_MONTHS, low=0, high=_MO,
          description="Month by which the minimum cover must be reached."),
    Field("risk_aversion", "Risk aversion", "risk aversion", unit="weight",
          number_format="0.00", low=0, high=MAX_RISK_AVERSION,
          description="Weight of CVaR of scenario cost on top of the expectation."),
    Field("cvar_level", "CVaR level", "CVaR level", unit="0-1", number_format=_PCT, low=0,
          high=1, high_open=True,
          description="CVaR confidence level: the mean of the worst 1 - level of outcomes."),
    Field("discount_rate_per_yr", "Discount rate", "discount rate", unit="per yr",
          number_format=_PCT, low=-0.5, high=1, low_open=True,
          description="Real discount rate."),
    Field("salvage_share", "Salvage share", "share", unit="0-1", number_format=_PCT, low=0,
          high=1, description="Value of stock left at the horizon, share of normal price."),
    Field("floor_upside_share", "Floor upside share", "share", unit="0-1",
          number_format=_PCT, low=0, high=1,
          description="Share of market price above the floor returned to the government."),
    Field("release_lag_months", "Release decision lag", "release lag", ValueKind.WHOLE,
          unit="months", number_format=_MONTHS, low=0, high=24, default=0,
          description="Months from a disruption's start to the first release (deciding and "
          "authorising a drawdown)."),
    Field("start_step_months", "Start step", "start step", ValueKind.WHOLE, unit="months",
          number_format=_MONTHS, low=1, high=12, default=3,
          description="Spacing of the start months solved for a scenario with a start window "
          "or hazard: 1 = every month, 3 = quarterly."),
    Field("price_half_life_yr", "Price shock half-life", "half-life", unit="years",
          number_format="0.0", low=0, high=100, default=0.0,
          description="Price uncertainty grows from today with this half-life of shocks; "
          "0 = the same volatility in every month."),
)

VARIANT_FIELDS = (
    Field("variant", "Variant", "variant name", ValueKind.TEXT,
          description="Name of the variant; its rows are together, one per input it changes."),
    Field("note", "Note", "note", ValueKind.TEXT, default="",
          description="What the variant stands for (on its first row)."),
    Field("path", "Path", "field path", ValueKind.TEXT, default="",
          description="Which input: table/name/field as on the Sources sheet, e.g. "
          "policy/tariff_share; blank for a variant that changes nothing."),
    Field("input", "Input", "input", ValueKind.TEXT, default="",
          description="The input in words (for reading; the Path is what is read)."),
    Field("value", "Value", "value", ValueKind.TEXT, default="",
          description="The variant's value, in the unit of the main sheets (a share as a "
          "percentage); a list or table as JSON text."),
    Field("unit", "Unit", "unit", ValueKind.TEXT, default="",
          description="Unit of the value (for reading)."),
    Field("main_value", "Main scenario value", "main scenario value", ValueKind.TEXT,
          default="", description="The value in the main scenario when saved (for reading)."),
    Field("source_kind", "Source kind", "source kind", ValueKind.CHOICE, default="",
          choices=("article", "public figure", "derived", "assumption", "user"),
          description="Where the variant's value comes from; blank means user."),
    Field("reference", "Reference", "reference", ValueKind.TEXT, default="",
          description="Document the value comes from: title and link."),
    Field("detail", "Detail", "detail", ValueKind.TEXT, default="",
          description="What exactly was taken, or the rationale of an assumption."),
)

SETTINGS_HEADERS = ("Setting", "Value", "Unit", "Description", "Source")
METADATA_HEADERS = ("Key", "Value")
SCHEMA_VERSION_KEY = "Schema version"
PROGRAM_VERSION_KEY = "Program version"
FORMAT_KEY = "Format"
KIND_KEY = "Workbook"

SHEET_PURPOSE = {
    SETTINGS: "Plan name, horizon, budget, tariff and risk settings: one row each.",
    MATERIALS: "One row per material: demand, prices, costs and limits.",
    PROJECTS: "One row per domestic or allied supply project a price floor can support.",
    SCENARIOS: "One row per disruption scenario; probabilities add up to 1.",
    EPISODES: "Later episodes of a scenario (an embargo two years after a licensing shock), "
              "one row each, numbered 2, 3, ... per scenario; optional.",
    SERIES: "Domestic and allied supply per material and year; demand shown for reference.",
    FLOORS: "Optional candidate floor levels per material.",
    CONTRACTED_FLOORS: "Price floors already agreed (the status quo), one row each.",
    SOURCES: "Where every default number comes from; edit here to change a source.",
    METADATA: "Schema and program version; do not edit.",
}


def norm(text: str) -> str:
    """Heading or key text compared loosely: case, dashes and runs of spaces ignored."""
    return " ".join(text.replace("\u2013", "-").replace("\u2014", "-").casefold().split())


MATERIAL_SOURCE_ITEMS = tuple((f.name, f.title) for f in MATERIAL_FIELDS[1:])
PROJECT_SOURCE_ITEMS = tuple((f.name, f.title) for f in PROJECT_FIELDS[3:])
CONTRACTED_FLOOR_SOURCE_ITEMS = tuple((f.name, f.title) for f in CONTRACTED_FLOOR_FIELDS[3:8])
SCENARIO_SOURCE_ITEMS = (*((f.name, f.title) for f in SCENARIO_FIELDS[2:]), ("depth", "Depth"))
EPISODE_SOURCE_ITEMS = (("later_episodes", "Episodes"),)
"""The sources of a scenario's later episodes, one path for them all, shown on its first
Episodes row."""
SERIES_SOURCE_ITEMS = (("domestic_supply_t_per_yr", "Domestic supply"),
                       ("allied_supply_t_per_yr", "Allied supply"))
FLOORS_SOURCE_PATH = "policy/floor_candidates_usd_per_kg"


def row_sources_text(sources: Mapping[str, Source], prefix: str,
                     items: tuple[tuple[str, str], ...]) -> str:
    """The Sources cell of one table row: ``"Price: public figure: ..."`` per sourced field,
    one per line. ``prefix`` is the row's path, e.g. ``"materials/NdPr oxide"``."""
    lines = []
    for name, title in items:
        source = sources.get(f"{prefix}/{name}")
        if source is not None:
            lines.append(f"{title}: {source.label()}")
    return "\n".join(lines)
