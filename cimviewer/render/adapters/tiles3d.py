"""3D Tiles adapter: screen-space-error traversal, background loads, a memory budget.

Before each frame the tile tree is walked from the root: a tile out of the view
frustum is skipped; a tile whose screen-space error

    SSE = geometricError * viewport height / (2 * distance * tan(fov / 2))

is above :attr:`Tiles3DAdapter.max_sse` (16 pixels by default) is refined into its
children (REPLACE: they stand in for it; ADD: they are drawn with it), else its content
is drawn. A REPLACE tile whose children in view are not all loaded yet stays drawn in
their place (no holes, no flicker); the children load meanwhile.

Contents are read, decoded, placed and textured (the numpy and image work) on a small
thread pool, the nearest wanted tiles first; the GUI thread only wraps the arrays in
VTK objects. Contents stay resident within :attr:`memory_budget` bytes (geometry,
texture atlas and pick arrays), evicting those not drawn for the longest time.
The root contents are read at once, so the first frame shows the whole tileset coarse.

Each loaded content is one actor with its own texture atlas (3D Tiles contents are
textured per tile, as oblique-photography meshes are). The number of actors is thus
bounded by the memory budget, and the number drawn by the traversal: a few dozen to a
few hundred, each a single draw call. Every cell carries its object index, so hardware
picks, the CPU ray pick and selection colours map back to the features.
"""

from __future__ import annotations

import logging
import math
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp, vtkRenderer, vtkTexture

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.styling import TYPE_FIELD, object_colors
from cimviewer.geometry.raypick import TriangleRayIndex
from cimviewer.io.textures import MemoryTextureImages
from cimviewer.io.tiles3d.tileset import Tile
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.adapters.citymodel import HIGHLIGHT, _mapper, _poly_bytes
from cimviewer.render.frustum import side_planes
from cimviewer.render.textured_tiles import TILE_TEXELS, TexturedTile, textured_tile
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

log = logging.getLogger(__name__)

#: a tile is refined while its screen-space error exceeds this many pixels
MAX_SSE = 16.0
#: bytes of loaded contents kept (geometry, atlases, pick arrays)
MEMORY_BUDGET = 512 * 2**20
#: contents read at once in the background (decoding is numpy and zlib: partly GIL-free)
LOAD_THREADS = 2
#: loads in flight at most (more would read tiles the moving camera no longer wants)
MAX_IN_FLIGHT = 4


@dataclass
class Prepared:
    """A content read, placed and textured off the GUI thread."""

    tile: Tile
    mesh: TriangleMesh
    local: np.ndarray  # (n, 3) float32 render coordinates
    textured: TexturedTile | None
    nbytes: int


@dataclass
class ContentNode:
    """A loaded content: its actor and the arrays picks and colours need."""

    tile: Tile
    actor: vtkActor
    mesh: TriangleMesh
    local: np.ndarray
    tex_cells: np.ndarray | None
    texture: vtkTexture | None
    nbytes: int
    last_drawn: int = 0
    ray_index: TriangleRayIndex | None = None
    poly: object = None


