"""Every field is checked; errors name the JSON path; broken files never crash."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cimviewer.io.errors import ReadError
from cimviewer.io.project.file import parse_document, parse_json, project_to_dict, read_document
from cimviewer.io.project.schema import ProjectError


@pytest.fixture(scope="module")
def good(dataset_dir, tmp_path_factory):
    from tests.io.project.data import build_project

    folder = tmp_path_factory.mktemp("valid")
    return project_to_dict(build_project(dataset_dir), folder / "p.cimproj",
                           layout={"version": 1, "state": "AAAA"})


def _set(data, path, value):
    *head, last = path
    for key in head:
        data = data[key]
    data[last] = value


@pytest.mark.parametrize(("path", "value", "message"), [
    (("layers", 2, "opacity"), 1.5, "layers[2].opacity: must be a number between 0 and 1"),
    (("layers", 2, "opacity"), True, "layers[2].opacity: must be a number"),
    (("layers", 0, "visible"), "yes", "layers[0].visible: must be true or false"),
    (("layers", 1, "style", "color"), [1, 2], "layers[1].style.color: must be three integers"),
    (("layers", 1, "style", "color", 0), 256, "layers[1].style.color[0]: must be an integer"),
    (("layers", 1, "style", "mode"), "rainbow", "layers[1].style.mode: must be one of"),
    (("layers", 1, "name"), "", "layers[1].name: must be a non-empty string"),
    (("layers", 2, "load_options", "drape_offset"), "high",
     "layers[2].load_options.drape_offset: must be a number"),
    (("camera", "position"), [1, 2], "camera.position: must be three numbers"),
    (("camera", "view_angle"), 0, "camera.view_angle: must be a number between 0 and 179"),
    (("camera", "position", 0), 1e400, "camera.position[0]: must be a finite number"),
    (("bookmarks", 1, "name"), 3, "bookmarks[1].name: must be a non-empty string"),
    (("time", "speed"), -1, "time.speed: must be a number"),
    (("time", "current"), "yesterday", "time.current: must be an ISO 8601"),
    (("origin",), [0, 0], "origin: must be three numbers"),
    (("plugin_state", "pole_siting", "version"), "3", "plugin_state.pole_siting.version"),
    (("plugin_state", "pole_siting", "data"), [], "plugin_state.pole_siting.data: must be"),
    (("layout", "state"), "not base64!", "layout.state: must be base64"),
    (("schema_version",), "2", "schema_version: must be an integer"),
    (("layers",), {}, "layers: must be a JSON array"),
])
def test_bad_field_gives_error_naming_its_json_path(good, path, value, message):
    data = copy.deepcopy(good)
    _set(data, path, value)
    with pytest.raises(ProjectError) as err:
        parse_document(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("text", "message"), [
    (b"", "not valid JSON"),
    (b"[1, 2]", "must hold a JSON object"),
    (b'{"schema_version": 2, "crs": NaN}', "NaN is not allowed"),
    (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100000, "nested too deeply"),
    (b'{"crs": "x"}', "schema_version is missing"),
    (b'{"schema_version": 0}', "schema_version: must be an integer >= 1"),
])
def test_broken_files(tmp_path, text, message):
    path = tmp_path / "x.cimproj"
    path.write_bytes(text)
    with pytest.raises(ProjectError, match=message):
        read_document(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        read_document(tmp_path / "none.cimproj")
    with pytest.raises(ProjectError, match="folder"):
        read_document(tmp_path)


def _mutate(value, draw):
    """Replace one random node of a JSON tree with a random JSON value."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        return {**value, key: _mutate(value[key], draw)}
    if isinstance(value, list) and value and draw(st.booleans()):
        i = draw(st.integers(0, len(value) - 1))
        return [*value[:i], _mutate(value[i], draw), *value[i + 1:]]
    return draw(JSON_VALUES)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_mutated_documents_fail_cleanly(good, data):
    doc = _mutate(copy.deepcopy(good), data.draw)
    try:
        parse_document(doc) if isinstance(doc, dict) else parse_json(json.dumps(doc).encode())
    except ReadError as exc:
        assert "\n" not in str(exc) and str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1), junk=st.binary(max_size=8))
def test_fuzz_truncated_files_fail_cleanly(good, tmp_path_factory, cut, junk):
    raw = json.dumps(good, indent=2).encode()
    raw = raw[: int(len(raw) * cut)] + junk
    path = tmp_path_factory.getbasetemp() / "fuzz.cimproj"
    path.write_bytes(raw)
    try:
        read_document(path)
    except ReadError as exc:
        assert "\n" not in str(exc)
