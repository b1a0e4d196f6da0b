"""Point clouds drawn offscreen: colour modes in pixels, the point budget, picking."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import top_down_camera
from cimviewer.core.pointcloud import ASPRS_CLASSES
from cimviewer.core.project import Project
from cimviewer.geometry import pointcloud_lod
from cimviewer.io.layers import open_layer
from cimviewer.render.snapshot import OffscreenView
from tests.io.lasfiles import write_las

pytestmark = pytest.mark.render

ORIGIN = np.array([500_000.0, 4_000_000.0, 20.0])
SIZE = (400, 300)


def _at(dx: float, dy: float) -> np.ndarray:
    return ORIGIN + np.array([dx, dy, 0.0])


def _grid(step: float, extent: float = 200.0) -> np.ndarray:
    ticks = np.arange(0.0, extent + 1e-9, step)
    x, y = np.meshgrid(ticks, ticks)
    return np.column_stack([x.ravel(), y.ravel(), np.zeros(x.size)]) + ORIGIN


@pytest.fixture
def two_halves(tmp_path):
    """A 200 m square, 1 m apart: the west half class 2, red, dim, low; the east half
    class 6, blue, bright, 10 m higher."""
    xyz = _grid(1.0)
    east = xyz[:, 0] > ORIGIN[0] + 100
    xyz[east, 2] += 10
    rgb = np.where(east[:, None], [0, 0, 255], [255, 0, 0])
    path = write_las(tmp_path / "halves.laz", xyz, point_format=7, crs="EPSG:32650",
                     rgb=rgb, intensity=np.where(east, 900, 100),
                     classification=np.where(east, 6, 2))
    project = Project()
    layer = open_layer(path)
    layer.point_size = 4
    project.add_layer(layer)
    project.camera.state = top_down_camera(_at(100, 100), 300)
    view = OffscreenView(project, SIZE)
    yield view, layer
    view.close()


def _west_east(view: OffscreenView) -> tuple[np.ndarray, np.ndarray]:
    img = view.image()
    return img[150, 120].astype(int), img[150, 280].astype(int)


@pytest.mark.parametrize("mode, west, east", [
    ("rgb", (255, 0, 0), (0, 0, 255)),
    ("classification", ASPRS_CLASSES[2][1], ASPRS_CLASSES[6][1]),
    ("intensity", (0, 0, 0), (255, 255, 255)),
    ("height", (68, 1, 84), (253, 231, 37)),  # the ends of viridis
])
def test_colour_modes_give_their_colours(two_halves, mode, west, east):
    view, layer = two_halves
    layer.color_mode = mode
    got_west, got_east = _west_east(view)
    np.testing.assert_allclose(got_west, west, atol=4)
    np.testing.assert_allclose(got_east, east, atol=4)


def test_the_first_frame_is_the_coarse_cloud_and_the_budget_holds(tmp_path, monkeypatch):
    monkeypatch.setattr(pointcloud_lod, "SINGLE_NODE_POINTS", 1000)
    monkeypatch.setattr(pointcloud_lod, "NODE_POINTS", 2000)
    path = write_las(tmp_path / "nodes.las", _grid(1.0))
    project = Project()
    layer = open_layer(path)
    project.add_layer(layer)
    view = OffscreenView(project, SIZE)
    try:
        adapter = view.scene.adapters[layer.uid]
        lod = layer.cloud.lod
        assert lod.n_nodes >= 10
        # before any camera is known every node shows its first level
        np.testing.assert_array_equal(adapter.drawn, lod.level_ends[:, 0])
        adapter.frame_budget = 3000
        view.render()
        in_view = adapter._in_view
        assert in_view.all()  # the overview shows the whole square
        assert adapter.drawn_points <= 3000
        assert (adapter.drawn[in_view] >= lod.level_ends[in_view, 0]).all()
        adapter.frame_budget = 10**7
        project.camera.state = top_down_camera(_at(20, 20), 20)
        view.render()
        shown = adapter._in_view
        assert 0 < shown.sum() < lod.n_nodes  # close up: the nodes out of view go...
        # ...and those below, 1 m apart seen from 20 m up, show every point
        np.testing.assert_array_equal(adapter.drawn[shown], lod.counts()[shown])
        assert adapter.drawn_points == lod.counts()[shown].sum()
    finally:
        view.close()


def test_a_click_snaps_to_the_point_and_measures_between_points(tmp_path):
    xyz = _grid(10.0)
    xyz[:, 2] += (np.arange(len(xyz)) % 7) * 0.5  # points at different heights
    path = write_las(tmp_path / "sparse.las", xyz, classification=np.full(len(xyz), 2))
    project = Project()
    layer = open_layer(path)
    project.add_layer(layer)
    project.camera.state = top_down_camera(_at(100, 100), 250)
    view = OffscreenView(project, SIZE)
    try:
        view.render()
        scene = view.scene
        renderer = scene.renderer
        targets = [xyz[123], xyz[301]]
        picked = []
        for target in targets:
            renderer.SetWorldPoint(*scene.to_local(target), 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
            hit = scene.pick(int(x) + 2, int(y) - 1)  # a couple of pixels off
            assert hit is not None and hit[0] == layer.uid
            np.testing.assert_allclose(layer.cloud.positions(np.array([hit[1]]))[0], target,
                                       atol=2e-3)
            picked.append(scene.world_point(int(x) + 2, int(y) - 1))
            np.testing.assert_allclose(picked[-1], target, atol=2e-3)  # the point itself
        from cimviewer.core.measure import path_length

        assert path_length(np.array(picked)) == pytest.approx(
            float(np.linalg.norm(targets[1] - targets[0])), abs=5e-3)
        assert scene.pick(5, 5) is None  # the sky, far from every point
    finally:
        view.close()
