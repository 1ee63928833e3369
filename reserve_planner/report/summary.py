"""The executive summary: one paragraph in words, generated from the result.

It covers the reserve (tonnes and days of cover per material, when it is filled, what it
costs), the price floors (level, what each brings online and when, payouts; or, for a
material without one, why not), and the effect on unmet demand. Results without a plan get
a paragraph that says so and why.
"""

from __future__ import annotations

import math

from ..model import PlanInputs
from ..optimize import MaterialPlan, PlanResult
from . import formatting as fmt
from .analysis import FloorAlternative

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                 "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def horizon_words(months: int) -> str:
    """``120 -> "ten-year"``, ``18 -> "18-month"``."""
    if months % 12 == 0 and months // 12 < len(_NUMBER_WORDS):
        return f"{_NUMBER_WORDS[months // 12]}-year"
    return f"{months}-month"


def horizon_span(months: int) -> str:
    """``120 -> "ten years"``, ``18 -> "18 months"``."""
    if months % 12 == 0 and months // 12 < len(_NUMBER_WORDS):
        years = months // 12
        return f"{_NUMBER_WORDS[years]} year{'s' if years != 1 else ''}"
    return f"{months} months"


def _reserve_phrase(m: MaterialPlan, first: bool) -> str:
    unit = "days of net imports" if first else "days"
    return (f"{fmt.tonnes(m.reserve_target_t)} t of {m.material} "
            f"({fmt.days(m.days_of_import_cover)} {unit})")


def _fill_date(result: PlanResult) -> str:
    last = max((m.months_to_fill for m in result.materials), default=0)
    return fmt.month_words(result.start_year, last - 1) if last > 0 else ""


def reserve_sentence(inputs: PlanInputs, result: PlanResult) -> str:
    """What to hold, by when, at what cost; or why nothing is held."""
    held = [m for m in result.materials if m.reserve_target_t > 0.05]
    none = [m.material for m in result.materials if m.reserve_target_t <= 0.05]
    if not held:
        if inputs.policy.annual_budget_usd <= 0:
            why = "the purchase budget is zero"
        else:
            why = ("in these scenarios buying and storing stock would cost more than the "
                   "shortage damage it avoids")
        return f"Hold no strategic reserve: {why}."
    outlay = sum(m.planned_outlay_usd for m in result.materials)
    net = sum(m.net_reserve_cost_usd for m in result.materials)
    phrases = [_reserve_phrase(m, i == 0) for i, m in enumerate(held)]
    text = (f"Hold {fmt.join_words(phrases)}, bought by "
            f"{_fill_date(result)} for {fmt.money(outlay)} at normal prices over the "
            f"{horizon_words(result.months)} horizon (expected net cost "
            f"{fmt.money(net)} after sales in disruptions and the stock left at the end)")
    if none:
        text += f"; hold no {fmt.join_words(none)}"
    return text + "."


def _floor_phrase(m: MaterialPlan) -> str:
    f = m.floor
    where = f"{fmt.usd_per_kg(f.level_usd_per_kg)} for {m.material}"
    if not f.projects:
        return where
    names = [f"{p.name} online from {fmt.label_words(p.first_output)}" if i == 0 else
             f"{p.name} from {fmt.label_words(p.first_output)}"
             for i, p in enumerate(f.projects)]
    return f"{where}, which brings {fmt.join_words(names)}"


def no_floor_reason(material: str, alt: FloorAlternative | None, known: bool = True) -> str:
    """Why ``material`` has no floor, in words: expected payout against shortage avoided.

    ``alt`` is the cheapest candidate (None when there is none); ``known`` is False when the
    candidates could not be evaluated, and the reason is then given in general terms.
    """
    if not known:
        return "the optimiser found that no candidate floor pays for itself"
    if alt is None or not alt.projects:
        return f"no project supplies {material}, so a floor would support nothing"
    head = (f"the cheapest candidate floor, {fmt.usd_per_kg(alt.level_usd_per_kg)}, would pay "
            f"out an expected {fmt.money(alt.expected_payout_usd)}")
    if alt.shortage_avoided_usd < alt.expected_payout_usd:
        return (f"{head} but avoid only {fmt.money(alt.shortage_avoided_usd)} of shortage "
                f"damage")
    return (f"{head} and avoid {fmt.money(alt.shortage_avoided_usd)} of shortage damage with "
            "the reserve as planned, but taken with the rest of the plan (reserve, risk "
            "weight) it does not lower the total cost")


