"""The demo city in a Chinese UI: its layer names are Chinese, and the built-in
planning docks still find their layers by what the layers hold, not by English names."""

from __future__ import annotations

import pytest

from cimviewer.testing import show_plugin_dock
from cimviewer.ui.app import load_demo_into

pytestmark = pytest.mark.gui


def test_demo_layers_are_named_in_chinese_and_docks_find_them(cim_main_window, qtbot):
    window = cim_main_window(language="zh_CN")
    load_demo_into(window)
    qtbot.waitUntil(lambda: len(window.project.layers) >= 7, timeout=60000)
    names = [layer.name for layer in window.project.layers]
    assert set(names) >= {"地形", "建筑", "道路", "杆件", "变电站", "光纤节点", "传感器"}
    assert not any(name.isascii() for name in names)
    poles = show_plugin_dock(window, "pole_siting")
    values = poles.form.values()
    assert {k: values[k].name for k in ("roads", "poles", "buildings", "terrain")} == {
        "roads": "道路", "poles": "杆件", "buildings": "建筑", "terrain": "地形"}
    coverage = show_plugin_dock(window, "coverage_5g")
    assert coverage.layer_combo.currentText() == "杆件"
    # the colour maps of the style panel are named in Chinese too
    combo = window.layer_panel.style_panel.colormap
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "地形" in labels and not any(label.isascii() for label in labels)
