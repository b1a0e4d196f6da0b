"""Offscreen rendering of the demo city: pixels and picks, not just "no crash"."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import top_down_camera
from cimviewer.render.scene import BACKGROUND_BOTTOM, BACKGROUND_TOP
from cimviewer.render.snapshot import OffscreenView
from cimviewer.testing import buildings_layer, roof_target

pytestmark = pytest.mark.render


def _is_background(pixel: np.ndarray) -> bool:
    lo = np.minimum(BACKGROUND_TOP, BACKGROUND_BOTTOM) * 255 - 3
    hi = np.maximum(BACKGROUND_TOP, BACKGROUND_BOTTOM) * 255 + 3
    return bool(((pixel >= lo) & (pixel <= hi)).all())


@pytest.fixture
def view(cim_demo_project):
    v = OffscreenView(cim_demo_project, (640, 400))
    yield v
    v.close()


def test_overview_shows_city_where_the_camera_looks(view):
    img = view.image()
    h, w, _ = img.shape
    centre = img[h // 3: 2 * h // 3, w // 3: 2 * w // 3].reshape(-1, 3)
    background = np.array([_is_background(p) for p in centre[::37]])
    assert background.mean() < 0.05  # the city fills the middle of the view
    assert _is_background(img[2, w // 2])  # sky at the top edge
    assert len(np.unique(centre[::7], axis=0)) > 50  # shaded buildings, roads, terrain


def test_pick_returns_the_building_under_the_pixel(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    index, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 120)
    view.render()
    hit = view.scene.pick(320, 200)
    assert hit == (layer.uid, index)
    assert view.scene.pick(320 + 250, 200 + 150) != hit


def test_selection_highlights_the_building(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    index, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 120)
    before = view.image()[200, 320].astype(int)
    cim_demo_project.selection.set([(layer.uid, index)])
    after = view.image()[200, 320].astype(int)
    assert after[0] > 200 and after[1] > 160 and after[2] < 90  # highlight yellow
    assert np.abs(after - before).sum() > 60
    cim_demo_project.selection.clear()
    np.testing.assert_allclose(view.image()[200, 320], before, atol=2)


def test_hiding_a_layer_removes_its_pixels(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 120)
    shown = view.image()[200, 320].astype(int)
    layer.visible = False
    hidden = view.image()[200, 320].astype(int)
    assert np.abs(shown - hidden).sum() > 30
    assert view.scene.pick(320, 200) != (layer.uid, roof_target(layer)[0])


def test_world_point_under_cursor_is_in_project_crs(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 120)
    view.render()
    world = view.scene.world_point(320, 200)
    assert world is not None
    np.testing.assert_allclose(world[:2], target[:2], atol=1.0)
    assert abs(world[2] - target[2]) < 1.0
