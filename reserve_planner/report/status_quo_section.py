"""The report section that measures the plan against the status quo.

Rows come from :meth:`PlanResult.comparison_rows`, the one definition the CLI, the results
workbook and the window also use; this module only lays them out.
"""

from __future__ import annotations

import math

from ..optimize import PlanResult
from . import formatting as fmt
from .document import Block, Cell, Figure, Paragraph, Table

#: Printed width of the size-curve figure [mm], the report's text width.
SIZE_CURVE_WIDTH_MM = 165.0


def _value(value: float, unit: str) -> str:
    if unit == "$":
        return fmt.money(value)
    return f"{value:,.1f}x" if math.isfinite(value) else "n/a"


def status_quo_blocks(result: PlanResult) -> list[Block]:
    """Intro, the comparison table, committed projects, near-optimal ranges and the
    payout distribution table (each only when the result holds it)."""
    sq = result.status_quo
    if sq is None:
        return []
    blocks: list[Block] = [Paragraph(
        "Every figure of the plan is measured against the status quo: what is already "
        "committed (contracted price floors, projects committed by contract, public equity "
        "and loans), with no new reserve and no new floor. The status quo's own cost and "
        "fiscal exposure are shown beside the plan's increments.")]
    rows = tuple((Cell(label), Cell(_value(value, unit)), Cell(note))
                 for label, value, unit, note in result.comparison_rows())
    blocks.append(Table(header=("Figure", "Value", "Note"), rows=rows, widths=(40, 16, 44),
                        align=("left", "right", "left"),
                        caption="The plan against the status quo (discounted, expected "
                        "unless noted)."))
    if sq.committed_projects:
        blocks.append(Table(
            header=("Committed project", "Contract"),
            rows=tuple((Cell(name), Cell(contract)) for name, contract in sq.committed_projects),
            widths=(40, 60), align=("left", "left"),
            caption="Projects that come online without a new floor (status quo)."))
    ranges = [m.near_optimal for m in result.materials if m.near_optimal is not None]
    if ranges:
        blocks.append(Table(
            header=("Material", "Near-optimal reserve [t]", "Optimum [t]"),
            rows=tuple((Cell(r.material),
                        Cell(f"{r.low_t:,.0f} to {r.high_t:,.0f}"
                             + (" (purchase limit)" if r.high_is_limit else "")),
                        Cell(f"{r.optimum_t:,.0f}")) for r in ranges),
            widths=(34, 40, 26), align=("left", "right", "right"),
            caption=f"Reserve sizes whose expected cost is within {ranges[0].tolerance:.0%} of "
            "the optimum: the answer is a range, not a tonnage."))
        blocks.append(_size_curve_figure(ranges))
    fe = result.fiscal_exposure
    if fe is not None:
        blocks.append(Table(
            header=("Floor", "Expected", "95th percentile", "Worst run", "Without tariff"),
            rows=tuple((Cell(f.name, note="contracted" if f.contracted else "new"),
                        Cell(fmt.money(f.expected_usd)), Cell(fmt.money(f.p95_usd)),
                        Cell(fmt.money(f.worst_usd)), Cell(fmt.money(f.expected_no_tariff_usd)))
                       for f in fe.floors),
            widths=(36, 16, 16, 16, 16), align=("left", "right", "right", "right", "right"),
            caption=f"Floor payouts over {fe.runs:,} simulated price paths (seed {fe.seed}). "
            f"The tariff lowers expected payouts by {fmt.money(fe.tariff_payout_saving_usd)} "
            f"and costs US buyers {fmt.money(fe.tariff_cost_to_buyers_usd)}."))
    return blocks


def _size_curve_figure(ranges: list) -> Figure:
    from ..charts.size_curve import size_curves_figure
    from ..charts.style import png_bytes

    fig = size_curves_figure(ranges)
    width, height = (int(round(v * fig.dpi)) for v in fig.get_size_inches())
    return Figure(key="size-curves", png=png_bytes(fig), pixel_width=width, pixel_height=height,
                  width_mm=SIZE_CURVE_WIDTH_MM,
                  caption="Extra expected cost of each reserve size over the optimum [$M], "
                  "every other decision re-optimised; the shaded band is the near-optimal "
                  "range, the dashed line the tolerance.")
