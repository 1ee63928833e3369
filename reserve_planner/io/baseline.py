"""The built-in article baseline, loaded from ``resources/article_baseline.json``, and its
named variant with the threatened 100% tariff (``article_baseline_tariff_threat.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..model import PlanInputs, inputs_from_dict

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
BASELINE_PATH = RESOURCES / "article_baseline.json"
TARIFF_THREAT_PATH = RESOURCES / "article_baseline_tariff_threat.json"


@lru_cache(maxsize=1)
def load_article_baseline() -> PlanInputs:
    """The article baseline scenario, every number with its source (cached, immutable).

    Its tariff is the one in force at the plan start, not the threatened 100%."""
    data = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    return inputs_from_dict(data)


@lru_cache(maxsize=1)
def load_tariff_threat_variant() -> PlanInputs:
    """The article baseline with the threatened, never imposed, additional 100% tariff on
    Chinese imports (``Policy.tariff_share`` 1.0); every other input as in the baseline
    (cached, immutable)."""
    data = json.loads(TARIFF_THREAT_PATH.read_text(encoding="utf-8"))
    return inputs_from_dict(data)
