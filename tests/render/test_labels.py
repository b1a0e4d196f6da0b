"""Labels drawn from cached text images: de-cluttered by priority, Chinese drawn, text
re-rasterized only when it changes, live sensor values shown (pixels read back)."""

from __future__ import annotations

import time

import numpy as np
import pytest
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL backend)
from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

from cimviewer.core.camera import top_down_camera
from cimviewer.core.sensors import SensorLayer
from cimviewer.render.fonts import cjk_font
from cimviewer.render.labels import ScreenLabels, declutter
from cimviewer.render.snapshot import OffscreenView, grab_frame

pytestmark = pytest.mark.render

GREY = 0.5


def draw(labels: ScreenLabels, size: tuple[int, int] = (320, 200)) -> np.ndarray:
    """``labels`` alone on grey, camera looking down at the origin (1 unit = 1 px);
    the frame as (rows from the bottom, columns, RGB) ints."""
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetMultiSamples(0)
    window.SetSize(*size)
    renderer = vtkRenderer()
    renderer.SetBackground(GREY, GREY, GREY)
    window.AddRenderer(renderer)
    renderer.AddActor(labels.actor)
    camera = renderer.GetActiveCamera()
    camera.ParallelProjectionOn()
    camera.SetPosition(0, 0, 100)
    camera.SetFocalPoint(0, 0, 0)
    camera.SetViewUp(0, 1, 0)
    camera.SetParallelScale(size[1] / 2)
    renderer.ResetCameraClippingRange()
    tag = renderer.AddObserver("StartEvent", lambda *_a: labels.place(renderer))
    try:
        window.Render()
        return grab_frame(window).astype(int)
    finally:
        renderer.RemoveObserver(tag)
        window.Finalize()


def ink(image: np.ndarray) -> int:
    return int((image.sum(axis=2) < 150).sum())  # the dark text, not box or background


def test_declutter_is_the_greedy_choice_by_priority():
    rng = np.random.default_rng(3)
    lo = rng.uniform(0, 400, (300, 2))
    boxes = np.column_stack([lo, lo + rng.uniform(10, 80, (300, 2))])
    order = rng.permutation(300)
    keep = declutter(boxes, order)
    expected = np.zeros(300, bool)
    for i in order:  # the plain loop it stands for
        b = boxes[i]
        taken = boxes[expected]
        if not ((taken[:, 0] < b[2]) & (b[0] < taken[:, 2]) & (taken[:, 1] < b[3])
                & (b[1] < taken[:, 3])).any():
            expected[i] = True
    assert (keep == expected).all()
    assert 20 < keep.sum() < 300  # some overlap, some do not


def test_overlapping_labels_show_the_more_important_one():
    near = np.array([[0.0, 0.0, 0.0], [6.0, 4.0, 0.0]])  # boxes overlap
    labels = ScreenLabels(0.75)
    alone = {}
    for i, text in enumerate(("Alpha 1", "Beta 2")):
        labels.set_labels(near[i:i + 1], [text])
        alone[text] = draw(labels)
    labels.set_labels(near, ["Alpha 1", "Beta 2"], np.array([1.0, 5.0]))
    both = draw(labels)
    assert list(labels.shown) == [1]
    assert np.abs(both - alone["Beta 2"]).max() == 0  # only Beta drawn, pixel for pixel
    labels.set_labels(near, ["Alpha 1", "Beta 2"], np.array([9.0, 5.0]))
    assert np.abs(draw(labels) - alone["Alpha 1"]).max() == 0
    # apart, both show, above their points, centred on them
    apart = np.array([[-80.0, 0.0, 0.0], [80.0, -40.0, 0.0]])
    labels.set_labels(apart, ["Alpha 1", "Beta 2"], np.array([1.0, 5.0]))
    image = draw(labels)
    assert sorted(labels.shown) == [0, 1]
    for (x, y, _z) in apart:
        col, row = 160 + int(x), 100 + int(y)  # the point's pixel (rows from the bottom)
        above = image[row + 2:row + 16, col - 20:col + 21]
        below = image[row - 16:row - 2, col - 20:col + 21]
        assert ink(above) > 15 and ink(below) == 0


