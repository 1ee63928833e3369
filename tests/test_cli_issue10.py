"""Issue 10, command line: warnings on stderr, --paper, exit codes as the README says, and
subcommands registered from one list."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import openpyxl
import pytest

from reserve_planner import cli
from reserve_planner.cli import COMMANDS, default_paper, main

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_load_warnings_reach_stderr(tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert run("template", str(plan))[0] == 0
    wb = openpyxl.load_workbook(plan)
    wb.create_sheet("My notes")["A1"] = "scratch"
    wb.save(plan)
    code, out, err = run("solve", str(plan), "--quiet", "--no-diagnostics")
    assert code == 0 and out == ""
    assert "reserve-planner: warning: sheet 'My notes' is not part of a scenario workbook " \
           "and was not read\n" in err


@pytest.mark.parametrize(("env", "paper"), [
    ({"LANG": "en_US.UTF-8"}, "letter"), ({"LANG": "en_CA.UTF-8"}, "letter"),
    ({"LANG": "de_DE.UTF-8"}, "a4"), ({"LANG": "C.UTF-8"}, "a4"), ({}, "a4"),
    ({"LANG": "en_GB.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "letter"),
    ({"LC_ALL": "fr_FR.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "a4"),
])
def test_default_paper_follows_the_locale(env, paper):
    assert default_paper(env) == paper


@pytest.mark.parametrize(("argv", "size"), [(["--paper", "letter"], "Letter"),
                                            (["--paper", "a4"], "A4")])
def test_paper_reaches_the_report_writer(monkeypatch, tmp_path, argv, size):
    import reserve_planner.report.pdf as pdf

    seen = {}

    def fake(inputs, result, path, source_file=None, page_size="A4"):
        seen["page_size"] = page_size
        Path(path).write_bytes(b"%PDF-fake")

    monkeypatch.setattr(pdf, "write_report_pdf", fake)
    target = tmp_path / "r.pdf"
    code, _, err = run("solve", "--quiet", "--no-diagnostics", "--report", str(target), *argv)
    assert code == 0, err
    assert seen == {"page_size": size}


def test_a_bad_paper_size_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve", "--paper", "legal"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "argument --paper: invalid choice: 'legal'" in err and len(err.splitlines()) == 1


def test_a_letter_report_has_letter_pages(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "r.pdf"
    code, _, err = run("solve", "--quiet", "--no-diagnostics", "--report", str(target),
                       "--paper", "letter")
    assert code == 0, err
    box = pypdf.PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_invalid_workbook_values_exit_2_as_the_readme_says(tmp_path):
    readme = README.read_text()
    assert re.search(r"2 bad arguments, or a workbook that cannot be read or holds invalid "
                     r"values", " ".join(readme.split()))
    plan = tmp_path / "plan.xlsx"
    assert run("template", str(plan))[0] == 0
    wb = openpyxl.load_workbook(plan)
    wb["Scenarios"]["C3"] = 1.4
    wb.save(plan)
    assert run("solve", str(plan))[0] == 2


def test_subcommands_come_from_one_list_and_a_new_one_needs_one_function(monkeypatch):
    def add_hello(sub: argparse._SubParsersAction) -> None:
        p = sub.add_parser("hello", help="say hello")
        p.set_defaults(func=lambda args, out, err: out.write("hello\n") and 0)

    monkeypatch.setattr(cli, "COMMANDS", [*COMMANDS, add_hello])
    assert run("hello") == (0, "hello\n", "")
    assert run("solve", "--quiet", "--no-diagnostics")[0] == 0


def test_the_readme_lists_the_sheets_the_template_writes(tmp_path):
    from reserve_planner.io.scenario_layout import SCENARIO_SHEETS

    plan = tmp_path / "plan.xlsx"
    assert run("template", str(plan))[0] == 0
    written = openpyxl.load_workbook(plan, read_only=True).sheetnames
    assert tuple(written) == SCENARIO_SHEETS
    text = " ".join(README.read_text().split())
    assert f"one sheet per table ({', '.join(written)})" in text
