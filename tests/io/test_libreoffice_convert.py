"""A workbook LibreOffice itself writes loads: the template is converted by
``soffice --headless --convert-to xlsx`` at test time (skipped where LibreOffice is not
installed), so what a real spreadsheet program writes (shared strings, its own styles,
number formats and dimension records) is fed to the streaming reader."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from reserve_planner.cli import main
from reserve_planner.io.workbook import load_scenario_workbook_with_warnings

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_by_libreoffice_loads_the_same(tmp_path, baseline):
    src = tmp_path / "in" / "plan.xlsx"
    src.parent.mkdir()
    assert main(["template", str(src)], out=io.StringIO(), err=io.StringIO()) == 0
    out_dir = tmp_path / "out"
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(src)],
        capture_output=True, text=True, timeout=180)
    converted = out_dir / "plan.xlsx"
    assert proc.returncode == 0 and converted.exists(), proc.stderr
    inputs, warnings = load_scenario_workbook_with_warnings(converted)
    assert inputs.material_names == baseline.material_names
    assert [s.name for s in inputs.scenarios] == [s.name for s in baseline.scenarios]
    for got, want in zip(inputs.materials, baseline.materials, strict=True):
        assert got.price_usd_per_kg == pytest.approx(want.price_usd_per_kg, rel=1e-12)
        assert got.domestic_supply_t_per_yr == pytest.approx(want.domestic_supply_t_per_yr)
    assert inputs.policy == baseline.policy
    assert not [w for w in warnings if "hidden" in w or "not read" in w], warnings
