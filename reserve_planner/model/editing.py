"""Row edits of the input tables: add, duplicate, remove and rename. Pure functions, no Qt.

Every function takes a :class:`PlanInputs` and returns a new one, or raises
:class:`EditError` with a sentence a planner can read ("there is already a project named
'X'"). The rules keep the inputs whole:

* names are unique and non-empty within their table;
* scenario probabilities keep adding up to 1: a new scenario takes its probability from the
  *no-disruption* scenario (:func:`is_calm`), a duplicate splits its original's probability in
  half, and a removed scenario gives its probability back to the no-disruption scenario, so
  the last no-disruption scenario cannot be removed;
* a material cannot be removed while projects produce it; a new material is cut by 0 in
  every scenario;
* sources follow their rows (:attr:`PlanInputs.sources` is keyed by
  ``"<table>/<row name>/<field>"``): a renamed row's sources move to the new name, a removed
  row's sources are dropped, every cell of a new row gets :data:`ADDED`, and the sources of
  other rows are kept.

Renaming a material also renames it in the projects that produce it, in the scenarios' cuts
and in the policy's floor candidates.

Scenario names that state their length ("Full embargo, 6 months, from 2028") can follow a
new length with :func:`name_for_duration`; :func:`duration_key` gives the name with the
length taken out, to recognise a scenario after such a rename.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from .inputs import (
    ContractedFloor,
    DisruptionScenario,
    LaterEpisode,
    Material,
    PlanInputs,
    ProjectKind,
    SupplyProject,
)
from .sources import USER_EDIT, Source, SourceKind, field_path

#: The source of every cell of a row the user added or duplicated.
ADDED = Source(SourceKind.USER, "", "added by the user")

_ROW_FIELDS: dict[str, frozenset[str]] = {
    "materials": frozenset(f.name for f in fields(Material)),
    "projects": frozenset(f.name for f in fields(SupplyProject)),
    "scenarios": frozenset({f.name for f in fields(DisruptionScenario)} | {"depth"}),
    "contracted_floors": frozenset(f.name for f in fields(ContractedFloor)),
}
_SOURCED_FIELDS: dict[str, tuple[str, ...]] = {
    "materials": tuple(f.name for f in fields(Material) if f.name != "name"),
    "projects": tuple(f.name for f in fields(SupplyProject)
                      if f.name not in ("name", "material", "kind")),
    "scenarios": ("probability", "start_month", "duration_months", "depth",
                  "hits_allied_supply", "price_multiplier_during", "price_multiplier_after",
                  "after_months"),
}
_NOUNS = {"materials": "material", "projects": "project", "scenarios": "scenario"}


class EditError(ValueError):
    """A row edit that cannot be made; the message says why, in words."""


# --------------------------------------------------------------------------- classification


def is_calm(s: DisruptionScenario) -> bool:
    """A no-disruption scenario: lasts 0 months, or changes neither supply nor price."""
    if s.duration_months == 0:
        return True
    no_cut = all(depth == 0 for _, depth in s.depth_by_material)
    return no_cut and s.price_multiplier_during == 1.0 and s.price_multiplier_after == 1.0


def no_disruption_scenario(inputs: PlanInputs, excluding: Collection[str] = ()) -> int | None:
    """Index of the first no-disruption scenario not named in ``excluding``, or None."""
    return next((i for i, s in enumerate(inputs.scenarios)
                 if is_calm(s) and s.name not in excluding), None)


# --------------------------------------------------------------------------- names


def unique_name(base: str, taken: Collection[str],
                numbered: Callable[[str, int], str] = lambda b, n: f"{b} {n}") -> str:
    """``base`` if it is free, else the first free ``numbered(base, n)`` for n = 2, 3, ...

    >>> unique_name("New project", {"New project"})
    'New project 2'
    """
    if base not in taken:
        return base
    n = 2
    while numbered(base, n) in taken:
        n += 1
    return numbered(base, n)


def _copy_name(name: str, taken: Collection[str]) -> str:
    """"X (copy)", then "X (copy 2)", ... whichever is free."""
    return unique_name(f"{name} (copy)", taken, lambda _b, n: f"{name} (copy {n})")


def _check_name(new: str, others: Collection[str], noun: str) -> str:
    """``new`` without surrounding blanks; raises :class:`EditError` if empty or taken."""
    name = new.strip()
    if not name:
        raise EditError(f"a {noun} needs a name")
    if name in others:
        raise EditError(f"there is already a {noun} named {name!r}")
    return name


def _names(items: Iterable[Any]) -> list[str]:
    return [x.name for x in items]


def _index(items: Sequence[Any], name: str, noun: str) -> int:
    for i, x in enumerate(items):
        if x.name == name:
            return i
    raise EditError(f"there is no {noun} named {name!r}")


_DURATION = re.compile(r"(?<![\w.])(\d+) months?\b")
_CLASH_SUFFIX = re.compile(r" \(\d+\)$")


def _duration_phrase(months: int) -> str:
    return f"{months} month" if months == 1 else f"{months} months"


def name_for_duration(name: str, old_months: int, new_months: int) -> str | None:
    """``name`` saying ``new_months`` where it said ``old_months``, or None if it does not.

    Only a name holding exactly one "N months" (or "1 month") with N the old length is
    changed: ``name_for_duration("Full embargo, 6 months, from 2028", 6, 10)`` is
    ``"Full embargo, 10 months, from 2028"``.
    """
    found = list(_DURATION.finditer(name))
    if len(found) != 1 or int(found[0].group(1)) != old_months:
        return None
    start, end = found[0].span()
    return name[:start] + _duration_phrase(new_months) + name[end:]


def duration_key(name: str) -> str:
    """``name`` with its one stated length (and a trailing " (2)" clash suffix) taken out.

    Two names with the same key differ only in the length they state, as after
    :func:`name_for_duration`.
    """
    found = list(_DURATION.finditer(name))
    if len(found) != 1:
        return name
    start, end = found[0].span()
    return _CLASH_SUFFIX.sub("", name[:start] + "# months" + name[end:])


def without_clashes(names: Sequence[str], renames: Mapping[str, str]) -> dict[str, str]:
    """``renames`` (old -> new, for rows of a table named ``names``) with every new name made
    unique, in table order, by a " (2)", " (3)"... suffix where it would clash."""
    taken = {n for n in names if n not in renames}
    out: dict[str, str] = {}
    for name in names:
        if name in renames:
            new = unique_name(renames[name], taken, lambda b, n: f"{b} ({n})")
            taken.add(new)
            out[name] = new
    return out


# --------------------------------------------------------------------------- sources


def _split_path(path: str, table: str) -> tuple[str, str] | None:
    """(row name, field) of a source path of ``table``, or None for another path."""
    if not path.startswith(table + "/"):
        return None
    row, sep, field = path[len(table) + 1:].rpartition("/")
    if not sep or field not in _ROW_FIELDS[table]:
        return None
    return row, field


def _rekeyed(sources: Mapping[str, Source], table: str,
             renames: Mapping[str, str]) -> dict[str, Source]:
    """``sources`` with the rows of ``table`` renamed old -> new; stale sources that already
    sat under a new name (of no current row) are dropped."""
    targets = set(renames.values())
    out: dict[str, Source] = {}
    for path, source in sources.items():
        split = _split_path(path, table)
        if split is not None and split[0] in renames:
            out[field_path(table, renames[split[0]], split[1])] = source
        elif split is None or split[0] not in targets:
            out[path] = source
    return out


def _dropped(sources: Mapping[str, Source], table: str,
             names: Collection[str]) -> dict[str, Source]:
    """``sources`` without those of the rows of ``table`` named in ``names``."""
    out = {}
    for path, source in sources.items():
        split = _split_path(path, table)
        if split is None or split[0] not in names:
            out[path] = source
    return out


def _with_added(sources: Mapping[str, Source], table: str, name: str) -> dict[str, Source]:
    """``sources`` with every cell of the new row ``name`` of ``table`` marked :data:`ADDED`."""
    out = _dropped(sources, table, {name})
    out.update({field_path(table, name, f): ADDED for f in _SOURCED_FIELDS[table]})
    return out


def _inserted(items: tuple, index: int, item: Any) -> tuple:
    return (*items[:index], item, *items[index:])


# --------------------------------------------------------------------------- projects


def add_project(inputs: PlanInputs, name: str | None = None) -> PlanInputs:
    """``inputs`` with a new project at the end, producing the first material.

    It is named ``name`` or "New project" ("New project 2", ... if taken), starts with no
    capacity (so it changes nothing until filled in), a unit cost at the material's price,
    first output in month 36 after a 12-month ramp, and a 25% chance of failing.
    """
    if not inputs.materials:
        raise EditError("add a material first: a project produces one")
    taken = _names(inputs.projects)
    name = _check_name(name, taken, "project") if name is not None \
        else unique_name("New project", taken)
    material = inputs.materials[0]
    project = SupplyProject(name=name, material=material.name, kind=ProjectKind.DOMESTIC,
                            capacity_t_per_yr=0.0,
                            unit_cost_usd_per_kg=material.price_usd_per_kg,
                            earliest_online_month=36, ramp_up_months=12,
                            failure_probability=0.25, government_equity_usd=0.0)
    return replace(inputs, projects=(*inputs.projects, project),
                   sources=_with_added(inputs.sources, "projects", name))


def duplicate_project(inputs: PlanInputs, name: str, new_name: str | None = None) -> PlanInputs:
    """``inputs`` with a copy of project ``name`` right after it, named "<name> (copy)"."""
    i = _index(inputs.projects, name, "project")
    taken = _names(inputs.projects)
    new = _check_name(new_name, taken, "project") if new_name is not None \
        else _copy_name(name, taken)
    copy = replace(inputs.projects[i], name=new)
    return replace(inputs, projects=_inserted(inputs.projects, i + 1, copy),
                   sources=_with_added(inputs.sources, "projects", new))


def remove_projects(inputs: PlanInputs, names: Collection[str]) -> PlanInputs:
    """``inputs`` without the projects named in ``names``, and without their sources."""
    for name in names:
        _index(inputs.projects, name, "project")
    return _without_contracted_floors(
        replace(inputs, projects=tuple(j for j in inputs.projects if j.name not in names),
                sources=_dropped(inputs.sources, "projects", set(names))),
        {f.name for f in inputs.contracted_floors if f.project in names})


def _without_contracted_floors(inputs: PlanInputs, names: set[str]) -> PlanInputs:
    """``inputs`` without the contracted floors in ``names`` and their sources: a contract
    on output that is no longer in the plan goes with it."""
    if not names:
        return inputs
    return replace(inputs, contracted_floors=tuple(
        f for f in inputs.contracted_floors if f.name not in names),
        sources=_dropped(inputs.sources, "contracted_floors", names))


def rename_project(inputs: PlanInputs, old: str, new: str) -> PlanInputs:
    """``inputs`` with project ``old`` called ``new`` (its sources follow)."""
    _index(inputs.projects, old, "project")
    new = _check_name(new, [n for n in _names(inputs.projects) if n != old], "project")
    if new == old:
        return inputs
    return replace(inputs, projects=tuple(replace(j, name=new) if j.name == old else j
                                          for j in inputs.projects),
                   contracted_floors=tuple(replace(f, project=new) if f.project == old else f
                                           for f in inputs.contracted_floors),
                   sources=_rekeyed(inputs.sources, "projects", {old: new}))


# --------------------------------------------------------------------------- scenarios


def add_scenario(inputs: PlanInputs, name: str | None = None,
                 probability: float = 0.0) -> PlanInputs:
    """``inputs`` with a new disruption scenario at the end, taking ``probability`` from the
    no-disruption scenario.

    It is named ``name`` or "New scenario", starts in month 12, lasts 6 months, cuts half of
    the China-exposed supply of every material and raises prices by half meanwhile.
    """
    taken = _names(inputs.scenarios)
    name = _check_name(name, taken, "scenario") if name is not None \
        else unique_name("New scenario", taken)
    scenarios = _take_probability(inputs, probability)
    scenario = DisruptionScenario(
        name=name, probability=probability, start_month=12, duration_months=6,
        depth_by_material=tuple((m, 0.5) for m in inputs.material_names),
        price_multiplier_during=1.5, note="Added by the user")
    sources = _with_added(inputs.sources, "scenarios", name)
    _mark_changed(sources, inputs.scenarios, scenarios)
    return replace(inputs, scenarios=(*scenarios, scenario), sources=sources)


def _take_probability(inputs: PlanInputs, probability: float) -> tuple[DisruptionScenario, ...]:
    """The scenarios with ``probability`` taken from the no-disruption scenario."""
    if not (math.isfinite(probability) and 0.0 <= probability <= 1.0):
        raise EditError(f"a probability must be between 0 and 1 (got {probability:g})")
    if probability == 0.0:
        return inputs.scenarios
    k = no_disruption_scenario(inputs)
    if k is None:
        raise EditError("there is no no-disruption scenario to take the probability from")
    calm = inputs.scenarios[k]
    if calm.probability < probability:
        raise EditError(f"the no-disruption scenario {calm.name!r} has only "
                        f"{calm.probability:.3g} to give")
    scen = list(inputs.scenarios)
    scen[k] = replace(calm, probability=max(0.0, calm.probability - probability))
    return tuple(scen)


def _mark_changed(sources: dict[str, Source], before: Sequence[DisruptionScenario],
                  after: Sequence[DisruptionScenario]) -> None:
    """Mark as user edits the probabilities that differ between same-named scenarios."""
    old = {s.name: s.probability for s in before}
    for s in after:
        if s.name in old and s.probability != old[s.name]:
            sources[field_path("scenarios", s.name, "probability")] = USER_EDIT


def duplicate_scenario(inputs: PlanInputs, name: str, new_name: str | None = None) -> PlanInputs:
    """``inputs`` with a copy of scenario ``name`` right after it; the two share its
    probability half and half."""
    i = _index(inputs.scenarios, name, "scenario")
    taken = _names(inputs.scenarios)
    new = _check_name(new_name, taken, "scenario") if new_name is not None \
        else _copy_name(name, taken)
    original = inputs.scenarios[i]
    half = original.probability / 2
    scen = list(inputs.scenarios)
    scen[i] = replace(original, probability=half)
    scen.insert(i + 1, replace(original, name=new, probability=original.probability - half))
    sources = _with_added(inputs.sources, "scenarios", new)
    _mark_changed(sources, inputs.scenarios, scen)
    return replace(inputs, scenarios=tuple(scen), sources=sources)


def remove_scenarios(inputs: PlanInputs, names: Collection[str]) -> PlanInputs:
    """``inputs`` without the scenarios named in ``names``; their probability goes to the
    (first remaining) no-disruption scenario, which therefore cannot itself be removed last.
    """
    for name in names:
        _index(inputs.scenarios, name, "scenario")
    gone = [s for s in inputs.scenarios if s.name in names]
    freed = math.fsum(s.probability for s in gone)
    k = no_disruption_scenario(inputs, excluding=names)
    calm = [s.name for s in gone if is_calm(s)]
    if k is None and calm:
        raise EditError(f"{calm[0]!r} is the no-disruption scenario, which takes up the "
                        "probability the other scenarios leave; it cannot be removed")
    if k is None and freed > 0:
        raise EditError("there is no no-disruption scenario to take its probability")
    scen = list(inputs.scenarios)
    if k is not None and freed > 0:
        scen[k] = replace(scen[k], probability=min(1.0, scen[k].probability + freed))
    kept = tuple(s for s in scen if s.name not in names)
    sources = _dropped(inputs.sources, "scenarios", set(names))
    _mark_changed(sources, inputs.scenarios, kept)
    return replace(inputs, scenarios=kept, sources=sources)


def rename_scenarios(inputs: PlanInputs, renames: Mapping[str, str]) -> PlanInputs:
    """``inputs`` with the scenarios renamed old -> new all at once (names may swap)."""
    cleaned: dict[str, str] = {}
    for old, new in renames.items():
        _index(inputs.scenarios, old, "scenario")
        name = _check_name(new, (), "scenario")
        if name != old:
            cleaned[old] = name
    final = [cleaned.get(n, n) for n in _names(inputs.scenarios)]
    for new in cleaned.values():
        if final.count(new) > 1:
            raise EditError(f"there is already a scenario named {new!r}")
    if not cleaned:
        return inputs
    scen = tuple(replace(s, name=cleaned[s.name]) if s.name in cleaned else s
                 for s in inputs.scenarios)
    return replace(inputs, scenarios=scen,
                   sources=_rekeyed(inputs.sources, "scenarios", cleaned))


def rename_scenario(inputs: PlanInputs, old: str, new: str) -> PlanInputs:
    """``inputs`` with scenario ``old`` called ``new`` (its sources follow)."""
    return rename_scenarios(inputs, {old: new})


# --------------------------------------------------------------------- later episodes

#: Months between the end of a scenario's last episode and an added one, by default: the
#: baseline's escalation follows its licensing shock by two years.
NEW_EPISODE_GAP_MONTHS = 24


def episode_path(scenario: str) -> str:
    """The one source path of all of ``scenario``'s later episodes."""
    return field_path("scenarios", scenario, "later_episodes")


