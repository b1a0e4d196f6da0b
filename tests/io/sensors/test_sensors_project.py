"""The sensor layer round-trips through the project file, without any password."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from cimviewer.core.sensors import SensorLayer
from cimviewer.io.project.file import open_project, save_project


def test_sensor_layer_and_settings_round_trip(cim_demo_project, tmp_path):
    layer = next(lay for lay in cim_demo_project.layers if isinstance(lay, SensorLayer))
    live = {"broker": "mqtt://broker.example:1883", "topics": ["city/+/pm25"],
            "username": "planner", "tls": True, "password": "never-saved"}
    layer.settings = layer.settings.with_(history=500, surface_quantity="no2", live=live,
                                          glyph_size=9.0)
    layer.opacity = 0.7
    path = save_project(cim_demo_project, tmp_path / "city.cimproj")
    text = path.read_text("utf-8")
    assert "never-saved" not in text
    record = next(r for r in json.loads(text)["layers"] if r["type"] == "sensors")
    assert not record["sensors"]["replay"]["path"].startswith("/")  # relative to the project
    opened = open_project(path)
    assert not [m for m in opened.messages if "sensors" in m.lower()], opened.messages
    again = next(lay for lay in opened.project.layers if isinstance(lay, SensorLayer))
    assert again.settings.history == 500 and again.settings.surface_quantity == "no2"
    assert again.settings.glyph_size == 9.0 and again.opacity == 0.7
    assert again.settings.live["topics"] == ["city/+/pm25"]
    assert "password" not in again.settings.live
    at = datetime.fromisoformat("2024-11-19T19:07:00+08:00")
    np.testing.assert_array_equal(again.value_at(at), layer.value_at(at))
    np.testing.assert_allclose(again.table.xyz, layer.table.xyz)  # placed on poles again
