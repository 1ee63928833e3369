"""Persistent window settings (geometry, dock layout, recent files, report paper, where the
sensitivity study runs) through QSettings."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QLocale, QSettings

ORGANIZATION = "Reserve Planner"
APPLICATION = "Reserve Planner"
MAX_RECENT = 8
PAPER_SIZES = ("A4", "Letter")
#: Where Letter paper is the norm (the United States, Canada, Mexico, the Philippines and
#: much of Central and South America); everywhere else uses A4.
_LETTER_TERRITORIES = frozenset(
    getattr(QLocale.Country, name) for name in (
        "UnitedStates", "Canada", "Mexico", "Philippines", "Chile", "Colombia", "Venezuela",
        "CostaRica", "Guatemala", "Panama", "DominicanRepublic", "PuertoRico", "ElSalvador",
        "Nicaragua", "Honduras", "Belize", "UnitedStatesOutlyingIslands",
        "UnitedStatesVirginIslands")
    if hasattr(QLocale.Country, name))


def default_paper(locale: QLocale | None = None) -> str:
    """"Letter" in territories that use it (see :data:`_LETTER_TERRITORIES`), else "A4"."""
    locale = locale if locale is not None else QLocale()
    return "Letter" if locale.territory() in _LETTER_TERRITORIES else "A4"


def app_settings() -> QSettings:
    """The program's settings store: an INI file in the user's settings folder.

    INI on every platform (not the Windows registry) so the file can be inspected, copied
    and, in tests, redirected with ``QSettings.setPath(IniFormat, UserScope, folder)``.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def updated_recent(recent: list[str], path: str | Path, limit: int = MAX_RECENT) -> list[str]:
    """``recent`` with ``path`` first, without duplicates (same file, any spelling)."""
    new = os.path.abspath(path)
    key = os.path.normcase(new)
    return [new, *[p for p in recent if os.path.normcase(os.path.abspath(p)) != key]][:limit]


class WindowSettings:
    """Typed access to what the main window remembers between sessions."""

    def __init__(self, settings: QSettings | None = None):
        self._s = settings if settings is not None else app_settings()

    def recent_files(self) -> list[str]:
        value = self._s.value("recentFiles", [])
        if isinstance(value, str):  # QSettings gives a str for a one-element list
            value = [value]
        return [str(v) for v in (value or [])]

    def set_recent_files(self, paths: list[str]) -> None:
        self._s.setValue("recentFiles", list(paths))

    def add_recent(self, path: str | Path) -> list[str]:
        paths = updated_recent(self.recent_files(), path)
        self.set_recent_files(paths)
        return paths

    def remove_recent(self, path: str | Path) -> list[str]:
        key = os.path.normcase(os.path.abspath(path))
        paths = [p for p in self.recent_files() if os.path.normcase(os.path.abspath(p)) != key]
        self.set_recent_files(paths)
        return paths

    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def state(self) -> QByteArray | None:
        value = self._s.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def paper_size(self) -> str:
        """The report's paper, "A4" or "Letter" (default: from the locale)."""
        value = str(self._s.value("report/paperSize", "") or "")
        for name in PAPER_SIZES:
            if value.lower() == name.lower():
                return name
        return default_paper()

    def set_paper_size(self, name: str) -> None:
        if name not in PAPER_SIZES:
            raise ValueError(f"unknown paper size {name!r}; use A4 or Letter")
        self._s.setValue("report/paperSize", name)

    def study_workers(self) -> int:
        """Local worker processes for the sensitivity study (0 = one per core)."""
        try:
            n = int(self._s.value("analysis/workers", 0) or 0)
        except (TypeError, ValueError):
            return 0
        return max(0, n)

    def set_study_workers(self, n: int) -> None:
        if n < 0:
            raise ValueError(f"the number of workers must be 0 (all cores) or more (got {n})")
        self._s.setValue("analysis/workers", int(n))

    def study_scheduler(self) -> str:
        """The Dask scheduler address for the study; empty: a local process pool."""
        return str(self._s.value("analysis/scheduler", "") or "").strip()

    def set_study_scheduler(self, address: str) -> None:
        self._s.setValue("analysis/scheduler", address.strip())

    def last_directory(self) -> str:
        return str(self._s.value("lastDirectory", "") or "")

    def set_last_directory(self, path: str | Path) -> None:
        self._s.setValue("lastDirectory", str(Path(path).parent))

    def sync(self) -> None:
        self._s.sync()
