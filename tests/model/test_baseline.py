"""The built-in article baseline: valid, reproducible from its generator, fully sourced."""

import importlib.util
import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from reserve_planner.io.baseline import (
    BASELINE_PATH,
    TARIFF_THREAT_PATH,
    load_article_baseline,
    load_tariff_threat_variant,
)
from reserve_planner.model import SourceKind, inputs_from_dict, inputs_to_dict

ROOT = Path(__file__).resolve().parents[2]


def test_baseline_is_valid():
    assert load_article_baseline().validate() == []


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_article_baseline", ROOT / "resources" / "make_article_baseline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_json_matches_its_generator():
    module = _generator()
    assert BASELINE_PATH.read_text(encoding="utf-8") == module.render(), \
        "run: python resources/make_article_baseline.py"
    assert TARIFF_THREAT_PATH.read_text(encoding="utf-8") == module.render_tariff_threat(), \
        "run: python resources/make_article_baseline.py"


def _numeric_paths(inputs):
    for m in inputs.materials:
        for f in fields(m):
            if f.name != "name":
                yield f"materials/{m.name}/{f.name}"
    for p in inputs.projects:
        for f in fields(p):
            if f.name not in ("name", "material", "kind"):
                yield f"projects/{p.name}/{f.name}"
    for s in inputs.scenarios:
        if s.duration_months == 0:
            yield f"scenarios/{s.name}/probability"
            continue
        for name in ("probability", "start_month", "duration_months", "depth",
                     "hits_allied_supply", "price_multiplier_during", "price_multiplier_after",
                     "after_months"):
            yield f"scenarios/{s.name}/{name}"
    for f in fields(inputs.policy):
        yield f"policy/{f.name}"


def test_every_default_number_has_a_source():
    inputs = load_article_baseline()
    missing = [p for p in _numeric_paths(inputs) if inputs.source(p) is None]
    assert missing == []


def test_assumptions_carry_a_rationale_and_figures_a_reference():
    for path, src in load_article_baseline().sources.items():
        assert src.detail.strip(), path
        if src.kind in (SourceKind.PUBLIC_FIGURE, SourceKind.ARTICLE):
            assert src.reference.strip(), path


def test_article_figures_are_used():
    inputs = load_article_baseline()
    assert inputs.material("NdPr oxide").china_exposed_share == 0.9  # 90% processing
    mp = next(p for p in inputs.projects if p.name == "MP 10X magnet plant")
    assert mp.government_equity_usd == 400e6  # DoD's $400M for 15%
    # The 100% tariff was threatened, not imposed: it is the variant, not the baseline.
    threat = load_tariff_threat_variant()
    # the threatened additional 100% on top of the 20% in force
    assert threat.policy.tariff_share == pytest.approx(1.2)
    assert threat.source("policy/tariff_share").kind is SourceKind.ARTICLE
    assert inputs.policy.tariff_share == pytest.approx(0.20)  # 10% fentanyl + 10% reciprocal
    assert inputs.source("policy/tariff_share").kind is SourceKind.ASSUMPTION


def test_sources_cite_documents_not_internal_sections():
    for inputs in (load_article_baseline(), load_tariff_threat_variant()):
        for path, src in inputs.sources.items():
            for text in (src.reference, src.detail):
                assert "§" not in text, (path, text)
                assert "public figures" not in text.lower(), (path, text)


def test_sourced_references_carry_a_link_or_a_named_document():
    """Every reference is a title with its URL, except named documents with no public link."""
    unlinked_ok = ("Article:", "Basel II", "Iluka Resources", "MP Materials, company",
                   "China customs", "Bloomberg", "ORNL", "IEA policies")
    for path, src in load_article_baseline().sources.items():
        for part in filter(None, (r.strip() for r in src.reference.split("; "))):
            assert "http" in part or part.startswith(unlinked_ok) or "Adamas" in part, \
                (path, part)


CORRECTED_ASSUMPTIONS = [
    "materials/NdPr oxide/demand_t_per_yr",
    "materials/NdFeB magnets/china_exposed_share",
    "policy/annual_budget_usd",
    "policy/tariff_share",
    "scenarios/Licensing shock (April 2025 repeat)/duration_months",
    "scenarios/Licensing shock (April 2025 repeat)/price_multiplier_during",
] + [f"materials/{m}/{f}" for m in ("NdPr oxide", "Dy oxide", "Tb oxide", "NdFeB magnets")
     for f in ("demand_growth_per_yr", "price_log_volatility", "shortage_cost_usd_per_kg",
               "purchase_limit_t_per_month")] + [
    f"materials/{m}/price_usd_per_kg" for m in ("Dy oxide", "Tb oxide")]


@pytest.mark.parametrize("path", CORRECTED_ASSUMPTIONS)
def test_corrected_assumptions_state_a_range(path):
    src = load_article_baseline().source(path)
    assert src is not None, path
    assert re.search(r"range \S*\d[\d.,]*[^ ]*-\S*\d", src.detail, re.IGNORECASE), \
        (path, src.detail)


