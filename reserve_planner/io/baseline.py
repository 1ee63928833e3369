"""The built-in article baseline, loaded from ``resources/article_baseline.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..model import PlanInputs, inputs_from_dict

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
BASELINE_PATH = RESOURCES / "article_baseline.json"


@lru_cache(maxsize=1)
def load_article_baseline() -> PlanInputs:
    """The article baseline scenario, every number with its source (cached, immutable)."""
    data = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    return inputs_from_dict(data)
