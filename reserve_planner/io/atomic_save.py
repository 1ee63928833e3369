"""Save a file so that a failure never damages the file that was there.

:func:`atomic_write` writes to a temporary file in the target's folder, flushes it to disk,
then renames it over the target in one step. If anything fails (disk full, the file open in
Excel on Windows, no permission) the temporary file is removed, the old file is untouched,
and :class:`WorkbookSaveError` says why in a sentence.

A save killed half-way (power cut, ``kill -9``) cannot remove its temporary file. The next
save to the same folder removes such leftovers, by this rule: only files named like ours
(``.~NAME.<8 hex digits>.tmp``), regular files owned by this user, not modified for
``STALE_AFTER_S`` seconds (a live save writes to its file all the time, and the longest
save, a results workbook at the solver's largest size, takes well under a minute).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..files import replace_with
from .workbook_problems import WorkbookSaveError, file_problem

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the folder path is not a folder",
    errno.EISDIR: "a folder of that name is in the way",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "the disk quota is used up"


STALE_AFTER_S = 300.0
"""Age after which a temporary file of our pattern is taken as left by a killed save [s]."""
_TMP_PATTERN = re.compile(r"^\.~.+\.[0-9a-f]{8}\.tmp$")


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files left in ``folder`` by killed saves (the rule in the module
    docstring); returns what was removed. Never raises."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TMP_PATTERN.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid):
                continue
            if now - st.st_mtime < STALE_AFTER_S:
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def save_workbook(wb, f: BinaryIO) -> None:
    """``wb.save`` onto the open file ``f``, closing openpyxl's zip archive cleanly if a
    write fails (a full disk), so no "Exception ignored in ZipFile.__del__" follows later."""
    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        archive._didModify = False  # nothing more to write: the file is thrown away
        with contextlib.suppress(Exception):
            archive.close()
        archive.fp = None
        raise


def save_error(path: Path, exc: OSError, existed: bool) -> WorkbookSaveError:
    """The sentence for a failed save of ``path`` caused by ``exc``."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        why = ("permission was denied. If the file is open in Excel or another program, "
               "close it and save again; otherwise choose a folder you can write to")
    else:
        why = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)
    after = "The existing file was not changed." if existed else "Nothing was written."
    return WorkbookSaveError([file_problem(f"Could not save '{path}': {why}. {after}",
                                           str(path))])


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, then replace ``path``.

    A symbolic link at ``path`` is followed, so the file it points to is replaced. The
    saved file keeps the permissions of the file it replaces; a new file gets the usual
    permissions (0666 less the umask). Raises :class:`WorkbookSaveError` on any OS error.
    Exceptions raised by ``write`` itself that are not OS errors propagate unchanged, after
    the temporary file is removed.
    """
    target = Path(os.path.realpath(os.fspath(path)))
    existed = target.exists()
    folder = target.parent
    remove_stale_temporaries(folder)
    try:
        replace_with(target, write)
    except OSError as exc:
        raise save_error(target, exc, existed) from None
