"""The Linux desktop package, built and run as a user gets it (slow: minutes).

Skipped unless ``CIMVIEWER_TEST_PACKAGE=1``: builds the package with
``scripts/package.py`` (reused when newer than every source file), unpacks it into a
temporary folder and runs the frozen app with an almost empty environment (no Python,
no virtual environment on PATH, no display):

    CIMVIEWER_TEST_PACKAGE=1 python3 scripts/dev.py test tests/frozen
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest
from algorithm_runs import RUNS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("CIMVIEWER_TEST_PACKAGE") != "1",
                       reason="builds the desktop package: set CIMVIEWER_TEST_PACKAGE=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux package"),
]


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Path:
    """The unpacked package folder (with the ``cimviewer`` executable)."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "package.py")],
                         capture_output=True, text=True, timeout=3600, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    tarball = Path(out.stdout.strip().splitlines()[-1])
    assert tarball.name.endswith("-linux-x86_64.tar.gz") or tarball.suffixes[-2:] == [
        ".tar", ".gz"]
    target = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(tarball) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # pragma: no cover - Python < 3.10.12
            tar.extractall(target)
    (folder,) = target.iterdir()
    return folder


@pytest.fixture
def home(tmp_path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What ``env -i HOME=...`` leaves: no Python, no venv, no display."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra}


def frozen(app: Path, home: Path, *args: str, timeout: float = 300,
           **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(app / "cimviewer"), *args], capture_output=True, text=True,
                          timeout=timeout, env=clean_env(home, **extra), cwd=home)


def test_layout(app):
    for name in ("cimviewer", "cimviewer.desktop", "install.sh", "uninstall.sh",
                 "cimviewer-mime.xml", "icons/cimviewer.svg", "icons/cimviewer-256.png",
                 "_internal/resources/demo/buildings.city.json",
                 "_internal/resources/i18n/cimviewer_zh_CN.qm",
                 "_internal/plugins/pole_siting/plugin.toml"):
        assert (app / name).exists(), name
    assert os.access(app / "cimviewer", os.X_OK)
    assert not list(app.glob("_internal/plugins/*/tests")), "plugin tests are not shipped"


def test_version(app, home):
    started = time.perf_counter()
    out = frozen(app, home, "--version")
    elapsed = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    from cimviewer import __version__

    assert out.stdout.strip() == f"cimviewer {__version__}"
    print(f"frozen --version: {elapsed:.2f} s")


def test_info_json_on_the_demo_city(app, home):
    demo = app / "_internal" / "resources" / "demo" / "buildings.city.json"
    for args in ([], [str(demo)]):
        out = frozen(app, home, "info", *args, "--json")
        assert out.returncode == 0, out.stderr
        info = json.loads(out.stdout)
        assert info["format"] == "CityJSON" and info["crs"] == "EPSG:4547"
        assert info["types"]["Building"] >= 3000


def test_screenshot_is_not_blank(app, home):
    from PIL import Image

    started = time.perf_counter()
    out = frozen(app, home, "screenshot", "--out", str(home / "demo.png"), "--size", "640x400")
    elapsed = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    pixels = np.asarray(Image.open(home / "demo.png").convert("RGB"), dtype=float)
    assert pixels.shape == (400, 640, 3)
    assert pixels.std() > 10  # not one flat colour
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # shaded buildings
    print(f"frozen screenshot: {elapsed:.2f} s")


def test_screenshot_of_a_folder_of_tiles_parsed_in_the_worker_process(app, home):
    """Streamed tiles are parsed in a spawned worker: in the frozen app that is the
    executable itself again (multiprocessing's freeze_support in frozen_main)."""
    from PIL import Image

    from tests.io.cityfolder import write_city_folder

    tiles = write_city_folder(home / "tiles", broken=False)
    out = frozen(app, home, "screenshot", str(tiles), "--out", str(home / "tiles.png"),
                 "--size", "480x300")
    assert out.returncode == 0, out.stderr
    assert "worker process" not in out.stderr, out.stderr  # no fallback, no restart
    pixels = np.asarray(Image.open(home / "tiles.png").convert("RGB"), dtype=float)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20  # shaded buildings


def test_plugins_list(app, home):
    out = frozen(app, home, "plugins", "list", "--json")
    assert out.returncode == 0, out.stderr
    plugins = {p["name"]: p for p in json.loads(out.stdout)["plugins"]}
    for name in ("building_stats", "coverage_5g", "datacenter_siting", "pole_siting",
                 "sunlight"):
        assert plugins[name]["status"] == "enabled", plugins[name]["error"]
        assert plugins[name]["origin"] == "built-in"


@pytest.mark.parametrize(("name", "args", "key"), RUNS, ids=[r[0] for r in RUNS])
def test_builtin_algorithm_runs(app, home, name, args, key):
    values = {"demo": app / "_internal" / "resources" / "demo",
              "plugins": app / "_internal" / "plugins", "out": home}
    args = [arg.format(**values) for arg in args]
    out = frozen(app, home, "run", name, *args, "--out", str(home / "out"), "--json")
    assert out.returncode == 0, out.stderr
    assert key in json.loads(out.stdout)
    assert "Traceback" not in out.stderr
    if any(arg.startswith("pdf_report=") for arg in args):  # fpdf2 with a CJK font
        assert (home / "plan.pdf").read_bytes().startswith(b"%PDF")


