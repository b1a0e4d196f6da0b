"""Plugins import only ``cimviewer.api`` from the app (built-ins, samples, the scaffold)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cimviewer.plugins.discovery import builtin_folder

SOURCES = sorted(builtin_folder().rglob("*.py")) + sorted(
    (Path(__file__).parent / "sample_plugins").rglob("*.py"))


def app_imports(source: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return [n for n in names if n == "cimviewer" or n.startswith("cimviewer.")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_plugins_import_only_the_api(path):
    """Plugin code imports cimviewer.api; its tests also cimviewer.testing (the fixtures
    any plugin author gets)."""
    allowed = {"cimviewer.api"} | ({"cimviewer.testing"} if "tests" in path.parts else set())
    bad = [n for n in app_imports(path.read_text(encoding="utf-8")) if n not in allowed]
    assert not bad, f"{path} imports {bad}; plugins may import only {sorted(allowed)}"


def test_scaffold_imports_only_the_api(tmp_path):
    from cimviewer.plugins.scaffold import write_skeleton

    root = write_skeleton("cimtest_rules", tmp_path)
    for path in (root / "cimtest_rules").rglob("*.py"):
        assert set(app_imports(path.read_text(encoding="utf-8"))) <= {"cimviewer.api"}
    for path in (root / "tests").rglob("*.py"):  # its tests: the fixtures module too
        assert set(app_imports(path.read_text(encoding="utf-8"))) <= {"cimviewer.api",
                                                                      "cimviewer.testing"}


def test_the_api_is_headless():
    import subprocess
    import sys

    code = ("import sys, cimviewer.api; bad = [m for m in sys.modules "
            "if m.split('.')[0] in ('PySide6', 'vtk', 'vtkmodules')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