def _with_episodes(inputs: PlanInputs, i: int, episodes: tuple[LaterEpisode, ...]
                   ) -> PlanInputs:
    """``inputs`` with scenario ``i``'s later episodes replaced, marked as the user's."""
    s = inputs.scenarios[i]
    scenarios = list(inputs.scenarios)
    scenarios[i] = replace(s, later_episodes=episodes)
    sources = dict(inputs.sources)
    sources[episode_path(s.name)] = USER_EDIT
    return replace(inputs, scenarios=tuple(scenarios), sources=sources)


def add_later_episode(inputs: PlanInputs, scenario: str) -> PlanInputs:
    """``inputs`` with an episode added after ``scenario``'s last one: the same cut, allied
    hit and prices as its first episode, as long (at least a month), starting
    :data:`NEW_EPISODE_GAP_MONTHS` after the last one ends."""
    i = _index(inputs.scenarios, scenario, "scenario")
    s = inputs.scenarios[i]
    if s.duration_months <= 0:
        raise EditError(f"scenario {scenario!r} has no disruption to follow; give it a "
                        "duration first")
    new = LaterEpisode(
        gap_months=NEW_EPISODE_GAP_MONTHS, duration_months=max(1, s.duration_months),
        depth_by_material=s.depth_by_material, hits_allied_supply=s.hits_allied_supply,
        price_multiplier_during=s.price_multiplier_during,
        price_multiplier_after=s.price_multiplier_after, after_months=s.after_months)
    return _with_episodes(inputs, i, (*s.later_episodes, new))


