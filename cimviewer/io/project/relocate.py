"""Relocating missing project data: point at one folder, find every missing layer in it.

Like ParaView's ``LoadState(data_directory=...)``: for a missing source
``a/b/c/file.tif`` the candidates are ``folder/a/b/c/file.tif``, ``folder/b/c/file.tif``,
``folder/c/file.tif`` and ``folder/file.tif`` (longest tail first), so moving a whole
data tree or just its files both work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np

from cimviewer.core.joins import carry_joins
from cimviewer.core.layers import (
    CityModelLayer,
    Layer,
    MissingLayer,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
)
from cimviewer.core.project import Project
from cimviewer.io.joins import parse_joins
from cimviewer.io.project.schema import Checker, ProjectError


def _parts(source: str | Path) -> list[str]:
    text = str(source).replace("\\", "/")
    parts = PurePosixPath(text).parts
    drive = PureWindowsPath(str(source)).drive
    return [p for p in parts if p not in ("/", "..", ".", "") and p != drive and p != drive + "/"]


def candidates(sources: list[str | Path], folder: Path) -> Iterator[Path]:
    """Paths in ``folder`` that may hold a file once stored as one of ``sources``."""
    seen: set[Path] = set()
    for source in sources:
        parts = _parts(source)
        for start in range(len(parts)):
            path = folder.joinpath(*parts[start:])
            if path not in seen:
                seen.add(path)
                yield path


def find_in_folder(layer: MissingLayer, folder: Path) -> Path | None:
    sources: list[str | Path] = []
    if isinstance(layer.record.get("source"), str):
        sources.append(layer.record["source"])
    if layer.source is not None:
        sources.append(layer.source)
    return next((p for p in candidates(sources, folder) if p.exists()), None)


def reopen(layer: MissingLayer, folder: Path, crs: str | None,
           messages: list[str]) -> Layer | None:
    """Read a missing layer from its new place, with the display state it was saved with."""
    from cimviewer.io.project.file import LayerRecord, open_record, parse_hidden

    path = find_in_folder(layer, folder)
    if path is None:
        return None
    record = dict(layer.record)
    check = Checker()
    try:
        options = check.obj(record.get("load_options", {}), "load_options")
        style = check.style(record.get("style", {}), "style")
        lod = record.get("lod") if isinstance(record.get("lod"), str) else None
        joins = parse_joins(record.get("joins", []), "joins", check, None)
        hidden = parse_hidden(record.get("hidden"), "hidden", check)
    except ProjectError as exc:
        messages.append(f"{layer.name}: {exc.one_line()}")
        return None
    rec = LayerRecord(type=str(record.get("type")), name=layer.name, source=str(path), path=path,
                      format=None, load_options=dict(options), lod=lod, visible=layer.visible,
                      opacity=layer.opacity, style=style, raw=record, joins=joins,
                      hidden=hidden)
    new = open_record(rec, crs, messages, layer.name)
    return None if isinstance(new, MissingLayer) else new


def reopen_missing(project: Project, folder: str | Path, *,
                   cancelled: Callable[[], bool] | None = None,
                   ) -> tuple[dict[str, Layer], list[str]]:
    """Read the missing layers found in ``folder``: {missing layer uid: new layer}.

    Does not change the project (safe off the GUI thread); see :func:`replace_layers`.
    """
    folder = Path(folder)
    found: dict[str, Layer] = {}
    messages: list[str] = []
    for layer in list(project.layers):
        if cancelled is not None and cancelled():
            break
        if isinstance(layer, MissingLayer):
            new = reopen(layer, folder, project.crs, messages)
            if new is not None:
                found[layer.uid] = new
    return found, messages


def replace_layers(project: Project, found: dict[str, Layer]) -> int:
    """Put the reopened layers in place of the missing ones (same positions); drape."""
    from cimviewer.geometry.placement import drape_layers

    count = 0
    for uid, new in found.items():
        old = project.layer_by_uid(uid)
        if old is None:
            continue
        index = project.layers.index(old)
        if project.origin is None or project.crs is None:  # every layer was missing
            _adopt_origin(project, new)
        if isinstance(old, CityModelLayer) and isinstance(new, CityModelLayer) \
                and old.joins and not new.joins:
            carry_joins(old, new)  # a theme switch: the same objects, the same tables
        project.layers.pop(index)
        project.layers.insert(index, new)
        count += 1
    if count:
        terrain = [lay for lay in project.layers if isinstance(lay, TerrainLayer)][:1]
        new_terrain = any(isinstance(lay, TerrainLayer) for lay in found.values())
        # the layers read again (vector features and city models asking for it), and
        # every vector layer when the terrain itself is new
        targets = [lay for lay in project.layers if lay in found.values()
                   or (new_terrain and isinstance(lay, (VectorLayer, RasterLayer)))]
        drape_layers([*terrain, *targets])
        project.mark_modified()
    return count


def _adopt_origin(project: Project, layer: Layer) -> None:
    bbox = layer.bbox()
    if project.origin is None and bbox is not None and np.isfinite(bbox).all():
        project.origin = np.round((bbox[:3] + bbox[3:]) / 2, 0)
    if project.crs is None and layer.crs:
        project.crs = layer.crs


def relocate_missing(project: Project, new_folder: str | Path) -> int:
    """Find and reopen the project's missing layers in ``new_folder``; return how many."""
    found, _messages = reopen_missing(project, new_folder)
    return replace_layers(project, found)
