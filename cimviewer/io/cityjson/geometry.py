"""Turn CityJSON geometry objects into render-ready arrays (meshes, lines, points per LoD).

Input is a list of geometry records ``(object index, geometry index, geometry dict,
source index)`` grouped by geometry type, where a *source* is a block of vertices the
geometry's indices refer to: the file, one CityJSONFeature, or one instance of a
geometry template. Boundaries of all geometries of a type are flattened together, all
surfaces of the file are triangulated in one call, and the triangles are split by LoD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from cimviewer.core.citymodel import INDEX, PLACES_KEPT, PointSet, PolylineSet, TriangleMesh
from cimviewer.core.semantics import OTHER_SEMANTIC, SEMANTIC_CODES
from cimviewer.geometry.triangulate import triangulate_polygons
from cimviewer.geometry.validity import first_flagged_ring, polygon_problems, shell_problems
from cimviewer.io.cityjson.flatten import (
    NestingError,
    describe,
    find_in_nested,
    flatten_levels,
    leaves_to_indices,
    leaves_to_optional_indices,
    owner_of,
    owners,
)
from cimviewer.io.cityjson.textures import corner_uvs, pick_texture, ring_values
from cimviewer.io.errors import ReadError
from cimviewer.io.quality import polygon_objects

#: Depth of nested lists in ``boundaries`` per surface geometry type.
SURFACE_DEPTH = {"MultiSurface": 3, "CompositeSurface": 3, "Solid": 4,
                 "MultiSolid": 5, "CompositeSolid": 5}
OTHER_DEPTH = {"MultiLineString": 2, "MultiPoint": 1}
INSTANCE = "GeometryInstance"
GEOMETRY_TYPES = (*SURFACE_DEPTH, *OTHER_DEPTH, INSTANCE)

Record = tuple[int, int, dict, int]  # (object index, geometry index, geometry, source index)


@dataclass
class Source:
    """A block of the global vertex array that geometry indices refer to."""

    vbase: int
    vcount: int
    noun: str = "file"  # "file" / "feature" / "template"
    where: str = ""  # prefix of error locations, e.g. "line 3: "
    mbase: int = 0  # offset of this source's materials in the palette
    template: int = -1  # template index for instanced geometry
    tbase: int = 0  # offset of this source's textures in the texture list
    uvbase: int = 0  # offset of this source's "vertices-texture"


@dataclass
class GeometryInput:
    ids: list[str]
    vertices: np.ndarray
    sources: list[Source]
    buckets: dict[str, list[Record]]
    palette: np.ndarray  # (k, 3) uint8 material colours
    palette_has: np.ndarray  # (k,) bool: material has a diffuseColor
    theme: str | None = None
    templates: list | None = None
    template_vertices: np.ndarray | None = None
    palette_alpha: np.ndarray | None = None  # (k,) uint8 material opacity
    texture_theme: str | None = None
    uv_table: np.ndarray | None = None  # (k, 2) float32 "vertices-texture"
    texture_found: np.ndarray | None = None  # (t,) bool: the texture's image exists


@dataclass
class GeometryOutput:
    meshes: dict[str, TriangleMesh] = field(default_factory=dict)
    lines: dict[str, PolylineSet] = field(default_factory=dict)
    points: dict[str, PointSet] = field(default_factory=dict)
    semantic_surfaces: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: polygon problems (``geometry.validity``): kind -> object of each polygon
    problems: dict[str, np.ndarray] = field(default_factory=dict)
    #: where the first occurrences are (``CityModel.problem_places``), by kind
    places: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Batch:
    """Surfaces of one geometry type, flattened."""

    ring_vertices: np.ndarray
    ring_lens: np.ndarray
    surf_rings: np.ndarray
    surf_obj: np.ndarray
    surf_lod: np.ndarray
    surf_sem: np.ndarray  # global semantic surface index, -1 none
    surf_mat: np.ndarray  # palette index, -1 none
    surf_tex: np.ndarray | None = None  # texture index, -1 none
    pos_uv: np.ndarray | None = None  # uv index per ring position, -1 none
    #: solids: the shell of each surface (local to the batch), surfaces and object of
    #: each shell; None for surface geometries
    surf_shell: np.ndarray | None = None
    shell_surfaces: np.ndarray | None = None
    shell_obj: np.ndarray | None = None
    #: for the places of problems: the nesting depth, the element counts per level
    #: (``flatten_levels``) and per geometry its record (object, geometry index, source)
    depth: int = 0
    counts: list[np.ndarray] = field(default_factory=list)
    recs: np.ndarray | None = None  # (n_geometries, 3) int64


class _Builder:
    def __init__(self, inp: GeometryInput, check: Callable[[], None]):
        self.inp = inp
        self.check = check
        self.out = GeometryOutput()
        self.lod_names: list[str] = []
        self._lod_ids: dict[Any, int] = {}
        self.sem_codes: list[int] = []
        self._sem_lists: list[tuple[np.ndarray, list]] = []
        self.vertex_blocks: list[np.ndarray] = [inp.vertices]
        self.n_vertices = len(inp.vertices)
        self.bad_semantics: list[str] = []
        self.bad_materials: list[str] = []
        self.bad_textures: list[str] = []

    # -- messages ---------------------------------------------------------------------
    def where(self, rec: Record) -> str:
        obj, gi, _geom, src = rec
        source = self.inp.sources[src]
        if source.template >= 0:
            return f"{source.where}geometry-templates.templates[{source.template}]"
        return f'{source.where}CityObjects["{self.inp.ids[obj]}"].geometry[{gi}]'

    # -- LoD --------------------------------------------------------------------------
    def lod_id(self, value: Any, rec: Record) -> int:
        key = (type(value), value) if isinstance(value, (str, int, float)) else None
        if key is not None and key in self._lod_ids:
            return self._lod_ids[key]
        if isinstance(value, str) and value:
            name = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) \
                and np.isfinite(value):
            name = f"{value:g}"
        elif value is None:
            raise ReadError('missing "lod"', where=self.where(rec))
        else:
            raise ReadError(f'"lod" must be a string or a number, found {describe(value)}',
                            where=self.where(rec) + ".lod")
        if name not in self.lod_names:
            self.lod_names.append(name)
        self._lod_ids[key] = self.lod_names.index(name)
        return self._lod_ids[key]

    def lods(self, recs: list[Record]) -> np.ndarray:
        """LoD id of each record."""
        return np.array([self.lod_id(r[2].get("lod"), r) for r in recs], np.int32)

    # -- geometry templates -----------------------------------------------------------
    def expand_instances(self, records: list[Record]) -> None:
        """Resolve GeometryInstances into records of their template's type."""
        templates = self.inp.templates
        tverts = self.inp.template_vertices
        if not records:
            return
        if templates is None or tverts is None:
            raise ReadError('GeometryInstance but the file has no "geometry-templates"',
                            where=self.where(records[0]))
        by_template: dict[int, list[tuple[Record, int, list]]] = {}
        for rec in records:
            geom = rec[2]
            where = self.where(rec)
            t = geom.get("template")
            if type(t) is not int or not 0 <= t < len(templates):
                raise ReadError(f'"template" must be an index below {len(templates)}, found '
                                f"{describe(t)}", where=where + ".template")
            b = geom.get("boundaries")
            src = self.inp.sources[rec[3]]
            if (not isinstance(b, list) or len(b) != 1 or type(b[0]) is not int
                    or not 0 <= b[0] < src.vcount):
                raise ReadError("GeometryInstance boundaries must be one vertex index below "
                                f"{src.vcount}, found {describe(b)}",
                                where=where + ".boundaries")
            m = geom.get("transformationMatrix")
            if (not isinstance(m, list) or len(m) != 16
                    or not all(isinstance(x, (int, float)) and not isinstance(x, bool)
                               for x in m)):
                raise ReadError('"transformationMatrix" must be 16 numbers',
                                where=where + ".transformationMatrix")
            by_template.setdefault(t, []).append((rec, src.vbase + b[0], m))
        for t, items in by_template.items():
            template = templates[t]
            if not isinstance(template, dict) or template.get("type") not in \
                    (*SURFACE_DEPTH, *OTHER_DEPTH):
                raise ReadError("template must be a geometry object other than "
                                "GeometryInstance", where=f"geometry-templates.templates[{t}]")
            mats = np.array([m for _, _, m in items], np.float64).reshape(-1, 4, 4)
            if not np.isfinite(mats).all():
                raise ReadError("transformationMatrix has non-finite values",
                                where=self.where(items[0][0]))
            refs = self.vertex_blocks[0][[r for _, r, _ in items]]
            block = (np.einsum("kij,nj->kni", mats[:, :3, :3], tverts)
                     + mats[:, None, :3, 3] + refs[:, None, :])
            nv = len(tverts)
            bucket = self.inp.buckets.setdefault(template["type"], [])
            for k, (rec, _, _) in enumerate(items):
                self.inp.sources.append(Source(self.n_vertices + k * nv, nv, "template",
                                               template=t,
                                               mbase=self.inp.sources[rec[3]].mbase,
                                               tbase=self.inp.sources[rec[3]].tbase,
                                               uvbase=self.inp.sources[rec[3]].uvbase))
                bucket.append((rec[0], rec[1], template, len(self.inp.sources) - 1))
            if not np.isfinite(block).all():
                raise ReadError("geometry instance produces non-finite coordinates",
                                where=self.where(items[0][0]))
            self.vertex_blocks.append(block.reshape(-1, 3))
            self.n_vertices += len(items) * nv

    # -- boundaries -------------------------------------------------------------------
    def flatten(self, recs: list[Record], geoms: list[dict], depth: int,
                ) -> tuple[list[np.ndarray], np.ndarray]:
        """Flatten boundaries; validate and offset vertex indices into the global array."""
        try:
            items = list(map(itemgetter("boundaries"), geoms))
        except KeyError:
            bad = next(i for i, g in enumerate(geoms) if "boundaries" not in g)
            raise ReadError('missing "boundaries"', where=self.where(recs[bad])) from None
        counts: list[np.ndarray] = []
        try:
            counts, leaves = flatten_levels(items, depth)
            idx = leaves_to_indices(leaves, depth)
        except NestingError as err:
            counts = err.counts if err.counts is not None else counts
            self._raise_nesting(recs, items, depth, err, counts)
        srcs = [r[3] for r in recs]
        if max(srcs, default=0) == 0 and min(srcs, default=0) == 0:
            limit = self.inp.sources[0].vcount
            if len(idx) and (idx.min() < 0 or idx.max() >= limit):
                pos = int(np.flatnonzero((idx < 0) | (idx >= limit))[0])
                self._raise_index(recs, items, depth, counts, pos)
            return counts, idx + self.inp.sources[0].vbase
        src_arr = np.array(srcs, np.int64)[owners(counts, depth)]
        vbase = np.array([s.vbase for s in self.inp.sources], np.int64)[src_arr]
        vcount = np.array([s.vcount for s in self.inp.sources], np.int64)[src_arr]
        bad = (idx < 0) | (idx >= vcount)
        if bad.any():
            self._raise_index(recs, items, depth, counts, int(np.flatnonzero(bad)[0]))
        return counts, idx + vbase

    def _raise_nesting(self, recs: list[Record], items: list, depth: int,
                       err: NestingError, counts: list[np.ndarray]) -> None:
        g = owner_of(counts, err.level, err.index) if err.level else err.index
        found = find_in_nested(items[g], depth, _index_problem)
        path, problem = found if found else ("", "malformed boundaries")
        raise ReadError(problem, where=f"{self.where(recs[g])}.boundaries{path}")

    def _raise_index(self, recs: list[Record], items: list, depth: int,
                     counts: list[np.ndarray], pos: int) -> None:
        g = owner_of(counts, depth, pos)
        src = self.inp.sources[recs[g][3]]

        def problem(v: Any) -> str | None:
            if v < 0:
                return f"negative vertex index {v}"
            if v >= src.vcount:
                return (f"vertex index {v} out of range "
                        f"({src.noun} has {src.vcount} vertices)")
            return None

        found = find_in_nested(items[g], depth, problem)
        path, msg = found if found else ("", "vertex index out of range")
        raise ReadError(msg, where=f"{self.where(recs[g])}.boundaries{path}")

    # -- per-surface values (semantics, materials) ------------------------------------
    def surface_values(self, geoms: list[dict], sel: list[int], values: list,
                       counts: list[np.ndarray], depth: int) -> tuple[np.ndarray, list[int]]:
        """Per-surface indices from nested ``values`` of the selected geometries.

        Returns an array over all surfaces of the batch (-1 = none) and the selected
        geometries whose values do not match their boundaries (left at -1).
        """
        vdepth = depth - 2
        n_surf = len(counts[vdepth])
        out = np.full(n_surf, -1, np.int64)
        if not sel:
            return out, []
        surf_owner = owners(counts, vdepth)
        mask = np.zeros(len(geoms), bool)
        mask[sel] = True
        try:
            vcounts, leaves = flatten_levels(values, vdepth)
            level_mask = mask
            for k in range(vdepth):
                if not np.array_equal(vcounts[k], counts[k][level_mask]):
                    raise NestingError(k, 0)
                level_mask = np.repeat(level_mask, counts[k])
            vals = leaves_to_optional_indices(leaves, vdepth)
            out[mask[surf_owner]] = vals
            return out, []
        except NestingError:
            pass
        # slow path: one geometry at a time, accepting null for whole shells / solids
        bad: list[int] = []
        starts = np.searchsorted(surf_owner, np.arange(len(geoms) + 1))
        for g, v in zip(sel, values, strict=True):
            flat = _expand_values(v, geoms[g]["boundaries"], vdepth)
            if flat is None or len(flat) != starts[g + 1] - starts[g]:
                bad.append(g)
                continue
            out[starts[g]:starts[g + 1]] = flat
        return out, bad

    def semantics(self, recs: list[Record], geoms: list[dict], counts: list[np.ndarray],
                  depth: int) -> np.ndarray:
        """Global semantic surface index per surface (-1 = none)."""
        sems = [g.get("semantics") for g in geoms]
        given = [(i, sem) for i, sem in enumerate(sems) if sem is not None]
        good = [i for i, _ in given]
        n_surf = len(counts[depth - 2])
        if not good:
            return np.full(n_surf, -1, np.int64)
        try:  # well-formed semantics: no Python work per geometry beyond a lookup
            values = [sem["values"] for _, sem in given]
            surfaces = [sem["surfaces"] for _, sem in given]
            if not all(map(list.__instancecheck__, surfaces)):
                raise TypeError
        except (TypeError, KeyError):
            sel, good, values, surfaces = good, [], [], []
            for i in sel:
                sem = sems[i]
                if (isinstance(sem, dict) and isinstance(sem.get("surfaces"), list)
                        and "values" in sem):
                    good.append(i)
                    values.append(sem["values"])
                    surfaces.append(sem["surfaces"])
                else:
                    self.bad_semantics.append(self.where(recs[i]))
        local, bad = self.surface_values(geoms, good, values, counts, depth)
        surf_owner = owners(counts, depth - 2)
        base = np.zeros(len(geoms), np.int64)
        n_sem = np.zeros(len(geoms), np.int64)
        base[good], n_sem[good] = self._register_surfaces(surfaces)
        out_of_range = (local >= n_sem[surf_owner]) | (local < -1)
        if out_of_range.any():
            bad += np.unique(surf_owner[out_of_range]).tolist()
            local[out_of_range] = -1
        if bad:
            bad = sorted(set(bad))
            self.bad_semantics += [self.where(recs[i]) for i in bad]
            local[np.isin(surf_owner, bad)] = -1
        return np.where(local >= 0, base[surf_owner] + local, -1)

    def _register_surfaces(self, lists: list[list]) -> tuple[np.ndarray, np.ndarray]:
        """Append semantic surface lists to the global list; return their offsets and sizes."""
        lens = np.fromiter(map(len, lists), np.int64, len(lists))
        bases = len(self.sem_codes) + np.cumsum(lens) - lens
        flat = list(chain.from_iterable(lists))
        self.sem_codes.extend(_semantic_codes(flat))
        self._sem_lists.append((np.repeat(bases, lens), flat))
        return bases, lens

    def materials(self, recs: list[Record], geoms: list[dict], counts: list[np.ndarray],
                  depth: int) -> np.ndarray:
        """Palette index per surface (-1 = none) for the chosen material theme."""
        n_surf = len(counts[depth - 2])
        out = np.full(n_surf, -1, np.int64)
        theme = self.inp.theme
        if theme is None or not len(self.inp.palette):
            return out
        sel, values, uniform = [], [], {}
        for i, g in enumerate(geoms):
            mat = g.get("material")
            if mat is None:
                continue
            entry = mat.get(theme) if isinstance(mat, dict) else None
            if not isinstance(entry, dict):
                if not isinstance(mat, dict):
                    self.bad_materials.append(self.where(recs[i]))
                continue
            if "values" in entry:
                sel.append(i)
                values.append(entry["values"])
            elif type(entry.get("value")) is int:
                uniform[i] = entry["value"]
            else:
                self.bad_materials.append(self.where(recs[i]))
        local, bad = self.surface_values(geoms, sel, values, counts, depth)
        surf_owner = owners(counts, depth - 2)
        if uniform:
            val = np.full(len(geoms), -1, np.int64)
            val[list(uniform)] = list(uniform.values())
            has = val[surf_owner] >= 0
            local[has] = val[surf_owner][has]
        mbase = np.array([self.inp.sources[r[3]].mbase for r in recs], np.int64)[surf_owner]
        out = np.where(local >= 0, local + mbase, -1)
        wrong = out >= len(self.inp.palette)
        if wrong.any():
            bad += np.unique(surf_owner[wrong]).tolist()
            out[wrong] = -1
        self.bad_materials += [self.where(recs[i]) for i in sorted(set(bad))]
        return out

    # -- batches ------------------------------------------------------------------------
    def surface_batch(self, gtype: str, recs: list[Record]) -> _Batch:
        depth = SURFACE_DEPTH[gtype]
        geoms = [r[2] for r in recs]
        lods = self.lods(recs)
        counts, idx = self.flatten(recs, geoms, depth)
        surf_owner = owners(counts, depth - 2)
        objs = np.array([r[0] for r in recs], INDEX)
        return _Batch(
            ring_vertices=idx,
            ring_lens=counts[depth - 1],
            surf_rings=counts[depth - 2],
            surf_obj=objs[surf_owner],
            surf_lod=lods[surf_owner],
            surf_sem=self.semantics(recs, geoms, counts, depth),
            surf_mat=self.materials(recs, geoms, counts, depth),
            **self.textures(recs, geoms, counts, depth),
            **_shells(counts, depth, objs),
            depth=depth, counts=counts[:depth - 1],
            recs=np.array([r[:2] + r[3:] for r in recs], np.int64).reshape(-1, 3),
        )

    def textures(self, recs: list[Record], geoms: list[dict], counts: list[np.ndarray],
                 depth: int) -> dict[str, np.ndarray]:
        """``surf_tex`` (texture per surface) and ``pos_uv`` (uv index per ring position)
        for the chosen texture theme; nothing when the file has no textures."""
        inp = self.inp
        if inp.texture_theme is None or inp.uv_table is None or inp.texture_found is None:
            return {}
        picked = [pick_texture(g, inp.texture_theme) for g in geoms]
        mask = np.array([v is not None for v in picked], bool)
        if not mask.any():
            return {}
        values = [v for v in picked if v is not None]
        ring_tex, pos_uv, bad = ring_values(values, counts, mask, depth)
        ring_owner = owners(counts, depth - 1)
        pos_owner = np.repeat(ring_owner, counts[depth - 1])
        tbase = np.array([inp.sources[r[3]].tbase for r in recs], np.int64)
        uvbase = np.array([inp.sources[r[3]].uvbase for r in recs], np.int64)
        ring_tex = np.where(ring_tex >= 0, ring_tex + tbase[ring_owner], -1)
        pos_uv = np.where(pos_uv >= 0, pos_uv + uvbase[pos_owner], -1)
        wrong = np.r_[ring_owner[ring_tex >= len(inp.texture_found)],
                      pos_owner[pos_uv >= len(inp.uv_table)]]
        bad = sorted({*bad, *wrong.tolist()})
        if bad:
            self.bad_textures += [self.where(recs[i]) for i in bad]
            ring_tex[np.isin(ring_owner, bad)] = -1
        first_ring = np.zeros(len(counts[depth - 2]), np.int64)
        np.cumsum(counts[depth - 2][:-1], out=first_ring[1:])
        surf_tex = ring_tex[first_ring] if len(ring_tex) else first_ring - 1
        found = np.r_[inp.texture_found, False]  # -1 (none) looks up the False
        surf_tex[~found[surf_tex]] = -1  # images not found: style colour instead
        return {"surf_tex": surf_tex, "pos_uv": pos_uv}

    def lines_and_points(self, vertices: np.ndarray) -> None:
        for gtype, depth in OTHER_DEPTH.items():
            recs = self.inp.buckets.get(gtype)
            if not recs:
                continue
            geoms = [r[2] for r in recs]
            lods = self.lods(recs)
            counts, idx = self.flatten(recs, geoms, depth)
            objs = np.array([r[0] for r in recs], INDEX)
            if gtype == "MultiPoint":
                owner = owners(counts, 1)
                for lod in np.unique(lods):
                    keep = lods[owner] == lod
                    self.out.points[self.lod_names[lod]] = PointSet(
                        vertices[idx[keep]], objs[owner[keep]])
                continue
            line_owner = owners(counts, 1)
            line_lens = counts[1]
            for lod in np.unique(lods):
                keep = lods[line_owner] == lod
                lens = line_lens[keep]
                offsets = np.zeros(len(lens) + 1, np.int64)
                np.cumsum(lens, out=offsets[1:])
                self.out.lines[self.lod_names[lod]] = PolylineSet(
                    vertices[idx[np.repeat(keep, line_lens)]], offsets, objs[line_owner[keep]])

    # -- all together --------------------------------------------------------------------
    def build(self) -> GeometryOutput:
        buckets = self.inp.buckets
        if buckets.get(INSTANCE):
            self.expand_instances(buckets[INSTANCE])
        vertices = (self.vertex_blocks[0] if len(self.vertex_blocks) == 1
                    else np.concatenate(self.vertex_blocks))
        batches = []
        for gtype in SURFACE_DEPTH:
            if buckets.get(gtype):
                batches.append(self.surface_batch(gtype, buckets[gtype]))
                buckets[gtype] = []  # frees the parsed boundaries before triangulation
        self.check()
        self.lines_and_points(vertices)
        self.out.semantic_surfaces = self._global_surfaces()
        if batches:
            self._meshes(vertices, batches)
        self._warn()
        return self.out

    def _meshes(self, vertices: np.ndarray, batches: list[_Batch]) -> None:
        def cat(name: str) -> np.ndarray:
            arrays = [getattr(b, name) for b in batches]
            return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)

        ring_lens, surf_rings = cat("ring_lens"), cat("surf_rings")
        ring_offsets = np.zeros(len(ring_lens) + 1, np.int64)
        np.cumsum(ring_lens, out=ring_offsets[1:])
        poly_offsets = np.zeros(len(surf_rings) + 1, np.int64)
        np.cumsum(surf_rings, out=poly_offsets[1:])
        ring_vertices = cat("ring_vertices")
        ring_masks: dict[str, np.ndarray] = {}
        found = polygon_problems(vertices, ring_vertices, ring_offsets, poly_offsets,
                                 ring_masks)
        self.out.problems = polygon_objects(found, cat("surf_obj"))
        for kind, mask in found.items():
            surfaces = np.flatnonzero(mask)[:PLACES_KEPT]
            rings = (first_flagged_ring(ring_masks[kind], poly_offsets, surfaces)
                     if kind in ring_masks else None)
            self.out.places[kind] = self._places(batches, "surf_rings", 2, surfaces, rings)
        surf_shell, shell_surfaces, shell_obj = _global_shells(batches)
        tris, tri_poly = triangulate_polygons(vertices, ring_vertices, ring_offsets,
                                              poly_offsets)
        self.check()
        if len(shell_surfaces):
            for kind, mask in shell_problems(vertices, tris, surf_shell[tri_poly],
                                             shell_surfaces).items():
                self.out.problems[kind] = shell_obj[mask]
                self.out.places[kind] = self._places(
                    batches, "shell_surfaces", 3, np.flatnonzero(mask)[:PLACES_KEPT])
        tri_lod = cat("surf_lod")[tri_poly]
        tri_obj = cat("surf_obj")[tri_poly]
        sem = cat("surf_sem")[tri_poly]
        mat = cat("surf_mat")[tri_poly]
        tri_tex, tri_uv = self._corner_uvs(batches, ring_offsets, surf_rings, tris, tri_poly)
        codes = np.array([*self.sem_codes, 0], np.uint8)
        lods = np.unique(tri_lod)
        for lod in lods:
            keep = slice(None) if len(lods) == 1 else tri_lod == lod
            mesh = _mesh(vertices, tris[keep], tri_obj[keep], codes[sem[keep]],
                         sem[keep].astype(INDEX), mat[keep], self.inp)
            if tri_tex is not None and tri_uv is not None and (tri_tex[keep] >= 0).any():
                mesh.tri_texture, mesh.tri_uv = tri_tex[keep], tri_uv[keep]
            self.out.meshes[self.lod_names[lod]] = mesh

    def _places(self, batches: list[_Batch], member: str, up: int, elements: np.ndarray,
                rings: np.ndarray | None = None) -> list[str]:
        """Paths such as ``CityObjects/b1/geometry/0/boundaries/0/2/0`` of surfaces
        (``member`` "surf_rings", ``up`` 2 levels above the vertices) or shells
        ("shell_surfaces", 3), numbered over all batches; ``rings`` adds a ring."""
        sizes = np.array([0 if getattr(b, member) is None else len(getattr(b, member))
                          for b in batches], np.int64)
        bases = np.cumsum(sizes) - sizes
        owner = np.searchsorted(np.cumsum(sizes), elements, side="right")
        out = [""] * len(elements)
        for b in np.unique(owner).tolist():
            batch = batches[b]
            sel = np.flatnonzero(owner == b)
            local = elements[sel] - bases[b]
            level = batch.depth - up
            steps = []
            for k in range(level, 0, -1):  # position in the parent, level by level up
                ends = np.cumsum(batch.counts[k - 1])
                parent = np.searchsorted(ends, local, side="right")
                steps.append(local - (ends[parent] - batch.counts[k - 1][parent]))
                local = parent
            assert batch.recs is not None
            recs = batch.recs[local].tolist()
            steps_list = np.array(steps[::-1], np.int64).T.tolist() if steps else \
                [[] for _ in sel]
            ring_list = rings[sel].tolist() if rings is not None else None
            for j, i in enumerate(sel.tolist()):
                path = "/".join(map(str, steps_list[j]))
                if ring_list is not None:
                    path = f"{path}/{ring_list[j]}"
                out[i] = self._geometry_path(recs[j]) + "/boundaries" + (
                    f"/{path}" if path else "")
        return out

    def _geometry_path(self, rec: list[int]) -> str:
        obj, gi, src = rec
        source = self.inp.sources[src]
        if source.template >= 0:
            return (f"{source.where}CityObjects/{self.inp.ids[obj]}/geometry/{gi}: "
                    f"geometry-templates/templates/{source.template}")
        return f"{source.where}CityObjects/{self.inp.ids[obj]}/geometry/{gi}"

    def _corner_uvs(self, batches: list[_Batch], ring_offsets: np.ndarray,
                    surf_rings: np.ndarray, tris: np.ndarray, tri_poly: np.ndarray,
                    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Texture and corner coordinates per triangle, or (None, None) untextured."""
        if self.inp.uv_table is None or all(b.surf_tex is None for b in batches):
            return None, None
        surf_tex = np.concatenate([b.surf_tex if b.surf_tex is not None
                                   else np.full(len(b.surf_rings), -1, np.int64)
                                   for b in batches])
        pos_uv = np.concatenate([b.pos_uv if b.pos_uv is not None
                                 else np.full(len(b.ring_vertices), -1, np.int64)
                                 for b in batches])
        ring_vertices = np.concatenate([b.ring_vertices for b in batches])
        return corner_uvs(ring_vertices, np.diff(ring_offsets), surf_rings, pos_uv, surf_tex,
                          self.inp.uv_table, tris, tri_poly)

    def _global_surfaces(self) -> list[dict[str, Any]]:
        """All semantic surfaces; parent/children rewritten as global indices."""
        out: list[dict[str, Any]] = []
        for bases, flat in self._sem_lists:
            if not all(map(dict.__instancecheck__, flat)):
                flat = [s if isinstance(s, dict) else {} for s in flat]
            sizes = np.fromiter(map(len, flat), np.int64, len(flat))
            for i in np.flatnonzero(sizes > 1).tolist():  # only these can have a hierarchy
                s = flat[i]
                if "parent" in s or "children" in s:
                    s = dict(s)
                    base = int(bases[i])
                    if type(s.get("parent")) is int:
                        s["parent"] += base
                    if isinstance(s.get("children"), list):
                        s["children"] = [c + base if type(c) is int else c
                                         for c in s["children"]]
                    flat[i] = s
            out += flat
        return out

    def _warn(self) -> None:
        for items, what in ((self.bad_semantics, "semantics"),
                            (self.bad_materials, "materials"),
                            (self.bad_textures, "texture values")):
            if items:
                self.out.warnings.append(
                    f"{len(items)} geometries have {what} that do not match their boundaries "
                    f"and were ignored (first: {items[0]})")
        unknown = [t for t in self.inp.buckets if t not in GEOMETRY_TYPES]
        if unknown:
            n = sum(len(self.inp.buckets[t]) for t in unknown)
            self.out.warnings.append(
                f"{n} geometries of unknown type {', '.join(map(repr, unknown))} were skipped")


def _shells(counts: list[np.ndarray], depth: int, objs: np.ndarray) -> dict[str, np.ndarray]:
    """The shells of solids (depth 4 and 5): surface -> shell, surfaces per shell, and
    the object of each shell."""
    if depth < 4:
        return {}
    shell_surfaces = counts[depth - 3]
    return {"surf_shell": np.repeat(np.arange(len(shell_surfaces)), shell_surfaces),
            "shell_surfaces": shell_surfaces,
            "shell_obj": objs[owners(counts, depth - 3)]}


def _global_shells(batches: list[_Batch]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shell of every surface of all batches (-1 outside solids), surfaces and object
    of every shell."""
    surf_shell, surfaces, objects = [], [], []
    base = 0
    for batch in batches:
        if batch.surf_shell is None or batch.shell_surfaces is None \
                or batch.shell_obj is None:
            surf_shell.append(np.full(len(batch.surf_rings), -1, np.int64))
            continue
        surf_shell.append(batch.surf_shell + base)
        surfaces.append(batch.shell_surfaces)
        objects.append(batch.shell_obj)
        base += len(batch.shell_surfaces)
    if not objects:
        return np.concatenate(surf_shell), np.zeros(0, np.int64), np.zeros(0, INDEX)
    return (np.concatenate(surf_shell), np.concatenate(surfaces),
            np.concatenate(objects))


def _mesh(vertices: np.ndarray, tris: np.ndarray, tri_obj: np.ndarray, tri_sem: np.ndarray,
          tri_surface: np.ndarray, tri_mat: np.ndarray, inp: GeometryInput) -> TriangleMesh:
    """A mesh with only the vertices its triangles use."""
    used = np.zeros(len(vertices), bool)
    used[tris.ravel()] = True
    if used.all():
        mesh_vertices = vertices
    else:
        remap = np.cumsum(used, dtype=np.int64) - 1
        mesh_vertices = vertices[used]
        tris = remap[tris].astype(INDEX)
    color = has_color = None
    if (tri_mat >= 0).any():
        has_color = (tri_mat >= 0) & inp.palette_has[np.maximum(tri_mat, 0)]
        color = np.where(has_color[:, None], inp.palette[np.maximum(tri_mat, 0)], 0)
        color = color.astype(np.uint8)
    opacity = None
    alpha = inp.palette_alpha
    if color is not None and alpha is not None and (alpha < 255).any():
        opacity = np.where(tri_mat >= 0, alpha[np.maximum(tri_mat, 0)], 255).astype(np.uint8)
    return TriangleMesh(mesh_vertices, tris, tri_obj, tri_sem, color, has_color,
                        tri_surface=tri_surface, tri_opacity=opacity)


def _semantic_code(surface: Any) -> int:
    name = surface.get("type") if isinstance(surface, dict) else None
    return SEMANTIC_CODES.get(name, OTHER_SEMANTIC) if isinstance(name, str) else 0


def _semantic_codes(surfaces: list) -> list[int]:
    """Codes of semantic surface objects, at C speed when they are well formed."""
    try:
        types = list(map(itemgetter("type"), surfaces))
        if all(map(str.__instancecheck__, types)):
            return list(map(SEMANTIC_CODES.get, types, repeat(OTHER_SEMANTIC)))
    except (TypeError, KeyError):
        pass
    return list(map(_semantic_code, surfaces))


def _index_problem(v: Any) -> str | None:
    if type(v) is int:
        return None if -(2**63) <= v < 2**63 else f"vertex index {v} is out of range"
    return f"expected a vertex index (integer), found {describe(v)}"


def _expand_values(values: Any, boundaries: Any, depth: int) -> list | None:
    """Per-surface values of one geometry, expanding null shells/solids; None if invalid."""
    if depth == 0:
        if values is None or type(values) is int:
            return [values if values is not None else -1]
        return None
    if not isinstance(boundaries, list):
        return None
    if values is None:
        out: list = []
        for b in boundaries:
            sub = _expand_values(None, b, depth - 1) if depth > 1 else [-1]
            if sub is None:
                return None
            out += sub
        return out
    if not isinstance(values, list) or len(values) != len(boundaries):
        return None
    out = []
    for v, b in zip(values, boundaries, strict=True):
        sub = _expand_values(v, b, depth - 1)
        if sub is None:
            return None
        out += sub
    return out


def build_geometry(inp: GeometryInput, check: Callable[[], None] = lambda: None,
                   ) -> GeometryOutput:
    """Meshes, lines and points per LoD for all geometry records of ``inp``."""
    return _Builder(inp, check).build()
