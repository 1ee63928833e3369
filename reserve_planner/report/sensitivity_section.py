"""The report section "What drives the answer", from a tornado or a whole sensitivity study.

:func:`top_assumptions_sentence` is the sentence on the first page that names the three
input groups that move the plan's objective most (and any floor or reserve decision they
flip). :func:`sensitivity_blocks` is the section: the tornado in words, as charts
(objective, net benefit against the status quo, each material's reserve where it moves)
and as a table; with a :class:`~reserve_planner.analysis.SensitivityStudy` also the
break-evens of every floor and reserve decision (a table and one sentence each), the risk
and budget frontiers with the chosen plan marked, and the reserve size curves of the plan.

The charts are the Qt-free definitions in :mod:`reserve_planner.charts`, drawn at the
report's chart width (:data:`~reserve_planner.report.charts.CHART_WIDTH_MM`) so their
8-point type prints at 8 points, like the report's other figures.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace

from matplotlib.figure import Figure as MplFigure
from matplotlib.text import Text
from PIL import Image

from ..analysis.breakeven import Breakeven, BreakevenStudy
from ..analysis.frontier import Frontier
from ..analysis.groups import GROUP_BY_KEY
from ..analysis.sensitivity import Tornado, TornadoBar
from ..analysis.study import SensitivityStudy
from ..charts.breakeven import breakeven_table
from ..charts.frontier import budget_frontier_figure, risk_frontier_figure
from ..charts.size_curve import size_curves_figure
from ..charts.style import png_bytes
from ..charts.tornado import tornado_figure
from ..optimize import PlanResult
from . import formatting as fmt
from .charts import CHART_WIDTH_MM, FONT_FAMILY
from .document import MAX_FIGURE_WIDTH_MM, Block, Bullets, Cell, Figure, Heading, Paragraph, Table

SECTION_TITLE = "What drives the answer"
#: Input groups shown in the objective and net-benefit tornado charts (the table has all).
CHART_BARS = 8
#: Input groups shown in each material's reserve tornado at most (two fit on a page).
RESERVE_BARS = 6
#: A reserve tornado is drawn for a material when some group moves its reserve by more than
#: this share of the base reserve, and by at least :data:`MIN_RESERVE_SWING_T`.
RESERVE_SWING_SHARE = 0.01
MIN_RESERVE_SWING_T = 0.05  # [t]

Analysis = SensitivityStudy | Tornado
"""What the section is built from: a whole study or just its tornado."""

_WIDTH_MM = min(CHART_WIDTH_MM, MAX_FIGURE_WIDTH_MM)
_WIDTH_IN = _WIDTH_MM / 25.4


def tornado_of(analysis: Analysis) -> Tornado:
    """The tornado of a study, or the tornado itself."""
    return analysis.tornado if isinstance(analysis, SensitivityStudy) else analysis


def _lower(label: str) -> str:
    """A group label inside a sentence: ``"Market prices" -> "market prices"`` (a label
    starting with an acronym, such as ``"CVaR level"``, is kept)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _is_are(label: str) -> str:
    return "are" if label.rstrip().endswith("s") else "is"


def _value(bar: TornadoBar, v: float) -> str:
    return bar.group.format(v)


def _span_words(bar: TornadoBar) -> str:
    """``"$1,200.0M at 0.5x base to $4,405.0M at 1.5x base"``: the objective at each end."""
    lo, hi = bar.low.objective_usd, bar.high.objective_usd
    return (f"{fmt.money(lo)} at {_value(bar, bar.low_value)} to {fmt.money(hi)} at "
            f"{_value(bar, bar.high_value)}")


def _flip_words(bar: TornadoBar) -> list[str]:
    """Each decision that flips at an end of ``bar``, in words."""
    out = []
    for f in bar.flips:
        v = bar.low_value if f.side == "low" else bar.high_value
        out.append(f"with {_lower(bar.label)} at {_value(bar, v)} the plan has "
                   f"{_a(f.text)} for {f.material} instead of {_a(f.base_text)}")
    return out


