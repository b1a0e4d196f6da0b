"""The ``.cimproj`` project file: UTF-8 JSON, versioned, data only, saved atomically.

Reading is split in three steps so that the slow part can run off the GUI thread:

1. :func:`read_document` parses, migrates and validates the file into a
   :class:`ProjectDocument` (no data read yet; fast);
2. :func:`load_layers` reads each layer's data; a layer that fails becomes a
   :class:`MissingLayer` with a message, never an exception;
3. :func:`apply_document` fills an existing :class:`Project` (so views stay attached).

:func:`open_project` does all three. :func:`save_project` writes atomically with a
``.bak``. Keys this version does not understand are reported and written back unchanged.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import importlib
import json
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer import __version__
from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState
from cimviewer.core.joins import JoinSpec
from cimviewer.core.kiosk import KioskSettings
from cimviewer.core.layers import CityModelLayer, Layer, MissingLayer
from cimviewer.core.project import Project
from cimviewer.core.style import LayerStyle
from cimviewer.core.sun import SunSettings
from cimviewer.io.atomic import atomic_write_text, remove_stale_temporaries
from cimviewer.io.errors import ReadError
from cimviewer.io.files import check_regular, read_bounded
from cimviewer.io.joins import joins_record, parse_joins, restore_joins
from cimviewer.io.project import kiosk as kiosk_section
from cimviewer.io.project.migrations import migrate
from cimviewer.io.project.paths import (
    carry_data_folder,
    resolve_stored,
    store_path,
)
from cimviewer.io.project.schema import PLUGIN_NAME, Checker, ProjectError
from cimviewer.io.registry import LOAD_OPTIONS

SCHEMA_VERSION = 2
FORMAT_NAME = "cimviewer project"
SUFFIX = ".cimproj"
MAX_FILE_BYTES = 200 * 1024 * 1024
LAYER_TYPES = ("citymodel", "terrain", "vector", "raster", "sensors", "pointcloud")
#: layer types with keys of their own, read and written by a codec module that has
#: KEYS, parse(raw, where, check, base_dir), open_record(record, crs),
#: record_extra(layer, project_dir) and after_load(layers)
LAYER_CODECS = {"sensors": "cimviewer.io.sensors.project",
                "pointcloud": "cimviewer.io.pointcloud.project"}
TOP_KEYS = {"format", "schema_version", "app_version", "crs", "origin", "layers", "camera",
            "bookmarks", "time", "sun", "plugin_state", "layout", kiosk_section.KEY}
LAYER_KEYS = {"type", "name", "source", "format", "load_options", "lod", "visible", "opacity",
              "style", "joins", "hidden"}

log = logging.getLogger("cimviewer")

__all__ = ["FORMAT_NAME", "SCHEMA_VERSION", "SUFFIX", "LayerRecord", "ProjectDocument",
           "ProjectError", "apply_document", "kiosk_settings", "load_layers", "open_project",
           "project_to_dict", "read_document", "save_project", "set_kiosk_settings"]


@dataclass
class LayerRecord:
    """One validated layer entry; ``raw`` is the entry as read (kept for MissingLayer)."""

    type: str
    name: str
    source: str | None  # None only for types whose codec sets SOURCE_OPTIONAL
    path: Path | None
    format: str | None
    load_options: dict[str, Any]
    lod: str | None
    visible: bool
    opacity: float
    style: LayerStyle
    raw: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    parsed: Any = None  # what the type's codec read from its own keys
    #: outside tables joined to a city model's objects (``io.joins``)
    joins: list[JoinSpec] = field(default_factory=list)
    #: city layers: hidden object ids and types ({"objects": [...], "types": [...]});
    #: None in files from before they were saved (the reader's defaults apply)
    hidden: dict[str, list[str]] | None = None


@dataclass
class ProjectDocument:
    """A parsed, migrated and validated project file; no layer data read yet."""

    path: Path | None
    schema_version: int
    app_version: str | None
    crs: str | None
    origin: tuple[float, float, float] | None
    layers: list[LayerRecord]
    camera: CameraState | None
    bookmarks: list[Bookmark]
    time: dict[str, Any]
    plugin_state: dict[str, dict[str, Any]]
    layout: dict[str, Any] | None
    extra: dict[str, Any]
    unknown: list[str]
    messages: list[str]
    kiosk: KioskSettings | None = None
    #: the sun settings (SunSettings.to_dict); empty in files from before they were saved
    sun: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Extras:
    """What a project carries for its file but the core model has no place for."""

    layout: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    layer_extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # by layer uid
    kiosk: KioskSettings | None = None


_extras: weakref.WeakKeyDictionary[Project, _Extras] = weakref.WeakKeyDictionary()


def saved_layout(project: Project) -> dict[str, Any] | None:
    """The window layout read with the project ({"version": int, "state": base64})."""
    extras = _extras.get(project)
    return None if extras is None else extras.layout


def kiosk_settings(project: Project) -> KioskSettings | None:
    """The project's kiosk section (None when it has none)."""
    extras = _extras.get(project)
    return None if extras is None else extras.kiosk


