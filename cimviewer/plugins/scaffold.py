"""``cimviewer plugin new NAME``: a working plugin project to start from."""

from __future__ import annotations

from pathlib import Path
from string import Template

from cimviewer.plugins.apiversion import API_VERSION
from cimviewer.plugins.manifest import NAME

FILES: dict[str, str] = {
    "pyproject.toml": '''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "cimviewer-$name"
version = "0.1.0"
description = "$title: a cimviewer plugin"
requires-python = ">=3.10"
dependencies = ["cimviewer"]

# cimviewer finds the plugin through this entry point; the value names the package
# whose folder holds plugin.toml (it is not imported until the plugin is used)
[project.entry-points."cimviewer.plugins"]
$name = "$name"

[tool.setuptools]
packages = ["$name"]

[tool.setuptools.package-data]
$name = ["plugin.toml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
''',
    "conftest.py": '''\
"""Loads cimviewer's fixtures (cim_plugins, cim_run, cim_project, cim_main_window)."""

pytest_plugins = ["cimviewer.testing"]
''',
    "README.md": '''\
# $title

A cimviewer plugin. Develop it with:

    pip install -e .
    pytest

cimviewer lists it under Tools > Plugins… once installed; `cimviewer run $name.count_features
--param layer=FILE` runs its algorithm headless.
''',
    "$name/__init__.py": '''\
"""$title (a cimviewer plugin). Keep this file light: it runs on first use."""
''',
    "$name/plugin.toml": '''\
manifest_version = 1
name = "$name"
version = "0.1.0"
author = "$author"
api = "$api"
dependencies = []
state_version = 1

[display_name]
en = "$title"
zh_CN = "$title"

[[algorithms]]
id = "count_features"
target = "$name.algorithm:CountFeatures"
title = { en = "Count features", zh_CN = "统计要素" }

[[docks]]
id = "panel"
target = "$name.dock:make_panel"
title = { en = "$title", zh_CN = "$title" }
area = "right"
''',
    "$name/algorithm.py": '''\
"""An algorithm: how many objects of a layer have each value of an attribute."""

from __future__ import annotations

from collections import Counter

from cimviewer.api import (
    Algorithm,
    Context,
    FieldParam,
    LayerParam,
    NumberOutput,
    Table,
    TableOutput,
)


def attribute_values(layer, field):
    if layer.kind == "citymodel":
        return [attrs.get(field) for attrs in layer.model.objects.attributes]
    return list(layer.data.columns.get(field, []))


class CountFeatures(Algorithm):
    title = "Count features"
    description = "Counts the objects of a layer per value of an attribute."

    def parameters(self):
        return [LayerParam("layer", "Layer", kinds=("citymodel", "vector")),
                FieldParam("field", "Attribute", layer="layer")]

    def outputs(self):
        return [TableOutput("counts", "Objects per value"), NumberOutput("total", "Objects")]

    def run(self, params, ctx: Context):
        values = attribute_values(params["layer"], params["field"])
        counts = Counter("" if v is None else str(v) for v in values)
        ctx.progress(1.0)
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return {"counts": Table({"value": [k for k, _ in ordered],
                                 "objects": [n for _, n in ordered]}),
                "total": len(values)}
''',
    "$name/dock.py": '''\
"""A dock widget: shows how many layers the project has."""

from __future__ import annotations


def make_panel(ctx):
    """Called with a cimviewer.api.PluginContext the first time the dock is shown."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()

    def update(*_args):
        label.setText(f"{len(ctx.project.layers)} layers")

    ctx.project.layers.events.inserted.connect(update)
    ctx.project.layers.events.removed.connect(update)
    update()
    return label
''',
    "tests/test_$name.py": '''\
from pathlib import Path

from cimviewer.api import VectorData, VectorLayer

import numpy as np

PLUGIN = Path(__file__).resolve().parents[1] / "$name"


def points(values):
    data = VectorData("point", np.zeros((len(values), 3)), columns={"kind": list(values)},
                      n_features=len(values))
    return VectorLayer("points", data)


def test_counts_per_value(cim_plugins, cim_run):
    manager = cim_plugins(PLUGIN)
    out = cim_run(manager, "$name.count_features", layer=points(["a", "b", "a"]), field="kind")
    assert out["total"] == 3
    assert out["counts"].columns == {"value": ["a", "b"], "objects": [2, 1]}


def test_every_declared_target_imports():
    from cimviewer.testing import check_plugin

    assert check_plugin(PLUGIN) == []
''',
}


def write_skeleton(name: str, folder: Path, author: str = "Your Name") -> Path:
    """Write the project ``folder/name``; refuses to overwrite an existing one."""
    if not NAME.match(name):
        raise ValueError(f"plugin name {name!r} must be letters, digits and '_' "
                         "(starting with a letter)")
    root = Path(folder) / name
    if root.exists():
        raise ValueError(f"{root} already exists")
    values = {"name": name, "title": name.replace("_", " ").title(), "author": author,
              "api": API_VERSION}
    for rel, text in FILES.items():
        path = root / Template(rel).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    return root