def _a(decision: str) -> str:
    """``"$110.00/kg floor (...)"`` -> ``"a $110.00/kg floor (...)"``; "no floor" and "a 5 t
    reserve" stay as they are."""
    return f"a {decision}" if decision[:1].isdigit() or decision.startswith("$") else decision


def top_assumptions_sentence(analysis: Analysis, n: int = 3) -> str:
    """The first page's sentence: the ``n`` input groups that move the objective most, by
    how much, and the decisions they flip (only these groups are named)."""
    t = tornado_of(analysis)
    top = [b for b in t.top(n) if math.isfinite(b.swing())]
    if not top:
        return ("What drives the answer could not be measured: no input group was solved "
                "at both of its ends.")
    words = ["one", "two", "three", "four", "five"]
    count = words[len(top) - 1] if len(top) <= len(words) else str(len(top))
    parts = [f"{b.label} ({_span_words(b)})" for b in top]
    one = len(top) == 1
    text = (f"The {count} assumption{'' if one else 's'} that matter{'s' if one else ''} most "
            f"(moving the plan's total expected cost, base {fmt.money(t.base.objective_usd)}, "
            f"the most when each input is set low and high in turn) "
            f"{'are' if len(top) != 1 else 'is'}: {fmt.join_words(parts)}.")
    flips = [w for b in top for w in _flip_words(b)]
    if flips:
        text += " Over these ranges " + "; ".join(flips) + "."
    else:
        text += (f" {'It does' if one else 'None of them'} "
                 f"{'not change' if one else 'changes'} a floor or reserve decision over "
                 f"{'this range' if one else 'these ranges'}: the shape of the plan holds "
                 "and only its size and cost move.")
    return text + f" The section \u201c{SECTION_TITLE}\u201d has the details."


def figure_block(fig: MplFigure, key: str, caption: str, label: str = "") -> Figure:
    """A matplotlib figure from :mod:`reserve_planner.charts` as a report figure: text in the
    report's typeface, PNG bytes, printed at the report's chart width."""
    for text in fig.findobj(Text):
        text.set_fontfamily(FONT_FAMILY)
    png = png_bytes(fig)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    return Figure(key=key, png=png, pixel_width=width, pixel_height=height,
                  width_mm=_WIDTH_MM, caption=caption, label=label)


def _moving_reserves(t: Tornado) -> list[tuple[str, int]]:
    """Materials whose reserve some group moves noticeably, with how many groups do."""
    out = []
    for m in t.materials:
        base = abs(t.base.reserve_t.get(m, 0.0))
        least = max(MIN_RESERVE_SWING_T, RESERVE_SWING_SHARE * base)
        n = sum(1 for b in t.bars if b.swing(f"reserve_t:{m}") > least)
        if n:
            out.append((m, n))
    return out


def _findings(t: Tornado) -> str:
    ranked = [b for b in t.ranked() if math.isfinite(b.swing())]
    if not ranked:
        return "No input group was solved at both ends."
    top = ranked[:3]
    text = (f"{fmt.join_words([b.label for b in top])} move the total expected cost most "
            f"(by {fmt.join_words([fmt.money(b.swing()) for b in top])} between their low and "
            "high values).")
    by_nb = [b for b in t.ranked("net_benefit_usd") if math.isfinite(b.swing("net_benefit_usd"))]
    if by_nb and by_nb[0].key != top[0].key:
        b = by_nb[0]
        text += (f" What the plan saves against the status quo depends most on "
                 f"{_lower(b.label)} (net benefit {fmt.money(b.low.net_benefit_usd)} to "
                 f"{fmt.money(b.high.net_benefit_usd)}).")
    flips = [w for b in ranked for w in _flip_words(b)]
    if flips:
        text += " Decisions that flip: " + "; ".join(flips) + "."
    else:
        text += " No input group flips a floor or reserve decision within its range."
    quiet = [b for b in ranked if b.swing() < 1e-6 * max(abs(t.base.objective_usd), 1.0)]
    if quiet:
        text += (f" {fmt.join_words([b.label for b in quiet])} "
                 f"{'do' if len(quiet) > 1 else 'does'} not move the answer at all over "
                 f"{'their ranges' if len(quiet) > 1 else 'its range'}.")
    return text


