"""Load time and memory of the workbook reader on hostile and broken workbooks.

Generates each case of tests/io/hostile_cases.py (the template with one change) in a
temporary folder, then loads it with ``load_scenario_workbook_with_warnings`` in a fresh
process, so each peak is its own. Prints one line per case (file size, load time, peak
resident set of the loading process, imports included, what the reader said) and the worst
time and memory. Targets: every case under 10 s and 1 GB.

Run: python benchmarks/hostile_loads.py [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "io"))

import hostile_cases  # noqa: E402


def cases() -> dict:
    """Name -> function of the template bytes, for every case benchmarked."""
    h = hostile_cases
    out = dict(h.EXPENSIVE)
    out.update({
        "macroEnabled after 70 kB of padding": h.padded_macro_content_type,
        "renamed VBA project part": h.renamed_vba_part,
        "price 1e308": lambda d: h.set_number(d, "Materials", h.heading_ref(
            d, "Materials", "Price ($/kg)"), "1e308"),
        "1 followed by 400 zeros": lambda d: h.set_number(d, "Materials", h.heading_ref(
            d, "Materials", "Demand (t/yr)"), "1" + "0" * 400),
        "5,000-digit integer": lambda d: h.set_number(d, "Materials", h.heading_ref(
            d, "Materials", "Demand (t/yr)"), "9" * 5000),
        "horizon 2,000,000,000": lambda d: h.set_number(d, "Settings", h.setting_ref(
            d, "Horizon"), "2000000000"),
        "start year 10000": lambda d: h.set_number(d, "Settings", h.setting_ref(
            d, "Start year"), "10000"),
    })
    return out


def _high_water_kb() -> int:
    """Peak resident set of this process [kB]: VmHWM, which (unlike ru_maxrss on Linux)
    does not inherit the parent's peak across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(path: Path) -> dict:
    """Load ``path`` in this process; time [s], peak RSS above baseline [MB], outcome."""
    from reserve_planner.io.workbook import WorkbookError, load_scenario_workbook_with_warnings

    base = _high_water_kb()
    t0 = time.perf_counter()
    try:
        _, warnings = load_scenario_workbook_with_warnings(path)
        outcome = f"loaded, {len(warnings)} warning(s)"
        if warnings:
            outcome += f": {warnings[0][:90]}"
    except WorkbookError as exc:
        outcome = "refused: " + str(exc).splitlines()[0][:110]
    seconds = time.perf_counter() - t0
    peak = _high_water_kb()
    return {"seconds": seconds, "peak_mb": peak / 1024, "added_mb": (peak - base) / 1024,
            "outcome": outcome}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="run only cases whose name contains this")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child))))
        return
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.io.workbook import save_scenario_workbook

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "plan.xlsx"
        save_scenario_workbook(load_article_baseline(), template)
        data = hostile_cases.use_template(template.read_bytes())
        print(f"{'case':<38}{'file MB':>8}{'load s':>8}{'peak MB':>9}  outcome")
        worst_s, worst_mb = 0.0, 0.0
        for name, make in cases().items():
            if args.only not in name:
                continue
            path = Path(tmp) / "case.xlsx"
            path.write_bytes(make(data))
            proc = subprocess.run([sys.executable, __file__, "--child", str(path)],
                                  capture_output=True, text=True, timeout=600)
            if proc.returncode != 0:
                print(f"{name:<38} FAILED: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(proc.stdout)
            worst_s, worst_mb = max(worst_s, r["seconds"]), max(worst_mb, r["peak_mb"])
            print(f"{name:<38}{path.stat().st_size / 1e6:>8.1f}{r['seconds']:>8.2f}"
                  f"{r['peak_mb']:>9.0f}  {r['outcome']}")
        print(f"worst load time {worst_s:.2f} s, worst peak memory {worst_mb:.0f} MB "
              "(resident set of the loading process, imports included); targets 10 s, 1 GB")


if __name__ == "__main__":
    main()
