"""What a Monte Carlo test of a plan draws: the distributions of disruption episodes.

A path (one simulated future) holds at most one disruption **episode**, as a scenario of
the engine does. Each :class:`EpisodeKind` has the probability that a path's episode is of
that kind (the kinds exclude each other, like the inputs' scenarios; the rest of the paths
are calm). Given its kind, an episode draws its start month (uniform over the kind's start
window, or the first arrival of a yearly hazard inside it), its duration, depth, price
multipliers and whether it reaches allied supply. Project failures are drawn per path from
each project's failure probability, and the log price of every material follows the
engine's mean-reverting process around the episode's multiplier (its volatility scaled by
``price_volatility_scale``).

:func:`spec_around_scenarios` builds the default: one kind per disruption scenario of the
inputs, with ranges around its values (the rationale of each range is in ``source``).
Units as in :mod:`.inputs`: months from the plan start, shares in [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .inputs import DisruptionScenario, LaterEpisode, PlanInputs, Problem
from .start_windows import start_window

#: Half-width of a default start window [months]. China took three export-control actions
#: within 11 months (Dec 2024 MOFCOM No. 46 on gallium, germanium and antimony; Apr 2025
#: No. 18 on heavy rare earths and magnets; Oct 2025 Nos. 57 and 61): the timing of the
#: next one is not known to better than about a year either way.
WINDOW_HALF_WIDTH_MONTHS = 12
#: Default spread of a scenario's duration, depth and price multipliers: +-50% of the
#: duration, depth scaled by 0.8-1.2, multipliers' excess over 1 scaled by 0.75-1.25
#: (assumption: the baseline's values are point estimates of uncertain quantities; the
#: spreads are wide enough to matter and keep every draw inside the values' ranges).
DURATION_SPREAD = 0.5
DEPTH_SCALE = (0.8, 1.2)
MULTIPLIER_SCALE = (0.75, 1.25)
SPEC_SOURCE = (
    "Ranges around the scenarios of the inputs (assumption): each scenario keeps its "
    "probability; its start follows the scenario's start window or hazard, or for a "
    "start known to the month is uniform within +-12 months of it (China took "
    "three export-control actions within 11 months in 2024-25 - MOFCOM No. 46 of Dec "
    "2024, No. 18 of Apr 2025, Nos. 57 and 61 of Oct 2025, https://hklaw.com/en/insights/"
    "publications/2025/04/china-imposes-export-controls-on-medium-and-heavy-rare-earth-"
    "materials - so the date of the next one is not known to the month); durations +-50%, "
    "depths x0.8-1.2, the price multipliers' excess over 1 x0.75-1.25.")


@dataclass(frozen=True)
class EpisodeKind:
    """One kind of disruption episode and the distributions of its draws.

    Attributes
    ----------
    name : str
        What the kind stands for.
    probability : float
        Chance that a path's episode is of this kind [0-1]; the kinds' probabilities add
        up to at most 1, the rest of the paths are calm.
    earliest_month, latest_month : int
        Start window, inclusive [months].
    duration_months : tuple of (int, int)
        Duration, uniform over the whole months low..high inclusive [months].
    depth_by_material : tuple of (str, float)
        Share of China-exposed supply lost while the episode lasts, per material [0-1]; a
        material left out is not cut.
    depth_scale : tuple of (float, float)
        Uniform factor on every depth of an episode (one draw per episode); the product is
        clipped to [0, 1] [-].
    price_multiplier_during, price_multiplier_after : tuple of (float, float)
        Price relative to normal while the episode lasts and for ``after_months`` after
        it, each uniform over low..high [-].
    after_months : int
        How long the after-price lasts [months].
    hits_allied_probability : float
        Chance that an episode also cuts the exposed share of allied supply
        (extraterritorial rules) [0-1].
    price_from_curve : bool
        Whether prices during an episode follow each material's demand curve at the
        episode's shortfall (as :attr:`DisruptionScenario.price_from_curve`) instead of the
        drawn multiplier.
    start_hazard_per_yr : float
        0: the start is uniform over the window. Above 0: the start is the first arrival
        of a Poisson process of this yearly rate from ``earliest_month``, given that it
        falls inside the window (a truncated exponential: early months more likely) [1/yr].
    source : str
        Where the numbers come from, or the assumption and its rationale.
    later_episodes : tuple of LaterEpisode
        Episodes that may follow the drawn one, each timed from the end of the one before
        (as :attr:`DisruptionScenario.later_episodes`); empty for a single episode.
    later_probability : float
        Chance that a path of this kind goes on to its later episodes, one draw per path:
        the number of episodes is 1 or 1 + len(later_episodes) [0-1].
    """

    name: str
    probability: float
    earliest_month: int
    latest_month: int
    duration_months: tuple[int, int]
    depth_by_material: tuple[tuple[str, float], ...]
    depth_scale: tuple[float, float] = (1.0, 1.0)
    price_multiplier_during: tuple[float, float] = (1.0, 1.0)
    price_multiplier_after: tuple[float, float] = (1.0, 1.0)
    after_months: int = 0
    hits_allied_probability: float = 0.0
    start_hazard_per_yr: float = 0.0
    source: str = ""
    price_from_curve: bool = False
    later_episodes: tuple[LaterEpisode, ...] = ()
    later_probability: float = 1.0

    def depth(self, material: str) -> float:
        """Base depth of ``material`` [0-1]; 0 if the kind does not cut it."""
        return dict(self.depth_by_material).get(material, 0.0)


@dataclass(frozen=True)
class MonteCarloSpec:
    """The distributions a Monte Carlo test draws from.

    Attributes
    ----------
    kinds : tuple of EpisodeKind
        The kinds of disruption; a path starts at most one, and goes on to its kind's
        later episodes with the kind's ``later_probability``.
    project_failures : bool
        Draw whether each project fails (its ``failure_probability``) in each path; False
        gives every project its expected output, as the optimisation does.
    price_volatility_scale : float
        Factor on every material's ``price_log_volatility`` for the price paths [-]; 0
        prices every month at the episode's multiplier exactly.
    source : str
        Where the distributions come from, in words.
    """

    kinds: tuple[EpisodeKind, ...]
    project_failures: bool = True
    price_volatility_scale: float = 1.0
    source: str = ""

    @property
    def calm_probability(self) -> float:
        """Chance that a path has no episode [0-1]."""
        return max(0.0, 1.0 - sum(k.probability for k in self.kinds))

    def validate(self, inputs: PlanInputs) -> list[Problem]:
        """Every problem of this spec for ``inputs``; empty when it can be simulated."""
        out: list[Problem] = []
        T = inputs.policy.horizon_months
        names = set(inputs.material_names)
        if not (math.isfinite(self.price_volatility_scale) and self.price_volatility_scale >= 0):
            out.append(Problem("price_volatility_scale", self.price_volatility_scale,
                               "must be a number >= 0"))
        total = sum(k.probability for k in self.kinds)
        if total > 1 + 1e-9:
            out.append(Problem("kinds.probability", round(total, 6),
                               "the kinds' probabilities add up to more than 1"))
        for i, k in enumerate(self.kinds):
            where = f"kinds[{i}] ({k.name})"

            def bad(field: str, value: object, message: str, where: str = where) -> None:
                out.append(Problem(f"{where}.{field}", value, message))

            if not (math.isfinite(k.probability) and 0 <= k.probability <= 1):
                bad("probability", k.probability, "must be in [0, 1]")
            if not 0 <= k.earliest_month <= k.latest_month < T:
                bad("earliest_month..latest_month", (k.earliest_month, k.latest_month),
                    f"need 0 <= earliest <= latest < horizon ({T} months)")
            lo, hi = k.duration_months
            if not 1 <= lo <= hi:
                bad("duration_months", k.duration_months, "need 1 <= low <= high")
            for field, (a, b), floor in (("depth_scale", k.depth_scale, 0.0),
                                         ("price_multiplier_during",
                                          k.price_multiplier_during, 1e-9),
                                         ("price_multiplier_after",
                                          k.price_multiplier_after, 1e-9)):
                if not (math.isfinite(a) and math.isfinite(b) and floor <= a <= b):
                    bad(field, (a, b), f"need {floor:g} <= low <= high")
            if k.after_months < 0:
                bad("after_months", k.after_months, "must be >= 0")
            if not 0 <= k.hits_allied_probability <= 1:
                bad("hits_allied_probability", k.hits_allied_probability, "must be in [0, 1]")
            if not (math.isfinite(k.start_hazard_per_yr) and k.start_hazard_per_yr >= 0):
                bad("start_hazard_per_yr", k.start_hazard_per_yr, "must be a number >= 0")
            if not (math.isfinite(k.later_probability) and 0 <= k.later_probability <= 1):
                bad("later_probability", k.later_probability, "must be in [0, 1]")
            for j, e in enumerate(k.later_episodes, start=2):
                if e.gap_months < 0 or e.duration_months < 1:
                    bad(f"later_episodes[{j}]", (e.gap_months, e.duration_months),
                        "need a gap >= 0 and a duration >= 1 month")
                for m, d in e.depth_by_material:
                    if m not in names or not 0 <= d <= 1:
                        bad(f"later_episodes[{j}].depth_by_material[{m}]", d,
                            "needs a material of the inputs and a depth in [0, 1]")
            for m, d in k.depth_by_material:
                if m not in names:
                    bad("depth_by_material", m, "no such material in the inputs")
                elif not 0 <= d <= 1:
                    bad(f"depth_by_material[{m}]", d, "must be in [0, 1]")
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the ``--spec FILE.json`` format)."""
        return {"kinds": [{**k.__dict__, "duration_months": list(k.duration_months),
                           "depth_by_material": dict(k.depth_by_material),
                           "depth_scale": list(k.depth_scale),
                           "price_multiplier_during": list(k.price_multiplier_during),
                           "price_multiplier_after": list(k.price_multiplier_after),
                           "later_episodes": [
                               {**e.__dict__, "depth_by_material": dict(e.depth_by_material)}
                               for e in k.later_episodes]}
                          for k in self.kinds],
                "project_failures": self.project_failures,
                "price_volatility_scale": self.price_volatility_scale,
                "source": self.source}


