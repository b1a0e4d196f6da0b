"""Enabling and disabling without restart; broken plugins stay isolated."""

from __future__ import annotations

import sys

import pytest

from cimviewer.algorithms.base import AlgorithmError, Context
from cimviewer.algorithms.runner import execute, validate
from cimviewer.io import registry
from cimviewer.io.layers import open_layer
from cimviewer.plugins.loader import PluginError
from cimviewer.plugins.manager import PluginManager


@pytest.fixture
def manager(samples):
    m = PluginManager()
    m.add_folder(samples)
    yield m
    m.disable_all()


def test_enable_disable_round_trip(manager, tmp_path):
    path = tmp_path / "three.hello"
    path.write_text("1 2 3 a\n4 5 6 b\n")
    for _ in range(2):
        assert manager.enable("cimtest_hello")
        assert {"cimtest_hello.squares", "cimtest_hello.points"} <= set(manager.algorithms)
        assert "cimtest_hello.hello" in registry.plugin_readers()
        assert ("Hello points", ["*.hello"]) in registry.file_dialog_filter()
        assert "cimtest_hello.red" in manager.styles
        layer = open_layer(path)
        assert layer.data.n_features == 2 and layer.data.columns["name"] == ["a", "b"]
        manager.disable("cimtest_hello")
        assert not any(k.startswith("cimtest_hello.") for k in manager.algorithms)
        assert "cimtest_hello.hello" not in registry.plugin_readers()
        assert "cimtest_hello.red" not in manager.styles
        with pytest.raises(registry.UnsupportedFormatError):
            open_layer(path)


def test_reader_cannot_take_builtin_suffixes():
    reader = registry.PluginReader("x.json", "JSON thief", (".json",), lambda p: None, "x")
    with pytest.raises(ValueError, match="already read by CityJSON"):
        registry.register_reader(reader)


def test_plugin_reader_errors_are_read_errors(manager, tmp_path):
    manager.enable("cimtest_hello")
    path = tmp_path / "bad.hello"
    path.write_text("1 2\n")
    with pytest.raises(registry.ReadError, match="x y z name"):
        open_layer(path)


def test_import_error_is_reported_and_isolated(manager):
    assert manager.enable("cimtest_broken")
    manager.enable("cimtest_hello")
    with pytest.raises(PluginError) as info:
        manager.algorithm("cimtest_broken.nothing")
    assert "cimtest_broken" in str(info.value)
    assert "ModuleNotFoundError" in str(info.value)
    record = manager.records["cimtest_broken"]
    assert record.status == "failed" and "import failed" in record.error
    assert "cimtest_broken.nothing" not in manager.algorithms  # registrations undone
    assert "cimtest_broken" not in sys.modules
    assert any(p == "cimtest_broken" for p, _ in manager.problems)
    # the others keep working
    algorithm = manager.algorithm("cimtest_hello.squares")
    out = execute(algorithm, validate(algorithm, {"n": 4}), Context())
    assert out["total"] == 0 + 1 + 4 + 9


def test_exception_in_an_algorithm(manager):
    manager.enable("cimtest_raising")
    algorithm = manager.algorithm("cimtest_raising.boom")
    with pytest.raises(AlgorithmError, match="RuntimeError: the algorithm exploded"):
        execute(algorithm, validate(algorithm, {}), Context())
    assert manager.records["cimtest_raising"].status == "enabled"


def test_guard_reports_the_plugin(manager):
    with manager.guard("cimtest_raising", "action 'explode'"):
        raise ValueError("kaput")
    assert manager.problems[-1] == ("cimtest_raising", "action 'explode' failed: ValueError: kaput")


def test_missing_dependency(tmp_path):
    folder = tmp_path / "plugs" / "cimtest_needs"
    folder.mkdir(parents=True)
    (folder / "plugin.toml").write_text(
        'name = "cimtest_needs"\nversion = "1"\napi = "1.0"\n'
        'dependencies = ["numpy>=1", "cimviewer-no-such-package>=2"]\n')
    manager = PluginManager()
    manager.add_folder(tmp_path / "plugs")
    assert manager.enable("cimtest_needs") is False
    assert "cimviewer-no-such-package>=2 (not installed)" in manager.records["cimtest_needs"].error


def test_plugin_state_round_trip(tmp_path):
    from cimviewer.core.project import Project
    from cimviewer.io.project.file import open_project, save_project
    from cimviewer.plugins.context import PluginContext

    project = Project()
    ctx = PluginContext("cimtest_hello", project, state_version=3)
    ctx.set_state({"sites": [1, 2]})
    save_project(project, tmp_path / "p.cimproj")
    reopened = PluginContext("cimtest_hello", open_project(tmp_path / "p.cimproj").project, 3)
    assert reopened.state() == {"sites": [1, 2]}
    assert reopened.saved_state_version() == 3
