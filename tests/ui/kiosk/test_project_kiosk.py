"""``cimviewer kiosk PROJECT``: the project's kiosk section sets the story, layers,
overlays, language and timings; a project that cannot be read shows the demo city."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import overview_camera
from cimviewer.core.kiosk import KioskSettings, StoryStop
from cimviewer.core.sensors import SensorLayer
from cimviewer.io.project.file import save_project, set_kiosk_settings
from cimviewer.testing import needs_display

pytestmark = pytest.mark.gui


def _open(path, qtbot, cleanup, **overrides):
    needs_display()
    from cimviewer.ui.app import create_app
    from cimviewer.ui.kiosk.app import KioskOptions, open_kiosk

    create_app("zh_CN")
    window = open_kiosk(KioskOptions(project=path, windowed=True, overrides=overrides))
    cleanup.append(window)
    window.resize(1000, 640)
    qtbot.waitUntil(lambda: bool(window.story.stops), timeout=20000)
    return window


def test_the_kiosk_section_drives_the_kiosk(cim_demo_project, tmp_path, qtbot,
                                            kiosk_cleanup):
    project = cim_demo_project
    bbox = project.bbox()
    project.bookmarks.append(Bookmark("Harbour", overview_camera(bbox, pitch=30.0)))
    project.bookmarks.append(Bookmark("Centre", overview_camera(bbox, pitch=70.0)))
    set_kiosk_settings(project, KioskSettings(
        stops=(StoryStop("Centre", "The centre", "市中心"), StoryStop("Harbour", "", "港口"),
               StoryStop("Deleted")),
        layers=("Terrain", "Buildings", "Sensors"), toggle_layers=("Sensors", "Roads"),
        sensor_labels=False, language="zh_CN", attract_delay_s=30.0))
    path = save_project(project, tmp_path / "hall.cimproj")
    window = _open(path, qtbot, kiosk_cleanup)
    assert [s.bookmark for s in window.story.stops] == ["Centre", "Harbour"]
    assert window.story.cameras[0] == project.bookmarks[1].camera
    assert window.project.camera.state == window.story.cameras[0]  # home
    layers = {layer.name: layer for layer in window.project.layers}
    assert not layers["Roads"].visible and layers["Buildings"].visible
    assert list(window.controls.layer_buttons) == ["Sensors", "Roads"]
    assert not window.controls.layer_buttons["Roads"].isChecked()
    sensors = next(lay for lay in window.project.layers if isinstance(lay, SensorLayer))
    assert not sensors.settings.labels
    assert window.controls.home_button.text() == "首页"
    assert [b.text() for b in window.controls.story_buttons] == ["市中心", "港口"]
    assert window.kiosk.attract_delay_s == 30.0 and window.idle.armed


def test_an_unreadable_project_shows_the_demo(tmp_path, qtbot, kiosk_cleanup, caplog):
    path = tmp_path / "broken.cimproj"
    path.write_text("{ not json", encoding="utf-8")
    window = _open(path, qtbot, kiosk_cleanup)
    assert "showing the demo city instead" in caplog.text
    assert any(layer.name == "Buildings" for layer in window.project.layers)
    assert len(window.story.stops) == 5  # the built-in tour
    assert np.isfinite(window.project.camera.state.position).all()
