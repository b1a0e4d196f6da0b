"""pytest fixtures for plugin authors (registered through the ``pytest11`` entry point).

* ``cim_project`` — an empty Project whose results go to a temporary folder;
* ``cim_plugins`` — ``cim_plugins(path)`` gives a PluginManager with only the plugin(s)
  at ``path`` (a plugin package folder, or a folder of them), enabled;
* ``cim_run`` — ``cim_run(manager, "plugin.algorithm", project=None, **params)`` validates
  and runs an algorithm in-process and returns its outputs;
* ``cim_main_window`` — ``cim_main_window(path=None, project=None)`` gives the real main
  window (needs a display) with the plugin(s) at ``path`` registered and enabled.

Every fixture keeps settings and user folders inside pytest's temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cimviewer.plugins.manifest import MANIFEST_NAME


def _plugin_parent(path: Path) -> Path:
    """The folder to scan: ``path`` itself, or its parent when it is one plugin."""
    path = Path(path)
    return path.parent if (path / MANIFEST_NAME).is_file() else path


def _only(path: Path, names: list[str]) -> list[str]:
    path = Path(path)
    if (path / MANIFEST_NAME).is_file():
        from cimviewer.plugins.manifest import read_manifest

        wanted = read_manifest(path / MANIFEST_NAME).name
        return [n for n in names if n == wanted]
    return names


@pytest.fixture
def cim_isolated(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """User folders (settings, plugins, caches) inside a temporary home."""
    home = tmp_path_factory.mktemp("cim_home")
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    return home


@pytest.fixture
def cim_project(tmp_path: Path, cim_isolated: Path) -> Any:
    from cimviewer.core.project import Project

    project = Project()
    project.path = tmp_path / "test.cimproj"
    return project


@pytest.fixture
def cim_plugins(cim_isolated: Path) -> Iterator[Callable[[Path], Any]]:
    from cimviewer.plugins.loader import forget_package
    from cimviewer.plugins.manager import PluginManager

    managers: list[PluginManager] = []

    def make(path: Path) -> PluginManager:
        manager = PluginManager()
        for name in _only(path, manager.add_folder(_plugin_parent(path), "folder")):
            manager.enable(name)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.disable_all()
        for record in manager.records.values():
            if not record.installed:
                forget_package(record.manifest.package)


@pytest.fixture
def cim_run() -> Callable[..., dict[str, Any]]:
    from cimviewer.algorithms.base import Context
    from cimviewer.algorithms.runner import execute, validate

    def run(manager: Any, name: str, project: Any = None, **params: Any) -> dict[str, Any]:
        algorithm = manager.algorithm(name)
        values = validate(algorithm, params)
        return execute(algorithm, values, Context(project=project, plugin=name.split(".")[0]))
    return run


@pytest.fixture
def cim_main_window(qtbot: Any, tmp_path: Path, cim_isolated: Path) -> Iterator[Callable]:
    if os.name != "nt" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        pytest.skip("needs a display")
    from PySide6.QtCore import QSettings

    from cimviewer.core.project import Project
    from cimviewer.plugins.loader import forget_package
    from cimviewer.ui.app import create_app
    from cimviewer.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(path: Path | None = None, project: Project | None = None) -> MainWindow:
        create_app("en")
        settings = QSettings(str(tmp_path / f"settings{len(windows)}.ini"),
                             QSettings.Format.IniFormat)
        window = MainWindow(project or Project(), settings=settings)
        if path is not None:
            names = window.plugin_host.manager.add_folder(_plugin_parent(path), "folder")
            for name in _only(path, names):
                window.plugin_host.manager.enable(name)
        window.resize(1000, 700)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        for record in window.plugin_host.manager.records.values():
            if record.origin == "folder":
                forget_package(record.manifest.package)
        window.project.mark_saved()
        window.close()
