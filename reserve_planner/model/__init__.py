"""Qt-free, solver-free domain model: frozen dataclasses describing one plan's inputs."""

from .inputs import (
    Component,
    ContractedFloor,
    DemandCurve,
    DisruptionScenario,
    Episode,
    LaterEpisode,
    Material,
    PlanInputs,
    Policy,
    Problem,
    ProjectKind,
    SupplyProject,
)
from .serialize import SCHEMA_VERSION, InputFormatError, inputs_from_dict, inputs_to_dict
from .sources import USER_EDIT, Source, SourceKind, field_path

__all__ = [
    "Component",
    "ContractedFloor",
    "DemandCurve",
    "SCHEMA_VERSION",
    "USER_EDIT",
    "DisruptionScenario",
    "Episode",
    "LaterEpisode",
    "InputFormatError",
    "Material",
    "PlanInputs",
    "Policy",
    "Problem",
    "ProjectKind",
    "Source",
    "SourceKind",
    "SupplyProject",
    "field_path",
    "inputs_from_dict",
    "inputs_to_dict",
]
