"""Break-evens as table-ready rows (headers and strings), for the window, the report and
the results workbook alike."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.breakeven import Breakeven, BreakevenStudy
from ..analysis.groups import GROUP_BY_KEY

HEADERS = ("Material", "Decision", "Base decision", "Input", "Base value",
           "Flips below", "Flips above")


@dataclass(frozen=True)
class Table:
    """A table of plain strings: ``headers`` and ``rows`` of the same length."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _value(b: Breakeven, v: float) -> str:
    g = GROUP_BY_KEY.get(b.group)
    return g.format(v) if g is not None else f"{v:.4g}"


def _side(b: Breakeven, side: str) -> str:
    c = getattr(b, side)
    if c is None:
        lim = b.search_low if side == "below" else b.search_high
        return f"no flip down to {_value(b, lim)}" if side == "below" else \
            f"no flip up to {_value(b, lim)}"
    return f"{c.text} {side} {_value(b, c.value)}"


def breakeven_table(study: BreakevenStudy, only_flips: bool = False) -> Table:
    """One row per decision and input group (only those that flip when ``only_flips``),
    floors before reserves, in material order."""
    order = {k: i for i, k in enumerate(("floor", "reserve"))}
    mats = {m: i for i, m in enumerate(study.base.reserve_t)}
    results = sorted(study.results, key=lambda b: (order.get(b.kind, 9),
                                                   mats.get(b.material, 99)))
    rows = []
    for b in results:
        if only_flips and not b.flips:
            continue
        rows.append((b.material, b.kind, b.base_text, b.label, _value(b, b.base_value),
                     _side(b, "below"), _side(b, "above")))
    return Table(HEADERS, tuple(rows))
