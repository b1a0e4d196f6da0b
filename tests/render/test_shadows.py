"""Cast shadows: no shader failures, point markers still drawn, the sun from the project."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow

from cimviewer.core.camera import CameraState
from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer
from cimviewer.render.snapshot import OffscreenView

pytestmark = pytest.mark.render


@pytest.fixture
def vtk_messages():
    """What VTK logs while the test runs (errors and warnings), as one string."""
    previous = vtkOutputWindow.GetInstance()
    capture = vtkStringOutputWindow()
    vtkOutputWindow.SetInstance(capture)
    yield capture
    vtkOutputWindow.SetInstance(previous)


def _look_at(project, point: np.ndarray, distance: float) -> None:
    point = np.asarray(point, float)
    eye = point + np.array([0, -0.6 * distance, 0.8 * distance])
    project.camera.state = CameraState(tuple(eye), tuple(point), (0, 0, 1), 30)


def _marker_pixels(view: OffscreenView, layer, world: np.ndarray, near: int) -> int:
    """Pixels within ``near`` px of where ``world`` shows that change when ``layer``
    is hidden: its marker there (a sensor's label sits above it, out of the window)."""
    shown = view.image().astype(int)
    renderer = view.scene.renderer
    renderer.SetWorldPoint(*view.scene.to_local(world), 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    row, col = shown.shape[0] - 1 - round(y), round(x)
    layer.visible = False
    hidden = view.image().astype(int)
    layer.visible = True
    window = np.s_[max(row - near, 0):row + near + 1, max(col - near, 0):col + near + 1]
    return int((np.abs(shown[window] - hidden[window]).sum(axis=2) > 40).sum())


def test_markers_stay_and_nothing_fails_with_shadows(cim_demo_project, vtk_messages):
    sensors = next(la for la in cim_demo_project.layers if isinstance(la, SensorLayer))
    poles = next(la for la in cim_demo_project.layers if la.name == "Poles")
    view = OffscreenView(cim_demo_project, (320, 240))
    try:
        counts = {}
        for shadows in (False, True):
            cim_demo_project.sun.set(when=datetime(2024, 6, 21, 15, 0),
                                     time_zone="Asia/Shanghai", latitude=22.54,
                                     longitude=114.06, shadows=shadows)
            assert view.scene.shadows is shadows
            sensor, pole = sensors.table.xyz[0], poles.data.vertices[100]
            _look_at(cim_demo_project, sensor, 120)
            counts["sensors", shadows] = _marker_pixels(view, sensors, sensor, 4)
            pole = pole + np.array([0.0, 0.0, 1.0])
            _look_at(cim_demo_project, pole, 60)
            counts["poles", shadows] = _marker_pixels(view, poles, pole, 40)
    finally:
        view.close()
    for kind in ("sensors", "poles"):
        assert counts[kind, False] > 10, counts
        assert counts[kind, True] > 0.5 * counts[kind, False], counts
    log = vtk_messages.GetOutput()
    assert "ERR" not in log and "error" not in log.lower(), log[:2000]


def test_project_sun_lights_the_scene(cim_demo_project):
    view = OffscreenView(cim_demo_project, (200, 150))
    try:
        sun = cim_demo_project.sun
        sun.set(when=datetime(2024, 6, 21, 15, 0), time_zone="Asia/Shanghai",
                latitude=22.54, longitude=114.06)
        azimuth, elevation = sun.position()
        assert (view.scene.sun_azimuth, view.scene.sun_elevation) == (azimuth, elevation)
        day = view.image().astype(int).sum()
        sun.set(when=datetime(2024, 6, 21, 23, 0))
        assert view.scene.sun_elevation < 0
        assert view.image().astype(int).sum() < day
    finally:
        view.close()


def _tower_on_a_slab() -> Project:
    """A 30 m tower on a 200 m ground slab, north up at UTM-like coordinates."""
    from cimviewer.core.citymodel import CityModel, TriangleMesh
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.testing import BOX_SEMANTICS, box

    x, y = 500000.0, 2490000.0
    parts = [box(x - 100, y - 100, x + 100, y + 100, -1, 0), box(x - 5, y - 5, x + 5, y + 5, 0, 30)]
    model = CityModel(crs="EPSG:32650", source_format="generated")
    model.objects.ids = ["ground", "tower"]
    model.objects.types = ["LandUse", "Building"]
    model.objects.parents = [[], []]
    model.objects.attributes = [{}, {}]
    model.meshes["1"] = TriangleMesh(np.vstack([v for v, _ in parts]),
                                     np.vstack([t + 8 * i for i, (_, t) in enumerate(parts)]),
                                     np.repeat(np.arange(2), 12).astype(np.int32),
                                     np.tile(BOX_SEMANTICS, 2))
    project = Project("EPSG:32650")
    project.add_layer(CityModelLayer("city", model))
    return project


@pytest.mark.parametrize("size", [(240, 240), (360, 180), (180, 360)])
def test_shadows_fall_away_from_the_sun_in_any_window_shape(size):
    # VTK bakes the shadow map with the window's aspect ratio: in a window that is not
    # square the shadow landed on the tower's sunny side
    from cimviewer.core.camera import top_down_camera

    project = _tower_on_a_slab()
    centre = np.array([500000.0, 2490000.0, 0.0])
    project.camera.state = top_down_camera(centre, 400)
    view = OffscreenView(project, size)
    try:
        view.scene.set_sun(180, 45)  # from the south: a 30 m shadow to the north
        view.scene.set_shadows(True)
        image = view.image().astype(int).sum(axis=2)
        renderer = view.scene.renderer

        def brightness(dx: float, dy: float) -> int:
            renderer.SetWorldPoint(*view.scene.to_local(centre + np.array([dx, dy, 0.0])), 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
            return int(image[image.shape[0] - 1 - round(y), round(x)])

        shaded = [brightness(0, 12), brightness(3, 25), brightness(-3, 18)]
        lit = [brightness(0, -18), brightness(20, 0), brightness(-20, 0), brightness(0, 45),
               brightness(40, 40), brightness(-60, -60)]
    finally:
        view.close()
    assert max(shaded) < 0.7 * min(lit), (shaded, lit)


def test_a_still_frame_does_not_bake_the_shadow_map_again(cim_demo_project):
    # a headlight moves with every frame and makes VTK bake the map again (the work of
    # two frames): while shadows are on, the fill light is fixed in the scene
    from cimviewer.render.shadows import shadow_baker

    view = OffscreenView(cim_demo_project, (200, 150))
    try:
        view.scene.set_shadows(True)
        for _ in range(3):  # labels and levels of detail settle in the first frames
            view.render()
        view.window.Render()
        assert not shadow_baker(view.scene._passes).GetNeedUpdate()
        lights = view.scene.renderer.GetLights()
        kinds = [lights.GetItemAsObject(i).LightTypeIsHeadlight()
                 for i in range(lights.GetNumberOfItems())]
        assert kinds == [False, False]
        view.scene.set_shadows(False)
        kinds = [lights.GetItemAsObject(i).LightTypeIsHeadlight()
                 for i in range(lights.GetNumberOfItems())]
        assert kinds == [False, True]
    finally:
        view.close()
