"""The model's limitations in plain words, for the last section of the report."""

from __future__ import annotations

from ..model import PlanInputs
from .input_catalogue import input_entries


def limitations(inputs: PlanInputs) -> tuple[str, ...]:
    """Sentences a reader needs to weigh the results; the count of assumptions is filled in
    from ``inputs``."""
    entries = input_entries(inputs)
    n_ass = sum(1 for e in entries if e.is_assumption)
    curved = any(m.demand_curve != "flat" for m in inputs.materials)
    damage = (
        "Unmet demand is charged at the consumer surplus lost under an assumed short-run "
        "demand curve (an elasticity and a choke price per material, approximated by a few "
        "linear tiers); no published short-run elasticity was found, and the choke prices of "
        "oxides are the magnet value a missing kilogram would idle. The real damage depends "
        "on which industries go short, for how long, and whether they can substitute or "
        "draw on their own stocks; private stocks are not counted."
        if curved else
        "Unmet demand is charged at one cost per kilogram for each material, a flat multiple "
        "of its price with no empirical basis; it drives the reserve and the floors. The "
        "real damage depends on which industries go short, for how long, and whether they "
        "can substitute or draw on their own stocks; private stocks are not counted.")
    prices = (
        "Prices do not respond to the plan: buying for the reserve and releasing from it are "
        "assumed not to move the market price (the monthly purchase limit stands in for "
        "that). Demand responds to price only through the shortage damage curve, read at "
        "each scenario's shortfall without the reserve; supply responds only through a floor."
        if curved else
        "Prices do not respond to the plan: buying for the reserve and releasing from it are "
        "assumed not to move the market price (the monthly purchase limit stands in for "
        "that), and high prices neither cut demand nor bring new supply except through a "
        "floor.")
    return (
        f"The {len(inputs.scenarios)} scenarios are stories with judged probabilities, not "
        "forecasts. A disruption longer, deeper or at another time than any scenario, or one "
        "that hits other materials, is not covered.",
        prices,
        "Demand and supply are smooth monthly rates. Demand grows at a fixed rate; US and "
        "allied supply follow the input series.",
        "A floor at or above a project's cost is assumed to make the project go ahead on its "
        "stated schedule; a project then either produces as planned or fails completely. "
        "Delays, partial output and cost overruns are not modelled.",
        "Floor payouts are valued as options on a lognormal price whose uncertainty grows "
        "from today with a half-life of price shocks (an assumption); the payout "
        "distribution is simulated on price paths of the same process. Real floor contracts "
        "have terms (price reference, volume caps, termination) that this does not capture.",
        "Results are incremental to the status quo: the contracted floors, committed "
        "projects and public money entered as existing commitments are paid in every plan, "
        "and a commitment left out of the inputs would be credited to the plan.",
        damage,
        "The reserve only releases during a disruption, only from the stock it held when the "
        "disruption began (plus refills between episodes of one scenario), and up to a fixed "
        "monthly limit. It does not trade for profit: it never buys a price collapse just to "
        "hold the stock to the horizon.",
        "Within a scenario the second stage knows the scenario's whole future: a refill is "
        "bought for a later episode that is certain in that scenario, not against the odds "
        "of one.",
        "Oxides and magnets are separate materials: making magnets from reserve oxide, and "
        "the magnets inside imported goods, are not modelled.",
        "The plan is the best one for the expected cost over the scenarios plus the stated "
        "weight on the worst outcomes. With other probabilities or another risk weight the "
        "best plan can differ; the value of the stochastic solution shows how much the "
        "spread of scenarios matters here.",
        f"{n_ass} of the input numbers are assumptions (see Sources). The results are only "
        "as good as those judgements; re-solve with other values to see how much they "
        "matter.",
    )