class Tiles3DAdapter(LayerAdapter):
    layer: CityModelLayer
    pickable = True

    def build(self) -> None:
        self.model = self.layer.model
        self.tree = self.model.tree  # type: ignore[attr-defined]
        self.max_sse = MAX_SSE
        self.memory_budget = MEMORY_BUDGET
        self.resident_bytes = 0
        self.texels = TILE_TEXELS
        self.nodes: dict[int, ContentNode] = {}  # tile index -> its loaded content
        self.failed: set[int] = set()  # tiles whose contents gave nothing to draw
        self._loads: dict[int, Future] = {}
        self._queue: list[Tile] = []  # wanted, not loaded, nearest first
        self._pool = ThreadPoolExecutor(LOAD_THREADS, thread_name_prefix="tiles3d")
        self._frame = 0
        self.drawn: list[Tile] = []
        self.stats = {"loaded": 0, "evicted": 0}
        self._style_cache: tuple[int, np.ndarray | None] | None = None
        self._spheres: dict[int, tuple[float, float, float, float]] = {}
        self._protected: set[int] = set()  # tiles the last walk wanted (not evicted)
        self.actor.SetVisibility(False)  # a placeholder: contents get their own actors
        self.layer.attribute_changed.connect(self._on_attribute)
        self.selection.changed.connect(self._on_selection)
        # the first frame shows the root contents
        for tile in self.model.root_tiles():
            future: Future = Future()
            try:
                future.set_result(self._prepare(tile))
            except Exception as exc:  # reported like a background load's failure
                future.set_exception(exc)
            self._loads[tile.index] = future
        self._collect()
        self.drawn = [t for t in self.model.root_tiles() if t.index in self.nodes]

    # --- loading ------------------------------------------------------------------
    def _prepare(self, tile: Tile) -> Prepared | None:
        """Read, place and texture a content (any thread)."""
        loaded = self.model.load_content(tile)
        if loaded is None:
            return None
        mesh = loaded.mesh
        local = self.local(mesh.vertices)
        textured = None
        if mesh.tri_texture is not None and mesh.tri_uv is not None and mesh.textured:
            images = MemoryTextureImages(loaded.images, f"tile{tile.index}-")
            textured = textured_tile(local, mesh.triangles, mesh.tri_texture, mesh.tri_uv,
                                     images, self.texels)
        nbytes = loaded.nbytes + local.nbytes
        if textured is not None:
            nbytes += textured.atlas_bytes + textured.points.nbytes + textured.tcoords.nbytes
        return Prepared(tile, mesh, local, textured, int(nbytes))

    def _add(self, prepared: Prepared | None, tile: Tile | None = None) -> None:
        """Wrap a prepared content in VTK objects (GUI thread)."""
        if prepared is None:
            if tile is not None:
                self.failed.add(tile.index)
            return
        mesh, textured = prepared.mesh, prepared.textured
        if textured is not None:
            poly = triangle_polydata(textured.points, textured.triangles)
            add_array(poly.GetPointData(), textured.tcoords, "atlas_uv")
            poly.GetPointData().SetActiveTCoords("atlas_uv")
        else:
            poly = triangle_polydata(prepared.local, mesh.triangles)
        add_array(poly.GetCellData(), mesh.tri_object, "object_id")
        actor = vtkActor()
        actor.SetMapper(_mapper(poly))
        prop = actor.GetProperty()
        prop.SetAmbient(0.3)
        prop.SetDiffuse(0.75)
        prop.SetOpacity(self.layer.opacity)
        actor.SetPickable(True)
        actor.SetVisibility(False)
        node = ContentNode(prepared.tile, actor, mesh, prepared.local,
                           None if textured is None else textured.textured,
                           None if textured is None else textured.texture, 0,
                           self._frame, poly=poly)
        if node.texture is not None:
            actor.SetTexture(node.texture)
        self._paint(node)
        node.nbytes = prepared.nbytes + _poly_bytes(poly)
        self.nodes[prepared.tile.index] = node
        self.resident_bytes += node.nbytes
        self.stats["loaded"] += 1
        self.actors.append(actor)
        self.on_actors_changed([], [actor])

    def _evict(self, node: ContentNode) -> None:
        del self.nodes[node.tile.index]
        self.resident_bytes -= node.nbytes
        self.stats["evicted"] += 1
        self.actors.remove(node.actor)
        node.actor.SetTexture(None)
        self.on_actors_changed([node.actor], [])

    def _fit_budget(self, limit: float | None = None) -> bool:
        """Evict contents not drawn now, least recently drawn first, until the resident
        bytes are within ``limit`` (default: the budget); False when they still are not."""
        limit = self.memory_budget if limit is None else limit
        if self.resident_bytes <= limit:
            return True
        for node in self._evictable():
            if self.resident_bytes <= limit:
                break
            self._evict(node)
        return self.resident_bytes <= limit

    def _evictable(self) -> list[ContentNode]:
        """What may go, least recently drawn first: not drawn nor wanted by this frame's
        walk (a child read while its siblings load is wanted), not just read. Keeping
        what the walk wants is what ends a refinement that does not fit: loads stop
        there instead of evicting each other."""
        keep = self._protected | {t.index for t in self.drawn}
        return sorted((n for n in self.nodes.values() if n.tile.index not in keep
                       and n.last_drawn < self._frame), key=lambda n: n.last_drawn)

    def _make_room(self) -> bool:
        """Room for one more content (of the average size), evicting if need be."""
        if self._room():
            return True
        average = self.resident_bytes / max(len(self.nodes), 1)
        self._fit_budget(self.memory_budget - average)
        return self._room()

    @property
    def pending_tiles(self) -> int:  # type: ignore[override]
        waiting = self._queue and (self._room() or bool(self._evictable()))
        return len(self._loads) + (len(self._queue) if waiting else 0)

    def _room(self) -> bool:
        return self.resident_bytes < self.memory_budget

    def _submit(self) -> None:
        """Start loads of the nearest wanted tiles, a few at a time."""
        while self._queue and len(self._loads) < MAX_IN_FLIGHT and self._make_room():
            tile = self._queue.pop(0)
            if tile.index in self.nodes or tile.index in self._loads:
                continue
            self._loads[tile.index] = self._pool.submit(self._prepare, tile)

    def build_step(self, seconds: float) -> int:
        """Turn finished loads into actors; ``seconds`` infinite (snapshots): wait for
        every wanted tile."""
        self._submit()
        if math.isinf(seconds):
            made = 0
            while self._loads:
                wait(list(self._loads.values()))
                made += self._collect()
                self._submit()
        else:
            made = self._collect()
            self._submit()
        if made:
            self.on_change()
        return made

    def _collect(self) -> int:
        made = 0
        for index, future in list(self._loads.items()):
            if not future.done():
                continue
            del self._loads[index]
            if future.cancelled():
                continue
            tile = self.tree.tiles[index]
            try:
                prepared = future.result()
            except Exception as exc:  # a decoder bug: this content, not the layer
                log.warning("%s: tile %d not shown: %s", self.layer.name, index, exc)
                self.model._problem(tile.contents[0] if tile.contents else self.tree.path,
                                    f"could not be shown: {type(exc).__name__}: {exc}")
                prepared = None
            self._add(prepared, tile)
            made += 1
            self._fit_budget()
        return made

    def _stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._loads.clear()

    # --- traversal ----------------------------------------------------------------
    def plan_work(self, renderer: vtkRenderer) -> None:
        self.update_detail(renderer)

    def update_detail(self, renderer: vtkRenderer) -> None:
        camera = renderer.GetActiveCamera()
        height = max(renderer.GetSize()[1], 1)
        # the four side planes as plain floats: the walk tests a few hundred tiles a
        # frame, numpy per tile would cost more than it saves
        self._planes = [tuple(float(v) for v in plane) for plane in side_planes(renderer)]
        self._eye = tuple(camera.GetPosition())
        if camera.GetParallelProjection():
            self._focal = None
            self._px_per_m = height / (2 * camera.GetParallelScale())
        else:
            self._focal = height / (2 * math.tan(math.radians(camera.GetViewAngle()) / 2))
        self.select()

    def _sphere(self, tile: Tile) -> tuple[float, float, float, float]:
        """The tile's bounding sphere in render coordinates (kept per tile)."""
        sphere = self._spheres.get(tile.index)
        if sphere is None:
            x, y, z = (float(v) for v in tile.centre - self.origin)
            sphere = self._spheres[tile.index] = (x, y, z, float(tile.radius))
        return sphere

    def distance(self, tile: Tile) -> float:
        """From the eye to the tile's bounding sphere (0 inside it)."""
        x, y, z, r = self._sphere(tile)
        return max(math.dist((x, y, z), self._eye) - r, 0.0)

    def screen_error(self, tile: Tile) -> float:
        """geometricError * viewport height / (2 * distance * tan(fov / 2))."""
        if self._focal is None:
            return tile.geometric_error * self._px_per_m
        return tile.geometric_error * self._focal / max(self.distance(tile), 1e-6)

    def _in_view(self, tile: Tile) -> bool:
        x, y, z, r = self._sphere(tile)
        return all(a * x + b * y + c * z + d >= -r for a, b, c, d in self._planes)

    def select(self) -> None:
        """Walk the tree: what to draw this frame and what to load, nearest first."""
        self._frame += 1
        draws: list[Tile] = []
        wanted: list[tuple[float, Tile]] = []
        protected: set[int] = set()

        def want(tile: Tile) -> bool:
            """Whether the tile's content is drawable now (asks for it if not)."""
            protected.add(tile.index)
            if tile.index in self.nodes:
                return True
            if tile.index not in self.failed:
                wanted.append((self.distance(tile), tile))
            return False

        def visit(tile: Tile) -> bool:
            if not self._in_view(tile):
                return True
            refine = tile.passthrough or self.screen_error(tile) > self.max_sse
            if refine and tile.expander is not None:
                self.tree.expand(tile)
            refine = refine and bool(tile.children)
            has = bool(tile.contents) and tile.index not in self.failed
            if not refine:
                if has and want(tile):
                    draws.append(tile)
                    return True
                return not has
            if tile.refine == "ADD":
                ready = not has or want(tile)
                if has and ready:
                    draws.append(tile)
                for child in tile.children:
                    visit(child)
                return ready
            mark = len(draws)
            ready = all([visit(child) for child in tile.children])
            if ready:
                return True
            if has and want(tile):  # the children are not all there: draw it instead
                del draws[mark:]
                draws.append(tile)
                return True
            return False

        visit(self.tree.root)
        had_work = self.pending_tiles > 0
        self._protected = protected
        self.drawn = draws
        drawn = {t.index for t in draws}
        shown = self.layer.visible
        for index, node in self.nodes.items():
            on = shown and index in drawn
            if on:
                node.last_drawn = self._frame
            if node.actor.GetVisibility() != on:
                node.actor.SetVisibility(on)
        wanted.sort(key=lambda item: item[0])
        self._queue = [t for _, t in wanted if t.index not in self._loads]
        keep = {t.index for _, t in wanted}
        for index in [i for i in self._loads if i not in keep]:
            if self._loads[index].cancel():  # not started: the camera moved on
                del self._loads[index]
        if self.pending_tiles and not had_work:
            self.on_change()  # the view keeps building while there is work

    @property
    def refinement(self) -> float:  # type: ignore[override]
        total = len(self.drawn) + len(self._queue) + len(self._loads)
        return 1.0 if not total else len(self.drawn) / total

    # --- colours and picking ------------------------------------------------------
    def _object_style(self) -> np.ndarray | None:
        """Colour per object for styles by an attribute (None: the content's own look)."""
        style = self.layer.style
        if style.mode in ("semantic", "single") or (
                style.mode == "categorical" and style.attribute == TYPE_FIELD):
            return None
        n = len(self.model.objects)
        if self._style_cache is None or self._style_cache[0] != n:
            colors = np.asarray(object_colors(style, self.model.objects.attributes),
                                np.uint8)
            self._style_cache = (n, colors)
        return self._style_cache[1]

    def _paint(self, node: ContentNode) -> None:
        mesh = node.mesh
        by_object = self._object_style()
        textured = by_object is None and node.tex_cells is not None
        if by_object is not None and len(by_object):
            colors = by_object[mesh.tri_object].copy()
        else:
            colors = np.array(mesh.tri_color if mesh.tri_color is not None
                              else np.full((mesh.n_triangles, 3), 200, np.uint8),
                              np.uint8, copy=True)
        if textured:
            colors[node.tex_cells] = 255
        selected = self.selection.for_layer(self.layer.uid)
        if selected:
            colors[np.isin(mesh.tri_object, selected)] = HIGHLIGHT
        node.actor.SetTexture(node.texture if textured else None)
        add_array(node.poly.GetCellData(), colors, "colors", scalars=True)
        node.poly.Modified()

    def update_colors(self) -> None:
        self._style_cache = None
        for node in self.nodes.values():
            self._paint(node)

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """The nearest feature hit among the contents drawn now."""
        best: tuple[float, int] | None = None
        for tile in self.drawn:
            node = self.nodes.get(tile.index)
            if node is None:
                continue
            if node.ray_index is None:
                node.ray_index = TriangleRayIndex(node.local, node.mesh.triangles,
                                                  node.mesh.tri_object)
            hit = node.ray_index.intersect(origin, direction)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = (hit[0], int(node.mesh.tri_object[hit[1]]))
        return best

    def object_at(self, prop: vtkProp, cell_id: int) -> int | None:
        for node in self.nodes.values():
            if node.actor is prop:
                objects = node.mesh.tri_object
                return int(objects[cell_id]) if 0 <= cell_id < len(objects) else None
        return None

    def _on_selection(self, _items: object) -> None:
        self.update_colors()
        self.on_change()

    def _on_attribute(self, name: str) -> None:
        if self.layer.style.attribute == name:
            self._on_style(self.layer.style)

    def _on_visibility(self, visible: bool) -> None:
        drawn = {t.index for t in self.drawn}
        for index, node in self.nodes.items():
            node.actor.SetVisibility(visible and index in drawn)
        self.on_change()

    def dispose(self) -> None:
        self._stop()
        self.layer.attribute_changed.disconnect(self._on_attribute)
        self.selection.changed.disconnect(self._on_selection)
        super().dispose()
