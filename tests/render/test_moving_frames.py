"""Frames drawn while the view moves on a software renderer use lighter meshes (the
terrain, pole shapes) and look the same; the still frame after them has full detail."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from cimviewer.core.camera import CameraState
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.layers import RasterLayer, TerrainLayer, VectorLayer
from cimviewer.core.project import Project
from cimviewer.render.snapshot import OffscreenView
from cimviewer.testing import drape

pytestmark = pytest.mark.render

CRS = "EPSG:32650"
X0, Y0 = 500000.0, 2501200.0
SIDE = 600  # pixels of 2 m: more than the terrain draws, so it is decimated already


def hills() -> TerrainGrid:
    rng = np.random.default_rng(11)
    x = np.linspace(0, 6 * np.pi, SIDE)
    heights = 30 + 12 * np.sin(x)[None, :] * np.cos(x / 2)[:, None]
    # rough ground (bumps of some 10 m): a coarse mesh cuts through them
    heights += 8 * gaussian_filter(rng.uniform(0, 1, heights.shape), 2.5)
    return TerrainGrid(heights, X0, Y0, 2.0, 2.0, CRS)


def project_with(*layers) -> Project:
    project = Project()
    for layer in layers:
        project.add_layer(layer)
    project.camera.state = CameraState((X0 + 600, Y0 - 1900, 900), (X0 + 600, Y0 - 600, 30),
                                       (0, 0, 1), 30.0)
    return project


def frame(view: OffscreenView, moving: bool) -> np.ndarray:
    view.scene.set_motion(moving)
    view.window.SetMultiSamples(0)
    return view.image().astype(int)


def test_the_moving_terrain_is_lighter_and_looks_the_same():
    terrain = TerrainLayer("hills", hills())
    view = OffscreenView(project_with(terrain), (320, 240))
    try:
        adapter = view.scene.adapters[terrain.uid]

        def drawn_triangles() -> int:
            return adapter.actor.GetMapper().GetInput().GetNumberOfCells()

        still = frame(view, False)
        full = drawn_triangles()
        moving = frame(view, True)
        light = drawn_triangles()
        assert light < full / 3
        # the same relief and colours, seen in blocks of 8 x 8 pixels
        def blocks(image):
            return image.reshape(30, 8, 40, 8, 3).mean(axis=(1, 3))
        difference = np.abs(blocks(moving) - blocks(still)).sum(axis=2)
        assert np.median(difference) < 10
        assert (difference > 40).mean() < 0.02
        again = frame(view, False)
        assert drawn_triangles() == full
        assert np.array_equal(again, still)
    finally:
        view.close()


def test_what_is_draped_on_the_terrain_stays_visible_while_moving():
    """The lighter terrain never rises above the full one: a value raster 1 m above
    the ground shows as much while moving as when still."""
    terrain = TerrainLayer("hills", hills())
    values = np.ones((60, 60))
    raster = RasterLayer("noise", ValueGrid(values, X0, Y0, 20.0, 20.0, CRS, name="n"))
    drape([terrain, raster])
    view = OffscreenView(project_with(terrain, raster), (320, 240))
    try:
        raster.visible = False
        ground_still = frame(view, False)
        ground_moving = frame(view, True)
        raster.visible = True
        shown_still = (np.abs(frame(view, False) - ground_still).sum(axis=2) > 30).sum()
        shown_moving = (np.abs(frame(view, True) - ground_moving).sum(axis=2) > 30).sum()
        assert shown_still > 0.3 * 320 * 240  # the raster covers much of the picture
        assert shown_moving >= 0.995 * shown_still
    finally:
        view.close()


def test_poles_have_fewer_sides_while_moving_and_stand_where_they_stood():
    xy = np.array([[X0 + 300.0 + 40 * i, Y0 - 600.0, 30.0] for i in range(10)])
    data = VectorData("point", xy, columns={"height_m": [40.0] * 10}, n_features=10)
    poles = VectorLayer("poles", data)
    project = project_with(poles)
    project.camera.state = CameraState((X0 + 480, Y0 - 900, 60), (X0 + 480, Y0 - 600, 50),
                                       (0, 0, 1), 30.0)
    view = OffscreenView(project, (320, 240))
    try:
        adapter = view.scene.adapters[poles.uid]

        def sides() -> int:
            return adapter.mapper.GetInputConnection(1, 0).GetProducer().GetResolution()

        poles.visible = False
        sky = frame(view, False)
        poles.visible = True
        still = np.abs(frame(view, False) - sky).sum(axis=2) > 40
        still_sides = sides()
        moving = np.abs(frame(view, True) - sky).sum(axis=2) > 40
        assert sides() < still_sides
        # the same poles in the same columns, about as wide
        assert np.array_equal(still.any(axis=0), moving.any(axis=0)) or \
            (still.any(axis=0) != moving.any(axis=0)).sum() <= 10
        assert 0.6 < moving.sum() / still.sum() < 1.2
        frame(view, False)
        assert sides() == still_sides
    finally:
        view.close()


def test_with_shadows_on_moving_frames_keep_the_full_meshes():
    """The shadow map is baked from what is drawn: lighter meshes would leave it stale
    in the still frame, so they are not used while shadows are on."""
    terrain = TerrainLayer("hills", hills())
    view = OffscreenView(project_with(terrain), (160, 120))
    try:
        adapter = view.scene.adapters[terrain.uid]
        view.scene.set_motion(True)
        assert adapter.actor.GetMapper() is not adapter.full.mapper
        view.scene.set_shadows(True)  # turning shadows on brings the full meshes back
        assert not view.scene.motion and adapter.actor.GetMapper() is adapter.full.mapper
        view.scene.set_motion(True)
        assert not view.scene.motion and adapter.actor.GetMapper() is adapter.full.mapper
        view.scene.set_shadows(False)
        view.scene.set_motion(True)
        assert view.scene.motion
    finally:
        view.close()
