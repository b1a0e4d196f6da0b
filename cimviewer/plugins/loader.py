"""Importing plugin code on first use and resolving "module:attribute" targets."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

#: what plugin code may raise that is the plugin's failure, not the app's: a plugin
#: calling sys.exit() (at import or in run) must not end the CLI or the GUI. Only
#: KeyboardInterrupt passes. os._exit() cannot be caught in-process (see docs).
PLUGIN_FAILURES = (Exception, SystemExit)


class PluginError(Exception):
    """Plugin code failed: names the plugin and the error in one line."""

    def __init__(self, plugin: str, message: str, reported: bool = False):
        self.plugin = plugin
        self.message = message
        self.reported = reported  # already in the manager's problems
        super().__init__(f"plugin {plugin!r}: {message}")


def import_package(package: str, folder: Path, installed: bool) -> ModuleType:
    """The plugin's package module, imported if needed.

    Installed plugins import normally. Folder plugins are imported from their folder
    under their package name without touching ``sys.path``; a different package of the
    same name that is already imported is refused.
    """
    module = sys.modules.get(package)
    if module is not None:
        location = getattr(module, "__path__", None)
        if installed or (location and Path(next(iter(location))).resolve() == folder.resolve()):
            return module
        raise ImportError(f"another package named {package!r} is already imported "
                          f"({getattr(module, '__file__', '?')})")
    if installed:
        return importlib.import_module(package)
    init = folder / "__init__.py"
    if not init.is_file():
        raise ImportError(f"{folder} has no __init__.py")
    spec = importlib.util.spec_from_file_location(package, init,
                                                  submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {folder}")
    module = importlib.util.module_from_spec(spec)
    module.__cimviewer_folder_plugin__ = True  # type: ignore[attr-defined]
    sys.modules[package] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        forget_package(package)
        raise
    return module


#: a folder plugin's own libraries: ``pip install --target PLUGIN/_vendor LIB``
VENDOR_FOLDER = "_vendor"


def add_vendor_path(folder: Path) -> Path | None:
    """Put a folder plugin's ``_vendor`` folder at the end of ``sys.path``; its path or None.

    For libraries the app does not ship (the frozen app has no pip): appended, so the
    app's own copies of numpy, shapely... win over a plugin's. Stays for the session
    (imported modules cannot be unloaded).
    """
    vendor = folder / VENDOR_FOLDER
    if not vendor.is_dir():
        return None
    text = str(vendor.resolve())
    if text not in sys.path:
        sys.path.append(text)
    return vendor


def forget_package(package: str) -> None:
    """Drop a package and its submodules from sys.modules (after a failed import)."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def resolve_target(target: str) -> Any:
    """The object "module:attr.sub" names (the package must already be importable)."""
    module_name, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def describe_exception(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