def test_only_changed_texts_are_rasterized_again():
    labels = ScreenLabels(0.75)
    points = np.column_stack([np.linspace(-120, 120, 5), np.zeros(5), np.zeros(5)])
    labels.set_labels(points, [f"{v:.1f} dB" for v in range(5)])
    assert labels.rendered == 5
    labels.set_labels(points, ["0.0 dB", "1.0 dB", "7.0 dB", "3.0 dB", "4.0 dB"])
    assert labels.rendered == 6  # one new value
    labels.set_labels(points + 3, ["0.0 dB", "1.0 dB", "7.0 dB", "3.0 dB", "4.0 dB"])
    assert labels.rendered == 6  # moved, same texts: nothing drawn again


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine")
def test_chinese_labels_are_drawn():
    labels = ScreenLabels(0.7)
    labels.set_labels(np.zeros((1, 3)), ["10kV"])
    latin = ink(draw(labels))
    labels.set_labels(np.zeros((1, 3)), ["南光街10kV配电站"])
    chinese = ink(draw(labels))
    assert chinese > latin * 2, (latin, chinese)  # six characters of ink of their own
    image = labels.image_of("南光街10kV配电站")
    assert image.shape[1] > 90 and image.shape[0] >= 13


def test_scale_pixels_draws_larger_text():
    labels = ScreenLabels(0.7)
    labels.set_labels(np.zeros((1, 3)), ["42.1 µg/m³"])
    small = labels.image_of("42.1 µg/m³").shape
    labels.scale_pixels(2.0)
    large = labels.image_of("42.1 µg/m³").shape
    assert large[1] == pytest.approx(2 * small[1], rel=0.15)
    assert large[0] == pytest.approx(2 * small[0], rel=0.2)
    assert ink(draw(labels, (400, 200))) > 0


def _sensor(project) -> tuple[SensorLayer, int]:
    layer = next(lay for lay in project.layers if isinstance(lay, SensorLayer))
    rows = np.flatnonzero(np.asarray(layer.table.quantities, dtype=object) == "pm25")
    return layer, int(rows[len(rows) // 2])


def test_a_new_sensor_value_changes_the_drawn_label(cim_demo_project):
    layer, row = _sensor(cim_demo_project)
    layer.display_time = None  # the latest readings
    layer.settings = layer.settings.with_(surface_quantity=None)
    unit = layer.table.units[row]
    for other in cim_demo_project.layers:  # the sensors' labels on the ground alone
        if other is not layer and other.kind != "terrain":
            other.visible = False
    cim_demo_project.camera.state = top_down_camera(layer.table.xyz[row], 120)
    view = OffscreenView(cim_demo_project, (400, 300))
    try:
        adapter = view.scene.adapters[layer.uid]
        frames = []
        for value in (12.5, 505.0):
            layer.apply_batch([layer.table.ids[row]], np.array([time.time() + 1]),
                              np.array([value]))
            adapter.label_throttle.reset()
            frames.append(view.image().astype(int))
            text = f"{value:.1f} {unit}"
            assert text in adapter.labels.texts
            index = adapter.labels.texts.index(text)
            assert index in adapter.labels.shown  # the one in the middle of the view
        assert f"12.5 {unit}" not in adapter.labels.texts
        # the label above the sensor (the middle of the view) is drawn anew
        middle = (slice(110, 150), slice(140, 260))
        assert np.abs(frames[0][middle] - frames[1][middle]).sum(axis=2).max() > 100
        assert ink(frames[1][middle]) > ink(frames[0][middle])  # longer text
    finally:
        view.close()


def test_labels_of_different_layers_do_not_overlap():
    """A point layer's name and a sensor value at the same spot: the top (newest)
    layer's label shows, the other is left out."""
    from cimviewer.core.camera import CameraState
    from cimviewer.core.datasets import VectorData
    from cimviewer.core.layers import VectorLayer
    from cimviewer.core.project import Project

    def sites(name: str, x: float) -> VectorLayer:
        data = VectorData("point", np.array([[x, 2000.0, 0.0]]),
                          columns={"height_m": [30.0], "name": [name]}, n_features=1)
        return VectorLayer(name, data)

    project = Project()
    lower = project.add_layer(sites("南光街配电站", 1000.0))
    upper = project.add_layer(sites("清华街配电站", 1004.0))  # newer: on top
    project.camera.state = CameraState((1000, 2000, 1500), (1000, 2000, 0), (0, 1, 0), 30)
    view = OffscreenView(project, (400, 300))
    try:
        view.render()
        shown = {layer.name: len(view.scene.adapters[layer.uid].labels.shown)
                 for layer in (lower, upper)}
        assert shown == {"南光街配电站": 0, "清华街配电站": 1}
        upper.visible = False  # the lower one shows again
        view.render()
        assert len(view.scene.adapters[lower.uid].labels.shown) == 1
    finally:
        view.close()