def _episode(inputs: PlanInputs, scenario: str, number: int) -> tuple[int, int]:
    """(scenario index, index in its later episodes) of episode ``number`` (2, 3, ...)."""
    i = _index(inputs.scenarios, scenario, "scenario")
    count = len(inputs.scenarios[i].later_episodes)
    if not 2 <= number <= count + 1:
        raise EditError(f"scenario {scenario!r} has no episode {number}")
    return i, number - 2


def duplicate_later_episode(inputs: PlanInputs, scenario: str, number: int) -> PlanInputs:
    """``inputs`` with a copy of ``scenario``'s episode ``number`` right after it (the copy
    follows at the same gap; later episodes move back with it)."""
    i, k = _episode(inputs, scenario, number)
    episodes = inputs.scenarios[i].later_episodes
    return _with_episodes(inputs, i, (*episodes[:k + 1], episodes[k], *episodes[k + 1:]))


def remove_later_episodes(inputs: PlanInputs, scenario: str, numbers: Collection[int]
                          ) -> PlanInputs:
    """``inputs`` without ``scenario``'s episodes ``numbers``; those after them are
    renumbered and keep their gaps."""
    places = {_episode(inputs, scenario, n)[1] for n in numbers}
    i = _index(inputs.scenarios, scenario, "scenario")
    kept = tuple(e for k, e in enumerate(inputs.scenarios[i].later_episodes)
                 if k not in places)
    return _with_episodes(inputs, i, kept)


