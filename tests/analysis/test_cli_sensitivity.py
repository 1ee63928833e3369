"""``reserve-planner sensitivity``: summary, JSON with every variant's inputs, progress on
stderr, clear errors."""

import io
import json
from contextlib import redirect_stderr

import pytest

from reserve_planner.cli_sensitivity import main
from reserve_planner.io.workbook import save_scenario_workbook


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_lists_tornado_breakevens_frontiers_with_inputs(small, tmp_path):
    path = tmp_path / "small.xlsx"
    save_scenario_workbook(small, path)
    code, out, err = run(str(path), "--workers", "1", "--top", "2", "--json", "-")
    assert code == 0, err
    data = json.loads(out)
    assert data["inputs_name"] == "Small baseline"
    assert len(data["top_assumptions"]) == 3
    bars = data["tornado"]["bars"]
    assert bars and {"group", "values", "objective_usd", "net_benefit_usd", "reserve_t",
                     "flips"} <= set(bars[0])
    variants = {v["name"]: v for v in data["tornado"]["variants"]}
    assert variants["tariff low"]["changes"] == [
        {"path": "policy/tariff_share", "base_value": small.policy.tariff_share,
         "value": small.policy.tariff_share * 0.5}]
    groups = {b["group"] for b in data["breakevens"]["breakevens"]}
    assert groups == {b["group"] for b in bars[:2]}
    assert {"risk", "budget"} == set(data["frontiers"])
    assert sum(p["chosen"] for p in data["frontiers"]["risk"]["points"]) == 1
    assert "sensitivity" in err  # the progress bar went to stderr


def test_summary_to_stdout_and_json_to_a_file(small, tmp_path):
    path = tmp_path / "small.xlsx"
    save_scenario_workbook(small, path)
    target = tmp_path / "r.json"
    code, out, err = run(str(path), "--workers", "2", "--top", "1", "--json", str(target),
                         "--no-progress")
    assert code == 0, err
    assert "Assumptions that matter most:" in out and "Break-evens" in out
    assert "Risk frontier" in out and "<- chosen" in out
    assert f"wrote {target}" in err
    assert json.loads(target.read_text())["tornado"]["bars"]


def test_on_a_dask_cluster_with_an_edited_range(small, tmp_path):
    from distributed import LocalCluster

    path = tmp_path / "small.xlsx"
    save_scenario_workbook(small, path)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        code, out, err = run(str(path), "--scheduler", cluster.scheduler_address, "--top",
                             "1", "--range", "tariff=0:2", "--json", "-", "--no-progress")
    assert code == 0, err
    data = json.loads(out)
    assert data["executor"].startswith("Dask cluster at ")
    (tariff,) = [b for b in data["tornado"]["bars"] if b["group"] == "tariff"]
    assert tariff["values"]["low"] == 0.0 and tariff["values"]["high"] == 2.0
    assert tariff["range_rule"] == "given"


def test_errors_exit_2_with_a_message(tmp_path):
    code, _, err = run(str(tmp_path / "nope.xlsx"))
    assert code == 2 and "no such file" in err
    code, _, err = run("--scheduler", "tcp://127.0.0.1:9", "--workers", "2")
    assert code == 2 and "--workers is for the local pool" in err
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc, redirect_stderr(err):
        run("--workers", "0")
    assert exc.value.code == 2
    assert err.getvalue().startswith("reserve-planner: error: argument --workers: must be "
                                     "at least 1 (got 0)")
    for bad_range, needle in (("nonsense=0:1", "no input group 'nonsense'"),
                              ("tariff=2:1", "need finite LO <= HI"),
                              ("tariff", "expected GROUP=LO:HI")):
        err = io.StringIO()
        with pytest.raises(SystemExit), redirect_stderr(err):
            run("--range", bad_range)
        assert needle in err.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _, err = run(str(bad))
    assert code == 2 and "cannot load" in err