def _tornado_table(t: Tornado) -> Table:
    rows = []
    for b in t.ranked():
        flips = "; ".join(f"{f.material} {f.kind}: {f.text} ({f.side})" for f in b.flips)
        rows.append((Cell(b.label, note=b.range_rule if b.range_rule != "+-50%" else ""),
                     Cell(_value(b, b.low_value)), Cell(_value(b, b.high_value)),
                     Cell(fmt.musd(b.low.objective_usd)), Cell(fmt.musd(b.high.objective_usd)),
                     Cell(fmt.musd(b.low.net_benefit_usd)),
                     Cell(fmt.musd(b.high.net_benefit_usd)), Cell(flips or fmt.DASH)))
    return Table(
        header=("Input group", "Low", "High", "Total cost, low [$M]", "Total cost, high [$M]",
                "Net benefit, low [$M]", "Net benefit, high [$M]", "Decisions that flip"),
        rows=tuple(rows), widths=(17, 11, 11, 9.5, 9.5, 9.5, 9.5, 22.5),
        align=("left", "right", "right", "right", "right", "right", "right", "left"),
        caption=f"The tornado in numbers: each input group at its low and high value, "
        f"everything else at the base (total cost at the base "
        f"{fmt.money(t.base.objective_usd)}, net benefit {fmt.money(t.base.net_benefit_usd)}).")


def tornado_blocks(t: Tornado) -> list[Block]:
    """The tornado's intro, findings, charts and table."""
    n_groups = len(t.bars)
    rules = {b.range_rule for b in t.bars}
    how = ("from half to one and a half times its base value" if rules == {"+-50%"} else
           "from its low to its high value (half and one and a half times the base unless "
           "the table notes that the range was given)")
    blocks: list[Block] = [
        Paragraph(f"Each of {n_groups} groups of inputs (all shortage costs together, all "
                  f"disruption probabilities, all market prices, ...) was moved {how}, "
                  "with every other input at its base, and the plan was optimised again. "
                  "The bars show how far each end moves the result from the base plan's."),
        Paragraph(_findings(t)),
    ]
    n_bars = min(CHART_BARS, len(t.bars))
    blocks.append(figure_block(
        tornado_figure(t, "objective_usd", n=n_bars, width_in=_WIDTH_IN), "tornado-objective",
        f"Change in the plan's total expected cost (objective) [$M] with each input group at "
        f"its low and its high value, the {n_bars} largest changes."))
    blocks.append(figure_block(
        tornado_figure(t, "net_benefit_usd", n=n_bars, width_in=_WIDTH_IN),
        "tornado-net-benefit",
        "Change in the plan's net benefit against the status quo (status quo cost less the "
        f"plan's) [$M], the {n_bars} largest changes."))
    blocks.append(_tornado_table(t))
    moving = _moving_reserves(t)
    if moving:
        blocks.append(Heading("What moves the reserve", 2))
        blocks.append(Paragraph(
            "The same re-solved plans, read for each material's reserve: the groups whose "
            "low or high value changes the reserve most (at most "
            f"{RESERVE_BARS} per material)."))
    for m, n in moving:
        k = min(n, RESERVE_BARS)
        blocks.append(figure_block(
            tornado_figure(t, f"reserve_t:{m}", n=k, width_in=_WIDTH_IN),
            f"tornado-reserve-{m}",
            f"Change in the {m} reserve [t] with each input group at its low and high "
            f"value ({'the ' + str(k) + ' largest of the ' if k < n else 'the '}{n} "
            f"group{'s' if n != 1 else ''} that move it)."))
    return blocks


