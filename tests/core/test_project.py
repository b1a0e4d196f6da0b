import numpy as np

from cimviewer.core.camera import CameraState, overview_camera
from cimviewer.core.citymodel import CityModel, TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.selection import Selection
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import object_colors


def _layer(x0=500000.0, y0=2490000.0):
    model = CityModel(crs="EPSG:4547")
    model.objects.add("B1", "Building", {"h": 10})
    model.meshes["1"] = TriangleMesh(
        np.array([[x0, y0, 0], [x0 + 10, y0, 0], [x0, y0 + 10, 5]]),
        np.array([[0, 1, 2]], np.int32), np.zeros(1, np.int32), np.zeros(1, np.uint8))
    return CityModelLayer("b", model)


def test_origin_from_first_layer_and_stays():
    project = Project()
    project.add_layer(_layer())
    assert project.crs == "EPSG:4547"
    np.testing.assert_allclose(project.origin, [500005, 2490005, 2])  # rounded centre
    project.add_layer(_layer(600000, 2500000))
    np.testing.assert_allclose(project.origin, [500005, 2490005, 2])


def test_layer_events_fire_only_on_change():
    layer = _layer()
    seen = []
    layer.visibility_changed.connect(seen.append)
    layer.opacity_changed.connect(seen.append)
    layer.visible = True  # unchanged: no event
    layer.visible = False
    layer.opacity = 5  # clamped
    assert seen == [False]  # opacity clamped to 1.0, its current value: no event
    layer.opacity = 0.3
    assert seen[-1] == 0.3


def test_removing_a_layer_drops_its_selection():
    project = Project()
    a = project.add_layer(_layer())
    b = project.add_layer(_layer())
    project.selection.set([(a.uid, 0), (b.uid, 0)])
    project.layers.remove(a)
    assert project.selection.items == ((b.uid, 0),)


def test_selection_toggle_and_events():
    sel = Selection()
    events = []
    sel.changed.connect(events.append)
    sel.toggle(("l", 1))
    sel.toggle(("l", 2))
    sel.toggle(("l", 1))
    assert sel.items == (("l", 2),)
    assert len(events) == 3
    sel.set([("l", 2)])  # unchanged
    assert len(events) == 3


def test_camera_state_round_trip_and_overview():
    bbox = np.array([0, 0, 0, 100, 100, 50.0])
    cam = overview_camera(bbox)
    again = CameraState.from_dict(cam.to_dict())
    assert again == cam
    assert cam.position[2] > 50 and cam.position[1] < 0  # above, from the south


def test_styles_colour_objects():
    attrs = [{"f": "a", "h": 1}, {"f": "b", "h": 5}, {"f": "a", "h": 10}, {"f": None}]
    cat = object_colors(LayerStyle(mode="categorical", attribute="f"), attrs)
    assert (cat[0] == cat[2]).all() and not (cat[0] == cat[1]).all()
    grad = object_colors(LayerStyle(mode="graduated", attribute="h", classes=3,
                                     classification="equal_interval"), attrs)
    assert not (grad[0] == grad[2]).all()
    assert (grad[3] == 160).all()  # missing value: grey
    single = object_colors(LayerStyle(color=(1, 2, 3)), attrs)
    assert (single == [1, 2, 3]).all()


def test_style_from_dict_rejects_garbage():
    import pytest

    with pytest.raises(ValueError):
        LayerStyle.from_dict({"mode": "rainbow"})
    style = LayerStyle.from_dict({"mode": "graduated", "color": [300, -5, 10], "attribute": "h"})
    assert style.color == (255, 0, 10)
