"""The Legend dock: the current layer's classes, colours and unit, like the 3D legend."""

from __future__ import annotations

import pytest

from cimviewer.core.legend import attribute_unit
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import legend_entries
from cimviewer.testing import buildings_layer

pytestmark = pytest.mark.gui


def _select(window, layer) -> None:
    window.layer_panel.tree.setCurrentItem(window.layer_panel.item_of(layer))


def test_panel_shows_the_same_classes_and_colours_as_the_3d_legend(cim_demo_window):
    window = cim_demo_window
    panel = window.legend_panel
    layer = buildings_layer(window.project)
    _select(window, layer)
    layer.style = LayerStyle(mode="graduated", attribute="measuredHeight", classes=5,
                             classification="natural_breaks", colormap="viridis")
    overlay = window.view.scene.legend.rows
    style_rows = legend_entries(layer.style, layer.model.objects.attributes,
                                layer.object_types())
    assert len(overlay) == 5
    assert panel.colors() == [rgb for _, rgb in overlay] == [rgb for _, rgb in style_rows]
    labels = [panel.tree.topLevelItem(i).text(1) for i in range(panel.tree.topLevelItemCount())]
    assert labels == [label for label, _ in overlay]
    units = {panel.tree.topLevelItem(i).text(2) for i in range(5)}
    assert units == {"m"} and not panel.tree.isColumnHidden(2)
    assert "measuredHeight" in panel.title.text()
    assert window.view.scene.legend.title.endswith("measuredHeight (m)")
    # a new style: the panel follows at once
    layer.style = LayerStyle(mode="categorical", attribute="function")
    assert panel.colors() == [rgb for _, rgb in window.view.scene.legend.rows]
    assert panel.tree.isColumnHidden(2)  # categories have no unit


def test_panel_follows_the_current_layer(cim_demo_window):
    window = cim_demo_window
    panel = window.legend_panel
    layer = buildings_layer(window.project)
    layer.style = LayerStyle(mode="graduated", attribute="measuredHeight", classes=3)
    _select(window, layer)
    assert panel.tree.topLevelItemCount() == 3
    roads = next(la for la in window.project.layers if la.name == "Roads")
    _select(window, roads)
    assert panel.tree.topLevelItemCount() == 0
    assert panel.title.text().startswith("No legend")
    assert window.legend_dock.toggleViewAction() in window.view_menu.actions()


def test_panel_is_translated(cim_main_window):
    from cimviewer.core.project import Project

    window = cim_main_window(project=Project(), language="zh_CN")
    header = window.legend_panel.tree.headerItem()
    assert [header.text(i) for i in range(3)] != ["Colour", "Class", "Unit"]
    assert not window.legend_panel.title.text().startswith("No legend")
    assert window.legend_dock.windowTitle() != "Legend"


@pytest.mark.parametrize(("name", "unit"), [
    ("measuredHeight", "m"), ("height [m]", "m"), ("floor_area (m2)", "m²"),
    ("span_m", "m"), ("function", ""), ("@type", ""), (None, "")])
def test_units_from_attribute_names(name, unit):
    assert attribute_unit(name) == unit


