"""The "Sunlight hours" dock in the real main window with the demo city (needs a display)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_dock_colours_failing_buildings(cim_demo_window, qtbot):
    from cimviewer.testing import show_plugin_dock

    window = cim_demo_window
    dock = show_plugin_dock(window, "sunlight")
    buildings = next(la for la in window.project.layers if la.name == "Buildings")
    dock.form.set_value("buildings", buildings)
    dock.form.set_value("spacing_m", 40)
    dock.form.set_value("step_min", 30)
    dock.form.set_value("required_hours", 3)
    dock.run_button.click()
    qtbot.waitUntil(lambda: dock.run_button.isEnabled(), timeout=60_000)
    assert "pass" in dock.status.text(), dock.status.text()
    assert buildings.style.mode == "graduated"
    assert buildings.style.attribute == "sunlight_hours"
    assert [c.lower for c in buildings.style.fixed_classes] == [0.0, 3.0]
    assert dock.failing.count() > 0
    dock.fly_to(dock.failing.item(0))
    dock.clear()
    assert buildings.style.mode != "graduated"
