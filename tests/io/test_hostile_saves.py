"""Issue 10 §4: saves that never lose data. A full disk (simulated: every write raises
ENOSPC) leaves the existing file intact, gives one sentence and no "Exception ignored"
noise; the JSON output is atomic too; temporary files left by killed saves are removed by
the next save to that folder, and only those."""

from __future__ import annotations

import errno
import gc
import io
import json
import os
import sys
import time

import pytest

from reserve_planner.cli import main
from reserve_planner.io import atomic_save
from reserve_planner.io.atomic_save import STALE_AFTER_S, remove_stale_temporaries
from reserve_planner.io.workbook import WorkbookSaveError, save_scenario_workbook


class _FullDisk:
    """A file object whose writes fail with ENOSPC after ``room`` bytes."""

    def __init__(self, f, room: int):
        self._f, self._room = f, room

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def full_disk(monkeypatch):
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        return _FullDisk(real(fd, *args, **kwargs), room=2000)

    monkeypatch.setattr(atomic_save.os, "fdopen", fdopen)


def _unraisable(monkeypatch) -> list:
    seen: list = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u))
    return seen


def test_a_full_disk_keeps_the_old_workbook_and_says_so_once(baseline, tmp_path, full_disk,
                                                               monkeypatch):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the old workbook")
    seen = _unraisable(monkeypatch)
    with pytest.raises(WorkbookSaveError) as info:
        save_scenario_workbook(baseline, target)
    gc.collect()
    assert str(info.value) == (f"Could not save '{target}': the disk is full. The existing "
                               "file was not changed.")
    assert target.read_bytes() == b"the old workbook"
    assert os.listdir(tmp_path) == ["plan.xlsx"]
    assert seen == [], [str(u.exc_value) for u in seen]  # no "Exception ignored in ZipFile"


def test_a_full_disk_keeps_the_old_json(tmp_path, full_disk, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text('{"old": true}\n')
    out, err = io.StringIO(), io.StringIO()
    code = main(["solve", "--quiet", "--no-diagnostics", "--json", str(target)], out=out,
                err=err)
    assert code == 2
    assert err.getvalue() == (f"reserve-planner: error: Could not save '{target}': the disk is "
                              "full. The existing file was not changed.\n")
    assert target.read_text() == '{"old": true}\n'
    assert os.listdir(tmp_path) == ["r.json"]


def test_json_output_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("{}")
    os.chmod(target, 0o600)
    assert main(["solve", "--quiet", "--no-diagnostics", "--json", str(target)],
                out=io.StringIO(), err=io.StringIO()) == 0
    assert json.loads(target.read_text())["status"] == "optimal"
    assert target.stat().st_mode & 0o777 == 0o600


def test_stale_temporary_files_of_ours_are_removed_by_the_next_save(baseline, tmp_path):
    old = time.time() - STALE_AFTER_S - 10
    ours = [tmp_path / ".~plan.xlsx.0123abcd.tmp", tmp_path / ".~results.xlsx.deadbeef.tmp",
            tmp_path / ".~r.json.00ff00ff.tmp"]
    fresh = tmp_path / ".~plan.xlsx.11112222.tmp"  # a save that may still be running
    others = [tmp_path / ".~plan.xlsx.tmp", tmp_path / ".~plan.xlsx.NOTHEX00.tmp",
              tmp_path / "notes.tmp", tmp_path / ".~lock.plan.xlsx#"]
    for p in [*ours, fresh, *others]:
        p.write_bytes(b"x")
        os.utime(p, (old, old))
    os.utime(fresh, None)
    save_scenario_workbook(baseline, tmp_path / "plan.xlsx")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["plan.xlsx", fresh.name, *(p.name for p in others)])


def test_the_cleanup_rule_skips_folders_and_links(tmp_path):
    old = time.time() - STALE_AFTER_S - 10
    folder = tmp_path / ".~x.xlsx.0123abcd.tmp"
    folder.mkdir()
    link = tmp_path / ".~y.xlsx.0123abcd.tmp"
    link.symlink_to(tmp_path / "elsewhere")
    os.utime(folder, (old, old))
    assert remove_stale_temporaries(tmp_path) == []
    assert folder.is_dir() and link.is_symlink()
