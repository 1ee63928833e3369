"""The built-in article baseline: valid, reproducible from its generator, fully sourced."""

import importlib.util
import json
from dataclasses import fields
from pathlib import Path

import pytest

from reserve_planner.io.baseline import BASELINE_PATH, load_article_baseline
from reserve_planner.model import SourceKind, inputs_from_dict, inputs_to_dict

ROOT = Path(__file__).resolve().parents[2]


def test_baseline_is_valid():
    assert load_article_baseline().validate() == []


def test_json_matches_its_generator():
    spec = importlib.util.spec_from_file_location(
        "make_article_baseline", ROOT / "resources" / "make_article_baseline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert BASELINE_PATH.read_text(encoding="utf-8") == module.render(), \
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
    assert inputs.policy.tariff_share == 1.0  # the threatened 100% tariff
    assert inputs.source("policy/tariff_share").kind is SourceKind.ARTICLE
    mp = next(p for p in inputs.projects if p.name == "MP 10X magnet plant")
    assert mp.government_equity_usd == 400e6  # DoD's $400M for 15%


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