def _pair(value: Any, field: str, cast) -> tuple:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise ValueError(f"{field}: expected [low, high] (got {value!r})")
    return tuple(cast(v) for v in value)


def spec_from_dict(data: Any) -> MonteCarloSpec:
    """The spec of a :meth:`MonteCarloSpec.to_dict` dict; ValueError naming the field when
    the shape is wrong (values are checked by :meth:`MonteCarloSpec.validate`)."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), list):
        raise ValueError("a Monte Carlo spec is an object with a list 'kinds'")
    kinds = []
    for i, k in enumerate(data["kinds"]):
        where = f"kinds[{i}]"
        if not isinstance(k, dict):
            raise ValueError(f"{where}: expected an object")
        try:
            kinds.append(EpisodeKind(
                name=str(k["name"]), probability=float(k["probability"]),
                earliest_month=int(k["earliest_month"]), latest_month=int(k["latest_month"]),
                duration_months=_pair(k["duration_months"], f"{where}.duration_months", int),
                depth_by_material=tuple((str(m), float(v))
                                        for m, v in dict(k["depth_by_material"]).items()),
                depth_scale=_pair(k.get("depth_scale", [1, 1]), f"{where}.depth_scale",
                                  float),
                price_multiplier_during=_pair(k.get("price_multiplier_during", [1, 1]),
                                              f"{where}.price_multiplier_during", float),
                price_multiplier_after=_pair(k.get("price_multiplier_after", [1, 1]),
                                             f"{where}.price_multiplier_after", float),
                after_months=int(k.get("after_months", 0)),
                hits_allied_probability=float(k.get("hits_allied_probability", 0.0)),
                start_hazard_per_yr=float(k.get("start_hazard_per_yr", 0.0)),
                source=str(k.get("source", "")),
                price_from_curve=bool(k.get("price_from_curve", False)),
                later_episodes=tuple(
                    LaterEpisode(**{**e, "depth_by_material": tuple(
                        (str(m), float(v)) for m, v in dict(e["depth_by_material"]).items())})
                    for e in k.get("later_episodes") or ()),
                later_probability=float(k.get("later_probability", 1.0))))
        except KeyError as exc:
            raise ValueError(f"{where}: missing {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
    return MonteCarloSpec(kinds=tuple(kinds),
                          project_failures=bool(data.get("project_failures", True)),
                          price_volatility_scale=float(data.get("price_volatility_scale", 1.0)),
                          source=str(data.get("source", "")))


def _is_calm(s: DisruptionScenario) -> bool:
    return s.duration_months <= 0 or (
        all(d <= 0 for _, d in s.depth_by_material) and s.price_multiplier_during == 1.0
        and (s.after_months == 0 or s.price_multiplier_after == 1.0))


def _scaled(multiplier: float) -> tuple[float, float]:
    lo, hi = (1.0 + (multiplier - 1.0) * f for f in MULTIPLIER_SCALE)
    return (min(lo, hi), max(lo, hi))


def _default_start(s: DisruptionScenario, T: int) -> tuple[int, int, float, float, str]:
    """A kind's start distribution from scenario ``s``: (earliest, latest, hazard [1/yr],
    share of the scenario's probability that starts inside the horizon, words). The
    scenario's own window or hazard when it has one (the weights of
    :mod:`.start_windows`: uniform, or the first arrival of the hazard in the window),
    else +-12 months around its stated start."""
    window = start_window(s, T)
    if window is None:
        lo = max(0, min(T - 1, s.start_month - WINDOW_HALF_WIDTH_MONTHS))
        hi = max(0, min(T - 1, s.start_month + WINDOW_HALF_WIDTH_MONTHS))
        return lo, hi, 0.0, 1.0, (f"start uniform within +-{WINDOW_HALF_WIDTH_MONTHS} "
                                  f"months of the stated month {s.start_month}")
    earliest, latest = window
    months = np.arange(earliest, latest + 1)
    weight = np.exp(-s.start_hazard_per_yr * (months - earliest) / 12.0)
    inside = float(weight[months < T].sum() / weight.sum()) if len(months) else 0.0
    lo, hi = max(0, min(T - 1, earliest)), max(0, min(T - 1, latest))
    words = (f"start as the scenario's window, months {earliest}-{latest}"
             + (f", first arrival of a {s.start_hazard_per_yr:g}/yr hazard in it"
                if s.start_hazard_per_yr > 0 else ", uniform")
             + (f"; {1 - inside:.0%} of it falls after the horizon and is calm"
                if inside < 1 else ""))
    return lo, hi, float(s.start_hazard_per_yr), inside, words


def spec_around_scenarios(inputs: PlanInputs) -> MonteCarloSpec:
    """The default spec: one episode kind per disruption scenario of ``inputs``.

    Each scenario keeps its probability; its start follows its own start window or hazard
    (the part of a window beyond the horizon is calm), or, for a start known to the month,
    is uniform within +-12 months of it (inside the horizon); its duration +-50%, its
    depths scaled by 0.8-1.2 (one draw per episode), its price multipliers' excess over 1
    scaled by 0.75-1.25, its later episodes as it states them, and allied supply is hit as
    the scenario says. Calm scenarios (no duration, or no cut and no price change) are the
    paths with no episode.
    """
    T = inputs.policy.horizon_months
    kinds = []
    for s in inputs.scenarios:
        if _is_calm(s) or s.probability <= 0:
            continue
        d_lo = max(1, round(s.duration_months * (1 - DURATION_SPREAD)))
        d_hi = max(d_lo, round(s.duration_months * (1 + DURATION_SPREAD)))
        lo, hi, hazard, inside, words = _default_start(s, T)
        if inside <= 0:
            continue  # every start is after the horizon: a calm path
        kinds.append(EpisodeKind(
            name=s.name, probability=s.probability * inside,
            earliest_month=lo, latest_month=hi, start_hazard_per_yr=hazard,
            duration_months=(d_lo, d_hi),
            depth_by_material=tuple(s.depth_by_material), depth_scale=DEPTH_SCALE,
            price_multiplier_during=_scaled(s.price_multiplier_during),
            price_multiplier_after=_scaled(s.price_multiplier_after),
            after_months=s.after_months,
            hits_allied_probability=1.0 if s.hits_allied_supply else 0.0,
            price_from_curve=bool(getattr(s, "price_from_curve", False)),
            later_episodes=s.later_episodes,
            source=f"Around the scenario '{s.name}' (probability {s.probability:.3g}, "
                   f"{s.duration_months} months; {words}). {s.note}".strip()))
    return MonteCarloSpec(kinds=tuple(kinds), source=SPEC_SOURCE)


def with_kind(spec: MonteCarloSpec, index: int, **changes: Any) -> MonteCarloSpec:
    """``spec`` with kind ``index`` changed (for scripts and tests)."""
    kinds = list(spec.kinds)
    kinds[index] = replace(kinds[index], **changes)
    return replace(spec, kinds=tuple(kinds))
