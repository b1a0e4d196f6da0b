"""A folder plugin's own libraries in ``_vendor`` (how plugins bring dependencies to the
frozen app, which has no pip)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from cimviewer.plugins.loader import forget_package
from cimviewer.plugins.manager import PluginManager

MANIFEST = """manifest_version = 1
name = "cimtest_vendoring"
version = "1.0.0"
api = "1.0"
dependencies = ["cimtest-vendored-lib>=1.0"]
"""


def make_plugin(folder: Path, vendored: bool) -> Path:
    plugin = folder / "cimtest_vendoring"
    plugin.mkdir(parents=True)
    (plugin / "plugin.toml").write_text(MANIFEST)
    (plugin / "__init__.py").write_text("")
    if vendored:  # what `pip install --target cimtest_vendoring/_vendor LIB` leaves
        lib = plugin / "_vendor" / "cimtest_vendored_lib"
        lib.mkdir(parents=True)
        (lib / "__init__.py").write_text("ANSWER = 42\n")
        info = plugin / "_vendor" / "cimtest_vendored_lib-1.2.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cimtest-vendored-lib\n"
                                       "Version: 1.2\n")
    return plugin


@pytest.fixture
def clean_path():
    before = list(sys.path)
    yield
    sys.path[:] = before
    forget_package("cimtest_vendored_lib")
    importlib.invalidate_caches()


def test_vendor_folder_provides_dependencies(tmp_path, clean_path):
    plugin = make_plugin(tmp_path, vendored=True)
    manager = PluginManager()
    manager.add_folder(tmp_path)
    assert manager.enable("cimtest_vendoring"), manager.records["cimtest_vendoring"].error
    assert sys.path[-1] == str((plugin / "_vendor").resolve())  # after the app's own
    assert importlib.import_module("cimtest_vendored_lib").ANSWER == 42
    manager.disable_all()


def test_missing_dependency_without_vendor_is_reported(tmp_path, clean_path):
    make_plugin(tmp_path, vendored=False)
    manager = PluginManager()
    manager.add_folder(tmp_path)
    assert not manager.enable("cimtest_vendoring")
    assert "cimtest-vendored-lib>=1.0 (not installed)" in manager.records["cimtest_vendoring"].error
