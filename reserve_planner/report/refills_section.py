"""Report blocks on purchases that adapt to what has happened: the calm-path schedule and,
per scenario, what it buys of its own after its first episode began (refills for a later
episode; docs/model.md, "Decisions") and its emergency spot purchases.

Figures are per input scenario: a scenario with a start window shows the probability-
weighted mean over its start months (:meth:`PlanResult.by_input_scenario`).
"""

from __future__ import annotations

import numpy as np

from ..optimize import PlanResult
from . import formatting as fmt
from .document import Block, Cell, Paragraph, Table

#: Tonnes below which a scenario's own purchases are taken as none [t].
NEGLIGIBLE_T = 0.05


def _months(result: PlanResult, path: np.ndarray) -> str:
    """"2029-03 to 2029-11": the first and last month with a purchase, or one month."""
    months = np.nonzero(path.sum(axis=0) > 1e-9)[0]
    if not len(months):
        return ""
    first, last = (fmt.month_words(result.start_year, int(m)) for m in (months[0], months[-1]))
    return first if first == last else f"{first} to {last}"


def refill_blocks(result: PlanResult) -> list[Block]:
    """The calm path in words, a table of each input scenario's refills [t of each
    material] where it has any, and the expected emergency spot purchases in a sentence."""
    names = result.material_names
    rows = []
    for s in result.by_input_scenario().scenarios:
        if s.refill_t is None or s.refill_t.sum() <= NEGLIGIBLE_T:
            continue
        rows.append((Cell(s.name, note=_months(result, s.refill_t)), Cell(fmt.probability(
            s.probability)), *(Cell(fmt.tonnes(v) if v > NEGLIGIBLE_T else "\u2013")
                                for v in s.refill_t.sum(axis=1))))
    blocks: list[Block] = [Paragraph(
        "The purchase schedule above is the calm path: what to buy each month while nothing "
        "has happened. Every future follows it until its first disruption begins, so no "
        "purchase is timed to a date nobody knows. From then on a future buys on its own: "
        "between episodes it refills the reserve for the next one, at that future's prices "
        "and within the budget, and while a disruption lasts it may buy on the emergency "
        "spot market.")]
    if rows:
        n = len(names)
        name_w, p_w = 34.0, 12.0
        col = (100.0 - name_w - p_w) / max(n, 1)
        blocks.append(Table(
            header=("Scenario", "Probability") + tuple(f"Refill: {m} [t]" for m in names),
            rows=tuple(rows), widths=(name_w, p_w) + (col,) * n,
            align=("left",) + ("right",) * (n + 1),
            caption="Refills between a scenario's episodes, summed over the horizon (months "
                    "of the first and last refill under the name); a scenario with a start "
                    "window shows the mean over its start months."))
    else:
        blocks.append(Paragraph("No scenario refills with this plan: none has a second "
                                "episode the reserve could be refilled for.", "note"))
    prob = np.array([s.probability for s in result.scenarios])
    spot = [(m, float(sum(p * s.spot_t[i].sum() for p, s in zip(prob, result.scenarios,
                                                               strict=True)
                          if s.spot_t is not None)))
            for i, m in enumerate(names)]
    bought = [f"{fmt.tonnes(v)} t of {m}" for m, v in spot if v > NEGLIGIBLE_T]
    if bought:
        blocks.append(Paragraph(
            "Emergency spot purchases while disruptions last, expected over the scenarios: "
            + fmt.join_words(bought) + " (at the scenario's price; the premium over the "
            "normal price is a cost in the table of costs).", "note"))
    return blocks
