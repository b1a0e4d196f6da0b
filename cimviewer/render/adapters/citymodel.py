"""City model adapter: hierarchical level of detail over spatial tiles.

Small layers are one polydata. Large layers are split into tiles of about
``TRIANGLES_PER_TILE`` triangles, each drawn by one actor that switches between
representations, finest first:

0. full detail (every triangle),
1. light (roofs only),
2+. block boxes (:mod:`cimviewer.geometry.hlod`) on 16 x 16, 8 x 8, 4 x 4 cells per tile:
   a few hundred to a few thousand triangles for thousands of buildings.

The block levels of every tile are built at once, so the first frame shows the whole
city; full detail (levels 0 and 1) is built in the background, nearest tiles in view
first (:meth:`CityModelAdapter.build_step`), within a memory budget: tiles that are far
and not drawn in detail are evicted when it is full.

Before each frame the level of every tile in view is chosen by screen-space error
(a level's geometric error in metres times pixels per metre at the tile), with
hysteresis so tiles do not flicker, then a triangle budget is shared out: every tile
in view starts at its coarsest level and the tile with the largest error is refined,
step by step, while the budget allows.

Streamed cities (:mod:`cimviewer.io.cityjson.streamed`) read their tiles from disk
on a background thread, a few ahead of the nearest pending tile; the GUI thread only
turns a read tile into polydata. Snapshots (``seconds`` infinite) wait for the reads.

Every representation carries an ``object_id`` cell array, so colours by object
(styles, selection) and hardware picks map on coarse tiles too; the CPU ray pick runs on
the full geometry, so a click returns the building itself, whatever level is drawn.

Textured layers (:attr:`TriangleMesh.tri_texture`) give each tile one atlas of the
images its triangles use (:mod:`cimviewer.render.textured_tiles`), downsampled to a
per-tile texel budget and mipmapped, so a tile stays one actor and frame rates stay
those of the untextured layer. The texture is on the full and light levels while the
style is one of the layer's plain looks (semantic, one colour, colours by type); a style
by another attribute turns it off, and block levels never carry it.
"""

from __future__ import annotations

import heapq
import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkPolyDataMapper,
    vtkProp,
    vtkRenderer,
    vtkTexture,
)

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.semantics import SEMANTIC_COLORS
from cimviewer.core.styling import TYPE_FIELD, object_colors
from cimviewer.geometry.hlod import BlockLevel, block_levels, object_boxes
from cimviewer.geometry.raypick import TriangleRayIndex
from cimviewer.geometry.tiling import Tile, light_mask, object_centres, split_tiles
from cimviewer.io.textures import TextureImages
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.adapters.city_curves import CityCurves
from cimviewer.render.frustum import spheres_in_view
from cimviewer.render.textured_tiles import TILE_TEXELS, TexturedTile, textured_tile
from cimviewer.render.vtk_arrays import add_array, cell_array, triangle_polydata

log = logging.getLogger(__name__)

HIGHLIGHT = np.array([255, 214, 0], dtype=np.uint8)
#: streamed tiles being read in the background at once (reading is GIL-bound JSON
#: parsing: more threads would not read faster, only hold more memory)
READ_AHEAD = 2
TRIANGLES_PER_TILE = 60_000
SINGLE_TILE_LIMIT = 300_000
#: a tile draws full detail when its buildings are at least this many pixels wide
FULL_DETAIL_PIXELS = 14.0
#: without the hierarchy: at most this many triangles at full detail (the rest roofs only)
FULL_DETAIL_BUDGET = 3_000_000
#: the block levels kept in a streamed city's tile cache: bump when block_level changes
BLOCKS_VERSION = 4  # 2: cells of every level nest in the finest; 3: from features; 4: 2x2, 1x1
#: block boxes on so many cells per tile side, finest first
BLOCK_DIVISIONS = (16, 8, 4, 2, 1)
#: a level is good enough for a tile while its error is at most this many pixels
SCREEN_ERROR_PIXELS = 4.0
#: a tile goes back to a coarser level only when that level's error is this much smaller
#: than the threshold (and keeps its level in the budget by as much): no flicker
HYSTERESIS = 1.5
#: triangles drawn per frame with the hierarchy on, whatever the camera does: 20+
#: frames a second at 1280 x 800 on this project's software renderer (llvmpipe,
#: 2 cores); set ``frame_budget`` higher on a GPU
FRAME_TRIANGLE_BUDGET = 120_000
#: bytes of full-detail tile geometry kept (VTK arrays, and tile meshes read from disk)
MEMORY_BUDGET = 2 * 2**30
LEVEL_FULL, LEVEL_LIGHT, LEVEL_BLOCKS = 0, 1, 2
#: tiles of a large layer are drawn merged by clusters of so many tiles a side while
#: all of a cluster's tiles are at the same block level: one actor instead of up to 16
#: (an actor costs some 20 microseconds of a software-rendered frame: 3,364 tiles of
#: five million buildings took 60 ms a frame in actors alone)
CLUSTER_SIDE = 4
#: layers of fewer tiles draw each tile on its own
CLUSTERED_FROM_TILES = 256
#: bytes of tile atlases (with mipmaps) of a textured layer: sets the texels per tile
TEXTURE_BUDGET = 512 * 2**20
#: style modes that show textures (and colours by object type; other styles colour by
#: an attribute, replacing them)
TEXTURED_MODES = ("semantic", "single")
#: pick index of a streamed tile, per triangle (grouped by object)
_RAY_INDEX_BYTES = 16


@dataclass
class CoarseLevel:
    """A tile's block boxes at one level: arrays at once (views of the layer's
    :class:`BlockLevel`), the polydata and mapper made when first drawn (a city of
    thousands of tiles draws most of them at one level only)."""

    vertices: np.ndarray  # (8 n, 3) local coordinates
    triangles: np.ndarray
    objects: np.ndarray  # object index per triangle
    semantics: np.ndarray  # semantic code per triangle
    colors: Callable[[CoarseLevel], np.ndarray]  # the adapter's colours for it
    _poly: vtkPolyData | None = None
    _mapper: vtkPolyDataMapper | None = None

    @property
    def built(self) -> bool:
        return self._poly is not None

    @property
    def poly(self) -> vtkPolyData:
        if self._poly is None:
            poly = triangle_polydata(self.vertices.astype(np.float32), self.triangles)
            add_array(poly.GetCellData(), self.objects, "object_id")
            add_array(poly.GetCellData(), self.colors(self), "colors", scalars=True)
            self._poly, self._mapper = poly, _mapper(poly)
        return self._poly

    @property
    def mapper(self) -> vtkPolyDataMapper:
        if self._mapper is None:
            self.poly  # noqa: B018  # makes both
        assert self._mapper is not None
        return self._mapper


