"""Replacing a file in one step, so a failed save never damages the file that was there.

The one mechanism under every writer: the workbook and JSON writers
(:mod:`reserve_planner.io.atomic_save`, which adds its error sentences and the clean-up of
killed saves) and the PDF report (:mod:`reserve_planner.report.qt_render`). No project
imports: it sits below every layer.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def temporary_name(target: Path) -> Path:
    """The temporary file for ``target``: ``.~NAME.<8 hex digits>.tmp`` in its folder."""
    return target.parent / f".~{target.name}.{secrets.token_hex(4)}.tmp"


def replace_with(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(file)`` on a temporary file next to ``target``, flush it to disk and
    rename it over ``target``, which keeps its permissions (a new file gets 0666 less the
    umask). On any failure the temporary file is removed, ``target`` is untouched and the
    exception propagates unchanged. ``target`` should already be resolved (symlinks
    followed), so the file a link points to is the one replaced."""
    tmp = temporary_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


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
