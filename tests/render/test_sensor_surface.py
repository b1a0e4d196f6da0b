"""The IDW surface on the map: colours read back from the render, the worker thread,
and transparency passes only when a layer needs them."""

from __future__ import annotations

import time

import numpy as np
import pytest

from cimviewer.core.camera import top_down_camera
from cimviewer.core.sensors import SensorLayer
from cimviewer.render.snapshot import OffscreenView
from cimviewer.testing import buildings_layer

pytestmark = pytest.mark.render


def _sensors(project) -> SensorLayer:
    return next(lay for lay in project.layers if isinstance(lay, SensorLayer))


def _set_pm25(layer: SensorLayer, value_of) -> np.ndarray:
    rows = np.flatnonzero(np.asarray(layer.table.quantities, dtype=object) == "pm25")
    now = time.time()
    layer.apply_batch([layer.table.ids[r] for r in rows], np.full(len(rows), now + 1),
                      np.array([value_of(r) for r in rows], float))
    return rows


def _screen(view: OffscreenView, world: np.ndarray) -> tuple[int, int]:
    renderer = view.scene.renderer
    renderer.SetWorldPoint(*(world - view.scene.origin), 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return round(x), view.window.GetSize()[1] - 1 - round(y)


def test_surface_colours_follow_the_values(cim_demo_project):
    layer = _sensors(cim_demo_project)
    layer.display_time = None  # the latest readings
    layer.settings = layer.settings.with_(surface_quantity="pm25", labels=False,
                                          glyph_size=0.01)
    for other in cim_demo_project.layers:  # only terrain and the surface under the camera
        if other is not layer and other.kind != "terrain":
            other.visible = False
    rows = _set_pm25(layer, lambda r: 5.0)
    row = int(rows[len(rows) // 2])
    xyz = layer.table.xyz[row]
    cim_demo_project.camera.state = top_down_camera(xyz, 400)
    view = OffscreenView(cim_demo_project, (400, 400))
    try:
        near = xyz + np.array([12.0, 0.0, 0.0])
        px, py = _screen(view, near)
        clean = view.image()[py, px].astype(int)
        _set_pm25(layer, lambda r: 300.0 if r == row else 5.0)  # smog at one sensor
        smog = view.image()[py, px].astype(int)
        adapter = view.scene.adapters[layer.uid]
        assert adapter.surface.values.max() > 200  # the interpolated field
        assert smog[0] - smog[1] > clean[0] - clean[1] + 40  # green -> red under the sensor
        grid = layer.surface_grid  # far from that sensor the air stays clean
        ys, xs = np.mgrid[0:grid.shape[0], 0:grid.shape[1]]
        d = np.hypot(grid.x0 + (xs + 0.5) * grid.dx - xyz[0],
                     grid.y0 - (ys + 0.5) * grid.dy - xyz[1])
        assert np.nanmax(adapter.surface.values[d > 800]) < 40
    finally:
        view.close()


def test_surface_is_computed_off_the_render_thread(cim_demo_project):
    layer = _sensors(cim_demo_project)
    layer.display_time = None
    layer.settings = layer.settings.with_(surface_quantity="pm25")
    view = OffscreenView(cim_demo_project, (200, 150))
    try:
        surface = view.scene.adapters[layer.uid].surface
        _set_pm25(layer, lambda r: float(r))
        values = layer.current()[0]
        surface.throttle.reset()
        assert surface.update(values) > 0  # started: the caller is asked to come back
        deadline = time.monotonic() + 10
        while surface.update() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not surface.busy
        rows = np.flatnonzero(np.asarray(layer.table.quantities, dtype=object) == "pm25")
        assert np.nanmax(surface.values) == pytest.approx(values[rows].max(), rel=0.02)
    finally:
        view.close()


def test_transparency_passes_only_for_see_through_buildings(cim_demo_project):
    view = OffscreenView(cim_demo_project, (200, 150))
    try:
        view.render()
        assert not view.scene.renderer.GetUseOIT()  # the half-transparent surface alone
        buildings_layer(cim_demo_project).opacity = 0.5
        view.render()
        assert view.scene.renderer.GetUseOIT()
    finally:
        view.close()


def test_labels_go_to_the_sensors_in_view(cim_demo_project, monkeypatch):
    from cimviewer.render.adapters import sensors as sensor_adapter

    layer = _sensors(cim_demo_project)
    layer.display_time = None
    rows = _set_pm25(layer, lambda r: 10.0 + r)  # the highest rows come first
    quiet = int(rows[0])  # the lowest priority of them
    monkeypatch.setattr(sensor_adapter, "MAX_LABELS", 3)
    view = OffscreenView(cim_demo_project, (400, 300))
    try:
        adapter = view.scene.adapters[layer.uid]
        view.render()
        assert quiet not in adapter.label_rows  # the whole city: the top three only
        assert len(adapter.label_rows) == 3
        cim_demo_project.camera.state = top_down_camera(layer.table.xyz[quiet], 150)
        adapter.label_throttle.reset()
        view.render()  # the camera moved: labels are chosen again among what is in view
        assert quiet in adapter.label_rows
        assert adapter.in_view()[adapter.label_rows].all()
        assert f"{10.0 + quiet:.1f} µg/m³" in adapter.label_text
    finally:
        view.close()


def test_the_ground_under_a_label_is_still_the_ground(cim_demo_project):
    """Clicking through a value label (or the surface) gives the terrain point below."""
    from cimviewer.geometry.terrain import sample_heights

    layer = _sensors(cim_demo_project)
    layer.display_time = None
    rows = _set_pm25(layer, lambda r: 42.0)
    for other in cim_demo_project.layers:  # nothing but terrain under the label
        if other is not layer and other.kind != "terrain":
            other.visible = False
    xyz = layer.table.xyz[int(rows[0])]
    cim_demo_project.camera.state = top_down_camera(xyz, 150)
    view = OffscreenView(cim_demo_project, (400, 300))
    try:
        adapter = view.scene.adapters[layer.uid]
        view.render()
        assert int(rows[0]) in adapter.label_rows
        x, y = _screen(view, xyz)
        display_y = view.window.GetSize()[1] - 1 - y
        grid = next(lay for lay in cim_demo_project.layers if lay.kind == "terrain").grid
        for dy in (6, 10):  # inside the label drawn just above the glyph
            world = view.scene.world_point(x, display_y + dy)
            assert world is not None
            ground = sample_heights(grid, world[:1], world[1:2])[0]
            assert abs(world[2] - ground) < 1.0
            assert np.hypot(*(world[:2] - xyz[:2])) < 15
    finally:
        view.close()
