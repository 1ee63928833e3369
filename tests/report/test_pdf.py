"""The PDF report end to end: text, numbers, sources, pages, metadata, paper, atomic write."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reserve_planner.report import formatting as fmt

A4 = (595, 842)
LETTER = (612, 792)


def _page_size(pdf) -> tuple[int, int]:
    box = pdf.reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_baseline_pdf_names_the_scenario_and_the_reserve(baseline, baseline_pdf):
    inputs, result = baseline
    text = baseline_pdf.text
    assert "Reserve plan: Article baseline" in baseline_pdf.pages[0]
    assert "Solver status optimal" in baseline_pdf.pages[0]
    for m in result.materials:
        assert f"{fmt.tonnes(m.reserve_target_t)} t of {m.material}" in text
        assert f"({fmt.days(m.days_of_import_cover)} days" in text
    assert "Comparison with day-count rules" in text and "90-day rule" in text


def test_baseline_pdf_shows_floor_levels(baseline, baseline_pdf):
    _, result = baseline
    floors = [m for m in result.materials if m.floor.has_floor]
    assert floors, "the baseline sets at least one floor"
    for m in floors:
        assert f"{fmt.usd_per_kg(m.floor.level_usd_per_kg)} for {m.material}" in \
            baseline_pdf.text
    for m in result.materials:
        if not m.floor.has_floor:
            assert f"No floor for {m.material}" in baseline_pdf.text


def test_baseline_pdf_lists_sources_and_marks_assumptions(baseline, baseline_pdf):
    inputs, _ = baseline
    text = baseline_pdf.text
    assert "Sources" in text and "Documents referred to" in text
    references = {s.reference for s in inputs.sources.values() if s.reference}
    assert references
    # References may wrap over lines and pages (a page break inside a long one): compare
    # each one's opening words without spaces; tests/report/test_content.py checks the
    # numbered list holds every reference whole.
    flat = text.replace(" ", "")
    for ref in references:
        assert ref[:60].replace(" ", "") in flat, ref
    assert "assumption \u2020" in text
    # The report ends with its limitations (the section may run over two pages).
    last = " ".join(baseline_pdf.pages[-2:])
    assert "Limitations" in last and last.index("Limitations") > last.rfind("Documents referred")


def test_baseline_pdf_pages_are_numbered_and_sensible(baseline_pdf):
    n = len(baseline_pdf.pages)
    assert 6 <= n <= 30
    for i, page in enumerate(baseline_pdf.pages, start=1):
        assert f"Page {i} of {n}" in page
        assert len(page) > 300, f"page {i} is nearly empty"
    assert _page_size(baseline_pdf) == A4


def test_pdf_metadata_title_and_creator(baseline_pdf):
    meta = baseline_pdf.reader.metadata
    assert meta.title == "Reserve plan: Article baseline"
    assert meta.creator.startswith("Reserve Planner")


def test_table_headers_repeat_on_following_pages(baseline_pdf):
    # The sources tables span several pages; their header row is on each of them.
    pages = [p for p in baseline_pdf.pages if "Applies to: value" in p]
    assert len(pages) >= 3


def test_every_heading_and_caption_reaches_the_pdf(qapp, baseline_report, baseline_pdf):
    from reserve_planner.report.document import Figure, Heading, Table

    flat = baseline_pdf.text.replace(" ", "")
    for block in baseline_report.blocks:
        text = block.text if isinstance(block, Heading) else getattr(block, "caption", "")
        if isinstance(block, Heading | Table | Figure) and text:
            assert text.replace(" ", "") in flat, text


def test_edited_scenario_on_letter(edited, edited_pdf):
    inputs, result = edited
    assert _page_size(edited_pdf) == LETTER
    first = edited_pdf.pages[0]
    assert "Reserve plan: Embargo risk tripled" in first
    assert "embargo x3.xlsx" in first
    assert edited_pdf.reader.metadata.title == "Reserve plan: Embargo risk tripled"
    for m in result.materials:
        assert f"{fmt.tonnes(m.reserve_target_t)} t of {m.material}" in edited_pdf.text
    assert "changed by the user" in edited_pdf.text
    n = len(edited_pdf.pages)
    assert f"Page {n} of {n}" in edited_pdf.pages[-1]


def test_no_plan_report_shows_status_problems_and_inputs(qapp, invalid, infeasible, tmp_path,
                                                        read_pdf):
    from reserve_planner.report.pdf import write_report_pdf

    for (inputs, result), name in ((invalid, "invalid.pdf"), (infeasible, "infeasible.pdf")):
        write_report_pdf(inputs, result, tmp_path / name)
        pdf = read_pdf(tmp_path / name)
        assert f"Reserve plan: {inputs.name}" in pdf.pages[0]
        assert result.status.value in pdf.pages[0]
        assert "What has to change" in pdf.text
        assert "Disruption scenarios" in pdf.text and "Sources" in pdf.text
        assert "Reserve by material" not in pdf.text
    assert "min_cover_days" in read_pdf(tmp_path / "invalid.pdf").text
    assert "purchase limit" in read_pdf(tmp_path / "infeasible.pdf").text


def test_write_is_atomic_and_replaces(qapp, baseline, tmp_path):
    from reserve_planner.report.pdf import write_report_pdf

    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    write_report_pdf(*baseline, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    assert (target.stat().st_mode & 0o777) == 0o644


def test_failed_write_leaves_nothing(qapp, baseline, tmp_path, monkeypatch):
    from reserve_planner.report import qt_render
    from reserve_planner.report.pdf import write_report_pdf

    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(qt_render.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report_pdf(*baseline, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_missing_folder_and_bad_page_size_raise(qapp, baseline, tmp_path):
    from reserve_planner.report.pdf import write_report_pdf

    with pytest.raises(FileNotFoundError):
        write_report_pdf(*baseline, tmp_path / "no" / "such" / "r.pdf")
    with pytest.raises(ValueError, match="page size"):
        write_report_pdf(*baseline, tmp_path / "r.pdf", page_size="B7")
    assert not list(tmp_path.iterdir())


def test_cli_writes_report_without_a_display(tmp_path, read_pdf):
    """``reserve-planner solve --report`` in a fresh process with no display settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "cli.pdf"
    proc = subprocess.run([sys.executable, "-m", "reserve_planner", "solve", "--quiet",
                           "--report", str(out)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Fatal" not in proc.stderr
    pdf = read_pdf(out)
    assert pdf.reader.metadata.title == "Reserve plan: Article baseline"
    assert re.search(r"Page 1 of \d+", pdf.pages[0])


def _pdf_fonts(pdf) -> set[str]:
    fonts = set()
    for page in pdf.reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(ref.get_object()["/BaseFont"]).lstrip("/"))
    return fonts


def test_baseline_pdf_text_has_plain_words_in_the_bundled_font(baseline_pdf):
    """Ligatures off and matplotlib's DejaVu Sans embedded, whatever fonts the machine has
    (DejaVu's ligatures once turned "floor" into "\ufb02oor", 236 times)."""
    ligatures = sorted({c for c in baseline_pdf.text if "\ufb00" <= c <= "\ufb06"})
    assert ligatures == []
    assert baseline_pdf.text.count("floor") >= 10
    assert "fi" in baseline_pdf.text  # e.g. "first", "figure" are plain letters
    fonts = _pdf_fonts(baseline_pdf)
    assert fonts and all(f.split("+")[-1].startswith("DejaVuSans") for f in fonts), fonts


def test_report_font_is_loaded_from_matplotlib(qapp):
    import matplotlib
    from PySide6.QtGui import QFont, QFontInfo

    from reserve_planner.report import qt_render

    files = qt_render.report_font_files()
    assert len(files) == 4
    assert all(str(f).startswith(matplotlib.get_data_path()) for f in files)
    font = qt_render.report_font(9.5)
    assert QFontInfo(font).family() == qt_render.REPORT_FONT_FAMILY
    for tag in ("liga", "clig", "dlig"):
        assert font.isFeatureSet(QFont.Tag(tag)) and font.featureValue(QFont.Tag(tag)) == 0


def test_report_with_dollar_names_shows_them_as_typed(qapp, tmp_path, read_pdf):
    """A material named "$\\foo$" crashed --report (mathtext); "Cost $5 to $10" was drawn
    as math italics."""
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.model.editing import rename_material, rename_scenario
    from reserve_planner.optimize import solve
    from reserve_planner.report.pdf import write_report_pdf

    base = load_article_baseline()
    odd = rename_scenario(rename_material(base, base.materials[-1].name, "$\\foo$"),
                          base.scenarios[1].name, "Cost $5 to $10")
    result = solve(odd)
    assert result.status.has_plan
    write_report_pdf(odd, result, tmp_path / "odd.pdf")
    text = read_pdf(tmp_path / "odd.pdf").text
    assert "$\\foo$" in text and "Cost $5 to $10" in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_private_report_stays_private(qapp, baseline, tmp_path):
    """``--report`` over a 0600 file once left it 0644, readable by everyone."""
    from reserve_planner.report.pdf import write_report_pdf

    target = tmp_path / "private.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    write_report_pdf(*baseline, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.pdf"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and links")
def test_a_new_report_follows_the_umask_and_a_link_is_followed(qapp, baseline, tmp_path):
    from reserve_planner.report.pdf import write_report_pdf

    old = os.umask(0o027)
    try:
        write_report_pdf(*baseline, tmp_path / "new.pdf")
    finally:
        os.umask(old)
    assert ((tmp_path / "new.pdf").stat().st_mode & 0o777) == 0o640
    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    write_report_pdf(*baseline, link)
    assert link.is_symlink() and real.read_bytes().startswith(b"%PDF")
    assert (real.stat().st_mode & 0o777) == 0o640


def test_the_temporary_file_uses_the_workbook_writers_pattern(qapp, baseline, tmp_path,
                                                              monkeypatch):
    from reserve_planner.report import qt_render
    from reserve_planner.report.pdf import write_report_pdf

    seen = []

    def spy(src, dst):
        seen.append(Path(src).name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(qt_render.os, "replace", spy)
    with pytest.raises(OSError, match="No space"):
        write_report_pdf(*baseline, tmp_path / "r.pdf")
    assert re.fullmatch(r"\.~r\.pdf\.[0-9a-f]{8}\.tmp", seen[0])
    assert list(tmp_path.iterdir()) == []
