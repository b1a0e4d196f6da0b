"""Cast shadows: no shader failures, point markers still drawn, the sun from the project."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow

from cimviewer.core.camera import CameraState
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
