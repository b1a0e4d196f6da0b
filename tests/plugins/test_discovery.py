"""Finding plugins in all three places, reading manifests without importing code."""

from __future__ import annotations

import sys
import textwrap

import pytest

from cimviewer.plugins.apiversion import API_VERSION
from cimviewer.plugins.discovery import builtin_folder
from cimviewer.plugins.manager import PluginManager
from cimviewer.plugins.manifest import ManifestError, read_manifest
from tests.plugins.samples import install_user_plugin


def make_entry_point_plugin(root, name="cimtest_ep"):
    """A tiny installed distribution: dist-info with an entry point, and its package."""
    pkg = root / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("IMPORTED = True\n")
    (pkg / "plugin.toml").write_text(textwrap.dedent(f"""
        name = "{name}"
        version = "0.1"
        api = "1.0"
        [[algorithms]]
        id = "noop"
        target = "{name}.algo:Noop"
    """))
    (pkg / "algo.py").write_text(textwrap.dedent("""
        from cimviewer.api import Algorithm, NumberOutput
        class Noop(Algorithm):
            def outputs(self):
                return [NumberOutput("x")]
            def run(self, params, ctx):
                return {"x": 42}
    """))
    info = root / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[cimviewer.plugins]\n{name} = {name}\n")


def test_all_three_places(tmp_path, monkeypatch, samples):
    make_entry_point_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    install_user_plugin("cimtest_hello")
    manager = PluginManager()
    manager.discover()
    origins = {name: r.origin for name, r in manager.records.items()}
    assert origins["cimtest_ep"] == "entry point"
    assert origins["building_stats"] == "built-in"
    assert origins["cimtest_hello"] == "user"
    assert manager.records["cimtest_ep"].folder == tmp_path / "cimtest_ep"
    # reading manifests imported nothing
    assert "cimtest_ep" not in sys.modules
    assert "cimtest_hello" not in sys.modules
    manager.enable_all()
    assert manager.algorithm("cimtest_ep.noop").run({}, None) == {"x": 42}
    assert sys.modules["cimtest_ep"].IMPORTED
    manager.disable_all()


def test_first_registration_wins_with_a_warning(user_plugins, tmp_path):
    clone = user_plugins / "building_stats"
    clone.mkdir()
    (clone / "plugin.toml").write_text('name = "building_stats"\nversion = "9"\napi = "1.0"\n')
    manager = PluginManager()
    manager.discover(entry_points=False)
    assert manager.records["building_stats"].origin == "built-in"
    assert any(p == "building_stats" and "keeping the first" in m for p, m in manager.problems)


def test_lazy_import(samples):
    manager = PluginManager()
    manager.add_folder(samples)
    manager.enable("cimtest_hello")
    assert "cimtest_hello" not in sys.modules
    assert "cimtest_hello.squares" in manager.algorithms
    manager.algorithm("cimtest_hello.squares")
    assert "cimtest_hello.algorithms" in sys.modules
    assert "cimtest_hello.widgets" not in sys.modules  # only what was used


@pytest.mark.parametrize("name, needs", [("cimtest_future", "1.7"), ("cimtest_major2", "2.0")])
def test_newer_api_is_refused(samples, name, needs):
    manager = PluginManager()
    manager.add_folder(samples)
    record = manager.records[name]
    assert record.status == "refused"
    assert f"needs plugin API {needs}" in record.error and API_VERSION in record.error
    assert manager.enable(name) is False
    assert name not in sys.modules


def test_api_rules():
    from cimviewer.plugins.apiversion import api_refusal

    assert api_refusal("1.0", "1.3") is None
    assert api_refusal("1.3", "1.3") is None
    assert "update cimviewer" in api_refusal("1.4", "1.3")
    assert "update the plugin" in api_refusal("0.9", "1.3")
    assert "invalid" in api_refusal("one", "1.3")


def test_bad_manifests_are_reported(tmp_path):
    folder = tmp_path / "plugs"
    for name, text in {"bad_toml": "name = ", "no_api": 'name = "x"\nversion = "1"\n',
                       "escape": 'name = "escape"\nversion = "1"\napi = "1.0"\n'
                                 '[[algorithms]]\nid = "a"\ntarget = "os:system"\n'}.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "plugin.toml").write_text(text)
    manager = PluginManager()
    assert manager.add_folder(folder) == []
    messages = " | ".join(m for _, m in manager.problems)
    assert "not valid TOML" in messages and "'api'" in messages
    assert "outside the plugin's package" in messages
    with pytest.raises(ManifestError):
        read_manifest(folder / "escape" / "plugin.toml")


def test_builtin_plugin_manifest():
    manifest = read_manifest(builtin_folder() / "building_stats" / "plugin.toml")
    assert manifest.display_name["zh_CN"] == "建筑统计"
    assert [c.id for c in manifest.of_kind("algorithms")] == ["summary"]


def test_a_project_file_never_loads_code(tmp_path, samples):
    """plugin_state names a plugin; opening the project imports nothing."""
    from cimviewer.core.project import Project
    from cimviewer.io.project.file import open_project, save_project

    project = Project()
    project.plugin_state["cimtest_hello"] = {"version": 3, "data": {"module": "cimtest_hello"}}
    save_project(project, tmp_path / "p.cimproj")
    opened = open_project(tmp_path / "p.cimproj")
    assert opened.project.plugin_state["cimtest_hello"]["data"] == {"module": "cimtest_hello"}
    assert "cimtest_hello" not in sys.modules
