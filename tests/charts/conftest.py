"""The analysis tests' reduced baseline, shared (tests/analysis/conftest.py builds it)."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "analysis_conftest", Path(__file__).resolve().parents[1] / "analysis" / "conftest.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)


@pytest.fixture(scope="session")
def small():
    return _mod.small_baseline()
