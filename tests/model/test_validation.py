"""validate() returns every problem at once, with field, value and reason."""

from dataclasses import replace

from reserve_planner.io.baseline import load_article_baseline


def test_every_problem_is_listed_at_once():
    base = load_article_baseline()
    ndpr = replace(base.materials[0], demand_t_per_yr=-5.0, china_exposed_share=1.3)
    project = replace(base.projects[0], material="Unobtainium", failure_probability=-0.1)
    bad = replace(base, materials=(ndpr, *base.materials[1:]),
                  projects=(project, *base.projects[1:]))
    problems = {(p.field, p.value, p.message) for p in bad.validate()}
    assert problems == {
        ("materials/NdPr oxide/demand_t_per_yr", -5.0, "demand must be at least 0"),
        ("materials/NdPr oxide/china_exposed_share", 1.3, "share must be at most 1"),
        ("projects/MP Mountain Pass NdPr expansion/material", "Unobtainium",
         "names a material that is not in the materials table"),
        ("projects/MP Mountain Pass NdPr expansion/failure_probability", -0.1,
         "probability must be at least 0"),
    }


def test_duplicates_probabilities_and_types():
    base = load_article_baseline()
    bad = replace(base, scenarios=(*base.scenarios, base.scenarios[1]),
                  policy=replace(base.policy, horizon_months=1.5,
                                 discount_rate_per_yr=float("nan")))
    messages = {str(p) for p in bad.validate()}
    assert ("scenarios/Licensing shock (April 2025 repeat): the name appears twice in "
            "scenarios (got 'Licensing shock (April 2025 repeat)')") in messages
    total = 1 + base.scenarios[1].probability
    assert f"scenarios/probability: scenario probabilities must add up to 1 (got {total:g})" \
        in messages
    assert "policy/horizon_months: horizon must be a whole number of months (got 1.5)" in messages
    assert "policy/discount_rate_per_yr: discount rate must be a finite number (got nan)" in \
        messages


def test_empty_tables_are_refused():
    base = load_article_baseline()
    fields = {p.field for p in replace(base, materials=(), projects=(), scenarios=()).validate()}
    assert {"materials", "scenarios"} <= fields
