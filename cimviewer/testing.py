"""pytest fixtures for plugin authors (registered through the ``pytest11`` entry point).

* ``cim_project`` — an empty Project whose results go to a temporary folder;
* ``cim_plugins`` — ``cim_plugins(path)`` gives a PluginManager with only the plugin(s)
  at ``path`` (a plugin package folder, or a folder of them), enabled;
* ``cim_run`` — ``cim_run(manager, "plugin.algorithm", project=None, **params)`` validates
  and runs an algorithm in-process and returns its outputs;
* ``cim_main_window`` — ``cim_main_window(path=None, project=None, language="en")`` gives
  the real main window (needs a display) with the plugin(s) at ``path`` registered and
  enabled; after
  the test every window is closed and checked to be released (``release_window``);
* ``cim_demo_project`` (a fresh demo city) and ``cim_demo_project_session`` (one per
  session, read-only); ``cim_demo_window`` — the real main window showing the demo city;
* ``cim_display`` — skips a test without a display;
* ``cim_mqtt_broker`` (per session) and ``cim_own_mqtt_broker`` (per test) — a real
  mosquitto on a loopback port; ``mqtt_publish`` and ``wait_for`` go with them.

Helpers: ``make_city(n)`` (n LoD1 boxes on a street grid), ``box(...)`` (one box's
vertices and triangles), ``buildings_layer(project)``,
``roof_target(layer)`` (a point that shows a building), ``render_image(project, size)``
(an offscreen frame), ``window_frame(window)`` (what the real window's view shows),
``show_plugin_dock(window, plugin)`` (a plugin's dock shown through its menu toggle),
``save_project`` / ``open_project`` (project files), ``legend_rows(layer)`` (the legend
the view shows for a layer), ``drape(layers)`` (layers set on the first terrain, as the
app does), ``raster_colours(layer)`` (the colour each cell of a value raster is drawn
in), and reference kernels to
cross-check against (``ray_triangles``, ``grid_mesh``).

Every fixture keeps settings and user folders inside pytest's temporary directory.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cimviewer.core.citymodel import CityModel, TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.semantics import SEMANTIC_CODES
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
def cim_main_window(request: pytest.FixtureRequest, cim_leak_check: list, tmp_path: Path,
                    cim_isolated: Path) -> Iterator[Callable]:
    needs_display()  # before pytest-qt makes a QApplication: without a display Qt aborts
    qtbot = request.getfixturevalue("qtbot")
    from PySide6.QtCore import QSettings

    from cimviewer.core.project import Project
    from cimviewer.plugins.loader import forget_package
    from cimviewer.ui.app import create_app
    from cimviewer.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(path: Path | None = None, project: Project | None = None,
             language: str = "en") -> MainWindow:
        create_app(language)
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
    while windows:
        window = windows.pop()
        for record in window.plugin_host.manager.records.values():
            if record.origin == "folder":
                forget_package(record.manifest.package)
        cim_leak_check.append(release_window(window))
        del window


def release_window(window: Any) -> dict[str, Any]:
    """Close a main window and let Qt delete it; returns weak references to it, its 3D
    view, scene and shell for :func:`assert_released`."""
    import weakref

    window.project.mark_saved()  # tests change the project: closing must not ask to save
    window.close()
    window.deleteLater()
    return {"window": weakref.ref(window), "view": weakref.ref(window.view),
            "scene": weakref.ref(window.view.scene), "shell": weakref.ref(window.shell)}


def assert_released(refs: dict[str, Any]) -> None:
    """Everything in ``refs`` is gone once Qt's deferred deletes ran (pyvistaqt's
    ``check_gc``): anything still holding a closed window — a signal connected to a
    lambda that captures it, a task never let go — is a leak that grows with every
    window a kiosk or a long session opens."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QCoreApplication.processEvents()
        gc.collect()
    alive = [name for name, ref in refs.items() if ref() is not None]
    assert not alive, f"leaked after close: {', '.join(alive)}; held by " + \
        "; ".join(_holders(refs[alive[0]]()))


def _holders(obj: Any) -> list[str]:
    """What keeps ``obj`` alive, for the leak message: the functions whose closures
    capture it, else the types of its referrers."""
    import gc
    import types

    found = []
    for ref in gc.get_referrers(obj):
        if isinstance(ref, types.CellType):
            for owner in gc.get_referrers(ref):
                holders = [owner] if isinstance(owner, types.FunctionType) else [
                    f for f in gc.get_referrers(owner) if isinstance(f, types.FunctionType)]
                found += [f"{f.__qualname__} ({f.__code__.co_filename.rsplit('/', 1)[-1]}:"
                          f"{f.__code__.co_firstlineno})" for f in holders]
        elif not isinstance(ref, types.FrameType):
            found.append(type(ref).__name__)
    return found[:12]


@pytest.fixture
def cim_leak_check(request: pytest.FixtureRequest) -> Iterator[list[dict[str, Any]]]:
    """Window fixtures put the weak references of the windows they closed here; after
    every fixture that used them is torn down, each must be gone."""
    released: list[dict[str, Any]] = []
    yield released
    request.node.funcargs.clear()  # the test's own references to its fixtures
    for refs in released:
        assert_released(refs)