def floor_sentence(result: PlanResult,
                   alternatives: dict[str, FloorAlternative] | None) -> str:
    """Which floors to set and what they cost; for the others, why not (``alternatives``
    from :func:`~reserve_planner.report.analysis.floor_alternatives`, None if unknown)."""
    with_floor = [m for m in result.materials if m.floor.has_floor]
    without = [m for m in result.materials if not m.floor.has_floor]
    parts = []
    if with_floor:
        pay = sum(m.floor.expected_payout_usd for m in with_floor)
        worst = sum(m.floor.worst_case_payout_usd for m in with_floor)
        equity = sum(m.floor.equity_at_risk_usd for m in with_floor)
        phrases = [_floor_phrase(m) for m in with_floor]
        listed = phrases[0] if len(phrases) == 1 else (
            "; ".join(phrases[:-1]) + "; and " + phrases[-1])
        text = (f"Set a price floor of {listed}. Expected payouts are {fmt.money(pay)} net of "
                f"shared upside ({fmt.money(worst)} if prices stay low and every project succeeds)")
        if equity > 0:
            text += f", with {fmt.money(equity, 0)} of government equity at risk"
        parts.append(text + ".")
    if without:
        known = alternatives is not None
        alts = alternatives or {}
        reasons = [f"for {m.material}, "
                   f"{no_floor_reason(m.material, alts.get(m.material), known)}"
                   for m in without]
        head = "Set no price floor" if not with_floor else "Set no floor"
        if len(without) == 1:
            m = without[0]
            reason = no_floor_reason(m.material, alts.get(m.material), known)
            parts.append(f"{head} for {m.material}: {reason}.")
        else:
            parts.append(f"{head} for {fmt.join_words([m.material for m in without])}: "
                         f"{'; '.join(reasons)}.")
    return " ".join(parts)


def outcome_sentence(result: PlanResult) -> str:
    """The effect of the plan on unmet demand and shortage damage."""
    # tonnes per material: tonnes of oxide and of magnets do not add up
    falls = [f"{m.material} from {fmt.tonnes(m.expected_unmet_without_plan_t)} t to "
             f"{fmt.tonnes(m.expected_unmet_t)} t" for m in result.materials
             if math.isfinite(m.expected_unmet_without_plan_t)
             and m.expected_unmet_without_plan_t > 0.05]
    if not falls:
        return "No scenario leaves demand unmet, even without the plan."
    text = (f"Expected unmet demand over the horizon falls for {fmt.join_words(falls)}, "
            f"avoiding {fmt.money(result.expected_shortage_avoided_usd)} of expected "
            "shortage damage")
    ratio = result.benefit_cost_ratio
    if math.isfinite(ratio) and ratio > 0:
        text += f", or ${ratio:,.2f} for each dollar the reserve and floors cost"
    return text + "."


def executive_summary(inputs: PlanInputs, result: PlanResult,
                      alternatives: dict[str, FloorAlternative] | None = None) -> str:
    """The one-paragraph summary of ``result`` in words."""
    if not result.status.has_plan:
        name = result.inputs_name or inputs.name
        head = f"No plan could be made for \u201c{name}\u201d"
        if result.conflicts:
            n = len(result.conflicts)
            return (f"{head}: the limits set cannot all be met at once. The {n} limit(s) "
                    "that would have to give way are listed below; loosen one of them and "
                    "solve again. The inputs the solve was given follow.")
        if result.problems:
            n = len(result.problems)
            return (f"{head}: the inputs have {n} problem(s), listed below. Correct them and "
                    "solve again. The inputs the solve was given follow.")
        return (f"{head}: the solver reports \u201c{result.status.value}\u201d. "
                f"{result.message} The inputs the solve was given follow.")
    return " ".join([reserve_sentence(inputs, result), floor_sentence(result, alternatives),
                     outcome_sentence(result)])