def test_shortage_costs_are_choke_prices_that_say_how_they_were_set():
    inputs = load_article_baseline()
    for m in inputs.materials:
        detail = inputs.source(f"materials/{m.name}/shortage_cost_usd_per_kg").detail
        assert detail.startswith("choke price; "), m.name
        assert "range" in detail and "magnet" in detail, m.name
        assert m.demand_curve == "constant elasticity"
        assert "range 0.2-1" in inputs.source(f"materials/{m.name}/demand_elasticity").detail


def test_corrected_figures_by_hand():
    inputs = load_article_baseline()
    ndpr = inputs.material("NdPr oxide")
    assert ndpr.price_usd_per_kg == pytest.approx(round(84 / 1.13, 1))  # SMM ex 13% VAT
    assert ndpr.demand_growth_per_yr == pytest.approx(0.02)
    assert ndpr.demand_t_per_yr == pytest.approx(round(2000 * 1.02 ** 3, 1))
    # Ex-China Dy and Tb: geometric mean of Europe's early-April and May 2025 midpoints.
    assert inputs.material("Dy oxide").price_usd_per_kg == pytest.approx(
        round((280 * 850) ** 0.5))
    assert inputs.material("Tb oxide").price_usd_per_kg == pytest.approx(
        round((965 * 3000) ** 0.5))
    # Shortage costs kept at their former flat values.
    # Choke prices: the magnets' $2,500/kg ($5,000 lost per vehicle / 2 kg of magnet), and
    # each oxide's 2,500 / (its share of magnet mass), rounded to $10: NdPr 2,500 / 0.31 =
    # 8,064.5; Dy 2,500 / 0.009 = 277,777.8; Tb 2,500 / 0.0031 = 806,451.6.
    assert [m.shortage_cost_usd_per_kg for m in inputs.materials] == [
        8060, 277780, 806450, 2500]
    # Elasticity calibrated on April-May 2025: a 45% Dy shortfall tripled Europe's price
    # (280 -> 850 $/kg): -ln(0.55) / ln(850/280) = 0.5978 / 1.1105 = 0.538, to 0.54.
    assert {m.demand_elasticity for m in inputs.materials} == {0.54}
    # Spot market: 10% of first-year monthly demand; no China-origin material under licence.
    assert inputs.material("Dy oxide").spot_limit_t_per_month == pytest.approx(
        round(0.1 * 100 * 1.02 ** 3 / 12, 2))
    assert not any(m.spot_china_licensed for m in inputs.materials)
    shock = next(s for s in inputs.scenarios if s.name.startswith("Licensing shock"))
    assert shock.duration_months == 2
    assert shock.depth("NdFeB magnets") == pytest.approx(round((0.93 + 47 / 400) / 2, 2))
    assert shock.depth("NdPr oxide") == 0.0
    assert inputs.policy.annual_budget_usd == pytest.approx(167e6)
    # Magnets: a quarter of monthly demand, of non-China supply plus a licensed quarter
    # of China-origin supply (first plan year).
    mag = inputs.material("NdFeB magnets")
    demand = mag.demand_t_per_yr
    china_origin = 0.9 * (demand - 1000 - mag.allied_supply_t_per_yr[0]) / demand
    expected = 0.25 * demand / 12 * (1 - china_origin + 0.25 * china_origin)
    assert mag.purchase_limit_t_per_month == pytest.approx(round(expected, 2))
    assert ndpr.purchase_limit_t_per_month == pytest.approx(round(0.25 * ndpr.demand_t_per_yr
                                                                  / 12, 2))


def test_embargo_precedent_is_not_called_a_rare_earth_ban():
    inputs = load_article_baseline()
    for s in inputs.scenarios:
        if s.name.startswith("Full embargo"):
            assert "gallium, germanium and antimony" in s.note
            assert "banned some minerals" not in s.note
            detail = inputs.source(f"scenarios/{s.name}/probability").detail
            assert "the US in Dec 2024" not in detail


def test_dict_round_trip_keeps_values_and_sources():
    inputs = load_article_baseline()
    data = json.loads(json.dumps(inputs_to_dict(inputs)))
    again = inputs_from_dict(data)
    assert again == inputs
    assert dict(again.sources) == dict(inputs.sources)


def test_shape_errors_list_every_problem():
    from reserve_planner.model import InputFormatError

    data = inputs_to_dict(load_article_baseline())
    del data["materials"][0]["price_usd_per_kg"]
    del data["projects"][1]["capacity_t_per_yr"]
    with pytest.raises(InputFormatError) as err:
        inputs_from_dict(data)
    assert [p.field for p in err.value.problems] == [
        "materials[0]/price_usd_per_kg", "projects[1]/capacity_t_per_yr"]
    data = inputs_to_dict(load_article_baseline())
    data["schema_version"] = 99
    with pytest.raises(InputFormatError, match="schema version 1"):
        inputs_from_dict(data)


def test_probabilities_are_stored_as_typed():
    # "No disruption" is the rest, 1 - 0.7: stored as 0.3, not 0.2999999997.
    assert load_article_baseline().scenarios[0].probability == 0.3