def replace_later_episode(inputs: PlanInputs, scenario: str, number: int,
                          **changes: Any) -> PlanInputs:
    """``inputs`` with fields of ``scenario``'s episode ``number`` changed."""
    i, k = _episode(inputs, scenario, number)
    episodes = list(inputs.scenarios[i].later_episodes)
    episodes[k] = replace(episodes[k], **changes)
    return _with_episodes(inputs, i, tuple(episodes))


# --------------------------------------------------------------------------- materials


def add_material(inputs: PlanInputs, name: str | None = None) -> PlanInputs:
    """``inputs`` with a new material at the end, not cut by any scenario.

    It is named ``name`` or "New material" and starts with no demand, supply, stock or
    costs (so it changes nothing until filled in), at $100/kg with a log volatility of 0.3.
    """
    taken = _names(inputs.materials)
    name = _check_name(name, taken, "material") if name is not None \
        else unique_name("New material", taken)
    material = Material(
        name=name, demand_t_per_yr=0.0, demand_growth_per_yr=0.0,
        domestic_supply_t_per_yr=(0.0,), allied_supply_t_per_yr=(0.0,),
        china_exposed_share=0.0, allied_exposed_share=0.0, price_usd_per_kg=100.0,
        price_log_volatility=0.3, storage_cost_usd_per_t_yr=0.0, shortage_cost_usd_per_kg=0.0,
        purchase_limit_t_per_month=0.0, release_limit_t_per_month=0.0)
    scen = tuple(replace(s, depth_by_material=(*s.depth_by_material, (name, 0.0)))
                 for s in inputs.scenarios)
    return replace(inputs, materials=(*inputs.materials, material), scenarios=scen,
                   sources=_with_added(inputs.sources, "materials", name))