def _clause(b: Breakeven, side: str) -> str:
    c = getattr(b, side)
    g_label = _lower(b.label)
    word = "below" if side == "below" else "above"
    return f"{_a(c.text)} if {g_label} {_is_are(b.label)} {word} {_fmt(b, c.value)}"


def _fmt(b: Breakeven, v: float) -> str:
    g = GROUP_BY_KEY.get(b.group)
    return g.format(v) if g is not None else f"{v:.4g} {b.unit}"


def _held(decision: str) -> str:
    """``"a 87.9 t reserve"`` -> ``"87.9 t"`` (inside "the NdPr oxide reserve (...)");
    other decisions as they are."""
    if decision.startswith("a ") and decision.endswith(" t reserve"):
        return decision[2:-len(" reserve")]
    return decision


def breakeven_sentence(b: Breakeven) -> str:
    """One break-even in words, e.g. ``"The Tb oxide floor ($1,071.00/kg floor (...)) pays
    off if market prices are above 0.622x base."`` or ``"A NdPr oxide floor ($110.00/kg
    floor (...)) pays off if market prices are above 1.72x base."``."""
    none = "no floor" if b.kind == "floor" else "no reserve"
    has = b.base_text != none
    b = replace(b, base_text=_held(b.base_text))
    label, verb = _lower(b.label), _is_are(b.label)
    sides = [s for s in ("below", "above") if getattr(b, s) is not None]
    if not sides:
        return (f"The {b.material} {b.kind} ({b.base_text}) does not change for {label} "
                f"between {_fmt(b, b.search_low)} and {_fmt(b, b.search_high)}.")
    if has and all(getattr(b, s).text == none for s in sides):
        lo = b.below.value if b.below else None
        hi = b.above.value if b.above else None
        if lo is not None and hi is not None:
            where = f"between {_fmt(b, lo)} and {_fmt(b, hi)}"
        elif lo is not None:
            where = f"above {_fmt(b, lo)}"
        else:
            where = f"below {_fmt(b, hi)}"
        rest = {"between": "outside that range", "above": "below it",
                "below": "above it"}[where.split()[0]]
        return (f"The {b.material} {b.kind} ({b.base_text}) pays off only if {label} {verb} "
                f"{where}; {rest} the plan has {none}.")
    if not has:
        parts = [f"{_a(getattr(b, s).text)} pays off if {label} {verb} {s} "
                 f"{_fmt(b, getattr(b, s).value)}" for s in sides]
        return f"The plan has {none} for {b.material}, but " + "; ".join(parts) + "."
    return (f"The {b.material} {b.kind} ({b.base_text}) changes to "
            + "; and to ".join(_clause(b, s) for s in sides) + ".")


def breakeven_blocks(study: BreakevenStudy) -> list[Block]:
    """Every floor and reserve decision against the top input groups: method, one sentence
    per break-even found, the decisions that never flip, and the table."""
    groups = list(dict.fromkeys(b.label for b in study.results))
    blocks: list[Block] = [Paragraph(
        f"For each floor and reserve decision and each of the {len(groups)} input groups "
        f"that move the cost most ({fmt.join_words(groups)}), the value at which the "
        "decision changes was searched for below and above the base, by re-solving the plan "
        "and halving the interval until it is narrower than a thousandth of the search "
        "range. A decision can change more than once within a range; the value given is "
        "one such point.")]
    found = [b for b in study.results if b.flips]
    if found:
        blocks.append(Bullets(tuple(breakeven_sentence(b) for b in found)))
    decisions = list(dict.fromkeys((b.material, b.kind) for b in study.results))
    steady = [(m, k) for m, k in decisions if not any(b.flips for b in study.for_decision(m, k))]
    if steady:
        names = [f"the {m} {k} ({_held(study.for_decision(m, k)[0].base_text)})"
                 for m, k in steady]
        blocks.append(Paragraph(
            f"{fmt.join_words(names)[:1].upper()}{fmt.join_words(names)[1:]} "
            f"{'do' if len(steady) > 1 else 'does'} not change for any of these inputs "
            "within their search ranges."))
    if study.cancelled:
        blocks.append(Paragraph("The search was stopped before it finished; the break-evens "
                                "above are those found by then.", "warning"))
    table = breakeven_table(study, only_flips=True)
    if table.rows:
        blocks.append(Table(
            header=table.headers, rows=tuple(tuple(Cell(c) for c in r) for r in table.rows),
            widths=(12, 9, 19, 12, 8, 20, 20),
            align=("left", "left", "left", "left", "right", "left", "left"),
            caption="Break-evens: the input value at which a floor or reserve decision "
            "changes, below and above the base (decisions that change for at least one "
            "input)."))
    return blocks