@dataclass
class TileActor:
    """One tile: its actor and the representations it switches between."""

    tile: Tile
    actor: vtkActor
    object_size: float  # typical object diameter in metres
    centre: np.ndarray  # render coordinates
    radius: float
    coarse: list[CoarseLevel] = field(default_factory=list)
    full: vtkPolyData | None = None
    light: vtkPolyData | None = None
    full_mapper: vtkPolyDataMapper | None = None
    light_mapper: vtkPolyDataMapper | None = None
    #: per triangle of ``full`` / ``light`` (tiles read from disk have their own)
    full_objects: np.ndarray | None = None
    light_objects: np.ndarray | None = None
    level: int = LEVEL_FULL  # drawn now
    #: the level whose mapper the tile's own actor has (None: none yet; a tile drawn by
    #: its merged cluster needs none, see CityModelAdapter._map_own_actors)
    mapped: int | None = None
    nbytes: int = 0  # of the full-detail geometry
    n_full: int = 0  # triangles at full detail (an estimate until a streamed tile is read)
    n_light: int = 0
    #: streamed tiles: the tile's own mesh (global object ids), light triangles, pick index
    mesh: TriangleMesh | None = None
    light_index: np.ndarray | None = None
    ray_index: TriangleRayIndex | None = None
    read_failed: bool = False  # a streamed tile that could not be read stays coarse
    #: textured tiles: the atlas, and which cells of ``full`` / ``light`` show it
    texture: vtkTexture | None = None
    tex_cells: np.ndarray | None = None
    light_cells: np.ndarray | None = None
    #: whether the full / light mappers' shaders were last made with the texture on
    mappers_textured: bool | None = None

    @property
    def built(self) -> bool:
        return self.full is not None

    @property
    def detailed(self) -> bool:
        return self.level == LEVEL_FULL

    def mapper(self, level: int) -> vtkPolyDataMapper:
        if level == LEVEL_FULL:
            return self.full_mapper  # type: ignore[return-value]
        if level == LEVEL_LIGHT:
            return self.light_mapper  # type: ignore[return-value]
        return self.coarse[level - LEVEL_BLOCKS].mapper

    def objects_at(self, level: int) -> np.ndarray:
        if level == LEVEL_FULL:
            return self.full_objects  # type: ignore[return-value]
        if level == LEVEL_LIGHT:
            return self.light_objects  # type: ignore[return-value]
        return self.coarse[level - LEVEL_BLOCKS].objects


@dataclass
class TileCluster:
    """Neighbouring tiles drawn as one actor while they are all at one block level."""

    members: np.ndarray  # indices of its tiles in the adapter's nodes
    actor: vtkActor
    #: merged block levels by level number, made when first drawn
    levels: dict[int, CoarseLevel] = field(default_factory=dict)
    level: int = -1  # the merged level drawn now; -1: its tiles are drawn on their own


def _mapper(poly: vtkPolyData) -> vtkPolyDataMapper:
    mapper = vtkPolyDataMapper()
    mapper.SetColorModeToDirectScalars()
    mapper.SetScalarModeToUseCellData()
    mapper.SetInputData(poly)
    mapper.StaticOn()  # geometry never changes in place: skip per-frame checks
    return mapper


def _runs(values: np.ndarray) -> np.ndarray:
    """The value of each run of equal values (objects' triangles come in runs): O(n)."""
    if not len(values):
        return values
    return values[np.flatnonzero(np.r_[True, values[1:] != values[:-1]])]


def _textured_polydata(textured: TexturedTile) -> vtkPolyData:
    """A tile's split points and cells with their atlas coordinates."""
    poly = triangle_polydata(textured.points, textured.triangles)
    add_array(poly.GetPointData(), textured.tcoords, "atlas_uv")
    poly.GetPointData().SetActiveTCoords("atlas_uv")
    return poly


def _poly_bytes(poly: vtkPolyData) -> int:
    return int(poly.GetActualMemorySize()) * 1024


