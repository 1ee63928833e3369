"""The floor's expected payout against Black-76 computed by hand and by simulation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reserve_planner.optimize.pricing import (
    expected_call,
    expected_put,
    net_floor_cost,
    price_quantile,
)


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def black76_put(f: float, m: float, s: float) -> float:
    d1 = (math.log(m / f) + s * s / 2) / s
    return f * phi(-(d1 - s)) - m * phi(-d1)


def test_put_matches_hand_derivation():
    # F=100, m=80, sigma=0.5: d1=(ln 0.8+0.125)/0.5=-0.19629, d2=-0.69629
    # put = 100*Phi(0.69629) - 80*Phi(0.19629) = 75.688 - 46.225 = 29.463 $/kg
    assert float(expected_put(100.0, 80.0, 0.5)) == pytest.approx(29.463, abs=2e-3)
    assert float(expected_put(100.0, 80.0, 0.5)) == pytest.approx(black76_put(100, 80, 0.5))


def test_zero_volatility_is_intrinsic_value():
    assert float(expected_put(110.0, 84.0, 0.0)) == pytest.approx(26.0)
    assert float(expected_put(60.0, 84.0, 0.0)) == 0.0


def test_no_floor_costs_nothing():
    assert float(net_floor_cost(0.0, 84.0, 0.5, 0.3)) == 0.0


def test_put_matches_monte_carlo():
    rng = np.random.default_rng(7)
    m, s, f = 84.0, 0.57, 110.0
    prices = m * np.exp(-0.5 * s * s + s * rng.standard_normal(2_000_000))
    assert prices.mean() == pytest.approx(m, rel=2e-3)
    assert np.maximum(f - prices, 0).mean() == pytest.approx(float(expected_put(f, m, s)),
                                                             rel=5e-3)


@settings(max_examples=200, deadline=None)
@given(f=st.floats(1, 5000), m=st.floats(1, 5000), s=st.floats(0.01, 2.0),
       theta=st.floats(0, 1))
def test_put_call_parity_and_bounds(f, m, s, theta):
    put = float(expected_put(f, m, s))
    call = float(expected_call(f, m, s))
    assert put - call == pytest.approx(f - m, abs=1e-7 * max(f, m))
    assert max(f - m, 0.0) - 1e-9 * f <= put <= f + 1e-9
    assert float(net_floor_cost(f, m, s, theta)) == pytest.approx(put - theta * call,
                                                                  abs=1e-7 * max(f, m))


def test_quantile_of_lognormal():
    # the median of a lognormal with mean m is m*exp(-s^2/2)
    assert float(price_quantile(100.0, 0.4, 0.5)) == pytest.approx(100 * math.exp(-0.08))
