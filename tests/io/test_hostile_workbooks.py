"""Issue 10 §2: hostile and broken workbooks, each the template with one change. Every case
gives a sentence naming sheet and cell (or the part), exits 2 from the CLI, stays within
a time bound, and writes nothing."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import hostile_cases as h  # noqa: E402

from reserve_planner.cli import main  # noqa: E402
from reserve_planner.io.workbook import (  # noqa: E402
    WorkbookError,
    load_scenario_workbook,
    load_scenario_workbook_bytes,
)

TIME_BOUND_S = 10.0


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> bytes:
    """The bytes of ``reserve-planner template plan.xlsx``."""
    path = tmp_path_factory.mktemp("template") / "plan.xlsx"
    assert main(["template", str(path)], out=io.StringIO(), err=io.StringIO()) == 0
    return h.use_template(path.read_bytes())


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def refused(data: bytes) -> list[str]:
    t0 = time.perf_counter()
    with pytest.raises(WorkbookError) as info:
        load_scenario_workbook_bytes(data, "plan.xlsx")
    assert time.perf_counter() - t0 < TIME_BOUND_S
    return str(info.value).splitlines()


def solve_refuses(tmp_path: Path, data: bytes) -> str:
    """Solve ``data`` with --out over an existing file: exit 2, nothing written."""
    src = tmp_path / "plan.xlsx"
    src.write_bytes(data)
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"old results")
    code, stdout, err = run("solve", str(src), "--out", str(out), "--quiet")
    assert code == 2, err
    assert out.read_bytes() == b"old results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "results.xlsx"]
    assert "Traceback" not in err and stdout == ""
    return err


@pytest.mark.parametrize(("title", "value", "expected"), [
    ("Start year", "10000", "start year 10000 is above 2200"),
    ("Start year", "0", "start year 0 is below 1900"),
    ("Horizon", "200000", "horizon 200000 is above 600"),
    ("Horizon", "2000000000", "horizon 2000000000 is above 600"),
])
def test_start_year_and_horizon_are_bounded(plan, tmp_path, title, value, expected):
    ref = h.setting_ref(plan, title)
    err = solve_refuses(tmp_path, h.set_number(plan, "Settings", ref, value))
    assert f"Settings!{ref}: {expected}" in err


@pytest.mark.parametrize(("sheet", "heading", "label"), [
    ("Materials", "Price ($/kg)", "price 1e+308 is above 1,000,000 $/kg"),
    ("Materials", "Demand (t/yr)", "demand 1e+308 is above 100,000,000 t/yr"),
    ("Projects", "Capacity (t/yr)", "capacity 1e+308 is above 100,000,000 t/yr"),
])
def test_huge_magnitudes_are_refused_with_the_cell(plan, tmp_path, sheet, heading, label):
    ref = h.heading_ref(plan, sheet, heading)
    err = solve_refuses(tmp_path, h.set_number(plan, sheet, ref, "1e308"))
    assert f"{sheet}!{ref}: {label}, the most this program accepts" in err


@pytest.mark.parametrize(("raw", "needle"), [
    ("1" + "0" * 400, "(401 characters), which is too large to compute with"),
    ("9" * 5000, "(5,000 characters), which is too large to compute with"),
    ("NaN", "the cell holds 'NaN', which is not a number (NaN)"),
    ("12abc", "the cell holds '12abc', which is not a number"),
])
def test_raw_values_that_are_no_numbers_name_the_cell(plan, raw, needle):
    ref = h.heading_ref(plan, "Materials", "Demand (t/yr)")
    lines = refused(h.set_number(plan, "Materials", ref, raw))
    assert len(lines) == 1
    assert lines[0].startswith(f"Materials!{ref}: demand: ") and needle in lines[0]


def test_garbage_dates_name_the_cell(plan):
    ref = h.heading_ref(plan, "Materials", "Demand (t/yr)")
    iso = h.set_raw(plan, "Materials", ref, "<v>2026-13-45T99</v>", ' t="d"')
    assert refused(iso) == [f"Materials!{ref}: demand: the cell holds the date "
                            "'2026-13-45T99', which is no date in the calendar; expected a "
                            "number in t/yr"]
    # a serial number far outside the calendar, in a cell given a date format (one more
    # cell format, numFmtId 14 = the built-in short date, appended to styles.xml)
    import re

    styles = h.part(plan, "xl/styles.xml")
    n = len(re.findall(rb"<xf ", re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles,
                                           re.S).group(1)))
    dated = h.rezip(plan, {"xl/styles.xml": styles.replace(
        b"</cellXfs>", b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" '
        b'applyNumberFormat="1"/></cellXfs>')})
    ok = h.set_number(dated, "Materials", ref, "46000", str(n))
    [line] = refused(ok)
    assert line == (f"Materials!{ref}: demand 2025-12-09 is a date, not a number; expected a "
                    "number in t/yr (format the cell as a number)")
    [line] = refused(h.set_number(dated, "Materials", ref, "1e12", str(n)))
    assert line == (f"Materials!{ref}: demand: the cell is formatted as a date but holds "
                    "'1e12', which is no date in the calendar; expected a number in t/yr")


@pytest.mark.parametrize("index", [-1, 10_000])
def test_shared_string_indices_out_of_range_are_refused(plan, index):
    shared = h.with_shared_strings(plan)
    assert load_scenario_workbook_bytes(shared, "plan.xlsx")[0] == \
        load_scenario_workbook_bytes(plan, "plan.xlsx")[0]
    ref = h.heading_ref(plan, "Materials", "Material")  # the first material's name cell
    lines = refused(h.set_shared_index(shared, "Materials", ref, index))
    assert lines[0].startswith(f"Materials!{ref}: the file is damaged: the cell refers to "
                               f"shared string {index:,}")


@pytest.mark.parametrize("name", list(h.EXPENSIVE))
def test_small_but_expensive_files_are_bounded(plan, tmp_path, name):
    data = h.EXPENSIVE[name](plan)
    assert len(data) < 20 * 1024 * 1024  # every one is under the file-size limit
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    t0 = time.perf_counter()
    try:
        _, warnings = load_scenario_workbook_bytes(data, "plan.xlsx")
        outcome = "loaded"
    except WorkbookError as exc:
        outcome = str(exc)
        assert "Traceback" not in outcome and "internal error" not in outcome
    assert time.perf_counter() - t0 < TIME_BOUND_S, name
    if name == "95 MB of shared strings":
        assert outcome == "loaded"  # strings no cell uses are never read
    else:
        assert outcome != "loaded", name


def test_expensive_cases_name_what_is_wrong(plan):
    assert refused(h.sheet_listed_many_times(plan)) == [
        "'plan.xlsx': xl/workbook.xml lists the sheet 'Settings' more than once, which Excel "
        "and LibreOffice never write: the file is damaged. Save it as 'Excel Workbook (.xlsx)' "
        "in Excel or LibreOffice and load that file. It was not read."]
    assert refused(h.rows_ending_in_xfd(plan))[0].startswith(
        "Materials: the sheet has cells beyond row 5,000 or column GR")
    assert refused(h.million_rows_without_dimension(plan))[0].startswith(
        "Series: the sheet has cells beyond row 5,000")
    assert "more than 5,000 number formats; Excel allows about 250" in refused(
        h.many_number_formats(plan))[0]
    assert "holds an XML comment, tag or other single item of more than 4 MiB" in refused(
        h.huge_comment(plan))[0]
    assert refused(h.dense_sheets(plan))[0].startswith(
        "Projects: the workbook has more than 250,000 cells")


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "plan.xlsx"
    os.mkfifo(fifo)
    result: dict = {}

    def load() -> None:
        try:
            load_scenario_workbook(fifo)
        except WorkbookError as exc:
            result["error"] = str(exc)

    t = threading.Thread(target=load, daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), "reading a FIFO blocked"
    assert result["error"] == (f"'{fifo}' is a named pipe (FIFO), not a regular file; only "
                               "workbook files are opened.")
    code, _, err = run("solve", str(fifo))
    assert code == 2 and "named pipe (FIFO)" in err


def test_the_size_limit_is_stated_exactly(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan + b"\0" * (21 * 1024 * 1024))
    size = path.stat().st_size
    [line] = str(pytest.raises(WorkbookError, load_scenario_workbook, path).value).splitlines()
    assert line == (f"'plan.xlsx' is {size:,} bytes ({size / 1048576:.1f} MiB); the limit is "
                    "20,971,520 bytes (20.0 MiB), and a scenario workbook is far smaller. It "
                    "was not opened.")


def test_a_disruption_after_the_horizon_warns(plan, tmp_path):
    ref = h.heading_ref(plan, "Scenarios", "Start (month)", row=3)
    data = h.set_number(plan, "Scenarios", ref, "5000")
    inputs, warnings = load_scenario_workbook_bytes(data, "plan.xlsx")
    assert inputs.scenarios[1].start_month == 5000
    assert any(w.startswith(f"Scenarios!{ref}: the disruption of scenario ")
               and "starts in month 5,000, after the 120-month horizon (months 0 to 119); it "
               "has no effect on the plan" in w for w in warnings), warnings
    src = tmp_path / "plan.xlsx"
    src.write_bytes(data)
    code, _, err = run("solve", str(src), "--quiet", "--no-diagnostics")
    assert code == 0
    assert f"reserve-planner: warning: Scenarios!{ref}: the disruption" in err


def test_macro_content_type_after_64_kb_is_found(plan):
    assert refused(h.padded_macro_content_type(plan)) == [
        "'plan.xlsx' is a macro-enabled workbook; Reserve Planner does not open files that can "
        "carry macros. Save it as 'Excel Workbook (.xlsx)' in Excel or LibreOffice and load "
        "that file."]


def test_a_renamed_vba_project_is_found_by_its_content(plan):
    assert refused(h.renamed_vba_part(plan))[0].startswith(
        "'plan.xlsx' contains a macro project (xl/media/image9.bin)")


@pytest.mark.parametrize(("heading", "typo"), [
    ("Starting stock (t)", "Startng stock (t)"),
    ("Hits allied supply", "Hits allied suply"),
])
def test_heading_typos_are_refused(plan, heading, typo):
    sheet = "Materials" if "stock" in heading else "Scenarios"
    row, col = h.find_ref(plan, sheet, heading)
    ref = h.ref_of(row, col)
    lines = refused(h.set_text(plan, sheet, ref, typo))
    assert lines == [f"{sheet}!{ref}: column '{typo}' is not a heading this program knows; "
                     f"did you mean '{heading}'? Correct the heading (as written, it would not "
                     f"be read and every row would use {'0' if 'stock' in heading else 'FALSE'})"]


def test_hidden_sheets_rows_and_columns_are_warned(plan):
    _, warnings = load_scenario_workbook_bytes(h.hidden_sheet(plan), "plan.xlsx")
    assert "Projects: the sheet is hidden in the workbook; it was read like the others " \
           "(unhide it to see what the plan uses)" in warnings
    _, warnings = load_scenario_workbook_bytes(h.hidden_row(plan), "plan.xlsx")
    assert "Materials: 1 row is hidden (3); it was read" in warnings
    _, warnings = load_scenario_workbook_bytes(h.hidden_column(plan), "plan.xlsx")
    assert "Materials: 1 column is hidden (F); it was read" in warnings


def test_a_setting_name_typo_is_refused(plan):
    row, col = h.find_ref(plan, "Settings", "Risk aversion")
    ref = h.ref_of(row, col)
    assert refused(h.set_text(plan, "Settings", ref, "Risk aversoin")) == [
        f"Settings!{ref}: setting 'Risk aversoin' is not one this program knows; did you mean "
        "'Risk aversion'? Correct the name"]


def test_empty_formatted_rows_and_cells_past_the_caps_are_harmless(plan):
    """A row only resized at row 6,000 and a styled but empty cell in column XFD are what
    spreadsheet programs write; only content past the caps refuses a sheet."""
    data = h.edit_part(plan, h.SHEET_PARTS["Materials"], lambda x: x.replace(
        b"</sheetData>", b'<row r="6000" ht="30" customHeight="1"/>'
        b'<row r="6001"><c r="XFD6001" s="1"/></row></sheetData>'))
    inputs, _ = load_scenario_workbook_bytes(data, "plan.xlsx")
    assert inputs == load_scenario_workbook_bytes(plan, "plan.xlsx")[0]
    with_value = h.edit_part(plan, h.SHEET_PARTS["Materials"], lambda x: x.replace(
        b"</sheetData>", b'<row r="6001"><c r="A6001"><v>1</v></c></row></sheetData>'))
    assert refused(with_value)[0].startswith("Materials: the sheet has cells beyond row 5,000")


@pytest.mark.parametrize("only", ["dense", "comment"])
def test_the_heaviest_cases_stay_under_10_s_and_1_gb_in_a_fresh_process(only):
    """The benchmark loads each case in a fresh process and reports its peak memory."""
    import re
    import subprocess

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "hostile_loads.py"
    proc = subprocess.run([sys.executable, str(bench), "--only", only], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r"worst load time ([\d.]+) s, worst peak memory (\d+) MB", proc.stdout)
    assert m is not None, proc.stdout
    assert float(m.group(1)) < TIME_BOUND_S and int(m.group(2)) < 1024, proc.stdout
    assert "FAILED" not in proc.stdout and "refused" in proc.stdout