def test_user_plugin_from_the_scaffold(app, home):
    """A third-party plugin in the user plugin folder loads in the frozen app."""
    out = frozen(app, home, "plugin", "new", "frozen_trees", "--dir", str(home / "src"))
    assert out.returncode == 0, out.stderr
    user_plugins = home / ".local" / "share" / "cimviewer" / "plugins"
    user_plugins.mkdir(parents=True)
    plugin = user_plugins / "frozen_trees"
    shutil.copytree(home / "src" / "frozen_trees" / "frozen_trees", plugin)
    # a library the app does not ship, in the plugin's _vendor folder (as
    # `pip install --target _vendor` leaves it), declared and imported by the plugin
    vendor = plugin / "_vendor"
    (vendor / "frozen_trees_lib").mkdir(parents=True)
    (vendor / "frozen_trees_lib" / "__init__.py").write_text("SPECIES = 'ginkgo'\n")
    (vendor / "frozen_trees_lib-1.0.dist-info").mkdir()
    (vendor / "frozen_trees_lib-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: frozen-trees-lib\nVersion: 1.0\n")
    manifest = plugin / "plugin.toml"
    manifest.write_text(manifest.read_text().replace(
        "dependencies = []", 'dependencies = ["frozen-trees-lib>=1.0", "shapely>=2"]'))
    algorithm = plugin / "algorithm.py"
    algorithm.write_text(algorithm.read_text() + "\nimport frozen_trees_lib  # noqa: E402\n"
                         "assert frozen_trees_lib.SPECIES == 'ginkgo'\n")
    demo = app / "_internal" / "resources" / "demo" / "buildings.city.json"
    out = frozen(app, home, "run", "frozen_trees.count_features", "-p", f"layer={demo}",
                 "-p", "field=function", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] >= 3000


def gui_display() -> dict[str, str]:
    """The X server of the test run (dev.py test starts Xvfb), else Qt's offscreen platform."""
    if os.environ.get("DISPLAY"):
        return {"DISPLAY": os.environ["DISPLAY"]}
    return {"QT_QPA_PLATFORM": "offscreen"}


def test_gui_and_kiosk_start(app, home):
    """The window draws its first frame of the demo city; the kiosk starts and stays up."""
    display = gui_display()
    out = frozen(app, home, timeout=180, CIMVIEWER_REPORT_FIRST_FRAME="1",
                 CIMVIEWER_EXIT_AFTER_FIRST_FRAME="1", **display)
    assert out.returncode == 0, out.stderr
    assert "first-frame" in out.stdout, out.stdout + out.stderr
    print(f"frozen GUI ({display}): {out.stdout.strip()} s")
    kiosk = subprocess.Popen([str(app / "cimviewer"), "kiosk", "--windowed", "--unlocked",
                              "--log-dir", str(home / "logs")],
                             env=clean_env(home, **display),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            kiosk.wait(20)  # still up after 20 s: started and running its tour
    finally:
        kiosk.terminate()
        _, err = kiosk.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "Traceback" not in (home / "logs" / "kiosk.log").read_text()


def test_install_and_uninstall_for_the_user(app, home):
    data = home / ".local" / "share"
    out = subprocess.run(["sh", str(app / "install.sh")], capture_output=True, text=True,
                         timeout=300, env=clean_env(home))
    assert out.returncode == 0, out.stderr
    installed = home / ".local" / "opt" / "cimviewer"
    desktop = (data / "applications" / "cimviewer.desktop").read_text()
    assert f'Exec="{installed}/cimviewer" %f' in desktop
    assert "application/x-cimproj" in desktop
    assert "*.cimproj" in (data / "mime" / "packages" / "cimviewer.xml").read_text()
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "cimviewer.png").is_file()
    if shutil.which("update-mime-database"):  # the desktop's MIME cache knows .cimproj
        assert "application/x-cimproj:*.cimproj" in (data / "mime" / "globs2").read_text()
    launcher = home / ".local" / "bin" / "cimviewer"
    out = subprocess.run([str(launcher), "--version"], capture_output=True, text=True,
                         timeout=120, env=clean_env(home))
    assert out.returncode == 0 and out.stdout.startswith("cimviewer "), out.stderr
    user_plugin = data / "cimviewer" / "plugins" / "mine" / "plugin.toml"
    user_plugin.parent.mkdir(parents=True)
    user_plugin.write_text("# the user's own\n")
    out = subprocess.run(["sh", str(installed / "uninstall.sh")], capture_output=True,
                         text=True, timeout=120, env=clean_env(home))
    assert out.returncode == 0, out.stderr
    assert not installed.exists() and not launcher.exists()
    assert not (data / "applications" / "cimviewer.desktop").exists()
    assert not (data / "mime" / "packages" / "cimviewer.xml").exists()
    assert user_plugin.is_file()  # the user's plugins stay
