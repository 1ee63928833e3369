"""Saving is atomic: a failure leaves the old file untouched, removes its temporary file, and
says why in a sentence."""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import replace

import pytest

from reserve_planner.io import atomic_save
from reserve_planner.io.workbook import (
    WorkbookError,
    WorkbookSaveError,
    load_scenario_workbook,
    save_scenario_workbook,
)

OLD = b"the planner's previous workbook"


@pytest.fixture
def existing(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(OLD)
    return path


def _save_error(inputs, path) -> str:
    with pytest.raises(WorkbookSaveError) as info:
        save_scenario_workbook(inputs, path)
    assert isinstance(info.value, WorkbookError)
    return str(info.value)


def _only(path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_save_replaces_the_file_and_leaves_no_temporary_file(baseline, existing):
    save_scenario_workbook(baseline, existing)
    assert load_scenario_workbook(existing) == baseline
    assert _only(existing) == ["plan.xlsx"]


def test_disk_full_while_writing_leaves_the_old_file(baseline, existing, monkeypatch):
    from openpyxl.writer.excel import ExcelWriter

    def full(self):
        self._archive.fp.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ExcelWriter, "save", full)
    assert _save_error(baseline, existing) == (
        f"Could not save '{existing}': the disk is full. The existing file was not changed.")
    assert existing.read_bytes() == OLD
    assert _only(existing) == ["plan.xlsx"]


def test_file_open_in_excel_leaves_the_old_file(baseline, existing, monkeypatch):
    """On Windows, replacing a file Excel has open fails with a permission error."""
    def locked(src, dst):
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(atomic_save.os, "replace", locked)
    assert _save_error(baseline, existing) == (
        f"Could not save '{existing}': permission was denied. If the file is open in Excel or "
        "another program, close it and save again; otherwise choose a folder you can write to."
        " The existing file was not changed.")
    assert existing.read_bytes() == OLD
    assert _only(existing) == ["plan.xlsx"]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="needs a POSIX user that folder permissions apply to")
def test_a_folder_without_write_permission(baseline, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        message = _save_error(baseline, folder / "plan.xlsx")
    finally:
        folder.chmod(0o700)
    assert message.startswith(f"Could not save '{folder / 'plan.xlsx'}': permission was "
                              "denied.")
    assert message.endswith("Nothing was written.")


def test_no_permission_to_create_a_file_in_the_folder(baseline, tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_save.os, "open", denied)
    path = tmp_path / "plan.xlsx"
    assert _save_error(baseline, path) == (
        f"Could not save '{path}': permission was denied. If the file is open in Excel or "
        "another program, close it and save again; otherwise choose a folder you can write to."
        " Nothing was written.")
    assert _only(path) == []


def test_a_folder_that_does_not_exist(baseline, tmp_path):
    path = tmp_path / "nowhere" / "plan.xlsx"
    assert _save_error(baseline, path) == (
        f"Could not save '{path}': the folder does not exist. Nothing was written.")


@pytest.mark.parametrize("name", ["plan.xlsm", "plan.csv", "plan"])
def test_only_xlsx_names_are_saved(baseline, tmp_path, name):
    suffix = os.path.splitext(name)[1] or "none"
    assert _save_error(baseline, tmp_path / name) == (
        f"Could not save '{tmp_path / name}': a scenario workbook must have the extension .xlsx"
        f" (got '{suffix}'). Nothing was written.")
    assert _only(tmp_path / name) == []


def test_text_excel_cannot_hold_is_reported_and_nothing_written(baseline, existing):
    scenario = replace(baseline.scenarios[0], name="bell\x07")
    inputs = replace(baseline, scenarios=(scenario, *baseline.scenarios[1:]))
    assert _save_error(inputs, existing) == (
        "Scenarios!A2: the text contains the control character '\\x07', which Excel cannot "
        "store")
    assert existing.read_bytes() == OLD


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_saved_file_keeps_the_permissions_of_the_old_one(baseline, existing):
    existing.chmod(0o640)
    save_scenario_workbook(baseline, existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_a_symbolic_link_is_followed(baseline, existing, tmp_path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(existing)
    save_scenario_workbook(baseline, link)
    assert link.is_symlink()
    assert load_scenario_workbook(existing) == baseline


def test_other_errors_in_the_writer_propagate_after_cleaning_up(existing):
    def boom(f):
        f.write(b"partial")
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        atomic_save.atomic_write(existing, boom)
    assert existing.read_bytes() == OLD
    assert _only(existing) == ["plan.xlsx"]