def set_kiosk_settings(project: Project, settings: KioskSettings | None) -> None:
    """Set (or with None remove) the kiosk section; the project is then modified."""
    extras = _extras.setdefault(project, _Extras())
    if extras.kiosk != settings:
        extras.kiosk = settings
        project.mark_modified()


def forget_file_state(project: Project) -> None:
    """Drop the layout and kept unknown keys (for File > New Project)."""
    _extras.pop(project, None)


# --- reading ----------------------------------------------------------------------------
def _codec(kind: Any):
    name = LAYER_CODECS.get(kind) if isinstance(kind, str) else None
    return None if name is None else importlib.import_module(name)


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a project file")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_json(raw: bytes, path: Path | None = None) -> dict[str, Any]:
    """Strict JSON: UTF-8, no NaN/Infinity, no duplicate keys, an object at the top."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"not UTF-8 text (byte {exc.start})", path) from None
    try:
        data = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ProjectError(f"not valid JSON: {exc.msg}", path, where) from None
    except ValueError as exc:
        raise ProjectError(f"not valid JSON: {exc}", path) from None
    except RecursionError:
        raise ProjectError("not valid JSON: nested too deeply", path) from None
    if not isinstance(data, dict):
        raise ProjectError("not a cimviewer project: the file must hold a JSON object", path)
    return data


def read_document(path: str | Path, *, base_dir: Path | None = None) -> ProjectDocument:
    """Read, migrate and validate a project file. Raises ProjectError (one line)."""
    path = Path(path)
    try:
        check_regular(path, ProjectError)  # a FIFO would block the read forever
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProjectError("file is too large for a project file", path)
        raw = read_bounded(path, MAX_FILE_BYTES, "file", ProjectError)
    except FileNotFoundError:
        raise ProjectError("file does not exist", path) from None
    except IsADirectoryError:
        raise ProjectError("is a folder, not a project file", path) from None
    except PermissionError:
        raise ProjectError("permission denied", path) from None
    return parse_document(parse_json(raw, path), path,
                          base_dir=base_dir if base_dir is not None else path.parent)


def parse_document(data: dict[str, Any], path: Path | None = None, *,
                   base_dir: Path | None = None) -> ProjectDocument:
    """Validate a decoded project (any schema version) into a ProjectDocument."""
    check = Checker(path)
    messages: list[str] = []
    if "schema_version" not in data:
        raise ProjectError("not a cimviewer project: schema_version is missing", path)
    version = check.integer(data["schema_version"], "schema_version", 1)
    app_version = data.get("app_version")
    app_version = app_version if isinstance(app_version, str) else None
    if version < SCHEMA_VERSION:
        data = migrate(data, version, SCHEMA_VERSION, base_dir, check, messages)
    try:
        doc = _parse_current(data, path, base_dir, check, version, app_version, messages)
    except ProjectError as exc:
        if version > SCHEMA_VERSION:
            exc.message += (f" (the file is from a newer cimviewer {app_version or ''},"
                            f" schema {version}; this version reads schema {SCHEMA_VERSION})")
            exc.args = (exc.one_line(),)
        raise
    if version > SCHEMA_VERSION:
        not_understood = ", ".join(doc.unknown) or "nothing"
        messages.insert(0, f"written by a newer cimviewer {app_version or ''} (schema {version};"
                           f" this version reads schema {SCHEMA_VERSION}); not understood and"
                           f" kept unchanged: {not_understood}")
    elif doc.unknown:
        messages.insert(0, f"not understood and kept unchanged: {', '.join(doc.unknown)}")
    return doc


def _parse_current(data: dict[str, Any], path: Path | None, base_dir: Path | None,
                   check: Checker, version: int, app_version: str | None,
                   messages: list[str]) -> ProjectDocument:
    extra = check.note_unknown(data, TOP_KEYS, "")
    fmt = data.get("format", FORMAT_NAME)
    if fmt != FORMAT_NAME:
        raise check.fail("format", f"must be {FORMAT_NAME!r}")
    crs = check.text(data.get("crs"), "crs", optional=True, nonempty=True)
    origin = None if data.get("origin") is None else check.vec3(data["origin"], "origin")
    layers = [_parse_layer(raw, f"layers[{i}]", base_dir, check)
              for i, raw in enumerate(check.array(data.get("layers", []), "layers"))]
    camera = None if data.get("camera") is None else check.camera(data["camera"], "camera")
    bookmarks = []
    for i, raw in enumerate(check.array(data.get("bookmarks", []), "bookmarks")):
        mark = check.obj(raw, f"bookmarks[{i}]")
        check.note_unknown(mark, {"name", "camera"}, f"bookmarks[{i}]")
        name = check.text(mark.get("name"), f"bookmarks[{i}].name", nonempty=True)
        if "camera" not in mark:
            raise check.fail(f"bookmarks[{i}].camera", "is missing")
        bookmarks.append(Bookmark(name, check.camera(mark["camera"], f"bookmarks[{i}].camera")))  # type: ignore[arg-type]
    kiosk = None
    if data.get(kiosk_section.KEY) is not None:
        kiosk = kiosk_section.parse(data[kiosk_section.KEY], check)
        messages.extend(kiosk_section.references(
            kiosk, [mark.name for mark in bookmarks], [layer.name for layer in layers]))
    return ProjectDocument(
        path=path, schema_version=version, app_version=app_version, crs=crs, origin=origin,
        layers=layers, camera=camera, bookmarks=bookmarks,
        time=_parse_time(data.get("time") or {}, check),
        plugin_state=_parse_plugins(data.get("plugin_state") or {}, check),
        layout=_parse_layout(data.get("layout"), check), extra=copy.deepcopy(extra),
        unknown=check.unknown, messages=messages, kiosk=kiosk,
        sun=_parse_sun(data.get("sun") or {}, check))


def _parse_layer(raw: Any, where: str, base_dir: Path | None, check: Checker) -> LayerRecord:
    data = check.obj(raw, where)
    codec = _codec(data.get("type"))
    extra = check.note_unknown(data, LAYER_KEYS | (codec.KEYS if codec else set()), where)
    kind = check.text(data.get("type"), f"{where}.type", nonempty=True)
    name = check.text(data.get("name"), f"{where}.name", nonempty=True)
    source_optional = bool(codec and getattr(codec, "SOURCE_OPTIONAL", False))
    source = check.text(data.get("source"), f"{where}.source", nonempty=True,
                        optional=source_optional)
    options = check.obj(data.get("load_options", {}), f"{where}.load_options")
    for key, value in options.items():
        _check_option(key, value, f"{where}.load_options.{key}", check)
    lod = data.get("lod")
    lod = None if lod is None else check.text(lod, f"{where}.lod", nonempty=True)
    return LayerRecord(
        type=kind, name=name, source=source,  # type: ignore[arg-type]
        path=None if source is None else resolve_stored(source, base_dir),
        format=check.text(data.get("format"), f"{where}.format", optional=True),
        load_options=copy.deepcopy(options), lod=lod,
        visible=check.flag(data.get("visible", True), f"{where}.visible"),
        opacity=check.number(data.get("opacity", 1.0), f"{where}.opacity", 0, 1),
        style=check.style(data.get("style", {}), f"{where}.style"),
        raw=copy.deepcopy(data), extra=copy.deepcopy(extra),
        parsed=codec.parse(data, where, check, base_dir) if codec else None,
        joins=parse_joins(data.get("joins", []), f"{where}.joins", check, base_dir),
        hidden=parse_hidden(data.get("hidden"), f"{where}.hidden", check))


def parse_hidden(value: Any, where: str, check: Checker) -> dict[str, list[str]] | None:
    """A city layer's hidden objects and types: {"objects": [ids], "types": [names]}."""
    if value is None:
        return None
    data = check.obj(value, where)
    check.note_unknown(data, {"objects", "types"}, where)
    out: dict[str, list[str]] = {}
    for key in ("objects", "types"):
        items = check.array(data.get(key, []), f"{where}.{key}")
        out[key] = [check.text(v, f"{where}.{key}[{i}]", nonempty=True)  # type: ignore[misc]
                    for i, v in enumerate(items)]
    return out


