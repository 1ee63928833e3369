"""The window's pre-flight check names what is missing instead of letting Qt abort."""

import sys

import pytest

from reserve_planner.cli import main
from reserve_planner.gui import platform_check

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 check is Linux")


@linux
def test_no_display_is_explained():
    problem = platform_check.window_problem({})
    assert problem is not None and "no display" in problem


@linux
def test_offscreen_and_wayland_are_left_to_qt():
    assert platform_check.window_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert platform_check.window_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None


@linux
def test_a_missing_x11_library_is_named(monkeypatch, tmp_path):
    fake = tmp_path / "libqxcb.so"
    fake.write_bytes(b"not a library")
    monkeypatch.setattr(platform_check, "_xcb_plugin", lambda: fake)

    def refuse(path):
        raise OSError(f"{path}: libxcb-icccm.so.4: cannot open shared object file")

    monkeypatch.setattr(platform_check.ctypes, "CDLL", refuse)
    problem = platform_check.window_problem({"DISPLAY": ":0"})
    assert "libxcb-icccm.so.4" in problem and "sudo apt install" in problem


@linux
def test_cli_refuses_to_open_a_window_without_a_display(monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reserve-planner: error: the window cannot open: there is no display")