def test_registered_on_the_main_command(small, tmp_path):
    from reserve_planner.cli import main as cli_main

    path = tmp_path / "small.xlsx"
    save_scenario_workbook(small, path)
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(["sensitivity", str(path), "--workers", "1", "--top", "1",
                     "--no-progress"], out=out, err=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("Scenario: Small baseline")


# --- the same output flags as solve: --report, --out, --paper -------------------------------

def _first_page(path):
    import re

    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return reader, re.sub(r"\s+", " ", reader.pages[0].extract_text())


@pytest.fixture
def small_xlsx(small, tmp_path):
    path = tmp_path / "small.xlsx"
    save_scenario_workbook(small, path)
    return path


def test_report_results_workbook_and_json_together(qapp, small_xlsx, tmp_path):
    import openpyxl

    from reserve_planner.io.sensitivity_workbook import ANALYSIS_SHEETS

    pdf, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    code, out, err = run(str(small_xlsx), "--workers", "1", "--top", "2", "--no-progress",
                         "--report", str(pdf), "--out", str(xlsx), "--json", str(js),
                         "--paper", "letter")
    assert code == 0, err
    for p in (pdf, xlsx, js):
        assert f"wrote {p}" in err
    data = json.loads(js.read_text())
    reader, first = _first_page(pdf)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=1)  # Letter
    for label in data["top_assumptions"]:
        assert label in first
    import re

    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "What drives the answer" in text and "Risk and budget frontiers" in text
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "Summary"
    assert set(ANALYSIS_SHEETS) <= set(book.sheetnames)
    tornado_rows = [r for r in book["Tornado"].iter_rows(min_row=2, values_only=True)
                    if isinstance(r[0], int)]
    assert [r[2] for r in tornado_rows] == [b["group"] for b in data["tornado"]["bars"]]


def test_an_unwritable_output_is_named_and_the_others_are_written(qapp, small_xlsx, tmp_path):
    missing = tmp_path / "no such folder"
    xlsx, js = tmp_path / "r.xlsx", tmp_path / "r.json"
    code, _, err = run(str(small_xlsx), "--workers", "1", "--top", "1", "--no-progress",
                       "--report", str(missing / "r.pdf"), "--out", str(xlsx), "--json",
                       str(js))
    assert code == 2
    assert f"reserve-planner: error: cannot write {missing / 'r.pdf'}" in err
    assert "Traceback" not in err
    assert xlsx.exists() and js.exists() and not missing.exists()
    bad = tmp_path / "r.txt"
    code, _, err = run(str(small_xlsx), "--workers", "1", "--top", "1", "--no-progress",
                       "--out", str(bad))
    assert code == 2 and "extension .xlsx" in err and not bad.exists()


def test_an_existing_output_survives_a_failed_write(small_xlsx, tmp_path, monkeypatch):
    """A results workbook that fails to build or write leaves the file that was there."""
    import reserve_planner.io.sensitivity_workbook as sw

    target = tmp_path / "r.xlsx"
    target.write_bytes(b"the planner's earlier results")

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sw, "_variants", broken)
    code, _, err = run(str(small_xlsx), "--workers", "1", "--top", "1", "--no-progress",
                       "--out", str(target))
    assert code == 2 and "No space left on device" in err
    assert target.read_bytes() == b"the planner's earlier results"
    assert sorted(tmp_path.iterdir()) == sorted([small_xlsx, target])  # no temporary left


def test_solve_puts_the_tornado_in_its_report_and_workbook(qapp, small, small_xlsx, tmp_path):
    import openpyxl

    from reserve_planner.analysis import SerialExecutor, tornado
    from reserve_planner.cli import main as cli_main

    pdf, xlsx = tmp_path / "s.pdf", tmp_path / "s.xlsx"
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(["solve", str(small_xlsx), "--quiet", "--report", str(pdf), "--out",
                     str(xlsx), "--paper", "a4"], out=out, err=err)
    assert code == 0, err.getvalue()
    with SerialExecutor() as ex:
        top = [b.label for b in tornado(small, executor=ex).top(3)]
    reader, first = _first_page(pdf)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595, abs=1)  # A4
    assert all(label in first for label in top)
    names = openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    assert "Tornado" in names and "Break-evens" not in names
    plain = tmp_path / "plain.xlsx"
    code = cli_main(["solve", str(small_xlsx), "--quiet", "--no-diagnostics", "--out",
                     str(plain)], out=io.StringIO(), err=io.StringIO())
    assert code == 0
    assert "Tornado" not in openpyxl.load_workbook(plain, read_only=True).sheetnames


def test_no_plan_still_writes_the_report_and_workbook_that_say_why(qapp, small, tmp_path):
    from dataclasses import replace

    import openpyxl

    bad = replace(small, policy=replace(small.policy, min_cover_days=300.0,
                                        min_cover_by_month=1))
    path = tmp_path / "bad.xlsx"
    save_scenario_workbook(bad, path)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    code, _, err = run(str(path), "--workers", "1", "--no-progress", "--report", str(pdf),
                       "--out", str(xlsx))
    assert code == 1, err
    assert "give no plan" in err and f"wrote {pdf}" in err and f"wrote {xlsx}" in err
    names = openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    assert names[:3] == ["Summary", "Problems", "About"] and "Tornado" not in names
