"""City model adapter: batched polydata per spatial tile with an object-id cell array.

Small layers are one tile. Large layers are split into tiles of about
``TRIANGLES_PER_TILE`` triangles: VTK culls tiles outside the view, and tiles whose
buildings are small on screen draw only their roofs. A budget caps the triangles
drawn at full detail; the largest tiles on screen get it first.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkProp, vtkRenderer

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.semantics import SEMANTIC_COLORS
from cimviewer.core.styling import object_colors
from cimviewer.geometry.raypick import TriangleRayIndex
from cimviewer.geometry.tiling import Tile, split_tiles
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.vtk_arrays import add_array, cell_array, triangle_polydata

HIGHLIGHT = np.array([255, 214, 0], dtype=np.uint8)
TRIANGLES_PER_TILE = 60_000
SINGLE_TILE_LIMIT = 300_000
#: a tile draws full detail when its buildings are at least this many pixels wide
FULL_DETAIL_PIXELS = 14.0
#: at most this many triangles at full detail (the rest draw roofs only)
FULL_DETAIL_BUDGET = 3_000_000


@dataclass
class TileActor:
    tile: Tile
    actor: vtkActor
    full: vtkPolyData
    light: vtkPolyData
    full_mapper: vtkPolyDataMapper
    light_mapper: vtkPolyDataMapper
    object_size: float  # typical object diameter in metres
    detailed: bool = True


def _mapper(poly: vtkPolyData) -> vtkPolyDataMapper:
    mapper = vtkPolyDataMapper()
    mapper.SetColorModeToDirectScalars()
    mapper.SetScalarModeToUseCellData()
    mapper.SetInputData(poly)
    mapper.StaticOn()  # geometry never changes in place: skip per-frame checks
    return mapper


class CityModelAdapter(LayerAdapter):
    layer: CityModelLayer
    pickable = True

    #: offscreen snapshots and tests build every tile before the first frame
    build_all_at_once = False

    def build(self) -> None:
        self.tiles: list[TileActor] = []
        self._pending: list[Tile] = []
        self.level_of_detail_enabled = True
        self._build_mesh()
        self.layer.lod_changed.connect(self._on_lod)
        self.layer.attribute_changed.connect(self._on_attribute)
        self.selection.changed.connect(self._on_selection)

    # --- geometry -----------------------------------------------------------------
    def _build_mesh(self) -> None:
        mesh = self.layer.model.mesh_for_lod(self.layer.lod)
        self.mesh: TriangleMesh = mesh
        self.local_vertices = self.local(mesh.vertices)
        self._ray_index: TriangleRayIndex | None = None
        self._scratch: np.ndarray | None = None
        n_objects = len(self.layer.model.objects)
        if mesh.n_triangles == 0:
            tiles = []  # nothing drawable (no geometry, points only, all degenerate)
        elif mesh.n_triangles <= SINGLE_TILE_LIMIT:
            everything = np.arange(mesh.n_triangles)
            bbox = (np.concatenate([mesh.vertices.min(0), mesh.vertices.max(0)])
                    if mesh.n_vertices else np.zeros(6))
            tiles = [Tile((0, 0), everything, everything, bbox)]
        else:
            extent = np.ptp(mesh.vertices[:, :2], axis=0)
            n_tiles = mesh.n_triangles / TRIANGLES_PER_TILE
            size = max(math.sqrt(float(extent[0]) * float(extent[1]) / n_tiles), 10.0)
            tiles = split_tiles(mesh, n_objects, size)
        old = list(self.actors)
        self.tiles = []
        self.actors = []
        self.actor = vtkActor()
        self.cell_objects = mesh.tri_object
        self._colors = self._layer_colors()
        self.on_actors_changed(old, [])
        # nearest tiles to the centre first would need the camera; build in spatial order
        self._pending = list(tiles)
        if len(tiles) <= 1 or self.build_all_at_once:
            self.build_step(float("inf"))

    @property
    def pending_tiles(self) -> int:
        return len(self._pending)

    def build_step(self, seconds: float) -> int:
        """Turn pending tiles into actors for up to ``seconds``; return how many were made.

        Large layers appear tile by tile, so the window stays responsive while a
        million buildings are being uploaded.
        """
        start = time.perf_counter()
        made: list[TileActor] = []
        while self._pending and (not made or time.perf_counter() - start < seconds):
            made.append(self._tile_actor(self._pending.pop(0)))
        if not self._pending:
            self._scratch = None  # the vertex renumbering array is only needed while building
        if not made:
            return 0
        self.tiles.extend(made)
        new_actors = [t.actor for t in made]
        self.actors.extend(new_actors)
        self.actor = self.actors[0]
        self._paint(made)
        self._apply_display_state()
        self.on_actors_changed([], new_actors)
        self.on_change()
        return len(made)

    def _tile_actor(self, tile: Tile) -> TileActor:
        used, inverse = self._compact(self.mesh.triangles[tile.triangles].ravel())
        local = self.local_vertices[used]
        tile.bbox = np.concatenate([local.min(axis=0), local.max(axis=0)]) + np.tile(
            self.origin, 2)
        full = triangle_polydata(local, inverse.reshape(-1, 3))
        add_array(full.GetCellData(), self.mesh.tri_object[tile.triangles], "object_id")
        if tile.light is tile.triangles:
            light = full
        else:
            # the light version shares the full version's points: only its cells differ
            position = np.searchsorted(tile.triangles, tile.light)
            light = vtkPolyData()
            light.SetPoints(full.GetPoints())
            light.SetPolys(cell_array(inverse.reshape(-1, 3)[position], 3))
            add_array(light.GetCellData(), self.mesh.tri_object[tile.light], "object_id")
        actor = vtkActor()
        prop = actor.GetProperty()
        prop.SetAmbient(0.25)
        prop.SetDiffuse(0.8)
        full_mapper = _mapper(full)
        light_mapper = full_mapper if light is full else _mapper(light)
        actor.SetMapper(full_mapper)
        objects = self.mesh.tri_object[tile.triangles]
        n_objects = int(np.count_nonzero(objects[1:] != objects[:-1])) + 1
        diag = float(np.linalg.norm(tile.bbox[3:5] - tile.bbox[0:2]))
        return TileActor(tile, actor, full, light, full_mapper, light_mapper,
                         diag / math.sqrt(n_objects))

    def _compact(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(used vertex ids, ids renumbered 0..k-1) without sorting: O(len(ids)).

        A scratch array the size of the layer's vertex list is reused across tiles;
        np.unique would sort every tile's indices instead.
        """
        scratch = self._scratch
        if scratch is None or len(scratch) < self.mesh.n_vertices:
            scratch = self._scratch = np.empty(self.mesh.n_vertices, np.int64)
        positions = np.arange(len(ids))
        scratch[ids] = positions  # the last position of each id wins
        used = ids[scratch[ids] == positions]
        scratch[used] = np.arange(len(used))
        return used, scratch[ids]

    # --- level of detail ----------------------------------------------------------
    def update_detail(self, renderer: vtkRenderer) -> None:
        if len(self.tiles) < 2:
            return
        camera = renderer.GetActiveCamera()
        eye = np.array(camera.GetPosition())
        height_px = max(renderer.GetSize()[1], 1)
        focal_px = height_px / (2 * math.tan(math.radians(camera.GetViewAngle()) / 2))
        parallel = camera.GetParallelProjection()
        scale = camera.GetParallelScale()
        centres = np.array([(t.tile.bbox[:3] + t.tile.bbox[3:]) / 2 for t in self.tiles])
        centres -= self.origin
        if parallel:
            px = np.array([t.object_size for t in self.tiles]) * height_px / (2 * scale)
        else:
            distance = np.maximum(np.linalg.norm(centres - eye, axis=1), 1e-3)
            px = np.array([t.object_size for t in self.tiles]) * focal_px / distance
        want = px >= FULL_DETAIL_PIXELS if self.level_of_detail_enabled else np.ones(len(px), bool)
        budget = FULL_DETAIL_BUDGET
        for i in np.argsort(-px):  # biggest on screen first
            if want[i]:
                size = len(self.tiles[i].tile.triangles)
                if size <= budget:
                    budget -= size
                else:
                    want[i] = False
        for tile, detailed in zip(self.tiles, want, strict=True):
            if tile.detailed != bool(detailed):
                tile.detailed = bool(detailed)
                tile.actor.SetMapper(tile.full_mapper if detailed else tile.light_mapper)

    def drawn_triangles(self) -> int:
        return sum(len(t.tile.triangles if t.detailed else t.tile.light) for t in self.tiles
                   if t.actor.GetVisibility())

    # --- colours and picking ------------------------------------------------------
    def base_colors(self) -> np.ndarray:
        mesh = self.mesh
        style = self.layer.style
        if style.mode == "semantic":
            colors = SEMANTIC_COLORS[mesh.tri_semantic]
            if mesh.tri_color is not None and mesh.tri_has_color is not None:
                colors = np.where(mesh.tri_has_color[:, None], mesh.tri_color, colors)
            return colors
        per_object = object_colors(style, self.layer.model.objects.attributes,
                                   self.layer.object_types())
        return per_object[mesh.tri_object] if len(per_object) else np.zeros((0, 3), np.uint8)

    def _layer_colors(self) -> np.ndarray:
        colors = np.array(self.base_colors(), dtype=np.uint8, copy=True)
        selected = self.selection.for_layer(self.layer.uid)
        if selected and len(colors):
            objects = self.layer.model.objects
            family = set(selected)
            for index in selected:
                family.update(objects.children_of(index))
            mask = np.isin(self.mesh.tri_object, np.fromiter(family, dtype=np.int32))
            colors[mask] = HIGHLIGHT
        return colors

    def _paint(self, tiles: list[TileActor]) -> None:
        colors = self._colors
        for tile in tiles:
            add_array(tile.full.GetCellData(), colors[tile.tile.triangles], "colors",
                      scalars=True)
            tile.full.Modified()
            if tile.light is not tile.full:
                add_array(tile.light.GetCellData(), colors[tile.tile.light], "colors",
                          scalars=True)
                tile.light.Modified()

    def update_colors(self, render: bool = True) -> None:
        self._colors = self._layer_colors()
        self._paint(self.tiles)
        if render:
            self.on_change()

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        if self._ray_index is None:
            self._ray_index = TriangleRayIndex(self.local_vertices, self.mesh.triangles,
                                               self.mesh.tri_object)
        hit = self._ray_index.intersect(origin, direction)
        if hit is None:
            return None
        t, tri = hit
        return t, int(self.mesh.tri_object[tri])

    def prepare_picking(self) -> None:
        """Build the pick index now (e.g. in a worker thread) instead of on the first click."""
        self.ray_pick(np.zeros(3), np.array([0.0, 0.0, -1.0]), 0.0)

    def object_at(self, prop: vtkProp, cell_id: int) -> int | None:
        for tile in self.tiles:
            if tile.actor is prop:
                tris = tile.tile.triangles if tile.detailed else tile.tile.light
                if 0 <= cell_id < len(tris):
                    return int(self.mesh.tri_object[tris[cell_id]])
        return None

    def _on_lod(self, _lod: object) -> None:
        self._build_mesh()
        self.on_change()

    def _on_selection(self, _items: object) -> None:
        self.update_colors()

    def _on_attribute(self, name: str) -> None:
        if self.layer.style.attribute == name and self.layer.style.mode != "semantic":
            self._on_style(self.layer.style)

    def dispose(self) -> None:
        self.layer.lod_changed.disconnect(self._on_lod)
        self.layer.attribute_changed.disconnect(self._on_attribute)
        self.selection.changed.disconnect(self._on_selection)
        super().dispose()
