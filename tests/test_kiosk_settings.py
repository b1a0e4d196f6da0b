"""The kiosk settings model and the project file's kiosk section (no display)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState
from cimviewer.core.kiosk import (
    KioskSettings,
    StoryStop,
    built_in_tour,
    hash_pin,
    verify_pin,
)
from cimviewer.core.project import Project
from cimviewer.io.project.file import (
    ProjectError,
    kiosk_settings,
    open_project,
    save_project,
    set_kiosk_settings,
)

CAMERA = CameraState((0.0, -10.0, 10.0), (0.0, 0.0, 0.0))


def _settings() -> KioskSettings:
    return KioskSettings(
        stops=(StoryStop("Harbour", "The harbour", "港口"), StoryStop("Towers")),
        idle_timeout_s=45.0, countdown_s=8.0, attract_delay_s=5.0, flight_s=3.0,
        dwell_s=7.0, orbit_deg_per_s=2.0, layers=("Buildings",), toggle_layers=("Roads",),
        sensor_labels=False, sensor_surface="pm25", language="en",
        pin_hash=hash_pin("13579"), monitor=1)


def test_round_trip_through_the_project_file(tmp_path):
    project = Project()
    project.bookmarks.append(Bookmark("Harbour", CAMERA))
    project.bookmarks.append(Bookmark("Towers", CAMERA))
    project.mark_saved()
    settings = _settings()
    set_kiosk_settings(project, settings)
    assert project.modified
    path = save_project(project, tmp_path / "hall.cimproj")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2  # an optional section: no new schema
    assert data["kiosk"]["stops"][0] == {"bookmark": "Harbour", "caption_en": "The harbour",
                                         "caption_zh": "港口"}
    assert "13579" not in path.read_text(encoding="utf-8")  # only a salted hash
    assert "港口" in path.read_text(encoding="utf-8")  # real UTF-8, not \u escapes
    opened = open_project(path)
    assert kiosk_settings(opened.project) == settings
    # the layers named are not in this project: said, not refused
    assert opened.messages == ["kiosk.layers: no layer named 'Buildings'",
                               "kiosk.toggle_layers: no layer named 'Roads'"]
    # saved again unchanged; removed with None
    again = save_project(opened.project, tmp_path / "again.cimproj")
    assert json.loads(again.read_text(encoding="utf-8"))["kiosk"] == data["kiosk"]
    set_kiosk_settings(opened.project, None)
    third = save_project(opened.project, tmp_path / "third.cimproj")
    assert "kiosk" not in json.loads(third.read_text(encoding="utf-8"))


def test_project_without_kiosk_section(tmp_path):
    path = save_project(Project(), tmp_path / "plain.cimproj")
    assert "kiosk" not in json.loads(path.read_text(encoding="utf-8"))
    assert kiosk_settings(open_project(path).project) is None


def _write(tmp_path, kiosk) -> object:
    path = save_project(Project(), tmp_path / "p.cimproj")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kiosk"] = kiosk
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("kiosk, where, message", [
    ([], "kiosk", "must be a JSON object"),
    ({"idle_timeout_s": -3}, "kiosk.idle_timeout_s", "between 1 and 86400"),
    ({"attract_delay_s": 60}, "kiosk.attract_delay_s", "between 0 and 30"),
    ({"countdown_s": "ten"}, "kiosk.countdown_s", "must be a number"),
    ({"language": "fr"}, "kiosk.language", "must be one of zh_CN, en"),
    ({"stops": [{"caption_en": "x"}]}, "kiosk.stops[0].bookmark", "non-empty string"),
    ({"stops": [{"bookmark": "A", "caption_zh": 3}]}, "kiosk.stops[0].caption_zh",
     "must be a string"),
    ({"layers": "Roads"}, "kiosk.layers", "must be a JSON array"),
    ({"pin_hash": "1234"}, "kiosk.pin_hash", "pbkdf2_sha256"),
    ({"monitor": -1}, "kiosk.monitor", "integer"),
    ({"sensor_labels": "yes"}, "kiosk.sensor_labels", "true or false"),
])
def test_validation_errors_name_the_field(tmp_path, kiosk, where, message):
    path = _write(tmp_path, kiosk)
    with pytest.raises(ProjectError) as info:
        open_project(path)
    line = info.value.one_line()
    assert where in line and message in line, line


def test_missing_references_are_messages_not_errors(tmp_path):
    path = _write(tmp_path, {"stops": [{"bookmark": "Gone"}], "toggle_layers": ["Nope"],
                             "future_key": {"a": 1}})
    opened = open_project(path)
    text = " | ".join(opened.messages)
    assert "kiosk.stops[0].bookmark: no bookmark named 'Gone'" in text
    assert "kiosk.toggle_layers: no layer named 'Nope'" in text
    assert "kiosk.future_key" in text  # not understood, kept
    again = save_project(opened.project, tmp_path / "again.cimproj")
    assert json.loads(again.read_text(encoding="utf-8"))["kiosk"]["future_key"] == {"a": 1}


def test_pin_is_salted_and_checked():
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second  # a salt of its own each time
    assert verify_pin("2468", first) and verify_pin("2468", second)
    assert not verify_pin("2469", first)
    assert not verify_pin("2468", "garbage")
    for bad in ("12", "abcd", "１２３４"):
        with pytest.raises(ValueError):
            hash_pin(bad)
    assert KioskSettings().check_pin("anything")  # no PIN: the chord alone
    assert KioskSettings(pin_hash=first).check_pin("2468")


def test_built_in_tour_circles_the_city():
    bbox = np.array([0.0, 0.0, 0.0, 1000.0, 800.0, 60.0])
    marks, stops = built_in_tour(bbox, towers=np.array([300.0, 400.0, 30.0]))
    assert [m.name for m in marks] == [s.bookmark for s in stops]
    assert len(stops) == 5 and all(s.caption_en and s.caption_zh for s in stops)
    assert StoryStop("A", "", "甲").caption("en") == "甲"  # falls back to the other
    for mark in marks:
        assert mark.camera.position[2] > 60  # above the city, looking down at it
        assert 0 <= mark.camera.focal_point[0] <= 1000
    _, no_towers = built_in_tour(bbox)
    assert len(no_towers) == 4