def duplicate_material(inputs: PlanInputs, name: str, new_name: str | None = None) -> PlanInputs:
    """``inputs`` with a copy of material ``name`` right after it, cut like it in every
    scenario and with its floor candidates; no project produces the copy."""
    i = _index(inputs.materials, name, "material")
    taken = _names(inputs.materials)
    new = _check_name(new_name, taken, "material") if new_name is not None \
        else _copy_name(name, taken)
    scen = tuple(replace(s, depth_by_material=_copied_pairs(s.depth_by_material, name, new))
                 for s in inputs.scenarios)
    policy = replace(inputs.policy, floor_candidates_usd_per_kg=_copied_pairs(
        inputs.policy.floor_candidates_usd_per_kg, name, new))
    return replace(inputs, scenarios=scen, policy=policy,
                   materials=_inserted(inputs.materials, i + 1,
                                       replace(inputs.materials[i], name=new)),
                   sources=_with_added(inputs.sources, "materials", new))


def _copied_pairs(pairs: tuple[tuple[str, Any], ...], name: str,
                  new: str) -> tuple[tuple[str, Any], ...]:
    """(name, value) pairs with a (new, value) copy right after the one for ``name``."""
    out: list[tuple[str, Any]] = []
    for key, value in pairs:
        out.append((key, value))
        if key == name:
            out.append((new, value))
    return tuple(out)


