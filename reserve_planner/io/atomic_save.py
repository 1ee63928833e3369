"""Save a file so that a failure never damages the file that was there.

:func:`atomic_write` writes to a temporary file in the target's folder, flushes it to disk,
then renames it over the target in one step. If anything fails (disk full, the file open in
Excel on Windows, no permission) the temporary file is removed, the old file is untouched,
and :class:`WorkbookSaveError` says why in a sentence.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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
    tmp = folder / f".~{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        raise save_error(target, exc, existed) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if existed:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise save_error(target, exc, existed) from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