def apply_hidden(layer: CityModelLayer, hidden: dict[str, list[str]] | None,
                 messages: list[str], where: str) -> None:
    """Hide the saved objects (by id) and types of a city layer read again."""
    if hidden is None:
        return
    objects = layer.model.objects
    found: list[int] = []
    lost = 0
    for obj_id in hidden.get("objects", []):
        try:
            found.append(objects.index_of(obj_id))
        except KeyError:
            lost += 1
    if lost:
        messages.append(f"{where}.hidden: {lost} hidden object(s) are no longer in the data")
    layer.set_hidden(objects=found, types=hidden.get("types", []))


def hidden_record(layer: Layer) -> dict[str, list[str]] | None:
    """What :func:`parse_hidden` reads back; None when the layer shows its defaults."""
    if not isinstance(layer, CityModelLayer):
        return None
    if not layer.hidden_objects and layer.hidden_types == layer.default_hidden_types:
        return None
    ids = layer.model.objects.ids
    return {"objects": sorted(ids[i] for i in layer.hidden_objects),
            "types": sorted(layer.hidden_types)}


def _check_option(key: str, value: Any, where: str, check: Checker) -> None:
    kind = LOAD_OPTIONS.get(key)
    if kind is None:  # unknown options: the reader refuses them, the layer goes missing
        check.unknown.append(where)
    elif kind == "text":
        check.text(value, where, nonempty=True)
    elif kind == "flag":
        check.flag(value, where)
    elif kind == "number":
        check.number(value, where, -1e4, 1e4)
    elif kind == "positive":
        check.number(value, where, 0, 1e4, lo_open=True)
    elif kind == "coordinate":  # map coordinates: eastings and northings are large
        check.number(value, where, -1e9, 1e9)
    else:
        check.integer(value, where, 1, 65535)