def remove_materials(inputs: PlanInputs, names: Collection[str]) -> PlanInputs:
    """``inputs`` without the materials named in ``names``, their cuts, floor candidates and
    sources. Refused while a project produces one of them, or if none would be left."""
    for name in names:
        _index(inputs.materials, name, "material")
    users = [j.name for j in inputs.projects if j.material in names]
    if users:
        listed = ", ".join(repr(n) for n in users)
        it = "it" if len(set(names)) == 1 else "them"
        if len(users) == 1:
            raise EditError(f"project {listed} produces {it}; remove that project or change "
                            "its material first")
        raise EditError(f"projects {listed} produce {it}; remove those projects or change "
                        "their material first")
    if all(m.name in names for m in inputs.materials):
        raise EditError("the plan needs at least one material")
    def kept(pairs):
        return tuple((m, d) for m, d in pairs if m not in names)

    scen = tuple(replace(s, depth_by_material=kept(s.depth_by_material),
                         later_episodes=tuple(replace(e, depth_by_material=kept(
                             e.depth_by_material)) for e in s.later_episodes))
                 for s in inputs.scenarios)
    policy = replace(inputs.policy, floor_candidates_usd_per_kg=tuple(
        (m, v) for m, v in inputs.policy.floor_candidates_usd_per_kg if m not in names))
    return _without_contracted_floors(
        replace(inputs, scenarios=scen, policy=policy,
                materials=tuple(m for m in inputs.materials if m.name not in names),
                sources=_dropped(inputs.sources, "materials", set(names))),
        {f.name for f in inputs.contracted_floors if f.material in names})


