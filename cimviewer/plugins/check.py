"""``cimviewer plugin check PATH``: everything a plugin declares, checked up front.

Plugins are imported on first use, so a syntax error or a target that names nothing
would otherwise show only when a planner first opens the dock or runs the algorithm.
This reads the manifest, compiles every module, imports every target and asks each
algorithm for its parameters and outputs — what the app will do, all at once.
"""

from __future__ import annotations

import py_compile
from pathlib import Path

from cimviewer.plugins.manifest import KINDS, MANIFEST_NAME, ManifestError, read_manifest


def check_plugin(folder: str | Path) -> list[str]:
    """Problems of the plugin in ``folder`` (the folder holding plugin.toml), one line
    each; [] when it is fine."""
    from cimviewer.plugins.loader import forget_package
    from cimviewer.plugins.manager import PluginManager

    folder = Path(folder)
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        return [f"{folder}: no {MANIFEST_NAME} here"]
    try:
        manifest = read_manifest(manifest_path)
    except ManifestError as exc:
        return [str(exc)]
    problems = []
    for source in sorted(folder.rglob("*.py")):
        try:
            py_compile.compile(str(source), doraise=True, cfile=None, optimize=-1)
        except py_compile.PyCompileError as exc:
            problems.append(f"{source.relative_to(folder.parent)}: {exc.exc_value}")
    manager = PluginManager()
    manager.add_folder(folder.parent, "folder")
    name = manifest.name
    try:
        if name not in manager.records or not manager.enable(name):
            return problems + [m for p, m in manager.problems if p == name] or [
                f"{name}: could not be enabled"]
        for kind in KINDS:
            for contribution in manifest.of_kind(kind):
                what = f"{kind[:-1]} {contribution.id!r} ({contribution.target})"
                try:
                    if kind == "algorithms":
                        algorithm = manager.algorithm(f"{name}.{contribution.id}")
                        algorithm.parameters()
                        algorithm.outputs()
                    else:
                        manager.resolve(name, contribution.target)
                except Exception as exc:  # every problem is reported, none raised
                    problems.append(f"{what}: {type(exc).__name__}: {exc}")
        problems += [m for p, m in manager.problems if p == name and m not in problems]
    finally:
        manager.disable_all()
        forget_package(manifest.package)
    return problems