def _parse_time(value: Any, check: Checker) -> dict[str, Any]:
    data = check.obj(value, "time")
    check.note_unknown(data, {"current", "start", "end", "speed", "live"}, "time")
    out: dict[str, Any] = {}
    for key in ("current", "start", "end"):
        parsed = check.time(data.get(key), f"time.{key}")
        out[key] = None if parsed is None else parsed.isoformat()
    out["speed"] = check.number(data.get("speed", 1.0), "time.speed", 0, 1e6, lo_open=True)
    out["live"] = check.flag(data.get("live", False), "time.live")
    return out


def _parse_sun(value: Any, check: Checker) -> dict[str, Any]:
    data = check.obj(value, "sun")
    check.note_unknown(data, {"when", "time_zone", "latitude", "longitude", "shadows"}, "sun")
    when = check.time(data.get("when"), "sun.when")
    zone_name = check.text(data.get("time_zone"), "sun.time_zone", optional=True,
                           nonempty=True)
    out: dict[str, Any] = {
        "when": None if when is None else when.replace(tzinfo=None).isoformat(),
        "time_zone": zone_name,
        "shadows": check.flag(data.get("shadows", False), "sun.shadows")}
    for key, limit in (("latitude", 90), ("longitude", 180)):
        value = data.get(key)
        out[key] = None if value is None else check.number(value, f"sun.{key}", -limit, limit)
    try:
        SunSettings().update_from_dict(out)
    except ValueError as exc:
        raise check.fail("sun.time_zone", str(exc)) from None
    return out


def _parse_plugins(value: Any, check: Checker) -> dict[str, dict[str, Any]]:
    out = {}
    for name, entry in check.obj(value, "plugin_state").items():
        where = f"plugin_state.{name}"
        if not PLUGIN_NAME.match(name):
            raise check.fail(where, "plugin names are letters, digits, '_', '-' and '.'")
        entry = check.obj(entry, where)
        check.integer(entry.get("version"), f"{where}.version", 0)
        check.obj(entry.get("data", {}), f"{where}.data")
        out[name] = copy.deepcopy(entry)
    return out


