"""Safety: defusedxml active, zip bombs and macro-enabled files refused before parsing, other
formats and damaged files refused with a sentence."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from reserve_planner.io import raw_workbook, xlsx_safety
from reserve_planner.io.workbook import WorkbookError, load_scenario_workbook, read_workbook

SAVE_AS = "Save it as 'Excel Workbook (.xlsx)' in Excel or LibreOffice and load that file."


def _refusal(path) -> str:
    with pytest.raises(WorkbookError) as info:
        load_scenario_workbook(path)
    assert len(info.value.problems) == 1 and info.value.problems[0].sheet == ""
    return str(info.value)


def _rezip(data: bytes, replace: dict[str, bytes] | None = None,
           add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")
    assert functions.fromstring.__module__.startswith("defusedxml")


def test_reading_is_refused_without_defusedxml(monkeypatch, template, tmp_path):
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(template)
    assert _refusal(path) == (
        "Workbooks are not read without the 'defusedxml' package, which guards against "
        "malicious XML; install it (pip install defusedxml).")


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',
    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_xml_entity_attacks_are_refused(template, tmp_path, doctype):
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    if sheet.startswith(b"<?xml"):
        head, _, rest = sheet.partition(b"?>")
        head += b"?>"
    else:
        head, rest = b"", sheet
    evil = head + doctype + rest.replace(b"<t>Plan name</t>", b"<t>&lol2;</t>", 1)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_rezip(template, replace={"xl/worksheets/sheet1.xml": evil}))
    assert _refusal(path) == (
        "'plan.xlsx' contains XML entity or DTD declarations, which workbooks written by "
        "Excel or LibreOffice never do; it may be an attack and was not read.")


def _bomb(tmp_path, size: int, name: str = "xl/worksheets/sheet9.xml") -> object:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open(name, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)
    return path


def test_a_zip_bomb_is_refused_by_its_unpacked_size(tmp_path):
    path = _bomb(tmp_path, 101 << 20)
    assert path.stat().st_size < 1 << 20
    message = _refusal(path)
    assert message.startswith("'plan.xlsx' unpacks to 106 MB (ratio ")
    assert message.endswith(" to 1; the limit is 100 MiB); it looks like a zip bomb and was "
                            "not opened.")


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    assert _refusal(_bomb(tmp_path, 8 << 20)).startswith(
        "'plan.xlsx' has a part (xl/worksheets/sheet9.xml) that unpacks at a ratio of ")


def test_an_archive_of_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(2001):
            z.writestr(f"xl/p{i}.xml", "")
    assert _refusal(path) == ("'plan.xlsx' holds 2,001 parts; a workbook has a few dozen. It "
                              "looks like a zip bomb and was not opened.")


def test_an_oversized_file_is_refused_before_reading_it_all(monkeypatch, template, tmp_path):
    monkeypatch.setattr(xlsx_safety, "MAX_FILE_BYTES", 10_000)
    monkeypatch.setattr(raw_workbook, "MAX_FILE_BYTES", 10_000)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(template)
    size = len(template)
    assert _refusal(path) == (f"'plan.xlsx' is {size:,} bytes ({size / 1048576:.1f} MiB); the "
                              "limit is 10,000 bytes (0.0 MiB), and a scenario workbook is far "
                              "smaller. It was not opened.")


@pytest.mark.parametrize("suffix", [".xlsm", ".XLTM", ".xlam"])
def test_macro_enabled_file_names_are_refused(template, tmp_path, suffix):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(template)
    assert _refusal(path) == (
        f"'plan{suffix}' is a macro-enabled workbook ({suffix.lower()}); Reserve Planner does "
        f"not open files that can carry macros. {SAVE_AS}")


def test_a_macro_project_inside_an_xlsx_is_refused(template, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_rezip(template, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}))
    assert _refusal(path) == (
        "'plan.xlsx' contains a macro project (xl/vbaProject.bin); Reserve Planner does not "
        f"open files that can carry macros. {SAVE_AS}")


def test_a_macro_enabled_content_type_is_refused(template, tmp_path):
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml",
                          b"sheet.macroEnabled.main+xml")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_rezip(template, replace={"[Content_Types].xml": types}))
    assert _refusal(path) == (
        "'plan.xlsx' is a macro-enabled workbook; Reserve Planner does not open files that "
        f"can carry macros. {SAVE_AS}")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.xls", b"whatever", "'plan.xls' is an Excel 97-2003 workbook (.xls), not an Excel "
                              f"workbook (.xlsx). {SAVE_AS}"),
    ("plan.ods", b"whatever", "'plan.ods' is an OpenDocument spreadsheet (.ods), not an Excel "
                              f"workbook (.xlsx). {SAVE_AS}"),
    ("plan.csv", b"a,b\n1,2\n", f"'plan.csv' is a CSV text file, not an Excel workbook "
                                f"(.xlsx). {SAVE_AS}"),
    ("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "'plan.xlsx' is an Excel 97-2003 (.xls) file or a password-protected workbook. Remove "
     "any password and save it as 'Excel Workbook (.xlsx)' in Excel or LibreOffice and load "
     "that file."),
    ("plan.xlsx", b"Material,Demand\nNdPr,2568\n",
     "'plan.xlsx' is not an Excel workbook (.xlsx), or it is damaged: it is not a readable "
     f"zip archive (File is not a zip file). {SAVE_AS}"),
])
def test_other_formats_are_refused_with_a_sentence(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert _refusal(path) == message


def test_an_ods_renamed_to_xlsx_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    assert _refusal(path) == ("'plan.xlsx' is an OpenDocument spreadsheet (.ods), not an "
                              f"Excel workbook (.xlsx). {SAVE_AS}")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _refusal(path) == ("'plan.xlsx' is a zip archive but not an Excel workbook (.xlsx):"
                              f" it has no workbook part. {SAVE_AS}")


def test_a_damaged_part_is_refused(template, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_rezip(template, replace={"xl/workbook.xml": b"<workbook><sheets>"}))
    assert _refusal(path).startswith(
        "'plan.xlsx' is damaged or is not a workbook Excel or LibreOffice wrote, and could not "
        "be read (")


def test_missing_files_and_folders(tmp_path):
    assert _refusal(tmp_path / "nope.xlsx") == f"'{tmp_path / 'nope.xlsx'}' does not exist."
    folder = tmp_path / "dir.xlsx"
    folder.mkdir()
    assert _refusal(folder) == f"'{folder}' is a folder, not a workbook."


def test_only_the_cached_value_of_a_formula_is_read(template, tmp_path):
    """openpyxl writes formulas without a cached value; the reader reports, not computes."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    wb["Materials"]["F2"] = "=1+1"
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    raw = read_workbook(path)
    cell = raw.sheet("Materials").cell(2, 6)
    assert (cell.value, cell.formula) == (None, "=1+1")