def test_a_value_raster_has_a_legend_and_a_style_of_classes(cim_demo_window, qtbot, tmp_path):
    """A result raster opened in the window lies on the demo terrain, becomes current
    (its legend shows), and its style panel offers only classes of its values."""
    import numpy as np

    from cimviewer.core.datasets import ValueGrid
    from cimviewer.core.layers import RasterLayer, TerrainLayer
    from cimviewer.io.raster import write_values

    window = cim_demo_window
    terrain = next(la for la in window.project.layers if isinstance(la, TerrainLayer))
    box = terrain.bbox()
    values = np.tile(np.linspace(40.0, 80.0, 50), (50, 1))
    grid = ValueGrid(values, box[0] + 100, box[4] - 100, 10.0, 10.0, terrain.crs,
                     name="noise", unit="dB(A)")
    window.open_path(write_values(grid, tmp_path / "noise.tif"))
    qtbot.waitUntil(lambda: any(isinstance(la, RasterLayer) for la in window.project.layers),
                    timeout=20000)
    layer = next(la for la in window.project.layers if isinstance(la, RasterLayer))
    assert window.layer_panel.current_layer() is layer
    assert layer.ground is not None and np.isfinite(layer.ground).all()
    legend = window.view.scene.legend
    assert legend.title == "noise: noise (dB(A))" and len(legend.rows) == 5
    style = window.layer_panel.style_panel
    assert style.isEnabled() and not style.mode.isEnabled()
    assert style.attribute.currentData() == "noise"
    style.classes.setValue(3)
    style.colormap.setCurrentIndex(style.colormap.findData("reds"))
    assert layer.style.classes == 3 and layer.style.colormap == "reds"
    assert window.legend_panel.colors() == [rgb for _, rgb in legend.rows]
    assert len(legend.rows) == 3


def test_a_window_opened_on_a_project_shows_its_current_layers_legend(cim_main_window):
    """The layer that is current when the window opens has its legend in the panel and
    the view (it used to need a click on another layer and back)."""
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.core.project import Project
    from cimviewer.testing import make_city

    project = Project()
    layer = project.add_layer(CityModelLayer("city", make_city(20)))
    layer.style = LayerStyle(mode="graduated", attribute="height", classes=4)
    window = cim_main_window(project=project)
    assert window.layer_panel.current_layer() is layer
    assert window.legend_panel.tree.topLevelItemCount() == 4
    assert len(window.view.scene.legend.rows) == 4


def test_legends_speak_the_users_language_in_the_panel_and_the_view(cim_main_window):
    """Object types, a plugin's category codes and the "more" row: the same translated
    words in the Legend panel and in the 3D view's legend, the colours unchanged."""
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.core.project import Project
    from cimviewer.core.styling import TYPE_FIELD
    from cimviewer.testing import make_city

    project = Project()
    model = make_city(40)
    for i, attributes in enumerate(model.objects.attributes):
        attributes["status"] = ("new", "merged", "reused")[i % 3]
        attributes["serial"] = f"S{i}"  # 40 categories: more than a legend lists
    layer = project.add_layer(CityModelLayer("poles", model))
    window = cim_main_window(project=project, language="zh_CN")
    _select(window, layer)
    panel, view_legend = window.legend_panel, window.view.scene.legend

    def panel_labels() -> list[str]:
        return [panel.tree.topLevelItem(i).text(1)
                for i in range(panel.tree.topLevelItemCount())]

    layer.style = LayerStyle(mode="categorical", attribute=TYPE_FIELD)
    assert "对象类型" in panel.title.text() and "对象类型" in view_legend.title
    layer.style = LayerStyle(
        mode="categorical", attribute="status", attribute_label="状态",
        value_labels=(("new", "新建杆"), ("merged", "合杆"), ("reused", "保留")))
    assert sorted(panel_labels()) == sorted(["新建杆", "合杆", "保留"])
    assert [label for label, _ in view_legend.rows] == panel_labels()
    assert view_legend.title == "poles: 状态" and "状态" in panel.title.text()
    plain = legend_entries(LayerStyle(mode="categorical", attribute="status"),
                           model.objects.attributes)
    assert [rgb for _, rgb in view_legend.rows] == [rgb for _, rgb in plain]
    layer.style = LayerStyle(mode="categorical", attribute="serial")
    assert panel_labels()[-1] == view_legend.rows[-1][0] == "……另有 28 类"


def test_style_labels_are_kept_in_projects():
    style = LayerStyle(mode="categorical", attribute="status", attribute_label="状态",
                       value_labels=(("new", "新建杆"), ("1", "一")))
    assert LayerStyle.from_dict(style.to_dict()) == style
    assert "value_labels" not in LayerStyle().to_dict()  # older readers see no change
    with pytest.raises(ValueError, match="value labels"):
        LayerStyle.from_dict({"mode": "categorical", "value_labels": ["new"]})
