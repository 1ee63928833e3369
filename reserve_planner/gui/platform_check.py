"""Can a window open here? Checked before Qt starts, because Qt aborts the process (a C++
``qFatal``) when its platform plugin cannot load, with a message that hides the cause.

No Qt import: the check finds PySide6's X11 plugin on disk and tries to load it with ctypes,
which names the first missing system library.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from pathlib import Path

#: Debian/Ubuntu packages with the X11 libraries Qt 6's xcb plugin loads.
XCB_PACKAGES = ("libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 "
                "libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 "
                "libxcb-randr0")


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def window_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why a window cannot open on this machine, as a sentence, or None if it can (or if
    this platform is not one the check understands)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: Qt's own choice
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return ("there is no display (DISPLAY is not set). 'reserve-planner solve' works "
                "without one; to open the window, run it in a desktop session")
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = re.search(r"([\w.+-]+\.so[\w.]*): cannot open", str(exc))
        missing = found.group(1) if found else str(exc)
        return (f"Qt's X11 support needs the system library {missing}, which is not "
                f"installed. On Debian or Ubuntu: sudo apt install {XCB_PACKAGES}")
    return None
