"""What goes into the frozen app: the lists that ``cimviewer.spec`` hands to PyInstaller.

Pure Python and path handling only (no PyInstaller import), so the tests check the
lists on any system. The built-in plugins are shipped as a *folder* (``plugins/`` next
to the ``cimviewer`` package, where ``cimviewer.plugins.discovery.builtin_folder``
looks), not as frozen packages: they are loaded exactly like third-party ones. Their
modules are still handed to PyInstaller's analysis (``plugin_modules``) so that what
they import (numpy, scipy, shapely, highspy, numba, pyqtgraph, dask...) is bundled; the
spec then drops the plugin modules themselves from the frozen archive.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: never shipped: plugin tests, caches, translation sources
SKIP_DIRS = frozenset({"tests", "__pycache__", ".pytest_cache", ".mypy_cache"})
SKIP_SUFFIXES = frozenset({".pyc", ".pyo", ".ts"})

#: the VTK modules the app imports (the contrib hooks add the libraries they need)
VTK_MODULES = [
    "vtkmodules.vtkCommonCore", "vtkmodules.vtkCommonDataModel", "vtkmodules.vtkFiltersCore",
    "vtkmodules.vtkFiltersSources", "vtkmodules.vtkIOImage", "vtkmodules.vtkInteractionStyle",
    "vtkmodules.vtkRenderingAnnotation", "vtkmodules.vtkRenderingCore",
    "vtkmodules.vtkRenderingFreeType", "vtkmodules.vtkRenderingLabel",
    "vtkmodules.vtkRenderingOpenGL2", "vtkmodules.vtkRenderingUI",
    "vtkmodules.util.numpy_support", "vtkmodules.qt", "vtkmodules.qt.QVTKRenderWindowInteractor",
]

#: imported lazily or by name (plugins, backends, optional readers): found by no analysis
HIDDEN_IMPORTS = [
    *VTK_MODULES,
    "PySide6.QtSvg",  # the SVG icon
    "cloudpickle", "distributed", "dask.array", "dask.dataframe",
    "pyarrow.parquet", "fpdf", "fontTools.ttLib", "PIL.Image",
    "highspy", "scipy.spatial", "numba",
    "laspy", "laspy._compression.lazrsbackend", "lazrs",  # point clouds (read lazily)
    "ifcopenshell.geom", "ifcopenshell.util.element", "ifcopenshell.util.unit",  # IFC
    "pygltflib", "DracoPy",  # 3D Tiles content
    "keyring.backends",
    # PostgreSQL joins: psycopg loads its compiled implementation by name
    "psycopg", "psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg",
]

#: not needed at run time; some are found by analysis through optional imports
EXCLUDES = [
    "tkinter", "_tkinter", "pytest", "_pytest", "hypothesis", "IPython", "jupyter_client",
    "notebook", "matplotlib", "geopandas", "spopt", "pulp", "mypy", "ruff", "importlinter",
    "sphinx", "docutils", "setuptools", "pip", "cjio", "pytestqt", "cimviewer.testing",
    "PyQt5", "PyQt6", "PySide2",
    # Qt modules the app does not use (the GUI is widgets + VTK's own OpenGL)
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebChannel",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.QtDesigner", "PySide6.QtPdf",
    "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtHelp",
    "PySide6.QtBluetooth", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSerialPort", "PySide6.QtSpatialAudio", "PySide6.QtTextToSpeech",
    "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtScxml", "PySide6.QtGraphs",
    # pyqtgraph's optional 3D / printing extras
    "pyqtgraph.opengl", "OpenGL", "pyqtgraph.examples", "pyqtgraph.jupyter",
    # pyarrow: only Parquet and datasets are read (sensor readings), no remote stores
    "pyarrow.flight", "pyarrow._flight", "pyarrow._s3fs", "pyarrow._gcsfs",
    "pyarrow._azurefs", "pyarrow._hdfs", "pyarrow.substrait", "pyarrow._substrait",
    "pyarrow.cuda", "pyarrow._cuda", "pyarrow.gandiva", "pyarrow.tests",
    "numba.tests", "scipy.tests", "pandas.tests", "numpy.tests", "llvmlite.tests",
]

#: packages with modules imported by name inside them (PyInstaller finds not all)
COLLECT_SUBMODULES = ["rasterio", "pyogrio", "ifcopenshell"]
#: packages with data files beside the code: GDAL's and PROJ's data of the GDAL copies;
#: ifcopenshell's schemas and the geometry kernels it loads by name at run time
COLLECT_DATA = ["rasterio", "pyogrio", "ifcopenshell"]

#: the languages of the UI: Qt's own translations of other languages are left out
LANGUAGES = ("zh_CN", "en")

#: metadata shipped besides the requirements' names (extras such as dask[distributed])
EXTRA_DISTRIBUTIONS = ["distributed", "cloudpickle"]

#: shared libraries and Qt plugins left out of the folder (path fragments, "/" separated)
BINARY_EXCLUDES = [
    "Qt6Quick", "Qt6Qml", "Qt6Pdf", "Qt6VirtualKeyboard", "Qt6WebEngine", "Qt63D",
    "plugins/qmltooling", "plugins/qmllint", "plugins/designer", "plugins/sqldrivers",
    "plugins/wayland-graphics-integration-server", "plugins/platforms/libqvnc",
    "plugins/platforms/libqvkkhrdisplay", "plugins/platforms/qvnc",
    # pyarrow's Flight RPC and S3 libraries (their modules are excluded; nothing else
    # links them), Linux and Windows names
    "pyarrow/libarrow_flight", "pyarrow/arrow_flight", "pyarrow/libarrow_python_flight",
    "pyarrow/arrow_python_flight", "pyarrow/libarrow_s3", "pyarrow/arrow_s3",
]


#: Linux libraries taken from the target system, never from the build machine: the
#: C++ runtime must be at least as new as the one the system's GPU driver (Mesa, loaded
#: by libGL/libEGL, which PyInstaller never bundles) was built with, and fontconfig must
#: match the system's font configuration. Every desktop has them (they are backwards
#: compatible; the package is built on the oldest supported system anyway).
SYSTEM_LIBRARIES = frozenset({
    "libstdc++.so.6", "libgcc_s.so.1", "libfontconfig.so.1", "libfreetype.so.6",
    "libX11.so.6", "libX11-xcb.so.1", "libxcb.so.1", "libdbus-1.so.3", "libglib-2.0.so.0",
})

#: libraries whose symbol tables are stripped on Linux (relative to the app's _internal):
#: VTK and LLVM ship them, about a third of their size. Only these: stripping libraries
#: that auditwheel patched (numpy.libs, scipy.libs...) makes them unloadable.
STRIP_GLOBS = ["vtkmodules/*.so", "vtkmodules/*.so.*", "llvmlite/binding/libllvmlite.so"]


def shipped_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` that go into the app (no tests, caches, sources of .qm)."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix not in SKIP_SUFFIXES:
            yield path


def data_entries(root: Path, folder: str) -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for ``root/folder``, as Analysis(datas=)."""
    base = root / folder
    return [(str(path), str(Path(folder, *path.relative_to(base).parts[:-1])))
            for path in shipped_files(base)]


