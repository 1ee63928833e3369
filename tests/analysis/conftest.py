"""A reduced baseline for the analysis tests: three years, four scenarios, all materials and
projects, so a solve takes a few milliseconds and the decisions still depend on the inputs."""

from dataclasses import replace

import pytest

from reserve_planner.io.baseline import load_article_baseline

KEEP = ("No disruption", "Licensing shock (April 2025 repeat)",
        "Full embargo, 12 months, from 2028", "Low-price flooding")


def small_baseline():
    base = load_article_baseline()
    scen = [s for s in base.scenarios if s.name in KEEP]
    total = sum(s.probability for s in scen)
    scen = [replace(s, probability=s.probability / total) for s in scen]
    scen[0] = replace(scen[0], probability=1.0 - sum(s.probability for s in scen[1:]))
    return replace(base, name="Small baseline", scenarios=tuple(scen),
                   policy=replace(base.policy, horizon_months=36))


@pytest.fixture(scope="session")
def small():
    inputs = small_baseline()
    assert not inputs.validate()
    return inputs
