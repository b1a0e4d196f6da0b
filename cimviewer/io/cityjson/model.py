"""Collect CityJSON documents and CityJSONFeatures into one CityModel.

A :class:`Collector` takes the parsed JSON of a whole CityJSON file, or of a
CityJSONSeq header and its features one at a time, validates the parts that are not
geometry (version, transform, vertices, objects, appearance) and hands the geometry
records to :mod:`cimviewer.io.cityjson.geometry`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.citymodel import CityModel, ObjectTable
from cimviewer.io.cityjson.flatten import describe
from cimviewer.io.cityjson.geometry import GeometryInput, Record, Source, build_geometry
from cimviewer.io.crs import crs_from_name
from cimviewer.io.errors import ReadError
from cimviewer.io.quality import record_polygon_problems

SUPPORTED_VERSIONS = ("1.0", "1.1", "2.0")
#: CityObject members that are not kept as attributes.
_STRUCTURE_KEYS = frozenset({"type", "attributes", "geometry", "children", "parents"})
#: Root members that are read into the model rather than kept in ``extras``.
_ROOT_KEYS = frozenset({"type", "version", "CityObjects", "vertices", "metadata",
                        "appearance", "geometry-templates", "id"})
_INT64_LIMIT = 2.0**63
#: the appearance theme a read uses for materials and textures (a layer's ``theme`` load
#: option); None: the file's default themes, else the first ones used. A context
#: variable, so the option reaches every collector of a read (whole files, features)
#: without threading it through each reading function.
THEME: ContextVar[str | None] = ContextVar("cityjson_theme", default=None)


def parse_crs(value: Any) -> str | None:
    """``"EPSG:NNNN"`` (or ``"EPSG:A+B"``) from any of CityJSON's CRS spellings; other
    strings are kept."""
    if not isinstance(value, str) or not value.strip():
        return None
    return crs_from_name(value)


def check_version(doc: dict, warnings: list[str]) -> str:
    """The document's version string; unknown versions are read as 2.0 with a warning."""
    version = doc.get("version")
    if version is None:
        warnings.append('the file has no "version"; it is read as CityJSON 2.0')
        return ""
    if not isinstance(version, str):
        raise ReadError(f'"version" must be a string such as "2.0", found {describe(version)}',
                        where="version")
    major_minor = ".".join(version.split(".")[:2])
    if major_minor not in SUPPORTED_VERSIONS:
        warnings.append(f"CityJSON version {version!r} is not one of "
                        f"{', '.join(SUPPORTED_VERSIONS)}; it is read as 2.0")
    return version


