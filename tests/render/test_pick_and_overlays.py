"""CPU ray picking agrees with VTK's GPU selector; overlays follow the camera."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import top_down_camera
from cimviewer.core.style import LayerStyle
from cimviewer.render.overlays import format_length, nice_length
from cimviewer.render.snapshot import OffscreenView
from cimviewer.testing import buildings_layer, roof_target

pytestmark = pytest.mark.render


@pytest.fixture
def view(cim_demo_project):
    v = OffscreenView(cim_demo_project, (480, 320))
    yield v
    v.close()


def test_cpu_pick_equals_gpu_selector_on_random_pixels(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cam = top_down_camera(target, 600)
    # an oblique view: eye to the south-west of the target
    cim_demo_project.camera.state = type(cam)(
        (target[0] - 300, target[1] - 400, target[2] + 350), tuple(target), (0, 0, 1), 30)
    for other in cim_demo_project.layers:
        if getattr(other, "data", None) is not None and other.data.kind == "point":
            other.visible = False  # poles are picked with a few pixels' tolerance on purpose
    view.render()
    rng = np.random.default_rng(3)
    agree = hits = 0
    for x, y in zip(rng.integers(5, 475, 60), rng.integers(5, 315, 60), strict=True):
        cpu = view.scene.pick(int(x), int(y))
        gpu = view.scene.pick_hardware(int(x), int(y))
        hits += gpu is not None
        agree += cpu == gpu
    assert hits > 20
    assert agree >= 58  # a pixel exactly on an edge may go either way


def test_thin_poles_are_pickable_within_a_few_pixels(view, cim_demo_project):
    poles = next(layer for layer in cim_demo_project.layers if layer.name == "Poles")
    base = poles.data.vertices[100]
    cim_demo_project.camera.state = type(top_down_camera(base, 10))(
        tuple(base + np.array([0, -60, 20])), tuple(base + np.array([0, 0, 4])), (0, 0, 1), 30)
    view.render()
    ren = view.scene.renderer
    ren.SetWorldPoint(*view.scene.to_local(base + np.array([0, 0, 4])), 1.0)
    ren.WorldToDisplay()
    x, y, _ = ren.GetDisplayPoint()
    assert view.scene.pick(int(x) + 2, int(y)) == (poles.uid, 100)


def test_pick_works_in_parallel_projection(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    index, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 300)
    camera = view.scene.renderer.GetActiveCamera()
    camera.ParallelProjectionOn()
    camera.SetParallelScale(60)
    view.render()
    assert view.scene.pick(240, 160) == (layer.uid, index)


def test_graduated_style_recolours_buildings_and_shows_legend(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 150)
    before = view.image()[160, 240].astype(int)
    layer.style = LayerStyle(mode="graduated", attribute="measuredHeight", classes=5,
                             classification="natural_breaks", colormap="viridis")
    view.scene.show_legend(layer)
    after = view.image()[160, 240].astype(int)
    assert np.abs(after - before).sum() > 60
    assert view.scene.legend.actor.GetVisibility() == 1
    assert len(view.scene.legend.rows) == 5
    # every class colour appears as a swatch in the legend's corner, and the text is dark
    img = view.image()
    h = img.shape[0]
    actor, renderer = view.scene.legend.actor, view.scene.renderer
    x0, y0 = actor.GetPositionCoordinate().GetComputedDisplayValue(renderer)
    x1, y1 = actor.GetPosition2Coordinate().GetComputedDisplayValue(renderer)
    assert 100 < y1 - y0 < 200  # about 22 px a row, whatever the window size
    corner = img[h - y1:h - y0, x0:x1].reshape(-1, 3).astype(int)  # the legend box only
    for _label, rgb in view.scene.legend.rows:
        assert (np.abs(corner - np.array(rgb)).sum(axis=1) < 12).sum() >= 4, rgb
    assert (corner.sum(axis=1) < 250).sum() > 10  # dark text on the light box


def test_north_arrow_turns_with_the_camera(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 300)  # north up
    view.render()
    assert abs(view.scene.north_arrow.heading) < 1
    width, height = view.window.GetSize()

    def label_inside() -> bool:
        label = view.scene.north_arrow.label
        box = [0.0] * 4  # around the label's position (it is centred there)
        label.GetBoundingBox(view.scene.renderer, box)
        x, y = label.GetPosition()
        margin = 4  # not touching the edge either
        return (margin <= x + box[0] and x + box[1] <= width - margin
                and margin <= y + box[2] and y + box[3] <= height - margin)

    assert label_inside()
    for _ in range(4):  # north to each side, down, up again: the "N" stays in view
        view.scene.renderer.GetActiveCamera().Roll(90)
        view.render()
        assert label_inside()
    view.scene.renderer.GetActiveCamera().Roll(90)
    view.render()
    assert abs(abs(view.scene.north_arrow.heading) - 90) < 1


def test_scale_bar_matches_metres_per_pixel(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)
    cim_demo_project.camera.state = top_down_camera(target, 300)
    view.render()
    bar = view.scene.scale_bar
    # two points 100 m apart at the focal plane are 100 / metres_per_pixel pixels apart
    ren = view.scene.renderer
    xs = []
    for dx in (0.0, 100.0):
        ren.SetWorldPoint(*(view.scene.to_local(target + np.array([dx, 0, 0]))), 1.0)
        ren.WorldToDisplay()
        xs.append(ren.GetDisplayPoint()[0])
    assert abs((xs[1] - xs[0]) * bar.metres_per_pixel() - 100) < 1.5
    assert bar.length in (10, 20, 50, 100, 200, 500, 1000)


def test_nice_lengths():
    assert nice_length(173) == 100 and nice_length(260) == 200 and nice_length(999) == 500
    assert format_length(2000) == "2 km" and format_length(50) == "50 m"


def test_sun_lights_walls_and_shadows_darken(view, cim_demo_project):
    layer = buildings_layer(cim_demo_project)
    _, target = roof_target(layer)  # the tallest tower
    cim_demo_project.camera.state = top_down_camera(target, 500)
    view.scene.set_sun(180, 30)
    lit = view.image().astype(int).sum()
    view.scene.set_sun(180, -10)  # night
    night = view.image().astype(int).sum()
    assert night < lit
    view.scene.set_sun(200, 20)
    no_shadows = view.image().astype(int)
    view.scene.set_shadows(True)
    shadows = view.image().astype(int)
    darker = (shadows.sum(axis=2) < no_shadows.sum(axis=2) - 40).mean()
    assert darker > 0.02  # the tower casts a long shadow on the ground and roofs


def test_export_larger_than_any_window(tmp_path, cim_demo_project):
    from PIL import Image

    from cimviewer.render.snapshot import render_png

    out = render_png(cim_demo_project, tmp_path / "big.png", (3000, 1800))
    img = Image.open(out)
    assert img.size == (3000, 1800)
    small = np.asarray(img.convert("RGB").resize((300, 180))).reshape(-1, 3)
    assert len(np.unique(small, axis=0)) > 200


def test_point_masts_stand_upright():
    """A 100 m mast is a dot seen from above and a tall thin bar seen from the side."""
    from cimviewer.core.camera import CameraState
    from cimviewer.core.datasets import VectorData
    from cimviewer.core.layers import VectorLayer
    from cimviewer.core.project import Project

    data = VectorData("point", np.array([[1000.0, 2000.0, 0.0]]),
                      columns={"height_m": [100.0]}, n_features=1)
    project = Project()
    layer = project.add_layer(VectorLayer("masts", data))
    view = OffscreenView(project, (300, 300))
    try:
        def drawn(state):
            project.camera.state = state
            layer.visible = False
            background = view.image().astype(int)
            layer.visible = True
            mask = np.abs(view.image().astype(int) - background).sum(axis=2) > 40
            rows, cols = np.nonzero(mask)
            return np.ptp(rows) + 1, np.ptp(cols) + 1
        # from above, 400 m up, 30 degree view: 100 m would be ~190 px if lying down
        tall, wide = drawn(CameraState((1000, 2000, 400), (1000, 2000, 0), (0, 1, 0), 30.0))
        assert tall < 40 and wide < 40
        # from the side: about 100 m high and a few metres wide
        tall, wide = drawn(CameraState((1000, 1700, 50), (1000, 2000, 50), (0, 0, 1), 30.0))
        assert tall > 100 and wide < tall / 4
    finally:
        view.close()


def test_far_masts_keep_a_screen_sized_tip_and_named_ones_a_label():
    """From 3 km a 30 m mast is under a pixel wide: its tip still shows, and a named
    point (a 5G site) is labelled, in Chinese too."""
    from cimviewer.core.camera import CameraState
    from cimviewer.core.datasets import VectorData
    from cimviewer.core.layers import VectorLayer
    from cimviewer.core.project import Project

    xyz = np.array([[1000.0, 2000.0, 0.0], [1600.0, 2000.0, 0.0], [1300.0, 2400.0, 0.0]])
    data = VectorData("point", xyz, columns={"height_m": [30.0] * 3,
                                             "name": ["站点一", "站点二", "站点三"]},
                      n_features=3)
    project = Project()
    layer = project.add_layer(VectorLayer("sites", data))
    view = OffscreenView(project, (400, 300))
    try:
        project.camera.state = CameraState((1300, 2200, 3000), (1300, 2200, 0), (0, 1, 0), 30)
        layer.visible = False
        background = view.image().astype(int)
        layer.visible = True
        changed = np.abs(view.image().astype(int) - background).sum(axis=2) > 40
        renderer = view.scene.renderer
        for point in xyz:
            top = point + np.array([0.0, 0.0, 30.0])
            renderer.SetWorldPoint(*(top - view.scene.origin), 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
            row, col = 300 - 1 - round(y), round(x)
            tip = changed[row - 6:row + 7, col - 6:col + 7]
            assert tip.sum() >= 20  # a dot of about 9 px, not a sub-pixel line
            above = changed[row - 30:row - 4, col - 40:col + 41]
            assert above.sum() >= 40  # the label's text and box above the tip
    finally:
        view.close()
