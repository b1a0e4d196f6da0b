"""Step-by-step upgrades of older project files: one function per schema step (vN -> vN+1).

Schema history:

1. The draft format: absolute ``path`` per layer, ``options``, ``show`` instead of
   ``visible``, the camera as a flat list of 10 numbers (position, focal point, view up,
   view angle), bookmarks as ``{name: flat camera}``, plugin state without a version
   under ``plugins``, and an unversioned ``window_state``.
2. The current format (see ``project_file``): relative ``source``, ``load_options``,
   ``visible``, cameras as objects, bookmarks as a list, ``plugin_state`` with a
   version per plugin, ``layout`` with a layout version.

   Added within schema 2 without a step, because older versions read the files as
   before and keep what they do not understand unchanged (a key of their own, optional,
   with nothing to reshape): a city-model layer's ``joins`` (outside tables joined to
   its objects, ``io/joins.py``).

A migration never reads files or imports names from the data: it only reshapes JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cimviewer.io.project.paths import store_path
from cimviewer.io.project.schema import Checker

Migration = Callable[[dict[str, Any], Path | None, Checker, list[str]], dict[str, Any]]


def _flat_camera(value: Any, where: str, check: Checker) -> dict[str, Any] | None:
    if value is None:
        return None
    items = check.array(value, where)
    if len(items) != 10:
        raise check.fail(where, "must be 10 numbers (position, focal point, view up, angle)")
    nums = [check.number(v, f"{where}[{i}]") for i, v in enumerate(items)]
    return {"position": nums[0:3], "focal_point": nums[3:6], "view_up": nums[6:9],
            "view_angle": nums[9]}


def v1_to_v2(data: dict[str, Any], project_dir: Path | None, check: Checker,
             notes: list[str]) -> dict[str, Any]:
    out = {k: v for k, v in data.items()
           if k not in ("layers", "camera", "bookmarks", "plugins", "window_state")}
    layers = []
    for i, raw in enumerate(check.array(data.get("layers", []), "layers")):
        where = f"layers[{i}]"
        layer = dict(check.obj(raw, where))
        path = check.text(layer.pop("path", None), f"{where}.path", nonempty=True)
        layer["source"] = store_path(path, project_dir)  # type: ignore[arg-type]
        layer["load_options"] = layer.pop("options", {})
        layer["visible"] = layer.pop("show", True)
        layer.setdefault("format", None)
        layers.append(layer)
    out["layers"] = layers
    out["camera"] = _flat_camera(data.get("camera"), "camera", check)
    marks = check.obj(data.get("bookmarks", {}), "bookmarks")
    out["bookmarks"] = [{"name": name, "camera": _flat_camera(cam, f"bookmarks.{name}", check)}
                        for name, cam in marks.items()]
    plugins = check.obj(data.get("plugins", {}), "plugins")
    out["plugin_state"] = {name: {"version": 1, "data": check.obj(state, f"plugins.{name}")}
                           for name, state in plugins.items()}
    if "window_state" in data:
        notes.append("the window layout of schema 1 files is not kept: using the default")
    out["schema_version"] = 2
    return out


#: from-version -> the function that upgrades it by one step
MIGRATIONS: dict[int, Migration] = {1: v1_to_v2}


def migrate(data: dict[str, Any], version: int, target: int, project_dir: Path | None,
            check: Checker, notes: list[str]) -> dict[str, Any]:
    """Apply the chain ``version -> version+1 -> ... -> target``."""
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise check.fail("schema_version", f"no upgrade from schema {version}")
        data = step(data, project_dir, check, notes)
        notes.append(f"upgraded from schema {version} to {version + 1}")
        version += 1
    return data
