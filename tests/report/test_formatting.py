"""Number formatting: thousands separators, units, no negative zero, dashes for NaN."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from reserve_planner.report import formatting as fmt


def test_money_and_millions():
    assert fmt.money(1_444_400_000) == "$1,444.4M"
    assert fmt.money(-55_300_000) == "-$55.3M"
    assert fmt.money(-1.0) == "$0.0M"
    assert fmt.money(math.nan) == "n/a"
    assert fmt.musd(400e6, 0) == "400"
    assert fmt.musd(math.nan) == fmt.DASH


def test_tonnes_days_prices_shares():
    assert fmt.tonnes(1284.04) == "1,284"
    assert fmt.tonnes(13.24) == "13.2"
    assert fmt.tonnes(-0.01) == "0.0"
    assert fmt.days(251.7) == "252"
    assert fmt.days(math.inf) == "no imports"
    assert fmt.usd_per_kg(104.5) == "$104.50/kg"
    assert fmt.usd_per_kg(1155.0) == "$1,155/kg"
    assert fmt.usd_per_kg(77.0) == "$77/kg"
    assert fmt.share(0.087, 1) == "8.7%"
    assert fmt.probability(0.0066667) == "0.67%"
    assert fmt.probability(0.0266667) == "2.7%"
    assert fmt.probability(0.3) == "30%"
    assert fmt.probability(0.0) == "0%"


def test_dates_and_words():
    assert fmt.month_label(2027, 18) == "2028-07"
    assert fmt.month_words(2027, 0) == "January 2027"
    assert fmt.label_words("2029-01") == "January 2029"
    assert fmt.label_words("soon") == "soon"
    assert fmt.join_words(["a"]) == "a"
    assert fmt.join_words(["a", "b", "c"]) == "a, b and c"
    assert fmt.series((1300.0, 1300.0)) == "1,300 every year"
    assert fmt.series((380.6, 1242.7)) == "381 to 1,243"
    assert fmt.series(()) == fmt.DASH


@given(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False))
def test_money_never_prints_negative_zero(usd):
    text = fmt.money(usd)
    assert text.startswith(("$", "-$")) and text.endswith("M")
    assert text != "-$0.0M"
    assert float(text.replace("$", "").replace("M", "").replace(",", "")) == \
        round(usd / 1e6, 1) or abs(usd) < 5e4


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False))
def test_tonnes_has_separators_and_no_negative_zero(t):
    text = fmt.tonnes(t)
    assert not text.startswith("-0") or text.strip("-0.,") != ""
    assert float(text.replace(",", "")) == float(text.replace(",", ""))
    if abs(t) >= 1000:
        assert "," in text
