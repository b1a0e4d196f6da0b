"""Figures drawn in stripes add up to one picture, framed like the view."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from PIL import Image
from vtkmodules.vtkRenderingCore import vtkCamera

from cimviewer.render import figure as figure_module
from cimviewer.render.figure import Figure, fit_camera, stripes
from cimviewer.render.snapshot import OffscreenView

pytestmark = pytest.mark.render


def test_stripes_cover_every_row_once():
    rows = stripes((3840, 2400))
    assert rows[0][0] == 0 and rows[-1][1] == 2400 and len(rows) == 7
    assert all(a[1] == b[0] for a, b in itertools.pairwise(rows))
    assert stripes((100, 50)) == [(0, 50)]


def test_a_narrower_figure_is_widened_to_show_the_whole_view():
    camera = vtkCamera()
    camera.SetViewAngle(30)
    fit_camera(camera, (300, 200), (200, 300))
    view_half_width = math.tan(math.radians(15)) * 300 / 200
    figure_half_width = math.tan(math.radians(camera.GetViewAngle() / 2)) * 200 / 300
    assert figure_half_width == pytest.approx(view_half_width)
    wider = vtkCamera()
    wider.SetViewAngle(30)
    fit_camera(wider, (300, 200), (600, 200))  # wider: the height is kept, sides added
    assert wider.GetViewAngle() == pytest.approx(30)


def test_stripes_add_up_to_the_picture_drawn_at_once(cim_demo_project, monkeypatch):
    view = OffscreenView(cim_demo_project, (240, 160))
    try:
        view.scene.set_sun(200, 35)
        view.scene.set_shadows(True)
        view.render()
        whole = Figure(cim_demo_project, (480, 320), source=view.scene, view_size=(240, 160))
        assert whole.scene.shadows and whole.scene.shadow_resolution == 4096
        one = whole.render()
        whole.close()
        monkeypatch.setattr(figure_module, "STRIPE_PIXELS", 40_000)
        striped = Figure(cim_demo_project, (480, 320), source=view.scene, view_size=(240, 160))
        assert len(striped.stripes) == 4
        many = striped.render()
        striped.close()
    finally:
        view.close()
    diff = np.abs(one.astype(int) - many.astype(int)).sum(axis=2)
    assert diff.mean() < 2 and (diff > 60).mean() < 0.005


def test_a_map_view_figure_keeps_its_parallel_projection(cim_demo_project, monkeypatch):
    view = OffscreenView(cim_demo_project, (200, 150))
    try:
        camera = view.scene.renderer.GetActiveCamera()
        camera.ParallelProjectionOn()
        camera.SetParallelScale(400)
        screen = view.image()
        monkeypatch.setattr(figure_module, "STRIPE_PIXELS", 30_000)
        figure = Figure(cim_demo_project, (400, 300), source=view.scene, view_size=(200, 150))
        assert len(figure.stripes) == 4
        picture = figure.render()
        figure.close()
    finally:
        view.close()
    down = np.asarray(Image.fromarray(picture).resize((200, 150), Image.Resampling.BOX))
    diff = np.abs(down.astype(int) - screen.astype(int)).mean()
    moved = np.abs(down.astype(int) - np.roll(screen, 8, axis=1).astype(int)).mean()
    assert diff < 0.5 * moved