class CityModelAdapter(LayerAdapter):
    layer: CityModelLayer
    pickable = True

    #: offscreen snapshots and tests build every tile before the first frame
    build_all_at_once = False

    def build(self) -> None:
        self.nodes: list[TileActor] = []
        self._pending: list[TileActor] = []
        self.level_of_detail_enabled = True
        #: block levels, screen-space error and the frame budget (False: roofs-only LoD)
        self.hierarchy_enabled = True
        #: draw every tile at this level when it is built (tests, comparisons); None: auto
        self.forced_level: int | None = None
        self.frame_budget = FRAME_TRIANGLE_BUDGET
        #: layers of at least so many tiles draw far tiles merged by clusters
        self.clustered_from_tiles = CLUSTERED_FROM_TILES
        self.clusters: list[TileCluster] = []
        self.memory_budget = MEMORY_BUDGET
        self.resident_bytes = 0
        self._target: np.ndarray = np.zeros(0, np.int64)
        self._distance: np.ndarray = np.zeros(0)
        self._visible: np.ndarray = np.zeros(0, bool)
        self._reader: ThreadPoolExecutor | None = None
        self._reads: dict[int, Future] = {}  # tile node id -> its background read
        #: the model's lines and points (set with the tiles), None when it has none
        self.curves: CityCurves | None = None
        self._build_mesh()
        self.layer.lod_changed.connect(self._on_lod)
        self.layer.attribute_changed.connect(self._on_attribute)
        self.layer.hidden_changed.connect(self._on_hidden)
        self.selection.changed.connect(self._on_selection)

    @property
    def tiles(self) -> list[TileActor]:
        """Tiles whose full detail is built (all of them, in time, within the budget)."""
        return [n for n in self.nodes if n.built]

    # --- geometry -----------------------------------------------------------------
    def _build_mesh(self) -> None:
        #: tiles read from disk on demand (io.cityjson.streamed), or None: all in memory
        self.source = getattr(self.layer.model, "tile_source", None)
        if self.source is not None:
            self.source.lod = self.layer.lod
        mesh = (TriangleMesh.empty() if self.source is not None
                else self._shown(self.layer.model.mesh_for_lod(self.layer.lod)))
        self.mesh: TriangleMesh = mesh
        self.local_vertices = self.local(mesh.vertices)
        self._images = TextureImages(self.layer.model.textures) if mesh.textured else None
        self._atlases: dict = {}  # tiles with the same images share an atlas
        self._ray_index: TriangleRayIndex | None = None
        self._scratch: np.ndarray | None = None
        n_objects = len(self.layer.model.objects)
        single = mesh.n_triangles <= SINGLE_TILE_LIMIT
        if self.source is not None:
            self._build_streamed(n_objects)
            return
        if mesh.n_triangles == 0:
            tiles = []  # nothing drawable (no geometry, points only, all degenerate)
            tile_size = 0.0
        elif single:
            everything = np.arange(mesh.n_triangles)
            tiles = [Tile((0, 0), everything, everything, np.full(6, np.nan))]
            tile_size = 0.0
        else:
            extent = np.ptp(mesh.vertices[:, :2], axis=0)
            n_tiles = mesh.n_triangles / TRIANGLES_PER_TILE
            tile_size = max(math.sqrt(float(extent[0]) * float(extent[1]) / n_tiles), 10.0)
            tiles = split_tiles(mesh, n_objects, tile_size)
        old = list(self.actors)
        self.actor = vtkActor()
        self.cell_objects = mesh.tri_object
        self.resident_bytes = 0
        self._tri_counts = None
        self._object_style = self._style_colors()
        self._colors = self._layer_colors()
        boxes = object_boxes(self.local_vertices, mesh.triangles, mesh.tri_object, n_objects)
        levels: list[BlockLevel] = []
        if not single:
            anchors = object_centres(mesh, n_objects)
            grid_origin = np.nanmin(anchors, axis=0)
            levels = block_levels(boxes, anchors, grid_origin, tile_size, BLOCK_DIVISIONS)
        self.nodes = [self._node(tile, _runs(mesh.tri_object[tile.triangles]), boxes, levels)
                      for tile in tiles]
        for node in self.nodes:
            node.n_full, node.n_light = len(node.tile.triangles), len(node.tile.light)
        self._tile_texels = min(TILE_TEXELS, TEXTURE_BUDGET // (4 * max(len(self.nodes), 1)))
        self._finish_nodes(old, levels)
        if len(tiles) <= 1 or self.build_all_at_once:
            self.build_step(float("inf"))

    def _shown(self, mesh: TriangleMesh) -> TriangleMesh:
        """The mesh without the triangles of hidden objects (``layer.set_hidden``): not
        drawn, not picked."""
        hidden = self.layer.hidden_mask()
        if hidden is None or not mesh.n_triangles:
            return mesh
        return mesh.subset(~hidden[mesh.tri_object])

    def _build_streamed(self, n_objects: int) -> None:
        """Tiles of a streamed city: blocks from the feature index, detail read later."""
        source = self.source
        self._stop_reads()
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="tile-read")
        source.start_reading()
        old = list(self.actors)
        self.actor = vtkActor()
        self.cell_objects = np.zeros(0, np.int32)
        self.resident_bytes = 0
        self._tri_counts = None
        self._object_style = self._style_colors()
        self._colors = self._layer_colors()
        # tiles bring their texture images as they are read
        self._images = TextureImages(source.texture_paths)
        self._tile_texels = min(TILE_TEXELS,
                                TEXTURE_BUDGET // (4 * max(len(source.tiles), 1)))
        # per feature (not per object: a city of parts has many more): its box, the
        # point that puts it in a tile, and the object that stands for it (its root)
        levels = self._streamed_levels()
        empty = np.zeros(0, np.int64)
        self.nodes = []
        shift = np.tile(self.origin, 2)
        tile_boxes = np.array([t.bbox for t in source.tiles]).reshape(-1, 6)
        local_tiles = tile_boxes - shift
        no_boxes = np.zeros((0, 6))  # the tiles' own boxes are known
        for t, box, local in zip(source.tiles, tile_boxes, local_tiles, strict=True):
            if not np.isfinite(local).all():
                local = np.zeros(6)
            node = self._node(Tile(t.key, empty, empty, box), t.features, no_boxes, levels,
                              local)
            node.n_full, node.n_light = t.n_triangles, max(t.n_triangles // 5, 1)
            self.nodes.append(node)
        self._finish_nodes(old, levels)
        if len(self.nodes) <= 1 or self.build_all_at_once:
            self.build_step(float("inf"))

    def _streamed_levels(self) -> list[BlockLevel]:
        """The block levels of a streamed city (from its features' boxes, anchors and
        root objects), kept in its tile cache: a second opening reads them instead of
        going over every feature again."""
        source = self.source

        def build() -> dict[str, np.ndarray]:
            local_boxes = source.feature_bbox - np.tile(self.origin, 2)
            first = source.object_offsets[:-1]
            roots = np.where(source.object_offsets[1:] > first, first, -1)
            out: dict[str, np.ndarray] = {}
            levels = block_levels(local_boxes, source.feature_anchors(), source.grid_origin,
                                  source.tile_size, BLOCK_DIVISIONS, roots)
            for k, level in enumerate(levels):
                out.update(level.to_arrays(f"l{k}_"))
            return out

        setup = np.array([*source.grid_origin[:2], source.tile_size, *BLOCK_DIVISIONS,
                          BLOCKS_VERSION, *self.origin], np.float64)
        # what the blocks depend on besides the index (the cache folder's): the origin
        # and the coordinates the boxes were moved to (reprojection), seen in every
        # tile's box and a sample of the features' boxes (hashing all of them would
        # cost more than a second opening's other work)
        tile_boxes = np.array([t.bbox for t in source.tiles])
        sample = source.feature_bbox[::97]
        arrays = source.derived_arrays("blocks", [setup, tile_boxes, sample], build)
        return [BlockLevel.from_arrays(arrays, f"l{k}_") for k in range(len(BLOCK_DIVISIONS))]

    def _finish_nodes(self, old: list[vtkActor], levels: list[BlockLevel]) -> None:
        self.actors = [n.actor for n in self.nodes] or [self.actor]
        self.actor = self.actors[0]
        model = self.layer.model
        # lines and points (road centrelines, generic points): two actors for the layer
        self.curves = (CityCurves(model, self.layer.lod, self.origin)
                       if model.lines or model.points else None)
        if self.curves is not None:
            self.actors = self.actors + self.curves.actors
            self._paint_curves()
        self._centres = np.array([n.centre for n in self.nodes]).reshape(-1, 3)
        self._radii = np.array([n.radius for n in self.nodes])
        self._cell_sizes = np.array([lv.cell_size for lv in levels])
        self._target = np.full(len(self.nodes), LEVEL_FULL)
        self._distance = np.zeros(len(self.nodes))
        self._visible = np.ones(len(self.nodes), bool)
        self._build_clusters()
        self._merged_tiles = np.zeros(len(self.nodes), bool)
        if self.clusters:  # clusters of tiles at the coarsest level draw merged at once
            self._draw_clusters(np.array([n.level for n in self.nodes]))
        self._map_own_actors()
        self._apply_display_state()
        self.on_actors_changed(old, self.actors)
        # before the camera is known: every tile, in spatial order, as memory allows
        self._pending = list(self.nodes)
        self._wanted: set[int] = set()  # ids of the pending tiles the view needs

    def _build_clusters(self) -> None:
        """Group the tiles of a large layer into clusters (see :data:`CLUSTER_SIDE`)."""
        self.clusters = []
        nodes = self.nodes
        if len(nodes) < self.clustered_from_tiles or not all(n.coarse for n in nodes):
            return
        keys = np.array([n.tile.key for n in nodes], np.int64) // CLUSTER_SIDE
        _, group = np.unique(keys, axis=0, return_inverse=True)
        order = np.argsort(group.ravel(), kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(group.ravel()[order]) != 0])
        for members in np.split(order, starts[1:]):
            if len(members) < 2:
                continue
            actor = vtkActor()
            prop = actor.GetProperty()
            prop.SetAmbient(0.25)
            prop.SetDiffuse(0.8)
            prop.BackfaceCullingOn()  # blocks only
            actor.SetVisibility(False)
            self.clusters.append(TileCluster(members, actor))
        self.actors = self.actors + [c.actor for c in self.clusters]

    def _merged(self, cluster: TileCluster, level: int) -> CoarseLevel:
        """The cluster's tiles at a block level as one mesh (made once)."""
        merged = cluster.levels.get(level)
        if merged is None:
            parts = [self.nodes[i].coarse[level - LEVEL_BLOCKS] for i in cluster.members]
            offsets = np.cumsum([0] + [len(p.vertices) for p in parts[:-1]])
            merged = CoarseLevel(
                np.concatenate([p.vertices for p in parts]),
                np.concatenate([p.triangles + o for p, o in zip(parts, offsets, strict=True)]),
                np.concatenate([p.objects for p in parts]),
                np.concatenate([p.semantics for p in parts]), self._coarse_colors)
            cluster.levels[level] = merged
        return merged

    def _draw_clusters(self, drawn: np.ndarray) -> None:
        """Clusters whose tiles are all at one block level are drawn merged."""
        for cluster in self.clusters:
            levels = drawn[cluster.members]
            level = int(levels[0])
            if level < LEVEL_BLOCKS or bool((levels != level).any()):
                level = -1
            if level == cluster.level:
                continue
            cluster.level = level
            if level >= 0:
                cluster.actor.SetMapper(self._merged(cluster, level).mapper)
            self._merged_tiles[cluster.members] = level >= 0
            self._show_cluster(cluster)

    def _map_own_actors(self) -> None:
        """Tiles drawn by their own actor get their level's mapper; those drawn by their
        merged cluster keep the one they had (their polydata is made when first drawn on
        their own: a city of thousands of tiles draws most of them merged)."""
        merged = self._merged_tiles
        for i, node in enumerate(self.nodes):
            if node.mapped == node.level or merged[i]:
                continue
            node.actor.SetMapper(node.mapper(node.level))
            node.mapped = node.level
            # blocks are closed and face outwards: their back faces are never seen
            node.actor.GetProperty().SetBackfaceCulling(node.level >= LEVEL_BLOCKS)
            self._show_texture(node)

    def _show_cluster(self, cluster: TileCluster) -> None:
        """The merged actor or the tiles' own ones, as the layer's visibility allows."""
        shown, merged = self.layer.visible, cluster.level >= 0
        cluster.actor.SetVisibility(shown and merged)
        for i in cluster.members:
            self.nodes[i].actor.SetVisibility(shown and not merged)

    def _apply_display_state(self) -> None:
        super()._apply_display_state()
        for cluster in self.clusters:
            self._show_cluster(cluster)

    def _node(self, tile: Tile, objects: np.ndarray, boxes: np.ndarray,
              levels: list[BlockLevel], local_bbox: np.ndarray | None = None) -> TileActor:
        """A tile's actor with its block levels; ``objects`` are those it holds
        (``local_bbox``: the union of their boxes when the caller knows it)."""
        if local_bbox is None or not np.isfinite(local_bbox).all():
            own = boxes[objects]
            own = own[np.isfinite(own).all(axis=1)]
            local_bbox = (np.concatenate([own[:, :3].min(axis=0), own[:, 3:].max(axis=0)])
                          if len(own) else np.zeros(6))
        tile.bbox = local_bbox + np.tile(self.origin, 2)
        diag = float(np.linalg.norm(local_bbox[3:5] - local_bbox[0:2]))
        actor = vtkActor()
        prop = actor.GetProperty()
        prop.SetAmbient(0.25)
        prop.SetDiffuse(0.8)
        node = TileActor(tile, actor, diag / math.sqrt(max(len(objects), 1)),
                         (local_bbox[:3] + local_bbox[3:]) / 2,
                         float(np.linalg.norm(local_bbox[3:] - local_bbox[:3]) / 2))
        for level in levels:  # polydata once drawn on its own (_map_own_actors)
            node.coarse.append(CoarseLevel(*level.for_tile(tile.key), self._coarse_colors))
        if node.coarse:
            # the coarsest from the start (mapped in _finish_nodes: the actors have their
            # bounds before the first frame, for ResetCamera and the frustum culling)
            node.level = LEVEL_BLOCKS + len(node.coarse) - 1
        return node

    @property
    def pending_tiles(self) -> int:
        return len(self._pending)

    @property
    def refinement(self) -> float:
        """Fraction (0..1) of the tiles in view that the view wants in detail and has."""
        if len(self.nodes) < 2 or not len(self._target):
            return 0.0 if self._pending else 1.0
        wanted = self._visible & (self._target < LEVEL_BLOCKS)
        if not wanted.any():
            return 1.0
        built = np.array([n.built for n in self.nodes])
        return float(np.count_nonzero(built & wanted) / np.count_nonzero(wanted))

    def build_step(self, seconds: float) -> int:
        """Build the full detail of pending tiles for up to ``seconds``; return how many.

        Tiles come nearest-first from the last frame's view; when the memory budget is
        full, tiles that are far and drawn coarse are evicted to make room.
        """
        start = time.perf_counter()
        made: list[TileActor] = []
        background = self.source is not None and math.isfinite(seconds)
        if background:
            self._read_ahead()
        while self._pending and (not made or time.perf_counter() - start < seconds):
            node = self._pending[0]
            if made and math.isfinite(seconds) and id(node) not in self._wanted:
                break  # prefetching what the view does not need yet: one tile a turn
            if background and not node.built and not self._read_done(node):
                break  # its read is under way: nearest first, so wait for it
            self._pending.pop(0)
            if node.built or not self._make_room(node):
                self._reads.pop(id(node), None)
                continue
            if self._build_detail(node):
                made.append(node)
        if not self._pending:
            self._scratch = None  # the vertex renumbering array is only needed while building
        if background:
            self._read_ahead()  # the next reads start now, not at the next turn
        if not made:
            return 0
        self._paint(made)
        if len(self.nodes) == 1:
            self.nodes[0].level = LEVEL_FULL
            self._map_own_actors()
        self.on_change()
        return len(made)

    def _estimate_bytes(self, node: TileActor) -> int:
        """An upper bound of what :meth:`_build_detail` keeps: per triangle 32 bytes of
        cells, 4 of object id and 3 of colour; at most one point (12 bytes) per
        triangle (closed meshes have about half as many)."""
        n = node.n_full + node.n_light
        estimate = n * 39 + node.n_full * 12 + 8192
        if self.source is not None:  # and the tile's mesh (24 B a vertex + 21 a triangle)
            estimate += node.n_full * (24 + 21) + _RAY_INDEX_BYTES * node.n_full
        images = getattr(self, "_images", None)
        if images is not None and images.paths:  # atlas, split points, coordinates
            estimate += 4 * self._tile_texels + node.n_full * 3 * 20
        return int(estimate)

    def _make_room(self, node: TileActor) -> bool:
        need = self._estimate_bytes(node)
        if self.resident_bytes + need <= self.memory_budget:
            return True
        index = {id(n): i for i, n in enumerate(self.nodes)}
        # evict tiles drawn coarse, the farthest (or out of view) first
        candidates = [n for n in self.nodes if n.built and n.level >= LEVEL_BLOCKS
                      and n is not node and self._target[index[id(n)]] >= LEVEL_BLOCKS]
        candidates.sort(key=lambda n: (self._visible[index[id(n)]],
                                       -self._distance[index[id(n)]]))
        for victim in candidates:
            self._evict(victim)
            if self.resident_bytes + need <= self.memory_budget:
                return True
        return False

    def _evict(self, node: TileActor) -> None:
        self.resident_bytes -= node.nbytes
        node.full = node.light = node.full_mapper = node.light_mapper = None
        node.full_objects = node.light_objects = None
        node.mesh = node.light_index = node.ray_index = None
        texture, node.texture = node.texture, None
        node.tex_cells = node.light_cells = node.mappers_textured = None
        node.actor.SetTexture(None)
        if texture is not None and not any(n.texture is texture for n in self.nodes):
            # the last tile that used this atlas: it goes (a tile built later rebuilds it)
            self._atlases = {k: v for k, v in self._atlases.items()
                             if v.texture is not texture}
        node.nbytes = 0

    def _build_detail(self, node: TileActor) -> bool:
        """Build a tile's full and light versions; False when a streamed tile could not
        be read (it stays coarse and is not asked for again)."""
        if self.source is not None:
            return self._build_streamed_detail(node)
        tile = node.tile
        textured = self._textured_tile(node)
        if textured is not None:
            conn = textured.triangles
            full = _textured_polydata(textured)
        else:
            used, inverse = self._compact(self.mesh.triangles[tile.triangles].ravel())
            conn = inverse.reshape(-1, 3)
            full = triangle_polydata(self.local_vertices[used], conn)
        node.full_objects = self.mesh.tri_object[tile.triangles]
        add_array(full.GetCellData(), node.full_objects, "object_id")
        if tile.light is tile.triangles:
            light = full
            node.light_objects = node.full_objects
        else:
            # the light version shares the full version's points: only its cells differ
            position = np.searchsorted(tile.triangles, tile.light)
            light = vtkPolyData()
            light.SetPoints(full.GetPoints())
            light.SetPolys(cell_array(conn[position], 3))
            if textured is not None:
                light.GetPointData().ShallowCopy(full.GetPointData())
                node.light_cells = textured.textured[position]
            node.light_objects = self.mesh.tri_object[tile.light]
            add_array(light.GetCellData(), node.light_objects, "object_id")
        node.full, node.light = full, light
        node.full_mapper = _mapper(full)
        node.light_mapper = node.full_mapper if light is full else _mapper(light)
        node.mapped = None  # new mappers: the actor takes them when next mapped
        node.nbytes = _poly_bytes(full) + (0 if light is full else _poly_bytes(light))
        # colours are added by _paint: count them now
        node.nbytes += 3 * (len(tile.triangles) + len(tile.light))
        if textured is not None:
            node.texture, node.tex_cells = textured.texture, textured.textured
            if light is full:
                node.light_cells = textured.textured
            node.nbytes += textured.atlas_bytes
        self.resident_bytes += node.nbytes
        return True

    def _textured_tile(self, node: TileActor) -> TexturedTile | None:
        """Split points, atlas coordinates and texture of a tile with textured triangles."""
        mesh, images = self.mesh, self._images
        if images is None or mesh.tri_texture is None or mesh.tri_uv is None:
            return None
        tris = node.tile.triangles
        tex = mesh.tri_texture[tris]
        if not (tex >= 0).any():
            return None
        return textured_tile(self.local_vertices, mesh.triangles[tris], tex,
                             mesh.tri_uv[tris], images, self._tile_texels, self._atlases)

    def _plain_look(self) -> bool:
        """The layer's plain looks (semantic, one colour, colours by object type), under
        which the file's own appearance (textures, material colours) shows; a style by
        any other attribute replaces it."""
        style = self.layer.style
        return style.mode in TEXTURED_MODES or (style.mode == "categorical"
                                                and style.attribute == TYPE_FIELD)

    def _textures_shown(self) -> bool:
        return self._images is not None and self._plain_look()

    def _show_texture(self, node: TileActor) -> None:
        """The tile's atlas on its actor at the full and light levels, while shown."""
        detailed = node.level < LEVEL_BLOCKS
        on = node.texture is not None and detailed and self._textures_shown()
        texture = node.texture if on else None
        if node.actor.GetTexture() is not texture:
            node.actor.SetTexture(texture)
        if node.texture is not None and detailed and node.mappers_textured is not on:
            # static mappers do not look for a texture turned on or off: their shaders
            # change now (only then: a rebuild costs a tile's upload)
            for mapper in {node.full_mapper, node.light_mapper} - {None}:
                mapper.Modified()
            node.mappers_textured = on

    # --- streamed tiles, read in the background ------------------------------------
    def _read_ahead(self) -> None:
        """Start reading the first pending tiles that are not built or being read; drop
        reads the view no longer comes to soon (the camera moved on)."""
        if self._reader is None:
            return
        soon = {id(n) for n in self._pending[:4 * READ_AHEAD]}
        for key in [k for k in self._reads if k not in soon]:
            if self._reads[key].done() or self._reads[key].cancel():
                del self._reads[key]
        for node in self._pending[:READ_AHEAD]:
            if not node.built and id(node) not in self._reads:
                self._reads[id(node)] = self._reader.submit(self.source.load,
                                                            self.nodes.index(node))

    def _read_done(self, node: TileActor) -> bool:
        future = self._reads.get(id(node))
        return future is not None and future.done()

    def _stop_reads(self) -> None:
        if self._reader is not None:
            self._reader.shutdown(wait=False, cancel_futures=True)
        self._reader = None
        self._reads = {}

    def _build_streamed_detail(self, node: TileActor) -> bool:
        future = self._reads.pop(id(node), None)
        try:  # read ahead in the background, else (snapshots, picks) read now
            mesh = (future.result() if future is not None
                    else self.source.load(self.nodes.index(node)))
        except Exception as exc:  # the file changed or broke since it was indexed
            log.warning("%s: tile %s not read: %s", self.layer.name, node.tile.key, exc)
            node.read_failed = True
            return False
        mesh = self._shown(mesh)
        light_index = np.flatnonzero(light_mask(mesh))
        textured = None
        if mesh.tri_texture is not None and mesh.tri_uv is not None and mesh.textured:
            textured = textured_tile(self.local(mesh.vertices), mesh.triangles,
                                     mesh.tri_texture, mesh.tri_uv, self._images,
                                     self._tile_texels, self._atlases)
        if textured is not None:
            conn = textured.triangles
            full = _textured_polydata(textured)
            node.texture, node.tex_cells = textured.texture, textured.textured
            node.light_cells = textured.textured[light_index]
        else:
            conn = mesh.triangles
            full = triangle_polydata(self.local(mesh.vertices), conn)
        add_array(full.GetCellData(), mesh.tri_object, "object_id")
        light = vtkPolyData()
        light.SetPoints(full.GetPoints())
        light.SetPolys(cell_array(conn[light_index], 3))
        if textured is not None:
            light.GetPointData().ShallowCopy(full.GetPointData())
        add_array(light.GetCellData(), mesh.tri_object[light_index], "object_id")
        node.mesh, node.light_index = mesh, light_index
        node.full_objects, node.light_objects = mesh.tri_object, mesh.tri_object[light_index]
        node.full, node.light = full, light
        node.full_mapper, node.light_mapper = _mapper(full), _mapper(light)
        node.mapped = None  # new mappers: the actor takes them when next mapped
        node.n_full, node.n_light = mesh.n_triangles, len(light_index)
        self._tri_counts = None
        arrays = (mesh.vertices, mesh.triangles, mesh.tri_object, mesh.tri_semantic)
        node.nbytes = (_poly_bytes(full) + _poly_bytes(light) + sum(a.nbytes for a in arrays)
                       + 3 * (node.n_full + node.n_light)
                       + (textured.atlas_bytes if textured is not None else 0))
        self.resident_bytes += node.nbytes
        return True

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
    def plan_work(self, renderer: vtkRenderer) -> None:
        """Choose levels and the order of pending tiles for the renderer's camera."""
        self.update_detail(renderer)

    def _in_view(self, renderer: vtkRenderer) -> np.ndarray:
        return spheres_in_view(renderer, self._centres, self._radii)

    def update_detail(self, renderer: vtkRenderer) -> None:
        nodes = self.nodes
        if len(nodes) < 2:
            return
        camera = renderer.GetActiveCamera()
        eye = np.array(camera.GetPosition())
        height_px = max(renderer.GetSize()[1], 1)
        focal_px = height_px / (2 * math.tan(math.radians(camera.GetViewAngle()) / 2))
        distance = np.maximum(np.linalg.norm(self._centres - eye, axis=1) - self._radii, 1.0)
        if camera.GetParallelProjection():
            px_per_m = np.full(len(nodes), height_px / (2 * camera.GetParallelScale()))
        else:
            px_per_m = focal_px / distance
        visible = self._in_view(renderer)
        built = np.array([n.built for n in nodes])
        current = np.array([n.level for n in nodes])
        sizes = np.array([n.object_size for n in nodes])
        n_levels = LEVEL_BLOCKS + len(self._cell_sizes)
        if self.forced_level is not None:
            target = np.full(len(nodes), min(self.forced_level, n_levels - 1))
        elif not self.level_of_detail_enabled:
            target = np.full(len(nodes), LEVEL_FULL)
        elif not self.hierarchy_enabled:
            target = self._roofs_only_levels(sizes * px_per_m)
        else:
            errors = np.empty((len(nodes), n_levels))
            errors[:, LEVEL_FULL] = 0.0
            errors[:, LEVEL_LIGHT] = sizes * SCREEN_ERROR_PIXELS / FULL_DETAIL_PIXELS
            errors[:, LEVEL_BLOCKS:] = self._cell_sizes[None, :]
            screen = errors * px_per_m[:, None]
            target = self._budgeted_levels(screen, current, visible)
        # draw the target, or the finest block level while its detail is not built
        drawn = np.where(built | (target >= LEVEL_BLOCKS), target, LEVEL_BLOCKS)
        for i, (node, level) in enumerate(zip(nodes, drawn.tolist(), strict=True)):
            if node.level == level:
                continue
            if (not visible[i] and level >= LEVEL_BLOCKS
                    and not node.coarse[level - LEVEL_BLOCKS].built):
                # a block level drawn for the first time is made when the tile is in
                # view (a turn of the camera moves thousands of far tiles a level)
                drawn[i] = node.level
                continue
            node.level = level
        if self.clusters:
            self._draw_clusters(drawn)
        self._map_own_actors()
        self._target, self._distance, self._visible = target, distance, visible
        self._plan_builds(built)

    def _roofs_only_levels(self, pixels: np.ndarray) -> np.ndarray:
        """The per-tile LoD without the hierarchy: roofs when small, a full-detail budget."""
        want = pixels >= FULL_DETAIL_PIXELS
        budget = FULL_DETAIL_BUDGET
        for i in np.argsort(-pixels):  # biggest on screen first
            if want[i]:
                size = self.nodes[i].n_full
                if size <= budget:
                    budget -= size
                else:
                    want[i] = False
        return np.where(want, LEVEL_FULL, LEVEL_LIGHT)

    def _level_triangles(self) -> np.ndarray:
        tris = getattr(self, "_tri_counts", None)
        if tris is None or len(tris) != len(self.nodes):
            tris = np.array([[n.n_full, n.n_light, *(len(c.objects) for c in n.coarse)]
                             for n in self.nodes])
            self._tri_counts = tris
        return tris

    def _budgeted_levels(self, screen: np.ndarray, current: np.ndarray,
                         visible: np.ndarray) -> np.ndarray:
        """Screen-space error with hysteresis, then the frame's triangle budget."""
        n, n_levels = screen.shape
        coarsest = n_levels - 1
        levels = np.arange(n_levels)[None, :]
        # a coarser level than the current one must be clearly good enough
        limit = np.where(levels > current[:, None], SCREEN_ERROR_PIXELS / HYSTERESIS,
                         SCREEN_ERROR_PIXELS)
        good = screen <= limit
        good[:, LEVEL_FULL] = True
        # the coarsest good level (errors grow with the level, so good is a prefix)
        desired = np.where(good.all(axis=1), coarsest, np.argmin(good, axis=1) - 1)
        tris = self._level_triangles()
        level = np.full(n, coarsest)
        rows = np.flatnonzero(visible)
        total = int(tris[rows, coarsest].sum())
        budget = self.frame_budget

        def priority(i: int, lv: int) -> float:
            keep = HYSTERESIS if current[i] < lv else 1.0  # was finer: keep it so
            return -float(screen[i, lv]) * keep

        heap = [(priority(i, coarsest), i) for i in rows.tolist() if desired[i] < coarsest]
        heapq.heapify(heap)
        while heap:
            _, i = heapq.heappop(heap)
            step = level[i] - 1
            delta = int(tris[i, step] - tris[i, level[i]])
            if total + delta > budget:
                continue
            total += delta
            level[i] = step
            if step > desired[i]:
                heapq.heappush(heap, (priority(i, step), i))
        return level

    def _plan_builds(self, built: np.ndarray) -> None:
        """Pending tiles: wanted in detail and in view first, nearest first; then, while
        everything fits in the memory budget, the rest (nearest first)."""
        had_work = bool(self._pending)
        built = built | np.array([n.read_failed for n in self.nodes])  # nothing to build
        wanted = (self._target < LEVEL_BLOCKS) & ~built
        near = np.argsort(self._distance, kind="stable")
        order = [i for i in near.tolist() if wanted[i] and self._visible[i]]
        order += [i for i in near.tolist() if wanted[i] and not self._visible[i]]
        costs = np.array([self._estimate_bytes(n) for n in self.nodes])
        if costs.sum() <= self.memory_budget:
            order += [i for i in near.tolist() if not built[i] and not wanted[i]]
        else:
            # no more than fits next to the detail the view keeps
            kept = int(sum(n.nbytes for n, t in zip(self.nodes, self._target, strict=True)
                           if n.built and t < LEVEL_BLOCKS))
            room = self.memory_budget - kept
            fits = []
            for i in order:
                if costs[i] <= room:
                    room -= costs[i]
                    fits.append(i)
            order = fits
        self._pending = [self.nodes[i] for i in order]
        self._wanted = {id(self.nodes[i]) for i in np.flatnonzero(wanted).tolist()}
        if self._pending and not had_work:
            self.on_change()  # the view keeps building while there is work

    def drawn_triangles(self) -> int:
        # (a tile's own actor is hidden while its cluster draws it)
        if not self.layer.visible:
            return 0
        tris = self._level_triangles()
        return int(sum(tris[i, n.level] for i, n in enumerate(self.nodes)
                       if n.built or n.level >= LEVEL_BLOCKS))

    def drawn_triangles_in_view(self) -> int:
        if not self.layer.visible:
            return 0
        tris = self._level_triangles()
        return int(sum(tris[i, n.level] for i, n in enumerate(self.nodes) if self._visible[i]))

    # --- colours and picking ------------------------------------------------------
    def _style_colors(self) -> np.ndarray | None:
        """Colour per object for object styles (None: colours by semantic surface)."""
        style = self.layer.style
        if style.mode == "semantic":
            return None
        return np.asarray(object_colors(style, self.layer.model.objects.attributes),
                          np.uint8)

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
        colors = (per_object[mesh.tri_object] if len(per_object)
                  else np.zeros((0, 3), np.uint8))
        if (self._plain_look() and mesh.tri_color is not None
                and mesh.tri_has_color is not None and len(colors)):
            # materials keep their colour under the plain looks, as textures do
            colors = np.where(mesh.tri_has_color[:, None], mesh.tri_color, colors)
        return colors

    def _selected_objects(self) -> np.ndarray:
        """Indices of the selected objects and their children."""
        selected = self.selection.for_layer(self.layer.uid)
        if not selected:
            return np.zeros(0, np.int32)
        family = self.layer.model.objects.below(set(selected))
        return np.fromiter(family, dtype=np.int32)

    def _layer_colors(self) -> np.ndarray:
        colors = np.array(self.base_colors(), dtype=np.uint8, copy=True)
        family = self._selected_objects()
        if len(family) and len(colors):
            colors[np.isin(self.mesh.tri_object, family)] = HIGHLIGHT
        self._highlight = family
        return colors

    def _coarse_colors(self, level: CoarseLevel) -> np.ndarray:
        if self._object_style is None:
            colors = SEMANTIC_COLORS[level.semantics].copy()
        else:
            colors = self._object_style[level.objects] if len(self._object_style) else \
                np.zeros((len(level.objects), 3), np.uint8)
        if len(self._highlight):
            colors[np.isin(level.objects, self._highlight)] = HIGHLIGHT
        return colors

    def _paint_curves(self) -> None:
        if self.curves is not None:
            self.curves.paint(self._object_style, self._highlight)

    def _paint_coarse(self, nodes: list[TileActor]) -> None:
        merged = [lv for c in self.clusters for lv in c.levels.values()]
        for levels in [*(node.coarse for node in nodes), merged]:
            for level in levels:
                if level.built:  # the others get their colours when drawn
                    add_array(level.poly.GetCellData(), self._coarse_colors(level),
                              "colors", scalars=True)
                    level.poly.Modified()

    def _paint(self, nodes: list[TileActor]) -> None:
        for node in nodes:
            if not node.built:
                continue
            if node.mesh is not None:  # streamed: the tile's own arrays
                full_colors = self._mesh_colors(node.mesh)
                light_colors = full_colors[node.light_index]
            else:
                full_colors = self._colors[node.tile.triangles]
                light_colors = self._colors[node.tile.light]
            if node.tex_cells is not None and self._textures_shown():
                full_colors = self._white_textured(full_colors, node.tex_cells,
                                                   node.full_objects)
                light_colors = self._white_textured(light_colors, node.light_cells,
                                                    node.light_objects)
            opacity = self.mesh.tri_opacity if self._object_style is None else None
            if opacity is not None and node.mesh is None:  # materials' transparency
                full_colors = np.column_stack([full_colors, opacity[node.tile.triangles]])
                light_colors = np.column_stack([light_colors, opacity[node.tile.light]])
            self._show_texture(node)
            add_array(node.full.GetCellData(), full_colors, "colors", scalars=True)
            node.full.Modified()
            if node.light is not node.full:
                add_array(node.light.GetCellData(), light_colors, "colors", scalars=True)
                node.light.Modified()

    def _white_textured(self, colors: np.ndarray, cells: np.ndarray | None,
                        objects: np.ndarray | None) -> np.ndarray:
        """Colours with textured cells white (the texel shows as it is), unless
        highlighted (the texture is tinted)."""
        if cells is None:
            return colors
        white = cells
        if len(self._highlight) and objects is not None:
            white = cells & ~np.isin(objects, self._highlight)
        colors = np.array(colors, np.uint8, copy=True)
        colors[white] = 255
        return colors

    def _mesh_colors(self, mesh: TriangleMesh) -> np.ndarray:
        if self._object_style is None:
            colors = SEMANTIC_COLORS[mesh.tri_semantic]
        elif len(self._object_style):
            colors = self._object_style[mesh.tri_object]
        else:
            colors = np.zeros((mesh.n_triangles, 3), np.uint8)
        colors = np.array(colors, np.uint8, copy=True)
        if len(self._highlight):
            colors[np.isin(mesh.tri_object, self._highlight)] = HIGHLIGHT
        return colors

    def update_colors(self, render: bool = True) -> None:
        self._object_style = self._style_colors()
        self._colors = self._layer_colors()
        self._paint(self.nodes)
        self._paint_coarse(self.nodes)
        self._paint_curves()
        if render:
            self.on_change()

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        hit = self._surface_pick(origin, direction)
        if self.curves is not None:
            near = self.curves.ray_pick(origin, direction, pixel_angle)
            if near is not None and (hit is None or near[0] < hit[0]):
                return near
        return hit

    def _surface_pick(self, origin: np.ndarray,
                      direction: np.ndarray) -> tuple[float, int] | None:
        if self.source is not None:
            return self._streamed_ray_pick(origin, direction)
        if not self.mesh.n_triangles:
            return None
        if self._ray_index is None:
            self._ray_index = TriangleRayIndex(self.local_vertices, self.mesh.triangles,
                                               self.mesh.tri_object)
        hit = self._ray_index.intersect(origin, direction)
        if hit is None:
            return None
        t, tri = hit
        return t, int(self.mesh.tri_object[tri])

    def _streamed_ray_pick(self, origin: np.ndarray,
                           direction: np.ndarray) -> tuple[float, int] | None:
        """Tiles whose box the ray passes, nearest first; a tile not in memory is read
        first (a pick on a coarse tile refines it), then its own grid index answers."""
        if not self.nodes:
            return None
        lo = np.array([n.tile.bbox[:3] for n in self.nodes]) - self.origin
        hi = np.array([n.tile.bbox[3:] for n in self.nodes]) - self.origin
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / np.where(direction == 0, 1e-300, direction)
            t0, t1 = (lo - origin) * inv, (hi - origin) * inv
        enter = np.nanmax(np.minimum(t0, t1), axis=1)
        leave = np.nanmin(np.maximum(t0, t1), axis=1)
        crossed = np.flatnonzero(leave >= np.maximum(enter, 0.0))
        best: tuple[float, int] | None = None
        made = []
        for i in crossed[np.argsort(enter[crossed])].tolist():
            if best is not None and enter[i] > best[0]:
                break
            node = self.nodes[i]
            if not node.built:
                if node.read_failed:
                    continue
                self._make_room(node)
                if not self._build_detail(node):
                    continue
                made.append(node)
            if node.ray_index is None:
                mesh = node.mesh
                node.ray_index = TriangleRayIndex(self.local(mesh.vertices), mesh.triangles,
                                                  mesh.tri_object)
            hit = node.ray_index.intersect(origin, direction)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = (hit[0], int(node.mesh.tri_object[hit[1]]))
        if made:
            self._paint(made)
        return best

    def prepare_picking(self) -> None:
        """Build the pick index now (e.g. in a worker thread) instead of on the first click.

        Streamed cities index each tile when a pick first reaches it (tiles are read and
        uploaded on the GUI thread only)."""
        if self.source is not None:
            return
        self.ray_pick(np.zeros(3), np.array([0.0, 0.0, -1.0]), 0.0)

    def object_at(self, prop: vtkProp, cell_id: int) -> int | None:
        if self.curves is not None and self.curves.owns(prop):
            return self.curves.object_at(prop, cell_id)
        for node in self.nodes:
            if node.actor is prop:
                objects = node.objects_at(node.level)
                if objects is not None and 0 <= cell_id < len(objects):
                    return int(objects[cell_id])
        for cluster in self.clusters:
            if cluster.actor is prop and cluster.level >= 0:
                objects = cluster.levels[cluster.level].objects
                if 0 <= cell_id < len(objects):
                    return int(objects[cell_id])
        return None

    def _on_lod(self, _lod: object) -> None:
        self._build_mesh()
        self.on_change()

    def _on_hidden(self) -> None:
        self._build_mesh()
        self.on_change()

    def _on_selection(self, _items: object) -> None:
        self.update_colors()

    def _on_attribute(self, name: str) -> None:
        if self.layer.style.attribute == name and self.layer.style.mode != "semantic":
            self._on_style(self.layer.style)

    def dispose(self) -> None:
        self._stop_reads()
        self.layer.lod_changed.disconnect(self._on_lod)
        self.layer.attribute_changed.disconnect(self._on_attribute)
        self.layer.hidden_changed.disconnect(self._on_hidden)
        self.selection.changed.disconnect(self._on_selection)
        super().dispose()
