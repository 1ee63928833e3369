"""Sampled scenario sets are valid inputs and reproducible."""

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.sampling import sample_scenarios


def test_sampled_scenarios_are_valid_and_reproducible():
    base = load_article_baseline()
    a = sample_scenarios(base, 500, seed=3)
    assert len(a.scenarios) == 500
    assert a.validate() == []
    assert a == sample_scenarios(base, 500, seed=3)
    assert a != sample_scenarios(base, 500, seed=4)
    calm = sum(s.duration_months == 0 for s in a.scenarios)
    assert 100 < calm < 200  # about 30%
    assert all(0 <= s.start_month < base.policy.horizon_months for s in a.scenarios)
