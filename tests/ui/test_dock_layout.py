"""Plugin docks fit the window: opening tall plugin forms on a small screen never grows
the window past it; they share one tab group and scroll instead."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea

from cimviewer.testing import show_plugin_dock

pytestmark = pytest.mark.gui


def test_opening_plugin_docks_keeps_the_window_size(cim_demo_window, qtbot):
    window = cim_demo_window
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.height() == 700)
    coverage = show_plugin_dock(window, "coverage_5g")
    poles = show_plugin_dock(window, "pole_siting")
    qtbot.wait(100)
    assert (window.width(), window.height()) == (1000, 700)
    for content in (coverage, poles):
        dock = content.parentWidget()
        while dock is not None and not hasattr(dock, "setFeatures"):
            dock = dock.parentWidget()
        assert isinstance(content.parentWidget().parentWidget(), QScrollArea)
        assert dock.widget() is content  # plugin code still reaches its own widget
    # the two plugin docks are tabs of one group
    tabbed = window.tabifiedDockWidgets(window.shell.dock("plugin_coverage_5g_panel"))
    assert window.shell.dock("plugin_pole_siting_panel") in tabbed
    # the inspector keeps room to show rows
    assert window.inspector.height() >= 85  # a header and three rows, not two rows