def _frontier_words(risk: Frontier, budget: Frontier) -> str:
    pts = [p for p in risk.points if p.outcome.has_plan]
    text = ""
    if _risk_is_flat(risk):
        c = risk.chosen
        text += (f"The plan is the same for every risk weight from {pts[0].value:g} to "
                 f"{pts[-1].value:g}: the CVaR of shortage damage stays at "
                 f"{fmt.money(c.outcome.cvar_usd)} and the expected cost at "
                 f"{fmt.money(c.outcome.expected_cost_usd)}, so the weight changes the "
                 "objective but not the decisions (the risk chart would be a single point "
                 "and is left out). ")
    elif len(pts) >= 2:
        a, z, c = pts[0], pts[-1], risk.chosen
        text += (f"Raising the risk weight from {a.value:g} to {z.value:g} lowers the CVaR of "
                 f"shortage damage from {fmt.money(a.outcome.cvar_usd)} to "
                 f"{fmt.money(z.outcome.cvar_usd)} and raises the expected cost from "
                 f"{fmt.money(a.outcome.expected_cost_usd)} to "
                 f"{fmt.money(z.outcome.expected_cost_usd)}; the plan uses "
                 f"{c.value:g} (CVaR {fmt.money(c.outcome.cvar_usd)}, expected cost "
                 f"{fmt.money(c.outcome.expected_cost_usd)}). ")
    pts = [p for p in budget.points if p.outcome.has_plan]
    if len(pts) >= 2:
        a, z, c = pts[0], pts[-1], budget.chosen

        def m(v: float) -> str:
            return f"${v / 1e6:,.1f}M a year"
        text += (f"With a budget of {m(a.value)} the plan avoids "
                 f"{fmt.money(a.outcome.shortage_avoided_usd)} of expected shortage damage, "
                 f"at the chosen {m(c.value)} {fmt.money(c.outcome.shortage_avoided_usd)}, "
                 f"and at {m(z.value)} {fmt.money(z.outcome.shortage_avoided_usd)}.")
        best = max(p.outcome.shortage_avoided_usd for p in pts)
        enough = next(p for p in pts if _flat([p.outcome.shortage_avoided_usd, best]))
        if enough.value < c.value:
            text += (f" The budget does not bind: of the budgets tried, {m(enough.value)} is "
                     "the smallest that avoids as much, and more buys nothing more.")
    return text.strip()


def _flat(values: list[float], rel: float = 5e-4) -> bool:
    """Whether ``values`` agree within ``rel`` of their largest magnitude (a frontier that
    is one point)."""
    top = max((abs(v) for v in values), default=0.0)
    return max(values) - min(values) <= rel * max(top, 1.0)


def _risk_is_flat(risk: Frontier) -> bool:
    pts = [p for p in risk.points if p.outcome.has_plan]
    return len(pts) >= 2 and _flat([p.outcome.cvar_usd for p in pts]) and \
        _flat([p.outcome.expected_cost_usd for p in pts])