def _parse_layout(value: Any, check: Checker) -> dict[str, Any] | None:
    if value is None:
        return None
    data = check.obj(value, "layout")
    check.integer(data.get("version"), "layout.version", 0)
    state = check.text(data.get("state"), "layout.state")
    try:
        base64.b64decode(state, validate=True)  # type: ignore[arg-type]
    except (binascii.Error, ValueError):
        raise check.fail("layout.state", "must be base64 text") from None
    docks = data.get("plugin_docks", [])
    if not isinstance(docks, list):
        raise check.fail("layout.plugin_docks", "must be a list of dock names")
    for i, key in enumerate(docks):
        check.text(key, f"layout.plugin_docks[{i}]", nonempty=True)
    parts = data.get("parts", {})  # UI state of docks: {key: {"version": n, "data": ...}}
    if not isinstance(parts, dict) or not all(
            isinstance(entry, dict) and isinstance(entry.get("version"), int)
            for entry in parts.values()):
        raise check.fail("layout.parts", "must map part names to {version, data}")
    return dict(data)


# --- loading layers ---------------------------------------------------------------------
def load_layers(doc: ProjectDocument, *, progress: Callable[[float], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> tuple[list[Layer], list[str]]:
    """Read every layer's data. Failures become MissingLayer plus a message."""
    from cimviewer.geometry.placement import drape_layers

    layers: list[Layer] = []
    messages: list[str] = []
    crs = doc.crs
    for i, record in enumerate(doc.layers):
        if cancelled is not None and cancelled():
            raise ProjectError("opening the project was cancelled", doc.path)
        layer = open_record(record, crs, messages, f"layers[{i}]")
        crs = crs or layer.crs
        layers.append(layer)
        if progress is not None:
            progress((i + 1) / max(1, len(doc.layers)))
    loaded = [layer for layer in layers if not isinstance(layer, MissingLayer)]
    drape_layers(loaded)
    for kind in {record.type for record in doc.layers} & LAYER_CODECS.keys():
        _codec(kind).after_load(loaded)
    return layers, messages


def open_record(record: LayerRecord, crs: str | None, messages: list[str],
                where: str) -> Layer:
    """One layer from its record, with its saved display state; MissingLayer on failure."""
    from cimviewer.io.layers import open_layer

    if record.type not in LAYER_TYPES:
        reason = f"layer type {record.type!r} is not known to this version"
        messages.append(f"{where} ({record.name}): {reason}")
        return _missing(record, reason)
    codec = _codec(record.type)
    try:
        if codec:
            layer = codec.open_record(record, crs)
        elif record.path is None:  # the parser gives a source to every non-codec type
            raise ValueError(f"{where} ({record.name}): a {record.type} layer needs a source")
        else:
            layer = open_layer(record.path, name=record.name, project_crs=crs,
                               options=record.load_options)
    except ReadError as exc:
        messages.append(f"{where} ({record.name}): {exc.one_line()}")
        return _missing(record, exc.message)
    if layer.kind != record.type:
        messages.append(f"{where} ({record.name}): saved as {record.type}, now reads as "
                        f"{layer.kind}")
    layer.visible = record.visible
    layer.opacity = record.opacity
    layer.style = record.style
    if isinstance(layer, CityModelLayer):
        messages.extend(f"{where} ({record.name}): {problem}"
                        for problem in layer.model.problems)
        restore_joins(layer, record.joins, messages, where)
        apply_hidden(layer, record.hidden, messages, where)
    if isinstance(layer, CityModelLayer) and record.lod is not None:
        if record.lod in layer.model.lods:
            layer.lod = record.lod
        else:
            messages.append(f"{where}.lod: LoD {record.lod} is not in the data "
                            f"(has {', '.join(layer.model.lods)}): showing the highest")
    return layer


def _missing(record: LayerRecord, reason: str) -> MissingLayer:
    raw = record.raw
    if record.joins and isinstance(raw.get("joins"), list):
        # join files as absolute paths: saved again relative to wherever the project goes
        raw = dict(raw, joins=[dict(entry, **({"path": spec.path} if spec.path else {}))
                               for entry, spec in zip(raw["joins"], record.joins,
                                                      strict=True)])
    layer = MissingLayer(record.name, raw, reason, record.path)
    layer.visible = record.visible
    layer.opacity = record.opacity
    return layer


def apply_document(project: Project, doc: ProjectDocument, layers: list[Layer], *,
                   path: Path | None = None) -> Project:
    """Replace the content of ``project`` (the same object) with the document's.

    All or nothing: everything is prepared first and applied in one step; when applying
    fails (a view listening to the project raises on a new layer), the previous content
    is put back and :class:`ProjectError` is raised, so there is never a half-open
    project that a later save would write over the file.
    """
    if len(layers) != len(doc.layers):
        raise ProjectError("opening the project failed: layers and records do not match",
                           path or doc.path)
    extras = _Extras(layout=doc.layout, extra=copy.deepcopy(doc.extra), kiosk=doc.kiosk)
    for layer, record in zip(layers, doc.layers, strict=True):
        if record.extra:
            extras.layer_extra[layer.uid] = copy.deepcopy(record.extra)
    origin = None if doc.origin is None else np.array(doc.origin, np.float64)
    plugin_state = copy.deepcopy(doc.plugin_state)
    before = _capture(project)
    try:
        project.clear()
        project.crs = doc.crs
        project.origin = origin
        for layer in layers:
            project.add_layer(layer)
        _extras[project] = extras
        for mark in doc.bookmarks:
            project.bookmarks.append(mark)
        project.plugin_state.update(plugin_state)
        project.time.update_from_dict(doc.time)
        project.sun.update_from_dict(doc.sun)
        if doc.camera is not None:
            project.camera.state = doc.camera
        project.path = path if path is not None else doc.path
        project.mark_saved()
    except Exception as exc:
        problem = _restore(project, before)
        where = path if path is not None else doc.path
        reason = _cause(exc)
        kept = ("the previous project is kept" if problem is None else
                f"the previous project could not be restored either ({problem})")
        raise ProjectError(f"could not be opened: {reason}; {kept}", where) from exc
    try:  # the project is whole now; a view that fails to follow it must not undo that
        project.replaced.emit()
    except Exception as exc:
        log.error("a view could not follow the opened project: %s", _cause(exc))
    return project


def _cause(exc: BaseException) -> str:
    """The innermost error in one line (psygnal wraps a listener's error in its own)."""
    seen = set()
    while exc.__cause__ is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _capture(project: Project) -> dict[str, Any]:
    return {"layers": list(project.layers), "bookmarks": list(project.bookmarks),
            "crs": project.crs, "origin": project.origin, "path": project.path,
            "plugin_state": copy.deepcopy(project.plugin_state),
            "time": project.time.to_dict(), "sun": project.sun.to_dict(),
            "camera": project.camera.state,
            "extras": _extras.get(project), "modified": project.modified}


def _restore(project: Project, state: dict[str, Any]) -> str | None:
    """Put a captured state back; None when it worked, else what failed."""
    try:
        project.clear()
        project.crs = state["crs"]
        project.origin = state["origin"]
        for layer in state["layers"]:
            project.layers.append(layer)
        for mark in state["bookmarks"]:
            project.bookmarks.append(mark)
        project.plugin_state.update(state["plugin_state"])
        project.time.update_from_dict(state["time"])
        project.sun.update_from_dict(state["sun"])
        if state["camera"] is not None:
            project.camera.state = state["camera"]
        if state["extras"] is None:
            _extras.pop(project, None)
        else:
            _extras[project] = state["extras"]
        project.path = state["path"]
        if state["modified"]:
            project.mark_modified()
        else:
            project.mark_saved()
    except Exception as exc:  # reported with the original failure
        # never leave something that can be saved over a file: forget the path
        with contextlib.suppress(Exception):
            project.path = None
        project._path = None
        project.mark_modified()
        return _cause(exc)
    return None


@dataclass
class OpenedProject:
    project: Project
    document: ProjectDocument
    messages: list[str]


def open_project(path: str | Path, project: Project | None = None, *,
                 base_dir: Path | None = None) -> OpenedProject:
    """Read a project file into ``project`` (or a new Project). Layer problems -> messages."""
    doc = read_document(path, base_dir=base_dir)
    layers, messages = load_layers(doc)
    project = apply_document(project or Project(), doc, layers)
    return OpenedProject(project, doc, doc.messages + messages)


# --- writing ----------------------------------------------------------------------------
def _sorted(value: Any) -> Any:
    """Recursively sort object keys (for parts where order carries no meaning)."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _layer_dict(layer: Layer, project_dir: Path | None, extras: _Extras) -> dict[str, Any]:
    if isinstance(layer, MissingLayer):
        out = copy.deepcopy(layer.record)
        if layer.source is not None:
            out["source"] = store_path(layer.source, project_dir)
        joins = out.get("joins")
        for entry in joins if isinstance(joins, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) \
                    and Path(entry["path"]).is_absolute():
                entry["path"] = store_path(entry["path"], project_dir)
        out.update(name=layer.name, visible=layer.visible, opacity=layer.opacity)
        return out
    from cimviewer.io.registry import detect_format

    try:
        fmt = detect_format(layer.source) if layer.source is not None else None
    except ReadError:
        fmt = None
    out = dict(_sorted(extras.layer_extra.get(layer.uid, {})))
    out.update({
        "type": layer.kind,
        "name": layer.name,
        "source": None if layer.source is None else store_path(layer.source, project_dir),
        "format": fmt,
        "load_options": _sorted(layer.load_options),
        "lod": getattr(layer, "lod", None),
        "visible": layer.visible,
        "opacity": layer.opacity,
        "style": layer.style.to_dict(),
    })
    if isinstance(layer, CityModelLayer) and layer.joins:
        out["joins"] = joins_record(layer, project_dir)
    hidden = hidden_record(layer)
    if hidden is not None:
        out["hidden"] = hidden
    codec = _codec(layer.kind)
    if codec is not None:
        out.update(codec.record_extra(layer, project_dir))
    return out


def _saved(layer: Layer) -> bool:
    """Layers read from files, and layers their codec can rebuild without one (a live
    sensor feed); not results computed in the session."""
    if layer.source is not None or isinstance(layer, MissingLayer):
        return True
    codec = _codec(layer.kind)
    return bool(codec and getattr(codec, "SOURCE_OPTIONAL", False))


def project_to_dict(project: Project, project_file: Path | None, *,
                    layout: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON content for ``project`` saved as ``project_file`` (paths relative to it)."""
    extras = _extras.get(project) or _Extras()
    project_dir = None if project_file is None else Path(project_file).parent
    camera = project.camera.state
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "crs": project.crs,
        "origin": None if project.origin is None else [float(v) for v in project.origin],
        "layers": [_layer_dict(layer, project_dir, extras) for layer in project.layers
                   if _saved(layer)],
        "camera": None if camera is None else camera.to_dict(),
        "bookmarks": [mark.to_dict() for mark in project.bookmarks],
        "time": project.time.to_dict(),
        "sun": project.sun.to_dict(),
        "plugin_state": _sorted(project.plugin_state),
        "layout": layout if layout is not None else extras.layout,
    }
    if extras.kiosk is not None:
        data[kiosk_section.KEY] = extras.kiosk.to_dict()
    for key, value in _sorted(extras.extra).items():
        data.setdefault(key, value)
    return data


def dumps(data: dict[str, Any]) -> str:
    """Diff-friendly text: 2-space indent, real UTF-8, a final newline; no NaN."""
    try:
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"project cannot be written as JSON: {exc}") from None


