"""IFC in the window: File > Open placement options, storeys and spaces from the layer
panel's context menu, selecting a storey."""

from __future__ import annotations

import pytest

from cimviewer.core.layers import CityModelLayer
from cimviewer.ui.open_options import OpenOptionsDialog, has_options
from tests.io.ifcfiles import build_ifc

pytestmark = pytest.mark.gui


def _actions(menu) -> dict:
    return {a.text(): a for a in menu.actions() if a.text()}


def test_placement_options_storeys_and_spaces(cim_main_window, qtbot, tmp_path):
    path = build_ifc(tmp_path / "house.ifc", millimetres=True)
    assert has_options(path)
    dialog = OpenOptionsDialog(path)
    assert dialog.options() == {}  # read as is by default
    assert not dialog.origin_x.isEnabled()
    dialog.place.setChecked(True)
    dialog.origin_x.setValue(500_000.0)
    dialog.origin_y.setValue(4_000_000.0)
    dialog.rotation.setValue(30.0)
    dialog.crs.setText("EPSG:32650")
    options = dialog.options()
    assert options == {"origin_x": 500_000.0, "origin_y": 4_000_000.0, "origin_z": 0.0,
                       "rotation": 30.0, "crs": "EPSG:32650"}
    dialog.deleteLater()

    window = cim_main_window()
    window.open_path(path, options)
    qtbot.waitUntil(lambda: len(window.project.layers) == 1, timeout=20000)
    layer = window.project.layers[0]
    assert isinstance(layer, CityModelLayer) and layer.load_options == options
    assert layer.crs == "EPSG:32650" and layer.bbox()[1] > 3_999_990

    menu = window.layer_panel.context_menu(layer)
    items = _actions(menu)
    storeys = _actions(items["Storeys"].menu())
    assert list(storeys)[:2] == ["Ground (0.0 m)", "First (3.0 m)"]
    assert storeys["First (3.0 m)"].isChecked()
    storeys["First (3.0 m)"].setChecked(False)
    first = next(i for i, a in enumerate(layer.model.objects.attributes)
                 if a.get("Name") == "First")
    assert layer.hidden_objects == {first}
    storeys["Show all storeys"].trigger()
    assert layer.hidden_objects == set()

    assert not items["Show spaces"].isChecked()  # hidden at first
    items["Show spaces"].setChecked(True)
    assert layer.hidden_types == set()

    _actions(items["Select storey"].menu())["First (3.0 m)"].trigger()
    assert window.project.selection.items == ((layer.uid, first),)
    menu.deleteLater()
