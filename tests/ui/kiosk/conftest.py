"""A kiosk window on the virtual screen, with timeouts shortened by its settings."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cimviewer.testing import needs_display

#: fast timings (seconds): the tour waits for the test to start it
FAST = {"attract_delay_s": 30.0, "idle_timeout_s": 30.0, "countdown_s": 1.0,
        "flight_s": 0.6, "dwell_s": 0.6, "orbit_deg_per_s": 20.0}


def release_kiosk(window: Any) -> dict[str, Any]:
    """Close a kiosk as the operator would (unlocked) and let Qt delete it."""
    window.unlocked = True
    window.close()
    window.deleteLater()
    return {"kiosk": weakref.ref(window), "view": weakref.ref(window.view),
            "scene": weakref.ref(window.view.scene), "shell": weakref.ref(window.shell)}


@pytest.fixture
def kiosk_window(request: pytest.FixtureRequest, cim_leak_check: list,
                 tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """``make(project=None, settings=None, language="en", full_screen=False,
    **timings)``: a presented kiosk on the demo city (or ``project``) on the primary
    screen; 880 x 560 unless ``full_screen``."""
    needs_display()
    qtbot = request.getfixturevalue("qtbot")
    from PySide6.QtCore import QSettings

    from cimviewer.core.kiosk import KioskSettings
    from cimviewer.ui.app import create_app
    from cimviewer.ui.kiosk.window import KioskWindow

    windows: list[Any] = []

    def make(project: Any = None, settings: Any = None, language: str = "en",
             present: bool = True, full_screen: bool = False,
             **timings: float) -> KioskWindow:
        create_app(language)
        if project is None:
            project = request.getfixturevalue("cim_demo_project")
        kiosk = (settings or KioskSettings()).with_(**{**FAST, **timings})
        qsettings = QSettings(str(tmp_path / f"kiosk{len(windows)}.ini"),
                              QSettings.Format.IniFormat)
        window = KioskWindow(project, kiosk, language=language, settings=qsettings)
        windows.append(window)
        window.show_on_monitor(0, full_screen=full_screen)
        if not full_screen:  # smaller frames: software GL on a shared machine
            window.resize(880, 560)
        qtbot.waitExposed(window)
        if present:
            window.present()
        return window

    yield make
    while windows:
        cim_leak_check.append(release_kiosk(windows.pop()))


@pytest.fixture
def kiosk_cleanup(cim_leak_check: list) -> Iterator[list[Any]]:
    """Kiosk windows a test made itself (``open_kiosk``): put them here to have them
    closed and checked for leaks."""
    windows: list[Any] = []
    yield windows
    while windows:
        cim_leak_check.append(release_kiosk(windows.pop()))