def frontier_blocks(risk: Frontier, budget: Frontier) -> list[Block]:
    """The risk and budget frontiers in words and as charts, the chosen plan marked (the
    risk chart is left out when every risk weight gives the same plan: it would be one
    point)."""
    blocks: list[Block] = [
        Paragraph("The plan trades expected cost against risk through the risk weight, and "
                  "is limited by the annual budget. Re-solving it along each setting shows "
                  "what a different choice would buy. " + _frontier_words(risk, budget))]
    if not _risk_is_flat(risk):
        blocks.append(figure_block(
            risk_frontier_figure(risk, width_in=_WIDTH_IN), "risk-frontier",
            "Expected cost against the CVaR of shortage damage [$M], one optimal plan per "
            "risk weight (labels); the circle marks the chosen plan."))
    blocks.append(figure_block(
        budget_frontier_figure(budget, width_in=_WIDTH_IN), "budget-frontier",
        "Expected shortage damage avoided [$M] against the annual budget for reserve "
        "purchases [$M/yr]; the circle marks the chosen plan."))
    return blocks


def size_curve_blocks(result: PlanResult | None, reference: str | None = None) -> list[Block]:
    """The plan's reserve size curves (``MaterialPlan.near_optimal``): a sentence referring
    to the figure ``reference`` (a ``{ref:label}`` the report resolves) when the report
    already shows it, else the figure itself; nothing when the result has no curves."""
    curves = [m.near_optimal for m in (result.materials if result else ())
              if m.near_optimal is not None]
    if not curves:
        return []
    tol = f"{curves[0].tolerance:.0%}"
    ranges = "; ".join(c.label() for c in curves)
    text = (f"The reserve sizes themselves are ranges: any size in these bands costs within "
            f"{tol} of the optimum ({ranges}).")
    if reference:
        return [Paragraph(f"{text} The size curves are in {{ref:{reference}}}.")]
    fig = size_curves_figure(curves, width_in=_WIDTH_IN)
    return [Paragraph(text), figure_block(
        fig, "size-curves", "Extra expected cost of each reserve size over the optimum [$M], "
        "every other decision re-optimised; the shaded band is the near-optimal range, the "
        "dashed line the tolerance.")]


def sensitivity_blocks(analysis: Analysis, result: PlanResult | None = None,
                       size_curves_ref: str | None = None) -> list[Block]:
    """The section "What drives the answer" for ``analysis`` (a study or a tornado) of the
    plan ``result``.

    Parameters
    ----------
    analysis : SensitivityStudy or Tornado
        A tornado gives the tornado part; a study adds break-evens and frontiers.
    result : PlanResult, optional
        The plan, for its reserve size curves.
    size_curves_ref : str, optional
        Label of a size-curve figure the report already holds: the section refers to it
        instead of drawing it again.
    """
    t = tornado_of(analysis)
    blocks: list[Block] = [Heading(SECTION_TITLE), *tornado_blocks(t)]
    blocks += size_curve_blocks(result, size_curves_ref)
    if isinstance(analysis, SensitivityStudy):
        blocks += [Heading("Break-evens", 2), *breakeven_blocks(analysis.breakevens)]
        blocks += [Heading("Risk and budget frontiers", 2),
                   *frontier_blocks(analysis.risk_frontier, analysis.budget_frontier)]
        n = (t.sweep.total + analysis.risk_frontier.sweep.total
             + analysis.budget_frontier.sweep.total + analysis.breakevens.n_solves)
        blocks.append(Paragraph(f"{n:,} plans were solved for this section in "
                                f"{analysis.elapsed_s:,.1f} s; they ran on "
                                f"{analysis.executor}.", "note"))
    else:
        blocks.append(Paragraph("Break-evens of every floor and reserve decision and the "
                                "risk and budget frontiers are in the report of "
                                "\u201creserve-planner sensitivity --report\u201d.", "note"))
    return blocks