def rename_material(inputs: PlanInputs, old: str, new: str) -> PlanInputs:
    """``inputs`` with material ``old`` called ``new`` everywhere: the materials table, the
    projects that produce it, the scenarios' cuts, the floor candidates and the sources."""
    _index(inputs.materials, old, "material")
    new = _check_name(new, [n for n in _names(inputs.materials) if n != old], "material")
    if new == old:
        return inputs

    def renamed_pairs(pairs: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
        return tuple((new if m == old else m, v) for m, v in pairs)

    return replace(
        inputs,
        materials=tuple(replace(m, name=new) if m.name == old else m for m in inputs.materials),
        projects=tuple(replace(j, material=new) if j.material == old else j
                       for j in inputs.projects),
        contracted_floors=tuple(replace(f, material=new) if f.material == old else f
                                for f in inputs.contracted_floors),
        scenarios=tuple(replace(s, depth_by_material=renamed_pairs(s.depth_by_material),
                                later_episodes=tuple(
                                    replace(e, depth_by_material=renamed_pairs(
                                        e.depth_by_material)) for e in s.later_episodes))
                        for s in inputs.scenarios),
        policy=replace(inputs.policy, floor_candidates_usd_per_kg=renamed_pairs(
            inputs.policy.floor_candidates_usd_per_kg)),
        sources=_rekeyed(inputs.sources, "materials", {old: new}))


__all__ = [
    "ADDED",
    "EditError",
    "add_material",
    "add_project",
    "add_scenario",
    "duplicate_material",
    "duplicate_project",
    "duplicate_scenario",
    "duration_key",
    "is_calm",
    "name_for_duration",
    "no_disruption_scenario",
    "remove_materials",
    "remove_projects",
    "remove_scenarios",
    "rename_material",
    "rename_project",
    "rename_scenario",
    "rename_scenarios",
    "unique_name",
    "without_clashes",
]