def save_project(project: Project, path: str | Path, *,
                 layout: dict[str, Any] | None = None) -> Path:
    """Write atomically (temp + fsync + replace, old file kept as .bak); mark saved."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    path = Path(path.parent.resolve(), path.name)
    text = dumps(project_to_dict(project, path, layout=layout))
    old = project.path
    carry_data_folder(project, None if old is None else Path(old), path)
    remove_stale_temporaries(path)
    atomic_write_text(path, text)
    if layout is not None:
        _extras.setdefault(project, _Extras()).layout = layout
    project.path = path
    project.mark_saved()
    return path


# --- summary (``cimviewer info``) -----------------------------------------------------
def project_summary(path: str | Path) -> dict[str, Any]:
    """What a project holds, without reading its data: for ``cimviewer info``."""
    doc = read_document(path)
    return {
        "format": FORMAT_NAME,
        "schema_version": doc.schema_version,
        "app_version": doc.app_version,
        "crs": doc.crs,
        "origin": None if doc.origin is None else list(doc.origin),
        "layers": [{"name": r.name, "type": r.type, "source": r.source,
                    "found": r.path is None or r.path.exists(), "visible": r.visible}
                   for r in doc.layers],
        "bookmarks": [mark.name for mark in doc.bookmarks],
        "plugins": {name: entry.get("version") for name, entry in doc.plugin_state.items()},
        "messages": doc.messages,
    }