def builtin_plugins(root: Path) -> list[Path]:
    """Folders of ``root/plugins`` with a manifest (as discovery finds them)."""
    folder = root / "plugins"
    return sorted(sub for sub in folder.iterdir()
                  if sub.is_dir() and not sub.name.startswith((".", "_"))
                  and (sub / "plugin.toml").is_file())


def plugin_modules(root: Path) -> list[str]:
    """Dotted names of every shipped module of the built-in plugins (for the analysis)."""
    names = []
    for plugin in builtin_plugins(root):
        for path in shipped_files(plugin):
            if path.suffix != ".py":
                continue
            parts = [plugin.name, *path.relative_to(plugin).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def is_plugin_module(name: str, plugins: list[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in plugins)


def is_excluded_binary(dest: str) -> bool:
    """Whether a collected library, Qt plugin or Qt translation (destination) is left out."""
    text = dest.replace("\\", "/")
    if text.rpartition("/")[2] in SYSTEM_LIBRARIES:
        return True
    if "/Qt/translations/" in text or "/translations/qt" in text:
        return not text.endswith(tuple(f"_{lang}.qm" for lang in LANGUAGES))
    return any(fragment in text for fragment in BINARY_EXCLUDES)


def requirement_names(requirements: list[str]) -> list[str]:
    """Distribution names of PEP 508 requirements ("dask[distributed]>=2024" -> "dask")."""
    names = []
    for text in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        if match:
            names.append(match.group(1))
    return names


def distributions(root: Path) -> list[str]:
    """Distributions whose metadata (dist-info) the app needs at run time.

    A plugin's manifest ``dependencies`` are checked with ``importlib.metadata`` when it
    is enabled, so the frozen app carries the metadata of the app's own dependencies
    (what a third-party plugin may declare too) and of every built-in plugin's.
    """
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [r for r in project["dependencies"] if "python_version <" not in r]
    for plugin in builtin_plugins(root):
        manifest = tomllib.loads((plugin / "plugin.toml").read_text(encoding="utf-8"))
        requirements += manifest.get("dependencies", [])
    names = requirement_names(requirements) + EXTRA_DISTRIBUTIONS
    return sorted(set(names), key=names.index)