def needs_display() -> None:
    if os.name != "nt" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        pytest.skip("needs a display (scripts/dev.py test starts Xvfb)")


@pytest.fixture
def cim_display() -> None:
    needs_display()


@pytest.fixture(scope="session")
def cim_demo_project_session() -> Project:
    """The demo city, loaded once per test session (read-only use!)."""
    from cimviewer.io.demo import open_demo_project

    return open_demo_project()


@pytest.fixture
def cim_demo_project() -> Project:
    """A fresh demo project that a test may change."""
    from cimviewer.io.demo import open_demo_project

    return open_demo_project()


@pytest.fixture
def cim_demo_window(request: pytest.FixtureRequest, cim_leak_check: list,
                    tmp_path: Path) -> Iterator[Any]:
    """The real main window on the (virtual) screen, showing the demo city."""
    needs_display()  # before pytest-qt makes a QApplication: without a display Qt aborts
    qtbot = request.getfixturevalue("qtbot")
    cim_demo_project = request.getfixturevalue("cim_demo_project")
    from PySide6.QtCore import QSettings

    from cimviewer.ui.app import create_app
    from cimviewer.ui.main_window import MainWindow

    create_app("en")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(cim_demo_project, settings=settings)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.view.render()
    yield window
    cim_leak_check.append(release_window(window))


# --- a real MQTT broker ------------------------------------------------------------------
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MqttBroker:
    """A real mosquitto on a loopback port (``extra``: more mosquitto.conf lines)."""

    def __init__(self, folder: Path, port: int | None = None, extra: str = ""):
        self.folder = folder
        self.port = port or free_port()
        self.conf = folder / f"mosquitto-{self.port}.conf"
        # no per-client queue limit: QoS 1 bursts must not be dropped by the broker
        self.conf.write_text(f"listener {self.port} 127.0.0.1\n"
                             "max_queued_messages 0\nmax_inflight_messages 0\n"
                             # as root, mosquitto would switch to a user that cannot
                             # read our temporary password file
                             f"{'user root' if os.name != 'nt' and os.geteuid() == 0 else ''}\n"
                             f"{extra or 'allow_anonymous true'}\n")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> MqttBroker:
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(5)
            self.proc = None


@pytest.fixture(scope="session")
def cim_mqtt_broker(tmp_path_factory):
    """A real mosquitto broker for the whole session (skips when it is not installed)."""
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    b = MqttBroker(tmp_path_factory.mktemp("mqtt")).start()
    yield b
    b.stop()


@pytest.fixture
def cim_own_mqtt_broker(tmp_path):
    """A broker of one test's own (to stop and restart it)."""
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    b = MqttBroker(tmp_path).start()
    yield b
    b.stop()


def mqtt_publish(broker: MqttBroker, messages: list[tuple[str, bytes | str]], qos: int = 1,
            **auth) -> None:
    """Publish and wait until the broker acknowledged every message."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    if auth:
        client.username_pw_set(auth["username"], auth["password"])
    client.max_inflight_messages_set(0)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=qos) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(10)
    client.disconnect()
    client.loop_stop()


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


# --- city models for tests -----------------------------------------------------------------
def buildings_layer(project: Project) -> CityModelLayer:
    return next(layer for layer in project.layers if isinstance(layer, CityModelLayer))


def roof_target(layer: CityModelLayer, object_index: int | None = None) -> tuple[int, np.ndarray]:
    """(object index, a point on its largest roof triangle) — a spot that shows the building.

    Without ``object_index``, takes the tallest building with a roof.
    """
    mesh = layer.model.mesh_for_lod(layer.lod)
    roof = mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]
    if not roof.any():
        roof = np.ones(mesh.n_triangles, bool)
    tri = mesh.vertices[mesh.triangles]
    if object_index is None:
        top = np.where(roof, tri[:, :, 2].max(axis=1), -np.inf)
        object_index = int(mesh.tri_object[int(np.argmax(top))])
    mine = np.nonzero(roof & (mesh.tri_object == object_index))[0]
    a, b, c = tri[mine, 0], tri[mine, 1], tri[mine, 2]
    area = np.linalg.norm(np.cross(b - a, c - a), axis=1)
    best = mine[int(np.argmax(area))]
    return object_index, tri[best].mean(axis=0)


BOX_FACES = np.array([
    [0, 2, 1], [0, 3, 2],  # ground (down)
    [4, 5, 6], [4, 6, 7],  # roof (up)
    [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
])
BOX_SEMANTICS = np.array([3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2], np.uint8)


def box(x0: float, y0: float, x1: float, y1: float, z0: float,
        z1: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (8, 3) and outward-facing triangles (12, 3) of an axis-aligned box."""
    v = np.array([[x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0],
                  [x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]], float)
    return v, BOX_FACES.copy()


