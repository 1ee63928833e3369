"""Plain-dict form of :class:`PlanInputs` (JSON-ready), and back.

The dict form is the program's interchange format: the built-in baseline is stored in it,
and the Excel reader produces the same structure. :func:`inputs_from_dict` never raises on
bad data of the right shape; it reports problems via :meth:`PlanInputs.validate`. It raises
:class:`InputFormatError` (listing every problem) when the shape itself is wrong.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, fields
from typing import Any

from .inputs import (
    Component,
    ContractedFloor,
    DemandCurve,
    DisruptionScenario,
    LaterEpisode,
    Material,
    PlanInputs,
    Policy,
    Problem,
    ProjectKind,
    SupplyProject,
)
from .sources import Source, SourceKind

SCHEMA_VERSION = 1


class InputFormatError(ValueError):
    """The data does not have the shape of plan inputs; ``problems`` says where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def source_to_dict(source: Source) -> dict[str, str]:
    return {"kind": source.kind.value, "reference": source.reference, "detail": source.detail}


def source_from_dict(data: dict[str, str]) -> Source:
    return Source(SourceKind(data["kind"]), data.get("reference", ""), data.get("detail", ""))


def inputs_to_dict(inputs: PlanInputs) -> dict[str, Any]:
    """JSON-ready dict of ``inputs`` (tuples become lists, enums their values)."""
    scenarios = []
    for s in inputs.scenarios:
        d = asdict(s)
        d["depth_by_material"] = dict(s.depth_by_material)
        d["later_episodes"] = [dict(asdict(e), depth_by_material=dict(e.depth_by_material))
                               for e in s.later_episodes]
        scenarios.append(d)
    policy = asdict(inputs.policy)
    policy["floor_candidates_usd_per_kg"] = {
        name: list(levels) for name, levels in inputs.policy.floor_candidates_usd_per_kg
    }
    materials = []
    for m in inputs.materials:
        d = asdict(m)
        d["domestic_supply_t_per_yr"] = list(m.domestic_supply_t_per_yr)
        d["allied_supply_t_per_yr"] = list(m.allied_supply_t_per_yr)
        d["demand_curve"] = DemandCurve(m.demand_curve).value
        materials.append(d)
    projects = []
    for j in inputs.projects:
        d = asdict(j)
        d["kind"] = j.kind.value
        projects.append(d)
    return {
        "schema_version": SCHEMA_VERSION,
        "name": inputs.name,
        "notes": inputs.notes,
        "policy": policy,
        "materials": materials,
        "projects": projects,
        "scenarios": scenarios,
        "contracted_floors": [asdict(f) for f in inputs.contracted_floors],
        "components": [asdict(c) for c in inputs.components],
        "sources": {k: source_to_dict(v) for k, v in sorted(inputs.sources.items())},
    }


def _build(cls: type, data: Any, where: str, problems: list[Problem]) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        problems.append(Problem(where, type(data).__name__, "expected a table of fields"))
        return None
    known = {f.name for f in fields(cls)}
    required = {
        f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
    }
    missing = sorted(required - data.keys())
    for name in missing:
        problems.append(Problem(f"{where}/{name}", None, "is missing"))
    return {k: v for k, v in data.items() if k in known} if not missing else None


def inputs_from_dict(data: dict[str, Any]) -> PlanInputs:
    """Build :class:`PlanInputs` from the dict form written by :func:`inputs_to_dict`."""
    problems: list[Problem] = []
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise InputFormatError([Problem("schema_version", version,
                                        f"this program reads schema version {SCHEMA_VERSION}")])
    materials = []
    for i, raw in enumerate(data.get("materials", [])):
        kw = _build(Material, raw, f"materials[{i}]", problems)
        if kw is not None:
            kw["domestic_supply_t_per_yr"] = tuple(kw["domestic_supply_t_per_yr"])
            kw["allied_supply_t_per_yr"] = tuple(kw["allied_supply_t_per_yr"])
            try:
                kw["demand_curve"] = DemandCurve(kw.get("demand_curve", DemandCurve.FLAT))
            except ValueError:
                problems.append(Problem(f"materials[{i}]/demand_curve", kw["demand_curve"],
                                        "must be one of: " + ", ".join(
                                            c.value for c in DemandCurve)))
                continue
            materials.append(Material(**kw))
    projects = []
    for i, raw in enumerate(data.get("projects", [])):
        kw = _build(SupplyProject, raw, f"projects[{i}]", problems)
        if kw is not None:
            try:
                kw["kind"] = ProjectKind(kw["kind"])
            except ValueError:
                problems.append(Problem(f"projects[{i}]/kind", kw["kind"],
                                        "must be 'domestic' or 'allied'"))
                continue
            projects.append(SupplyProject(**kw))
    scenarios = []
    for i, raw in enumerate(data.get("scenarios", [])):
        kw = _build(DisruptionScenario, raw, f"scenarios[{i}]", problems)
        if kw is not None:
            kw["depth_by_material"] = tuple(dict(kw["depth_by_material"]).items())
            episodes = []
            for j, raw_e in enumerate(kw.get("later_episodes") or []):
                ekw = _build(LaterEpisode, raw_e, f"scenarios[{i}]/later_episodes[{j}]",
                             problems)
                if ekw is not None:
                    ekw["depth_by_material"] = tuple(dict(ekw["depth_by_material"]).items())
                    episodes.append(LaterEpisode(**ekw))
            kw["later_episodes"] = tuple(episodes)
            scenarios.append(DisruptionScenario(**kw))
    floors = []
    for i, raw in enumerate(data.get("contracted_floors", [])):
        kw = _build(ContractedFloor, raw, f"contracted_floors[{i}]", problems)
        if kw is not None:
            floors.append(ContractedFloor(**kw))
    components = []
    for i, raw in enumerate(data.get("components", [])):
        kw = _build(Component, raw, f"components[{i}]", problems)
        if kw is not None:
            components.append(Component(**kw))
    kw = _build(Policy, data.get("policy", {}), "policy", problems) or {}
    kw["floor_candidates_usd_per_kg"] = tuple(
        (name, tuple(levels))
        for name, levels in dict(kw.get("floor_candidates_usd_per_kg", {})).items()
    )
    if problems:
        raise InputFormatError(problems)
    sources = {k: source_from_dict(v) for k, v in data.get("sources", {}).items()}
    return PlanInputs(
        name=data.get("name", "Untitled"),
        materials=tuple(materials),
        projects=tuple(projects),
        scenarios=tuple(scenarios),
        policy=Policy(**kw),
        sources=sources,
        notes=data.get("notes", ""),
        contracted_floors=tuple(floors),
        components=tuple(components),
    )
