"""Scenario families and how their lines look: one colour per family, one line style per
member, and short labels for legends and axes.

"Full embargo, 6 months, from 2028" and "Full embargo, 24 months, from 2034" are members of
the family "Full embargo" (the name up to its first comma). The no-disruption family is grey,
full embargoes vermillion, other families take the next colour of the cycle.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import PlanInputs
from ..model.adjustments import is_calm, is_full_embargo
from .style import MEMBER_STYLES, Theme


def scenario_family(name: str) -> str:
    """Scenarios named "Full embargo, 6 months, from 2028" group as "Full embargo"."""
    return name.split(",")[0].strip()


def short_label(name: str, width: int = 24) -> str:
    """A chart label for a scenario or cost term: no parentheses, common words shortened,
    at most ``width`` characters (an ellipsis marks a cut)."""
    text = re.sub(r"\s*\([^)]*\)", "", name).strip()
    text = text.replace("Full embargo", "Embargo").replace(" months", " mo")
    text = text.replace(", from ", ", ")
    return text if len(text) <= width else text[: width - 1].rstrip(" ,") + "…"


def scenario_kinds(inputs: PlanInputs) -> dict[str, str]:
    """Each scenario's kind, "calm", "embargo" or "other", from its definition."""
    kinds = {}
    for s in inputs.scenarios:
        if is_calm(s):
            kinds[s.name] = "calm"
        elif is_full_embargo(s, inputs.material_names):
            kinds[s.name] = "embargo"
        else:
            kinds[s.name] = "other"
    return kinds


def kinds_from_names(names: Iterable[str]) -> dict[str, str]:
    """Each scenario's kind guessed from its name alone (when only a result is at hand):
    "embargo" in the name, "no disruption" or "calm" as its family, else "other"."""
    kinds = {}
    for name in names:
        fam = scenario_family(name).lower()
        if "embargo" in name.lower():
            kinds[name] = "embargo"
        elif fam in ("no disruption", "calm", "baseline", "none"):
            kinds[name] = "calm"
        else:
            kinds[name] = "other"
    return kinds


def _kinds(source: PlanInputs | dict[str, str]) -> dict[str, str]:
    return scenario_kinds(source) if isinstance(source, PlanInputs) else dict(source)


def family_colours(source: PlanInputs | dict[str, str], theme: Theme) -> dict[str, str]:
    """A colour per scenario family, in scenario order: calm grey, embargoes vermillion,
    others cycled (the cycle repeats for as many families as there are).

    ``source`` is the inputs, or a {scenario name: kind} mapping (:func:`kinds_from_names`).
    """
    colours: dict[str, str] = {}
    cycle = itertools.cycle(theme.series["cycle"])
    for name, kind in _kinds(source).items():
        fam = scenario_family(name)
        if fam in colours:
            continue
        if kind == "calm":
            colours[fam] = theme.series["calm"]
        elif kind == "embargo":
            colours[fam] = theme.series["embargo"]
        else:
            colours[fam] = next(cycle)
    return colours


@dataclass(frozen=True)
class ScenarioStyle:
    """How one scenario's line looks."""

    name: str
    family: str
    colour: str
    linestyle: object  # a matplotlib line style: "-" or (offset, (on, off, ...))
    member: int  # its place in the family, from 0


def scenario_styles(names: Sequence[str], source: PlanInputs | dict[str, str] | None,
                    theme: Theme) -> dict[str, ScenarioStyle]:
    """A style per scenario name: the family's colour, and the ``n``-th member of a family
    the ``n``-th of :data:`~.style.MEMBER_STYLES` (repeating after ten members).

    ``source`` as for :func:`family_colours`; None guesses kinds from the names.
    """
    kinds = _kinds(source) if source is not None else kinds_from_names(names)
    for name in names:
        kinds.setdefault(name, "other")
    colours = family_colours({n: kinds[n] for n in names}, theme)
    seen: dict[str, int] = {}
    styles = {}
    for name in names:
        fam = scenario_family(name)
        k = seen.get(fam, 0)
        seen[fam] = k + 1
        styles[name] = ScenarioStyle(name, fam, colours[fam],
                                     MEMBER_STYLES[k % len(MEMBER_STYLES)], k)
    return styles