def make_city(n: int, seed: int = 7) -> CityModel:
    """n LoD1 boxes on a street grid, 30 m plots, EPSG:4547-like coordinates."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 500000 + (i % side) * 30.0 + rng.uniform(0, 4, n)
    y0 = 2490000 + (i // side) * 30.0 + rng.uniform(0, 4, n)
    w = rng.uniform(10, 22, n)
    d = rng.uniform(10, 22, n)
    h = rng.gamma(2.0, 8.0, n) + 4
    corners = np.stack([
        np.column_stack([x0, y0]), np.column_stack([x0 + w, y0]),
        np.column_stack([x0 + w, y0 + d]), np.column_stack([x0, y0 + d])], axis=1)
    verts = np.empty((n, 8, 3))
    verts[:, :4, :2] = corners
    verts[:, 4:, :2] = corners
    verts[:, :4, 2] = 0.0
    verts[:, 4:, 2] = h[:, None]
    tris = (BOX_FACES[None] + 8 * i[:, None, None]).reshape(-1, 3).astype(np.int32)
    model = CityModel(crs="EPSG:4547", source_format="generated")
    model.objects.ids = [f"B{k}" for k in range(n)]
    model.objects.types = ["Building"] * n
    model.objects.parents = [[] for _ in range(n)]
    model.objects.attributes = [{"height": float(v)} for v in h]
    model.meshes["1"] = TriangleMesh(verts.reshape(-1, 3), tris,
                                     np.repeat(i, 12).astype(np.int32),
                                     np.tile(BOX_SEMANTICS, n))
    return model


# --- rendering, project files and reference kernels -------------------------------------
def render_image(project: Project, size: tuple[int, int] = (300, 300)) -> np.ndarray:
    """The project drawn offscreen from its camera: (height, width, 3) uint8, top row
    first (no display needed)."""
    from cimviewer.render.snapshot import OffscreenView

    view = OffscreenView(project, size)
    try:
        return view.image()
    finally:
        view.close()


def legend_rows(layer: Any) -> list[tuple[str, tuple[int, int, int]]]:
    """The (label, RGB) rows of the legend the view shows for ``layer``."""
    from cimviewer.core.legend import layer_legend

    return layer_legend(layer).rows


def drape(layers: list[Any]) -> None:
    """Set the layers that ask for it (and value rasters) on the first terrain layer of
    ``layers``, as the app does when layers are opened or a result is shown."""
    from cimviewer.geometry.placement import drape_layers

    drape_layers(layers)


def raster_colours(layer: Any) -> np.ndarray:
    """(rows, cols, 3) uint8: the colour the view draws each cell of a value raster in
    under its current style (missing values: the grey of "no value")."""
    from cimviewer.core.styling import value_colors

    values = layer.grid.values
    return value_colors(layer.style, values.ravel()).reshape(*values.shape, 3)


def show_plugin_dock(window: Any, plugin: str, dock_id: str = "panel") -> Any:
    """Show a plugin's dock as a user would (its View-menu toggle) and return the dock's
    widget; fails the test when the toggle or the dock is missing or hidden."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget

    toggle = window.findChild(QAction, f"plugin_dock_toggle_{plugin}_{dock_id}")
    assert toggle is not None, f"no View-menu toggle for {plugin}.{dock_id}"
    toggle.setChecked(True)
    dock = window.findChild(QDockWidget, f"dock_plugin_{plugin}_{dock_id}")
    assert dock is not None and dock.isVisible(), f"dock {plugin}.{dock_id} not shown"
    return dock.widget()


def window_frame(window: Any) -> np.ndarray:
    """What the main window's 3D view shows at rest: (height, width, 3) uint8, row 0 at the
    bottom, so ``frame[vy, vx]`` takes ``view.display_to_vtk`` coordinates. (Qt's
    ``grab()`` does not see the OpenGL area.)"""
    from cimviewer.render.snapshot import grab_frame

    window.view.render_still()  # the view at rest, not a frame of a motion
    return grab_frame(window.view.render_window)


def save_project(project: Project, path: Path) -> Path:
    from cimviewer.io.project.file import save_project as _save

    return _save(project, path)


def open_project(path: Path, project: Project | None = None) -> Project:
    """Open a project file into ``project`` (or a new one); returns the project."""
    from cimviewer.io.project.file import open_project as _open

    return _open(path, project).project


def ray_triangles(*args: Any, **kwargs: Any) -> Any:
    """The app's own ray-triangle intersection (``geometry.raypick``), as a reference."""
    from cimviewer.geometry.raypick import ray_triangles as _ray

    return _ray(*args, **kwargs)


def grid_mesh(*args: Any, **kwargs: Any) -> Any:
    """The app's own terrain triangulation (``geometry.terrain``), as a reference."""
    from cimviewer.geometry.terrain import grid_mesh as _grid

    return _grid(*args, **kwargs)


def check_plugin(folder: Path) -> list[str]:
    """The problems ``cimviewer plugin check`` finds in the plugin at ``folder``."""
    from cimviewer.plugins.check import check_plugin as _check

    return _check(folder)
