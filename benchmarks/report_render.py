"""Time the printable report for the article baseline: content (text and tables), charts
(matplotlib) and the PDF (QTextDocument layout and painting). Target: under one second.

Run: ``python benchmarks/report_render.py [--repeat N] [--page-size A4|Letter]``. Works
without a display. Prints the time of each stage for a cold first run (imports excluded)
and the best of the repeats.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import solve
from reserve_planner.report import charts
from reserve_planner.report.content import build_report
from reserve_planner.report.pdf import ensure_gui_application

TARGET_S = 1.0


def run_once(inputs, result, out: Path, page_size: str) -> dict[str, float]:
    """Seconds spent in each stage of one report."""
    from reserve_planner.report.qt_render import build_text_document, write_pdf

    t0 = time.perf_counter()
    charts.reserve_chart(result)
    charts.unmet_chart(result)
    charts.cost_chart(result)
    t1 = time.perf_counter()
    report = build_report(inputs, result)  # content and charts
    t2 = time.perf_counter()
    doc = build_text_document(report)
    t3 = time.perf_counter()
    write_pdf(doc, out, page_size=page_size, title=report.title)
    t4 = time.perf_counter()
    return {"charts alone": t1 - t0, "content + charts": t2 - t1, "QTextDocument": t3 - t2,
            "layout + PDF": t4 - t3, "total (content + charts + PDF)": t4 - t1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page-size", default="A4")
    args = parser.parse_args()
    ensure_gui_application()
    inputs = load_article_baseline()
    result = solve(inputs)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.pdf"
        runs = [run_once(inputs, result, out, args.page_size)
                for _ in range(max(args.repeat, 1))]
        size = out.stat().st_size
    first, best = runs[0], {k: min(r[k] for r in runs) for k in runs[0]}
    print(f"Report for the article baseline on {args.page_size}, {size / 1024:,.0f} KiB PDF")
    print(f"{'stage':<32}{'first [s]':>10}{'best [s]':>10}")
    for key in first:
        print(f"{key:<32}{first[key]:>10.3f}{best[key]:>10.3f}")
    ok = first["total (content + charts + PDF)"] < TARGET_S
    print(f"target {TARGET_S:.1f} s: {'met' if ok else 'MISSED'} (first run)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
