"""On a software renderer the window draws light meshes while the camera moves and
full detail in the still frame that follows."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.datasets import TerrainGrid
from cimviewer.core.layers import TerrainLayer
from cimviewer.core.project import Project

pytestmark = pytest.mark.gui


def test_orbiting_draws_the_light_terrain_then_the_full_one(qtbot, cim_display, monkeypatch):
    from cimviewer.ui.app import create_app
    from cimviewer.ui.view import ViewWidget

    monkeypatch.setenv("CIMVIEWER_ANTIALIAS", "adaptive")  # the software policy on any GL
    create_app("en")
    project = Project()
    x = np.linspace(0, 4 * np.pi, 600)
    heights = 20 + 10 * np.sin(x)[None, :] * np.cos(x)[:, None]
    layer = project.add_layer(TerrainLayer("hills", TerrainGrid(
        heights, 500000.0, 2501200.0, 2.0, 2.0, "EPSG:32650")))
    view = ViewWidget(project)
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    qtbot.waitExposed(view)
    adapter = view.scene.adapters[layer.uid]
    qtbot.waitUntil(lambda: view.antialiasing.configured, timeout=5000)

    def drawn() -> int:
        return adapter.actor.GetMapper().GetInput().GetNumberOfCells()

    camera = view.scene.renderer.GetActiveCamera()
    full = adapter.full.polydata.GetNumberOfCells()
    sizes = []
    for _ in range(5):  # an orbit: frames in quick succession
        camera.Azimuth(3)
        view.render()
        sizes.append(drawn())
    assert view.scene.motion
    assert max(sizes[1:]) < full / 3  # all but maybe the first of the run are light
    qtbot.waitUntil(lambda: not view.scene.motion, timeout=3000)  # the still frame
    assert drawn() == full
    view.close_view()