def parse_transform(value: Any, where: str = "transform",
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """``(scale, translate)`` or None when there is no transform."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ReadError(f"expected an object, found {describe(value)}", where=where)
    out = []
    for key in ("scale", "translate"):
        v = value.get(key)
        if (not isinstance(v, list) or len(v) != 3
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            raise ReadError(f"{key} must be 3 numbers, found {describe(v)}",
                            where=f"{where}.{key}")
        try:
            arr = np.array(v, np.float64)
        except OverflowError:
            arr = np.full(3, np.inf)
        if not np.isfinite(arr).all() or (np.abs(arr) >= 1e300).any():
            raise ReadError(f"{key} has a value outside the float64 range", where=f"{where}.{key}")
        out.append(arr)
    if (out[0] == 0).any():
        raise ReadError("scale must not be zero", where=f"{where}.scale")
    return out[0], out[1]


def parse_vertices(raw: Any, transform: tuple[np.ndarray, np.ndarray] | None,
                   where: str = "vertices") -> np.ndarray:
    """(n, 3) float64 world coordinates from a list of [x, y, z] (integers or numbers)."""
    if not isinstance(raw, list):
        raise ReadError(f"expected a list of [x, y, z], found {describe(raw)}", where=where)
    n = len(raw)
    if n == 0:
        return np.zeros((0, 3), np.float64)
    if not all(map(list.__instancecheck__, raw)) or set(map(len, raw)) != {3}:
        i = next(i for i, v in enumerate(raw) if not isinstance(v, list) or len(v) != 3)
        raise ReadError(f"expected [x, y, z], found {describe(raw[i])}", where=f"{where}[{i}]")
    try:
        total = sum(chain.from_iterable(raw))
    except TypeError:
        total = None
    if not isinstance(total, (int, float)):
        i = next(i for i, v in enumerate(raw)
                 if not all(isinstance(x, (int, float)) for x in v))
        raise ReadError(f"coordinates must be numbers, found {raw[i]!r:.60}", where=f"{where}[{i}]")
    try:
        arr = np.fromiter(chain.from_iterable(raw), np.float64, 3 * n).reshape(n, 3)
    except OverflowError:
        arr = np.array([[float("inf") if abs(x) > 1e308 else x for x in v] for v in raw])
    bad = ~np.isfinite(arr) | (np.abs(arr) >= _INT64_LIMIT)
    if bad.any():
        i = int(np.flatnonzero(bad.any(axis=1))[0])
        raise ReadError(f"coordinate out of range (beyond 64-bit integers): {raw[i]!r:.80}",
                        where=f"{where}[{i}]")
    if transform is not None:
        arr *= transform[0]
        arr += transform[1]
        if not np.isfinite(arr).all():
            raise ReadError("transform makes coordinates non-finite", where=where)
    return arr


def _opacity(material: Any) -> int:
    """0..255 from a material's ``transparency`` (0 = opaque, 1 = invisible)."""
    value = material.get("transparency") if isinstance(material, dict) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        return 255
    return round((1.0 - min(max(float(value), 0.0), 1.0)) * 255)


class Collector:
    """Accumulates objects, vertices and geometry of one file into a CityModel."""

    def __init__(self, path: Path, model: CityModel):
        self.path = path
        self.model = model
        self.ids: list[str] = []
        self.types: list[str] = []
        self.attributes: list[dict[str, Any]] = []
        self.links: list[tuple[int, str, Any, str]] = []  # (object, key, value, where)
        self.addresses: list[tuple[int, int, str]] = []  # (object, source, where)
        self.buckets: dict[str, list[Record]] = {}
        self.sources: list[Source] = []
        self.vertex_blocks: list[np.ndarray] = []
        self.n_vertices = 0
        self.palette: list[tuple[int, int, int]] = []
        self.palette_has: list[bool] = []
        self.palette_alpha: list[int] = []
        self.theme: str | None = THEME.get()
        self.missing_textures: list[str] = []
        self.texture_paths: list[Path] = []
        self.texture_found: list[bool] = []
        self.uv_blocks: list[np.ndarray] = []
        self.n_uv = 0
        self.texture_theme: str | None = THEME.get()
        self.themes: set[str] = set()  # every appearance theme the geometries name
        #: texture and uv offsets of the last appearance read (for the next source)
        self.bases = (0, 0)
        self.templates: list | None = None
        self.template_vertices: np.ndarray | None = None

    # -- root members -------------------------------------------------------------------
    def read_root(self, doc: dict, where: str = "") -> None:
        """Metadata, CRS, appearance, templates and extra members of a document/header."""
        model = self.model
        meta = doc.get("metadata")
        if isinstance(meta, dict):
            model.metadata = meta
            model.crs = parse_crs(meta.get("referenceSystem"))
        elif meta is not None:
            model.warnings.append(f'{where}"metadata" is not an object and was ignored')
        model.extras.update({k: v for k, v in doc.items() if k not in _ROOT_KEYS})
        self.add_appearance(doc.get("appearance"), where)
        templates = doc.get("geometry-templates")
        if templates is not None:
            if not isinstance(templates, dict) or not isinstance(templates.get("templates"),
                                                                 list):
                raise ReadError('expected an object with "templates" and "vertices-templates"',
                                where=f"{where}geometry-templates")
            self.templates = templates["templates"]
            self.template_vertices = parse_vertices(
                templates.get("vertices-templates", []), None,
                where=f"{where}geometry-templates.vertices-templates")

    def add_appearance(self, app: Any, where: str = "") -> int:
        """Append materials to the palette; return their offset. Textures and texture
        coordinates are appended too (their offsets go to the next source added)."""
        base = len(self.palette)
        self.bases = (len(self.texture_paths), self.n_uv)
        if app is None:
            return base
        if not isinstance(app, dict):
            raise ReadError(f"expected an object, found {describe(app)}",
                            where=f"{where}appearance")
        summary = {k: v for k, v in app.items() if k != "vertices-texture"}
        self.model.extras.setdefault("appearance", summary)
        materials = app.get("materials") or []
        if not isinstance(materials, list):
            raise ReadError("expected a list", where=f"{where}appearance.materials")
        for mat in materials:
            color = mat.get("diffuseColor") if isinstance(mat, dict) else None
            if (isinstance(color, list) and len(color) >= 3
                    and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                            for c in color[:3])):
                r, g, b = (round(min(max(float(c), 0.0), 1.0) * 255) for c in color[:3])
                self.palette.append((r, g, b))
                self.palette_has.append(True)
            else:
                self.palette.append((0, 0, 0))
                self.palette_has.append(False)
            self.palette_alpha.append(_opacity(mat))
        theme = app.get("default-theme-material")
        if self.theme is None and isinstance(theme, str):
            self.theme = theme
        theme = app.get("default-theme-texture")
        if self.texture_theme is None and isinstance(theme, str):
            self.texture_theme = theme
        self._add_textures(app.get("textures"), app.get("vertices-texture"), where)
        return base

    def _add_textures(self, textures: Any, uvs: Any, where: str) -> None:
        """Texture images (resolved against the file's folder) and texture coordinates."""
        folder = self.path.parent.resolve()
        for tex in textures if isinstance(textures, list) else []:
            image = tex.get("image") if isinstance(tex, dict) else None
            if not isinstance(image, str):
                image = ""
            path = folder / image
            found = bool(image) and "://" not in image and path.is_file()
            if not found:
                self.missing_textures.append(image or "(no image)")
            self.texture_paths.append(path)
            self.texture_found.append(found)
        if uvs is None:
            return
        try:
            table = np.array(uvs, np.float64)
            if table.ndim != 2 or table.shape[1] != 2 or not np.isfinite(table).all():
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            # tolerated: the geometries that use them are left untextured, with a warning
            self.model.warnings.append(f'{where}"vertices-texture" is not a list of [u, v] '
                                       "numbers; textures that use it are not shown")
            return
        self.uv_blocks.append(table.astype(np.float32))
        self.n_uv += len(table)

    # -- vertices and objects ---------------------------------------------------------
    def add_source(self, vertices: np.ndarray, noun: str, where: str, mbase: int) -> int:
        self.sources.append(Source(self.n_vertices, len(vertices), noun, where, mbase,
                                   tbase=self.bases[0], uvbase=self.bases[1]))
        self.vertex_blocks.append(vertices)
        self.n_vertices += len(vertices)
        return len(self.sources) - 1

    def add_objects(self, cos: Any, src: int, where: str = "") -> None:
        """Objects of a document or feature; geometry goes into type buckets."""
        if not isinstance(cos, dict):
            raise ReadError(f"expected an object, found {describe(cos)}",
                            where=f"{where}CityObjects")
        ids, types, attributes = self.ids, self.types, self.attributes
        buckets = self.buckets
        for oid, co in cos.items():
            if type(co) is not dict:
                raise ReadError(f"expected an object, found {describe(co)}",
                                where=f'{where}CityObjects["{oid}"]')
            otype = co.get("type")
            if type(otype) is not str:
                problem = ('missing "type"' if otype is None
                           else f'"type" must be a string, found {describe(otype)}')
                raise ReadError(problem, where=f'{where}CityObjects["{oid}"]')
            index = len(ids)
            ids.append(oid)
            types.append(otype)
            attrs = co.get("attributes")
            if attrs is None:
                attrs = {}
            elif type(attrs) is not dict:
                raise ReadError(f"expected an object, found {describe(attrs)}",
                                where=f'{where}CityObjects["{oid}"].attributes')
            extra = co.keys() - _STRUCTURE_KEYS
            if extra:
                attrs = dict(attrs)
                for key in extra:
                    attrs.setdefault(key, co[key])
                if "address" in extra:
                    self.addresses.append((index, src, f'{where}CityObjects["{oid}"].address'))
            attributes.append(attrs)
            geoms = co.get("geometry")
            if geoms:
                if type(geoms) is not list:
                    raise ReadError(f"expected a list, found {describe(geoms)}",
                                    where=f'{where}CityObjects["{oid}"].geometry')
                for gi, geom in enumerate(geoms):
                    gtype = geom.get("type") if type(geom) is dict else None
                    if type(gtype) is not str:
                        self._bad_geometry(geom, f'{where}CityObjects["{oid}"].geometry[{gi}]')
                    bucket = buckets.get(gtype)  # type: ignore[arg-type]
                    if bucket is None:
                        bucket = buckets[gtype] = []  # type: ignore[index]
                    bucket.append((index, gi, geom, src))
                    if "material" in geom or "texture" in geom:
                        self._note_themes(geom)
                    if self.theme is None and "material" in geom:
                        self._pick_theme(geom["material"])
                    if self.texture_theme is None and "texture" in geom:
                        texture = geom["texture"]
                        if isinstance(texture, dict):
                            self.texture_theme = next(
                                (k for k in texture if isinstance(k, str)), None)
            for key in ("parents", "children"):
                if key in co:
                    self.links.append((index, key, co[key], f'{where}CityObjects["{oid}"]'))

    @staticmethod
    def _bad_geometry(geom: Any, where: str) -> None:
        if type(geom) is not dict:
            raise ReadError(f"expected a geometry object, found {describe(geom)}", where=where)
        gtype = geom.get("type")
        if gtype is None:
            raise ReadError('geometry has no "type"', where=where)
        raise ReadError(f'geometry "type" must be a string, found {describe(gtype)}',
                        where=f"{where}.type")

    def _note_themes(self, geom: dict) -> None:
        for key in ("material", "texture"):
            value = geom.get(key)
            if isinstance(value, dict):
                self.themes.update(k for k in value if isinstance(k, str))

    def _pick_theme(self, material: Any) -> None:
        if isinstance(material, dict):
            self.theme = next((k for k in material if isinstance(k, str)), None)

    # -- assembling ---------------------------------------------------------------------
    def _parents(self) -> list[list[int]]:
        index = {oid: i for i, oid in enumerate(self.ids)}
        if len(index) != len(self.ids):
            seen: set[str] = set()
            dup = next(oid for oid in self.ids if oid in seen or seen.add(oid))  # type: ignore[func-returns-value]
            raise ReadError(f'CityObject id "{dup}" is used more than once')
        parents: list[list[int]] = [[] for _ in self.ids]
        unresolved: list[str] = []
        for obj, key, value, where in self.links:
            if not isinstance(value, list):
                raise ReadError(f"expected a list of ids, found {describe(value)}",
                                where=f"{where}.{key}")
            for other_id in value:
                other = index.get(other_id) if isinstance(other_id, str) else None
                if other is None:
                    unresolved.append(f"{where}.{key}: {other_id!r:.40}")
                    continue
                child, parent = (obj, other) if key == "parents" else (other, obj)
                if parent not in parents[child]:
                    parents[child].append(parent)
        if unresolved:
            self.model.warnings.append(
                f"{len(unresolved)} parent/child references name unknown CityObjects and "
                f"were ignored (first: {unresolved[0]})")
        return parents

    def _resolve_addresses(self, vertices: np.ndarray) -> None:
        """Add world ``coordinates`` to each address location (a MultiPoint)."""
        for obj, src, where in self.addresses:
            addresses = self.attributes[obj].get("address")
            if not isinstance(addresses, list):
                continue
            source = self.sources[src]
            resolved = []
            for i, address in enumerate(addresses):
                location = address.get("location") if isinstance(address, dict) else None
                if not isinstance(location, dict):
                    resolved.append(address)
                    continue
                idx = location.get("boundaries")
                if (not isinstance(idx, list)
                        or not all(type(v) is int and 0 <= v < source.vcount for v in idx)):
                    raise ReadError(f"location must list vertex indices below {source.vcount}, "
                                    f"found {describe(idx)}",
                                    where=f"{where}[{i}].location.boundaries")
                coords = vertices[np.array(idx, np.int64) + source.vbase].tolist()
                resolved.append({**address, "location": {**location, "coordinates": coords}})
            self.attributes[obj]["address"] = resolved

    def finish(self, check: Callable[[], None]) -> CityModel:
        """Build geometry and the object table; return the model."""
        model = self.model
        vertices = (self.vertex_blocks[0] if len(self.vertex_blocks) == 1
                    else np.concatenate(self.vertex_blocks) if self.vertex_blocks
                    else np.zeros((0, 3)))
        if not self.sources:
            self.add_source(vertices, "file", "", 0)
        parents = self._parents()
        if self.addresses:
            self._resolve_addresses(vertices)
        palette = np.array(self.palette, np.uint8).reshape(-1, 3)
        geometry = build_geometry(GeometryInput(
            ids=self.ids, vertices=vertices, sources=self.sources, buckets=self.buckets,
            palette=palette, palette_has=np.array(self.palette_has, bool),
            palette_alpha=np.array(self.palette_alpha, np.uint8),
            theme=self.theme if len(palette) else None,
            templates=self.templates, template_vertices=self.template_vertices,
            **self._texture_input(),
        ), check)
        model.n_vertices = self.n_vertices
        model.objects = ObjectTable(self.ids, self.types, parents, self.attributes)
        model.meshes, model.lines, model.points = geometry.meshes, geometry.lines, geometry.points
        model.semantic_surfaces = geometry.semantic_surfaces
        model.warnings += geometry.warnings
        record_polygon_problems(model, geometry.problems, geometry.places)
        if self.theme is not None and len(palette):
            model.extras["material_theme"] = self.theme
        model.themes = sorted(self.themes)
        model.theme = (self.theme if self.theme in self.themes else
                       self.texture_theme if self.texture_theme in self.themes else None)
        model.textures = self.texture_paths
        if self.texture_paths or self.palette:
            found = {p for p, ok in zip(self.texture_paths, self.texture_found, strict=True)
                     if ok}  # features may list the same image again
            model.appearance = {"textures": len(found),
                                "textures_missing": len(set(self.missing_textures)),
                                "materials": len(self.palette)}
        if self.missing_textures:
            model.warnings.append(
                f"{len(set(self.missing_textures))} texture images not found (first: "
                f"{self.missing_textures[0]}); their surfaces show the style colour")
        return model

    def _texture_input(self) -> dict[str, Any]:
        """The texture members of the geometry input (none without textures)."""
        if not self.texture_paths or self.texture_theme is None:
            return {}
        uv = (np.concatenate(self.uv_blocks) if self.uv_blocks
              else np.zeros((0, 2), np.float32))
        return {"texture_theme": self.texture_theme, "uv_table": uv,
                "texture_found": np.array(self.texture_found, bool)}
