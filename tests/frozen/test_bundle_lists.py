"""What the desktop package is made of (fast: no build). The build itself is tested by
test_frozen_app.py when CIMVIEWER_TEST_PACKAGE=1."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lists():
    return load(PACKAGING / "bundle_lists.py", "cimviewer_bundle_lists")


def test_every_builtin_plugin_module_is_analysed(lists):
    modules = set(lists.plugin_modules(ROOT))
    for plugin in lists.builtin_plugins(ROOT):
        assert plugin.name in modules
        for path in plugin.rglob("*.py"):
            rel = path.relative_to(plugin)
            if "tests" in rel.parts:
                assert not any(m.startswith(f"{plugin.name}.tests") for m in modules)
                continue
            name = ".".join([plugin.name, *rel.with_suffix("").parts]).removesuffix(".__init__")
            assert name in modules
    assert {"pole_siting", "coverage_5g", "datacenter_siting"} <= {
        p.name for p in lists.builtin_plugins(ROOT)}


def test_plugin_folder_is_shipped_without_tests(lists):
    entries = lists.data_entries(ROOT, "plugins")
    destinations = {Path(dest).as_posix() for _, dest in entries}
    assert "plugins/pole_siting/data" in destinations
    assert "plugins/coverage_5g/i18n" in destinations
    assert not [d for d in destinations if "tests" in Path(d).parts]
    for source, dest in entries:
        # the file lands at the same place relative to plugins/ as in the source tree
        rel = Path(source).relative_to(ROOT)
        assert Path(dest) == rel.parent
        assert not source.endswith((".pyc", ".ts")) and "__pycache__" not in source


def test_resources_are_shipped(lists):
    files = {Path(source).relative_to(ROOT).as_posix() for source, _ in
             lists.data_entries(ROOT, "resources")}
    assert "resources/demo/buildings.city.json" in files
    assert "resources/i18n/cimviewer_zh_CN.qm" in files
    assert "resources/icons/cimviewer.ico" in files  # the Windows .exe and installer
    assert "resources/i18n/cimviewer_zh_CN.ts" not in files  # sources stay home


def test_metadata_for_plugin_dependency_checks(lists):
    names = lists.distributions(ROOT)
    for name in ("numpy", "scipy", "shapely", "highspy", "fpdf2", "dask", "distributed"):
        assert name in names
    assert "tomli" not in names  # Python < 3.11 only
    assert lists.requirement_names(["dask[distributed]>=2024.1", "PySide6-Essentials>=6.6,<6.12"]
                                   ) == ["dask", "PySide6-Essentials"]


def test_binary_and_translation_filters(lists):
    assert lists.is_excluded_binary("PySide6/Qt/plugins/qmltooling/libqmldbg.so")
    assert lists.is_excluded_binary("PySide6\\Qt\\plugins\\sqldrivers\\qsqlite.dll")
    assert lists.is_excluded_binary("PySide6/Qt/translations/qtbase_de.qm")
    assert not lists.is_excluded_binary("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not lists.is_excluded_binary("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not lists.is_excluded_binary("PySide6\\plugins\\platforms\\qwindows.dll")
    assert not lists.is_excluded_binary("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not lists.is_excluded_binary("PySide6/Qt/plugins/platforms/libqwayland.so")
    assert lists.is_excluded_binary("libstdc++.so.6")  # the system's, for its GPU driver
    assert lists.is_excluded_binary("libfontconfig.so.1")
    assert not lists.is_excluded_binary("libfreetype-57f805ba.so.6.20.6")  # a wheel's own
    assert not lists.is_excluded_binary("libxcb-cursor.so.0")  # not on every desktop
    assert lists.is_excluded_binary("pyarrow/libarrow_flight.so.2600")
    assert lists.is_excluded_binary("pyarrow\\arrow_s3.dll")
    assert not lists.is_excluded_binary("pyarrow/libparquet.so.2600")
    assert lists.is_plugin_module("pole_siting.covering", ["pole_siting"])
    assert not lists.is_plugin_module("pole_sitingx", ["pole_siting"])


def test_spec_and_scripts_parse():
    compile((PACKAGING / "cimviewer.spec").read_text(), "cimviewer.spec", "exec")
    compile((PACKAGING / "frozen_main.py").read_text(), "frozen_main.py", "exec")
    if shutil.which("sh"):
        for script in ("install.sh", "uninstall.sh"):
            subprocess.run(["sh", "-n", str(PACKAGING / "linux" / script)], check=True)


def test_windows_installer_script():
    iss = (PACKAGING / "windows" / "cimviewer.iss").read_text()
    for needle in ("PrivilegesRequiredOverridesAllowed=dialog", "{autoprograms}",
                   'Subkey: "Software\\Classes\\.cimproj"', "ChangesAssociations=yes",
                   "cimviewer-gui.exe"):
        assert needle in iss
    assert "userappdata" not in iss.lower() and "localappdata" not in iss.lower().split(
        "[uninstalldelete]")[-1]  # uninstall never touches the user's data


def test_desktop_entry_and_mime_type():
    desktop = (PACKAGING / "cimviewer.desktop").read_text()
    assert "application/x-cimproj" in desktop and "Exec=cimviewer %f" in desktop
    mime = (PACKAGING / "linux" / "cimviewer-mime.xml").read_text()
    assert 'type="application/x-cimproj"' in mime and '"*.cimproj"' in mime


def test_package_name_and_freshness(tmp_path, monkeypatch):
    package = load(ROOT / "scripts" / "package.py", "cimviewer_package_script")
    from cimviewer import __version__

    name = package.package_name()
    assert name.startswith(f"cimviewer-{__version__}-")
    if sys.platform.startswith("linux"):
        assert name.endswith(("-linux-x86_64", "-linux-aarch64"))
    old = tmp_path / "old.tar.gz"
    old.write_bytes(b"")
    import os

    os.utime(old, (1, 1))
    assert not package.is_fresh(old)
    assert not package.is_fresh(tmp_path / "missing.tar.gz")


def test_kiosk_supervisor_restarts_the_frozen_executable(monkeypatch):
    from cimviewer.kiosk_supervisor import kiosk_command

    assert kiosk_command(["--windowed"])[1:] == ["-m", "cimviewer", "kiosk", "--windowed"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert kiosk_command(["--windowed"]) == [sys.executable, "kiosk", "--windowed"]


def test_windowed_executable_without_console_gets_a_log_file(monkeypatch, tmp_path):
    entry = load(PACKAGING / "frozen_main.py", "cimviewer_frozen_main")
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *a, **k: str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    path = entry.attach_missing_streams()
    try:
        print("hello from a windowed app")
        sys.stderr.flush()
        assert path == tmp_path / "logs" / "cimviewer.log"
        assert "hello from a windowed app" in path.read_text()
    finally:
        sys.stdout.close()
